//! What an nginx variable may hold where a directive evaluates it: gixy's variable model
//! (`gixy/core/variable.py`), with nginx's order of evaluation.
//!
//! A variable is a builtin (`$uri`, `$arg_*`, `$http_*` hold client input; `$host`, `$scheme`
//! do not), a regex capture (`$1`, `$name`) of a `location`, `rewrite`, `if` or `map` regex, or
//! the value of a `set` (and its kin), `map` or `geo`. Values are abstracted as the characters a
//! client may put in them, every character they may hold, and the characters they always hold.
//!
//! nginx evaluates the rewrite module's directives (`rewrite`, `set`, `if`, `return`) in order;
//! the rest (`proxy_pass`, `add_header`, ...) after all of them ran. Server-level ones run
//! before the location is chosen; an outer location's ones do not run for a nested location.
//! Where several definitions may be in effect, the value is their union.

use rustc_hash::FxHashMap as HashMap;
use std::cell::RefCell;
use std::rc::Rc;

use super::regex_chars::{Analysis, Chars, Facts, analyze};
use crate::nginx::location::{Modifier, pattern};
use crate::nginx::model::{Config, Context, DirId};

/// What a variable or a script may hold.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Value {
    /// Characters a client may put in it.
    pub free: Chars,
    /// Every character it may hold (the config's literals included).
    pub possible: Chars,
    /// Characters it always holds.
    pub must: Chars,
}

impl Value {
    /// A value no client controls.
    pub const TRUSTED: Value = Value {
        free: Chars::NONE,
        possible: Chars::NONE,
        must: Chars::NONE,
    };
    /// A value anyone may control entirely.
    pub const ANY: Value = Value {
        free: Chars::ALL,
        possible: Chars::ALL,
        must: Chars::NONE,
    };

    fn of_facts(f: Facts) -> Value {
        Value {
            free: f.free,
            possible: f.all(),
            must: f.must,
        }
    }

    /// Either of two values (several definitions may be in effect).
    fn or(self, other: Value) -> Value {
        Value {
            free: self.free | other.free,
            possible: self.possible | other.possible,
            must: self.must & other.must,
        }
    }

    pub fn can_contain(&self, c: char) -> bool {
        self.free.contains(c)
    }

    pub fn must_contain(&self, c: char) -> bool {
        self.must.contains(c)
    }
}

/// A piece of an nginx script (`http://$host$uri`): literal text or a variable.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Piece<'t> {
    Literal(&'t str),
    /// The variable's name, without `$` and braces.
    Var(&'t str),
}

/// Splits a script as nginx (and gixy's `EXTRACT_RE`) does: `$1`..`$9`, `$name`, `${name}`.
pub fn pieces(script: &str) -> Vec<Piece<'_>> {
    let bytes = script.as_bytes();
    let mut out = Vec::new();
    let mut literal_start = 0;
    let mut i = 0;
    let is_name = |b: u8| b.is_ascii_alphanumeric() || b == b'_';
    while i < bytes.len() {
        if bytes[i] != b'$' {
            i += 1;
            continue;
        }
        let next = bytes.get(i + 1).copied();
        let (name, end) = match next {
            Some(b'1'..=b'9') => ((i + 1, i + 2), i + 2),
            Some(b) if b.is_ascii_alphabetic() || b == b'_' => {
                let mut end = i + 2;
                while end < bytes.len() && is_name(bytes[end]) {
                    end += 1;
                }
                ((i + 1, end), end)
            }
            Some(b'{') => {
                let mut end = i + 2;
                while end < bytes.len() && is_name(bytes[end]) {
                    end += 1;
                }
                if end > i + 2 && bytes.get(end) == Some(&b'}') {
                    ((i + 2, end), end + 1)
                } else {
                    i += 1;
                    continue;
                }
            }
            _ => {
                i += 1;
                continue;
            }
        };
        if literal_start < i {
            out.push(Piece::Literal(&script[literal_start..i]));
        }
        out.push(Piece::Var(&script[name.0..name.1]));
        literal_start = end;
        i = end;
    }
    if literal_start < script.len() {
        out.push(Piece::Literal(&script[literal_start..]));
    }
    out
}

/// The rewrite module's directives: evaluated in order, before everything else.
fn is_rewrite_phase(name: &str) -> bool {
    matches!(
        name,
        "rewrite" | "set" | "if" | "return" | "break" | "set_by_lua" | "set_by_lua_file"
    ) || name == "set_by_lua_block"
}

/// Directives that run in a location's or server's request processing and may define variables
/// or captures.
fn runs(name: &str) -> bool {
    matches!(
        name,
        "rewrite" | "set" | "if" | "set_by_lua" | "set_by_lua_file" | "set_by_lua_block"
    ) || name == "auth_request_set"
}

/// How deep definitions may refer to one another before Preflight gives up.
const MAX_DEPTH: usize = 32;
/// How many capture definitions are considered for one `$N`: the nearest ones.
const MAX_CAPTURE_SOURCES: usize = 16;
/// How many conditional definitions of a variable are considered: the nearest ones.
const MAX_DEFINITIONS: usize = 64;
/// How many enclosing blocks are searched for definitions (real configs nest a few deep).
const MAX_LEVELS: usize = 64;

