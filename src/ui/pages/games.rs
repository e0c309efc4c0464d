//! Games: join one with its code, the games the learner organises or plays, the public ones
//! open to anyone, and the way to create one (not for guests: a class needs an organiser who
//! keeps their account).

use crate::api::games::{my_games, public_games, JoinGame};
use crate::ui::components::form::{last_error, FormError, TextField};
use crate::ui::components::game_phase::PhaseBadge;
use crate::ui::components::viewer::use_signed_in;
use crate::wire::games::{GameView, MyGame};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_navigate;

#[component]
pub fn GamesPage() -> impl IntoView {
    let viewer = use_signed_in();
    let join = ServerAction::<JoinGame>::new();
    go_to_game_after(join);
    let mine = Resource::new(|| (), |()| my_games());
    let open = Resource::new(|| (), |()| public_games());
    view! {
        <Title text="Games" />
        <section class="container page">
            <h1>"Games"</h1>
            <p class="muted">"Compete with a class or friends: everyone starts with the same cash, trades under the same rules, and the leaderboard ranks you by return."</p>
            <div class="game-actions">
                <div class="card">
                    <h2 class="card-title">"Join with a code"</h2>
                    <JoinForm join />
                </div>
                <div class="card">
                    <h2 class="card-title">"Run a game"</h2>
                    {if viewer.is_guest() {
                        view! { <p>"Guests can join games. To run one, " <a href="/account">"create an account"</a> " first."</p> }.into_any()
                    } else {
                        view! {
                            <p>"Set the dates, the cash and the rules; share the code with your class."</p>
                            <a class="button primary" href="/games/new">"Create a game"</a>
                        }
                        .into_any()
                    }}
                </div>
            </div>
            <h2 class="section-title">"Your games"</h2>
            <Transition fallback=|| view! { <p class="muted" role="status">"Loading your games…"</p> }>
                {move || Suspend::new(async move {
                    match mine.await {
                        Ok(games) if games.is_empty() => view! {
                            <p class="empty-state">"None yet. Join one with its code, or pick an open game below."</p>
                        }.into_any(),
                        Ok(games) => view! { <MyGames games /> }.into_any(),
                        Err(_) => view! { <p role="alert">"Your games could not be loaded. Reload to try again."</p> }.into_any(),
                    }
                })}
            </Transition>
            <h2 class="section-title">"Open games"</h2>
            <Transition fallback=|| view! { <p class="muted" role="status">"Loading open games…"</p> }>
                {move || Suspend::new(async move {
                    match open.await {
                        Ok(games) if games.is_empty() => view! {
                            <p class="empty-state">"No public games are open right now."</p>
                        }.into_any(),
                        Ok(games) => view! { <OpenGames games join /> }.into_any(),
                        Err(_) => view! { <p role="alert">"Open games could not be loaded. Reload to try again."</p> }.into_any(),
                    }
                })}
            </Transition>
        </section>
    }
}

/// Opens the game's page once `join` succeeds.
pub fn go_to_game_after(join: ServerAction<JoinGame>) {
    Effect::new(move |_| {
        if let Some(Ok(seat)) = join.value().get() {
            use_navigate()(&format!("/games/{}", seat.game.id), Default::default());
        }
    });
}

/// The code field and its button; `code` fills it in (an invite link).
#[component]
pub fn JoinForm(join: ServerAction<JoinGame>, #[prop(optional, into)] code: String) -> impl IntoView {
    let error = last_error(join);
    view! {
        <ActionForm action=join attr:class="stack" attr:novalidate=true>
            <TextField name="code" label="Join code" value=code autocomplete="off" hint="Six letters and digits, like K7M-2QX" error />
            <FormError error />
            <button class="button primary" type="submit" disabled=move || join.pending().get()>
                {move || if join.pending().get() { "Joining…" } else { "Join the game" }}
            </button>
        </ActionForm>
    }
}

#[component]
fn MyGames(games: Vec<MyGame>) -> impl IntoView {
    view! {
        <ul class="game-list" data-testid="my-games">
            {games.into_iter().map(|mine| {
                let role = match (mine.organiser, mine.portfolio_id.is_some()) {
                    (true, true) => "Organiser and player",
                    (true, false) => "Organiser",
                    _ => "Player",
                };
                view! {
                    <li class="game-item">
                        <a class="game-name" href=format!("/games/{}", mine.game.id)>{mine.game.name.clone()}</a>
                        <span class="badge">{role}</span>
                        <PhaseBadge starts_at=mine.game.starts_at ends_at=mine.game.ends_at />
                    </li>
                }
            }).collect_view()}
        </ul>
    }
}

#[component]
fn OpenGames(games: Vec<GameView>, join: ServerAction<JoinGame>) -> impl IntoView {
    view! {
        <ul class="game-list" data-testid="open-games">
            {games.into_iter().map(|game| view! {
                <li class="game-item">
                    <span class="game-name">{game.name.clone()}</span>
                    <PhaseBadge starts_at=game.starts_at ends_at=game.ends_at />
                    <span class="cell-note">{format!("{} to start · {}", game.starting_cash.to_usd(), game.commission)}</span>
                    <ActionForm action=join>
                        <input type="hidden" name="code" value=game.join_code.clone() />
                        <button class="button secondary small" type="submit" aria-label=format!("Join {}", game.name)>"Join"</button>
                    </ActionForm>
                </li>
            }).collect_view()}
        </ul>
    }
}
