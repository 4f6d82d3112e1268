//! What the stack rules (`rules::stack`) borrow from the nginx rules: the app's locations, the
//! header placement of NGX001's fix, and the server facts of NGX002/NGX003. One definition of
//! each, so the two families never disagree about what "the app" or "a catch-all" is.

use crate::diagnostic::Fix;
use crate::nginx::model::{Config, DirId, Inherited};

use super::Ctx;

pub use super::variables::{Piece, is_client_builtin, pieces};

/// The locations that `proxy_pass` to the app, with their `proxy_pass`.
pub fn proxied_locations(config: &Config) -> Vec<(DirId, DirId)> {
    super::proxy::proxied_locations(config)
}

/// A fix adding the `proxy_set_header` line `line` where it takes effect in `location` (as
/// NGX001's fix places `X-Forwarded-Proto`).
pub fn add_header_fix(
    ctx: &Ctx<'_>,
    location: DirId,
    set: &Inherited,
    line: &str,
    title: &str,
) -> Option<Fix> {
    super::proxy::add_header_fix(ctx, location, set, line, title)
}

/// A server's names, lower-cased (`""` when it has no `server_name`).
pub fn names(config: &Config, server: DirId) -> Vec<String> {
    super::servers::names(config, server)
}

/// Whether a server passes requests to the app.
pub fn serves_app(config: &Config, server: DirId) -> bool {
    super::servers::serves_app(config, server)
}

/// NGX014's fix: removes `proxy_buffering off` (or turns it on when an outer `off` would show).
pub fn buffering_fix(ctx: &Ctx<'_>, directive: DirId, name: &str) -> Option<Fix> {
    super::proxy::buffering_fix(ctx, directive, name)
}

/// Whether a server rejects unknown hosts itself (`if ($host !~ ...) { return 444; }`).
pub fn guards_host(config: &Config, server: DirId) -> bool {
    super::servers::guards_host(config, server)
}
