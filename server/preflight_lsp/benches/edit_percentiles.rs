//! Median and p99 of edit-to-diagnostics latency (criterion reports means and medians, not
//! tails): the same edits as `edit_latency` (the 3,000-line settings module, the ~3,000-line
//! nginx config), each timed on its own, N of them after a warm-up; prints one line per case.
//!
//! cargo bench -p preflight_lsp --bench edit_percentiles [-- N]

// the allocator the `preflight` binary uses
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

#[path = "common.rs"]
mod common;

use std::hint::black_box;
use std::time::{Duration, Instant};

fn percentile(sorted: &[Duration], p: f64) -> Duration {
    let i = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted[i]
}

fn main() {
    // as the binary does, before any tree exists
    preflight_lsp::memory::tree_sitter_uses_mimalloc();
    // `cargo bench` passes `--bench`; without it (`cargo test --benches`, the CI smoke) a few
    // edits only check that it runs. A bare number is N.
    let benching = std::env::args().any(|a| a == "--bench");
    let n: usize = std::env::args()
        .skip(1)
        .find_map(|a| a.parse().ok())
        .unwrap_or(if benching { 2000 } else { 20 });
    let load = std::fs::read_to_string("/proc/loadavg").unwrap_or_default();
    println!(
        "edit_percentiles: N={n} edits per case, load average {}",
        load.split_whitespace()
            .take(3)
            .collect::<Vec<_>>()
            .join(" ")
    );
    // each case's whole step (edit, re-parse, analysis, LSP conversion), then the edit and
    // re-parse alone: the difference is the analysis
    for (name, mut edit, analyse) in [
        ("settings_3000_lines", common::settings_edit(), true),
        ("  edit+reparse only", common::settings_edit(), false),
        ("nginx_3000_lines", common::nginx_edit(), true),
        ("  edit+reparse only", common::nginx_edit(), false),
    ] {
        let mut step = || {
            if analyse {
                black_box(edit.step());
            } else {
                edit.edit();
            }
        };
        for _ in 0..(n / 10).max(1) {
            step();
        }
        let mut times: Vec<Duration> = (0..n)
            .map(|_| {
                let start = Instant::now();
                step();
                start.elapsed()
            })
            .collect();
        times.sort();
        let ms = |d: Duration| d.as_secs_f64() * 1e3;
        println!(
            "{name:<22} median {:.3} ms  p90 {:.3} ms  p99 {:.3} ms  max {:.3} ms",
            ms(percentile(&times, 0.5)),
            ms(percentile(&times, 0.9)),
            ms(percentile(&times, 0.99)),
            ms(times[times.len() - 1]),
        );
    }
}
