//! The watchlist: stocks a learner follows without owning them, with live prices, and price
//! alerts ("tell me when AAPL rises above $200") that the coach turns into notifications.

use crate::api::watchlist::{my_watchlist, AddToWatchlist, CreatePriceAlert, DeletePriceAlert, RemoveFromWatchlist};
use crate::domain::alert::AlertDirection;
use crate::domain::quote::Quote;
use crate::ui::components::change::Change;
use crate::ui::components::data_table::{Column, DataTable};
use crate::ui::components::form::{last_error, FormError};
use crate::ui::components::live::use_live_events;
use crate::wire::watchlist::{AlertView, WatchlistEntry};
use crate::wire::AppError;
use leptos::prelude::*;
use leptos_meta::Title;

#[component]
pub fn WatchlistPage() -> impl IntoView {
    let live = use_live_events();
    let actions = Actions {
        add: ServerAction::new(),
        remove: ServerAction::new(),
        create: ServerAction::new(),
        delete: ServerAction::new(),
    };
    let draft = AlertDraft {
        symbol: RwSignal::new(String::new()),
        direction: RwSignal::new(AlertDirection::Above.as_str().to_owned()),
        threshold: RwSignal::new(String::new()),
    };
    Effect::watch(
        move || actions.create.value().get(),
        move |value, _, _| {
            if let Some(Ok(_)) = value {
                draft.threshold.set(String::new());
            }
        },
        false,
    );
    // Made here, not in the form: the form is re-created each time the list reloads.
    let create_error = last_error(actions.create);
    // Changes from other tabs and fired alerts arrive as `watchlist` events.
    let entries = Resource::new(
        move || {
            (
                actions.add.version().get(),
                actions.remove.version().get(),
                actions.create.version().get(),
                actions.delete.version().get(),
                live.watchlist_version(),
            )
        },
        |_| my_watchlist(),
    );
    view! {
        <Title text="Watchlist" />
        <Watchlist actions draft create_error entries />
    }
}

/// The page's actions; each one reloads the list when it completes.
#[derive(Clone, Copy)]
struct Actions {
    add: ServerAction<AddToWatchlist>,
    remove: ServerAction<RemoveFromWatchlist>,
    create: ServerAction<CreatePriceAlert>,
    delete: ServerAction<DeletePriceAlert>,
}

/// What is typed into the alert form, kept here so a reload of the list does not wipe it.
#[derive(Clone, Copy)]
struct AlertDraft {
    symbol: RwSignal<String>,
    direction: RwSignal<String>,
    threshold: RwSignal<String>,
}

