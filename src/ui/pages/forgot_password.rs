//! "Forgot password?": an address in, a reset link out — the same answer for every address.

use crate::api::email::RequestPasswordReset;
use crate::ui::components::form::{last_error, FormError, TextField};
use leptos::prelude::*;
use leptos_meta::Title;

#[component]
pub fn ForgotPasswordPage() -> impl IntoView {
    let request = ServerAction::<RequestPasswordReset>::new();
    let error = last_error(request);
    let sent = move || matches!(request.value().get(), Some(Ok(())));
    view! {
        <Title text="Forgot your password?" />
        <section class="container auth-page">
            <div class="card auth-card">
                <h1>"Forgot your password?"</h1>
                <p class="muted">"Enter the email of your account and we will send you a link to choose a new password."</p>
                <ActionForm action=request attr:class="stack" attr:novalidate=true>
                    <TextField name="email" label="Email" kind="email" autocomplete="email" error />
                    <FormError error />
                    <p class="form-success" role="status">{move || sent().then_some(
                        "If an account uses that address, a link is on its way. It works for 30 minutes; \
                         if nothing arrives in a few minutes, look in your spam folder."
                    )}</p>
                    <button class="button primary" type="submit" disabled=move || request.pending().get()>
                        {move || if request.pending().get() { "Sending…" } else { "Send me a link" }}
                    </button>
                </ActionForm>
                <p class="auth-switch">"Remembered it? " <a href="/login">"Log in"</a></p>
            </div>
        </section>
    }
}
