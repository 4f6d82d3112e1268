//! Origin and Referer checks written as regexes (`if ($http_origin !~ ...)`, CORS allowlists
//! in a `map $http_origin`): what they let through.
//!
//! A port of gixy-ng's `origins` plugin: sample the strings the regex matches, then probe each
//! with a host appended (`https://example.com.evil.com`, when there is no `$`) and prepended
//! (`http://evil.com/?https://example.com`, when there is no `^`); a probe whose registrable
//! domain (the last two labels, as gixy without a public suffix list) differs is accepted from
//! an untrusted site. Samples that are not a valid Origin (a path, upper-case letters) are
//! reported apart, at a lower severity, as gixy does.

use std::collections::BTreeSet;

use crate::diagnostic::Diagnostic;
use crate::diagnostic::Severity::{self, Error, Information, Warning};
use crate::nginx::model::{Config, Context, DirId};
use crate::rules::RuleMeta;

use super::regex::{condition, generate, syntax};
use super::{Ctx, Reach};

pub static RULES: [RuleMeta; 1] = [RuleMeta {
    code: "NGX064",
    name: "untrusted-origin-regex",
    severity: Warning,
    summary: "An Origin or Referer regex accepts untrusted sites",
    django: None,
    gixy: Some("origins"),
    docs: "A CORS allowlist or a hotlink/CSRF-style check written as a regex over \
`$http_origin` or `$http_referer` is only as strict as the regex. Without `$`, \
`^https://example\\.com` also accepts `https://example.com.evil.net`; without `^`, \
`https://example\\.com$` accepts `https://evil.net/?https://example.com`; an unescaped dot \
accepts `https://wwwXexample.com`. When such a check sets `Access-Control-Allow-Origin` (with \
`Access-Control-Allow-Credentials`), any site that matches can read a logged-in user's Django \
API responses.\n\n\
Findings for an Origin are errors, for a Referer warnings; a regex that also accepts values no \
browser sends (an Origin with a path, upper-case host names) is reported as information. \
`$http_referrer` (misspelt) is always empty.\n\n\
**Fix:** anchor both ends and escape every dot: `^https://(www\\.|app\\.)?example\\.com$`; \
better, list the allowed origins in a `map $http_origin` with exact (non-regex) keys and \
`default \"\"`.",
}];

pub fn check(ctx: &Ctx<'_>, out: &mut Vec<Diagnostic>) {
    if ctx.runs(Reach::Server) {
        if_conditions(ctx, out);
    }
    if ctx.runs(Reach::Config) {
        cors_maps(ctx, out);
    }
}

const MISSPELT: &str =
    "`$http_referrer` is always empty (the header is spelt `Referer`): use `$http_referer`";

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Header {
    Origin,
    Referer,
}

impl Header {
    fn name(self) -> &'static str {
        match self {
            Header::Origin => "origin",
            Header::Referer => "referer",
        }
    }
}

/// `if ($http_origin ~ ...)`, `if ($http_referer !~* ...)`, and the misspelt `$http_referrer`.
fn if_conditions(ctx: &Ctx<'_>, out: &mut Vec<Diagnostic>) {
    for id in ctx.config.walk() {
        let d = ctx.config.get(id);
        let Some(c) = condition(d) else { continue };
        let Some(variable) = c.variable.as_deref() else {
            continue;
        };
        if variable.eq_ignore_ascii_case("$http_referrer") {
            if let Some(diagnostic) = ctx.report_arg(out, "NGX064", id, 0, MISSPELT) {
                diagnostic.severity = Error;
            }
            continue;
        }
        let header = match variable.to_ascii_lowercase().as_str() {
            "$http_origin" => Header::Origin,
            "$http_referer" => Header::Referer,
            _ => continue,
        };
        let (Some((regex, _)), Some(arg)) = (c.regex(), c.value_arg) else {
            continue;
        };
        report(ctx, out, id, Some(arg), regex, header);
    }
}

