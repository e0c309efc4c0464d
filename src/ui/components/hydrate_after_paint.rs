//! The script that makes a server-rendered page interactive, in place of Leptos'
//! `HydrationScripts`: the same module and WASM, without `preload` hints, fetched only once the
//! page has loaded and two frames have passed (so the server's HTML is on screen), or at once in
//! a hidden tab, which paints no frames. It then hydrates and marks `<html data-hydrated>` (what
//! the Playwright tests wait for).
//!
//! Why: a preloaded WASM is downloaded before the first paint, so on a phone's slow network the
//! 430 KB of it stand between the visitor and the server's finished HTML. Lighthouse's simulated
//! Largest Contentful Paint was 3.2 s with the preloads and is under 1 s without them
//! (docs/BENCHMARKS.md, "Lighthouse").

use leptos::prelude::*;

/// Renders the loader for the compiled files under `/{pkg_path}/` (in the shell's head).
#[component]
pub fn HydrateAfterPaint(pkg_path: String, output_name: String) -> impl IntoView {
    // cargo-leptos names the WASM after the output name; wasm-bindgen's own default adds `_bg`
    // (a server built by plain cargo, as in the tests).
    let wasm_name =
        if option_env!("LEPTOS_OUTPUT_NAME").is_some() { output_name.clone() } else { format!("{output_name}_bg") };
    let script = format!(
        "{}({:?}, {:?});",
        include_str!("hydrate_after_paint.js").trim_end(),
        format!("/{pkg_path}/{output_name}.js"),
        format!("/{pkg_path}/{wasm_name}.wasm"),
    );
    view! { <script type="module" nonce=leptos::nonce::use_nonce()>{script}</script> }
}
