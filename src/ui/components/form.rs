//! Form pieces: a labelled input that shows its own error, and the error of the form as a whole.

use crate::wire::AppError;
use leptos::prelude::*;

/// The error of the last submission of an action, if it failed.
pub fn last_error<I, O: Clone + Send + Sync + 'static>(action: ServerAction<I>) -> Signal<Option<AppError>>
where
    I: leptos::server_fn::ServerFn<Output = O, Error = AppError> + Clone + Send + Sync + 'static,
{
    Signal::derive(move || action.value().get().and_then(Result::err))
}

#[component]
pub fn TextField(
    name: &'static str,
    label: &'static str,
    #[prop(default = "text")] kind: &'static str,
    #[prop(optional)] autocomplete: &'static str,
    #[prop(optional, into)] hint: String,
    #[prop(optional, into)] value: String,
    #[prop(default = true)] required: bool,
    /// The form's last error; shown here when it is about this field.
    error: Signal<Option<AppError>>,
) -> impl IntoView {
    let id = format!("field-{name}");
    let message_id = format!("{id}-message");
    let message = move || error.get().and_then(|e| e.message_for(name));
    view! {
        <div class="field">
            <label for=id.clone()>{label}</label>
            <input
                id=id
                name=name
                type=kind
                value=value
                autocomplete=autocomplete
                required=required
                aria-invalid=move || message().is_some().to_string()
                aria-describedby=message_id.clone()
            />
            <p class="field-hint" class:field-error=move || message().is_some() id=message_id>
                {move || message().unwrap_or_else(|| hint.clone())}
            </p>
        </div>
    }
}

/// An error that is not about one field (wrong password, rate limit, server trouble).
#[component]
pub fn FormError(error: Signal<Option<AppError>>) -> impl IntoView {
    let general = move || error.get().filter(|e| !matches!(e, AppError::InvalidField { .. }));
    view! {
        <div class="form-error" role="alert">
            {move || general().map(|e| view! { <p>{crate::wire::error::sentence_case(&e.to_string())} "."</p> })}
        </div>
    }
}
