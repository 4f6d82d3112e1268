//! Statements: assignments, mutations, branches, `try`, definitions.

use tree_sitter::Node;

use super::*;

impl<'t> Evaluator<'t, '_> {
    pub(super) fn block(&mut self, block: Node<'t>) -> Flow {
        let mut cursor = block.walk();
        let children: Vec<Node<'t>> = block.named_children(&mut cursor).collect();
        for stmt in children {
            if self.statement(stmt) == Flow::ImportFailed {
                return Flow::ImportFailed;
            }
        }
        Flow::Normal
    }

    pub(super) fn statement(&mut self, stmt: Node<'t>) -> Flow {
        if self.depth > MAX_DEPTH {
            self.forget_assigned_names(stmt);
            return Flow::Normal;
        }
        self.depth += 1;
        let flow = self.statement_inner(stmt);
        self.depth -= 1;
        flow
    }

    pub(super) fn statement_inner(&mut self, stmt: Node<'t>) -> Flow {
        match stmt.k() {
            "expression_statement" => {
                // nearly always one expression: no cursor or list for it (one per statement)
                for i in 0..stmt.named_child_count() {
                    if let Some(child) = stmt.named_child(i) {
                        self.expression_statement(stmt, child);
                    }
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
            "with_statement" => match field(stmt, fields().body) {
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
                if let Some(def) = field(stmt, fields().definition) {
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

    pub(super) fn note_import(&mut self, stmt: Node<'_>) {
        self.import_stmts.insert(Self::range(stmt));
        if stmt.parent().is_some_and(|p| p.k() == "module") {
            self.imports_end = Some(self.imports_end.unwrap_or(0).max(stmt.end_byte()));
        }
    }

    pub(super) fn expression_statement(&mut self, stmt: Node<'t>, expr: Node<'t>) {
        match expr.k() {
            "assignment" => self.assignment(stmt, expr),
            "augmented_assignment" => self.augmented_assignment(stmt, expr),
            "call" => self.call_statement(stmt, expr),
            _ => {}
        }
    }

    pub(super) fn assignment(&mut self, stmt: Node<'t>, node: Node<'t>) {
        // `A = B = value`: the right side of an assignment may itself be an assignment
        let mut targets = Vec::new();
        let mut cur = node;
        loop {
            if let Some(left) = field(cur, fields().left) {
                targets.push(left);
            }
            match field(cur, fields().right) {
                Some(right) if right.k() == "assignment" => cur = right,
                Some(right) => {
                    self.reads.clear();
                    self.calls.clear();
                    let value = self.eval_remembered(right);
                    let origin = Provenance {
                        reads: std::mem::take(&mut self.reads),
                        calls: std::mem::take(&mut self.calls),
                        expr: Some(Self::range(unparenthesized(right))),
                    };
                    let literal = literal_of(right);
                    // `A = B = value`: every target but the last gets a copy
                    let last = targets.pop();
                    for target in targets {
                        self.assign_target(stmt, target, value.clone(), literal.clone(), &origin);
                    }
                    if let Some(target) = last {
                        self.assign_target(stmt, target, value, literal, &origin);
                    }
                    return;
                }
                // an annotation without a value binds nothing
                None => return,
            }
        }
    }

    pub(super) fn assign_target(
        &mut self,
        stmt: Node<'t>,
        target: Node<'t>,
        value: Value,
        literal: Option<Literal>,
        origin: &Provenance,
    ) {
        match target.k() {
            "identifier" => {
                let name = self.text(target).to_string();
                let binding = Binding {
                    value,
                    site: self.site(stmt, target),
                    origin: None,
                    literal,
                    mutated: false,
                    env: origin.reads.clone(),
                    expr: origin.expr,
                    calls: origin.calls.clone(),
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
                    let part_origin = Provenance {
                        expr: None,
                        ..origin.clone()
                    };
                    self.assign_target(stmt, part, v, None, &part_origin);
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
    pub(super) fn subscript_chain(&mut self, node: Node<'t>) -> Option<(Node<'t>, Vec<Value>)> {
        let mut keys = Vec::new();
        let mut cur = node;
        while cur.k() == "subscript" {
            let key = cur
                .child_by_field_id(fields().subscript.get())
                .map_or(Value::Unknown, |k| self.eval(k));
            keys.push(key);
            cur = field(cur, fields().value)?;
        }
        keys.reverse();
        Some((cur, keys))
    }

    /// `NAME[k1][k2] = value`: updates a nested dict (or list item) of a module-level name.
    pub(super) fn subscript_assignment(&mut self, stmt: Node<'t>, target: Node<'t>, value: Value) {
        let Some((base, keys)) = self.subscript_chain(target) else {
            return;
        };
        if base.k() == "call" && self.is_dynamic_namespace_call(base) {
            // `globals()["X"] = ...`
            self.open = true;
            return;
        }
        if base.k() != "identifier" {
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

    pub(super) fn augmented_assignment(&mut self, stmt: Node<'t>, node: Node<'t>) {
        let (Some(left), Some(op), Some(right)) = (
            field(node, fields().left),
            field(node, fields().operator),
            field(node, fields().right),
        ) else {
            return;
        };
        if left.k() != "identifier" {
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
                    mutated: true,
                    env: reads,
                    ..Binding::new(Value::Unknown, site)
                };
                self.scope.insert(name, binding);
            }
            None => {}
        }
    }

    /// A call used as a statement: list/dict mutations, or dynamic injection of names.
    pub(super) fn call_statement(&mut self, stmt: Node<'t>, call: Node<'t>) {
        let Some(func) = field(call, fields().function) else {
            return;
        };
        if self.is_dynamic_injection(call, func) {
            self.open = true;
            return;
        }
        if func.k() != "attribute" {
            self.forget_call_arguments_if_mutable(call);
            return;
        }
        let (Some(object), Some(method)) = (
            field(func, fields().object),
            field(func, fields().attribute),
        ) else {
            return;
        };
        if object.k() == "call" && self.is_dynamic_namespace_call(object) {
            // `globals().update(...)`, `vars().update(...)`
            self.open = true;
            return;
        }
        // `NAME.append(x)` or `NAME[k1][k2].append(x)`
        let Some((base, keys)) = self.subscript_chain(object) else {
            return;
        };
        if base.k() != "identifier" {
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

    pub(super) fn set_unknown_after_mutation(
        &mut self,
        stmt: Node<'t>,
        base: Node<'t>,
        name: &str,
    ) {
        let site = self.site(stmt, base);
        if let Some(binding) = self.scope.get_mut(name) {
            binding.value = Value::Unknown;
            binding.site = site;
            binding.mutated = true;
        }
    }

    /// `exec(...)`, `setattr(sys.modules[__name__], ...)`, `locals().update`: names appear that
    /// no static reading can see.
    pub(super) fn is_dynamic_injection(&self, call: Node<'_>, func: Node<'_>) -> bool {
        match func.k() {
            "identifier" => matches!(self.text(func), "exec" | "setattr" | "include" | "eval"),
            "attribute" => {
                let text = self.text(func);
                text.ends_with(".include") || text == "split_settings.tools.include" || {
                    let object = field(func, fields().object);
                    object.is_some_and(|o| o.k() == "call" && self.is_dynamic_namespace_call(o))
                        && call.k() == "call"
                }
            }
            _ => false,
        }
    }

    pub(super) fn is_dynamic_namespace_call(&self, call: Node<'_>) -> bool {
        field(call, fields().function)
            .is_some_and(|f| matches!(self.text(f), "globals" | "vars" | "locals"))
    }

    /// A call to an unknown function may mutate the lists and dicts passed to it.
    pub(super) fn forget_call_arguments_if_mutable(&mut self, call: Node<'_>) {
        let Some(func) = field(call, fields().function) else {
            return;
        };
        let callee = self.text(func);
        if builtins::is_pure_builtin(callee) || self.helpers.contains_key(callee) {
            return;
        }
        let Some(args) = field(call, fields().arguments) else {
            return;
        };
        let mut cursor = args.walk();
        for arg in args.named_children(&mut cursor) {
            if arg.k() == "identifier" {
                let name = self.text(arg);
                if let Some(b) = self.scope.get_mut(name)
                    && matches!(b.value, Value::List(_) | Value::Dict(_) | Value::Set(_))
                {
                    b.value = Value::Unknown;
                }
            }
        }
    }

    pub(super) fn if_statement(&mut self, stmt: Node<'t>) -> Flow {
        // the chain of (condition, body) pairs, then the optional else body
        let mut arms: Vec<(Option<Node<'t>>, Node<'t>)> = Vec::new();
        if let (Some(c), Some(b)) = (
            field(stmt, fields().condition),
            field(stmt, fields().consequence),
        ) {
            arms.push((Some(c), b));
        }
        let mut cursor = stmt.walk();
        for alt in stmt.children_by_field_id(fields().alternative, &mut cursor) {
            match alt.k() {
                "elif_clause" => {
                    if let (Some(c), Some(b)) = (
                        field(alt, fields().condition),
                        field(alt, fields().consequence),
                    ) {
                        arms.push((Some(c), b));
                    }
                }
                "else_clause" => {
                    if let Some(b) = field(alt, fields().body) {
                        arms.push((None, b));
                    }
                }
                _ => {}
            }
        }
        if arms.last().is_some_and(|(c, _)| c.is_some()) {
            // no else: an empty arm
            arms.push((None, field(stmt, fields().condition).unwrap_or(stmt)));
        }
        let has_else = field(stmt, fields().alternative).is_some_and(|_| {
            let mut c = stmt.walk();
            stmt.children_by_field_id(fields().alternative, &mut c)
                .any(|a| a.k() == "else_clause")
        });
        self.branches(arms, has_else)
    }

    /// Evaluates `if/elif/else` arms: a known condition picks its arm; unknown ones run every
    /// arm that may be taken and merge the results into "one of" values.
    pub(super) fn branches(
        &mut self,
        arms: Vec<(Option<Node<'t>>, Node<'t>)>,
        has_else: bool,
    ) -> Flow {
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

    pub(super) fn try_statement(&mut self, stmt: Node<'t>) -> Flow {
        let Some(body) = field(stmt, fields().body) else {
            return Flow::Normal;
        };
        let before = self.scope.clone();
        let mut cursor = stmt.walk();
        let clauses: Vec<Node<'t>> = stmt.named_children(&mut cursor).collect();
        if self.block(body) == Flow::ImportFailed {
            // the import raised ImportError: what the body did before it stays, then a handler runs
            let handler = clauses.iter().find(|c| c.k() == "except_clause");
            if let Some(block) = handler.and_then(|h| last_block(*h)) {
                let _ = self.block(block);
            } else {
                self.scope = before;
            }
        } else if let Some(block) = clauses
            .iter()
            .find(|c| c.k() == "else_clause")
            .and_then(|c| field(*c, fields().body))
        {
            let _ = self.block(block);
        }
        if let Some(block) = clauses
            .iter()
            .find(|c| c.k() == "finally_clause")
            .and_then(|c| last_block(*c))
        {
            let _ = self.block(block);
        }
        Flow::Normal
    }

    pub(super) fn function_definition(&mut self, def: Node<'t>) {
        let Some(name_node) = field(def, fields().name) else {
            return;
        };
        let name = self.text(name_node).to_string();
        if let Some(helper) = self.helper_of(def) {
            self.helpers.insert(name.clone(), helper);
        } else {
            self.helpers.remove(&name);
        }
        let site = self.site(def, name_node);
        if let Some(params) = field(def, fields().parameters) {
            let function = crate::python::Function {
                site: site.clone(),
                positional: positional_parameters(params),
                parameters: Self::range(params),
            };
            self.functions.insert(name.clone(), function);
        }
        let binding = Binding::new(Value::Object(format!("function {name}")), site);
        self.scope.insert(name, binding);
    }

    /// A function whose body is `return EXPR` (after an optional docstring) with plain
    /// parameters can be inlined.
    pub(super) fn helper_of(&self, def: Node<'t>) -> Option<Helper<'t>> {
        let params = field(def, fields().parameters)?;
        let body = field(def, fields().body)?;
        let mut cursor = body.walk();
        let stmts: Vec<Node<'t>> = body
            .named_children(&mut cursor)
            .filter(|s| s.k() != "comment")
            .collect();
        let ret = match stmts.as_slice() {
            [r] => *r,
            [doc, r]
                if doc.k() == "expression_statement"
                    && doc.named_child(0).is_some_and(|s| s.k() == "string") =>
            {
                *r
            }
            _ => return None,
        };
        if ret.k() != "return_statement" {
            return None;
        }
        let expr = ret.named_child(0)?;
        let mut out = Vec::new();
        let mut cursor = params.walk();
        for p in params.named_children(&mut cursor) {
            match p.k() {
                "identifier" => out.push((self.text(p).to_string(), None)),
                "default_parameter" | "typed_default_parameter" => {
                    let name = field(p, fields().name)?;
                    out.push((self.text(name).to_string(), field(p, fields().value)));
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

    pub(super) fn bind_unknown_definition(&mut self, stmt: Node<'t>, def: Node<'t>) {
        if let Some(name) = field(def, fields().name) {
            let binding = Binding::new(Value::Unknown, self.site(stmt, name));
            self.helpers.remove(self.text(name));
            self.scope.insert(self.text(name).to_string(), binding);
        }
    }

    pub(super) fn delete_statement(&mut self, stmt: Node<'t>) {
        let mut cursor = stmt.walk();
        let targets: Vec<Node<'t>> = stmt.named_children(&mut cursor).collect();
        for t in targets {
            let items: Vec<Node<'t>> = if t.k() == "expression_list" {
                let mut c = t.walk();
                t.named_children(&mut c).collect()
            } else {
                vec![t]
            };
            for item in items {
                match item.k() {
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
    pub(super) fn forget_assigned_names(&mut self, node: Node<'t>) {
        let mut names = Vec::new();
        let mut stack = vec![node];
        let mut cursor = node.walk();
        while let Some(n) = stack.pop() {
            match n.k() {
                "assignment" | "augmented_assignment" | "for_statement" | "for_in_clause" => {
                    if let Some(left) = field(n, fields().left) {
                        collect_identifiers(left, &mut names);
                    }
                }
                "call" => {
                    if let Some(f) = field(n, fields().function) {
                        if f.k() == "attribute"
                            && let Some(o) = field(f, fields().object)
                        {
                            collect_identifiers(o, &mut names);
                        }
                        if f.k() == "identifier" && matches!(self.text(f), "exec" | "setattr") {
                            self.open = true;
                        }
                        if matches!(self.text(f), "globals" | "vars" | "locals") {
                            self.open = true;
                        }
                    }
                }
                "function_definition" | "class_definition" => {
                    if let Some(name) = field(n, fields().name) {
                        names.push(name);
                    }
                    continue;
                }
                "subscript" => {
                    if let Some(v) = field(n, fields().value)
                        && v.k() == "identifier"
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
                    mutated: true,
                    ..Binding::new(Value::Unknown, site.clone())
                });
            if matches!(entry.value, Value::Object(_)) {
                continue;
            }
            entry.value = Value::Unknown;
            entry.site = site;
            entry.mutated = true;
        }
    }

    pub(super) fn forget_with_targets(&mut self, stmt: Node<'t>) {
        let mut cursor = stmt.walk();
        let mut stack: Vec<Node<'t>> = stmt
            .children(&mut cursor)
            .filter(|c| c.k() == "with_clause")
            .collect();
        while let Some(n) = stack.pop() {
            if n.k() == "as_pattern"
                && let Some(alias) = field(n, fields().alias)
            {
                self.forget_assigned_names_in_target(stmt, alias);
            }
            let mut c = n.walk();
            stack.extend(n.named_children(&mut c));
        }
    }

    pub(super) fn forget_assigned_names_in_target(&mut self, stmt: Node<'t>, target: Node<'t>) {
        let mut names = Vec::new();
        collect_identifiers(target, &mut names);
        for n in names {
            let binding = Binding::new(Value::Unknown, self.site(stmt, n));
            self.scope.insert(self.text(n).to_string(), binding);
        }
    }

    // ----- imports ----------------------------------------------------------------------------
}

/// The positional parameters of a `def` as `inspect.signature` counts them: those before a
/// `*`, `*args` or `**kwargs` (a `/` separator is not a parameter).
fn positional_parameters(params: Node<'_>) -> usize {
    let mut count = 0;
    let mut cursor = params.walk();
    for p in params.named_children(&mut cursor) {
        let kind = match p.k() {
            "typed_parameter" => p.named_child(0).map_or("identifier", |c| c.k()),
            k => k,
        };
        match kind {
            "identifier" | "default_parameter" | "typed_default_parameter" | "tuple_pattern" => {
                count += 1
            }
            "list_splat_pattern" | "dictionary_splat_pattern" | "keyword_separator" => break,
            _ => {}
        }
    }
    count
}
