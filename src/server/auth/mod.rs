//! Authentication building blocks. For now: password hashing (used by the seed data).

pub mod password;
