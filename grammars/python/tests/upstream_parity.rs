//! The vendored grammar gives the same trees as upstream tree-sitter-python 0.25.
//!
//! Each file is parsed by both and the trees are compared node by node: kind, named or not,
//! field name, byte range, ERROR and MISSING. Always on the repository's own Python files
//! (`tests/`, `scripts/`) and on `tests/corpus/keywords.py` (keywords, soft keywords and names
//! that contain keywords); by hand on any directories listed in `PYTHON_CORPUS` (separated by
//! `:`), e.g. Django and the standard library (README.md); with `PYTHON_CORPUS_BROKEN` set, also on
//! broken versions of those files, where the trees may differ (README.md says how): counted and
//! printed, not asserted.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use tree_sitter::{Parser, Tree};

fn parsers() -> (Parser, Parser) {
    let mut upstream = Parser::new();
    upstream
        .set_language(&tree_sitter_python::LANGUAGE.into())
        .expect("upstream grammar");
    let mut vendored = Parser::new();
    vendored
        .set_language(&tree_sitter_python_preflight::LANGUAGE.into())
        .expect("vendored grammar");
    (upstream, vendored)
}

/// One line per node, in document order: depth, field, kind, range, flags.
fn dump(tree: &Tree) -> Vec<String> {
    let mut lines = Vec::new();
    let mut cursor = tree.walk();
    let mut depth = 0usize;
    loop {
        let node = cursor.node();
        let mut line = String::new();
        let _ = write!(
            line,
            "{:indent$}{}{}{} {}..{}{}{}",
            "",
            cursor
                .field_name()
                .map(|f| format!("{f}: "))
                .unwrap_or_default(),
            if node.is_named() { "" } else { "\"" },
            node.kind(),
            node.start_byte(),
            node.end_byte(),
            if node.is_missing() { " MISSING" } else { "" },
            if node.is_extra() { " extra" } else { "" },
            indent = depth * 2,
        );
        lines.push(line);
        if cursor.goto_first_child() {
            depth += 1;
            continue;
        }
        loop {
            if cursor.goto_next_sibling() {
                break;
            }
            if !cursor.goto_parent() {
                return lines;
            }
            depth -= 1;
        }
    }
}

/// The first difference between the two trees of `source`, with a few lines of context.
fn difference(upstream: &mut Parser, vendored: &mut Parser, source: &[u8]) -> Option<String> {
    let a = dump(&upstream.parse(source, None).expect("upstream parse"));
    let b = dump(&vendored.parse(source, None).expect("vendored parse"));
    if a == b {
        return None;
    }
    let first = a
        .iter()
        .zip(&b)
        .position(|(x, y)| x != y)
        .unwrap_or(a.len().min(b.len()));
    let context =
        |lines: &[String]| lines[first.saturating_sub(8)..(first + 4).min(lines.len())].join("\n");
    Some(format!(
        "upstream:\n{}\nvendored:\n{}",
        context(&a),
        context(&b)
    ))
}

fn python_files(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    let mut entries: Vec<_> = entries.filter_map(|e| e.ok()).collect();
    entries.sort_by_key(|e| e.path());
    for entry in entries {
        let path = entry.path();
        // `file_type` does not follow symlinks: the repository's `.oracle` is not walked
        let Ok(kind) = entry.file_type() else {
            continue;
        };
        if kind.is_dir() {
            python_files(&path, out);
        } else if kind.is_file() && path.extension().is_some_and(|e| e == "py") {
            out.push(path);
        }
    }
}

