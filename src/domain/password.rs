//! NewPassword: a password someone chooses. 8 or more characters, at most 128, no composition
//! rules (NIST SP 800-63B), and none of the most common passwords.

/// Passwords too common to allow, one per line, lower case.
const COMMON_PASSWORDS: &str = include_str!("common_passwords.txt");

pub const MIN_PASSWORD_CHARS: usize = 8;
pub const MAX_PASSWORD_CHARS: usize = 128;

/// A chosen password that passed the rules. Deliberately not `Debug`, `Display` or `Serialize`.
pub struct NewPassword(String);

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PasswordError {
    #[error("use at least {MIN_PASSWORD_CHARS} characters")]
    TooShort,
    #[error("use at most {MAX_PASSWORD_CHARS} characters")]
    TooLong,
    #[error("this password is one of the most common ones; choose something less guessable")]
    TooCommon,
}

impl NewPassword {
    pub fn parse(input: &str) -> Result<NewPassword, PasswordError> {
        let length = input.chars().count();
        if length < MIN_PASSWORD_CHARS {
            return Err(PasswordError::TooShort);
        }
        if length > MAX_PASSWORD_CHARS {
            return Err(PasswordError::TooLong);
        }
        let lowered = input.to_lowercase();
        if COMMON_PASSWORDS.lines().any(|common| common == lowered) {
            return Err(PasswordError::TooCommon);
        }
        Ok(NewPassword(input.to_owned()))
    }

    pub fn expose(&self) -> &str {
        &self.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accepts_long_and_unusual_passwords() {
        assert!(NewPassword::parse("correct horse battery staple").is_ok());
        assert!(NewPassword::parse("çà marche très bien").is_ok());
        assert!(NewPassword::parse(&"x".repeat(64)).is_ok());
        assert!(NewPassword::parse(&"y".repeat(MAX_PASSWORD_CHARS)).is_ok());
        assert!(NewPassword::parse("alllowercase").is_ok(), "no composition rules");
    }

    #[test]
    fn rejects_short_long_and_common_passwords() {
        assert_eq!(NewPassword::parse("short").err(), Some(PasswordError::TooShort));
        assert_eq!(NewPassword::parse("ééééééé").err(), Some(PasswordError::TooShort), "counted in characters");
        assert_eq!(NewPassword::parse(&"z".repeat(129)).err(), Some(PasswordError::TooLong));
        assert_eq!(NewPassword::parse("password1").err(), Some(PasswordError::TooCommon));
        assert_eq!(NewPassword::parse("PassWord123").err(), Some(PasswordError::TooCommon));
    }
}
