//! Environment reads: `os.environ`, django-environ, python-decouple. In the production world
//! the variable is unset, so the default applies.

use tree_sitter::Node;

use super::*;

impl<'t> Evaluator<'t, '_> {
    /// Calls that read the environment: `os.environ.get`, `os.getenv`, django-environ's `env(...)`
    /// and `env.bool(...)`, decouple's `config(...)`. `None` when `name` is none of them.
    pub(super) fn env_call(&mut self, name: &str, args: &CallArgs) -> Option<Value> {
        let var = args
            .positional
            .first()
            .cloned()
            .or_else(|| args.keyword("var").cloned());
        let var = var.unwrap_or(Value::Unknown);
        match name {
            "os.environ.get" | "os.getenv" | "os.environ.setdefault" => {
                let default = args
                    .positional
                    .get(1)
                    .cloned()
                    .or_else(|| args.keyword("default").cloned());
                Some(self.env_read(EnvReadSpec {
                    reader: name,
                    var,
                    default,
                    cast: EnvCast::Str,
                }))
            }
            "environ.Env" => {
                let id = format!("environ.Env#{}", self.env_schemas.len());
                let schema = args
                    .keywords
                    .iter()
                    .filter_map(|(k, v)| match v {
                        Value::Tuple(items) if items.len() == 2 => {
                            Some((k.clone(), Value::Tuple(items.clone())))
                        }
                        Value::Tuple(items) if items.len() == 1 => {
                            Some((k.clone(), Value::Tuple(items.clone())))
                        }
                        _ => None,
                    })
                    .collect();
                self.env_schemas.insert(id.clone(), schema);
                Some(Value::Object(id))
            }
            _ if name.starts_with("environ.Env#") => {
                let (instance, method) = match name
                    .split_once("#")
                    .and_then(|(_, rest)| rest.split_once('.'))
                {
                    Some((n, m)) => (format!("environ.Env#{n}"), m),
                    None => (name.to_string(), ""),
                };
                Some(self.django_environ_read(&instance, method, var, args))
            }
            "decouple.config" | "decouple.AutoConfig()" => Some(self.decouple_read(var, args)),
            "builtins.getattr" => self.getattr_read(args),
            _ => None,
        }
    }

    pub(super) fn django_environ_read(
        &mut self,
        instance: &str,
        method: &str,
        var: Value,
        args: &CallArgs,
    ) -> Value {
        let explicit_default = args.keyword("default").cloned().or_else(|| {
            if method.is_empty() {
                args.positional.get(2).cloned()
            } else {
                args.positional.get(1).cloned()
            }
        });
        let schema_entry = var.as_str().and_then(|v| {
            self.env_schemas
                .get(instance)
                .and_then(|s| s.iter().find(|(k, _)| k == v).map(|(_, spec)| spec.clone()))
        });
        let (schema_cast, schema_default) = match &schema_entry {
            Some(Value::Tuple(items)) => (items.first().cloned(), items.get(1).cloned()),
            _ => (None, None),
        };
        let cast = match method {
            "bool" => EnvCast::Bool,
            "int" => EnvCast::Int,
            "float" => EnvCast::Float,
            "str" => EnvCast::Str,
            "list" | "tuple" => EnvCast::List,
            "" => match schema_cast.as_ref().or_else(|| args.keyword("cast")) {
                Some(Value::Object(t)) if t == "builtins.bool" => EnvCast::Bool,
                Some(Value::Object(t)) if t == "builtins.int" => EnvCast::Int,
                Some(Value::Object(t)) if t == "builtins.list" => EnvCast::List,
                Some(_) => EnvCast::Other,
                None => EnvCast::Str,
            },
            _ => EnvCast::Other,
        };
        // django-environ returns the default as given (it does not parse defaults)
        let default = explicit_default.or(schema_default);
        let reader = if method.is_empty() {
            "env".to_string()
        } else {
            format!("env.{method}")
        };
        self.env_read(EnvReadSpec {
            reader: &reader,
            var,
            default,
            cast,
        })
    }

    pub(super) fn decouple_read(&mut self, var: Value, args: &CallArgs) -> Value {
        let default = args
            .keyword("default")
            .cloned()
            .or_else(|| args.positional.get(1).cloned());
        let cast_value = args
            .keyword("cast")
            .cloned()
            .or_else(|| args.positional.get(2).cloned());
        let cast = match &cast_value {
            None => EnvCast::Str,
            Some(Value::Object(t)) if t == "builtins.bool" => EnvCast::Bool,
            Some(Value::Object(t)) if t == "builtins.int" => EnvCast::Int,
            Some(Value::Object(t)) if t == "builtins.float" => EnvCast::Float,
            Some(Value::Object(t)) if t.starts_with("decouple.Csv(") => EnvCast::List,
            Some(_) => EnvCast::Other,
        };
        // decouple casts the default too
        let cast_default = default.map(|d| builtins::decouple_cast(&d, cast, cast_value.as_ref()));
        self.env_read(EnvReadSpec {
            reader: "config",
            var,
            default: cast_default,
            cast,
        })
    }

    /// `getattr(configuration, "X", default)`: an attribute of a project module, or of a
    /// configuration object we cannot see, which is read like an environment variable with a
    /// default (netbox's settings do this).
    fn getattr_read(&mut self, args: &CallArgs) -> Option<Value> {
        let [object, Value::Str(attr), rest @ ..] = args.positional.as_slice() else {
            return Some(Value::Unknown);
        };
        let default = rest.first().cloned();
        let name = match object {
            Value::Object(name) => name.as_str(),
            // a configuration object built at run time (`SimpleNamespace`, a loaded file)
            Value::Unknown => "configuration",
            _ => return Some(Value::Unknown),
        };
        if let Some(file) = name.strip_prefix(MODULE_OBJECT) {
            let model = analyze_path(Path::new(file), self.loader, self.cache);
            return Some(match model {
                Some(m) => match (m.get(attr), default) {
                    (Some(b), _) => b.value.clone(),
                    (None, Some(d)) if !m.open => d,
                    _ => Value::Unknown,
                },
                None => Value::Unknown,
            });
        }
        let reader = format!("getattr({name})");
        Some(self.env_read(EnvReadSpec {
            reader: &reader,
            var: Value::Str(attr.clone()),
            default,
            cast: EnvCast::Other,
        }))
    }

    /// A call of a function the configuration names as an environment helper.
    pub(super) fn configured_env_helper(&self, func: Node<'_>) -> Option<EnvHelper> {
        let name = match func.k() {
            "identifier" => self.text(func),
            "attribute" => self.text(field(func, fields().attribute)?),
            _ => return None,
        };
        self.cache
            .env_helpers()
            .iter()
            .find(|h| h.name == name)
            .cloned()
    }

    pub(super) fn configured_env_read(&mut self, helper: &EnvHelper, args: &CallArgs) -> Value {
        let var = args.positional.first().cloned().unwrap_or(Value::Unknown);
        let default = args
            .positional
            .get(helper.default_arg)
            .or_else(|| args.keyword("default"))
            .cloned();
        let cast = match helper.cast.as_str() {
            "bool" => EnvCast::Bool,
            "int" => EnvCast::Int,
            "float" => EnvCast::Float,
            "list" => EnvCast::List,
            _ => EnvCast::Str,
        };
        self.env_read(EnvReadSpec {
            reader: &helper.name,
            var,
            default,
            cast,
        })
    }

    pub(super) fn env_read(&mut self, spec: EnvReadSpec<'_>) -> Value {
        let read = EnvRead {
            var: spec.var.as_str().map(str::to_string),
            default: spec.default.clone().map(Box::new),
            cast: spec.cast,
            reader: spec.reader.to_string(),
            range: self.read_at,
        };
        self.reads.push(read.clone());
        match spec.default {
            // the production world: the variable is unset, so the default applies
            Some(d) => d,
            None => Value::FromEnv(read),
        }
    }
}

pub(super) struct EnvReadSpec<'a> {
    reader: &'a str,
    var: Value,
    default: Option<Value>,
    cast: EnvCast,
}

impl<'a> EnvReadSpec<'a> {
    pub(super) fn required(reader: &'a str, var: Value) -> Self {
        Self {
            reader,
            var,
            default: None,
            cast: EnvCast::Str,
        }
    }
}
