//! Logging: `tracing` to stderr, filtered by `RUST_LOG` (default: `info`, with sqlx's
//! per-statement notices quietened), as text (coloured only on a terminal) or, with
//! `LOG_FORMAT=json`, as one JSON object per line — tracing-subscriber's own JSON format, with
//! the event's fields at the top level and the open spans listed from the outermost in:
//!
//! ```json
//! {"timestamp":"2026-01-05T09:30:00.123456Z","level":"INFO","message":"order executed","quantity":3,
//!  "price":"189.99","target":"papertrade::server::trading",
//!  "spans":[{"name":"request","request_id":"6f1c…","method":"POST","path":"/api/place_order"}]}
//! ```
//!
//! The `request` span (always the first in `spans` inside a request, absent outside one) carries
//! the `X-Request-Id` of the request the line was written in.

use crate::server::platform::config::LogFormat;
use std::io::IsTerminal;
use tracing_subscriber::fmt::format::{DefaultFields, Format, Json, JsonFields};
use tracing_subscriber::fmt::SubscriberBuilder;
use tracing_subscriber::EnvFilter;

pub fn init(format: LogFormat) {
    let filter = EnvFilter::try_from_default_env().unwrap_or_else(|_| EnvFilter::new("info,sqlx=warn"));
    let builder = tracing_subscriber::fmt().with_env_filter(filter).with_writer(std::io::stderr);
    // A second call (e.g. in tests) keeps the first subscriber; that is fine.
    let _ = match format {
        LogFormat::Text => builder.with_ansi(std::io::stderr().is_terminal()).try_init(),
        LogFormat::Json => json_lines(builder).try_init(),
    };
}

/// The JSON format of the module documentation.
fn json_lines<Filter, Writer>(
    builder: SubscriberBuilder<DefaultFields, Format, Filter, Writer>,
) -> SubscriberBuilder<JsonFields, Format<Json>, Filter, Writer> {
    builder.with_ansi(false).json().flatten_event(true).with_current_span(false).with_span_list(true)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::Value;
    use std::sync::{Arc, Mutex};

    /// Collects what the subscriber writes.
    #[derive(Clone, Default)]
    struct Captured(Arc<Mutex<Vec<u8>>>);

    impl std::io::Write for Captured {
        fn write(&mut self, bytes: &[u8]) -> std::io::Result<usize> {
            self.0.lock().unwrap().extend_from_slice(bytes);
            Ok(bytes.len())
        }

        fn flush(&mut self) -> std::io::Result<()> {
            Ok(())
        }
    }

    fn json_lines_of(emit: impl FnOnce()) -> Vec<Value> {
        let captured = Captured::default();
        let writer = captured.clone();
        let subscriber = json_lines(tracing_subscriber::fmt().with_writer(move || writer.clone())).finish();
        tracing::subscriber::with_default(subscriber, emit);
        let text = String::from_utf8(captured.0.lock().unwrap().clone()).unwrap();
        text.lines()
            .map(|line| {
                assert!(line.starts_with(r#"{"timestamp":""#), "the time comes first: {line}");
                serde_json::from_str(line).expect("every line is one JSON object")
            })
            .collect()
    }

    #[test]
    fn a_line_inside_a_request_carries_its_id_fields_and_spans() {
        let lines = json_lines_of(|| {
            let request = tracing::info_span!("request", request_id = %"req-7", method = "GET", path = "/x");
            let _request = request.enter();
            let inner = tracing::info_span!("place_order", symbol = "AAPL");
            let _inner = inner.enter();
            tracing::warn!(quantity = 3, price = %"1.50", note = "a \"quoted\"\nline", "order executed");
        });

        assert_eq!(lines.len(), 1);
        let line = &lines[0];
        assert_eq!(line["level"], "WARN");
        assert_eq!(line["message"], "order executed");
        assert_eq!(line["target"], module_path!());
        assert_eq!(line["spans"][0]["request_id"], "req-7");
        assert_eq!(line["quantity"], 3);
        assert_eq!(line["price"], "1.50");
        assert_eq!(line["note"], "a \"quoted\"\nline");
        assert_eq!(line["spans"][0]["name"], "request");
        assert_eq!(line["spans"][1]["symbol"], "AAPL");
        assert!(line["timestamp"].as_str().unwrap().ends_with('Z'));
    }

    #[test]
    fn a_line_outside_any_request_has_no_request_id() {
        let lines = json_lines_of(|| tracing::info!("listening"));
        assert_eq!(lines[0]["message"], "listening");
        assert!(lines[0]["spans"].as_array().is_none_or(Vec::is_empty), "no request span: {}", lines[0]);
    }
}
