//! The static evaluator: walks a module's top-level statements in order and computes the value
//! of every module-level name in the production world (environment variables unset, so defaults
//! apply). It never runs the user's code; whatever it cannot decide is `Value::Unknown`.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::hash::{Hash, Hasher};
use std::path::{Path, PathBuf};
use std::sync::Arc;

use tree_sitter::{Node, Tree};

use super::builtins::{self, CallArgs};
use super::literal::{parse_float, parse_int, parse_string};
use super::model::{Binding, ImportedModule, Literal, LiteralKind, ModuleModel, Site};
use super::resolve::{Resolution, resolve_module};
use super::value::{EnvRead, Tri, Value};
use crate::source::SourceLoader;
use crate::syntax::{first_error, parse_python, python_parser};
use crate::text::TextRange;

/// Expression nesting beyond this evaluates to Unknown (adversarial input must not overflow
/// the stack).
const MAX_DEPTH: usize = 120;
/// How deep helper functions may call each other when inlined.
const MAX_INLINE_DEPTH: usize = 8;

/// Models of imported modules, reused while their text (and their own imports) are unchanged.
#[derive(Default)]
pub struct ModuleCache {
    entries: HashMap<PathBuf, CacheEntry>,
    in_progress: HashSet<PathBuf>,
}

struct CacheEntry {
    text_hash: u64,
    model: Arc<ModuleModel>,
}

