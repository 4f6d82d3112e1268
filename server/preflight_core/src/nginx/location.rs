//! `location` blocks: their modifiers and nginx's choice of a location for a URI (exact match
//! first, then the longest prefix, whose nested locations are searched; then the regexes in
//! order unless the prefix was `^~`).

use std::rc::Rc;
use std::sync::{Arc, Mutex, OnceLock};

use fancy_regex::{Regex, RegexBuilder};

use super::model::{Config, DirId, Directive};
use rustc_hash::FxHashMap as HashMap;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Modifier {
    /// `location = /x`
    Exact,
    /// `location ^~ /x`: a prefix that stops the regex search.
    PrefixStop,
    /// `location /x`
    Prefix,
    /// `location ~ re` (`case_insensitive` for `~*`).
    Regex { case_insensitive: bool },
    /// `location @name`
    Named,
}

impl Modifier {
    pub fn is_regex(self) -> bool {
        matches!(self, Modifier::Regex { .. })
    }
    pub fn is_prefix(self) -> bool {
        matches!(self, Modifier::Prefix | Modifier::PrefixStop)
    }
}

/// A location's modifier and URI or regex, as nginx reads them (a modifier may be glued to the
/// URI: `location =/favicon.ico`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Pattern {
    pub modifier: Modifier,
    pub uri: String,
    /// Index of the argument holding the URI or regex.
    pub arg: usize,
}

pub fn pattern(d: &Directive) -> Option<Pattern> {
    if !d.is("location") {
        return None;
    }
    let first = d.arg(0)?;
    let explicit = |m: &str| match m {
        "=" => Some(Modifier::Exact),
        "^~" => Some(Modifier::PrefixStop),
        "~" => Some(Modifier::Regex {
            case_insensitive: false,
        }),
        "~*" => Some(Modifier::Regex {
            case_insensitive: true,
        }),
        _ => None,
    };
    if let (Some(modifier), Some(uri)) = (explicit(first), d.arg(1)) {
        return Some(Pattern {
            modifier,
            uri: uri.to_owned(),
            arg: 1,
        });
    }
    let (modifier, uri) = if let Some(rest) = first.strip_prefix("~*") {
        (
            Modifier::Regex {
                case_insensitive: true,
            },
            rest,
        )
    } else if let Some(rest) = first.strip_prefix('~') {
        (
            Modifier::Regex {
                case_insensitive: false,
            },
            rest,
        )
    } else if let Some(rest) = first.strip_prefix("^~") {
        (Modifier::PrefixStop, rest)
    } else if let Some(rest) = first.strip_prefix('=') {
        (Modifier::Exact, rest)
    } else if first.starts_with('@') {
        (Modifier::Named, first)
    } else {
        (Modifier::Prefix, first)
    };
    Some(Pattern {
        modifier,
        uri: uri.to_owned(),
        arg: 0,
    })
}

/// Compiles a regex the way nginx (PCRE) would read it; `None` when it does not compile here.
pub fn compile(regex: &str, case_insensitive: bool) -> Option<Regex> {
    RegexBuilder::new(&ascii_classes(regex))
        .case_insensitive(case_insensitive)
        .backtrack_limit(100_000)
        .build()
        .ok()
}

/// Location regexes compiled so far in this process, shared by every analysis: a keystroke
/// re-analyses the whole config, and its regexes rarely change. Bounded: emptied when full.
type Shared = Arc<Option<Regex>>;
const SHARED_REGEXES: usize = 1024;

type RegexCache = Mutex<HashMap<(String, bool), Shared>>;

fn shared_regexes() -> &'static RegexCache {
    static CACHE: OnceLock<RegexCache> = OnceLock::new();
    CACHE.get_or_init(Mutex::default)
}

/// Drops the compiled regexes (a language server with no document open keeps none).
pub fn forget_shared_regexes() {
    if let Ok(mut cache) = shared_regexes().lock() {
        *cache = HashMap::default();
    }
}

/// [`compile`], remembered across analyses.
pub fn compile_shared(regex: &str, case_insensitive: bool) -> Shared {
    let cache = shared_regexes();
    let key = (regex.to_owned(), case_insensitive);
    if let Some(known) = cache.lock().ok().and_then(|c| c.get(&key).cloned()) {
        return known;
    }
    let compiled = Arc::new(compile(regex, case_insensitive));
    if let Ok(mut c) = cache.lock() {
        if c.len() >= SHARED_REGEXES {
            c.clear();
        }
        c.insert(key, compiled.clone());
    }
    compiled
}

