//! Email over a real SMTP server process: confirming an address, resetting a forgotten password,
//! changing the email — each from the letter that arrived, as a learner would.

use crate::auth::{sign_up, viewer, PASSWORD};
use crate::harness::{browser, TestApp};
use crate::mailbox::{self, letter, wait_for_letters};
use papertrade::wire::AppError;

const NEW_PASSWORD: &str = "a brand new passphrase";

/// A server that sends its mail to the test SMTP server, with `vars` on top.
async fn app_with_mail(vars: &[(&str, &str)]) -> TestApp {
    let smtp = mailbox::smtp_url();
    let mut all = vec![("SMTP_URL", smtp.as_str()), ("MAIL_FROM", "Papertrade Tests <tests@papertrade.example>")];
    all.extend_from_slice(vars);
    TestApp::spawn_with(&all).await
}

/// An address no other test uses: the SMTP server is shared by the whole test binary.
pub fn address(name: &str) -> String {
    format!("{name}-{}@example.com", uuid::Uuid::new_v4().simple())
}

async fn error_of(response: reqwest::Response) -> (u16, AppError) {
    let status = response.status().as_u16();
    (status, response.json().await.expect("a server function error"))
}

#[tokio::test]
async fn a_new_account_confirms_its_email_from_the_letter_and_the_link_works_once() {
    let app = app_with_mail(&[]).await;
    let client = browser();
    let ada = address("ada");
    sign_up(&app, &client, &ada, "ada").await;
    assert!(viewer(&app, &client).await.unwrap().needs_to_verify_email());

    let confirm = letter(&ada, "Confirm your email").await;
    assert_eq!(confirm.from, r#""Papertrade Tests" <tests@papertrade.example>"#, "MAIL_FROM is the sender");
    assert!(confirm.text.contains("Hi ada") && confirm.text.contains("24 hours"), "{}", confirm.text);
    let token = confirm.token_for("/verify-email");
    assert_eq!(token.len(), 64, "{}", confirm.text);

    // Confirmed from another device that is not signed in, like a phone's mail app.
    let phone = browser();
    let confirmed = app.call_as(&phone, "verify_email", &[("token", &token)]).await;
    assert_eq!(confirmed.status(), 200);
    assert_eq!(confirmed.json::<String>().await.unwrap(), ada);
    let me = viewer(&app, &client).await.unwrap();
    assert!(me.email_verified && !me.needs_to_verify_email());

    let (status, again) = error_of(app.call_as(&phone, "verify_email", &[("token", &token)]).await).await;
    assert_eq!(status, 400);
    assert!(again.to_string().contains("expired or was already used"), "{again}");
    let stored: i64 =
        sqlx::query_scalar("SELECT count(*) FROM account_tokens WHERE token_hash = convert_to($1, 'UTF8')")
            .bind(&token)
            .fetch_one(&app.pool)
            .await
            .unwrap();
    assert_eq!(stored, 0, "the token itself is never stored, only its hash");
}

#[tokio::test]
async fn a_confirmation_link_expires_after_a_day() {
    let app = app_with_mail(&[]).await;
    let ada = address("ada");
    sign_up(&app, &browser(), &ada, "ada").await;
    let token = letter(&ada, "Confirm your email").await.token_for("/verify-email");
    let lifetime: f64 =
        sqlx::query_scalar("SELECT extract(epoch FROM expires_at - created_at)::float8 FROM account_tokens")
            .fetch_one(&app.pool)
            .await
            .unwrap();
    assert!((lifetime - 86_400.0).abs() < 5.0, "{lifetime}");

    sqlx::query("UPDATE account_tokens SET expires_at = now() - interval '1 second'").execute(&app.pool).await.unwrap();
    let (status, error) = error_of(app.call("verify_email", &[("token", &token)]).await).await;
    assert_eq!(status, 400);
    assert!(error.to_string().contains("expired"), "{error}");
}

#[tokio::test]
async fn resend_sends_a_fresh_link_and_retires_the_old_one() {
    let app = app_with_mail(&[]).await;
    let client = browser();
    let ada = address("ada");
    sign_up(&app, &client, &ada, "ada").await;
    let first = letter(&ada, "Confirm your email").await.token_for("/verify-email");

    assert_eq!(app.call_as(&client, "resend_verification", &[]).await.status(), 200);
    let letters = wait_for_letters(&ada, 2).await;
    let second = letters[1].token_for("/verify-email");
    assert_ne!(first, second);

    assert_eq!(app.call("verify_email", &[("token", &first)]).await.status(), 400, "the older link is retired");
    assert_eq!(app.call("verify_email", &[("token", &second)]).await.status(), 200);
    let (status, _) = error_of(app.call_as(&client, "resend_verification", &[]).await).await;
    assert_eq!(status, 409, "nothing left to confirm");
    assert_eq!(app.call("resend_verification", &[]).await.status(), 401, "resend needs a session");
}

#[tokio::test]
async fn an_upgraded_guest_is_asked_to_confirm_the_new_email() {
    let app = app_with_mail(&[]).await;
    let client = browser();
    assert!(app.call_as(&client, "start_guest", &[]).await.status().is_success());
    let grace = address("grace");
    let upgrade = app
        .call_as(&client, "upgrade_guest", &[("email", &grace), ("username", "grace"), ("password", PASSWORD)])
        .await;
    assert!(upgrade.status().is_success(), "{}", upgrade.status());

    let token = letter(&grace, "Confirm your email").await.token_for("/verify-email");
    assert!(viewer(&app, &client).await.unwrap().needs_to_verify_email());
    assert_eq!(app.call("verify_email", &[("token", &token)]).await.status(), 200);
    assert!(viewer(&app, &client).await.unwrap().email_verified);
}

#[tokio::test]
async fn a_forgotten_password_is_reset_from_the_letter_and_every_session_ends() {
    let app = app_with_mail(&[]).await;
    let laptop = browser();
    let ada = address("ada");
    sign_up(&app, &laptop, &ada, "ada").await;
    let tablet = browser();
    let log_in = |client: reqwest::Client, password: &'static str| {
        let app = &app;
        let ada = ada.clone();
        async move { app.call_as(&client, "log_in", &[("email", ada.as_str()), ("password", password)]).await }
    };
    assert!(log_in(tablet.clone(), PASSWORD).await.status().is_success());
    let (mut tablet_page, _) = crate::live::ready_stream(&app, &tablet).await;

    let stranger = browser();
    assert_eq!(app.call_as(&stranger, "request_password_reset", &[("email", &ada.to_uppercase())]).await.status(), 200);
    let reset = letter(&ada, "Reset your Papertrade password").await;
    assert!(reset.text.contains("30 minutes"), "{}", reset.text);
    let token = reset.token_for("/reset-password");

    let (status, weak) =
        error_of(app.call_as(&stranger, "reset_password", &[("token", &token), ("new_password", "short")]).await).await;
    assert_eq!(status, 400);
    assert!(matches!(weak, AppError::InvalidField { ref field, .. } if field == "new_password"), "{weak:?}");
    // A refused password leaves the link usable: the next attempt, below, works.

    let done = app.call_as(&stranger, "reset_password", &[("token", &token), ("new_password", NEW_PASSWORD)]).await;
    assert!(done.status().is_redirection() || done.status().is_success(), "{}", done.status());
    assert!(viewer(&app, &laptop).await.is_none(), "the laptop's session ended");
    assert!(viewer(&app, &tablet).await.is_none(), "the tablet's session ended");
    assert!(tablet_page.ends_within(crate::live::SOON).await, "and the tablet's open page stopped receiving events");
    let (status, _) = error_of(
        app.call_as(&stranger, "reset_password", &[("token", &token), ("new_password", "another one!")]).await,
    )
    .await;
    assert_eq!(status, 400, "a reset link works once");

    assert_eq!(log_in(browser(), PASSWORD).await.status(), 400, "the old password is gone");
    let fresh = browser();
    assert!(log_in(fresh.clone(), NEW_PASSWORD).await.status().is_success());
    assert!(viewer(&app, &fresh).await.unwrap().email_verified, "the link proved the address");
}

