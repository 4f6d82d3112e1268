//! Keeping secrets out of what Preflight prints: source lines quoted by the text output, values
//! shown by hovers. A line that may hold a secret keeps its shape (every masked character
//! becomes `*`, so columns and carets still line up) but not its values.

use std::borrow::Cow;

/// Words that mark a line or a name as holding a secret (compared in upper case).
const SECRET_WORDS: &[&str] = &[
    "SECRET",
    "PASSWORD",
    "PASSWD",
    "PASS",
    "TOKEN",
    "KEY",
    "AUTHORIZATION",
    "CREDENTIAL",
    "DSN",
    "RAW_ENV",
    "BEARER",
];

/// Whether a setting or environment variable named `name` holds a secret, so its value is
/// never shown (hover) and a literal value of it is a committed secret (GUN019's `raw_env`).
pub fn is_secret_name(name: &str) -> bool {
    let upper = name.to_ascii_uppercase();
    [
        "SECRET",
        "PASSWORD",
        "PASSWD",
        "TOKEN",
        "API_KEY",
        "PRIVATE_KEY",
        "CREDENTIAL",
    ]
    .iter()
    .any(|s| upper.contains(s))
        || upper == "DATABASES"
        || upper == "CACHES"
        || upper.ends_with("KEY")
}

/// The user information (`user:password`) of the URL `url`, if it has one.
pub fn url_userinfo(url: &str) -> Option<&str> {
    url_userinfo_spans(url)
        .next()
        .map(|(start, end)| &url[start..end])
}

/// Whether a line may carry a secret: a secret-like word, a URL with user information, or a
/// word or string that looks like a secret whatever its setting is called.
pub fn is_sensitive_line(line: &str) -> bool {
    let upper = line.to_ascii_uppercase();
    SECRET_WORDS.iter().any(|w| upper.contains(w))
        || url_userinfo_spans(line).next().is_some()
        || line
            .split(|c: char| c.is_whitespace() || "\"'`,;()[]{}=:".contains(c))
            .any(looks_like_secret)
}

/// Prefixes of credentials issued by well-known services (Stripe, GitHub, Slack, SendGrid,
/// Google, AWS access key ids) and Django's own generated keys.
const CREDENTIAL_PREFIXES: &[&str] = &[
    "django-insecure-",
    "sk_live_",
    "sk_test_",
    "rk_live_",
    "ghp_",
    "gho_",
    "ghs_",
    "ghu_",
    "github_pat_",
    "xoxb-",
    "xoxp-",
    "xoxa-",
    "SG.",
    "AIza",
    "AKIA",
    "ASIA",
];

/// The shortest random-looking string taken for a secret.
const MIN_SECRET_LEN: usize = 16;

/// Whether a value looks like a secret by itself, so that it is hidden even when the setting
/// or variable holding it has an innocent name: a credential with a well-known prefix, a PEM
/// private key, or a random-looking token (at least 16 characters without spaces, mixing upper
/// case, lower case and digits with some entropy; or 32 hex digits). Names of settings,
/// dotted module paths, host names, file paths and URLs do not look random.
pub fn looks_like_secret(value: &str) -> bool {
    let value = value.trim();
    if CREDENTIAL_PREFIXES
        .iter()
        .any(|p| value.len() >= p.len() + 8 && value.starts_with(p))
        || value.contains("PRIVATE KEY-----")
    {
        return true;
    }
    if value.len() < MIN_SECRET_LEN
        || value.starts_with('/')
        || value.contains("://")
        || value
            .chars()
            .any(|c| c.is_whitespace() || !c.is_ascii_graphic())
    {
        return false;
    }
    let has = |f: fn(&char) -> bool| value.chars().any(|c| f(&c));
    let hex_digits = value.chars().filter(char::is_ascii_hexdigit).count();
    let only_hex = value.chars().all(|c| c.is_ascii_hexdigit() || c == '-');
    let random_hex =
        only_hex && hex_digits >= 32 && has(char::is_ascii_digit) && has(char::is_ascii_alphabetic);
    let mixed =
        has(char::is_ascii_uppercase) && has(char::is_ascii_lowercase) && has(char::is_ascii_digit);
    (random_hex || mixed) && entropy(value) >= 3.0
}

