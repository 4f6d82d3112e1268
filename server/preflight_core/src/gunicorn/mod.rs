//! gunicorn config files: the settings table of gunicorn 27.0.1 (`settings`), the model of one
//! config file (`model`, with `bind` addresses parsed by `bind`).

pub mod bind;
pub mod command_line;
pub mod detect;
pub mod model;
pub mod settings;
pub mod validate;

pub use bind::{Bind, BindAddress};
pub use command_line::Invocation;
pub use model::{GunicornConfig, Hook};
pub use settings::{SETTINGS, Setting, Validator};