/// `\d`, `\w`, `\s` (and their negations) spelled as the ASCII classes they are in PCRE as
/// nginx compiles it (no UCP). Besides matching like nginx, an ASCII class compiles to a
/// small automaton where a Unicode one takes hundreds of kilobytes (thousands of regex
/// locations would take gigabytes).
pub fn ascii_classes(regex: &str) -> std::borrow::Cow<'_, str> {
    if !regex.contains('\\') {
        return regex.into();
    }
    const DIGIT: &str = "0-9";
    const WORD: &str = "0-9A-Za-z_";
    const SPACE: &str = "\\t\\n\\x0B\\x0C\\r ";
    let mut out = String::with_capacity(regex.len() + 16);
    let mut chars = regex.chars().peekable();
    let mut in_class = false;
    while let Some(c) = chars.next() {
        match c {
            '\\' => {
                let Some(e) = chars.next() else {
                    out.push('\\');
                    break;
                };
                let class = match e {
                    'd' | 'D' => DIGIT,
                    'w' | 'W' => WORD,
                    's' | 'S' => SPACE,
                    'Q' => {
                        // quoted up to \E: copied as is
                        out.push_str("\\Q");
                        while let Some(q) = chars.next() {
                            out.push(q);
                            if q == '\\' && chars.peek() == Some(&'E') {
                                out.push('E');
                                chars.next();
                                break;
                            }
                        }
                        continue;
                    }
                    _ => {
                        out.push('\\');
                        out.push(e);
                        continue;
                    }
                };
                match (in_class, e.is_ascii_lowercase()) {
                    (true, true) => {
                        out.push_str(class);
                        // `[\w-z]`: the `-` after a class is a literal, not a range
                        if chars.peek() == Some(&'-') {
                            out.push_str("\\-");
                            chars.next();
                        }
                    }
                    (false, true) => out.push_str(&format!("[{class}]")),
                    (false, false) => out.push_str(&format!("[^{class}]")),
                    // a negated class inside a class stays as written
                    (true, false) => {
                        out.push('\\');
                        out.push(e);
                    }
                }
            }
            '[' if !in_class => {
                in_class = true;
                out.push('[');
                if chars.peek() == Some(&'^') {
                    out.push('^');
                    chars.next();
                }
                if chars.peek() == Some(&']') {
                    out.push(']');
                    chars.next();
                }
            }
            '[' if chars.peek() == Some(&':') => {
                // a POSIX class inside a class: copied up to its `:]`
                out.push('[');
                while let Some(p) = chars.next() {
                    out.push(p);
                    if p == ':' && chars.peek() == Some(&']') {
                        out.push(']');
                        chars.next();
                        break;
                    }
                }
            }
            ']' if in_class => {
                in_class = false;
                out.push(']');
            }
            c => out.push(c),
        }
    }
    out.into()
}

/// The locations directly in a level, with their patterns.
type Level = Rc<[(DirId, Pattern)]>;

/// Chooses locations for URIs, with each location regex compiled once (and a regex that
/// many locations share, as in generated configs, once for all of them), and the locations
/// of each level (with their patterns) listed once: rules route many URIs per server.
pub struct Router<'a> {
    config: &'a Config,
    /// A compiled regex's slot in `compiled`, by its text and case-insensitivity.
    regexes: HashMap<(String, bool), usize>,
    compiled: Vec<Shared>,
    /// Per directive: the slot of its regex plus one (0: not looked up yet).
    slots: Vec<u32>,
    /// Per directive: the locations directly in it, listed on first use.
    levels: Vec<Option<Level>>,
}

/// The outcome of routing a URI.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Route {
    /// The location nginx picks (`None`: no location matches, the server itself answers).
    Location(Option<DirId>),
    /// A regex Preflight cannot evaluate decides.
    Unknown,
}

impl<'a> Router<'a> {
    pub fn new(config: &'a Config) -> Self {
        Self {
            config,
            regexes: HashMap::default(),
            compiled: Vec::new(),
            slots: Vec::new(),
            levels: Vec::new(),
        }
    }

    /// Whether the location `id` (a prefix, exact or regex one) matches `uri` on its own.
    /// `None` when its regex does not compile here.
    pub fn matches(&mut self, id: DirId, uri: &str) -> Option<bool> {
        let pattern = pattern(self.config.get(id))?;
        self.matches_pattern(id, &pattern, uri)
    }

    /// [`Router::matches`] with the location's pattern already read.
    fn matches_pattern(&mut self, id: DirId, pattern: &Pattern, uri: &str) -> Option<bool> {
        match pattern.modifier {
            Modifier::Exact => Some(uri == pattern.uri),
            Modifier::Prefix | Modifier::PrefixStop => Some(uri.starts_with(&pattern.uri)),
            Modifier::Named => Some(false),
            Modifier::Regex { case_insensitive } => {
                let slot = self.regex_slot(id, &pattern.uri, case_insensitive);
                self.compiled[slot]
                    .as_ref()
                    .as_ref()
                    .and_then(|r| r.is_match(uri).ok())
            }
        }
    }

