//! Accounts and sessions over HTTP: every rule has a test that fails without it.

use crate::harness::{browser, session_cookie, session_set_cookie, TestApp};
use papertrade::domain::valuation::PortfolioValue as PortfolioOverview;
use papertrade::domain::AuthProvider;
use papertrade::wire::auth::Viewer;
use papertrade::wire::AppError;

pub const PASSWORD: &str = "correct horse battery";

pub async fn sign_up(app: &TestApp, client: &reqwest::Client, email: &str, username: &str) -> reqwest::Response {
    let response =
        app.call_as(client, "sign_up", &[("email", email), ("username", username), ("password", PASSWORD)]).await;
    assert!(response.status().is_success(), "sign-up answered {}", response.status());
    response
}

async fn log_in(app: &TestApp, client: &reqwest::Client, email: &str, password: &str) -> reqwest::Response {
    app.call_as(client, "log_in", &[("email", email), ("password", password)]).await
}

pub async fn viewer(app: &TestApp, client: &reqwest::Client) -> Option<Viewer> {
    app.call_as(client, "current_user", &[]).await.json().await.unwrap()
}

/// Sends a request carrying exactly `cookie`, from no jar.
async fn viewer_with_cookie(app: &TestApp, cookie: &str) -> Option<Viewer> {
    reqwest::Client::new()
        .post(format!("{}/api/current_user", app.address))
        .header("cookie", cookie)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap()
}

#[tokio::test]
async fn sign_up_signs_the_new_user_in_with_a_safe_cookie() {
    let app = TestApp::spawn().await;
    let client = browser();

    let response = sign_up(&app, &client, "ada@example.com", "ada").await;

    let cookie = session_set_cookie(&response).expect("a session cookie");
    assert!(cookie.contains("HttpOnly"), "{cookie}");
    assert!(cookie.contains("SameSite=Lax"), "{cookie}");
    assert!(!cookie.contains("Secure"), "plain http in tests: {cookie}");
    let me = viewer(&app, &client).await.expect("signed in");
    assert_eq!((me.username.as_str(), me.provider), ("ada", AuthProvider::Local));
    let portfolio: PortfolioOverview = app.call_as(&client, "my_portfolio", &[]).await.json().await.unwrap();
    assert_eq!(portfolio.cash.to_string(), "10000.00");
}

#[tokio::test]
async fn cookies_are_secure_when_served_over_https() {
    let app = TestApp::spawn_with(&[("PUBLIC_URL", "https://papertrade.example")]).await;

    let response = app
        .client
        .post(format!("{}/api/start_guest", app.address))
        .header("origin", "https://papertrade.example")
        .send()
        .await
        .unwrap();

    assert!(session_set_cookie(&response).expect("a session cookie").contains("Secure"));
}

#[tokio::test]
async fn bad_sign_up_fields_are_named() {
    let app = TestApp::spawn().await;
    sign_up(&app, &browser(), "ada@example.com", "ada").await;

    for (email, username, password, field) in [
        ("not-an-email", "bob", PASSWORD, "email"),
        ("bob@example.com", "b", PASSWORD, "username"),
        ("bob@example.com", "bob", "short", "password"),
        ("bob@example.com", "bob", "password123", "password"),
        ("ADA@example.com", "bob", PASSWORD, "email"),
        ("bob@example.com", "ADA", PASSWORD, "username"),
    ] {
        let response = app.call("sign_up", &[("email", email), ("username", username), ("password", password)]).await;
        assert_eq!(response.status(), 400, "{email} {username}");
        let error: AppError = response.json().await.unwrap();
        assert!(error.message_for(field).is_some(), "{error:?} should be about {field}");
    }
}

#[tokio::test]
async fn unknown_email_and_wrong_password_get_the_same_answer() {
    let app = TestApp::spawn().await;
    sign_up(&app, &browser(), "ada@example.com", "ada").await;

    let wrong_password = log_in(&app, &browser(), "ada@example.com", "not the password").await;
    let unknown_email = log_in(&app, &browser(), "nobody@example.com", "not the password").await;

    assert_eq!(wrong_password.status(), 400);
    assert_eq!(unknown_email.status(), 400);
    assert_eq!(wrong_password.text().await.unwrap(), unknown_email.text().await.unwrap());
}

#[tokio::test]
async fn each_login_gets_a_new_session_id_and_the_old_one_stops_working() {
    let app = TestApp::spawn().await;
    let client = browser();
    let first = session_cookie(&sign_up(&app, &client, "ada@example.com", "ada").await).unwrap();

    let again = log_in(&app, &client, "ada@example.com", PASSWORD).await;

    assert!(again.status().is_success());
    let second = session_cookie(&again).expect("a new session cookie");
    assert_ne!(first, second);
    assert!(viewer_with_cookie(&app, &first).await.is_none(), "the pre-login id is dead");
    assert!(viewer_with_cookie(&app, &second).await.is_some());
}

