//! The database itself refuses impossible states, whatever the application code does.

use crate::harness::{fresh_pool, seed};
use papertrade::server::tools::seed::DEMO_USER_ID;
use sqlx::PgPool;
use uuid::Uuid;

async fn demo_portfolio(pool: &PgPool) -> Uuid {
    sqlx::query_scalar("SELECT id FROM portfolios WHERE user_id = $1 AND kind = 'personal'")
        .bind(DEMO_USER_ID)
        .fetch_one(pool)
        .await
        .unwrap()
}

fn violated_constraint(error: sqlx::Error) -> String {
    error.as_database_error().and_then(|e| e.constraint()).unwrap_or("(none)").to_owned()
}

#[tokio::test]
async fn cash_can_never_go_below_zero() {
    let pool = fresh_pool().await;
    seed(&pool).await;
    let portfolio = demo_portfolio(&pool).await;

    let result = sqlx::query("UPDATE portfolios SET cash_balance = cash_balance - 1000000 WHERE id = $1")
        .bind(portfolio)
        .execute(&pool)
        .await;

    assert_eq!(violated_constraint(result.unwrap_err()), "portfolios_cash_balance_non_negative");
}

#[tokio::test]
async fn a_holding_cannot_have_zero_shares() {
    let pool = fresh_pool().await;
    seed(&pool).await;
    let portfolio = demo_portfolio(&pool).await;

    let result =
        sqlx::query("UPDATE holdings SET shares = 0 WHERE portfolio_id = $1").bind(portfolio).execute(&pool).await;

    assert_eq!(violated_constraint(result.unwrap_err()), "holdings_shares_positive");
}

#[tokio::test]
async fn the_trade_ledger_is_append_only() {
    let pool = fresh_pool().await;
    seed(&pool).await;

    let result = sqlx::query("UPDATE trades SET price = price * 2").execute(&pool).await;

    let error = result.unwrap_err();
    assert!(error.to_string().contains("append-only"), "{error}");
    let untouched: i64 =
        sqlx::query_scalar("SELECT count(*) FROM trades WHERE price > 1000").fetch_one(&pool).await.unwrap();
    assert_eq!(untouched, 0);
}

#[tokio::test]
async fn an_idempotency_key_is_used_once_per_portfolio() {
    let pool = fresh_pool().await;
    seed(&pool).await;
    let portfolio = demo_portfolio(&pool).await;
    let key: Uuid = sqlx::query_scalar("SELECT idempotency_key FROM trades WHERE portfolio_id = $1 LIMIT 1")
        .bind(portfolio)
        .fetch_one(&pool)
        .await
        .unwrap();

    let result = sqlx::query(
        "INSERT INTO trades (portfolio_id, symbol, side, quantity, price, amount, cash_after, idempotency_key)
         VALUES ($1, 'AAPL', 'buy', 1, 100, 100, 0, $2)",
    )
    .bind(portfolio)
    .bind(key)
    .execute(&pool)
    .await;

    assert_eq!(violated_constraint(result.unwrap_err()), "trades_portfolio_id_idempotency_key_key");
}

#[tokio::test]
async fn a_user_has_one_active_personal_portfolio() {
    let pool = fresh_pool().await;
    seed(&pool).await;

    let result = sqlx::query("INSERT INTO portfolios (user_id) VALUES ($1)").bind(DEMO_USER_ID).execute(&pool).await;

    assert_eq!(violated_constraint(result.unwrap_err()), "portfolios_one_active_personal_per_user");
}

#[tokio::test]
async fn a_user_may_hold_game_portfolios_beside_the_personal_one() {
    let pool = fresh_pool().await;
    seed(&pool).await;
    let insert_game = || sqlx::query("INSERT INTO portfolios (user_id, kind) VALUES ($1, 'game')").bind(DEMO_USER_ID);

    insert_game().execute(&pool).await.expect("a first game portfolio");
    insert_game().execute(&pool).await.expect("a second game portfolio");
    let active: i64 = sqlx::query_scalar("SELECT count(*) FROM portfolios WHERE user_id = $1 AND archived_at IS NULL")
        .bind(DEMO_USER_ID)
        .fetch_one(&pool)
        .await
        .unwrap();
    assert_eq!(active, 3);

    let unknown = sqlx::query("INSERT INTO portfolios (user_id, kind) VALUES ($1, 'club')").bind(DEMO_USER_ID);
    assert_eq!(violated_constraint(unknown.execute(&pool).await.unwrap_err()), "portfolios_kind_known");
}

#[tokio::test]
async fn emails_of_local_accounts_are_unique() {
    let pool = fresh_pool().await;
    seed(&pool).await;

    let result =
        sqlx::query("INSERT INTO users (email, password_hash, username) VALUES ('demo@papertrade.dev', 'x', 'demo2')")
            .execute(&pool)
            .await;

    assert_eq!(violated_constraint(result.unwrap_err()), "users_local_email_key");
}

#[tokio::test]
async fn deleting_a_user_deletes_everything_they_own() {
    let pool = fresh_pool().await;
    seed(&pool).await;
    let portfolio = demo_portfolio(&pool).await;

    sqlx::query("DELETE FROM users WHERE id = $1").bind(DEMO_USER_ID).execute(&pool).await.unwrap();

    let (portfolios, holdings, trades, notifications): (i64, i64, i64, i64) = sqlx::query_as(
        "SELECT (SELECT count(*) FROM portfolios WHERE user_id = $1),
                (SELECT count(*) FROM holdings WHERE portfolio_id = $2),
                (SELECT count(*) FROM trades WHERE portfolio_id = $2),
                (SELECT count(*) FROM notifications WHERE user_id = $1)",
    )
    .bind(DEMO_USER_ID)
    .bind(portfolio)
    .fetch_one(&pool)
    .await
    .unwrap();
    assert_eq!((portfolios, holdings, trades, notifications), (0, 0, 0, 0));
}

#[tokio::test]
async fn every_foreign_key_is_indexed() {
    let pool = fresh_pool().await;

    // Foreign-key columns that are not the leading column of any index.
    let unindexed: Vec<String> = sqlx::query_scalar(
        "SELECT c.conrelid::regclass || '.' || a.attname
         FROM pg_constraint c
         JOIN pg_attribute a ON a.attrelid = c.conrelid AND a.attnum = c.conkey[1]
         WHERE c.contype = 'f'
           AND NOT EXISTS (SELECT 1 FROM pg_index i WHERE i.indrelid = c.conrelid AND i.indkey[0] = c.conkey[1])",
    )
    .fetch_all(&pool)
    .await
    .unwrap();

    assert!(unindexed.is_empty(), "unindexed foreign keys: {unindexed:?}");
}
