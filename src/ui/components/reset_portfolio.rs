//! "Start over": archives the current portfolio (its trades stay in the database, out of every
//! view) and opens a new one with fresh cash — only after the learner ticks a confirmation box.

use crate::api::portfolio::ResetPortfolio;
use crate::ui::components::form::{last_error, FormError};
use leptos::prelude::*;

#[component]
pub fn ResetPortfolioForm() -> impl IntoView {
    let reset = ServerAction::<ResetPortfolio>::new();
    let error = last_error(reset);
    let message = move || error.get().and_then(|e| e.message_for("confirm"));
    view! {
        <div class="card settings-card danger-zone">
            <h2>"Start over"</h2>
            <p class="muted">
                "Reset your portfolio to fresh cash. Your current holdings and trade history are put away "
                "and no longer shown; your account, watchlist and notifications stay."
            </p>
            <ActionForm action=reset attr:class="stack" attr:novalidate=true>
                <div class="field checkbox-field">
                    <input id="field-confirm" name="confirm" type="checkbox" value="yes" required
                        aria-invalid=move || message().is_some().to_string() aria-describedby="field-confirm-message" />
                    <label for="field-confirm">"I understand that my holdings and trades will be put away"</label>
                    <p class="field-hint field-error" id="field-confirm-message">{message}</p>
                </div>
                <FormError error />
                <button class="button danger" type="submit" disabled=move || reset.pending().get()>"Reset portfolio"</button>
            </ActionForm>
        </div>
    }
}
