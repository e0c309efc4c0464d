//! The server binary's command line, run as a real process.

use crate::harness::{fresh_database_url, papertrade};
use std::process::Output;

fn stderr(output: &Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

#[test]
fn a_missing_database_url_is_named_and_exits_non_zero() {
    let output = papertrade(&["migrate"], &[]);

    assert_eq!(output.status.code(), Some(2));
    assert!(stderr(&output).contains("DATABASE_URL is not set"), "{}", stderr(&output));
}

#[test]
fn a_bad_port_is_named_and_exits_non_zero() {
    let output = papertrade(&["serve"], &[("DATABASE_URL", "postgres://u@127.0.0.1/x"), ("PORT", "eighty")]);

    assert_eq!(output.status.code(), Some(2));
    assert!(stderr(&output).contains("PORT is \"eighty\""), "{}", stderr(&output));
}

#[test]
fn reset_db_refuses_a_database_that_does_not_look_like_development() {
    let output = papertrade(&["reset-db"], &[("DATABASE_URL", "postgres://u:secret@db.example.com/papertrade")]);

    assert_eq!(output.status.code(), Some(1));
    let message = stderr(&output);
    assert!(message.contains("does not look like a development database"), "{message}");
    assert!(message.contains("--force"));
    assert!(!message.contains("secret"), "the password is never printed");
}

#[tokio::test]
async fn reset_db_builds_a_seeded_database_and_can_run_again() {
    let url = fresh_database_url().await;

    for _ in 0..2 {
        let output = papertrade(&["reset-db"], &[("DATABASE_URL", &url)]);
        assert!(output.status.success(), "{}", stderr(&output));
        assert!(String::from_utf8_lossy(&output.stdout).contains("seeded 3 users and 7 trades"));
    }
    let pool = sqlx::PgPool::connect(&url).await.unwrap();
    let users: i64 = sqlx::query_scalar("SELECT count(*) FROM users").fetch_one(&pool).await.unwrap();
    assert_eq!(users, 3);
}

#[tokio::test]
async fn migrate_then_seed_db_is_idempotent() {
    let url = fresh_database_url().await;

    let migrate = papertrade(&["migrate"], &[("DATABASE_URL", &url)]);
    let first_seed = papertrade(&["seed-db"], &[("DATABASE_URL", &url)]);
    let second_seed = papertrade(&["seed-db"], &[("DATABASE_URL", &url)]);

    assert!(migrate.status.success(), "{}", stderr(&migrate));
    assert!(String::from_utf8_lossy(&first_seed.stdout).contains("seeded 3 users"));
    assert!(String::from_utf8_lossy(&second_seed.stdout).contains("already present"));
}

#[test]
fn every_bad_setting_is_named_in_one_line_and_exits_non_zero() {
    let url = ("DATABASE_URL", "postgres://u:hunter2@127.0.0.1:1/x");
    for (var, value, expected) in [
        ("DATABASE_URL", "postgres://u:hunter2@127.0.0.1:port/x", "DATABASE_URL is not a valid postgres:// URL"),
        ("DATABASE_URL", "mysql://u:hunter2@db/x", "DATABASE_URL must start with postgres://"),
        ("DATABASE_URL", " ", "DATABASE_URL is not set"),
        ("PORT", "70000", "PORT is \"70000\": should be a port number"),
        ("HOST", "localhost:80", "HOST is \"localhost:80\""),
        ("STARTING_CASH", "-5", "STARTING_CASH is \"-5\""),
        ("STARTING_CASH", "ten dollars", "STARTING_CASH is \"ten dollars\""),
        ("STARTING_CASH", "0", "STARTING_CASH is \"0\": must be more than zero"),
        ("MARKET_HOURS", "sometimes", "MARKET_HOURS is \"sometimes\": should be always or nyse"),
        ("DATABASE_MAX_CONNECTIONS", "0", "DATABASE_MAX_CONNECTIONS is 0, but must be between 1 and 1000"),
        ("DATABASE_MAX_CONNECTIONS", "5000", "DATABASE_MAX_CONNECTIONS is 5000, but must be between 1 and 1000"),
        ("DATABASE_MAX_CONNECTIONS", "many", "DATABASE_MAX_CONNECTIONS is \"many\": should be a whole number"),
        ("DATABASE_ACQUIRE_TIMEOUT_SECS", "0", "DATABASE_ACQUIRE_TIMEOUT_SECS is 0, but must be between 1 and 300"),
        ("SESSION_COOKIE_SECURE", "yes", "SESSION_COOKIE_SECURE is \"yes\": should be true or false"),
        ("SESSION_IDLE_MINUTES", "1", "SESSION_IDLE_MINUTES is 1, but must be between 5 and 525600"),
        ("PUBLIC_URL", "papertrade.example", "PUBLIC_URL is \"papertrade.example\": should start with http://"),
        ("COACH_CONCENTRATION_PERCENT", "101", "COACH_CONCENTRATION_PERCENT is 101, but must be between 5 and 100"),
    ] {
        let env = if var == "DATABASE_URL" { vec![(var, value)] } else { vec![url, (var, value)] };

        let output = papertrade(&["serve"], &env);

        let message = stderr(&output);
        assert_eq!(output.status.code(), Some(2), "{var}={value}: {message}");
        assert!(message.contains(expected), "{var}={value}: {message}");
        assert_eq!(message.lines().count(), 1, "one line: {message}");
        assert!(!message.contains("hunter2"), "the password is never printed: {message}");
        assert!(!message.contains("panicked"), "{message}");
    }
}

#[test]
fn an_unreachable_database_is_a_clear_message_after_the_acquire_timeout() {
    let started = std::time::Instant::now();
    let output = papertrade(
        &["serve"],
        &[("DATABASE_URL", "postgres://u:hunter2@127.0.0.1:1/papertrade"), ("DATABASE_ACQUIRE_TIMEOUT_SECS", "1")],
    );

    let message = stderr(&output);
    assert_eq!(output.status.code(), Some(1), "{message}");
    assert!(started.elapsed() < std::time::Duration::from_secs(5), "gave up after the 1 s acquire timeout");
    assert!(message.starts_with("papertrade: cannot connect to the database at 127.0.0.1:1/papertrade"), "{message}");
    assert!(message.contains("no connection within 1 s (DATABASE_ACQUIRE_TIMEOUT_SECS)"), "{message}");
    assert!(message.contains("Connection refused"), "says why: {message}");
    assert_eq!(message.lines().count(), 1, "{message}");
    assert!(!message.contains("hunter2") && !message.contains("panicked"), "{message}");
}

#[tokio::test]
async fn a_wrong_password_or_a_taken_port_is_a_clear_message() {
    let url = fresh_database_url().await;
    let mut wrong = reqwest::Url::parse(&url).unwrap();
    wrong.set_password(Some("not-the-password")).unwrap();
    let output = papertrade(&["migrate"], &[("DATABASE_URL", wrong.as_str())]);
    let message = stderr(&output);
    assert_eq!(output.status.code(), Some(1), "{message}");
    assert!(message.contains("cannot connect to the database") && message.contains("password authentication failed"));
    assert!(!message.contains("not-the-password"), "{message}");

    let taken = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = taken.local_addr().unwrap().port().to_string();
    let output = papertrade(&["serve"], &[("DATABASE_URL", &url), ("PORT", &port)]);
    let message = stderr(&output);
    assert_eq!(output.status.code(), Some(1), "{message}");
    assert!(message.contains(&format!("cannot listen on 127.0.0.1:{port}")), "{message}");
    assert!(message.contains("in use"), "{message}");
}
