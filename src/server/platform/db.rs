//! The connection pool, the embedded migrations, and the guard that keeps `reset-db` away from
//! databases that do not look like development ones.

use crate::server::platform::config::Config;
use sqlx::migrate::Migrator;
use sqlx::postgres::{PgConnectOptions, PgPoolOptions};
use sqlx::PgPool;

/// The SQL files of `migrations/`, compiled into the binary.
pub static MIGRATOR: Migrator = sqlx::migrate!();

fn pool_options(config: &Config) -> PgPoolOptions {
    PgPoolOptions::new().max_connections(config.db_max_connections).acquire_timeout(config.db_acquire_timeout)
}

/// Opens the pool and checks that the database answers.
pub async fn connect(config: &Config) -> Result<PgPool, sqlx::Error> {
    pool_options(config).connect_with(config.database.0.clone()).await
}

/// A pool that connects on first use: the server starts even while the database is down, and
/// `/readyz` reports it.
pub fn connect_lazy(config: &Config) -> PgPool {
    pool_options(config).connect_lazy_with(config.database.0.clone())
}

/// Applies our migrations, then creates the session store's table if it is missing.
#[tracing::instrument(skip_all)]
pub async fn migrate(pool: &PgPool) -> Result<(), sqlx::migrate::MigrateError> {
    MIGRATOR.run(pool).await?;
    tower_sessions_sqlx_store::PostgresStore::new(pool.clone()).migrate().await?;
    Ok(())
}

/// Drops every schema the app created (tables, sessions, migration history) and recreates an
/// empty `public` schema.
#[tracing::instrument(skip_all)]
pub async fn drop_everything(pool: &PgPool) -> Result<(), sqlx::Error> {
    let schemas: Vec<String> = sqlx::query_scalar(
        "SELECT nspname FROM pg_namespace
         WHERE nspname NOT LIKE 'pg\\_%' AND nspname <> 'information_schema'",
    )
    .fetch_all(pool)
    .await?;
    let mut tx = begin(pool).await?;
    for schema in schemas {
        let quoted = schema.replace('"', "\"\"");
        sqlx::query(&format!("DROP SCHEMA \"{quoted}\" CASCADE")).execute(&mut *tx).await?;
    }
    sqlx::query("CREATE SCHEMA public").execute(&mut *tx).await?;
    tx.commit().await
}

/// True for a database on this machine (loopback or a Unix socket) or one whose name says it is
/// for development or tests (`dev`, `test`, `local`).
pub fn looks_like_development(options: &PgConnectOptions) -> bool {
    let host = options.get_host();
    let local_host = host.starts_with('/')
        || host == "localhost"
        || host.trim_matches(['[', ']']).parse::<std::net::IpAddr>().is_ok_and(|ip| ip.is_loopback());
    let name = options.get_database().unwrap_or_default().to_ascii_lowercase();
    local_host || ["dev", "test", "local"].iter().any(|word| name.contains(word))
}

/// Starts a transaction on a pooled connection; use it instead of `pool.begin()`.
///
/// sqlx's own `begin` (0.8.6, and 0.9.0 alike) is not cancellation-safe: dropped while BEGIN is
/// in flight — a client hung up, a request passed its deadline — it returns the connection to the
/// pool inside a transaction sqlx does not know of. The next request on that connection then
/// fails ("SET TRANSACTION ISOLATION LEVEL must be called before any query", a 500 seen under
/// `make bench`) or leaves its writes uncommitted until someone else's COMMIT. Here the BEGIN runs
/// to its end in a task of its own: a caller that has gone leaves a `Transaction` behind, whose
/// drop rolls it back before the connection is reused.
pub async fn begin(pool: &PgPool) -> Result<sqlx::Transaction<'static, sqlx::Postgres>, sqlx::Error> {
    let pool = pool.clone();
    #[allow(clippy::disallowed_methods)] // the one call, made safe by the task around it
    tokio::spawn(async move { pool.begin().await }).await.unwrap_or(Err(sqlx::Error::WorkerCrashed))
}

/// A read-only transaction that sees one consistent snapshot of the database, for reads that
/// span several statements.
pub async fn begin_read_only_snapshot(
    pool: &PgPool,
) -> Result<sqlx::Transaction<'static, sqlx::Postgres>, sqlx::Error> {
    let mut tx = begin(pool).await?;
    sqlx::query("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY").execute(&mut *tx).await?;
    Ok(tx)
}

/// Runs `job` unless another instance is running the job with the same `key` at this moment: a
/// transaction-scoped advisory lock is held for the job's duration (released even if this process
/// dies, with its connection). `None` when another instance has it.
pub async fn exclusively<T>(
    pool: &PgPool,
    key: i64,
    job: impl std::future::Future<Output = T>,
) -> Result<Option<T>, sqlx::Error> {
    let mut guard = begin(pool).await?;
    let acquired: bool =
        sqlx::query_scalar("SELECT pg_try_advisory_xact_lock($1)").bind(key).fetch_one(&mut *guard).await?;
    if !acquired {
        return Ok(None);
    }
    let outcome = job.await;
    guard.commit().await?;
    Ok(Some(outcome))
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::str::FromStr;

    fn options(url: &str) -> PgConnectOptions {
        PgConnectOptions::from_str(url).unwrap()
    }

    #[test]
    fn local_and_dev_databases_may_be_reset() {
        assert!(looks_like_development(&options("postgres://u@127.0.0.1/papertrade")));
        assert!(looks_like_development(&options("postgres://u@localhost:5433/anything")));
        assert!(looks_like_development(&options("postgres://u@[::1]/x")));
        assert!(looks_like_development(&options("postgres://u@db.internal/papertrade_dev")));
        assert!(looks_like_development(&options("postgres://u@db/papertrade_test_1")));
    }

    #[test]
    fn remote_production_looking_databases_are_refused() {
        assert!(!looks_like_development(&options("postgres://u@db.example.com/papertrade")));
        assert!(!looks_like_development(&options("postgres://u@10.0.0.5/papertrade")));
    }
}
