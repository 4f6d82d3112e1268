//! Python's operators, built-in functions and the methods of built-in types, on known values.
//! Each returns `Unknown` (or `None` for "not modelled") rather than guess.

use std::path::Path;

use super::value::{EnvCast, NumKind, Symbolic, Tri, Value};

/// The arguments of a call, evaluated.
#[derive(Debug, Default, Clone)]
pub struct CallArgs {
    pub positional: Vec<Value>,
    pub keywords: Vec<(String, Value)>,
    /// `*args` or `**kwargs` were passed: the call cannot be decided.
    pub opaque: bool,
}

impl CallArgs {
    pub fn keyword(&self, name: &str) -> Option<&Value> {
        self.keywords
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v)
    }
    /// The argument at `index`, or the keyword `name`.
    fn arg(&self, index: usize, name: &str) -> Option<&Value> {
        self.positional.get(index).or_else(|| self.keyword(name))
    }
}

/// Built-in functions without side effects on their arguments.
pub fn is_pure_builtin(name: &str) -> bool {
    matches!(
        name,
        "tuple"
            | "list"
            | "set"
            | "frozenset"
            | "dict"
            | "bool"
            | "int"
            | "str"
            | "float"
            | "len"
            | "sorted"
            | "print"
            | "min"
            | "max"
            | "abs"
            | "repr"
            | "isinstance"
            | "getattr"
            | "hasattr"
            | "range"
            | "reversed"
            | "round"
    )
}

/// Elements of an iterable value (a str yields its characters, a dict its keys).
pub fn iterate(v: &Value) -> Option<Vec<Value>> {
    match v {
        Value::List(items) | Value::Tuple(items) | Value::Set(items) => Some(items.clone()),
        Value::Dict(items) => Some(items.iter().map(|(k, _)| k.clone()).collect()),
        Value::Str(s) => Some(s.chars().map(|c| Value::Str(c.to_string())).collect()),
        _ => None,
    }
}

pub fn dedup(values: Vec<Value>) -> Vec<Value> {
    let mut out: Vec<Value> = Vec::with_capacity(values.len());
    for v in values {
        if !out.contains(&v) {
            out.push(v);
        }
    }
    out
}

/// `items[key] = value` on an insertion-ordered dict.
pub fn dict_set(items: &mut Vec<(Value, Value)>, key: Value, value: Value) {
    match items.iter_mut().find(|(k, _)| py_eq(k, &key) == Tri::Yes) {
        Some(slot) => slot.1 = value,
        None => items.push((key, value)),
    }
}

fn py_eq(a: &Value, b: &Value) -> Tri {
    use Value::*;
    match (a, b) {
        (OneOf(vs), other) | (other, OneOf(vs)) => {
            Tri::all_agree(vs.iter().map(|v| py_eq(v, other)))
        }
        (Unknown | FromEnv(_) | Symbolic(_), _) | (_, Unknown | FromEnv(_) | Symbolic(_)) => {
            Tri::Unknown
        }
        (Object(_), _) | (_, Object(_)) => Tri::Unknown,
        (Bool(x), Bool(y)) => Tri::from_bool(x == y),
        (Int(_) | Bool(_) | Float(_), Int(_) | Bool(_) | Float(_)) => {
            Tri::from_bool(as_f64(a) == as_f64(b))
        }
        (Str(x), Str(y)) => Tri::from_bool(x == y),
        (None, None) => Tri::Yes,
        (Path(x), Path(y)) => Tri::from_bool(x == y),
        (List(x), List(y)) | (Tuple(x), Tuple(y)) => seq_eq(x, y),
        (Set(x), Set(y)) => {
            if x.len() != y.len() {
                return Tri::No;
            }
            x.iter().fold(Tri::Yes, |acc, i| {
                acc.and(Tri::any_of(y.iter().map(|j| py_eq(i, j))))
            })
        }
        (Dict(x), Dict(y)) => {
            if x.len() != y.len() {
                return Tri::No;
            }
            x.iter().fold(Tri::Yes, |acc, (k, v)| {
                let found = y.iter().find(|(k2, _)| py_eq(k, k2) == Tri::Yes);
                acc.and(found.map_or(Tri::No, |(_, v2)| py_eq(v, v2)))
            })
        }
        _ => Tri::No,
    }
}

fn seq_eq(x: &[Value], y: &[Value]) -> Tri {
    if x.len() != y.len() {
        return Tri::No;
    }
    x.iter()
        .zip(y)
        .fold(Tri::Yes, |acc, (a, b)| acc.and(py_eq(a, b)))
}

fn as_f64(v: &Value) -> Option<f64> {
    match v {
        Value::Int(i) => Some(*i as f64),
        Value::Bool(b) => Some(f64::from(u8::from(*b))),
        Value::Float(f) => Some(*f),
        _ => None,
    }
}

fn as_int(v: &Value) -> Option<i64> {
    match v {
        Value::Int(i) => Some(*i),
        Value::Bool(b) => Some(i64::from(*b)),
        _ => None,
    }
}

