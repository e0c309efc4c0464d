use crate::harness::TestApp;

#[tokio::test]
async fn healthz_answers_while_the_process_runs() {
    let app = TestApp::spawn_without_database().await;
    let response = app.get("/healthz").await;
    assert_eq!(response.status(), 200);
    assert_eq!(response.json::<serde_json::Value>().await.unwrap()["status"], "ok");
}

#[tokio::test]
async fn readyz_is_ready_when_the_database_answers() {
    let app = TestApp::spawn().await;
    let response = app.get("/readyz").await;
    assert_eq!(response.status(), 200);
    assert_eq!(response.json::<serde_json::Value>().await.unwrap()["database"], "ok");
}

#[tokio::test]
async fn readyz_is_503_when_the_database_is_unreachable() {
    let app = TestApp::spawn_without_database().await;
    let response = app.get("/readyz").await;
    assert_eq!(response.status(), 503);
    assert_eq!(response.json::<serde_json::Value>().await.unwrap()["status"], "unavailable");
}

#[tokio::test]
async fn every_response_carries_a_request_id() {
    let app = TestApp::spawn_without_database().await;
    let first = app.get("/healthz").await;
    let second = app.get("/healthz").await;
    let id = |r: &reqwest::Response| r.headers()["x-request-id"].to_str().unwrap().to_owned();
    assert_eq!(id(&first).len(), 36, "a UUID");
    assert_ne!(id(&first), id(&second));
}

#[tokio::test]
async fn a_request_id_sent_by_a_proxy_is_kept() {
    let app = TestApp::spawn_without_database().await;
    let response =
        app.client.get(format!("{}/healthz", app.address)).header("x-request-id", "edge-42").send().await.unwrap();
    assert_eq!(response.headers()["x-request-id"], "edge-42");
}