#[tokio::test]
async fn logout_ends_the_session_on_the_server() {
    let app = TestApp::spawn().await;
    let client = browser();
    let cookie = session_cookie(&sign_up(&app, &client, "ada@example.com", "ada").await).unwrap();

    let response = client.post(format!("{}/auth/logout", app.address)).send().await.unwrap();

    assert_eq!(response.status(), 303);
    let removal = session_set_cookie(&response).expect("the cookie is cleared");
    assert!(removal.starts_with("papertrade_session=;") && removal.contains("Max-Age=0"), "{removal}");
    assert!(viewer_with_cookie(&app, &cookie).await.is_none(), "a copied cookie no longer works");
}

/// A page's request sent with the id from before a sign-in rotated it, answered after the
/// sign-in: it must not clear the new cookie (that signed a guest out while connecting Google).
#[tokio::test]
async fn a_late_request_with_a_rotated_id_leaves_the_new_cookie_alone() {
    let app = TestApp::spawn().await;
    let client = browser();
    let old = session_cookie(&sign_up(&app, &client, "ada@example.com", "ada").await).unwrap();
    let login = client
        .post(format!("{}/api/log_in", app.address))
        .form(&[("email", "ada@example.com"), ("password", PASSWORD)])
        .send()
        .await
        .unwrap();
    let new = session_cookie(&login).expect("a new id");
    assert_ne!(new, old);

    let late = reqwest::Client::new()
        .post(format!("{}/api/current_user", app.address))
        .header("cookie", &old)
        .send()
        .await
        .unwrap();
    assert_eq!(late.status(), 200);
    assert_eq!(session_set_cookie(&late), None, "no removal cookie for an id the store does not know");
    assert!(late.json::<Option<Viewer>>().await.unwrap().is_none(), "and the old id opens nothing");
    assert!(viewer_with_cookie(&app, &new).await.is_some(), "the new id is signed in");
}

#[tokio::test]
async fn a_password_change_ends_the_other_sessions_only() {
    let app = TestApp::spawn().await;
    let (laptop, phone) = (browser(), browser());
    sign_up(&app, &laptop, "ada@example.com", "ada").await;
    assert!(log_in(&app, &phone, "ada@example.com", PASSWORD).await.status().is_success());

    let response = app
        .call_as(
            &laptop,
            "change_password",
            &[("current_password", PASSWORD), ("new_password", "a brand new passphrase")],
        )
        .await;

    assert_eq!(response.status(), 200);
    assert!(viewer(&app, &laptop).await.is_some(), "this session continues");
    assert!(viewer(&app, &phone).await.is_none(), "the other session ended");
    assert_eq!(log_in(&app, &browser(), "ada@example.com", PASSWORD).await.status(), 400);
    assert!(log_in(&app, &browser(), "ada@example.com", "a brand new passphrase").await.status().is_success());
}

#[tokio::test]
async fn a_wrong_current_password_is_refused() {
    let app = TestApp::spawn().await;
    let client = browser();
    sign_up(&app, &client, "ada@example.com", "ada").await;

    let response = app
        .call_as(&client, "change_password", &[("current_password", "guess"), ("new_password", "another long one")])
        .await;

    assert_eq!(response.status(), 400);
    assert!(response.json::<AppError>().await.unwrap().message_for("current_password").is_some());
}

#[tokio::test]
async fn a_weak_stored_hash_is_replaced_at_the_next_login() {
    use argon2::password_hash::{rand_core::OsRng, PasswordHasher, SaltString};
    let app = TestApp::spawn().await;
    sign_up(&app, &browser(), "ada@example.com", "ada").await;
    let weak = argon2::Argon2::new(
        argon2::Algorithm::Argon2id,
        argon2::Version::V0x13,
        argon2::Params::new(4096, 1, 1, None).unwrap(),
    )
    .hash_password(PASSWORD.as_bytes(), &SaltString::generate(&mut OsRng))
    .unwrap()
    .to_string();
    sqlx::query("UPDATE users SET password_hash = $1").bind(&weak).execute(&app.pool).await.unwrap();

    assert!(log_in(&app, &browser(), "ada@example.com", PASSWORD).await.status().is_success());

    let stored: String = sqlx::query_scalar("SELECT password_hash FROM users").fetch_one(&app.pool).await.unwrap();
    assert!(stored.starts_with("$argon2id$v=19$m=19456,t=2,p=1$"), "{stored}");
}

