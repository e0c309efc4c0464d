//! The signed-in home: what the portfolio is worth, how it moved over time, how it is allocated,
//! and what it holds — refreshed on each trade and price update of the live stream, and every 5
//! seconds while the stream is down.

use crate::api::portfolio::{my_portfolio, value_history};
use crate::domain::quote::PricePoint;
use crate::domain::valuation::PortfolioValue;
use crate::ui::components::change::{Change, PercentChange};
use crate::ui::components::data_table::{Column, DataTable};
use crate::ui::components::donut::Donut;
use crate::ui::components::line_chart::LineChart;
use crate::ui::components::live::{poll_while_offline, use_live_events};
use crate::ui::components::open_orders::OpenOrders;
use crate::ui::components::viewer::use_signed_in;
use crate::wire::auth::Viewer;
use crate::wire::AppError;
use leptos::prelude::*;
use leptos_meta::Title;
use std::time::Duration;

/// How often open pages refresh prices.
pub const REFRESH_EVERY: Duration = Duration::from_secs(5);

#[component]
pub fn DashboardPage() -> impl IntoView {
    let viewer = use_signed_in();
    let live = use_live_events();
    let overview = Resource::new(|| (), |()| my_portfolio(None));
    // The recorded history changes with a trade (a close shows on the next visit); prices alone
    // move only the figures.
    let history = Resource::new(move || live.trades_version(), |_| value_history(None));
    Effect::watch(move || (live.trades_version(), live.prices_version()), move |_, _, _| overview.refetch(), false);
    poll_while_offline(live, move || {
        overview.refetch();
        history.refetch();
    });
    view! {
        <Title text="Dashboard" />
        <Dashboard viewer overview history />
    }
}

/// Calls `refetch` every [`REFRESH_EVERY`] while the component is mounted (browser only).
pub fn refresh_periodically(refetch: impl Fn() + Clone + 'static) {
    Effect::new(move |_| {
        if let Ok(handle) = set_interval_with_handle(refetch.clone(), REFRESH_EVERY) {
            on_cleanup(move || handle.clear());
        }
    });
}

#[component]
fn Dashboard(
    viewer: Viewer,
    overview: Resource<Result<PortfolioValue, AppError>>,
    history: Resource<Result<Vec<PricePoint>, AppError>>,
) -> impl IntoView {
    view! {
        <section class="container page">
            <h1>"Hello, " {viewer.username.clone()}</h1>
            {viewer.is_guest().then(|| view! {
                <p class="notice" role="note">
                    "You are trying Papertrade as a guest. Guest accounts are deleted after a while — "
                    <a href="/account">"create an account"</a>
                    " to keep this portfolio."
                </p>
            })}
            <Transition fallback=|| view! { <p class="muted" role="status">"Loading your portfolio…"</p> }>
                {move || Suspend::new(async move {
                    match overview.await {
                        Ok(overview) => view! { <Overview overview /> }.into_any(),
                        Err(_) => view! { <p role="alert">"Your portfolio could not be loaded. Reload to try again."</p> }.into_any(),
                    }
                })}
            </Transition>
            <OpenOrders placed=Signal::stored(0usize) buying_power=true />
            <p><a href="/orders">"All orders and their history →"</a></p>
            <h2 class="section-title">"Value over time"</h2>
            <Transition fallback=|| view! { <p class="muted" role="status">"Loading the value history…"</p> }>
                {move || Suspend::new(async move {
                    match (history.await, overview.await) {
                        (Ok(mut points), Ok(now)) => {
                            points.push(PricePoint { at: now.valued_at, price: now.total_value });
                            view! { <LineChart points label="Portfolio value" /> }.into_any()
                        }
                        _ => view! { <p role="alert">"The value history could not be loaded."</p> }.into_any(),
                    }
                })}
            </Transition>
            <Transition>
                {move || Suspend::new(async move { overview.await.ok().map(|overview| view! { <Breakdown overview /> }) })}
            </Transition>
        </section>
    }
}

#[component]
fn Overview(overview: PortfolioValue) -> impl IntoView {
    view! {
        <dl class="figure-list" data-testid="portfolio-summary">
            <div><dt>"Total value"</dt><dd class="figure-main">{overview.total_value.to_usd()}</dd></div>
            <div><dt>"Cash"</dt><dd>{overview.cash.to_usd()}</dd></div>
            <div><dt>"Invested"</dt><dd>{overview.invested.to_usd()}</dd></div>
            <div><dt>"Today"</dt><dd><Change amount=overview.day_change percent=overview.day_change_percent /></dd></div>
            <div><dt>"Total return"</dt><dd><Change amount=overview.total_return percent=overview.total_return_percent /></dd></div>
        </dl>
    }
}

/// How the portfolio is allocated, and the holdings table.
#[component]
fn Breakdown(overview: PortfolioValue) -> impl IntoView {
    view! {
        {(!overview.holdings.is_empty()).then(|| view! {
            <h2 class="section-title">"Allocation"</h2>
            <div class="allocation">
                <Donut slices=overview.allocation_by_holding() title="By holding" />
                <Donut slices=overview.allocation_by_sector() title="By sector" />
            </div>
        })}
        <h2 class="section-title">"Holdings"</h2>
        <Holdings overview />
    }
}

const HOLDING_COLUMNS: [Column; 7] = [
    ("Symbol", ""),
    ("Shares", "num"),
    ("Avg cost", "num"),
    ("Price", "num"),
    ("Value", "num"),
    ("Unrealized P&L", "num"),
    ("Weight", "num"),
];

#[component]
fn Holdings(overview: PortfolioValue) -> impl IntoView {
    if overview.holdings.is_empty() {
        return view! {
            <p class="empty-state">
                "No holdings yet. Your cash is waiting for your first trade — "
                <a href="/markets">"find a stock on the Markets page"</a>"."
            </p>
        }
        .into_any();
    }
    view! {
        <DataTable label="Holdings" testid="holdings" columns=&HOLDING_COLUMNS>
                    {overview.holdings.into_iter().map(|line| view! {
                        <tr>
                            <th scope="row">
                                <a href=format!("/stocks/{}", line.symbol)>{line.symbol.clone()}</a>
                                <span class="cell-note">{line.name}</span>
                            </th>
                            <td class="num">{line.shares}</td>
                            <td class="num">{line.average_cost.to_usd()}</td>
                            <td class="num">{line.last_price.to_usd()}</td>
                            <td class="num">{line.market_value.to_usd()}</td>
                            <td class="num"><Change amount=line.unrealized_pnl /><br /><PercentChange percent=line.unrealized_percent /></td>
                            <td class="num">{format!("{}%", line.weight)}</td>
                        </tr>
                    }).collect_view()}
        </DataTable>
    }
    .into_any()
}
