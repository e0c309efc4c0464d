//! The state every handler and server function shares, handed out by axum's `FromRef` and by
//! Leptos context — never a global.

use crate::server::accounts::password::Passwords;
use crate::server::live::Live;
use crate::server::market::simulated::MarketSeed;
use crate::server::market::Market;
use crate::server::platform::config::Config;
use crate::server::platform::http::rate_limit::RateLimits;
use crate::server::platform::mail::Mailer;
use crate::server::platform::metrics::Metrics;
use crate::wire::AppError;
use axum::extract::FromRef;
use leptos::config::LeptosOptions;
use sqlx::PgPool;
use std::sync::Arc;

/// Password hashes allowed to run at once; each takes ~19 MiB and a core for ~50 ms.
const PASSWORD_HASHING_CONCURRENCY: usize = 2;

#[derive(Clone, FromRef)]
pub struct AppState {
    pub leptos_options: LeptosOptions,
    /// The digest of the compiled files in the pages' addresses for them (`/pkg/<version>/…`).
    pub assets_version: String,
    pub pool: PgPool,
    pub config: Arc<Config>,
    pub passwords: Passwords,
    pub rate_limits: RateLimits,
    /// For OAuth token exchanges and profile requests: no redirects, short timeout.
    pub oauth_http: reqwest::Client,
    pub market: Market,
    /// This instance's open event streams and its database listener.
    pub live: Arc<Live>,
    /// This instance's Prometheus metrics (`GET /metrics`).
    pub metrics: Metrics,
    /// Verification and password-reset letters.
    pub mailer: Mailer,
}

impl AppState {
    /// The state of a server on `pool`, its simulated market walking by the deployment's seed
    /// (read from the database, created there by the first server; or `MARKET_SEED`).
    pub async fn load(config: Config, pool: PgPool) -> Result<AppState, sqlx::Error> {
        let seed = crate::server::market::secret::load_or_create(&pool, config.market_seed).await?;
        Ok(AppState::new(config, pool, seed))
    }

    pub fn new(config: Config, pool: PgPool, market_seed: MarketSeed) -> AppState {
        let assets_version = crate::server::platform::http::assets::version_of(&config.site_root);
        let metrics = Metrics::new();
        AppState {
            leptos_options: config.leptos_options(&crate::server::platform::http::assets::pkg_path(&assets_version)),
            assets_version,
            pool,
            passwords: Passwords::new(PASSWORD_HASHING_CONCURRENCY),
            rate_limits: RateLimits::new(&config),
            oauth_http: crate::server::accounts::oauth::http_client(),
            market: Market::from_config(&config, market_seed),
            live: Live::new(config.live_streams),
            mailer: Mailer::new(&config.mail, metrics.clone()),
            metrics,
            config: Arc::new(config),
        }
    }

    /// The state, from inside a server function.
    pub fn from_context() -> Result<AppState, AppError> {
        leptos::prelude::use_context::<AppState>().ok_or_else(|| {
            tracing::error!("AppState missing from the Leptos context");
            AppError::Internal
        })
    }
}