#[tokio::test]
async fn after_login_only_same_site_paths_are_followed() {
    let app = TestApp::spawn().await;
    sign_up(&app, &browser(), "ada@example.com", "ada").await;

    for (next, expected) in [
        ("/account", "/account"),
        ("//evil.example", "/dashboard"),
        ("/\\evil.example", "/dashboard"),
        ("https://evil.example/", "/dashboard"),
    ] {
        // A plain HTML form post (no JavaScript) gets a real redirect.
        let response = browser()
            .post(format!("{}/api/log_in", app.address))
            .header("accept", "text/html")
            .form(&[("email", "ada@example.com"), ("password", PASSWORD), ("next", next)])
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), 302, "{next}");
        assert_eq!(response.headers()["location"], expected, "{next}");
    }
}

#[tokio::test]
async fn log_in_is_rate_limited_per_client_with_retry_after() {
    let app = TestApp::spawn_with(&[("AUTH_RATE_LIMIT_BURST", "3"), ("AUTH_RATE_LIMIT_REFILL_SECS", "60")]).await;

    let mut statuses = Vec::new();
    for attempt in 0..4 {
        let email = format!("user{attempt}@example.com");
        let response = log_in(&app, &browser(), &email, "whatever-it-is").await;
        statuses.push(response.status().as_u16());
        if response.status() == 429 {
            let wait: u64 = response.headers()["retry-after"].to_str().unwrap().parse().unwrap();
            assert!((1..=60).contains(&wait), "{wait}");
        }
    }

    assert_eq!(statuses, [400, 400, 400, 429]);
}

#[tokio::test]
async fn log_in_is_rate_limited_per_account() {
    let app = TestApp::spawn_with(&[("AUTH_RATE_LIMIT_BURST", "2"), ("AUTH_RATE_LIMIT_REFILL_SECS", "60")]).await;
    sign_up(&app, &browser(), "ada@example.com", "ada").await;
    // The per-IP limit was partly used by the sign-up; the account limit is separate.
    let first = log_in(&app, &browser(), "ADA@example.com", "wrong password 1").await;
    let second = log_in(&app, &browser(), "ada@example.com", "wrong password 2").await;

    assert_eq!(first.status(), 400);
    assert_eq!(second.status(), 429, "both counted against one account, whatever the case");
    assert!(second.headers().contains_key("retry-after"));
}

#[tokio::test]
async fn cross_site_state_changes_are_refused() {
    let app = TestApp::spawn().await;
    let client = browser();
    sign_up(&app, &client, "ada@example.com", "ada").await;

    let foreign_origin = client
        .post(format!("{}/api/delete_account", app.address))
        .header("origin", "https://evil.example")
        .form(&[("confirmation", "ada")])
        .send()
        .await
        .unwrap();
    let cross_site_fetch = client
        .post(format!("{}/auth/logout", app.address))
        .header("sec-fetch-site", "cross-site")
        .send()
        .await
        .unwrap();

    assert_eq!(foreign_origin.status(), 403);
    assert_eq!(cross_site_fetch.status(), 403);
    assert!(viewer(&app, &client).await.is_some(), "still signed in, account intact");
}

#[tokio::test]
async fn user_data_needs_a_session() {
    let app = TestApp::spawn().await;

    for endpoint in ["my_portfolio", "change_password", "update_profile", "delete_account", "upgrade_guest"] {
        let response = app
            .call(
                endpoint,
                &[
                    ("current_password", "x"),
                    ("new_password", "y"),
                    ("username", "u"),
                    ("avatar_url", ""),
                    ("confirmation", "u"),
                    ("email", "e@x.io"),
                    ("password", "p"),
                ],
            )
            .await;
        assert_eq!(response.status(), 401, "{endpoint}");
    }
}

#[tokio::test]
async fn a_guest_becomes_a_real_account_and_keeps_the_portfolio() {
    let app = TestApp::spawn().await;
    let client = browser();
    let guest_cookie = session_cookie(&app.call_as(&client, "start_guest", &[]).await).expect("guest session");
    let guest = viewer(&app, &client).await.expect("signed in as guest");
    assert!(guest.is_guest());
    let portfolio_before: uuid::Uuid = sqlx::query_scalar("SELECT id FROM portfolios WHERE user_id = $1")
        .bind(guest.id)
        .fetch_one(&app.pool)
        .await
        .unwrap();

    let response = app
        .call_as(
            &client,
            "upgrade_guest",
            &[("email", "grace@example.com"), ("username", "grace"), ("password", PASSWORD)],
        )
        .await;

    assert!(response.status().is_success(), "{}", response.status());
    let upgraded = viewer(&app, &client).await.expect("still signed in");
    assert_eq!((upgraded.id, upgraded.provider, upgraded.username.as_str()), (guest.id, AuthProvider::Local, "grace"));
    let portfolio_after: uuid::Uuid = sqlx::query_scalar("SELECT id FROM portfolios WHERE user_id = $1")
        .bind(guest.id)
        .fetch_one(&app.pool)
        .await
        .unwrap();
    assert_eq!(portfolio_before, portfolio_after);
    assert!(viewer_with_cookie(&app, &guest_cookie).await.is_none(), "the session id changed at the upgrade");
    assert!(log_in(&app, &browser(), "grace@example.com", PASSWORD).await.status().is_success());
}

