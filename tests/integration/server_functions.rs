use crate::harness::{seed, TestApp};
use papertrade::domain::Money;
use papertrade::wire::platform::PlatformFigures;
use papertrade::wire::AppError;

#[tokio::test]
async fn platform_figures_count_users_trades_and_cash() {
    let app = TestApp::spawn().await;
    seed(&app.pool).await;

    let response = app.call("platform_stats", &[]).await;

    assert_eq!(response.status(), 200);
    let body: serde_json::Value = response.json().await.unwrap();
    assert_eq!(body["virtual_cash"], "30000.00", "money travels as a string");
    let figures: PlatformFigures = serde_json::from_value(body).unwrap();
    assert_eq!(
        figures,
        PlatformFigures { learners: 3, trades_executed: 7, virtual_cash: Money::from_cents(3_000_000) }
    );
}

#[tokio::test]
async fn an_empty_platform_has_zero_figures() {
    let app = TestApp::spawn().await;

    let figures: PlatformFigures = app.call("platform_stats", &[]).await.json().await.unwrap();

    assert_eq!(figures, PlatformFigures { learners: 0, trades_executed: 0, virtual_cash: Money::ZERO });
}

#[tokio::test]
async fn a_database_outage_is_a_503_that_reveals_nothing_internal() {
    let app = TestApp::spawn_without_database().await;

    let response = app.call("platform_stats", &[]).await;

    assert_eq!(response.status(), 503);
    let text = response.text().await.unwrap();
    let error: AppError = serde_json::from_str(&text).unwrap();
    assert_eq!(error, AppError::Unavailable);
    assert!(!text.contains("127.0.0.1") && !text.to_lowercase().contains("connection"), "{text}");
}
