//! The regexes of a config: catastrophic backtracking, captures that do not exist, regex
//! locations that are a literal, extension regexes without `$`.

pub(super) mod facts;
pub(super) mod generate;
pub(super) mod redos;
pub(super) mod syntax;

use crate::diagnostic::Severity::{Error, Information, Warning};
use crate::diagnostic::{Diagnostic, Edit, Fix};
use crate::nginx::location::{Modifier, Route, pattern};
use crate::nginx::model::{Config, Context, DirId, Directive};
use crate::rules::RuleMeta;
use crate::text::TextRange;

use super::{Ctx, Reach};
use redos::Kind;
use syntax::{Anchor, Node};

pub static RULES: [RuleMeta; 4] = [
    RuleMeta {
        code: "NGX047",
        name: "regex-redos",
        severity: Error,
        summary: "A regex can backtrack catastrophically on crafted input (ReDoS)",
        django: None,
        gixy: Some("regex_redos"),
        docs: "nginx matches location, `if`, `rewrite`, `server_name`, `map`, `valid_referers` \
and `fastcgi_split_path_info` regexes against request data with PCRE, a backtracking engine. \
A quantifier inside a quantified group (`([\\w-]+)+`), alternatives that can match the same \
text inside a repetition (`(a|ab)+`), or two adjacent greedy repetitions of broad classes \
(`.*.*`) let one request with a long crafted URL or header keep a worker busy for seconds or \
longer, so a handful of requests take the whole site, Django behind it included, offline.\n\n\
The analysis is gixy-ng's (nested quantifiers whose boundary is not provably disjoint, \
overlapping alternatives, adjacent broad quantifiers); possessive quantifiers (`a++`) and \
atomic groups (`(?>...)`) never backtrack and are not reported.\n\n\
**Fix:** write the regex so each character can be matched in one way only: `[\\w-]+` instead \
of `([\\w-]+)+`, one `.*` instead of `.*.*`, alternatives that start differently.",
    },
    RuleMeta {
        code: "NGX054",
        name: "invalid-regex-capture",
        severity: Warning,
        summary: "`$N` refers to a capture group the regex does not have",
        django: None,
        gixy: Some("invalid_regex"),
        docs: "`$1`..`$9` are the groups of the last regex nginx matched: a `rewrite`'s own \
pattern, the condition of the enclosing `if`, or the regex location. A number beyond the \
groups the regex has is always empty, so `rewrite ^/blog/\\d+/ /articles/$1 permanent;` \
sends every old URL to `/articles/`, and `alias /srv/media/$2;` serves the wrong file.\n\n\
**Fix:** put parentheses around the part to capture (`^/blog/(\\d+)/`), or use the number \
of a group that exists. `(?:...)` does not capture.",
    },
    RuleMeta {
        code: "NGX059",
        name: "regex-exact-match",
        severity: Information,
        summary: "A regex location matches one literal path: use `location =`",
        django: None,
        gixy: Some("regex_exact_match"),
        docs: "`location ~ ^/healthz$` only ever matches `/healthz`. nginx tries regex locations \
one by one, in order, after the prefix search, for every request that reaches them; an exact \
location (`location = /healthz`) is found first, by a lookup, and ends the search.\n\n\
**Fix:** `location = /healthz` (the quick-fix, offered when nginx picks this location for \
that path today, so the change keeps which location serves it).",
    },
    RuleMeta {
        code: "NGX062",
        name: "unanchored-regex",
        severity: Information,
        summary: "An extension regex location has no `$` anchor",
        django: None,
        gixy: Some("unanchored_regex"),
        docs: "`location ~ \\.php` matches `.php` anywhere in the path: `/uploads/x.php.png`, \
`/a.phpx`, `/x.php/anything`, and every regex location after it is never tried for those \
URLs. With user uploads under MEDIA_ROOT, an unanchored script location can hand an uploaded \
file to an interpreter; an unanchored `deny` location blocks more than it says.\n\n\
**Fix:** anchor the extension at the end of the path, `location ~ \\.php$`, or, for a \
directory such as `/\\.git`, `location ~ /\\.git(/|$)`.",
    },
];

