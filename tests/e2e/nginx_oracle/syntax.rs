//! Just enough of nginx's own tokenizer (ngx_conf_read_token) for the test harness to find
//! directives and their arguments, independently of Preflight's grammar: words, quoted
//! strings, `#` comments at a token's start, `${var}` braces, `;`, `{` and `}`.

use std::ops::Range;

/// An argument as written (`span`, quotes included) and its text (quotes removed).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Arg {
    pub span: Range<usize>,
    pub text: String,
}

/// A directive or block header: its name, its arguments and how many blocks enclose it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Statement {
    pub name: String,
    pub args: Vec<Arg>,
    pub depth: usize,
}

enum Token {
    Word(Arg),
    Semicolon,
    Open,
    Close,
}

fn tokens(text: &str) -> Vec<Token> {
    let bytes = text.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b' ' | b'\t' | b'\r' | b'\n' => i += 1,
            b'#' => {
                while i < bytes.len() && bytes[i] != b'\n' {
                    i += 1;
                }
            }
            b';' => {
                out.push(Token::Semicolon);
                i += 1;
            }
            b'{' => {
                out.push(Token::Open);
                i += 1;
            }
            b'}' => {
                out.push(Token::Close);
                i += 1;
            }
            quote @ (b'"' | b'\'') => {
                let start = i;
                i += 1;
                while i < bytes.len() && bytes[i] != quote {
                    i += if bytes[i] == b'\\' { 2 } else { 1 };
                }
                let end = (i + 1).min(bytes.len());
                out.push(Token::Word(Arg {
                    span: start..end,
                    text: text[start + 1..i.min(bytes.len())].to_owned(),
                }));
                i = end;
            }
            _ => {
                let start = i;
                let mut variable = false;
                while i < bytes.len() {
                    let b = bytes[i];
                    if b == b'{' && variable {
                        // `${name}`: the braces belong to the word
                        while i < bytes.len() && bytes[i] != b'}' {
                            i += 1;
                        }
                        i += 1;
                        variable = false;
                        continue;
                    }
                    if matches!(b, b' ' | b'\t' | b'\r' | b'\n' | b';' | b'{') {
                        break;
                    }
                    variable = b == b'$';
                    i += if b == b'\\' { 2 } else { 1 };
                }
                let end = i.min(bytes.len());
                out.push(Token::Word(Arg {
                    span: start..end,
                    text: text[start..end].to_owned(),
                }));
            }
        }
    }
    out
}

/// Every directive and block header of `text`, in order.
pub fn statements(text: &str) -> Vec<Statement> {
    let mut out = Vec::new();
    let mut depth = 0usize;
    let mut words: Vec<Arg> = Vec::new();
    let flush = |words: &mut Vec<Arg>, depth: usize, out: &mut Vec<Statement>| {
        let mut drained = words.drain(..);
        if let Some(name) = drained.next() {
            out.push(Statement {
                name: name.text,
                args: drained.collect(),
                depth,
            });
        }
    };
    for token in tokens(text) {
        match token {
            Token::Word(arg) => words.push(arg),
            Token::Semicolon => flush(&mut words, depth, &mut out),
            Token::Open => {
                flush(&mut words, depth, &mut out);
                depth += 1;
            }
            Token::Close => {
                flush(&mut words, depth, &mut out);
                depth = depth.saturating_sub(1);
            }
        }
    }
    flush(&mut words, depth, &mut out);
    out
}

/// `text` with each byte range replaced (ranges must not overlap).
pub fn replace_spans(text: &str, mut replacements: Vec<(Range<usize>, String)>) -> String {
    replacements.sort_by_key(|(span, _)| std::cmp::Reverse(span.start));
    let mut out = text.to_owned();
    for (span, new_text) in replacements {
        out.replace_range(span, &new_text);
    }
    out
}
