//! The compiled site under `/pkg` (WASM, JS, CSS), served from disk outside the session layers:
//! no session lookup for a file. `scripts/build.sh` writes a brotli and a gzip copy of each file
//! beside it; the browser gets the smallest one it accepts.
//!
//! Pages link the files under `/pkg/<version>/`, where the version is a digest of their content
//! taken at start-up ([`version_of`]); those answers may be cached for a year (`immutable`), as a
//! new build has a new address. The same files under plain `/pkg/` (the error pages' stylesheet,
//! an address from another build during a rolling deploy) are revalidated on every use (`no-cache`
//! with Last-Modified, so an unchanged file is a 304).

use crate::server::platform::state::AppState;
use axum::body::Body;
use axum::extract::Request;
use axum::http::{header, HeaderValue, Uri};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::Router;
use sha2::{Digest, Sha256};
use std::path::Path;
use std::sync::Arc;
use tower::ServiceExt;
use tower_http::services::ServeDir;

/// Where the compiled site's files are, below the site root and in the address.
const PKG_DIR: &str = "pkg";
const IMMUTABLE: HeaderValue = HeaderValue::from_static("public, max-age=31536000, immutable");
const REVALIDATE: HeaderValue = HeaderValue::from_static("no-cache");

/// A digest of the compiled files (16 hex digits; the same on every instance of one build), or
/// "none" when there are none (a server without a built site, as in the tests).
pub fn version_of(site_root: &str) -> String {
    let Ok(entries) = std::fs::read_dir(Path::new(site_root).join(PKG_DIR)) else { return "none".into() };
    let mut files: Vec<_> = entries
        .filter_map(|entry| entry.ok().map(|entry| entry.path()))
        .filter(|path| path.extension().is_some_and(|ext| ext == "wasm" || ext == "js" || ext == "css"))
        .collect();
    if files.is_empty() {
        return "none".into();
    }
    files.sort();
    let mut digest = Sha256::new();
    for path in files {
        digest.update(path.file_name().unwrap_or_default().as_encoded_bytes());
        digest.update(std::fs::read(&path).unwrap_or_default());
    }
    digest.finalize().iter().take(8).map(|byte| format!("{byte:02x}")).collect()
}

fn is_version(segment: &str) -> bool {
    segment == "none" || (segment.len() == 16 && segment.bytes().all(|b| b.is_ascii_hexdigit()))
}

/// The address path the pages use for the compiled files of `version`: `pkg/<version>`.
pub fn pkg_path(version: &str) -> String {
    format!("{PKG_DIR}/{version}")
}

/// `GET /pkg/<version>/<file>` and `GET /pkg/<file>`: the files in `<site root>/pkg`.
pub fn routes(site_root: &str, version: &str) -> Router<AppState> {
    let files = ServeDir::new(Path::new(site_root).join(PKG_DIR)).precompressed_br().precompressed_gzip();
    let version: Arc<str> = version.into();
    Router::new().route("/pkg/{*path}", get(move |request: Request| serve(files.clone(), version.clone(), request)))
}

async fn serve(files: ServeDir, version: Arc<str>, mut request: Request) -> Response {
    let path = request.uri().path().strip_prefix("/pkg/").unwrap_or_default().to_owned();
    let (versioned, file) = match path.split_once('/') {
        Some((prefix, file)) if prefix == &*version => (true, file),
        // Another build's address: this build's file, to be checked again next time.
        Some((prefix, file)) if is_version(prefix) => (false, file),
        _ => (false, path.as_str()),
    };
    let Ok(uri) = Uri::try_from(format!("/{file}")) else { return axum::http::StatusCode::NOT_FOUND.into_response() };
    *request.uri_mut() = uri;
    let mut response = match files.oneshot(request).await {
        Ok(response) => response.map(Body::new),
        Err(never) => match never {},
    };
    let policy = if versioned && response.status().is_success() { IMMUTABLE } else { REVALIDATE };
    let headers = response.headers_mut();
    headers.insert(header::CACHE_CONTROL, policy);
    // The answer depends on Accept-Encoding; shared caches must keep one copy per encoding.
    headers.entry(header::VARY).or_insert(HeaderValue::from_static("accept-encoding"));
    response
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_version_follows_the_content_of_the_compiled_files() {
        let root = std::env::temp_dir().join(format!("pt-assets-{}", uuid::Uuid::new_v4().simple()));
        let root_str = root.to_str().unwrap();
        assert_eq!(version_of(root_str), "none");
        std::fs::create_dir_all(root.join("pkg")).unwrap();
        std::fs::write(root.join("pkg/app.js"), "one").unwrap();
        std::fs::write(root.join("pkg/notes.txt"), "not part of the app").unwrap();
        let first = version_of(root_str);
        assert_eq!(first.len(), 16);
        assert_eq!(version_of(root_str), first, "the same files, the same version");
        std::fs::write(root.join("pkg/notes.txt"), "changed, but not compiled output").unwrap();
        assert_eq!(version_of(root_str), first);
        std::fs::write(root.join("pkg/app.js"), "two").unwrap();
        assert_ne!(version_of(root_str), first, "a new build, a new address");
        std::fs::remove_dir_all(root).unwrap();
    }
}
