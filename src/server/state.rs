//! The state every handler and server function shares, handed out by axum's `FromRef` and by
//! Leptos context — never a global.

use super::config::Config;
use axum::extract::FromRef;
use leptos::config::LeptosOptions;
use sqlx::PgPool;
use std::sync::Arc;

#[derive(Clone, FromRef)]
pub struct AppState {
    pub leptos_options: LeptosOptions,
    pub pool: PgPool,
    pub config: Arc<Config>,
}

impl AppState {
    pub fn new(config: Config, pool: PgPool) -> AppState {
        AppState { leptos_options: config.leptos_options(), pool, config: Arc::new(config) }
    }
}