/// Compares every file, prints each difference, returns (files, differing files). Also counts
/// the files whose tree has an error, the part where the two lexers could disagree most.
fn compare(files: &[PathBuf]) -> (usize, Vec<PathBuf>) {
    let (mut upstream, mut vendored) = parsers();
    let mut differing = Vec::new();
    let mut with_errors = 0;
    for path in files {
        let source = std::fs::read(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        if let Some(diff) = difference(&mut upstream, &mut vendored, &source) {
            println!("== {}\n{diff}\n", path.display());
            differing.push(path.clone());
        }
        if vendored
            .parse(&source, None)
            .expect("parse")
            .root_node()
            .has_error()
        {
            with_errors += 1;
        }
    }
    println!(
        "{} files, {with_errors} of them with a syntax error",
        files.len()
    );
    (files.len(), differing)
}

/// Bytes under outermost ERROR nodes (an ERROR root counts its children that are not errors
/// as recovered).
fn error_bytes(tree: &Tree) -> usize {
    fn walk(node: tree_sitter::Node) -> usize {
        if node.is_error() && node.parent().is_some() {
            return node.byte_range().len();
        }
        let mut cursor = node.walk();
        node.children(&mut cursor).map(walk).sum()
    }
    walk(tree.root_node())
}

/// Broken versions of `source`, as met while typing: cut at three places, and with one
/// character deleted at three places (on character boundaries).
fn broken_versions(source: &[u8]) -> Vec<Vec<u8>> {
    let mut versions = Vec::new();
    for k in 1..=3 {
        let mut at = source.len() * k / 4;
        while at > 0 && at < source.len() && (source[at] & 0xC0) == 0x80 {
            at -= 1;
        }
        versions.push(source[..at].to_vec());
        let mut end = at + 1;
        while end < source.len() && (source[end] & 0xC0) == 0x80 {
            end += 1;
        }
        if end <= source.len() {
            versions.push([&source[..at], &source[end..]].concat());
        }
    }
    versions
}

#[test]
fn repository_python_files_and_keyword_corpus() {
    let manifest = Path::new(env!("CARGO_MANIFEST_DIR"));
    let root = manifest.join("../..");
    let mut files = Vec::new();
    for dir in ["tests", "scripts"] {
        python_files(&root.join(dir), &mut files);
    }
    python_files(&manifest.join("tests/corpus"), &mut files);
    assert!(files.len() > 50, "found only {} Python files", files.len());
    let (count, differing) = compare(&files);
    assert!(
        differing.is_empty(),
        "{} of {count} files differ: {differing:?}",
        differing.len()
    );
}

#[test]
fn corpus_from_environment() {
    let Some(dirs) = std::env::var_os("PYTHON_CORPUS") else {
        eprintln!("PYTHON_CORPUS is not set: nothing to compare");
        return;
    };
    let mut files = Vec::new();
    for dir in std::env::split_paths(&dirs) {
        python_files(&dir, &mut files);
    }
    let (count, differing) = compare(&files);
    println!("{count} files compared, {} differ", differing.len());
    for path in &differing {
        println!("  {}", path.display());
    }
    if std::env::var_os("PYTHON_CORPUS_BROKEN").is_some() {
        let (mut upstream, mut vendored) = parsers();
        let (mut versions, mut with_errors, mut broken_differing) = (0, 0, 0);
        // over the differing versions: bytes under ERROR nodes (upstream, vendored), and in how
        // many the vendored tree has fewer or more of them
        let (mut error_totals, mut fewer, mut more) = ((0, 0), 0, 0);
        for path in &files {
            let source = std::fs::read(path).expect("read");
            for (i, version) in broken_versions(&source).iter().enumerate() {
                versions += 1;
                if upstream
                    .parse(version, None)
                    .expect("parse")
                    .root_node()
                    .has_error()
                {
                    with_errors += 1;
                }
                if let Some(diff) = difference(&mut upstream, &mut vendored, version) {
                    println!("== broken version {i} of {}\n{diff}\n", path.display());
                    broken_differing += 1;
                    let a = error_bytes(&upstream.parse(version, None).expect("parse"));
                    let b = error_bytes(&vendored.parse(version, None).expect("parse"));
                    error_totals.0 += a;
                    error_totals.1 += b;
                    match b.cmp(&a) {
                        std::cmp::Ordering::Less => fewer += 1,
                        std::cmp::Ordering::Greater => more += 1,
                        std::cmp::Ordering::Equal => {}
                    }
                }
            }
        }
        println!(
            "broken versions: {versions} compared, {with_errors} with a syntax error, \
             {broken_differing} differ; in those, bytes under ERROR: upstream {}, vendored {}; \
             vendored fewer in {fewer}, more in {more}",
            error_totals.0, error_totals.1
        );
    }
    assert!(
        differing.is_empty(),
        "{} of {count} files differ",
        differing.len()
    );
}
