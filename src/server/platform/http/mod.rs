//! The HTTP surface: Leptos pages and server functions, operational and auth routes, middleware.

pub mod assets;
pub mod endpoint;
mod failures;
mod health;
mod limits;
mod metrics;
mod not_found;
pub mod origin;
pub mod plain_page;
pub mod rate_limit;
mod request_id;
mod security_headers;

use crate::app::{shell, App};
use crate::server::accounts::{session, stale_cookie};
use crate::server::platform::state::AppState;
use axum::middleware::{from_fn, from_fn_with_state};
use axum::routing::{get, post};
use axum::serve::ListenerExt;
use axum::Router;
use leptos_axum::{generate_route_list, LeptosRoutes};
pub use plain_page::{not_found_page, plain_page};
use std::future::{Future, IntoFuture};
use std::net::SocketAddr;
use std::time::Duration;
use tokio::net::TcpListener;
use tower_http::compression::CompressionLayer;

/// The whole application as one axum router.
pub fn router(state: AppState) -> Router {
    let sessions = session::layer(&state.pool, &state.config, state.passwords.clone());
    let app = Router::new()
        .route("/healthz", get(health::healthz))
        .route("/readyz", get(health::readyz))
        .route("/metrics", get(metrics::scrape))
        .route("/history.csv", get(crate::server::portfolio::csv_route::download))
        .route("/games/join/{code}/qr.svg", get(crate::server::games::invite_qr::qr_svg))
        .route("/games/{id}/standings.csv", get(crate::server::games::exports::standings))
        .route("/games/{id}/trades.csv", get(crate::server::games::exports::trades))
        .route("/auth/logout", post(crate::server::accounts::routes::logout))
        .route("/auth/refresh", post(crate::server::accounts::routes::refresh))
        .route("/auth/{provider}", get(crate::server::accounts::oauth::routes::start))
        .route("/auth/{provider}/callback", get(crate::server::accounts::oauth::routes::callback))
        .merge(pages(&state))
        // Pages, JSON and CSV compressed as they are sent (brotli at quality 4, or gzip). Only the
        // routes above: the event stream below is never compressed, and leaving it out of the
        // layer saves each open stream the compressor's 5.8 KB body state.
        .route_layer(CompressionLayer::new())
        .route(crate::wire::live::EVENTS_PATH, get(crate::server::live::route::stream))
        .fallback(not_found::files_or_page)
        .layer(from_fn(stale_cookie::mark_unknown_sessions))
        .layer(sessions)
        .layer(from_fn(stale_cookie::keep_cookie_of_unknown_sessions))
        // Outside the session layers, whose failures are bare 500s.
        .layer(axum::middleware::from_fn(failures::explain_bare_errors))
        // Files need no session: added after the session layers, which therefore skip them.
        .merge(assets::routes(&state.config.site_root, &state.assets_version))
        // Inside the cheap refusals below, so a refused request's body is never read.
        .layer(from_fn(limits::limit_body))
        .layer(from_fn_with_state(state.clone(), rate_limit::limit_auth_requests))
        .layer(from_fn_with_state(state.clone(), origin::refuse_cross_site))
        .layer(from_fn_with_state(state.clone(), limits::time_limit))
        .layer(from_fn_with_state(state.clone(), rate_limit::limit_every_client))
        // Outermost of these, so refused requests (413, 408, 429) are measured too.
        .layer(from_fn_with_state(state.clone(), metrics::track_requests))
        .with_state(state.clone());
    request_id::layer(app).layer(from_fn_with_state(state, security_headers::add))
}

/// The pages, rendered by Leptos, each knowing before it renders who it is for.
fn pages(state: &AppState) -> Router<AppState> {
    let context = || {
        security_headers::provide_nonce();
        session::provide_viewer_status();
        leptos::prelude::provide_context(crate::server::portfolio::OwnedThisRender::default());
    };
    Router::new()
        .leptos_routes_with_context(state, generate_route_list(App), context, {
            let options = state.leptos_options.clone();
            move || shell(options.clone())
        })
        .route_layer(from_fn_with_state(state.clone(), session::resolve_viewer))
}

/// Once shutdown starts, requests still running after this long are dropped, so a stopping
/// instance always exits (a client that stopped reading its event stream cannot hold it open).
pub const SHUTDOWN_GRACE: Duration = Duration::from_secs(8);

/// Serves (and listens for live events) until `shutdown` resolves, then ends the event streams
/// and lets in-flight requests finish for up to [`SHUTDOWN_GRACE`].
pub async fn serve(
    listener: TcpListener,
    state: AppState,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> std::io::Result<()> {
    let live = state.live.clone();
    tokio::spawn(crate::server::live::listener::run(state.pool.clone(), live.clone()));
    let upkeep_until = live.clone();
    tokio::spawn(state.metrics.clone().run_upkeep(async move { upkeep_until.shutdown_started().await }));
    tokio::spawn(rate_limit::forget_idle_clients(state.rate_limits.clone()));
    let app = router(state).into_make_service_with_connect_info::<SocketAddr>();
    // Open event streams end first, so waiting for in-flight requests stays short.
    let signalled = live.clone();
    let shutdown = async move {
        shutdown.await;
        signalled.shut_down();
    };
    // A streamed page leaves in several writes; with Nagle's algorithm each write after the first
    // waited for the browser's delayed ACK (up to 40 ms on Linux): 44 ms per dashboard at 16 clients.
    let listener = listener.tap_io(|connection| {
        if let Err(error) = connection.set_nodelay(true) {
            tracing::debug!(%error, "cannot set TCP_NODELAY on a connection");
        }
    });
    let server = axum::serve(listener, app).with_graceful_shutdown(shutdown);
    tokio::select! {
        result = server.into_future() => result,
        () = async {
            live.shutdown_started().await;
            tokio::time::sleep(SHUTDOWN_GRACE).await;
        } => {
            tracing::warn!(grace = ?SHUTDOWN_GRACE, "requests still running at the end of the grace period were dropped");
            Ok(())
        }
    }
}

/// Resolves on Ctrl-C or SIGTERM.
pub async fn shutdown_signal() {
    let ctrl_c = async {
        if let Err(error) = tokio::signal::ctrl_c().await {
            tracing::error!(%error, "cannot listen for Ctrl-C");
            std::future::pending::<()>().await;
        }
    };
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut signal) => {
                signal.recv().await;
            }
            Err(error) => {
                tracing::error!(%error, "cannot listen for SIGTERM");
                std::future::pending::<()>().await;
            }
        }
    };
    tokio::select! {
        () = ctrl_c => {},
        () = terminate => {},
    }
    tracing::info!("shutting down");
}
