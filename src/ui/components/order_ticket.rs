//! The stock page's order form: side, order type, shares, the prices the type needs and how
//! long it waits, with a live preview — from the domain rules the server runs — of what the
//! order will do and what it holds back, before it is confirmed.

use crate::api::orders::SubmitOrder;
use crate::domain::buying_power;
use crate::domain::open_order::form::{self, PriceFields};
use crate::domain::open_order::{OrderKind, OrderTerms, TimeInForce, GTC_DAYS};
use crate::domain::order::fill;
use crate::domain::portfolio::Position;
use crate::domain::quote::Percent;
use crate::domain::{Money, Shares, Side, Symbol};
use crate::ui::components::form::{last_error, FormError};
use crate::wire::error::sentence_case;
use crate::wire::market::{StockPosition, StockView};
use crate::wire::orders::OrderOutcome;
use crate::wire::AppError;
use leptos::prelude::*;
use rust_decimal::Decimal;

/// The order types the form offers, with a line that says what each does.
const KINDS: [(&str, &str, &str); 5] = [
    ("market", "Market", "Buys or sells now, at the current price."),
    ("limit", "Limit", "Waits until the price reaches your limit or better, then fills at that price or better."),
    ("stop", "Stop", "Waits until the price trades through your stop, then fills at the market price."),
    ("stop_limit", "Stop-limit", "Once the price trades through your stop, waits as a limit order at your limit."),
    (
        "trailing_stop",
        "Trailing stop",
        "A stop that follows the price: it keeps your trail behind the best price since you placed it.",
    ),
];

/// Everything typed into the form. The page owns it, so what was typed survives the reload of
/// the quote each order triggers.
#[derive(Clone, Copy)]
pub struct Typed {
    side: RwSignal<Side>,
    kind: RwSignal<String>,
    quantity: RwSignal<String>,
    limit_price: RwSignal<String>,
    stop_price: RwSignal<String>,
    trail: RwSignal<String>,
    trail_unit: RwSignal<String>,
    time_in_force: RwSignal<String>,
}

impl Default for Typed {
    fn default() -> Typed {
        Typed {
            side: RwSignal::new(Side::Buy),
            kind: RwSignal::new("market".to_owned()),
            quantity: RwSignal::new("1".to_owned()),
            limit_price: RwSignal::new(String::new()),
            stop_price: RwSignal::new(String::new()),
            trail: RwSignal::new(String::new()),
            trail_unit: RwSignal::new("dollars".to_owned()),
            time_in_force: RwSignal::new("day".to_owned()),
        }
    }
}

impl Typed {
    fn uses(self, field: &str) -> bool {
        let kind = self.kind.get();
        match field {
            "limit_price" => kind == "limit" || kind == "stop_limit",
            "stop_price" => kind == "stop" || kind == "stop_limit",
            "trail" => kind == "trailing_stop",
            _ => kind != "market",
        }
    }
}

