//! `papertrade backup` and `papertrade restore`: `pg_dump` / `pg_restore` in the custom format,
//! with checks before and after. The procedure around them is in docs/BACKUP.md.
//!
//! Decisions:
//! - The archive keeps owners and grants; `restore` drops them (`--no-owner --no-privileges`), so
//!   the restored objects belong to whoever restores, and a backup moves between servers and roles.
//! - Session rows (`tower_sessions.session`) are left out: they are live credentials, and
//!   restoring them would revive sessions that have ended since. Everyone signs in again.
//! - The password reaches the child only through `PGPASSWORD`; host, port, user and database are
//!   arguments taken from the parsed `DATABASE_URL`.

use crate::server::platform::db;
use anyhow::{bail, Context};
use sqlx::postgres::{PgConnectOptions, PgSslMode};
use sqlx::PgPool;
use std::collections::{BTreeMap, BTreeSet};
use std::fmt;
use std::path::{Path, PathBuf};
use std::process::{Output, Stdio};
use tokio::process::Command;

/// Tables whose data every papertrade backup must hold.
pub const CORE_TABLES: [&str; 6] = ["users", "portfolios", "holdings", "trades", "notifications", "_sqlx_migrations"];

/// Table data left out of backups (see the module notes).
const SKIPPED_TABLE_DATA: &str = "tower_sessions.session";

/// How `pg_dump` and `pg_restore` reach the database named by `DATABASE_URL`.
pub struct PgClient {
    args: Vec<String>,
    env: Vec<(&'static str, String)>,
}

impl fmt::Debug for PgClient {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let env: Vec<_> =
            self.env.iter().map(|(k, v)| (*k, if *k == "PGPASSWORD" { "[redacted]" } else { v.as_str() })).collect();
        f.debug_struct("PgClient").field("args", &self.args).field("env", &env).finish()
    }
}

impl PgClient {
    /// `options` is what the app connects with; `database_url` is read again only for what sqlx
    /// has no getter for (the password, TLS files and server options).
    pub fn new(options: &PgConnectOptions, database_url: &str) -> PgClient {
        let host = match options.get_socket() {
            Some(socket) => socket.to_string_lossy().into_owned(),
            None => options.get_host().to_owned(),
        };
        let mut args = vec![
            "--no-password".to_owned(),
            format!("--host={host}"),
            format!("--port={}", options.get_port()),
            format!("--username={}", options.get_username()),
        ];
        if let Some(name) = options.get_database() {
            // As a connection string, so no database name is ever taken for one.
            args.push(format!("--dbname=dbname='{}'", name.replace('\\', "\\\\").replace('\'', "\\'")));
        }
        let ssl_mode = match options.get_ssl_mode() {
            PgSslMode::Disable => "disable",
            PgSslMode::Allow => "allow",
            PgSslMode::Prefer => "prefer",
            PgSslMode::Require => "require",
            PgSslMode::VerifyCa => "verify-ca",
            PgSslMode::VerifyFull => "verify-full",
        };
        let mut env = vec![("PGSSLMODE", ssl_mode.to_owned())];
        env.extend(url_only_settings(database_url.trim()));
        PgClient { args, env }
    }

    fn command(&self, program: &str, application: &str) -> Command {
        let mut command = tool(program);
        command.args(&self.args).envs(self.env.iter().map(|(k, v)| (k, v))).env("PGAPPNAME", application);
        command
    }
}

/// The settings of a `postgres://` URL that libpq takes from the environment and sqlx does not
/// give back: the password (user-info or `?password=`), TLS files, and server `options`.
fn url_only_settings(database_url: &str) -> Vec<(&'static str, String)> {
    let Ok(url) = reqwest::Url::parse(database_url) else { return Vec::new() };
    let mut settings = Vec::new();
    if let Some(password) = url.password() {
        settings.push(("PGPASSWORD", percent_encoding::percent_decode_str(password).decode_utf8_lossy().into_owned()));
    }
    for (key, value) in url.query_pairs() {
        let var = match key.as_ref() {
            "password" => "PGPASSWORD",
            "sslrootcert" | "ssl-root-cert" | "ssl-ca" => "PGSSLROOTCERT",
            "sslcert" | "ssl-cert" => "PGSSLCERT",
            "sslkey" | "ssl-key" => "PGSSLKEY",
            "options" => "PGOPTIONS",
            _ => continue,
        };
        settings.retain(|(k, _)| *k != var);
        settings.push((var, value.into_owned()));
    }
    settings
}

