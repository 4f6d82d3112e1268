//! Sample strings a regex matches, gixy-ng's `Regexp.generate`: every combination of
//! alternatives, repetitions written out (at most five times), a "dangerous" character placed
//! wherever the regex allows one, and `^`/`$` kept where the regex anchors. The origins rule
//! probes the samples with hosts of its own to find what an origin check lets through.
//!
//! gixy picks random members of classes that do not hold the dangerous character; this picks
//! the first one, so results are stable.

use std::collections::HashMap;

use super::syntax::{Anchor, Category, ClassItem, Node};

/// Stand-ins for `^` and `$` while generating (interior anchors mark impossible samples).
const BEGIN: char = '\u{0}';
const END: char = '\u{7f}';
/// gixy's `max_repeat`.
const MAX_REPEAT: u32 = 5;
/// At most this many samples (a product of many alternations grows fast).
const MAX_SAMPLES: usize = 4096;
/// Samples longer than this are dropped (nested repetitions multiply lengths).
const MAX_LEN: usize = 2048;
/// Backreferences followed at most this deep.
const MAX_DEPTH: usize = 4;

/// The samples of a regex, with `^` / `$` where the regex anchors the sample.
pub fn samples(nodes: &[Node], dangerous: char) -> Vec<String> {
    let mut groups = HashMap::new();
    collect_groups(nodes, &mut groups);
    let generator = Generator {
        dangerous,
        groups,
        depth: std::cell::Cell::new(0),
    };
    generator
        .sequence(nodes)
        .into_iter()
        .filter_map(|value| {
            let body = value.trim_start_matches(BEGIN).trim_end_matches(END);
            if body.contains(BEGIN) || body.contains(END) {
                // `^` after the start or `$` before the end: matches nothing
                return None;
            }
            let leading = if value.starts_with(BEGIN) { "^" } else { "" };
            let trailing = if value.ends_with(END) { "$" } else { "" };
            Some(format!("{leading}{body}{trailing}"))
        })
        .collect()
}

fn collect_groups<'a>(nodes: &'a [Node], out: &mut HashMap<u32, &'a [Node]>) {
    for node in nodes {
        match node {
            Node::Group { index, body } => {
                if let Some(i) = index {
                    out.insert(*i, body);
                }
                collect_groups(body, out);
            }
            Node::Repeat { body, .. } | Node::Look { body, .. } | Node::Atomic(body) => {
                collect_groups(body, out)
            }
            Node::Branch(branches) => branches.iter().for_each(|b| collect_groups(b, out)),
            _ => {}
        }
    }
}

struct Generator<'a> {
    dangerous: char,
    groups: HashMap<u32, &'a [Node]>,
    depth: std::cell::Cell<usize>,
}

