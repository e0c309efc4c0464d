//! Orders: every order of the active portfolio that waited for a price — the open ones with
//! their change and cancel forms, and the ones that ended, each with its state and why.

use crate::api::orders::my_orders;
use crate::ui::components::data_table::{Column, DataTable};
use crate::ui::components::live::use_live_events;
use crate::ui::components::open_orders::OpenOrders;
use crate::wire::orders::{OrderState, OrderView};
use leptos::prelude::*;
use leptos_meta::Title;

#[component]
pub fn OrdersPage() -> impl IntoView {
    let live = use_live_events();
    let changed = RwSignal::new(0usize);
    let all = Resource::new(move || live.trades_version(), |_| my_orders(None, None, Some(false)));
    view! {
        <Title text="Orders" />
        <section class="container page">
            <h1>"Orders"</h1>
            <p class="muted">"Limit, stop and trailing orders wait here for their price. Market orders fill at once: they are in your "
                <a href="/history">"history"</a>"."</p>
            <OpenOrders placed=changed buying_power=true />
            <h2 class="section-title">"Ended orders"</h2>
            <Transition fallback=|| view! { <p class="muted" role="status">"Loading your orders…"</p> }>
                {move || Suspend::new(async move {
                    match all.await {
                        Ok(book) => view! { <Ended orders=book.orders /> }.into_any(),
                        Err(_) => view! { <p role="alert">"Your orders could not be loaded. Reload to try again."</p> }.into_any(),
                    }
                })}
            </Transition>
        </section>
    }
}

const ENDED_COLUMNS: [Column; 3] = [("Placed (UTC)", ""), ("Order", ""), ("State, and why", "")];

#[component]
fn Ended(orders: Vec<OrderView>) -> impl IntoView {
    let ended: Vec<OrderView> = orders.into_iter().filter(|order| order.state != OrderState::Open).collect();
    if ended.is_empty() {
        return view! { <p class="empty-state">"None yet. Orders that fill, expire or are cancelled are listed here."</p> }.into_any();
    }
    view! {
        <DataTable label="Ended orders" testid="ended-orders" columns=&ENDED_COLUMNS>
            {ended.into_iter().map(|order| view! {
                <tr>
                    <td><time datetime=order.placed_at.to_rfc3339()>{order.placed_at.format("%b %-d, %H:%M").to_string()}</time></td>
                    <th scope="row">
                        {format!("{} of {} ", order.title, order.quantity)}
                        <a href=format!("/stocks/{}", order.symbol)>{order.symbol.clone()}</a>
                        <span class="cell-note">{order.terms.clone()}</span>
                    </th>
                    <td>
                        <span class=format!("state-badge {}", order.state.label().to_lowercase())>{order.state.label()}</span>
                        <span class="cell-note">{order.reason.clone()}</span>
                    </td>
                </tr>
            }).collect_view()}
        </DataTable>
    }
    .into_any()
}
