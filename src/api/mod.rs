//! Server functions, one file per area; the types they carry live in [`crate::wire`].
//!
//! Each server function is a public HTTP endpoint under `/api/<name>`: it authorizes the caller
//! itself, parses its inputs into domain types, calls into `crate::server`, and maps the result
//! to a wire type. Nothing from `crate::server` leaks into the browser build, and nothing in
//! `crate::server` imports this module (`scripts/check-rooms.sh`, part of `make test`).

pub mod auth;
pub mod email;
pub mod games;
pub mod history;
pub mod market;
pub mod notifications;
pub mod orders;
pub mod platform;
pub mod portfolio;
pub mod providers;
pub mod trading;
pub mod watchlist;
