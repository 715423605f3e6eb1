//! The TLS set-up every `reqwest::Client` of this crate (and of
//! `pinterest-ext`) goes through.
//!
//! With the default `rustls` feature, TLS is rustls on the `ring` crypto
//! provider (its cold build is a third of `aws-lc-rs`'s; see BENCHMARKS.md),
//! installed as the process default the first time a client is built,
//! unless the application installed one already. `rustls-aws-lc` selects
//! aws-lc-rs instead, `native-tls` the platform's TLS.
//!
//! If you build your own `reqwest::Client` for [`Client::new_with_client`](crate::Client::new_with_client),
//! start from [`http_client_builder`].

/// Installs ring as rustls's process-wide default crypto provider unless
/// one is installed (a no-op without the `rustls` feature).
pub fn install_default_provider() {
    #[cfg(feature = "rustls")]
    {
        if rustls::crypto::CryptoProvider::get_default().is_none() {
            // Losing a race to another thread's install is fine: either way
            // a provider is installed.
            let _ = rustls::crypto::ring::default_provider().install_default();
        }
    }
}

/// A `reqwest::ClientBuilder` with the crypto provider installed: build
/// your own HTTP client from it.
///
/// ```
/// let http = pinterest_api::tls::http_client_builder()
///     .timeout(std::time::Duration::from_secs(30))
///     .build()
///     .unwrap();
/// let client = pinterest_api::Client::new_with_client("https://api.pinterest.com/v5", http, pinterest_api::Hooks::none());
/// # let _ = client;
/// ```
pub fn http_client_builder() -> reqwest::ClientBuilder {
    install_default_provider();
    reqwest::Client::builder()
}

/// The HTTP client of [`Client::new`](crate::Client::new): 15 s connect and
/// request timeouts.
///
/// # Panics
///
/// Only if the TLS backend cannot initialize, as `reqwest::Client::new`.
pub(crate) fn default_client() -> reqwest::Client {
    let timeout = std::time::Duration::from_secs(15);
    http_client_builder()
        .connect_timeout(timeout)
        .timeout(timeout)
        .build()
        .expect("the TLS backend initializes")
}
