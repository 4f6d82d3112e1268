//! What gunicorn's validators say about a value at start-up, decided statically: a value they
//! reject stops gunicorn before it serves anything ("Invalid value for workers: ...").

use super::model::{pos_int, python_int_base0};
use super::settings::{Setting, Validator};
use crate::python::{Function, NumKind, Value};

/// The verdict on one value.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Verdict {
    Accepted,
    /// gunicorn refuses to start; the reason reads after "gunicorn rejects this value: ".
    Rejected(Rejection),
    /// Not decidable statically (an environment read, an import string, a file that must exist).
    Unknown,
}

/// Why a value is rejected, precise enough to pick a fix.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Rejection {
    /// A float (or a symbolic float such as `cpu_count() / 2`) where an int is required.
    Float,
    /// A str that `int(val, 0)` does not read.
    NotAnIntString(String),
    /// A negative int.
    Negative,
    /// An int outside the range the validator allows (`(min, max)`).
    OutOfRange(i64, i64),
    /// An int where a bool is required (`daemon = 1`).
    IntForBool,
    /// A `pathlib.Path` where a str is required.
    Path,
    /// A value of the wrong type; the type's name.
    WrongType(&'static str),
    /// A str that is none of the accepted choices.
    NotAChoice(String),
    /// An entry of an address list that is neither `*` nor an IP network.
    NotAnAddress(String),
    /// A hook whose `def` takes the wrong number of positional parameters.
    Arity { found: usize },
}

impl Rejection {
    /// What is wrong, as the predicate of "`setting` ...", for messages (never the value of a
    /// secret: only types, numbers, and the short words of choices and addresses appear).
    pub fn describe(&self, setting: &Setting) -> String {
        match self {
            Rejection::Float => "is a float, but it must be an int".into(),
            Rejection::NotAnIntString(s) => {
                format!("is the string {s:?}, which `int(value, 0)` cannot read as an int")
            }
            Rejection::Negative => "is negative, but it must be 0 or more".into(),
            Rejection::OutOfRange(lo, hi) if *hi == i64::MAX => {
                format!("is out of range: it must be at least {lo}")
            }
            Rejection::OutOfRange(lo, hi) => {
                format!("is out of range: it must be from {lo} to {hi}")
            }
            Rejection::IntForBool => "is an int, but it must be True or False".into(),
            Rejection::Path => "is a Path, but it must be a str".into(),
            Rejection::WrongType(t) => format!("is a {t}, but it must be {}", expected(setting)),
            Rejection::NotAChoice(s) => format!(
                "is {s:?}, which is not one of {}",
                setting
                    .validator
                    .choices()
                    .map(|c| c.join(", "))
                    .unwrap_or_else(|| "the accepted values".into())
            ),
            Rejection::NotAnAddress(a) => {
                format!("lists {a:?}, which is not an IP address or network (nor `*`)")
            }
            Rejection::Arity { found } => format!(
                "takes {found} positional parameter{}, but gunicorn calls it with {}",
                if *found == 1 { "" } else { "s" },
                arity_text(setting)
            ),
        }
    }
}

fn arity_text(setting: &Setting) -> String {
    match setting.hook_arity() {
        Some(r) if r.start() == r.end() => r.start().to_string(),
        Some(r) => format!("{} to {}", r.start(), r.end()),
        None => "?".into(),
    }
}

/// What the validator expects, for messages.
pub fn expected(setting: &Setting) -> &'static str {
    match setting.validator {
        Validator::PosInt
        | Validator::Http2WindowSize
        | Validator::Http2StreamLimit
        | Validator::Http2FrameSize => "an int",
        Validator::Bool => "True or False",
        Validator::Str | Validator::Chdir | Validator::StatsdAddress => "a str (or None)",
        Validator::ListStr | Validator::FilesOrPatterns => "a list of str (or one str)",
        Validator::Dict => "a dict",
        Validator::StrToList | Validator::AddrList | Validator::HttpProtocols => {
            "a comma-separated str"
        }
        Validator::Class => "a str naming the class",
        Validator::Callable(_) | Validator::PostRequest => "a function",
        Validator::User | Validator::Group => "a name or an int id",
        Validator::ReloadEngine
        | Validator::HeaderMap
        | Validator::AsgiLoop
        | Validator::AsgiLifespan
        | Validator::HttpParser => "one of its choices (a str)",
        Validator::ProxyProtocol | Validator::Http2Cleartext => "a bool or one of its choices",
        Validator::SslVersion => "anything",
    }
}

