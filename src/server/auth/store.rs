//! Where sessions live: the table `tower_sessions.session` (created by
//! `tower_sessions_sqlx_store::PostgresStore::migrate`), read and written with the same SQL and
//! the same MessagePack encoding as that crate's store, so existing sessions stay valid.
//!
//! Our own store because a failed session read must say why it failed. tower-sessions and
//! axum-login answer a failed load or save with a bare 500 and keep the error; this store notes the
//! database error for the request ([`note_request_fault`]), so the answer can be a 503 "try again"
//! while the database is unreachable, and an opaque 500 otherwise.

use crate::server::error::note_request_fault;
use async_trait::async_trait;
use chrono::{DateTime, Utc};
use sqlx::{PgConnection, PgPool};
use std::time::Duration;
use tower_sessions::session::{Id, Record};
use tower_sessions::session_store::{self, SessionStore};

#[derive(Clone, Debug)]
pub struct PgSessionStore {
    pool: PgPool,
}

impl PgSessionStore {
    pub fn new(pool: PgPool) -> PgSessionStore {
        PgSessionStore { pool }
    }

    /// Deletes expired sessions every `period`, forever; a failed round (the database was down) is
    /// logged and the next one runs as planned.
    pub async fn sweep_expired(self, period: Duration) {
        let mut ticks = tokio::time::interval(period);
        ticks.tick().await;
        loop {
            ticks.tick().await;
            let deleted =
                sqlx::query("DELETE FROM tower_sessions.session WHERE expiry_date < now()").execute(&self.pool).await;
            if let Err(error) = deleted {
                tracing::warn!(%error, "could not delete expired sessions; will retry");
            }
        }
    }

    async fn id_exists(conn: &mut PgConnection, id: &Id) -> session_store::Result<bool> {
        sqlx::query_scalar("SELECT EXISTS (SELECT 1 FROM tower_sessions.session WHERE id = $1)")
            .bind(id.to_string())
            .fetch_one(conn)
            .await
            .map_err(failed)
    }

    async fn save_with(conn: &mut PgConnection, record: &Record) -> session_store::Result<()> {
        let data = rmp_serde::to_vec(record).map_err(|error| session_store::Error::Encode(error.to_string()))?;
        sqlx::query(
            "INSERT INTO tower_sessions.session (id, data, expiry_date) VALUES ($1, $2, $3)
             ON CONFLICT (id) DO UPDATE SET data = excluded.data, expiry_date = excluded.expiry_date",
        )
        .bind(record.id.to_string())
        .bind(data)
        .bind(expiry(record))
        .execute(conn)
        .await
        .map_err(failed)?;
        Ok(())
    }
}

#[async_trait]
impl SessionStore for PgSessionStore {
    async fn create(&self, record: &mut Record) -> session_store::Result<()> {
        let mut tx = self.pool.begin().await.map_err(failed)?;
        while Self::id_exists(&mut tx, &record.id).await? {
            record.id = Id::default();
        }
        Self::save_with(&mut tx, record).await?;
        tx.commit().await.map_err(failed)
    }

    async fn save(&self, record: &Record) -> session_store::Result<()> {
        let mut conn = self.pool.acquire().await.map_err(failed)?;
        Self::save_with(&mut conn, record).await
    }

    async fn load(&self, id: &Id) -> session_store::Result<Option<Record>> {
        let data: Option<Vec<u8>> =
            sqlx::query_scalar("SELECT data FROM tower_sessions.session WHERE id = $1 AND expiry_date > now()")
                .bind(id.to_string())
                .fetch_optional(&self.pool)
                .await
                .map_err(failed)?;
        data.map(|data| rmp_serde::from_slice(&data).map_err(|error| session_store::Error::Decode(error.to_string())))
            .transpose()
    }

    async fn delete(&self, id: &Id) -> session_store::Result<()> {
        sqlx::query("DELETE FROM tower_sessions.session WHERE id = $1")
            .bind(id.to_string())
            .execute(&self.pool)
            .await
            .map_err(failed)?;
        Ok(())
    }
}

fn expiry(record: &Record) -> DateTime<Utc> {
    let at = record.expiry_date;
    DateTime::from_timestamp(at.unix_timestamp(), at.nanosecond()).unwrap_or(DateTime::<Utc>::MAX_UTC)
}

fn failed(error: sqlx::Error) -> session_store::Error {
    note_request_fault(&error);
    session_store::Error::Backend(error.to_string())
}
