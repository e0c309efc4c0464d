//! Markets: every listing with its price and day change; search by symbol or company, sort by
//! any column. Prices refresh every 5 seconds while the page is open.

use crate::api::market::market_overview;
use crate::ui::components::change::Change;
use crate::ui::pages::dashboard::refresh_periodically;
use crate::wire::market::MarketRow;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

#[derive(Clone, Copy, PartialEq, Eq)]
enum SortBy {
    Symbol,
    Price,
    Change,
}

fn sort(rows: &mut [MarketRow], by: SortBy, descending: bool) {
    rows.sort_by(|a, b| {
        let order = match by {
            SortBy::Symbol => a.symbol.cmp(&b.symbol),
            SortBy::Price => a.price.amount().cmp(&b.price.amount()),
            SortBy::Change => a.change_percent.cmp(&b.change_percent),
        };
        if descending {
            order.reverse()
        } else {
            order
        }
    });
}

#[component]
pub fn MarketsPage() -> impl IntoView {
    let initial = use_query_map().get_untracked().get("q").unwrap_or_default();
    let (query, set_query) = signal(initial);
    let rows = Resource::new(move || query.get(), market_overview);
    refresh_periodically(move || rows.refetch());
    let sort_state = RwSignal::new((SortBy::Symbol, false));
    let header = move |by: SortBy, label: &'static str, class: &'static str| {
        let aria_sort = move || match sort_state.get() {
            (current, false) if current == by => "ascending",
            (current, true) if current == by => "descending",
            _ => "none",
        };
        view! {
            <th scope="col" class=class aria-sort=aria_sort>
                <button type="button" class="sort-button" on:click=move |_| {
                    sort_state.update(|(current, descending)| {
                        *descending = *current == by && !*descending;
                        *current = by;
                    })
                }>{label}</button>
            </th>
        }
    };
    view! {
        <Title text="Markets" />
        <section class="container page">
            <h1>"Markets"</h1>
            <p class="muted">"Simulated prices that move every few seconds. Pick a stock to see its chart and trade it."</p>
            <form class="search-form" role="search" on:submit=|ev| ev.prevent_default()>
                <label for="market-search">"Search by symbol or company"</label>
                <input id="market-search" name="q" type="search" placeholder="e.g. AAPL or Apple" autocomplete="off"
                    prop:value=query on:input=move |ev| set_query.set(event_target_value(&ev)) />
            </form>
            <Transition fallback=|| view! { <p class="muted" role="status">"Loading prices…"</p> }>
                {move || Suspend::new(async move {
                    let Ok(mut rows) = rows.await else {
                        return view! { <p role="alert">"Prices could not be loaded. Try again in a moment."</p> }.into_any();
                    };
                    if rows.is_empty() {
                        return view! { <p class="empty-state">"No listing matches that search."</p> }.into_any();
                    }
                    let (by, descending) = sort_state.get();
                    sort(&mut rows, by, descending);
                    view! {
                        <div class="table-wrap" role="region" aria-label="Listings" tabindex="0">
                            <table class="data-table" data-testid="market-table">
                                <thead><tr>
                                    {header(SortBy::Symbol, "Symbol", "")}
                                    <th scope="col" class="hide-narrow">"Sector"</th>
                                    {header(SortBy::Price, "Price", "num")}
                                    {header(SortBy::Change, "Day change", "num")}
                                </tr></thead>
                                <tbody>
                                    {rows.into_iter().map(|row| view! {
                                        <tr>
                                            <th scope="row">
                                                <a href=format!("/stocks/{}", row.symbol)>{row.symbol.clone()}</a>
                                                <span class="cell-note">{row.name}</span>
                                            </th>
                                            <td class="hide-narrow">{row.sector}</td>
                                            <td class="num">{row.price.to_usd()}</td>
                                            <td class="num"><Change amount=row.change percent=row.change_percent /></td>
                                        </tr>
                                    }).collect_view()}
                                </tbody>
                            </table>
                        </div>
                    }.into_any()
                })}
            </Transition>
        </section>
    }
}
