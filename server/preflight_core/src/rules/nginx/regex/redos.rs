//! Catastrophic backtracking (ReDoS): a port of gixy-ng's `RedosAnalyzer` (its static
//! analysis, not the `--deep` mode) over [`syntax::Node`] trees:
//!
//! 1. a quantifier inside a quantified group, unless what must follow the inner one can never
//!    start it (`(a+)+` exponential; `(\w+-)+` is fine),
//! 2. alternatives that can match the same text inside a repetition (`(a|ab)+`, `(.|x)+`),
//! 3. two adjacent greedy repetitions of broad classes (`.*.*x`).
//!
//! Differences from gixy, each toward PCRE: possessive quantifiers and atomic groups never
//! backtrack, so they are not reported; a negated class counts as broad and as overlapping
//! (gixy reads `[^ab]` as `[ab]` there).

use std::collections::BTreeSet;

use super::syntax::{ClassItem, Node, RepeatMode, UNBOUNDED};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// A quantifier inside a quantifier: exponential.
    Nested,
    /// Overlapping alternatives in a repetition: polynomial.
    Overlapping,
    /// Adjacent greedy repetitions of broad classes: polynomial.
    Adjacent,
}

/// The first problem found in a parsed regex, in gixy's order of checks.
pub fn analyze(nodes: &[Node], case_insensitive: bool, dotall: bool) -> Option<Kind> {
    let analyzer = Analyzer {
        case_insensitive,
        dotall,
    };
    if analyzer.nested(nodes, false, None) {
        return Some(Kind::Nested);
    }
    if overlapping(nodes, None) {
        return Some(Kind::Overlapping);
    }
    if adjacent(nodes, false) {
        return Some(Kind::Adjacent);
    }
    None
}

/// A set of characters: `finite` means exactly `chars`, otherwise every character but `chars`.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Set {
    finite: bool,
    chars: BTreeSet<char>,
}

impl Set {
    fn of(chars: impl IntoIterator<Item = char>) -> Self {
        Set {
            finite: true,
            chars: chars.into_iter().collect(),
        }
    }
    fn all_but(chars: impl IntoIterator<Item = char>) -> Self {
        Set {
            finite: false,
            chars: chars.into_iter().collect(),
        }
    }
}

/// `None`: a set that is not known.
type Maybe = Option<Set>;

fn union(left: &Maybe, right: &Maybe) -> Maybe {
    let (l, r) = (left.as_ref()?, right.as_ref()?);
    Some(match (l.finite, r.finite) {
        (true, true) => Set::of(l.chars.union(&r.chars).copied()),
        (true, false) => Set::all_but(r.chars.difference(&l.chars).copied()),
        (false, true) => Set::all_but(l.chars.difference(&r.chars).copied()),
        (false, false) => Set::all_but(l.chars.intersection(&r.chars).copied()),
    })
}

fn is_repeat(max: u32) -> bool {
    max > 1 || max == UNBOUNDED
}

struct Analyzer {
    case_insensitive: bool,
    dotall: bool,
}

impl Analyzer {
    /// Check 1 over `seq`; `tail` is what must be consumed right after `seq` (`None`: unknown).
    fn nested(&self, seq: &[Node], in_quantifier: bool, tail: Option<&Maybe>) -> bool {
        for (i, node) in seq.iter().enumerate() {
            match node {
                Node::Repeat {
                    max, mode, body, ..
                } => {
                    if *mode == RepeatMode::Possessive {
                        // matched once, like an atomic group: nothing outside re-splits it
                        if self.nested(body, false, None) {
                            return true;
                        }
                        continue;
                    }
                    if !is_repeat(*max) {
                        if self.nested(body, in_quantifier, tail) {
                            return true;
                        }
                        continue;
                    }
                    let body_tail = self.body_tail(body, seq, i, tail);
                    if in_quantifier {
                        let boundary = self.next_or_inherited(seq, i, tail);
                        if !self.safe_boundary(body, &boundary) {
                            return true;
                        }
                    } else if self.contains_quantifier(body, &body_tail) {
                        return true;
                    }
                    if self.nested(body, true, Some(&body_tail)) {
                        return true;
                    }
                }
                Node::Group { body, .. } => {
                    let sub_tail = self.next_or_inherited(seq, i, tail);
                    if self.nested(body, in_quantifier, Some(&sub_tail)) {
                        return true;
                    }
                }
                Node::Branch(branches) => {
                    let sub_tail = self.next_or_inherited(seq, i, tail);
                    if branches
                        .iter()
                        .any(|b| self.nested(b, in_quantifier, Some(&sub_tail)))
                    {
                        return true;
                    }
                }
                Node::Look { body, .. } if self.nested(body, in_quantifier, None) => {
                    return true;
                }
                Node::Atomic(body) if self.nested(body, false, None) => {
                    return true;
                }
                _ => {}
            }
        }
        false
    }