/// Where a variable's value comes from.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Provider {
    /// `set $x value` / `auth_request_set`: a script evaluated there.
    Script(DirId),
    /// `perl_set`, `js_set`, `set_by_lua*`: anything.
    Opaque,
    /// A named capture of the regex of a `location`, `rewrite` or `if`.
    Named(DirId, String),
    Map(DirId),
    /// `geo`: the config's literals only.
    Geo,
}

/// Variables and captures defined by the directives of one block (those in its `if` blocks
/// included), by the position of the top-level child they belong to.
#[derive(Default)]
struct BlockIndex {
    /// Definitions by (lower-case) variable name: (position, provider, conditional).
    definitions: HashMap<String, Vec<(usize, Provider, bool)>>,
    /// `rewrite` and regex `if` directives: (position, directive).
    captures: Vec<(usize, DirId)>,
}

/// One step outwards from a directive: the block it is in, where it sits there, and which of
/// the block's definitions may run before it is evaluated.
struct Level {
    block: Option<DirId>,
    position: usize,
    /// All the block's definitions run first (a location chosen after its server's rewrites).
    all: bool,
    /// None of them runs (an outer location's rewrites, for a nested location).
    none: bool,
}

/// Variables declared for the whole config, by lower-case name.
type Globals = HashMap<String, Vec<Provider>>;
/// A variable's name, where it is evaluated, and the map entry whose captures it may name.
type MemoKey = (String, DirId, Option<DirId>);

pub struct Vars<'a> {
    config: &'a Config,
    /// Position of each directive among its parent's children.
    positions: Vec<usize>,
    regexes: RefCell<HashMap<DirId, Option<Rc<Analysis>>>>,
    builtin_facts: RefCell<HashMap<&'static str, Option<Facts>>>,
    blocks: RefCell<HashMap<Option<DirId>, Rc<BlockIndex>>>,
    globals: RefCell<Option<Rc<Globals>>>,
    memo: RefCell<HashMap<MemoKey, Option<Value>>>,
}

impl<'a> Vars<'a> {
    pub fn new(config: &'a Config) -> Self {
        let mut positions = vec![0; config.directives.len()];
        let blocks = std::iter::once(&config.top).chain(
            config
                .directives
                .iter()
                .filter_map(|d| d.body.as_ref().map(|b| &b.children)),
        );
        for children in blocks {
            for (i, &c) in children.iter().enumerate() {
                if let Some(p) = positions.get_mut(c) {
                    *p = i;
                }
            }
        }
        Self {
            config,
            positions,
            regexes: RefCell::default(),
            builtin_facts: RefCell::default(),
            blocks: RefCell::default(),
            globals: RefCell::default(),
            memo: RefCell::default(),
        }
    }

    /// What variable `name` (without `$`) may hold where directive `at` evaluates it; `None`
    /// for a variable Preflight knows nothing about.
    pub fn variable(&self, name: &str, at: DirId) -> Option<Value> {
        self.value_of(name, at, None, 0)
    }

    /// Whether `name` is a builtin variable where `at` evaluates it (nothing in the config
    /// defines it).
    pub fn is_builtin_at(&self, name: &str, at: DirId) -> bool {
        capture_index(name).is_none() && self.definitions(name, at).is_empty()
    }

    /// The one literal value the config gives variable `name` where `at` evaluates it
    /// (`set $backend api.example.com;`), if it has one.
    pub fn literal(&self, name: &str, at: DirId) -> Option<String> {
        self.literal_of(name, at, 0)
    }

    fn literal_of(&self, name: &str, at: DirId, depth: usize) -> Option<String> {
        if depth > MAX_DEPTH || capture_index(name).is_some() {
            return None;
        }
        let providers = self.definitions(name, at);
        let mut value: Option<String> = None;
        for provider in &providers {
            let literal = match provider {
                Provider::Script(d) => {
                    self.literal_script(self.config.get(*d).arg(1)?, *d, depth + 1)?
                }
                Provider::Map(m) => {
                    let mut entries = self
                        .config
                        .get(*m)
                        .children()
                        .iter()
                        .map(|&e| self.config.get(e))
                        .filter(|e| e.body.is_none() && !e.is("include"))
                        .filter(|e| !matches!(e.name(), "hostnames" | "volatile"));
                    let first = entries.next()?;
                    let literal = self.literal_script(first.arg(0)?, at, depth + 1)?;
                    for e in entries {
                        if self.literal_script(e.arg(0)?, at, depth + 1)? != literal {
                            return None;
                        }
                    }
                    literal
                }
                _ => return None,
            };
            match &value {
                Some(v) if *v != literal => return None,
                _ => value = Some(literal),
            }
        }
        value
    }

    fn literal_script(&self, script: &str, at: DirId, depth: usize) -> Option<String> {
        let mut out = String::new();
        for piece in pieces(script) {
            match piece {
                Piece::Literal(text) => out.push_str(text),
                Piece::Var(name) => out.push_str(&self.literal_of(name, at, depth + 1)?),
            }
        }
        Some(out)
    }

    /// The regex a `location`, `rewrite`, `if` or `map` entry matches, analysed.
    pub fn regex_of(&self, id: DirId) -> Option<Rc<Analysis>> {
        if let Some(cached) = self.regexes.borrow().get(&id) {
            return cached.clone();
        }
        let analysed = regex_text(self.config, id)
            .and_then(|r| analyze(&r))
            .map(Rc::new);
        self.regexes.borrow_mut().insert(id, analysed.clone());
        analysed
    }

