//! Toasts: each notification that arrives on the live stream, briefly, at the bottom of the
//! screen — its title, the start of its message, a link to its page and one to the centre.

use super::live::{use_live_events, Toast};
use leptos::prelude::*;

/// Characters of the message a toast shows; the notification centre has the rest.
const SHORT_MESSAGE: usize = 140;

/// The region toasts appear in. Always in the page (empty until a notification arrives), so
/// screen readers announce what is added to it. `data-live` says whether the live stream is open
/// (for diagnostics and the end-to-end tests).
#[component]
pub fn ToastRegion() -> impl IntoView {
    let live = use_live_events();
    view! {
        <div class="toast-region" role="status" aria-live="polite" aria-label="New notifications"
            data-live=move || if live.connected() { "connected" } else { "offline" }>
            <For each=move || live.toasts() key=|toast| toast.key children=|toast| view! { <ToastCard toast /> } />
        </div>
    }
}

#[component]
fn ToastCard(toast: Toast) -> impl IntoView {
    let live = use_live_events();
    let key = toast.key;
    let n = toast.notification;
    let title = n.title.clone();
    let close_label = format!("Close: {}", n.title);
    view! {
        <div class="toast card" data-testid="toast"
            on:mouseenter=move |_| live.hold_toast(key, true)
            on:mouseleave=move |_| live.hold_toast(key, false)
            on:focusin=move |_| live.hold_toast(key, true)
            on:focusout=move |_| live.hold_toast(key, false)
        >
            <p class="toast-title">{n.title}</p>
            <p class="toast-message">{short(&n.message)}</p>
            <p class="toast-links" on:click=move |_| live.dismiss_toast(key)>
                {n.link.map(|link| view! { <a href=link>"Open"<span class="sr-only">": " {title}</span></a> })}
                <a href="/notifications">"All notifications"</a>
            </p>
            <button type="button" class="toast-close" aria-label=close_label on:click=move |_| live.dismiss_toast(key)>
                <span aria-hidden="true">"×"</span>
            </button>
        </div>
    }
}

/// The message cut at a word before [`SHORT_MESSAGE`] characters, with an ellipsis.
fn short(message: &str) -> String {
    if message.chars().count() <= SHORT_MESSAGE {
        return message.to_owned();
    }
    let cut: String = message.chars().take(SHORT_MESSAGE).collect();
    let at_word = cut.rfind(' ').map_or(cut.as_str(), |space| &cut[..space]);
    format!("{}…", at_word.trim_end_matches([',', ';', ':', '.', ' ']))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_short_message_is_shown_whole() {
        assert_eq!(short("You placed your first trade."), "You placed your first trade.");
    }

    #[test]
    fn a_long_message_is_cut_at_a_word_with_an_ellipsis() {
        let message = "word ".repeat(60);
        let cut = short(&message);
        assert!(cut.ends_with("word…"), "{cut}");
        assert!(cut.chars().count() <= SHORT_MESSAGE + 1);
    }
}
