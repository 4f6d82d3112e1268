//! The parse budget's cost and effect (BENCHMARKS.md, "Known slow input"):
//! `cargo run --release -p preflight_core --example parse_budget`.
//! Prints, for ordinary files, the best of 9 parses by tree-sitter alone and within the budget;
//! then how long a run of comment lines in a block (quadratic in tree-sitter-python's scanner)
//! takes to be stopped at its default budget.

use std::time::{Duration, Instant};

use preflight_core::syntax::{budget_for, nginx_parser, parse_nginx, parse_python, python_parser};

/// The best of 9 runs of each, interleaved (so that drift in the machine's load hits both).
fn best_of_both(a: &mut dyn FnMut(), b: &mut dyn FnMut()) -> (Duration, Duration) {
    let time = |f: &mut dyn FnMut()| {
        let start = Instant::now();
        f();
        start.elapsed()
    };
    let (mut best_a, mut best_b) = (Duration::MAX, Duration::MAX);
    for round in 0..9 {
        if round % 2 == 0 {
            best_a = best_a.min(time(a));
            best_b = best_b.min(time(b));
        } else {
            best_b = best_b.min(time(b));
            best_a = best_a.min(time(a));
        }
    }
    (best_a, best_b)
}

fn main() {
    let mut python = String::new();
    let mut i = 0;
    while python.len() < 10 * 1024 * 1024 {
        python.push_str(&format!(
            "_FILLER_{i} = {{\"name\": \"value {i}\", \"items\": [1, 2, 3]}}  # entry {i}\n"
        ));
        i += 1;
    }
    let small = python[..100_000].to_string();
    let nginx =
        "server {\n    listen 80;\n    location / { proxy_pass http://app; }\n}\n".repeat(100_000);
    for (name, text, is_nginx) in [
        ("Python, 10 MB", &python, false),
        ("Python, 100 KB", &small, false),
        ("nginx, 5.5 MB", &nginx, true),
    ] {
        let (plain, budgeted) = best_of_both(
            &mut || {
                let mut parser = if is_nginx {
                    nginx_parser()
                } else {
                    python_parser()
                };
                std::hint::black_box(parser.parse(text.as_str(), None).unwrap());
            },
            &mut || {
                let mut parser = if is_nginx {
                    nginx_parser()
                } else {
                    python_parser()
                };
                let parsed = if is_nginx {
                    parse_nginx(&mut parser, text, None)
                } else {
                    parse_python(&mut parser, text, None)
                };
                std::hint::black_box(parsed.unwrap());
            },
        );
        println!(
            "{name}: tree-sitter alone {plain:.2?}, within the budget {budgeted:.2?} ({:+.1}%)",
            (budgeted.as_secs_f64() / plain.as_secs_f64() - 1.0) * 100.0
        );
    }
    for size in [200_000, 1024 * 1024, 2 * 1024 * 1024] {
        let mut comments = String::from("DEBUG = False\nif DEBUG:\n    pass\n");
        while comments.len() < size {
            comments.push_str(
                "    # a comment line of ordinary length, as a long commented-out block\n",
            );
        }
        let start = Instant::now();
        let parsed = parse_python(&mut python_parser(), &comments, None);
        println!(
            "comment run, {} KB: {} after {:.2?} (budget {:.2?})",
            size / 1024,
            if parsed.is_ok() { "parsed" } else { "stopped" },
            start.elapsed(),
            budget_for(size)
        );
    }
}