impl Generator<'_> {
    /// Every combination of the items' alternatives, in order.
    fn sequence(&self, nodes: &[Node]) -> Vec<String> {
        let mut out = vec![String::new()];
        for node in nodes {
            let options = self.node(node);
            if options.is_empty() {
                return Vec::new();
            }
            let mut next = Vec::with_capacity(out.len().saturating_mul(options.len()));
            'outer: for prefix in &out {
                for option in &options {
                    if next.len() >= MAX_SAMPLES {
                        break 'outer;
                    }
                    if prefix.len() + option.len() <= MAX_LEN {
                        next.push(format!("{prefix}{option}"));
                    }
                }
            }
            out = next;
        }
        out
    }

    /// The alternatives one item contributes.
    fn node(&self, node: &Node) -> Vec<String> {
        let one = |c: char| vec![c.to_string()];
        match node {
            Node::Literal(c) => one(*c),
            Node::NotLiteral(c) => one(if *c != self.dangerous {
                self.dangerous
            } else {
                'a'
            }),
            Node::Any => one(if self.dangerous == '\n' {
                'a'
            } else {
                self.dangerous
            }),
            Node::Class(items) => self.class(items),
            Node::At(Anchor::Begin | Anchor::BeginString) => one(BEGIN),
            Node::At(Anchor::End | Anchor::EndString) => one(END),
            Node::At(_) | Node::Look { .. } => vec![String::new()],
            Node::Branch(branches) => {
                let mut out = Vec::new();
                for branch in branches {
                    out.extend(self.sequence(branch));
                    if out.len() >= MAX_SAMPLES {
                        out.truncate(MAX_SAMPLES);
                        break;
                    }
                }
                out
            }
            Node::Group { body, .. } | Node::Atomic(body) => self.sequence(body),
            Node::Repeat { min, max, body, .. } => {
                let mut options = Vec::new();
                if *min == 0 {
                    options.push(String::new());
                }
                if *max == 0 {
                    return options;
                }
                let times = (*max).min(MAX_REPEAT) as usize;
                options.extend(
                    self.sequence(body)
                        .iter()
                        .filter(|s| s.len().saturating_mul(times) <= MAX_LEN)
                        .map(|s| s.repeat(times)),
                );
                options
            }
            Node::Backref(n) => {
                let Some(body) = self.groups.get(n) else {
                    return vec![String::new()];
                };
                if self.depth.get() >= MAX_DEPTH {
                    return vec![String::new()];
                }
                self.depth.set(self.depth.get() + 1);
                let out = self.sequence(body);
                self.depth.set(self.depth.get() - 1);
                out
            }
        }
    }

    /// The dangerous character when the class holds it; else, for a negated class, the first
    /// character it holds; else one sample of each item.
    fn class(&self, items: &[ClassItem]) -> Vec<String> {
        let negated = items.first() == Some(&ClassItem::Negate);
        let holds = |c: char| {
            items.iter().any(|item| match item {
                ClassItem::Literal(l) => *l == c,
                ClassItem::Range(lo, hi) => (*lo..=*hi).contains(&c),
                ClassItem::Category(cat) => cat.contains(c),
                ClassItem::Negate => false,
            }) != negated
        };
        if holds(self.dangerous) {
            return vec![self.dangerous.to_string()];
        }
        if negated {
            return (1u8..126)
                .map(char::from)
                .find(|&c| holds(c))
                .map(|c| vec![c.to_string()])
                .unwrap_or_default();
        }
        items
            .iter()
            .filter_map(|item| match item {
                ClassItem::Literal(c) => Some(*c),
                ClassItem::Range(lo, _) => Some(*lo),
                ClassItem::Category(cat) => Some(match cat {
                    Category::Digit => '0',
                    Category::Space => ' ',
                    Category::NotWord => '!',
                    _ => 'a',
                }),
                ClassItem::Negate => None,
            })
            .map(|c| c.to_string())
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::super::syntax::parse;
    use super::*;

    fn sample(pattern: &str) -> Vec<String> {
        samples(&parse(pattern).unwrap().nodes, '`')
    }

    #[test]
    fn alternatives_repetitions_and_anchors() {
        assert_eq!(
            sample(r"^https://(www\.)?example\.com"),
            ["^https://example.com", "^https://www.example.com"]
        );
        assert_eq!(sample(r"^a.b+$"), ["^a`bbbbb$"]);
        assert_eq!(sample("[a-z]{2}x|y"), ["aax", "y"]);
        assert_eq!(sample("[^/]"), ["`"]);
        assert_eq!(sample("[^`]"), ["a"]);
        assert_eq!(sample("[^`a]"), ["\u{1}"]);
        // an anchor inside the sample matches nothing
        assert_eq!(sample("($|/)x"), ["/x"]);
        assert_eq!(sample(r"(a)\1"), ["aa"]);
    }

    #[test]
    fn samples_are_bounded() {
        let many = "(a|b|c|d)".repeat(20);
        assert!(sample(&many).len() <= MAX_SAMPLES);
        let deep = format!("{}a{}", "(".repeat(60), "){5}".repeat(60));
        assert!(sample(&deep).iter().all(|s| s.len() <= MAX_LEN));
        let refs = r"(a)(\1\1)(\2\2)(\3\3)(\4\4)(\5\5)(\6\6)(\7\7)";
        assert!(!sample(refs).is_empty());
    }
}