    fn value_of(&self, name: &str, at: DirId, entry: Option<DirId>, depth: usize) -> Option<Value> {
        let key = (name.to_ascii_lowercase(), at, entry);
        if let Some(known) = self.memo.borrow().get(&key) {
            return *known;
        }
        if depth > MAX_DEPTH {
            return None;
        }
        // a definition that refers to itself holds nothing more than its other parts
        self.memo
            .borrow_mut()
            .insert(key.clone(), Some(Value::TRUSTED));
        let value = self.compute(&key.0, at, entry, depth);
        self.memo.borrow_mut().insert(key, value);
        value
    }

    fn compute(&self, name: &str, at: DirId, entry: Option<DirId>, depth: usize) -> Option<Value> {
        let index = capture_index(name);
        // in a map's value, `$1` and named captures are the entry's own
        if let Some(entry) = entry {
            let regex = self.regex_of(entry);
            let facts = match index {
                Some(n) => regex.as_ref().and_then(|r| r.group(n)),
                None => regex.as_ref().and_then(|r| r.named(name)),
            };
            if let Some(facts) = facts {
                return Some(self.map_capture(entry, facts, at, depth));
            }
            if index.is_some() {
                return None;
            }
        }
        if let Some(n) = index {
            return self
                .capture_sources(at)
                .into_iter()
                .filter_map(|d| self.capture_value(d, CaptureRef::Index(n)))
                .reduce(Value::or);
        }
        let providers = self.definitions(name, at);
        if !providers.is_empty() {
            return providers
                .iter()
                .filter_map(|p| self.provider_value(p, at, depth))
                .reduce(Value::or);
        }
        match builtin(name)? {
            Builtin::Trusted => Some(Value::TRUSTED),
            Builtin::Regex(regex) => self.builtin_facts(regex).map(|f| Value {
                // a builtin holds what its pattern allows; gixy skips its literals too
                free: f.free,
                possible: f.all(),
                must: f.must,
            }),
        }
    }

    fn builtin_facts(&self, regex: &'static str) -> Option<Facts> {
        *self
            .builtin_facts
            .borrow_mut()
            .entry(regex)
            .or_insert_with(|| analyze(regex).and_then(|a| a.group(0)))
    }

    fn provider_value(&self, provider: &Provider, at: DirId, depth: usize) -> Option<Value> {
        match provider {
            Provider::Script(d) => {
                let script = self.config.get(*d).arg(1)?;
                Some(self.script_value(script, *d, None, depth + 1))
            }
            Provider::Opaque => Some(Value::ANY),
            Provider::Geo => Some(Value {
                possible: Chars::ALL,
                ..Value::TRUSTED
            }),
            Provider::Named(d, name) => self.capture_value(*d, CaptureRef::Name(name)),
            Provider::Map(d) => self.map_value(*d, at, depth),
        }
    }

    fn script_value(&self, script: &str, at: DirId, entry: Option<DirId>, depth: usize) -> Value {
        let mut value = Value::TRUSTED;
        for piece in pieces(script) {
            match piece {
                Piece::Literal(text) => {
                    let chars = Chars::of_str(text);
                    value.possible = value.possible | chars;
                    value.must = value.must | chars;
                }
                Piece::Var(name) => match self.value_of(name, at, entry, depth + 1) {
                    Some(v) => {
                        value.free = value.free | v.free;
                        value.possible = value.possible | v.possible;
                        value.must = value.must | v.must;
                    }
                    // unknown: it may hold anything the config puts there
                    None => value.possible = Chars::ALL,
                },
            }
        }
        value
    }

    /// A `map`'s value: any of its entries' values.
    fn map_value(&self, map: DirId, at: DirId, depth: usize) -> Option<Value> {
        let mut value: Option<Value> = None;
        for &entry in self.config.get(map).children() {
            let d = self.config.get(entry);
            if d.body.is_some() || d.args.len() != 1 || d.is("include") {
                continue;
            }
            if matches!(d.name(), "hostnames" | "volatile") {
                continue;
            }
            let Some(dest) = d.arg(0) else { continue };
            let v = self.script_value(dest, at, Some(entry), depth + 1);
            value = Some(value.map_or(v, |acc| acc.or(v)));
        }
        value
    }

    /// A capture of a map entry's regex: bounded by what the map's source may hold.
    fn map_capture(&self, entry: DirId, facts: Facts, at: DirId, depth: usize) -> Value {
        let source = self
            .config
            .get(entry)
            .parent
            .and_then(|m| self.config.get(m).arg(0))
            .map_or(Chars::ALL, |s| {
                self.script_value(s, at, None, depth + 1).possible
            });
        let chars = facts.all() & source;
        Value {
            free: chars,
            possible: chars,
            must: facts.must,
        }
    }

    fn capture_value(&self, provider: DirId, which: CaptureRef<'_>) -> Option<Value> {
        let regex = self.regex_of(provider)?;
        let facts = match which {
            CaptureRef::Index(n) => regex.group(n)?,
            CaptureRef::Name(name) => regex.named(name)?,
        };
        let mut value = Value::of_facts(facts);
        if let Some(boundary) = self.boundary(provider) {
            value.free = value.free & boundary.free;
            value.possible = value.possible & boundary.all();
            value.must = value.must | boundary.must;
        }
        Some(value)
    }

