//! nginx quick-fixes, judged by the real nginx. For every nginx config under tests/fixtures/nginx
//! and tests/example/deploy/nginx, each finding's fix is applied (alone) to a copy: `nginx -t`
//! must still accept the file when it accepted the original, and Preflight must no longer
//! report that code at that spot. The fixtures themselves must pass `nginx -t`, except the
//! ones tests/fixtures/nginx/nginx-t-skip.txt lists with a reason.
//!
//! `nginx -t` runs on a copy whose certificate, log and pid paths point at throwaway files
//! (see nginx_oracle); skipped with a notice where no nginx or openssl is installed.

mod fs_support;
mod nginx_oracle;

use std::path::{Path, PathBuf};

use nginx_oracle::*;

/// Folders whose nginx configs are checked, each copied whole for a re-check so that Preflight
/// sees the fixed file in the same surroundings (a Django project, a gunicorn config).
fn roots() -> Vec<PathBuf> {
    vec![fixtures_root(), repo_root().join("tests/example")]
}

fn read(path: &Path) -> String {
    std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// What checking one file's fixes found.
#[derive(Default)]
struct Report {
    fixes: usize,
    failures: Vec<String>,
    notices: Vec<String>,
}

fn check_fixes(oracle: &NginxOracle, root: &Path, file: &Path) -> Report {
    let mut report = Report::default();
    let text = read(file);
    let name = display(file);
    let original = oracle.test(&text, file);
    if let Err(e) = &original {
        report.notices.push(format!(
            "{name}: nginx -t rejects the original, so its fixes are not judged by nginx: {e}"
        ));
    }
    for finding in preflight_check(file) {
        let Some((title, edits)) = &finding.fix else {
            continue;
        };
        report.fixes += 1;
        let label = format!(
            "{name}:{}:{} {} (fix \"{title}\")",
            finding.line, finding.column, finding.code
        );
        let fixed = match apply_edits(&text, edits) {
            Ok(fixed) => fixed,
            Err(e) => {
                report
                    .failures
                    .push(format!("{label}: the edits do not apply: {e}"));
                continue;
            }
        };
        match (&original, oracle.test(&fixed, file)) {
            (Ok(()), Err(e)) => report.failures.push(format!(
                "{label}: nginx -t rejects the fixed file: {e}\n--- fixed file ---\n{fixed}---"
            )),
            (Err(_), Ok(())) => report
                .notices
                .push(format!("{label}: the fix makes nginx -t accept the file")),
            _ => {}
        }

        // the same code must be gone from the same (moved) spot when Preflight re-checks
        let spot = map_position(&text, edits, finding.line, finding.column).unwrap();
        let copy = tempfile::tempdir().unwrap();
        let copied_root = copy.path().join(root.file_name().unwrap());
        fs_support::copy_tree(root, &copied_root);
        let fixed_path = copied_root.join(file.strip_prefix(root).unwrap());
        std::fs::write(&fixed_path, &fixed).unwrap();
        let fixed_path = std::fs::canonicalize(&fixed_path).unwrap();
        let after = preflight_check(&fixed_path);
        if let Some(still) = after
            .iter()
            .find(|f| f.path == fixed_path && f.code == finding.code && (f.line, f.column) == spot)
        {
            report.failures.push(format!(
                "{label}: still reported after the fix, at {}:{}: {}\n--- fixed file ---\n{fixed}---",
                spot.0, spot.1, still.message
            ));
        }
    }
    report
}

/// Each fix is applied to a copy; nginx -t and a Preflight re-check judge the result.
#[test]
fn every_fix_keeps_nginx_accepting_the_file_and_clears_its_finding() {
    let Some(oracle) = NginxOracle::new() else {
        return;
    };
    let files: Vec<(PathBuf, PathBuf)> = roots()
        .into_iter()
        .flat_map(|root| {
            nginx_files(&root)
                .into_iter()
                .map(move |file| (root.clone(), file))
        })
        .collect();
    assert!(files.len() > 30, "nginx configs to check: {files:?}");
    let reports = parallel_map(&files, |(root, file)| check_fixes(&oracle, root, file));
    let mut failures = Vec::new();
    for report in &reports {
        for notice in &report.notices {
            eprintln!("NOTICE: {notice}");
        }
        failures.extend(report.failures.iter().cloned());
    }
    let fixes: usize = reports.iter().map(|r| r.fixes).sum();
    eprintln!(
        "checked {fixes} fixes in {} nginx configs with nginx -t",
        files.len()
    );
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
}

/// The fixtures are configs nginx loads, unless nginx-t-skip.txt says why not.
#[test]
fn nginx_accepts_every_fixture_except_the_listed_ones() {
    let Some(oracle) = NginxOracle::new() else {
        return;
    };
    let skip = nginx_skip_list();
    let files = nginx_files(&fixtures_root());
    for (path, _) in &skip {
        assert!(
            files.contains(path),
            "nginx-t-skip.txt names a fixture that does not exist: {}",
            path.display()
        );
    }
    let results = parallel_map(&files, |file| oracle.test(&read(file), file));
    let mut rejected = Vec::new();
    for (file, result) in files.iter().zip(results) {
        let listed = skip.iter().find(|(path, _)| path == file);
        match (listed, result) {
            (Some((_, reason)), Ok(())) => eprintln!(
                "NOTICE: {} is accepted by nginx -t here, though skipped ({reason})",
                display(file)
            ),
            (Some(_), Err(_)) => {}
            (None, Err(e)) => rejected.push(format!("{}: {e}", display(file))),
            (None, Ok(())) => {}
        }
    }
    assert!(
        rejected.is_empty(),
        "nginx -t rejects these fixtures (fix them, or list them in nginx-t-skip.txt with the reason):\n{}",
        rejected.join("\n")
    );
}

/// The harness's own nginx check is not vacuous: it rejects what nginx cannot read, accepts a
/// TLS site whose certificates only exist on a server, and judges a site file inside `http {}`.
#[test]
fn the_nginx_oracle_rejects_broken_configs_and_accepts_tls_sites() {
    let Some(oracle) = NginxOracle::new() else {
        return;
    };
    let origin = fixtures_root().join("sites-available/example.conf");
    let tls = "server {\n    listen 443 ssl;\n    server_name a.example.com;\n    ssl_certificate /etc/letsencrypt/live/a/fullchain.pem;\n    ssl_certificate_key \"/etc/letsencrypt/live/a/privkey.pem\";\n    ssl_dhparam /etc/nginx/dhparam.pem;\n    access_log /var/log/nginx/a.access.log combined;\n    location / { proxy_pass http://unix:/run/gunicorn.sock; }\n}\n";
    assert_eq!(oracle.test(tls, &origin), Ok(()));
    let main = format!(
        "pid /run/nginx.pid;\nerror_log /var/log/nginx/error.log;\nevents {{}}\nhttp {{\n{tls}}}\n"
    );
    assert_eq!(oracle.test(&main, &origin), Ok(()));
    let unquoted = "server {\n    location ~ ^/\\d{1,3}$ { return 404; }\n}\n";
    let err = oracle.test(unquoted, &origin).unwrap_err();
    assert!(err.contains("emerg"), "{err}");
    // a main config is tested as it is, a site file inside `http {}`
    assert_eq!(oracle.test("events {}\n", &origin), Ok(()));
    assert_eq!(oracle.test("server { listen 8080; }\n", &origin), Ok(()));
    assert!(
        oracle
            .test("events {}\nserver { listen 8080; }\n", &origin)
            .is_err()
    );
}

/// The edit applier counts columns in Unicode characters, 1-based, the end exclusive.
#[test]
fn fix_edits_apply_in_unicode_characters() {
    let text = "# café ☕\nserver {\n    location ~ ^/\\d{1,3}$ {\n    }\n}\n";
    let quote = Edit {
        line: 3,
        column: 16,
        end_line: 3,
        end_column: 26,
        new_text: "\"^/\\d{1,3}$\"".into(),
    };
    let insert_after_comment = Edit {
        line: 1,
        column: 9,
        end_line: 1,
        end_column: 9,
        new_text: " (menu)".into(),
    };
    let fixed = apply_edits(text, &[quote.clone(), insert_after_comment.clone()]).unwrap();
    assert_eq!(
        fixed,
        "# café ☕ (menu)\nserver {\n    location ~ \"^/\\d{1,3}$\" {\n    }\n}\n"
    );
    // a position after an edit on its line moves with it; one inside a replacement goes to its start
    assert_eq!(
        map_position(text, std::slice::from_ref(&insert_after_comment), 1, 9),
        Ok((1, 16))
    );
    assert_eq!(
        map_position(text, std::slice::from_ref(&quote), 3, 20),
        Ok((3, 16))
    );
    assert_eq!(
        map_position(text, std::slice::from_ref(&quote), 3, 28),
        Ok((3, 30))
    );
    let join_lines = Edit {
        line: 1,
        column: 9,
        end_line: 2,
        end_column: 1,
        new_text: " ".into(),
    };
    assert_eq!(map_position(text, &[join_lines], 3, 5), Ok((2, 5)));
    // positions past a line's end, and overlapping edits, are errors
    let past = Edit {
        line: 1,
        column: 10,
        end_line: 1,
        end_column: 10,
        new_text: String::new(),
    };
    assert!(apply_edits(text, &[past]).is_err());
    let overlapping = Edit {
        line: 3,
        column: 20,
        end_line: 3,
        end_column: 27,
        new_text: String::new(),
    };
    assert!(apply_edits(text, &[quote, overlapping]).is_err());
}