/// Shannon entropy of a string's characters, in bits per character.
fn entropy(s: &str) -> f64 {
    let mut counts = [0u32; 128];
    let mut total = 0u32;
    for b in s.bytes().filter(u8::is_ascii) {
        counts[usize::from(b)] += 1;
        total += 1;
    }
    if total == 0 {
        return 0.0;
    }
    let total = f64::from(total);
    counts
        .iter()
        .filter(|&&n| n > 0)
        .map(|&n| {
            let p = f64::from(n) / total;
            -p * p.log2()
        })
        .sum()
}

/// Byte spans of the user information (`user:password` of `scheme://user:password@host`) of
/// every URL in `text`.
fn url_userinfo_spans(text: &str) -> impl Iterator<Item = (usize, usize)> + '_ {
    text.match_indices("://").filter_map(move |(at, _)| {
        let start = at + 3;
        let rest = &text[start..];
        let authority_end = rest
            .find(|c: char| {
                matches!(
                    c,
                    '/' | '?' | '#' | '"' | '\'' | ';' | ',' | ')' | ']' | '}'
                ) || c.is_whitespace()
            })
            .unwrap_or(rest.len());
        let at_sign = rest[..authority_end].rfind('@')?;
        Some((start, start + at_sign))
    })
}

/// `text` with the user information of its URLs replaced by `*` (one per character).
pub fn redact_urls(text: &str) -> Cow<'_, str> {
    let spans: Vec<(usize, usize)> = url_userinfo_spans(text).collect();
    if spans.is_empty() {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len());
    let mut at = 0;
    for (start, end) in spans {
        out.push_str(&text[at..start]);
        out.extend(text[start..end].chars().map(|_| '*'));
        at = end;
    }
    out.push_str(&text[at..]);
    Cow::Owned(out)
}

/// A source line as it may be printed: unchanged unless it may hold a secret; then the
/// contents of its string literals (except names of environment variables, e.g.
/// `"DJANGO_SECRET_KEY"`) and, on a line without `=` (an nginx directive), every argument after
/// the directive's first one are masked, and so is any URL's user information.
pub fn source_line(line: &str) -> Cow<'_, str> {
    if !is_sensitive_line(line) {
        return Cow::Borrowed(line);
    }
    let line = redact_urls(line);
    let chars: Vec<char> = line.chars().collect();
    let mut masked = chars.clone();
    // string literals
    let mut i = 0;
    let mut in_string = false;
    while i < chars.len() {
        let c = chars[i];
        if c == '#' && !in_string {
            break;
        }
        if c == '"' || c == '\'' {
            let quote = c;
            let close = chars[i + 1..]
                .iter()
                .position(|&d| d == quote)
                .map(|p| i + 1 + p);
            let end = close.unwrap_or(chars.len());
            let inside: String = chars[i + 1..end].iter().collect();
            if !is_env_var_name(&inside) {
                for m in &mut masked[i + 1..end] {
                    *m = '*';
                }
            }
            in_string = false;
            i = end + 1;
            continue;
        }
        i += 1;
    }
    // an nginx directive: `name first rest...;` masks `rest`
    if !line.contains('=') {
        let mut words = 0;
        let mut in_word = false;
        for (k, c) in chars.iter().enumerate() {
            let boundary = c.is_whitespace() || *c == ';' || *c == '{' || *c == '}';
            if boundary {
                in_word = false;
                continue;
            }
            if !in_word {
                in_word = true;
                words += 1;
            }
            if words >= 3 && *c != '"' && *c != '\'' {
                masked[k] = '*';
            }
        }
    }
    Cow::Owned(masked.into_iter().collect())
}