#[tokio::test]
async fn a_reset_link_expires_after_thirty_minutes_and_a_newer_one_retires_it() {
    let app = app_with_mail(&[]).await;
    let ada = address("ada");
    sign_up(&app, &browser(), &ada, "ada").await;
    app.call("request_password_reset", &[("email", &ada)]).await;
    let first = letter(&ada, "Reset your").await.token_for("/reset-password");
    let lifetime: f64 = sqlx::query_scalar(
        "SELECT extract(epoch FROM expires_at - created_at)::float8 FROM account_tokens WHERE purpose = 'reset_password'",
    )
    .fetch_one(&app.pool)
    .await
    .unwrap();
    assert!((lifetime - 1800.0).abs() < 5.0, "{lifetime}");

    app.call("request_password_reset", &[("email", &ada)]).await;
    let letters = wait_for_letters(&ada, 3).await;
    let second = letters[2].token_for("/reset-password");
    let reset = |token: String| {
        let app = &app;
        async move { app.call("reset_password", &[("token", token.as_str()), ("new_password", NEW_PASSWORD)]).await }
    };
    assert_eq!(reset(first).await.status(), 400, "the newer link retired the first");
    sqlx::query("UPDATE account_tokens SET expires_at = now() - interval '1 second' WHERE purpose = 'reset_password'")
        .execute(&app.pool)
        .await
        .unwrap();
    let (status, error) = error_of(reset(second).await).await;
    assert_eq!(status, 400);
    assert!(error.to_string().contains("expired or was already used"), "{error}");
}

