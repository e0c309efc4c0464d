//! Games: creating one (anyone signed in but a guest) and joining one with its code (guests
//! too: a class without accounts).

// `create_game` takes one argument per field of the game form (the browser's stub of a server
// function carries no attributes of its own, so the allowance is the module's).
#![allow(clippy::too_many_arguments)]

use crate::wire::games::{ClassView, GameSeat, GameView, Leaderboard, MyGame, ValueComparison};
use crate::wire::AppError;
use leptos::prelude::*;

/// Creates a game. Times are RFC 3339 (`2026-12-07T14:30:00Z`) or a date and time without a zone
/// (what a `datetime-local` field sends), read in the zone `utc_offset_minutes` behind UTC (the
/// browser's `getTimezoneOffset()`; blank: UTC). `commission_kind` is `none`, `per_trade`
/// (dollars), `per_share` (dollars) or `percent`; `allowed_kinds` lists the order types that wait
/// which the game allows, separated by commas (`limit,stop`; blank: market orders only), and the
/// form's checkboxes `allow_limit`, `allow_stop`, `allow_stop_limit` and `allow_trailing_stop`
/// add theirs; a blank limit is no limit; the checkboxes `late_joining`, `holdings_visible` and
/// `is_public` are on when sent as `on`.
#[server(prefix = "/api", endpoint = "create_game")]
pub async fn create_game(
    name: String,
    description: Option<String>,
    starts_at: String,
    ends_at: String,
    starting_cash: String,
    commission_kind: Option<String>,
    commission_value: Option<String>,
    max_position_percent: Option<String>,
    min_share_price: Option<String>,
    quick_sell_minutes: Option<String>,
    allowed_kinds: Option<String>,
    late_joining: Option<String>,
    holdings_visible: Option<String>,
    is_public: Option<String>,
    allow_limit: Option<String>,
    allow_stop: Option<String>,
    allow_stop_limit: Option<String>,
    allow_trailing_stop: Option<String>,
    utc_offset_minutes: Option<String>,
) -> Result<GameView, AppError> {
    use crate::server::games::{self, form};
    use crate::server::platform::http::endpoint::signed_in;
    signed_in(|caller| async move {
        if caller.user.is_guest() {
            return Err(AppError::Forbidden);
        }
        let ticked = [
            ("limit", allow_limit),
            ("stop", allow_stop),
            ("stop_limit", allow_stop_limit),
            ("trailing_stop", allow_trailing_stop),
        ];
        let allowed_kinds = ticked
            .iter()
            .filter(|(_, tick)| form::ticked(tick.as_deref()))
            .fold(allowed_kinds.unwrap_or_default(), |kinds, (kind, _)| format!("{kinds},{kind}"));
        let form = form::GameForm {
            name: &name,
            description: description.as_deref().unwrap_or_default(),
            starts_at: &starts_at,
            ends_at: &ends_at,
            starting_cash: &starting_cash,
            commission_kind: commission_kind.as_deref().unwrap_or_default(),
            commission_value: commission_value.as_deref().unwrap_or_default(),
            max_position_percent: max_position_percent.as_deref().unwrap_or_default(),
            min_share_price: min_share_price.as_deref().unwrap_or_default(),
            quick_sell_minutes: quick_sell_minutes.as_deref().unwrap_or_default(),
            allowed_kinds: &allowed_kinds,
            late_joining: late_joining.as_deref(),
            holdings_visible: holdings_visible.as_deref(),
            is_public: is_public.as_deref(),
            utc_offset_minutes: utc_offset_minutes.as_deref().unwrap_or_default(),
        };
        let parsed = form.parse(chrono::Utc::now())?;
        let game = games::create(&caller.state.pool, caller.user.id, &parsed.as_new()).await?;
        Ok(form::view(&game))
    })
    .await
}

/// Joins the game with this code (any case; dashes and spaces are fine): a game portfolio with
/// the game's cash, selected for the pages and orders that follow. Joining again returns the
/// same seat.
#[server(prefix = "/api", endpoint = "join_game")]
pub async fn join_game(code: String) -> Result<GameSeat, AppError> {
    use crate::domain::game::JoinCode;
    use crate::server::games::{self, form};
    use crate::server::platform::http::endpoint::signed_in;
    signed_in(|caller| async move {
        let code = JoinCode::parse(&code).map_err(|e| AppError::field("code", e))?;
        let joined = games::join(&caller.state.pool, caller.user.id, &code, chrono::Utc::now()).await?;
        // The player trades in the game from now on; the header's switcher takes them back.
        let seat = Some(joined.portfolio_id.to_string());
        crate::server::portfolio::selection::select(&caller.state.pool, &caller.session, caller.user.id, seat).await?;
        Ok(GameSeat {
            game: form::view(&joined.game),
            portfolio_id: joined.portfolio_id,
            new_player: joined.new_player,
        })
    })
    .await
}

/// The game's leaderboard, valued now: its organiser and players see it, and anyone signed in
/// sees a public game's. Ranked by return since each player's own start; ties go to the
/// earlier join.
#[server(prefix = "/api", endpoint = "game_leaderboard")]
pub async fn game_leaderboard(game: String) -> Result<Leaderboard, AppError> {
    use crate::server::games;
    use crate::server::platform::http::endpoint::signed_in;
    signed_in(
        |caller| async move { games::leaderboard(&caller.state, parse_id(&game, "that game")?, caller.user.id).await },
    )
    .await
}

