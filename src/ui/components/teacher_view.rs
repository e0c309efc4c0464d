//! The organiser's part of a game page: the class summary (what the coach sees across the class,
//! so a teacher knows what to teach next), every player's portfolio with its patterns, the CSV
//! exports, and — per player — adjusting their cash with a reason, or removing them.

use crate::api::games::{game_class, AdjustCash, RemovePlayer};
use crate::domain::coach::class_summary::ClassSummary;
use crate::ui::components::change::PercentChange;
use crate::ui::components::data_table::{Column, DataTable};
use crate::ui::components::form::{last_error, FormError};
use crate::ui::components::live::use_live_events;
use crate::wire::games::{ClassView, PlayerDetail};
use crate::wire::AppError;
use leptos::prelude::*;
use uuid::Uuid;

/// The class of the game with id `game()`, and the actions that change it (each reloads it).
#[derive(Clone, Copy)]
pub struct ClassData {
    class: Resource<Result<Option<ClassView>, AppError>>,
    adjust: ServerAction<AdjustCash>,
    remove: ServerAction<RemovePlayer>,
}

impl ClassData {
    /// Made with the page, before anything suspends: a resource first made inside a page's
    /// `<Transition/>` never resolves when the route renders whole (`SsrMode::Async`). For anyone
    /// but the organiser the server answers `None` at the cost of one indexed read.
    pub fn new(game: impl Fn() -> String + Send + Sync + 'static) -> ClassData {
        let live = use_live_events();
        let (adjust, remove) = (ServerAction::<AdjustCash>::new(), ServerAction::<RemovePlayer>::new());
        let class = Resource::new(
            move || (game(), live.games_version(), adjust.version().get(), remove.version().get()),
            |(game, ..)| game_class(game),
        );
        ClassData { class, adjust, remove }
    }
}

#[component]
pub fn TeacherView(game: Uuid, data: ClassData) -> impl IntoView {
    let ClassData { class, adjust, remove } = data;
    let adjust_error = last_error(adjust);
    view! {
        <section class="teacher-view" aria-labelledby="class-title" data-testid="teacher-view">
            <h2 id="class-title" class="section-title">"Your class"</h2>
            <p class="export-links">
                <a class="button secondary small" href=format!("/games/{game}/standings.csv") download>"Standings (CSV)"</a>
                <a class="button secondary small" href=format!("/games/{game}/trades.csv") download>"All trades (CSV)"</a>
            </p>
            <Transition fallback=|| view! { <p class="muted" role="status">"Loading your class…"</p> }>
                {move || Suspend::new(async move {
                    match class.await {
                        Ok(None) => ().into_any(),
                        Ok(Some(class)) if class.players.is_empty() => view! {
                            <p class="empty-state">"The class summary appears once players join."</p>
                        }.into_any(),
                        Ok(Some(class)) => view! {
                            <Summary summary=class.summary />
                            <Players players=class.players game adjust remove />
                        }.into_any(),
                        Err(_) => view! { <p role="alert">"Your class could not be loaded. Reload to try again."</p> }.into_any(),
                    }
                })}
            </Transition>
            <FormError error=adjust_error />
        </section>
    }
}

/// "3 of 24 players are concentrated in one stock" — one line per pattern the coach watches.
#[component]
fn Summary(summary: ClassSummary) -> impl IntoView {
    let of = summary.players;
    let lines = [
        (summary.concentrated, "hold more than the coach's limit in one stock (concentrated)"),
        (summary.overtrading, "are overtrading: many trades today"),
        (summary.sitting_in_cash, "are sitting in cash"),
        (summary.big_loss, "are down more than 10% on a position"),
        (summary.not_traded, "have not traded yet"),
    ];
    view! {
        <ul class="class-summary" data-testid="class-summary">
            {lines.into_iter().map(|(count, words)| view! {
                <li><strong>{format!("{count} of {of}")}</strong>" "{words}</li>
            }).collect_view()}
        </ul>
    }
}

/// "1 order" / "3 orders".
fn refusals(count: i64) -> String {
    if count == 1 {
        "1 order".to_owned()
    } else {
        format!("{count} orders")
    }
}

const PLAYER_COLUMNS: [Column; 7] = [
    ("Player", ""),
    ("Value", "num"),
    ("Return", "num"),
    ("Cash", "num"),
    ("Holdings", ""),
    ("Trades", "num"),
    ("Coach sees", ""),
];

#[component]
fn Players(
    players: Vec<PlayerDetail>,
    game: Uuid,
    adjust: ServerAction<AdjustCash>,
    remove: ServerAction<RemovePlayer>,
) -> impl IntoView {
    view! {
        <DataTable label="Players" testid="class-players" columns=&PLAYER_COLUMNS>
            {players.into_iter().map(|player| {
                let name = &player.username;
                let (adjust_label, remove_label) = (format!("Adjust {name}'s cash"), format!("Remove {name} from the game"));
                let manage_label = format!("Manage {name}");
                let (game, id) = (game.to_string(), player.portfolio_id.to_string());
                let (game_again, id_again) = (game.clone(), id.clone());
                view! {
                    <tr>
                        <th scope="row">
                            {player.username.clone()}
                            <details class="manage">
                                <summary aria-label=manage_label>"Manage"</summary>
                                <ActionForm action=adjust attr:class="stack">
                                    <input type="hidden" name="game" value=game />
                                    <input type="hidden" name="portfolio" value=id />
                                    <label>"Cash to add ($, negative to take)"<input name="amount" inputmode="decimal" required /></label>
                                    <label>"Reason (the player sees it)"<input name="reason" maxlength="200" required /></label>
                                    <button class="button secondary small" type="submit">{adjust_label}</button>
                                </ActionForm>
                                <ActionForm action=remove>
                                    <input type="hidden" name="game" value=game_again />
                                    <input type="hidden" name="portfolio" value=id_again />
                                    <button class="button danger small" type="submit">{remove_label}</button>
                                </ActionForm>
                            </details>
                        </th>
                        <td class="num">{player.value.to_usd()}</td>
                        <td class="num"><PercentChange percent=player.total_return /></td>
                        <td class="num">{player.cash.to_usd()}</td>
                        <td>{if player.holdings.is_empty() { "none".to_owned() } else { player.holdings.join(", ") }}</td>
                        <td class="num">{player.trades}</td>
                        <td>
                            {if player.patterns.is_empty() { "nothing to point out".to_owned() } else { player.patterns.join(", ") }}
                            {player.last_refusal.map(|last| view! {
                                <span class="cell-note">{format!("{} refused: “{last}”", refusals(player.refusals))}</span>
                            })}
                        </td>
                    </tr>
                }
            }).collect_view()}
        </DataTable>
    }
}
