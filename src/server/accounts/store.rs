//! Where sessions live: the table `tower_sessions.session` (created by
//! `tower_sessions_sqlx_store::PostgresStore::migrate`), read and written with the same SQL and
//! the same MessagePack encoding as that crate's store, so existing sessions stay valid.
//!
//! Our own store because a failed session read must say why it failed. tower-sessions and
//! axum-login answer a failed load or save with a bare 500 and keep the error; this store notes the
//! database error for the request ([`note_request_fault`]), so the answer can be a 503 "try again"
//! while the database is unreachable, and an opaque 500 otherwise.

use crate::server::accounts::repo::sessions;
use crate::server::platform::error::note_request_fault;
use async_trait::async_trait;
use chrono::{DateTime, Utc};
use sqlx::PgPool;
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
}

#[async_trait]
impl SessionStore for PgSessionStore {
    async fn create(&self, record: &mut Record) -> session_store::Result<()> {
        let data = encode(record)?;
        // A taken id (astronomically rare) gets a new one; one statement per attempt.
        while !sessions::insert_new(&self.pool, &record.id.to_string(), &data, expiry(record)).await.map_err(failed)? {
            record.id = Id::default();
        }
        Ok(())
    }

    async fn save(&self, record: &Record) -> session_store::Result<()> {
        sessions::upsert(&self.pool, &record.id.to_string(), &encode(record)?, expiry(record)).await.map_err(failed)
    }

    async fn load(&self, id: &Id) -> session_store::Result<Option<Record>> {
        let data = sessions::load(&self.pool, &id.to_string()).await.map_err(failed)?;
        data.map(|data| rmp_serde::from_slice(&data).map_err(|error| session_store::Error::Decode(error.to_string())))
            .transpose()
    }

    async fn delete(&self, id: &Id) -> session_store::Result<()> {
        sessions::delete(&self.pool, &id.to_string()).await.map_err(failed)
    }
}

fn encode(record: &Record) -> session_store::Result<Vec<u8>> {
    rmp_serde::to_vec(record).map_err(|error| session_store::Error::Encode(error.to_string()))
}

fn expiry(record: &Record) -> DateTime<Utc> {
    let at = record.expiry_date;
    DateTime::from_timestamp(at.unix_timestamp(), at.nanosecond()).unwrap_or(DateTime::<Utc>::MAX_UTC)
}

fn failed(error: sqlx::Error) -> session_store::Error {
    note_request_fault(&error);
    session_store::Error::Backend(error.to_string())
}
