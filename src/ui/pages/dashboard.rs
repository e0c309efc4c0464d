//! The signed-in home: cash and what the portfolio holds.

use crate::api::auth::Viewer;
use crate::api::portfolio::{my_portfolio, PortfolioOverview};
use crate::ui::components::viewer::RequireUser;
use leptos::prelude::*;
use leptos_meta::Title;
use std::sync::Arc;

#[component]
pub fn DashboardPage() -> impl IntoView {
    view! {
        <Title text="Dashboard" />
        <RequireUser children=Arc::new(|viewer| view! { <Dashboard viewer /> }.into_any()) />
    }
}

#[component]
fn Dashboard(viewer: Viewer) -> impl IntoView {
    let overview = Resource::new(|| (), |()| my_portfolio());
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
            <Suspense fallback=|| view! { <p class="muted" role="status">"Loading your portfolio…"</p> }>
                {move || Suspend::new(async move {
                    match overview.await {
                        Ok(overview) => view! { <Overview overview /> }.into_any(),
                        Err(_) => view! { <p role="alert">"Your portfolio could not be loaded. Reload to try again."</p> }.into_any(),
                    }
                })}
            </Suspense>
        </section>
    }
}

#[component]
fn Overview(overview: PortfolioOverview) -> impl IntoView {
    let empty = overview.holdings.is_empty();
    view! {
        <dl class="figure-list" data-testid="portfolio-summary">
            <div><dt>"Cash"</dt><dd>{overview.cash.to_usd()}</dd></div>
            <div><dt>"Started with"</dt><dd>{overview.starting_cash.to_usd()}</dd></div>
            <div><dt>"Holdings"</dt><dd>{overview.holdings.len()}</dd></div>
        </dl>
        <h2 class="section-title">"Holdings"</h2>
        {if empty {
            view! { <p class="empty-state">"No holdings yet. Your cash is waiting for your first trade."</p> }.into_any()
        } else {
            view! {
                <div class="table-wrap">
                    <table class="data-table">
                        <thead><tr><th scope="col">"Symbol"</th><th scope="col" class="num">"Shares"</th><th scope="col" class="num">"Average cost"</th></tr></thead>
                        <tbody>
                            {overview.holdings.into_iter().map(|line| view! {
                                <tr><th scope="row">{line.symbol}</th><td class="num">{line.shares}</td><td class="num">{line.average_cost.to_usd()}</td></tr>
                            }).collect_view()}
                        </tbody>
                    </table>
                </div>
            }.into_any()
        }}
    }
}