/// `map $http_origin $cors { "~^https://..." $http_origin; }` whose variable is sent as
/// `Access-Control-Allow-Origin`, and maps over the misspelt `$http_referrer`.
fn cors_maps(ctx: &Ctx<'_>, out: &mut Vec<Diagnostic>) {
    let config = ctx.config;
    for id in config.walk() {
        let d = config.get(id);
        if d.is("map")
            && d.context != Context::Table
            && d.arg(0)
                .is_some_and(|s| s.eq_ignore_ascii_case("$http_referrer"))
            && let Some(diagnostic) = ctx.report_arg(out, "NGX064", id, 0, MISSPELT)
        {
            diagnostic.severity = Error;
        }
    }
    let allowed = allow_origin_variables(config);
    if allowed.is_empty() {
        return;
    }
    for id in config.walk() {
        let d = config.get(id);
        if !d.is("map") || d.context == Context::Table {
            continue;
        }
        let (Some(source), Some(target)) = (d.arg(0), d.arg(1)) else {
            continue;
        };
        if !source.eq_ignore_ascii_case("$http_origin")
            || !allowed.contains(target.trim_start_matches('$'))
        {
            continue;
        }
        for &entry in d.children() {
            let key = config.get(entry).name();
            let regex = key.strip_prefix("~*").or_else(|| key.strip_prefix('~'));
            if let Some(regex) = regex {
                report(ctx, out, entry, None, regex, Header::Origin);
            }
        }
    }
}

/// The variables (without `$`) that `add_header Access-Control-Allow-Origin $x` sends.
fn allow_origin_variables(config: &Config) -> BTreeSet<String> {
    config
        .walk()
        .filter_map(|id| {
            let d = config.get(id);
            if !d.is("add_header")
                || !d
                    .arg(0)
                    .is_some_and(|h| h.eq_ignore_ascii_case("access-control-allow-origin"))
            {
                return None;
            }
            let value = d.arg(1)?.trim();
            let name = value.strip_prefix('$')?;
            let name = name
                .strip_prefix('{')
                .and_then(|n| n.strip_suffix('}'))
                .unwrap_or(name);
            Some(name.to_owned())
        })
        .collect()
}

fn report(
    ctx: &Ctx<'_>,
    out: &mut Vec<Diagnostic>,
    id: DirId,
    arg: Option<usize>,
    regex: &str,
    header: Header,
) {
    let Some(verdict) = analyze(regex, header) else {
        return;
    };
    let mut emit = |severity: Severity, message: String| {
        let diagnostic = match arg {
            Some(arg) => ctx.report_arg(out, "NGX064", id, arg, message),
            None => ctx.report(out, "NGX064", id, message),
        };
        if let Some(diagnostic) = diagnostic {
            diagnostic.severity = severity;
        }
    };
    if !verdict.insecure.is_empty() {
        let severity = match header {
            Header::Origin => Error,
            Header::Referer => Warning,
        };
        let advice = match header {
            Header::Origin => {
                "anchor it at both ends and escape the dots (`^https://(www\\.)?example\\.com$`)"
            }
            Header::Referer => {
                "anchor it at the start, escape the dots and end the host with `/` \
                 (`^https://(www\\.)?example\\.com/`)"
            }
        };
        emit(
            severity,
            format!(
                "`{regex}` accepts {} as a trusted {}: {advice}",
                listing(&verdict.insecure),
                header.name()
            ),
        );
    }
    if !verdict.invalid.is_empty() {
        let shape = match header {
            Header::Origin => "an Origin is `scheme://host[:port]`, lower-case, without a path",
            Header::Referer => "a Referer is an absolute URL with a lower-case scheme and host",
        };
        emit(
            Information,
            format!(
                "`{regex}` also accepts {}, which no browser sends as a {} ({shape}): tighten \
                 the regex",
                listing(&verdict.invalid),
                header.name()
            ),
        );
    }
}

