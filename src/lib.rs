//! Papertrade: a self-hostable stock-market simulator for learners.
//!
//! One crate, built twice: with `ssr` it is the server (axum, sqlx, everything in [`server`]);
//! with `hydrate` it is the WASM that makes the server-rendered pages interactive.

// Leptos view types nest deeply; the default limit (128) is too low for whole pages.
#![recursion_limit = "256"]

pub mod api;
pub mod app;
pub mod domain;
#[cfg(feature = "ssr")]
pub mod server;
pub mod ui;
pub mod wire;

/// The browser entry point: attaches the app to the server-rendered HTML.
#[cfg(feature = "hydrate")]
#[wasm_bindgen::prelude::wasm_bindgen]
pub fn hydrate() {
    console_error_panic_hook::set_once();
    leptos::mount::hydrate_body(app::App);
}
