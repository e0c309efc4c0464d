//! The notification centre: what the coach wrote and which price alerts fired, newest first, a
//! page at a time (`?page=2`), with read and dismiss actions. New notifications appear as they
//! arrive on the live stream.

use crate::api::notifications::{notifications, DismissNotification, MarkAllNotificationsRead, MarkNotificationRead};
use crate::domain::limits::NOTIFICATIONS_PAGE_SIZE;
use crate::ui::components::form::{last_error, FormError};
use crate::ui::components::live::use_live_events;
use crate::wire::notifications::{NotificationPage, NotificationView};
use crate::wire::AppError;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

#[component]
pub fn NotificationsPage() -> impl IntoView {
    let live = use_live_events();
    let query = use_query_map();
    let page =
        Memo::new(move |_| query.with(|q| q.get("page").and_then(|p| p.trim().parse::<i64>().ok()).unwrap_or(1)));
    let actions = Actions { mark: ServerAction::new(), dismiss: ServerAction::new() };
    let mark_all = ServerAction::<MarkAllNotificationsRead>::new();
    let versions = move || {
        (
            actions.mark.version().get(),
            actions.dismiss.version().get(),
            mark_all.version().get(),
            live.notifications_version(),
        )
    };
    let list = Resource::new(move || (page.get(), versions()), |(page, _)| notifications(Some(page)));
    // Every action changes the unread count in the header.
    Effect::watch(
        move || (actions.mark.version().get(), actions.dismiss.version().get(), mark_all.version().get()),
        move |_, _, _| live.refresh_unread(),
        false,
    );
    view! {
        <Title text="Notifications" />
        <Centre actions mark_all list />
    }
}

/// The read and dismiss actions, shared by every item of the page.
#[derive(Clone, Copy)]
struct Actions {
    mark: ServerAction<MarkNotificationRead>,
    dismiss: ServerAction<DismissNotification>,
}

#[component]
fn Centre(
    actions: Actions,
    mark_all: ServerAction<MarkAllNotificationsRead>,
    list: Resource<Result<NotificationPage, AppError>>,
) -> impl IntoView {
    view! {
        <section class="container page narrow-page">
            <div class="page-heading notifications-heading">
                <h1>"Notifications"</h1>
                <Transition>
                    {move || Suspend::new(async move {
                        list.await.ok().filter(|page| page.unread > 0).map(|_| view! {
                            <ActionForm action=mark_all>
                                <button class="button secondary" type="submit" disabled=move || mark_all.pending().get()>
                                    "Mark all read"
                                </button>
                            </ActionForm>
                        })
                    })}
                </Transition>
            </div>
            <p class="muted">"Explanations from your coach and the price alerts that fired, newest first."</p>
            <FormError error=last_error(mark_all) />
            <FormError error=last_error(actions.mark) />
            <FormError error=last_error(actions.dismiss) />
            <Transition fallback=|| view! { <p class="muted" role="status">"Loading your notifications…"</p> }>
                {move || Suspend::new(async move {
                    match list.await {
                        Ok(page) => view! { <NotificationList page actions /> }.into_any(),
                        Err(error) => view! {
                            <p role="alert">
                                {format!("Your notifications could not be loaded: {error}.")}
                                " Reload the page to try again."
                            </p>
                        }
                        .into_any(),
                    }
                })}
            </Transition>
        </section>
    }
}

#[component]
fn NotificationList(page: NotificationPage, actions: Actions) -> impl IntoView {
    if page.items.is_empty() {
        return view! {
            <p class="empty-state">
                "No notifications yet — the coach writes here when you trade, when one stock grows to a large part "
                "of your portfolio, when cash sits idle, and when a "
                <a href="/watchlist">"price alert"</a>
                " you set fires."
            </p>
        }
        .into_any();
    }
    let summary = format!(
        "{} notification{} · {} unread{}",
        page.total,
        if page.total == 1 { "" } else { "s" },
        page.unread,
        if page.pages > 1 { format!(" · page {} of {}", page.page, page.pages) } else { String::new() },
    );
    view! {
        <p class="muted" data-testid="notifications-summary">{summary}</p>
        <ol class="notification-list" data-testid="notifications">
            {page.items.into_iter().map(|notification| view! { <Item notification actions /> }).collect_view()}
        </ol>
        <Pager page=page.page pages=page.pages />
    }
    .into_any()
}

#[component]
fn Item(notification: NotificationView, actions: Actions) -> impl IntoView {
    let n = notification;
    let id = n.id.to_string();
    let unread = !n.read;
    view! {
        <li class="notification card" class:unread=unread>
            <div class="notification-head">
                {unread.then(|| view! { <span class="new-badge">"New"</span> })}
                <h2 class="notification-title">{n.title.clone()}</h2>
                <time class="notification-time muted" datetime=n.created_at.to_rfc3339()>
                    {n.created_at.format("%b %-d, %Y · %H:%M UTC").to_string()}
                </time>
            </div>
            <p class="notification-message">{n.message.clone()}</p>
            <div class="notification-actions">
                {n.link.clone().map(|link| view! {
                    <a class="button secondary small" href=link>"Open"<span class="sr-only">": " {n.title.clone()}</span></a>
                })}
                {unread.then(|| {
                    let id = id.clone();
                    let title = n.title.clone();
                    view! {
                        <ActionForm action=actions.mark>
                            <input type="hidden" name="id" value=id />
                            <button class="button secondary small" type="submit" disabled=move || actions.mark.pending().get()>
                                "Mark read"<span class="sr-only">": " {title}</span>
                            </button>
                        </ActionForm>
                    }
                })}
                <ActionForm action=actions.dismiss>
                    <input type="hidden" name="id" value=id />
                    <button class="button secondary small" type="submit" disabled=move || actions.dismiss.pending().get()>
                        "Dismiss"<span class="sr-only">": " {n.title.clone()}</span>
                    </button>
                </ActionForm>
            </div>
        </li>
    }
}

#[component]
fn Pager(page: i64, pages: i64) -> impl IntoView {
    let href = |page: i64| format!("/notifications?page={page}");
    (pages > 1).then(|| {
        view! {
            <nav class="pager" aria-label="Pages of notifications">
                {(page > 1).then(|| view! { <a class="button secondary small" href=href(page - 1) rel="prev">"← Newer"</a> })}
                <span>{format!("Page {page} of {pages} · {NOTIFICATIONS_PAGE_SIZE} per page")}</span>
                {(page < pages).then(|| view! { <a class="button secondary small" href=href(page + 1) rel="next">"Older →"</a> })}
            </nav>
        }
    })
}