    /// The slot of location `id`'s regex in `compiled`, compiling it on first use.
    fn regex_slot(&mut self, id: DirId, regex: &str, case_insensitive: bool) -> usize {
        if self.slots.is_empty() {
            self.slots = vec![0; self.config.directives.len()];
        }
        match self.slots.get(id).copied() {
            Some(known) if known > 0 => return known as usize - 1,
            _ => {}
        }
        let compiled = &mut self.compiled;
        let slot = *self
            .regexes
            .entry((regex.to_owned(), case_insensitive))
            .or_insert_with(|| {
                compiled.push(compile_shared(regex, case_insensitive));
                compiled.len() - 1
            });
        if let Some(known) = self.slots.get_mut(id) {
            *known = slot as u32 + 1;
        }
        slot
    }

    /// The location of `server` that serves `uri`.
    pub fn route(&mut self, server: DirId, uri: &str) -> Route {
        match self.find(server, uri) {
            Ok((found, _)) => Route::Location(found),
            Err(()) => Route::Unknown,
        }
    }
    /// nginx's `ngx_http_core_find_location` over the locations directly in `level`:
    /// the match and whether the search stops there. Nested locations are searched with an
    /// explicit stack, not recursion: configs may nest thousands of levels.
    fn find(&mut self, level: DirId, uri: &str) -> Result<(Option<DirId>, bool), ()> {
        enum Stage {
            Start,
            /// The longest prefix's nested locations were searched; `stop_regex`: it is `^~`.
            AfterPrefix {
                stop_regex: bool,
            },
            /// The matching regex location's nested locations were searched.
            AfterRegex(DirId),
        }
        struct Frame {
            level: DirId,
            stage: Stage,
            result: Option<DirId>,
        }
        let mut stack = vec![Frame {
            level,
            stage: Stage::Start,
            result: None,
        }];
        // what the frame popped last found
        let mut returned: (Option<DirId>, bool) = (None, false);
        while let Some(top) = stack.len().checked_sub(1) {
            let level = stack[top].level;
            let outcome = match stack[top].stage {
                Stage::Start => {
                    let locations = self.locations_in(level);
                    if let Some((exact, _)) = locations
                        .iter()
                        .find(|(_, p)| p.modifier == Modifier::Exact && p.uri == uri)
                    {
                        (Some(*exact), true)
                    } else if let Some((prefix, p)) = locations
                        .iter()
                        .filter(|(_, p)| p.modifier.is_prefix() && uri.starts_with(&p.uri))
                        .max_by_key(|(_, p)| p.uri.len())
                    {
                        stack[top].result = Some(*prefix);
                        stack[top].stage = Stage::AfterPrefix {
                            stop_regex: p.modifier == Modifier::PrefixStop,
                        };
                        stack.push(Frame {
                            level: *prefix,
                            stage: Stage::Start,
                            result: None,
                        });
                        continue;
                    } else if let Some(regex) = self.first_regex(&locations, uri)? {
                        stack[top].stage = Stage::AfterRegex(regex);
                        stack.push(Frame {
                            level: regex,
                            stage: Stage::Start,
                            result: None,
                        });
                        continue;
                    } else {
                        (None, false)
                    }
                }
                Stage::AfterPrefix { stop_regex } => {
                    let (nested, stop) = returned;
                    if nested.is_some() {
                        stack[top].result = nested;
                    }
                    let result = stack[top].result;
                    if stop {
                        (result, true)
                    } else if stop_regex {
                        (result, false)
                    } else {
                        let locations = self.locations_in(level);
                        match self.first_regex(&locations, uri)? {
                            Some(regex) => {
                                stack[top].stage = Stage::AfterRegex(regex);
                                stack.push(Frame {
                                    level: regex,
                                    stage: Stage::Start,
                                    result: None,
                                });
                                continue;
                            }
                            None => (result, false),
                        }
                    }
                }
                Stage::AfterRegex(regex) => (returned.0.or(Some(regex)), true),
            };
            stack.pop();
            returned = outcome;
        }
        Ok(returned)
    }

    /// The locations directly in `level`, with their patterns (listed once per level).
    fn locations_in(&mut self, level: DirId) -> Level {
        if self.levels.is_empty() {
            self.levels = vec![None; self.config.directives.len()];
        }
        if let Some(Some(known)) = self.levels.get(level) {
            return known.clone();
        }
        let config = self.config;
        let locations: Level = config
            .get(level)
            .children()
            .iter()
            .filter(|&&c| {
                let d = config.get(c);
                d.body.is_some() && d.is("location")
            })
            .filter_map(|&c| Some((c, pattern(config.get(c))?)))
            .collect();
        if let Some(slot) = self.levels.get_mut(level) {
            *slot = Some(locations.clone());
        }
        locations
    }