/// Applies `f` to each possibility of a `OneOf` operand.
fn lift2(l: &Value, r: &Value, f: &dyn Fn(&Value, &Value) -> Value) -> Value {
    match (l, r) {
        (Value::OneOf(ls), _) => one_of(ls.iter().map(|x| lift2(x, r, f)).collect()),
        (_, Value::OneOf(rs)) => one_of(rs.iter().map(|y| lift2(l, y, f)).collect()),
        _ => f(l, r),
    }
}

fn one_of(values: Vec<Value>) -> Value {
    if values.iter().any(Value::is_unknown) {
        return Value::Unknown;
    }
    let values = dedup(values);
    if values.len() == 1 {
        values.into_iter().next().unwrap_or(Value::Unknown)
    } else {
        Value::OneOf(values)
    }
}

/// `l op r` for arithmetic and concatenation.
pub fn binary(l: &Value, op: &str, r: &Value) -> Value {
    lift2(l, r, &|l, r| binary_known(l, op, r))
}

fn binary_known(l: &Value, op: &str, r: &Value) -> Value {
    use Value::*;
    if let Some(v) = symbolic_binary(l, op, r) {
        return v;
    }
    match (l, op, r) {
        (Int(_) | Bool(_), _, Int(_) | Bool(_)) => {
            let (Some(a), Some(b)) = (as_int(l), as_int(r)) else {
                return Unknown;
            };
            let v = match op {
                "+" => a.checked_add(b),
                "-" => a.checked_sub(b),
                "*" => a.checked_mul(b),
                "//" if b != 0 => Some(
                    a.div_euclid(b)
                        - if (a.rem_euclid(b) != 0) && (b < 0) {
                            1
                        } else {
                            0
                        },
                ),
                "%" if b != 0 => (a % b).checked_add(b).map(|x| x % b),
                "**" if (0..64).contains(&b) => a.checked_pow(b as u32),
                "/" if b != 0 => return Float(a as f64 / b as f64),
                _ => Option::None,
            };
            v.map_or(Unknown, Int)
        }
        (Int(_) | Bool(_) | Float(_), _, Int(_) | Bool(_) | Float(_)) => {
            let (Some(a), Some(b)) = (as_f64(l), as_f64(r)) else {
                return Unknown;
            };
            let v = match op {
                "+" => a + b,
                "-" => a - b,
                "*" => a * b,
                "/" if b != 0.0 => a / b,
                "//" if b != 0.0 => (a / b).floor(),
                "%" if b != 0.0 => a - b * (a / b).floor(),
                _ => return Unknown,
            };
            Float(v)
        }
        (Str(a), "+", Str(b)) => Str(format!("{a}{b}")),
        (Str(fmt), "%", args) => percent_format(fmt, args).map_or(Unknown, Str),
        (List(a), "*", Int(n)) | (Int(n), "*", List(a))
            if a.len().saturating_mul((*n).max(0) as usize) <= 10_000 =>
        {
            List(
                a.iter()
                    .cloned()
                    .cycle()
                    .take(a.len() * (*n).max(0) as usize)
                    .collect(),
            )
        }
        (Tuple(a), "*", Int(n)) | (Int(n), "*", Tuple(a))
            if a.len().saturating_mul((*n).max(0) as usize) <= 10_000 =>
        {
            Tuple(
                a.iter()
                    .cloned()
                    .cycle()
                    .take(a.len() * (*n).max(0) as usize)
                    .collect(),
            )
        }
        (Str(a), "*", Int(n)) | (Int(n), "*", Str(a)) if *n <= 10_000 => {
            Str(a.repeat((*n).max(0) as usize))
        }
        (List(a), "+", List(b)) => List(a.iter().chain(b).cloned().collect()),
        (Tuple(a), "+", Tuple(b)) => Tuple(a.iter().chain(b).cloned().collect()),
        (Set(a), "|", Set(b)) => Set(dedup(a.iter().chain(b).cloned().collect())),
        (Dict(a), "|", Dict(b)) => {
            let mut items = a.clone();
            for (k, v) in b {
                dict_set(&mut items, k.clone(), v.clone());
            }
            Dict(items)
        }
        (Path(p), "/", Str(s)) => Path(join_path(p, s)),
        (Path(p), "/", Path(s)) => Path(join_path(p, s)),
        _ => Unknown,
    }
}

/// The type of a number operand: a known number, or a symbolic one.
fn num_kind(v: &Value) -> Option<NumKind> {
    match v {
        Value::Int(_) | Value::Bool(_) => Some(NumKind::Int),
        Value::Float(_) => Some(NumKind::Float),
        Value::Symbolic(s) => Some(s.kind),
        _ => None,
    }
}

/// An operand's text inside a larger symbolic expression, parenthesised when it is compound.
fn operand_text(v: &Value, op: &str) -> String {
    let text = v.to_string();
    let tight = matches!(op, "*" | "/" | "//" | "%" | "**");
    if tight && matches!(v, Value::Symbolic(s) if s.text.contains(' ')) {
        format!("({text})")
    } else {
        text
    }
}

