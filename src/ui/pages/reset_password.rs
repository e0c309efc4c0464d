//! Choosing a new password from the link in a reset letter. A dead link (used, expired, made
//! up) is refused when the form is sent, with the way to a new one beside the form.

use crate::api::email::ResetPassword;
use crate::ui::components::form::{last_error, FormError, TextField};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

#[component]
pub fn ResetPasswordPage() -> impl IntoView {
    let reset = ServerAction::<ResetPassword>::new();
    let error = last_error(reset);
    let token = move || use_query_map().get().get("token").unwrap_or_default();
    view! {
        <Title text="Choose a new password" />
        <section class="container auth-page">
            <div class="card auth-card">
                <h1>"Choose a new password"</h1>
                <p class="muted">"Saving it signs your account out on every device; then you log in with the new one."</p>
                <ActionForm action=reset attr:class="stack" attr:novalidate=true>
                    <input type="hidden" name="token" value=token />
                    <TextField name="new_password" label="New password" kind="password" autocomplete="new-password"
                        hint="At least 8 characters. A few words make a strong one." error />
                    <FormError error />
                    <button class="button primary" type="submit" disabled=move || reset.pending().get()>
                        {move || if reset.pending().get() { "Saving…" } else { "Save my new password" }}
                    </button>
                </ActionForm>
                <p class="auth-switch">"Link expired? Reset links work once, for 30 minutes. "
                    <a href="/forgot-password">"Send me a new link"</a>
                </p>
            </div>
        </section>
    }
}
