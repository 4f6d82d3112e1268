//! The static evaluator for Python modules (settings modules, gunicorn configs).

mod eval;
pub mod model;
pub mod resolve;
pub mod value;

pub use eval::{ModuleCache, analyze_module, analyze_path};
pub use model::{Binding, ImportedModule, Literal, LiteralKind, ModuleModel, Site};
pub use value::{EnvCast, EnvRead, Tri, Value};
