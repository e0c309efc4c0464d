//! Where to send someone after they sign in: only a path on this site, never another origin.

/// Where a signed-in person lands when no (valid) `next` was given.
pub const DEFAULT_AFTER_LOGIN: &str = "/dashboard";

/// Returns `next` when it is a same-site relative path (`/dashboard?tab=1`), else `None`.
/// Rejects absolute URLs, scheme-relative `//host`, the `/\host` trick browsers treat as
/// `//host`, and control characters.
pub fn safe_next(next: &str) -> Option<&str> {
    let ok = next.starts_with('/')
        && !next.starts_with("//")
        && !next.contains('\\')
        && !next.chars().any(char::is_control)
        && next.len() <= 2048;
    ok.then_some(next)
}

/// `safe_next`, falling back to [`DEFAULT_AFTER_LOGIN`].
pub fn after_login(next: Option<&str>) -> String {
    next.and_then(safe_next).unwrap_or(DEFAULT_AFTER_LOGIN).to_owned()
}

/// Percent-encodes a value for a query string (everything but unreserved characters and `/`).
pub fn encode_component(value: &str) -> String {
    let mut encoded = String::with_capacity(value.len());
    for byte in value.bytes() {
        match byte {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' | b'/' => encoded.push(byte as char),
            _ => encoded.push_str(&format!("%{byte:02X}")),
        }
    }
    encoded
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keeps_paths_on_this_site() {
        assert_eq!(safe_next("/dashboard"), Some("/dashboard"));
        assert_eq!(safe_next("/stocks/AAPL?range=1M#chart"), Some("/stocks/AAPL?range=1M#chart"));
        assert_eq!(after_login(None), "/dashboard");
    }

    #[test]
    fn refuses_everything_that_could_leave_the_site() {
        for bad in [
            "//evil.example",
            "/\\evil.example",
            "https://evil.example",
            "evil.example",
            "",
            "/ok\nLocation: x",
            "\\\\evil",
            "javascript:alert(1)",
            "/%0d%0a\\x",
        ] {
            assert_eq!(safe_next(bad), None, "{bad:?}");
            assert_eq!(after_login(Some(bad)), "/dashboard");
        }
    }

    #[test]
    fn encodes_a_path_for_a_query_string() {
        assert_eq!(encode_component("/stocks/BRK.B"), "/stocks/BRK.B");
        assert_eq!(encode_component("/a?b=1&c"), "/a%3Fb%3D1%26c");
    }
}
