//! `papertrade backup` and `papertrade restore`, run as real processes with the real pg_dump and
//! pg_restore against a fresh database.

use crate::harness::{fresh_database_url, papertrade};
use sqlx::{Connection, Executor, PgConnection};
use std::path::{Path, PathBuf};
use std::process::Output;

fn on(url: &str, args: &[&str]) -> Output {
    papertrade(args, &[("DATABASE_URL", url)])
}

fn succeeded(output: &Output) -> String {
    assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
    String::from_utf8_lossy(&output.stdout).into_owned()
}

fn failed(output: &Output) -> String {
    assert_eq!(output.status.code(), Some(1), "stdout: {}", String::from_utf8_lossy(&output.stdout));
    String::from_utf8_lossy(&output.stderr).into_owned()
}

/// An empty directory of its own.
fn scratch_dir() -> PathBuf {
    let dir = std::env::temp_dir().join(format!("papertrade-backup-test-{}", uuid::Uuid::new_v4().simple()));
    std::fs::create_dir(&dir).unwrap();
    dir
}

fn files_in(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(dir)
        .unwrap()
        .map(|entry| entry.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    names
}

fn path_str(path: &Path) -> &str {
    path.to_str().unwrap()
}

async fn sql(url: &str, statements: &str) {
    let mut conn = PgConnection::connect(url).await.unwrap();
    conn.execute(statements).await.unwrap();
    conn.close().await.unwrap();
}

/// Every row of every table in `public` (all columns, as text, in a fixed order), and where every
/// sequence stands.
async fn snapshot(url: &str) -> Vec<(String, String)> {
    let mut conn = PgConnection::connect(url).await.unwrap();
    let tables: Vec<String> =
        sqlx::query_scalar("SELECT tablename::text FROM pg_tables WHERE schemaname = 'public' ORDER BY 1")
            .fetch_all(&mut conn)
            .await
            .unwrap();
    let mut rows = Vec::new();
    for table in tables {
        let text: String = sqlx::query_scalar(&format!(
            "SELECT coalesce(string_agg(t::text, E'\\n' ORDER BY t::text), '') FROM public.\"{table}\" t"
        ))
        .fetch_one(&mut conn)
        .await
        .unwrap();
        rows.push((table, text));
    }
    let sequences: String = sqlx::query_scalar(
        "SELECT coalesce(string_agg(format('%s.%s=%s', schemaname, sequencename, last_value), ' ' ORDER BY schemaname, sequencename), '')
         FROM pg_sequences",
    )
    .fetch_one(&mut conn)
    .await
    .unwrap();
    rows.push(("(sequences)".into(), sequences));
    conn.close().await.unwrap();
    rows
}

fn rows_of<'a>(snapshot: &'a [(String, String)], table: &str) -> &'a str {
    &snapshot.iter().find(|(name, _)| name == table).unwrap_or_else(|| panic!("no table {table}")).1
}

/// Seeded sample data plus a watchlist entry, a price alert and a signed-in session.
async fn seeded_database() -> String {
    let url = fresh_database_url().await;
    succeeded(&on(&url, &["reset-db"]));
    sql(
        &url,
        "INSERT INTO watchlist_items (user_id, symbol) SELECT id, 'NVDA' FROM users WHERE email = 'demo@papertrade.dev';
         INSERT INTO price_alerts (user_id, symbol, direction, threshold)
           SELECT id, 'NVDA', 'above', 1234.56 FROM users WHERE email = 'demo@papertrade.dev';
         INSERT INTO tower_sessions.session (id, data, expiry_date) VALUES ('live-session', '\\x00', now() + interval '1 day');",
    )
    .await;
    url
}

const WIPE: &str = "DROP SCHEMA public CASCADE; DROP SCHEMA tower_sessions CASCADE; CREATE SCHEMA public;";

