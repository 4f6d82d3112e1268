//! Evaluates a generated 3,000-line settings module many times (for profilers):
//! `cargo run --release -p preflight_core --example profile_eval [ITERATIONS]`.

use std::path::Path;
use std::time::Instant;

use preflight_core::python::{ModuleCache, analyze_module};
use preflight_core::source::DiskLoader;
use preflight_core::syntax::python_tree;
use preflight_core::{Options, analyze_python};

fn settings_module(lines: usize) -> String {
    let mut text = String::from(
        "import os\nfrom pathlib import Path\nBASE_DIR = Path(__file__).resolve().parent.parent\n\
         SECRET_KEY = os.environ.get('DJANGO_SECRET_KEY', 'django-insecure-change-me')\nDEBUG = True\n\
         MIDDLEWARE = ['django.middleware.security.SecurityMiddleware']\n",
    );
    let mut i = 0;
    while text.len() < lines * 34 {
        text.push_str(&format!(
            "# réglage {i} ✓\nAPP_SETTING_{i} = {{\n    'enabled': {},\n    'name': 'app-{i}',\n    'hosts': ['a{i}.example.com', 'b{i}.example.com'],\n}}\n",
            if i % 2 == 0 { "True" } else { "False" }
        ));
        i += 1;
    }
    text
}

fn main() {
    let iterations: usize = std::env::args()
        .nth(1)
        .and_then(|a| a.parse().ok())
        .unwrap_or(200);
    let text = settings_module(3_000);
    let start = Instant::now();
    for _ in 0..iterations {
        std::hint::black_box(python_tree(&text));
    }
    let parse = start.elapsed() / iterations as u32;
    let tree = python_tree(&text);
    let path = Path::new("/nonexistent-preflight-profile/mysite/settings.py");
    let start = Instant::now();
    for _ in 0..iterations {
        let m = analyze_module(path, &text, &tree, &DiskLoader, &mut ModuleCache::default());
        std::hint::black_box(m);
    }
    let eval = start.elapsed() / iterations as u32;
    let start = Instant::now();
    for _ in 0..iterations {
        let d = analyze_python(
            path,
            &text,
            &tree,
            &DiskLoader,
            &mut ModuleCache::default(),
            &Options::default(),
        );
        std::hint::black_box(d);
    }
    let all = start.elapsed() / iterations as u32;
    println!("parse: {parse:?}; evaluate: {eval:?}; evaluate + rules: {all:?} (per run)");
}
