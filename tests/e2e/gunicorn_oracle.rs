//! The gunicorn rules against the real gunicorn 27.0.1 (tests/oracle/setup.sh), on the fixtures
//! of tests/fixtures/gunicorn (each says on its first line which codes Preflight reports):
//! - `gunicorn --check-config` rejects exactly the fixtures Preflight flags with GUN004 (a value
//!   a validator refuses) or GUN000 (does not parse);
//! - every quick-fix, applied alone, leaves a file Python parses and gunicorn still accepts
//!   (for a GUN004 fix: now accepts), and removes its finding;
//! - every value Preflight claims to know (set in the file or gunicorn's default) equals what
//!   `gunicorn --print-config` prints, once gunicorn's own validator has normalised it.

mod gunicorn_support;

use std::collections::BTreeMap;
use std::path::Path;
use std::sync::Arc;

use gunicorn_support::*;
use preflight_core::analysis::FileKind;
use preflight_core::gunicorn::{GunicornConfig, SETTINGS};
use preflight_core::python::{ModuleCache, Value, analyze_module};
use preflight_core::source::DiskLoader;
use preflight_core::syntax::python_tree;
use preflight_core::{Diagnostic, apply_edits};

fn codes(ds: &[Diagnostic]) -> Vec<String> {
    let mut c: Vec<String> = ds.iter().map(|d| d.code.to_string()).collect();
    c.sort();
    c.dedup();
    c
}

