//! Who is asking: accounts, passwords, sessions (axum-login on tower-sessions, stored in
//! PostgreSQL so any instance can serve any user).

pub mod accounts;
pub mod backend;
pub mod oauth;
pub mod password;
pub mod session;
pub mod store;