    /// What bounds a capture besides its regex: a rewrite matches a URI without whitespace
    /// (gixy: nginx escapes captures of an escaped URI); an `if` the variable it tests.
    fn boundary(&self, provider: DirId) -> Option<Facts> {
        let d = self.config.get(provider);
        if d.is("rewrite") {
            return self.builtin_facts(r"[^\s\r\n]");
        }
        if d.is("if") {
            let condition = if_condition(self.config, provider)?;
            let [Piece::Var(name)] = pieces(&condition.subject)[..] else {
                return None;
            };
            if self.definitions(name, provider).is_empty()
                && let Some(Builtin::Regex(regex)) = builtin(&name.to_ascii_lowercase())
            {
                return self.builtin_facts(regex);
            }
        }
        None
    }

    /// The `rewrite`, regex `if` and regex `location` directives whose captures `$1`..`$9`
    /// may hold where `at` is evaluated, nearest first.
    fn capture_sources(&self, at: DirId) -> Vec<DirId> {
        // a rewrite's replacement uses its own captures (it is used only when it matched)
        if self.config.get(at).is("rewrite") && self.regex_of(at).is_some() {
            return vec![at];
        }
        let sequential = is_rewrite_phase(self.config.get(at).name());
        let mut out = Vec::new();
        // inside a regex `if`, its match replaced the captures of everything that ran before it
        let mut after_if = false;
        for level in self.levels(at) {
            if !level.none {
                let index = self.block_index(level.block);
                for &(position, d) in index.captures.iter().rev() {
                    let runs = if after_if {
                        !level.all && position > level.position
                    } else {
                        self.runs_before(&level, position, sequential)
                    };
                    if runs {
                        out.push(d);
                        if out.len() >= MAX_CAPTURE_SOURCES {
                            return out;
                        }
                    }
                }
            }
            let Some(block) = level.block else { break };
            let b = self.config.get(block);
            if b.is("location") && self.is_regex_location(block) {
                if !after_if {
                    out.push(block);
                }
                break;
            }
            if b.is("if") && self.regex_of(block).is_some() {
                out.push(block);
                if sequential {
                    break;
                }
                after_if = true;
            }
        }
        out.truncate(MAX_CAPTURE_SOURCES);
        out
    }

    /// The definitions of variable `name` that may be in effect where `at` is evaluated.
    fn definitions(&self, name: &str, at: DirId) -> Vec<Provider> {
        let name = name.to_ascii_lowercase();
        let sequential = is_rewrite_phase(self.config.get(at).name());
        let mut out = Vec::new();
        if self.config.get(at).is("rewrite")
            && self.regex_of(at).is_some_and(|r| r.named(&name).is_some())
        {
            return vec![Provider::Named(at, name)];
        }
        for level in self.levels(at) {
            if !level.none {
                let index = self.block_index(level.block);
                if let Some(found) = index.definitions.get(&name) {
                    for (position, provider, conditional) in found.iter().rev() {
                        if !self.runs_before(&level, *position, sequential) {
                            continue;
                        }
                        out.push(provider.clone());
                        // an unconditional definition hides the earlier ones
                        if !conditional || out.len() >= MAX_DEFINITIONS {
                            return out;
                        }
                    }
                }
            }
            let Some(block) = level.block else { break };
            let b = self.config.get(block);
            if ((b.is("location") && self.is_regex_location(block)) || b.is("if"))
                && self
                    .regex_of(block)
                    .is_some_and(|r| r.named(&name).is_some())
            {
                out.push(Provider::Named(block, name.clone()));
                if b.is("location") {
                    return out;
                }
            }
        }
        if let Some(global) = self.globals().get(&name) {
            out.extend(global.iter().cloned());
        }
        out
    }

    fn runs_before(&self, level: &Level, position: usize, sequential: bool) -> bool {
        if level.all || !sequential {
            position != level.position || level.all
        } else {
            position < level.position
        }
    }

    /// The levels from `at` outwards, up to its server.
    fn levels(&self, at: DirId) -> Vec<Level> {
        let mut out = Vec::new();
        let mut current = at;
        loop {
            let d = self.config.get(current);
            let block = d.parent;
            let inner = self.config.inner_context(block);
            let from_location = d.is("location");
            out.push(Level {
                block,
                position: self.positions.get(current).copied().unwrap_or(0),
                all: from_location && inner == Context::Server,
                none: from_location && inner != Context::Server,
            });
            match block {
                Some(b)
                    if inner != Context::Server
                        && inner != Context::Http
                        && out.len() < MAX_LEVELS =>
                {
                    current = b
                }
                _ => break,
            }
        }
        out
    }

    fn is_regex_location(&self, id: DirId) -> bool {
        pattern(self.config.get(id)).is_some_and(|p| p.modifier.is_regex())
    }

    fn block_index(&self, block: Option<DirId>) -> Rc<BlockIndex> {
        if let Some(index) = self.blocks.borrow().get(&block) {
            return index.clone();
        }
        let mut index = BlockIndex::default();
        for (position, &child) in self.config.children_of(block).iter().enumerate() {
            let d = self.config.get(child);
            if !runs(d.name()) {
                continue;
            }
            self.index_one(&mut index, position, child, false);
            if d.is("if") {
                for &inner in d.children() {
                    if runs(self.config.get(inner).name()) && !self.config.get(inner).is("if") {
                        self.index_one(&mut index, position, inner, true);
                    }
                }
            }
        }
        let index = Rc::new(index);
        self.blocks.borrow_mut().insert(block, index.clone());
        index
    }

