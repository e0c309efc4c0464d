//! Username: the public handle a learner is shown by.

use serde::{Deserialize, Serialize};

pub const MIN_USERNAME_LEN: usize = 3;
pub const MAX_USERNAME_LEN: usize = 30;

#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct Username(String);

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum UsernameError {
    #[error("usernames are at least {MIN_USERNAME_LEN} characters")]
    TooShort,
    #[error("usernames are at most {MAX_USERNAME_LEN} characters")]
    TooLong,
    #[error("usernames use only letters a–z, digits, '_', '-' and '.'")]
    BadCharacter,
    #[error("usernames start with a letter or digit")]
    BadStart,
}

impl Username {
    /// Trims, then checks: 3–30 ASCII letters, digits, `_`, `-`, `.`, starting alphanumeric.
    /// Case is kept for display; uniqueness is case-insensitive in the database.
    pub fn parse(input: &str) -> Result<Username, UsernameError> {
        let name = input.trim();
        if !name.chars().all(|c| c.is_ascii_alphanumeric() || "_-.".contains(c)) {
            return Err(UsernameError::BadCharacter);
        }
        if name.len() < MIN_USERNAME_LEN {
            return Err(UsernameError::TooShort);
        }
        if name.len() > MAX_USERNAME_LEN {
            return Err(UsernameError::TooLong);
        }
        if !name.starts_with(|c: char| c.is_ascii_alphanumeric()) {
            return Err(UsernameError::BadStart);
        }
        Ok(Username(name.to_owned()))
    }
}

string_newtype!(Username, UsernameError);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accepts_handles() {
        assert_eq!(Username::parse(" Ada_L ").unwrap().as_str(), "Ada_L");
        assert!(Username::parse("abc").is_ok());
        assert!(Username::parse(&"a".repeat(MAX_USERNAME_LEN)).is_ok());
        assert!(Username::parse("guest-7f3a.2").is_ok());
    }

    #[test]
    fn rejects_bad_handles_with_a_reason() {
        assert_eq!(Username::parse("ab"), Err(UsernameError::TooShort));
        assert_eq!(Username::parse(""), Err(UsernameError::TooShort));
        assert_eq!(Username::parse(&"a".repeat(31)), Err(UsernameError::TooLong));
        assert_eq!(Username::parse("ada lovelace"), Err(UsernameError::BadCharacter));
        assert_eq!(Username::parse("adа"), Err(UsernameError::BadCharacter)); // Cyrillic а
        assert_eq!(Username::parse("_ada"), Err(UsernameError::BadStart));
    }
}
