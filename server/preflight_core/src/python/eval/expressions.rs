//! Expressions: literals, names, operators, calls (with helper functions inlined).

use tree_sitter::Node;

use super::*;

impl<'t> Evaluator<'t, '_> {
    pub(super) fn eval(&mut self, node: Node<'t>) -> Value {
        self.deepest = self.deepest.max(self.depth);
        if self.depth > MAX_DEPTH {
            self.impure = true;
            return Value::Unknown;
        }
        self.depth += 1;
        let v = self.eval_inner(node);
        self.depth -= 1;
        v
    }

    /// `node`'s value; when its text was evaluated before as a literal, the value remembered
    /// then (an edit re-evaluates the whole module, and most literals did not change).
    pub(super) fn eval_remembered(&mut self, node: Node<'t>) -> Value {
        let text = self.text(node);
        if let Some(value) = self.cache.literals.get(text, self.depth) {
            return value;
        }
        let outer_impure = std::mem::take(&mut self.impure);
        let outer_deepest = std::mem::replace(&mut self.deepest, self.depth);
        let start = self.depth;
        let value = self.eval(node);
        if !self.impure {
            self.cache
                .literals
                .insert(text, &value, self.deepest - start);
        }
        self.impure |= outer_impure;
        self.deepest = self.deepest.max(outer_deepest);
        value
    }

    pub(super) fn eval_inner(&mut self, node: Node<'t>) -> Value {
        let kind = node.k();
        if !reads_only_its_text(kind) {
            self.impure = true;
        }
        match kind {
            "true" => Value::Bool(true),
            "false" => Value::Bool(false),
            "none" => Value::None,
            "integer" => parse_int(self.text(node)).map_or(Value::Unknown, Value::Int),
            "float" => parse_float(self.text(node)).map_or(Value::Unknown, Value::Float),
            "string" => self.eval_string(node).map_or(Value::Unknown, Value::Str),
            "concatenated_string" => {
                let mut cursor = node.walk();
                let parts: Vec<Node<'t>> = node
                    .named_children(&mut cursor)
                    .filter(|c| c.k() == "string")
                    .collect();
                let mut out = String::new();
                for p in parts {
                    match self.eval_string(p) {
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
            "list_comprehension"
            | "set_comprehension"
            | "dictionary_comprehension"
            | "generator_expression" => self.eval_comprehension(node),
            "binary_operator" => {
                let (Some(l), Some(op), Some(r)) = (
                    field(node, fields().left),
                    field(node, fields().operator),
                    field(node, fields().right),
                ) else {
                    return Value::Unknown;
                };
                let (lv, rv) = (self.eval(l), self.eval(r));
                builtins::binary(&lv, self.text(op), &rv)
            }
            "unary_operator" => {
                let (Some(op), Some(arg)) = (
                    field(node, fields().operator),
                    field(node, fields().argument),
                ) else {
                    return Value::Unknown;
                };
                let v = self.eval(arg);
                builtins::unary(self.text(op), &v)
            }
            "not_operator" => {
                let v = node
                    .child_by_field_id(fields().argument.get())
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

    /// A string literal's value; an f-string's too when each replacement field is a known
    /// str, int, bool or None without conversion or format spec (`f"{HOST}:{PORT}"`).
    fn eval_string(&mut self, node: Node<'t>) -> Option<String> {
        if let Some(s) = parse_string(self.text(node)) {
            return Some(s);
        }
        let text = self.text(node);
        let prefix = text[..text.find(['"', '\'']).unwrap_or(0)].to_ascii_lowercase();
        if !prefix.contains('f') || prefix.contains('b') || prefix.contains('t') {
            return None;
        }
        let raw = prefix.contains('r');
        let mut out = String::new();
        let mut cursor = node.walk();
        let children: Vec<Node<'t>> = node.named_children(&mut cursor).collect();
        for child in children {
            match child.k() {
                "string_start" | "string_end" => {}
                "string_content" => {
                    let content = self.text(child);
                    let content = if raw {
                        content.to_string()
                    } else {
                        literal::unescape(content)?
                    };
                    out.push_str(&content.replace("{{", "{").replace("}}", "}"));
                }
                "interpolation" => {
                    let mut c = child.walk();
                    if child
                        .named_children(&mut c)
                        .any(|n| matches!(n.k(), "type_conversion" | "format_specifier"))
                    {
                        return None;
                    }
                    let expr = field(child, fields().expression)?;
                    match self.eval(expr) {
                        Value::Str(s) => out.push_str(&s),
                        v @ (Value::Int(_) | Value::Bool(_) | Value::None) => {
                            out.push_str(&v.to_string())
                        }
                        _ => return None,
                    }
                }
                _ => return None,
            }
        }
        Some(out)
    }

    pub(super) fn eval_items(&mut self, node: Node<'t>) -> Option<Vec<Value>> {
        let mut cursor = node.walk();
        let children: Vec<Node<'t>> = node
            .named_children(&mut cursor)
            .filter(|c| c.k() != "comment")
            .collect();
        let mut out = Vec::with_capacity(children.len());
        for child in children {
            if child.k() == "list_splat" {
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

    pub(super) fn eval_dict(&mut self, node: Node<'t>) -> Value {
        let mut cursor = node.walk();
        let children: Vec<Node<'t>> = node.named_children(&mut cursor).collect();
        let mut items: Vec<(Value, Value)> = Vec::new();
        for child in children {
            match child.k() {
                "pair" => {
                    let k = child
                        .child_by_field_id(fields().key.get())
                        .map_or(Value::Unknown, |n| self.eval(n));
                    let v = child
                        .child_by_field_id(fields().value.get())
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

    pub(super) fn lookup(&self, name: &str) -> Value {
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

    pub(super) fn eval_attribute(&mut self, node: Node<'t>) -> Value {
        let (Some(object), Some(attr)) = (
            field(node, fields().object),
            field(node, fields().attribute),
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

    pub(super) fn eval_subscript(&mut self, node: Node<'t>) -> Value {
        let (Some(value), Some(key)) =
            (field(node, fields().value), field(node, fields().subscript))
        else {
            return Value::Unknown;
        };
        let base = self.eval(value);
        if let Value::Object(o) = &base
            && o == "os.environ"
        {
            let var = self.eval(key);
            self.read_at = Self::range(node);
            return self.env_read(EnvReadSpec::required("os.environ[]", var));
        }
        if key.k() == "slice" {
            return match self.slice_bounds(key) {
                Some(bounds) => builtins::slice(&base, bounds),
                None => Value::Unknown,
            };
        }
        let k = self.eval(key);
        builtins::subscript(&base, &k)
    }

    /// `start:stop:step` with each part optional; `None` when a part is not a known int.
    fn slice_bounds(&mut self, slice: Node<'t>) -> Option<[Option<i64>; 3]> {
        let mut parts: [Option<i64>; 3] = [None; 3];
        let mut index = 0;
        let mut cursor = slice.walk();
        let children: Vec<Node<'t>> = slice.children(&mut cursor).collect();
        for child in children {
            if !child.is_named() {
                if self.text(child) == ":" {
                    index += 1;
                }
                continue;
            }
            match (self.eval(child), index) {
                (Value::Int(i), 0..=2) => parts[index] = Some(i),
                (Value::None, 0..=2) => {}
                _ => return None,
            }
        }
        Some(parts)
    }

    /// `[body for target in iterable if cond]` (and set, dict and generator forms) over a known
    /// iterable, with one `for` clause.
    fn eval_comprehension(&mut self, node: Node<'t>) -> Value {
        const MAX_ITEMS: usize = 10_000;
        let Some(body) = field(node, fields().body) else {
            return Value::Unknown;
        };
        let mut cursor = node.walk();
        let clauses: Vec<Node<'t>> = node.named_children(&mut cursor).skip(1).collect();
        let [for_clause, conditions @ ..] = clauses.as_slice() else {
            return Value::Unknown;
        };
        if for_clause.k() != "for_in_clause" || conditions.iter().any(|c| c.k() != "if_clause") {
            return Value::Unknown;
        }
        let (Some(target), Some(iterable)) = (
            field(*for_clause, fields().left),
            field(*for_clause, fields().right),
        ) else {
            return Value::Unknown;
        };
        let Some(items) = builtins::iterate(&self.eval(iterable)) else {
            return Value::Unknown;
        };
        if items.len() > MAX_ITEMS {
            return Value::Unknown;
        }
        let mut out = Vec::with_capacity(items.len());
        for item in items {
            let Some(frame) = self.bind_target(target, item) else {
                return Value::Unknown;
            };
            self.locals.push(frame);
            let kept = conditions.iter().try_fold(true, |acc, c| {
                let cond = c.named_child(0).map_or(Value::Unknown, |n| self.eval(n));
                match cond.truthy() {
                    Tri::Yes => Some(acc),
                    Tri::No => Some(false),
                    Tri::Unknown => None,
                }
            });
            let value = match kept {
                Some(true) => Some(self.eval_comprehension_body(node.k(), body)),
                Some(false) => None,
                None => {
                    self.locals.pop();
                    return Value::Unknown;
                }
            };
            self.locals.pop();
            if let Some(v) = value {
                out.push(v);
            }
        }
        match node.k() {
            "list_comprehension" | "generator_expression" => Value::List(out),
            "set_comprehension" => Value::Set(builtins::dedup(out)),
            "dictionary_comprehension" => {
                let mut items = Vec::new();
                for pair in out {
                    let Value::Tuple(kv) = pair else {
                        return Value::Unknown;
                    };
                    let [k, v] = <[Value; 2]>::try_from(kv)
                        .ok()
                        .unwrap_or([Value::Unknown, Value::Unknown]);
                    if k.is_unknown() {
                        return Value::Unknown;
                    }
                    builtins::dict_set(&mut items, k, v);
                }
                Value::Dict(items)
            }
            _ => Value::Unknown,
        }
    }

    /// The body of one comprehension item; a dict comprehension's `k: v` pair as a 2-tuple.
    fn eval_comprehension_body(&mut self, kind: &str, body: Node<'t>) -> Value {
        if kind == "dictionary_comprehension" && body.k() == "pair" {
            let k = field(body, fields().key).map_or(Value::Unknown, |n| self.eval(n));
            let v = field(body, fields().value).map_or(Value::Unknown, |n| self.eval(n));
            return Value::Tuple(vec![k, v]);
        }
        self.eval(body)
    }

    /// Binds a loop target (`x` or `k, v`) to an item, as a frame of local names.
    fn bind_target(&self, target: Node<'t>, item: Value) -> Option<HashMap<String, Value>> {
        let mut frame = HashMap::new();
        match target.k() {
            "identifier" => {
                frame.insert(self.text(target).to_string(), item);
            }
            "pattern_list" | "tuple_pattern" | "list_pattern" => {
                let mut cursor = target.walk();
                let names: Vec<Node<'t>> = target.named_children(&mut cursor).collect();
                let parts = match item {
                    Value::Tuple(v) | Value::List(v) if v.len() == names.len() => v,
                    _ => return None,
                };
                for (name, part) in names.into_iter().zip(parts) {
                    if name.k() != "identifier" {
                        return None;
                    }
                    frame.insert(self.text(name).to_string(), part);
                }
            }
            _ => return None,
        }
        Some(frame)
    }

    pub(super) fn eval_boolean(&mut self, node: Node<'t>) -> Value {
        let (Some(l), Some(op), Some(r)) = (
            field(node, fields().left),
            field(node, fields().operator),
            field(node, fields().right),
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
                    // `os.cpu_count() or 1`: a number of the same type either way
                    Value::Symbolic(s) if !is_and => match (&right, s.kind) {
                        (Value::Int(_), crate::python::NumKind::Int)
                        | (Value::Float(_), crate::python::NumKind::Float) => {
                            crate::python::Symbolic::value(s.kind, format!("{} or {right}", s.text))
                        }
                        _ => Value::Unknown,
                    },
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

    pub(super) fn eval_comparison(&mut self, node: Node<'t>) -> Value {
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

    pub(super) fn call_args(&mut self, call: Node<'t>) -> CallArgs {
        let mut args = CallArgs::default();
        let Some(list) = field(call, fields().arguments) else {
            return args;
        };
        if list.k() == "generator_expression" {
            // `tuple(x for x in y)`
            let v = self.eval(list);
            args.positional.push(v);
            return args;
        }
        let mut cursor = list.walk();
        let children: Vec<Node<'t>> = list.named_children(&mut cursor).collect();
        for child in children {
            match child.k() {
                "keyword_argument" => {
                    let (Some(name), Some(value)) =
                        (field(child, fields().name), field(child, fields().value))
                    else {
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

    pub(super) fn eval_call(&mut self, call: Node<'t>) -> Value {
        let Some(func) = field(call, fields().function) else {
            return Value::Unknown;
        };
        // project helpers are inlined
        if func.k() == "identifier"
            && self.locals.len() < MAX_INLINE_DEPTH
            && let Some(helper) = self.helpers.get(self.text(func)).cloned()
        {
            let args = self.call_args(call);
            return self.inline(&helper, args);
        }
        if let Some(helper) = self.configured_env_helper(func) {
            let args = self.call_args(call);
            self.read_at = Self::range(call);
            return self.configured_env_read(&helper, &args);
        }
        // `receiver.method(...)`: the receiver is evaluated once, then either a namespace
        // function (`os.environ.get`) or a method of a known value (`"x".lower()`)
        if func.k() == "attribute" {
            let (Some(object), Some(attr)) = (
                field(func, fields().object),
                field(func, fields().attribute),
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
                Value::Object(name) => {
                    self.read_at = Self::range(call);
                    self.call_named(&format!("{name}.{method}"), &args)
                }
                _ => builtins::method(&receiver, method, &args),
            };
        }
        let callee = self.eval(func);
        let args = self.call_args(call);
        if args.opaque {
            return Value::Unknown;
        }
        match &callee {
            Value::Object(name) => {
                self.read_at = Self::range(call);
                self.call_named(name, &args)
            }
            _ => Value::Unknown,
        }
    }

    pub(super) fn call_named(&mut self, name: &str, args: &CallArgs) -> Value {
        if !self.calls.iter().any(|c| c == name) {
            self.calls.push(name.to_string());
        }
        match self.env_call(name, args) {
            Some(v) => v,
            None => builtins::call(name, args, &self.path).unwrap_or(Value::Unknown),
        }
    }

    pub(super) fn inline(&mut self, helper: &Helper<'t>, args: CallArgs) -> Value {
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
}

pub(super) fn tri_value(t: Tri) -> Value {
    match t {
        Tri::Yes => Value::Bool(true),
        Tri::No => Value::Bool(false),
        Tri::Unknown => Value::Unknown,
    }
}

/// Kinds whose value is computed from their text and their children alone: the others read
/// names, call functions or are not understood.
fn reads_only_its_text(kind: &str) -> bool {
    matches!(
        kind,
        "true"
            | "false"
            | "none"
            | "integer"
            | "float"
            | "string"
            | "concatenated_string"
            | "parenthesized_expression"
            | "list"
            | "tuple"
            | "expression_list"
            | "set"
            | "dictionary"
            | "binary_operator"
            | "unary_operator"
            | "not_operator"
            | "boolean_operator"
            | "comparison_operator"
            | "conditional_expression"
    )
}