/// Arithmetic with a symbolic number keeps the type Python would give: int with int stays int
/// through `+ - * // %`; `/` or a float operand gives a float.
fn symbolic_binary(l: &Value, op: &str, r: &Value) -> Option<Value> {
    if !matches!(l, Value::Symbolic(_)) && !matches!(r, Value::Symbolic(_)) {
        return None;
    }
    let (Some(a), Some(b)) = (num_kind(l), num_kind(r)) else {
        return Some(Value::Unknown);
    };
    let kind = match op {
        "/" => NumKind::Float,
        "+" | "-" | "*" | "//" | "%" if a == NumKind::Int && b == NumKind::Int => NumKind::Int,
        "+" | "-" | "*" | "//" | "%" => NumKind::Float,
        _ => return Some(Value::Unknown),
    };
    let text = format!("{} {op} {}", operand_text(l, op), operand_text(r, op));
    Some(Symbolic::value(kind, text))
}

/// The number of CPUs, as gunicorn configs read it.
fn cpu_count(name: &str) -> Value {
    Symbolic::value(NumKind::Int, format!("{name}()"))
}

/// `int(x)`, `round(x)`, `math.ceil(x)`, `float(x)` of a symbolic number.
fn symbolic_cast(name: &str, arg: &Symbolic, kind: NumKind) -> Value {
    Symbolic::value(kind, format!("{name}({})", arg.text))
}

/// `max(...)` / `min(...)` of numbers, some of them symbolic: an int when all are ints.
fn symbolic_extreme(name: &str, args: &[Value]) -> Option<Value> {
    let mut kind = NumKind::Int;
    for a in args {
        match num_kind(a)? {
            NumKind::Int => {}
            NumKind::Float => kind = NumKind::Float,
        }
    }
    let parts: Vec<String> = args.iter().map(Value::to_string).collect();
    Some(Symbolic::value(
        kind,
        format!("{name}({})", parts.join(", ")),
    ))
}

/// `max(...)` / `min(...)` of known numbers (Python keeps the winning operand's type).
fn known_extreme(max: bool, args: &[Value]) -> Option<Value> {
    let mut best: Option<(&Value, f64)> = None;
    for a in args {
        let x = as_f64(a)?;
        best = match best {
            Some((_, y)) if (max && x <= y) || (!max && x >= y) => best,
            _ => Some((a, x)),
        };
    }
    best.map(|(v, _)| v.clone())
}

pub fn unary(op: &str, v: &Value) -> Value {
    match (op, v) {
        ("-" | "+", Value::Symbolic(s)) => Symbolic::value(s.kind, format!("{op}{}", s.text)),
        ("-", Value::Int(i)) => i.checked_neg().map_or(Value::Unknown, Value::Int),
        ("-", Value::Float(f)) => Value::Float(-f),
        ("+", Value::Int(_) | Value::Float(_)) => v.clone(),
        ("-", Value::OneOf(vs)) | ("+", Value::OneOf(vs)) => {
            one_of(vs.iter().map(|x| unary(op, x)).collect())
        }
        _ => Value::Unknown,
    }
}

/// One comparison `l op r` (`==`, `in`, `is not`, ...).
pub fn compare(l: &Value, op: &str, r: &Value) -> Tri {
    match (l, r) {
        (Value::OneOf(ls), _) => return Tri::all_agree(ls.iter().map(|x| compare(x, op, r))),
        (_, Value::OneOf(rs)) => return Tri::all_agree(rs.iter().map(|y| compare(l, op, y))),
        _ => {}
    }
    if l.is_unknown() || r.is_unknown() {
        return Tri::Unknown;
    }
    match op {
        "==" => py_eq(l, r),
        "!=" => py_eq(l, r).negate(),
        "is" => identity(l, r),
        "is not" => identity(l, r).negate(),
        "in" => contains(r, l),
        "not in" => contains(r, l).negate(),
        "<" | ">" | "<=" | ">=" => order(l, op, r),
        _ => Tri::Unknown,
    }
}

/// `is` is decidable for singletons only (None, True, False).
fn identity(l: &Value, r: &Value) -> Tri {
    match (l, r) {
        (Value::None, Value::None) => Tri::Yes,
        (Value::Bool(a), Value::Bool(b)) => Tri::from_bool(a == b),
        (Value::None | Value::Bool(_), _) | (_, Value::None | Value::Bool(_)) => Tri::No,
        _ => Tri::Unknown,
    }
}

fn contains(container: &Value, item: &Value) -> Tri {
    match (container, item) {
        (Value::Str(s), Value::Str(sub)) => Tri::from_bool(s.contains(sub.as_str())),
        (Value::List(v) | Value::Tuple(v) | Value::Set(v), _) => {
            Tri::any_of(v.iter().map(|x| py_eq(x, item)))
        }
        (Value::Dict(items), _) => Tri::any_of(items.iter().map(|(k, _)| py_eq(k, item))),
        _ => Tri::Unknown,
    }
}

