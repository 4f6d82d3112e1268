//! Which characters a regex capture can hold: the analysis behind gixy's `ssrf` and
//! `http_splitting` plugins (its `Regexp.can_contain` / `must_contain`), over PCRE syntax.
//!
//! For each capture group it computes the characters the group's *free* parts can match
//! (classes, `.`, negations: what a client chooses), the characters its literal parts match (what
//! the config fixes), and the characters every match must contain. Like gixy (whose regex model
//! is Python's `sre_parse`), a one-character class (`[.]`) is a literal and an alternation of
//! single characters (`(a|b)`) is a class; `.` never matches a newline unless `(?s)` is set.

/// A set of ASCII characters (non-ASCII characters are not tracked: none of the characters the
/// rules ask about is).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Chars(u128);

impl Chars {
    pub const NONE: Chars = Chars(0);
    pub const ALL: Chars = Chars(u128::MAX);

    pub fn of(c: char) -> Chars {
        let code = c as u32;
        if code < 128 {
            Chars(1u128 << code)
        } else {
            Chars::NONE
        }
    }

    /// The characters from `a` to `b` inclusive (ASCII part).
    pub fn range(a: u32, b: u32) -> Chars {
        let b = b.min(127);
        if a > b {
            return Chars::NONE;
        }
        let width = b - a + 1;
        let bits = if width >= 128 {
            u128::MAX
        } else {
            (1u128 << width) - 1
        };
        Chars(bits << a)
    }

    pub fn of_str(s: &str) -> Chars {
        s.chars().fold(Chars::NONE, |acc, c| acc | Chars::of(c))
    }

    pub fn contains(self, c: char) -> bool {
        let code = c as u32;
        code < 128 && self.0 & (1u128 << code) != 0
    }

    pub fn complement(self) -> Chars {
        Chars(!self.0)
    }
}

impl std::ops::BitOr for Chars {
    type Output = Chars;
    fn bitor(self, rhs: Chars) -> Chars {
        Chars(self.0 | rhs.0)
    }
}

impl std::ops::BitAnd for Chars {
    type Output = Chars;
    fn bitand(self, rhs: Chars) -> Chars {
        Chars(self.0 & rhs.0)
    }
}

fn digits() -> Chars {
    Chars::range('0' as u32, '9' as u32)
}
fn word() -> Chars {
    digits()
        | Chars::range('a' as u32, 'z' as u32)
        | Chars::range('A' as u32, 'Z' as u32)
        | Chars::of('_')
}
fn space() -> Chars {
    Chars::of_str(" \t\n\r\x0b\x0c")
}
/// What `.` matches: gixy's `ANY` (code points 1 to 126 but the newline).
fn any(dotall: bool) -> Chars {
    let dot = Chars::range(1, 126);
    if dotall {
        dot
    } else {
        dot & Chars::of('\n').complement()
    }
}

/// What the matches of a regex (or of one of its parts) may and must contain.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Facts {
    /// Characters its classes, `.` and negations may match.
    pub free: Chars,
    /// Characters its literal parts match.
    pub literal: Chars,
    /// Characters every match contains.
    pub must: Chars,
}

impl Facts {
    /// Every character a match may contain.
    pub fn all(&self) -> Chars {
        self.free | self.literal
    }

    fn literal(c: char) -> Facts {
        Facts {
            free: Chars::NONE,
            literal: Chars::of(c),
            must: Chars::of(c),
        }
    }

    fn class(set: Chars) -> Facts {
        Facts {
            free: set,
            ..Facts::default()
        }
    }
}

/// The capture groups of a regex.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Analysis {
    /// By group number; 0 is the whole regex.
    pub groups: Vec<Facts>,
    /// Named groups and their numbers.
    pub names: Vec<(String, usize)>,
}

impl Analysis {
    pub fn group(&self, n: usize) -> Option<Facts> {
        self.groups.get(n).copied()
    }

    pub fn named(&self, name: &str) -> Option<Facts> {
        let (_, n) = self
            .names
            .iter()
            .find(|(g, _)| g.eq_ignore_ascii_case(name))?;
        self.group(*n)
    }
}