    fn index_one(&self, index: &mut BlockIndex, position: usize, id: DirId, conditional: bool) {
        let d = self.config.get(id);
        let mut define = |name: &str, provider: Provider, conditional: bool| {
            index
                .definitions
                .entry(name.to_ascii_lowercase())
                .or_default()
                .push((position, provider, conditional));
        };
        match d.name() {
            "set" | "auth_request_set" => {
                if let Some(var) = d.arg(0).and_then(|v| v.strip_prefix('$')) {
                    define(var, Provider::Script(id), conditional);
                }
            }
            "set_by_lua" | "set_by_lua_file" | "set_by_lua_block" => {
                if let Some(var) = d.arg(0).and_then(|v| v.strip_prefix('$')) {
                    define(var, Provider::Opaque, conditional);
                }
            }
            "rewrite" | "if" => {
                if let Some(regex) = self.regex_of(id) {
                    index.captures.push((position, id));
                    for (name, _) in &regex.names {
                        index
                            .definitions
                            .entry(name.to_ascii_lowercase())
                            .or_default()
                            .push((position, Provider::Named(id, name.clone()), true));
                    }
                }
            }
            _ => {}
        }
    }

    /// Variables declared for the whole config: `map`, `geo`, `perl_set`, `js_set`, `js_var`.
    fn globals(&self) -> Rc<Globals> {
        if let Some(globals) = self.globals.borrow().as_ref() {
            return globals.clone();
        }
        let mut out = Globals::default();
        // every server's declarations, also while an incremental analysis hides some
        for id in self.config.walk_all() {
            let d = self.config.get(id);
            if !declares_global(d) {
                continue;
            }
            let var = match d.name() {
                "map" if d.body.is_some() => d.arg(1).map(|v| (v, Provider::Map(id))),
                "geo" if d.body.is_some() => {
                    d.args.last().map(|v| (v.value.as_str(), Provider::Geo))
                }
                "perl_set" | "js_set" | "js_var" => d.arg(0).map(|v| (v, Provider::Opaque)),
                _ => None,
            };
            if let Some((var, provider)) = var
                && let Some(name) = var.strip_prefix('$')
            {
                out.entry(name.to_ascii_lowercase())
                    .or_default()
                    .push(provider);
            }
        }
        let out = Rc::new(out);
        *self.globals.borrow_mut() = Some(out.clone());
        out
    }
}

/// Whether `d` declares a variable for the whole config (`map`, `geo`, `perl_set`, `js_set`,
/// `js_var`), wherever it is written.
pub(crate) fn declares_global(d: &crate::nginx::model::Directive) -> bool {
    matches!(d.name(), "map" | "geo" | "perl_set" | "js_set" | "js_var")
}

/// `1`..`9`: a numbered capture.
fn capture_index(name: &str) -> Option<usize> {
    let mut chars = name.chars();
    match (chars.next(), chars.next()) {
        (Some(c @ '1'..='9'), None) => c.to_digit(10).map(|d| d as usize),
        _ => None,
    }
}

#[derive(Clone, Copy)]
enum CaptureRef<'n> {
    Index(usize),
    Name(&'n str),
}

/// An `if (...)` condition: the tested value, the operator and the operand.
pub struct IfCondition {
    pub subject: String,
    pub operator: Option<String>,
    pub operand: Option<String>,
}

/// Reads `if ($a ~ re)`, `if ($a)`, `if (-f $x)` as nginx does (the parentheses may be
/// separate words or glued to the first and last).
pub fn if_condition(config: &Config, id: DirId) -> Option<IfCondition> {
    let d = config.get(id);
    if !d.is("if") {
        return None;
    }
    let mut words: Vec<String> = d.values().map(str::to_owned).collect();
    let first = words.first_mut()?;
    if first == "(" {
        words.remove(0);
    } else if let Some(rest) = first.strip_prefix('(') {
        *first = rest.to_owned();
    }
    let last = words.last_mut()?;
    if last == ")" {
        words.pop();
    } else if let Some(rest) = last.strip_suffix(')') {
        *last = rest.to_owned();
    }
    let mut words = words.into_iter();
    let subject = words.next()?;
    Some(IfCondition {
        subject,
        operator: words.next(),
        operand: words.next(),
    })
}

/// The regex a directive matches: a regex location's, a rewrite's, a regex `if`'s, a regex map
/// entry's.
fn regex_text(config: &Config, id: DirId) -> Option<String> {
    let d = config.get(id);
    match d.name() {
        "location" => {
            let p = pattern(d)?;
            matches!(p.modifier, Modifier::Regex { .. }).then_some(p.uri)
        }
        "rewrite" => d.arg(0).map(str::to_owned),
        "if" => {
            let c = if_condition(config, id)?;
            matches!(c.operator.as_deref(), Some("~" | "~*" | "!~" | "!~*"))
                .then_some(c.operand)
                .flatten()
        }
        _ if d.context == Context::Table => {
            let key = d.name();
            key.strip_prefix("~*")
                .or_else(|| key.strip_prefix('~'))
                .map(str::to_owned)
        }
        _ => None,
    }
}

