//! A private game's join code: short, readable aloud and off a projector, case-insensitive.
//! Six characters from an alphabet without look-alikes (no 0/O, 1/I/L), so "k7m-2qx" and
//! "K7M2QX" are the same code, and a typo is an error rather than another game.

use serde::{Deserialize, Serialize};

/// The characters a code is made of: digits and capitals that cannot be mistaken for another.
pub const JOIN_CODE_ALPHABET: &[u8; 31] = b"23456789ABCDEFGHJKMNPQRSTUVWXYZ";

/// Characters in a code: 31^6 ≈ 887 million codes.
pub const JOIN_CODE_LENGTH: usize = 6;

#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct JoinCode(String);

#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum JoinCodeError {
    #[error("enter the game's code")]
    Empty,
    #[error("a game code has {JOIN_CODE_LENGTH} letters and digits, like K7M-2QX")]
    WrongLength,
    #[error("“{0}” is not in game codes, which use no 0, 1, I, L or O; check the code")]
    NotInAlphabet(char),
}

impl JoinCode {
    /// The code from `random` bytes (one per character, from a secure source): each byte picks a
    /// character; bytes at or above the largest multiple of 31 are skipped, so every character
    /// is equally likely. `None` when the bytes run out first.
    pub fn from_random(random: &[u8]) -> Option<JoinCode> {
        let fair = 256 - 256 % JOIN_CODE_ALPHABET.len();
        let code: String = random
            .iter()
            .filter(|byte| usize::from(**byte) < fair)
            .take(JOIN_CODE_LENGTH)
            .map(|byte| char::from(JOIN_CODE_ALPHABET[usize::from(*byte) % JOIN_CODE_ALPHABET.len()]))
            .collect();
        (code.len() == JOIN_CODE_LENGTH).then_some(JoinCode(code))
    }

    /// Reads a code as a person typed it: any case, spaces and dashes anywhere.
    pub fn parse(input: &str) -> Result<JoinCode, JoinCodeError> {
        let code: String =
            input.chars().filter(|c| !c.is_whitespace() && *c != '-').map(|c| c.to_ascii_uppercase()).collect();
        if code.is_empty() {
            return Err(JoinCodeError::Empty);
        }
        if let Some(stray) = code.chars().find(|c| !c.is_ascii() || !JOIN_CODE_ALPHABET.contains(&(*c as u8))) {
            return Err(JoinCodeError::NotInAlphabet(stray));
        }
        if code.chars().count() != JOIN_CODE_LENGTH {
            return Err(JoinCodeError::WrongLength);
        }
        Ok(JoinCode(code))
    }

    /// As shown to people: "K7M-2QX".
    pub fn display(&self) -> String {
        format!("{}-{}", &self.0[..3], &self.0[3..])
    }
}

string_newtype!(JoinCode, JoinCodeError);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_code_reads_the_same_in_any_case_with_dashes_and_spaces() {
        let code = JoinCode::parse(" k7m-2qx ").unwrap();
        assert_eq!((code.as_str(), code.display().as_str()), ("K7M2QX", "K7M-2QX"));
        assert_eq!(JoinCode::parse("K7M 2QX"), Ok(code));
    }

    #[test]
    fn look_alikes_and_wrong_lengths_are_errors_not_other_games() {
        assert_eq!(JoinCode::parse("K7M2Q0"), Err(JoinCodeError::NotInAlphabet('0')));
        assert_eq!(JoinCode::parse("k7m2qi"), Err(JoinCodeError::NotInAlphabet('I')));
        assert_eq!(JoinCode::parse("K7M2Q"), Err(JoinCodeError::WrongLength));
        assert_eq!(JoinCode::parse("K7M2QXX"), Err(JoinCodeError::WrongLength));
        assert_eq!(JoinCode::parse(" - "), Err(JoinCodeError::Empty));
        assert_eq!(JoinCode::parse("K7M2QÉ"), Err(JoinCodeError::NotInAlphabet('É')));
    }

    #[test]
    fn random_bytes_pick_every_character_fairly_and_skip_the_biased_tail() {
        // 248 = 8 × 31 is the first byte past the fair range: skipped.
        let code = JoinCode::from_random(&[0, 248, 30, 31, 62, 247, 5]).unwrap();
        assert_eq!(code.as_str(), "2Z22Z7");
        assert_eq!(JoinCode::from_random(&[1, 2, 3]), None);
        assert_eq!(JoinCode::from_random(&[255; 64]), None);
        for byte in 0..=247u8 {
            let code = JoinCode::from_random(&[byte; 6]).unwrap();
            assert!(JoinCode::parse(code.as_str()).is_ok());
        }
    }
}
