//! `listen`: the socket a server accepts connections on and its flags, as nginx reads them
//! (`listen 80`, `listen [::]:443 ssl`, `listen 127.0.0.1`, `listen unix:/run/app.sock`), and
//! the sockets nginx groups servers by when it picks a default server.

use std::fmt;
use std::net::{Ipv4Addr, Ipv6Addr};

use super::model::{Config, DirId, Directive};

/// The port nginx listens on when `listen` names only an address, or when a server has no
/// `listen` at all (when it runs as root, as a deployment does).
pub const DEFAULT_PORT: u16 = 80;

/// Where a `listen` accepts connections.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Address {
    /// Every IPv4 address: `listen 80`, `listen *:80`, `listen 0.0.0.0:80`.
    AnyV4,
    /// One IP address (`[::]` is every IPv6 address).
    Ip(std::net::IpAddr),
    /// A host name, resolved by nginx at startup (lower-cased).
    Host(String),
    /// `unix:/path`.
    Unix(String),
}

/// How the connections arrive: TCP, or UDP for QUIC (`listen 443 quic` and `listen 443 ssl`
/// are two sockets).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Transport {
    Tcp,
    Udp,
}

/// One socket: nginx chooses among the servers listening on it by `server_name`, and the
/// default server of the socket gets every other request.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Socket {
    pub address: Address,
    /// `None` for a unix socket.
    pub port: Option<u16>,
    pub transport: Transport,
}

impl fmt::Display for Socket {
    /// As it is written in `listen`: `80`, `[::]:443`, `127.0.0.1:8000`, `unix:/run/a.sock`,
    /// then ` quic` for a QUIC socket.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let port = self.port.unwrap_or(DEFAULT_PORT);
        match &self.address {
            Address::AnyV4 => write!(f, "{port}")?,
            Address::Ip(std::net::IpAddr::V4(ip)) => write!(f, "{ip}:{port}")?,
            Address::Ip(std::net::IpAddr::V6(ip)) => write!(f, "[{ip}]:{port}")?,
            Address::Host(host) => write!(f, "{host}:{port}")?,
            Address::Unix(path) => write!(f, "unix:{path}")?,
        }
        if self.transport == Transport::Udp {
            f.write_str(" quic")?;
        }
        Ok(())
    }
}

/// A parsed `listen` directive.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Listen {
    pub socket: Socket,
    /// `default_server` (or its old spelling `default`).
    pub default_server: bool,
    pub ssl: bool,
    /// `http2` (deprecated since nginx 1.25.1 in favour of `http2 on;`).
    pub http2: bool,
    /// `quic` (or `http3`, as some builds spell it).
    pub quic: bool,
    pub reuseport: bool,
    pub proxy_protocol: bool,
}

impl Listen {
    /// The socket of a server without `listen`: `*:80`.
    pub fn implicit() -> Listen {
        Listen {
            socket: Socket {
                address: Address::AnyV4,
                port: Some(DEFAULT_PORT),
                transport: Transport::Tcp,
            },
            default_server: false,
            ssl: false,
            http2: false,
            quic: false,
            reuseport: false,
            proxy_protocol: false,
        }
    }

    /// Reads a `listen` directive; `None` when it is not one or its address does not parse.
    pub fn parse(d: &Directive) -> Option<Listen> {
        if !d.is("listen") {
            return None;
        }
        let (address, port) = parse_address(d.arg(0)?)?;
        let mut listen = Listen::implicit();
        listen.socket.address = address;
        listen.socket.port = port;
        for flag in d.args.iter().skip(1) {
            match flag.value.to_ascii_lowercase().as_str() {
                "default_server" | "default" => listen.default_server = true,
                "ssl" => listen.ssl = true,
                "http2" => listen.http2 = true,
                "quic" | "http3" => listen.quic = true,
                "reuseport" => listen.reuseport = true,
                "proxy_protocol" => listen.proxy_protocol = true,
                _ => {}
            }
        }
        if listen.quic {
            listen.socket.transport = Transport::Udp;
        }
        Some(listen)
    }

    /// Whether connections on this socket speak TLS (`ssl`, or QUIC, which is always TLS).
    pub fn tls(&self) -> bool {
        self.ssl || self.quic
    }
}

/// The index of the argument of `d` spelling `flag` (case-insensitive), e.g. `default_server`.
pub fn flag_arg(d: &Directive, flags: &[&str]) -> Option<usize> {
    d.args
        .iter()
        .enumerate()
        .skip(1)
        .find(|(_, a)| flags.iter().any(|f| a.value.eq_ignore_ascii_case(f)))
        .map(|(i, _)| i)
}

/// The `listen` directives of a server (written directly in it or in a file it includes) that
/// parse, in order.
pub fn listens(config: &Config, server: DirId) -> Vec<(DirId, Listen)> {
    config
        .direct(Some(server), "listen")
        .filter_map(|id| Some((id, Listen::parse(config.get(id))?)))
        .collect()
}

/// The sockets a server accepts connections on: its `listen`s, or `*:80` without any.
pub fn sockets(config: &Config, server: DirId) -> Vec<Listen> {
    let explicit: Vec<Listen> = listens(config, server)
        .into_iter()
        .map(|(_, l)| l)
        .collect();
    let written = config.direct(Some(server), "listen").next().is_some();
    if explicit.is_empty() && !written {
        vec![Listen::implicit()]
    } else {
        explicit
    }
}

