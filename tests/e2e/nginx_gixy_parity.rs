//! gixy-ng parity. tests/fixtures/nginx/gixy holds one small config per scenario of each
//! gixy-ng 0.2.59 plugin (`<plugin>-bad*.conf` trigger it, `<plugin>-good*.conf` must not; site
//! files under `sites/`). On each of them, and on the example deployment's nginx config, every
//! finding of the real gixy-ng must have a Preflight finding in the same file whose
//! `references.gixy` names the plugin. gixy is the oracle: it also checks the fixtures
//! themselves (bad ones trigger their plugin, good ones do not).
//!
//! Needs the gixy venv from tests/oracle/setup.sh (skipped with a notice without it).

mod nginx_oracle;

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use nginx_oracle::*;

/// Plugins the fixtures leave out: nginx_cves needs a database of nginx versions.
const UNCOVERED_PLUGINS: &[&str] = &["nginx_cves"];

/// What both tools report on one config.
struct Outcome {
    file: PathBuf,
    gixy: Vec<GixyFinding>,
    preflight: Vec<PreflightFinding>,
}

fn gixy_fixtures() -> Vec<PathBuf> {
    let files = nginx_files(&fixtures_root().join("gixy"));
    assert!(files.len() > 30, "the gixy fixtures are missing: {files:?}");
    files
}

/// Every config compared: the fixtures and the example deployment's nginx configs.
fn compared_files() -> Vec<PathBuf> {
    let mut files = gixy_fixtures();
    files.extend(nginx_files(&repo_root().join("tests/example/deploy/nginx")));
    files
}

/// Both tools on every compared config, once per test run (`None` without gixy).
fn outcomes() -> Option<&'static [Outcome]> {
    static OUTCOMES: OnceLock<Option<Vec<Outcome>>> = OnceLock::new();
    OUTCOMES
        .get_or_init(|| {
            let Some(gixy) = gixy() else {
                eprintln!(
                    "NOTICE: gixy-ng is missing (.oracle/gixy; run tests/oracle/setup.sh); skipping the gixy parity tests"
                );
                return None;
            };
            let files = compared_files();
            // a few gixy processes, each auditing a share of the files
            let shares: Vec<&[PathBuf]> = files
                .chunks(files.len().div_ceil(threads()))
                .collect();
            let gixy_findings = parallel_map(&shares, |share| {
                run_gixy_on_all(&gixy, share).unwrap_or_else(|e| panic!("gixy on {share:?}: {e}"))
            });
            let preflight_findings = parallel_map(&files, |file| preflight_check(file));
            let outcomes = files
                .into_iter()
                .zip(gixy_findings.into_iter().flatten())
                .zip(preflight_findings)
                .map(|((file, gixy), preflight)| Outcome {
                    file,
                    gixy,
                    preflight,
                })
                .collect();
            Some(outcomes)
        })
        .as_deref()
}

/// `<plugin>-bad.conf`, `<plugin>-good-2.conf`: the plugin and whether it must trigger.
fn plugin_of(fixture: &Path) -> (String, bool) {
    let stem = fixture.file_stem().unwrap().to_str().unwrap();
    let parsed = stem.split_once('-').and_then(|(plugin, rest)| {
        let (kind, number) = rest.split_once('-').unwrap_or((rest, "1"));
        let numbered = number.parse::<u32>().is_ok();
        match kind {
            "bad" if numbered => Some((plugin.to_owned(), true)),
            "good" if numbered => Some((plugin.to_owned(), false)),
            _ => None,
        }
    });
    parsed.unwrap_or_else(|| {
        panic!(
            "{}: fixtures are named <plugin>-bad[-N].conf or <plugin>-good[-N].conf",
            display(fixture)
        )
    })
}

/// The plugins of the installed gixy-ng (one module each under gixy/plugins).
fn installed_plugins() -> BTreeSet<String> {
    let lib = repo_root().join(".oracle/gixy/lib");
    let python = std::fs::read_dir(&lib)
        .unwrap()
        .map(|e| e.unwrap().path())
        .find(|p| {
            p.file_name()
                .unwrap()
                .to_string_lossy()
                .starts_with("python3")
        })
        .expect("the gixy venv has a python3.* lib folder");
    let plugins = python.join("site-packages/gixy/plugins");
    std::fs::read_dir(&plugins)
        .unwrap()
        .filter_map(|e| {
            let name = e.unwrap().file_name().to_string_lossy().into_owned();
            let module = name.strip_suffix(".py")?;
            (!module.starts_with('_') && module != "plugin").then(|| module.to_owned())
        })
        .collect()
}

/// Rows as an aligned text table.
fn table(header: &[&str], rows: &[Vec<String>]) -> String {
    let mut widths: Vec<usize> = header.iter().map(|h| h.len()).collect();
    for row in rows {
        for (w, cell) in widths.iter_mut().zip(row) {
            *w = (*w).max(cell.chars().count());
        }
    }
    let line = |cells: Vec<String>| {
        let padded: Vec<String> = cells
            .iter()
            .zip(&widths)
            .map(|(c, w)| format!("{c:<w$}"))
            .collect();
        padded.join(" | ").trim_end().to_owned()
    };
    let mut out = vec![line(header.iter().map(|h| h.to_string()).collect())];
    out.push(
        widths
            .iter()
            .map(|w| "-".repeat(*w))
            .collect::<Vec<_>>()
            .join("-|-"),
    );
    out.extend(rows.iter().cloned().map(line));
    out.join("\n")
}

