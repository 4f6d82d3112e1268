//! The nginx model: every directive of a config and of the files it includes, as plain data in
//! one arena, with its context and parent. Rules ask this model (contexts, inheritance,
//! location matching); they never walk a syntax tree.
//!
//! Included files are spliced in where their `include` stands, as nginx does: their directives
//! are children of the include's block, right after the include directive itself, and remember
//! the include they came through (`via`).

use std::path::PathBuf;
use std::sync::{Arc, OnceLock};

use crate::text::TextRange;
use rustc_hash::FxHashMap as HashMap;

/// Index of a directive in [`Config::directives`].
pub type DirId = usize;
/// Index of a file in [`Config::files`] (0 is the file the build started from).
pub type FileId = usize;

/// The block a directive sits in, named by the directive that opens it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Context {
    Main,
    Events,
    Http,
    Server,
    Location,
    /// `if` inside `server` or `location`.
    If,
    Upstream,
    /// `map`, `geo`, `split_clients`, `types`, `charset_map`, `match`: blocks of key/value
    /// pairs, not directives.
    Table,
    LimitExcept,
    Stream,
    Mail,
    /// A snippet meant to be included somewhere unknown (`proxy_params`, `snippets/*.conf`).
    Fragment,
    /// A block nginx core does not know (a third-party module's).
    Other,
}

impl Context {
    /// The context the body of a block named `name` opens, inside `parent`.
    pub fn of_block(name: &str, parent: Context) -> Context {
        match name {
            "events" => Context::Events,
            "http" => Context::Http,
            "server" if parent == Context::Upstream => Context::Other,
            "server" => Context::Server,
            "location" => Context::Location,
            "if" => Context::If,
            "upstream" => Context::Upstream,
            "map" | "geo" | "split_clients" | "types" | "charset_map" | "match" => Context::Table,
            "limit_except" => Context::LimitExcept,
            "stream" => Context::Stream,
            "mail" => Context::Mail,
            _ => Context::Other,
        }
    }
}

/// One argument (or the name) of a directive.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Arg {
    /// The value nginx sees: quotes removed, `\"`, `\'`, `\\`, `\t`, `\r`, `\n` resolved.
    pub value: String,
    /// Where it is written, quotes included.
    pub range: TextRange,
    pub quoted: bool,
}

impl Arg {
    /// The variables the argument interpolates (`$host`, `${host}`, `$1`), in order, without `$`.
    pub fn variables(&self) -> Vec<&str> {
        variables(&self.value)
    }
}

/// The variable names in an nginx value (without `$`), in order.
pub fn variables(value: &str) -> Vec<&str> {
    let bytes = value.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] != b'$' {
            i += 1;
            continue;
        }
        if bytes.get(i + 1) == Some(&b'{') {
            if let Some(close) = value[i + 2..].find('}') {
                out.push(&value[i + 2..i + 2 + close]);
                i += close + 3;
                continue;
            }
            i += 2;
            continue;
        }
        let start = i + 1;
        let mut end = start;
        // `$1`..`$9` are single digits; names are word characters
        if bytes.get(start).is_some_and(u8::is_ascii_digit) {
            end = start + 1;
        } else {
            while end < bytes.len() && (bytes[end].is_ascii_alphanumeric() || bytes[end] == b'_') {
                end += 1;
            }
        }
        if end > start {
            out.push(&value[start..end]);
        }
        i = end.max(i + 1);
    }
    out
}

/// A `{ ... }` body.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Body {
    /// Byte offset of `{` and of `}` (or the end of the file when the brace is missing).
    pub open: usize,
    pub close: usize,
    /// Directives in order, included files spliced in.
    pub children: Vec<DirId>,
    /// The body's contents are not code nginx parses (`*_by_lua_block`).
    pub raw: bool,
}

/// What an `include` directive brought in.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Inclusion {
    /// The files it resolved to, in nginx's (sorted) order.
    pub files: Vec<FileId>,
    /// Whether the include was resolved. An unresolved include may define anything, so rules
    /// that report a missing directive stay silent in its block.
    pub resolved: bool,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Directive {
    pub name: Arg,
    pub args: Vec<Arg>,
    pub file: FileId,
    /// The whole statement, from the name to its `;` or `}`.
    pub range: TextRange,
    pub body: Option<Body>,
    /// The block directive this one is inside (None at the top level).
    pub parent: Option<DirId>,
    /// The context this directive is written in.
    pub context: Context,
    /// The `include` it came through, when it lives in an included file.
    pub via: Option<DirId>,
    pub inclusion: Option<Inclusion>,
    /// Nesting depth (0 at the top level).
    pub depth: usize,
}

