//! Everything that does IO, one folder per feature — accounts, trading, orders, games,
//! portfolio, market, coach, watchlist, notifications, live — with the platform they run on (configuration,
//! database, HTTP, telemetry, metrics, background jobs) in `platform` and the operator's
//! commands (migrate, backup, restore, seed) in `tools`. Compiled only with the `ssr` feature,
//! so none of it reaches the browser bundle; it never imports `crate::api` (docs/ARCHITECTURE.md).

pub mod accounts;
pub mod coach;
pub mod games;
pub mod live;
pub mod market;
pub mod notifications;
pub mod orders;
pub mod platform;
pub mod portfolio;
pub mod tools;
pub mod trading;
pub mod watchlist;