fn order(l: &Value, op: &str, r: &Value) -> Tri {
    let ord = match (l, r) {
        (Value::Str(a), Value::Str(b)) => a.partial_cmp(b),
        _ => match (as_f64(l), as_f64(r)) {
            (Some(a), Some(b)) => a.partial_cmp(&b),
            _ => None,
        },
    };
    let Some(ord) = ord else { return Tri::Unknown };
    Tri::from_bool(match op {
        "<" => ord.is_lt(),
        ">" => ord.is_gt(),
        "<=" => ord.is_le(),
        _ => ord.is_ge(),
    })
}

/// `base.attr` for attributes that are not calls.
pub fn attribute(base: &Value, attr: &str) -> Value {
    match base {
        Value::Object(name) => match known_constant(name, attr) {
            Some(v) => v,
            None => Value::Object(format!("{name}.{attr}")),
        },
        Value::Path(p) => match attr {
            "parent" => Value::Path(parent_path(p)),
            "name" => Value::Str(p.rsplit('/').next().unwrap_or("").to_string()),
            _ => Value::Unknown,
        },
        Value::OneOf(vs) => one_of(vs.iter().map(|v| attribute(v, attr)).collect()),
        _ => Value::Unknown,
    }
}

/// Constants of libraries that settings use as values (Django's `CSP` is a `StrEnum`).
fn known_constant(namespace: &str, attr: &str) -> Option<Value> {
    let value = match (namespace, attr) {
        ("django.utils.csp.CSP", "NONCE") => "<CSP_NONCE_SENTINEL>",
        ("django.utils.csp.CSP", "NONE") => "'none'",
        ("django.utils.csp.CSP", "REPORT_SAMPLE") => "'report-sample'",
        ("django.utils.csp.CSP", "SELF") => "'self'",
        ("django.utils.csp.CSP", "STRICT_DYNAMIC") => "'strict-dynamic'",
        ("django.utils.csp.CSP", "UNSAFE_EVAL") => "'unsafe-eval'",
        ("django.utils.csp.CSP", "UNSAFE_HASHES") => "'unsafe-hashes'",
        ("django.utils.csp.CSP", "UNSAFE_INLINE") => "'unsafe-inline'",
        ("django.utils.csp.CSP", "WASM_UNSAFE_EVAL") => "'wasm-unsafe-eval'",
        ("django.utils.csp.CSP", "HEADER_ENFORCE") => "Content-Security-Policy",
        ("django.utils.csp.CSP", "HEADER_REPORT_ONLY") => "Content-Security-Policy-Report-Only",
        _ => return None,
    };
    Some(Value::Str(value.to_string()))
}

/// `base[key]`.
pub fn subscript(base: &Value, key: &Value) -> Value {
    match (base, key) {
        (Value::Dict(items), k) if !k.is_unknown() => {
            match items.iter().rev().find(|(x, _)| py_eq(x, k) == Tri::Yes) {
                Some((_, v)) => v.clone(),
                None => Value::Unknown,
            }
        }
        (Value::List(v) | Value::Tuple(v), Value::Int(i)) => {
            let len = v.len() as i64;
            let idx = if *i < 0 { len + i } else { *i };
            if (0..len).contains(&idx) {
                v[idx as usize].clone()
            } else {
                Value::Unknown
            }
        }
        (Value::Str(s), Value::Int(i)) => {
            let chars: Vec<char> = s.chars().collect();
            let len = chars.len() as i64;
            let idx = if *i < 0 { len + i } else { *i };
            if (0..len).contains(&idx) {
                Value::Str(chars[idx as usize].to_string())
            } else {
                Value::Unknown
            }
        }
        (Value::OneOf(vs), _) => one_of(vs.iter().map(|v| subscript(v, key)).collect()),
        _ => Value::Unknown,
    }
}