impl Directive {
    pub fn name(&self) -> &str {
        &self.name.value
    }
    pub fn is(&self, name: &str) -> bool {
        self.name.value == name
    }
    pub fn arg(&self, i: usize) -> Option<&str> {
        self.args.get(i).map(|a| a.value.as_str())
    }
    /// The arguments' values.
    pub fn values(&self) -> impl Iterator<Item = &str> {
        self.args.iter().map(|a| a.value.as_str())
    }
    pub fn children(&self) -> &[DirId] {
        self.body.as_ref().map_or(&[], |b| b.children.as_slice())
    }
    /// The range of the name and arguments (the "head" of a block directive).
    pub fn head_range(&self) -> TextRange {
        let end = self
            .args
            .last()
            .map_or(self.name.range.end, |a| a.range.end);
        TextRange::new(self.name.range.start, end)
    }
}

/// A file of the config.
#[derive(Debug, Clone)]
pub struct SourceFile {
    pub path: PathBuf,
    pub text: Arc<str>,
    /// Built into Preflight (a standard Debian include such as `proxy_params` that is not in
    /// the project): nothing in it is reported.
    pub builtin: bool,
}

/// A problem with an `include`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum IncludeProblem {
    /// Nothing at that path (a glob without matches is fine for nginx and not reported).
    NotFound { include: DirId, pattern: String },
    /// The file includes itself, directly or through others.
    Cycle { include: DirId, chain: Vec<PathBuf> },
    /// Too deep, too many files or too much text: the rest is not read.
    Limit { include: DirId, what: &'static str },
}

/// A config with its includes, ready for the rules.
#[derive(Debug, Clone)]
pub struct Config {
    pub files: Vec<SourceFile>,
    pub directives: Vec<Directive>,
    /// The top-level directives of the first file, includes spliced in.
    pub top: Vec<DirId>,
    /// What the top level of the first file is: `Main` for nginx.conf, `Http` for a site
    /// file, `Server` or `Fragment` for snippets.
    pub root: Context,
    pub include_problems: Vec<IncludeProblem>,
    /// The file being checked: the build's own file, or a site file seen through the main
    /// config that includes it. Findings are reported in this file only.
    pub analysed: FileId,
    /// Lookups rules repeat, built on first use.
    pub(super) index: OnceLock<Index>,
    /// Blocks that [`Config::walk`] neither yields nor enters: the servers whose findings an
    /// incremental analysis takes from its memo (`rules::nginx::memo`). Empty otherwise.
    pub(crate) hidden: rustc_hash::FxHashSet<DirId>,
}

/// Blocks with more children than this get their children indexed by name.
const INDEXED_CHILDREN: usize = 16;

/// What makes repeated lookups cheap on big configs (thousands of servers at the top level,
/// thousands of locations in a server, thousands of nested levels).
#[derive(Debug, Clone, Default)]
pub(super) struct Index {
    /// The children of big blocks (and of a big top level), by directive name.
    named: HashMap<Option<DirId>, HashMap<String, Vec<DirId>>>,
    /// Whether any `add_header_inherit` / `add_trailer_inherit` is written at all.
    inherit_controls: bool,
}

impl Config {
    pub fn get(&self, id: DirId) -> &Directive {
        &self.directives[id]
    }

    pub fn path_of(&self, id: DirId) -> &std::path::Path {
        &self.files[self.directives[id].file].path
    }

    /// The children of a block (`None`: the top level).
    pub fn children_of(&self, block: Option<DirId>) -> &[DirId] {
        match block {
            Some(id) => self.directives[id].children(),
            None => &self.top,
        }
    }

    /// The context inside a block (`None`: the top level).
    pub fn inner_context(&self, block: Option<DirId>) -> Context {
        match block {
            Some(id) => {
                let d = &self.directives[id];
                Context::of_block(d.name(), d.context)
            }
            None => self.root,
        }
    }

