//! Creating a game: its name, dates, cash and rules on one form, each mistake shown on its
//! field; the new game's page (with its join code) follows.

use crate::api::games::CreateGame;
use crate::ui::components::form::{last_error, FormError, TextField};
use crate::wire::AppError;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_navigate;

#[component]
pub fn NewGamePage() -> impl IntoView {
    let create = ServerAction::<CreateGame>::new();
    let error = last_error(create);
    Effect::new(move |_| {
        if let Some(Ok(game)) = create.value().get() {
            use_navigate()(&format!("/games/{}", game.id), Default::default());
        }
    });
    view! {
        <Title text="Create a game" />
        <section class="container page narrow-page">
            <h1>"Create a game"</h1>
            <p class="muted">"Rules are fixed once the game starts, except its end. Times are in your time zone."</p>
            <ActionForm action=create attr:class="stack game-form" attr:novalidate=true>
                <input type="hidden" name="utc_offset_minutes" value=browser_utc_offset() />
                <TextField name="name" label="Name" hint="Like “Period 3 contest”" error />
                <div class="field">
                    <label for="field-description">"Description (optional)"</label>
                    <textarea id="field-description" name="description" rows="3" maxlength="2000"></textarea>
                </div>
                <div class="field-row">
                    <TextField name="starts_at" label="Starts" kind="datetime-local" error />
                    <TextField name="ends_at" label="Ends" kind="datetime-local" error />
                </div>
                <TextField name="starting_cash" label="Starting cash ($)" kind="text" value="10000" hint="$1 to $10,000,000" error />
                <fieldset class="field">
                    <legend>"Commission on every fill"</legend>
                    <div class="field-row">
                        <div class="field">
                            <label for="field-commission_kind">"Kind"</label>
                            <select id="field-commission_kind" name="commission_kind">
                                <option value="none">"None"</option>
                                <option value="per_trade">"Dollars per trade"</option>
                                <option value="per_share">"Dollars per share"</option>
                                <option value="percent">"Percent of the amount"</option>
                            </select>
                        </div>
                        <TextField name="commission_value" label="Amount" required=false hint="Like 4.95, 0.01 or 0.25" error />
                    </div>
                </fieldset>
                <fieldset class="field">
                    <legend>"Limits (leave blank for none)"</legend>
                    <TextField name="max_position_percent" label="Most of the portfolio in one stock (%)" required=false hint="Like 25" error />
                    <TextField name="min_share_price" label="Lowest share price a player may buy ($)" required=false hint="Like 5" error />
                    <TextField name="quick_sell_minutes" label="No selling within this many minutes of buying" required=false hint="Like 30" error />
                </fieldset>
                <fieldset class="field">
                    <legend>"Order types besides market orders"</legend>
                    <Tick name="allow_limit" label="Limit" />
                    <Tick name="allow_stop" label="Stop" />
                    <Tick name="allow_stop_limit" label="Stop-limit" />
                    <Tick name="allow_trailing_stop" label="Trailing stop" />
                    <FieldMessage name="allowed_kinds" error />
                </fieldset>
                <fieldset class="field">
                    <legend>"Players"</legend>
                    <Tick name="late_joining" label="Players may join after the start" />
                    <Tick name="holdings_visible" label="Players see each other's holdings and trades" />
                    <Tick name="is_public" label="List the game publicly (anyone signed in can join)" />
                </fieldset>
                <FormError error />
                <button class="button primary" type="submit" disabled=move || create.pending().get()>
                    {move || if create.pending().get() { "Creating…" } else { "Create the game" }}
                </button>
            </ActionForm>
        </section>
    }
}

#[component]
fn Tick(name: &'static str, label: &'static str) -> impl IntoView {
    view! {
        <label class="check">
            <input type="checkbox" name=name />
            <span>{label}</span>
        </label>
    }
}

/// A field's error where the field is a group (the order types).
#[component]
fn FieldMessage(name: &'static str, error: Signal<Option<AppError>>) -> impl IntoView {
    view! { <p class="field-hint field-error" role="alert">{move || error.get().and_then(|e| e.message_for(name))}</p> }
}

/// Minutes the browser's zone is behind UTC, once hydrated (blank on the server: UTC).
pub fn browser_utc_offset() -> impl Fn() -> String + Send + Sync + 'static {
    let offset = RwSignal::new(String::new());
    #[cfg(feature = "hydrate")]
    Effect::new(move |_| offset.set(web_sys::js_sys::Date::new_0().get_timezone_offset().to_string()));
    move || offset.get()
}
