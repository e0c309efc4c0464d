//! Account settings: profile, keeping a guest portfolio, connected sign-ins, email, password,
//! starting the portfolio over, and deleting the account.

use crate::api::auth::{ChangePassword, DeleteAccount, UpdateProfile, UpgradeGuest};
use crate::api::email::ChangeEmail;
use crate::api::providers::connected_providers;
use crate::domain::AuthProvider;
use crate::ui::components::form::{last_error, FormError, TextField};
use crate::ui::components::provider_buttons::provider_start_href;
use crate::ui::components::reset_portfolio::ResetPortfolioForm;
use crate::ui::components::viewer::{refresh_viewer_after, use_signed_in};
use crate::wire::auth::Viewer;
use leptos::prelude::*;
use leptos_meta::Title;

#[component]
pub fn AccountPage() -> impl IntoView {
    let viewer = use_signed_in();
    view! {
        <Title text="Account" />
        <Settings viewer />
    }
}

#[component]
fn Settings(viewer: Viewer) -> impl IntoView {
    let provider = if viewer.is_guest() { "Guest (no sign-in yet)" } else { viewer.provider.label() };
    view! {
        <section class="container page narrow-page">
            <h1>"Account"</h1>
            <p class="muted">"Signed in with: " <strong>{provider}</strong>
                {viewer.email.clone().map(|email| view! { " as " <strong>{email}</strong> })}
            </p>
            {viewer.is_guest().then(|| view! { <UpgradeGuestForm username=viewer.username.clone() /> })}
            <ConnectedSignIns is_guest=viewer.is_guest() />
            <ProfileForm viewer=viewer.clone() />
            {(viewer.provider == AuthProvider::Local).then(|| view! { <EmailForm viewer=viewer.clone() /> })}
            {viewer.has_password.then(|| view! { <PasswordForm /> })}
            <ResetPortfolioForm />
            <DeleteForm username=viewer.username.clone() />
        </section>
    }
}

#[component]
fn UpgradeGuestForm(username: String) -> impl IntoView {
    let upgrade = ServerAction::<UpgradeGuest>::new();
    refresh_viewer_after(upgrade);
    let error = last_error(upgrade);
    view! {
        <div class="card settings-card" aria-labelledby="keep-title">
            <h2 id="keep-title">"Keep your portfolio"</h2>
            <p class="muted">"Add an email and password; your cash, holdings and history stay exactly as they are."</p>
            <ActionForm action=upgrade attr:class="stack" attr:novalidate=true>
                <TextField name="email" label="Email" kind="email" autocomplete="email" error />
                <TextField name="username" label="Username" autocomplete="username" value=username error />
                <TextField name="password" label="Password" kind="password" autocomplete="new-password"
                    hint="At least 8 characters." error />
                <FormError error />
                <button class="button primary" type="submit" disabled=move || upgrade.pending().get()>"Create my account"</button>
            </ActionForm>
        </div>
    }
}

/// Google and GitHub: connected (since when), or a link to connect. A guest who connects one
/// keeps their portfolio.
#[component]
fn ConnectedSignIns(is_guest: bool) -> impl IntoView {
    let connections = Resource::new(|| (), |_| connected_providers());
    view! {
        <Transition fallback=|| view! { <p class="muted">"Loading connected sign-ins…"</p> }>
            {move || Suspend::new(async move {
                let connections = connections.await.unwrap_or_default();
                (!connections.is_empty()).then(|| view! {
                    <div class="card settings-card">
                        <h2>"Connected sign-ins"</h2>
                        <p class="muted">{if is_guest {
                            "Or connect one of these to keep your portfolio and sign in with it."
                        } else {
                            "Sign in to this account with any of these."
                        }}</p>
                        <ul class="connections">
                            {connections.into_iter().map(|connection| {
                                let name = connection.provider.label();
                                let status = match &connection.connected_on {
                                    Some(day) => view! { <span class="connected">"✓ Connected on " {day.clone()}</span> }.into_any(),
                                    None => view! {
                                        <a class="button secondary small" rel="external"
                                            href=provider_start_href(connection.provider, "/account")>
                                            {format!("Connect {name}")}
                                        </a>
                                    }.into_any(),
                                };
                                view! { <li><strong>{name}</strong>{status}</li> }
                            }).collect_view()}
                        </ul>
                    </div>
                })
            })}
        </Transition>
    }
}