pub fn check(ctx: &Ctx<'_>, out: &mut Vec<Diagnostic>) {
    if ctx.runs(Reach::Server) {
        redos(ctx, out);
        invalid_captures(ctx, out);
        exact_matches(ctx, out);
        unanchored(ctx, out);
    }
}

/// An `if` condition as nginx reads it (`ngx_http_rewrite_if_condition`): the parentheses
/// are glued to the first and last argument.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Condition {
    /// `$http_origin` in `($http_origin ~ ...)`; `None` for `(-f $x)`.
    pub variable: Option<String>,
    /// `~`, `!~*`, `=`, `-f`...
    pub operator: Option<String>,
    pub value: Option<String>,
    /// The index of the argument holding the value.
    pub value_arg: Option<usize>,
}

impl Condition {
    /// The regex of a `~`, `~*`, `!~`, `!~*` condition, and whether it ignores case.
    pub fn regex(&self) -> Option<(&str, bool)> {
        let op = self.operator.as_deref()?;
        matches!(op, "~" | "~*" | "!~" | "!~*")
            .then(|| Some((self.value.as_deref()?, op.ends_with('*'))))
            .flatten()
    }
}

pub fn condition(d: &Directive) -> Option<Condition> {
    if !d.is("if") {
        return None;
    }
    let mut parts: Vec<(String, usize)> = d
        .args
        .iter()
        .enumerate()
        .map(|(i, a)| (a.value.clone(), i))
        .collect();
    let first = parts.first_mut()?;
    first.0 = first.0.strip_prefix('(')?.to_owned();
    if first.0.is_empty() {
        parts.remove(0);
    }
    let last = parts.last_mut()?;
    last.0 = last.0.strip_suffix(')')?.to_owned();
    if last.0.is_empty() {
        parts.pop();
    }
    let mut parts = parts.into_iter();
    Some(match parts.len() {
        1 => Condition {
            variable: parts.next().map(|p| p.0),
            operator: None,
            value: None,
            value_arg: None,
        },
        2 => {
            let op = parts.next();
            let value = parts.next();
            Condition {
                variable: None,
                operator: op.map(|p| p.0),
                value_arg: value.as_ref().map(|p| p.1),
                value: value.map(|p| p.0),
            }
        }
        3 => {
            let variable = parts.next();
            let op = parts.next();
            let value = parts.next();
            Condition {
                variable: variable.map(|p| p.0),
                operator: op.map(|p| p.0),
                value_arg: value.as_ref().map(|p| p.1),
                value: value.map(|p| p.0),
            }
        }
        _ => return None,
    })
}

/// A regex written in the config.
struct RegexUse {
    directive: DirId,
    /// The argument holding it (`None`: the directive's name, a `map` key).
    arg: Option<usize>,
    pattern: String,
    case_insensitive: bool,
}

/// Every regex nginx matches against request data.
fn regex_uses(config: &Config) -> Vec<RegexUse> {
    let mut out = Vec::new();
    for id in config.walk() {
        let d = config.get(id);
        let mut push = |arg: Option<usize>, pattern: &str, case_insensitive: bool| {
            out.push(RegexUse {
                directive: id,
                arg,
                pattern: pattern.to_owned(),
                case_insensitive,
            })
        };
        if d.context == Context::Table {
            let in_map = d.parent.is_some_and(|p| config.get(p).is("map"));
            if in_map {
                if let Some(p) = d.name().strip_prefix("~*") {
                    push(None, p, true);
                } else if let Some(p) = d.name().strip_prefix('~') {
                    push(None, p, false);
                }
            }
            continue;
        }
        match d.name() {
            "location" => {
                if let Some(p) = pattern(d)
                    && let Modifier::Regex { case_insensitive } = p.modifier
                {
                    push(Some(p.arg), &p.uri, case_insensitive);
                }
            }
            "if" => {
                if let Some(c) = condition(d)
                    && let (Some((regex, ci)), Some(arg)) = (c.regex(), c.value_arg)
                {
                    push(Some(arg), regex, ci);
                }
            }
            "rewrite" | "fastcgi_split_path_info" => {
                if let Some(p) = d.arg(0) {
                    push(Some(0), p, false);
                }
            }
            // nginx compiles these caselessly
            "server_name" | "valid_referers" => {
                for (i, a) in d.args.iter().enumerate() {
                    if let Some(p) = a.value.strip_prefix('~') {
                        push(Some(i), p.strip_prefix('*').unwrap_or(p), true);
                    }
                }
            }
            _ => {}
        }
    }
    out
}

