//! One routed page per file.

pub mod account;
pub mod dashboard;
pub mod forgot_password;
pub mod game;
pub mod games;
pub mod history;
pub mod join_game;
pub mod landing;
pub mod login;
pub mod markets;
pub mod new_game;
pub mod not_found;
pub mod notifications;
pub mod orders;
pub mod reset_password;
pub mod signup;
pub mod stock;
pub mod verify_email;
pub mod watchlist;