#[component]
fn ProfileForm(viewer: Viewer) -> impl IntoView {
    let update = ServerAction::<UpdateProfile>::new();
    refresh_viewer_after(update);
    let error = last_error(update);
    let saved = move || matches!(update.value().get(), Some(Ok(())));
    view! {
        <div class="card settings-card">
            <h2>"Profile"</h2>
            <ActionForm action=update attr:class="stack" attr:novalidate=true>
                <TextField name="username" label="Username" autocomplete="username" value=viewer.username error />
                <TextField name="avatar_url" label="Avatar image address (optional)" kind="url" required=false
                    value=viewer.avatar_url.unwrap_or_default() hint="An https:// link to a picture of you." error />
                <FormError error />
                <p class="form-success" role="status">{move || saved().then_some("Saved.")}</p>
                <button class="button primary" type="submit" disabled=move || update.pending().get()>"Save profile"</button>
            </ActionForm>
        </div>
    }
}

/// The account's email, whether it is confirmed, and changing it (the current password proves
/// the owner is asking; the old address is told).
#[component]
fn EmailForm(viewer: Viewer) -> impl IntoView {
    let change = ServerAction::<ChangeEmail>::new();
    refresh_viewer_after(change);
    let error = last_error(change);
    let changed = move || matches!(change.value().get(), Some(Ok(())));
    let status = if viewer.email_verified { "✓ Confirmed" } else { "Not confirmed yet: look for our letter" };
    view! {
        <div class="card settings-card">
            <h2>"Email"</h2>
            <p>
                <strong>{viewer.email.clone().unwrap_or_default()}</strong>
                " · "
                <span class:connected=viewer.email_verified>{status}</span>
            </p>
            <ActionForm action=change attr:class="stack" attr:novalidate=true>
                <TextField name="email" label="New email" kind="email" autocomplete="email" error />
                <TextField name="current_password" label="Current password" kind="password"
                    autocomplete="current-password" hint="To make sure it is you." error />
                <FormError error />
                <p class="form-success" role="status">{move || changed().then_some(
                    "Email changed. We sent a link to confirm the new address, and told the old one."
                )}</p>
                <button class="button primary" type="submit" disabled=move || change.pending().get()>"Change email"</button>
            </ActionForm>
        </div>
    }
}

#[component]
fn PasswordForm() -> impl IntoView {
    let change = ServerAction::<ChangePassword>::new();
    let error = last_error(change);
    let changed = move || matches!(change.value().get(), Some(Ok(())));
    view! {
        <div class="card settings-card">
            <h2>"Password"</h2>
            <p class="muted">"Changing it signs you out everywhere else."</p>
            <ActionForm action=change attr:class="stack" attr:novalidate=true>
                <TextField name="current_password" label="Current password" kind="password" autocomplete="current-password" error />
                <TextField name="new_password" label="New password" kind="password" autocomplete="new-password"
                    hint="At least 8 characters." error />
                <FormError error />
                <p class="form-success" role="status">{move || changed().then_some("Password changed. Other sessions were signed out.")}</p>
                <button class="button primary" type="submit" disabled=move || change.pending().get()>"Change password"</button>
            </ActionForm>
        </div>
    }
}

#[component]
fn DeleteForm(username: String) -> impl IntoView {
    let delete = ServerAction::<DeleteAccount>::new();
    let error = last_error(delete);
    view! {
        <div class="card settings-card danger-zone">
            <h2>"Delete account"</h2>
            <p class="muted">"This deletes your account, portfolio, trades and notifications for good. It cannot be undone."</p>
            <ActionForm action=delete attr:class="stack" attr:novalidate=true>
                <TextField name="confirmation" label="Type your username to confirm" autocomplete="off"
                    hint=format!("Your username is {username}.") error />
                <FormError error />
                <button class="button danger" type="submit" disabled=move || delete.pending().get()>"Delete my account"</button>
            </ActionForm>
        </div>
    }
}