/// What `setting`'s validator does with `value` (a hook defined by `def` is checked with
/// [`check_hook`]). A `OneOf` is rejected only when every possibility is.
pub fn check(setting: &Setting, value: &Value) -> Verdict {
    if let Value::OneOf(options) = value {
        let verdicts: Vec<Verdict> = options.iter().map(|v| check(setting, v)).collect();
        return match verdicts.first() {
            Some(Verdict::Rejected(r))
                if verdicts.iter().all(|v| matches!(v, Verdict::Rejected(_))) =>
            {
                Verdict::Rejected(r.clone())
            }
            _ if verdicts.iter().all(|v| *v == Verdict::Accepted) => Verdict::Accepted,
            _ => Verdict::Unknown,
        };
    }
    if matches!(value, Value::Unknown | Value::FromEnv(_)) {
        return Verdict::Unknown;
    }
    match setting.validator {
        Validator::PosInt => int_in(value, 0, i64::MAX),
        Validator::Http2WindowSize => int_in(value, 0, (1 << 31) - 1),
        Validator::Http2StreamLimit => int_in(value, 1, i64::MAX),
        Validator::Http2FrameSize => int_in(value, 16_384, 16_777_215),
        Validator::Bool => match value {
            Value::None | Value::Bool(_) => Verdict::Accepted,
            Value::Str(s) => match s.trim().to_lowercase().as_str() {
                "true" | "false" => Verdict::Accepted,
                _ => reject(Rejection::NotAChoice(short(s))),
            },
            Value::Int(_) | Value::Symbolic(_) => reject(Rejection::IntForBool),
            v => wrong_type(v),
        },
        Validator::Str | Validator::Chdir | Validator::StatsdAddress => string(value),
        Validator::Class => match value {
            Value::Str(_) => Verdict::Accepted,
            Value::Object(_) => Verdict::Unknown,
            v => string(v),
        },
        Validator::ListStr | Validator::FilesOrPatterns => list_of_str(value),
        Validator::Dict => match value {
            Value::Dict(_) => Verdict::Accepted,
            v => wrong_type(v),
        },
        Validator::StrToList => string(value),
        Validator::AddrList => match value {
            Value::Str(s) => addresses(s),
            v => string(v),
        },
        Validator::HttpProtocols => match value {
            Value::None => Verdict::Accepted,
            Value::Str(s) => {
                let protocols: Vec<String> = s
                    .split(',')
                    .map(|p| p.trim().to_lowercase())
                    .filter(|p| !p.is_empty())
                    .collect();
                match protocols
                    .iter()
                    .find(|p| !matches!(p.as_str(), "h1" | "h2"))
                {
                    Some(p) => reject(Rejection::NotAChoice(short(p))),
                    None => Verdict::Accepted,
                }
            }
            v => wrong_type(v),
        },
        Validator::Callable(_) | Validator::PostRequest => match value {
            // an import string or a function object: checked where it is defined
            Value::Str(_) | Value::Object(_) => Verdict::Unknown,
            Value::Symbolic(_) => reject(Rejection::WrongType("int")),
            v => wrong_type(v),
        },
        Validator::User | Validator::Group => match value {
            Value::None | Value::Bool(_) | Value::Int(_) | Value::Str(_) => Verdict::Accepted,
            Value::Symbolic(s) if s.kind == NumKind::Int => Verdict::Accepted,
            v => wrong_type(v),
        },
        Validator::ReloadEngine => match value {
            Value::Str(s) if matches!(s.as_str(), "auto" | "poll" | "inotify") => Verdict::Accepted,
            Value::Str(s) => reject(Rejection::NotAChoice(short(s))),
            v => wrong_type(v),
        },
        Validator::ProxyProtocol | Validator::Http2Cleartext => match value {
            Value::None | Value::Bool(_) => Verdict::Accepted,
            v => choice(setting, v),
        },
        Validator::HeaderMap
        | Validator::AsgiLoop
        | Validator::AsgiLifespan
        | Validator::HttpParser => match value {
            Value::None => Verdict::Accepted,
            v => choice(setting, v),
        },
        Validator::SslVersion => Verdict::Accepted,
    }
}

/// A hook defined with `def`: its positional parameters must match what gunicorn passes.
pub fn check_hook(setting: &Setting, function: &Function) -> Verdict {
    match setting.hook_arity() {
        Some(range) if range.contains(&function.positional) => Verdict::Accepted,
        Some(_) => reject(Rejection::Arity {
            found: function.positional,
        }),
        None => Verdict::Unknown,
    }
}

fn reject(r: Rejection) -> Verdict {
    Verdict::Rejected(r)
}

fn wrong_type(v: &Value) -> Verdict {
    match v {
        Value::Path(_) => reject(Rejection::Path),
        Value::Unknown | Value::FromEnv(_) | Value::OneOf(_) | Value::Object(_) => Verdict::Unknown,
        v => reject(Rejection::WrongType(v.type_name())),
    }
}

