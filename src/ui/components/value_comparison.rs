//! Under a finished game's final standings: one player's value over the game against the game's
//! benchmark, the viewer's own line first (else the winner's), and a picker for anyone else's
//! (`?place=3`, so the choice works before the page hydrates and can be shared).

use crate::api::games::game_comparison;
use crate::ui::components::line_chart::ComparisonChart;
use crate::wire::games::{Leaderboard, LeaderboardRow, ValueComparison};
use crate::wire::AppError;
use leptos::prelude::*;
use leptos_router::hooks::use_query_map;

/// The chart's data. Made by the page itself, beside the board it waits on (a resource first
/// made inside a `Transition` would hold up the server-rendered page), and only fetched once the
/// board says the game is final.
#[derive(Clone, Copy)]
pub struct ComparisonData(Resource<Result<Option<ValueComparison>, AppError>>);

impl ComparisonData {
    pub fn new(
        game: impl Fn() -> String + Send + Sync + 'static,
        board: Resource<Result<Leaderboard, AppError>>,
    ) -> ComparisonData {
        let query = use_query_map();
        let chart = Resource::new(
            move || (game(), query.with(|q| q.get("place"))),
            move |(game, place)| async move {
                match board.await {
                    Ok(board) if shows_chart(&board) => {
                        game_comparison(game, place.unwrap_or_default()).await.map(Some)
                    }
                    _ => Ok(None),
                }
            },
        );
        // A game that ends while its page is open: the board turns final after the chart has
        // answered "no chart yet", so ask again. (An effect, so only in the browser: the server
        // renders the page once, with a board that is final or not.)
        Effect::new(move |_| {
            let now_final = board.with(|board| matches!(board, Some(Ok(board)) if shows_chart(board)));
            if now_final && matches!(chart.get_untracked(), Some(Ok(None))) {
                chart.refetch();
            }
        });
        ComparisonData(chart)
    }
}

/// Whether the game page has a chart to show: only under final standings with someone on them.
pub fn shows_chart(board: &Leaderboard) -> bool {
    board.is_final && !board.rows.is_empty()
}

#[component]
pub fn AgainstTheBenchmark(rows: Vec<LeaderboardRow>, data: ComparisonData) -> impl IntoView {
    let comparison = data.0;
    view! {
        <section class="comparison" aria-labelledby="comparison-title" data-testid="comparison">
            <h2 class="section-title" id="comparison-title">"Against the benchmark"</h2>
            <Transition fallback=|| view! { <p class="muted" role="status">"Loading the chart…"</p> }>
                {move || {
                    let rows = rows.clone();
                    Suspend::new(async move {
                        match comparison.await {
                            Ok(Some(shown)) => view! {
                                <PlayerPicker rows shown=shown.place />
                                <ComparisonChart
                                    ours=shown.player
                                    ours_label=shown.username
                                    reference=shown.benchmark
                                    reference_label=format!("{} from the start", shown.benchmark_symbol)
                                />
                            }.into_any(),
                            Ok(None) => ().into_any(),
                            Err(_) => view! { <p role="alert">"The chart could not be loaded. Reload to try again."</p> }.into_any(),
                        }
                    })
                }}
            </Transition>
        </section>
    }
}

#[component]
fn PlayerPicker(rows: Vec<LeaderboardRow>, shown: usize) -> impl IntoView {
    view! {
        <form class="inline-form comparison-picker" method="get">
            <div class="field">
                <label for="comparison-place">"Player"</label>
                <select id="comparison-place" name="place">
                    {rows.into_iter().map(|row| view! {
                        <option value=row.place.to_string() selected=row.place == shown>
                            {format!("{}. {}", row.place, row.username)}
                        </option>
                    }).collect_view()}
                </select>
            </div>
            <button class="button secondary small" type="submit">"Show"</button>
        </form>
    }
}