#[tokio::test]
async fn a_backup_restored_into_a_wiped_database_gives_back_every_row() {
    let url = seeded_database().await;
    let before = snapshot(&url).await;
    let dir = scratch_dir();
    let file = dir.join("papertrade.dump");

    let backed_up = succeeded(&on(&url, &["backup", path_str(&file)]));
    sql(&url, WIPE).await;
    let restored = succeeded(&on(&url, &["restore", path_str(&file)]));

    assert!(backed_up.contains("holds 3 users and 7 trades"), "{backed_up}");
    assert_eq!(files_in(&dir), ["papertrade.dump"], "no partial file is left beside the backup");
    assert!(restored.contains("schema up to date"), "{restored}");
    assert!(restored.contains("3 users, 3 portfolios, 6 holdings, 7 trades, 7 notifications"), "{restored}");
    let after = snapshot(&url).await;
    assert_eq!(after, before);
    for table in ["users", "portfolios", "holdings", "trades", "watchlist_items", "price_alerts", "_sqlx_migrations"] {
        assert!(!rows_of(&after, table).is_empty(), "{table} has rows, so the comparison means something");
    }
    let mut conn = PgConnection::connect(&url).await.unwrap();
    let sessions: i64 =
        sqlx::query_scalar("SELECT count(*) FROM tower_sessions.session").fetch_one(&mut conn).await.unwrap();
    assert_eq!(sessions, 0, "sessions are not backed up: everyone signs in again");
    std::fs::remove_dir_all(dir).unwrap();
}

#[tokio::test]
async fn a_backup_is_private_and_never_overwritten_without_force() {
    let url = seeded_database().await;
    let dir = scratch_dir();
    let file = dir.join("nightly.dump");
    succeeded(&on(&url, &["backup", path_str(&file)]));

    let again = failed(&on(&url, &["backup", path_str(&file)]));
    let forced = on(&url, &["backup", "--force", path_str(&file)]);

    assert!(again.contains("already exists; pass --force to replace it"), "{again}");
    succeeded(&forced);
    assert_eq!(files_in(&dir), ["nightly.dump"]);
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        assert_eq!(std::fs::metadata(&file).unwrap().permissions().mode() & 0o777, 0o600);
    }
    std::fs::remove_dir_all(dir).unwrap();
}

#[tokio::test]
async fn restore_refuses_a_database_that_is_not_empty_unless_forced() {
    let url = seeded_database().await;
    let dir = scratch_dir();
    let file = dir.join("papertrade.dump");
    let at_backup = snapshot(&url).await;
    succeeded(&on(&url, &["backup", path_str(&file)]));
    sql(&url, "INSERT INTO watchlist_items (user_id, symbol) SELECT id, 'AMD' FROM users").await;
    let changed = snapshot(&url).await;

    let refused = failed(&on(&url, &["restore", path_str(&file)]));
    let unchanged = snapshot(&url).await;
    let forced = on(&url, &["restore", "--force", path_str(&file)]);

    assert!(refused.contains("the database is not empty"), "{refused}");
    assert!(refused.contains("pass --force to drop everything in it first"), "{refused}");
    assert_eq!(unchanged, changed, "a refused restore changes nothing");
    succeeded(&forced);
    assert_eq!(snapshot(&url).await, at_backup, "--force replaces everything with the backup");
    std::fs::remove_dir_all(dir).unwrap();
}

#[tokio::test]
async fn a_corrupt_backup_is_refused_before_anything_is_dropped() {
    let url = seeded_database().await;
    let dir = scratch_dir();
    let file = dir.join("corrupt.dump");
    std::fs::write(&file, (0..100u8).map(|i| i.wrapping_mul(37).wrapping_add(11)).collect::<Vec<u8>>()).unwrap();
    let before = snapshot(&url).await;

    let message = failed(&on(&url, &["restore", "--force", path_str(&file)]));

    assert!(message.contains("is not a readable pg_dump custom-format archive"), "{message}");
    assert!(message.contains("pg_restore failed"), "pg_restore's own words follow: {message}");
    assert_eq!(message.trim().lines().count(), 1, "one line: {message}");
    assert_eq!(snapshot(&url).await, before);
    std::fs::remove_dir_all(dir).unwrap();
}

#[tokio::test]
async fn a_backup_to_an_unwritable_place_fails_and_leaves_no_file() {
    let url = fresh_database_url().await;
    succeeded(&on(&url, &["migrate"]));
    let dir = scratch_dir();
    let target = dir.join("no-such-directory").join("papertrade.dump");

    let message = failed(&on(&url, &["backup", path_str(&target)]));

    assert!(message.contains("cannot write a backup in"), "{message}");
    assert!(message.contains("No such file or directory"), "{message}");
    assert!(files_in(&dir).is_empty());
    std::fs::remove_dir_all(dir).unwrap();
}