fn report_use<'o>(
    ctx: &Ctx<'_>,
    out: &'o mut Vec<Diagnostic>,
    code: &'static str,
    at: &RegexUse,
    message: String,
) -> Option<&'o mut Diagnostic> {
    match at.arg {
        Some(arg) => ctx.report_arg(out, code, at.directive, arg, message),
        None => ctx.report(out, code, at.directive, message),
    }
}

/// NGX047: catastrophic backtracking.
fn redos(ctx: &Ctx<'_>, out: &mut Vec<Diagnostic>) {
    for at in regex_uses(ctx.config) {
        let Ok(regex) = syntax::parse(&at.pattern) else {
            continue;
        };
        let ci = at.case_insensitive || regex.ignore_case;
        let Some(kind) = redos::analyze(&regex.nodes, ci, regex.dotall) else {
            continue;
        };
        let why = match kind {
            Kind::Nested => {
                "a quantifier inside a repeated group can backtrack exponentially on a long \
                 crafted input: repeat once (`[\\w-]+`, not `([\\w-]+)+`)"
            }
            Kind::Overlapping => {
                "repeated alternatives that can match the same text backtrack polynomially on \
                 a long crafted input: make the alternatives start differently"
            }
            Kind::Adjacent => {
                "two adjacent greedy repetitions compete for the same characters and backtrack \
                 polynomially on a long crafted input: merge them into one"
            }
        };
        let message = format!("ReDoS in `{}`: {why}", at.pattern);
        report_use(ctx, out, "NGX047", &at, message);
    }
}

/// Directives whose arguments may use the captures of the last regex match.
const CAPTURE_USERS: &[&str] = &[
    "set",
    "return",
    "proxy_pass",
    "fastcgi_pass",
    "uwsgi_pass",
    "scgi_pass",
    "grpc_pass",
    "alias",
    "root",
    "try_files",
    "add_header",
    "proxy_set_header",
    "fastcgi_param",
    "uwsgi_param",
    "scgi_param",
    "index",
];

/// NGX054: `$N` beyond the groups of the regex it refers to.
fn invalid_captures(ctx: &Ctx<'_>, out: &mut Vec<Diagnostic>) {
    let config = ctx.config;
    for id in config.walk() {
        let d = config.get(id);
        match d.name() {
            "rewrite" => {
                if let (Some(regex), Some(_)) = (d.arg(0), d.arg(1)) {
                    check_captures(ctx, out, id, &[1], regex, "the `rewrite` pattern");
                }
            }
            "if" => {
                let Some(c) = condition(d) else { continue };
                let Some((regex, _)) = c.regex() else {
                    continue;
                };
                let mut after_rewrite = false;
                for &child in d.children() {
                    let cd = config.get(child);
                    after_rewrite |= cd.is("rewrite");
                    // a matching `rewrite` replaces the captures (gixy checks `set` regardless)
                    if after_rewrite && !cd.is("set") {
                        continue;
                    }
                    if let Some(args) = capture_args(cd) {
                        check_captures(ctx, out, child, &args, regex, "the `if` condition");
                    }
                }
            }
            "location" => {
                let Some(p) = pattern(d) else { continue };
                if !p.modifier.is_regex() {
                    continue;
                }
                // a `rewrite` or a regex `if` in the location may replace the captures
                let replaced = d.children().iter().any(|&c| {
                    let cd = config.get(c);
                    cd.is("rewrite") || condition(cd).is_some_and(|c| c.regex().is_some())
                });
                if replaced {
                    continue;
                }
                for &child in d.children() {
                    if let Some(args) = capture_args(config.get(child)) {
                        check_captures(ctx, out, child, &args, &p.uri, "the location's regex");
                    }
                }
            }
            _ => {}
        }
    }
}

