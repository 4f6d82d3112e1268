//! The command line: `preflight check`, `preflight lsp`, `preflight --version`.

use std::path::PathBuf;

use clap::{Parser, Subcommand, ValueEnum};
use preflight_core::DjangoVersion;

#[derive(Debug, Parser)]
#[command(
    name = "preflight",
    version,
    about = "Static deployment checks for Django settings (and, soon, nginx and gunicorn).",
    propagate_version = true
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Check files and folders (default: the current folder) and print the findings.
    Check(CheckArgs),
    /// Print the deployment checklist of a project (default: the current folder), each item
    /// ticked, failed (with file:line) or left to check by hand.
    Checklist(ChecklistArgs),
    /// Run the language server over stdio.
    Lsp,
}

#[derive(Debug, clap::Args)]
pub struct CheckArgs {
    /// Files or folders to check. Folders are walked, respecting .gitignore.
    #[arg(default_value = ".")]
    pub paths: Vec<PathBuf>,
    /// Output format.
    #[arg(long, value_enum, default_value_t = Format::Text)]
    pub format: Format,
    /// Apply safe fixes to the files, then report what remains.
    #[arg(long)]
    pub fix: bool,
    /// The Django release whose checks apply, e.g. 5.2 (default: the newest Preflight knows).
    #[arg(long, value_name = "X.Y", value_parser = parse_django_version)]
    pub django_version: Option<DjangoVersion>,
}

#[derive(Debug, clap::Args)]
pub struct ChecklistArgs {
    /// The project: its folder, or any file in it.
    #[arg(default_value = ".")]
    pub path: PathBuf,
    /// Output format.
    #[arg(long, value_enum, default_value_t = ChecklistFormat::Markdown)]
    pub format: ChecklistFormat,
    /// The Django release whose checks apply, e.g. 5.2 (default: what the project says).
    #[arg(long, value_name = "X.Y", value_parser = parse_django_version)]
    pub django_version: Option<DjangoVersion>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ChecklistFormat {
    Markdown,
    Json,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Format {
    Text,
    Json,
    /// SARIF 2.1.0, for GitHub code scanning and other SARIF viewers.
    Sarif,
    /// GitHub Actions workflow commands (annotations).
    Github,
}

fn parse_django_version(s: &str) -> Result<DjangoVersion, String> {
    DjangoVersion::parse(s).ok_or_else(|| format!("`{s}` is not a Django version like 5.2"))
}
