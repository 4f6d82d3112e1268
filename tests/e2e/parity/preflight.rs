//! Preflight, as users run it: the built binary, `check --format json`, one settings module.

use std::collections::BTreeSet;
use std::path::Path;
use std::process::Command;

use serde_json::Value;

/// The Django ids Preflight reports for one settings module, or why it could not say.
pub fn django_ids(module_file: &Path, version: &str) -> Result<BTreeSet<String>, String> {
    let output = Command::new(env!("CARGO_BIN_EXE_preflight"))
        .args(["check", "--format", "json", "--django-version", version])
        .arg(module_file)
        .output()
        .map_err(|e| format!("cannot run preflight: {e}"))?;
    if !matches!(output.status.code(), Some(0 | 1)) {
        return Err(format!(
            "preflight exited with {:?}: {}",
            output.status.code(),
            String::from_utf8_lossy(&output.stderr).trim()
        ));
    }
    let findings: Vec<Value> = serde_json::from_slice(&output.stdout)
        .map_err(|e| format!("preflight printed invalid JSON: {e}"))?;
    Ok(findings
        .iter()
        .filter_map(|f| f.pointer("/references/django").and_then(Value::as_str))
        .map(String::from)
        .collect())
}
