//! A portfolio's trade ledger: pages for the History page and the whole ledger as CSV.

use crate::domain::limits::LEDGER_PAGE_SIZE;
use crate::domain::Money;
use crate::server::portfolio::repo::trades::{self, LedgerFilter, TradeRow};
use crate::server::portfolio::OwnedPortfolio;
use crate::wire::history::{LedgerEntry, LedgerPage};
use crate::wire::AppError;
use sqlx::PgPool;
use std::fmt::Write;

/// Page `requested` (1-based, clamped to the last page) of the portfolio's ledger, newest first.
pub async fn page(
    pool: &PgPool,
    portfolio: OwnedPortfolio,
    filter: &LedgerFilter<'_>,
    requested: i64,
) -> Result<LedgerPage, AppError> {
    let mut conn = pool.acquire().await?;
    let portfolio_id = portfolio.id();
    let matching = trades::count(&mut conn, portfolio_id, filter).await?;
    let pages = crate::domain::number::page_count(matching, LEDGER_PAGE_SIZE);
    let page = requested.clamp(1, pages);
    let rows =
        trades::list(&mut conn, portfolio_id, filter, Some(LEDGER_PAGE_SIZE), (page - 1) * LEDGER_PAGE_SIZE).await?;
    Ok(LedgerPage { entries: rows.into_iter().map(entry).collect(), page, pages, matching })
}

/// The portfolio's whole ledger as CSV, newest first, one header line.
pub async fn csv(pool: &PgPool, portfolio: OwnedPortfolio) -> Result<String, AppError> {
    let mut conn = pool.acquire().await?;
    let portfolio_id = portfolio.id();
    let everything = LedgerFilter { symbol: None, side: None };
    let rows = trades::list(&mut conn, portfolio_id, &everything, None, 0).await?;
    let mut out = String::with_capacity(64 * (rows.len() + 1));
    out.push_str("executed_at,symbol,side,quantity,price,amount,realized_pnl,cash_after,trade_id,commission,why\r\n");
    for row in rows {
        let commission = row.commission.map(Money::from_decimal).unwrap_or(Money::ZERO);
        let row = entry(row);
        // Symbols are [A-Z0-9.-] and start with a letter or digit, and the figures are numbers,
        // so only the last field, free text, needs quoting.
        let _ = write!(
            out,
            "{},{},{},{},{},{},{},{},{},{},{}\r\n",
            row.executed_at.to_rfc3339_opts(chrono::SecondsFormat::Secs, true),
            row.symbol,
            row.side.as_str(),
            row.quantity,
            row.price.amount(),
            row.amount,
            row.realized_pnl.map(|pnl| pnl.to_string()).unwrap_or_default(),
            row.cash_after,
            row.id,
            commission,
            row.why.as_deref().map(text_field).unwrap_or_default(),
        );
    }
    Ok(out)
}

/// A free-text CSV field: quoted, with its quotes doubled, and a leading `=`, `+`, `-` or `@`
/// defused with an apostrophe so that no spreadsheet reads it as a formula.
pub fn text_field(text: &str) -> String {
    let defused = if text.starts_with(['=', '+', '-', '@']) { format!("'{text}") } else { text.to_owned() };
    format!("\"{}\"", defused.replace('"', "\"\""))
}

fn entry(row: TradeRow) -> LedgerEntry {
    LedgerEntry {
        id: row.id,
        executed_at: row.executed_at,
        side: row.side(),
        symbol: row.symbol,
        quantity: row.quantity,
        price: Money::from_decimal(row.price),
        amount: Money::from_decimal(row.amount),
        realized_pnl: row.realized_pnl.map(Money::from_decimal),
        cash_after: Money::from_decimal(row.cash_after),
        why: row.why,
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn free_text_is_quoted_and_never_a_formula() {
        assert_eq!(super::text_field("filled at $1,000.00"), "\"filled at $1,000.00\"");
        assert_eq!(super::text_field("say \"hi\""), "\"say \"\"hi\"\"\"");
        assert_eq!(super::text_field("=HYPERLINK(1)"), "\"'=HYPERLINK(1)\"");
    }
}