    /// The first regex location among `locations` that matches `uri`; `Err` when one that
    /// comes first does not compile here.
    fn first_regex(
        &mut self,
        locations: &[(DirId, Pattern)],
        uri: &str,
    ) -> Result<Option<DirId>, ()> {
        for (id, p) in locations {
            if !p.modifier.is_regex() {
                continue;
            }
            match self.matches_pattern(*id, p, uri) {
                Some(true) => return Ok(Some(*id)),
                Some(false) => {}
                None => return Err(()),
            }
        }
        Ok(None)
    }
}

#[cfg(test)]
mod tests {
    use std::path::Path;

    use super::*;
    use crate::nginx::build::build;
    use crate::source::MemoryLoader;
    use crate::syntax::nginx_tree;

    fn routes(text: &str, uris: &[&str]) -> Vec<String> {
        let tree = nginx_tree(text);
        let config = build(
            Path::new("/srv/site.conf"),
            text,
            &tree,
            &MemoryLoader::default(),
        );
        let server = config.servers().next().unwrap();
        let mut router = Router::new(&config);
        uris.iter()
            .map(|uri| match router.route(server, uri) {
                Route::Location(Some(id)) => config.get(id).values().collect::<Vec<_>>().join(" "),
                Route::Location(None) => "-".into(),
                Route::Unknown => "?".into(),
            })
            .collect()
    }

    #[test]
    fn nginx_precedence() {
        let text = r#"server {
            location = / { }
            location / { }
            location /media/ { }
            location ^~ /static/ { }
            location ~ \.php$ { }
            location ~* \.(png|jpg)$ { }
            location /api/ { location ~ ^/api/v1/ { } location /api/inner/ { } }
        }"#;
        assert_eq!(
            routes(
                text,
                &[
                    "/",
                    "/about",
                    "/media/x.php",
                    "/static/x.php",
                    "/media/a.PNG",
                    "/api/v1/x",
                    "/api/inner/x.php",
                    "/api/inner/y",
                ]
            ),
            [
                "= /",
                "/",
                "~ \\.php$",
                "^~ /static/",
                "~* \\.(png|jpg)$",
                "~ ^/api/v1/",
                "~ \\.php$",
                "/api/inner/",
            ]
        );
    }

    #[test]
    fn glued_modifiers_and_named_locations() {
        let text = "server { location =/x { } location ~*\\.gif$ { } location @fallback { } }";
        assert_eq!(
            routes(text, &["/x", "/a.GIF", "/y"]),
            ["=/x", "~*\\.gif$", "-"]
        );
    }

    #[test]
    fn perl_classes_are_ascii_like_pcre() {
        assert_eq!(
            ascii_classes(r"^/[\w-]+/(\d+)\.x$"),
            r"^/[0-9A-Za-z_\-]+/([0-9]+)\.x$"
        );
        assert_eq!(
            ascii_classes(r"\W\S[\D]\Q\w\E[[:alpha:]\d]"),
            r"[^0-9A-Za-z_][^\t\n\x0B\x0C\r ][\D]\Q\w\E[[:alpha:]0-9]"
        );
        assert_eq!(ascii_classes(r"[]\d]\\d"), r"[]0-9]\\d");
        assert_eq!(ascii_classes(r"[\w-z]"), r"[0-9A-Za-z_\-z]");
        let word = compile(r"^/\w+$", false).unwrap();
        assert!(word.is_match("/abc_1").unwrap());
        assert!(!word.is_match("/é").unwrap());
        assert!(
            compile(r"^/[^/]+\s*\S$", true)
                .unwrap()
                .is_match("/A b")
                .unwrap()
        );
    }

    #[test]
    fn ten_thousand_nested_locations_are_routed_without_recursion() {
        let depth = 10_000;
        let text = format!(
            "server {{ {}location ~ \\.php$ {{ }} {} }}",
            "location / { ".repeat(depth),
            "} ".repeat(depth)
        );
        let tree = nginx_tree(&text);
        let config = build(
            Path::new("/srv/site.conf"),
            &text,
            &tree,
            &MemoryLoader::default(),
        );
        let server = config.servers().next().unwrap();
        let deepest = config.locations(server).last().unwrap();
        let mut router = Router::new(&config);
        assert_eq!(
            router.route(server, "/x.php"),
            Route::Location(Some(deepest))
        );
        assert!(config.get(deepest).arg(0) == Some("~"));
        assert_eq!(
            router.route(server, "/y"),
            Route::Location(config.get(deepest).parent)
        );
    }

    #[test]
    fn lookahead_regexes_compile() {
        let text = r"server { location ~ /\.(?!well-known) { } }";
        assert_eq!(
            routes(text, &["/.git/config", "/.well-known/x"]),
            [r"~ /\.(?!well-known)", "-"]
        );
    }
}
