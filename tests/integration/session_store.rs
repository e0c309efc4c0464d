//! Our session store (`server::auth::store`) is pinned to the maintained one it stands in for,
//! tower-sessions-sqlx-store's `PostgresStore`: same table, same SQL, same encoding. A session
//! written by either is read, saved over and deleted by the other, so upgrading that crate (or
//! going back to it) keeps every user signed in — and this test says so when it stops being true.

use crate::harness::fresh_pool;
use papertrade::server::accounts::store::PgSessionStore;
use std::collections::HashMap;
use tower_sessions::cookie::time::{Duration, OffsetDateTime};
use tower_sessions::session::{Id, Record};
use tower_sessions::session_store::SessionStore;
use tower_sessions_sqlx_store::PostgresStore;

fn record(user: &str) -> Record {
    let data = HashMap::from([
        ("axum-login.data".to_owned(), serde_json::json!({ "user_id": user, "auth_hash": [1, 2, 3] })),
        ("papertrade.logged_in_at".to_owned(), serde_json::json!(1_764_000_000)),
    ]);
    // Whole seconds: the table keeps microseconds, and this compares records exactly.
    let expiry_date = (OffsetDateTime::now_utc() + Duration::hours(1)).replace_nanosecond(0).unwrap();
    Record { id: Id::default(), data, expiry_date }
}

#[tokio::test]
async fn a_session_written_by_the_maintained_store_is_read_by_ours_and_back() {
    let pool = fresh_pool().await;
    let theirs = PostgresStore::new(pool.clone());
    let ours = PgSessionStore::new(pool.clone());

    let mut written_by_them = record("ada");
    theirs.create(&mut written_by_them).await.unwrap();
    assert_eq!(ours.load(&written_by_them.id).await.unwrap(), Some(written_by_them.clone()));

    let mut written_by_us = record("bob");
    ours.create(&mut written_by_us).await.unwrap();
    assert_eq!(theirs.load(&written_by_us.id).await.unwrap(), Some(written_by_us.clone()));

    // A save by one is seen by the other; a delete by one ends the session for both.
    written_by_them.data.insert("papertrade.logged_in_at".into(), serde_json::json!(1_764_000_600));
    ours.save(&written_by_them).await.unwrap();
    assert_eq!(theirs.load(&written_by_them.id).await.unwrap(), Some(written_by_them.clone()));
    theirs.delete(&written_by_us.id).await.unwrap();
    assert_eq!(ours.load(&written_by_us.id).await.unwrap(), None);
}

#[tokio::test]
async fn an_expired_session_is_gone_for_both_stores() {
    let pool = fresh_pool().await;
    let theirs = PostgresStore::new(pool.clone());
    let ours = PgSessionStore::new(pool.clone());
    let mut expired = record("ada");
    expired.expiry_date = OffsetDateTime::now_utc() - Duration::minutes(1);

    theirs.save(&expired).await.unwrap();

    assert_eq!(ours.load(&expired.id).await.unwrap(), None);
    assert_eq!(theirs.load(&expired.id).await.unwrap(), None);
}

/// A signed-in user's requests keep their session alive: each moves the idle expiry on — but the
/// session is written at most once a minute, not on every request.
#[tokio::test]
async fn an_active_session_moves_its_idle_expiry_on_at_most_once_a_minute() {
    use std::str::FromStr;
    let app = crate::harness::TestApp::spawn().await;
    let client = crate::harness::browser();
    crate::auth::sign_up(&app, &client, "idle@example.com", "idle").await;
    let store = PgSessionStore::new(app.pool.clone());
    let id: String = sqlx::query_scalar("SELECT id FROM tower_sessions.session").fetch_one(&app.pool).await.unwrap();
    let id = Id::from_str(&id).unwrap();
    let stored_expiry = || async {
        let at: chrono::DateTime<chrono::Utc> =
            sqlx::query_scalar("SELECT expiry_date FROM tower_sessions.session").fetch_one(&app.pool).await.unwrap();
        at - chrono::Utc::now()
    };

    // The session as if its idle end were five minutes away; it was touched just now (the login).
    let mut record = store.load(&id).await.unwrap().expect("the new session");
    record.expiry_date = OffsetDateTime::now_utc() + Duration::minutes(5);
    store.save(&record).await.unwrap();
    assert!(crate::auth::viewer(&app, &client).await.is_some());
    let left = stored_expiry().await;
    assert!(left <= chrono::Duration::minutes(5), "written again within the minute: {left}");

    // Last touched two minutes ago: the next request writes the session, with a whole idle time ahead.
    let two_minutes_ago = chrono::Utc::now().timestamp() - 120;
    record.data.insert("papertrade.touched_at".into(), serde_json::json!(two_minutes_ago));
    store.save(&record).await.unwrap();
    assert!(crate::auth::viewer(&app, &client).await.is_some());
    let left = stored_expiry().await;
    assert!(left > chrono::Duration::hours(23), "the idle expiry (24 h) moved on: {left}");
}
