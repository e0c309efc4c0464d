//! The instance's Prometheus metrics, named in one place; `GET /metrics` renders them (see
//! `http/metrics.rs`, and docs/OPERATIONS.md for what each one means).
//!
//! The recorder belongs to the [`AppState`](crate::server::platform::state::AppState), not to the process: code
//! records through [`Metrics`] with the `metrics` crate's macros, run against this recorder by
//! `metrics::with_local_recorder`. A production process has one state, so this is the same as a
//! global recorder; tests run many servers in one process, and each counts only its own work.
//!
//! Every label value comes from a fixed set (route templates, not raw paths), so the number of
//! series stays bounded whatever clients send.

use crate::domain::order::OrderRejection;
use crate::domain::AuthProvider;
use crate::wire::AppError;
use metrics::{counter, describe_counter, describe_gauge, describe_histogram, gauge, histogram, Unit};
use metrics_exporter_prometheus::{Matcher, PrometheusBuilder, PrometheusHandle, PrometheusRecorder};
use sqlx::PgPool;
use std::sync::Arc;
use std::time::Duration;

pub const HTTP_REQUEST_DURATION: &str = "papertrade_http_request_duration_seconds";
pub const ORDERS: &str = "papertrade_orders_total";
pub const LOGINS: &str = "papertrade_logins_total";
pub const LETTERS: &str = "papertrade_letters_total";
pub const SERVER_FUNCTION_ERRORS: &str = "papertrade_server_function_errors_total";
pub const DB_POOL_CONNECTIONS: &str = "papertrade_db_pool_connections";
pub const DB_POOL_MAX_CONNECTIONS: &str = "papertrade_db_pool_max_connections";
pub const EVENT_STREAMS_OPEN: &str = "papertrade_event_streams_open";

/// Upper bounds of the latency buckets, in seconds.
const LATENCY_BUCKETS: [f64; 12] = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0];
/// How often histogram samples are folded into their buckets when nobody scrapes.
pub const UPKEEP_EVERY: Duration = Duration::from_secs(5);

/// How someone signed in: the `method` label of [`LOGINS`].
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum LoginMethod {
    Password,
    Guest,
    Google,
    Github,
}

impl LoginMethod {
    const ALL: [LoginMethod; 4] = [LoginMethod::Password, LoginMethod::Guest, LoginMethod::Google, LoginMethod::Github];

    pub fn as_str(self) -> &'static str {
        match self {
            LoginMethod::Password => "password",
            LoginMethod::Guest => "guest",
            LoginMethod::Google => "google",
            LoginMethod::Github => "github",
        }
    }
}

impl From<AuthProvider> for LoginMethod {
    fn from(provider: AuthProvider) -> LoginMethod {
        match provider {
            AuthProvider::Local => LoginMethod::Password,
            AuthProvider::Guest => LoginMethod::Guest,
            AuthProvider::Google => LoginMethod::Google,
            AuthProvider::Github => LoginMethod::Github,
        }
    }
}

/// What became of a letter.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum LetterResult {
    /// Accepted by the relay.
    Sent,
    /// Written to the log (no relay, development).
    Logged,
    /// Refused by the relay, timed out, or dropped because mail is off.
    Failed,
}

impl LetterResult {
    const ALL: [LetterResult; 3] = [LetterResult::Sent, LetterResult::Logged, LetterResult::Failed];

    fn as_str(self) -> &'static str {
        match self {
            LetterResult::Sent => "sent",
            LetterResult::Logged => "logged",
            LetterResult::Failed => "failed",
        }
    }
}

/// What the instance counts; cheap to clone (one shared recorder).
#[derive(Clone)]
pub struct Metrics {
    recorder: Arc<PrometheusRecorder>,
    handle: PrometheusHandle,
}

impl Default for Metrics {
    fn default() -> Metrics {
        Metrics::new()
    }
}

impl Metrics {
    pub fn new() -> Metrics {
        let builder = PrometheusBuilder::new()
            .set_buckets_for_metric(Matcher::Full(HTTP_REQUEST_DURATION.into()), &LATENCY_BUCKETS)
            .expect("the bucket list is not empty");
        let recorder = builder.build_recorder();
        let metrics = Metrics { handle: recorder.handle(), recorder: Arc::new(recorder) };
        metrics.with(|| {
            describe_histogram!(
                HTTP_REQUEST_DURATION,
                Unit::Seconds,
                "Time from a request's arrival to its response headers, by method, route template and status class."
            );
            describe_counter!(ORDERS, "Market orders executed, and rejected by reason.");
            describe_counter!(LOGINS, "Sign-in attempts by method and result.");
            describe_counter!(
                LETTERS,
                "Letters by what became of them: sent (to the relay), logged (no relay, development), failed."
            );
            describe_counter!(
                SERVER_FUNCTION_ERRORS,
                "Server functions that answered an error (called over HTTP or while a page rendered), by status."
            );
            describe_gauge!(DB_POOL_CONNECTIONS, "Database connections of this instance's pool, in use and idle.");
            describe_gauge!(DB_POOL_MAX_CONNECTIONS, "The size limit of this instance's database pool.");
            describe_gauge!(EVENT_STREAMS_OPEN, "Live event streams (GET /events) open on this instance.");
            // Every known series starts at zero, so rate() works from the first scrape.
            counter!(ORDERS, "outcome" => "executed", "reason" => "none").increment(0);
            for reason in OrderRejection::REASONS {
                counter!(ORDERS, "outcome" => "rejected", "reason" => reason).increment(0);
            }
            for status in AppError::STATUSES {
                counter!(SERVER_FUNCTION_ERRORS, "status" => status.to_string()).increment(0);
            }
            for result in LetterResult::ALL {
                counter!(LETTERS, "result" => result.as_str()).increment(0);
            }
            for method in LoginMethod::ALL {
                for result in ["succeeded", "failed"] {
                    counter!(LOGINS, "method" => method.as_str(), "result" => result).increment(0);
                }
            }
        });
        metrics
    }