    /// Whether `seq` holds a backtracking repetition without a safe boundary after it.
    fn contains_quantifier(&self, seq: &[Node], tail: &Maybe) -> bool {
        seq.iter().enumerate().any(|(i, node)| match node {
            Node::Repeat {
                max, mode, body, ..
            } => {
                *mode != RepeatMode::Possessive
                    && is_repeat(*max)
                    && !self.safe_boundary(body, &self.next_or_inherited(seq, i, Some(tail)))
            }
            Node::Group { body, .. } => {
                self.contains_quantifier(body, &self.next_or_inherited(seq, i, Some(tail)))
            }
            Node::Branch(branches) => {
                let sub_tail = self.next_or_inherited(seq, i, Some(tail));
                branches
                    .iter()
                    .any(|b| self.contains_quantifier(b, &sub_tail))
            }
            Node::Look { body, .. } => self.contains_quantifier(body, &None),
            _ => false,
        })
    }

    /// What must be consumed right after `seq[i]`, falling back to the inherited tail.
    fn next_or_inherited(&self, seq: &[Node], i: usize, inherited: Option<&Maybe>) -> Maybe {
        let (after, nullable) = self.first(seq.get(i + 1..).unwrap_or_default());
        if nullable {
            union(&after, inherited.unwrap_or(&None))
        } else {
            after
        }
    }

    /// What may follow the end of a repetition's body: its own start (the next iteration) or
    /// what follows the repetition.
    fn body_tail(&self, body: &[Node], seq: &[Node], i: usize, inherited: Option<&Maybe>) -> Maybe {
        let outer = self.next_or_inherited(seq, i, inherited);
        let (first, _) = self.first(body);
        union(&first, &outer)
    }

    /// The body's first characters are provably disjoint from the boundary.
    fn safe_boundary(&self, body: &[Node], boundary: &Maybe) -> bool {
        let Some(boundary) = boundary else {
            return false;
        };
        let (inner, nullable) = self.first(body);
        match inner {
            Some(inner) if !nullable => self.disjoint(boundary, &inner),
            _ => false,
        }
    }

    fn disjoint(&self, left: &Set, right: &Set) -> bool {
        let disjoint = match (left.finite, right.finite) {
            (false, false) => return false,
            (true, true) => left.chars.is_disjoint(&right.chars),
            (true, false) => left.chars.is_subset(&right.chars),
            (false, true) => right.chars.is_subset(&left.chars),
        };
        if !disjoint {
            return false;
        }
        if self.case_insensitive {
            // caseless matching adds letters outside the sets: only non-letters are provable
            let finite = if left.finite {
                &left.chars
            } else {
                &right.chars
            };
            if finite.iter().any(|c| c.is_alphabetic()) {
                return false;
            }
        }
        true
    }

    /// The characters `seq` may start with, and whether it may match the empty string.
    fn first(&self, seq: &[Node]) -> (Maybe, bool) {
        let mut result = Some(Set::of([]));
        for node in seq {
            let (chars, can_skip) = self.atom_first(node);
            result = union(&result, &chars);
            if !can_skip {
                return (result, false);
            }
        }
        (result, true)
    }

    fn atom_first(&self, node: &Node) -> (Maybe, bool) {
        match node {
            Node::Literal(c) => (Some(Set::of([*c])), false),
            Node::NotLiteral(c) => (Some(Set::all_but([*c])), false),
            Node::Any => (
                Some(if self.dotall {
                    Set::all_but([])
                } else {
                    Set::all_but(['\n'])
                }),
                false,
            ),
            Node::Class(items) => (class_chars(items), false),
            Node::At(_) | Node::Look { .. } => (Some(Set::of([])), true),
            Node::Group { body, .. } | Node::Atomic(body) => self.first(body),
            Node::Branch(branches) => {
                let mut result = Some(Set::of([]));
                let mut nullable = false;
                for branch in branches {
                    let (chars, n) = self.first(branch);
                    result = union(&result, &chars);
                    nullable |= n;
                }
                (result, nullable)
            }
            Node::Repeat { min, body, .. } => {
                let (chars, nullable) = self.first(body);
                (chars, *min == 0 || nullable)
            }
            Node::Backref(_) => (None, false),
        }
    }
}

