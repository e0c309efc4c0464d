use crate::harness::{seed, TestApp};

#[tokio::test]
async fn the_landing_page_is_server_rendered_with_live_figures() {
    let app = TestApp::spawn().await;
    seed(&app.pool).await;

    let response = app.get("/").await;

    assert_eq!(response.status(), 200);
    assert!(response.headers()["content-type"].to_str().unwrap().starts_with("text/html"));
    let html = response.text().await.unwrap();
    assert!(html.contains("Learn to invest by doing"), "hero is rendered");
    assert!(html.contains("<title>Papertrade</title>"), "title is set");
    assert!(html.contains(r#"data-testid="platform-figures""#), "figures are rendered on the server");
    assert!(html.contains("$30,000.00"), "three seeded portfolios of $10,000");
    let version = &app.state.assets_version;
    assert!(
        html.contains(&format!("/pkg/{version}/papertrade.js")),
        "the hydration script is linked under the build's version"
    );
    assert!(html.contains(&format!(r#"href="/pkg/{version}/papertrade.css""#)), "so is the stylesheet");
}

#[tokio::test]
async fn the_landing_page_still_renders_when_the_database_is_down() {
    let app = TestApp::spawn_without_database().await;

    let response = app.get("/").await;

    assert_eq!(response.status(), 200);
    let html = response.text().await.unwrap();
    assert!(html.contains("Learn to invest by doing"));
    assert!(html.contains("Live figures are unavailable right now."));
}

#[tokio::test]
async fn an_unknown_address_gets_a_styled_404_page() {
    let app = TestApp::spawn_without_database().await;

    let response = app.get("/no-such-page").await;

    assert_eq!(response.status(), 404);
    let html = response.text().await.unwrap();
    assert!(html.contains("This page is not on the market"));
    assert!(html.contains("Page not found · Papertrade"));
}
