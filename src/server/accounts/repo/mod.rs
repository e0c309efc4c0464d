//! The tables of accounts: users, their OAuth identities, their sessions, and the links mailed to them.

pub mod identities;
pub mod sessions;
pub mod tokens;
pub mod users;
