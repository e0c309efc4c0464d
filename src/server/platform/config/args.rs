//! The bridge between clap and a lookup of variables: the variables a lookup returns become
//! `--long=value` arguments to the settings' command, and clap's errors become a [`ConfigError`]
//! that names the variable.
//!
//! clap reads the process environment itself for an argument with an `env` (when `Arg::env` is
//! called, keeping the value it saw for parsing), so the command that parses has every `env`
//! removed: what `Config::from_lookup` reads is what its lookup returns and nothing else. The
//! derived command with its `env`s is kept only as the one place each variable is named.

use super::settings::Settings;
use super::ConfigError;
use clap::builder::TypedValueParser;
use clap::error::{ContextKind, ContextValue, ErrorKind};
use clap::{Arg, Command, CommandFactory, FromArgMatches};
use std::error::Error as _;
use std::ffi::OsStr;
use std::sync::LazyLock;

/// The settings' command as derived, `env`s included, and built (clap then shows an argument as
/// it does in its errors, which is how an error is traced back to its argument). Never parsed
/// with: see [`without_env`].
static COMMAND: LazyLock<Command> = LazyLock::new(|| {
    let mut command = Settings::command();
    command.build();
    command
});

/// Reads the settings from what `lookup` returns. A variable that is unset, empty or only spaces
/// is left to its default; values are trimmed.
pub(super) fn parse(lookup: impl Fn(&str) -> Option<String>) -> Result<Settings, ConfigError> {
    let mut arguments = Vec::new();
    for arg in COMMAND.get_arguments() {
        let (Some(var), Some(long)) = (var_of(arg), arg.get_long()) else { continue };
        if let Some(value) = lookup(var).filter(|value| !value.trim().is_empty()) {
            arguments.push(format!("--{long}={}", value.trim()));
        }
    }
    let matches = without_env(COMMAND.clone()).try_get_matches_from(arguments).map_err(|e| config_error(&e))?;
    Settings::from_arg_matches(&matches).map_err(|e| config_error(&e))
}

/// `command` with no argument that reads the process environment.
fn without_env(command: Command) -> Command {
    command.mut_args(|arg| arg.env(None::<&'static str>))
}

/// The variable of the argument with this id, for the rules that join several settings.
///
/// # Panics
/// If no argument has this id: the settings' ids are their field names.
pub(super) fn var(id: &str) -> &'static str {
    COMMAND.get_arguments().find(|arg| arg.get_id() == id).and_then(var_of).unwrap_or_else(|| panic!("no setting {id}"))
}

fn var_of(arg: &'static Arg) -> Option<&'static str> {
    arg.get_env().and_then(OsStr::to_str)
}

/// The variable a clap error is about, and the problem in words.
///
/// The parsers in `value_parser = …` attributes say the whole problem (`is "x": should be …`,
/// without the value for a secret); clap's own checks get the same shape here. A required
/// setting's `value_name` is an example of its value, for the message when it is missing.
pub(super) fn config_error(error: &clap::Error) -> ConfigError {
    let shown = match error.get(ContextKind::InvalidArg) {
        Some(ContextValue::String(shown)) => Some(shown),
        Some(ContextValue::Strings(shown)) => shown.first(),
        _ => None,
    };
    let arg = shown.and_then(|shown| COMMAND.get_arguments().find(|arg| arg.to_string() == *shown));
    let problem = match (error.kind(), error.get(ContextKind::InvalidValue), error.get(ContextKind::ValidValue)) {
        (ErrorKind::ValueValidation, _, _) => error.source().map(ToString::to_string),
        (ErrorKind::InvalidValue, Some(ContextValue::String(value)), Some(ContextValue::Strings(valid))) => {
            Some(format!("is {value:?}: should be {}", valid.join(" or ")))
        }
        (ErrorKind::MissingRequiredArgument, _, _) => {
            let example = arg.and_then(Arg::get_value_names).and_then(<[_]>::first);
            Some(example.map_or_else(
                || "is not set".to_owned(),
                |example| format!("is not set; it should look like {example}"),
            ))
        }
        _ => None,
    };
    ConfigError {
        var: arg.and_then(var_of).unwrap_or("(settings)"),
        // clap's own rendering quotes the value, which may be a secret: only its kind here.
        problem: problem.unwrap_or_else(|| error.kind().as_str().unwrap_or("is not valid").to_owned()),
    }
}

/// A setting read only when the feature it belongs to is on (an OAuth provider's endpoints,
/// Finnhub's limits): its value, or the error to report if the feature turns out to be on.
pub(super) type Deferred<T> = Result<T, ConfigError>;

/// `value_parser = deferred(parser)`: parses with `parser`, keeping its error in the value.
pub(super) fn deferred<P: TypedValueParser>(parser: P) -> DeferredParser<P> {
    DeferredParser(parser)
}

#[derive(Clone)]
pub(super) struct DeferredParser<P>(P);

impl<P: TypedValueParser> TypedValueParser for DeferredParser<P> {
    type Value = Deferred<P::Value>;

    fn parse_ref(&self, cmd: &Command, arg: Option<&Arg>, value: &OsStr) -> Result<Self::Value, clap::Error> {
        Ok(self.0.parse_ref(cmd, arg, value).map_err(|error| config_error(&error)))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_parsing_command_reads_no_environment_variable() {
        assert!(COMMAND.get_arguments().all(|arg| var_of(arg).is_some() && arg.get_long().is_some()));
        let stripped = without_env(COMMAND.clone());
        assert_eq!(stripped.get_arguments().count(), COMMAND.get_arguments().count());
        assert!(stripped.get_arguments().all(|arg| arg.get_env().is_none()));
    }

    #[test]
    fn every_variable_is_named_once() {
        let mut vars: Vec<_> = COMMAND.get_arguments().filter_map(var_of).collect();
        let count = vars.len();
        vars.sort_unstable();
        vars.dedup();
        assert_eq!(vars.len(), count);
        assert_eq!(var("port"), "PORT");
    }
}