/// A client program that neither reads our stdin nor outlives us.
fn tool(program: &str) -> Command {
    let mut command = Command::new(program);
    command.stdin(Stdio::null()).kill_on_drop(true);
    command
}

/// Runs a client program to the end; a failure carries what it said on stderr.
async fn run(program: &str, command: &mut Command) -> anyhow::Result<Output> {
    let output = command.output().await.map_err(|error| match error.kind() {
        std::io::ErrorKind::NotFound => anyhow::anyhow!(
            "{program} was not found on PATH; install the PostgreSQL client tools (pg_dump and pg_restore, \
             the server's major version or newer), e.g. apt-get install postgresql-client"
        ),
        _ => anyhow::Error::new(error).context(format!("cannot run {program}")),
    })?;
    if !output.status.success() {
        let stderr = String::from_utf8_lossy(&output.stderr);
        let said: Vec<&str> = stderr.lines().map(str::trim).filter(|line| !line.is_empty()).collect();
        let said = if said.is_empty() { format!("exit status {}", output.status) } else { said.join(" / ") };
        bail!("{program} failed: {said}");
    }
    Ok(output)
}

/// What `pg_restore --list` says about an archive.
struct Archive {
    list: String,
    entries: usize,
}

/// Reads the archive's table of contents and checks that it holds the data of the core tables.
async fn inspect(path: &Path) -> anyhow::Result<Archive> {
    let output = run("pg_restore", tool("pg_restore").arg("--list").arg(path))
        .await
        .with_context(|| format!("{} is not a readable pg_dump custom-format archive", path.display()))?;
    let list = String::from_utf8_lossy(&output.stdout).into_owned();
    let entries = list.lines().filter(|line| !line.trim().is_empty() && !line.starts_with(';')).count();
    let present: BTreeSet<(&str, &str)> = list.lines().filter_map(table_data).collect();
    let missing: Vec<&str> =
        CORE_TABLES.iter().copied().filter(|table| !present.contains(&("public", *table))).collect();
    if !missing.is_empty() {
        bail!("{} is not a papertrade backup: it holds no data for {}", path.display(), missing.join(", "));
    }
    Ok(Archive { list, entries })
}

/// The `(schema, table)` of a `TABLE DATA` line of `pg_restore --list`, e.g.
/// `3544; 0 171605 TABLE DATA public users papertrade`.
fn table_data(line: &str) -> Option<(&str, &str)> {
    let (_, entry) = line.split_once("; ")?;
    let mut words = entry.split(' ').skip(2);
    match (words.next(), words.next(), words.next(), words.next()) {
        (Some("TABLE"), Some("DATA"), Some(schema), Some(table)) => Some((schema, table)),
        _ => None,
    }
}

/// Reads every byte of the archive, decompressing all table data, without a database: a
/// truncated or damaged file fails here.
async fn read_through(path: &Path) -> anyhow::Result<()> {
    run("pg_restore", tool("pg_restore").arg("--file=-").arg(path).stdout(Stdio::null()))
        .await
        .with_context(|| format!("{} is damaged", path.display()))?;
    Ok(())
}

/// The migrations recorded in the archive's copy of `_sqlx_migrations`: version and checksum.
async fn archive_migrations(path: &Path) -> anyhow::Result<BTreeMap<i64, Vec<u8>>> {
    let mut command = tool("pg_restore");
    command.args(["--data-only", "--schema=public", "--table=_sqlx_migrations", "--file=-"]).arg(path);
    let output = run("pg_restore", &mut command).await.context("cannot read the migrations of the backup")?;
    parse_migrations(&String::from_utf8_lossy(&output.stdout))
}

