//! A table of figures: a keyboard-scrollable, labelled region on narrow screens, a header row of
//! column titles, and the caller's rows.

use leptos::prelude::*;

/// A column: its title and the class of its cells (`num` right-aligns figures, `hide-narrow`
/// hides it on phones).
pub type Column = (&'static str, &'static str);

#[component]
pub fn DataTable(
    /// Names the scrollable region for screen readers.
    label: &'static str,
    testid: &'static str,
    columns: &'static [Column],
    /// The `<tr>` rows.
    children: Children,
) -> impl IntoView {
    view! {
        <div class="table-wrap" role="region" aria-label=label tabindex="0">
            <table class="data-table" data-testid=testid>
                <thead>
                    <tr>
                        {columns.iter().map(|(title, class)| view! { <th scope="col" class=*class>{*title}</th> }).collect_view()}
                    </tr>
                </thead>
                <tbody>{children()}</tbody>
            </table>
        </div>
    }
}
