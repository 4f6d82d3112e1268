//! The model of one Python module: the effective value of every module-level name, and where it
//! was set. Rules ask this model; they never walk a syntax tree.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use super::value::{EnvRead, Value};
use crate::text::TextRange;

/// A statement in some file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Site {
    pub path: Arc<Path>,
    /// The whole statement.
    pub stmt: TextRange,
    /// The part to underline: the assigned name, the mutated receiver, or the import's module.
    pub focus: TextRange,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LiteralKind {
    List,
    Tuple,
    Dict,
    Set,
    Str,
    Other,
}

/// The literal written as the value of an assignment in this module (for fixes that edit it).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Literal {
    pub kind: LiteralKind,
    /// The literal's own range (brackets included).
    pub range: TextRange,
    /// For list/tuple/set: each element's range (empty for other kinds).
    pub elements: Vec<TextRange>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Binding {
    pub value: Value,
    /// The statement of this module that last set or changed the name, or the import that
    /// brought it in.
    pub site: Site,
    /// For a name that came through imports: the statement that set it in the module it came
    /// from (followed through chains of imports).
    pub origin: Option<Site>,
    /// The literal of the assignment that created the current value in this module, if any;
    /// `None` after a re-assignment from a non-literal.
    pub literal: Option<Literal>,
    /// Whether the value was changed after `literal` was written (append, +=, item assignment).
    pub mutated: bool,
    /// Environment reads that produced the value.
    pub env: Vec<EnvRead>,
    /// The assigned expression, in the file of [`Binding::cause`] (None after a mutation).
    pub expr: Option<TextRange>,
    /// Functions of libraries called to compute the value, by qualified name (e.g.
    /// `django.core.management.utils.get_random_secret_key`).
    pub calls: Vec<String>,
}

impl Binding {
    /// A value set at `site` with no further provenance.
    pub fn new(value: Value, site: Site) -> Self {
        Self {
            value,
            site,
            origin: None,
            literal: None,
            mutated: false,
            env: Vec::new(),
            expr: None,
            calls: Vec::new(),
        }
    }

    /// The statement that really caused the value: the origin in another module, else the site.
    pub fn cause(&self) -> &Site {
        self.origin.as_ref().unwrap_or(&self.site)
    }
    /// The environment read, when the assigned expression is exactly one read (no cast or
    /// operation applied by the code around it): `DEBUG = os.environ.get("DEBUG", False)`.
    pub fn direct_env(&self) -> Option<&EnvRead> {
        match (self.env.as_slice(), self.expr) {
            ([read], Some(expr)) if read.range == expr => Some(read),
            _ => None,
        }
    }
    /// Whether the value was set in another module and came here through an import.
    pub fn is_imported(&self) -> bool {
        self.origin.is_some()
    }
}

/// A function defined by a module-level `def` (not decorated): gunicorn's hooks.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Function {
    /// The `def` statement, its name as the focus.
    pub site: Site,
    /// The positional parameters (with or without defaults), as `inspect.signature` counts
    /// them: what gunicorn's `get_arity` returns.
    pub positional: usize,
    /// The parameter list, for messages and fixes.
    pub parameters: TextRange,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ImportedModule {
    pub path: PathBuf,
    /// The import statement in this module.
    pub stmt: TextRange,
    pub star: bool,
}

#[derive(Debug, Clone, PartialEq)]
pub struct ModuleModel {
    pub path: Arc<Path>,
    /// Module-level names and their final values.
    pub bindings: BTreeMap<String, Binding>,
    /// Names may be injected dynamically (`globals()`, `vars().update`, `exec`, an unresolved star
    /// import): never claim that a name is missing.
    pub open: bool,
    /// The first syntax error, if the module does not parse. Nothing else is reported then.
    pub syntax_error: Option<TextRange>,
    /// Project modules this one imports (resolved to files), for invalidation and related info.
    pub imports: Vec<ImportedModule>,
    /// Functions defined at module level by a plain `def`, by name; only those whose name
    /// still holds the function at the end of the module.
    pub functions: BTreeMap<String, Function>,
    /// Module-level names an import statement bound last (`import os`, `from x import y`).
    pub imported_names: std::collections::BTreeSet<String>,
    /// The byte offset just past the last top-level import statement (where to add `import os`).
    pub imports_end: Option<usize>,
    /// The length of the text (anchor for "insert at the end").
    pub text_len: usize,
    /// Top-level comments: (range, text without the leading `#`), for suppressions and
    /// commented-out settings.
    pub comments: Vec<(TextRange, String)>,
}

impl ModuleModel {
    /// The model of an empty module at `path` (no names, no imports).
    pub fn empty(path: &Path) -> Self {
        Self {
            path: Arc::from(path),
            bindings: BTreeMap::new(),
            open: false,
            syntax_error: None,
            imports: Vec::new(),
            functions: BTreeMap::new(),
            imported_names: Default::default(),
            imports_end: None,
            text_len: 0,
            comments: Vec::new(),
        }
    }

    pub fn get(&self, name: &str) -> Option<&Binding> {
        self.bindings.get(name)
    }
    /// The module-level function `name` is bound to at the end of the module.
    pub fn function(&self, name: &str) -> Option<&Function> {
        self.functions.get(name)
    }
    /// Whether `import os` (or `import os.path`) binds `os` here.
    pub fn imports_os(&self) -> bool {
        matches!(self.bindings.get("os").map(|b| &b.value), Some(Value::Object(o)) if o == "os")
    }
}
