//! What crosses the wire: the types server functions return, the live event stream's payloads,
//! and [`AppError`]. Compiled for the server and the browser alike, and a leaf: it imports only
//! [`crate::domain`], so `api` (the server functions), `server` (the services) and `ui` (the
//! pages) can all use it without leaning on each other.

pub mod auth;
pub mod error;
pub mod games;
pub mod history;
pub mod live;
pub mod market;
pub mod notifications;
pub mod orders;
pub mod platform;
pub mod portfolios;
pub mod providers;
pub mod trading;
pub mod watchlist;

pub use error::AppError;
