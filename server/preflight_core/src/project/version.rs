//! The project's Django version, read from its dependency files (lock files first: they say what
//! is installed; then requirement pins and ranges).

use std::path::{Path, PathBuf};

use crate::django_version::DjangoVersion;
use crate::source::SourceLoader;

/// Feature releases whose checks Preflight knows, oldest first.
const KNOWN: &[DjangoVersion] = &[
    DjangoVersion::new(4, 2),
    DjangoVersion::new(5, 0),
    DjangoVersion::new(5, 1),
    DjangoVersion::new(5, 2),
    DjangoVersion::new(6, 0),
    DjangoVersion::new(6, 1),
];

/// Files read, in order of trust.
const LOCK_FILES: &[&str] = &["uv.lock", "poetry.lock", "Pipfile.lock"];
const SPEC_FILES: &[&str] = &["pyproject.toml", "setup.cfg", "setup.py"];

/// The version and the file it was read from.
pub fn detect(root: &Path, loader: &dyn SourceLoader) -> Option<(DjangoVersion, PathBuf)> {
    for name in LOCK_FILES {
        let path = root.join(name);
        if let Some(text) = loader.read(&path) {
            let found = if *name == "Pipfile.lock" {
                pipfile_lock(&text)
            } else {
                toml_lock(&text)
            };
            if let Some(v) = found {
                return Some((v, path));
            }
        }
    }
    for path in requirement_files(root) {
        if let Some(v) = loader.read(&path).and_then(|t| from_requirements(&t)) {
            return Some((v, path));
        }
    }
    for name in SPEC_FILES {
        let path = root.join(name);
        if let Some(v) = loader.read(&path).and_then(|t| from_requirements(&t)) {
            return Some((v, path));
        }
    }
    None
}

/// requirements*.txt in the root and in a requirements/ folder (production ones first).
fn requirement_files(root: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    for dir in [root.to_path_buf(), root.join("requirements")] {
        let Ok(entries) = std::fs::read_dir(&dir) else {
            continue;
        };
        let mut names: Vec<PathBuf> = entries
            .flatten()
            .map(|e| e.path())
            .filter(|p| {
                let name = p.file_name().and_then(|n| n.to_str()).unwrap_or("");
                name.ends_with(".txt") && (dir != root || name.starts_with("requirements"))
            })
            .collect();
        // prod/base files before dev/test ones
        names.sort_by_key(|p| {
            let n = p.to_string_lossy().to_ascii_lowercase();
            (
                n.contains("dev") || n.contains("test") || n.contains("local"),
                n,
            )
        });
        out.extend(names);
    }
    out
}

/// `[[package]] name = "django" version = "5.2.3"` (uv.lock, poetry.lock).
fn toml_lock(text: &str) -> Option<DjangoVersion> {
    let mut in_django = false;
    for line in text.lines() {
        let line = line.trim();
        if line.starts_with("[[package]]") {
            in_django = false;
        } else if let Some(name) = line.strip_prefix("name = ") {
            in_django = name.trim_matches('"').eq_ignore_ascii_case("django");
        } else if in_django && let Some(v) = line.strip_prefix("version = ") {
            return DjangoVersion::parse(v.trim_matches('"'));
        }
    }
    None
}

/// `"django": {"version": "==5.2.3"}` in Pipfile.lock.
fn pipfile_lock(text: &str) -> Option<DjangoVersion> {
    let json: serde_json::Value = serde_json::from_str(text).ok()?;
    let version = json
        .get("default")?
        .get("django")?
        .get("version")?
        .as_str()?;
    DjangoVersion::parse(version.trim_start_matches("=="))
}

/// The first Django requirement in a requirements file, pyproject.toml or setup.cfg:
/// `Django==5.2.3`, `django>=4.2,<6`, `django = "^5.2"`, `"django~=5.2"`.
pub fn from_requirements(text: &str) -> Option<DjangoVersion> {
    for line in text.lines() {
        let line = line.split('#').next().unwrap_or("").trim();
        let lower = line.to_ascii_lowercase();
        let Some(pos) = find_django_token(&lower) else {
            continue;
        };
        let skip = |s: &str| -> String {
            s.trim_start_matches(|c: char| c == '"' || c == '\'' || c.is_whitespace())
                .to_string()
        };
        let mut rest = skip(&line[pos + "django".len()..]);
        // extras: django[argon2]>=5
        if rest.starts_with('[') {
            rest = rest
                .split_once(']')
                .map_or(String::new(), |(_, after)| after.to_string());
        }
        // `django = "^5.2"` (TOML) but not `django==5.2`
        if rest.starts_with('=') && !rest.starts_with("==") {
            rest = skip(&rest[1..]);
        }
        if let Some(v) = version_from_spec(rest.trim()) {
            return Some(v);
        }
    }
    None
}