/// The `version` and `checksum` columns of the `COPY … FROM stdin` block of a data-only script.
fn parse_migrations(script: &str) -> anyhow::Result<BTreeMap<i64, Vec<u8>>> {
    let mut lines = script.lines().skip_while(|line| !line.starts_with("COPY "));
    let header = lines.next().context("the backup has no rows of _sqlx_migrations")?;
    let columns: Vec<&str> = header
        .split_once('(')
        .and_then(|(_, rest)| rest.split_once(')'))
        .map(|(names, _)| names.split(", ").collect())
        .unwrap_or_default();
    let position = |name: &str| {
        columns.iter().position(|column| *column == name).with_context(|| format!("unexpected header {header:?}"))
    };
    let (version_at, checksum_at) = (position("version")?, position("checksum")?);
    lines
        .take_while(|line| *line != "\\.")
        .map(|row| {
            let fields: Vec<&str> = row.split('\t').collect();
            let version = fields.get(version_at).and_then(|v| v.parse().ok());
            // A bytea in COPY text: `\\x` and hex digits.
            let checksum =
                fields.get(checksum_at).and_then(|c| c.strip_prefix("\\\\x")).and_then(|hex| hex::decode(hex).ok());
            version.zip(checksum).with_context(|| format!("unexpected row in the backup's _sqlx_migrations: {row:?}"))
        })
        .collect()
}

/// The migrations compiled into this binary: version and checksum.
fn embedded_migrations() -> BTreeMap<i64, Vec<u8>> {
    db::MIGRATOR
        .iter()
        .filter(|m| !m.migration_type.is_down_migration())
        .map(|m| (m.version, m.checksum.to_vec()))
        .collect()
}

/// Whether this binary can bring the backup's schema up to date: it must know every migration
/// the backup has, with the same contents.
fn check_migrations(backed_up: &BTreeMap<i64, Vec<u8>>, embedded: &BTreeMap<i64, Vec<u8>>) -> anyhow::Result<()> {
    let unknown: Vec<String> = backed_up.keys().filter(|v| !embedded.contains_key(v)).map(i64::to_string).collect();
    if !unknown.is_empty() {
        bail!(
            "the backup was made by a newer papertrade (migrations {} are unknown to this binary); \
             restore it with that version or a later one",
            unknown.join(", ")
        );
    }
    let edited: Vec<String> =
        backed_up.iter().filter(|(v, checksum)| embedded[v] != **checksum).map(|(v, _)| v.to_string()).collect();
    if !edited.is_empty() {
        bail!(
            "migrations {} of the backup differ from the ones in this binary (a migration file was edited \
             after it was applied); restore with the binary that made the backup",
            edited.join(", ")
        );
    }
    Ok(())
}

/// A file that is deleted when dropped, unless it was kept.
struct TempFile(Option<PathBuf>);

impl TempFile {
    fn path(&self) -> &Path {
        self.0.as_deref().expect("the file is still ours")
    }

    fn keep(mut self) -> PathBuf {
        self.0.take().expect("the file is still ours")
    }
}

impl Drop for TempFile {
    fn drop(&mut self) {
        if let Some(path) = self.0.take() {
            let _ = std::fs::remove_file(path);
        }
    }
}

/// Creates `path` for us alone (mode 600: backups hold password hashes and OAuth tokens); fails
/// if it exists.
fn create_private(path: &Path) -> std::io::Result<TempFile> {
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
    options.open(path)?;
    Ok(TempFile(Some(path.to_owned())))
}

/// What `backup` wrote.
#[derive(Debug)]
pub struct BackupReport {
    pub path: PathBuf,
    pub bytes: u64,
    pub entries: usize,
    pub users: i64,
    pub trades: i64,
}

impl fmt::Display for BackupReport {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "backup written to {} ({}, {} archive entries, verified); it holds {} users and {} trades",
            self.path.display(),
            human_size(self.bytes),
            self.entries,
            self.users,
            self.trades
        )
    }
}

