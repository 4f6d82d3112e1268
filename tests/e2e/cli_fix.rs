//! `--fix`: safe fixes are applied to the files, the result is valid Python that Django accepts
//! with fewer findings, and a second run changes nothing.

mod cli_support;
mod fs_support;
use cli_support::*;

#[test]
fn fix_applies_safe_fixes_and_reports_what_remains() {
    let dir = project(&[("mysite/settings.py", INSECURE_SETTINGS.as_bytes())]);
    let file = dir.path().join("mysite/settings.py");
    let (_, before) = check_json(&[], dir.path());
    let offered = before.iter().filter(|f| !f["fix"].is_null()).count();
    assert!(offered > 0, "the fixture should offer fixes: {before:#?}");

    let out = preflight(&["check", "--fix"], dir.path());
    let text = stdout(&out);
    let fixed_text = std::fs::read_to_string(&file).unwrap();
    assert_ne!(fixed_text, INSECURE_SETTINGS, "--fix changed the file");
    assert!(
        python_parses(&file),
        "the fixed file is valid Python:\n{fixed_text}"
    );
    let fixed: usize = text
        .lines()
        .find_map(|l| {
            l.strip_prefix("Fixed ")
                .and_then(|r| r.split(' ').next())
                .and_then(|n| n.parse().ok())
        })
        .unwrap_or_else(|| panic!("a `Fixed N problems.` line: {text}"));
    assert!(fixed >= 1);

    let (code, after) = check_json(&[], dir.path());
    assert!(
        after.len() < before.len(),
        "fewer findings after --fix: {} -> {}",
        before.len(),
        after.len()
    );
    assert_eq!(
        code,
        Some(
            if after
                .iter()
                .any(|f| ["error", "warning"].contains(&f["severity"].as_str().unwrap()))
            {
                1
            } else {
                0
            }
        )
    );

    // nothing left that --fix would change
    preflight(&["check", "--fix"], dir.path());
    assert_eq!(
        std::fs::read_to_string(&file).unwrap(),
        fixed_text,
        "a second --fix is a no-op"
    );
}

#[test]
fn fix_leaves_files_without_findings_untouched() {
    let dir = project(&[("utils.py", PLAIN_PYTHON.as_bytes())]);
    let out = preflight(&["check", "--fix"], dir.path());
    assert_eq!(out.status.code(), Some(0));
    assert_eq!(
        std::fs::read_to_string(dir.path().join("utils.py")).unwrap(),
        PLAIN_PYTHON
    );
}

/// The real Django's ids for the example's production settings in `root`.
fn django_check_deploy(root: &std::path::Path) -> Vec<String> {
    let repo = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
    let admin = repo.join(".oracle/django-6.1/bin/django-admin");
    assert!(
        admin.exists(),
        "the Django 6.1 oracle is missing: run tests/oracle/setup.sh"
    );
    let out = std::process::Command::new(admin)
        .args(["check", "--deploy", "--settings=mysite.settings.production"])
        .env("PYTHONPATH", root)
        .current_dir(root)
        .output()
        .unwrap();
    let text =
        String::from_utf8_lossy(&out.stderr).into_owned() + &String::from_utf8_lossy(&out.stdout);
    assert!(
        text.contains("System check identified"),
        "Django loaded the settings: {text}"
    );
    let mut ids: Vec<String> = text
        .lines()
        .filter_map(|l| {
            l.split_once(": (")?
                .1
                .split_once(')')
                .map(|(id, _)| id.to_string())
        })
        .collect();
    ids.sort();
    ids.dedup();
    ids
}

/// The example deployment, fixed: Django still loads it and agrees that what was fixed is gone.
#[test]
fn fixing_the_example_deployment_satisfies_django_too() {
    let example = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../tests/example");
    let dir = tempfile::tempdir().unwrap();
    fs_support::copy_tree(&example, dir.path());
    let django_before = django_check_deploy(dir.path());
    let (_, before) = check_json(&[], dir.path());

    preflight(&["check", "--fix"], dir.path());
    let (_, after) = check_json(&[], dir.path());
    let django_after = django_check_deploy(dir.path());

    let fixed: Vec<String> = django_ids(&before)
        .into_iter()
        .filter(|id| !django_ids(&after).contains(id))
        .collect();
    assert!(
        !fixed.is_empty(),
        "--fix resolved at least one Django finding: {before:#?}"
    );
    for id in &fixed {
        assert!(
            django_before.contains(id) && !django_after.contains(id),
            "Django agrees {id} is fixed: {django_before:?} -> {django_after:?}"
        );
    }
    assert_eq!(
        django_ids(&after),
        django_after,
        "Preflight and Django agree after the fix"
    );
    assert!(python_parses(
        &dir.path().join("mysite/settings/production.py")
    ));
}