/// A call of a named function: built-ins, `pathlib.Path`, `os.path.*`, decouple's `Csv()`.
/// `None` when the function is not modelled.
pub fn call(name: &str, args: &CallArgs, file: &Path) -> Option<Value> {
    let name = name.strip_prefix("builtins.").unwrap_or(name);
    let first = args.positional.first();
    let v = match name {
        "tuple" => Value::Tuple(first.map_or(Some(Vec::new()), iterate)?),
        "list" => Value::List(first.map_or(Some(Vec::new()), iterate)?),
        "set" | "frozenset" => Value::Set(dedup(first.map_or(Some(Vec::new()), iterate)?)),
        "sorted" => {
            let mut items = iterate(first?)?;
            if items.iter().all(|i| matches!(i, Value::Str(_))) {
                items.sort_by(|a, b| a.as_str().cmp(&b.as_str()));
                Value::List(items)
            } else {
                return None;
            }
        }
        "dict" if args.positional.is_empty() => Value::Dict(
            args.keywords
                .iter()
                .map(|(k, v)| (Value::Str(k.clone()), v.clone()))
                .collect(),
        ),
        "bool" => match first {
            None => Value::Bool(false),
            Some(v) => match v.truthy() {
                Tri::Yes => Value::Bool(true),
                Tri::No => Value::Bool(false),
                Tri::Unknown => return None,
            },
        },
        "multiprocessing.cpu_count" | "os.cpu_count" => cpu_count(name),
        "int" | "round" | "math.ceil" | "math.floor" | "math.trunc"
            if matches!(first, Some(Value::Symbolic(_))) && args.positional.len() == 1 =>
        {
            let Some(Value::Symbolic(s)) = first else {
                return None;
            };
            symbolic_cast(name, s, NumKind::Int)
        }
        "float" if matches!(first, Some(Value::Symbolic(_))) => {
            let Some(Value::Symbolic(s)) = first else {
                return None;
            };
            symbolic_cast(name, s, NumKind::Float)
        }
        "max" | "min" if args.keywords.is_empty() && args.positional.len() >= 2 => {
            if args
                .positional
                .iter()
                .any(|a| matches!(a, Value::Symbolic(_)))
            {
                symbolic_extreme(name, &args.positional)?
            } else {
                known_extreme(name == "max", &args.positional)?
            }
        }
        "round" if args.positional.len() == 1 => match first? {
            Value::Int(i) => Value::Int(*i),
            Value::Bool(b) => Value::Int(i64::from(*b)),
            Value::Float(f) if f.is_finite() && f.abs() < 9e15 => Value::Int(round_half_even(*f)),
            _ => return None,
        },
        "math.ceil" | "math.floor" | "math.trunc" if args.positional.len() == 1 => match first? {
            Value::Int(i) => Value::Int(*i),
            Value::Bool(b) => Value::Int(i64::from(*b)),
            Value::Float(f) if f.is_finite() && f.abs() < 9e15 => Value::Int(match name {
                "math.ceil" => f.ceil(),
                "math.floor" => f.floor(),
                _ => f.trunc(),
            } as i64),
            _ => return None,
        },
        "int" => match first {
            None => Value::Int(0),
            Some(v) => to_int(v)?,
        },
        "float" => match first? {
            Value::Int(i) => Value::Float(*i as f64),
            Value::Float(f) => Value::Float(*f),
            Value::Str(s) => Value::Float(s.trim().parse().ok()?),
            _ => return None,
        },
        "str" => match first {
            None => Value::Str(String::new()),
            Some(v) => to_str(v)?,
        },
        "len" => match first? {
            Value::Str(s) => Value::Int(s.chars().count() as i64),
            v => Value::Int(iterate(v)?.len() as i64),
        },
        "pathlib.Path" | "pathlib.PurePath" | "pathlib.PosixPath" => {
            let mut p = String::new();
            for a in &args.positional {
                match a {
                    Value::Str(s) | Value::Path(s) => p = join_path(&p, s),
                    _ => return None,
                }
            }
            Value::Path(if p.is_empty() { ".".into() } else { p })
        }
        "os.path.join" => {
            let mut p = String::new();
            for a in &args.positional {
                match a {
                    Value::Str(s) | Value::Path(s) => p = join_path(&p, s),
                    _ => return None,
                }
            }
            Value::Str(p)
        }
        "os.path.dirname" => Value::Str(parent_path(path_str(first?)?)),
        "os.path.basename" => Value::Str(
            path_str(first?)?
                .rsplit('/')
                .next()
                .unwrap_or("")
                .to_string(),
        ),
        "os.path.abspath" | "os.path.realpath" | "os.path.normpath" => {
            Value::Str(normalize(&absolute(path_str(first?)?, file)))
        }
        "decouple.Csv" => Value::Object("decouple.Csv()".into()),
        "datetime.timedelta" => timedelta(args)?,
        "decouple.AutoConfig" => Value::Object("decouple.config".into()),
        _ => return None,
    };
    Some(v)
}

/// Python's `round(x)`: halves go to the even neighbour.
fn round_half_even(f: f64) -> i64 {
    let r = f.round();
    if (f - f.trunc()).abs() == 0.5 && (r as i64) % 2 != 0 {
        (r - f.signum()) as i64
    } else {
        r as i64
    }
}

/// `datetime.timedelta(days=..., ...)` as its number of seconds (what settings use it for).
fn timedelta(args: &CallArgs) -> Option<Value> {
    const UNITS: [(&str, f64); 7] = [
        ("days", 86_400.0),
        ("seconds", 1.0),
        ("microseconds", 1e-6),
        ("milliseconds", 1e-3),
        ("minutes", 60.0),
        ("hours", 3_600.0),
        ("weeks", 604_800.0),
    ];
    let mut total = 0.0;
    for (i, v) in args.positional.iter().enumerate() {
        total += as_f64(v)? * UNITS.get(i)?.1;
    }
    for (k, v) in &args.keywords {
        let unit = UNITS.iter().find(|(n, _)| n == k)?.1;
        total += as_f64(v)? * unit;
    }
    Some(Value::Float(total))
}

