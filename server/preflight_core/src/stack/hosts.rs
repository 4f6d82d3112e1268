//! Host names as Django's `ALLOWED_HOSTS` and nginx's `server_name` match them.
//!
//! Django (`django.http.request.validate_host`): the Host is lower-cased and its port dropped;
//! `"*"` matches anything, `.example.com` matches `example.com` and every subdomain, any
//! other entry matches exactly (case-insensitively; an entry with a port never matches).
//! nginx: exact names, `*.example.com` (subdomains only), `.example.com` (the domain and its
//! subdomains), `www.example.*`, `~regex`; `_` and `""` name no host.

use crate::nginx::location::compile;

/// One `server_name` as nginx matches it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum NginxName {
    Exact(String),
    /// `*.example.com`: every subdomain of the domain, not the domain itself.
    Subdomains(String),
    /// `.example.com`: the domain and every subdomain.
    DomainAndSubdomains(String),
    /// `www.example.*`: the prefix with any ending.
    Prefix(String),
    Regex(String),
    /// `_`, `""`, `localhost`-like placeholders: no host in particular.
    Placeholder,
    /// A name with a variable (`$hostname`): known only at run time.
    Unknown,
}

impl NginxName {
    pub fn parse(name: &str) -> NginxName {
        let name = name.to_ascii_lowercase();
        if name.is_empty() || name == "_" || name == "*" {
            return NginxName::Placeholder;
        }
        if let Some(regex) = name.strip_prefix('~') {
            return NginxName::Regex(regex.to_owned());
        }
        if name.contains('$') {
            return NginxName::Unknown;
        }
        if let Some(domain) = name.strip_prefix("*.") {
            return NginxName::Subdomains(domain.to_owned());
        }
        if let Some(domain) = name.strip_prefix('.') {
            return NginxName::DomainAndSubdomains(domain.to_owned());
        }
        if let Some(prefix) = name.strip_suffix(".*") {
            return NginxName::Prefix(prefix.to_owned());
        }
        NginxName::Exact(name)
    }

    /// Whether nginx picks this name for `host` (lower-case, no port). `None`: a regex that
    /// does not compile here.
    pub fn matches(&self, host: &str) -> Option<bool> {
        Some(match self {
            NginxName::Exact(n) => n == host,
            NginxName::Subdomains(d) => is_subdomain(host, d),
            NginxName::DomainAndSubdomains(d) => host == d || is_subdomain(host, d),
            NginxName::Prefix(p) => host
                .strip_prefix(p.as_str())
                .is_some_and(|rest| rest.starts_with('.') && rest.len() > 1),
            NginxName::Regex(r) => compile(r, true)?.is_match(host).ok()?,
            NginxName::Placeholder => false,
            NginxName::Unknown => return None,
        })
    }

    /// The ALLOWED_HOSTS entry that accepts what this name accepts (`*.x` becomes `.x`,
    /// which also accepts `x`). `None` for names Django cannot express.
    pub fn as_django(&self) -> Option<String> {
        match self {
            NginxName::Exact(n) => Some(n.clone()),
            NginxName::Subdomains(d) | NginxName::DomainAndSubdomains(d) => Some(format!(".{d}")),
            _ => None,
        }
    }
}

fn is_subdomain(host: &str, domain: &str) -> bool {
    host.len() > domain.len() + 1
        && host.ends_with(domain)
        && host.as_bytes()[host.len() - domain.len() - 1] == b'.'
}

/// Whether one ALLOWED_HOSTS entry accepts `host` (lower-case, no port), as Django decides.
pub fn django_entry_matches(entry: &str, host: &str) -> bool {
    let entry = entry.to_ascii_lowercase();
    if entry == "*" {
        return true;
    }
    match entry.strip_prefix('.') {
        Some(domain) => host == domain || is_subdomain(host, domain),
        None => entry == host,
    }
}

/// Whether ALLOWED_HOSTS accepts `host`.
pub fn django_accepts(allowed: &[String], host: &str) -> bool {
    allowed.iter().any(|e| django_entry_matches(e, host))
}

/// Whether ALLOWED_HOSTS accepts some name at or below `domain` (for nginx wildcards: a
/// Django that lists `www.example.com` serves part of `*.example.com` on purpose).
pub fn django_covers_some_of(allowed: &[String], domain: &str) -> bool {
    allowed.iter().any(|e| {
        let e = e.to_ascii_lowercase();
        let e = e.trim_start_matches('.');
        e == "*" || e == domain || is_subdomain(e, domain) || is_subdomain(domain, e)
    })
}

/// Whether nginx's names accept `host`; unknown (a regex that does not compile) counts as yes.
pub fn nginx_accepts(names: &[NginxName], host: &str) -> bool {
    names.iter().any(|n| n.matches(host).unwrap_or(true))
}

/// Hosts that are not public names: health checks and local tools reach gunicorn directly
/// with them, so they need not be in `server_name`.
pub fn is_internal(entry: &str) -> bool {
    let e = entry.trim_start_matches('.').to_ascii_lowercase();
    e == "localhost"
        || e.ends_with(".localhost")
        || e.starts_with('[')
        || e.parse::<std::net::IpAddr>().is_ok()
        || !e.contains('.')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn django_matching_follows_validate_host() {
        let allowed = vec![".example.com".to_owned(), "API.test.org".to_owned()];
        assert!(django_accepts(&allowed, "example.com"));
        assert!(django_accepts(&allowed, "a.b.example.com"));
        assert!(!django_accepts(&allowed, "badexample.com"));
        assert!(django_accepts(&allowed, "api.test.org"));
        assert!(!django_accepts(&allowed, "test.org"));
        assert!(django_accepts(&["*".to_owned()], "anything"));
        assert!(!django_accepts(
            &["example.com:8000".to_owned()],
            "example.com"
        ));
    }

    #[test]
    fn nginx_names_match_like_nginx() {
        let sub = NginxName::parse("*.Example.com");
        assert_eq!(sub.matches("www.example.com"), Some(true));
        assert_eq!(sub.matches("example.com"), Some(false));
        let dot = NginxName::parse(".example.com");
        assert_eq!(dot.matches("example.com"), Some(true));
        assert_eq!(dot.matches("x.example.com"), Some(true));
        assert_eq!(
            NginxName::parse("www.example.*").matches("www.example.org"),
            Some(true)
        );
        assert_eq!(
            NginxName::parse("www.example.*").matches("www.examples"),
            Some(false)
        );
        let re = NginxName::parse("~^(www\\.)?example\\.com$");
        assert_eq!(re.matches("www.example.com"), Some(true));
        assert_eq!(re.matches("evil.com"), Some(false));
        assert_eq!(NginxName::parse("_"), NginxName::Placeholder);
        assert_eq!(NginxName::parse("$hostname").matches("x.org"), None);
        assert_eq!(NginxName::parse("$hostname").as_django(), None);
        assert_eq!(sub.as_django().as_deref(), Some(".example.com"));
    }

    #[test]
    fn internal_hosts() {
        for h in ["localhost", "127.0.0.1", "[::1]", "web", "app.localhost"] {
            assert!(is_internal(h), "{h}");
        }
        assert!(!is_internal("example.com"));
    }
}
