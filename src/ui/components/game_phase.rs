//! Where a game is in its life, in words: a badge for lists, and the game page's countdown,
//! which ticks every second in the browser until the game starts or ends.

use crate::domain::game::{countdown, Phase, Window};
use chrono::{DateTime, Utc};
use leptos::prelude::*;
use std::time::Duration;

/// "Starts Dec 7, 14:30 UTC", "Running until Dec 14, 16:00 UTC" or "Ended Dec 14".
#[component]
pub fn PhaseBadge(starts_at: DateTime<Utc>, ends_at: DateTime<Utc>) -> impl IntoView {
    let window = Window { starts_at, ends_at };
    let (class, words) = match window.phase(clock_now()) {
        Phase::NotStarted { .. } => ("phase upcoming", format!("Starts {}", moment(starts_at))),
        Phase::Running => ("phase running", format!("Running until {}", moment(ends_at))),
        Phase::Ended => ("phase ended", format!("Ended {}", ends_at.format("%b %-d"))),
    };
    view! { <span class=class>{words}</span> }
}

/// The time now: the server's clock, or the browser's (chrono reads no clock in WASM).
fn clock_now() -> DateTime<Utc> {
    #[cfg(feature = "hydrate")]
    return DateTime::from_timestamp_millis(web_sys::js_sys::Date::now() as i64).unwrap_or_default();
    #[cfg(not(feature = "hydrate"))]
    return Utc::now();
}

/// A moment as the game pages write it (UTC, like every time on the site).
pub fn moment(at: DateTime<Utc>) -> String {
    at.format("%b %-d, %H:%M UTC").to_string()
}

/// The clock a game page counts down with: `from` (the server's time when it valued the board)
/// at first, on both sides, so the HTML hydrates as sent; then the browser's, every second.
pub fn ticking_clock(from: DateTime<Utc>) -> ReadSignal<DateTime<Utc>> {
    let (now, set_now) = signal(from);
    Effect::new(move |_| {
        set_now.set(clock_now());
        if let Ok(handle) = set_interval_with_handle(move || set_now.set(clock_now()), Duration::from_secs(1)) {
            on_cleanup(move || handle.clear());
        }
    });
    now
}

/// "Starts in 2 days 3 h" / "Ends in 4 min 20 s" / "Ended Dec 14, 16:00 UTC", read from `now`.
pub fn phase_words(window: Window, now: DateTime<Utc>) -> String {
    match window.phase(now) {
        Phase::NotStarted { starts_in } => {
            format!("Starts in {} · trading opens {}", countdown(starts_in), moment(window.starts_at))
        }
        Phase::Running => format!("Ends in {} · {}", countdown(window.ends_at - now), moment(window.ends_at)),
        Phase::Ended => format!("Ended {} · final standings", moment(window.ends_at)),
    }
}