/// What the order would do now, from the same rules the server runs.
fn preview(view: &StockView, position: &StockPosition, typed: Typed) -> Result<String, String> {
    let clause = |message: String| sentence_case(&message);
    let symbol = Symbol::parse(&view.row.symbol).map_err(|e| e.to_string())?;
    let quantity = Shares::parse(&typed.quantity.get()).map_err(|e| clause(e.to_string()))?;
    let (side, price) = (typed.side.get(), view.row.price);
    let (kind, limit_price, stop_price, trail, trail_unit) =
        (typed.kind.get(), typed.limit_price.get(), typed.stop_price.get(), typed.trail.get(), typed.trail_unit.get());
    let prices = PriceFields {
        kind: &kind,
        limit_price: &limit_price,
        stop_price: &stop_price,
        trail: &trail,
        trail_unit: &trail_unit,
    };
    let kind = prices.kind().map_err(|e| clause(e.message))?;
    let (cash, held, reserved) = (position.cash, position.shares, position.reserved);
    if kind == OrderKind::Market {
        buying_power::check(&symbol, side, quantity, price, cash, held, reserved).map_err(|e| clause(e.to_string()))?;
        let held = (held > 0).then_some(Position { shares: held, average_price: position.average_cost.amount() });
        let fill = fill(&symbol, cash, held, side, quantity, price).map_err(|e| clause(e.to_string()))?;
        let shares_after = fill.position_after.map_or(0, |p| p.shares);
        let value_after = Money::from_decimal(price.amount() * Decimal::from(shares_after));
        let weight = Percent::of(value_after.amount(), position.portfolio_value.amount());
        let verb = if side == Side::Buy { "Costs about" } else { "Raises about" };
        // A game's commission comes out of the cash on top of the amount (buy) or out of it (sell).
        let commission = position.commission.on(quantity, fill.amount);
        let cash_after = fill.cash_after.checked_sub(commission).unwrap_or(fill.cash_after);
        let fee = if commission.is_zero() { String::new() } else { format!(" · commission {}", commission.to_usd()) };
        return Ok(format!(
            "{verb} {}{fee} · cash after {} · you would hold {shares_after} shares ({weight}% of your portfolio)",
            fill.amount.to_usd(),
            cash_after.to_usd()
        ));
    }
    let time_in_force = form::time_in_force(&typed.time_in_force.get()).map_err(|e| clause(e.message))?;
    let terms = OrderTerms { symbol: symbol.clone(), side, quantity, kind, time_in_force };
    terms.check(price).map_err(|e| clause(e.to_string()))?;
    let watch = terms.first_watch(price);
    let reserved_cash = terms.reserved_cash(watch).map_err(|e| clause(e.to_string()))?;
    let per_share = terms.worst_price(watch).unwrap_or(price);
    buying_power::check(&symbol, side, quantity, per_share, cash, held, reserved).map_err(|e| clause(e.to_string()))?;
    let holds = match side {
        Side::Buy => format!("It holds back {} of your cash", reserved_cash.to_usd()),
        Side::Sell => format!("It holds back {} of your shares", quantity.get()),
    };
    let until = match time_in_force {
        TimeInForce::Day => "until it fills or today's session closes".to_owned(),
        TimeInForce::Gtc => format!("until it fills, you cancel it, or {GTC_DAYS} days pass"),
    };
    Ok(format!("{} {holds} {until}.", terms.preview(watch)))
}

/// What the last submission did, in one sentence.
fn receipt(outcome: &OrderOutcome) -> String {
    match outcome {
        OrderOutcome::Executed(r) => {
            let verb = if r.side == Side::Buy { "Bought" } else { "Sold" };
            format!("{verb} {} {} at {} ({}).", r.quantity, r.symbol, r.price.to_usd(), r.amount.to_usd())
        }
        OrderOutcome::Waiting(order) => {
            format!("{} of {} {} placed: it waits under Open orders.", order.title, order.quantity, order.symbol)
        }
    }
}

