//! The trade ledger of one of the signed-in user's portfolios: a page at a time, filtered by
//! symbol and side. (The CSV export of the whole ledger is a plain route: `server::http::ledger_csv`.)

use crate::domain::Side;
use crate::wire::history::LedgerPage;
use crate::wire::AppError;
use leptos::prelude::*;

/// A page of the caller's ledger (of `portfolio`: the one they selected when absent), newest first. `symbol` and `side` may be empty (no filter);
/// `side` is `buy` or `sell`; `page` is a 1-based number, out-of-range pages are clamped.
#[server(prefix = "/api", endpoint = "trade_history")]
pub async fn trade_history(
    page: String,
    symbol: String,
    side: String,
    portfolio: Option<String>,
) -> Result<LedgerPage, AppError> {
    use crate::server::platform::http::endpoint::signed_in;
    use crate::server::portfolio::ledger;
    use crate::server::portfolio::repo::trades::LedgerFilter;
    signed_in(|caller| async move {
        let symbol = parse_symbol_filter(&symbol)?;
        let filter = LedgerFilter { symbol: symbol.as_ref(), side: parse_side_filter(&side)? };
        let requested = page.trim().parse::<i64>().unwrap_or(1).max(1);
        let owned = caller.portfolio(portfolio).await?;
        ledger::page(&caller.state.pool, owned, &filter, requested).await
    })
    .await
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
