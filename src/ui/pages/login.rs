//! Log in: email and password (or the way to reset a forgotten one), or try it as a guest.

use crate::api::auth::{LogIn, StartGuest};
use crate::ui::components::form::{last_error, FormError, TextField};
use crate::ui::components::provider_buttons::ProviderButtons;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

#[component]
pub fn LoginPage() -> impl IntoView {
    let log_in = ServerAction::<LogIn>::new();
    let guest = ServerAction::<StartGuest>::new();
    let error = last_error(log_in);
    let next = move || use_query_map().get().get("next").unwrap_or_default();
    let just_reset = move || use_query_map().get().get("reset").is_some_and(|reset| reset == "done");
    view! {
        <Title text="Log in" />
        <section class="container auth-page">
            <div class="card auth-card">
                <h1>"Welcome back"</h1>
                <p class="muted">"Log in to pick up where you left off."</p>
                {move || just_reset().then(|| view! {
                    <p class="notice" role="status">
                        "Your new password is saved and every device was signed out. Log in with the new password."
                    </p>
                })}
                <ProviderButtons next=Signal::derive(next) />
                <ActionForm action=log_in attr:class="stack" attr:novalidate=true>
                    <input type="hidden" name="next" value=next />
                    <TextField name="email" label="Email" kind="email" autocomplete="email" error />
                    <TextField name="password" label="Password" kind="password" autocomplete="current-password" error />
                    <p class="forgot-link"><a href="/forgot-password">"Forgot password?"</a></p>
                    <FormError error />
                    <button class="button primary" type="submit" disabled=move || log_in.pending().get()>
                        {move || if log_in.pending().get() { "Logging in…" } else { "Log in" }}
                    </button>
                </ActionForm>
                <div class="divider"><span>"or"</span></div>
                <ActionForm action=guest>
                    <input type="hidden" name="next" value=next />
                    <button class="button secondary wide" type="submit" disabled=move || guest.pending().get()>
                        "Try it as a guest"
                    </button>
                </ActionForm>
                <FormError error=last_error(guest) />
                <p class="auth-switch">"New here? " <a href="/signup">"Create an account"</a></p>
            </div>
        </section>
    }
}
