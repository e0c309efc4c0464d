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

    /// A valid username made from a display name or handle a provider gave us ("Ada Lovelace" →
    /// "Ada_Lovelace"): other characters become `_`, leading punctuation goes, the length is
    /// clamped, and `fallback` stands in when nothing usable is left.
    pub fn suggest(hint: &str, fallback: &str) -> Username {
        let cleaned: String = hint
            .trim()
            .chars()
            .map(|c| if c.is_ascii_alphanumeric() || "_-.".contains(c) { c } else { '_' })
            .skip_while(|c| !c.is_ascii_alphanumeric())
            .take(MAX_USERNAME_LEN)
            .collect();
        Username::parse(&cleaned).or_else(|_| Username::parse(fallback)).unwrap_or_else(|_| Username("trader".into()))
    }

    /// This name with `-suffix` appended, shortened to fit.
    pub fn with_suffix(&self, suffix: &str) -> Username {
        let keep = MAX_USERNAME_LEN.saturating_sub(suffix.len() + 1).min(self.0.len());
        Username::parse(&format!("{}-{suffix}", &self.0[..keep])).unwrap_or_else(|_| self.clone())
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
    fn suggests_a_valid_name_from_any_hint() {
        assert_eq!(Username::suggest("Ada Lovelace", "x-user").as_str(), "Ada_Lovelace");
        assert_eq!(Username::suggest("  __octocat", "x-user").as_str(), "octocat");
        assert_eq!(Username::suggest("Zoë", "x-user").as_str(), "Zo_");
        assert_eq!(Username::suggest("李", "google-user").as_str(), "google-user");
        assert_eq!(Username::suggest(&"b".repeat(50), "x-user").as_str().len(), MAX_USERNAME_LEN);
    }

    #[test]
    fn suffixes_keep_names_within_the_limit() {
        let long = Username::parse(&"c".repeat(MAX_USERNAME_LEN)).unwrap();
        let suffixed = long.with_suffix("a1b2");
        assert_eq!(suffixed.as_str().len(), MAX_USERNAME_LEN);
        assert!(suffixed.as_str().ends_with("-a1b2"));
        assert_eq!(Username::parse("ada").unwrap().with_suffix("7").as_str(), "ada-7");
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
