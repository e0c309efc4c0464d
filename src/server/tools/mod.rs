//! The operator's side of the binary: the command line (serve, migrate, reset-db, seed-db,
//! backup, restore), backups and the sample data.

pub mod backup;
pub mod cli;
pub mod seed;