enum Builtin {
    Regex(&'static str),
    Trusted,
}

/// gixy-ng's catalog of builtin variables that hold client input, as the patterns their
/// values match (`gixy/core/builtin_variables.py`). A name ending in `_` is a prefix.
const CLIENT_VARIABLES: &[(&str, &str)] = &[
    ("uri", r"/[^\x20\t]*"),
    ("document_uri", r"/[^\x20\t]*"),
    ("arg_", r"[^\s&]+"),
    ("args", r"[^\s]+"),
    ("query_string", r"[^\s]+"),
    ("request_uri", r"/[^\s]*"),
    ("http_", r"[\x21-\x7e]"),
    ("document_root", "/etc/nginx"),
    ("gzip_ratio", r"[0-9.]*"),
    ("brotli_ratio", r"[0-9.]*"),
    ("zstd_ratio", r"[0-9.]*"),
    ("srcache_fetch_status", "BYPASS|MISS|HIT"),
    ("srcache_store_status", "BYPASS|STORE"),
    ("srcache_expire", r"[-0-9]*"),
    ("echo_timer_elapsed", r"[0-9.]*"),
    ("echo_incr", r"[0-9]*"),
    ("echo_response_status", r"[0-9]*"),
    ("geoip_area_code", r"[-0-9]*"),
    ("geoip_dma_code", r"[-0-9]*"),
    ("ssl_session_id", r"[0-9a-f]*"),
    ("ssl_client_fingerprint", r"[0-9a-f]*"),
    ("ssl_session_reused", r"[r.]*"),
    ("ssl_early_data", r"[1]*"),
    ("ssl_client_v_remain", r"[0-9]*"),
    ("ssl_preread_protocol", r"[A-Za-z0-9.]*"),
    ("jwt_nowtime", r"[0-9]*"),
    ("vts_", r"[0-9]*"),
    ("echo_request_method", r"[\s\S]*"),
    ("echo_client_request_method", r"[\s\S]*"),
    ("echo_cacheable_request_uri", r"[\s\S]*"),
    ("echo_request_uri", r"[\s\S]*"),
    ("echo_request_body", r"[\s\S]*"),
    ("echo_client_request_headers", r"[\s\S]*"),
    ("echo_it", r"[\s\S]*"),
    ("geoip_country_code", r"[\s\S]*"),
    ("geoip_country_code3", r"[\s\S]*"),
    ("geoip_country_name", r"[\s\S]*"),
    ("geoip_org", r"[\s\S]*"),
    ("geoip_city_continent_code", r"[\s\S]*"),
    ("geoip_city_country_code", r"[\s\S]*"),
    ("geoip_city_country_code3", r"[\s\S]*"),
    ("geoip_city_country_name", r"[\s\S]*"),
    ("geoip_region", r"[\s\S]*"),
    ("geoip_region_name", r"[\s\S]*"),
    ("geoip_city", r"[\s\S]*"),
    ("geoip_postal_code", r"[\s\S]*"),
    ("geoip_latitude", r"[\s\S]*"),
    ("geoip_longitude", r"[\s\S]*"),
    ("ssl_protocol", r"[\s\S]*"),
    ("ssl_cipher", r"[\s\S]*"),
    ("ssl_ciphers", r"[\s\S]*"),
    ("ssl_curve", r"[\s\S]*"),
    ("ssl_curves", r"[\s\S]*"),
    ("ssl_sigalg", r"[\s\S]*"),
    ("ssl_server_name", r"[\s\S]*"),
    ("ssl_alpn_protocol", r"[\s\S]*"),
    ("ssl_ech_status", r"[\s\S]*"),
    ("ssl_ech_outer_server_name", r"[\s\S]*"),
    ("ssl_client_cert", r"[\s\S]*"),
    ("ssl_client_raw_cert", r"[\s\S]*"),
    ("ssl_client_escaped_cert", r"[\s\S]*"),
    ("ssl_client_s_dn", r"[\s\S]*"),
    ("ssl_client_i_dn", r"[\s\S]*"),
    ("ssl_client_s_dn_legacy", r"[\s\S]*"),
    ("ssl_client_i_dn_legacy", r"[\s\S]*"),
    ("ssl_client_serial", r"[\s\S]*"),
    ("ssl_client_verify", r"[\s\S]*"),
    ("ssl_client_v_start", r"[\s\S]*"),
    ("ssl_client_v_end", r"[\s\S]*"),
    ("ssl_client_sigalg", r"[\s\S]*"),
    ("ssl_preread_server_name", r"[\s\S]*"),
    ("ssl_preread_alpn_protocols", r"[\s\S]*"),
    ("jwt_claim_", r"[\s\S]*"),
    ("jwt_header_", r"[\s\S]*"),
    ("jwt_headers", r"[\s\S]*"),
    ("jwt_payload", r"[\s\S]*"),
    ("jwt_claims", r"[\s\S]*"),
];

/// Builtin variables no client controls (gixy-ng's catalog).
const TRUSTED_VARIABLES: &[&str] = &[
    "upstream_http_",
    "upstream_cookie_",
    "upstream_trailer_",
    "proxy_add_x_forwarded_for",
    "proxy_host",
    "proxy_port",
    "proxy_protocol_addr",
    "proxy_protocol_port",
    "proxy_protocol_server_addr",
    "proxy_protocol_server_port",
    "proxy_protocol_tlv_",
    "fastcgi_path_info",
    "fastcgi_script_name",
    "content_type",
    "cookie_",
    "host",
    "hostname",
    "limit_rate",
    "memcached_key",
    "realpath_root",
    "remote_user",
    "request",
    "request_body",
    "request_completion",
    "request_filename",
    "request_id",
    "slice_range",
    "secure_link",
    "secure_link_expires",
    "sent_http_",
    "sent_trailer_",
    "server_name",
    "ancient_browser",
    "binary_remote_addr",
    "body_bytes_sent",
    "bytes_received",
    "bytes_sent",
    "connection",
    "connection_requests",
    "connection_time",
    "connections_active",
    "connections_reading",
    "connections_waiting",
    "connections_writing",
    "content_length",
    "date_gmt",
    "date_local",
    "http2",
    "http3",
    "https",
    "invalid_referer",
    "is_args",
    "is_request_port",
    "limit_conn_status",
    "limit_req_status",
    "modern_browser",
    "msec",
    "msie",
    "nginx_version",
    "pid",
    "pipe",
    "protocol",
    "realip_remote_addr",
    "realip_remote_port",
    "remote_addr",
    "remote_port",
    "request_body_file",
    "request_length",
    "request_method",
    "request_port",
    "request_time",
    "scheme",
    "server_addr",
    "server_port",
    "server_protocol",
    "session_log_binary_id",
    "session_log_id",
    "session_time",
    "spdy",
    "spdy_request_priority",
    "status",
    "tcpinfo_",
    "time_iso8601",
    "time_local",
    "uid_got",
    "uid_reset",
    "uid_set",
    "upstream_addr",
    "upstream_bytes_received",
    "upstream_bytes_sent",
    "upstream_cache_status",
    "upstream_connect_time",
    "upstream_first_byte_time",
    "upstream_header_time",
    "upstream_response_length",
    "upstream_response_time",
    "upstream_session_time",
    "upstream_status",
];

/// A builtin by exact name, else by its longest prefix (`arg_`, `http_`); lower-case `name`.
fn builtin(name: &str) -> Option<Builtin> {
    if let Some(&(_, regex)) = CLIENT_VARIABLES.iter().find(|(n, _)| *n == name) {
        return Some(Builtin::Regex(regex));
    }
    if TRUSTED_VARIABLES.contains(&name) {
        return Some(Builtin::Trusted);
    }
    let regex = CLIENT_VARIABLES
        .iter()
        .filter(|(n, _)| n.ends_with('_') && name.starts_with(n))
        .max_by_key(|(n, _)| n.len());
    let trusted = TRUSTED_VARIABLES
        .iter()
        .filter(|n| n.ends_with('_') && name.starts_with(*n))
        .max_by_key(|n| n.len());
    match (regex, trusted) {
        (Some((r, regex)), Some(t)) if r.len() >= t.len() => Some(Builtin::Regex(regex)),
        (_, Some(_)) => Some(Builtin::Trusted),
        (Some((_, regex)), None) => Some(Builtin::Regex(regex)),
        (None, None) => None,
    }
}

/// Whether a builtin variable holds client input: what gixy's catalog says.
pub fn is_client_builtin(name: &str) -> bool {
    matches!(builtin(&name.to_ascii_lowercase()), Some(Builtin::Regex(_)))
}

#[cfg(test)]
mod tests {
    use std::path::Path;

