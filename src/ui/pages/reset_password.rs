//! Choosing a new password from the link in a reset letter. A dead link says so (with the way
//! to a new one) before anyone types a password.

use crate::api::email::{reset_link_works, ResetPassword};
use crate::ui::components::form::{last_error, FormError, TextField};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

#[component]
pub fn ResetPasswordPage() -> impl IntoView {
    let token = move || use_query_map().get().get("token").unwrap_or_default();
    let works = Resource::new(token, |token| async move {
        if token.is_empty() {
            Ok(false)
        } else {
            reset_link_works(token).await
        }
    });
    view! {
        <Title text="Choose a new password" />
        <section class="container auth-page">
            <div class="card auth-card">
                <h1>"Choose a new password"</h1>
                <Suspense fallback=|| view! { <p class="muted" role="status">"Checking your link…"</p> }>
                    {move || Suspend::new(async move {
                        match works.await {
                            Ok(true) => view! { <NewPasswordForm token=token() /> }.into_any(),
                            Ok(false) => view! { <DeadLink /> }.into_any(),
                            Err(_) => view! {
                                <p role="alert">"We could not check your link just now. Reload the page to try again."</p>
                            }.into_any(),
                        }
                    })}
                </Suspense>
            </div>
        </section>
    }
}

#[component]
fn NewPasswordForm(token: String) -> impl IntoView {
    let reset = ServerAction::<ResetPassword>::new();
    let error = last_error(reset);
    view! {
        <p class="muted">"Choosing it signs your account out on every device; then you log in with the new one."</p>
        <ActionForm action=reset attr:class="stack" attr:novalidate=true>
            <input type="hidden" name="token" value=token />
            <TextField name="new_password" label="New password" kind="password" autocomplete="new-password"
                hint="At least 8 characters. A few words make a strong one." error />
            <FormError error />
            <button class="button primary" type="submit" disabled=move || reset.pending().get()>
                {move || if reset.pending().get() { "Saving…" } else { "Save my new password" }}
            </button>
        </ActionForm>
    }
}

#[component]
fn DeadLink() -> impl IntoView {
    view! {
        <p role="alert">"This link has expired or was already used. Reset links work once, for 30 minutes."</p>
        <p><a class="button primary" href="/forgot-password">"Send me a new link"</a></p>
    }
}
