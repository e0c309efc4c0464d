//! What answers an address no route has: a file from the site root (`favicon.ico`,
//! `robots.txt`), else the app's "not found" page with status 404.
//!
//! The page streams like every other page (leptos_axum's own fallback renders it whole before
//! the first byte), so the request deadline in `limits::time_limit` ends it on time if Leptos
//! ever fails to finish it (see docs/OPERATIONS.md, "A page that never finishes"), where the
//! whole-page render became a 503.

use crate::app::shell;
use crate::server::platform::http::security_headers;
use crate::server::platform::state::AppState;
use axum::body::Body;
use axum::extract::{Request, State};
use axum::http::Method;
use axum::response::Response;
use leptos::prelude::provide_context;
use tower::ServiceExt;
use tower_http::services::ServeDir;

/// The fallback handler: a file under the site root, else the rendered 404 page. Anything the
/// file lookup cannot serve (no such file, a name too long for the file system, a POST) gets
/// the page.
pub async fn files_or_page(State(state): State<AppState>, request: Request) -> Response {
    if request.method() == Method::GET || request.method() == Method::HEAD {
        let (parts, body) = request.into_parts();
        let lookup = Request::from_parts(parts.clone(), Body::empty());
        let Ok(file) = ServeDir::new(&*state.leptos_options.site_root).oneshot(lookup).await;
        if file.status().is_success() || file.status().is_redirection() {
            return file.map(Body::new);
        }
        return page(state, Request::from_parts(parts, body)).await;
    }
    page(state, request).await
}

/// The app's page for the request's address (its router shows "not found", status 404).
async fn page(state: AppState, request: Request) -> Response {
    let options = state.leptos_options.clone();
    let context = move || {
        provide_context(state.clone());
        security_headers::provide_nonce();
    };
    leptos_axum::render_app_to_stream_with_context(context, move || shell(options.clone()))(request).await
}