/// Up to three examples, quoted.
fn listing(values: &BTreeSet<String>) -> String {
    let mut shown: Vec<String> = values.iter().take(3).map(|v| format!("`{v}`")).collect();
    if values.len() > 3 {
        shown.push(format!("and {} more", values.len() - 3));
    }
    shown.join(", ")
}

/// What a regex lets through.
#[derive(Debug, Default, PartialEq, Eq)]
struct Verdict {
    /// Values from another site it accepts.
    insecure: BTreeSet<String>,
    /// Values no browser sends that it accepts.
    invalid: BTreeSet<String>,
}

/// The placeholder gixy puts wherever the regex allows any character.
const WILD: char = '`';

/// gixy-ng's `_analyze_and_report` (default options: any domain, http allowed, host names
/// must be lower-case). `None` when the regex is not analysed.
fn analyze(regex: &str, header: Header) -> Option<Verdict> {
    let parsed = syntax::parse(regex).ok()?;
    let mut verdict = Verdict::default();
    for sample in generate::samples(&parsed.nodes, WILD) {
        let candidate: String = sample
            .chars()
            .map(|c| {
                if c.is_ascii_alphanumeric() || "-._~:/?#[]@!$&'()*+,;=`^%\"".contains(c) {
                    c
                } else {
                    WILD
                }
            })
            .collect();
        probe(&candidate, header, &mut verdict);
    }
    for url in std::mem::take(&mut verdict.insecure) {
        // what does not even parse as a URL is invalid rather than insecure
        match url_parse(&url) {
            Ok(parsed) if parsed.scheme.is_empty() || parsed.hostname().is_none() => {
                verdict.invalid.insert(url);
            }
            Ok(parsed) if header == Header::Origin && parsed.has_path() => {
                verdict.invalid.insert(url);
            }
            _ => {
                verdict.insecure.insert(url);
            }
        }
    }
    let fill = |set: BTreeSet<String>| set.into_iter().map(|s| s.replace(WILD, "a")).collect();
    Some(Verdict {
        insecure: fill(verdict.insecure),
        invalid: fill(verdict.invalid),
    })
}

/// One sample: the sample itself, with a host appended and prepended.
fn probe(candidate: &str, header: Header, verdict: &mut Verdict) {
    let base_raw = candidate
        .trim_start_matches('^')
        .trim_end_matches('$')
        .to_owned();
    let Some(base) = parse_url(&base_raw, verdict) else {
        return;
    };
    let base_host = base.hostname().unwrap_or_default();

    let unanchored_start = candidate.trim_start_matches('^');
    let suffix_raw = match unanchored_start.strip_suffix('$') {
        Some(_) => unanchored_start.trim_end_matches('$').to_owned(),
        None => format!("{unanchored_start}.evil.com"),
    };
    let Some(suffix) = parse_url(&suffix_raw, verdict) else {
        return;
    };
    let suffix_host = suffix.hostname().unwrap_or_default();
    if !same_site(&base_host, &suffix_host) {
        verdict.insecure.insert(suffix_raw);
        return;
    }

    let unanchored_end = candidate.trim_end_matches('$');
    let prefix_raw = match unanchored_end.strip_prefix('^') {
        Some(_) => unanchored_end.trim_start_matches('^').to_owned(),
        None => match header {
            Header::Referer => format!("http://evil.com/?{unanchored_end}"),
            Header::Origin => format!("http://evil.com{unanchored_end}"),
        },
    };
    let Some(prefix) = parse_url(&prefix_raw, verdict) else {
        return;
    };
    let prefix_host = prefix.hostname().unwrap_or_default();
    if !same_site(&base_host, &prefix_host) {
        verdict.insecure.insert(prefix_raw);
        return;
    }

    // with the wildcards filled in differently, the sites must still agree
    let base_filled = base_host.replace(WILD, "a");
    let probes = [
        (&base_filled, &base_raw, &base, 'a'),
        (&suffix_host.replace(WILD, "b"), &suffix_raw, &suffix, 'b'),
        (&prefix_host.replace(WILD, "c"), &prefix_raw, &prefix, 'c'),
    ];
    for (host, raw, _, fill) in &probes {
        if !same_site(&base_filled, host) {
            verdict
                .insecure
                .insert(raw.replace(WILD, &fill.to_string()));
            return;
        }
    }
    for (_, raw, parsed, fill) in &probes {
        let netloc = parsed.netloc.replace(WILD, &fill.to_string());
        let lower = !netloc.is_empty()
            && netloc
                .chars()
                .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || ".:[]-".contains(c));
        if !lower {
            verdict.invalid.insert(raw.replace(WILD, &fill.to_string()));
            return;
        }
    }
    if header == Header::Origin {
        for (_, raw, parsed, fill) in &probes {
            if parsed.has_path() {
                verdict.invalid.insert(raw.replace(WILD, &fill.to_string()));
                return;
            }
        }
    }
}

