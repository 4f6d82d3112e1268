//! The static evaluator: walks a module's top-level statements in order and computes the value
//! of every module-level name in the production world (environment variables unset, so defaults
//! apply). It never runs the user's code; whatever it cannot decide is `Value::Unknown`.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::hash::{Hash, Hasher};
use std::path::{Path, PathBuf};
use std::sync::Arc;

use tree_sitter::{Node, Tree};

use super::builtins::{self, CallArgs};
use super::fields::{KindExt, field, fields};
use super::literal::{self, parse_float, parse_int, parse_string};
use super::model::{Binding, ImportedModule, Literal, LiteralKind, ModuleModel, Site};
use super::resolve::{Resolution, resolve_module};
use super::value::{EnvCast, EnvRead, Tri, Value};
use crate::config::EnvHelper;
use crate::source::SourceLoader;
use crate::syntax::{first_error, parse_python, python_parser};
use crate::text::TextRange;

/// Expression nesting beyond this evaluates to Unknown (adversarial input must not overflow
/// the stack).
pub(crate) const MAX_DEPTH: usize = 120;
/// How deep helper functions may call each other when inlined.
const MAX_INLINE_DEPTH: usize = 8;

/// Models of imported modules, reused while their text (and their own imports) are unchanged;
/// in an editing session also literal values and the nginx findings of unchanged servers: what
/// one analysis leaves for the next.
#[derive(Default)]
pub struct ModuleCache {
    entries: HashMap<PathBuf, CacheEntry>,
    in_progress: HashSet<PathBuf>,
    /// Project functions configured to read the environment like `os.environ.get`.
    env_helpers: Vec<EnvHelper>,
    /// Modules whose parse ran out of time, with the hash of the text that did: that text is
    /// not parsed again (it would cost the budget on every analysis that imports it).
    timed_out: HashMap<PathBuf, u64>,
    /// Values of literals by their text, reused by the next analyses (see `memo`).
    literals: memo::LiteralMemo,
    /// The nginx rules' findings of unchanged `server {}` blocks.
    nginx_findings: crate::rules::nginx::memo::ServerMemo,
}

struct CacheEntry {
    text_hash: u64,
    model: Arc<ModuleModel>,
}

impl ModuleCache {
    /// A cache for an editor session, where the same module is analysed again after each
    /// keystroke: it also remembers literal values (see `memo`), which a one-shot run would
    /// only pay for.
    pub fn for_editing() -> Self {
        let mut cache = Self::default();
        cache.literals.enable();
        cache.nginx_findings.enable();
        cache
    }

    /// The nginx findings of unchanged servers (empty and off outside an editing session).
    pub fn nginx_findings(&mut self) -> &mut crate::rules::nginx::memo::ServerMemo {
        &mut self.nginx_findings
    }

    /// Sets the configured environment helpers; models computed with others are dropped.
    pub fn set_env_helpers(&mut self, helpers: &[EnvHelper]) {
        if self.env_helpers != helpers {
            self.env_helpers = helpers.to_vec();
            self.entries.clear();
        }
    }

    /// How many literal values are remembered (tests check that it stays bounded).
    #[cfg(test)]
    pub(crate) fn remembered_literals(&self) -> usize {
        self.literals.len()
    }

    pub fn env_helpers(&self) -> &[EnvHelper] {
        &self.env_helpers
    }

    /// Forgets one module (and so everything that depends on it is re-validated on next use).
    pub fn invalidate(&mut self, path: &Path) {
        self.entries.remove(path);
        self.timed_out.remove(path);
    }

    /// Whether a cached model is still valid: its text and, recursively, its imports' texts
    /// are unchanged.
    fn valid(&self, path: &Path, loader: &dyn SourceLoader, seen: &mut HashSet<PathBuf>) -> bool {
        if !seen.insert(path.to_path_buf()) {
            return true;
        }
        let Some(entry) = self.entries.get(path) else {
            return false;
        };
        let Some(text) = loader.read(path) else {
            return false;
        };
        entry.text_hash == hash_text(&text)
            && entry
                .model
                .imports
                .iter()
                .all(|i| self.valid(&i.path, loader, seen))
    }
}

