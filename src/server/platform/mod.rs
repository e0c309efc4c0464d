//! What every feature runs on: configuration, the shared state, the database, errors as HTTP
//! answers, the HTTP stack, outgoing mail, logs, metrics and the background job loop.

pub mod background;
pub mod config;
pub mod db;
pub mod error;
pub mod http;
pub mod mail;
pub mod metrics;
pub mod state;
pub mod telemetry;
