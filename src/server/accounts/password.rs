//! Password hashing with argon2id at OWASP's minimum parameters (19 MiB, 2 passes, 1 lane).
//!
//! Hashing is deliberately slow and memory-hungry, so it runs on the blocking pool behind a
//! semaphore: a burst of logins queues instead of exhausting memory or starving the runtime.

use argon2::password_hash::rand_core::OsRng;
use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use argon2::{Algorithm, Argon2, Params, Version};
use std::sync::Arc;
use tokio::sync::Semaphore;

const MEMORY_KIB: u32 = 19_456;
const PASSES: u32 = 2;
const LANES: u32 = 1;

#[derive(Clone)]
pub struct Passwords {
    permits: Arc<Semaphore>,
}

impl Passwords {
    /// `concurrency` hashes may run at once; more wait their turn.
    pub fn new(concurrency: usize) -> Passwords {
        Passwords { permits: Arc::new(Semaphore::new(concurrency.max(1))) }
    }

    pub async fn hash(&self, password: &str) -> anyhow::Result<String> {
        let password = password.to_owned();
        self.blocking(move || {
            let salt = SaltString::generate(&mut OsRng);
            Ok(hasher()?.hash_password(password.as_bytes(), &salt).map_err(hash_error)?.to_string())
        })
        .await
    }

    /// True when `password` matches `stored`; an unparseable stored hash is an error.
    pub async fn verify(&self, password: &str, stored: &str) -> anyhow::Result<bool> {
        let (password, stored) = (password.to_owned(), stored.to_owned());
        self.blocking(move || {
            let parsed = PasswordHash::new(&stored).map_err(hash_error)?;
            Ok(hasher()?.verify_password(password.as_bytes(), &parsed).is_ok())
        })
        .await
    }

    /// True when `stored` was made with another algorithm or weaker parameters than today's,
    /// so the next successful login should replace it.
    pub fn needs_rehash(stored: &str) -> bool {
        let Ok(parsed) = PasswordHash::new(stored) else { return true };
        let param = |name: &str| parsed.params.get_decimal(name).unwrap_or(0);
        parsed.algorithm.as_str() != "argon2id" || param("m") < MEMORY_KIB || param("t") < PASSES || param("p") < LANES
    }

    async fn blocking<T: Send + 'static>(
        &self,
        work: impl FnOnce() -> anyhow::Result<T> + Send + 'static,
    ) -> anyhow::Result<T> {
        let _permit = self.permits.acquire().await?;
        tokio::task::spawn_blocking(work).await?
    }
}

fn hasher() -> anyhow::Result<Argon2<'static>> {
    let params = Params::new(MEMORY_KIB, PASSES, LANES, None).map_err(|e| anyhow::anyhow!("argon2 parameters: {e}"))?;
    Ok(Argon2::new(Algorithm::Argon2id, Version::V0x13, params))
}

/// `password_hash::Error` is not `std::error::Error`; keep its text.
fn hash_error(error: argon2::password_hash::Error) -> anyhow::Error {
    anyhow::anyhow!("password hashing: {error}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn a_hash_verifies_only_its_own_password() {
        let passwords = Passwords::new(2);
        let hash = passwords.hash("correct horse battery staple").await.unwrap();
        assert!(hash.starts_with("$argon2id$v=19$m=19456,t=2,p=1$"), "{hash}");
        assert!(passwords.verify("correct horse battery staple", &hash).await.unwrap());
        assert!(!passwords.verify("Correct horse battery staple", &hash).await.unwrap());
    }

    #[tokio::test]
    async fn the_same_password_gets_a_fresh_salt_each_time() {
        let passwords = Passwords::new(1);
        let first = passwords.hash("hunter22").await.unwrap();
        let second = passwords.hash("hunter22").await.unwrap();
        assert_ne!(first, second);
    }

    #[tokio::test]
    async fn weaker_hashes_are_marked_for_rehashing() {
        let current = Passwords::new(1).hash("hunter22").await.unwrap();
        assert!(!Passwords::needs_rehash(&current));
        let weak = Argon2::new(Algorithm::Argon2id, Version::V0x13, Params::new(4096, 1, 1, None).unwrap())
            .hash_password(b"hunter22", &SaltString::generate(&mut OsRng))
            .unwrap()
            .to_string();
        assert!(Passwords::needs_rehash(&weak));
        assert!(Passwords::needs_rehash("$2b$12$bcryptbcryptbcryptbcryptbcryptbcryptbcryptbcrypt"));
    }

    #[tokio::test]
    async fn a_corrupt_stored_hash_is_an_error_not_a_match() {
        assert!(Passwords::new(1).verify("anything", "not-a-hash").await.is_err());
    }
}