/// gixy's `parse_url`: a URL with a scheme and a host, else `None` after noting why.
fn parse_url(url: &str, verdict: &mut Verdict) -> Option<Url> {
    let parsed = match url_parse(url) {
        Ok(parsed) => parsed,
        Err(()) => {
            verdict.invalid.insert(url.to_owned());
            return None;
        }
    };
    if parsed.hostname().is_none() || parsed.scheme.is_empty() {
        // not a URL: note a fixed-up form (e.g. a bare `example.com$`) as accepted
        let mut fixed = url.to_owned();
        if fixed.starts_with('/') {
            fixed = format!("abc.com{fixed}");
        }
        if !fixed.contains("://") {
            fixed = format!("https://def.com{fixed}");
        }
        if !url.is_empty() {
            verdict.insecure.insert(fixed);
        }
        return None;
    }
    if parsed.scheme != "http" && parsed.scheme != "https" {
        verdict.insecure.insert(url.to_owned());
        return None;
    }
    Some(parsed)
}

/// The same registrable domain, approximated by the last two labels (gixy without a public
/// suffix list).
fn same_site(a: &str, b: &str) -> bool {
    if a.is_empty() || b.is_empty() {
        return false;
    }
    if a == b {
        return true;
    }
    let last_two = |host: &str| {
        let parts: Vec<&str> = host.trim_matches('.').split('.').collect();
        (parts.len() >= 2).then(|| parts[parts.len() - 2..].join("."))
    };
    last_two(a).is_some_and(|x| Some(x) == last_two(b))
}

/// The parts of a URL, as Python's `urllib.parse.urlparse` splits it.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Url {
    scheme: String,
    netloc: String,
    path: String,
    params: String,
    query: String,
    fragment: String,
}

impl Url {
    fn hostname(&self) -> Option<String> {
        let hostinfo = self
            .netloc
            .rsplit_once('@')
            .map_or(&*self.netloc, |(_, h)| h);
        let host = match hostinfo.split_once('[') {
            Some((_, bracketed)) => bracketed.split_once(']').map_or(bracketed, |(h, _)| h),
            None => hostinfo.split_once(':').map_or(hostinfo, |(h, _)| h),
        };
        if host.is_empty() {
            return None;
        }
        // an IPv6 zone keeps its case
        Some(match host.split_once('%') {
            Some((h, zone)) => format!("{}%{zone}", h.to_lowercase()),
            None => host.to_lowercase(),
        })
    }

    fn has_path(&self) -> bool {
        !(self.path.is_empty()
            && self.params.is_empty()
            && self.query.is_empty()
            && self.fragment.is_empty())
    }
}