/// The characters a class matches, when they can be told: ASCII members of `\d`, `\s`, `\w`
/// stand for the category with everything non-ASCII added (PCRE may be in Unicode mode).
fn class_chars(items: &[ClassItem]) -> Maybe {
    let mut chars = Some(Set::of([]));
    let mut negated = false;
    for item in items {
        let member = match item {
            ClassItem::Negate => {
                negated = true;
                continue;
            }
            ClassItem::Literal(c) => Set::of([*c]),
            ClassItem::Range(lo, hi) => {
                if u32::from(*hi) - u32::from(*lo) + 1 > 256 {
                    return None;
                }
                Set::of(*lo..=*hi)
            }
            ClassItem::Category(cat) => {
                let members = cat.ascii()?;
                if negated {
                    return None;
                }
                Set::all_but((0u8..128).map(char::from).filter(|c| !members.contains(*c)))
            }
        };
        chars = union(&chars, &Some(member));
        if chars.as_ref().is_none_or(|s| s.chars.len() > 256) {
            return None;
        }
    }
    let mut set = chars?;
    if negated {
        set.finite = !set.finite;
    }
    Some(set)
}

/// Check 2: overlapping alternatives inside a repetition. gixy counts `?` as a repetition
/// here and reads a negated class as its members; a negated class counts as overlapping only
/// inside a real repetition (`max` > 1), where the backtracking is.
fn overlapping(seq: &[Node], in_quantifier: Option<bool>) -> bool {
    for node in seq {
        match node {
            Node::Repeat {
                min,
                max,
                mode,
                body,
            } => {
                if *mode == RepeatMode::Possessive {
                    continue;
                }
                let can_repeat = max > min || *max == UNBOUNDED;
                if can_repeat {
                    let strict = is_repeat(*max) || in_quantifier == Some(true);
                    if has_overlapping_branch(body, strict) || overlapping(body, Some(strict)) {
                        return true;
                    }
                } else if overlapping(body, in_quantifier) {
                    return true;
                }
            }
            Node::Group { body, .. } if overlapping(body, in_quantifier) => {
                return true;
            }
            Node::Branch(branches) => {
                if let Some(strict) = in_quantifier
                    && branches_overlap(branches, strict)
                {
                    return true;
                }
                if branches.iter().any(|b| overlapping(b, in_quantifier)) {
                    return true;
                }
            }
            _ => {}
        }
    }
    false
}

/// An alternation directly in `seq` (or in its groups and repetitions) with an empty
/// alternative (sre's `a|ab` -> `a(?:|b)`) or overlapping ones.
fn has_overlapping_branch(seq: &[Node], strict: bool) -> bool {
    seq.iter().any(|node| match node {
        Node::Branch(branches) => {
            branches.iter().any(Vec::is_empty) || branches_overlap(branches, strict)
        }
        Node::Group { body, .. } => has_overlapping_branch(body, strict),
        Node::Repeat { mode, body, .. } => {
            *mode != RepeatMode::Possessive && has_overlapping_branch(body, strict)
        }
        _ => false,
    })
}

fn branches_overlap(branches: &[Vec<Node>], strict: bool) -> bool {
    if branches.len() < 2 {
        return false;
    }
    if branches.iter().any(|b| contains_any(b)) {
        return true;
    }
    let mut firsts: Vec<BTreeSet<char>> = Vec::with_capacity(branches.len());
    for branch in branches {
        match first_chars(branch, strict) {
            Some(chars) => firsts.push(chars),
            None => return true,
        }
    }
    firsts
        .iter()
        .enumerate()
        .any(|(i, a)| firsts[i + 1..].iter().any(|b| !a.is_disjoint(b)))
}

fn contains_any(seq: &[Node]) -> bool {
    seq.iter().any(|node| match node {
        Node::Any => true,
        Node::Group { body, .. } | Node::Repeat { body, .. } | Node::Atomic(body) => {
            contains_any(body)
        }
        Node::Branch(branches) => branches.iter().any(|b| contains_any(b)),
        _ => false,
    })
}