/// The order form of the stock `view` for a signed-in learner holding `position`. `place` and
/// `typed` are owned by the page, so the receipt and the fields survive the reload each order
/// triggers.
#[component]
pub fn OrderTicket(
    view: StockView,
    position: StockPosition,
    place: ServerAction<SubmitOrder>,
    typed: Typed,
) -> impl IntoView {
    let error = last_error(place);
    let symbol = view.row.symbol.clone();
    let preview_text = {
        let (view, position) = (view.clone(), position.clone());
        Memo::new(move |_| preview(&view, &position, typed))
    };
    let receipt = move || place.value().get().and_then(Result::ok).map(|outcome| receipt(&outcome));
    let hint = move || KINDS.iter().find(|(value, ..)| *value == typed.kind.get()).map(|(_, _, hint)| *hint);
    let button = {
        let symbol = symbol.clone();
        move || {
            let (side, quantity) = (typed.side.get(), typed.quantity.get());
            match (typed.kind.get().as_str(), side) {
                ("market", Side::Buy) => format!("Confirm purchase of {quantity} {symbol}"),
                ("market", Side::Sell) => format!("Confirm sale of {quantity} {symbol}"),
                (kind, side) => {
                    let label = KINDS.iter().find(|(value, ..)| *value == kind).map_or("", |(_, label, _)| *label);
                    format!("Place {} {} of {quantity} {symbol}", label.to_lowercase(), side.as_str())
                }
            }
        }
    };
    let reserved_note = (!position.reserved.cash.is_zero())
        .then(|| format!(" ({} held for open orders)", position.reserved.cash.to_usd()));
    view! {
        <div class="card order-card">
            <h2 id="order-ticket-title">"Trade " {symbol.clone()}</h2>
            <p class="muted">"You hold " <strong>{position.shares}</strong> " shares · cash " {position.cash.to_usd()} {reserved_note}</p>
            <ActionForm action=place attr:class="stack" attr:novalidate=true attr:aria-labelledby="order-ticket-title">
                <input type="hidden" name="symbol" value=symbol.clone() />
                <input type="hidden" name="idempotency_key" value=view.order_key.to_string() />
                <fieldset class="side-toggle">
                    <legend>"Order"</legend>
                    <label><input type="radio" name="side" value="buy" prop:checked=move || typed.side.get() == Side::Buy
                        on:change=move |_| typed.side.set(Side::Buy) />" Buy"</label>
                    <label><input type="radio" name="side" value="sell" prop:checked=move || typed.side.get() == Side::Sell
                        on:change=move |_| typed.side.set(Side::Sell) />" Sell"</label>
                </fieldset>
                <div class="field">
                    <label for="order-kind">"Order type"</label>
                    <select id="order-kind" name="kind" prop:value=move || typed.kind.get() on:change=move |ev| typed.kind.set(event_target_value(&ev)) aria-describedby="order-kind-hint">
                        {KINDS.iter().map(|(value, label, _)| view! { <option value=*value>{*label}</option> }).collect_view()}
                    </select>
                    <p id="order-kind-hint" class="field-hint">{hint}</p>
                </div>
                <PriceInput name="quantity" label="Shares" typed=typed.quantity error numeric=true />
                <PriceInput name="limit_price" label="Limit price ($)" typed=typed.limit_price error shown=Signal::derive(move || typed.uses("limit_price")) />
                <PriceInput name="stop_price" label="Stop price ($)" typed=typed.stop_price error shown=Signal::derive(move || typed.uses("stop_price")) />
                <div class="trail-fields" hidden=move || !typed.uses("trail")>
                    <PriceInput name="trail" label="Trail by" typed=typed.trail error />
                    <div class="field">
                        <label for="order-trail_unit">"In"</label>
                        <select id="order-trail_unit" name="trail_unit" prop:value=move || typed.trail_unit.get() on:change=move |ev| typed.trail_unit.set(event_target_value(&ev))>
                            <option value="dollars">"Dollars"</option>
                            <option value="percent">"Percent"</option>
                        </select>
                    </div>
                </div>
                <div class="field" hidden=move || !typed.uses("time_in_force")>
                    <label for="order-time_in_force">"Good for"</label>
                    <select id="order-time_in_force" name="time_in_force" prop:value=move || typed.time_in_force.get() on:change=move |ev| typed.time_in_force.set(event_target_value(&ev))>
                        <option value="day">"Today only (until the close)"</option>
                        <option value="gtc">{format!("Until cancelled (at most {GTC_DAYS} days)")}</option>
                    </select>
                </div>
                <p id="order-preview" class="order-preview" class:field-error=move || preview_text.get().is_err()
                    aria-live="polite" data-testid="order-preview">
                    {move || match preview_text.get() { Ok(text) | Err(text) => text }}
                </p>
                <FormError error />
                <p class="form-success" role="status">{receipt}</p>
                <button class="button primary" type="submit" disabled=move || place.pending().get() || preview_text.get().is_err()>
                    {button}
                </button>
            </ActionForm>
        </div>
    }
}

/// A labelled text input bound to `typed`, described by the preview, showing the server's
/// error for `name` when there is one.
#[component]
fn PriceInput(
    name: &'static str,
    label: &'static str,
    typed: RwSignal<String>,
    error: Signal<Option<AppError>>,
    #[prop(optional)] numeric: bool,
    /// Whether the chosen order type uses this field; a hidden field is still sent, and ignored.
    #[prop(optional, into)]
    shown: Option<Signal<bool>>,
) -> impl IntoView {
    let id = format!("order-{name}");
    let message_id = format!("{id}-message");
    let message = move || error.get().and_then(|e| e.message_for(name));
    view! {
        <div class="field" hidden=move || shown.is_some_and(|shown| !shown.get())>
            <label for=id.clone()>{label}</label>
            <input id=id name=name type="text" inputmode=if numeric { "numeric" } else { "decimal" } autocomplete="off"
                prop:value=typed on:input=move |ev| typed.set(event_target_value(&ev))
                aria-invalid=move || message().is_some().to_string()
                aria-describedby=format!("{message_id} order-preview") />
            <p class="field-hint" class:field-error=move || message().is_some() id=message_id>{message}</p>
        </div>
    }
}