    /// Runs `record` with this instance's recorder as the current one.
    fn with<T>(&self, record: impl FnOnce() -> T) -> T {
        metrics::with_local_recorder(self.recorder.as_ref(), record)
    }

    /// One answered request; `route` is the route template (or a fixed fallback label).
    pub fn request(&self, method: &'static str, route: String, status: u16, elapsed: Duration) {
        let status = status_class(status);
        self.with(|| {
            histogram!(HTTP_REQUEST_DURATION, "method" => method, "route" => route, "status" => status)
                .record(elapsed.as_secs_f64());
        });
    }

    pub fn order_executed(&self) {
        self.with(|| counter!(ORDERS, "outcome" => "executed", "reason" => "none").increment(1));
    }

    pub fn order_rejected(&self, rejection: &OrderRejection) {
        let reason = rejection.reason();
        self.with(|| counter!(ORDERS, "outcome" => "rejected", "reason" => reason).increment(1));
    }

    /// A server function ended with `error`.
    pub fn server_function_failed(&self, error: &AppError) {
        let status = error.status().to_string();
        self.with(|| counter!(SERVER_FUNCTION_ERRORS, "status" => status).increment(1));
    }

    pub fn letter(&self, result: LetterResult) {
        self.with(|| counter!(LETTERS, "result" => result.as_str()).increment(1));
    }

    pub fn login(&self, method: LoginMethod, succeeded: bool) {
        let result = if succeeded { "succeeded" } else { "failed" };
        self.with(|| counter!(LOGINS, "method" => method.as_str(), "result" => result).increment(1));
    }

    /// The Prometheus text exposition of everything counted, with the gauges read now from
    /// `pool` and the number of open event streams.
    pub fn render(&self, pool: &PgPool, event_streams: usize) -> String {
        let size = pool.size();
        let idle = u32::try_from(pool.num_idle()).unwrap_or(u32::MAX).min(size);
        self.with(|| {
            gauge!(DB_POOL_CONNECTIONS, "state" => "in_use").set(f64::from(size - idle));
            gauge!(DB_POOL_CONNECTIONS, "state" => "idle").set(f64::from(idle));
            gauge!(DB_POOL_MAX_CONNECTIONS).set(f64::from(pool.options().get_max_connections()));
            gauge!(EVENT_STREAMS_OPEN).set(f64::from(u32::try_from(event_streams).unwrap_or(u32::MAX)));
        });
        self.handle.render()
    }

    /// Folds recorded latencies into their buckets every [`UPKEEP_EVERY`], so memory stays flat
    /// when nothing scrapes; ends when `until` resolves.
    pub async fn run_upkeep(self, until: impl std::future::Future<Output = ()>) {
        let mut every = tokio::time::interval(UPKEEP_EVERY);
        every.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
        tokio::pin!(until);
        loop {
            tokio::select! {
                () = &mut until => return,
                _ = every.tick() => self.handle.run_upkeep(),
            }
        }
    }
}

/// `2xx`, `4xx`, …: the `status` label (the exact code would multiply the series).
fn status_class(status: u16) -> &'static str {
    match status {
        100..=199 => "1xx",
        200..=299 => "2xx",
        300..=399 => "3xx",
        400..=499 => "4xx",
        _ => "5xx",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn known_series_start_at_zero_and_count_up() {
        let metrics = Metrics::new();
        metrics.order_rejected(&OrderRejection::TooLarge);
        metrics.login(LoginMethod::Guest, true);
        let text = metrics.handle.render();
        assert!(text.contains(r#"papertrade_orders_total{outcome="executed",reason="none"} 0"#), "{text}");
        assert!(text.contains(r#"papertrade_orders_total{outcome="rejected",reason="too_large"} 1"#), "{text}");
        assert!(text.contains(r#"papertrade_logins_total{method="guest",result="succeeded"} 1"#), "{text}");
        assert!(text.contains(r#"papertrade_logins_total{method="github",result="failed"} 0"#), "{text}");
    }

    #[test]
    fn two_instances_count_separately() {
        let (first, second) = (Metrics::new(), Metrics::new());
        first.order_executed();
        assert!(first.handle.render().contains(r#"outcome="executed",reason="none"} 1"#));
        assert!(second.handle.render().contains(r#"outcome="executed",reason="none"} 0"#));
    }

    #[test]
    fn latencies_render_as_a_histogram_with_status_classes() {
        let metrics = Metrics::new();
        metrics.request("GET", "/stocks/{symbol}".into(), 200, Duration::from_millis(30));
        metrics.request("GET", "/stocks/{symbol}".into(), 204, Duration::from_millis(3));
        let text = metrics.handle.render();
        let series = r#"method="GET",route="/stocks/{symbol}",status="2xx""#;
        assert!(text.contains("# TYPE papertrade_http_request_duration_seconds histogram"), "{text}");
        assert!(text.contains(&format!("papertrade_http_request_duration_seconds_count{{{series}}} 2")), "{text}");
        assert!(text.contains(&format!(r#"papertrade_http_request_duration_seconds_bucket{{{series},le="0.005"}} 1"#)));
        assert_eq!(status_class(503), "5xx");
        assert_eq!(status_class(302), "3xx");
    }
}
