//! Which parts of a config serve the Django app, shared by the rule families: the locations
//! that pass requests to it, the servers that have them, the locations that serve user uploads.
//!
//! Without the gunicorn config (the stack rules add it), any `proxy_pass` or `uwsgi_pass` is
//! taken to be the app: a Django deployment proxies to nothing else as a rule.

use crate::nginx::location::{Modifier, pattern};
use crate::nginx::model::{Config, DirId};

/// Directives that hand a request to an application server.
pub const APP_PASSES: &[&str] = &["proxy_pass", "uwsgi_pass"];

/// The directive of `location` (directly in it, or in an `if` in it) that passes requests to
/// the app.
pub fn app_pass(config: &Config, location: DirId) -> Option<DirId> {
    let direct = |block| {
        config
            .children_of(Some(block))
            .iter()
            .copied()
            .find(|&c| APP_PASSES.contains(&config.get(c).name()))
    };
    direct(location).or_else(|| config.direct(Some(location), "if").find_map(direct))
}

/// The locations of `server` that pass requests to the app.
pub fn app_locations(config: &Config, server: DirId) -> Vec<DirId> {
    config
        .locations(server)
        .filter(|&l| app_pass(config, l).is_some())
        .collect()
}

/// The servers that pass requests to the app somewhere (or at their own level).
pub fn app_servers(config: &Config) -> Vec<DirId> {
    config
        .servers()
        .filter(|&s| app_pass(config, s).is_some() || !app_locations(config, s).is_empty())
        .collect()
}

/// Folder names that hold user uploads.
const MEDIA_NAMES: &[&str] = &["media", "uploads", "upload", "mediafiles", "user-content"];

/// The locations of `server` that serve user-uploaded files (Django's MEDIA_ROOT): a prefix
/// location named like `/media/`, or one whose `alias`/`root` ends in such a folder.
pub fn media_locations(config: &Config, server: DirId) -> Vec<DirId> {
    config
        .locations(server)
        .filter(|&l| is_media_location(config, l))
        .collect()
}

pub fn is_media_location(config: &Config, location: DirId) -> bool {
    let Some(p) = pattern(config.get(location)) else {
        return false;
    };
    if p.modifier == Modifier::Named || p.modifier.is_regex() {
        return false;
    }
    let last_segment = |path: &str| {
        path.trim_end_matches('/')
            .rsplit('/')
            .next()
            .unwrap_or("")
            .to_ascii_lowercase()
    };
    let named = MEDIA_NAMES.contains(&last_segment(&p.uri).as_str());
    let serves = ["alias", "root"].iter().any(|name| {
        config
            .direct(Some(location), name)
            .filter_map(|d| config.get(d).arg(0))
            .any(|path| MEDIA_NAMES.contains(&last_segment(path).as_str()))
    });
    named || serves
}

#[cfg(test)]
mod tests {
    use std::path::Path;

    use super::*;
    use crate::nginx::build;
    use crate::source::MemoryLoader;
    use crate::syntax::nginx_tree;

    #[test]
    fn app_and_media_locations() {
        let text = "server {\n location / { proxy_pass http://app; }\n location /media/ { alias /srv/m/; }\n location /files/ { alias /srv/uploads/; }\n location /static/ { alias /srv/static/; }\n location /x { if ($a) { uwsgi_pass app; } }\n}\nserver { location / { root /srv; } }\n";
        let tree = nginx_tree(text);
        let c = build(
            Path::new("/srv/site.conf"),
            text,
            &tree,
            &MemoryLoader::default(),
        );
        let server = c.servers().next().unwrap();
        let uris = |ids: Vec<DirId>| -> Vec<String> {
            ids.iter()
                .map(|&i| c.get(i).arg(0).unwrap().to_owned())
                .collect()
        };
        assert_eq!(uris(app_locations(&c, server)), ["/", "/x"]);
        assert_eq!(uris(media_locations(&c, server)), ["/media/", "/files/"]);
        assert_eq!(app_servers(&c), [server]);
    }
}
