//! Any bytes as a whole deployment: the input, split at NUL bytes, becomes a project's
//! configuration, Procfile, Dockerfile, requirements, settings module, gunicorn config and nginx
//! site. Project discovery (configuration, Django version, production module, gunicorn command
//! lines) and every file's analysis, the stack rules included, must not panic.
#![no_main]

use std::path::PathBuf;
use std::sync::{Arc, OnceLock};

use libfuzzer_sys::fuzz_target;
use preflight_core::project::Project;
use preflight_core::python::ModuleCache;
use preflight_core::source::DiskLoader;
use preflight_core::Options;
use preflight_core::analysis::parse_and_analyze;

const FILES: [&str; 7] = [
    "preflight.toml",
    "Procfile",
    "Dockerfile",
    "requirements.txt",
    "mysite/settings.py",
    "gunicorn.conf.py",
    "deploy/nginx/site.conf",
];

/// One project folder per fuzzing process, rewritten for each input.
fn root() -> &'static PathBuf {
    static ROOT: OnceLock<PathBuf> = OnceLock::new();
    ROOT.get_or_init(|| {
        let root = std::env::temp_dir().join(format!("preflight-fuzz-project-{}", std::process::id()));
        std::fs::create_dir_all(root.join("mysite")).unwrap();
        std::fs::create_dir_all(root.join("deploy/nginx")).unwrap();
        std::fs::write(root.join("manage.py"), "").unwrap();
        root
    })
}

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    let root = root();
    let parts: Vec<&str> = text.splitn(FILES.len(), '\0').collect();
    for (i, name) in FILES.iter().enumerate() {
        let path = root.join(name);
        match parts.get(i) {
            Some(part) => std::fs::write(&path, part).unwrap(),
            None => {
                let _ = std::fs::remove_file(&path);
            }
        }
    }
    let project = Arc::new(Project::load(root, &DiskLoader));
    let options = Options::for_project(project);
    let mut cache = ModuleCache::default();
    for (i, name) in FILES.iter().enumerate().skip(4) {
        let Some(part) = parts.get(i) else { break };
        let path = root.join(name);
        // as the CLI does: parsed within the budget, a file that times out is reported
        let nginx = !name.ends_with(".py");
        let _ = parse_and_analyze(&path, part, nginx, &DiskLoader, &mut cache, &options);
    }
});
