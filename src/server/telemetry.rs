//! Logging: `tracing` to stderr, filtered by `RUST_LOG` (default: `info`, with sqlx's
//! per-statement notices quietened), as text (coloured only on a terminal) or, with
//! `LOG_FORMAT=json`, as one JSON object per line:
//!
//! ```json
//! {"timestamp":"2026-01-05T09:30:00.123456Z","level":"INFO","target":"papertrade::server::trading",
//!  "message":"order executed","fields":{"quantity":3,"price":"189.99"},
//!  "request_id":"6f1c…","spans":[{"name":"request","request_id":"6f1c…","method":"POST","path":"/api/place_order"}]}
//! ```
//!
//! `request_id` is the `X-Request-Id` of the request the line was written in (absent outside
//! requests); `spans` lists the open spans from the outermost in, with their fields.

use super::config::LogFormat;
use serde_json::{Map, Value};
use std::io::IsTerminal;
use tracing::{Event, Subscriber};
use tracing_subscriber::fmt::format::{JsonFields, Writer};
use tracing_subscriber::fmt::{FmtContext, FormatEvent, FormatFields, FormattedFields};
use tracing_subscriber::registry::LookupSpan;
use tracing_subscriber::EnvFilter;

pub fn init(format: LogFormat) {
    let filter = EnvFilter::try_from_default_env().unwrap_or_else(|_| EnvFilter::new("info,sqlx=warn"));
    let builder = tracing_subscriber::fmt().with_env_filter(filter).with_writer(std::io::stderr);
    // A second call (e.g. in tests) keeps the first subscriber; that is fine.
    let _ = match format {
        LogFormat::Text => builder.with_ansi(std::io::stderr().is_terminal()).try_init(),
        LogFormat::Json => builder.with_ansi(false).fmt_fields(JsonFields::new()).event_format(JsonLines).try_init(),
    };
}

/// Formats each event as one JSON object (see the module documentation). Span fields are kept
/// as JSON by [`JsonFields`], so they are read back, never re-escaped by hand.
pub struct JsonLines;

impl<S> FormatEvent<S, JsonFields> for JsonLines
where
    S: Subscriber + for<'a> LookupSpan<'a>,
{
    fn format_event(
        &self,
        ctx: &FmtContext<'_, S, JsonFields>,
        mut writer: Writer<'_>,
        event: &Event<'_>,
    ) -> std::fmt::Result {
        let mut recorded = String::new();
        JsonFields::new().format_fields(Writer::new(&mut recorded), event)?;
        let mut fields = json_object(&recorded);
        let message = fields.remove("message").unwrap_or_else(|| Value::String(String::new()));

        let mut spans = Vec::new();
        let mut request_id = None;
        for span in ctx.event_scope().into_iter().flat_map(|scope| scope.from_root()) {
            let extensions = span.extensions();
            let mut entry = extensions.get::<FormattedFields<JsonFields>>().map_or_else(Map::new, |f| json_object(f));
            if let Some(id) = entry.get("request_id") {
                request_id = Some(id.clone());
            }
            entry.insert("name".into(), span.name().into());
            spans.push(Value::Object(entry));
        }

        let metadata = event.metadata();
        let line = JsonLine {
            timestamp: chrono::Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Micros, true),
            level: metadata.level().as_str(),
            target: metadata.target(),
            message,
            fields,
            request_id,
            spans,
        };
        let text = serde_json::to_string(&line).map_err(|_| std::fmt::Error)?;
        writeln!(writer, "{text}")
    }
}

/// One log line, its keys in this order.
#[derive(serde::Serialize)]
struct JsonLine<'a> {
    timestamp: String,
    level: &'static str,
    target: &'a str,
    message: Value,
    fields: Map<String, Value>,
    #[serde(skip_serializing_if = "Option::is_none")]
    request_id: Option<Value>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    spans: Vec<Value>,
}

fn json_object(text: &str) -> Map<String, Value> {
    match serde_json::from_str(text) {
        Ok(Value::Object(map)) => map,
        _ => Map::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
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
        let subscriber = tracing_subscriber::fmt()
            .with_writer(move || writer.clone())
            .with_ansi(false)
            .fmt_fields(JsonFields::new())
            .event_format(JsonLines)
            .finish();
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
        assert_eq!(line["request_id"], "req-7");
        assert_eq!(line["fields"]["quantity"], 3);
        assert_eq!(line["fields"]["price"], "1.50");
        assert_eq!(line["fields"]["note"], "a \"quoted\"\nline");
        assert_eq!(line["spans"][0]["name"], "request");
        assert_eq!(line["spans"][1]["symbol"], "AAPL");
        assert!(line["timestamp"].as_str().unwrap().ends_with('Z'));
    }

    #[test]
    fn a_line_outside_any_request_has_no_request_id() {
        let lines = json_lines_of(|| tracing::info!("listening"));
        assert_eq!(lines[0]["message"], "listening");
        assert!(lines[0].get("request_id").is_none());
        assert!(lines[0].get("spans").is_none());
    }
}