/// Analyses a PCRE regex; `None` when it does not parse (nginx would not start).
pub fn analyze(regex: &str) -> Option<Analysis> {
    let mut parser = Parser {
        chars: regex.chars().collect(),
        pos: 0,
        groups: vec![Some(Facts::default())],
        names: Vec::new(),
        depth: 0,
        dotall: regex.contains("(?s") || has_inline_s_flag(regex),
    };
    let whole = parser.alternation()?;
    if parser.pos < parser.chars.len() {
        // an unbalanced `)`
        return None;
    }
    parser.groups[0] = Some(whole.facts);
    Some(Analysis {
        groups: parser
            .groups
            .into_iter()
            .map(Option::unwrap_or_default)
            .collect(),
        names: parser.names,
    })
}

/// `(?is)`, `(?-i:s)`...: whether some inline flag group turns on dotall.
fn has_inline_s_flag(regex: &str) -> bool {
    regex.match_indices("(?").any(|(i, _)| {
        regex[i + 2..]
            .chars()
            .take_while(|c| c.is_ascii_alphabetic() || *c == '-')
            .take_while(|c| *c != '-')
            .any(|c| c == 's')
    })
}

/// Groups may nest this deep; deeper regexes are not analysed.
const MAX_DEPTH: usize = 200;

/// A parsed piece and whether it is a single character (a literal or a non-negated class),
/// which sre_parse merges into a class inside an alternation.
#[derive(Debug, Clone, Copy, Default)]
struct Piece {
    facts: Facts,
    single: Option<Chars>,
}

struct Parser {
    chars: Vec<char>,
    pos: usize,
    /// Facts of each capture group by number, `None` while it is open.
    groups: Vec<Option<Facts>>,
    names: Vec<(String, usize)>,
    depth: usize,
    dotall: bool,
}

impl Parser {
    fn peek(&self) -> Option<char> {
        self.chars.get(self.pos).copied()
    }

    fn peek_at(&self, offset: usize) -> Option<char> {
        self.chars.get(self.pos + offset).copied()
    }

    fn eat(&mut self, c: char) -> bool {
        if self.peek() == Some(c) {
            self.pos += 1;
            true
        } else {
            false
        }
    }

    fn starts_with(&self, s: &str) -> bool {
        s.chars()
            .enumerate()
            .all(|(i, c)| self.peek_at(i) == Some(c))
    }

    /// `a|b|c` up to a `)` or the end.
    fn alternation(&mut self) -> Option<Piece> {
        let mut branches = vec![self.sequence()?];
        while self.eat('|') {
            branches.push(self.sequence()?);
        }
        if branches.len() == 1 {
            return branches.pop();
        }
        if let Some(set) = branches
            .iter()
            .map(|b| b.single)
            .try_fold(Chars::NONE, |acc, s| s.map(|s| acc | s))
        {
            return Some(Piece {
                facts: Facts::class(set),
                single: Some(set),
            });
        }
        let mut facts = Facts {
            must: Chars::ALL,
            ..Facts::default()
        };
        for b in &branches {
            facts.free = facts.free | b.facts.free;
            facts.literal = facts.literal | b.facts.literal;
            facts.must = facts.must & b.facts.must;
        }
        Some(Piece {
            facts,
            single: None,
        })
    }

    /// Atoms with their quantifiers, up to `|`, `)` or the end.
    fn sequence(&mut self) -> Option<Piece> {
        let mut items: Vec<Piece> = Vec::new();
        while let Some(c) = self.peek() {
            if c == '|' || c == ')' {
                break;
            }
            let Some(mut atom) = self.atom()? else {
                continue;
            };
            if let Some((min, max)) = self.quantifier() {
                atom.single = None;
                if max == Some(0) {
                    atom.facts = Facts::default();
                } else if min == 0 {
                    atom.facts.must = Chars::NONE;
                }
            }
            items.push(atom);
        }
        if items.len() == 1 {
            return items.pop();
        }
        let mut facts = Facts::default();
        for item in &items {
            facts.free = facts.free | item.facts.free;
            facts.literal = facts.literal | item.facts.literal;
            facts.must = facts.must | item.facts.must;
        }
        Some(Piece {
            facts,
            single: None,
        })
    }