/// Dumps the database to `target`: into a temporary file beside it, which is checked (table of
/// contents, core tables, a full read) and only then renamed into place. An existing `target` is
/// replaced only when `replace` is set.
#[tracing::instrument(skip(pool, client))]
pub async fn backup(pool: &PgPool, client: &PgClient, target: &Path, replace: bool) -> anyhow::Result<BackupReport> {
    let Some(name) = target.file_name() else { bail!("{} is not a file name", target.display()) };
    if target.is_dir() {
        bail!(
            "{} is a directory; name a file in it, e.g. {}",
            target.display(),
            target.join("papertrade.dump").display()
        );
    }
    if target.exists() && !replace {
        bail!("{} already exists; pass --force to replace it", target.display());
    }
    let directory = target.parent().filter(|dir| !dir.as_os_str().is_empty()).unwrap_or(Path::new("."));
    let partial_path = directory.join(format!("{}.{}.partial", name.to_string_lossy(), uuid::Uuid::new_v4().simple()));
    let partial =
        create_private(&partial_path).with_context(|| format!("cannot write a backup in {}", directory.display()))?;

    // pg_dump reads the snapshot this transaction exports, so the counts describe the backup.
    let mut tx = db::begin_read_only_snapshot(pool).await.context("cannot start the snapshot")?;
    let (snapshot, users, trades): (String, i64, i64) =
        sqlx::query_as("SELECT pg_export_snapshot(), (SELECT count(*) FROM users), (SELECT count(*) FROM trades)")
            .fetch_one(&mut *tx)
            .await
            .context("cannot read the database (is it a migrated papertrade database?)")?;
    let mut dump = client.command("pg_dump", "papertrade backup");
    dump.arg("--format=custom")
        .arg(format!("--snapshot={snapshot}"))
        .arg(format!("--exclude-table-data={SKIPPED_TABLE_DATA}"))
        .arg("--file")
        .arg(partial.path());
    run("pg_dump", &mut dump).await?;
    tx.commit().await.context("cannot end the snapshot")?;

    let archive = inspect(partial.path()).await.context("the new backup failed verification")?;
    read_through(partial.path()).await.context("the new backup failed verification")?;
    std::fs::File::open(partial.path()).and_then(|file| file.sync_all()).context("cannot flush the backup to disk")?;
    let bytes = std::fs::metadata(partial.path()).context("cannot read the backup's size")?.len();
    std::fs::rename(partial.path(), target)
        .with_context(|| format!("cannot move the verified backup to {}", target.display()))?;
    partial.keep();
    // Make the rename itself durable (best effort: not every platform can open a directory).
    let _ = std::fs::File::open(directory).and_then(|dir| dir.sync_all());
    Ok(BackupReport { path: target.to_owned(), bytes, entries: archive.entries, users, trades })
}

/// Row counts of the core tables.
#[derive(Debug, PartialEq, Eq, sqlx::FromRow)]
pub struct RowCounts {
    pub users: i64,
    pub portfolios: i64,
    pub holdings: i64,
    pub trades: i64,
    pub notifications: i64,
}

/// What `restore` did.
#[derive(Debug)]
pub struct RestoreReport {
    pub path: PathBuf,
    pub entries: usize,
    /// Migrations newer than the backup, applied after restoring it.
    pub migrated: Vec<i64>,
    pub counts: RowCounts,
}

impl fmt::Display for RestoreReport {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let c = &self.counts;
        write!(f, "restored {} ({} archive entries); ", self.path.display(), self.entries)?;
        match self.migrated.as_slice() {
            [] => write!(f, "schema up to date")?,
            versions => write!(
                f,
                "applied {} newer migration{} ({})",
                versions.len(),
                if versions.len() == 1 { "" } else { "s" },
                versions.iter().map(i64::to_string).collect::<Vec<_>>().join(", ")
            )?,
        }
        write!(
            f,
            "; {} users, {} portfolios, {} holdings, {} trades, {} notifications; everyone signs in again",
            c.users, c.portfolios, c.holdings, c.trades, c.notifications
        )
    }
}

