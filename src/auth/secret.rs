//! Random secrets and their hashes: session ids, API tokens, CSRF tokens, generated passwords.

use rand::RngCore;
use rand::distr::{Alphanumeric, SampleString};
use sha2::{Digest, Sha256};

/// The prefix of every API token, so a leaked one is easy to recognise (and to grep for).
pub const TOKEN_PREFIX: &str = "plt_";

/// `bytes` random bytes from the thread's CSPRNG (seeded from the OS), as lowercase hex.
pub fn random_hex(bytes: usize) -> String {
    let mut buf = vec![0u8; bytes];
    rand::rng().fill_bytes(&mut buf);
    hex(&buf)
}

/// A new session id: 256 random bits.
pub fn new_session_id() -> String {
    random_hex(32)
}

/// A new API token: `plt_` and 256 random bits in hex.
pub fn new_api_token() -> String {
    format!("{TOKEN_PREFIX}{}", random_hex(32))
}

/// A generated password: 24 letters and digits (about 143 bits).
pub fn random_password() -> String {
    Alphanumeric.sample_string(&mut rand::rng(), 24)
}

/// SHA-256 of `value`, in hex: how session ids and API tokens are stored and looked up.
pub fn sha256_hex(value: &str) -> String {
    hex(&Sha256::digest(value.as_bytes()))
}

fn hex(bytes: &[u8]) -> String {
    use std::fmt::Write;
    let mut out = String::with_capacity(bytes.len() * 2);
    for b in bytes {
        let _ = write!(out, "{b:02x}");
    }
    out
}

/// Compares two secrets in time that depends only on their lengths.
pub fn secrets_equal(a: &str, b: &str) -> bool {
    a.len() == b.len()
        && a.bytes()
            .zip(b.bytes())
            .fold(0u8, |acc, (x, y)| acc | (x ^ y))
            == 0
}

/// HMAC-SHA256 (RFC 2104), written out because it is twelve lines.
fn hmac_sha256(key: &[u8; 32], message: &[u8]) -> [u8; 32] {
    const BLOCK: usize = 64;
    let mut ipad = [0x36u8; BLOCK];
    let mut opad = [0x5cu8; BLOCK];
    for (i, k) in key.iter().enumerate() {
        ipad[i] ^= k;
        opad[i] ^= k;
    }
    let inner = Sha256::new()
        .chain_update(ipad)
        .chain_update(message)
        .finalize();
    Sha256::new()
        .chain_update(opad)
        .chain_update(inner)
        .finalize()
        .into()
}

/// CSRF tokens for forms shown to people who are not signed in (the sign-in form): a
/// signed double submit. The browser holds a random nonce in a cookie; the form carries
/// HMAC(server key, nonce). A forged post has neither the cookie nor a way to compute the MAC.
///
/// The key is random per process: after a restart an open sign-in form has to be reloaded.
#[derive(Clone)]
pub struct AnonymousCsrf {
    key: [u8; 32],
}

impl std::fmt::Debug for AnonymousCsrf {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("AnonymousCsrf(..)")
    }
}

impl Default for AnonymousCsrf {
    fn default() -> Self {
        Self::new()
    }
}

impl AnonymousCsrf {
    /// A fresh random key.
    pub fn new() -> Self {
        let mut key = [0u8; 32];
        rand::rng().fill_bytes(&mut key);
        Self { key }
    }

    /// A new nonce for the cookie.
    pub fn new_nonce(&self) -> String {
        random_hex(16)
    }

    /// The form token that goes with `nonce`.
    pub fn token(&self, nonce: &str) -> String {
        hex(&hmac_sha256(&self.key, format!("csrf:{nonce}").as_bytes()))
    }

    /// Whether a form's `token` matches the cookie's `nonce`.
    pub fn verify(&self, nonce: &str, token: &str) -> bool {
        !nonce.is_empty() && secrets_equal(&self.token(nonce), token)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_are_random_and_prefixed() {
        let token = new_api_token();
        assert!(token.starts_with("plt_") && token.len() == 4 + 64);
        assert_ne!(token, new_api_token());
        assert_eq!(random_password().len(), 24);
    }

    #[test]
    fn sha256_matches_a_known_value() {
        assert_eq!(
            sha256_hex("abc"),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
        );
    }

    #[test]
    fn hmac_matches_pythons_hmac_module() {
        // hmac.new(b"\x0b" * 32, b"Hi There", hashlib.sha256).hexdigest()
        let mac = hmac_sha256(&[0x0b; 32], b"Hi There");
        assert_eq!(
            hex(&mac),
            "198a607eb44bfbc69903a0f1cf2bbdc5ba0aa3f3d9ae3c1c7a3b1696a0b68cf7"
        );
    }

    #[test]
    fn anonymous_csrf_tokens_are_bound_to_the_nonce_and_the_key() {
        let csrf = AnonymousCsrf::new();
        let nonce = csrf.new_nonce();
        let token = csrf.token(&nonce);
        assert!(csrf.verify(&nonce, &token));
        assert!(!csrf.verify(&csrf.new_nonce(), &token));
        assert!(!csrf.verify("", &csrf.token("")));
        assert!(!AnonymousCsrf::new().verify(&nonce, &token));
        assert!(!secrets_equal("abc", "abd") && secrets_equal("abc", "abc"));
    }
}
