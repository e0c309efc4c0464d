//! One game: where it is in its life (a countdown before the start), how to join it (the code,
//! the invite link and its QR code), its rules, and the leaderboard — reloaded as the game's
//! players trade, on every open page, through the live stream (a visitor to a public game, who
//! is not told of its changes, reloads it every few seconds); once it ends, its final standings
//! and each player's value against the benchmark.

use crate::api::games::{game_leaderboard, JoinGame};
use crate::domain::game::Window;
use crate::ui::components::change::{Change, PercentChange};
use crate::ui::components::data_table::{Column, DataTable};
use crate::ui::components::game_phase::{phase_words, ticking_clock};
use crate::ui::components::live::{poll_while_offline, use_live_events};
use crate::ui::components::teacher_view::{ClassData, TeacherView};
use crate::ui::components::value_comparison::{shows_chart, AgainstTheBenchmark, ComparisonData};
use crate::ui::pages::dashboard::refresh_periodically;
use crate::ui::pages::games::{go_to_game_after, JoinForm};
use crate::wire::games::{BenchmarkRow, GameView, Leaderboard, LeaderboardRow};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_params_map;

#[component]
pub fn GamePage() -> impl IntoView {
    let live = use_live_events();
    let id = move || use_params_map().get().get("id").unwrap_or_default();
    let board = Resource::new(move || (id(), live.boards_version()), |(id, _)| game_leaderboard(id));
    let board_resource = board;
    let class = ClassData::new(id);
    let comparison = ComparisonData::new(id, board);
    poll_while_offline(live, move || board.refetch());
    view! {
        <section class="container page">
            <Transition fallback=|| view! { <p class="muted" role="status">"Loading the game…"</p> }>
                {move || Suspend::new(async move {
                    match board.await {
                        Ok(board) => view! { <Game board class comparison reload=move || board_resource.refetch() /> }.into_any(),
                        Err(error) => view! {
                            <Title text="Game" />
                            <h1>"Game"</h1>
                            <p role="alert">{crate::wire::error::sentence_case(&error.to_string())} ". "
                                <a href="/games">"Back to your games"</a></p>
                        }.into_any(),
                    }
                })}
            </Transition>
        </section>
    }
}

#[component]
fn Game(
    board: Leaderboard,
    class: ClassData,
    comparison: ComparisonData,
    reload: impl Fn() + Clone + 'static,
) -> impl IntoView {
    let game = board.game.clone();
    let window = Window { starts_at: game.starts_at, ends_at: game.ends_at };
    let now = ticking_clock(board.valued_at);
    let member = board.organiser || board.your_portfolio.is_some();
    // The live stream tells organisers and players of changes; a visitor to a public game polls.
    if !member {
        refresh_periodically(reload);
    }
    // A fixed title, set once the board is here: the route renders whole before its first byte
    // (`SsrMode::Async`), so the head has the name. (A title reading the board resource itself
    // could be rendered after the page's reactive owner was gone, and panicked under load.)
    view! {
        <Title text=game.name.clone() />
        <h1>{game.name.clone()}</h1>
        {(!game.description.is_empty()).then(|| view! { <p class="lead">{game.description.clone()}</p> })}
        <p class="game-phase" data-testid="game-phase">{move || phase_words(window, now.get())}</p>
        {match (member, board.your_portfolio) {
            (_, Some(portfolio)) => view! { <TradeHere portfolio /> }.into_any(),
            (false, None) => view! { <JoinPublic code=game.join_code.clone() /> }.into_any(),
            (true, None) => ().into_any(),
        }}
        {member.then(|| view! { <Invite code=game.join_code.clone() url=board.invite_url.clone() /> })}
        <h2 class="section-title">{if board.is_final { "Final standings" } else { "Leaderboard" }}</h2>
        {board.is_final.then(|| board.rows.first().map(|winner| view! {
            <p class="winner" data-testid="winner">
                <span aria-hidden="true">"🏆 "</span>
                {format!("Winner: {}, with a return of {}", winner.username, winner.total_return.signed())}
            </p>
        }))}
        <Standings rows=board.rows.clone() benchmark=board.benchmark.clone() is_final=board.is_final />
        {shows_chart(&board).then(|| view! { <AgainstTheBenchmark rows=board.rows.clone() data=comparison /> })}
        {board.organiser.then(|| view! { <TeacherView game=game.id data=class /> })}
        <h2 class="section-title">"Rules"</h2>
        <Rules game />
    }
}

