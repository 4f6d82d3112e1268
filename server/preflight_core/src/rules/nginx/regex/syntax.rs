//! nginx's regexes (PCRE) as a tree the regex rules can reason about.
//!
//! The tree has the shape of Python's `sre_parse` (which gixy-ng's regex plugins are written
//! against): a single-character class is a literal, `[^x]` is a `NotLiteral`, `\d` outside a
//! class is a one-item class, and alternatives that share a leading item have it factored out
//! (`ab|ac` reads `a(?:b|c)`), while alternatives that are single characters become a class.
//! Keeping that shape makes the ports of gixy's analyses find what gixy finds. Unlike sre, the
//! parser reads PCRE's own syntax: possessive quantifiers, atomic groups, `(?<name>...)`,
//! branch reset `(?|...)`, `\z`, `\h`, `\Q...\E`, POSIX classes.

/// `max` of an unbounded repetition.
pub const UNBOUNDED: u32 = u32::MAX;

/// Patterns longer than this are not analysed (no real config has one).
const MAX_LEN: usize = 20_000;
/// Groups nested deeper than this are not analysed (the analyses recurse).
const MAX_DEPTH: usize = 100;

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Node {
    Literal(char),
    /// `[^x]`
    NotLiteral(char),
    /// `.`
    Any,
    /// `[...]`, `\d`, `\w`, ...: the items, `Negate` first when negated.
    Class(Vec<ClassItem>),
    At(Anchor),
    /// Alternatives (each a sequence; an empty one matches the empty string).
    Branch(Vec<Vec<Node>>),
    /// `(...)` with its capture number, `(?:...)` with `None`.
    Group {
        index: Option<u32>,
        body: Vec<Node>,
    },
    Repeat {
        min: u32,
        /// [`UNBOUNDED`] for `*`, `+`, `{n,}`.
        max: u32,
        mode: RepeatMode,
        /// One item.
        body: Vec<Node>,
    },
    /// `(?=...)`, `(?!...)`, `(?<=...)`, `(?<!...)`
    Look {
        behind: bool,
        negative: bool,
        body: Vec<Node>,
    },
    /// `(?>...)`: matched once, never backtracked into.
    Atomic(Vec<Node>),
    /// `\1`, `\k<name>`, `(?P=name)`
    Backref(u32),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RepeatMode {
    Greedy,
    Lazy,
    /// `*+`, `++`, `?+`, `{n,m}+`: gives nothing back, so never backtracks.
    Possessive,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Anchor {
    /// `^`
    Begin,
    /// `$`
    End,
    /// `\A`
    BeginString,
    /// `\Z`, `\z`
    EndString,
    /// `\b`
    Boundary,
    /// `\B`
    NonBoundary,
    /// `\G`, `\K` and other zero-width items.
    Other,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ClassItem {
    Negate,
    Literal(char),
    Range(char, char),
    Category(Category),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Category {
    Digit,
    NotDigit,
    Space,
    NotSpace,
    Word,
    NotWord,
    /// `\h`, `\v`, `\p{..}`, `[:^alpha:]`...: a set these analyses do not enumerate.
    Other,
}

impl Category {
    /// The ASCII members of the category (`None` for the negated and unknown ones).
    pub fn ascii(self) -> Option<&'static str> {
        match self {
            Category::Digit => Some("0123456789"),
            Category::Space => Some(" \t\n\r\x0b\x0c"),
            Category::Word => {
                Some("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_")
            }
            _ => None,
        }
    }

    /// Whether the (ASCII) character belongs to the category.
    pub fn contains(self, c: char) -> bool {
        match self {
            Category::Digit => c.is_ascii_digit(),
            Category::NotDigit => !c.is_ascii_digit(),
            Category::Space => " \t\n\r\x0b\x0c".contains(c),
            Category::NotSpace => !" \t\n\r\x0b\x0c".contains(c),
            Category::Word => c.is_ascii_alphanumeric() || c == '_',
            Category::NotWord => !(c.is_ascii_alphanumeric() || c == '_'),
            Category::Other => false,
        }
    }
}

/// A parsed regex.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Regex {
    pub nodes: Vec<Node>,
    /// How many capture groups it has (`$1`..`$N` are defined).
    pub groups: u32,
    /// `(?i)` appears somewhere.
    pub ignore_case: bool,
    /// `(?s)` appears somewhere.
    pub dotall: bool,
}

/// Why a pattern is not analysed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Error(pub &'static str);

pub fn parse(pattern: &str) -> Result<Regex, Error> {
    if pattern.len() > MAX_LEN {
        return Err(Error("pattern too long"));
    }
    let mut parser = Parser {
        chars: pattern.chars().collect(),
        pos: 0,
        groups: 0,
        names: Vec::new(),
        open: Vec::new(),
        ignore_case: false,
        dotall: false,
        extended: false,
        depth: 0,
    };
    let nodes = parser.alternation(false)?;
    if parser.pos < parser.chars.len() {
        return Err(Error("unbalanced parenthesis"));
    }
    Ok(Regex {
        nodes,
        groups: parser.groups,
        ignore_case: parser.ignore_case,
        dotall: parser.dotall,
    })
}

struct Parser {
    chars: Vec<char>,
    pos: usize,
    groups: u32,
    names: Vec<(String, u32)>,
    /// Groups being parsed (a backreference to one of them is an error).
    open: Vec<u32>,
    ignore_case: bool,
    dotall: bool,
    extended: bool,
    depth: usize,
}

impl Parser {
    fn peek(&self) -> Option<char> {
        self.chars.get(self.pos).copied()
    }

    fn peek_at(&self, offset: usize) -> Option<char> {
        self.chars.get(self.pos + offset).copied()
    }

    fn next(&mut self) -> Option<char> {
        let c = self.peek()?;
        self.pos += 1;
        Some(c)
    }

    fn eat(&mut self, c: char) -> bool {
        if self.peek() == Some(c) {
            self.pos += 1;
            true
        } else {
            false
        }
    }

    fn eat_str(&mut self, s: &str) -> bool {
        let n = s.chars().count();
        if self.chars.len() >= self.pos + n
            && s.chars().zip(&self.chars[self.pos..]).all(|(a, &b)| a == b)
        {
            self.pos += n;
            true
        } else {
            false
        }
    }

    /// `a|b|c` up to `)` (inside a group) or the end. `reset`: a `(?|...)` group, whose
    /// alternatives number their groups from the same start.
    fn alternation(&mut self, reset: bool) -> Result<Vec<Node>, Error> {
        self.depth += 1;
        if self.depth > MAX_DEPTH {
            return Err(Error("nested too deeply"));
        }
        let start_groups = self.groups;
        let mut most_groups = self.groups;
        let mut items = vec![self.sequence()?];
        while self.eat('|') {
            if reset {
                most_groups = most_groups.max(self.groups);
                self.groups = start_groups;
            }
            items.push(self.sequence()?);
        }
        if reset {
            self.groups = most_groups.max(self.groups);
        }
        self.depth -= 1;
        if items.len() == 1 {
            return Ok(items.pop().unwrap_or_default());
        }
        Ok(factor(items))
    }

    /// Items up to `|`, `)` or the end.
    fn sequence(&mut self) -> Result<Vec<Node>, Error> {
        let mut out: Vec<Node> = Vec::new();
        loop {
            if self.extended {
                self.skip_extended_space();
            }
            let Some(c) = self.peek() else { break };
            if c == '|' || c == ')' {
                break;
            }
            self.pos += 1;
            match c {
                '[' => out.push(self.class()?),
                '*' | '+' | '?' | '{' => {
                    let Some((min, max)) = self.quantifier(c)? else {
                        out.push(Node::Literal('{'));
                        continue;
                    };
                    let mode = if self.eat('?') {
                        RepeatMode::Lazy
                    } else if self.eat('+') {
                        RepeatMode::Possessive
                    } else {
                        RepeatMode::Greedy
                    };
                    match out.pop() {
                        None | Some(Node::At(_)) => return Err(Error("nothing to repeat")),
                        Some(Node::Repeat { .. }) => return Err(Error("multiple repeat")),
                        Some(item) => out.push(Node::Repeat {
                            min,
                            max,
                            mode,
                            body: vec![item],
                        }),
                    }
                }
                '.' => out.push(Node::Any),
                '(' => {
                    if let Some(node) = self.group()? {
                        out.push(node);
                    }
                }
                '^' => out.push(Node::At(Anchor::Begin)),
                '$' => out.push(Node::At(Anchor::End)),
                '\\' => self.escape(&mut out)?,
                c => out.push(Node::Literal(c)),
            }
        }
        Ok(out)
    }

    fn skip_extended_space(&mut self) {
        while let Some(c) = self.peek() {
            if c.is_whitespace() {
                self.pos += 1;
            } else if c == '#' {
                while let Some(c) = self.next() {
                    if c == '\n' {
                        break;
                    }
                }
            } else {
                break;
            }
        }
    }

    /// The bounds of a quantifier whose first character was just read; `None` for a `{` that
    /// is a literal (`{` not followed by a valid `n}`, `n,}`, `n,m}` or `,m}`).
    fn quantifier(&mut self, c: char) -> Result<Option<(u32, u32)>, Error> {
        match c {
            '?' => Ok(Some((0, 1))),
            '*' => Ok(Some((0, UNBOUNDED))),
            '+' => Ok(Some((1, UNBOUNDED))),
            _ => {
                let here = self.pos;
                let lo = self.digits();
                let hi = if self.eat(',') {
                    self.digits()
                } else {
                    lo.clone()
                };
                if !self.eat('}') || (lo.is_empty() && hi.is_empty() && self.chars[here] == '}') {
                    self.pos = here;
                    return Ok(None);
                }
                let parse = |s: &str, default: u32| -> Result<u32, Error> {
                    if s.is_empty() {
                        return Ok(default);
                    }
                    s.parse::<u32>()
                        .ok()
                        .filter(|&n| n < 65_536)
                        .ok_or(Error("repetition number too large"))
                };
                let min = parse(&lo, 0)?;
                let max = parse(&hi, UNBOUNDED)?;
                if max < min {
                    return Err(Error("bad repeat interval"));
                }
                Ok(Some((min, max)))
            }
        }
    }

    fn digits(&mut self) -> String {
        let mut s = String::new();
        while let Some(c) = self.peek().filter(char::is_ascii_digit) {
            s.push(c);
            self.pos += 1;
        }
        s
    }

    /// After `(`: a group, or `None` for what matches nothing (`(?i)`, `(?#...)`, `(*UTF)`).
    fn group(&mut self) -> Result<Option<Node>, Error> {
        if self.eat('*') {
            // PCRE verbs and start-of-pattern options: (*UTF8), (*SKIP)...
            while let Some(c) = self.next() {
                if c == ')' {
                    return Ok(None);
                }
            }
            return Err(Error("unterminated verb"));
        }
        if !self.eat('?') {
            return self.capture(None).map(Some);
        }
        if self.eat('#') {
            while let Some(c) = self.next() {
                if c == ')' {
                    return Ok(None);
                }
            }
            return Err(Error("unterminated comment"));
        }
        if self.eat(':') {
            let body = self.group_body(false)?;
            return Ok(Some(Node::Group { index: None, body }));
        }
        if self.eat('|') {
            let body = self.group_body(true)?;
            return Ok(Some(Node::Group { index: None, body }));
        }
        if self.eat('>') {
            return Ok(Some(Node::Atomic(self.group_body(false)?)));
        }
        for (prefix, behind, negative) in [
            ("=", false, false),
            ("!", false, true),
            ("<=", true, false),
            ("<!", true, true),
        ] {
            if self.eat_str(prefix) {
                let body = self.group_body(false)?;
                return Ok(Some(Node::Look {
                    behind,
                    negative,
                    body,
                }));
            }
        }
        if self.eat_str("P<") {
            let name = self.name('>')?;
            return self.capture(Some(name)).map(Some);
        }
        if self.eat('<') {
            let name = self.name('>')?;
            return self.capture(Some(name)).map(Some);
        }
        if self.eat('\'') {
            let name = self.name('\'')?;
            return self.capture(Some(name)).map(Some);
        }
        if self.eat_str("P=") {
            let name = self.name(')')?;
            return self.named_backref(&name).map(Some);
        }
        // conditionals and recursion are not analysed: flags() rejects them
        self.flags()
    }

    /// `(?imsx-imsx)` or `(?imsx-imsx:...)`, after `(?`.
    fn flags(&mut self) -> Result<Option<Node>, Error> {
        let mut on = true;
        loop {
            match self.next() {
                Some('i') => self.ignore_case |= on,
                Some('s') => self.dotall |= on,
                Some('x') => self.extended = on,
                Some('m' | 'n' | 'U' | 'J' | 'u' | 'L' | 'a' | 't') => {}
                Some('^') => {}
                Some('-') => on = false,
                Some(')') => return Ok(None),
                Some(':') => {
                    let body = self.group_body(false)?;
                    return Ok(Some(Node::Group { index: None, body }));
                }
                _ => return Err(Error("unknown group syntax")),
            }
        }
    }

    fn name(&mut self, end: char) -> Result<String, Error> {
        let mut name = String::new();
        loop {
            match self.next() {
                None => return Err(Error("unterminated group name")),
                Some(c) if c == end => break,
                Some(c) if c.is_alphanumeric() || c == '_' => name.push(c),
                Some(_) => return Err(Error("bad character in group name")),
            }
        }
        if name.is_empty() {
            return Err(Error("missing group name"));
        }
        Ok(name)
    }

    fn capture(&mut self, name: Option<String>) -> Result<Node, Error> {
        self.groups += 1;
        let index = self.groups;
        if let Some(name) = name {
            self.names.push((name, index));
        }
        self.open.push(index);
        let body = self.group_body(false)?;
        self.open.retain(|&g| g != index);
        Ok(Node::Group {
            index: Some(index),
            body,
        })
    }

    /// The alternatives of a group and its `)`.
    fn group_body(&mut self, reset: bool) -> Result<Vec<Node>, Error> {
        let extended = self.extended;
        let body = self.alternation(reset)?;
        if !self.eat(')') {
            return Err(Error("missing )"));
        }
        // an inline flag's scope ends with its group
        self.extended = extended;
        Ok(body)
    }

    fn named_backref(&mut self, name: &str) -> Result<Node, Error> {
        self.names
            .iter()
            .find(|(n, _)| n == name)
            .map(|&(_, g)| Node::Backref(g))
            .ok_or(Error("unknown group name"))
    }

    /// After `\` outside a class.
    fn escape(&mut self, out: &mut Vec<Node>) -> Result<(), Error> {
        let Some(c) = self.next() else {
            return Err(Error("trailing backslash"));
        };
        let node = match c {
            'A' => Node::At(Anchor::BeginString),
            'Z' | 'z' => Node::At(Anchor::EndString),
            'b' => Node::At(Anchor::Boundary),
            'B' => Node::At(Anchor::NonBoundary),
            'G' | 'K' => Node::At(Anchor::Other),
            'Q' => {
                // literal up to \E
                while let Some(c) = self.next() {
                    if c == '\\' && self.peek() == Some('E') {
                        self.pos += 1;
                        return Ok(());
                    }
                    out.push(Node::Literal(c));
                }
                return Ok(());
            }
            'E' => return Ok(()),
            'g' | 'k' => {
                let node = self.backref_escape(c)?;
                out.push(node);
                return Ok(());
            }
            '1'..='9' => {
                // a backreference, or an octal escape when that many groups do not exist
                let mut n = c.to_digit(10).unwrap_or(0);
                let start = self.pos;
                while let Some(d) = self.peek().and_then(|d| d.to_digit(10)) {
                    n = n.saturating_mul(10).saturating_add(d);
                    self.pos += 1;
                }
                if n <= self.groups || n < 10 {
                    if self.open.contains(&n) {
                        return Err(Error("cannot refer to an open group"));
                    }
                    Node::Backref(n)
                } else {
                    self.pos = start - 1;
                    Node::Literal(self.octal()?)
                }
            }
            '0' => {
                self.pos -= 1;
                Node::Literal(self.octal()?)
            }
            _ => match self.char_escape(c)? {
                Escaped::Char(c) => Node::Literal(c),
                Escaped::Category(cat) => Node::Class(vec![ClassItem::Category(cat)]),
            },
        };
        out.push(node);
        Ok(())
    }

    /// `\g1`, `\g{1}`, `\g{-1}`, `\g{name}`, `\k<name>`, `\k'name'`, `\k{name}`.
    fn backref_escape(&mut self, c: char) -> Result<Node, Error> {
        let (open, close) = match self.next() {
            Some('{') => ('{', '}'),
            Some('<') => ('<', '>'),
            Some('\'') => ('\'', '\''),
            Some(d) if c == 'g' && (d.is_ascii_digit() || d == '-') => {
                self.pos -= 1;
                ('\0', '\0')
            }
            _ => return Err(Error("bad backreference")),
        };
        let mut text = String::new();
        if open == '\0' {
            if self.eat('-') {
                text.push('-');
            }
            text.push_str(&self.digits());
        } else {
            loop {
                match self.next() {
                    None => return Err(Error("unterminated backreference")),
                    Some(ch) if ch == close => break,
                    Some(ch) => text.push(ch),
                }
            }
        }
        if let Ok(n) = text.parse::<i64>() {
            let n = if n < 0 {
                i64::from(self.groups) + 1 + n
            } else {
                n
            };
            return u32::try_from(n)
                .ok()
                .filter(|&n| n >= 1)
                .map(Node::Backref)
                .ok_or(Error("bad backreference"));
        }
        self.named_backref(&text)
    }

    /// Up to three octal digits (PCRE's `\0`, `\012`, `\101`).
    fn octal(&mut self) -> Result<char, Error> {
        let mut n = 0u32;
        let mut count = 0;
        while count < 3 {
            match self.peek().and_then(|d| d.to_digit(8)) {
                Some(d) => {
                    n = n * 8 + d;
                    self.pos += 1;
                    count += 1;
                }
                None => break,
            }
        }
        if count == 0 {
            return Err(Error("bad escape"));
        }
        char::from_u32(n).ok_or(Error("bad escape"))
    }

    /// The escapes that mean the same in and out of a class, after `\` and `c`.
    fn char_escape(&mut self, c: char) -> Result<Escaped, Error> {
        Ok(match c {
            'd' => Escaped::Category(Category::Digit),
            'D' => Escaped::Category(Category::NotDigit),
            's' => Escaped::Category(Category::Space),
            'S' => Escaped::Category(Category::NotSpace),
            'w' => Escaped::Category(Category::Word),
            'W' => Escaped::Category(Category::NotWord),
            'h' | 'H' | 'v' | 'V' | 'R' | 'N' | 'X' | 'C' => Escaped::Category(Category::Other),
            'p' | 'P' => {
                if self.eat('{') {
                    while let Some(ch) = self.next() {
                        if ch == '}' {
                            break;
                        }
                    }
                } else {
                    self.next();
                }
                Escaped::Category(Category::Other)
            }
            'n' => Escaped::Char('\n'),
            'r' => Escaped::Char('\r'),
            't' => Escaped::Char('\t'),
            'f' => Escaped::Char('\x0c'),
            'a' => Escaped::Char('\x07'),
            'e' => Escaped::Char('\x1b'),
            'c' => {
                let ch = self.next().ok_or(Error("bad escape"))?;
                Escaped::Char(
                    char::from_u32(u32::from(ch.to_ascii_uppercase()) ^ 0x40)
                        .ok_or(Error("bad escape"))?,
                )
            }
            'x' => {
                let mut hex = String::new();
                if self.eat('{') {
                    loop {
                        match self.next() {
                            Some('}') => break,
                            Some(h) if h.is_ascii_hexdigit() => hex.push(h),
                            _ => return Err(Error("bad \\x escape")),
                        }
                    }
                } else {
                    while hex.len() < 2 {
                        match self.peek() {
                            Some(h) if h.is_ascii_hexdigit() => {
                                hex.push(h);
                                self.pos += 1;
                            }
                            _ => break,
                        }
                    }
                }
                let n = if hex.is_empty() {
                    0
                } else {
                    u32::from_str_radix(&hex, 16).map_err(|_| Error("bad \\x escape"))?
                };
                Escaped::Char(char::from_u32(n).ok_or(Error("bad \\x escape"))?)
            }
            'o' if self.peek() == Some('{') => {
                self.pos += 1;
                let mut n = 0u32;
                loop {
                    match self.next() {
                        Some('}') => break,
                        Some(d) if d.is_digit(8) => {
                            n = n
                                .saturating_mul(8)
                                .saturating_add(d.to_digit(8).unwrap_or(0))
                        }
                        _ => return Err(Error("bad \\o escape")),
                    }
                }
                Escaped::Char(char::from_u32(n).ok_or(Error("bad \\o escape"))?)
            }
            // any other escaped character stands for itself
            c => Escaped::Char(c),
        })
    }

    /// After `[`.
    fn class(&mut self) -> Result<Node, Error> {
        let mut items = Vec::new();
        if self.eat('^') {
            items.push(ClassItem::Negate);
        }
        let start = items.len();
        loop {
            let Some(c) = self.next() else {
                return Err(Error("unterminated character class"));
            };
            if c == ']' && items.len() > start {
                break;
            }
            let first = match c {
                '[' if matches!(self.peek(), Some(':')) => {
                    if let Some(posix) = self.posix_class()? {
                        items.extend(posix);
                        continue;
                    }
                    Escaped::Char('[')
                }
                '\\' => self.class_escape()?,
                c => Escaped::Char(c),
            };
            // a range `a-z` (a `-` before `]` is a literal)
            if self.peek() == Some('-')
                && self.peek_at(1).is_some_and(|n| n != ']')
                && let Escaped::Char(lo) = first
            {
                self.pos += 1;
                let hi = match self.next() {
                    Some('\\') => self.class_escape()?,
                    Some(h) => Escaped::Char(h),
                    None => return Err(Error("unterminated character class")),
                };
                let Escaped::Char(hi) = hi else {
                    return Err(Error("bad character range"));
                };
                if hi < lo {
                    return Err(Error("bad character range"));
                }
                items.push(ClassItem::Range(lo, hi));
                continue;
            }
            items.push(match first {
                Escaped::Char(c) => ClassItem::Literal(c),
                Escaped::Category(cat) => ClassItem::Category(cat),
            });
        }
        Ok(match items.as_slice() {
            [ClassItem::Literal(c)] => Node::Literal(*c),
            [ClassItem::Negate, ClassItem::Literal(c)] => Node::NotLiteral(*c),
            _ => Node::Class(items),
        })
    }

    /// `[:alpha:]` inside a class, after `[` (peeking at `:`); `None` when it is not one.
    fn posix_class(&mut self) -> Result<Option<Vec<ClassItem>>, Error> {
        // `[:name:]`: the name is ASCII letters, at most `^` and 6 of them
        let rest: Vec<char> = self.chars[self.pos..].iter().take(12).copied().collect();
        let Some(end) = (1..rest.len()).find(|&i| rest[i] == ':' && rest.get(i + 1) == Some(&']'))
        else {
            return Ok(None);
        };
        let name: String = rest[1..end].iter().collect();
        if name.is_empty() || !name.chars().all(|c| c.is_ascii_alphabetic() || c == '^') {
            return Ok(None);
        }
        self.pos += end + 2;
        let name = name.as_str();
        let (negated, name) = match name.strip_prefix('^') {
            Some(n) => (true, n),
            None => (false, name),
        };
        use ClassItem::{Category as Cat, Literal as Lit, Range};
        let items = match name {
            "alpha" => vec![Range('a', 'z'), Range('A', 'Z')],
            "digit" => vec![Range('0', '9')],
            "alnum" => vec![Range('a', 'z'), Range('A', 'Z'), Range('0', '9')],
            "upper" => vec![Range('A', 'Z')],
            "lower" => vec![Range('a', 'z')],
            "xdigit" => vec![Range('0', '9'), Range('a', 'f'), Range('A', 'F')],
            "word" => vec![Cat(Category::Word)],
            "space" => vec![Cat(Category::Space)],
            "blank" => vec![Lit(' '), Lit('\t')],
            "punct" => vec![
                Range('!', '/'),
                Range(':', '@'),
                Range('[', '`'),
                Range('{', '~'),
            ],
            "cntrl" => vec![Range('\0', '\x1f'), Lit('\x7f')],
            "print" => vec![Range(' ', '~')],
            "graph" => vec![Range('!', '~')],
            "ascii" => vec![Range('\0', '\x7f')],
            _ => return Err(Error("unknown POSIX class")),
        };
        Ok(Some(if negated {
            vec![Cat(Category::Other)]
        } else {
            items
        }))
    }

    /// After `\` inside a class (`\b` is a backspace there).
    fn class_escape(&mut self) -> Result<Escaped, Error> {
        match self.next() {
            None => Err(Error("trailing backslash")),
            Some('b') => Ok(Escaped::Char('\x08')),
            Some(d @ '0'..='7') => {
                self.pos -= 1;
                let _ = d;
                Ok(Escaped::Char(self.octal()?))
            }
            Some(c) => self.char_escape(c),
        }
    }
}

enum Escaped {
    Char(char),
    Category(Category),
}

/// sre's treatment of alternatives: a leading item all of them share moves out of the
/// alternation, and alternatives that are single characters become a class.
fn factor(mut items: Vec<Vec<Node>>) -> Vec<Node> {
    let mut out = Vec::new();
    while let Some(prefix) = items.first().and_then(|i| i.first()).cloned() {
        if !shareable(&prefix) || !items.iter().all(|i| i.first() == Some(&prefix)) {
            break;
        }
        for item in &mut items {
            item.remove(0);
        }
        out.push(prefix);
    }
    if items
        .iter()
        .all(|i| matches!(i.as_slice(), [Node::Literal(_)]))
    {
        let set = items
            .iter()
            .filter_map(|i| match i.first() {
                Some(Node::Literal(c)) => Some(ClassItem::Literal(*c)),
                _ => None,
            })
            .collect();
        out.push(Node::Class(set));
        return out;
    }
    out.push(Node::Branch(items));
    out
}

/// Items sre compares by value (groups and repetitions are distinct objects there).
fn shareable(node: &Node) -> bool {
    matches!(
        node,
        Node::Literal(_)
            | Node::NotLiteral(_)
            | Node::Any
            | Node::Class(_)
            | Node::At(_)
            | Node::Backref(_)
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use Node::*;

    fn nodes(p: &str) -> Vec<Node> {
        parse(p).unwrap().nodes
    }

    #[test]
    fn literals_anchors_and_groups() {
        assert_eq!(
            nodes(r"^/a\.b$"),
            [
                At(Anchor::Begin),
                Literal('/'),
                Literal('a'),
                Literal('.'),
                Literal('b'),
                At(Anchor::End)
            ]
        );
        let r = parse(r"^/(a)(?:b)(?<n>c)(?P<m>d)(?'o'e)(?=f)(?>g)$").unwrap();
        assert_eq!(r.groups, 4);
        assert!(matches!(r.nodes[2], Group { index: Some(1), .. }));
        assert!(matches!(r.nodes[3], Group { index: None, .. }));
        assert!(matches!(
            r.nodes[7],
            Look {
                negative: false,
                behind: false,
                ..
            }
        ));
        assert!(matches!(r.nodes[8], Atomic(_)));
    }

    #[test]
    fn classes_follow_sre() {
        assert_eq!(nodes("[a]"), [Literal('a')]);
        assert_eq!(nodes("[^/]"), [NotLiteral('/')]);
        assert_eq!(
            nodes(r"\d"),
            [Class(vec![ClassItem::Category(Category::Digit)])]
        );
        assert_eq!(
            nodes(r"[]a-c\w-]"),
            [Class(vec![
                ClassItem::Literal(']'),
                ClassItem::Range('a', 'c'),
                ClassItem::Category(Category::Word),
                ClassItem::Literal('-')
            ])]
        );
        assert_eq!(
            nodes("[[:digit:]x]"),
            [Class(vec![
                ClassItem::Range('0', '9'),
                ClassItem::Literal('x')
            ])]
        );
        assert!(parse("[z-a]").is_err());
        assert!(parse("[abc").is_err());
    }

    #[test]
    fn alternatives_are_factored_like_sre() {
        // a|ab -> a(?:|b)
        assert_eq!(
            nodes("a|ab"),
            [Literal('a'), Branch(vec![vec![], vec![Literal('b')]])]
        );
        // a|b -> [ab]
        assert_eq!(
            nodes("a|b"),
            [Class(vec![
                ClassItem::Literal('a'),
                ClassItem::Literal('b')
            ])]
        );
        // groups are never shared
        assert!(matches!(nodes("(x)a|(x)b")[0], Branch(_)));
    }

    #[test]
    fn quantifiers() {
        assert_eq!(
            nodes("a{2,3}?"),
            [Repeat {
                min: 2,
                max: 3,
                mode: RepeatMode::Lazy,
                body: vec![Literal('a')]
            }]
        );
        assert!(matches!(
            nodes("a++")[0],
            Repeat {
                mode: RepeatMode::Possessive,
                ..
            }
        ));
        // `{` that is not a quantifier is a literal
        assert_eq!(nodes("a{x"), [Literal('a'), Literal('{'), Literal('x')]);
        assert_eq!(nodes("{}"), [Literal('{'), Literal('}')]);
        assert!(parse("*a").is_err());
        assert!(parse("^*").is_err());
        assert!(parse("a**").is_err());
        assert!(parse("a{3,2}").is_err());
    }

    #[test]
    fn group_counting() {
        assert_eq!(parse(r"\(a\)[(]").unwrap().groups, 0);
        assert_eq!(parse("(?|(a)|(b)(c))(d)").unwrap().groups, 3);
        assert_eq!(parse("(?i)x(?#c)").unwrap().groups, 0);
        assert!(parse("(?i)x").unwrap().ignore_case);
        assert_eq!(parse(r"(a)\1").unwrap().nodes[1], Backref(1));
        assert_eq!(parse(r"(?<n>a)\k<n>").unwrap().nodes[1], Backref(1));
        assert!(parse("(a").is_err());
        assert!(parse("a)").is_err());
        assert!(parse(r"(a\1)").is_err());
        assert!(parse("(?(1)a|b)").is_err());
    }

    #[test]
    fn extended_mode_and_quoting() {
        assert_eq!(nodes("(?x) a b # c"), [Literal('a'), Literal('b')]);
        assert_eq!(nodes(r"\Q.*\E"), [Literal('.'), Literal('*')]);
    }

    #[test]
    fn hostile_patterns_do_not_crash() {
        let deep = format!("{}a{}", "(".repeat(10_000), ")".repeat(10_000));
        assert!(parse(&deep).is_err());
        assert!(parse(&"a".repeat(100_000)).is_err());
        for p in [
            "\\", "[", "(?", "(?<", "\\x{zz}", "\\c", "(?P=x)", "\\g{-5}", "[\\", "(*",
        ] {
            assert!(parse(p).is_err(), "{p}");
        }
        // `[:` that does not start a POSIX class is literal
        assert_eq!(parse("[[:]").unwrap().nodes.len(), 1);
        assert_eq!(parse("[[:é:]x]").unwrap().nodes.len(), 3);
        assert!(parse("[[:nope:]]").is_err());
    }
}
