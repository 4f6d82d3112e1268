//! The default text output: ruff-style lines, the source line with a caret underline, a summary.

mod cli_support;
use cli_support::*;

#[test]
fn findings_are_printed_with_their_source_line_and_a_summary() {
    let dir = project(&[("mysite/settings.py", INSECURE_SETTINGS.as_bytes())]);
    let (_, findings) = check_json(&[], dir.path());
    let out = preflight(&["check"], dir.path());
    assert_eq!(out.status.code(), Some(1));
    let text = stdout(&out);
    let lines: Vec<&str> = text.lines().collect();
    let source: Vec<&str> = INSECURE_SETTINGS.lines().collect();
    for f in &findings {
        let header = format!(
            "mysite/settings.py:{}:{}: {} {}",
            f["line"],
            f["column"],
            f["code"].as_str().unwrap(),
            f["message"].as_str().unwrap()
        );
        let at = lines
            .iter()
            .position(|l| *l == header)
            .unwrap_or_else(|| panic!("no line {header:?} in:\n{text}"));
        let line_no = f["line"].as_u64().unwrap() as usize;
        // `  |`, `N | source`, `  | ^^^`; a line holding a secret is shown masked: the same
        // characters, each secret one replaced by `*` (columns kept for the carets)
        let shown = lines[at + 2]
            .strip_prefix(&format!("{line_no} | "))
            .unwrap_or_else(|| panic!("no source line after {header:?}: {text}"));
        let original = source[line_no - 1];
        assert_eq!(shown.chars().count(), original.chars().count(), "{text}");
        assert!(
            shown
                .chars()
                .zip(original.chars())
                .all(|(s, o)| s == o || s == '*'),
            "{shown:?} is not {original:?} (masked): {text}"
        );
        let caret_line = lines[at + 3];
        let carets =
            caret_line.find('^').expect("a caret underline") - caret_line.find('|').unwrap() - 2;
        assert_eq!(
            carets + 1,
            f["column"].as_u64().unwrap() as usize,
            "the carets start at the column: {text}"
        );
    }
    // the committed SECRET_KEY's value is not printed, the rest of its line is
    assert!(!text.contains("django-insecure-short"), "{text}");
    assert!(
        text.contains("SECRET_KEY = \"*********************\""),
        "{text}"
    );
    let fixable = findings.iter().filter(|f| !f["fix"].is_null()).count();
    let summary = *lines.last().unwrap();
    assert!(
        summary.starts_with(&format!("Found {} problems (", findings.len())),
        "{summary}"
    );
    let n: usize = summary
        .split('(')
        .nth(1)
        .unwrap()
        .split(' ')
        .next()
        .unwrap()
        .parse()
        .unwrap();
    assert!(
        n <= fixable && summary.ends_with("fixable with --fix)"),
        "{summary}"
    );
}

#[test]
fn a_clean_run_says_so() {
    let dir = project(&[("utils.py", PLAIN_PYTHON.as_bytes())]);
    let out = preflight(&["check"], dir.path());
    assert_eq!(stdout(&out), "All checks passed!\n");
}

#[test]
fn a_file_that_does_not_parse_is_reported_not_a_crash() {
    let dir = project(&[("mysite/settings.py", b"DEBUG = (\nSECRET_KEY = 'x'\n")]);
    let (code, findings) = check_json(&[], dir.path());
    assert_eq!(code, Some(1));
    assert_eq!(findings.len(), 1, "{findings:#?}");
    assert_eq!(findings[0]["code"], "DJ000");
}
