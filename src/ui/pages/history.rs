//! History: the trade ledger of the active portfolio, newest first, a page at a time, filtered
//! by symbol and side through the address (so filters work without JavaScript and can be
//! bookmarked), with a CSV download of the whole ledger.

use crate::api::history::trade_history;
use crate::domain::Side;
use crate::ui::components::change::Change;
use crate::ui::components::data_table::{Column, DataTable};
use crate::ui::components::live::use_live_events;
use crate::wire::history::{LedgerEntry, LedgerPage};
use crate::wire::AppError;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

#[component]
pub fn HistoryPage() -> impl IntoView {
    let query = use_query_map();
    let ledger_query = Memo::new(move |_| {
        query.with(|q| LedgerQuery {
            symbol: symbol_filter(&q.get("symbol").unwrap_or_default()),
            side: q.get("side").filter(|side| side == "buy" || side == "sell").unwrap_or_default(),
            page: q.get("page").unwrap_or_default(),
        })
    });
    // A trade from another tab (or device) arrives on the live stream and reloads the page.
    let live = use_live_events();
    let ledger = Resource::new(
        move || (ledger_query.get(), live.trades_version()),
        |(q, _)| trade_history(q.page, q.symbol, q.side, None),
    );
    view! {
        <Title text="History" />
        <Ledger ledger_query ledger />
    }
}

/// The filters and page in the address: `?symbol=AAPL&side=buy&page=2`.
#[derive(Clone, Default, PartialEq)]
struct LedgerQuery {
    symbol: String,
    side: String,
    page: String,
}

impl LedgerQuery {
    /// The address of page `page` with the same filters.
    fn href_for(&self, page: i64) -> String {
        let mut href = format!("/history?page={page}");
        if !self.symbol.is_empty() {
            href.push_str(&format!("&symbol={}", self.symbol));
        }
        if !self.side.is_empty() {
            href.push_str(&format!("&side={}", self.side));
        }
        href
    }

    fn is_filtered(&self) -> bool {
        !self.symbol.is_empty() || !self.side.is_empty()
    }
}

/// The symbol filter as typed, upper-cased and kept to the characters a symbol may have, so it
/// can go back into links as it is (the server still parses it properly).
fn symbol_filter(text: &str) -> String {
    text.trim()
        .to_uppercase()
        .chars()
        .filter(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '-'))
        .take(10)
        .collect()
}

#[component]
fn Ledger(ledger_query: Memo<LedgerQuery>, ledger: Resource<Result<LedgerPage, AppError>>) -> impl IntoView {
    view! {
        <section class="container page">
            <div class="page-heading">
                <h1>"History"</h1>
                <a class="button secondary" href="/history.csv" rel="external" download>"Download CSV"</a>
            </div>
            <p class="muted">"Every trade in your current portfolio, newest first. The CSV holds all of them."</p>
            // Re-rendered when the address changes, so "Clear" and the pager keep the form in step.
            {move || view! { <Filters current=ledger_query.get() /> }}
            <Transition fallback=|| view! { <p class="muted" role="status">"Loading your trades…"</p> }>
                {move || Suspend::new(async move {
                    let query = ledger_query.get_untracked();
                    match ledger.await {
                        Ok(page) => view! { <LedgerTable page query /> }.into_any(),
                        Err(error) => view! {
                            <p role="alert">{format!("Your trades could not be loaded: {error}.")}</p>
                        }.into_any(),
                    }
                })}
            </Transition>
        </section>
    }
}

#[component]
fn Filters(current: LedgerQuery) -> impl IntoView {
    let side = current.side.clone();
    let side_option = move |value: &'static str, label: &'static str| {
        view! { <option value=value selected=side == value>{label}</option> }
    };
    view! {
        <form class="filter-form" method="get" action="/history" role="search" aria-label="Filter trades">
            <div class="field">
                <label for="filter-symbol">"Symbol"</label>
                <input id="filter-symbol" name="symbol" type="search" value=current.symbol.clone()
                    placeholder="All" autocomplete="off" maxlength="10" />
            </div>
            <div class="field">
                <label for="filter-side">"Side"</label>
                <select id="filter-side" name="side">
                    {side_option("", "Buys and sells")}
                    {side_option("buy", "Buys")}
                    {side_option("sell", "Sells")}
                </select>
            </div>
            <button class="button primary" type="submit">"Filter"</button>
            {current.is_filtered().then(|| view! { <a class="button secondary" href="/history">"Clear"</a> })}
        </form>
    }
}