#[tokio::test]
async fn a_reset_request_answers_alike_for_every_address_and_mails_only_accounts() {
    let app = app_with_mail(&[]).await;
    let ada = address("ada");
    let nobody = address("nobody");
    sign_up(&app, &browser(), &ada, "ada").await;

    let known = app.call("request_password_reset", &[("email", &ada)]).await;
    let unknown = app.call("request_password_reset", &[("email", &nobody)]).await;
    let (known_status, unknown_status) = (known.status(), unknown.status());
    let (known_body, unknown_body) = (known.text().await.unwrap(), unknown.text().await.unwrap());
    assert_eq!((known_status, known_body.as_str()), (unknown_status, unknown_body.as_str()));

    letter(&ada, "Reset your").await;
    // The letter to the account arrived; one to the unknown address would have left first.
    assert!(mailbox::letters_to(&nobody).await.is_empty());
    let (status, bad) = error_of(app.call("request_password_reset", &[("email", "not-an-address")]).await).await;
    assert_eq!(status, 400);
    assert!(matches!(bad, AppError::InvalidField { ref field, .. } if field == "email"), "{bad:?}");
}

#[tokio::test]
async fn letters_to_one_address_are_limited_whoever_asks_and_unknown_addresses_count_alike() {
    let app = app_with_mail(&[]).await;
    let ada = address("ada");
    let nobody = address("nobody");
    sign_up(&app, &browser(), &ada, "ada").await; // the confirmation letter is the first of 3
    letter(&ada, "Confirm").await;
    for _ in 0..2 {
        assert_eq!(app.call_as(&browser(), "request_password_reset", &[("email", &ada)]).await.status(), 200);
    }
    for _ in 0..3 {
        assert_eq!(app.call_as(&browser(), "request_password_reset", &[("email", &nobody)]).await.status(), 200);
    }

    for address in [&ada, &nobody] {
        let refused = app.call_as(&browser(), "request_password_reset", &[("email", address)]).await;
        assert_eq!(refused.status(), 429, "the 4th letter to one address");
        let wait: u64 = refused.headers()["retry-after"].to_str().unwrap().parse().unwrap();
        assert!((1..=300).contains(&wait), "{wait}");
    }
    assert_eq!(wait_for_letters(&ada, 3).await.len(), 3);
    assert_eq!(app.call("request_password_reset", &[("email", &address("carol"))]).await.status(), 200);
}