/// How the player in `place` of a finished game did against the game's benchmark, for the chart
/// under its final standings; for anyone who may see the game's board. An empty `place` means
/// the caller's own, or the winner's for someone who did not play.
#[server(prefix = "/api", endpoint = "game_comparison")]
pub async fn game_comparison(game: String, place: String) -> Result<ValueComparison, AppError> {
    use crate::server::games::comparison;
    use crate::server::platform::http::endpoint::signed_in;
    signed_in(|caller| async move {
        let game = parse_id(&game, "that game")?;
        let place = match place.trim() {
            "" => None,
            place => Some(place.parse().map_err(|_| AppError::NotFound("that place".into()))?),
        };
        comparison::of_place(&caller.state, game, caller.user.id, place).await
    })
    .await
}

/// The games the caller organises or plays, the latest start first.
#[server(prefix = "/api", endpoint = "my_games")]
pub async fn my_games() -> Result<Vec<MyGame>, AppError> {
    use crate::server::games;
    use crate::server::platform::http::endpoint::signed_in;
    signed_in(|caller| async move { games::of_user(&caller.state.pool, caller.user.id).await }).await
}

/// Public games that have not ended, the soonest start first (at most 100), with their codes.
#[server(prefix = "/api", endpoint = "public_games")]
pub async fn public_games() -> Result<Vec<GameView>, AppError> {
    use crate::server::games;
    use crate::server::platform::http::endpoint::signed_in;
    signed_in(|caller| async move { games::public(&caller.state.pool, chrono::Utc::now()).await }).await
}

/// The teacher's view of a game: every player's portfolio and the class summary. Its organiser
/// only: anyone else gets `None`, as for a game that does not exist.
#[server(prefix = "/api", endpoint = "game_class")]
pub async fn game_class(game: String) -> Result<Option<ClassView>, AppError> {
    use crate::server::games::organiser;
    use crate::server::platform::http::endpoint::signed_in;
    signed_in(|caller| async move {
        match uuid::Uuid::parse_str(game.trim()) {
            Ok(game) => organiser::class(&caller.state, game, caller.user.id).await,
            Err(_) => Ok(None),
        }
    })
    .await
}

/// Removes a player (named by their game portfolio) from the organiser's game; they are told.
#[server(prefix = "/api", endpoint = "remove_player")]
pub async fn remove_player(game: String, portfolio: String) -> Result<(), AppError> {
    use crate::server::games::organiser;
    use crate::server::platform::http::endpoint::signed_in;
    signed_in(|caller| async move {
        let (game, portfolio) = (parse_id(&game, "that game")?, parse_id(&portfolio, "that player")?);
        organiser::remove_player(&caller.state, game, caller.user.id, portfolio).await
    })
    .await
}

/// Adds `amount` dollars (negative: takes them) to a player's game cash, with a `reason` the
/// player is told; the organiser only. Returns the player's cash after it.
#[server(prefix = "/api", endpoint = "adjust_cash")]
pub async fn adjust_cash(
    game: String,
    portfolio: String,
    amount: String,
    reason: String,
) -> Result<crate::domain::Money, AppError> {
    use crate::domain::Money;
    use crate::server::games::organiser;
    use crate::server::platform::http::endpoint::signed_in;
    signed_in(|caller| async move {
        let (game, portfolio) = (parse_id(&game, "that game")?, parse_id(&portfolio, "that player")?);
        let amount = Money::parse(&amount).map_err(|e| AppError::field("amount", e))?;
        organiser::adjust_cash(&caller.state, game, caller.user.id, portfolio, amount, &reason).await
    })
    .await
}

/// Adds the user with this username as a co-organiser of the caller's game (its creator only):
/// they see the teacher's view and manage the class too. Returns their username.
#[server(prefix = "/api", endpoint = "add_organiser")]
pub async fn add_organiser(game: String, username: String) -> Result<String, AppError> {
    use crate::server::games::organiser;
    use crate::server::platform::http::endpoint::signed_in;
    signed_in(|caller| async move {
        organiser::add_organiser(&caller.state, parse_id(&game, "that game")?, caller.user.id, &username).await
    })
    .await
}

/// Takes a co-organiser (named by their user id) off the caller's game; its creator only.
#[server(prefix = "/api", endpoint = "remove_organiser")]
pub async fn remove_organiser(game: String, user: String) -> Result<(), AppError> {
    use crate::server::games::organiser;
    use crate::server::platform::http::endpoint::signed_in;
    signed_in(|caller| async move {
        let (game, user) = (parse_id(&game, "that game")?, parse_id(&user, "that organiser")?);
        organiser::remove_organiser(&caller.state, game, caller.user.id, user).await
    })
    .await
}

/// Moves the end of a game the caller organises, as long as it has not ended: `ends_at` as for
/// `create_game`, in the zone `utc_offset_minutes` behind UTC.
#[server(prefix = "/api", endpoint = "change_game_end")]
pub async fn change_game_end(
    game: String,
    ends_at: String,
    utc_offset_minutes: Option<String>,
) -> Result<(), AppError> {
    use crate::server::games::{form, organiser};
    use crate::server::platform::http::endpoint::signed_in;
    signed_in(|caller| async move {
        let game = parse_id(&game, "that game")?;
        let behind_utc = form::behind_utc("ends_at", utc_offset_minutes.as_deref().unwrap_or_default())?;
        let ends_at = form::time("ends_at", &ends_at, behind_utc)?;
        organiser::change_end(&caller.state, game, caller.user.id, ends_at).await
    })
    .await
}

/// An id from a form; anything else is a thing not found.
#[cfg(feature = "ssr")]
fn parse_id(text: &str, what: &str) -> Result<uuid::Uuid, AppError> {
    uuid::Uuid::parse_str(text.trim()).map_err(|_| AppError::NotFound(what.into()))
}