/// Restores `source` into the database, which must be empty unless `force` is set (then
/// everything in it is dropped first). The archive is checked completely before the database is
/// touched; `pg_restore` runs in one transaction; afterwards this binary's newer migrations are
/// applied and the migration history must equal the embedded one.
#[tracing::instrument(skip(pool, client))]
pub async fn restore(pool: &PgPool, client: &PgClient, source: &Path, force: bool) -> anyhow::Result<RestoreReport> {
    std::fs::File::open(source).with_context(|| format!("cannot read {}", source.display()))?;
    let archive = inspect(source).await?;
    read_through(source).await?;
    let backed_up = archive_migrations(source).await?;
    let embedded = embedded_migrations();
    check_migrations(&backed_up, &embedded)?;

    let existing = existing_objects(pool).await.context("cannot inspect the database")?;
    if !existing.is_empty() {
        if !force {
            bail!(
                "the database is not empty ({} objects, e.g. {}); restore into an empty database, or pass --force \
                 to drop everything in it first",
                existing.len(),
                existing.iter().take(3).cloned().collect::<Vec<_>>().join(", ")
            );
        }
        db::drop_everything(pool).await.context("cannot empty the database")?;
    }

    // The target's own `public` schema stays as it is: restoring its comment needs its owner.
    let list_path = std::env::temp_dir().join(format!("papertrade-restore-{}.list", uuid::Uuid::new_v4().simple()));
    let list = create_private(&list_path).context("cannot write pg_restore's list of entries")?;
    std::fs::write(list.path(), without_public_schema(&archive.list))
        .context("cannot write pg_restore's list of entries")?;
    let mut command = client.command("pg_restore", "papertrade restore");
    command
        .args(["--exit-on-error", "--single-transaction", "--no-owner", "--no-privileges"])
        .arg("--use-list")
        .arg(list.path())
        .arg(source);
    run("pg_restore", &mut command).await.with_context(|| {
        if existing.is_empty() {
            "nothing was restored (pg_restore runs in one transaction)".to_owned()
        } else {
            "nothing was restored (pg_restore runs in one transaction), but --force had emptied the database".to_owned()
        }
    })?;
    drop(list);

    db::migrate(pool).await.context("the backup was restored, but migrating it to this version failed")?;
    let applied: BTreeSet<i64> =
        sqlx::query_scalar::<_, i64>("SELECT version FROM _sqlx_migrations WHERE success ORDER BY version")
            .fetch_all(pool)
            .await
            .context("cannot read the restored migration history")?
            .into_iter()
            .collect();
    let expected: BTreeSet<i64> = embedded.keys().copied().collect();
    if applied != expected {
        bail!("after restoring, the migration history {applied:?} differs from this binary's {expected:?}");
    }
    let counts = sqlx::query_as::<_, RowCounts>(
        "SELECT (SELECT count(*) FROM users) AS users, (SELECT count(*) FROM portfolios) AS portfolios,
                (SELECT count(*) FROM holdings) AS holdings, (SELECT count(*) FROM trades) AS trades,
                (SELECT count(*) FROM notifications) AS notifications",
    )
    .fetch_one(pool)
    .await
    .context("cannot count the restored rows")?;
    let migrated = expected.iter().filter(|v| !backed_up.contains_key(v)).copied().collect();
    Ok(RestoreReport { path: source.to_owned(), entries: archive.entries, migrated, counts })
}

/// Tables, views and sequences in any schema we could have made, and schemas besides `public`.
async fn existing_objects(pool: &PgPool) -> Result<Vec<String>, sqlx::Error> {
    sqlx::query_scalar(
        "SELECT n.nspname || '.' || c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
         WHERE c.relkind IN ('r', 'p', 'v', 'm', 'S', 'f')
           AND n.nspname NOT LIKE 'pg\\_%' AND n.nspname <> 'information_schema'
         UNION ALL
         SELECT 'schema ' || nspname FROM pg_namespace
         WHERE nspname NOT LIKE 'pg\\_%' AND nspname NOT IN ('information_schema', 'public')
         ORDER BY 1",
    )
    .fetch_all(pool)
    .await
}

/// The `pg_restore --list` output with the entries about the `public` schema itself commented
/// out.
fn without_public_schema(list: &str) -> String {
    let about_public = |line: &str| {
        line.split_once("; ").and_then(|(_, entry)| entry.splitn(3, ' ').nth(2)).is_some_and(|what| {
            ["SCHEMA - public ", "COMMENT - SCHEMA public ", "ACL - SCHEMA public "]
                .iter()
                .any(|prefix| what.starts_with(prefix))
        })
    };
    list.lines().map(|line| if about_public(line) { format!(";{line}\n") } else { format!("{line}\n") }).collect()
}

