//! Preflight's gunicorn settings table against the installed gunicorn's own
//! (`gunicorn.config.KNOWN_SETTINGS`): names, order, CLI flags, validators, hook arities,
//! defaults and sections, so the table cannot drift unseen. Needs the oracle venvs
//! (tests/oracle/setup.sh).

mod gunicorn_support;

use preflight_core::gunicorn::settings::{Default, GUNICORN_VERSION, SETTINGS, Validator};
use serde_json::{Value, json};

#[test]
fn the_settings_table_is_gunicorns() {
    let oracle = gunicorn_support::known_settings();
    assert_eq!(
        oracle["version"], GUNICORN_VERSION,
        "the oracle is another gunicorn"
    );
    let theirs = oracle["settings"].as_array().unwrap();
    let their_names: Vec<&str> = theirs.iter().map(|s| s["name"].as_str().unwrap()).collect();
    let our_names: Vec<&str> = SETTINGS.iter().map(|s| s.name).collect();
    assert_eq!(our_names, their_names, "names and order");
    let mut problems = Vec::new();
    for (ours, theirs) in SETTINGS.iter().zip(theirs) {
        let name = ours.name;
        if json!(ours.cli) != theirs["cli"] {
            problems.push(format!("{name}: cli {:?} != {}", ours.cli, theirs["cli"]));
        }
        if ours.validator.python_name() != theirs["validator"] {
            problems.push(format!(
                "{name}: validator {} != {}",
                ours.validator.python_name(),
                theirs["validator"]
            ));
        }
        let arity = match ours.validator {
            Validator::Callable(n) => json!(n),
            _ => Value::Null,
        };
        if arity != theirs["arity"] {
            problems.push(format!("{name}: arity {arity} != {}", theirs["arity"]));
        }
        if ours.section != theirs["section"] {
            problems.push(format!(
                "{name}: section {} != {}",
                ours.section, theirs["section"]
            ));
        }
        let flag = matches!(
            theirs["action"].as_str(),
            Some("store_true" | "store_const")
        );
        if ours.flag != flag {
            problems.push(format!(
                "{name}: flag {} != action {}",
                ours.flag, theirs["action"]
            ));
        }
        let default = &theirs["default"];
        match ours.default {
            Default::Hook => {
                if default.get("callable").is_none() {
                    problems.push(format!(
                        "{name}: a hook, but gunicorn's default is {default}"
                    ));
                }
            }
            Default::Computed => {
                if ours.default_note.is_none() {
                    problems.push(format!("{name}: a computed default needs a note"));
                }
            }
            d => {
                let value = d.value().unwrap();
                let ours_json = to_json(&value);
                if Some(&ours_json) != default.get("value") {
                    problems.push(format!("{name}: default {ours_json} != {default}"));
                }
            }
        }
    }
    assert!(
        problems.is_empty(),
        "the table drifted from gunicorn {GUNICORN_VERSION}:\n{}",
        problems.join("\n")
    );
}

fn to_json(v: &preflight_core::python::Value) -> Value {
    use preflight_core::python::Value as V;
    match v {
        V::None => Value::Null,
        V::Bool(b) => json!(b),
        V::Int(i) => json!(i),
        V::Str(s) => json!(s),
        V::List(items) => Value::Array(items.iter().map(to_json).collect()),
        V::Dict(items) => Value::Object(
            items
                .iter()
                .map(|(k, v)| (k.as_str().unwrap_or_default().to_string(), to_json(v)))
                .collect(),
        ),
        other => json!(other.to_string()),
    }
}
