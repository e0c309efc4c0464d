//! A portfolio's open orders — what each waits for, how long, what it holds back — with a
//! change form and a cancel button on each; refreshed when a trade fills one (the live stream)
//! and after every change or cancel.

use crate::api::orders::{my_orders, CancelOrder, ChangeOrder};
use crate::ui::components::form::{last_error, FormError};
use crate::ui::components::live::use_live_events;
use crate::wire::orders::{OrderBook, OrderView};
use leptos::prelude::*;

/// The open orders of the learner's portfolio, of `symbol` only when given. `placed` changes
/// when the page places an order. With `buying_power`, cash, reserved and available lead.
#[component]
pub fn OpenOrders(
    #[prop(optional)] symbol: Option<String>,
    #[prop(into)] placed: Signal<usize>,
    #[prop(optional)] buying_power: bool,
) -> impl IntoView {
    let live = use_live_events();
    let cancel = ServerAction::<CancelOrder>::new();
    let change = ServerAction::<ChangeOrder>::new();
    let book = Resource::new(
        // A change that failed leaves the list (and the open change form) as it is.
        move || {
            (placed.get(), live.trades_version(), cancel.version().get(), change.value().get().and_then(Result::ok))
        },
        move |_| my_orders(None, symbol.clone(), Some(true)),
    );
    let cancel_error = last_error(cancel);
    view! {
        <section class="open-orders" aria-labelledby="open-orders-title">
            <h2 class="section-title" id="open-orders-title">"Open orders"</h2>
            <FormError error=cancel_error />
            <Transition fallback=|| view! { <p class="muted" role="status">"Loading your open orders…"</p> }>
                {move || Suspend::new(async move {
                    match book.await {
                        Ok(book) => view! { <Book book buying_power cancel change /> }.into_any(),
                        Err(_) => view! { <p role="alert">"Your open orders could not be loaded. Reload to try again."</p> }.into_any(),
                    }
                })}
            </Transition>
        </section>
    }
}

#[component]
fn Book(
    book: OrderBook,
    buying_power: bool,
    cancel: ServerAction<CancelOrder>,
    change: ServerAction<ChangeOrder>,
) -> impl IntoView {
    let available = book.cash.checked_sub(book.reserved_cash).unwrap_or(book.cash);
    view! {
        {buying_power.then(|| view! {
            <dl class="figure-list compact" data-testid="buying-power">
                <div><dt>"Cash"</dt><dd>{book.cash.to_usd()}</dd></div>
                <div><dt>"Held for open orders"</dt><dd>{book.reserved_cash.to_usd()}</dd></div>
                <div><dt>"Available to trade"</dt><dd>{available.to_usd()}</dd></div>
            </dl>
        })}
        {if book.orders.is_empty() {
            view! { <p class="empty-state">"No open orders. A limit or stop order you place waits here until it fills."</p> }.into_any()
        } else {
            view! {
                <ul class="order-list" data-testid="open-orders">
                    {book.orders.into_iter().map(|order| view! { <OpenOrder order cancel change /> }).collect_view()}
                </ul>
            }
            .into_any()
        }}
    }
}

#[component]
fn OpenOrder(order: OrderView, cancel: ServerAction<CancelOrder>, change: ServerAction<ChangeOrder>) -> impl IntoView {
    let name = format!("{} of {} {}", order.title, order.quantity, order.symbol);
    let holds = if order.reserved_cash.is_zero() {
        format!("holds back {} shares", order.quantity)
    } else {
        format!("holds back {}", order.reserved_cash.to_usd())
    };
    let expires = order.expires_at.format("%b %-d, %H:%M UTC").to_string();
    view! {
        <li class="order-item">
            <p class="order-name"><strong>{name.clone()}</strong></p>
            <p>{order.terms.clone()}</p>
            <p class="muted">{format!("{} · {holds} · expires {expires}", order.time_in_force)}</p>
            <div class="order-actions">
                <ChangeForm order=order.clone() name=name.clone() change />
                <ActionForm action=cancel>
                    <input type="hidden" name="order_id" value=order.id.to_string() />
                    <button class="button secondary small" type="submit" disabled=move || cancel.pending().get()
                        aria-label=format!("Cancel order: {name}")>"Cancel order"</button>
                </ActionForm>
            </div>
        </li>
    }
}

/// "Change": the order's quantity and its prices, behind a disclosure.
#[component]
fn ChangeForm(order: OrderView, name: String, change: ServerAction<ChangeOrder>) -> impl IntoView {
    let id = order.id.to_string();
    // Every open order's form shares the action; only the one opened shows its answer.
    let error = last_error(change);
    let field = move |field: &'static str, label: &'static str, value: Option<String>| {
        let input_id = format!("change-{field}-{}", order.id);
        let message = move || error.get().and_then(|e| e.message_for(field));
        value.map(|value| {
            view! {
                <div class="field">
                    <label for=input_id.clone()>{label}</label>
                    <input id=input_id name=field type="text" inputmode="decimal" value=value
                        aria-invalid=move || message().is_some().to_string() />
                    <p class="field-hint" class:field-error=move || message().is_some()>{message}</p>
                </div>
            }
        })
    };
    view! {
        <details class="order-change">
            <summary class="button secondary small" aria-label=format!("Change order: {name}")>"Change"</summary>
            <ActionForm action=change attr:class="stack" attr:novalidate=true>
                <input type="hidden" name="order_id" value=id />
                {field("quantity", "Shares", Some(order.quantity.to_string()))}
                {field("limit_price", "Limit price ($)", order.limit_price.map(|p| p.amount().to_string()))}
                {field("stop_price", "Stop price ($)", order.stop_price.map(|p| p.amount().to_string()))}
                <FormError error />
                <button class="button primary small" type="submit" disabled=move || change.pending().get()>"Save changes"</button>
            </ActionForm>
        </details>
    }
}
