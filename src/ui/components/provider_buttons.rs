//! "Continue with Google / GitHub": one link per provider this server offers, each starting the
//! provider's sign-in (a plain route, so the links leave the client-side router).

use crate::api::providers::sign_in_providers;
use crate::domain::redirect::encode_component;
use crate::domain::AuthProvider;
use leptos::prelude::*;

/// The start of `provider`'s sign-in, coming back to `next` when there is one.
pub fn provider_start_href(provider: AuthProvider, next: &str) -> String {
    let start = format!("/auth/{}", provider.as_str());
    if next.is_empty() {
        start
    } else {
        format!("{start}?next={}", encode_component(next))
    }
}

/// The provider links for the log-in and sign-up pages, then an "or" divider; nothing at all
/// when no provider is configured.
#[component]
pub fn ProviderButtons(#[prop(into)] next: Signal<String>) -> impl IntoView {
    let providers = Resource::new(|| (), |_| sign_in_providers());
    view! {
        <Transition fallback=|| ()>
            {move || Suspend::new(async move {
                let providers = providers.await.unwrap_or_default();
                (!providers.is_empty()).then(|| view! {
                    <div class="provider-buttons">
                        {providers.into_iter().map(|provider| view! {
                            <a class=format!("button secondary wide provider {}", provider.as_str())
                                rel="external" href=move || provider_start_href(provider, &next.get())>
                                {format!("Continue with {}", provider.label())}
                            </a>
                        }).collect_view()}
                    </div>
                    <div class="divider"><span>"or"</span></div>
                })
            })}
        </Transition>
    }
}
