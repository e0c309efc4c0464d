//! What every server function's body begins and ends with: the state and the caller, taken from
//! the request, and — when the body fails — the response status of its error.
//!
//! ```text
//! #[server(prefix = "/api", endpoint = "my_portfolio")]
//! pub async fn my_portfolio(portfolio: Option<String>) -> Result<PortfolioValue, AppError> {
//!     signed_in(|Caller { state, user, .. }| async move { … }).await
//! }
//! ```

use crate::server::accounts::backend::SessionUser;
use crate::server::accounts::session::{self, AuthSession};
use crate::server::platform::error::respond;
use crate::server::platform::state::AppState;
use crate::server::portfolio::{selection, OwnedPortfolio};
use crate::wire::AppError;
use std::future::Future;

/// Anyone: the state and the request's session, signed in or not.
pub struct Visitor {
    pub state: AppState,
    pub session: AuthSession,
}

impl Visitor {
    /// The signed-in user, if there is one (a session past its absolute lifetime ends here).
    pub async fn user(&mut self) -> Result<Option<SessionUser>, AppError> {
        session::current_user(&mut self.session, &self.state.config).await
    }

    /// The signed-in visitor's portfolio `requested` (as sent; the one they selected when
    /// absent), after the ownership check; `None` for a visitor who is not signed in.
    pub async fn portfolio(&mut self, requested: Option<String>) -> Result<Option<OwnedPortfolio>, AppError> {
        match self.user().await? {
            Some(user) => Ok(Some(selection::owned(&self.state.pool, &self.session, user.id, requested).await?)),
            None => Ok(None),
        }
    }
}

/// A signed-in user, with the state and the request's session.
pub struct Caller {
    pub state: AppState,
    pub session: AuthSession,
    pub user: SessionUser,
}

impl Caller {
    /// The caller's portfolio `requested` (as sent; the one they selected when absent), after
    /// the ownership check: 404 unless it is theirs and active.
    pub async fn portfolio(&self, requested: Option<String>) -> Result<OwnedPortfolio, AppError> {
        selection::owned(&self.state.pool, &self.session, self.user.id, requested).await
    }

    /// The id of the portfolio `requested` (as sent), else of the one the caller selected, else
    /// `None` for their personal one — for services that make the ownership check themselves.
    pub async fn requested(&self, requested: Option<String>) -> Result<Option<uuid::Uuid>, AppError> {
        selection::requested(&self.state.pool, &self.session, self.user.id, requested).await
    }
}

/// Runs a server function's `body` for anyone.
pub async fn anyone<T, Body, Fut>(body: Body) -> Result<T, AppError>
where
    Body: FnOnce(Visitor) -> Fut,
    Fut: Future<Output = Result<T, AppError>>,
{
    async {
        let visitor = Visitor { state: AppState::from_context()?, session: session::from_request().await? };
        body(visitor).await
    }
    .await
    .map_err(respond)
}

/// Runs a server function's `body` for the signed-in caller; 401 for anyone else.
pub async fn signed_in<T, Body, Fut>(body: Body) -> Result<T, AppError>
where
    Body: FnOnce(Caller) -> Fut,
    Fut: Future<Output = Result<T, AppError>>,
{
    async {
        let state = AppState::from_context()?;
        let mut session = session::from_request().await?;
        let user = session::require_user(&mut session, &state.config).await?;
        body(Caller { state, session, user }).await
    }
    .await
    .map_err(respond)
}