    /// `*`, `+`, `?`, `{n}`, `{n,}`, `{n,m}`, `{,m}` with a lazy or possessive suffix:
    /// (min, max) with `None` for unbounded.
    fn quantifier(&mut self) -> Option<(u32, Option<u32>)> {
        let found = match self.peek() {
            Some('*') => {
                self.pos += 1;
                Some((0, None))
            }
            Some('+') => {
                self.pos += 1;
                Some((1, None))
            }
            Some('?') => {
                self.pos += 1;
                Some((0, Some(1)))
            }
            Some('{') => self.braces(),
            _ => None,
        };
        if found.is_some() && !self.eat('?') {
            self.eat('+');
        }
        found
    }

    /// `{n}`, `{n,}`, `{n,m}`, `{,m}`; a `{` that is not one of them is a literal (left alone).
    fn braces(&mut self) -> Option<(u32, Option<u32>)> {
        let start = self.pos;
        self.pos += 1;
        let number = |p: &mut Parser| {
            let from = p.pos;
            while p.peek().is_some_and(|c| c.is_ascii_digit()) {
                p.pos += 1;
            }
            let text: String = p.chars[from..p.pos].iter().collect();
            (!text.is_empty()).then(|| text.parse::<u32>().unwrap_or(u32::MAX))
        };
        let min = number(self);
        let result = if self.eat(',') {
            let max = number(self);
            (min.is_some() || max.is_some()).then_some((min.unwrap_or(0), max))
        } else {
            min.map(|n| (n, Some(n)))
        };
        match result {
            Some(q) if self.eat('}') => Some(q),
            _ => {
                self.pos = start;
                None
            }
        }
    }

    /// One atom; `Some(None)` for something that matches nothing (a comment, a flag group).
    fn atom(&mut self) -> Option<Option<Piece>> {
        let c = self.peek()?;
        self.pos += 1;
        let piece = match c {
            '(' => return self.group(),
            '[' => self.class()?,
            '.' => Piece {
                facts: Facts::class(any(self.dotall)),
                single: None,
            },
            '^' | '$' => Piece::default(),
            '\\' => self.escape()?,
            '*' | '+' | '?' => return None,
            '{' if self.braces_follow() => return None,
            c => literal(c),
        };
        Some(Some(piece))
    }

    /// Whether a `{` just read starts a quantifier (nothing to repeat: an error).
    fn braces_follow(&mut self) -> bool {
        self.pos -= 1;
        let is_quantifier = self.braces().is_some();
        if !is_quantifier {
            self.pos += 1;
        }
        is_quantifier
    }

    fn group(&mut self) -> Option<Option<Piece>> {
        self.depth += 1;
        if self.depth > MAX_DEPTH {
            return None;
        }
        let result = self.group_body();
        self.depth -= 1;
        result
    }

    fn group_body(&mut self) -> Option<Option<Piece>> {
        // (*VERB) and (?#comment): nothing
        if self.eat('*') || self.starts_with("?#") {
            self.skip_to_close()?;
            return Some(None);
        }
        if !self.eat('?') {
            return self.capture(None);
        }
        if self.eat('P') {
            if self.eat('<') {
                let name = self.name_until('>')?;
                return self.capture(Some(name));
            }
            if self.eat('=') {
                let name = self.name_until(')')?;
                return Some(Some(self.named_backref(&name)));
            }
            if self.eat('>') {
                self.skip_to_close()?;
                return Some(Some(anything()));
            }
            return None;
        }
        if self.starts_with("<=") || self.starts_with("<!") {
            self.pos += 2;
            return self.lookaround();
        }
        if self.eat('<') {
            let name = self.name_until('>')?;
            return self.capture(Some(name));
        }
        if self.eat('\'') {
            let name = self.name_until('\'')?;
            return self.capture(Some(name));
        }
        if self.eat('=') || self.eat('!') {
            return self.lookaround();
        }
        if self.eat(':') || self.eat('>') || self.eat('|') {
            return self.non_capturing();
        }
        // recursion and subroutine calls: (?R), (?1), (?-1), (?+1), (?&name)
        if self
            .peek()
            .is_some_and(|c| c == 'R' || c == '&' || c == '+' || c == '-' || c.is_ascii_digit())
            && !self.flags_follow()
        {
            self.skip_to_close()?;
            return Some(Some(anything()));
        }
        // flags: (?i) or (?i:...)
        while self
            .peek()
            .is_some_and(|c| c.is_ascii_alphabetic() || c == '-' || c == '^')
        {
            self.pos += 1;
        }
        if self.eat(')') {
            return Some(None);
        }
        if self.eat(':') {
            return self.non_capturing();
        }
        None
    }

