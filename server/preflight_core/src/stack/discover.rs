//! Which files of a project are its nginx configs: a bounded walk of the project root (a huge
//! tree must not stall the server), by path (`nginx::is_nginx_path`), by content for an
//! ambiguous `*.conf`, and by the `nginx = [globs]` configuration key.

use std::path::{Path, PathBuf};

use crate::config::Config;
use crate::nginx::{is_nginx_file, is_nginx_path};
use crate::project::production::walk_files;

const MAX_DEPTH: usize = 6;
/// How much of an ambiguous `*.conf` is read to tell nginx from other formats.
const SNIFF_LEN: usize = 4096;

/// The project's nginx files, sorted.
pub fn nginx_files(root: &Path, config: &Config) -> Vec<PathBuf> {
    let mut out = Vec::new();
    walk_files(root, MAX_DEPTH, |path, name| {
        if name.ends_with(".py") {
            return;
        }
        let declared = config.declares_nginx(&path);
        let by_name = is_nginx_path(&path) || name.ends_with(".conf");
        if declared || (by_name && sniff(&path)) {
            out.push(path);
        }
    });
    out.sort();
    out
}

/// Whether the start of the file says nginx (see `nginx::is_nginx_file`).
fn sniff(path: &Path) -> bool {
    use std::io::Read;
    let Ok(file) = std::fs::File::open(path) else {
        return false;
    };
    let mut head = Vec::with_capacity(SNIFF_LEN);
    if file.take(SNIFF_LEN as u64).read_to_end(&mut head).is_err() {
        return false;
    }
    is_nginx_file(path, &String::from_utf8_lossy(&head))
}
