//! What the domain's unit tests build their examples from: amounts, shares and a symbol, parsed
//! (a typo in a test is a panic at the line that made it).

use super::{Money, Shares, Symbol};

pub fn money(text: &str) -> Money {
    Money::parse(text).unwrap()
}

pub fn shares(n: i64) -> Shares {
    Shares::new(n).unwrap()
}

pub fn aapl() -> Symbol {
    Symbol::parse("AAPL").unwrap()
}
