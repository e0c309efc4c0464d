//! A small, dependency-free SVG line chart for prices and values over time, with a text summary
//! for screen readers (first, last, low and high).

use crate::domain::quote::PricePoint;
use crate::domain::Money;
use leptos::prelude::*;

const WIDTH: f64 = 600.0;
const HEIGHT: f64 = 200.0;

/// The polyline of `points` scaled into the chart box, or `None` with fewer than two points.
fn path(points: &[PricePoint]) -> Option<(String, Money, Money)> {
    if points.len() < 2 {
        return None;
    }
    let values: Vec<f64> = points.iter().map(|p| p.price.to_string().parse::<f64>().unwrap_or(0.0)).collect();
    let (low, high) = values.iter().fold((f64::MAX, f64::MIN), |(lo, hi), v| (lo.min(*v), hi.max(*v)));
    let span = if high > low { high - low } else { 1.0 };
    let step = WIDTH / (values.len() - 1) as f64;
    let d = values
        .iter()
        .enumerate()
        .map(|(i, v)| {
            // A flat series is drawn across the middle rather than along the bottom edge.
            let y = if high > low { HEIGHT - 8.0 - (v - low) / span * (HEIGHT - 16.0) } else { HEIGHT / 2.0 };
            let x = i as f64 * step;
            format!("{}{x:.1},{y:.1}", if i == 0 { "M" } else { "L" })
        })
        .collect::<Vec<_>>()
        .join(" ");
    let min = points.iter().map(|p| p.price).min_by_key(|m| m.amount())?;
    let max = points.iter().map(|p| p.price).max_by_key(|m| m.amount())?;
    Some((d, min, max))
}

#[component]
pub fn LineChart(points: Vec<PricePoint>, #[prop(into)] label: String) -> impl IntoView {
    let Some((d, low, high)) = path(&points) else {
        return view! { <p class="empty-state">"Not enough data to draw a chart yet."</p> }.into_any();
    };
    let (first, last) = (points[0].price, points[points.len() - 1].price);
    let rising = last.amount() >= first.amount();
    let summary =
        format!("{label}: from {} to {}, low {}, high {}", first.to_usd(), last.to_usd(), low.to_usd(), high.to_usd());
    view! {
        <figure class="line-chart">
            <svg viewBox=format!("0 0 {WIDTH} {HEIGHT}") preserveAspectRatio="none" role="img" aria-label=summary.clone()>
                <path class=if rising { "line up" } else { "line down" } d=d vector-effect="non-scaling-stroke" />
            </svg>
            <figcaption class="chart-range">
                <span>"Low " {low.to_usd()}</span>
                <span>"High " {high.to_usd()}</span>
            </figcaption>
        </figure>
    }
    .into_any()
}