/// A str for a message: short, and only for the short words settings use (never a long value).
fn short(s: &str) -> String {
    if s.chars().count() > 40 {
        format!("{}...", s.chars().take(40).collect::<String>())
    } else {
        s.to_string()
    }
}

/// `validate_pos_int` (and the HTTP/2 variants' ranges).
fn int_in(value: &Value, min: i64, max: i64) -> Verdict {
    let n = match value {
        Value::Float(_) => return reject(Rejection::Float),
        Value::Symbolic(s) => {
            return match s.kind {
                NumKind::Float => reject(Rejection::Float),
                NumKind::Int => Verdict::Unknown,
            };
        }
        Value::Str(s) => match python_int_base0(s) {
            Some(n) => n,
            None => return reject(Rejection::NotAnIntString(short(s))),
        },
        Value::Int(_) | Value::Bool(_) => match pos_int(value) {
            Some(n) => n,
            None => return reject(Rejection::Negative),
        },
        // `int(None, 0)`, `int([...], 0)`: TypeError
        v => return wrong_type(v),
    };
    if n < 0 && min == 0 {
        reject(Rejection::Negative)
    } else if n < min || n > max {
        reject(Rejection::OutOfRange(min, max))
    } else {
        Verdict::Accepted
    }
}

/// `validate_string`: None or a str.
fn string(value: &Value) -> Verdict {
    match value {
        Value::None | Value::Str(_) => Verdict::Accepted,
        v => wrong_type(v),
    }
}

/// `validate_list_string`: a falsy value, a str, or an iterable of str (or None).
fn list_of_str(value: &Value) -> Verdict {
    match value {
        Value::None | Value::Str(_) => Verdict::Accepted,
        // `if not val: return []`
        v if v.truthy() == crate::python::Tri::No => Verdict::Accepted,
        Value::Symbolic(_) => Verdict::Unknown,
        Value::List(items) | Value::Tuple(items) | Value::Set(items) => {
            for item in items {
                match item {
                    Value::Str(_) | Value::None => {}
                    Value::Unknown | Value::FromEnv(_) | Value::OneOf(_) | Value::Object(_) => {
                        return Verdict::Unknown;
                    }
                    v => return wrong_type(v),
                }
            }
            Verdict::Accepted
        }
        // a dict iterates its keys
        Value::Dict(items) => {
            list_of_str(&Value::List(items.iter().map(|(k, _)| k.clone()).collect()))
        }
        v => wrong_type(v),
    }
}

/// A choice validator that lower-cases and strips a str.
fn choice(setting: &Setting, value: &Value) -> Verdict {
    match value {
        Value::Str(s) => {
            let normal = s.trim().to_lowercase();
            match setting.validator.choices() {
                Some(choices) if choices.contains(&normal.as_str()) => Verdict::Accepted,
                Some(_) => reject(Rejection::NotAChoice(short(s))),
                None => Verdict::Unknown,
            }
        }
        v => wrong_type(v),
    }
}

/// `validate_string_to_addr_list`: every comma-separated entry is `*` or a strict IP network.
fn addresses(s: &str) -> Verdict {
    for entry in s.split(',').filter(|e| !e.is_empty()).map(str::trim) {
        if entry == "*" {
            continue;
        }
        match ip_network(entry) {
            Some(true) => {}
            Some(false) => return reject(Rejection::NotAnAddress(short(entry))),
            None => return Verdict::Unknown,
        }
    }
    Verdict::Accepted
}

