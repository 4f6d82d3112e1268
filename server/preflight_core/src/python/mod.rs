//! The static evaluator for Python modules (settings modules, gunicorn configs).

mod builtins;
mod eval;
mod fields;
mod literal;
pub mod model;
pub mod resolve;
pub mod value;

#[cfg(test)]
mod tests;

pub use eval::{ModuleCache, analyze_module, analyze_path};
pub use model::{Binding, Function, ImportedModule, Literal, LiteralKind, ModuleModel, Site};
pub use value::{EnvCast, EnvRead, NumKind, Symbolic, Tri, Value};