/// `fmt % args` for `%s`, `%d`, `%i`, `%r` and `%%`.
fn percent_format(fmt: &str, args: &Value) -> Option<String> {
    let mut values: Vec<&Value> = match args {
        Value::Tuple(items) => items.iter().collect(),
        Value::Dict(_)
        | Value::OneOf(_)
        | Value::Unknown
        | Value::FromEnv(_)
        | Value::Object(_) => return None,
        single => vec![single],
    };
    values.reverse();
    let mut out = String::with_capacity(fmt.len());
    let mut chars = fmt.chars();
    while let Some(c) = chars.next() {
        if c != '%' {
            out.push(c);
            continue;
        }
        match chars.next()? {
            '%' => out.push('%'),
            's' => match values.pop()? {
                Value::Str(s) | Value::Path(s) => out.push_str(s),
                v @ (Value::None
                | Value::Bool(_)
                | Value::Int(_)
                | Value::Float(_)
                | Value::List(_)
                | Value::Tuple(_)) => out.push_str(&v.to_string()),
                _ => return None,
            },
            'r' => {
                let v = values.pop()?;
                if v.is_unknown() {
                    return None;
                }
                out.push_str(&v.to_string());
            }
            'd' | 'i' => match values.pop()? {
                Value::Int(i) => out.push_str(&i.to_string()),
                Value::Bool(b) => out.push_str(if *b { "1" } else { "0" }),
                _ => return None,
            },
            _ => return None,
        }
    }
    values.is_empty().then_some(out)
}

/// `base[start:stop:step]` on a list, tuple or str.
pub fn slice(base: &Value, [start, stop, step]: [Option<i64>; 3]) -> Value {
    let step = step.unwrap_or(1);
    if step == 0 {
        return Value::Unknown;
    }
    let pick = |len: usize| -> Vec<usize> {
        let len = len as i64;
        let clamp = |i: i64, low: i64, high: i64| {
            if i < 0 {
                (i + len).max(low)
            } else {
                i.min(high)
            }
        };
        let mut out = Vec::new();
        if step > 0 {
            let (mut i, end) = (
                start.map_or(0, |s| clamp(s, 0, len)),
                stop.map_or(len, |s| clamp(s, 0, len)),
            );
            while i < end {
                out.push(i as usize);
                i += step;
            }
        } else {
            let (mut i, end) = (
                start.map_or(len - 1, |s| clamp(s, -1, len - 1)),
                stop.map_or(-1, |s| clamp(s, -1, len - 1)),
            );
            while i > end {
                out.push(i as usize);
                i += step;
            }
        }
        out
    };
    match base {
        Value::List(v) => Value::List(pick(v.len()).into_iter().map(|i| v[i].clone()).collect()),
        Value::Tuple(v) => Value::Tuple(pick(v.len()).into_iter().map(|i| v[i].clone()).collect()),
        Value::Str(s) => {
            let chars: Vec<char> = s.chars().collect();
            Value::Str(pick(chars.len()).into_iter().map(|i| chars[i]).collect())
        }
        Value::OneOf(vs) => one_of(
            vs.iter()
                .map(|v| slice(v, [start, stop, step.into()]))
                .collect(),
        ),
        _ => Value::Unknown,
    }
}

/// A method call on a known value (not a namespace).
pub fn method(receiver: &Value, name: &str, args: &CallArgs) -> Value {
    match receiver {
        Value::OneOf(vs) => one_of(vs.iter().map(|v| method(v, name, args)).collect()),
        Value::Str(s) => str_method(s, name, args).unwrap_or(Value::Unknown),
        Value::Path(p) => match name {
            "resolve" | "absolute" => Value::Path(normalize(p)),
            "joinpath" => {
                let mut out = p.clone();
                for a in &args.positional {
                    match a {
                        Value::Str(s) | Value::Path(s) => out = join_path(&out, s),
                        _ => return Value::Unknown,
                    }
                }
                Value::Path(out)
            }
            "as_posix" | "__str__" => Value::Str(p.clone()),
            _ => Value::Unknown,
        },
        Value::Dict(items) => match name {
            "get" => {
                let Some(k) = args.positional.first() else {
                    return Value::Unknown;
                };
                let found = items.iter().rev().find(|(x, _)| py_eq(x, k) == Tri::Yes);
                match found {
                    Some((_, v)) => v.clone(),
                    None if items.iter().all(|(x, _)| py_eq(x, k) == Tri::No) => {
                        args.positional.get(1).cloned().unwrap_or(Value::None)
                    }
                    None => Value::Unknown,
                }
            }
            "copy" => receiver.clone(),
            "keys" => Value::List(items.iter().map(|(k, _)| k.clone()).collect()),
            _ => Value::Unknown,
        },
        Value::List(_) if name == "copy" => receiver.clone(),
        Value::List(items) | Value::Tuple(items) if name == "index" || name == "count" => {
            let Some(x) = args.positional.first() else {
                return Value::Unknown;
            };
            let hits: Vec<Tri> = items.iter().map(|i| py_eq(i, x)).collect();
            if hits.contains(&Tri::Unknown) {
                return Value::Unknown;
            }
            if name == "count" {
                return Value::Int(hits.iter().filter(|h| **h == Tri::Yes).count() as i64);
            }
            hits.iter()
                .position(|h| *h == Tri::Yes)
                .map_or(Value::Unknown, |i| Value::Int(i as i64))
        }
        // a timedelta is kept as its number of seconds
        Value::Float(seconds) if name == "total_seconds" => Value::Float(*seconds),
        _ => Value::Unknown,
    }
}

