//! The Papertrade mark: a rising line on a sheet of paper.

use leptos::prelude::*;

#[component]
pub fn Logo() -> impl IntoView {
    view! {
        <svg class="logo" viewBox="0 0 32 32" width="28" height="28" aria-hidden="true" focusable="false">
            <rect x="3" y="3" width="26" height="26" rx="7" fill="currentColor" />
            <path d="M8 21l5-5 4 3 7-8" fill="none" stroke="var(--logo-ink)" stroke-width="2.6"
                stroke-linecap="round" stroke-linejoin="round" />
            <circle cx="24" cy="11" r="2.2" fill="var(--logo-ink)" />
        </svg>
    }
}
