//! A watchlist entry and a price alert, as the Watchlist page shows them.

use crate::domain::alert::AlertDirection;
use crate::domain::quote::Quote;
use crate::domain::Money;
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct AlertView {
    pub id: Uuid,
    pub symbol: String,
    pub direction: AlertDirection,
    pub threshold: Money,
    pub created_at: DateTime<Utc>,
    /// When the price crossed the threshold, and the price then; `None` while waiting.
    pub triggered_at: Option<DateTime<Utc>>,
    pub triggered_price: Option<Money>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct WatchlistEntry {
    pub symbol: String,
    pub name: String,
    /// `None` while the quote provider has no price for it.
    pub quote: Option<Quote>,
    /// Waiting alerts first, then fired ones, newest first within each.
    pub alerts: Vec<AlertView>,
}