    /// Every directive in document order (depth first, includes spliced in).
    pub fn walk(&self) -> Walk<'_> {
        Walk {
            config: self,
            stack: self.top.iter().rev().copied().collect(),
            skips: Skips::Hidden,
        }
    }

    /// [`Config::walk`] through the hidden servers too: for what one server declares for all
    /// (`js_var`, `map`).
    pub fn walk_all(&self) -> Walk<'_> {
        Walk {
            skips: Skips::Nothing,
            ..self.walk()
        }
    }

    /// The directives outside every HTTP `server {}` (neither the servers nor what is in them),
    /// in document order.
    pub fn walk_outside_servers(&self) -> Walk<'_> {
        Walk {
            skips: Skips::Servers,
            ..self.walk()
        }
    }

    /// Whether `id` is an HTTP `server {}` or inside one.
    pub fn in_server(&self, id: DirId) -> bool {
        std::iter::once(id)
            .chain(self.ancestors(id))
            .any(|a| is_http_server(&self.directives[a]))
    }

    /// Every directive below `block`, depth first.
    pub fn descendants(&self, block: DirId) -> Walk<'_> {
        Walk {
            config: self,
            stack: self.directives[block]
                .children()
                .iter()
                .rev()
                .copied()
                .collect(),
            skips: Skips::Hidden,
        }
    }

    /// The blocks enclosing `id`, innermost first.
    pub fn ancestors(&self, id: DirId) -> impl Iterator<Item = DirId> + '_ {
        std::iter::successors(self.directives[id].parent, |&p| self.directives[p].parent)
    }

    /// The nearest enclosing block of the given name (e.g. the `server` of a location).
    pub fn enclosing(&self, id: DirId, name: &str) -> Option<DirId> {
        self.ancestors(id).find(|&a| self.directives[a].is(name))
    }

    /// The directives named `name` directly in `block` (includes spliced in).
    pub fn direct<'a>(
        &'a self,
        block: Option<DirId>,
        name: &'a str,
    ) -> impl Iterator<Item = DirId> + 'a {
        let children = self.children_of(block);
        let (candidates, filter): (&[DirId], bool) = if children.len() > INDEXED_CHILDREN {
            let named = self.index().named.get(&block).and_then(|m| m.get(name));
            (named.map_or(&[], Vec::as_slice), false)
        } else {
            (children, true)
        };
        candidates
            .iter()
            .copied()
            .filter(move |&c| !filter || self.directives[c].is(name))
    }

    fn index(&self) -> &Index {
        self.index.get_or_init(|| {
            let blocks = std::iter::once(None).chain(
                (0..self.directives.len())
                    .filter(|&id| self.directives[id].body.is_some())
                    .map(Some),
            );
            let mut named = HashMap::default();
            for block in blocks {
                let children = self.children_of(block);
                if children.len() <= INDEXED_CHILDREN {
                    continue;
                }
                let mut by_name: HashMap<String, Vec<DirId>> = HashMap::default();
                for &c in children {
                    by_name
                        .entry(self.directives[c].name().to_owned())
                        .or_default()
                        .push(c);
                }
                named.insert(block, by_name);
            }
            let inherit_controls = self
                .directives
                .iter()
                .any(|d| d.is("add_header_inherit") || d.is("add_trailer_inherit"));
            Index {
                named,
                inherit_controls,
            }
        })
    }

    /// The first directive named `name` directly in `block`.
    pub fn first(&self, block: Option<DirId>, name: &str) -> Option<DirId> {
        self.direct(block, name).next()
    }

    /// Whether `block` holds an include Preflight could not resolve: it may define anything.
    pub fn has_unresolved_include(&self, block: Option<DirId>) -> bool {
        self.direct(block, "include").any(|c| {
            self.directives[c]
                .inclusion
                .as_ref()
                .is_some_and(|i| !i.resolved)
        })
    }

    /// `block` and its enclosing blocks, innermost first, ending with the top level (`None`).
    pub fn scope_chain(&self, block: Option<DirId>) -> Vec<Option<DirId>> {
        self.scopes(block).collect()
    }

    /// [`Config::scope_chain`] as a lazy iterator (lookups usually stop early).
    pub fn scopes(&self, block: Option<DirId>) -> impl Iterator<Item = Option<DirId>> + '_ {
        block
            .into_iter()
            .flat_map(move |id| std::iter::once(id).chain(self.ancestors(id)))
            .map(Some)
            .chain(std::iter::once(None))
    }

    /// The directive named `name` in effect in `block`: nginx's inheritance of a plain
    /// directive (the nearest definition, from `block` outwards). `Err(Unresolved)` when an unresolved
    /// include on the way may define it.
    pub fn effective(&self, block: Option<DirId>, name: &str) -> Result<Option<DirId>, Unresolved> {
        for scope in self.scopes(block) {
            if let Some(found) = self.direct(scope, name).last() {
                return Ok(Some(found));
            }
            if self.has_unresolved_include(scope) {
                return Err(Unresolved);
            }
        }
        Ok(None)
    }

    /// The directives named `name` in effect in `block` for an array directive (`add_header`,
    /// `proxy_set_header`, ...): the set of the nearest level that defines any, since a level
    /// that defines one drops all of its parent's. For `add_header` and `add_trailer`, nginx
    /// 1.29.3's `add_header_inherit` / `add_trailer_inherit` (itself inherited) can make a level
    /// append its parent's set (`merge`) or inherit nothing (`off`). `Err(Unresolved)` when an
    /// unresolved include may define some.
    pub fn effective_array(
        &self,
        block: Option<DirId>,
        name: &str,
    ) -> Result<Inherited, Unresolved> {
        let mut merged = Vec::new();
        for scope in self.scopes(block) {
            let here: Vec<DirId> = self.direct(scope, name).collect();
            let mode = self.array_inheritance(scope, name);
            if !here.is_empty() || mode == Inheritance::Off {
                merged.extend(here);
                if mode != Inheritance::Merge {
                    return Ok(Inherited {
                        level: scope,
                        directives: merged,
                    });
                }
            } else if self.has_unresolved_include(scope) {
                return Err(Unresolved);
            }
        }
        Ok(Inherited {
            level: None,
            directives: merged,
        })
    }

    /// How the array directive `name` inherits into `block`: `add_header_inherit` and
    /// `add_trailer_inherit` (nginx >= 1.29.3), the nearest one from `block` outwards; `On` for
    /// every other directive.
    pub fn array_inheritance(&self, block: Option<DirId>, name: &str) -> Inheritance {
        let control = match name {
            "add_header" => "add_header_inherit",
            "add_trailer" => "add_trailer_inherit",
            _ => return Inheritance::On,
        };
        if !self.index().inherit_controls {
            return Inheritance::On;
        }
        self.scopes(block)
            .find_map(|scope| self.direct(scope, control).last())
            .and_then(|d| self.directives[d].arg(0))
            .map_or(Inheritance::On, |mode| match mode {
                m if m.eq_ignore_ascii_case("merge") => Inheritance::Merge,
                m if m.eq_ignore_ascii_case("off") => Inheritance::Off,
                _ => Inheritance::On,
            })
    }

    /// The `server` blocks serving HTTP (not an upstream's `server` entries).
    pub fn servers(&self) -> impl Iterator<Item = DirId> + '_ {
        self.walk()
            .filter(|&id| is_http_server(&self.directives[id]))
    }

    /// The `location` blocks of a server, nested ones included, in document order.
    pub fn locations(&self, server: DirId) -> impl Iterator<Item = DirId> + '_ {
        self.descendants(server)
            .filter(|&id| self.directives[id].is("location") && self.directives[id].body.is_some())
    }

    /// Whether a directive is written in the analysed file (not in another one).
    pub fn is_local(&self, id: DirId) -> bool {
        self.directives[id].file == self.analysed
    }

    /// Where a finding about `id` is reported in the analysed file: the directive itself, or
    /// the `include` (in the analysed file) it came through. `None` for directives of files
    /// included from elsewhere only.
    pub fn anchor(&self, id: DirId) -> Option<DirId> {
        let mut at = id;
        loop {
            if self.is_local(at) {
                return Some(at);
            }
            at = self.directives[at].via?;
        }
    }
}

