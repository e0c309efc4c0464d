//! Games: creating one (with a join code no other game has), joining one (a game portfolio of
//! the game's cash, once per player), and the game's rules on the order path — checked under the
//! order's locks, with the commission the fill pays (docs/GAMES.md).

pub mod benchmark;
pub mod class;
pub mod comparison;
pub mod exports;
pub mod form;
pub mod invite_qr;
pub mod leaderboard;
pub mod organiser;
pub mod repo;
pub mod results;

use crate::domain::game::{GameRules, JoinCode, OrderFacts, Window};
use crate::domain::portfolio::PortfolioKind;
use crate::domain::Money;
use crate::server::platform::db;
use crate::server::portfolio::repo::portfolios;
use crate::wire::error::sentence_case;
use crate::wire::AppError;
use argon2::password_hash::rand_core::{OsRng, RngCore};
use chrono::{DateTime, Utc};
use repo::{GameRow, NewGame};
use sqlx::{PgConnection, PgPool};
use uuid::Uuid;

/// Codes tried before giving up: with 887 million codes, a second collision in a row means
/// something else is wrong.
const CODE_ATTEMPTS: usize = 5;

/// Creates a game for `created_by`, under a fresh join code.
pub async fn create(pool: &PgPool, created_by: Uuid, game: &NewGame<'_>) -> Result<GameRow, AppError> {
    let mut conn = pool.acquire().await?;
    for _ in 0..CODE_ATTEMPTS {
        if let Some(stored) = repo::insert(&mut conn, created_by, game, &fresh_code()).await? {
            if let Err(error) = crate::server::live::publish_games_change(&mut conn, created_by).await {
                tracing::warn!(%error, "could not tell the organiser's open pages about their new game");
            }
            return Ok(stored);
        }
    }
    tracing::error!("no free join code in {CODE_ATTEMPTS} attempts");
    Err(AppError::Internal)
}

fn fresh_code() -> JoinCode {
    loop {
        let mut bytes = [0u8; 16];
        OsRng.fill_bytes(&mut bytes);
        // 16 bytes hold 6 fair ones but for a chance below 10⁻⁹; then draw again.
        if let Some(code) = JoinCode::from_random(&bytes) {
            return code;
        }
    }
}

/// What joining did.
pub struct Joined {
    pub game: GameRow,
    pub portfolio_id: Uuid,
    /// False when the player had joined before: they keep the portfolio they had.
    pub new_player: bool,
}

/// Joins `user_id` to the game with `code` at `now`: a game portfolio with the game's cash, in
/// one transaction that also records the player. Joining again returns the same portfolio.
pub async fn join(pool: &PgPool, user_id: Uuid, code: &JoinCode, now: DateTime<Utc>) -> Result<Joined, AppError> {
    let mut tx = db::begin(pool).await?;
    let no_game = || AppError::NotFound(format!("a game with the code {}", code.display()));
    let game = repo::by_code_for_join(&mut tx, code).await?.ok_or_else(no_game)?;
    if let Some(portfolio_id) = repo::player_portfolio(&mut tx, game.id, user_id).await? {
        return Ok(Joined { game, portfolio_id, new_player: false });
    }
    let rules = game.rules();
    rules.may_join(&game.window(), now).map_err(|refusal| AppError::Conflict(sentence_case(&refusal.to_string())))?;
    let portfolio_id = Uuid::new_v4();
    let cash = rules.starting_cash;
    portfolios::insert(&mut tx, portfolio_id, user_id, PortfolioKind::Game, cash, cash).await?;
    if !repo::insert_player(&mut tx, game.id, user_id, portfolio_id, now).await? {
        // A second join of the same player raced this one and won: theirs stands.
        drop(tx);
        let mut conn = pool.acquire().await?;
        let portfolio_id = repo::player_portfolio(&mut conn, game.id, user_id).await?.ok_or(AppError::Internal)?;
        return Ok(Joined { game, portfolio_id, new_player: false });
    }
    crate::server::portfolio::history::record_trade(&mut tx, portfolio_id, cash, cash, now).await?;
    crate::server::live::publish_games_change(&mut tx, user_id).await?;
    crate::server::live::publish_game_change(&mut *tx, game.id).await?;
    tx.commit().await?;
    Ok(Joined { game, portfolio_id, new_player: true })
}

/// A game as one viewer may see it: who they are in it.
pub struct Viewing {
    pub game: GameRow,
    pub organiser: bool,
    /// The portfolio they play it with, if they joined.
    pub your_portfolio: Option<Uuid>,
}

