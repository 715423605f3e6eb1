//! Conversions API user data, normalized and SHA-256 hashed the way the
//! spec's `ConversionEventsUserData` field descriptions require, so plain
//! PII never reaches the wire:
//!
//! | field | normalized as |
//! |---|---|
//! | `em` email | trimmed, lowercase |
//! | `ph` phone | digits only, with country code, no leading zeros |
//! | `fn`, `ln` names | trimmed, lowercase |
//! | `ge` gender | `f`, `m` or `n` |
//! | `db` date of birth | `YYYYMMDD` |
//! | `ct` city | lowercase, without spaces or punctuation |
//! | `st` state | two-letter code, lowercase |
//! | `zp` zip | digits only |
//! | `country` | two-letter ISO 3166 code, lowercase |
//! | `external_id`, `hashed_maids` | trimmed (advertising ids lowercase) |
//!
//! [`UserData::build`] checks the spec's rule that an event carries an
//! email, an advertising id, or an IP address with a user agent;
//! [`check_hashed`] refuses user data whose hashed fields are not SHA-256
//! hex (a plain email put there by hand), and
//! [`Client::send_conversion_events`](crate::Client::send_conversion_events)
//! runs it on every event before sending.
//!
//! ```
//! use pinterest_ext::conversions::UserData;
//! let user = UserData::new()
//!     .email(" Jane.Doe@Example.com ")
//!     .phone("+1 (555) 010-0123")
//!     .build()?;
//! let props = user.subtype_0.as_ref().unwrap();
//! assert_eq!(props.em[0], "86e0b9e56c17cc4d12387e1949b85053fbe73bc3ce5a1188713a9d300cc6133d");
//! # Ok::<(), pinterest_ext::Error>(())
//! ```

use chrono::NaiveDate;
use pinterest_api::types::{ConversionEventsUserData, ConversionEventsUserDataProperties};
use sha2::{Digest, Sha256};

use crate::error::{Error, ErrorKind, Result};

/// Lowercase hex SHA-256 of `text`.
pub fn sha256_hex(text: &str) -> String {
    Sha256::digest(text.as_bytes())
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

fn hashed(normalized: String) -> Option<String> {
    (!normalized.is_empty()).then(|| sha256_hex(&normalized))
}

/// Builds [`ConversionEventsUserData`] from plain values, normalizing and
/// hashing each (see the [module docs](self)). Values that normalize to
/// nothing are left out.
#[derive(Default, Clone)]
pub struct UserData {
    props: ConversionEventsUserDataProperties,
    problems: Vec<String>,
}

impl std::fmt::Debug for UserData {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // Only hashes and counts: the plain values are never kept.
        f.debug_struct("UserData")
            .field("emails", &self.props.em.len())
            .field("phones", &self.props.ph.len())
            .field("problems", &self.problems)
            .finish_non_exhaustive()
    }
}

impl UserData {
    /// Empty user data.
    pub fn new() -> UserData {
        UserData::default()
    }

    /// An email address (lowercased, trimmed).
    pub fn email(mut self, email: &str) -> UserData {
        self.props.em.extend(hashed(email.trim().to_lowercase()));
        self
    }

    /// A phone number with its country code; symbols, letters, spaces and
    /// leading zeros are removed (`+1 (555) 010-0123` is `15550100123`).
    pub fn phone(mut self, phone: &str) -> UserData {
        let digits: String = phone.chars().filter(char::is_ascii_digit).collect();
        self.props
            .ph
            .extend(hashed(digits.trim_start_matches('0').to_string()));
        self
    }

    /// A first name (lowercased, trimmed).
    pub fn first_name(mut self, name: &str) -> UserData {
        self.props.fn_.extend(hashed(name.trim().to_lowercase()));
        self
    }

    /// A last name (lowercased, trimmed).
    pub fn last_name(mut self, name: &str) -> UserData {
        self.props.ln.extend(hashed(name.trim().to_lowercase()));
        self
    }

    /// A gender: `f`/`female`, `m`/`male`, or `n`/`non-binary` (any case);
    /// anything else is an error at [`UserData::build`].
    pub fn gender(mut self, gender: &str) -> UserData {
        let g = match gender.trim().to_lowercase().as_str() {
            "f" | "female" | "woman" => "f",
            "m" | "male" | "man" => "m",
            "n" | "non-binary" | "nonbinary" => "n",
            _ => {
                self.problems
                    .push("gender is not f, m or n (female, male, non-binary)".into());
                return self;
            }
        };
        self.props.ge.push(sha256_hex(g));
        self
    }

    /// A date of birth (hashed as `YYYYMMDD`).
    pub fn date_of_birth(mut self, date: NaiveDate) -> UserData {
        self.props
            .db
            .push(sha256_hex(&date.format("%Y%m%d").to_string()));
        self
    }

