//! The ownership check every money-touching service starts from: a portfolio id is trusted only
//! once it has been resolved against the signed-in user here. Another user's id, an archived
//! portfolio and an id that never existed all look the same: 404.

use crate::domain::portfolio::PortfolioKind;
use crate::server::portfolio::repo::portfolios;
use crate::wire::AppError;
use sqlx::PgConnection;
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
        None if requested.is_some() => Err(AppError::NotFound("that portfolio".into())),
        None => Err(AppError::NotFound("your portfolio".into())),
    }
}

/// [`owned_portfolio`] on a connection of its own from `pool`.
pub async fn owned_in(pool: &sqlx::PgPool, user_id: Uuid, requested: Option<Uuid>) -> Result<OwnedPortfolio, AppError> {
    owned_portfolio(&mut *pool.acquire().await?, user_id, requested).await
}
