//! An invite link (`/games/join/K7M2QX`, what the QR code on the projector opens): the code
//! filled in, one button to join. Signed-out visitors log in or start as a guest first, and come
//! back here.

use crate::api::games::JoinGame;
use crate::domain::game::JoinCode;
use crate::ui::pages::games::{go_to_game_after, JoinForm};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_params_map;

#[component]
pub fn JoinGamePage() -> impl IntoView {
    let join = ServerAction::<JoinGame>::new();
    go_to_game_after(join);
    let code = use_params_map().get_untracked().get("code").unwrap_or_default();
    let shown = JoinCode::parse(&code).map(|code| code.display()).unwrap_or(code);
    view! {
        <Title text="Join a game" />
        <section class="container page narrow-page">
            <h1>"Join a game"</h1>
            <p class="muted">"You get a portfolio of the game's cash, separate from your own, and a place on its leaderboard."</p>
            <div class="card">
                <JoinForm join code=shown />
            </div>
        </section>
    }
}
