//! How the instance is watched: who may read `/metrics` (`METRICS_TOKEN`, `METRICS_ALLOW`) and
//! how log lines are written (`LOG_FORMAT`). The token is a [`SecretString`]: redacted in `Debug`
//! and never echoed.

use super::values::problem;
use ipnet::IpNet;
use secrecy::{ExposeSecret, SecretString};
use std::net::IpAddr;
use subtle::ConstantTimeEq;

/// A token shorter than this is refused: it guards the metrics of a public server.
const MIN_TOKEN_LENGTH: usize = 16;

/// How log lines are written to stderr.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum LogFormat {
    /// Human-readable lines (coloured on a terminal).
    Text,
    /// One JSON object per line, for log collectors.
    Json,
}

impl LogFormat {
    /// `text` or `json`, in any case.
    pub fn parse(text: &str) -> Result<LogFormat, String> {
        <LogFormat as clap::ValueEnum>::from_str(text.trim(), true)
    }
}

/// The bearer token `/metrics` asks for. `Debug` shows `[redacted]`.
#[derive(Clone)]
pub struct MetricsToken(SecretString);

impl MetricsToken {
    pub fn parse(text: &str) -> Result<MetricsToken, String> {
        let token = text.trim();
        if !token.chars().all(|c| c.is_ascii_graphic()) {
            // Not repeated: even a malformed token is a secret.
            return Err("contains spaces or characters that cannot go in an HTTP header (value not shown)".into());
        }
        if token.len() < MIN_TOKEN_LENGTH {
            return Err(format!("is shorter than {MIN_TOKEN_LENGTH} characters (value not shown)"));
        }
        Ok(MetricsToken(token.into()))
    }

    /// Whether `presented` is the token, compared in constant time.
    pub fn matches(&self, presented: &str) -> bool {
        self.0.expose_secret().as_bytes().ct_eq(presented.as_bytes()).into()
    }
}

/// secrecy's own `Debug` would say `SecretBox<str>([REDACTED])`; this one names the setting.
impl std::fmt::Debug for MetricsToken {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("MetricsToken([redacted])")
    }
}

/// Which client addresses may read `/metrics` (the TCP peer; a proxy's headers are not trusted).
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum MetricsClients {
    /// Neither variable set: this host only, and not through a proxy.
    LoopbackOnly,
    /// Only `METRICS_TOKEN` set: any address that presents it.
    Anyone,
    /// `METRICS_ALLOW`: these addresses and ranges.
    Listed(Vec<IpNet>),
}

impl MetricsClients {
    pub fn admits(&self, peer: IpAddr, forwarded: bool) -> bool {
        let peer = peer.to_canonical();
        match self {
            MetricsClients::LoopbackOnly => peer.is_loopback() && !forwarded,
            MetricsClients::Anyone => true,
            MetricsClients::Listed(nets) => nets.iter().any(|net| net.contains(&peer)),
        }
    }
}

/// Who may read `/metrics`: a client must be admitted by `clients` and, when a token is set,
/// present it as `Authorization: Bearer <token>`.
#[derive(Clone, Debug)]
pub struct MetricsAccess {
    pub clients: MetricsClients,
    pub token: Option<MetricsToken>,
}

/// The metrics and logging settings, as read.
#[derive(clap::Args)]
pub(super) struct ObservabilityArgs {
    #[arg(long, env = "METRICS_TOKEN", value_parser = MetricsToken::parse)]
    metrics_token: Option<MetricsToken>,
    #[arg(long, env = "METRICS_ALLOW", value_parser = listed)]
    metrics_allow: Option<MetricsClients>,
    #[arg(long, env = "LOG_FORMAT", value_enum, ignore_case = true, default_value = "text")]
    pub(super) log_format: LogFormat,
}

impl ObservabilityArgs {
    /// The clients `METRICS_ALLOW` lists; with only a token, anyone who presents it; with
    /// neither, this host.
    pub(super) fn into_metrics_access(self) -> MetricsAccess {
        let clients = match (self.metrics_allow, &self.metrics_token) {
            (Some(listed), _) => listed,
            (None, Some(_)) => MetricsClients::Anyone,
            (None, None) => MetricsClients::LoopbackOnly,
        };
        MetricsAccess { clients, token: self.metrics_token }
    }
}

