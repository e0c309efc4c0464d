//! Who is asking: accounts, passwords, sessions (axum-login on tower-sessions, stored in
//! PostgreSQL so any instance can serve any user), and the links mailed to confirm an email or
//! reset a password.

pub mod account;
pub mod backend;
pub mod letters;
pub mod mailed_links;
pub mod oauth;
pub mod password;
pub mod repo;
pub mod routes;
pub mod session;
pub mod stale_cookie;
pub mod store;
