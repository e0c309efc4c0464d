//! A gain or loss, shown with a sign and an arrow as well as colour.

use crate::domain::quote::Percent;
use crate::domain::Money;
use leptos::prelude::*;

fn direction(amount: Money) -> (&'static str, &'static str) {
    if amount.is_negative() {
        ("change down", "▼ ")
    } else if amount.is_zero() {
        ("change flat", "")
    } else {
        ("change up", "▲ ")
    }
}

/// `▲ +$12.50 (+1.25%)` in the "up" colour, `▼ −$3.00 (−0.40%)` in the "down" one.
#[component]
pub fn Change(amount: Money, #[prop(optional)] percent: Option<Percent>) -> impl IntoView {
    let (class, arrow) = direction(amount);
    let percent = percent.map(|p| format!(" ({})", p.signed()));
    view! { <span class=class>{arrow}{amount.to_signed_usd()}{percent}</span> }
}

/// Just the percentage, signed, with the arrow and colour of its direction.
#[component]
pub fn PercentChange(percent: Percent) -> impl IntoView {
    let sign = Money::from_decimal(percent.value());
    let (class, arrow) = direction(sign);
    view! { <span class=class>{arrow}{percent.signed()}</span> }
}