fn str_method(s: &str, name: &str, args: &CallArgs) -> Option<Value> {
    let arg_str = |i: usize| args.positional.get(i).and_then(Value::as_str);
    let v = match name {
        "lower" | "casefold" => Value::Str(s.to_lowercase()),
        "upper" => Value::Str(s.to_uppercase()),
        "strip" | "lstrip" | "rstrip" => {
            let chars: Option<Vec<char>> = match args.positional.first() {
                None | Some(Value::None) => None,
                Some(Value::Str(c)) => Some(c.chars().collect()),
                Some(_) => return None,
            };
            let pred = |c: char| match &chars {
                Some(set) => set.contains(&c),
                None => c.is_whitespace(),
            };
            Value::Str(
                match name {
                    "strip" => s.trim_matches(pred),
                    "lstrip" => s.trim_start_matches(pred),
                    _ => s.trim_end_matches(pred),
                }
                .to_string(),
            )
        }
        "split" => {
            let parts: Vec<Value> = match args.arg(0, "sep") {
                None | Some(Value::None) => s.split_whitespace().map(Value::str).collect(),
                Some(Value::Str(sep)) if !sep.is_empty() => {
                    s.split(sep.as_str()).map(Value::str).collect()
                }
                _ => return None,
            };
            if args.arg(1, "maxsplit").is_some() {
                return None;
            }
            Value::List(parts)
        }
        "startswith" | "endswith" => {
            let prefixes: Vec<String> = match args.positional.first()? {
                Value::Str(p) => vec![p.clone()],
                Value::Tuple(items) => items
                    .iter()
                    .map(|i| i.as_str().map(str::to_string))
                    .collect::<Option<_>>()?,
                _ => return None,
            };
            let hit = prefixes.iter().any(|p| {
                if name == "startswith" {
                    s.starts_with(p.as_str())
                } else {
                    s.ends_with(p.as_str())
                }
            });
            Value::Bool(hit)
        }
        "replace" => Value::Str(s.replace(arg_str(0)?, arg_str(1)?)),
        "join" => {
            let items = iterate(args.positional.first()?)?;
            let parts: Option<Vec<&str>> = items.iter().map(Value::as_str).collect();
            Value::Str(parts?.join(s))
        }
        "isdigit" => Value::Bool(!s.is_empty() && s.chars().all(|c| c.is_ascii_digit())),
        "title" | "capitalize" => {
            let mut c = s.chars();
            Value::Str(match c.next() {
                Some(f) => f.to_uppercase().collect::<String>() + &c.as_str().to_lowercase(),
                None => String::new(),
            })
        }
        _ => return None,
    };
    Some(v)
}

/// The value after an in-place method call on a list, dict or set (`append`, `update`, ...);
/// `None` when the call is not modelled or would raise.
pub fn mutate(current: &Value, method: &str, args: &CallArgs) -> Option<Value> {
    let first = args.positional.first();
    match (current, method) {
        (Value::List(items), "append") => {
            let mut v = items.clone();
            v.push(first?.clone());
            Some(Value::List(v))
        }
        (Value::List(items), "insert") => {
            let (Value::Int(i), Some(item)) = (first?, args.positional.get(1)) else {
                return None;
            };
            let len = items.len() as i64;
            let idx = if *i < 0 {
                (len + i).max(0)
            } else {
                (*i).min(len)
            };
            let mut v = items.clone();
            v.insert(idx as usize, item.clone());
            Some(Value::List(v))
        }
        (Value::List(items), "extend") => {
            let mut v = items.clone();
            v.extend(iterate(first?)?);
            Some(Value::List(v))
        }
        (Value::List(items), "remove") => {
            let pos = items
                .iter()
                .position(|x| py_eq(x, first.unwrap_or(&Value::Unknown)) == Tri::Yes)?;
            let mut v = items.clone();
            v.remove(pos);
            Some(Value::List(v))
        }
        (Value::List(items), "pop") => {
            let mut v = items.clone();
            match first {
                None => {
                    v.pop()?;
                }
                Some(Value::Int(i)) => {
                    let len = v.len() as i64;
                    let idx = if *i < 0 { len + i } else { *i };
                    if !(0..len).contains(&idx) {
                        return None;
                    }
                    v.remove(idx as usize);
                }
                _ => return None,
            }
            Some(Value::List(v))
        }
        (Value::List(_), "clear") => Some(Value::List(Vec::new())),
        (Value::List(items), "reverse") => Some(Value::List(items.iter().rev().cloned().collect())),
        (Value::Dict(items), "update") => {
            let mut v = items.clone();
            if let Some(other) = first {
                let Value::Dict(more) = other else {
                    return None;
                };
                for (k, x) in more {
                    dict_set(&mut v, k.clone(), x.clone());
                }
            }
            for (k, x) in &args.keywords {
                dict_set(&mut v, Value::Str(k.clone()), x.clone());
            }
            Some(Value::Dict(v))
        }
        (Value::Dict(items), "setdefault") => {
            let key = first?;
            if key.is_unknown() {
                return None;
            }
            let mut v = items.clone();
            if !v.iter().any(|(k, _)| py_eq(k, key) == Tri::Yes) {
                v.push((
                    key.clone(),
                    args.positional.get(1).cloned().unwrap_or(Value::None),
                ));
            }
            Some(Value::Dict(v))
        }
        (Value::Dict(items), "pop") => {
            let key = first?;
            let mut v = items.clone();
            v.retain(|(k, _)| py_eq(k, key) != Tri::Yes);
            Some(Value::Dict(v))
        }
        (Value::Set(items), "add") => {
            let mut v = items.clone();
            v.push(first?.clone());
            Some(Value::Set(dedup(v)))
        }
        (Value::Set(items), "update") => {
            let mut v = items.clone();
            v.extend(iterate(first?)?);
            Some(Value::Set(dedup(v)))
        }
        (Value::Set(items), "discard" | "remove") => {
            let mut v = items.clone();
            v.retain(|x| py_eq(x, first.unwrap_or(&Value::Unknown)) != Tri::Yes);
            Some(Value::Set(v))
        }
        // copies and queries do not change the receiver
        (
            Value::List(_) | Value::Dict(_) | Value::Set(_),
            "copy" | "get" | "index" | "count" | "keys" | "values" | "items",
        ) => Some(current.clone()),
        _ => None,
    }
}