    /// Whether the text after `(?` is a flag group such as `(?-i)` rather than `(?-1)`.
    fn flags_follow(&self) -> bool {
        self.peek() == Some('-') && self.peek_at(1).is_some_and(|c| c.is_ascii_alphabetic())
    }

    fn capture(&mut self, name: Option<String>) -> Option<Option<Piece>> {
        let number = self.groups.len();
        self.groups.push(None);
        if let Some(name) = name {
            self.names.push((name, number));
        }
        let inner = self.alternation()?;
        if !self.eat(')') {
            return None;
        }
        self.groups[number] = Some(inner.facts);
        Some(Some(Piece {
            facts: inner.facts,
            single: None,
        }))
    }

    fn non_capturing(&mut self) -> Option<Option<Piece>> {
        let inner = self.alternation()?;
        if !self.eat(')') {
            return None;
        }
        Some(Some(Piece {
            facts: inner.facts,
            single: None,
        }))
    }

    /// Lookarounds match no characters (gixy ignores them), but their groups are numbered.
    fn lookaround(&mut self) -> Option<Option<Piece>> {
        self.alternation()?;
        if !self.eat(')') {
            return None;
        }
        Some(Some(Piece::default()))
    }

    fn skip_to_close(&mut self) -> Option<()> {
        while let Some(c) = self.peek() {
            self.pos += 1;
            if c == ')' {
                return Some(());
            }
        }
        None
    }

    fn name_until(&mut self, end: char) -> Option<String> {
        let from = self.pos;
        while let Some(c) = self.peek() {
            if c == end {
                let name: String = self.chars[from..self.pos].iter().collect();
                self.pos += 1;
                return Some(name);
            }
            self.pos += 1;
        }
        None
    }

    fn backref(&self, number: usize) -> Piece {
        Piece {
            facts: self
                .groups
                .get(number)
                .copied()
                .flatten()
                .unwrap_or_default(),
            single: None,
        }
    }

    fn named_backref(&self, name: &str) -> Piece {
        match self.names.iter().find(|(n, _)| n == name) {
            Some(&(_, number)) => self.backref(number),
            None => Piece::default(),
        }
    }

    /// An escape outside a class.
    fn escape(&mut self) -> Option<Piece> {
        let c = self.peek()?;
        self.pos += 1;
        if let Some(set) = escape_class(c) {
            return Some(Piece {
                facts: Facts::class(set),
                single: Some(set),
            });
        }
        Some(match c {
            'b' | 'B' | 'A' | 'Z' | 'z' | 'G' | 'K' => Piece::default(),
            'N' => Piece {
                facts: Facts::class(Chars::of('\n').complement()),
                single: None,
            },
            'X' | 'C' => anything(),
            'p' | 'P' => {
                // a Unicode property: letters or digits for \p, the rest for \P
                if self.eat('{') {
                    self.name_until('}')?;
                } else if self.pos < self.chars.len() {
                    self.pos += 1;
                }
                let letters = word();
                let set = if c == 'p' {
                    letters
                } else {
                    letters.complement()
                };
                Piece {
                    facts: Facts::class(set),
                    single: None,
                }
            }
            'Q' => {
                let mut facts = Facts::default();
                while self.pos < self.chars.len() && !self.starts_with("\\E") {
                    let l = Facts::literal(self.chars[self.pos]);
                    facts.literal = facts.literal | l.literal;
                    facts.must = facts.must | l.must;
                    self.pos += 1;
                }
                self.pos = (self.pos + 2).min(self.chars.len());
                Piece {
                    facts,
                    single: None,
                }
            }
            'E' => Piece::default(),
            'g' | 'k' => self.escaped_backref(c)?,
            '1'..='9' => {
                let mut number = c.to_digit(10).unwrap_or(0) as usize;
                while let Some(d) = self.peek().and_then(|d| d.to_digit(10)) {
                    number = number.saturating_mul(10).saturating_add(d as usize);
                    self.pos += 1;
                }
                self.backref(number)
            }
            _ => literal(self.escaped_char(c)?),
        })
    }