    /// A city: lowercase, without spaces or punctuation (`San Francisco`
    /// is `sanfrancisco`).
    pub fn city(mut self, city: &str) -> UserData {
        let c: String = city
            .to_lowercase()
            .chars()
            .filter(|c| c.is_alphanumeric())
            .collect();
        self.props.ct.extend(hashed(c));
        self
    }

    /// A state as a two-letter code (`CA`).
    pub fn state(mut self, state: &str) -> UserData {
        let s = state.trim().to_lowercase();
        if s.chars().count() != 2 {
            self.problems.push("state is not a two-letter code".into());
            return self;
        }
        self.props.st.push(sha256_hex(&s));
        self
    }

    /// A zip code (digits only).
    pub fn zip(mut self, zip: &str) -> UserData {
        let digits: String = zip.chars().filter(char::is_ascii_digit).collect();
        self.props.zp.extend(hashed(digits));
        self
    }

    /// A country as a two-letter ISO 3166 code (`US`).
    pub fn country(mut self, country: &str) -> UserData {
        let c = country.trim().to_lowercase();
        if c.chars().count() != 2 || !c.chars().all(|ch| ch.is_ascii_alphabetic()) {
            self.problems
                .push("country is not a two-letter ISO 3166 code".into());
            return self;
        }
        self.props.country.push(sha256_hex(&c));
        self
    }

    /// Your own id of the user (trimmed).
    pub fn external_id(mut self, id: &str) -> UserData {
        self.props.external_id.extend(hashed(id.trim().to_string()));
        self
    }

    /// A Google Advertising ID or Apple IDFA (lowercased, trimmed).
    pub fn advertising_id(mut self, id: &str) -> UserData {
        self.props
            .hashed_maids
            .extend(hashed(id.trim().to_lowercase()));
        self
    }

    /// The user's IP address (sent as it is, as the spec asks).
    pub fn client_ip_address(mut self, ip: std::net::IpAddr) -> UserData {
        self.props.client_ip_address = Some(ip.to_string());
        self
    }

    /// The user's browser user agent (sent as it is).
    pub fn client_user_agent(mut self, user_agent: &str) -> UserData {
        self.props.client_user_agent = Some(user_agent.to_string());
        self
    }

    /// The `_epik` click id (sent as it is).
    pub fn click_id(mut self, click_id: &str) -> UserData {
        self.props.click_id = Some(click_id.to_string());
        self
    }

    /// The user data, or an error naming what is wrong: a value that did
    /// not normalize, or none of an email, an advertising id, or an IP
    /// address with a user agent.
    pub fn build(self) -> Result<ConversionEventsUserData> {
        if !self.problems.is_empty() {
            return Err(Error::new(
                ErrorKind::InvalidRequest,
                format!("conversion user data: {}", self.problems.join("; ")),
            ));
        }
        let p = &self.props;
        let matchable = !p.em.is_empty()
            || !p.hashed_maids.is_empty()
            || (p.client_ip_address.is_some() && p.client_user_agent.is_some());
        if !matchable {
            return Err(Error::new(
                ErrorKind::InvalidRequest,
                "conversion user data needs an email, an advertising id, or an IP address with a user agent",
            ));
        }
        Ok(ConversionEventsUserData {
            subtype_0: Some(self.props),
            ..Default::default()
        })
    }
}

fn is_sha256_hex(s: &str) -> bool {
    s.len() == 64
        && s.bytes()
            .all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b))
}

/// Refuses user data whose hashed fields hold anything but SHA-256 hex:
/// plain PII must not reach the wire.
pub fn check_hashed(user: &ConversionEventsUserData) -> Result<()> {
    for props in [&user.subtype_0, &user.subtype_1, &user.subtype_2]
        .into_iter()
        .flatten()
    {
        let fields: [(&str, &Vec<String>); 12] = [
            ("em", &props.em),
            ("ph", &props.ph),
            ("fn", &props.fn_),
            ("ln", &props.ln),
            ("ge", &props.ge),
            ("db", &props.db),
            ("ct", &props.ct),
            ("st", &props.st),
            ("zp", &props.zp),
            ("country", &props.country),
            ("external_id", &props.external_id),
            ("hashed_maids", &props.hashed_maids),
        ];
        for (name, values) in fields {
            if values.iter().any(|v| !is_sha256_hex(v)) {
                return Err(Error::new(
                    ErrorKind::InvalidRequest,
                    format!(
                        "conversion user data field `{name}` holds a value that is not a SHA-256 hash; build it with conversions::UserData so plain data is never sent"
                    ),
                ));
            }
        }
    }
    Ok(())
}