/// The arguments of a capture-using directive that may hold `$N`.
fn capture_args(d: &Directive) -> Option<Vec<usize>> {
    if !CAPTURE_USERS.contains(&d.name()) {
        return None;
    }
    Some(if d.is("set") {
        vec![1]
    } else {
        (0..d.args.len()).collect()
    })
}

fn check_captures(
    ctx: &Ctx<'_>,
    out: &mut Vec<Diagnostic>,
    id: DirId,
    args: &[usize],
    regex: &str,
    source: &str,
) {
    let d = ctx.config.get(id);
    let Ok(parsed) = syntax::parse(regex) else {
        return;
    };
    for &i in args {
        let Some(arg) = d.args.get(i) else { continue };
        let mut missing: Vec<u32> = arg
            .variables()
            .iter()
            .filter_map(|v| v.parse::<u32>().ok())
            .filter(|&n| n >= 1 && n > parsed.groups)
            .collect();
        missing.sort_unstable();
        missing.dedup();
        let Some(&first) = missing.first() else {
            continue;
        };
        let has = match parsed.groups {
            0 => "has no capture group".to_owned(),
            1 => "has only one capture group (`$1`)".to_owned(),
            n => format!("has only {n} capture groups (`$1`..`${n}`)"),
        };
        let message = format!(
            "`${first}` is always empty here: {source} `{regex}` {has}; add parentheses around \
             the part to capture or use an existing group"
        );
        ctx.report_arg(out, "NGX054", id, i, message);
    }
}

/// NGX059: `location ~ ^/literal$`.
fn exact_matches(ctx: &Ctx<'_>, out: &mut Vec<Diagnostic>) {
    let config = ctx.config;
    for id in config.walk() {
        let d = config.get(id);
        let Some(p) = pattern(d) else { continue };
        if p.modifier
            != (Modifier::Regex {
                case_insensitive: false,
            })
            || d.body.is_none()
        {
            continue;
        }
        let Some(literal) = exact_literal(&p.uri) else {
            continue;
        };
        let message = format!(
            "`location ~ {}` only matches `{literal}`: use `location = {literal}` (found by \
             lookup, before any regex is tried)",
            p.uri
        );
        let fix = exact_fix(ctx, id, p.arg, &literal);
        if let Some(diagnostic) = ctx.report_arg(out, "NGX059", id, p.arg, message) {
            diagnostic.fix = fix;
        }
    }
}

/// The path a regex matches when it is `^` literal characters `$` (case-sensitive).
fn exact_literal(regex: &str) -> Option<String> {
    let parsed = syntax::parse(regex).ok()?;
    if parsed.ignore_case {
        return None;
    }
    let [first, middle @ .., last] = parsed.nodes.as_slice() else {
        return None;
    };
    let begins = matches!(first, Node::At(Anchor::Begin | Anchor::BeginString));
    let ends = matches!(last, Node::At(Anchor::End | Anchor::EndString));
    if !begins || !ends || middle.is_empty() {
        return None;
    }
    middle
        .iter()
        .map(|n| match n {
            Node::Literal(c) => Some(*c),
            _ => None,
        })
        .collect()
}

/// `location = literal` in place of the modifier and regex, when nginx picks this location
/// for that path today (so no other location starts or stops serving it) and nginx accepts an
/// exact location there (not inside a regex location; an exact one cannot nest locations).
fn exact_fix(ctx: &Ctx<'_>, id: DirId, arg: usize, literal: &str) -> Option<Fix> {
    let config = ctx.config;
    let d = config.get(id);
    if !config.is_local(id)
        || !literal.starts_with('/')
        || literal
            .chars()
            .any(|c| c.is_whitespace() || matches!(c, ';' | '{' | '}' | '"' | '\'' | '\\'))
        || config.direct(Some(id), "location").next().is_some()
    {
        return None;
    }
    if let Some(parent) = d.parent {
        let pd = config.get(parent);
        if pd.is("location") && !pattern(pd).is_some_and(|p| p.modifier.is_prefix()) {
            return None;
        }
    }
    let server = config.enclosing(id, "server")?;
    if ctx.router().route(server, literal) != Route::Location(Some(id)) {
        return None;
    }
    let start = d.args.first()?.range.start;
    let end = d.args.get(arg)?.range.end;
    Some(Fix {
        title: format!("Use `location = {literal}`"),
        edits: vec![Edit::replace(
            TextRange::new(start, end),
            format!("= {literal}"),
        )],
        safe: true,
    })
}