/// The characters `seq` may start with (`None`: about anything), gixy's `_get_first_chars`;
/// `strict`: a negated class is about anything (gixy reads `[^ab]` as `[ab]`).
fn first_chars(seq: &[Node], strict: bool) -> Option<BTreeSet<char>> {
    let Some(node) = seq.first() else {
        return Some(BTreeSet::new());
    };
    match node {
        Node::Literal(c) => Some(BTreeSet::from([*c])),
        Node::Class(items) => {
            let mut chars = BTreeSet::new();
            for item in items {
                match item {
                    ClassItem::Literal(c) => {
                        chars.insert(*c);
                    }
                    ClassItem::Range(lo, hi) => {
                        if u32::from(*hi) - u32::from(*lo) >= 256 {
                            return None;
                        }
                        chars.extend(*lo..=*hi);
                    }
                    ClassItem::Category(_) => return None,
                    ClassItem::Negate if strict => return None,
                    ClassItem::Negate => {}
                }
            }
            (!chars.is_empty()).then_some(chars)
        }
        Node::Group { body, .. } | Node::Atomic(body) => first_chars(body, strict),
        Node::Branch(branches) => {
            let mut all = BTreeSet::new();
            for branch in branches {
                all.extend(first_chars(branch, strict)?);
            }
            Some(all)
        }
        Node::Repeat { min, body, .. } => {
            if *min == 0 && seq.len() > 1 {
                let mut chars = first_chars(body, strict)?;
                chars.extend(first_chars(&seq[1..], strict)?);
                Some(chars)
            } else {
                first_chars(body, strict)
            }
        }
        Node::At(_) => {
            if seq.len() > 1 {
                first_chars(&seq[1..], strict)
            } else {
                Some(BTreeSet::new())
            }
        }
        Node::NotLiteral(_) | Node::Any | Node::Look { .. } | Node::Backref(_) => None,
    }
}

/// Check 3: a greedy repetition of a broad class right after another.
fn adjacent(seq: &[Node], mut previous_greedy: bool) -> bool {
    for node in seq {
        match node {
            Node::Repeat {
                max, mode, body, ..
            } => {
                let greedy = *mode != RepeatMode::Possessive && is_repeat(*max);
                let broad = matches_broad_input(body);
                if previous_greedy && greedy && broad {
                    return true;
                }
                previous_greedy = greedy && broad;
                if adjacent(body, false) {
                    return true;
                }
            }
            Node::Group { body, .. } => {
                if adjacent(body, previous_greedy) {
                    return true;
                }
            }
            Node::Branch(branches) => {
                if branches.iter().any(|b| adjacent(b, previous_greedy)) {
                    return true;
                }
            }
            _ => previous_greedy = false,
        }
    }
    false
}

