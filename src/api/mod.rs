//! Server functions and the wire types they return, one file per area.
//!
//! Each server function is a public HTTP endpoint under `/api/<name>`: it authorizes the caller
//! itself, parses its inputs into domain types, calls into `crate::server`, and maps the result
//! to a wire type. Nothing from `crate::server` leaks into the browser build.

pub mod auth;
pub mod error;
pub mod history;
pub mod live;
pub mod market;
pub mod notifications;
pub mod platform;
pub mod portfolio;
pub mod providers;
pub mod trading;
pub mod watchlist;

pub use error::AppError;