/// decouple's `cast` applied to a default (decouple casts defaults too).
pub fn decouple_cast(default: &Value, cast: EnvCast, cast_value: Option<&Value>) -> Value {
    match cast {
        EnvCast::Str => default.clone(),
        EnvCast::Bool => match default {
            Value::Bool(_) => default.clone(),
            other => {
                let Some(s) = to_str(other).and_then(|v| v.as_str().map(str::to_lowercase)) else {
                    return Value::Unknown;
                };
                match s.as_str() {
                    "1" | "yes" | "true" | "on" => Value::Bool(true),
                    "0" | "no" | "false" | "off" | "" => Value::Bool(false),
                    _ => Value::Unknown,
                }
            }
        },
        EnvCast::Int => to_int(default).unwrap_or(Value::Unknown),
        EnvCast::Float => call(
            "float",
            &CallArgs {
                positional: vec![default.clone()],
                ..Default::default()
            },
            Path::new(""),
        )
        .unwrap_or(Value::Unknown),
        EnvCast::List => match (default, cast_value) {
            (Value::Str(s), Some(Value::Object(_))) => {
                // Csv(): split on commas, strip blanks, drop empty entries
                Value::List(
                    s.split(',')
                        .map(str::trim)
                        .filter(|p| !p.is_empty())
                        .map(Value::str)
                        .collect(),
                )
            }
            (Value::List(_), _) => default.clone(),
            _ => Value::Unknown,
        },
        EnvCast::Other => Value::Unknown,
    }
}

fn to_int(v: &Value) -> Option<Value> {
    match v {
        Value::Int(i) => Some(Value::Int(*i)),
        Value::Bool(b) => Some(Value::Int(i64::from(*b))),
        Value::Float(f) if f.is_finite() => Some(Value::Int(f.trunc() as i64)),
        Value::Str(s) => s.trim().replace('_', "").parse().ok().map(Value::Int),
        _ => None,
    }
}

fn to_str(v: &Value) -> Option<Value> {
    match v {
        Value::Str(s) | Value::Path(s) => Some(Value::Str(s.clone())),
        Value::None | Value::Bool(_) | Value::Int(_) | Value::Float(_) => {
            Some(Value::Str(v.to_string()))
        }
        _ => None,
    }
}

fn path_str(v: &Value) -> Option<&str> {
    match v {
        Value::Str(s) | Value::Path(s) => Some(s),
        _ => None,
    }
}

/// `a / b` for paths: an absolute `b` replaces `a`.
pub fn join_path(a: &str, b: &str) -> String {
    if b.starts_with('/') || a.is_empty() {
        b.to_string()
    } else if a.ends_with('/') {
        format!("{a}{b}")
    } else {
        format!("{a}/{b}")
    }
}

fn parent_path(p: &str) -> String {
    let trimmed = p.trim_end_matches('/');
    match trimmed.rfind('/') {
        Some(0) => "/".into(),
        Some(i) => trimmed[..i].to_string(),
        None => ".".into(),
    }
}

fn absolute(p: &str, file: &Path) -> String {
    if p.starts_with('/') {
        p.to_string()
    } else {
        // relative to the working directory, which is unknown: keep it relative
        let _ = file;
        p.to_string()
    }
}

/// Removes `.` and `..` components (like `resolve()` without symlinks).
pub fn normalize(p: &str) -> String {
    let absolute = p.starts_with('/');
    let mut parts: Vec<&str> = Vec::new();
    for part in p.split('/') {
        match part {
            "" | "." => {}
            ".." => {
                if parts.last().is_some_and(|l| *l != "..") {
                    parts.pop();
                } else if !absolute {
                    parts.push("..");
                }
            }
            other => parts.push(other),
        }
    }
    let joined = parts.join("/");
    if absolute {
        format!("/{joined}")
    } else if joined.is_empty() {
        ".".into()
    } else {
        joined
    }
}
