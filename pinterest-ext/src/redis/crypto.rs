//! Tokens at rest: AES-256-GCM, a random 96-bit nonce per write, the
//! account key as associated data (a token record copied to another
//! account's key does not decrypt).

use std::fmt;

use aes_gcm::aead::{Aead, KeyInit, OsRng, Payload};
use aes_gcm::{AeadCore, Aes256Gcm, Nonce};

use crate::error::{Error, ErrorKind, Result};

/// The key tokens are encrypted with. Never printed.
#[derive(Clone)]
pub struct TokenKey(Aes256Gcm);

impl fmt::Debug for TokenKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("TokenKey([redacted])")
    }
}

/// Format version of a record.
const VERSION: u8 = 1;

impl TokenKey {
    /// A key from 32 bytes.
    pub fn new(key: [u8; 32]) -> TokenKey {
        TokenKey(Aes256Gcm::new(&key.into()))
    }

    /// `plain` encrypted for `account`: version, nonce, ciphertext.
    pub(crate) fn seal(&self, account: &str, plain: &[u8]) -> Result<Vec<u8>> {
        let nonce = Aes256Gcm::generate_nonce(&mut OsRng);
        let sealed = self
            .0
            .encrypt(
                &nonce,
                Payload {
                    msg: plain,
                    aad: account.as_bytes(),
                },
            )
            .map_err(|_| Error::new(ErrorKind::TokenStore, "encrypting the token failed"))?;
        let mut out = Vec::with_capacity(1 + nonce.len() + sealed.len());
        out.push(VERSION);
        out.extend_from_slice(&nonce);
        out.extend_from_slice(&sealed);
        Ok(out)
    }

    /// The plain text of a record sealed for `account`.
    pub(crate) fn open(&self, account: &str, record: &[u8]) -> Result<Vec<u8>> {
        let refuse = || {
            Error::new(
                ErrorKind::TokenStore,
                format!(
                    "the stored token of account {account:?} does not decrypt (another key, another account's record, or damaged)"
                ),
            )
        };
        let (&version, rest) = record.split_first().ok_or_else(refuse)?;
        if version != VERSION || rest.len() < 12 + 16 {
            return Err(refuse());
        }
        let (nonce, sealed) = rest.split_at(12);
        self.0
            .decrypt(
                Nonce::from_slice(nonce),
                Payload {
                    msg: sealed,
                    aad: account.as_bytes(),
                },
            )
            .map_err(|_| refuse())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sealed_records_open_only_for_their_account_and_key() {
        let key = TokenKey::new([1; 32]);
        let record = key.seal("alice", b"pina_secret").unwrap();
        assert!(!record.windows(11).any(|w| w == b"pina_secret"));
        assert_eq!(key.open("alice", &record).unwrap(), b"pina_secret");
        assert!(key.open("bob", &record).is_err());
        assert!(TokenKey::new([2; 32]).open("alice", &record).is_err());
        let mut damaged = record.clone();
        *damaged.last_mut().unwrap() ^= 1;
        assert!(key.open("alice", &damaged).is_err());
        assert_ne!(
            key.seal("alice", b"x").unwrap(),
            key.seal("alice", b"x").unwrap()
        );
        assert_eq!(format!("{key:?}"), "TokenKey([redacted])");
    }
}
