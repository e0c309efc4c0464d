//! The ownership check every money-touching service starts from: a portfolio id is trusted only
//! once it has been resolved against the signed-in user here. Another user's id, an archived
//! portfolio and an id that never existed all look the same: 404.

use crate::domain::portfolio::PortfolioKind;
use crate::domain::Symbol;
use crate::server::portfolio::repo::portfolios::{self, OrderState};
use crate::wire::AppError;
use leptos::prelude::use_context;
use sqlx::{PgConnection, PgPool};
use std::collections::HashMap;
use std::sync::{Arc, Mutex, PoisonError};
use tokio::sync::OnceCell;
use uuid::Uuid;

/// An active portfolio the user was shown to own. Only [`owned_portfolio`] makes one, so a
/// service that takes it needs no check of its own.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct OwnedPortfolio {
    id: Uuid,
    user_id: Uuid,
    kind: PortfolioKind,
}

impl OwnedPortfolio {
    pub fn id(&self) -> Uuid {
        self.id
    }

    pub fn user_id(&self) -> Uuid {
        self.user_id
    }

    pub fn kind(&self) -> PortfolioKind {
        self.kind
    }
}

/// The portfolio `requested` of `user_id` — their personal one when `None` — or 404.
pub async fn owned_portfolio(
    conn: &mut PgConnection,
    user_id: Uuid,
    requested: Option<Uuid>,
) -> Result<OwnedPortfolio, AppError> {
    match portfolios::owned(conn, user_id, requested).await? {
        Some((id, kind)) => Ok(OwnedPortfolio { id, user_id, kind }),
        None => Err(not_found(requested)),
    }
}

/// [`owned_portfolio`] on a connection of its own from `pool` — or, while a page renders, the
/// answer the first server function of the same render got (a page's resources each start from
/// the same check, at the same moment: the later ones wait for the first's answer).
pub async fn owned_in(pool: &PgPool, user_id: Uuid, requested: Option<Uuid>) -> Result<OwnedPortfolio, AppError> {
    let check = || async { owned_portfolio(&mut *pool.acquire().await?, user_id, requested).await };
    match use_context::<OwnedThisRender>() {
        Some(checked) => checked.answer(user_id, requested).get_or_try_init(check).await.copied(),
        None => check().await,
    }
}

/// [`owned_portfolio`] and what an order in `symbol` decides on (cash, holdings, what open
/// orders hold back, the version), as they are now and not locked, in one statement.
/// `except_order` is the open order being filled, if any.
pub async fn owned_for_order(
    pool: &PgPool,
    user_id: Uuid,
    requested: Option<Uuid>,
    symbol: &Symbol,
    except_order: Option<Uuid>,
) -> Result<(OwnedPortfolio, OrderState), AppError> {
    match portfolios::for_order(&mut *pool.acquire().await?, user_id, requested, symbol, except_order).await? {
        Some(state) => Ok((OwnedPortfolio { id: state.stored.id, user_id, kind: state.kind }, state)),
        None => Err(not_found(requested)),
    }
}

/// The portfolio a request names, as sent (`None` or empty: the caller's personal one). Text
/// that is not an id names no portfolio of theirs: 404, like anyone else's id.
pub fn requested_portfolio(text: Option<String>) -> Result<Option<Uuid>, AppError> {
    match text.as_deref().map(str::trim) {
        None | Some("") => Ok(None),
        Some(id) => Uuid::parse_str(id).map(Some).map_err(|_| AppError::NotFound("that portfolio".into())),
    }
}

fn not_found(requested: Option<Uuid>) -> AppError {
    match requested {
        Some(_) => AppError::NotFound("that portfolio".into()),
        None => AppError::NotFound("your portfolio".into()),
    }
}

/// The ownership checks made while one page renders, in its context (the page routes provide
/// it; a server function called over HTTP has none and always asks the database).
#[derive(Clone, Default)]
pub struct OwnedThisRender(Arc<Mutex<Checked>>);

/// (user, portfolio asked for) → the answer, once there is one.
type Checked = HashMap<(Uuid, Option<Uuid>), Arc<OnceCell<OwnedPortfolio>>>;

impl OwnedThisRender {
    fn answer(&self, user_id: Uuid, requested: Option<Uuid>) -> Arc<OnceCell<OwnedPortfolio>> {
        let mut checked = self.0.lock().unwrap_or_else(PoisonError::into_inner);
        checked.entry((user_id, requested)).or_default().clone()
    }
}