/// NGX062: `location ~ \.php` without `$`.
fn unanchored(ctx: &Ctx<'_>, out: &mut Vec<Diagnostic>) {
    for id in ctx.config.walk() {
        let d = ctx.config.get(id);
        let Some(p) = pattern(d) else { continue };
        if !p.modifier.is_regex() || !needs_tail_anchor(&p.uri) {
            continue;
        }
        let message = format!(
            "`{}` matches the extension anywhere in the path (`/x{}/y`): end it with `$`, or \
             `(/|$)` for a directory",
            p.uri,
            sample_extension(&p.uri)
        );
        ctx.report_arg(out, "NGX062", id, p.arg, message);
    }
}

/// A regex that ends with an escaped dot and an extension (`\.php`, `\.(php|phtml)`) but not
/// with `$`: gixy's test, plus extension alternatives.
fn needs_tail_anchor(regex: &str) -> bool {
    if regex.ends_with('$') {
        return false;
    }
    let is_word = |s: &str| !s.is_empty() && s.chars().all(|c| c.is_ascii_alphanumeric());
    let rest = match regex.strip_suffix(')') {
        Some(inner) => {
            let Some(open) = inner.rfind('(') else {
                return false;
            };
            let alternatives = &inner[open + 1..];
            let alternatives = alternatives.strip_prefix("?:").unwrap_or(alternatives);
            if !alternatives.split('|').all(is_word) {
                return false;
            }
            &inner[..open]
        }
        None => {
            let word_start = regex
                .char_indices()
                .rev()
                .take_while(|(_, c)| c.is_ascii_alphanumeric())
                .last()
                .map(|(i, _)| i);
            match word_start {
                Some(i) => &regex[..i],
                None => return false,
            }
        }
    };
    rest.ends_with("\\.") && !rest.ends_with("\\\\.")
}

