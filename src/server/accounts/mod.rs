//! Who is asking: accounts, passwords, sessions (axum-login on tower-sessions, stored in
//! PostgreSQL so any instance can serve any user).

pub mod account;
pub mod backend;
pub mod oauth;
pub mod password;
pub mod repo;
pub mod routes;
pub mod session;
pub mod store;