fn why(finding: &GixyFinding) -> String {
    let text = if finding.reason.is_empty() {
        &finding.summary
    } else {
        &finding.reason
    };
    let mut short: String = text.chars().take(110).collect();
    if short.len() < text.len() {
        short.push('…');
    }
    short
}

fn line_of(finding: &GixyFinding) -> String {
    finding.line.map_or("-".into(), |l| l.to_string())
}

/// The fixtures are right for the oracle: gixy parses each, reports each bad fixture's plugin
/// and not a good fixture's, attributes every finding to the fixture itself (site files are
/// read through a wrapper), and every plugin of the installed gixy-ng has both kinds.
#[test]
fn gixy_reports_each_plugin_on_its_bad_fixtures_and_not_on_its_good_ones() {
    let Some(outcomes) = outcomes() else { return };
    let fixtures = gixy_fixtures();
    let unparsed = gixy_parse_errors(&gixy().unwrap(), &fixtures);
    assert!(
        unparsed.is_empty(),
        "gixy cannot read these fixtures (it would silently audit nothing): {unparsed:#?}"
    );

    let mut problems = Vec::new();
    let mut kinds: BTreeMap<String, (usize, usize)> = BTreeMap::new();
    let mut rows = Vec::new();
    for outcome in outcomes.iter().filter(|o| fixtures.contains(&o.file)) {
        let (plugin, bad) = plugin_of(&outcome.file);
        let counts = kinds.entry(plugin.clone()).or_default();
        if bad {
            counts.0 += 1
        } else {
            counts.1 += 1
        }
        let reported = outcome.gixy.iter().any(|g| g.plugin == plugin);
        match (bad, reported) {
            (true, false) => problems.push(format!(
                "{}: gixy does not report {plugin} on this bad fixture",
                display(&outcome.file)
            )),
            (false, true) => problems.push(format!(
                "{}: gixy reports {plugin} on this good fixture",
                display(&outcome.file)
            )),
            _ => {}
        }
        for g in &outcome.gixy {
            if g.file != outcome.file || g.line.is_none() {
                problems.push(format!(
                    "{}: a {} finding is not on a line of the fixture ({}:{})",
                    display(&outcome.file),
                    g.plugin,
                    g.file.display(),
                    line_of(g)
                ));
            }
            rows.push(vec![
                display(&outcome.file),
                g.plugin.clone(),
                line_of(g),
                g.severity.clone(),
            ]);
        }
    }
    eprintln!(
        "gixy-ng on the fixtures:\n{}",
        table(&["fixture", "plugin", "line", "severity"], &rows)
    );

    let installed = installed_plugins();
    for plugin in &installed {
        if UNCOVERED_PLUGINS.contains(&plugin.as_str()) {
            continue;
        }
        match kinds.get(plugin) {
            Some((bad, good)) if *bad > 0 && *good > 0 => {}
            _ => problems.push(format!(
                "{plugin}: no {plugin}-bad.conf and {plugin}-good.conf fixtures"
            )),
        }
    }
    for plugin in kinds.keys() {
        if !installed.contains(plugin) {
            problems.push(format!("{plugin}: gixy-ng has no such plugin"));
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

/// The parity itself: every gixy-ng finding has a Preflight finding in the same file that
/// mirrors the plugin (`references.gixy`).
#[test]
fn preflight_reports_every_gixy_finding() {
    let Some(outcomes) = outcomes() else { return };
    let mut misses = Vec::new();
    let mut elsewhere = Vec::new();
    let mut unmatched = Vec::new();
    for outcome in outcomes {
        for g in &outcome.gixy {
            let candidates: Vec<&PreflightFinding> = outcome
                .preflight
                .iter()
                .filter(|p| p.path == outcome.file && p.gixy.as_deref() == Some(&g.plugin))
                .collect();
            if candidates.is_empty() {
                misses.push(vec![
                    g.plugin.clone(),
                    display(&outcome.file),
                    line_of(g),
                    why(g),
                ]);
            } else if let Some(line) = g.line
                && !candidates
                    .iter()
                    .any(|p| p.line <= line && line <= p.end_line)
            {
                elsewhere.push(format!(
                    "{}:{line}: gixy's {} finding is reported by Preflight on other lines",
                    display(&outcome.file),
                    g.plugin
                ));
            }
        }
        let reported: BTreeSet<&str> = outcome.gixy.iter().map(|g| g.plugin.as_str()).collect();
        for p in &outcome.preflight {
            if let Some(plugin) = &p.gixy
                && !reported.contains(plugin.as_str())
            {
                unmatched.push(format!(
                    "{}:{}:{}: {} mirrors {plugin}, which gixy-ng does not report here",
                    display(&p.path),
                    p.line,
                    p.column,
                    p.code
                ));
            }
        }
    }
    for notice in elsewhere.iter().chain(&unmatched) {
        eprintln!("NOTICE: {notice}");
    }
    misses.sort();
    let total: usize = outcomes.iter().map(|o| o.gixy.len()).sum();
    assert!(
        misses.is_empty(),
        "Preflight misses {} of gixy-ng's {total} findings (no finding with that references.gixy in the file):\n{}",
        misses.len(),
        table(&["plugin", "fixture", "line", "gixy's reason"], &misses)
    );
}
