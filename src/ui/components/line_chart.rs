//! Small, dependency-free SVG line charts with a text summary for screen readers: one series of
//! prices or values over time (first, last, low and high), and two series compared on one time
//! axis (a player's value against the benchmark), told apart by line style as well as colour.

use crate::domain::quote::{Percent, PricePoint};
use crate::domain::Money;
use leptos::prelude::*;

const WIDTH: f64 = 600.0;
const HEIGHT: f64 = 200.0;

fn as_f64(money: Money) -> f64 {
    money.to_string().parse::<f64>().unwrap_or(0.0)
}

/// The lowest and highest of `points`; `None` when there are none.
fn range(points: &[PricePoint]) -> Option<(Money, Money)> {
    let low = points.iter().map(|p| p.price).min_by_key(|m| m.amount())?;
    let high = points.iter().map(|p| p.price).max_by_key(|m| m.amount())?;
    Some((low, high))
}

/// The SVG path through `(x, value)` pairs, x from 0 to 1 across the box and values scaled
/// between `low` and `high` (a flat series is drawn across the middle, not along the bottom).
fn path(points: impl Iterator<Item = (f64, Money)>, low: Money, high: Money) -> String {
    let (low, high) = (as_f64(low), as_f64(high));
    let span = if high > low { high - low } else { 1.0 };
    points
        .enumerate()
        .map(|(i, (x, value))| {
            let y =
                if high > low { HEIGHT - 8.0 - (as_f64(value) - low) / span * (HEIGHT - 16.0) } else { HEIGHT / 2.0 };
            format!("{}{:.1},{y:.1}", if i == 0 { "M" } else { "L" }, x * WIDTH)
        })
        .collect::<Vec<_>>()
        .join(" ")
}

#[component]
pub fn LineChart(points: Vec<PricePoint>, #[prop(into)] label: String) -> impl IntoView {
    let Some((low, high)) = range(&points).filter(|_| points.len() >= 2) else {
        return view! { <p class="empty-state">"Not enough data to draw a chart yet."</p> }.into_any();
    };
    // Evenly spaced: a price history skips the nights, which a time axis would draw as flat runs.
    let last_index = (points.len() - 1) as f64;
    let d = path(points.iter().enumerate().map(|(i, p)| (i as f64 / last_index, p.price)), low, high);
    let (first, last) = (points[0].price, points[points.len() - 1].price);
    let rising = last.amount() >= first.amount();
    let summary =
        format!("{label}: from {} to {}, low {}, high {}", first.to_usd(), last.to_usd(), low.to_usd(), high.to_usd());
    view! {
        <figure class="line-chart">
            <svg viewBox=format!("0 0 {WIDTH} {HEIGHT}") preserveAspectRatio="none" role="img" aria-label=summary.clone()>
                <path class=if rising { "line up" } else { "line down" } d=d vector-effect="non-scaling-stroke" />
            </svg>
            <figcaption><ValueRange low high /></figcaption>
        </figure>
    }
    .into_any()
}

/// The value scale's ends, in words: the box has no axis, and a small move fills it.
#[component]
fn ValueRange(low: Money, high: Money) -> impl IntoView {
    view! {
        <div class="chart-range">
            <span>"Low " {low.to_usd()}</span>
            <span>"High " {high.to_usd()}</span>
        </div>
    }
}

/// "ada: $10,000.00 to $10,412.50 (+4.13%)".
fn from_to(name: &str, points: &[PricePoint]) -> Option<String> {
    let (first, last) = (points.first()?.price, points.last()?.price);
    let change = Percent::of(last.amount() - first.amount(), first.amount());
    Some(format!("{name}: {} to {} ({})", first.to_usd(), last.to_usd(), change.signed()))
}

/// `ours` (solid) against `reference` (dashed) on one time axis and one value scale.
#[component]
pub fn ComparisonChart(
    ours: Vec<PricePoint>,
    #[prop(into)] ours_label: String,
    reference: Vec<PricePoint>,
    #[prop(into)] reference_label: String,
) -> impl IntoView {
    let all: Vec<PricePoint> = ours.iter().chain(&reference).cloned().collect();
    let (Some((low, high)), Some(start), Some(end)) =
        (range(&all), all.iter().map(|p| p.at).min(), all.iter().map(|p| p.at).max())
    else {
        return view! { <p class="empty-state">"Not enough data to draw a chart."</p> }.into_any();
    };
    let span = ((end - start).num_seconds() as f64).max(1.0);
    let line = |points: &[PricePoint]| {
        path(points.iter().map(|p| ((p.at - start).num_seconds() as f64 / span, p.price)), low, high)
    };
    let lines = [from_to(&ours_label, &ours), from_to(&reference_label, &reference)];
    let summary = lines.iter().flatten().cloned().collect::<Vec<_>>().join("; ");
    view! {
        <figure class="line-chart comparison-chart">
            <svg viewBox=format!("0 0 {WIDTH} {HEIGHT}") preserveAspectRatio="none" role="img" aria-label=summary>
                <path class="line reference" d=line(&reference) vector-effect="non-scaling-stroke" />
                <path class="line ours" d=line(&ours) vector-effect="non-scaling-stroke" />
            </svg>
            <figcaption>
                <div class="chart-legend">
                    {lines[0].clone().map(|text| view! { <span class="legend ours">{text}</span> })}
                    {lines[1].clone().map(|text| view! { <span class="legend reference">{text}</span> })}
                </div>
                <ValueRange low high />
            </figcaption>
        </figure>
    }
    .into_any()
}
