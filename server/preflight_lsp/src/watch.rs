//! Server-side watching, for clients that cannot register file watchers (Neovim on Linux):
//! the files the open documents' results depend on and the projects' configuration files are
//! polled (a bounded set of `stat` calls), and a change re-analyses the open documents.

use std::collections::HashMap;
use std::path::PathBuf;
use std::time::{Duration, SystemTime};

/// How often the files are polled.
pub const POLL_INTERVAL: Duration = Duration::from_secs(1);

/// What identifies a version of a file on disk: its modification time and size, or absence.
pub type Stamp = Option<(SystemTime, u64)>;

pub fn stamp(path: &PathBuf) -> Stamp {
    let meta = std::fs::metadata(path).ok()?;
    Some((meta.modified().ok()?, meta.len()))
}

/// The stamps of `paths` now.
pub fn stamps(paths: impl IntoIterator<Item = PathBuf>) -> HashMap<PathBuf, Stamp> {
    paths
        .into_iter()
        .map(|p| {
            let s = stamp(&p);
            (p, s)
        })
        .collect()
}

/// Whether a file seen before changed (files seen for the first time are not changes).
pub fn changed(before: &HashMap<PathBuf, Stamp>, now: &HashMap<PathBuf, Stamp>) -> bool {
    now.iter()
        .any(|(path, stamp)| before.get(path).is_some_and(|old| old != stamp))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_new_modified_or_deleted_file_is_a_change_a_first_sighting_is_not() {
        let dir = std::env::temp_dir().join(format!("preflight-watch-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let file = dir.join("preflight.toml");
        let _ = std::fs::remove_file(&file);
        let first = stamps([file.clone()]);
        assert!(!changed(&HashMap::new(), &first));
        std::fs::write(&file, "ignore = []\n").unwrap();
        let created = stamps([file.clone()]);
        assert!(changed(&first, &created));
        std::fs::write(&file, "ignore = [\"DJ018\"]\n").unwrap();
        assert!(changed(&created, &stamps([file.clone()])));
        std::fs::remove_dir_all(&dir).unwrap();
        assert!(changed(&created, &stamps([file])));
    }
}
