//! Helpers over values and scopes: merging branches, nested containers, literal shapes.

use tree_sitter::Node;

use super::*;

/// "One of" several values, flattened and deduplicated; a single possibility is itself.
pub(super) fn one_of(values: Vec<Value>) -> Value {
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
pub(super) fn merge_scopes(
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
pub(super) fn get_nested(value: &Value, keys: &[Value]) -> Option<Value> {
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
pub(super) fn set_nested(value: &mut Value, keys: &[Value], new: Value) -> bool {
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

pub(super) fn literal_of(node: Node<'_>) -> Option<Literal> {
    let kind = match node.k() {
        "list" => LiteralKind::List,
        "tuple" => LiteralKind::Tuple,
        "dictionary" => LiteralKind::Dict,
        "set" => LiteralKind::Set,
        "string" | "concatenated_string" => LiteralKind::Str,
        "true" | "false" | "none" | "integer" | "float" => LiteralKind::Other,
        _ => return None,
    };
    // element ranges serve fixes that insert into sequences (MIDDLEWARE, fallbacks)
    let mut elements = Vec::new();
    if matches!(
        kind,
        LiteralKind::List | LiteralKind::Tuple | LiteralKind::Set
    ) {
        let mut cursor = node.walk();
        for child in node.named_children(&mut cursor) {
            if child.k() != "comment" {
                elements.push(TextRange::new(child.start_byte(), child.end_byte()));
            }
        }
    }
    Some(Literal {
        kind,
        range: TextRange::new(node.start_byte(), node.end_byte()),
        elements,
    })
}

pub(super) fn last_block(node: Node<'_>) -> Option<Node<'_>> {
    let mut cursor = node.walk();
    node.named_children(&mut cursor)
        .filter(|c| c.k() == "block")
        .last()
}

pub(super) fn has_child_kind(node: Node<'_>, kind: &str) -> bool {
    let mut cursor = node.walk();
    node.children(&mut cursor).any(|c| c.k() == kind)
}

pub(super) fn collect_identifiers<'t>(node: Node<'t>, out: &mut Vec<Node<'t>>) {
    match node.k() {
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
            let field = if node.k() == "subscript" {
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

/// The expression inside any number of parentheses.
pub(super) fn unparenthesized(mut node: Node<'_>) -> Node<'_> {
    while node.k() == "parenthesized_expression" {
        match node.named_child(0) {
            Some(inner) => node = inner,
            None => break,
        }
    }
    node
}
