//! The `preflight` binary: argument parsing and output only; the analysis lives in
//! `preflight_core`, the language server in `preflight_lsp`.

mod analyze;
mod args;
mod check;
mod checklist;
mod fix;
mod loader;
mod output;
mod process;
mod projects;
mod walk;

use std::process::ExitCode;

use clap::Parser;

use crate::args::{Cli, Command};

// The analysis allocates many small values per keystroke; mimalloc keeps them cheap (measured
// by benches/edit_latency.rs in preflight_lsp, which uses the same allocator).
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> ExitCode {
    // before anything parses: tree-sitter's trees in the same allocator as the rest
    preflight_lsp::memory::tree_sitter_uses_mimalloc();
    // clap exits with 2 on a usage error, as the contract wants
    let cli = Cli::parse();
    match cli.command {
        Command::Check(args) => process::exit_now(check::run(args)),
        Command::Checklist(args) => process::exit_now(checklist::run(args)),
        Command::Lsp => lsp(),
    }
}

/// `preflight lsp`: exit 0 after a clean `shutdown` + `exit`, 1 when the client left without
/// `shutdown` (as LSP asks).
fn lsp() -> ExitCode {
    match preflight_lsp::run_stdio() {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("preflight lsp: {e}");
            ExitCode::FAILURE
        }
    }
}
