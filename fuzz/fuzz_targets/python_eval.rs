//! Any bytes as a settings module and as a gunicorn config: parsing, evaluation and the Django
//! and gunicorn rules must not panic.
#![no_main]

use std::path::Path;

use libfuzzer_sys::fuzz_target;
use preflight_core::python::ModuleCache;
use preflight_core::source::DiskLoader;
use preflight_core::syntax::{parse_python, python_parser};
use preflight_core::{Options, analyze_python};

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    // a text that takes longer than the budget to parse is reported as such, not analysed
    let Ok(tree) = parse_python(&mut python_parser(), text, None) else { return };
    // a path under a folder that does not exist: imports resolve to nothing on disk
    let path = Path::new("/nonexistent-preflight-fuzz/mysite/settings.py");
    let _ = analyze_python(path, text, &tree, &DiskLoader, &mut ModuleCache::default(), &Options::default());
    let path = Path::new("/nonexistent-preflight-fuzz/gunicorn.conf.py");
    let _ = analyze_python(path, text, &tree, &DiskLoader, &mut ModuleCache::default(), &Options::default());
});
