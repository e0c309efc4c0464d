//! The command line of the server binary: `serve` (the default), `migrate`, `reset-db`, `seed-db`,
//! `backup`, `restore`.

use crate::server::accounts::password::Passwords;
use crate::server::platform::config::Config;
use crate::server::platform::state::AppState;
use crate::server::platform::{background, db, http, telemetry};
use crate::server::tools::{backup, seed};
use anyhow::{bail, Context};
use clap::{Parser, Subcommand};
use sqlx::Connection;
use std::path::PathBuf;
use std::process::ExitCode;

#[derive(Parser)]
#[command(name = "papertrade", version, about = "Papertrade: a stock-market simulator for learners")]
struct Cli {
    #[command(subcommand)]
    command: Option<Command>,
}

#[derive(Subcommand)]
enum Command {
    /// Apply migrations and serve the app (the default).
    Serve,
    /// Apply pending database migrations and exit.
    Migrate,
    /// Drop everything in the database, migrate, and seed sample data.
    ResetDb {
        /// Reset even a database that does not look like a development one.
        #[arg(long)]
        force: bool,
    },
    /// Add the sample users, portfolios and trades (does nothing if they are there).
    SeedDb,
    /// Back the database up to FILE with pg_dump (custom format), verified before it is kept.
    Backup {
        /// Where to write the backup, e.g. backups/papertrade-2026-11-26.dump.
        file: PathBuf,
        /// Replace FILE if it exists.
        #[arg(long)]
        force: bool,
    },
    /// Restore a backup made by `backup` into an empty database, then apply newer migrations.
    Restore {
        /// The backup to restore.
        file: PathBuf,
        /// Drop everything in a database that is not empty first.
        #[arg(long)]
        force: bool,
    },
}

/// Parses the command line, runs the command, and turns any failure into one clear line on
/// stderr and a non-zero exit code.
pub async fn run() -> ExitCode {
    let cli = Cli::parse();
    // A missing .env file is normal; a malformed one is worth saying.
    if let Err(error) = dotenvy::dotenv() {
        if !error.not_found() {
            eprintln!("papertrade: cannot read .env: {error}");
            return ExitCode::from(2);
        }
    }
    let config = match Config::from_env() {
        Ok(config) => config,
        Err(error) => {
            eprintln!("papertrade: {error}");
            return ExitCode::from(2);
        }
    };
    telemetry::init(config.log_format);
    match execute(cli.command.unwrap_or(Command::Serve), config).await {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("papertrade: {}", one_line(&error));
            ExitCode::FAILURE
        }
    }
}

async fn execute(command: Command, config: Config) -> anyhow::Result<()> {
    let target = describe_database(&config);
    if let Command::ResetDb { force: false } = command {
        if !db::looks_like_development(&config.database.0) {
            bail!("{target} does not look like a development database; pass --force to reset it anyway");
        }
    }
    let pool = connect(&config).await.with_context(|| format!("cannot connect to the database at {target}"))?;
    match command {
        Command::Serve => {
            db::migrate(&pool).await.context("cannot apply migrations")?;
            let listener = tokio::net::TcpListener::bind(config.socket_addr())
                .await
                .with_context(|| format!("cannot listen on {}", config.socket_addr()))?;
            tracing::info!("serving on http://{}", listener.local_addr()?);
            let state = AppState::load(config, pool).await.context("cannot read the market's seed")?;
            state.mailer.announce();
            background::spawn(&state);
            http::serve(listener, state, http::shutdown_signal()).await?;
        }
        Command::Migrate => {
            db::migrate(&pool).await.context("cannot apply migrations")?;
            println!("migrations applied to {target}");
        }
        Command::ResetDb { .. } => {
            db::drop_everything(&pool).await.context("cannot drop the schema")?;
            db::migrate(&pool).await.context("cannot apply migrations")?;
            seed_and_report(&pool, &config).await?;
            println!("database {target} reset");
        }
        Command::SeedDb => seed_and_report(&pool, &config).await?,
        Command::Backup { file, force } => {
            let report = backup::backup(&pool, &pg_client(&config), &file, force)
                .await
                .with_context(|| format!("cannot back up {target} to {}", file.display()))?;
            println!("{report}");
        }
        Command::Restore { file, force } => {
            let report = backup::restore(&pool, &pg_client(&config), &file, force)
                .await
                .with_context(|| format!("cannot restore {} into {target}", file.display()))?;
            println!("{report}");
        }
    }
    Ok(())
}

/// The pool, or why the database cannot be reached. The pool retries a refused connection until
/// DATABASE_ACQUIRE_TIMEOUT_SECS and then only says that it timed out; one direct attempt tells why.
async fn connect(config: &Config) -> anyhow::Result<sqlx::PgPool> {
    match db::connect(config).await {
        Ok(pool) => Ok(pool),
        Err(sqlx::Error::PoolTimedOut) => {
            let waited = config.db_acquire_timeout.as_secs();
            let reason = match sqlx::PgConnection::connect_with(&config.database.0).await {
                Err(error) => error.to_string(),
                Ok(_) => "it answers now; it may be starting up".to_owned(),
            };
            bail!("no connection within {waited} s (DATABASE_ACQUIRE_TIMEOUT_SECS): {reason}")
        }
        Err(error) => Err(error.into()),
    }
}

/// The error and its causes on one line, each said once (sqlx repeats its source in its message).
fn one_line(error: &anyhow::Error) -> String {
    let mut line = String::new();
    for cause in error.chain().map(ToString::to_string) {
        if !line.contains(&cause) {
            if !line.is_empty() {
                line.push_str(": ");
            }
            line.push_str(&cause);
        }
    }
    line
}

async fn seed_and_report(pool: &sqlx::PgPool, config: &Config) -> anyhow::Result<()> {
    match seed::seed(pool, &Passwords::new(1), config.starting_cash).await.context("cannot seed")? {
        seed::SeedOutcome::Seeded { users, trades } => {
            println!(
                "seeded {users} users and {trades} trades; sign in as {} / {}",
                seed::DEMO_EMAIL,
                seed::DEMO_PASSWORD
            )
        }
        seed::SeedOutcome::AlreadySeeded => println!("sample data already present; nothing to do"),
    }
    Ok(())
}

/// How pg_dump and pg_restore reach the database. sqlx gives no password back, so DATABASE_URL
/// (already validated by `Config`) is read again for it.
fn pg_client(config: &Config) -> backup::PgClient {
    backup::PgClient::new(&config.database.0, &std::env::var("DATABASE_URL").unwrap_or_default())
}

/// `host:port/database`, without user or password, for messages.
fn describe_database(config: &Config) -> String {
    let options = &config.database.0;
    format!("{}:{}/{}", options.get_host(), options.get_port(), options.get_database().unwrap_or("(default)"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_cause_repeated_in_its_error_is_said_once() {
        let io = std::io::Error::other("Name or service not known");
        let error = anyhow::Error::new(sqlx::Error::Io(io)).context("cannot connect to the database at db:5432/x");
        assert_eq!(
            one_line(&error),
            "cannot connect to the database at db:5432/x: error communicating with database: Name or service not known"
        );
    }
}
