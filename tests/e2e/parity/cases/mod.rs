//! The parity cases, generated from data tables. No case states the ids it expects: the real
//! Django gives the answer, and Preflight must give the same one.

mod checks;
mod environment;
mod idioms;
mod imports;

use super::settings::*;
use checks::*;
use environment::*;
use idioms::*;
use imports::*;

/// One settings module (and the modules it imports) to check with Django and with Preflight.
#[derive(Debug, Clone)]
pub struct Case {
    pub name: String,
    /// (path relative to the case folder, contents).
    pub files: Vec<(String, String)>,
    /// The dotted settings module Django loads.
    pub module: String,
    /// Environment for Django: values for variables read without a default (which Preflight
    /// treats as provided by the environment). Variables with a default are left unset, as in
    /// Preflight's production world.
    pub env: Vec<(String, String)>,
    /// Whether to check this case on Django 5.2 too (the rows that differ by version, and cases
    /// that show the older version ignores newer settings).
    pub on_5_2: bool,
}

impl Case {
    /// The file of the settings module.
    pub fn module_file(&self) -> String {
        let path = self.module.replace('.', "/");
        if self.files.iter().any(|(p, _)| *p == format!("{path}.py")) {
            format!("{path}.py")
        } else {
            format!("{path}/__init__.py")
        }
    }

    fn env(mut self, name: &str, value: &str) -> Self {
        self.env.push((name.to_string(), value.to_string()));
        self
    }

    fn also_on_5_2(mut self) -> Self {
        self.on_5_2 = true;
        self
    }
}

/// A one-module project: `proj/settings.py`.
fn single(name: impl Into<String>, settings: Settings) -> Case {
    Case {
        name: name.into(),
        files: vec![
            ("proj/__init__.py".into(), String::new()),
            ("proj/settings.py".into(), settings.render()),
        ],
        module: "proj.settings".into(),
        env: Vec::new(),
        on_5_2: false,
    }
}

/// A settings package `proj/settings/` with the given modules; Django loads `module`.
fn package(name: impl Into<String>, modules: &[(&str, String)], module: &str) -> Case {
    let mut files = vec![
        ("proj/__init__.py".to_string(), String::new()),
        ("proj/settings/__init__.py".to_string(), String::new()),
    ];
    for (file, text) in modules {
        files.push((format!("proj/settings/{file}"), text.clone()));
    }
    Case {
        name: name.into(),
        files,
        module: module.into(),
        env: Vec::new(),
        on_5_2: false,
    }
}

const BOOLISH: &[&str] = &["True", "False", r#""True""#, r#""False""#, "1", "0", "None"];

/// Every case, in a stable order.
pub fn all() -> Vec<Case> {
    let mut cases = vec![single("baseline", Settings::baseline()).also_on_5_2()];
    value_tables(&mut cases);
    middleware_gates(&mut cases);
    secret_keys(&mut cases);
    referrer_and_coop(&mut cases);
    session_matrix(&mut cases);
    csp(&mut cases);
    mailers(&mut cases);
    file_caches(&mut cases);
    silenced(&mut cases);
    evaluator_idioms(&mut cases);
    imports(&mut cases);
    environment(&mut cases);
    traps(&mut cases);
    list_and_dict_building(&mut cases);
    let mut seen = std::collections::HashSet::new();
    for case in &cases {
        assert!(
            seen.insert(case.name.clone()),
            "two parity cases are named {}",
            case.name
        );
    }
    cases
}
