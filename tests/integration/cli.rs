//! The server binary's command line, run as a real process.

use crate::harness::fresh_database_url;
use std::process::{Command, Output};

fn papertrade(args: &[&str], env: &[(&str, &str)]) -> Output {
    let workdir = std::env::temp_dir(); // no .env file there
    Command::new(env!("CARGO_BIN_EXE_papertrade"))
        .args(args)
        .env_clear()
        .env("PATH", std::env::var("PATH").unwrap_or_default())
        .env("RUST_LOG", "warn")
        .envs(env.iter().copied())
        .current_dir(workdir)
        .output()
        .expect("the binary runs")
}

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
