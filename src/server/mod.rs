//! Everything that does IO: configuration, database, HTTP, authentication, the command line.
//! Compiled only with the `ssr` feature, so none of it reaches the browser bundle.

pub mod auth;
pub mod background;
pub mod backup;
pub mod cli;
pub mod config;
pub mod db;
pub mod error;
pub mod http;
pub mod market;
pub mod metrics;
pub mod notify;
pub mod portfolio;
pub mod repo;
pub mod seed;
pub mod state;
pub mod telemetry;
pub mod trading;
