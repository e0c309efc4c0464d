//! The compiled site under `/pkg` (WASM, JS, CSS), served from disk outside the session layers:
//! no session lookup for a file. `scripts/build.sh` writes a brotli and a gzip copy of each file
//! beside it; the browser gets the smallest one it accepts. The names are not content-hashed, so
//! a browser keeps a file but asks again each time (`no-cache`) and gets a 304 while it is
//! unchanged (Last-Modified / If-Modified-Since).

use super::super::state::AppState;
use axum::http::{header, HeaderValue};
use axum::Router;
use std::path::Path;
use tower_http::services::ServeDir;
use tower_http::set_header::SetResponseHeaderLayer;

/// Where the compiled site's files are served from.
pub const PKG_PATH: &str = "/pkg";

/// `GET /pkg/*`: the files in `<site root>/pkg`.
pub fn routes(site_root: &str) -> Router<AppState> {
    let files = ServeDir::new(Path::new(site_root).join("pkg")).precompressed_br().precompressed_gzip();
    Router::new()
        .nest_service(PKG_PATH, files)
        .layer(SetResponseHeaderLayer::overriding(header::CACHE_CONTROL, HeaderValue::from_static("no-cache")))
        // The answer depends on Accept-Encoding; shared caches must keep one copy per encoding.
        .layer(SetResponseHeaderLayer::if_not_present(header::VARY, HeaderValue::from_static("accept-encoding")))
}