#[tokio::test]
async fn reset_requests_and_link_uses_count_against_the_clients_limit() {
    let app = app_with_mail(&[("AUTH_RATE_LIMIT_BURST", "3")]).await;
    let client = browser();
    for _ in 0..3 {
        assert_eq!(app.call_as(&client, "request_password_reset", &[("email", &address("x"))]).await.status(), 200);
    }
    assert_eq!(app.call_as(&client, "request_password_reset", &[("email", &address("x"))]).await.status(), 429);
    let guess = [("token", "0".repeat(64)), ("new_password", NEW_PASSWORD.to_owned())];
    let guess: Vec<(&str, &str)> = guess.iter().map(|(k, v)| (*k, v.as_str())).collect();
    assert_eq!(app.call_as(&client, "reset_password", &guess).await.status(), 429, "token guesses share the limit");
}

#[tokio::test]
async fn changing_the_email_needs_the_password_asks_to_confirm_and_tells_the_old_address() {
    let app = app_with_mail(&[]).await;
    let client = browser();
    let old = address("ada");
    let new = address("ada-new");
    sign_up(&app, &client, &old, "ada").await;
    let first_link = letter(&old, "Confirm your email").await.token_for("/verify-email");

    let (status, wrong) =
        error_of(app.call_as(&client, "change_email", &[("email", &new), ("current_password", "not it")]).await).await;
    assert_eq!(status, 400);
    assert!(matches!(wrong, AppError::InvalidField { ref field, .. } if field == "current_password"), "{wrong:?}");
    let same = app.call_as(&client, "change_email", &[("email", &old), ("current_password", PASSWORD)]).await;
    assert_eq!(same.status(), 400);

    let changed = app.call_as(&client, "change_email", &[("email", &new), ("current_password", PASSWORD)]).await;
    assert_eq!(changed.status(), 200);
    let me = viewer(&app, &client).await.unwrap();
    assert_eq!(me.email.as_deref(), Some(new.as_str()));
    assert!(me.needs_to_verify_email());
    let notice = letter(&old, "was changed").await;
    assert!(notice.text.contains(&new) && notice.text.contains(&old), "{}", notice.text);
    let (status, stale) = error_of(app.call("verify_email", &[("token", &first_link)]).await).await;
    assert_eq!(status, 400, "a link sent to the old address confirms nothing now: {stale}");

    let token = letter(&new, "Confirm your email").await.token_for("/verify-email");
    assert_eq!(app.call("verify_email", &[("token", &token)]).await.status(), 200);
    assert!(viewer(&app, &client).await.unwrap().email_verified);
}

#[tokio::test]
async fn an_email_taken_by_another_account_cannot_be_changed_to() {
    let app = app_with_mail(&[]).await;
    let ada = address("ada");
    let grace = address("grace");
    sign_up(&app, &browser(), &grace, "grace").await;
    let client = browser();
    sign_up(&app, &client, &ada, "ada").await;
    let (status, taken) =
        error_of(app.call_as(&client, "change_email", &[("email", &grace), ("current_password", PASSWORD)]).await)
            .await;
    assert_eq!(status, 400);
    assert!(matches!(taken, AppError::InvalidField { ref field, .. } if field == "email"), "{taken:?}");
    assert_eq!(viewer(&app, &client).await.unwrap().email.as_deref(), Some(ada.as_str()));
}