#[tokio::test]
async fn a_missing_pg_dump_is_named_and_leaves_no_file() {
    let url = fresh_database_url().await;
    succeeded(&on(&url, &["migrate"]));
    let dir = scratch_dir();
    let empty_path = scratch_dir();

    let output = papertrade(
        &["backup", path_str(&dir.join("papertrade.dump"))],
        &[("DATABASE_URL", &url), ("PATH", path_str(&empty_path))],
    );

    let message = failed(&output);
    assert!(message.contains("pg_dump was not found on PATH"), "{message}");
    let password = reqwest::Url::parse(&url).unwrap().password().unwrap().to_owned();
    assert!(!message.contains(&password), "the password is never printed");
    assert!(files_in(&dir).is_empty());
    std::fs::remove_dir_all(dir).unwrap();
    std::fs::remove_dir_all(empty_path).unwrap();
}

/// A database migrated with this repository's migration files as `edit` leaves them (name, SQL),
/// as another release of papertrade would have left it.
async fn database_migrated_with(edit: impl FnOnce(&mut Vec<(String, String)>)) -> String {
    let mut files: Vec<(String, String)> = std::fs::read_dir(concat!(env!("CARGO_MANIFEST_DIR"), "/migrations"))
        .unwrap()
        .map(|entry| {
            let path = entry.unwrap().path();
            (path.file_name().unwrap().to_string_lossy().into_owned(), std::fs::read_to_string(&path).unwrap())
        })
        .collect();
    files.sort();
    edit(&mut files);
    let dir = scratch_dir();
    for (name, sql) in &files {
        std::fs::write(dir.join(name), sql).unwrap();
    }
    let url = fresh_database_url().await;
    let mut conn = PgConnection::connect(&url).await.unwrap();
    sqlx::migrate::Migrator::new(dir.as_path()).await.unwrap().run(&mut conn).await.unwrap();
    conn.close().await.unwrap();
    std::fs::remove_dir_all(dir).unwrap();
    url
}

async fn table_count(url: &str) -> i64 {
    let mut conn = PgConnection::connect(url).await.unwrap();
    sqlx::query_scalar("SELECT count(*) FROM pg_tables WHERE schemaname NOT IN ('pg_catalog', 'information_schema')")
        .fetch_one(&mut conn)
        .await
        .unwrap()
}

#[tokio::test]
async fn a_backup_from_an_older_version_is_migrated_when_restored() {
    let mut newest = String::new();
    let old = database_migrated_with(|files| newest = files.pop().unwrap().0).await;
    let dir = scratch_dir();
    let file = dir.join("old.dump");
    succeeded(&on(&old, &["backup", path_str(&file)]));
    let target = fresh_database_url().await;

    let restored = succeeded(&on(&target, &["restore", path_str(&file)]));

    let newest_version = newest.split('_').next().unwrap();
    assert!(restored.contains(&format!("applied 1 newer migration ({newest_version})")), "{restored}");
    let mut conn = PgConnection::connect(&target).await.unwrap();
    let applied: Vec<i64> = sqlx::query_scalar("SELECT version FROM _sqlx_migrations WHERE success ORDER BY version")
        .fetch_all(&mut conn)
        .await
        .unwrap();
    let embedded: Vec<i64> = papertrade::server::platform::db::MIGRATOR.iter().map(|m| m.version).collect();
    assert_eq!(applied, embedded);
    std::fs::remove_dir_all(dir).unwrap();
}

#[tokio::test]
async fn a_backup_from_a_newer_version_is_refused_before_the_database_is_touched() {
    let newer =
        database_migrated_with(|files| files.push(("29990101000001_future.sql".into(), "SELECT 1;".into()))).await;
    let dir = scratch_dir();
    let file = dir.join("newer.dump");
    succeeded(&on(&newer, &["backup", path_str(&file)]));
    let target = fresh_database_url().await;

    let message = failed(&on(&target, &["restore", path_str(&file)]));

    assert!(message.contains("made by a newer papertrade (migrations 29990101000001"), "{message}");
    assert_eq!(table_count(&target).await, 0);
    std::fs::remove_dir_all(dir).unwrap();
}

#[tokio::test]
async fn a_backup_whose_migrations_were_edited_is_refused_before_the_database_is_touched() {
    let edited = database_migrated_with(|files| files[0].1.push_str("\n-- edited after landing\n")).await;
    let dir = scratch_dir();
    let file = dir.join("edited.dump");
    succeeded(&on(&edited, &["backup", path_str(&file)]));
    let target = fresh_database_url().await;

    let message = failed(&on(&target, &["restore", path_str(&file)]));

    let first = papertrade::server::platform::db::MIGRATOR.iter().next().unwrap().version;
    assert!(message.contains(&format!("migrations {first} of the backup differ")), "{message}");
    assert_eq!(table_count(&target).await, 0);
    std::fs::remove_dir_all(dir).unwrap();
}
