//! The tables of money: portfolios, their holdings, the trade ledger and the value snapshots,
//! and the platform-wide figures computed from them. Functions that write take a connection or
//! transaction, so callers compose them into one atomic unit; none of them decides a rule.

pub mod holdings;
pub mod portfolios;
pub mod snapshots;
pub mod stats;
pub mod trades;