/// An include Preflight could not resolve may define the directive asked for: whether it is in
/// effect is unknown, and rules stay silent.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Unresolved;

/// How a level inherits its parent's array directives (`add_header_inherit`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Inheritance {
    /// nginx's standard rule: the parent's set, unless the level defines its own.
    On,
    /// The level's own set only.
    Off,
    /// The level's own set, then the parent's.
    Merge,
}

/// The directives of an array directive in effect somewhere, and the level they come from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Inherited {
    /// The block that defines them (`None`: the top level, or nowhere when empty).
    pub level: Option<DirId>,
    pub directives: Vec<DirId>,
}

/// Depth-first iteration over directives (explicit stack: configs may nest deeply).
pub struct Walk<'a> {
    config: &'a Config,
    stack: Vec<DirId>,
    skips: Skips,
}

/// The blocks a [`Walk`] neither yields nor enters.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Skips {
    Nothing,
    /// [`Config::hidden`].
    Hidden,
    /// Every HTTP `server {}`.
    Servers,
}

/// An HTTP `server {}` (not an upstream's `server` entry).
pub(crate) fn is_http_server(d: &Directive) -> bool {
    d.is("server") && d.body.is_some() && d.context == Context::Http
}

impl Iterator for Walk<'_> {
    type Item = DirId;
    fn next(&mut self) -> Option<DirId> {
        loop {
            let id = self.stack.pop()?;
            let skipped = match self.skips {
                Skips::Nothing => false,
                Skips::Hidden => {
                    let hidden = &self.config.hidden;
                    !hidden.is_empty() && hidden.contains(&id)
                }
                Skips::Servers => is_http_server(&self.config.directives[id]),
            };
            if skipped {
                continue;
            }
            self.stack
                .extend(self.config.directives[id].children().iter().rev().copied());
            return Some(id);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn variables_are_found_in_all_spellings() {
        assert_eq!(variables("$scheme://$host$1"), vec!["scheme", "host", "1"]);
        assert_eq!(variables("${host}x$12"), vec!["host", "1"]);
        assert_eq!(variables("no vars $"), Vec::<&str>::new());
        assert_eq!(variables("a${unclosed"), Vec::<&str>::new());
    }
}