/// `DJANGO_SECRET_KEY`: upper-case letters, digits and underscores, starting with a letter.
fn is_env_var_name(s: &str) -> bool {
    let mut chars = s.chars();
    chars.next().is_some_and(|c| c.is_ascii_uppercase())
        && chars.all(|c| c.is_ascii_uppercase() || c.is_ascii_digit() || c == '_')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn random_tokens_and_known_credentials_look_like_secrets() {
        for secret in [
            "s3cr3-XKcvDE8nGarDkQCFed",
            "sk_live_51Hq8ZbQ2x7Lm",
            "ghp_abcdefghijklmnop",
            "django-insecure-abc123def456",
            "7f3c9a1e5b2d8f4a6c0e9b3d7a1f5c8e",
            "123e4567-e89b-12d3-a456-426614174000",
            "-----BEGIN RSA PRIVATE KEY-----",
            "AKIAIOSFODNN7EXAMPLE",
        ] {
            assert!(looks_like_secret(secret), "{secret}");
        }
    }

    #[test]
    fn names_paths_hosts_and_urls_do_not_look_like_secrets() {
        for plain in [
            "django.middleware.security.SecurityMiddleware",
            "django.contrib.sessions.backends.cached_db",
            "site12.example.com",
            "/etc/letsencrypt/live/site12.example.com/fullchain.pem",
            "https://example.com/api/v2/Items",
            "SECURE_PROXY_SSL_HEADER",
            "HTTP_X_FORWARDED_PROTO",
            "max-age=63072000",
            "Europe/Amsterdam",
            "app-12-worker-3",
            "ABCDEFGHabcdefgh",
            "aaaaaaaaAAAAAAAA1111",
        ] {
            assert!(!looks_like_secret(plain), "{plain}");
        }
    }

    #[test]
    fn a_line_with_a_random_token_is_masked_whatever_the_setting_is_called() {
        let line = "WEBHOOK = \"whsg-K8f3Qz9LmX2vR7tYpB4nW\"";
        let shown = source_line(line);
        assert_eq!(shown, "WEBHOOK = \"**************************\"");
        assert_eq!(
            source_line("ALLOWED_HOSTS = [\"site12.example.com\"]"),
            "ALLOWED_HOSTS = [\"site12.example.com\"]"
        );
    }

    #[test]
    fn lines_without_secrets_are_unchanged() {
        for line in [
            "DEBUG = True",
            "    listen 80;",
            "ALLOWED_HOSTS = [\"example.com\"]",
        ] {
            assert_eq!(source_line(line), line);
        }
    }

    #[test]
    fn string_values_are_masked_and_columns_kept() {
        let line = "SECRET_KEY = os.environ.get(\"DJANGO_SECRET_KEY\", \"abc-123\")";
        let shown = source_line(line);
        assert_eq!(
            shown,
            "SECRET_KEY = os.environ.get(\"DJANGO_SECRET_KEY\", \"*******\")"
        );
        assert_eq!(shown.chars().count(), line.chars().count());
    }

    #[test]
    fn url_passwords_are_masked_anywhere() {
        assert_eq!(
            redact_urls("redis://:pw@cache:6379/0 and https://u:p@h"),
            "redis://***@cache:6379/0 and https://***@h"
        );
        assert_eq!(
            source_line("    proxy_pass http://user:pw@127.0.0.1:8000;"),
            "    proxy_pass http://*******@127.0.0.1:8000;"
        );
    }

    #[test]
    fn nginx_arguments_after_the_first_are_masked() {
        assert_eq!(
            source_line("  proxy_set_header Authorization \"Bearer tok\";"),
            "  proxy_set_header Authorization \"**********\";"
        );
        assert_eq!(
            source_line("  proxy_set_header X-Api-Key k3y;"),
            "  proxy_set_header X-Api-Key ***;"
        );
    }
}