    /// `\g1`, `\g{1}`, `\g{-1}`, `\g<name>`, `\k<name>`, `\k'name'`, `\k{name}`.
    fn escaped_backref(&mut self, kind: char) -> Option<Piece> {
        let close = match self.peek()? {
            '{' => '}',
            '<' => '>',
            '\'' => '\'',
            d if d.is_ascii_digit() && kind == 'g' => {
                let mut number = 0usize;
                while let Some(d) = self.peek().and_then(|d| d.to_digit(10)) {
                    number = number.saturating_mul(10).saturating_add(d as usize);
                    self.pos += 1;
                }
                return Some(self.backref(number));
            }
            _ => return None,
        };
        self.pos += 1;
        let name = self.name_until(close)?;
        if let Ok(number) = name.parse::<usize>() {
            return Some(self.backref(number));
        }
        if let Some(relative) = name.strip_prefix('-').and_then(|n| n.parse::<usize>().ok()) {
            return Some(self.backref(self.groups.len().saturating_sub(relative)));
        }
        Some(self.named_backref(&name))
    }

    /// The character an escape such as `\n`, `\x41`, `\0`, `\cA` or `\.` stands for.
    fn escaped_char(&mut self, c: char) -> Option<char> {
        Some(match c {
            'n' => '\n',
            'r' => '\r',
            't' => '\t',
            'f' => '\x0c',
            'e' => '\x1b',
            'a' => '\x07',
            '0' => {
                let mut value = 0u32;
                for _ in 0..2 {
                    match self.peek().and_then(|d| d.to_digit(8)) {
                        Some(d) => {
                            value = value * 8 + d;
                            self.pos += 1;
                        }
                        None => break,
                    }
                }
                char::from_u32(value).unwrap_or('\0')
            }
            'x' => {
                let digits: String = if self.eat('{') {
                    self.name_until('}')?
                } else {
                    let from = self.pos;
                    while self.pos < from + 2 && self.peek().is_some_and(|d| d.is_ascii_hexdigit())
                    {
                        self.pos += 1;
                    }
                    self.chars[from..self.pos].iter().collect()
                };
                char::from_u32(u32::from_str_radix(&digits, 16).unwrap_or(0)).unwrap_or('\0')
            }
            'c' => {
                let x = self.peek()?;
                self.pos += 1;
                char::from_u32((x.to_ascii_uppercase() as u32) ^ 0x40).unwrap_or('\0')
            }
            other => other,
        })
    }

    /// A `[...]` class (the `[` is read).
    fn class(&mut self) -> Option<Piece> {
        let negated = self.eat('^');
        let mut set = Chars::NONE;
        let mut items = 0;
        let mut lone_literal = None;
        let mut first = true;
        loop {
            let c = self.peek()?;
            if c == ']' && !first {
                self.pos += 1;
                break;
            }
            first = false;
            if c == '['
                && self.peek_at(1) == Some(':')
                && let Some(posix) = self.posix_class()
            {
                set = set | posix;
                items += 2;
                continue;
            }
            self.pos += 1;
            let start = if c == '\\' {
                let e = self.peek()?;
                self.pos += 1;
                if let Some(class) = escape_class(e) {
                    set = set | class;
                    items += 2;
                    continue;
                }
                if e == 'b' {
                    '\x08'
                } else {
                    self.escaped_char(e)?
                }
            } else {
                c
            };
            // a range `a-z` (a `-` before `]` is literal)
            if self.peek() == Some('-') && self.peek_at(1).is_some_and(|n| n != ']') {
                self.pos += 1;
                let end = match self.peek()? {
                    '\\' => {
                        self.pos += 1;
                        let e = self.peek()?;
                        self.pos += 1;
                        self.escaped_char(e)?
                    }
                    e => {
                        self.pos += 1;
                        e
                    }
                };
                set = set | Chars::range(start as u32, end as u32);
                items += 2;
                continue;
            }
            set = set | Chars::of(start);
            items += 1;
            lone_literal = Some(start);
        }
        Some(match (negated, items, lone_literal) {
            (false, 1, Some(c)) => literal(c),
            (true, _, _) => Piece {
                facts: Facts::class(set.complement()),
                single: None,
            },
            (false, _, _) => Piece {
                facts: Facts::class(set),
                single: Some(set),
            },
        })
    }