/// `METRICS_ALLOW`'s clients.
fn listed(list: &str) -> Result<MetricsClients, String> {
    parse_allow_list(list).map(MetricsClients::Listed).map_err(|reason| problem(list, reason))
}

/// `10.0.0.0/8, 192.168.1.7, ::1`: addresses and CIDR ranges, comma-separated.
fn parse_allow_list(list: &str) -> Result<Vec<IpNet>, String> {
    list.split(',')
        .map(str::trim)
        .filter(|item| !item.is_empty())
        .map(|item| {
            item.parse::<IpNet>()
                .or_else(|_| item.parse::<IpAddr>().map(IpNet::from))
                .map_err(|_| format!("{item:?} is not an IP address or a range such as 10.0.0.0/8"))
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::server::platform::config::testing::with_database;
    use crate::server::platform::config::ConfigError;

    fn access(pairs: &[(&str, &str)]) -> Result<MetricsAccess, ConfigError> {
        with_database(pairs).map(|config| config.metrics)
    }

    fn ip(text: &str) -> IpAddr {
        text.parse().unwrap()
    }

    #[test]
    fn with_nothing_set_only_direct_loopback_clients_are_admitted() {
        let clients = access(&[]).unwrap().clients;
        assert_eq!(clients, MetricsClients::LoopbackOnly);
        assert!(clients.admits(ip("127.0.0.1"), false));
        assert!(clients.admits(ip("::1"), false));
        assert!(clients.admits(ip("::ffff:127.0.0.1"), false), "an IPv4 loopback peer on a dual-stack socket");
        assert!(!clients.admits(ip("127.0.0.1"), true), "a request a local proxy forwarded");
        assert!(!clients.admits(ip("10.1.2.3"), false));
    }

    #[test]
    fn a_token_alone_admits_any_address() {
        let access = access(&[("METRICS_TOKEN", "0123456789abcdef")]).unwrap();
        assert_eq!(access.clients, MetricsClients::Anyone);
        let token = access.token.unwrap();
        assert!(token.matches("0123456789abcdef"));
        assert!(!token.matches("0123456789abcdeF"));
        assert!(!token.matches(""));
        assert_eq!(format!("{token:?}"), "MetricsToken([redacted])");
    }

    #[test]
    fn an_allow_list_takes_addresses_and_ranges() {
        let clients = access(&[("METRICS_ALLOW", " 10.0.0.0/8, 192.168.1.7 ,fd00::/8,")]).unwrap().clients;
        assert!(clients.admits(ip("10.200.0.1"), true));
        assert!(clients.admits(ip("192.168.1.7"), false));
        assert!(!clients.admits(ip("192.168.1.8"), false));
        assert!(clients.admits(ip("fd12::1"), false));
        assert!(!clients.admits(ip("127.0.0.1"), false), "loopback is not implied by a list");
    }

    #[test]
    fn bad_values_are_named_and_the_token_is_not_echoed() {
        assert_eq!(access(&[("METRICS_ALLOW", "10.0.0.0/8, office")]).unwrap_err().var, "METRICS_ALLOW");
        assert_eq!(access(&[("METRICS_ALLOW", "10.0.0.0/33")]).unwrap_err().var, "METRICS_ALLOW");
        let short = access(&[("METRICS_TOKEN", "hunter2")]).unwrap_err();
        assert_eq!(short.var, "METRICS_TOKEN");
        assert!(!short.to_string().contains("hunter2"));
        let spaced = access(&[("METRICS_TOKEN", "secret token with spaces")]).unwrap_err();
        assert!(!spaced.to_string().contains("secret"), "{spaced}");
    }

    #[test]
    fn log_format_is_text_or_json() {
        assert_eq!(LogFormat::parse("JSON"), Ok(LogFormat::Json));
        assert_eq!(LogFormat::parse("text"), Ok(LogFormat::Text));
        assert!(LogFormat::parse("yaml").is_err());
        assert_eq!(with_database(&[]).unwrap().log_format, LogFormat::Text);
    }
}
