//! One stock: its quote with freshness, day range, price chart with a range selector, the
//! learner's position, an order form that previews the order before it is confirmed, and the
//! learner's open orders in this stock.

use crate::api::market::{price_history, stock_detail};
use crate::api::orders::SubmitOrder;
use crate::api::watchlist::{my_watchlist, AddToWatchlist};
use crate::domain::quote::ChartRange;
use crate::ui::components::change::Change;
use crate::ui::components::form::{last_error, FormError};
use crate::ui::components::line_chart::LineChart;
use crate::ui::components::open_orders::OpenOrders;
use crate::ui::components::order_ticket::{OrderTicket, Typed};
use crate::ui::pages::dashboard::refresh_periodically;
use crate::wire::market::StockView;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_params_map;

#[component]
pub fn StockPage() -> impl IntoView {
    // Read once here: the closure also runs in the title's effect, outside this route.
    let params = use_params_map();
    let symbol = move || params.get().get("symbol").unwrap_or_default().to_uppercase();
    let detail = Resource::new(symbol, |symbol| stock_detail(symbol, None));
    // Owned here, not by the form, so the receipt survives the reload each order triggers.
    let place = ServerAction::<SubmitOrder>::new();
    let typed = Typed::default();
    Effect::watch(move || place.version().get(), move |_, _, _| detail.refetch(), false);
    view! {
        <Title text=symbol />
        <section class="container page">
            <Suspense fallback=|| view! { <p class="muted" role="status">"Loading quote…"</p> }>
                {move || Suspend::new(async move {
                    match detail.await {
                        Ok(view) => view! { <Stock view place typed /> }.into_any(),
                        Err(error) => view! {
                            <h1>"Stock not found"</h1>
                            <p role="alert">{crate::wire::error::sentence_case(&error.to_string())} ". "
                                <a href="/markets">"Search the Markets page"</a>"."</p>
                        }.into_any(),
                    }
                })}
            </Suspense>
        </section>
    }
}

#[component]
fn Stock(view: StockView, place: ServerAction<SubmitOrder>, typed: Typed) -> impl IntoView {
    let row = view.row.clone();
    view! {
        <p class="eyebrow">{row.sector.clone()} {view.is_etf.then_some(" · ETF")}</p>
        <div class="page-heading stock-heading">
            <h1>{row.name.clone()} " " <span class="muted">"(" {row.symbol.clone()} ")"</span></h1>
            {view.position.is_some().then(|| view! { <WatchButton symbol=row.symbol.clone() /> })}
        </div>
        <LiveQuote symbol=row.symbol.clone() initial=view.clone() />
        <div class="stock-grid">
            <PriceChart symbol=row.symbol.clone() />
            <OrderPanel view place typed />
        </div>
    }
}

/// The price line, refreshed every 5 seconds on its own so the order form keeps what was typed.
#[component]
fn LiveQuote(symbol: String, initial: StockView) -> impl IntoView {
    let latest = Resource::new(move || symbol.clone(), |symbol| stock_detail(symbol, None));
    refresh_periodically(move || latest.refetch());
    let line = move |view: StockView| {
        let row = view.row;
        view! {
            <div class="quote-line">
                <span class="quote-price" data-testid="quote-price">{row.price.to_usd()}</span>
                <Change amount=row.change percent=row.change_percent />
                <span class="muted">"today"</span>
            </div>
            <p class="muted quote-meta">
                <span data-testid="quote-freshness">{freshness(&row.as_of, view.quote_delayed, view.market_open)}</span>
                " · day range "
                {view.day_low.to_usd()} " – " {view.day_high.to_usd()}
                {(!view.market_open).then_some(" · market closed")}
            </p>
        }
    };
    view! {
        <Transition fallback=move || line(initial.clone())>
            {move || Suspend::new(async move { latest.await.ok().map(line) })}
        </Transition>
    }
}

/// "Watch" for a signed-in learner, or "On your watchlist" once the symbol is on it.
#[component]
fn WatchButton(symbol: String) -> impl IntoView {
    let add = ServerAction::<AddToWatchlist>::new();
    let watchlist = Resource::new(move || add.version().get(), |_| my_watchlist());
    let error = last_error(add);
    view! {
        <div class="watch-button">
            <Transition>
                {move || {
                    let symbol = symbol.clone();
                    Suspend::new(async move {
                        let watched = watchlist.await.is_ok_and(|entries| entries.iter().any(|e| e.symbol == symbol));
                        if watched {
                            view! { <a class="button secondary small" href="/watchlist"><span aria-hidden="true">"✓ "</span>"On your watchlist"</a> }.into_any()
                        } else {
                            view! {
                                <ActionForm action=add>
                                    <input type="hidden" name="symbol" value=symbol.clone() />
                                    <button class="button secondary small" type="submit" disabled=move || add.pending().get()>
                                        <span aria-hidden="true">"☆ "</span>"Watch"<span class="sr-only">" " {symbol.clone()}</span>
                                    </button>
                                </ActionForm>
                            }
                            .into_any()
                        }
                    })
                }}
            </Transition>
            <FormError error />
        </div>
    }
}

/// How old the price is: a clock time while fresh; the date too once it is over a minute old,
/// flagged "Delayed" while the market is open (a provider outage).
fn freshness(as_of: &chrono::DateTime<chrono::Utc>, delayed: bool, market_open: bool) -> String {
    match (delayed, market_open) {
        (false, _) => format!("As of {} · refreshes every 5 s", as_of.format("%H:%M:%S UTC")),
        (true, true) => format!("Delayed · last price as of {}", as_of.format("%b %-d, %H:%M UTC")),
        (true, false) => format!("Last price as of {}", as_of.format("%b %-d, %H:%M UTC")),
    }
}

#[component]
fn PriceChart(symbol: String) -> impl IntoView {
    let range = RwSignal::new(ChartRange::Day);
    let history = Resource::new(move || (symbol.clone(), range.get()), |(symbol, range)| price_history(symbol, range));
    view! {
        <div class="card chart-card">
            <div class="range-picker" role="group" aria-label="Chart range">
                {ChartRange::ALL.into_iter().map(|choice| view! {
                    <button type="button" class="button small secondary" aria-pressed=move || (range.get() == choice).to_string()
                        on:click=move |_| range.set(choice)>{choice.label()}</button>
                }).collect_view()}
            </div>
            <Transition fallback=|| view! { <p class="muted" role="status">"Loading chart…"</p> }>
                {move || Suspend::new(async move {
                    match history.await {
                        Ok(points) => view! { <LineChart points label=format!("Price over {}", range.get_untracked().label()) /> }.into_any(),
                        Err(_) => view! { <p role="alert">"The chart could not be loaded."</p> }.into_any(),
                    }
                })}
            </Transition>
        </div>
    }
}

#[component]
fn OrderPanel(view: StockView, place: ServerAction<SubmitOrder>, typed: Typed) -> impl IntoView {
    let Some(position) = view.position.clone() else {
        return view! {
            <div class="card order-card">
                <h2>"Trade " {view.row.symbol.clone()}</h2>
                <p><a href=format!("/login?next=/stocks/{}", view.row.symbol)>"Log in"</a> " or try it as a guest to buy and sell."</p>
            </div>
        }
        .into_any();
    };
    let symbol = view.row.symbol.clone();
    view! {
        <div class="order-column">
            <OrderTicket view position place typed />
            <OpenOrders symbol placed=place.version() />
        </div>
    }
    .into_any()
}