const LEDGER_COLUMNS: [Column; 8] = [
    ("Date (UTC)", ""),
    ("Symbol", ""),
    ("Side", ""),
    ("Shares", "num"),
    ("Price", "num"),
    ("Amount", "num"),
    ("Realized P&L", "num"),
    ("Cash after", "num hide-narrow"),
];

#[component]
fn LedgerTable(page: LedgerPage, query: LedgerQuery) -> impl IntoView {
    if page.entries.is_empty() {
        let message = if query.is_filtered() {
            view! { "No trades match these filters. " <a href="/history">"Show all trades"</a> "." }.into_any()
        } else {
            view! { "No trades yet. " <a href="/markets">"Find a stock to buy"</a> " and it will appear here." }
                .into_any()
        };
        return view! { <p class="empty-state">{message}</p> }.into_any();
    }
    let summary = format!(
        "{} trade{} · page {} of {}",
        page.matching,
        if page.matching == 1 { "" } else { "s" },
        page.page,
        page.pages
    );
    view! {
        <p class="muted" role="status" data-testid="ledger-summary">{summary}</p>
        <DataTable label="Trades" testid="ledger" columns=&LEDGER_COLUMNS>
            {page.entries.into_iter().map(|entry| view! { <LedgerRow entry /> }).collect_view()}
        </DataTable>
        <Pager page=page.page pages=page.pages query />
    }
    .into_any()
}

#[component]
fn LedgerRow(entry: LedgerEntry) -> impl IntoView {
    let (side_class, side_label) = match entry.side {
        Side::Buy => ("side-badge buy", "Buy"),
        Side::Sell => ("side-badge sell", "Sell"),
    };
    view! {
        <tr>
            <td>
                <time class="ledger-time" datetime=entry.executed_at.to_rfc3339()>
                    <span>{entry.executed_at.format("%b %-d, %Y").to_string()}</span>
                    " "
                    <span class="cell-note">{entry.executed_at.format("%H:%M").to_string()}</span>
                </time>
            </td>
            <th scope="row"><a href=format!("/stocks/{}", entry.symbol)>{entry.symbol.clone()}</a></th>
            <td><span class=side_class>{side_label}</span></td>
            <td class="num">{entry.quantity}</td>
            <td class="num">{entry.price.to_usd()}</td>
            <td class="num">{entry.amount.to_usd()}</td>
            <td class="num">{match entry.realized_pnl {
                Some(pnl) => view! { <Change amount=pnl /> }.into_any(),
                None => view! { <span aria-hidden="true">"—"</span><span class="sr-only">"none"</span> }.into_any(),
            }}</td>
            <td class="num hide-narrow">{entry.cash_after.to_usd()}</td>
        </tr>
        {entry.why.map(|why| view! {
            <tr class="ledger-why"><td colspan=LEDGER_COLUMNS.len().to_string()><span aria-hidden="true">"↳ "</span>{why}</td></tr>
        })}
    }
}

#[component]
fn Pager(page: i64, pages: i64, query: LedgerQuery) -> impl IntoView {
    (pages > 1).then(|| {
        view! {
            <nav class="pager" aria-label="Pages of trades">
                {(page > 1).then(|| view! { <a class="button secondary small" href=query.href_for(page - 1) rel="prev">"← Newer"</a> })}
                <span>{format!("Page {page} of {pages}")}</span>
                {(page < pages).then(|| view! { <a class="button secondary small" href=query.href_for(page + 1) rel="next">"Older →"</a> })}
            </nav>
        }
    })
}