/// `.php` for `\.php`, `.php` for `\.(php|phtml)`: the extension as a path shows it.
fn sample_extension(regex: &str) -> String {
    let Some(at) = regex.rfind("\\.") else {
        return String::new();
    };
    let tail = &regex[at + 2..];
    let word: String = tail
        .chars()
        .skip_while(|c| !c.is_ascii_alphanumeric())
        .take_while(char::is_ascii_alphanumeric)
        .collect();
    format!(".{word}")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::nginx::testing::*;

    fn codes<'a>(text: &'a str, code: &str) -> Vec<(usize, &'a str)> {
        findings(&check_site(text), code, text)
    }

    #[test]
    fn if_conditions_are_read_like_nginx() {
        let text = "server { if ($http_origin ~* \"^https://a\\.com\") { } if ($a ~ x) { } if (!-e $x) { } if ( $slow ) { } }";
        let d = check_site(text);
        let _ = d;
        let tree = crate::syntax::nginx_tree(text);
        let c = crate::nginx::build(
            std::path::Path::new("/srv/site.conf"),
            text,
            &tree,
            &crate::source::MemoryLoader::default(),
        );
        let conditions: Vec<Condition> = c.walk().filter_map(|id| condition(c.get(id))).collect();
        assert_eq!(conditions[0].regex(), Some((r"^https://a\.com", true)));
        assert_eq!(conditions[0].variable.as_deref(), Some("$http_origin"));
        assert_eq!(conditions[0].value_arg, Some(2));
        assert_eq!(conditions[1].regex(), Some(("x", false)));
        assert_eq!(conditions[2].operator.as_deref(), Some("!-e"));
        assert_eq!(conditions[2].value.as_deref(), Some("$x"));
        assert_eq!(conditions[3].variable.as_deref(), Some("$slow"));
        assert_eq!(conditions[3].regex(), None);
    }

    #[test]
    fn redos_in_every_place_nginx_matches_regexes() {
        let text = r#"map $uri $m {
    default 0;
    ~^/(a+)+$ 1;
}
server {
    server_name ~^(?P<tenant>(\w+-?)+)\.example\.com$ www.example.com;
    if ($request_uri ~* "^/.*.*\.php$") {
        return 404;
    }
    rewrite ^/(a|ab)+$ /x;
    location ~ ^/blog/([\w-]+)+/$ {
        proxy_pass http://app;
    }
    location ~ ^/ok/[\w-]+/$ {
        proxy_pass http://app;
    }
    location ~ ^/(a++)+$ {
        return 404;
    }
}
"#;
        let d = check_site(text);
        assert_eq!(
            findings(&d, "NGX047", text),
            [
                (3, "~^/(a+)+$ 1;"),
                (6, r"~^(?P<tenant>(\w+-?)+)\.example\.com$"),
                (7, r#""^/.*.*\.php$""#),
                (10, "^/(a|ab)+$"),
                (11, r"^/blog/([\w-]+)+/$"),
            ]
        );
        assert!(d.iter().any(|d| d.message.contains("exponentially")));
        assert_eq!(
            d.iter()
                .find(|d| d.code == "NGX047")
                .unwrap()
                .references
                .get("gixy")
                .map(String::as_str),
            Some("regex_redos")
        );
    }

    #[test]
    fn captures_beyond_the_groups() {
        let text = r#"server {
    rewrite ^/blog/\d+/ /articles/$1 permanent;
    rewrite ^/blog/(\d+)/$ /articles/$1/ permanent;
    if ($host ~ "^www\.(.+)$") {
        set $bare $2;
        set $ok $1;
    }
    location ~ ^/users/(.+\.(?:gif|png))$ {
        alias /srv/images/$1;
    }
    location ~ ^/files/(?:a|b)/ {
        alias /srv/files/$1;
        add_header X-File $1;
    }
    location ~ ^/old/(.*) {
        rewrite ^/old/x/(.*) /new/$1;
        return 301 /new/$2;
    }
}
"#;
        assert_eq!(
            codes(text, "NGX054"),
            [
                (2, "/articles/$1"),
                (5, "$2"),
                (12, "/srv/files/$1"),
                (13, "$1"),
            ]
        );
        let d = check_site(text);
        let first = d.iter().find(|d| d.code == "NGX054").unwrap();
        assert!(
            first.message.contains("no capture group"),
            "{}",
            first.message
        );
    }

    #[test]
    fn exact_match_regex_with_a_fix() {
        let text = "server {\n    location ~ ^/healthz$ {\n        return 200;\n    }\n    location / {\n        proxy_pass http://app;\n    }\n}\n";
        let d = check_site(text);
        assert_eq!(findings(&d, "NGX059", text), [(2, "^/healthz$")]);
        let after = fixed(&d, "NGX059", text);
        assert!(after.contains("location = /healthz {"), "{after}");
        assert!(findings(&check_site(&after), "NGX059", &after).is_empty());
    }

    #[test]
    fn exact_match_is_not_offered_where_it_changes_routing() {
        // an earlier regex already serves /healthz: `=` would take it over
        let text = "server {\n    location ~ /health { return 204; }\n    location ~ ^/healthz$ { return 200; }\n}\n";
        let d = check_site(text);
        assert_eq!(findings(&d, "NGX059", text), [(3, "^/healthz$")]);
        assert!(d.iter().find(|d| d.code == "NGX059").unwrap().fix.is_none());
        // case-insensitive, a class, unanchored, inline (?i): not literal
        let text = "server { location ~* ^/a$ { } location ~ ^/[ab]$ { } location ~ ^/a { } location ~ ^(?i)/a$ { } location = /x { } }";
        assert!(codes(text, "NGX059").is_empty());
    }

    #[test]
    fn unanchored_extension_regexes() {
        let text = "server {\n    location ~ /\\.git { deny all; }\n    location ~* \\.sql { deny all; }\n    location ~ \\.(php|phtml) { }\n    location ~ /\\.git(/|$) { }\n    location ~* \\.(sql|bak)$ { }\n    location ~ ^/api/ { }\n}\n";
        let d = check_site(text);
        assert_eq!(
            findings(&d, "NGX062", text),
            [(2, "/\\.git"), (3, "\\.sql"), (4, "\\.(php|phtml)")]
        );
        assert!(d.iter().any(|d| d.message.contains("`/x.git/y`")));
    }

    #[test]
    fn realistic_regexes_are_quiet() {
        let text = r#"server {
    listen 80;
    server_name ~^(www\.)?(?<domain>.+)$ ~^(?<sub>[a-z0-9-]+)\.example\.com$;
    valid_referers none blocked server_names ~\.google\. ~\.example\.;
    location ~* \.(?:css|js|jpg|jpeg|gif|png|ico|svg|woff2?)$ { expires 30d; }
    location ~ /\.(?!well-known) { deny all; }
    location ~ \.php$ {
        fastcgi_split_path_info ^(.+\.php)(/.+)$;
        fastcgi_pass unix:/run/php.sock;
    }
    location ~ ^/(?:favicon\.ico|robots\.txt)$ { access_log off; }
    location ~* ^/media/(.+\.(?:png|jpe?g))$ { alias /srv/media/$1; }
    location ~ ^/static/(.*)$ { alias /srv/static/$1; }
    rewrite ^/(.*)/$ /$1 permanent;
    rewrite ^/old/(\d+)/(.*)$ /new/$1/$2 permanent;
    location ~ ^/api/v[0-9]+/users/([0-9]+)/?$ { proxy_pass http://127.0.0.1:8000; }
    location ~ "^/(?<lang>[a-z]{2})(?:-[A-Z]{2})?/(.*)$" { proxy_pass http://127.0.0.1:8000; }
    location ~ "^/[0-9a-f]{32}/.*\.(jpg|png)$" { return 404; }
    if ($http_user_agent ~* (bot|crawl|spider|slurp)) { return 403; }
    if ($request_uri ~ "^(.*)\?(.*)$") { set $x $1; }
    location ~ ^/~(.+?)(/.*)?$ { alias /home/$1/www$2; }
    location ~ ^(.+\.php)(.*)$ { return 404; }
    location ~* ^.+\.(ogg|ogv|svg|svgz|eot|otf|woff|mp4|ttf|rss|atom|jpg|jpeg|gif|png|ico|zip|tgz|gz|rar|bz2|doc|xls|exe|ppt|tar|mid|midi|wav|bmp|rtf)$ { expires max; }
}
"#;
        let d = check_site(text);
        let ours: Vec<_> = d
            .iter()
            .filter(|d| ["NGX047", "NGX054", "NGX059", "NGX062", "NGX064"].contains(&d.code))
            .collect();
        assert!(ours.is_empty(), "{ours:#?}");
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(2000))]

        /// Any text in a regex position is parsed, analysed and sampled without panicking.
        #[test]
        fn any_pattern_is_handled(
            pattern in proptest::collection::vec(
                proptest::sample::select(vec![
                    "(", ")", "[", "]", "^", "$", "|", "*", "+", "?", "{", "}", ",", "1", "2",
                    "\\", "\\d", "\\w", "\\Q", "\\E", "\\1", "\\k<a>", "(?:", "(?<a>", "(?i)",
                    "(?|", "(?>", "(?=", "(?<!", "[:alpha:]", "[^", ".", "a", "-", "/", "é", ":",
                    "https://", "\\.", "x{2,3}", "(*UTF)", "#", "(?x)", " ",
                ]),
                0..40,
            )
        ) {
            let pattern: String = pattern.concat();
            if let Ok(parsed) = syntax::parse(&pattern) {
                let _ = redos::analyze(&parsed.nodes, true, false);
                let _ = generate::samples(&parsed.nodes, '`');
            }
            let _ = exact_literal(&pattern);
            let _ = needs_tail_anchor(&pattern);
            let _ = sample_extension(&pattern);
            let _ = crate::nginx::location::ascii_classes(&pattern);
        }
    }
}
