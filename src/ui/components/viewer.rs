//! Who is signed in, for every page: a resource refreshed on each navigation, the header's
//! account menu, and the layout of the private pages, which sends signed-out visitors to log in
//! and back.

use crate::api::auth::current_user;
use crate::wire::auth::{Viewer, ViewerStatus};
use crate::wire::AppError;
use leptos::prelude::*;
use leptos_router::components::{Outlet, Redirect};
use leptos_router::hooks::use_location;

pub type ViewerResource = Resource<Result<Option<Viewer>, AppError>>;

/// Creates the viewer resource and puts it in context; call once inside the router.
pub fn provide_viewer() {
    let location = use_location();
    let viewer: ViewerResource = Resource::new(move || location.pathname.get(), |_| current_user());
    provide_context(viewer);
}

pub fn use_viewer() -> ViewerResource {
    expect_context::<ViewerResource>()
}

/// Reloads the viewer whenever `action` succeeds (the account changed without a navigation).
pub fn refresh_viewer_after<I>(action: ServerAction<I>)
where
    I: leptos::server_fn::ServerFn<Output = (), Error = AppError> + Clone + Send + Sync + 'static,
{
    let viewer = use_viewer();
    Effect::new(move |_| {
        if let Some(Ok(())) = action.value().get() {
            viewer.refetch();
        }
    });
}

/// "Log in / Sign up", or the signed-in user's name with a log-out button.
#[component]
pub fn AccountMenu() -> impl IntoView {
    let viewer = use_viewer();
    view! {
        <Transition fallback=|| ()>
            {move || Suspend::new(async move {
                match viewer.await {
                    Ok(Some(user)) => view! {
                        <div class="account-menu">
                            <a class="account-name" href="/account" title="Account settings">
                                <span class="avatar" aria-hidden="true">{initial(&user.username)}</span>
                                <span>{user.username.clone()}</span>
                                {user.is_guest().then(|| view! { <span class="badge">"Guest"</span> })}
                            </a>
                            <form method="post" action="/auth/logout">
                                <button class="button secondary small" type="submit">"Log out"</button>
                            </form>
                        </div>
                    }
                    .into_any(),
                    _ => view! {
                        <div class="account-menu">
                            <a class="button secondary small" href="/login">"Log in"</a>
                            <a class="button primary small" href="/signup">"Sign up"</a>
                        </div>
                    }
                    .into_any(),
                }
            })}
        </Transition>
    }
}

fn initial(username: &str) -> String {
    username.chars().next().map(|c| c.to_ascii_uppercase().to_string()).unwrap_or_default()
}

/// The layout of every private page (their parent route in `app.rs`): renders the page
/// (`<Outlet/>`) for a signed-in viewer, with them in context ([`use_signed_in`]), and sends
/// anyone else to log in and back. For a signed-in viewer it decides without waiting — on the
/// server from the [`ViewerStatus`] worked out before rendering, in the browser from the same
/// value carried by the page (then from the viewer resource) — so there is no `Suspense` above
/// the page: a `Suspense` re-runs what it holds while it resolves, which made every page and its
/// resources up to three times per server render. A page is made only for a signed-in viewer,
/// so its resources — and the server functions behind them — never run for a visitor.
#[component]
pub fn SignedIn() -> impl IntoView {
    let viewer = use_viewer();
    let location = use_location();
    let rendered =
        SharedValue::new(|| use_context::<ViewerStatus>().unwrap_or_else(|| status_of(viewer.get_untracked())))
            .into_inner();
    // In the browser, the viewer resource has the last word once it answers (an effect: the
    // server decided from `rendered` already, and reading a resource outside a `Suspense` during
    // a render is what Leptos warns about). Only a change re-renders the page.
    let status = RwSignal::new(rendered);
    Effect::new(move |_| {
        let latest = status_of(viewer.get());
        if latest != ViewerStatus::Unknown && status.with_untracked(|current| *current != latest) {
            status.set(latest);
        }
    });
    move || match status.get() {
        ViewerStatus::SignedIn(user) => view! { <WithViewer viewer=user /> }.into_any(),
        // Not signed in as far as anyone knew when this ran — but in the browser that may be the
        // viewer of the page before (a sign-in redirects here): wait for the viewer to settle.
        // Nothing of the page is made meanwhile, so a re-run of this `Suspense` costs nothing.
        ViewerStatus::SignedOut | ViewerStatus::Unknown => view! {
            <Suspense fallback=|| view! { <p class="container page-status muted" role="status">"Loading…"</p> }>
                {move || Suspend::new(async move {
                    match viewer.await {
                        Ok(Some(user)) => view! { <WithViewer viewer=user /> }.into_any(),
                        Ok(None) => {
                            let here = location.pathname.get_untracked();
                            let target = format!("/login?next={}", crate::domain::redirect::encode_component(&here));
                            view! { <Redirect path=target /> }.into_any()
                        }
                        Err(_) => view! {
                            <p class="container page-status" role="alert">
                                "We could not check your sign-in just now. Reload the page to try again."
                            </p>
                        }
                        .into_any(),
                    }
                })}
            </Suspense>
        }
        .into_any(),
    }
}

/// What an answer of the viewer resource says (`None`: it has not answered yet).
fn status_of(answer: Option<Result<Option<Viewer>, AppError>>) -> ViewerStatus {
    match answer {
        Some(Ok(Some(user))) => ViewerStatus::SignedIn(user),
        Some(Ok(None)) => ViewerStatus::SignedOut,
        _ => ViewerStatus::Unknown,
    }
}

/// The signed-in viewer of a private page.
#[derive(Clone)]
struct SignedInViewer(Viewer);

#[component]
fn WithViewer(viewer: Viewer) -> impl IntoView {
    provide_context(SignedInViewer(viewer));
    view! { <Outlet /> }
}

/// The signed-in viewer, in a page under [`SignedIn`].
pub fn use_signed_in() -> Viewer {
    expect_context::<SignedInViewer>().0
}
