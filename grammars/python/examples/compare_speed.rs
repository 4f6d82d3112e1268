//! Full parse and one-character re-parse, upstream tree-sitter-python against this grammar,
//! interleaved so that the machine's load hits both alike:
//! `cargo run --release -p tree-sitter-python-preflight --example compare_speed [ROUNDS] [FILE...]`.
//! Without files, the 3,000-line settings module of preflight_core's `profile_eval` example.

use std::time::{Duration, Instant};

use tree_sitter::{InputEdit, Language, Parser, Point};

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

/// (full parse, re-parse after replacing the byte in the middle of the text with a space)
/// A text whose parse or re-parse takes over 100 ms is named on stderr.
fn time(language: &Language, texts: &[(String, String)]) -> (Duration, Duration) {
    let mut parser = Parser::new();
    parser.set_language(language).expect("language");
    let (mut full, mut incremental) = (Duration::ZERO, Duration::ZERO);
    for (name, text) in texts {
        let start = Instant::now();
        let mut tree = parser.parse(text, None).expect("parse");
        let elapsed = start.elapsed();
        full += elapsed;
        if elapsed > Duration::from_millis(100) {
            eprintln!("slow full parse: {name} {elapsed:?}");
        }

        let mut at = text.len() / 2;
        while at < text.len() && !text.is_char_boundary(at) {
            at += 1;
        }
        if at >= text.len() {
            continue;
        }
        let mut edited = text.clone();
        edited.replace_range(at..at + 1, " ");
        let row = text[..at].matches('\n').count();
        let column = at - text[..at].rfind('\n').map_or(0, |i| i + 1);
        let old_len = text[at..].chars().next().map_or(1, char::len_utf8);
        tree.edit(&InputEdit {
            start_byte: at,
            old_end_byte: at + old_len,
            new_end_byte: at + 1,
            start_position: Point::new(row, column),
            old_end_position: Point::new(row, column + old_len),
            new_end_position: Point::new(row, column + 1),
        });
        let start = Instant::now();
        std::hint::black_box(parser.parse(&edited, Some(&tree)));
        let elapsed = start.elapsed();
        incremental += elapsed;
        if elapsed > Duration::from_millis(100) {
            eprintln!("slow re-parse: {name} (byte {at}) {elapsed:?}");
        }
    }
    (full, incremental)
}

fn main() {
    let mut args = std::env::args().skip(1);
    let rounds: u32 = args.next().and_then(|a| a.parse().ok()).unwrap_or(50);
    let files: Vec<String> = args.collect();
    let texts: Vec<(String, String)> = if files.is_empty() {
        vec![("settings".to_string(), settings_module(3_000))]
    } else {
        files
            .iter()
            .filter_map(|f| Some((f.clone(), std::fs::read_to_string(f).ok()?)))
            .collect()
    };
    let bytes: usize = texts.iter().map(|(_, text)| text.len()).sum();
    let upstream: Language = tree_sitter_python::LANGUAGE.into();
    let vendored: Language = tree_sitter_python_preflight::LANGUAGE.into();
    let (mut up, mut ve) = ((Vec::new(), Vec::new()), (Vec::new(), Vec::new()));
    for _ in 0..rounds {
        let (f, i) = time(&upstream, &texts);
        up.0.push(f);
        up.1.push(i);
        let (f, i) = time(&vendored, &texts);
        ve.0.push(f);
        ve.1.push(i);
    }
    let median = |v: &mut Vec<Duration>| {
        v.sort();
        v[v.len() / 2]
    };
    println!(
        "{} texts, {bytes} bytes, {rounds} rounds, medians per round:",
        texts.len()
    );
    println!(
        "upstream  full parse {:?}  re-parse {:?}",
        median(&mut up.0),
        median(&mut up.1)
    );
    println!(
        "vendored  full parse {:?}  re-parse {:?}",
        median(&mut ve.0),
        median(&mut ve.1)
    );
}
