//! One routed page per file.

pub mod account;
pub mod dashboard;
pub mod history;
pub mod landing;
pub mod login;
pub mod markets;
pub mod not_found;
pub mod notifications;
pub mod signup;
pub mod stock;
pub mod watchlist;
