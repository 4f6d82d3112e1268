//! Python literal syntax: integers, floats and string literals (prefixes, quotes, escapes).

/// `123`, `1_000`, `0x1F`, `0o17`, `0b101`; `None` for an imaginary or too large number.
pub fn parse_int(text: &str) -> Option<i64> {
    let t: String = text.chars().filter(|&c| c != '_').collect();
    let lower = t.to_ascii_lowercase();
    if lower.ends_with('j') || lower.ends_with('l') {
        return None;
    }
    let (digits, radix) = match lower.get(..2) {
        Some("0x") => (&lower[2..], 16),
        Some("0o") => (&lower[2..], 8),
        Some("0b") => (&lower[2..], 2),
        _ => (lower.as_str(), 10),
    };
    i64::from_str_radix(digits, radix).ok()
}

pub fn parse_float(text: &str) -> Option<f64> {
    let t: String = text.chars().filter(|&c| c != '_').collect();
    if t.ends_with(['j', 'J']) {
        return None;
    }
    t.parse().ok()
}

/// The value of one string literal; `None` for bytes and for f-strings with replacement
/// fields (their value depends on run-time values).
pub fn parse_string(text: &str) -> Option<String> {
    let prefix_len = text.find(['"', '\'']).unwrap_or(0);
    let prefix = text[..prefix_len].to_ascii_lowercase();
    if prefix.contains('b') {
        return None;
    }
    let raw = prefix.contains('r');
    let fstring = prefix.contains('f') || prefix.contains('t');
    let body = &text[prefix_len..];
    let quote = if body.starts_with("\"\"\"") || body.starts_with("'''") {
        3
    } else {
        1
    };
    if body.len() < 2 * quote {
        return None;
    }
    let inner = &body[quote..body.len() - quote];
    if fstring {
        let without_escaped = inner.replace("{{", "").replace("}}", "");
        if without_escaped.contains('{') {
            return None;
        }
    }
    let mut s = if raw || !inner.contains('\\') {
        inner.to_string()
    } else {
        unescape(inner)?
    };
    if fstring {
        s = s.replace("{{", "{").replace("}}", "}");
    }
    Some(s)
}

/// A non-raw string literal's body with its escape sequences resolved.
pub fn unescape(s: &str) -> Option<String> {
    let mut out = String::with_capacity(s.len());
    let mut chars = s.chars().peekable();
    while let Some(c) = chars.next() {
        if c != '\\' {
            out.push(c);
            continue;
        }
        let Some(e) = chars.next() else {
            out.push('\\');
            break;
        };
        match e {
            '\n' => {}
            '\r' => {
                if chars.peek() == Some(&'\n') {
                    chars.next();
                }
            }
            '\\' => out.push('\\'),
            '\'' => out.push('\''),
            '"' => out.push('"'),
            'a' => out.push('\x07'),
            'b' => out.push('\x08'),
            'f' => out.push('\x0c'),
            'n' => out.push('\n'),
            'r' => out.push('\r'),
            't' => out.push('\t'),
            'v' => out.push('\x0b'),
            'x' => out.push(hex_char(&mut chars, 2)?),
            'u' => out.push(hex_char(&mut chars, 4)?),
            'U' => out.push(hex_char(&mut chars, 8)?),
            'N' => return None,
            '0'..='7' => {
                let mut v = e.to_digit(8)?;
                for _ in 0..2 {
                    match chars.peek().and_then(|c| c.to_digit(8)) {
                        Some(d) => {
                            v = v * 8 + d;
                            chars.next();
                        }
                        None => break,
                    }
                }
                out.push(char::from_u32(v)?);
            }
            other => {
                out.push('\\');
                out.push(other);
            }
        }
    }
    Some(out)
}

fn hex_char(chars: &mut std::iter::Peekable<std::str::Chars<'_>>, n: usize) -> Option<char> {
    let mut v = 0u32;
    for _ in 0..n {
        v = v.checked_mul(16)? + chars.next()?.to_digit(16)?;
    }
    char::from_u32(v)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn strings() {
        assert_eq!(parse_string(r#""a\tb""#).as_deref(), Some("a\tb"));
        assert_eq!(parse_string(r#"r"a\tb""#).as_deref(), Some(r"a\tb"));
        assert_eq!(parse_string("'''x'y'''").as_deref(), Some("x'y"));
        assert_eq!(parse_string(r#"f"{x}""#), None);
        assert_eq!(parse_string(r#"f"{{x}}""#).as_deref(), Some("{x}"));
        assert_eq!(parse_string(r#"b"x""#), None);
        assert_eq!(parse_string(r#""\u00e9\x41""#).as_deref(), Some("éA"));
    }

    #[test]
    fn numbers() {
        assert_eq!(parse_int("1_000"), Some(1000));
        assert_eq!(parse_int("0x1F"), Some(31));
        assert_eq!(parse_int("99999999999999999999999"), None);
        assert_eq!(parse_float("1.5e3"), Some(1500.0));
    }
}
