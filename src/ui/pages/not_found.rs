//! The page for any address that is not ours (served with status 404).

use leptos::prelude::*;
use leptos_meta::Title;

#[component]
pub fn NotFoundPage() -> impl IntoView {
    #[cfg(feature = "ssr")]
    if let Some(response) = use_context::<leptos_axum::ResponseOptions>() {
        response.set_status(axum::http::StatusCode::NOT_FOUND);
    }
    view! {
        <Title text="Page not found" />
        <section class="container narrow error-page">
            <p class="eyebrow">"404"</p>
            <h1>"This page is not on the market"</h1>
            <p class="lead">"The address may be mistyped, or the page may have moved."</p>
            <a class="button primary" href="/">"Back to the home page"</a>
        </section>
    }
}