/// nginx's `ngx_parse_url` for `listen`: `unix:path`, `[v6]:port`, `[v6]`, `addr:port`,
/// `*:port`, `port`, `addr`, `*`.
fn parse_address(text: &str) -> Option<(Address, Option<u16>)> {
    if let Some(path) = text.strip_prefix("unix:") {
        return (!path.is_empty()).then(|| (Address::Unix(path.to_owned()), None));
    }
    let port_of = |p: &str| p.parse::<u16>().ok().filter(|&p| p > 0);
    if let Some(rest) = text.strip_prefix('[') {
        let (ip, after) = rest.split_once(']')?;
        let ip: Ipv6Addr = ip.parse().ok()?;
        let port = match after {
            "" => DEFAULT_PORT,
            _ => port_of(after.strip_prefix(':')?)?,
        };
        return Some((Address::Ip(ip.into()), Some(port)));
    }
    if text.bytes().all(|b| b.is_ascii_digit()) {
        return Some((Address::AnyV4, Some(port_of(text)?)));
    }
    let (host, port) = match text.rsplit_once(':') {
        Some((host, port)) => (host, port_of(port)?),
        None => (text, DEFAULT_PORT),
    };
    let address = if host == "*" {
        Address::AnyV4
    } else if let Ok(ip) = host.parse::<Ipv4Addr>() {
        if ip.is_unspecified() {
            Address::AnyV4
        } else {
            Address::Ip(ip.into())
        }
    } else if !host.is_empty()
        && host
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'.' || b == b'_')
    {
        Address::Host(host.to_ascii_lowercase())
    } else {
        return None;
    };
    Some((address, Some(port)))
}

#[cfg(test)]
mod tests {
    use std::path::Path;

    use super::*;
    use crate::nginx::build;
    use crate::source::MemoryLoader;
    use crate::syntax::nginx_tree;

    fn parsed(text: &str) -> Vec<Option<Listen>> {
        let tree = nginx_tree(text);
        let config = build(
            Path::new("/srv/site.conf"),
            text,
            &tree,
            &MemoryLoader::default(),
        );
        config
            .walk()
            .filter(|&id| config.get(id).is("listen"))
            .map(|id| Listen::parse(config.get(id)))
            .collect()
    }

    fn socket(text: &str) -> String {
        let listen = parsed(&format!("server {{ {text}; }}"));
        match listen.first() {
            Some(Some(l)) => l.socket.to_string(),
            _ => "-".to_owned(),
        }
    }

    #[test]
    fn addresses_and_ports() {
        assert_eq!(socket("listen 80"), "80");
        assert_eq!(socket("listen *:8080"), "8080");
        assert_eq!(socket("listen 0.0.0.0:80"), "80");
        assert_eq!(socket("listen *"), "80");
        assert_eq!(socket("listen 127.0.0.1"), "127.0.0.1:80");
        assert_eq!(socket("listen 127.0.0.1:8000"), "127.0.0.1:8000");
        assert_eq!(socket("listen [::]:443 ssl"), "[::]:443");
        assert_eq!(socket("listen [::0]:443"), "[::]:443");
        assert_eq!(socket("listen [::1]"), "[::1]:80");
        assert_eq!(socket("listen [2001:DB8::1]:80"), "[2001:db8::1]:80");
        assert_eq!(socket("listen Example.COM:81"), "example.com:81");
        assert_eq!(
            socket("listen unix:/run/nginx.sock"),
            "unix:/run/nginx.sock"
        );
        assert_eq!(socket("listen 443 quic reuseport"), "443 quic");
        // not a socket nginx accepts
        assert_eq!(socket("listen 99999"), "-");
        assert_eq!(socket("listen [::1"), "-");
        assert_eq!(socket("listen a:b"), "-");
        assert_eq!(socket("listen unix:"), "-");
        assert_eq!(socket("listen 0"), "-");
    }

    #[test]
    fn flags() {
        let l = parsed(
            "server { listen [::]:443 ssl http2 default_server reuseport; listen 443 QUIC; listen 80 default proxy_protocol; }",
        );
        let [Some(a), Some(b), Some(c)] = l.as_slice() else {
            panic!("{l:?}")
        };
        assert!(a.ssl && a.http2 && a.default_server && a.reuseport && !a.quic && a.tls());
        assert_eq!(a.socket.transport, Transport::Tcp);
        assert!(b.quic && b.tls() && !b.ssl && b.socket.transport == Transport::Udp);
        assert!(c.default_server && c.proxy_protocol && !c.tls());
    }

    #[test]
    fn a_server_without_listen_is_on_port_80() {
        let text = "server { server_name a; } server { listen 8000; listen bad:x; }";
        let tree = nginx_tree(text);
        let config = build(
            Path::new("/srv/site.conf"),
            text,
            &tree,
            &MemoryLoader::default(),
        );
        let servers: Vec<DirId> = config.servers().collect();
        let ports = |s| -> Vec<String> {
            sockets(&config, s)
                .iter()
                .map(|l| l.socket.to_string())
                .collect()
        };
        assert_eq!(ports(servers[0]), ["80"]);
        assert_eq!(ports(servers[1]), ["8000"]);
        assert_eq!(listens(&config, servers[1]).len(), 1);
        let listen = config.get(listens(&config, servers[1])[0].0);
        assert_eq!(flag_arg(listen, &["default_server"]), None);
    }
}
