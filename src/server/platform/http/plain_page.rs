//! A small styled page for answers that come from plain routes rather than the Leptos app
//! (a failed provider sign-in, an unknown provider). Same stylesheet, no scripts.

use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Response};

/// The page's HTML. Every argument is our own text; it is escaped all the same.
pub fn plain_page(title: &str, message: &str, (href, link_text): (&str, &str)) -> String {
    let [title, message, href, link_text] = [title, message, href, link_text].map(escape);
    format!(
        r#"<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{title} · Papertrade</title>
<link rel="stylesheet" href="/pkg/papertrade.css">
</head>
<body>
<main id="main" class="container narrow error-page">
<p class="eyebrow">Papertrade</p>
<h1>{title}</h1>
<p class="lead">{message}</p>
<a class="button primary" href="{href}">{link_text}</a>
</main>
</body>
</html>"#
    )
}

pub fn not_found_page() -> Response {
    let page = plain_page(
        "This page is not on the market",
        "The address may be mistyped, or the page may have moved.",
        ("/", "Back to the home page"),
    );
    (StatusCode::NOT_FOUND, Html(page)).into_response()
}

fn escape(text: &str) -> String {
    text.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;").replace('"', "&quot;")
}
