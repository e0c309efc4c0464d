//! SQL, one file per table. Functions that write take a connection or transaction so callers
//! compose them into one atomic unit; none of them decides business rules.

pub mod alerts;
pub mod coach_marks;
pub mod events;
pub mod holdings;
pub mod identities;
pub mod notifications;
pub mod portfolios;
pub mod sessions;
pub mod snapshots;
pub mod stats;
pub mod trades;
pub mod users;
pub mod watchlist;
