//! The tables of money: portfolios, their holdings, the trade ledger and the value snapshots,
//! and the platform-wide figures computed from them. Functions that write take a connection or
//! transaction, so callers compose them into one atomic unit; none of them decides a rule. A fill's
//! writes are one statement of their own ([`fills`]).

pub mod fills;
pub mod holdings;
pub mod portfolios;
pub mod snapshots;
pub mod stats;
pub mod trades;