    use super::*;
    use crate::nginx::build;
    use crate::source::MemoryLoader;
    use crate::syntax::nginx_tree;

    fn config(text: &str) -> Config {
        let tree = nginx_tree(text);
        build(
            Path::new("/srv/site/sites-available/app"),
            text,
            &tree,
            &MemoryLoader::default(),
        )
    }

    /// The value of `$var` where the (first) directive named `at` evaluates it.
    fn value(text: &str, at: &str, var: &str) -> Option<Value> {
        let c = config(text);
        let id = c.walk().find(|&i| c.get(i).is(at)).unwrap();
        Vars::new(&c).variable(var, id)
    }

    #[test]
    fn scripts_split_like_nginx() {
        use Piece::*;
        assert_eq!(
            pieces("http://$host${uri}x$12$ $"),
            [
                Literal("http://"),
                Var("host"),
                Var("uri"),
                Literal("x"),
                Var("1"),
                Literal("2$ $")
            ]
        );
        assert_eq!(pieces("${bad-}"), [Literal("${bad-}")]);
    }

    #[test]
    fn builtins_follow_gixys_catalog() {
        let uri = value(
            "server { location / { add_header X $uri; } }",
            "add_header",
            "uri",
        )
        .unwrap();
        assert!(uri.can_contain('\n') && uri.must_contain('/'));
        let arg = value(
            "server { location / { add_header X 1; } }",
            "add_header",
            "arg_next",
        )
        .unwrap();
        assert!(arg.can_contain('.') && !arg.can_contain('\n'));
        let host = value(
            "server { location / { add_header X 1; } }",
            "add_header",
            "HOST",
        )
        .unwrap();
        assert_eq!(host, Value::TRUSTED);
        assert_eq!(
            value(
                "server { location / { add_header X 1; } }",
                "add_header",
                "upstream_http_x"
            ),
            Some(Value::TRUSTED)
        );
        assert!(
            value(
                "server { location / { add_header X 1; } }",
                "add_header",
                "nope"
            )
            .is_none()
        );
    }