impl ModuleCache {
    /// Forgets one module (and so everything that depends on it is re-validated on next use).
    pub fn invalidate(&mut self, path: &Path) {
        self.entries.remove(path);
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

/// The model of an imported module, read through the loader; `None` when it cannot be read or
/// when it is already being evaluated (an import cycle).
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
    let tree = parse_python(&mut python_parser(), &text, None);
    cache.in_progress.insert(path.to_path_buf());
    let model = Arc::new(analyze_module(path, &text, &tree, loader, cache));
    cache.in_progress.remove(path);
    cache.entries.insert(
        path.to_path_buf(),
        CacheEntry {
            text_hash: hash_text(&text),
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
        imports_end: None,
        text_len: text.len(),
        comments: collect_comments(root, text),
    };
    if model.syntax_error.is_some() {
        return model;
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
        imports_end: None,
        reads: Vec::new(),
        depth: 0,
    };
    let _ = ev.block(root);
    model.bindings = ev.scope;
    model.open = ev.open;
    model.imports = ev.imports;
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

fn collect_comments(root: Node<'_>, text: &str) -> Vec<(TextRange, String)> {
    let mut out = Vec::new();
    let mut cursor = root.walk();
    let mut stack = vec![root];
    while let Some(node) = stack.pop() {
        if node.kind() == "comment" {
            let body = text[node.start_byte()..node.end_byte()].trim_start_matches('#');
            out.push((
                TextRange::new(node.start_byte(), node.end_byte()),
                body.to_string(),
            ));
            continue;
        }
        stack.extend(node.children(&mut cursor));
    }
    out.sort_by_key(|(r, _)| r.start);
    out
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
    imports_end: Option<usize>,
    /// Environment reads of the expression being evaluated.
    reads: Vec<EnvRead>,
    depth: usize,
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

    fn block(&mut self, block: Node<'t>) -> Flow {
        let mut cursor = block.walk();
        let children: Vec<Node<'t>> = block.named_children(&mut cursor).collect();
        for stmt in children {
            if self.statement(stmt) == Flow::ImportFailed {
                return Flow::ImportFailed;
            }
        }
        Flow::Normal
    }

    fn statement(&mut self, stmt: Node<'t>) -> Flow {
        if self.depth > MAX_DEPTH {
            self.forget_assigned_names(stmt);
            return Flow::Normal;
        }
        self.depth += 1;
        let flow = self.statement_inner(stmt);
        self.depth -= 1;
        flow
    }

    fn statement_inner(&mut self, stmt: Node<'t>) -> Flow {
        match stmt.kind() {
            "expression_statement" => {
                let mut cursor = stmt.walk();
                let children: Vec<Node<'t>> = stmt.named_children(&mut cursor).collect();
                for child in children {
                    self.expression_statement(stmt, child);
                }
                Flow::Normal
            }
            "import_statement" => {
                self.note_import(stmt);
                self.import_statement(stmt);
                Flow::Normal
            }
            "import_from_statement" => {
                self.note_import(stmt);
                self.import_from(stmt)
            }
            "future_import_statement" => Flow::Normal,
            "if_statement" => self.if_statement(stmt),
            "try_statement" => self.try_statement(stmt),
            "with_statement" => match stmt.child_by_field_name("body") {
                Some(body) => {
                    self.forget_with_targets(stmt);
                    self.block(body)
                }
                None => Flow::Normal,
            },
            "function_definition" => {
                self.function_definition(stmt);
                Flow::Normal
            }
            "decorated_definition" => {
                if let Some(def) = stmt.child_by_field_name("definition") {
                    self.bind_unknown_definition(stmt, def);
                }
                Flow::Normal
            }
            "class_definition" => {
                self.bind_unknown_definition(stmt, stmt);
                Flow::Normal
            }
            "delete_statement" => {
                self.delete_statement(stmt);
                Flow::Normal
            }
            "comment" | "pass_statement" | "global_statement" | "nonlocal_statement"
            | "assert_statement" | "return_statement" | "break_statement"
            | "continue_statement" | "raise_statement" => Flow::Normal,
            // loops and anything else: what they assign or mutate becomes unknown
            _ => {
                self.forget_assigned_names(stmt);
                Flow::Normal
            }
        }
    }

    fn note_import(&mut self, stmt: Node<'_>) {
        if stmt.parent().is_some_and(|p| p.kind() == "module") {
            self.imports_end = Some(self.imports_end.unwrap_or(0).max(stmt.end_byte()));
        }
    }

    fn expression_statement(&mut self, stmt: Node<'t>, expr: Node<'t>) {
        match expr.kind() {
            "assignment" => self.assignment(stmt, expr),
            "augmented_assignment" => self.augmented_assignment(stmt, expr),
            "call" => self.call_statement(stmt, expr),
            _ => {}
        }
    }

    fn assignment(&mut self, stmt: Node<'t>, node: Node<'t>) {
        // `A = B = value`: the right side of an assignment may itself be an assignment
        let mut targets = Vec::new();
        let mut cur = node;
        loop {
            if let Some(left) = cur.child_by_field_name("left") {
                targets.push(left);
            }
            match cur.child_by_field_name("right") {
                Some(right) if right.kind() == "assignment" => cur = right,
                Some(right) => {
                    self.reads.clear();
                    let value = self.eval(right);
                    let reads = std::mem::take(&mut self.reads);
                    let literal = literal_of(right, self.src);
                    for target in targets {
                        self.assign_target(stmt, target, value.clone(), literal.clone(), &reads);
                    }
                    return;
                }
                // an annotation without a value binds nothing
                None => return,
            }
        }
    }

    fn assign_target(
        &mut self,
        stmt: Node<'t>,
        target: Node<'t>,
        value: Value,
        literal: Option<Literal>,
        reads: &[EnvRead],
    ) {
        match target.kind() {
            "identifier" => {
                let name = self.text(target).to_string();
                let binding = Binding {
                    value,
                    site: self.site(stmt, target),
                    origin: None,
                    literal,
                    mutated: false,
                    env: reads.to_vec(),
                };
                self.scope.insert(name, binding);
            }
            "pattern_list" | "tuple_pattern" | "list_pattern" => {
                let mut cursor = target.walk();
                let parts: Vec<Node<'t>> = target.named_children(&mut cursor).collect();
                let items = match &value {
                    Value::List(v) | Value::Tuple(v) if v.len() == parts.len() => Some(v.clone()),
                    _ => None,
                };
                for (i, part) in parts.into_iter().enumerate() {
                    let v = items
                        .as_ref()
                        .map_or(Value::Unknown, |items| items[i].clone());
                    self.assign_target(stmt, part, v, None, reads);
                }
            }
            "subscript" => self.subscript_assignment(stmt, target, value),
            "attribute" => {
                // `os.environ["X"] = ...` or `obj.attr = ...`: no module-level name changes
            }
            _ => self.forget_assigned_names(target),
        }
    }

    /// `NAME[k1][k2]`: the name node and the evaluated keys; `None` when the chain does not
    /// start at a plain name.
    fn subscript_chain(&mut self, node: Node<'t>) -> Option<(Node<'t>, Vec<Value>)> {
        let mut keys = Vec::new();
        let mut cur = node;
        while cur.kind() == "subscript" {
            let key = cur
                .child_by_field_name("subscript")
                .map_or(Value::Unknown, |k| self.eval(k));
            keys.push(key);
            cur = cur.child_by_field_name("value")?;
        }
        keys.reverse();
        Some((cur, keys))
    }

    /// `NAME[k1][k2] = value`: updates a nested dict (or list item) of a module-level name.
    fn subscript_assignment(&mut self, stmt: Node<'t>, target: Node<'t>, value: Value) {
        let Some((base, keys)) = self.subscript_chain(target) else {
            return;
        };
        if base.kind() == "call" && self.is_dynamic_namespace_call(base) {
            // `globals()["X"] = ...`
            self.open = true;
            return;
        }
        if base.kind() != "identifier" {
            return;
        }
        let name = self.text(base).to_string();
        let site = self.site(stmt, base);
        if let Some(binding) = self.scope.get_mut(&name) {
            if !set_nested(&mut binding.value, &keys, value) {
                binding.value = Value::Unknown;
            }
            binding.site = site;
            binding.mutated = true;
        }
    }

    fn augmented_assignment(&mut self, stmt: Node<'t>, node: Node<'t>) {
        let (Some(left), Some(op), Some(right)) = (
            node.child_by_field_name("left"),
            node.child_by_field_name("operator"),
            node.child_by_field_name("right"),
        ) else {
            return;
        };
        if left.kind() != "identifier" {
            self.forget_assigned_names(left);
            return;
        }
        self.reads.clear();
        let rhs = self.eval(right);
        let reads = std::mem::take(&mut self.reads);
        let name = self.text(left).to_string();
        let site = self.site(stmt, left);
        let op = self.text(op).trim_end_matches('=').to_string();
        match self.scope.get_mut(&name) {
            Some(binding) => {
                // `+=` on a list extends it in place (any iterable); elsewhere it is `a = a + b`
                let new = match (&binding.value, op.as_str(), &rhs) {
                    (Value::List(items), "+", r) => match builtins::iterate(r) {
                        Some(more) => Value::List(items.iter().cloned().chain(more).collect()),
                        None => Value::Unknown,
                    },
                    (l, op, r) => builtins::binary(l, op, r),
                };
                binding.value = new;
                binding.site = site;
                binding.mutated = true;
                binding.env.extend(reads);
            }
            None if self.locals.is_empty() => {
                // NameError in Python unless injected: unknown
                let binding = Binding {
                    value: Value::Unknown,
                    site,
                    origin: None,
                    literal: None,
                    mutated: true,
                    env: reads,
                };
                self.scope.insert(name, binding);
            }
            None => {}
        }
    }

    /// A call used as a statement: list/dict mutations, or dynamic injection of names.
    fn call_statement(&mut self, stmt: Node<'t>, call: Node<'t>) {
        let Some(func) = call.child_by_field_name("function") else {
            return;
        };
        if self.is_dynamic_injection(call, func) {
            self.open = true;
            return;
        }
        if func.kind() != "attribute" {
            self.forget_call_arguments_if_mutable(call);
            return;
        }
        let (Some(object), Some(method)) = (
            func.child_by_field_name("object"),
            func.child_by_field_name("attribute"),
        ) else {
            return;
        };
        if object.kind() == "call" && self.is_dynamic_namespace_call(object) {
            // `globals().update(...)`, `vars().update(...)`
            self.open = true;
            return;
        }
        // `NAME.append(x)` or `NAME[k1][k2].append(x)`
        let Some((base, keys)) = self.subscript_chain(object) else {
            return;
        };
        if base.kind() != "identifier" {
            return;
        }
        let name = self.text(base).to_string();
        let method = self.text(method).to_string();
        let Some(whole) = self.scope.get(&name).map(|b| b.value.clone()) else {
            return;
        };
        let Some(current) = get_nested(&whole, &keys) else {
            self.set_unknown_after_mutation(stmt, base, &name);
            return;
        };
        if matches!(
            current,
            Value::Object(_) | Value::Str(_) | Value::Int(_) | Value::Bool(_) | Value::None
        ) {
            // calls on modules and immutable values do not change the name
            return;
        }
        self.reads.clear();
        let args = self.call_args(call);
        let reads = std::mem::take(&mut self.reads);
        let new = builtins::mutate(&current, &method, &args).unwrap_or(Value::Unknown);
        let mut updated = whole;
        if !set_nested(&mut updated, &keys, new) {
            updated = Value::Unknown;
        }
        let site = self.site(stmt, base);
        if let Some(binding) = self.scope.get_mut(&name) {
            binding.value = updated;
            binding.site = site;
            binding.mutated = true;
            binding.env.extend(reads);
        }
    }

    fn set_unknown_after_mutation(&mut self, stmt: Node<'t>, base: Node<'t>, name: &str) {
        let site = self.site(stmt, base);
        if let Some(binding) = self.scope.get_mut(name) {
            binding.value = Value::Unknown;
            binding.site = site;
            binding.mutated = true;
        }
    }

    /// `exec(...)`, `setattr(sys.modules[__name__], ...)`, `locals().update`: names appear that
    /// no static reading can see.
    fn is_dynamic_injection(&self, call: Node<'_>, func: Node<'_>) -> bool {
        match func.kind() {
            "identifier" => matches!(self.text(func), "exec" | "setattr" | "include" | "eval"),
            "attribute" => {
                let text = self.text(func);
                text.ends_with(".include") || text == "split_settings.tools.include" || {
                    let object = func.child_by_field_name("object");
                    object.is_some_and(|o| o.kind() == "call" && self.is_dynamic_namespace_call(o))
                        && call.kind() == "call"
                }
            }
            _ => false,
        }
    }

    fn is_dynamic_namespace_call(&self, call: Node<'_>) -> bool {
        call.child_by_field_name("function")
            .is_some_and(|f| matches!(self.text(f), "globals" | "vars" | "locals"))
    }

    /// A call to an unknown function may mutate the lists and dicts passed to it.
    fn forget_call_arguments_if_mutable(&mut self, call: Node<'_>) {
        let Some(func) = call.child_by_field_name("function") else {
            return;
        };
        let callee = self.text(func);
        if builtins::is_pure_builtin(callee) || self.helpers.contains_key(callee) {
            return;
        }
        let Some(args) = call.child_by_field_name("arguments") else {
            return;
        };
        let mut cursor = args.walk();
        for arg in args.named_children(&mut cursor) {
            if arg.kind() == "identifier" {
                let name = self.text(arg);
                if let Some(b) = self.scope.get_mut(name)
                    && matches!(b.value, Value::List(_) | Value::Dict(_) | Value::Set(_))
                {
                    b.value = Value::Unknown;
                }
            }
        }
    }

    fn if_statement(&mut self, stmt: Node<'t>) -> Flow {
        // the chain of (condition, body) pairs, then the optional else body
        let mut arms: Vec<(Option<Node<'t>>, Node<'t>)> = Vec::new();
        if let (Some(c), Some(b)) = (
            stmt.child_by_field_name("condition"),
            stmt.child_by_field_name("consequence"),
        ) {
            arms.push((Some(c), b));
        }
        let mut cursor = stmt.walk();
        for alt in stmt.children_by_field_name("alternative", &mut cursor) {
            match alt.kind() {
                "elif_clause" => {
                    if let (Some(c), Some(b)) = (
                        alt.child_by_field_name("condition"),
                        alt.child_by_field_name("consequence"),
                    ) {
                        arms.push((Some(c), b));
                    }
                }
                "else_clause" => {
                    if let Some(b) = alt.child_by_field_name("body") {
                        arms.push((None, b));
                    }
                }
                _ => {}
            }
        }
        if arms.last().is_some_and(|(c, _)| c.is_some()) {
            // no else: an empty arm
            arms.push((None, stmt.child_by_field_name("condition").unwrap_or(stmt)));
        }
        let has_else = stmt.child_by_field_name("alternative").is_some_and(|_| {
            let mut c = stmt.walk();
            stmt.children_by_field_name("alternative", &mut c)
                .any(|a| a.kind() == "else_clause")
        });
        self.branches(arms, has_else)
    }

    /// Evaluates `if/elif/else` arms: a known condition picks its arm; unknown ones run every
    /// arm that may be taken and merge the results into "one of" values.
    fn branches(&mut self, arms: Vec<(Option<Node<'t>>, Node<'t>)>, has_else: bool) -> Flow {
        let last = arms.len() - 1;
        let mut possible: Vec<Node<'t>> = Vec::new();
        let mut empty_else = false;
        for (i, (cond, body)) in arms.into_iter().enumerate() {
            let is_synthetic_else = i == last && cond.is_none() && !has_else;
            let truth = match cond {
                Some(c) => {
                    let v = self.eval(c);
                    self.reads.clear();
                    v.truthy()
                }
                None => Tri::Yes,
            };
            match truth {
                Tri::No => continue,
                Tri::Yes => {
                    if is_synthetic_else {
                        empty_else = true;
                    } else {
                        possible.push(body);
                    }
                    break;
                }
                Tri::Unknown => possible.push(body),
            }
        }
        let total = possible.len() + usize::from(empty_else);
        if total == 1 && !empty_else {
            return self.block(possible[0]);
        }
        if possible.is_empty() {
            return Flow::Normal;
        }
        // several arms may run: evaluate each from the same starting scope, then merge
        let before = self.scope.clone();
        let open_before = self.open;
        let mut outcomes = Vec::new();
        for body in possible {
            self.scope = before.clone();
            let _ = self.block(body);
            outcomes.push(std::mem::take(&mut self.scope));
        }
        if empty_else {
            outcomes.push(before.clone());
        }
        self.scope = merge_scopes(&before, outcomes);
        self.open |= open_before;
        Flow::Normal
    }

    fn try_statement(&mut self, stmt: Node<'t>) -> Flow {
        let Some(body) = stmt.child_by_field_name("body") else {
            return Flow::Normal;
        };
        let before = self.scope.clone();
        let mut cursor = stmt.walk();
        let clauses: Vec<Node<'t>> = stmt.named_children(&mut cursor).collect();
        if self.block(body) == Flow::ImportFailed {
            // the import raised ImportError: what the body did before it stays, then a handler runs
            let handler = clauses.iter().find(|c| c.kind() == "except_clause");
            if let Some(block) = handler.and_then(|h| last_block(*h)) {
                let _ = self.block(block);
            } else {
                self.scope = before;
            }
        } else if let Some(block) = clauses
            .iter()
            .find(|c| c.kind() == "else_clause")
            .and_then(|c| c.child_by_field_name("body"))
        {
            let _ = self.block(block);
        }
        if let Some(block) = clauses
            .iter()
            .find(|c| c.kind() == "finally_clause")
            .and_then(|c| last_block(*c))
        {
            let _ = self.block(block);
        }
        Flow::Normal
    }

    fn function_definition(&mut self, def: Node<'t>) {
        let Some(name_node) = def.child_by_field_name("name") else {
            return;
        };
        let name = self.text(name_node).to_string();
        if let Some(helper) = self.helper_of(def) {
            self.helpers.insert(name.clone(), helper);
        } else {
            self.helpers.remove(&name);
        }
        let binding = Binding {
            value: Value::Object(format!("function {name}")),
            site: self.site(def, name_node),
            origin: None,
            literal: None,
            mutated: false,
            env: Vec::new(),
        };
        self.scope.insert(name, binding);
    }

    /// A function whose body is `return EXPR` (after an optional docstring) with plain
    /// parameters can be inlined.
    fn helper_of(&self, def: Node<'t>) -> Option<Helper<'t>> {
        let params = def.child_by_field_name("parameters")?;
        let body = def.child_by_field_name("body")?;
        let mut cursor = body.walk();
        let stmts: Vec<Node<'t>> = body
            .named_children(&mut cursor)
            .filter(|s| s.kind() != "comment")
            .collect();
        let ret = match stmts.as_slice() {
            [r] => *r,
            [doc, r]
                if doc.kind() == "expression_statement"
                    && doc.named_child(0).is_some_and(|s| s.kind() == "string") =>
            {
                *r
            }
            _ => return None,
        };
        if ret.kind() != "return_statement" {
            return None;
        }
        let expr = ret.named_child(0)?;
        let mut out = Vec::new();
        let mut cursor = params.walk();
        for p in params.named_children(&mut cursor) {
            match p.kind() {
                "identifier" => out.push((self.text(p).to_string(), None)),
                "default_parameter" | "typed_default_parameter" => {
                    let name = p.child_by_field_name("name")?;
                    out.push((self.text(name).to_string(), p.child_by_field_name("value")));
                }
                "typed_parameter" => {
                    let name = p.named_child(0)?;
                    out.push((self.text(name).to_string(), None));
                }
                _ => return None,
            }
        }
        Some(Helper {
            params: out,
            body: expr,
        })
    }

    fn bind_unknown_definition(&mut self, stmt: Node<'t>, def: Node<'t>) {
        if let Some(name) = def.child_by_field_name("name") {
            let binding = Binding {
                value: Value::Unknown,
                site: self.site(stmt, name),
                origin: None,
                literal: None,
                mutated: false,
                env: Vec::new(),
            };
            self.helpers.remove(self.text(name));
            self.scope.insert(self.text(name).to_string(), binding);
        }
    }

    fn delete_statement(&mut self, stmt: Node<'t>) {
        let mut cursor = stmt.walk();
        let targets: Vec<Node<'t>> = stmt.named_children(&mut cursor).collect();
        for t in targets {
            let items: Vec<Node<'t>> = if t.kind() == "expression_list" {
                let mut c = t.walk();
                t.named_children(&mut c).collect()
            } else {
                vec![t]
            };
            for item in items {
                match item.kind() {
                    "identifier" => {
                        self.scope.remove(self.text(item));
                    }
                    _ => self.forget_assigned_names(item),
                }
            }
        }
    }

    /// Names that a statement we do not model assigns or mutates become unknown (they keep
    /// existing: a loop may not run, but we never claim a name is missing because of it).
    fn forget_assigned_names(&mut self, node: Node<'t>) {
        let mut names = Vec::new();
        let mut stack = vec![node];
        let mut cursor = node.walk();
        while let Some(n) = stack.pop() {
            match n.kind() {
                "assignment" | "augmented_assignment" | "for_statement" | "for_in_clause" => {
                    if let Some(left) = n.child_by_field_name("left") {
                        collect_identifiers(left, &mut names);
                    }
                }
                "call" => {
                    if let Some(f) = n.child_by_field_name("function") {
                        if f.kind() == "attribute"
                            && let Some(o) = f.child_by_field_name("object")
                        {
                            collect_identifiers(o, &mut names);
                        }
                        if f.kind() == "identifier" && matches!(self.text(f), "exec" | "setattr") {
                            self.open = true;
                        }
                        if matches!(self.text(f), "globals" | "vars" | "locals") {
                            self.open = true;
                        }
                    }
                }
                "function_definition" | "class_definition" => {
                    if let Some(name) = n.child_by_field_name("name") {
                        names.push(name);
                    }
                    continue;
                }
                "subscript" => {
                    if let Some(v) = n.child_by_field_name("value")
                        && v.kind() == "identifier"
                    {
                        names.push(v);
                    }
                }
                _ => {}
            }
            stack.extend(n.children(&mut cursor));
        }
        for name_node in names {
            let name = self.text(name_node);
            if !name
                .chars()
                .next()
                .is_some_and(|c| c.is_alphabetic() || c == '_')
            {
                continue;
            }
            let site = self.site(node, name_node);
            let entry = self
                .scope
                .entry(name.to_string())
                .or_insert_with(|| Binding {
                    value: Value::Unknown,
                    site: site.clone(),
                    origin: None,
                    literal: None,
                    mutated: true,
                    env: Vec::new(),
                });
            if matches!(entry.value, Value::Object(_)) {
                continue;
            }
            entry.value = Value::Unknown;
            entry.site = site;
            entry.mutated = true;
        }
    }

    fn forget_with_targets(&mut self, stmt: Node<'t>) {
        let mut cursor = stmt.walk();
        let mut stack: Vec<Node<'t>> = stmt
            .children(&mut cursor)
            .filter(|c| c.kind() == "with_clause")
            .collect();
        while let Some(n) = stack.pop() {
            if n.kind() == "as_pattern"
                && let Some(alias) = n.child_by_field_name("alias")
            {
                self.forget_assigned_names_in_target(stmt, alias);
            }
            let mut c = n.walk();
            stack.extend(n.named_children(&mut c));
        }
    }

    fn forget_assigned_names_in_target(&mut self, stmt: Node<'t>, target: Node<'t>) {
        let mut names = Vec::new();
        collect_identifiers(target, &mut names);
        for n in names {
            let binding = Binding {
                value: Value::Unknown,
                site: self.site(stmt, n),
                origin: None,
                literal: None,
                mutated: false,
                env: Vec::new(),
            };
            self.scope.insert(self.text(n).to_string(), binding);
        }
    }

    // ----- imports ----------------------------------------------------------------------------

    fn import_statement(&mut self, stmt: Node<'t>) {
        let mut cursor = stmt.walk();
        let names: Vec<Node<'t>> = stmt.children_by_field_name("name", &mut cursor).collect();
        for name in names {
            let (dotted, alias) = match name.kind() {
                "aliased_import" => (
                    name.child_by_field_name("name"),
                    name.child_by_field_name("alias"),
                ),
                _ => (Some(name), None),
            };
            let Some(dotted) = dotted else { continue };
            let module = self.text(dotted).to_string();
            // `import a.b` binds `a`; `import a.b as c` binds `c` to `a.b`
            let (bound, value) = match alias {
                Some(a) => {
                    let value = match resolve_module(&self.path, &module, self.loader) {
                        Resolution::File(file) => {
                            self.imports.push(ImportedModule {
                                path: file.clone(),
                                stmt: Self::range(stmt),
                                star: false,
                            });
                            Value::Object(module_object(&file))
                        }
                        _ => Value::Object(module.clone()),
                    };
                    (self.text(a).to_string(), value)
                }
                None => {
                    let top = module.split('.').next().unwrap_or(&module).to_string();
                    (top.clone(), Value::Object(top))
                }
            };
            let focus = alias.unwrap_or(dotted);
            let binding = Binding {
                value,
                site: self.site(stmt, focus),
                origin: None,
                literal: None,
                mutated: false,
                env: Vec::new(),
            };
            self.scope.insert(bound, binding);
        }
    }

    fn import_from(&mut self, stmt: Node<'t>) -> Flow {
        let Some(module_node) = stmt.child_by_field_name("module_name") else {
            return Flow::Normal;
        };
        let module = self
            .text(module_node)
            .split_whitespace()
            .collect::<String>();
        let resolution = resolve_module(&self.path, &module, self.loader);
        let model = match &resolution {
            Resolution::File(path) => {
                match super::eval::analyze_path(path, self.loader, self.cache) {
                    Some(m) => Some(m),
                    // an import cycle, or unreadable: whatever it defines is unknown to us
                    None => {
                        self.open = true;
                        return Flow::Normal;
                    }
                }
            }
            Resolution::Missing => return Flow::ImportFailed,
            Resolution::External => None,
        };
        let star = has_child_kind(stmt, "wildcard_import");
        if let (Resolution::File(path), Some(_)) = (&resolution, &model) {
            self.imports.push(ImportedModule {
                path: path.clone(),
                stmt: Self::range(stmt),
                star,
            });
        }
        if star {
            match model {
                Some(m) => self.star_import(stmt, module_node, &m),
                // names we cannot see may arrive
                None => self.open = true,
            }
            return Flow::Normal;
        }
        let mut cursor = stmt.walk();
        let names: Vec<Node<'t>> = stmt.children_by_field_name("name", &mut cursor).collect();
        for name in names {
            let (orig, alias) = match name.kind() {
                "aliased_import" => (
                    name.child_by_field_name("name"),
                    name.child_by_field_name("alias"),
                ),
                _ => (Some(name), None),
            };
            let Some(orig) = orig else { continue };
            let orig_name = self.text(orig).to_string();
            let bound = alias.map_or(orig_name.clone(), |a| self.text(a).to_string());
            let focus = alias.unwrap_or(orig);
            let site = self.site(stmt, focus);
            let binding = match &model {
                Some(m) => match m.bindings.get(&orig_name) {
                    Some(b) => imported_binding(b, site),
                    None if m.open => unknown_binding(site),
                    None => {
                        // maybe a submodule (`from . import base`); otherwise ImportError
                        let sub = format!("{}.{}", module.trim_end_matches('.'), orig_name);
                        let sub = if module.ends_with('.') {
                            format!("{module}{orig_name}")
                        } else {
                            sub
                        };
                        match resolve_module(&self.path, &sub, self.loader) {
                            Resolution::File(file) => {
                                let stmt_range = Self::range(stmt);
                                self.imports.push(ImportedModule {
                                    path: file.clone(),
                                    stmt: stmt_range,
                                    star: false,
                                });
                                Binding {
                                    value: Value::Object(module_object(&file)),
                                    ..unknown_binding(site)
                                }
                            }
                            _ => return Flow::ImportFailed,
                        }
                    }
                },
                None => Binding {
                    value: Value::Object(format!("{module}.{orig_name}")),
                    ..unknown_binding(site)
                },
            };
            self.scope.insert(bound, binding);
        }
        Flow::Normal
    }

    fn star_import(&mut self, stmt: Node<'t>, module_node: Node<'t>, model: &ModuleModel) {
        let site = self.site(stmt, module_node);
        let exported: Option<Vec<String>> = model.bindings.get("__all__").and_then(|b| {
            b.value.as_seq().map(|items| {
                items
                    .iter()
                    .filter_map(|i| i.as_str().map(str::to_string))
                    .collect()
            })
        });
        for (name, b) in &model.bindings {
            let public = match &exported {
                Some(all) => all.contains(name),
                None => !name.starts_with('_'),
            };
            if public {
                self.scope
                    .insert(name.clone(), imported_binding(b, site.clone()));
            }
        }
        if model.open {
            self.open = true;
        }
    }

    // ----- expressions ------------------------------------------------------------------------

    fn eval(&mut self, node: Node<'t>) -> Value {
        if self.depth > MAX_DEPTH {
            return Value::Unknown;
        }
        self.depth += 1;
        let v = self.eval_inner(node);
        self.depth -= 1;
        v
    }

    fn eval_inner(&mut self, node: Node<'t>) -> Value {
        match node.kind() {
            "true" => Value::Bool(true),
            "false" => Value::Bool(false),
            "none" => Value::None,
            "integer" => parse_int(self.text(node)).map_or(Value::Unknown, Value::Int),
            "float" => parse_float(self.text(node)).map_or(Value::Unknown, Value::Float),
            "string" => parse_string(self.text(node)).map_or(Value::Unknown, Value::Str),
            "concatenated_string" => {
                let mut cursor = node.walk();
                let parts: Vec<Node<'t>> = node
                    .named_children(&mut cursor)
                    .filter(|c| c.kind() == "string")
                    .collect();
                let mut out = String::new();
                for p in parts {
                    match parse_string(self.text(p)) {
                        Some(s) => out.push_str(&s),
                        None => return Value::Unknown,
                    }
                }
                Value::Str(out)
            }
            "parenthesized_expression" => {
                node.named_child(0).map_or(Value::Unknown, |n| self.eval(n))
            }
            "list" => self.eval_items(node).map_or(Value::Unknown, Value::List),
            "tuple" | "expression_list" => {
                self.eval_items(node).map_or(Value::Unknown, Value::Tuple)
            }
            "set" => self
                .eval_items(node)
                .map_or(Value::Unknown, |v| Value::Set(builtins::dedup(v))),
            "dictionary" => self.eval_dict(node),
            "identifier" => self.lookup(self.text(node)),
            "attribute" => self.eval_attribute(node),
            "subscript" => self.eval_subscript(node),
            "call" => self.eval_call(node),
            "binary_operator" => {
                let (Some(l), Some(op), Some(r)) = (
                    node.child_by_field_name("left"),
                    node.child_by_field_name("operator"),
                    node.child_by_field_name("right"),
                ) else {
                    return Value::Unknown;
                };
                let (lv, rv) = (self.eval(l), self.eval(r));
                builtins::binary(&lv, self.text(op), &rv)
            }
            "unary_operator" => {
                let (Some(op), Some(arg)) = (
                    node.child_by_field_name("operator"),
                    node.child_by_field_name("argument"),
                ) else {
                    return Value::Unknown;
                };
                let v = self.eval(arg);
                builtins::unary(self.text(op), &v)
            }
            "not_operator" => {
                let v = node
                    .child_by_field_name("argument")
                    .map_or(Value::Unknown, |a| self.eval(a));
                tri_value(v.truthy().negate())
            }
            "boolean_operator" => self.eval_boolean(node),
            "comparison_operator" => self.eval_comparison(node),
            "conditional_expression" => {
                let mut cursor = node.walk();
                let parts: Vec<Node<'t>> = node.named_children(&mut cursor).collect();
                let [then, cond, otherwise] = parts.as_slice() else {
                    return Value::Unknown;
                };
                match self.eval(*cond).truthy() {
                    Tri::Yes => self.eval(*then),
                    Tri::No => self.eval(*otherwise),
                    Tri::Unknown => one_of(vec![self.eval(*then), self.eval(*otherwise)]),
                }
            }
            _ => Value::Unknown,
        }
    }

    fn eval_items(&mut self, node: Node<'t>) -> Option<Vec<Value>> {
        let mut cursor = node.walk();
        let children: Vec<Node<'t>> = node
            .named_children(&mut cursor)
            .filter(|c| c.kind() != "comment")
            .collect();
        let mut out = Vec::with_capacity(children.len());
        for child in children {
            if child.kind() == "list_splat" {
                let inner = child
                    .named_child(0)
                    .map_or(Value::Unknown, |n| self.eval(n));
                out.extend(builtins::iterate(&inner)?);
            } else {
                out.push(self.eval(child));
            }
        }
        Some(out)
    }

    fn eval_dict(&mut self, node: Node<'t>) -> Value {
        let mut cursor = node.walk();
        let children: Vec<Node<'t>> = node.named_children(&mut cursor).collect();
        let mut items: Vec<(Value, Value)> = Vec::new();
        for child in children {
            match child.kind() {
                "pair" => {
                    let k = child
                        .child_by_field_name("key")
                        .map_or(Value::Unknown, |n| self.eval(n));
                    let v = child
                        .child_by_field_name("value")
                        .map_or(Value::Unknown, |n| self.eval(n));
                    if k.is_unknown() || matches!(k, Value::OneOf(_)) {
                        return Value::Unknown;
                    }
                    builtins::dict_set(&mut items, k, v);
                }
                "dictionary_splat" => {
                    let inner = child
                        .named_child(0)
                        .map_or(Value::Unknown, |n| self.eval(n));
                    match inner {
                        Value::Dict(more) => {
                            for (k, v) in more {
                                builtins::dict_set(&mut items, k, v);
                            }
                        }
                        _ => return Value::Unknown,
                    }
                }
                "comment" => {}
                _ => return Value::Unknown,
            }
        }
        Value::Dict(items)
    }

    fn lookup(&self, name: &str) -> Value {
        for frame in self.locals.iter().rev() {
            if let Some(v) = frame.get(name) {
                return v.clone();
            }
        }
        if let Some(b) = self.scope.get(name) {
            return b.value.clone();
        }
        match name {
            "__file__" => Value::Str(self.path.to_string_lossy().into_owned()),
            "__name__" => Value::Unknown,
            _ if builtins::is_pure_builtin(name) => Value::Object(format!("builtins.{name}")),
            _ => Value::Unknown,
        }
    }

    fn eval_attribute(&mut self, node: Node<'t>) -> Value {
        let (Some(object), Some(attr)) = (
            node.child_by_field_name("object"),
            node.child_by_field_name("attribute"),
        ) else {
            return Value::Unknown;
        };
        let base = self.eval(object);
        let attr = self.text(attr);
        if let Value::Object(name) = &base
            && let Some(file) = name.strip_prefix(MODULE_OBJECT)
        {
            // `defaults.HSTS` after `from . import defaults`
            return match analyze_path(Path::new(file), self.loader, self.cache) {
                Some(m) => m.get(attr).map_or(Value::Unknown, |b| b.value.clone()),
                None => Value::Unknown,
            };
        }
        builtins::attribute(&base, attr)
    }

    fn eval_subscript(&mut self, node: Node<'t>) -> Value {
        let (Some(value), Some(key)) = (
            node.child_by_field_name("value"),
            node.child_by_field_name("subscript"),
        ) else {
            return Value::Unknown;
        };
        let base = self.eval(value);
        if let Value::Object(o) = &base
            && o == "os.environ"
        {
            let var = self.eval(key);
            return self.env_read(EnvReadSpec::required("os.environ[]", var));
        }
        let k = self.eval(key);
        builtins::subscript(&base, &k)
    }

    fn eval_boolean(&mut self, node: Node<'t>) -> Value {
        let (Some(l), Some(op), Some(r)) = (
            node.child_by_field_name("left"),
            node.child_by_field_name("operator"),
            node.child_by_field_name("right"),
        ) else {
            return Value::Unknown;
        };
        let left = self.eval(l);
        let is_and = self.text(op) == "and";
        match (left.truthy(), is_and) {
            (Tri::Yes, true) | (Tri::No, false) => self.eval(r),
            (Tri::No, true) | (Tri::Yes, false) => left,
            (Tri::Unknown, _) => {
                let right = self.eval(r);
                match &left {
                    // `os.environ.get("X") or "default"`: either the variable or the default
                    Value::Unknown | Value::FromEnv(_) => Value::Unknown,
                    Value::OneOf(options) => {
                        let mut out = Vec::new();
                        for o in options {
                            match (o.truthy(), is_and) {
                                (Tri::Yes, true) | (Tri::No, false) => out.push(right.clone()),
                                (Tri::No, true) | (Tri::Yes, false) => out.push(o.clone()),
                                (Tri::Unknown, _) => return Value::Unknown,
                            }
                        }
                        one_of(out)
                    }
                    _ => Value::Unknown,
                }
            }
        }
    }

    fn eval_comparison(&mut self, node: Node<'t>) -> Value {
        // operands are the named children; operators the anonymous tokens between them
        let mut cursor = node.walk();
        let mut operands = Vec::new();
        let mut ops: Vec<String> = Vec::new();
        let mut pending = String::new();
        for child in node.children(&mut cursor) {
            if child.is_named() {
                if !pending.is_empty() {
                    ops.push(std::mem::take(&mut pending));
                }
                operands.push(child);
            } else {
                if !pending.is_empty() {
                    pending.push(' ');
                }
                pending.push_str(self.text(child));
            }
        }
        if operands.len() != ops.len() + 1 {
            return Value::Unknown;
        }
        let mut result = Tri::Yes;
        let mut left = self.eval(operands[0]);
        for (op, right_node) in ops.iter().zip(&operands[1..]) {
            let right = self.eval(*right_node);
            result = result.and(builtins::compare(&left, op, &right));
            if result == Tri::No {
                break;
            }
            left = right;
        }
        tri_value(result)
    }

    fn call_args(&mut self, call: Node<'t>) -> CallArgs {
        let mut args = CallArgs::default();
        let Some(list) = call.child_by_field_name("arguments") else {
            return args;
        };
        let mut cursor = list.walk();
        let children: Vec<Node<'t>> = list.named_children(&mut cursor).collect();
        for child in children {
            match child.kind() {
                "keyword_argument" => {
                    let (Some(name), Some(value)) = (
                        child.child_by_field_name("name"),
                        child.child_by_field_name("value"),
                    ) else {
                        continue;
                    };
                    let v = self.eval(value);
                    args.keywords.push((self.text(name).to_string(), v));
                }
                "list_splat" | "dictionary_splat" => args.opaque = true,
                "comment" => {}
                _ => {
                    let v = self.eval(child);
                    args.positional.push(v);
                }
            }
        }
        args
    }

    fn eval_call(&mut self, call: Node<'t>) -> Value {
        let Some(func) = call.child_by_field_name("function") else {
            return Value::Unknown;
        };
        // project helpers are inlined
        if func.kind() == "identifier"
            && self.locals.len() < MAX_INLINE_DEPTH
            && let Some(helper) = self.helpers.get(self.text(func)).cloned()
        {
            let args = self.call_args(call);
            return self.inline(&helper, args);
        }
        // `receiver.method(...)`: the receiver is evaluated once, then either a namespace
        // function (`os.environ.get`) or a method of a known value (`"x".lower()`)
        if func.kind() == "attribute" {
            let (Some(object), Some(attr)) = (
                func.child_by_field_name("object"),
                func.child_by_field_name("attribute"),
            ) else {
                return Value::Unknown;
            };
            let receiver = self.eval(object);
            let method = self.text(attr);
            let args = self.call_args(call);
            if args.opaque {
                return Value::Unknown;
            }
            return match &receiver {
                Value::Object(name) => self.call_named(&format!("{name}.{method}"), &args),
                _ => builtins::method(&receiver, method, &args),
            };
        }
        let callee = self.eval(func);
        let args = self.call_args(call);
        if args.opaque {
            return Value::Unknown;
        }
        match &callee {
            Value::Object(name) => self.call_named(name, &args),
            _ => Value::Unknown,
        }
    }

    fn call_named(&mut self, name: &str, args: &CallArgs) -> Value {
        match self.env_call(name, args) {
            Some(v) => v,
            None => builtins::call(name, args, &self.path).unwrap_or(Value::Unknown),
        }
    }

    fn inline(&mut self, helper: &Helper<'t>, args: CallArgs) -> Value {
        if args.opaque {
            return Value::Unknown;
        }
        let mut frame = HashMap::new();
        let mut positional = args.positional.into_iter();
        for (name, default) in &helper.params {
            let value = if let Some(v) = positional.next() {
                v
            } else if let Some((_, v)) = args.keywords.iter().find(|(k, _)| k == name) {
                v.clone()
            } else if let Some(d) = default {
                self.eval(*d)
            } else {
                return Value::Unknown;
            };
            frame.insert(name.clone(), value);
        }
        self.locals.push(frame);
        let v = self.eval(helper.body);
        self.locals.pop();
        v
    }

    // ----- environment reads ------------------------------------------------------------------

    /// Calls that read the environment: `os.environ.get`, `os.getenv`, django-environ's `env(...)`
    /// and `env.bool(...)`, decouple's `config(...)`. `None` when `name` is none of them.
    fn env_call(&mut self, name: &str, args: &CallArgs) -> Option<Value> {
        let var = args
            .positional
            .first()
            .cloned()
            .or_else(|| args.keyword("var").cloned());
        let var = var.unwrap_or(Value::Unknown);
        match name {
            "os.environ.get" | "os.getenv" | "os.environ.setdefault" => {
                let default = args
                    .positional
                    .get(1)
                    .cloned()
                    .or_else(|| args.keyword("default").cloned());
                Some(self.env_read(EnvReadSpec {
                    reader: name,
                    var,
                    default,
                    cast: super::value::EnvCast::Str,
                }))
            }
            "environ.Env" => {
                let id = format!("environ.Env#{}", self.env_schemas.len());
                let schema = args
                    .keywords
                    .iter()
                    .filter_map(|(k, v)| match v {
                        Value::Tuple(items) if items.len() == 2 => {
                            Some((k.clone(), Value::Tuple(items.clone())))
                        }
                        Value::Tuple(items) if items.len() == 1 => {
                            Some((k.clone(), Value::Tuple(items.clone())))
                        }
                        _ => None,
                    })
                    .collect();
                self.env_schemas.insert(id.clone(), schema);
                Some(Value::Object(id))
            }
            _ if name.starts_with("environ.Env#") => {
                let (instance, method) = match name
                    .split_once("#")
                    .and_then(|(_, rest)| rest.split_once('.'))
                {
                    Some((n, m)) => (format!("environ.Env#{n}"), m),
                    None => (name.to_string(), ""),
                };
                Some(self.django_environ_read(&instance, method, var, args))
            }
            "decouple.config" | "decouple.AutoConfig()" => Some(self.decouple_read(var, args)),
            _ => None,
        }
    }

    fn django_environ_read(
        &mut self,
        instance: &str,
        method: &str,
        var: Value,
        args: &CallArgs,
    ) -> Value {
        let explicit_default = args.keyword("default").cloned().or_else(|| {
            if method.is_empty() {
                args.positional.get(2).cloned()
            } else {
                args.positional.get(1).cloned()
            }
        });
        let schema_entry = var.as_str().and_then(|v| {
            self.env_schemas
                .get(instance)
                .and_then(|s| s.iter().find(|(k, _)| k == v).map(|(_, spec)| spec.clone()))
        });
        let (schema_cast, schema_default) = match &schema_entry {
            Some(Value::Tuple(items)) => (items.first().cloned(), items.get(1).cloned()),
            _ => (None, None),
        };
        let cast = match method {
            "bool" => super::value::EnvCast::Bool,
            "int" => super::value::EnvCast::Int,
            "float" => super::value::EnvCast::Float,
            "str" => super::value::EnvCast::Str,
            "list" | "tuple" => super::value::EnvCast::List,
            "" => match schema_cast.as_ref().or_else(|| args.keyword("cast")) {
                Some(Value::Object(t)) if t == "builtins.bool" => super::value::EnvCast::Bool,
                Some(Value::Object(t)) if t == "builtins.int" => super::value::EnvCast::Int,
                Some(Value::Object(t)) if t == "builtins.list" => super::value::EnvCast::List,
                Some(_) => super::value::EnvCast::Other,
                None => super::value::EnvCast::Str,
            },
            _ => super::value::EnvCast::Other,
        };
        // django-environ returns the default as given (it does not parse defaults)
        let default = explicit_default.or(schema_default);
        let reader = if method.is_empty() {
            "env".to_string()
        } else {
            format!("env.{method}")
        };
        self.env_read(EnvReadSpec {
            reader: &reader,
            var,
            default,
            cast,
        })
    }

    fn decouple_read(&mut self, var: Value, args: &CallArgs) -> Value {
        let default = args
            .keyword("default")
            .cloned()
            .or_else(|| args.positional.get(1).cloned());
        let cast_value = args
            .keyword("cast")
            .cloned()
            .or_else(|| args.positional.get(2).cloned());
        let cast = match &cast_value {
            None => super::value::EnvCast::Str,
            Some(Value::Object(t)) if t == "builtins.bool" => super::value::EnvCast::Bool,
            Some(Value::Object(t)) if t == "builtins.int" => super::value::EnvCast::Int,
            Some(Value::Object(t)) if t == "builtins.float" => super::value::EnvCast::Float,
            Some(Value::Object(t)) if t.starts_with("decouple.Csv(") => super::value::EnvCast::List,
            Some(_) => super::value::EnvCast::Other,
        };
        // decouple casts the default too
        let cast_default = default.map(|d| builtins::decouple_cast(&d, cast, cast_value.as_ref()));
        self.env_read(EnvReadSpec {
            reader: "config",
            var,
            default: cast_default,
            cast,
        })
    }

    fn env_read(&mut self, spec: EnvReadSpec<'_>) -> Value {
        let read = EnvRead {
            var: spec.var.as_str().map(str::to_string),
            default: spec.default.clone().map(Box::new),
            cast: spec.cast,
            reader: spec.reader.to_string(),
        };
        self.reads.push(read.clone());
        match spec.default {
            // the production world: the variable is unset, so the default applies
            Some(d) => d,
            None => Value::FromEnv(read),
        }
    }
}

struct EnvReadSpec<'a> {
    reader: &'a str,
    var: Value,
    default: Option<Value>,
    cast: super::value::EnvCast,
}

impl<'a> EnvReadSpec<'a> {
    fn required(reader: &'a str, var: Value) -> Self {
        Self {
            reader,
            var,
            default: None,
            cast: super::value::EnvCast::Str,
        }
    }
}

/// A project module as a value: `Object("module:/path/to/mod.py")`.
const MODULE_OBJECT: &str = "module:";

fn module_object(file: &Path) -> String {
    format!("{MODULE_OBJECT}{}", file.display())
}

fn imported_binding(b: &Binding, site: Site) -> Binding {
    Binding {
        value: b.value.clone(),
        origin: Some(b.cause().clone()),
        site,
        literal: None,
        mutated: false,
        env: b.env.clone(),
    }
}

fn unknown_binding(site: Site) -> Binding {
    Binding {
        value: Value::Unknown,
        site,
        origin: None,
        literal: None,
        mutated: false,
        env: Vec::new(),
    }
}

fn tri_value(t: Tri) -> Value {
    match t {
        Tri::Yes => Value::Bool(true),
        Tri::No => Value::Bool(false),
        Tri::Unknown => Value::Unknown,
    }
}

/// "One of" several values, flattened and deduplicated; a single possibility is itself.
fn one_of(values: Vec<Value>) -> Value {
    let mut out: Vec<Value> = Vec::new();
    for v in values {
        match v {
            Value::OneOf(inner) => {
                for i in inner {
                    if !out.contains(&i) {
                        out.push(i);
                    }
                }
            }
            Value::Unknown | Value::FromEnv(_) => return Value::Unknown,
            v => {
                if !out.contains(&v) {
                    out.push(v);
                }
            }
        }
    }
    if out.len() == 1 {
        out.pop().unwrap_or(Value::Unknown)
    } else {
        Value::OneOf(out)
    }
}

/// Merges the scopes of several branches that may each have run.
fn merge_scopes(
    before: &BTreeMap<String, Binding>,
    outcomes: Vec<BTreeMap<String, Binding>>,
) -> BTreeMap<String, Binding> {
    let mut names: Vec<&String> = outcomes.iter().flat_map(|o| o.keys()).collect();
    names.sort();
    names.dedup();
    let mut merged = BTreeMap::new();
    for name in names {
        let versions: Vec<Option<&Binding>> = outcomes.iter().map(|o| o.get(name)).collect();
        let first = versions.iter().flatten().next().copied();
        let Some(first) = first else { continue };
        // the site shown is the first branch's change, if any branch changed it
        let changed = versions
            .iter()
            .flatten()
            .find(|b| before.get(name) != Some(**b))
            .copied()
            .unwrap_or(first);
        let all_same = versions
            .iter()
            .all(|v| v.map(|b| &b.value) == Some(&first.value));
        let mut binding = changed.clone();
        if !all_same {
            binding.value = if versions.iter().any(Option::is_none) {
                // unbound in some branch: a NameError or a later definition; do not decide
                Value::Unknown
            } else {
                one_of(versions.iter().flatten().map(|b| b.value.clone()).collect())
            };
            binding.literal = None;
            for b in versions.iter().flatten() {
                for r in &b.env {
                    if !binding.env.contains(r) {
                        binding.env.push(r.clone());
                    }
                }
            }
        }
        merged.insert(name.clone(), binding);
    }
    merged
}

/// `value[k1][k2]...` through known containers.
fn get_nested(value: &Value, keys: &[Value]) -> Option<Value> {
    let mut cur = value.clone();
    for k in keys {
        cur = builtins::subscript(&cur, k);
        if cur.is_unknown() {
            return None;
        }
    }
    Some(cur)
}

/// Sets `value[k1][k2]... = new`; false when the path does not lead through known containers.
fn set_nested(value: &mut Value, keys: &[Value], new: Value) -> bool {
    let Some((first, rest)) = keys.split_first() else {
        *value = new;
        return true;
    };
    match value {
        Value::Dict(items) => {
            if rest.is_empty() {
                if first.is_unknown() {
                    return false;
                }
                builtins::dict_set(items, first.clone(), new);
                return true;
            }
            match items.iter_mut().rev().find(|(k, _)| k == first) {
                Some((_, inner)) => set_nested(inner, rest, new),
                None => false,
            }
        }
        Value::List(items) => {
            let Value::Int(i) = first else { return false };
            let len = items.len() as i64;
            let idx = if *i < 0 { len + i } else { *i };
            if idx < 0 || idx >= len {
                return false;
            }
            set_nested(&mut items[idx as usize], rest, new)
        }
        _ => false,
    }
}

fn literal_of(node: Node<'_>, src: &str) -> Option<Literal> {
    let kind = match node.kind() {
        "list" => LiteralKind::List,
        "tuple" => LiteralKind::Tuple,
        "dictionary" => LiteralKind::Dict,
        "set" => LiteralKind::Set,
        "string" | "concatenated_string" => LiteralKind::Str,
        "true" | "false" | "none" | "integer" | "float" => LiteralKind::Other,
        _ => return None,
    };
    let mut elements = Vec::new();
    let mut keys = Vec::new();
    if matches!(
        kind,
        LiteralKind::List | LiteralKind::Tuple | LiteralKind::Dict | LiteralKind::Set
    ) {
        let mut cursor = node.walk();
        for child in node.named_children(&mut cursor) {
            if child.kind() == "comment" {
                continue;
            }
            elements.push(TextRange::new(child.start_byte(), child.end_byte()));
            if kind == LiteralKind::Dict {
                let key = child
                    .child_by_field_name("key")
                    .filter(|k| k.kind() == "string")
                    .and_then(|k| parse_string(&src[k.start_byte()..k.end_byte()]));
                keys.push(key);
            }
        }
    }
    Some(Literal {
        kind,
        range: TextRange::new(node.start_byte(), node.end_byte()),
        elements,
        keys,
    })
}

fn last_block(node: Node<'_>) -> Option<Node<'_>> {
    let mut cursor = node.walk();
    node.named_children(&mut cursor)
        .filter(|c| c.kind() == "block")
        .last()
}

fn has_child_kind(node: Node<'_>, kind: &str) -> bool {
    let mut cursor = node.walk();
    node.children(&mut cursor).any(|c| c.kind() == kind)
}

fn collect_identifiers<'t>(node: Node<'t>, out: &mut Vec<Node<'t>>) {
    match node.kind() {
        "identifier" => out.push(node),
        "pattern_list"
        | "tuple_pattern"
        | "list_pattern"
        | "parenthesized_expression"
        | "list_splat_pattern" => {
            let mut cursor = node.walk();
            for c in node.named_children(&mut cursor) {
                collect_identifiers(c, out);
            }
        }
        "subscript" | "attribute" => {
            let field = if node.kind() == "subscript" {
                "value"
            } else {
                "object"
            };
            if let Some(v) = node.child_by_field_name(field) {
                collect_identifiers(v, out);
            }
        }
        _ => {}
    }
}
