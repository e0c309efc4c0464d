//! The trade ledger of the signed-in user's active portfolio: a page at a time, filtered by
//! symbol and side. (The CSV export of the whole ledger is a plain route: `server::http::ledger_csv`.)

use crate::domain::{Money, Side};
use chrono::{DateTime, Utc};
use leptos::prelude::*;
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use super::AppError;

/// Rows per page of the history.
pub const PAGE_SIZE: i64 = 20;

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

/// A page of the caller's ledger, newest first. `symbol` and `side` may be empty (no filter);
/// `side` is `buy` or `sell`; `page` is a 1-based number, out-of-range pages are clamped.
#[server(prefix = "/api", endpoint = "trade_history")]
pub async fn trade_history(page: String, symbol: String, side: String) -> Result<LedgerPage, AppError> {
    use crate::server::portfolio::ledger;
    use crate::server::repo::trades::LedgerFilter;
    use crate::server::{auth::session, error::respond};
    async move {
        let (state, _, user) = session::signed_in().await?;
        let symbol = parse_symbol_filter(&symbol)?;
        let filter = LedgerFilter { symbol: symbol.as_ref(), side: parse_side_filter(&side)? };
        let requested = page.trim().parse::<i64>().unwrap_or(1).max(1);
        ledger::page(&state.pool, user.id, &filter, requested).await
    }
    .await
    .map_err(respond)
}

/// An empty symbol filter means every symbol.
pub fn parse_symbol_filter(text: &str) -> Result<Option<crate::domain::Symbol>, AppError> {
    match text.trim() {
        "" => Ok(None),
        text => crate::domain::Symbol::parse(text).map(Some).map_err(|e| AppError::field("symbol", e)),
    }
}

/// An empty or `all` side filter means both sides.
pub fn parse_side_filter(text: &str) -> Result<Option<Side>, AppError> {
    match text.trim() {
        "" | "all" => Ok(None),
        side => super::trading::parse_side(side).map(Some),
    }
}
