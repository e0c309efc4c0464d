//! Integration tests: the real server over HTTP against a real PostgreSQL, a fresh database per
//! test. One test binary (with modules) keeps link time down.
//!
//! Needs `TEST_DATABASE_URL` pointing at a PostgreSQL server whose user may create databases;
//! `make test` starts the local cluster and sets it.

mod auth;
mod backup;
mod cli;
mod coach;
mod delivery;
mod email;
mod failures;
mod fake_finnhub;
mod fake_provider;
mod finnhub;
mod fuzz;
mod game_class;
mod game_comparison;
mod game_organisers;
mod game_pages;
mod game_seats;
mod games;
mod harness;
mod health;
mod live;
mod mailbox;
mod oauth;
mod observability;
mod order_form;
mod orders;
mod pages;
mod portfolio;
mod portfolios;
mod schema;
mod security;
mod seed;
mod server_functions;
mod session_store;
mod trading;
