//! A dependency-free SVG donut chart with a legend that carries every figure as text, so the
//! chart is never the only way to read the allocation.

use crate::domain::valuation::Slice;
use leptos::prelude::*;

/// Slice colours are CSS classes `slice-0` … `slice-7`; more slices reuse them in order.
const COLOURS: usize = 8;
/// The circle's radius makes its circumference 100, so a percentage is a dash length.
const RADIUS: &str = "15.9155";

#[component]
pub fn Donut(slices: Vec<Slice>, #[prop(into)] title: String) -> impl IntoView {
    let summary = format!(
        "{title}: {}",
        slices.iter().map(|s| format!("{} {}%", s.label, s.percent)).collect::<Vec<_>>().join(", ")
    );
    // Arc lengths from the exact values (not the rounded percentages), so the ring closes.
    let amount = |slice: &Slice| slice.value.amount().to_string().parse::<f64>().unwrap_or(0.0);
    let total: f64 = slices.iter().map(amount).sum();
    let mut start = 0.0_f64;
    let arcs = slices
        .iter()
        .enumerate()
        .map(|(index, slice)| {
            let length = if total > 0.0 { amount(slice) / total * 100.0 } else { 0.0 };
            // Dashes start at 3 o'clock; an offset of 25 moves the first to 12 o'clock.
            let offset = 25.0 - start;
            start += length;
            view! {
                <circle class=format!("donut-slice slice-{}", index % COLOURS) cx="21" cy="21" r=RADIUS
                    stroke-dasharray=format!("{length:.3} {:.3}", 100.0 - length) stroke-dashoffset=format!("{offset:.3}") />
            }
        })
        .collect_view();
    view! {
        <figure class="donut">
            <figcaption class="donut-title">{title}</figcaption>
            <div class="donut-body">
                <svg viewBox="0 0 42 42" role="img" aria-label=summary>
                    <circle class="donut-track" cx="21" cy="21" r=RADIUS />
                    {arcs}
                </svg>
                <ul class="donut-legend">
                    {slices.into_iter().enumerate().map(|(index, slice)| view! {
                        <li>
                            <span class=format!("swatch slice-{}", index % COLOURS) aria-hidden="true"></span>
                            <span class="legend-label">{slice.label}</span>
                            <span class="legend-figure">{format!("{}%", slice.percent)}</span>
                        </li>
                    }).collect_view()}
                </ul>
            </div>
        </figure>
    }
}