/// `.`, `[^x]`, a class with a category, or of more than ten characters.
fn matches_broad_input(seq: &[Node]) -> bool {
    let [node] = seq else { return false };
    match node {
        Node::Any | Node::NotLiteral(_) => true,
        Node::Class(items) => {
            if items
                .iter()
                .any(|i| matches!(i, ClassItem::Category(_) | ClassItem::Negate))
            {
                return true;
            }
            let count: u64 = items
                .iter()
                .map(|i| match i {
                    ClassItem::Literal(_) => 1,
                    ClassItem::Range(lo, hi) => u64::from(*hi) - u64::from(*lo) + 1,
                    _ => 0,
                })
                .sum();
            count > 10
        }
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::super::syntax::parse;
    use super::*;

    fn kind(pattern: &str) -> Option<Kind> {
        let r = parse(pattern).unwrap();
        analyze(&r.nodes, r.ignore_case, r.dotall)
    }

    #[test]
    fn nested_quantifiers() {
        for p in [
            r"^/(a+)+$",
            r"^/((ab)*)+$",
            r"^/blog/([\w-]+)+/$",
            r"^(?P<tenant>(\w+-?)+)\.example\.com$",
            r"^/(\h+)+$",
            r"^(a|b+)*c",
        ] {
            assert_eq!(kind(p), Some(Kind::Nested), "{p}");
        }
        for p in [
            r"^/[a-z]+$",
            r"^/\d{1,10}$",
            r"^/(foo|bar)$",
            r"^/(\w+/)+$",
            r"^/([a-z]+-)*[a-z]+$",
            r"^/(a++)+$",
            r"^/(?>a+)+$",
            r"^/(a+)++$",
        ] {
            assert_eq!(kind(p), None, "{p}");
        }
    }

    #[test]
    fn overlapping_alternatives() {
        for p in [
            r"^/(a|ab)+$",
            r"^/(.|x)+$",
            r"^/(foo|foobar)+$",
            r"^/(x|[^a])+$",
        ] {
            assert_eq!(kind(p), Some(Kind::Overlapping), "{p}");
        }
        for p in [r"^/(ab|cd)+$", r"^/(ab|ac)+$", r"^/(a|b)+$"] {
            assert_eq!(kind(p), None, "{p}");
        }
    }

    #[test]
    fn adjacent_quantifiers() {
        for p in [
            r"^/.*.*\.php$",
            r"^/.+.+end$",
            r"^/[a-z]*[a-z]*done$",
            r"[^/?]*[^/?]*x",
        ] {
            assert_eq!(kind(p), Some(Kind::Adjacent), "{p}");
        }
        for p in [
            r"^/(.*)/(.*)$",
            r"\.php$",
            r"^/static/(.*)$",
            r"^(.+\.php)(/.+)$",
            r"~* \.(jpg|jpeg|gif|png|ico|css|js)$",
        ] {
            assert_eq!(kind(p), None, "{p}");
        }
    }

    #[test]
    fn case_insensitivity_hides_letter_boundaries() {
        let r = parse(r"^(a+b)+$").unwrap();
        assert_eq!(analyze(&r.nodes, false, false), None);
        assert_eq!(analyze(&r.nodes, true, false), Some(Kind::Nested));
    }

    /// gixy-ng 0.2.59's `RedosAnalyzer` on these patterns (its own unit tests' and realistic
    /// ones), case-sensitive and case-insensitive: the port agrees on every one.
    #[test]
    fn agrees_with_gixy() {
        use Kind::*;
        let table: &[(&str, Option<Kind>, Option<Kind>)] = &[
            (r#"(a+)+"#, Some(Nested), Some(Nested)),
            (r#"(a*)+"#, Some(Nested), Some(Nested)),
            (r#"(a+)*"#, Some(Nested), Some(Nested)),
            (r#"(a*)*"#, Some(Nested), Some(Nested)),
            (r#"((ab)+)+"#, Some(Nested), Some(Nested)),
            (r#"((a+).)+"#, Some(Nested), Some(Nested)),
            (r#"^/(a+)+$"#, Some(Nested), Some(Nested)),
            (r#"(a|ab)+"#, Some(Overlapping), Some(Overlapping)),
            (r#"(.|a)+"#, Some(Overlapping), Some(Overlapping)),
            (r#"(foo|foobar)+"#, Some(Overlapping), Some(Overlapping)),
            (r#"a+"#, None, None),
            (r#"a*"#, None, None),
            (r#"[a-z]+"#, None, None),
            (r#"a{1,10}"#, None, None),
            (r#"(foo|bar)"#, None, None),
            (r#"(foo|bar)+"#, None, None),
            (r#"^[a-z]+$"#, None, None),
            (r#"(abc)+"#, None, None),
            (r#"a+b+"#, None, None),
            (r#"^/api/v[0-9]+/users$"#, None, None),
            (r#"^/([a-z]+/)?foo$"#, None, None),
            (
                r#"^/([_0-9a-zA-Z-]+/)?core/cache/busting/1/core/(.*)"#,
                None,
                None,
            ),
            (r#"^/(prefix-[a-z0-9]+)?/api/v[0-9]+$"#, None, None),
            (r#"(a+){0,1}"#, None, None),
            (r#"(a+){1,2}"#, Some(Nested), Some(Nested)),
            (r#"(a+b)+"#, None, Some(Nested)),
            (r#"([a-z]+/)+core"#, None, None),
            (r#"((sub)+\.)+example"#, None, None),
            (r#"(\w+/)+end"#, None, None),
            (r#"(foo[a-w]+x|bar[0-8]+9)+"#, None, Some(Nested)),
            (
                r#"^/([_0-9a-zA-Z-]+/)+core/cache/busting/1/core/(.*)"#,
                None,
                None,
            ),
            (r#"((a+)b)+"#, None, Some(Nested)),
            (
                r#"^([a-zA-Z0-9]+)+@example.com$"#,
                Some(Nested),
                Some(Nested),
            ),
            (r#"^(a|a)+$"#, Some(Overlapping), Some(Overlapping)),
            (r#"^/((sub)+)+example\.com$"#, Some(Nested), Some(Nested)),
            (r#"(a+)+b"#, Some(Nested), Some(Nested)),
            (r#"([a-z]+a)+"#, Some(Nested), Some(Nested)),
            (r#"(a+.)+"#, Some(Nested), Some(Nested)),
            (r#"(foo[a-z]+x|bar[0-9]+y)+"#, Some(Nested), Some(Nested)),
            (r#".*.*end"#, Some(Adjacent), Some(Adjacent)),
            (r#".+.+suffix"#, Some(Adjacent), Some(Adjacent)),
            (r#".*foo.*"#, None, None),
            (r#""#, None, None),
            (r#"^/blog/([\w-]+)+/$"#, Some(Nested), Some(Nested)),
            (
                r#"^(?P<tenant>(\w+-?)+)\.example\.com$"#,
                Some(Nested),
                Some(Nested),
            ),
            (r#"^/.*.*\.php$"#, Some(Adjacent), Some(Adjacent)),
            (r#"\.php$"#, None, None),
            (r#"^/static/(.*)$"#, None, None),
            (r#"^(.+\.php)(/.+)$"#, None, None),
            (r#"\.(jpg|jpeg|gif|png|ico|css|js)$"#, None, None),
            (r#"^/(?:a|b)/"#, None, None),
            (r#"/\.(?!well-known)"#, None, None),
            (r#"^/(\d+)/(.*)$"#, None, None),
            (r#"^(.*)\.(js|css)$"#, None, None),
            (r#"^/media/(.+)$"#, None, None),
            (r#"^/(api|admin)/"#, None, None),
            (r#"(?i)^/x(a+)+"#, Some(Nested), Some(Nested)),
            (r#"^/\d{1,10}$"#, None, None),
            (r#"^/([^/]+)/([^/]+)/?$"#, None, None),
            (r#"^/~([^/]+)(/.*)?$"#, None, None),
            (r#"^/(.*)/$"#, None, None),
            (r#".*\.(?:css|js)$"#, None, None),
            (r#"^(.+)-\d+x\d+\.(jpe?g|png)$"#, None, None),
            (r#"^/[^/]*$"#, None, None),
            (r#"([^/]*)*x"#, Some(Nested), Some(Nested)),
            (r#"(\s*,\s*)*"#, Some(Nested), Some(Nested)),
            (r#"^(([a-z])+.)+[A-Z]([a-z])+$"#, Some(Nested), Some(Nested)),
            (r#"^(\w+\s?)*$"#, Some(Nested), Some(Nested)),
            (
                r#"^([a-zA-Z0-9])(([\-.]|[_]+)?([a-zA-Z0-9]+))*(@){1}[a-z0-9]+[.]{1}(([a-z]{2,3})|([a-z]{2,3}[.]{1}[a-z]{2,3}))$"#,
                Some(Nested),
                Some(Nested),
            ),
            (r#"^https://(www\.)?example\.com"#, None, None),
            (r#"^https://www.example.com/"#, None, None),
            (r#"https://example\.com$"#, None, None),
            (r#"^https://example\.com/$"#, None, None),
            (r#"^https://([a-z0-9-]+\.)?example\.com$"#, None, None),
            (r#"^https://(www\.|app\.)?example\.com$"#, None, None),
            (r#"^https?://([^/]+\.)?yandex\.ru"#, None, None),
            (r#"^https://([^/])+metrika.*yandex\.ru/"#, None, None),
            (r#"^https://yandex\.ru/$"#, None, None),
            (r#"^https://sub.yandex.ru$"#, None, None),
            (r#"^https?://sub\.yandex\.ru$"#, None, None),
            (r#"^https://yahoo\.com$"#, None, None),
            (r#"^(https?://)?(www\.)?example\.com$"#, None, None),
            (r#"^https://.*\.example\.com$"#, None, None),
            (r#"^https://[a-z]+\.example\.com(:\d+)?$"#, None, None),
            (r#"^http://localhost:\d+$"#, None, None),
            (r#"https?://(.+\.)?example\.com"#, None, None),
            (r#"^https://(?:www\.)?example\.com$"#, None, None),
            (r#"^https://\w+\.example\.com$"#, None, None),
            (r#"^https://[\w.-]+\.example\.com$"#, None, None),
        ];
        for &(pattern, sensitive, insensitive) in table {
            let r = parse(pattern).unwrap();
            assert_eq!(
                analyze(&r.nodes, r.ignore_case, r.dotall),
                sensitive,
                "{pattern}"
            );
            assert_eq!(
                analyze(&r.nodes, true, r.dotall),
                insensitive,
                "{pattern} (~*)"
            );
        }
    }
}