fn human_size(bytes: u64) -> String {
    const UNITS: [&str; 4] = ["KiB", "MiB", "GiB", "TiB"];
    if bytes < 1024 {
        return format!("{bytes} bytes");
    }
    let mut size = bytes as f64 / 1024.0;
    let mut unit = 0;
    while size >= 1024.0 && unit < UNITS.len() - 1 {
        size /= 1024.0;
        unit += 1;
    }
    format!("{size:.1} {}", UNITS[unit])
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::str::FromStr;

    fn client(url: &str) -> PgClient {
        PgClient::new(&PgConnectOptions::from_str(url).unwrap(), url)
    }

    fn env<'a>(client: &'a PgClient, var: &str) -> Option<&'a str> {
        client.env.iter().find(|(k, _)| *k == var).map(|(_, v)| v.as_str())
    }

    #[test]
    fn the_password_goes_to_the_environment_never_to_the_arguments() {
        let client = client("postgres://app:p%40ss%20w@db.example:6543/papertrade?sslmode=require");

        assert_eq!(env(&client, "PGPASSWORD"), Some("p@ss w"));
        assert_eq!(env(&client, "PGSSLMODE"), Some("require"));
        assert_eq!(
            client.args,
            ["--no-password", "--host=db.example", "--port=6543", "--username=app", "--dbname=dbname='papertrade'"]
        );
        assert!(!format!("{client:?}").contains("p@ss"), "Debug redacts the password");
    }

    #[test]
    fn query_settings_libpq_reads_from_the_environment_are_passed_on() {
        let client = client("postgres://app@db/x?password=qp&sslrootcert=/etc/ca.pem&options=-c%20a%3Db");

        assert_eq!(env(&client, "PGPASSWORD"), Some("qp"));
        assert_eq!(env(&client, "PGSSLROOTCERT"), Some("/etc/ca.pem"));
        assert_eq!(env(&client, "PGOPTIONS"), Some("-c a=b"));
    }

    #[test]
    fn a_database_name_is_quoted_as_a_connection_string() {
        let client = client("postgres://app@db/we%27ird%3Dname");

        assert_eq!(client.args.last().unwrap(), r"--dbname=dbname='we\'ird=name'");
        assert_eq!(env(&client, "PGPASSWORD"), None, "without a password, libpq's own sources apply");
    }

    #[test]
    fn table_data_lines_are_recognised() {
        assert_eq!(table_data("3544; 0 171605 TABLE DATA public users papertrade"), Some(("public", "users")));
        assert_eq!(table_data("215; 1259 171596 TABLE public users papertrade"), None);
        assert_eq!(table_data(";     dbname: x"), None);
    }

    #[test]
    fn only_the_public_schema_entries_are_commented_out() {
        let list = "5; 2615 1 SCHEMA - public app\n3565; 0 0 COMMENT - SCHEMA public app\n\
                    6; 2615 2 SCHEMA - tower_sessions app\n3544; 0 3 TABLE DATA public users app\n";

        assert_eq!(
            without_public_schema(list),
            ";5; 2615 1 SCHEMA - public app\n;3565; 0 0 COMMENT - SCHEMA public app\n\
             6; 2615 2 SCHEMA - tower_sessions app\n3544; 0 3 TABLE DATA public users app\n"
        );
    }

    #[test]
    fn migrations_are_read_from_the_copy_block() {
        let script = "SET x = 0;\nCOPY public._sqlx_migrations (version, description, success, checksum) FROM stdin;\n\
                      20261126000001\tinitial schema\tt\t\\\\x0aff\n20261127000001\tuser identities\tt\t\\\\x10\n\\.\n\n";

        assert_eq!(
            parse_migrations(script).unwrap(),
            BTreeMap::from([(20261126000001, vec![0x0a, 0xff]), (20261127000001, vec![0x10])])
        );
        assert!(parse_migrations("SET x = 0;\n").is_err());
    }

    #[test]
    fn a_backup_needs_known_and_unedited_migrations() {
        let embedded = BTreeMap::from([(1, vec![1]), (2, vec![2])]);

        assert!(check_migrations(&BTreeMap::from([(1, vec![1])]), &embedded).is_ok(), "older: migrated after");
        let newer = check_migrations(&BTreeMap::from([(1, vec![1]), (3, vec![3])]), &embedded).unwrap_err();
        assert!(newer.to_string().contains("newer papertrade (migrations 3"), "{newer}");
        let edited = check_migrations(&BTreeMap::from([(1, vec![9])]), &embedded).unwrap_err();
        assert!(edited.to_string().contains("migrations 1 of the backup differ"), "{edited}");
    }

    #[test]
    fn sizes_read_like_ls_h() {
        assert_eq!(human_size(100), "100 bytes");
        assert_eq!(human_size(46_285), "45.2 KiB");
        assert_eq!(human_size(3 * 1024 * 1024), "3.0 MiB");
    }
}
