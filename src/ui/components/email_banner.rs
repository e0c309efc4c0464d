//! The banner that asks a password account to confirm its email, with "send a new link". Trading
//! works meanwhile; a confirmed address is what resets a forgotten password.

use super::viewer::use_viewer;
use crate::api::email::ResendVerification;
use crate::ui::components::form::last_error;
use leptos::prelude::*;

/// Not on the page that confirms the address: it says all there is to say.
const CONFIRMING_PAGE: &str = "/verify-email";

#[component]
pub fn EmailBanner() -> impl IntoView {
    let viewer = use_viewer();
    let location = leptos_router::hooks::use_location();
    view! {
        <Transition fallback=|| ()>
            {move || Suspend::new(async move {
                let confirming = location.pathname.get() == CONFIRMING_PAGE;
                let email = match viewer.await {
                    Ok(Some(user)) if user.needs_to_verify_email() && !confirming => user.email,
                    _ => None,
                };
                email.map(|email| view! { <Banner email /> })
            })}
        </Transition>
    }
}

#[component]
fn Banner(email: String) -> impl IntoView {
    let resend = ServerAction::<ResendVerification>::new();
    let error = last_error(resend);
    let sent = move || matches!(resend.value().get(), Some(Ok(())));
    let status = {
        let email = email.clone();
        move || match (sent(), error.get()) {
            (true, _) => Some(format!("A new link is on its way to {email}.")),
            (_, Some(error)) => Some(crate::wire::error::sentence_case(&format!("{error}."))),
            _ => None,
        }
    };
    view! {
        <aside class="email-banner" aria-label="Address not confirmed yet">
            <div class="container email-banner-inner">
                <p>
                    <strong>"Confirm your email. "</strong>
                    {format!("We sent a link to {email}; open it to confirm the address, so you can reset your password if you ever forget it.")}
                </p>
                <ActionForm action=resend>
                    <button class="button secondary small" type="submit" disabled=move || resend.pending().get()>
                        "Send a new link"
                    </button>
                </ActionForm>
                <p class="email-banner-status" role="status">{status}</p>
            </div>
        </aside>
    }
}
