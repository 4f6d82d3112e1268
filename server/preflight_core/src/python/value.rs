//! Python values as the evaluator knows them, with Python's types: Django's checks depend on
//! them (`is True` against truthiness). `Unknown` is a value too, and it never warns.

use std::fmt;

/// Three-valued logic: what a rule can say about a value.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Tri {
    Yes,
    No,
    Unknown,
}

impl Tri {
    pub fn from_bool(b: bool) -> Self {
        if b { Tri::Yes } else { Tri::No }
    }
    pub fn is_yes(self) -> bool {
        self == Tri::Yes
    }
    pub fn negate(self) -> Tri {
        match self {
            Tri::Yes => Tri::No,
            Tri::No => Tri::Yes,
            Tri::Unknown => Tri::Unknown,
        }
    }
    pub fn and(self, other: Tri) -> Tri {
        match (self, other) {
            (Tri::No, _) | (_, Tri::No) => Tri::No,
            (Tri::Yes, Tri::Yes) => Tri::Yes,
            _ => Tri::Unknown,
        }
    }
    pub fn or(self, other: Tri) -> Tri {
        match (self, other) {
            (Tri::Yes, _) | (_, Tri::Yes) => Tri::Yes,
            (Tri::No, Tri::No) => Tri::No,
            _ => Tri::Unknown,
        }
    }
    /// Combines the answers for each possibility of a [`Value::OneOf`]: decided only if all agree.
    pub fn all_agree(mut answers: impl Iterator<Item = Tri>) -> Tri {
        let Some(first) = answers.next() else {
            return Tri::Unknown;
        };
        if answers.all(|a| a == first) {
            first
        } else {
            Tri::Unknown
        }
    }
}

/// Where an environment value came from: `os.environ.get("X", D)`, `env.bool("X", default=D)`, ...
#[derive(Debug, Clone, PartialEq)]
pub struct EnvRead {
    /// The variable's name, when it is a literal.
    pub var: Option<String>,
    /// The default used when the variable is unset (the production world), if any.
    pub default: Option<Box<Value>>,
    /// What the read returns when the variable is set: a raw string unless a cast applies.
    pub cast: EnvCast,
    /// The helper that read it, e.g. `os.environ.get`, `env.bool`, `config`.
    pub reader: String,
    /// The read expression, in the file that contains it.
    pub range: crate::text::TextRange,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EnvCast {
    Str,
    Bool,
    Int,
    Float,
    List,
    Other,
}

#[derive(Debug, Clone, PartialEq)]
pub enum Value {
    None,
    Bool(bool),
    Int(i64),
    Float(f64),
    Str(String),
    List(Vec<Value>),
    Tuple(Vec<Value>),
    Set(Vec<Value>),
    /// Insertion-ordered; keys are values (mostly strings).
    Dict(Vec<(Value, Value)>),
    /// A filesystem path (`pathlib.Path`), kept as a `/`-separated string.
    Path(String),
    /// A module or other namespace object, e.g. `os`, `os.environ`, an `environ.Env()` instance.
    Object(String),
    /// One of several values (a branch on an unknown condition).
    OneOf(Vec<Value>),
    /// Provided by the environment at run time with no default: nothing to decide.
    FromEnv(EnvRead),
    /// A number of known type and unknown magnitude, e.g. `multiprocessing.cpu_count() * 2 + 1`.
    Symbolic(Symbolic),
    Unknown,
}

/// A number whose type is known but whose value depends on the machine (`os.cpu_count()`).
#[derive(Debug, Clone, PartialEq)]
pub struct Symbolic {
    pub kind: NumKind,
    /// The expression as a reader would write it, for messages: `multiprocessing.cpu_count() / 2`.
    pub text: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NumKind {
    Int,
    Float,
}

impl Symbolic {
    /// A symbolic number as a value.
    pub fn value(kind: NumKind, text: impl Into<String>) -> Value {
        Value::Symbolic(Symbolic {
            kind,
            text: text.into(),
        })
    }
}

impl Value {
    pub fn str(s: impl Into<String>) -> Value {
        Value::Str(s.into())
    }

    /// Whether nothing can be decided about the value (a symbolic number counts: its
    /// magnitude is unknown).
    pub fn is_unknown(&self) -> bool {
        matches!(
            self,
            Value::Unknown | Value::FromEnv(_) | Value::Symbolic(_)
        )
    }

    /// `bool(value)` in Python.
    pub fn truthy(&self) -> Tri {
        match self {
            Value::None => Tri::No,
            Value::Bool(b) => Tri::from_bool(*b),
            Value::Int(i) => Tri::from_bool(*i != 0),
            Value::Float(f) => Tri::from_bool(*f != 0.0),
            Value::Str(s) => Tri::from_bool(!s.is_empty()),
            Value::List(v) | Value::Tuple(v) | Value::Set(v) => Tri::from_bool(!v.is_empty()),
            Value::Dict(v) => Tri::from_bool(!v.is_empty()),
            Value::Path(_) => Tri::Yes,
            // a name from a module we do not model (`sys.argv`): its value is unknown
            Value::Object(_) => Tri::Unknown,
            Value::OneOf(vs) => Tri::all_agree(vs.iter().map(Value::truthy)),
            Value::FromEnv(_) | Value::Symbolic(_) | Value::Unknown => Tri::Unknown,
        }
    }

    /// `value is True` in Python.
    pub fn is_true(&self) -> Tri {
        self.map_tri(|v| match v {
            Value::Bool(b) => Tri::from_bool(*b),
            _ => Tri::No,
        })
    }

