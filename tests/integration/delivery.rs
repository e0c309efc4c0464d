//! How responses travel: compiled files from /pkg (precompressed copies, revalidation, no session
//! work) and pages compressed on the fly, event streams never.

use crate::harness::TestApp;
use crate::trading::learner;
use reqwest::header::{
    ACCEPT_ENCODING, CACHE_CONTROL, CONTENT_ENCODING, IF_MODIFIED_SINCE, LAST_MODIFIED, SET_COOKIE, VARY,
};

const CSS: &str = "body { color: black; }\n";

/// A site root whose pkg/ holds app.css and the brotli and gzip copies scripts/build.sh writes.
fn site_root() -> std::path::PathBuf {
    let root = std::env::temp_dir().join(format!("pt-delivery-{}", uuid::Uuid::new_v4().simple()));
    std::fs::create_dir_all(root.join("pkg")).unwrap();
    std::fs::write(root.join("pkg/app.css"), CSS).unwrap();
    std::fs::write(root.join("pkg/app.css.br"), b"brotli bytes").unwrap();
    std::fs::write(root.join("pkg/app.css.gz"), b"gzip bytes").unwrap();
    root
}

async fn app() -> TestApp {
    let root = site_root();
    TestApp::spawn_with(&[("LEPTOS_SITE_ROOT", root.to_str().unwrap())]).await
}

#[tokio::test]
async fn compiled_files_are_served_precompressed_and_revalidated() {
    let app = app().await;
    let get = |encoding: &'static str| {
        app.client.get(format!("{}/pkg/app.css", app.address)).header(ACCEPT_ENCODING, encoding)
    };

    let brotli = get("gzip, br").send().await.unwrap();
    assert_eq!(brotli.status(), 200);
    assert_eq!(brotli.headers()[CONTENT_ENCODING], "br");
    assert_eq!(brotli.headers()[CACHE_CONTROL], "no-cache");
    assert!(brotli.headers()[VARY].to_str().unwrap().contains("accept-encoding"));
    assert!(brotli.headers().get(SET_COOKIE).is_none(), "a file never touches the session");
    assert_eq!(brotli.bytes().await.unwrap().as_ref(), b"brotli bytes");

    let gzip = get("gzip").send().await.unwrap();
    assert_eq!(gzip.headers()[CONTENT_ENCODING], "gzip");
    assert_eq!(gzip.bytes().await.unwrap().as_ref(), b"gzip bytes");

    let plain = get("identity").send().await.unwrap();
    assert!(plain.headers().get(CONTENT_ENCODING).is_none());
    let modified = plain.headers()[LAST_MODIFIED].clone();
    assert_eq!(plain.text().await.unwrap(), CSS);

    let again = get("br").header(IF_MODIFIED_SINCE, modified).send().await.unwrap();
    assert_eq!(again.status(), 304, "an unchanged file is not sent again");

    let missing = app.get("/pkg/nothing.wasm").await;
    assert_eq!(missing.status(), 404);
}

#[tokio::test]
async fn pages_link_the_files_under_the_builds_version_which_may_be_cached_for_a_year() {
    let root = site_root();
    let version = papertrade::server::platform::http::assets::version_of(root.to_str().unwrap());
    let app = TestApp::spawn_with(&[("LEPTOS_SITE_ROOT", root.to_str().unwrap())]).await;

    let html = app.get("/").await.text().await.unwrap();
    assert!(html.contains(&format!(r#"href="/pkg/{version}/papertrade.css""#)), "{html}");
    let versioned = app.get(&format!("/pkg/{version}/app.css")).await;
    assert_eq!(versioned.status(), 200);
    assert_eq!(versioned.headers()[CACHE_CONTROL], "public, max-age=31536000, immutable");
    assert_eq!(versioned.text().await.unwrap(), CSS);

    // An address from another build (a page served by an instance still on it): the file is
    // sent, but must not be kept as if it were that build's.
    let other_build = app.get("/pkg/0123456789abcdef/app.css").await;
    assert_eq!(other_build.status(), 200);
    assert_eq!(other_build.headers()[CACHE_CONTROL], "no-cache");
    let missing = app.get(&format!("/pkg/{version}/nothing.wasm")).await;
    assert_eq!(missing.status(), 404);
    assert_eq!(missing.headers()[CACHE_CONTROL], "no-cache", "a 404 is never cached for a year");
}

#[tokio::test]
async fn pages_and_data_are_compressed_for_browsers_that_accept_it() {
    let app = app().await;
    let ada = learner(&app, "ada").await;

    let page = app.client.get(format!("{}/", app.address)).header(ACCEPT_ENCODING, "br").send().await.unwrap();
    assert_eq!(page.status(), 200);
    assert_eq!(page.headers()[CONTENT_ENCODING], "br");
    let compressed = page.bytes().await.unwrap().len();
    let plain = app.get("/").await;
    assert!(plain.headers().get(CONTENT_ENCODING).is_none(), "no Accept-Encoding, no compression");
    let html = plain.text().await.unwrap();
    assert!(html.contains("</html>"));
    assert!(compressed * 2 < html.len(), "brotli: {compressed} bytes for {} bytes of HTML", html.len());

    let events = ada.get(format!("{}/events", app.address)).header(ACCEPT_ENCODING, "br, gzip").send().await.unwrap();
    assert_eq!(events.status(), 200);
    assert_eq!(events.headers()["content-type"], "text/event-stream");
    assert!(events.headers().get(CONTENT_ENCODING).is_none(), "an event stream is sent as it is written");
}
