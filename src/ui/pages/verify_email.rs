//! Confirming an email from the link in a letter: one press of a button (a link alone does not
//! confirm, so a mail scanner that opens links confirms nothing).

use crate::api::email::VerifyEmail;
use crate::ui::components::form::{last_error, FormError};
use crate::ui::components::viewer::use_viewer;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

#[component]
pub fn VerifyEmailPage() -> impl IntoView {
    let verify = ServerAction::<VerifyEmail>::new();
    let error = last_error(verify);
    let token = move || use_query_map().get().get("token").unwrap_or_default();
    let confirmed = move || verify.value().get().and_then(Result::ok);
    let viewer = use_viewer();
    Effect::new(move |_| {
        if confirmed().is_some() {
            viewer.refetch();
        }
    });
    view! {
        <Title text="Confirm your email" />
        <section class="container auth-page">
            <div class="card auth-card">
                <h1>"Confirm your email"</h1>
                {move || match confirmed() {
                    Some(email) => view! {
                        <p class="form-success" role="status">{format!("Thank you: {email} is confirmed.")}</p>
                        <p><a class="button primary" href="/dashboard">"Go to my portfolio"</a></p>
                    }.into_any(),
                    None => view! {
                        <p class="muted">"Press the button to confirm that this address is yours."</p>
                        <ActionForm action=verify attr:class="stack">
                            <input type="hidden" name="token" value=token />
                            <FormError error />
                            <button class="button primary" type="submit" disabled=move || verify.pending().get()>
                                {move || if verify.pending().get() { "Confirming…" } else { "Confirm my email" }}
                            </button>
                        </ActionForm>
                    }.into_any(),
                }}
            </div>
        </section>
    }
}