    /// `value is None` in Python.
    pub fn is_none(&self) -> Tri {
        self.map_tri(|v| Tri::from_bool(matches!(v, Value::None)))
    }

    /// Applies a decision to a known value, or to every possibility of a `OneOf`.
    pub fn map_tri(&self, f: impl Fn(&Value) -> Tri + Copy) -> Tri {
        match self {
            Value::OneOf(vs) => Tri::all_agree(vs.iter().map(|v| v.map_tri(f))),
            Value::FromEnv(_) | Value::Symbolic(_) | Value::Unknown => Tri::Unknown,
            v => f(v),
        }
    }

    pub fn as_str(&self) -> Option<&str> {
        match self {
            Value::Str(s) => Some(s),
            _ => None,
        }
    }

    /// Elements of a list, tuple or set.
    pub fn as_seq(&self) -> Option<&[Value]> {
        match self {
            Value::List(v) | Value::Tuple(v) | Value::Set(v) => Some(v),
            _ => None,
        }
    }

    /// `key in value` for a str key on a list/tuple/set/dict (dict: keys).
    pub fn contains_str(&self, key: &str) -> Tri {
        self.map_tri(|v| match v {
            Value::List(items) | Value::Tuple(items) | Value::Set(items) => {
                Tri::any_of(items.iter().map(|i| i.eq_str(key)))
            }
            Value::Dict(items) => Tri::any_of(items.iter().map(|(k, _)| k.eq_str(key))),
            Value::Str(s) => Tri::from_bool(s.contains(key)),
            _ => Tri::Unknown,
        })
    }

    /// `value == key` for a string key.
    pub fn eq_str(&self, key: &str) -> Tri {
        self.map_tri(|v| match v {
            Value::Str(s) => Tri::from_bool(s == key),
            _ => Tri::No,
        })
    }

    /// Looks up a string key in a dict value.
    pub fn dict_get(&self, key: &str) -> Option<&Value> {
        match self {
            Value::Dict(items) => items
                .iter()
                .rev()
                .find(|(k, _)| k.as_str() == Some(key))
                .map(|(_, v)| v),
            _ => None,
        }
    }

    /// A short, secret-free description of the value's type for messages.
    pub fn type_name(&self) -> &'static str {
        match self {
            Value::None => "None",
            Value::Bool(_) => "bool",
            Value::Int(_) => "int",
            Value::Float(_) => "float",
            Value::Str(_) => "str",
            Value::List(_) => "list",
            Value::Tuple(_) => "tuple",
            Value::Set(_) => "set",
            Value::Dict(_) => "dict",
            Value::Path(_) => "Path",
            Value::Object(_) => "object",
            Value::OneOf(_) => "one of several values",
            Value::FromEnv(_) => "from the environment",
            Value::Symbolic(s) => match s.kind {
                NumKind::Int => "int",
                NumKind::Float => "float",
            },
            Value::Unknown => "unknown",
        }
    }
}

impl Tri {
    /// `any(...)` over three-valued answers.
    pub fn any_of(answers: impl Iterator<Item = Tri>) -> Tri {
        let mut out = Tri::No;
        for a in answers {
            out = out.or(a);
            if out == Tri::Yes {
                break;
            }
        }
        out
    }
}

/// Python's `repr()` for known values (used in messages and quick-fixes; never for secrets).
impl fmt::Display for Value {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fn seq(
            f: &mut fmt::Formatter<'_>,
            open: &str,
            items: &[Value],
            close: &str,
        ) -> fmt::Result {
            f.write_str(open)?;
            for (i, v) in items.iter().enumerate() {
                if i > 0 {
                    f.write_str(", ")?;
                }
                write!(f, "{v}")?;
            }
            if open == "(" && items.len() == 1 {
                f.write_str(",")?;
            }
            f.write_str(close)
        }
        match self {
            Value::None => f.write_str("None"),
            Value::Bool(true) => f.write_str("True"),
            Value::Bool(false) => f.write_str("False"),
            Value::Int(i) => write!(f, "{i}"),
            Value::Float(x) => write!(f, "{x:?}"),
            Value::Str(s) => write!(f, "{}", python_str_literal(s)),
            Value::List(v) => seq(f, "[", v, "]"),
            Value::Tuple(v) => seq(f, "(", v, ")"),
            Value::Set(v) if v.is_empty() => f.write_str("set()"),
            Value::Set(v) => seq(f, "{", v, "}"),
            Value::Dict(items) => {
                f.write_str("{")?;
                for (i, (k, v)) in items.iter().enumerate() {
                    if i > 0 {
                        f.write_str(", ")?;
                    }
                    write!(f, "{k}: {v}")?;
                }
                f.write_str("}")
            }
            Value::Path(p) => write!(f, "Path({})", python_str_literal(p)),
            Value::Object(name) => write!(f, "<{name}>"),
            Value::OneOf(vs) => seq(f, "one of (", vs, ")"),
            Value::FromEnv(e) => match &e.var {
                Some(v) => write!(f, "<environment variable {v}>"),
                None => f.write_str("<environment variable>"),
            },
            Value::Symbolic(s) => f.write_str(&s.text),
            Value::Unknown => f.write_str("<unknown>"),
        }
    }
}

/// A double-quoted Python string literal for `s`.
pub fn python_str_literal(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    for ch in s.chars() {
        match ch {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if (c as u32) < 0x20 => out.push_str(&format!("\\x{:02x}", c as u32)),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}
