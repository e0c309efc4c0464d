use crate::harness::{fresh_pool, seed};
use papertrade::domain::Email;
use papertrade::server::accounts::password::Passwords;
use papertrade::server::accounts::repo::users;
use papertrade::server::tools::seed::{SeedOutcome, DEMO_EMAIL, DEMO_PASSWORD};
use rust_decimal::Decimal;
use sqlx::PgPool;

async fn row_counts(pool: &PgPool) -> (i64, i64, i64, i64, i64) {
    sqlx::query_as(
        "SELECT (SELECT count(*) FROM users), (SELECT count(*) FROM portfolios), (SELECT count(*) FROM holdings),
                (SELECT count(*) FROM trades), (SELECT count(*) FROM notifications)",
    )
    .fetch_one(pool)
    .await
    .unwrap()
}

#[tokio::test]
async fn seeding_twice_changes_nothing() {
    let pool = fresh_pool().await;

    assert_eq!(seed(&pool).await, SeedOutcome::Seeded { users: 3, trades: 7 });
    let after_first = row_counts(&pool).await;
    assert_eq!(seed(&pool).await, SeedOutcome::AlreadySeeded);

    assert_eq!(row_counts(&pool).await, after_first);
    assert_eq!(after_first, (3, 3, 6, 7, 7));
}

#[tokio::test]
async fn concurrent_seeders_seed_once() {
    let pool = fresh_pool().await;

    let (a, b) = tokio::join!(seed(&pool), seed(&pool));

    let mut outcomes = [a, b];
    outcomes.sort_by_key(|o| matches!(o, SeedOutcome::AlreadySeeded));
    assert_eq!(outcomes, [SeedOutcome::Seeded { users: 3, trades: 7 }, SeedOutcome::AlreadySeeded]);
    assert_eq!(row_counts(&pool).await.0, 3);
}

#[tokio::test]
async fn seeded_balances_equal_a_replay_of_the_ledger() {
    let pool = fresh_pool().await;
    seed(&pool).await;

    // Cash = starting cash - buys + sells, and the last ledger row agrees.
    let cash_mismatches: Vec<(Decimal, Decimal, Option<Decimal>)> = sqlx::query_as(
        "SELECT p.cash_balance,
                p.starting_cash - COALESCE(sum(CASE t.side WHEN 'buy' THEN t.amount ELSE -t.amount END), 0),
                (SELECT cash_after FROM trades WHERE portfolio_id = p.id ORDER BY executed_at DESC LIMIT 1)
         FROM portfolios p LEFT JOIN trades t ON t.portfolio_id = p.id
         GROUP BY p.id
         HAVING p.cash_balance <> p.starting_cash - COALESCE(sum(CASE t.side WHEN 'buy' THEN t.amount ELSE -t.amount END), 0)
             OR p.cash_balance <> COALESCE((SELECT cash_after FROM trades WHERE portfolio_id = p.id
                                            ORDER BY executed_at DESC LIMIT 1), p.cash_balance)",
    )
    .fetch_all(&pool)
    .await
    .unwrap();
    assert!(cash_mismatches.is_empty(), "{cash_mismatches:?}");

    // Shares held = bought - sold, per symbol, and nothing held that the ledger does not explain.
    let share_mismatches: Vec<(String, Option<i64>, Option<i64>)> = sqlx::query_as(
        "WITH ledger AS (
             SELECT portfolio_id, symbol, sum(CASE side WHEN 'buy' THEN quantity ELSE -quantity END)::bigint AS net
             FROM trades GROUP BY portfolio_id, symbol)
         SELECT COALESCE(h.symbol, l.symbol), h.shares, l.net
         FROM holdings h FULL JOIN ledger l ON l.portfolio_id = h.portfolio_id AND l.symbol = h.symbol
         WHERE COALESCE(h.shares, 0) <> COALESCE(l.net, 0)",
    )
    .fetch_all(&pool)
    .await
    .unwrap();
    assert!(share_mismatches.is_empty(), "{share_mismatches:?}");
}

#[tokio::test]
async fn the_demo_account_signs_in_with_the_documented_password() {
    let pool = fresh_pool().await;
    seed(&pool).await;

    let mut conn = pool.acquire().await.unwrap();
    let hash = users::password_hash_by_email(&mut conn, &Email::parse(DEMO_EMAIL).unwrap()).await.unwrap().unwrap();

    assert!(hash.starts_with("$argon2id$"));
    let passwords = Passwords::new(1);
    assert!(passwords.verify(DEMO_PASSWORD, &hash).await.unwrap());
    assert!(!passwords.verify("wrong-password", &hash).await.unwrap());
}