/// Python 3.13's `urlparse` (`Err` where it raises `ValueError`).
fn url_parse(url: &str) -> Result<Url, ()> {
    let url: String = url
        .trim_start_matches(|c: char| c <= ' ')
        .chars()
        .filter(|c| !matches!(c, '\t' | '\r' | '\n'))
        .collect();
    let mut rest = url.as_str();
    let mut scheme = String::new();
    if let Some(i) = rest.find(':') {
        let candidate = &rest[..i];
        if i > 0
            && candidate.starts_with(|c: char| c.is_ascii_alphabetic())
            && candidate
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || "+-.".contains(c))
        {
            scheme = candidate.to_ascii_lowercase();
            rest = &rest[i + 1..];
        }
    }
    let mut netloc = String::new();
    if let Some(after) = rest.strip_prefix("//") {
        let end = after.find(['/', '?', '#']).unwrap_or(after.len());
        netloc = after[..end].to_owned();
        rest = &after[end..];
        if netloc.contains('[') != netloc.contains(']') {
            return Err(());
        }
        if netloc.contains('[') {
            let bracketed = netloc
                .split_once('[')
                .map(|(_, b)| b.split_once(']').map_or(b, |(h, _)| h))
                .unwrap_or_default();
            check_bracketed_host(bracketed)?;
        }
    }
    let (rest, fragment) = rest.split_once('#').unwrap_or((rest, ""));
    let (mut path, query) = rest.split_once('?').unwrap_or((rest, ""));
    let mut params = "";
    const USES_PARAMS: &[&str] = &[
        "", "ftp", "hdl", "prospero", "http", "imap", "https", "shttp", "rtsp", "rtsps", "rtspu",
        "sip", "sips", "mms", "sftp", "tel",
    ];
    if USES_PARAMS.contains(&scheme.as_str()) && path.contains(';') {
        let split = match path.rfind('/') {
            Some(slash) => path[slash..].find(';').map(|i| slash + i),
            None => path.find(';'),
        };
        if let Some(i) = split {
            params = &path[i + 1..];
            path = &path[..i];
        }
    }
    Ok(Url {
        scheme,
        netloc,
        path: path.to_owned(),
        params: params.to_owned(),
        query: query.to_owned(),
        fragment: fragment.to_owned(),
    })
}

