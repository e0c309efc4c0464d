//! The tables of accounts: users, their OAuth identities, and their sessions.

pub mod identities;
pub mod sessions;
pub mod users;
