//! The bar under the header that says which portfolio the learner is trading in — personal or a
//! game's — and switches it, for learners in at least one game. A plain form: switching reloads
//! the page, so every figure on it is the chosen portfolio's, with or without the WASM.

use crate::api::portfolio::my_portfolios;
use crate::ui::components::live::use_live_events;
use crate::ui::components::viewer::use_viewer;
use crate::wire::portfolios::PortfolioChoices;
use leptos::prelude::*;
use leptos_router::hooks::use_location;

#[component]
pub fn PortfolioSwitcher() -> impl IntoView {
    let viewer = use_viewer();
    let live = use_live_events();
    let location = use_location();
    let signed_in = move || viewer.get().and_then(|answer| answer.ok().flatten()).map(|viewer| viewer.id);
    let choices = Resource::new(
        move || (signed_in(), location.pathname.get(), live.games_version()),
        |(user, _, _)| async move {
            match user {
                Some(_) => my_portfolios().await.ok(),
                None => None,
            }
        },
    );
    view! {
        <Transition fallback=|| ()>
            {move || Suspend::new(async move {
                choices.await.filter(|choices| choices.choices.len() > 1).map(|choices| view! { <Switcher choices /> })
            })}
        </Transition>
    }
}

#[component]
fn Switcher(choices: PortfolioChoices) -> impl IntoView {
    let game_page = choices.current().and_then(|current| current.game_id).map(|game| format!("/games/{game}"));
    view! {
        <div class="portfolio-bar" data-testid="portfolio-switcher">
            <form class="container portfolio-bar-inner" method="post" action="/api/select_portfolio">
                <label for="portfolio-select">"Trading in"</label>
                <select id="portfolio-select" name="portfolio">
                    {choices.choices.iter().map(|choice| view! {
                        <option value=choice.id.to_string() selected=choice.id == choices.selected>{choice.label.clone()}</option>
                    }).collect_view()}
                </select>
                <button class="button secondary small" type="submit">"Switch"</button>
                {game_page.map(|href| view! { <a href=href>"Leaderboard"</a> })}
            </form>
        </div>
    }
}