/// Python's `_check_bracketed_host`: an IPv6 address or an IPvFuture one.
fn check_bracketed_host(host: &str) -> Result<(), ()> {
    if let Some(rest) = host.strip_prefix('v') {
        let (version, tail) = rest.split_once('.').ok_or(())?;
        let ok = !version.is_empty()
            && version.chars().all(|c| c.is_ascii_hexdigit())
            && !tail.is_empty();
        return if ok { Ok(()) } else { Err(()) };
    }
    let address = host.split_once('%').map_or(host, |(a, _)| a);
    address
        .parse::<std::net::Ipv6Addr>()
        .map(|_| ())
        .map_err(|_| ())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::nginx::testing::*;

    fn verdict(regex: &str, header: Header) -> (Vec<String>, Vec<String>) {
        let v = analyze(regex, header).unwrap();
        (
            v.insecure.into_iter().collect(),
            v.invalid.into_iter().collect(),
        )
    }

    #[test]
    fn what_gixy_finds() {
        // no end anchor
        assert_eq!(
            verdict(r"^https://(www\.)?example\.com", Header::Origin).0,
            [
                "https://example.com.evil.com",
                "https://www.example.com.evil.com"
            ]
        );
        // unescaped dot: `www.example.com` host allows `wwwaexample.com`
        let (insecure, _) = verdict(r"^https://www.example.com/", Header::Referer);
        assert_eq!(insecure, ["https://wwwbexamplebcom/.evil.com"]);
        // no start anchor: `http://evil.com` + the origin (a path, so invalid for an Origin)
        assert_eq!(
            verdict(r"https://example\.com$", Header::Origin),
            (
                vec![],
                vec!["http://evil.comhttps://example.com".to_owned()]
            )
        );
        assert_eq!(
            verdict(r"https://example\.com/", Header::Referer).0,
            ["http://evil.com/?https://example.com/"]
        );
        // an origin with a path is invalid
        let (insecure, invalid) = verdict(r"^https://example\.com/$", Header::Origin);
        assert!(insecure.is_empty());
        assert_eq!(invalid, ["https://example.com/"]);
        // fine
        assert_eq!(
            verdict(r"^https://(www\.|app\.)?example\.com$", Header::Origin),
            (vec![], vec![])
        );
        assert_eq!(
            verdict(r"^https://([a-z0-9-]+\.)?example\.com$", Header::Origin),
            (vec![], vec![])
        );
    }

    #[test]
    fn python_url_splitting() {
        let u = url_parse("HTTPS://User@Example.com:443/p;x?q#f").unwrap();
        assert_eq!(u.scheme, "https");
        assert_eq!(u.hostname().as_deref(), Some("example.com"));
        assert_eq!((u.path.as_str(), u.params.as_str()), ("/p", "x"));
        assert_eq!((u.query.as_str(), u.fragment.as_str()), ("q", "f"));
        assert!(url_parse("http://[::1]:80/").is_ok());
        assert!(url_parse("http://[::1/").is_err());
        assert!(url_parse("http://[1.2.3.4]/").is_err());
        assert_eq!(url_parse("example.com").unwrap().scheme, "");
        assert_eq!(url_parse("a.b:c").unwrap().scheme, "a.b");
    }

    #[test]
    fn if_conditions_and_maps_are_reported() {
        let text = r#"map $http_origin $cors_origin {
    default "";
    "~^https://app\.example\.com" $http_origin;
    "~^https://ok\.example\.com$" $http_origin;
}
map $http_origin $unused {
    "~^https://x\.example\.com" 1;
}
server {
    if ($http_origin ~* "^https://(www\.)?example\.com") {
        set $cors $http_origin;
    }
    if ($http_referer !~ "^https://www.example.com/") {
        return 403;
    }
    if ($http_referrer ~ "^https://www\.example\.com/") {
        return 403;
    }
    if ($http_origin ~ "^https://(www\.|app\.)?example\.com$") {
        set $cors $http_origin;
    }
    location /api/ {
        add_header Access-Control-Allow-Origin $cors_origin always;
    }
}
map $http_referrer $own {
    default 0;
}
"#;
        let d = check_site(text);
        assert_eq!(
            findings(&d, "NGX064", text),
            [
                (3, r#""~^https://app\.example\.com" $http_origin;"#),
                (10, r#""^https://(www\.)?example\.com""#),
                (13, r#""^https://www.example.com/""#),
                (16, "($http_referrer"),
                (26, "$http_referrer"),
            ]
        );
        let severities: Vec<Severity> = d
            .iter()
            .filter(|d| d.code == "NGX064")
            .map(|d| d.severity)
            .collect();
        assert_eq!(severities, [Error, Error, Warning, Error, Error]);
        assert!(d.iter().any(|d| d.message.contains("example.com.evil.com")));
    }

    /// gixy-ng 0.2.59's `origins` on these regexes: (regex, insecure and invalid as an
    /// Origin, insecure and invalid as a Referer).
    #[test]
    fn agrees_with_gixy() {
        type Row<'a> = (
            &'a str,
            &'a [&'a str],
            &'a [&'a str],
            &'a [&'a str],
            &'a [&'a str],
        );
        let table: &[Row<'_>] = &[
            (
                r#"^https://(www\.)?example\.com"#,
                &[
                    "https://example.com.evil.com",
                    "https://www.example.com.evil.com",
                ],
                &[],
                &[
                    "https://example.com.evil.com",
                    "https://www.example.com.evil.com",
                ],
                &[],
            ),
            (
                r#"^https://www.example.com/"#,
                &[],
                &["https://wwwbexamplebcom/.evil.com"],
                &["https://wwwbexamplebcom/.evil.com"],
                &[],
            ),
            (
                r#"https://example\.com$"#,
                &[],
                &["http://evil.comhttps://example.com"],
                &["http://evil.com/?https://example.com"],
                &[],
            ),
            (
                r#"^https://example\.com/$"#,
                &[],
                &["https://example.com/"],
                &[],
                &[],
            ),
            (
                r#"^https://([a-z0-9-]+\.)?example\.com$"#,
                &[],
                &[],
                &[],
                &[],
            ),
            (
                r#"^https://(www\.|app\.)?example\.com$"#,
                &[],
                &[],
                &[],
                &[],
            ),
            (
                r#"^https?://([^/]+\.)?yandex\.ru"#,
                &[
                    "http://aaaaa.yandex.ru.evil.com",
                    "http://yandex.ru.evil.com",
                    "https://aaaaa.yandex.ru.evil.com",
                    "https://yandex.ru.evil.com",
                ],
                &[],
                &[
                    "http://aaaaa.yandex.ru.evil.com",
                    "http://yandex.ru.evil.com",
                    "https://aaaaa.yandex.ru.evil.com",
                    "https://yandex.ru.evil.com",
                ],
                &[],
            ),
            (
                r#"^https://([^/])+metrika.*yandex\.ru/"#,
                &[],
                &[
                    "https://bbbbbmetrikabbbbbyandex.ru/.evil.com",
                    "https://bbbbbmetrikayandex.ru/.evil.com",
                ],
                &[
                    "https://bbbbbmetrikabbbbbyandex.ru/.evil.com",
                    "https://bbbbbmetrikayandex.ru/.evil.com",
                ],
                &[],
            ),
            (
                r#"^https://yandex\.ru/$"#,
                &[],
                &["https://yandex.ru/"],
                &[],
                &[],
            ),
            (
                r#"^https://sub.yandex.ru$"#,
                &["https://subbyandexbru"],
                &[],
                &["https://subbyandexbru"],
                &[],
            ),
            (r#"^https?://sub\.yandex\.ru$"#, &[], &[], &[], &[]),
            (r#"^https://yahoo\.com$"#, &[], &[], &[], &[]),
            (
                r#"^(https?://)?(www\.)?example\.com$"#,
                &[
                    "https://def.comexample.com",
                    "https://def.comwww.example.com",
                ],
                &[],
                &[
                    "https://def.comexample.com",
                    "https://def.comwww.example.com",
                ],
                &[],
            ),
            (r#"^https://.*\.example\.com$"#, &[], &[], &[], &[]),
            (
                r#"^https://[a-z]+\.example\.com(:\d+)?$"#,
                &[],
                &[],
                &[],
                &[],
            ),
            (r#"^http://localhost:\d+$"#, &[], &[], &[], &[]),
            (
                r#"https?://(.+\.)?example\.com"#,
                &[
                    "http://aaaaa.example.com.evil.com",
                    "http://example.com.evil.com",
                    "https://aaaaa.example.com.evil.com",
                    "https://example.com.evil.com",
                ],
                &[],
                &[
                    "http://aaaaa.example.com.evil.com",
                    "http://example.com.evil.com",
                    "https://aaaaa.example.com.evil.com",
                    "https://example.com.evil.com",
                ],
                &[],
            ),
            (r#"^https://(?:www\.)?example\.com$"#, &[], &[], &[], &[]),
            (r#"^https://\w+\.example\.com$"#, &[], &[], &[], &[]),
            (r#"^https://[\w.-]+\.example\.com$"#, &[], &[], &[], &[]),
        ];
        for &(regex, origin_insecure, origin_invalid, referer_insecure, referer_invalid) in table {
            let owned = |v: &[&str]| v.iter().map(|s| s.to_string()).collect::<Vec<_>>();
            assert_eq!(
                verdict(regex, Header::Origin),
                (owned(origin_insecure), owned(origin_invalid)),
                "{regex}"
            );
            assert_eq!(
                verdict(regex, Header::Referer),
                (owned(referer_insecure), owned(referer_invalid)),
                "{regex} (referer)"
            );
        }
    }
}
