//! Symbol: a ticker such as `AAPL`, `BRK.B` or `BF-B`.

use serde::{Deserialize, Serialize};

pub const MAX_SYMBOL_LEN: usize = 10;

#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct Symbol(String);

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SymbolError {
    #[error("enter a ticker symbol such as AAPL")]
    Empty,
    #[error("ticker symbols are at most {MAX_SYMBOL_LEN} characters")]
    TooLong,
    #[error("ticker symbols use only letters, digits, '.' and '-' (for example BRK.B)")]
    BadCharacter,
    #[error("ticker symbols start with a letter or digit")]
    BadStart,
}

impl Symbol {
    /// Trims and upper-cases, then checks: 1–10 of A–Z, 0–9, '.', '-', starting alphanumeric.
    pub fn parse(input: &str) -> Result<Symbol, SymbolError> {
        let symbol = input.trim().to_ascii_uppercase();
        if symbol.is_empty() {
            return Err(SymbolError::Empty);
        }
        if !symbol.chars().all(|c| c.is_ascii_uppercase() || c.is_ascii_digit() || c == '.' || c == '-') {
            return Err(SymbolError::BadCharacter);
        }
        if symbol.len() > MAX_SYMBOL_LEN {
            return Err(SymbolError::TooLong);
        }
        if !symbol.starts_with(|c: char| c.is_ascii_alphanumeric()) {
            return Err(SymbolError::BadStart);
        }
        Ok(Symbol(symbol))
    }
}

string_newtype!(Symbol, SymbolError);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn normalizes_case_and_spaces() {
        assert_eq!(Symbol::parse(" aapl ").unwrap().as_str(), "AAPL");
        assert_eq!(Symbol::parse("brk.b").unwrap().as_str(), "BRK.B");
        assert_eq!(Symbol::parse("BF-B").unwrap().as_str(), "BF-B");
        assert_eq!(Symbol::parse("0700").unwrap().as_str(), "0700");
        assert_eq!(Symbol::parse("ABCDEFGHIJ").unwrap().as_str(), "ABCDEFGHIJ");
    }

    #[test]
    fn rejects_what_is_not_a_ticker() {
        assert_eq!(Symbol::parse(""), Err(SymbolError::Empty));
        assert_eq!(Symbol::parse("ABCDEFGHIJK"), Err(SymbolError::TooLong));
        assert_eq!(Symbol::parse("AA PL"), Err(SymbolError::BadCharacter));
        assert_eq!(Symbol::parse("ÄPPL"), Err(SymbolError::BadCharacter));
        assert_eq!(Symbol::parse("AAPL;DROP"), Err(SymbolError::BadCharacter));
        assert_eq!(Symbol::parse(".A"), Err(SymbolError::BadStart));
        assert_eq!(Symbol::parse("-"), Err(SymbolError::BadStart));
    }
}
