//! A page of the trade ledger, as the History page shows it.

use crate::domain::{Money, Side};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

/// One execution, as the ledger shows it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct LedgerEntry {
    pub id: Uuid,
    pub executed_at: DateTime<Utc>,
    pub symbol: String,
    pub side: Side,
    pub quantity: i64,
    pub price: Money,
    pub amount: Money,
    pub realized_pnl: Option<Money>,
    pub cash_after: Money,
    /// Why an open order filled at this price ("Your limit buy of 5 AAPL at $95.00 filled…").
    pub why: Option<String>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct LedgerPage {
    pub entries: Vec<LedgerEntry>,
    /// 1-based, clamped to the pages there are.
    pub page: i64,
    pub pages: i64,
    /// Rows matching the filter, over all pages.
    pub matching: i64,
}