/// Game `game_id` when `viewer` may see its board: they organise or play it, or it is public.
/// Anyone else gets 404, as for a game that does not exist.
pub async fn viewing(conn: &mut PgConnection, game_id: Uuid, viewer: Uuid) -> Result<Viewing, AppError> {
    let no_game = || AppError::NotFound("that game".into());
    let game = repo::by_id(conn, game_id).await?.ok_or_else(no_game)?;
    let organiser = organiser::organises(conn, &game, viewer).await?;
    let your_portfolio = repo::player_portfolio(conn, game.id, viewer).await?;
    if !organiser && your_portfolio.is_none() && !game.is_public {
        return Err(no_game());
    }
    Ok(Viewing { game, organiser, your_portfolio })
}

/// The leaderboard of game `game_id` for `viewer`: its organisers and players see it, and anyone
/// signed in sees a public game's. Anyone else gets 404, as for a game that does not exist.
pub async fn leaderboard(
    state: &crate::server::platform::state::AppState,
    game_id: Uuid,
    viewer: Uuid,
) -> Result<crate::wire::games::Leaderboard, AppError> {
    let mut conn = state.pool.acquire().await?;
    let Viewing { game, organiser, your_portfolio } = viewing(&mut conn, game_id, viewer).await?;
    let benchmark_at = game.final_at.unwrap_or_else(Utc::now);
    let benchmark = benchmark::row(&mut conn, &state.market, &game, benchmark_at).await?;
    let (rows, valued_at) = match game.final_at {
        Some(final_at) => (results::of_game(&mut conn, &game, viewer).await?, final_at),
        None => {
            let now = Utc::now();
            let may_see_holdings = organiser || game.holdings_visible;
            (leaderboard::rows(&mut conn, &state.market, &game, viewer, may_see_holdings, now).await?, now)
        }
    };
    Ok(crate::wire::games::Leaderboard {
        is_final: game.final_at.is_some(),
        benchmark,
        invite_url: invite_url(&state.config.link_base(), &game.join_code),
        game: form::view(&game),
        rows,
        valued_at,
        organiser,
        your_portfolio,
    })
}

/// The link that joins the game with `code`.
pub fn invite_url(link_base: &str, code: &str) -> String {
    format!("{}/games/join/{code}", link_base.trim_end_matches('/'))
}

/// The games `user_id` organises or plays.
pub async fn of_user(pool: &PgPool, user_id: Uuid) -> Result<Vec<crate::wire::games::MyGame>, AppError> {
    let rows = repo::of_user(&mut *pool.acquire().await?, user_id).await?;
    Ok(rows
        .iter()
        .map(|row| crate::wire::games::MyGame {
            game: form::view(&row.game),
            organiser: row.organiser,
            portfolio_id: row.portfolio_id,
        })
        .collect())
}

/// How many public games the Games page lists.
pub const PUBLIC_LISTED: i64 = 100;

/// Public games that have not ended, with their join codes: a public game is open to anyone.
pub async fn public(pool: &PgPool, now: DateTime<Utc>) -> Result<Vec<crate::wire::games::GameView>, AppError> {
    let rows = repo::public(&mut *pool.acquire().await?, now, PUBLIC_LISTED).await?;
    Ok(rows.iter().map(form::view).collect())
}

/// Keeps a game's refusal of an order of `portfolio_id` for the teacher's view; a failure is only
/// logged (the refusal itself stands and is answered).
pub async fn note_refusal(pool: &PgPool, portfolio_id: Uuid, refusal: &AppError) {
    if let Err(error) = repo::record_refusal(pool, portfolio_id, &refusal.to_string()).await {
        tracing::warn!(%error, "could not record a game's refusal of an order");
    }
}

/// The game a portfolio plays in, as the order path needs it.
pub struct InGame {
    pub game_id: Uuid,
    pub window: Window,
    pub rules: GameRules,
}

/// The game of `portfolio_id` when it is a game portfolio.
pub async fn of_portfolio(
    conn: &mut PgConnection,
    kind: PortfolioKind,
    portfolio_id: Uuid,
) -> Result<Option<InGame>, sqlx::Error> {
    if kind != PortfolioKind::Game {
        return Ok(None);
    }
    Ok(repo::of_portfolio(conn, portfolio_id).await?.map(|game| InGame {
        game_id: game.id,
        window: game.window(),
        rules: game.rules(),
    }))
}

impl InGame {
    /// Checks an order against the game's rules; the commission its fill pays.
    pub async fn check(
        &self,
        conn: &mut PgConnection,
        portfolio_id: Uuid,
        mut order: OrderFacts<'_>,
    ) -> Result<Money, AppError> {
        if self.rules.quick_sell_minutes.is_some() && order.side == crate::domain::Side::Sell {
            order.last_buy_at = repo::last_buy_at(conn, portfolio_id, order.symbol).await?;
        }
        self.rules
            .check(&self.window, &order)
            .map_err(|refusal| AppError::Invalid(sentence_case(&refusal.to_string())))?;
        let amount = order.price.checked_times(order.quantity.get()).unwrap_or(Money::ZERO);
        Ok(self.rules.commission.on(order.quantity, amount))
    }
}