/// For a player: their game portfolio, and the switch to trade in it.
#[component]
fn TradeHere(portfolio: uuid::Uuid) -> impl IntoView {
    view! {
        <form class="trade-here" method="post" action="/api/select_portfolio">
            <input type="hidden" name="portfolio" value=portfolio.to_string() />
            <p>"You play with a portfolio of the game's cash, apart from your own. Orders go into the portfolio named in the bar at the top of every page."</p>
            <button class="button primary small" type="submit">"Trade in this game"</button>
        </form>
    }
}

/// For anyone signed in looking at a public game they are not in.
#[component]
fn JoinPublic(code: String) -> impl IntoView {
    let join = ServerAction::<JoinGame>::new();
    go_to_game_after(join);
    view! {
        <div class="card narrow">
            <h2 class="card-title">"Join this game"</h2>
            <JoinForm join code />
        </div>
    }
}

/// The code, the link and the QR code to put on the projector.
#[component]
fn Invite(code: String, url: String) -> impl IntoView {
    let qr = format!("/games/join/{}/qr.svg", code.replace('-', ""));
    view! {
        <div class="card invite" data-testid="invite">
            <h2 class="card-title">"Invite players"</h2>
            <p class="join-code-line">"Join code " <strong class="join-code" data-testid="join-code">{code}</strong></p>
            <label for="invite-link">"Invite link"</label>
            <input id="invite-link" class="invite-link" type="text" readonly value=url />
            <details>
                <summary>"Show the QR code for a projector"</summary>
                <img class="invite-qr" src=qr alt="QR code of the invite link" width="240" height="240" loading="lazy" />
            </details>
        </div>
    }
}

const STANDING_COLUMNS: [Column; 6] =
    [("Place", "num"), ("Player", ""), ("Value", "num"), ("Return", "num"), ("Today", "num"), ("Trades", "num")];

#[component]
fn Standings(rows: Vec<LeaderboardRow>, benchmark: Option<BenchmarkRow>, is_final: bool) -> impl IntoView {
    if rows.is_empty() {
        return view! { <p class="empty-state">"No players yet. Share the join code to fill the board."</p> }
            .into_any();
    }
    view! {
        <DataTable label="Leaderboard" testid="leaderboard" columns=&STANDING_COLUMNS>
            {rows.into_iter().map(|row| view! {
                <tr class:you=row.is_you>
                    <td class="num">{row.place}</td>
                    <th scope="row">
                        {row.username.clone()}
                        {row.is_you.then(|| view! { " " <span class="badge">"You"</span> })}
                        {(!row.holdings.is_empty()).then(|| view! { <span class="cell-note">{row.holdings.join(", ")}</span> })}
                    </th>
                    <td class="num">{row.value.to_usd()}</td>
                    <td class="num"><PercentChange percent=row.total_return /></td>
                    <td class="num">{if is_final { view! { "—" }.into_any() } else { view! { <Change amount=row.day_change /> }.into_any() }}</td>
                    <td class="num">{row.trades}</td>
                </tr>
            }).collect_view()}
            {benchmark.map(|index| view! {
                <tr class="benchmark" data-testid="benchmark">
                    <td class="num"><span class="sr-only">"No place: "</span>"—"</td>
                    <th scope="row">{format!("Benchmark: {} from the start", index.symbol)}</th>
                    <td class="num">{index.value.to_usd()}</td>
                    <td class="num"><PercentChange percent=index.total_return /></td>
                    <td class="num">"—"</td>
                    <td class="num">"—"</td>
                </tr>
            })}
        </DataTable>
    }
    .into_any()
}

#[component]
fn Rules(game: GameView) -> impl IntoView {
    view! {
        <dl class="rule-list" data-testid="game-rules">
            {game.rules.into_iter().map(|(name, value)| view! { <div><dt>{name}</dt><dd>{value}</dd></div> }).collect_view()}
        </dl>
    }
}
