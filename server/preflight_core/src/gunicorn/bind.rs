//! gunicorn's `bind` addresses, parsed as `gunicorn.util.parse_address` does.

use crate::python::Tri;
use crate::text::TextRange;

/// One address gunicorn listens on.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Bind {
    /// `unix:/run/gunicorn.sock` (also `unix:///run/...`): the socket's path.
    Unix(String),
    /// `HOST:PORT`, `[IPv6]:PORT`, `HOST` (port 8000), `tcp://...`; the host lower-cased,
    /// without brackets.
    Tcp { host: String, port: u16 },
    /// `fd://N`: a socket inherited from the process manager.
    Fd(i64),
}

/// A parsed address with where it was written.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BindAddress {
    pub bind: Bind,
    /// The address as written (stripped), e.g. `0.0.0.0:8000`.
    pub text: String,
    /// The string literal holding it in the config file; `None` for gunicorn's default or a
    /// value built by an expression.
    pub range: Option<TextRange>,
}

/// The port gunicorn uses when an address names none.
pub const DEFAULT_PORT: u16 = 8000;

/// Parses one address like `gunicorn.util.parse_address(netloc, default_port="8000")`; `None`
/// where gunicorn would refuse it (a port that is not a number, a bad `fd://`).
pub fn parse_bind(netloc: &str) -> Option<Bind> {
    if let Some(rest) = netloc.strip_prefix("unix:") {
        // `re.split(r'unix:(//)?', netloc)[-1]`
        let path = rest.strip_prefix("//").unwrap_or(rest);
        let path = path.rsplit("unix:").next().unwrap_or(path);
        return Some(Bind::Unix(path.to_string()));
    }
    if let Some(fd) = netloc.strip_prefix("fd://") {
        return python_int(fd).map(Bind::Fd);
    }
    let netloc = match netloc.strip_prefix("tcp://") {
        Some(rest) => rest.split("tcp://").next().unwrap_or(rest),
        None => netloc,
    };
    let default = DEFAULT_PORT.to_string();
    let (host, port) = if netloc.contains('[') && netloc.contains(']') {
        let host = netloc.split(']').next().unwrap_or("");
        let host = host.get(1..).unwrap_or("");
        let port = netloc.split("]:").nth(1).unwrap_or(&default);
        (host, port)
    } else if netloc.contains(':') {
        let mut parts = netloc.split(':');
        let host = parts.next().unwrap_or("");
        (host, parts.next().unwrap_or(&default))
    } else if netloc.is_empty() {
        ("0.0.0.0", default.as_str())
    } else {
        (netloc, default.as_str())
    };
    let port = u16::try_from(python_int(port)?).ok()?;
    Some(Bind::Tcp {
        host: host.to_lowercase(),
        port,
    })
}

/// `int(text)` in Python for a decimal literal (spaces around and `_` between digits allowed).
fn python_int(text: &str) -> Option<i64> {
    let t = text.trim();
    let digits = t.strip_prefix(['+', '-']).unwrap_or(t);
    if digits.is_empty()
        || digits.starts_with('_')
        || digits.ends_with('_')
        || digits.contains("__")
        || !digits.chars().all(|c| c.is_ascii_digit() || c == '_')
    {
        return None;
    }
    t.replace('_', "").parse().ok()
}

impl Bind {
    /// Whether only this machine can connect: a unix socket, an inherited fd (the process
    /// manager decides), or a loopback TCP address.
    pub fn is_local(&self) -> Tri {
        match self {
            Bind::Unix(_) | Bind::Fd(_) => Tri::Yes,
            Bind::Tcp { host, .. } => Tri::from_bool(is_loopback_host(host)),
        }
    }

    /// Whether this is a TCP address that other machines can reach (a wildcard, or any host
    /// that is not loopback).
    pub fn is_public_tcp(&self) -> bool {
        matches!(self, Bind::Tcp { host, .. } if !is_loopback_host(host))
    }

    /// Whether this is a wildcard TCP address (`0.0.0.0`, `::`): every interface.
    pub fn is_wildcard(&self) -> bool {
        matches!(self, Bind::Tcp { host, .. } if matches!(host.as_str(), "0.0.0.0" | "::" | "" | "*"))
    }
}

/// `127.0.0.0/8`, `::1`, `localhost`.
pub fn is_loopback_host(host: &str) -> bool {
    if matches!(host, "localhost" | "ip6-localhost" | "ip6-loopback") {
        return true;
    }
    if let Ok(ip) = host.parse::<std::net::IpAddr>() {
        return ip.is_loopback();
    }
    false
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tcp(host: &str, port: u16) -> Option<Bind> {
        Some(Bind::Tcp {
            host: host.into(),
            port,
        })
    }

    #[test]
    fn addresses_parse_as_gunicorn_parses_them() {
        assert_eq!(parse_bind("0.0.0.0:8000"), tcp("0.0.0.0", 8000));
        assert_eq!(parse_bind("127.0.0.1"), tcp("127.0.0.1", 8000));
        assert_eq!(parse_bind("[::]:80"), tcp("::", 80));
        assert_eq!(parse_bind("[::1]"), tcp("::1", 8000));
        assert_eq!(parse_bind("LocalHost:9000"), tcp("localhost", 9000));
        assert_eq!(parse_bind("tcp://10.0.0.5:81"), tcp("10.0.0.5", 81));
        assert_eq!(parse_bind(""), tcp("0.0.0.0", 8000));
        assert_eq!(
            parse_bind("unix:/run/gunicorn.sock"),
            Some(Bind::Unix("/run/gunicorn.sock".into()))
        );
        assert_eq!(
            parse_bind("unix:///tmp/g.sock"),
            Some(Bind::Unix("/tmp/g.sock".into()))
        );
        assert_eq!(parse_bind("fd://3"), Some(Bind::Fd(3)));
        assert_eq!(parse_bind("fd://x"), None);
        assert_eq!(parse_bind("host:http"), None);
        assert_eq!(parse_bind("host:70000"), None);
    }

    #[test]
    fn loopback_unix_and_fd_are_local_and_the_rest_is_public() {
        for local in [
            "127.0.0.1:8000",
            "[::1]:8000",
            "localhost",
            "unix:/x.sock",
            "fd://3",
            "127.1.2.3",
        ] {
            let b = parse_bind(local).unwrap();
            assert_eq!(b.is_local(), Tri::Yes, "{local}");
            assert!(!b.is_public_tcp(), "{local}");
        }
        for public in ["0.0.0.0:8000", "[::]:80", "10.0.0.5", "web:8000", ":8000"] {
            let b = parse_bind(public).unwrap();
            assert_eq!(b.is_local(), Tri::No, "{public}");
            assert!(b.is_public_tcp(), "{public}");
        }
        assert!(parse_bind("[::]:80").unwrap().is_wildcard());
        assert!(!parse_bind("10.0.0.5").unwrap().is_wildcard());
    }
}
