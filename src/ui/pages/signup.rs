//! Sign up with email, username and password.

use crate::api::auth::SignUp;
use crate::ui::components::form::{last_error, FormError, TextField};
use crate::ui::components::provider_buttons::ProviderButtons;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

#[component]
pub fn SignupPage() -> impl IntoView {
    let sign_up = ServerAction::<SignUp>::new();
    let error = last_error(sign_up);
    let next = move || use_query_map().get().get("next").unwrap_or_default();
    view! {
        <Title text="Create your account" />
        <section class="container auth-page">
            <div class="card auth-card">
                <h1>"Create your account"</h1>
                <p class="muted">"Start with $10,000 of virtual cash. Free, and no card needed."</p>
                <ProviderButtons next=Signal::derive(next) />
                <ActionForm action=sign_up attr:class="stack" attr:novalidate=true>
                    <input type="hidden" name="next" value=next />
                    <TextField name="email" label="Email" kind="email" autocomplete="email" error />
                    <TextField name="username" label="Username" autocomplete="username"
                        hint="3–30 letters, digits, '_', '-' or '.'; others see this name" error />
                    <TextField name="password" label="Password" kind="password" autocomplete="new-password"
                        hint="At least 8 characters. A few words make a strong one." error />
                    <FormError error />
                    <button class="button primary" type="submit" disabled=move || sign_up.pending().get()>
                        {move || if sign_up.pending().get() { "Creating your account…" } else { "Create account" }}
                    </button>
                </ActionForm>
                <p class="auth-switch">"Already have an account? " <a href="/login">"Log in"</a></p>
            </div>
        </section>
    }
}
