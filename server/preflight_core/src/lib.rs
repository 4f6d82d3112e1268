//! Preflight's analysis core: plain data in, diagnostics out. No LSP types, no async, no
//! printing. The CLI and the language server both drive it.

pub mod analysis;
pub mod checklist;
pub mod config;
pub mod diagnostic;
pub mod django_version;
pub mod gunicorn;
pub mod hover;
pub mod nginx;
pub mod project;
pub mod python;
pub mod redact;
pub mod rules;
pub mod source;
pub mod stack;
pub mod suppression;
pub mod syntax;
pub mod text;

pub use analysis::{FileKind, Options, analyze_python};
pub use diagnostic::{Diagnostic, Edit, Fix, Related, Severity, apply_edits};
pub use django_version::DjangoVersion;
pub use nginx::analyze_nginx;