#[tokio::test]
async fn abandoned_guests_are_deleted_after_the_retention_time() {
    let app = TestApp::spawn_with(&[("GUEST_RETENTION_MINUTES", "60")]).await;
    app.call_as(&browser(), "start_guest", &[]).await;
    app.call_as(&browser(), "start_guest", &[]).await;
    sign_up(&app, &browser(), "ada@example.com", "ada").await;
    sqlx::query("UPDATE users SET created_at = now() - interval '2 hours' WHERE username LIKE 'guest-%' AND ctid IN (SELECT ctid FROM users WHERE provider = 'guest' LIMIT 1)")
        .execute(&app.pool).await.unwrap();
    sqlx::query("UPDATE users SET created_at = now() - interval '2 hours' WHERE provider = 'local'")
        .execute(&app.pool)
        .await
        .unwrap();

    let state = papertrade::server::platform::state::AppState::load(
        crate::harness::config_with("postgres://unused@127.0.0.1/unused", &[("GUEST_RETENTION_MINUTES", "60")]),
        app.pool.clone(),
    )
    .await
    .unwrap();
    let deleted = papertrade::server::platform::background::delete_abandoned_guests(&state).await.unwrap();

    assert_eq!(deleted, 1);
    let (guests, locals): (i64, i64) = sqlx::query_as(
        "SELECT count(*) FILTER (WHERE provider = 'guest'), count(*) FILTER (WHERE provider = 'local') FROM users",
    )
    .fetch_one(&app.pool)
    .await
    .unwrap();
    assert_eq!((guests, locals), (1, 1), "the recent guest and the old real account stay");
}

#[tokio::test]
async fn deleting_the_account_needs_the_username_and_removes_everything() {
    let app = TestApp::spawn().await;
    let client = browser();
    sign_up(&app, &client, "ada@example.com", "ada").await;

    let wrong = app.call_as(&client, "delete_account", &[("confirmation", "not-ada")]).await;
    assert_eq!(wrong.status(), 400);
    let right = app.call_as(&client, "delete_account", &[("confirmation", "ada")]).await;

    assert!(right.status().is_success());
    let (users, portfolios): (i64, i64) =
        sqlx::query_as("SELECT (SELECT count(*) FROM users), (SELECT count(*) FROM portfolios)")
            .fetch_one(&app.pool)
            .await
            .unwrap();
    assert_eq!((users, portfolios), (0, 0));
    assert!(viewer(&app, &client).await.is_none());
}

#[tokio::test]
async fn guest_upgrades_and_password_changes_count_against_the_sign_in_limit() {
    let app = TestApp::spawn_with(&[("AUTH_RATE_LIMIT_BURST", "4"), ("AUTH_RATE_LIMIT_REFILL_SECS", "60")]).await;
    sign_up(&app, &browser(), "ada@example.com", "ada").await; // 1 of 4
    let guest = browser();
    assert!(app.call_as(&guest, "start_guest", &[]).await.status().is_success()); // 2 of 4

    // Upgrades to a taken address: refused, and each one counts.
    let mut statuses = Vec::new();
    for n in 0..3 {
        let username = format!("taker{n}");
        let form = [("email", "ada@example.com"), ("username", username.as_str()), ("password", PASSWORD)];
        statuses.push(app.call_as(&guest, "upgrade_guest", &form).await.status().as_u16());
    }
    assert_eq!(statuses, [400, 400, 429], "the third is over the limit");
    let change = [("current_password", "guess"), ("new_password", "a brand new passphrase")];
    assert_eq!(app.call_as(&guest, "change_password", &change).await.status(), 429, "password checks count too");
}

#[tokio::test]
async fn a_refresh_renews_the_session_id_but_not_its_absolute_lifetime() {
    let app = TestApp::spawn_with_config(|config| config.session_absolute = std::time::Duration::from_secs(3)).await;
    let client = browser();
    sign_up(&app, &client, "ada@example.com", "ada").await;
    tokio::time::sleep(std::time::Duration::from_millis(1500)).await;

    let refreshed = client.post(format!("{}/auth/refresh", app.address)).send().await.unwrap();
    assert_eq!(refreshed.status(), 204);
    assert!(session_set_cookie(&refreshed).is_some(), "a new session id");
    assert!(viewer(&app, &client).await.is_some(), "still signed in");

    // Past three seconds since the sign-in (not since the refresh), the session is over.
    tokio::time::sleep(std::time::Duration::from_millis(2500)).await;
    assert!(viewer(&app, &client).await.is_none(), "the absolute lifetime counts from the sign-in");
}
