//! gunicorn rules (`GUN###`): small functions over the config model ([`GunicornConfig`]) that
//! report through [`Ctx`]. The codes follow the checks of gunicorn.md (G1 -> GUN001, ...).
//!
//! Not here: G2 `public-bind` needs the nginx side and is reported by the stack family (STK004),
//! so GUN002 is not assigned; `forwarded_allow_ips = "*"` while gunicorn binds publicly is the
//! stack's STK014 (GUN001 covers the other binds). Both use [`GunicornConfig::binds_publicly`].

mod context;
mod development;
mod fixes;
mod limits;
mod names;
mod registry;
mod trust;
mod values;

#[cfg(test)]
mod tests;

use std::path::Path;

pub use context::Ctx;
pub use registry::{RULES, UNUSED_SUPPRESSION, doc};

use crate::diagnostic::Diagnostic;
use crate::gunicorn::GunicornConfig;

/// Runs every gunicorn rule on a config file.
pub fn check(config: &GunicornConfig, path: &Path, text: &str) -> Vec<Diagnostic> {
    let ctx = Ctx { config, path, text };
    let mut out = Vec::new();
    trust::forwarded_allow_all(&ctx, &mut out);
    values::unknown_settings(&ctx, &mut out);
    values::invalid_values(&ctx, &mut out);
    development::reload(&ctx, &mut out);
    development::spew(&ctx, &mut out);
    development::debug_loglevel(&ctx, &mut out);
    limits::request_limits(&ctx, &mut out);
    limits::timeout(&ctx, &mut out);
    development::daemon(&ctx, &mut out);
    trust::proxy_protocol_any(&ctx, &mut out);
    trust::unsafe_http_parsing(&ctx, &mut out);
    trust::socket_umask(&ctx, &mut out);
    trust::root_user(&ctx, &mut out);
    limits::no_access_log(&ctx, &mut out);
    limits::max_requests_jitter(&ctx, &mut out);
    values::ssl_version(&ctx, &mut out);
    trust::raw_env_secrets(&ctx, &mut out);
    out.sort_by_key(|d| (d.range.start, d.code));
    out
}