/// Whether Python's `ipaddress.ip_network(entry)` (strict) accepts it; `None` when unsure
/// (netmask notation, IPv6 scopes).
pub fn ip_network(entry: &str) -> Option<bool> {
    use std::net::IpAddr;
    if entry.contains('%') {
        return None;
    }
    let Some((addr, prefix)) = entry.split_once('/') else {
        return Some(entry.parse::<IpAddr>().is_ok());
    };
    let Ok(ip) = addr.parse::<IpAddr>() else {
        return Some(false);
    };
    if !prefix.bytes().all(|b| b.is_ascii_digit()) || prefix.is_empty() {
        return None;
    }
    let bits: u32 = prefix.parse().ok()?;
    Some(match ip {
        IpAddr::V4(v4) => bits <= 32 && (bits == 32 || u32::from(v4) & (u32::MAX >> bits) == 0),
        IpAddr::V6(v6) => bits <= 128 && (bits == 128 || u128::from(v6) & (u128::MAX >> bits) == 0),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::gunicorn::settings::setting;
    use crate::python::Symbolic;

    fn verdict(name: &str, v: Value) -> Verdict {
        check(setting(name).unwrap(), &v)
    }

    #[test]
    fn ints_follow_validate_pos_int() {
        assert_eq!(verdict("workers", Value::Int(4)), Verdict::Accepted);
        assert_eq!(verdict("workers", Value::Bool(true)), Verdict::Accepted);
        assert_eq!(verdict("workers", Value::str(" 0x10 ")), Verdict::Accepted);
        assert_eq!(
            verdict("workers", Value::Float(2.0)),
            reject(Rejection::Float)
        );
        assert_eq!(
            verdict(
                "workers",
                Symbolic::value(NumKind::Float, "cpu_count() / 2")
            ),
            reject(Rejection::Float)
        );
        assert_eq!(
            verdict("workers", Symbolic::value(NumKind::Int, "cpu_count()")),
            Verdict::Unknown
        );
        assert_eq!(
            verdict("workers", Value::str("four")),
            reject(Rejection::NotAnIntString("four".into()))
        );
        assert_eq!(
            verdict("timeout", Value::Int(-1)),
            reject(Rejection::Negative)
        );
        assert_eq!(
            verdict("timeout", Value::None),
            reject(Rejection::WrongType("None"))
        );
        assert_eq!(
            verdict("http2_max_frame_size", Value::Int(100)),
            reject(Rejection::OutOfRange(16_384, 16_777_215))
        );
        assert_eq!(
            verdict("http2_max_concurrent_streams", Value::Int(0)),
            reject(Rejection::OutOfRange(1, i64::MAX))
        );
        assert_eq!(
            verdict(
                "workers",
                Value::OneOf(vec![Value::Float(1.5), Value::Float(2.5)])
            ),
            reject(Rejection::Float)
        );
        assert_eq!(
            verdict(
                "workers",
                Value::OneOf(vec![Value::Int(1), Value::Float(2.5)])
            ),
            Verdict::Unknown
        );
    }

    #[test]
    fn bools_strings_lists_and_choices() {
        assert_eq!(verdict("daemon", Value::str(" TRUE ")), Verdict::Accepted);
        assert_eq!(
            verdict("daemon", Value::Int(1)),
            reject(Rejection::IntForBool)
        );
        assert_eq!(
            verdict("daemon", Value::str("yes")),
            reject(Rejection::NotAChoice("yes".into()))
        );
        assert_eq!(
            verdict("pidfile", Value::Path("/run/g.pid".into())),
            reject(Rejection::Path)
        );
        assert_eq!(
            verdict("loglevel", Value::Int(10)),
            reject(Rejection::WrongType("int"))
        );
        assert_eq!(
            verdict("bind", Value::List(vec![Value::str("a"), Value::Int(1)])),
            reject(Rejection::WrongType("int"))
        );
        assert_eq!(verdict("bind", Value::List(vec![])), Verdict::Accepted);
        assert_eq!(
            verdict("raw_env", Value::Int(3)),
            reject(Rejection::WrongType("int"))
        );
        assert_eq!(
            verdict("header_map", Value::str("Dangerous")),
            Verdict::Accepted
        );
        assert_eq!(
            verdict("header_map", Value::str("allow")),
            reject(Rejection::NotAChoice("allow".into()))
        );
        assert_eq!(
            verdict("proxy_protocol", Value::Bool(true)),
            Verdict::Accepted
        );
        assert_eq!(
            verdict("proxy_protocol", Value::str("v3")),
            reject(Rejection::NotAChoice("v3".into()))
        );
        assert_eq!(
            verdict("reload_engine", Value::str("Poll")),
            reject(Rejection::NotAChoice("Poll".into()))
        );
        assert_eq!(
            verdict("secure_scheme_headers", Value::List(vec![])),
            reject(Rejection::WrongType("list"))
        );
        assert_eq!(
            verdict("http_protocols", Value::str("h1, h3")),
            reject(Rejection::NotAChoice("h3".into()))
        );
        assert_eq!(
            verdict("user", Value::Float(1.0)),
            reject(Rejection::WrongType("float"))
        );
    }

    #[test]
    fn address_lists_are_strict_ip_networks() {
        assert_eq!(
            verdict(
                "forwarded_allow_ips",
                Value::str("127.0.0.1, ::1,10.0.0.0/8")
            ),
            Verdict::Accepted
        );
        assert_eq!(
            verdict("forwarded_allow_ips", Value::str("*")),
            Verdict::Accepted
        );
        assert_eq!(
            verdict("forwarded_allow_ips", Value::str("10.0.0.1/8")),
            reject(Rejection::NotAnAddress("10.0.0.1/8".into()))
        );
        assert_eq!(
            verdict("proxy_allow_ips", Value::str("nginx")),
            reject(Rejection::NotAnAddress("nginx".into()))
        );
        assert_eq!(
            verdict("forwarded_allow_ips", Value::List(vec![Value::str("*")])),
            reject(Rejection::WrongType("list"))
        );
        assert_eq!(ip_network("10.0.0.0/255.0.0.0"), None);
        assert_eq!(ip_network("2001:db8::/32"), Some(true));
    }
}
