//! The organiser's part of a game page: the class summary (what the coach sees across the class,
//! so a teacher knows what to teach next), every player's portfolio with its patterns, refusals
//! and coach's notes, the CSV exports, per player adjusting their cash with a reason or removing
//! them, and for the game moving its end and (its creator) adding co-organisers.

use crate::api::games::{game_class, AddOrganiser, AdjustCash, ChangeGameEnd, RemoveOrganiser, RemovePlayer};
use crate::domain::coach::class_summary::ClassSummary;
use crate::ui::components::change::PercentChange;
use crate::ui::components::data_table::{Column, DataTable};
use crate::ui::components::form::{last_error, FormError, TextField};
use crate::ui::components::live::use_live_events;
use crate::ui::pages::new_game::browser_utc_offset;
use crate::wire::games::{ClassView, Organiser, PlayerDetail};
use crate::wire::AppError;
use leptos::prelude::*;
use uuid::Uuid;

/// The class of the game with id `game()`, and the actions that change it (each reloads it).
#[derive(Clone, Copy)]
pub struct ClassData {
    class: Resource<Result<Option<ClassView>, AppError>>,
    adjust: ServerAction<AdjustCash>,
    remove: ServerAction<RemovePlayer>,
    change_end: ServerAction<ChangeGameEnd>,
    add_organiser: ServerAction<AddOrganiser>,
    remove_organiser: ServerAction<RemoveOrganiser>,
}

impl ClassData {
    /// Made with the page, before anything suspends: a resource first made inside a page's
    /// `<Transition/>` never resolves when the route renders whole (`SsrMode::Async`). For anyone
    /// but the organiser the server answers `None` at the cost of one indexed read.
    pub fn new(game: impl Fn() -> String + Send + Sync + 'static) -> ClassData {
        let live = use_live_events();
        let (adjust, remove) = (ServerAction::<AdjustCash>::new(), ServerAction::<RemovePlayer>::new());
        let change_end = ServerAction::<ChangeGameEnd>::new();
        let (add_organiser, remove_organiser) =
            (ServerAction::<AddOrganiser>::new(), ServerAction::<RemoveOrganiser>::new());
        let class = Resource::new(
            move || {
                let organisers = (add_organiser.version().get(), remove_organiser.version().get());
                (game(), live.boards_version(), adjust.version().get(), remove.version().get(), organisers)
            },
            |(game, ..)| game_class(game),
        );
        ClassData { class, adjust, remove, change_end, add_organiser, remove_organiser }
    }
}

#[component]
pub fn TeacherView(game: Uuid, data: ClassData) -> impl IntoView {
    let ClassData { class, adjust, remove, change_end, add_organiser, remove_organiser } = data;
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
                        Ok(Some(class)) => {
                            let organisers = view! {
                                <Organisers organisers=class.organisers.clone() you_created=class.you_created game add=add_organiser remove=remove_organiser />
                            };
                            if class.players.is_empty() {
                                view! {
                                    <p class="empty-state">"The class summary appears once players join."</p>
                                    {organisers}
                                }.into_any()
                            } else {
                                view! {
                                    <Summary summary=class.summary />
                                    <Players players=class.players game adjust remove />
                                    {organisers}
                                }.into_any()
                            }
                        }
                        Err(_) => view! { <p role="alert">"Your class could not be loaded. Reload to try again."</p> }.into_any(),
                    }
                })}
            </Transition>
            <FormError error=adjust_error />
            <ChangeEnd game change_end />
        </section>
    }
}

/// Moving the game's end: the one rule that may change once it runs.
#[component]
fn ChangeEnd(game: Uuid, change_end: ServerAction<ChangeGameEnd>) -> impl IntoView {
    let error = last_error(change_end);
    let done = move || matches!(change_end.value().get(), Some(Ok(())));
    view! {
        <details class="manage-game">
            <summary>"Change when the game ends"</summary>
            <ActionForm action=change_end attr:class="stack" attr:novalidate=true>
                <input type="hidden" name="game" value=game.to_string() />
                <input type="hidden" name="utc_offset_minutes" value=browser_utc_offset() />
                <TextField name="ends_at" label="New end (your time zone)" kind="datetime-local" hint="Earlier or later, as long as it is still ahead" error />
                <button class="button secondary small" type="submit">"Move the end"</button>
                <p role="status">{move || done().then_some("The end moved; every player's page shows the new countdown.")}</p>
                <FormError error />
            </ActionForm>
        </details>
    }
}

/// Who runs the game; its creator adds and removes co-organisers here.
#[component]
fn Organisers(
    organisers: Vec<Organiser>,
    you_created: bool,
    game: Uuid,
    add: ServerAction<AddOrganiser>,
    remove: ServerAction<RemoveOrganiser>,
) -> impl IntoView {
    let error = last_error(add);
    let remove_error = last_error(remove);
    view! {
        <h3 class="section-title">"Organisers"</h3>
        <ul class="organisers" data-testid="organisers">
            {organisers.into_iter().map(|organiser| {
                let label = format!("Remove {} as an organiser", organiser.username);
                view! {
                    <li>
                        {organiser.username.clone()}
                        {organiser.is_creator.then_some(" (created the game)")}
                        {(you_created && !organiser.is_creator).then(|| view! {
                            " "
                            <ActionForm action=remove attr:class="organiser-remove">
                                <input type="hidden" name="game" value=game.to_string() />
                                <input type="hidden" name="user" value=organiser.user_id.to_string() />
                                <button class="button secondary small" type="submit">{label}</button>
                            </ActionForm>
                        })}
                    </li>
                }
            }).collect_view()}
        </ul>
        <FormError error=remove_error />
        {you_created.then(|| view! {
            <ActionForm action=add attr:class="stack narrow-form" attr:novalidate=true>
                <input type="hidden" name="game" value=game.to_string() />
                <TextField name="username" label="Add an organiser by username" hint="Another teacher or an assistant: they see this view and manage the class" error />
                <button class="button secondary small" type="submit">"Add organiser"</button>
                <FormError error />
            </ActionForm>
        })}
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

/// "Coach's notes (5): Concentrated; Sitting in cash" — the count and the latest titles.
fn coach_notes(count: i64, latest: &[String]) -> String {
    format!("Coach's notes ({count}): {}", latest.join("; "))
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
                            {(player.coach_notes > 0).then(|| view! {
                                <span class="cell-note">{coach_notes(player.coach_notes, &player.latest_coach_notes)}</span>
                            })}
                        </td>
                    </tr>
                }
            }).collect_view()}
        </DataTable>
    }
}
