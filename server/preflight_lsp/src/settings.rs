//! The editor's rule settings: `initializationOptions` (the settings object itself) and
//! `workspace/didChangeConfiguration` (`{settings: {preflight: {...}}}`, what VS Code's
//! `synchronize.configurationSection` and Neovim's `settings` send). Keys: `select`, `ignore`
//! (lists of codes or prefixes), `severity` (code -> error|warning|information|hint) and
//! `configurationPreference` (filesystemFirst|editorFirst|editorOnly). Other keys (an
//! extension's own, such as `path` or `trace`) are left alone.

use preflight_core::config::{ConfigurationPreference, EditorSettings, parse_severity};
use serde_json::Value;

/// The settings in `value`, and a message for each key that could not be used.
pub fn parse(value: &Value) -> (EditorSettings, Vec<String>) {
    let mut problems = Vec::new();
    let mut settings = EditorSettings::default();
    let object = match value.get("preflight") {
        Some(inner) => inner,
        None => value,
    };
    let Some(object) = object.as_object() else {
        if !object.is_null() {
            problems.push("the settings must be an object".to_owned());
        }
        return (settings, problems);
    };
    settings.select = code_list(object.get("select"), "select", &mut problems);
    settings.ignore = code_list(object.get("ignore"), "ignore", &mut problems);
    match object.get("severity") {
        None | Some(Value::Null) => {}
        Some(Value::Object(levels)) => {
            for (code, level) in levels {
                match level.as_str().and_then(parse_severity) {
                    Some(s) => {
                        settings.severity.insert(code.to_ascii_uppercase(), s);
                    }
                    None => problems.push(format!(
                        "`severity.{code}` must be \"error\", \"warning\", \"information\" or \"hint\""
                    )),
                }
            }
        }
        Some(_) => problems.push("`severity` must map rule codes to severities".to_owned()),
    }
    match object.get("configurationPreference") {
        None | Some(Value::Null) => {}
        Some(v) => match v.as_str().and_then(ConfigurationPreference::parse) {
            Some(p) => settings.preference = p,
            None => problems.push(
                "`configurationPreference` must be \"filesystemFirst\", \"editorFirst\" or \"editorOnly\""
                    .to_owned(),
            ),
        },
    }
    (settings, problems)
}

/// One line for the log.
pub fn describe(settings: &EditorSettings) -> String {
    let list = |codes: &Option<Vec<String>>| match codes {
        Some(codes) => format!("[{}]", codes.join(", ")),
        None => "(file)".to_owned(),
    };
    format!(
        "select {}, ignore {}, {} severity override(s), {:?}",
        list(&settings.select),
        list(&settings.ignore),
        settings.severity.len(),
        settings.preference
    )
}

/// A list of codes; `null` and (for `select`, where it would silence everything) an empty list
/// leave the key to the configuration file.
fn code_list(value: Option<&Value>, key: &str, problems: &mut Vec<String>) -> Option<Vec<String>> {
    let items = match value? {
        Value::Null => return None,
        Value::Array(items) => items,
        _ => {
            problems.push(format!("`{key}` must be a list of rule codes"));
            return None;
        }
    };
    let codes: Option<Vec<String>> = items
        .iter()
        .map(|i| i.as_str().map(|s| s.trim().to_owned()))
        .collect();
    match codes {
        Some(codes) if key == "select" && codes.is_empty() => None,
        Some(codes) => Some(codes),
        None => {
            problems.push(format!("`{key}` must be a list of rule codes"));
            None
        }
    }
}

#[cfg(test)]
mod tests {
    use preflight_core::diagnostic::Severity;
    use serde_json::json;

    use super::*;

    #[test]
    fn reads_the_object_itself_or_under_preflight() {
        let object = json!({"select": ["DJ"], "ignore": ["DJ018"], "severity": {"dj111": "warning"},
            "configurationPreference": "editorFirst", "path": "/x/preflight", "trace": {"server": "off"}});
        let (direct, problems) = parse(&object);
        assert!(problems.is_empty(), "{problems:?}");
        assert_eq!(direct.select, Some(vec!["DJ".to_owned()]));
        assert_eq!(direct.ignore, Some(vec!["DJ018".to_owned()]));
        assert_eq!(direct.severity["DJ111"], Severity::Warning);
        assert_eq!(direct.preference, ConfigurationPreference::EditorFirst);
        let (wrapped, _) = parse(&json!({ "preflight": object }));
        assert_eq!(wrapped, direct);
    }

    #[test]
    fn empty_and_null_leave_the_keys_to_the_file() {
        let (s, problems) = parse(&json!({"select": [], "ignore": null, "severity": {}}));
        assert!(problems.is_empty());
        assert!(s.is_empty());
        assert!(parse(&Value::Null).0.is_empty());
        // an explicitly empty ignore list is a choice (editorFirst: ignore nothing)
        assert_eq!(parse(&json!({"ignore": []})).0.ignore, Some(vec![]));
    }

    #[test]
    fn wrong_shapes_are_reported_not_guessed() {
        let (s, problems) = parse(
            &json!({"select": "DJ", "ignore": [1], "severity": {"DJ1": "loud"},
            "configurationPreference": "mine"}),
        );
        assert!(s.is_empty());
        assert_eq!(s.preference, ConfigurationPreference::FilesystemFirst);
        assert_eq!(problems.len(), 4, "{problems:?}");
        assert!(problems[0].contains("`select`"));
        assert_eq!(parse(&json!(["DJ"])).1.len(), 1);
    }
}
