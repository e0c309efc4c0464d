//! The HTML shell, the root component and the route table — nothing else.

use crate::ui::components::app_frame::AppFrame;
use crate::ui::components::hydrate_after_paint::HydrateAfterPaint;
use crate::ui::components::viewer::SignedIn;
use crate::ui::pages::{
    account::AccountPage, dashboard::DashboardPage, forgot_password::ForgotPasswordPage, game::GamePage,
    games::GamesPage, history::HistoryPage, join_game::JoinGamePage, landing::LandingPage, login::LoginPage,
    markets::MarketsPage, new_game::NewGamePage, not_found::NotFoundPage, notifications::NotificationsPage,
    orders::OrdersPage, reset_password::ResetPasswordPage, signup::SignupPage, stock::StockPage,
    verify_email::VerifyEmailPage, watchlist::WatchlistPage,
};
use leptos::prelude::*;
use leptos_meta::{provide_meta_context, Link, Meta, MetaTags, Title};
use leptos_router::components::{ParentRoute, Route, Router, Routes};
use leptos_router::{path, SsrMode};

/// The document around the app, rendered on the server only.
pub fn shell(options: LeptosOptions) -> impl IntoView {
    let stylesheet = format!("/{}/{}.css", options.site_pkg_dir, options.output_name);
    view! {
        <!DOCTYPE html>
        <html lang="en">
            <head>
                <meta charset="utf-8" />
                <meta name="viewport" content="width=device-width, initial-scale=1" />
                <link rel="stylesheet" id="leptos" href=stylesheet />
                <AutoReload options=options.clone() />
                <HydrateAfterPaint pkg_path=options.site_pkg_dir.to_string() output_name=options.output_name.to_string() />
                <MetaTags />
            </head>
            <body>
                <App />
            </body>
        </html>
    }
}

#[component]
pub fn App() -> impl IntoView {
    provide_meta_context();
    view! {
        <Title formatter=|page: String| if page.is_empty() { "Papertrade".to_owned() } else { format!("{page} · Papertrade") } />
        <Meta name="description" content="Practise investing with $10,000 of virtual cash: a free, open-source stock-market simulator with a coach that explains what your trades mean." />
        <Meta name="color-scheme" content="light dark" />
        <Meta name="theme-color" content="#0f766e" />
        <Link rel="icon" href="/favicon.ico" sizes="32x32" />
        <Link rel="icon" href="/favicon.svg" type_="image/svg+xml" />
        <Router>
            <AppFrame>
                <Routes fallback=NotFoundPage>
                    // Every page streams in order: the browser's first paint is the page as it
                    // will stay, not loading placeholders that the content then pushes down (a
                    // layout shift), and the page is complete without JS.
                    <Route path=path!("/") view=LandingPage ssr=SsrMode::InOrder />
                    <Route path=path!("/login") view=LoginPage ssr=SsrMode::InOrder />
                    <Route path=path!("/signup") view=SignupPage ssr=SsrMode::InOrder />
                    <Route path=path!("/forgot-password") view=ForgotPasswordPage ssr=SsrMode::InOrder />
                    <Route path=path!("/reset-password") view=ResetPasswordPage ssr=SsrMode::InOrder />
                    <Route path=path!("/verify-email") view=VerifyEmailPage ssr=SsrMode::InOrder />
                    <Route path=path!("/markets") view=MarketsPage ssr=SsrMode::InOrder />
                    <Route path=path!("/stocks/:symbol") view=StockPage ssr=SsrMode::InOrder />
                    // The private pages: made only once a signed-in viewer is known.
                    <ParentRoute path=path!("") view=SignedIn ssr=SsrMode::InOrder>
                        <Route path=path!("/dashboard") view=DashboardPage ssr=SsrMode::InOrder />
                        <Route path=path!("/history") view=HistoryPage ssr=SsrMode::InOrder />
                        <Route path=path!("/orders") view=OrdersPage ssr=SsrMode::InOrder />
                        <Route path=path!("/account") view=AccountPage ssr=SsrMode::InOrder />
                        <Route path=path!("/watchlist") view=WatchlistPage ssr=SsrMode::InOrder />
                        <Route path=path!("/notifications") view=NotificationsPage ssr=SsrMode::InOrder />
                        <Route path=path!("/games") view=GamesPage ssr=SsrMode::InOrder />
                        <Route path=path!("/games/new") view=NewGamePage ssr=SsrMode::InOrder />
                        <Route path=path!("/games/join/:code") view=JoinGamePage ssr=SsrMode::InOrder />
                        // Whole before the first byte, so a game the viewer may not see answers 404.
                        <Route path=path!("/games/:id") view=GamePage ssr=SsrMode::Async />
                    </ParentRoute>
                </Routes>
            </AppFrame>
        </Router>
    }
}
