//! "How many shares can I afford?": a live position-size calculator. It runs entirely in the
//! browser on the same domain rules the server uses.

use crate::domain::portfolio::{affordable, Affordable};
use crate::domain::Money;
use crate::wire::error::sentence_case;
use leptos::prelude::*;

#[component]
pub fn PositionCalculator() -> impl IntoView {
    let (cash_text, set_cash_text) = signal(String::from("10,000"));
    let (price_text, set_price_text) = signal(String::from("189.50"));
    let cash = Memo::new(move |_| Money::parse_non_negative(&cash_text.get()).map_err(|e| e.to_string()));
    let price = Memo::new(move |_| {
        Money::parse_non_negative(&price_text.get()).map_err(|e| e.to_string()).and_then(|price| {
            if price.is_zero() {
                Err("a share price is more than $0.00".to_owned())
            } else {
                Ok(price)
            }
        })
    });
    let outcome = move || Some(affordable(cash.get().ok()?, price.get().ok()?));

    view! {
        <form class="calculator card" on:submit=|event| event.prevent_default()>
            <div class="calculator-fields">
                <MoneyField id="calc-cash" label="Cash to invest" text=cash_text set_text=set_cash_text
                    error=Signal::derive(move || cash.get().err()) />
                <MoneyField id="calc-price" label="Share price" text=price_text set_text=set_price_text
                    error=Signal::derive(move || price.get().err()) />
            </div>
            <output class="calculator-result" for="calc-cash calc-price" aria-live="polite">
                {move || outcome().map(|result| view! { <Outcome result /> })}
            </output>
        </form>
    }
}

#[component]
fn MoneyField(
    id: &'static str,
    label: &'static str,
    text: ReadSignal<String>,
    set_text: WriteSignal<String>,
    error: Signal<Option<String>>,
) -> impl IntoView {
    let error_id = format!("{id}-error");
    view! {
        <div class="field">
            <label for=id>{label}</label>
            <div class="input-with-prefix">
                <span aria-hidden="true">"$"</span>
                <input
                    id=id
                    name=id
                    type="text"
                    inputmode="decimal"
                    autocomplete="off"
                    prop:value=text
                    on:input=move |event| set_text.set(event_target_value(&event))
                    aria-invalid=move || error.get().is_some().to_string()
                    aria-describedby=error_id.clone()
                />
            </div>
            <p class="field-error" id=error_id>
                {move || error.get().map(|message| sentence_case(&message))}
            </p>
        </div>
    }
}

#[component]
fn Outcome(result: Affordable) -> impl IntoView {
    if result.shares == 0 {
        return view! {
            <p class="result-headline">"Not enough for one share yet"</p>
            <p class="muted">"Papertrade trades whole shares. Add cash or pick a cheaper stock."</p>
        }
        .into_any();
    }
    let noun = if result.shares == 1 { "share" } else { "shares" };
    view! {
        <p class="result-headline">
            <span class="result-shares">{format!("{} {noun}", result.shares)}</span>
            " for " {result.cost.to_usd()}
        </p>
        <p class="muted">
            {result.leftover.to_usd()}
            " stays as cash: you can only buy whole shares, so a little is almost always left over."
        </p>
    }
    .into_any()
}