    #[test]
    fn location_captures_and_sets() {
        let text = "server { location ~ /proxy/(.*)/(.*)/(.*)$ { set $scheme $1; set $host $2; proxy_pass $scheme://$host/$3; } }";
        let host = value(text, "proxy_pass", "host").unwrap();
        assert!(host.can_contain('.'));
        assert!(value(text, "proxy_pass", "3").unwrap().can_contain('.'));
        // a later unconditional set hides an earlier one
        let text = "server { location / { set $t $arg_t; set $t backend; proxy_pass http://$t; } }";
        assert!(!value(text, "proxy_pass", "t").unwrap().can_contain('.'));
        // a conditional one does not
        let text = "server { location / { set $t $arg_t; if ($a) { set $t backend; } proxy_pass http://$t; } }";
        assert!(value(text, "proxy_pass", "t").unwrap().can_contain('.'));
        // a rewrite-phase directive sees only what ran before it
        let text = "server { location / { set $t x; return 302 http://$t; set $t $arg_t; } }";
        assert!(!value(text, "return", "t").unwrap().can_contain('.'));
    }

    #[test]
    fn captures_follow_nginx_order() {
        // server-level rewrites run before a prefix location is chosen
        let text = "server { rewrite ^/a/(.*)$ /b/$1; location / { add_header X $1; } }";
        let v = value(text, "add_header", "1").unwrap();
        assert!(v.can_contain('.') && !v.can_contain('\n'));
        // a regex location's captures replace them
        let text = "server { if ($uri ~ (.*)) { } location ~ ^/([a-z]+)$ { add_header X $1; } }";
        assert!(!value(text, "add_header", "1").unwrap().can_contain('.'));
        // an outer location's rewrites do not run for a nested location
        let text = "server { location / { rewrite ^(.*)$ $1; location /x { add_header X $1; } } }";
        assert!(value(text, "add_header", "1").is_none());
        // inside a regex `if`, its captures replace the location's
        let text =
            "server { location ~ ^/i/(.*)$ { if ($arg_q ~ ^(\\w+)$) { add_header Q $1; } } }";
        assert!(!value(text, "add_header", "1").unwrap().can_contain('\r'));
        // an if's captures are bounded by what it tests
        let text = "server { if ($request_uri ~ ^/(.*)$) { return 301 http://x/$1; } }";
        assert!(!value(text, "return", "1").unwrap().can_contain('\n'));
        let text = "server { if ($uri ~ ^/(.*)$) { return 301 http://x/$1; } }";
        assert!(value(text, "return", "1").unwrap().can_contain('\r'));
    }

    #[test]
    fn named_captures_and_maps() {
        let text = "server { location ~ ^/(?<target>[^/]+)/ { proxy_pass http://$target; } }";
        assert!(
            value(text, "proxy_pass", "target")
                .unwrap()
                .can_contain('\n')
        );
        let text = "map $http_host $backend { default a; ~^(?<sub>.+)\\.x$ $sub; }\nserver { location / { proxy_pass http://$backend; } }";
        assert!(
            value(text, "proxy_pass", "backend")
                .unwrap()
                .can_contain('.')
        );
        let text = "map $host $backend { default a; ~^(.+)\\.x$ $1; }\nserver { location / { proxy_pass http://$backend; } }";
        assert!(
            !value(text, "proxy_pass", "backend")
                .unwrap()
                .can_contain('.')
        );
        let text = "map $arg_a $backend { default a; b c.d; }\nserver { location / { proxy_pass http://$backend; } }";
        let v = value(text, "proxy_pass", "backend").unwrap();
        assert!(!v.can_contain('.') && !v.must_contain('.'));
        let text = "geo $backend { default a; 10.0.0.0/8 b; }\nserver { location / { proxy_pass http://$backend; } }";
        assert!(
            !value(text, "proxy_pass", "backend")
                .unwrap()
                .can_contain('.')
        );
        let text =
            "perl_set $backend 'sub { }';\nserver { location / { proxy_pass http://$backend; } }";
        assert!(
            value(text, "proxy_pass", "backend")
                .unwrap()
                .can_contain('\n')
        );
    }

    #[test]
    fn cycles_and_deep_chains_end() {
        let text = "server { location / { set $a $b; set $b $a; set $a $a$arg_x; proxy_pass http://$a; } }";
        assert!(value(text, "proxy_pass", "a").unwrap().can_contain('.'));
        let mut chain = String::from("server { location / { set $v0 $arg_x; ");
        for i in 1..200 {
            chain.push_str(&format!("set $v{i} $v{};", i - 1));
        }
        chain.push_str("proxy_pass http://$v199; } }");
        // deeper than Preflight follows: unknown, not a crash
        let _ = value(&chain, "proxy_pass", "v199");
    }

    #[test]
    fn if_conditions_are_read_like_nginx() {
        let c = config("server { if ($a ~* \"^x(y)\" ) { } if ( $b ) { } if (-f $c) { } }");
        let ifs: Vec<DirId> = c.walk().filter(|&i| c.get(i).is("if")).collect();
        let first = if_condition(&c, ifs[0]).unwrap();
        assert_eq!(first.subject, "$a");
        assert_eq!(first.operator.as_deref(), Some("~*"));
        assert_eq!(first.operand.as_deref(), Some("^x(y)"));
        assert_eq!(if_condition(&c, ifs[1]).unwrap().subject, "$b");
        assert_eq!(if_condition(&c, ifs[2]).unwrap().subject, "-f");
    }
}