#[test]
fn fixtures_report_the_codes_they_expect() {
    let mut problems = Vec::new();
    for (path, text) in fixtures() {
        let (kind, ds) = analyze(&path, &text);
        if kind != FileKind::Gunicorn {
            problems.push(format!(
                "{}: not recognised as a gunicorn config ({kind:?})",
                name(&path)
            ));
        }
        let found = codes(&ds);
        let expected = expected_codes(&text);
        if found != expected {
            problems.push(format!(
                "{}: expected {expected:?}, found {found:?}",
                name(&path)
            ));
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

#[test]
fn check_config_rejects_exactly_what_preflight_says_stops_gunicorn() {
    let fixtures = fixtures();
    let results = parallel_map(&fixtures, |(path, text)| {
        let sandbox = Sandbox::new(&name(path), text);
        let (_, ds) = analyze(path, text);
        let flagged = ds.iter().any(|d| matches!(d.code, "GUN004" | "GUN000"));
        (name(path), flagged, sandbox.check_config())
    });
    let mut problems = Vec::new();
    let (mut accepted, mut rejected) = (0, 0);
    for (name, flagged, verdict) in results {
        match (flagged, verdict) {
            (false, Ok(())) => accepted += 1,
            (true, Err(_)) => rejected += 1,
            (false, Err(e)) => problems.push(format!(
                "{name}: gunicorn rejects it, Preflight says nothing: {e}"
            )),
            (true, Ok(())) => problems.push(format!(
                "{name}: Preflight flags GUN004, gunicorn accepts it"
            )),
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
    assert!(
        accepted >= 20 && rejected >= 12,
        "too few cases: {accepted} accepted, {rejected} rejected"
    );
}

/// A fix applied alone, judged by Python's parser, Preflight and gunicorn.
fn judge_fix(
    path: &Path,
    text: &str,
    original: &[Diagnostic],
    finding: &Diagnostic,
    fix: &preflight_core::Fix,
) -> Result<(), String> {
    let fixed = apply_edits(text, &fix.edits);
    let sandbox = Sandbox::new(&name(path), &fixed);
    let parses = std::process::Command::new(venv().join("bin/python"))
        .args(["-c", "import ast, sys; ast.parse(open(sys.argv[1]).read())"])
        .arg(&sandbox.config)
        .status()
        .expect("python runs")
        .success();
    if !parses {
        return Err(format!("`{}` breaks the syntax:\n{fixed}", fix.title));
    }
    let (_, after) = analyze(path, &fixed);
    let count = |ds: &[Diagnostic]| ds.iter().filter(|d| d.code == finding.code).count();
    if count(&after) >= count(original) {
        return Err(format!(
            "`{}` leaves {} in place:\n{fixed}",
            fix.title, finding.code
        ));
    }
    let before = Sandbox::new(&name(path), text).check_config();
    let only_blocker =
        finding.code == "GUN004" && original.iter().filter(|d| d.code == "GUN004").count() == 1;
    if before.is_ok() || only_blocker {
        sandbox.check_config().map_err(|e| {
            format!(
                "`{}`: gunicorn rejects the fixed file: {e}\n{fixed}",
                fix.title
            )
        })?;
    }
    Ok(())
}

#[test]
fn every_quick_fix_keeps_gunicorn_starting_and_removes_its_finding() {
    let mut jobs = Vec::new();
    for (path, text) in fixtures() {
        let (_, ds) = analyze(&path, &text);
        for d in &ds {
            for fix in d.fix.iter().chain(&d.alternatives) {
                jobs.push((
                    path.clone(),
                    text.clone(),
                    ds.clone(),
                    d.clone(),
                    fix.clone(),
                ));
            }
        }
    }
    let results = parallel_map(&jobs, |(path, text, ds, d, fix)| {
        judge_fix(path, text, ds, d, fix).map_err(|e| format!("{} {}: {e}", name(path), d.code))
    });
    let failures: Vec<String> = results.into_iter().filter_map(Result::err).collect();
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
    assert!(jobs.len() >= 25, "only {} fixes were judged", jobs.len());
    let codes: std::collections::BTreeSet<&str> = jobs.iter().map(|j| j.3.code).collect();
    for code in [
        "GUN001", "GUN003", "GUN004", "GUN005", "GUN008", "GUN009", "GUN010", "GUN011", "GUN013",
        "GUN014", "GUN016", "GUN017", "GUN018",
    ] {
        assert!(
            codes.contains(code),
            "no fixture exercises the fix of {code}"
        );
    }
}

/// Whether Preflight knows the value exactly (no environment read without default, no
/// symbolic number, no object it cannot print as a Python literal).
fn known(v: &Value) -> bool {
    match v {
        Value::None | Value::Bool(_) | Value::Int(_) | Value::Str(_) => true,
        Value::Float(f) => f.is_finite(),
        Value::List(items) | Value::Tuple(items) => items.iter().all(known),
        Value::Dict(items) => items.iter().all(|(k, v)| known(k) && known(v)),
        _ => false,
    }
}

/// Settings the command line of the oracle run sets itself (`--print-config -c FILE APP`).
const SET_BY_THE_COMMAND_LINE: &[&str] = &[
    "config",
    "print_config",
    "check_config",
    "default_proc_name",
];

#[test]
fn known_values_equal_what_gunicorn_prints() {
    let fixtures = fixtures();
    let results = parallel_map(&fixtures, |(path, text)| {
        let sandbox = Sandbox::new(&name(path), text);
        let printed = match sandbox.print_config() {
            Ok(p) => p,
            Err(_) => return Ok(0), // gunicorn refuses the file (the check-config test covers it)
        };
        let tree = python_tree(text);
        let module = analyze_module(path, text, &tree, &DiskLoader, &mut ModuleCache::default());
        let config = GunicornConfig::new(Arc::new(module));
        let claims: BTreeMap<String, String> = SETTINGS
            .iter()
            .filter(|s| !s.is_hook() && !SET_BY_THE_COMMAND_LINE.contains(&s.name))
            .filter_map(|s| {
                let v = config.value(s.name)?;
                known(&v).then(|| (s.name.to_string(), v.to_string()))
            })
            .collect();
        let normalized = sandbox.normalize(&claims);
        let mut problems = Vec::new();
        for (setting, ours) in &normalized {
            match printed.get(setting) {
                Some(theirs) if theirs == ours => {}
                theirs => problems.push(format!(
                    "{}: {setting}: Preflight {} (printed as {ours}), gunicorn {theirs:?}",
                    name(path),
                    claims[setting]
                )),
            }
        }
        if problems.is_empty() {
            Ok(claims.len())
        } else {
            Err(problems.join("\n"))
        }
    });
    let mut compared = 0;
    let mut failures = Vec::new();
    for r in results {
        match r {
            Ok(n) => compared += n,
            Err(e) => failures.push(e),
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
    assert!(compared > 1000, "only {compared} values compared");
}