/// The position of a `django` that is a whole package name (not `django-environ`).
fn find_django_token(lower: &str) -> Option<usize> {
    let mut start = 0;
    while let Some(i) = lower[start..].find("django") {
        let at = start + i;
        let before = lower[..at].chars().last();
        let after = lower[at + 6..].chars().next();
        let boundary_before =
            before.is_none_or(|c| !(c.is_alphanumeric() || c == '-' || c == '_' || c == '.'));
        let boundary_after =
            after.is_none_or(|c| !(c.is_alphanumeric() || c == '-' || c == '_' || c == '.'));
        if boundary_before && boundary_after {
            return Some(at);
        }
        start = at + 6;
    }
    None
}

/// The newest known release that satisfies a version specifier (`==5.2.3`, `>=4.2,<6`, `^5.2`,
/// `~=5.2`, `5.2.*`); an exact pin of an unknown release is taken as it is.
fn version_from_spec(spec: &str) -> Option<DjangoVersion> {
    let spec: String = spec
        .chars()
        .take_while(|c| !matches!(c, '"' | '\'' | ';' | ' ' | '\t'))
        .collect();
    if spec.is_empty() {
        return None;
    }
    let clauses: Vec<(&str, DjangoVersion, bool)> = spec
        .split(',')
        .filter_map(|clause| {
            let clause = clause.trim();
            let op_len = clause.find(|c: char| c.is_ascii_digit())?;
            let (op, version) = clause.split_at(op_len);
            let wildcard = version.ends_with(".*");
            Some((
                op.trim(),
                DjangoVersion::parse(version.trim_end_matches(".*"))?,
                wildcard,
            ))
        })
        .collect();
    if clauses.is_empty() {
        return None;
    }
    let satisfied = |v: DjangoVersion| {
        clauses.iter().all(|(op, bound, _)| match *op {
            "==" | "===" | "" => v == *bound,
            ">=" => v >= *bound,
            // feature releases only: `>5.2.3` still allows 5.2
            ">" => v >= *bound,
            "<" => v < *bound,
            "<=" => v <= *bound,
            "!=" => v != *bound,
            "~=" | "~" | "^" => v >= *bound && v.major == bound.major,
            _ => false,
        })
    };
    KNOWN
        .iter()
        .rev()
        .copied()
        .find(|v| satisfied(*v))
        .or_else(|| {
            clauses
                .iter()
                .find(|(op, ..)| matches!(*op, "==" | "==="))
                .map(|c| c.1)
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_pins_and_ranges() {
        let v = |s: &str| from_requirements(s);
        assert_eq!(v("Django==5.2.3\n"), Some(DjangoVersion::V5_2));
        assert_eq!(v("django>=4.2,<6\n"), Some(DjangoVersion::V5_2));
        assert_eq!(v("django>=4.2\n"), Some(DjangoVersion::V6_1));
        assert_eq!(
            v("django-environ==0.11\nDjango~=4.2.0\n"),
            Some(DjangoVersion::V4_2)
        );
        assert_eq!(
            v("[tool.poetry.dependencies]\ndjango = \"^5.1\"\n"),
            Some(DjangoVersion::V5_2)
        );
        assert_eq!(
            v("dependencies = [\n  \"django[argon2]==6.0.1\",\n]\n"),
            Some(DjangoVersion::V6_0)
        );
        assert_eq!(v("django==5.2.*\n"), Some(DjangoVersion::V5_2));
        assert_eq!(v("djangorestframework==3.15\n"), None);
    }

    #[test]
    fn reads_lock_files() {
        let uv = "[[package]]\nname = \"asgiref\"\nversion = \"3.8.1\"\n\n[[package]]\nname = \"django\"\nversion = \"5.2.3\"\n";
        assert_eq!(toml_lock(uv), Some(DjangoVersion::V5_2));
        let pipfile = r#"{"default": {"django": {"version": "==4.2.11"}}}"#;
        assert_eq!(pipfile_lock(pipfile), Some(DjangoVersion::V4_2));
    }
}
