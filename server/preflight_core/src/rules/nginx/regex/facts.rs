//! What the text a regex matches can look like: whether it can or must start with a character,
//! whether it can contain one, whether it is a fixed set of words. Asked about a location's
//! capture groups (the `alias` traversal checks); the characters asked about (`/`, `.`) have no
//! case, so case-insensitive regexes need no special treatment.

use super::syntax::{Category, ClassItem, Node, parse};

/// Facts of a regex (or of a capture group's contents).
pub struct Facts {
    nodes: Vec<Node>,
}

impl Facts {
    /// `None` when the regex is not analysed (it does not parse on its own, or is too deep).
    pub fn of(regex: &str) -> Option<Facts> {
        Some(Facts {
            nodes: parse(regex).ok()?.nodes,
        })
    }

    /// Whether some match starts with `c`.
    pub fn can_start_with(&self, c: char) -> bool {
        seq_can_start(&self.nodes, c)
    }

    /// Whether every match starts with `c` (false when the empty string matches).
    pub fn must_start_with(&self, c: char) -> bool {
        seq_must_start(&self.nodes, c)
    }

    /// Whether some match contains `c`.
    pub fn can_contain(&self, c: char) -> bool {
        self.nodes.iter().any(|n| can_contain(n, c))
    }

    /// Whether it matches only a fixed set of strings written out in the regex (`jpg|png`,
    /// `[ab]`): no repetition, no back-reference.
    pub fn is_fixed_set(&self) -> bool {
        self.nodes.iter().all(fixed)
    }
}

// The recursion below is bounded by the parser's nesting limit.

fn zero_width(node: &Node) -> bool {
    matches!(node, Node::At(_) | Node::Look { .. })
}

fn class_has(items: &[ClassItem], c: char) -> bool {
    let negated = items.first() == Some(&ClassItem::Negate);
    let unknown = items
        .iter()
        .any(|i| matches!(i, ClassItem::Category(Category::Other)));
    let member = items.iter().any(|item| match *item {
        ClassItem::Literal(x) => x == c,
        ClassItem::Range(a, b) => a <= c && c <= b,
        ClassItem::Category(category) => category == Category::Other || category.contains(c),
        ClassItem::Negate => false,
    });
    // a category Preflight does not enumerate may hold anything
    if negated { unknown || !member } else { member }
}

fn can_be_empty(node: &Node) -> bool {
    match node {
        Node::Literal(_) | Node::NotLiteral(_) | Node::Any | Node::Class(_) => false,
        Node::At(_) | Node::Look { .. } | Node::Backref(_) => true,
        Node::Branch(alternatives) => alternatives.iter().any(|a| a.iter().all(can_be_empty)),
        Node::Group { body, .. } | Node::Atomic(body) => body.iter().all(can_be_empty),
        Node::Repeat { min, body, .. } => *min == 0 || body.iter().all(can_be_empty),
    }
}

fn can_start(node: &Node, c: char) -> bool {
    match node {
        Node::Literal(x) => *x == c,
        Node::NotLiteral(x) => *x != c,
        Node::Any => c != '\n',
        Node::Class(items) => class_has(items, c),
        Node::At(_) | Node::Look { .. } => false,
        Node::Backref(_) => true,
        Node::Branch(alternatives) => alternatives.iter().any(|a| seq_can_start(a, c)),
        Node::Group { body, .. } | Node::Atomic(body) => seq_can_start(body, c),
        Node::Repeat { max, body, .. } => *max > 0 && seq_can_start(body, c),
    }
}

fn seq_can_start(nodes: &[Node], c: char) -> bool {
    for node in nodes {
        if can_start(node, c) {
            return true;
        }
        if !can_be_empty(node) {
            return false;
        }
    }
    false
}

fn must_start(node: &Node, c: char) -> bool {
    match node {
        Node::Literal(x) => *x == c,
        Node::Class(items) => {
            !items.is_empty() && items.iter().all(|i| *i == ClassItem::Literal(c))
        }
        Node::Branch(alternatives) => alternatives.iter().all(|a| seq_must_start(a, c)),
        Node::Group { body, .. } | Node::Atomic(body) => seq_must_start(body, c),
        Node::Repeat { min, body, .. } => *min > 0 && seq_must_start(body, c),
        _ => false,
    }
}

fn seq_must_start(nodes: &[Node], c: char) -> bool {
    nodes
        .iter()
        .find(|n| !zero_width(n))
        .is_some_and(|n| must_start(n, c))
}

fn can_contain(node: &Node, c: char) -> bool {
    match node {
        Node::Literal(x) => *x == c,
        Node::NotLiteral(x) => *x != c,
        Node::Any => c != '\n',
        Node::Class(items) => class_has(items, c),
        Node::At(_) | Node::Look { .. } => false,
        Node::Backref(_) => true,
        Node::Branch(alternatives) => alternatives.iter().flatten().any(|n| can_contain(n, c)),
        Node::Group { body, .. } | Node::Atomic(body) => body.iter().any(|n| can_contain(n, c)),
        Node::Repeat { max, body, .. } => *max > 0 && body.iter().any(|n| can_contain(n, c)),
    }
}

fn fixed(node: &Node) -> bool {
    match node {
        Node::Repeat { .. } | Node::Backref(_) => false,
        Node::Branch(alternatives) => alternatives.iter().flatten().all(fixed),
        Node::Group { body, .. } | Node::Atomic(body) | Node::Look { body, .. } => {
            body.iter().all(fixed)
        }
        _ => true,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn facts(re: &str) -> Facts {
        Facts::of(re).unwrap()
    }

    #[test]
    fn starts_and_contents() {
        assert!(facts(".*").can_start_with('.'));
        assert!(!facts(".*").must_start_with('/'));
        assert!(facts("/.*").must_start_with('/'));
        assert!(facts(r"\/.*").must_start_with('/'));
        assert!(!facts("[^/]*").can_contain('/'));
        assert!(facts("[^/]*").can_start_with('.'));
        assert!(!facts(r"l\.").can_start_with('.'));
        assert!(facts(r"a?\.x").can_start_with('.'));
        assert!(!facts(r"\w+").can_start_with('.'));
        assert!(!facts(r"[\w-]+").can_contain('/'));
        assert!(facts(r"[^\d]+").can_contain('/'));
        assert!(facts("(?:/a|/b)c").must_start_with('/'));
        assert!(!facts("(?:/a|b)c").must_start_with('/'));
        assert!(!facts("(?:/a)?b").must_start_with('/'));
        assert!(facts(r"(?=x)/").must_start_with('/'));
        assert!(facts(r"[\p{L}/]").can_contain('.'));
        assert!(facts("jpg|png").is_fixed_set());
        assert!(!facts("a+|b").is_fixed_set());
        assert!(Facts::of("(").is_none());
    }
}