    /// `[:alpha:]` and `[:^alpha:]` inside a class.
    fn posix_class(&mut self) -> Option<Chars> {
        let rest: String = self.chars[self.pos..].iter().take(12).collect();
        let end = rest.find(":]")?;
        let inner = rest.get(2..end)?;
        let (negated, name) = match inner.strip_prefix('^') {
            Some(n) => (true, n),
            None => (false, inner),
        };
        let lower = Chars::range('a' as u32, 'z' as u32);
        let upper = Chars::range('A' as u32, 'Z' as u32);
        let set = match name {
            "alpha" => lower | upper,
            "digit" => digits(),
            "alnum" => lower | upper | digits(),
            "word" => word(),
            "space" => space(),
            "blank" => Chars::of_str(" \t"),
            "upper" => upper,
            "lower" => lower,
            "xdigit" => digits() | Chars::of_str("abcdefABCDEF"),
            "punct" => Chars::range(33, 126) & (lower | upper | digits()).complement(),
            "graph" => Chars::range(33, 126),
            "print" => Chars::range(32, 126),
            "cntrl" => Chars::range(0, 31) | Chars::of('\x7f'),
            "ascii" => Chars::range(0, 127),
            _ => return None,
        };
        self.pos += rest[..end + 2].chars().count();
        Some(if negated { set.complement() } else { set })
    }
}

fn literal(c: char) -> Piece {
    Piece {
        facts: Facts::literal(c),
        single: Some(Chars::of(c)),
    }
}

fn anything() -> Piece {
    Piece {
        facts: Facts::class(Chars::ALL),
        single: None,
    }
}