#[component]
fn Watchlist(
    actions: Actions,
    draft: AlertDraft,
    create_error: Signal<Option<AppError>>,
    entries: Resource<Result<Vec<WatchlistEntry>, AppError>>,
) -> impl IntoView {
    view! {
        <section class="container page">
            <h1>"Watchlist"</h1>
            <p class="muted">
                "Follow stocks you do not own yet and watch their prices move. Set a price alert and the coach "
                "tells you when the price crosses it."
            </p>
            <AddSymbolForm add=actions.add />
            <FormError error=last_error(actions.remove) />
            <FormError error=last_error(actions.delete) />
            <Transition fallback=|| view! { <p class="muted" role="status">"Loading your watchlist…"</p> }>
                {move || Suspend::new(async move {
                    match entries.await {
                        Ok(entries) if entries.is_empty() => view! { <EmptyWatchlist /> }.into_any(),
                        Ok(entries) => {
                            let symbols: Vec<String> = entries.iter().map(|entry| entry.symbol.clone()).collect();
                            view! {
                                <WatchTable entries actions />
                                <AlertForm symbols create=actions.create error=create_error draft />
                            }
                            .into_any()
                        }
                        Err(error) => view! {
                            <p role="alert">
                                {format!("Your watchlist could not be loaded: {error}.")} " Reload the page to try again."
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
fn EmptyWatchlist() -> impl IntoView {
    view! {
        <div class="empty-state">
            <p><strong>"Your watchlist is empty."</strong></p>
            <p>
                "A watchlist holds stocks you are curious about but do not own: you see their prices and today's "
                "change here, and you can set alerts so the coach tells you when a price rises above or falls below "
                "a level you choose. Add a symbol above, or "
                <a href="/markets">"find ideas on the Markets page"</a> "."
            </p>
        </div>
    }
}

/// A field's message: its error when the last submission failed on it, else its hint.
fn field_message(error: Signal<Option<AppError>>, field: &'static str) -> impl Fn() -> Option<String> + Copy {
    move || error.get().and_then(|e| e.message_for(field))
}

#[component]
fn AddSymbolForm(add: ServerAction<AddToWatchlist>) -> impl IntoView {
    let error = last_error(add);
    let symbol_error = field_message(error, "symbol");
    let text = RwSignal::new(String::new());
    Effect::watch(
        move || add.value().get(),
        move |value, _, _| {
            if let Some(Ok(())) = value {
                text.set(String::new());
            }
        },
        false,
    );
    view! {
        <div class="card watch-card">
            <ActionForm action=add attr:class="inline-form" attr:novalidate=true>
                <div class="field">
                    <label for="watch-symbol">"Symbol"</label>
                    <input id="watch-symbol" name="symbol" type="text" autocomplete="off" autocapitalize="characters"
                        spellcheck="false" maxlength="10" placeholder="AAPL" required
                        prop:value=text on:input=move |ev| text.set(event_target_value(&ev))
                        aria-invalid=move || symbol_error().is_some().to_string() aria-describedby="watch-symbol-message" />
                    <p class="field-hint" class:field-error=move || symbol_error().is_some() id="watch-symbol-message">
                        {move || symbol_error().unwrap_or_else(|| "A ticker such as AAPL or MSFT.".to_owned())}
                    </p>
                </div>
                <button class="button primary" type="submit" disabled=move || add.pending().get()>"Add to watchlist"</button>
            </ActionForm>
            <FormError error />
        </div>
    }
}

const WATCH_COLUMNS: [Column; 5] =
    [("Symbol", ""), ("Price", "num"), ("Today", "num"), ("Price alerts", ""), ("Actions", "")];

#[component]
fn WatchTable(entries: Vec<WatchlistEntry>, actions: Actions) -> impl IntoView {
    view! {
        <DataTable label="Watchlist" testid="watchlist" columns=&WATCH_COLUMNS>
            {entries.into_iter().map(|entry| view! { <WatchRow entry actions /> }).collect_view()}
        </DataTable>
    }
}

#[component]
fn WatchRow(entry: WatchlistEntry, actions: Actions) -> impl IntoView {
    let live = use_live_events();
    let symbol = entry.symbol.clone();
    let fetched = entry.quote.clone();
    // The streamed quote, once there is one, is newer than the one the page loaded with. A plain
    // closure, not a derived signal: the row may stay on screen (in a `<Transition/>`) after the
    // run that created it is cleaned up.
    let quote = {
        let symbol = symbol.clone();
        move || live.quote(&symbol).or_else(|| fetched.clone())
    };
    let quote_for_change = quote.clone();
    let alerts = entry.alerts;
    view! {
        <tr>
            <th scope="row">
                <a href=format!("/stocks/{symbol}")>{symbol.clone()}</a>
                <span class="cell-note">{entry.name}</span>
            </th>
            <td class="num" data-testid="watch-price">
                {move || match quote() {
                    Some(quote) => quote.price.to_usd().into_any(),
                    None => view! { <span aria-hidden="true">"—"</span><span class="sr-only">"No price yet"</span> }.into_any(),
                }}
            </td>
            <td class="num">{move || quote_for_change().map(|quote: Quote| view! { <Change amount=quote.change() percent=quote.change_percent() /> })}</td>
            <td>
                {if alerts.is_empty() {
                    view! { <span class="muted">"None"</span> }.into_any()
                } else {
                    view! {
                        <ul class="alert-list">
                            {alerts.into_iter().map(|alert| view! { <AlertItem alert delete=actions.delete /> }).collect_view()}
                        </ul>
                    }
                    .into_any()
                }}
            </td>
            <td>
                <ActionForm action=actions.remove>
                    <input type="hidden" name="symbol" value=symbol.clone() />
                    <button class="button secondary small" type="submit" disabled=move || actions.remove.pending().get()>
                        "Remove"<span class="sr-only">" " {symbol.clone()}</span>
                    </button>
                </ActionForm>
            </td>
        </tr>
    }
}

fn direction_label(direction: AlertDirection) -> &'static str {
    match direction {
        AlertDirection::Above => "Above",
        AlertDirection::Below => "Below",
    }
}

#[component]
fn AlertItem(alert: AlertView, delete: ServerAction<DeletePriceAlert>) -> impl IntoView {
    let condition = format!("{} {}", direction_label(alert.direction), alert.threshold.to_usd());
    let spoken = format!(" alert: {} {} {}", alert.symbol, alert.direction, alert.threshold.to_usd());
    let fired = alert.triggered_at.map(|at| {
        let price = alert.triggered_price.map(|p| format!(" at {}", p.to_usd())).unwrap_or_default();
        format!("Fired{price} on {}", at.format("%b %-d, %H:%M UTC"))
    });
    let (state_class, state) =
        if fired.is_some() { ("alert-state fired", "Fired") } else { ("alert-state", "Waiting") };
    view! {
        <li class="alert-item">
            <span class=state_class>{state}</span>
            <span class="alert-condition">{condition}</span>
            {fired.map(|text| view! { <span class="cell-note">{text}</span> })}
            <ActionForm action=delete attr:class="alert-delete">
                <input type="hidden" name="id" value=alert.id.to_string() />
                <button class="link-button" type="submit" disabled=move || delete.pending().get()>
                    "Delete"<span class="sr-only">{spoken}</span>
                </button>
            </ActionForm>
        </li>
    }
}

#[component]
fn AlertForm(
    symbols: Vec<String>,
    create: ServerAction<CreatePriceAlert>,
    error: Signal<Option<AppError>>,
    draft: AlertDraft,
) -> impl IntoView {
    let symbol_error = field_message(error, "symbol");
    let direction_error = field_message(error, "direction");
    let threshold_error = field_message(error, "threshold");
    let created = move || {
        create
            .value()
            .get()
            .and_then(Result::ok)
            .map(|alert| format!("Alert set: {} {} {}.", alert.symbol, alert.direction, alert.threshold.to_usd()))
    };
    view! {
        <div class="card watch-card">
            <h2 class="card-title">"Set a price alert"</h2>
            <ActionForm action=create attr:class="inline-form" attr:novalidate=true>
                <div class="field">
                    <label for="alert-symbol">"Stock"</label>
                    <select id="alert-symbol" name="symbol" on:change=move |ev| draft.symbol.set(event_target_value(&ev))
                        aria-invalid=move || symbol_error().is_some().to_string() aria-describedby="alert-symbol-message">
                        {symbols.into_iter().map(|symbol| {
                            let is_chosen = { let symbol = symbol.clone(); move || draft.symbol.get() == symbol };
                            view! { <option value=symbol.clone() selected=is_chosen>{symbol.clone()}</option> }
                        }).collect_view()}
                    </select>
                    <p class="field-hint field-error" id="alert-symbol-message">{symbol_error}</p>
                </div>
                <div class="field">
                    <label for="alert-direction">"When the price goes"</label>
                    <select id="alert-direction" name="direction" on:change=move |ev| draft.direction.set(event_target_value(&ev))
                        aria-invalid=move || direction_error().is_some().to_string() aria-describedby="alert-direction-message">
                        {AlertDirection::ALL.into_iter().map(|direction| view! {
                            <option value=direction.as_str() selected=move || draft.direction.get() == direction.as_str()>
                                {direction_label(direction)}
                            </option>
                        }).collect_view()}
                    </select>
                    <p class="field-hint field-error" id="alert-direction-message">{direction_error}</p>
                </div>
                <div class="field">
                    <label for="alert-threshold">"Price"</label>
                    <div class="input-with-prefix">
                        <span aria-hidden="true">"$"</span>
                        <input id="alert-threshold" name="threshold" type="text" inputmode="decimal" autocomplete="off"
                            placeholder="200.00" required prop:value=draft.threshold
                            on:input=move |ev| draft.threshold.set(event_target_value(&ev))
                            aria-invalid=move || threshold_error().is_some().to_string()
                            aria-describedby="alert-threshold-message" />
                    </div>
                    <p class="field-hint field-error" id="alert-threshold-message">{threshold_error}</p>
                </div>
                <button class="button primary" type="submit" disabled=move || create.pending().get()>"Set alert"</button>
            </ActionForm>
            <FormError error />
            <p class="form-success" role="status">{created}</p>
        </div>
    }
}
