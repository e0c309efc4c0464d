//! The watchlist's tables: the symbols a user follows and their price alerts.

pub mod alerts;
pub mod items;