fn hash_text(text: &str) -> u64 {
    let mut h = std::collections::hash_map::DefaultHasher::new();
    text.hash(&mut h);
    h.finish()
}

/// The model of an imported module, read through the loader; `None` when it cannot be read,
/// when its parse runs out of time (like an unreadable module, it is unknown), or when it is
/// already being evaluated (an import cycle).
pub fn analyze_path(
    path: &Path,
    loader: &dyn SourceLoader,
    cache: &mut ModuleCache,
) -> Option<Arc<ModuleModel>> {
    if cache.in_progress.contains(path) {
        return None;
    }
    if cache.valid(path, loader, &mut HashSet::new()) {
        return cache.entries.get(path).map(|e| e.model.clone());
    }
    let text = loader.read(path)?;
    let text_hash = hash_text(&text);
    if cache.timed_out.get(path) == Some(&text_hash) {
        return None;
    }
    let Ok(tree) = parse_python(&mut python_parser(), &text, None) else {
        cache.timed_out.insert(path.to_path_buf(), text_hash);
        return None;
    };
    cache.in_progress.insert(path.to_path_buf());
    let model = Arc::new(analyze_module(path, &text, &tree, loader, cache));
    cache.in_progress.remove(path);
    cache.entries.insert(
        path.to_path_buf(),
        CacheEntry {
            text_hash,
            model: model.clone(),
        },
    );
    Some(model)
}

/// Evaluates one module whose tree is parsed.
pub fn analyze_module(
    path: &Path,
    text: &str,
    tree: &Tree,
    loader: &dyn SourceLoader,
    cache: &mut ModuleCache,
) -> ModuleModel {
    let root = tree.root_node();
    let path: Arc<Path> = Arc::from(path);
    let mut model = ModuleModel {
        path: path.clone(),
        bindings: BTreeMap::new(),
        open: false,
        syntax_error: first_error(root).map(|n| error_range(n, text)),
        imports: Vec::new(),
        functions: BTreeMap::new(),
        imported_names: Default::default(),
        imports_end: None,
        text_len: text.len(),
        comments: collect_comments(root, text),
    };
    if model.syntax_error.is_some() {
        return model;
    }
    if cache.in_progress.is_empty() {
        cache.literals.next_generation();
    }
    cache.in_progress.insert(path.to_path_buf());
    let mut ev = Evaluator {
        path: path.clone(),
        src: text,
        loader,
        cache,
        scope: BTreeMap::new(),
        helpers: HashMap::new(),
        locals: Vec::new(),
        env_schemas: HashMap::new(),
        open: false,
        imports: Vec::new(),
        functions: BTreeMap::new(),
        import_stmts: HashSet::new(),
        imports_end: None,
        reads: Vec::new(),
        calls: Vec::new(),
        read_at: TextRange::default(),
        depth: 0,
        deepest: 0,
        impure: false,
    };
    let _ = ev.block(root);
    model.bindings = ev.scope;
    model.open = ev.open;
    model.imports = ev.imports;
    // a name re-bound after its `def` no longer holds the function
    model.functions = ev
        .functions
        .into_iter()
        .filter(|(name, f)| model.bindings.get(name).is_some_and(|b| b.site == f.site))
        .collect();
    model.imported_names = model
        .bindings
        .iter()
        .filter(|(_, b)| ev.import_stmts.contains(&b.site.stmt))
        .map(|(name, _)| name.clone())
        .collect();
    model.imports_end = ev.imports_end;
    cache.in_progress.remove(&*path);
    model
}

/// The range to report a syntax error on: never empty, so editors can show it.
fn error_range(node: Node<'_>, text: &str) -> TextRange {
    let (start, mut end) = (node.start_byte(), node.end_byte());
    if end <= start {
        end = text[start..]
            .chars()
            .next()
            .map_or(start, |c| start + c.len_utf8());
    }
    TextRange::new(start, end)
}