/// The classes an escape names: `\d`, `\s`, `\w`, PCRE's `\h`, `\v`, `\R` and their negations.
fn escape_class(c: char) -> Option<Chars> {
    let vertical = Chars::of_str("\n\x0b\x0c\r");
    let horizontal = Chars::of_str(" \t");
    Some(match c {
        'd' => digits(),
        'D' => digits().complement(),
        's' => space(),
        'S' => space().complement(),
        'w' => word(),
        'W' => word().complement(),
        'h' => horizontal,
        'H' => horizontal.complement(),
        'v' | 'R' => vertical,
        'V' => vertical.complement(),
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn group(regex: &str, n: usize) -> Facts {
        analyze(regex).unwrap().group(n).unwrap()
    }

    #[test]
    fn free_characters_come_from_classes_not_literals() {
        let g = group(r"^/proxy/(.*)/(\W*)$", 1);
        assert!(g.free.contains('.') && g.free.contains('\r') && !g.free.contains('\n'));
        let g = group(r"^/proxy/(.*)/(\W*)$", 2);
        assert!(g.free.contains('\n') && g.free.contains('.'));
        // literals are fixed by the config
        let g = group(r"^/([a-z]+\.example\.com)$", 1);
        assert!(!g.free.contains('.') && g.literal.contains('.'));
        assert!(g.must.contains('.'));
        let whole = group(r"^/([a-z]+\.example\.com)$", 0);
        assert!(whole.must.contains('/'));
    }

    #[test]
    fn negated_classes_hold_newlines() {
        let g = group(r"/([^/]+)$", 1);
        assert!(g.free.contains('\n') && g.free.contains('\r') && !g.free.contains('/'));
        assert!(!group(r"([^\s]+)", 1).free.contains('\n'));
        let g = group(r"(\S+|\n)", 1);
        assert!(!g.free.contains('\n') && g.literal.contains('\n'));
    }

    #[test]
    fn sre_parse_simplifications() {
        // a one-character class is a literal; an alternation of single characters is a class
        assert!(!group(r"([.])", 1).free.contains('.'));
        assert!(group(r"(\.|x)", 1).free.contains('.'));
        assert!(!group(r"(\.a|x)", 1).free.contains('.'));
        assert!(group(r"([.a])", 1).free.contains('.'));
    }

    #[test]
    fn quantifiers_and_must() {
        assert!(group(r"(/a)", 1).must.contains('/'));
        assert!(!group(r"((/a)?)", 1).must.contains('/'));
        assert!(group(r"(/|/x)", 1).must.contains('/'));
        assert!(!group(r"(/|x)", 1).must.contains('/'));
        assert_eq!(group(r"(.{0})", 1), Facts::default());
        assert!(group(r"(x{2,}|.{,3})", 1).free.contains('.'));
        assert!(group(r"a{x}(.)", 1).free.contains('a'));
    }

    #[test]
    fn groups_are_numbered_by_opening_paren_with_names() {
        let a = analyze(r"^/(?<host>[^/]+)/(?:x|y)(?P<rest>.*)(?=z)(\d)$").unwrap();
        assert_eq!(a.groups.len(), 4);
        assert!(a.named("host").unwrap().free.contains('\n'));
        assert!(!a.named("rest").unwrap().free.contains('\n'));
        assert!(a.group(3).unwrap().free.contains('5'));
        assert!(a.named("nope").is_none());
    }

    #[test]
    fn escapes_posix_classes_and_flags() {
        assert!(group(r"([[:alpha:].])", 1).free.contains('.'));
        assert!(!group(r"([[:alpha:]])", 1).free.contains('.'));
        assert!(group(r"([^[:alpha:]])", 1).free.contains('\n'));
        assert!(group(r"(?s)(.)", 1).free.contains('\n'));
        assert!(group(r"(\x2e|\n)", 1).free.contains('.'));
        assert!(group(r"(\v)", 1).free.contains('\r'));
        assert!(!group(r"(\Q.*\E)", 1).free.contains('.'));
        assert!(group(r"(a)\1", 0).literal.contains('a'));
    }

    #[test]
    fn bad_and_hostile_regexes() {
        assert!(analyze("(a").is_none());
        assert!(analyze("a)").is_none());
        assert!(analyze("[a").is_none());
        assert!(analyze("*a").is_none());
        let deep = format!("{}a{}", "(".repeat(10_000), ")".repeat(10_000));
        assert!(analyze(&deep).is_none());
        let fine = format!("{}a{}", "(".repeat(100), ")".repeat(100));
        assert_eq!(analyze(&fine).unwrap().groups.len(), 101);
        assert!(analyze("\\").is_none());
        assert!(analyze("(?").is_none());
        assert!(analyze("[[:").is_none());
        assert!(analyze("\\x{zz}").is_some());
    }

    fn fragment() -> impl proptest::strategy::Strategy<Value = &'static str> {
        proptest::sample::select(vec![
            "(",
            ")",
            "(?:",
            "(?<n>",
            "(?P<m>",
            "(?'q'",
            "(?=",
            "(?!",
            "(?<=",
            "(?<!",
            "(?P=n)",
            "(?i)",
            "(?s:",
            "(?#c)",
            "(*UTF8)",
            "(?R)",
            "(?-1)",
            "[",
            "]",
            "[^",
            "[:alpha:]",
            "[[:^digit:]]",
            "\\",
            "\\d",
            "\\W",
            "\\x",
            "\\x{41}",
            "\\x{",
            "\\k<n>",
            "\\g{-1}",
            "\\g2",
            "\\1",
            "\\12",
            "\\0",
            "\\c",
            "\\cA",
            "\\Q",
            "\\E",
            "\\p{L}",
            "\\P",
            "|",
            "*",
            "+",
            "?",
            "{2,3}",
            "{,4}",
            "{",
            "}",
            ".",
            "a",
            "é",
            "$",
            "^",
            "-",
            ":",
            "/",
            "\n",
        ])
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig { cases: 2048, ..Default::default() })]
        #[test]
        fn any_regex_text_is_analysed_without_panicking(
            parts in proptest::collection::vec(fragment(), 0..40),
            noise in "\\PC{0,12}",
        ) {
            let regex = format!("{}{noise}", parts.concat());
            if let Some(a) = analyze(&regex) {
                proptest::prop_assert!(!a.groups.is_empty());
                for (_, n) in &a.names {
                    proptest::prop_assert!(*n < a.groups.len());
                }
            }
        }
    }
}
