//! The frame around every page: skip link, header with the product name, navigation and the
//! notifications bell, the bar of the portfolio being traded in, the banner asking to confirm an
//! email, footer, and the toasts of the live stream.

use super::email_banner::EmailBanner;
use super::live::{provide_live_events, use_live_events, UnreadCount};
use super::logo::Logo;
use super::portfolio_switcher::PortfolioSwitcher;
use super::toast::ToastRegion;
use super::viewer::{provide_viewer, use_viewer, AccountMenu};
use leptos::prelude::*;

#[component]
pub fn AppFrame(children: Children) -> impl IntoView {
    provide_viewer();
    provide_live_events();
    view! {
        <a class="skip-link" href="#main">"Skip to content"</a>
        <SiteHeader />
        <PortfolioSwitcher />
        <EmailBanner />
        <main id="main" tabindex="-1">
            {children()}
        </main>
        <SiteFooter />
        <ToastRegion />
    }
}

/// The header's links for a signed-in learner: their own pages.
const SIGNED_IN_LINKS: [(&str, &str); 5] = [
    ("/markets", "Markets"),
    ("/dashboard", "Portfolio"),
    ("/history", "History"),
    ("/watchlist", "Watchlist"),
    ("/games", "Games"),
];
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
                <NotificationsLink />
            </div>
        </header>
    }
}

/// The bell: a link to the notification centre with the unread count, for signed-in learners.
#[component]
fn NotificationsLink() -> impl IntoView {
    let viewer = use_viewer();
    let live = use_live_events();
    view! {
        <Transition fallback=|| ()>
            {move || Suspend::new(async move {
                let signed_in = matches!(viewer.await, Ok(Some(_)));
                let unread = live.unread().await;
                signed_in.then(|| view! { <Bell unread /> })
            })}
        </Transition>
    }
}

#[component]
fn Bell(unread: UnreadCount) -> impl IntoView {
    let label = move || match unread.get() {
        0 => "Notifications".to_owned(),
        n => format!("Notifications, {n} unread"),
    };
    view! {
        <a href="/notifications" class="bell" aria-label=label data-testid="notifications-link">
            <svg class="bell-icon" viewBox="0 0 24 24" width="24" height="24" aria-hidden="true" focusable="false">
                <path d="M12 3a6 6 0 0 0-6 6v3.6l-1.7 2.9A1 1 0 0 0 5.2 17h13.6a1 1 0 0 0 .9-1.5L18 12.6V9a6 6 0 0 0-6-6Z" />
                <path d="M9.5 19a2.5 2.5 0 0 0 5 0" />
            </svg>
            {move || (unread.get() > 0).then(|| view! {
                <span class="bell-count" data-testid="unread-count">{badge_text(unread.get())}</span>
            })}
        </a>
    }
}

/// The badge's number: exact up to 99.
fn badge_text(unread: i64) -> String {
    if unread > 99 {
        "99+".to_owned()
    } else {
        unread.to_string()
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