/// Every comment of the module: a walk that enters only the nodes whose text holds a `#`
/// (most statements have none), so the cost is about one pass over the top-level statements.
fn collect_comments(root: Node<'_>, text: &str) -> Vec<(TextRange, String)> {
    let mut out: Vec<(TextRange, String)> = Vec::new();
    let bytes = text.as_bytes();
    let has_hash = |n: Node<'_>| {
        bytes
            .get(n.start_byte()..n.end_byte())
            .is_some_and(|b| b.contains(&b'#'))
    };
    let mut cursor = root.walk();
    if !has_hash(root) {
        return out;
    }
    'walk: loop {
        let node = cursor.node();
        let enter = if node.k() == "comment" {
            let body = text[node.start_byte()..node.end_byte()].trim_start_matches('#');
            out.push((
                TextRange::new(node.start_byte(), node.end_byte()),
                body.to_string(),
            ));
            false
        } else {
            has_hash(node)
        };
        if enter && cursor.goto_first_child() {
            continue;
        }
        loop {
            if cursor.goto_next_sibling() {
                continue 'walk;
            }
            if !cursor.goto_parent() {
                break 'walk;
            }
        }
    }
    out
}

/// Where an assigned value came from.
#[derive(Clone, Default)]
struct Provenance {
    reads: Vec<EnvRead>,
    calls: Vec<String>,
    expr: Option<TextRange>,
}

/// A function written as `def f(params): return EXPR` (a docstring may come first), inlined at
/// each call with the arguments bound to its parameters.
#[derive(Clone)]
struct Helper<'t> {
    params: Vec<(String, Option<Node<'t>>)>,
    body: Node<'t>,
}

/// Control flow out of a block: only a failed import matters (`try: from .local import *`).
#[derive(Debug, PartialEq, Eq)]
enum Flow {
    Normal,
    ImportFailed,
}

struct Evaluator<'t, 'c> {
    path: Arc<Path>,
    src: &'t str,
    loader: &'c dyn SourceLoader,
    cache: &'c mut ModuleCache,
    scope: BTreeMap<String, Binding>,
    helpers: HashMap<String, Helper<'t>>,
    /// Parameters of the helper functions being inlined (innermost last).
    locals: Vec<HashMap<String, Value>>,
    /// Schemas of `environ.Env(NAME=(type, default))` instances, by instance id.
    env_schemas: HashMap<String, Vec<(String, Value)>>,
    open: bool,
    imports: Vec<ImportedModule>,
    functions: BTreeMap<String, super::model::Function>,
    /// Every import statement evaluated (their bindings are imports, not settings).
    import_stmts: HashSet<TextRange>,
    imports_end: Option<usize>,
    /// Environment reads of the expression being evaluated.
    reads: Vec<EnvRead>,
    /// Library functions called by the expression being evaluated.
    calls: Vec<String>,
    /// The call (or `os.environ[...]`) being dispatched: where an environment read is.
    read_at: TextRange,
    depth: usize,
    /// The deepest `depth` an expression's evaluation reached (see `memo`).
    deepest: usize,
    /// Whether the expression being evaluated read anything but its own text: a name, a call,
    /// the environment. Only the others are remembered by their text.
    impure: bool,
}

impl<'t> Evaluator<'t, '_> {
    fn text(&self, node: Node<'_>) -> &'t str {
        &self.src[node.start_byte()..node.end_byte()]
    }

    fn range(node: Node<'_>) -> TextRange {
        TextRange::new(node.start_byte(), node.end_byte())
    }

    fn site(&self, stmt: Node<'_>, focus: Node<'_>) -> Site {
        Site {
            path: self.path.clone(),
            stmt: Self::range(stmt),
            focus: Self::range(focus),
        }
    }

    // ----- statements -------------------------------------------------------------------------
}

mod environment;
mod expressions;
mod imports;
mod memo;
mod scope;
mod statements;

use environment::EnvReadSpec;
use imports::MODULE_OBJECT;
use scope::*;
