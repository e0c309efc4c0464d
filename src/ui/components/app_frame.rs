//! The frame around every page: skip link, header with the product name and navigation, footer.

use super::logo::Logo;
use super::viewer::{provide_viewer, use_viewer, AccountMenu};
use leptos::prelude::*;

#[component]
pub fn AppFrame(children: Children) -> impl IntoView {
    provide_viewer();
    view! {
        <a class="skip-link" href="#main">"Skip to content"</a>
        <SiteHeader />
        <main id="main" tabindex="-1">
            {children()}
        </main>
        <SiteFooter />
    }
}

/// The header's links for a signed-in learner: their own pages.
const SIGNED_IN_LINKS: [(&str, &str); 3] =
    [("/markets", "Markets"), ("/dashboard", "Portfolio"), ("/history", "History")];
/// The header's links for a visitor: the market and the landing page's sections.
const VISITOR_LINKS: [(&str, &str); 4] = [
    ("/markets", "Markets"),
    ("/#features", "Features"),
    ("/#how-it-works", "How it works"),
    ("/#calculator", "Calculator"),
];

fn nav_list(links: &'static [(&'static str, &'static str)]) -> impl IntoView {
    view! { <ul>{links.iter().map(|(href, label)| view! { <li><a href=*href>{*label}</a></li> }).collect_view()}</ul> }
}

#[component]
fn SiteHeader() -> impl IntoView {
    let (menu_open, set_menu_open) = signal(false);
    let viewer = use_viewer();
    view! {
        <header class="site-header">
            <div class="container header-inner">
                <a href="/" class="brand">
                    <Logo />
                    <span class="brand-name">"Papertrade"</span>
                </a>
                <button
                    type="button"
                    class="menu-toggle"
                    aria-controls="primary-nav"
                    aria-expanded=move || menu_open.get().to_string()
                    on:click=move |_| set_menu_open.update(|open| *open = !*open)
                >
                    <span class="menu-icon" aria-hidden="true"></span>
                    <span>{move || if menu_open.get() { "Close" } else { "Menu" }}</span>
                </button>
                <nav id="primary-nav" class="primary-nav" class:open=move || menu_open.get() aria-label="Primary"
                    // Following a link closes the menu on phones.
                    on:click=move |_| set_menu_open.set(false)
                >
                    <Transition fallback=|| nav_list(&SIGNED_IN_LINKS[..1])>
                        {move || Suspend::new(async move {
                            let signed_in = matches!(viewer.await, Ok(Some(_)));
                            nav_list(if signed_in { &SIGNED_IN_LINKS } else { &VISITOR_LINKS })
                        })}
                    </Transition>
                    <AccountMenu />
                </nav>
            </div>
        </header>
    }
}

#[component]
fn SiteFooter() -> impl IntoView {
    view! {
        <footer class="site-footer">
            <div class="container footer-inner">
                <div class="footer-brand">
                    <Logo />
                    <p>
                        <strong>"Papertrade"</strong>
                        " — learn investing with virtual money. Prices are simulated; nothing here is financial advice."
                    </p>
                </div>
                <p class="footer-meta">
                    "Open source and self-hostable · v" {env!("CARGO_PKG_VERSION")}
                </p>
            </div>
        </footer>
    }
}
