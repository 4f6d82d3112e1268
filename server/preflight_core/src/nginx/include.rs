//! Where an `include` points. nginx resolves a relative path against its configuration prefix
//! (the folder of nginx.conf); a project keeps its nginx files somewhere else, so Preflight
//! tries the folders that play that role in a repository. An absolute path under `/etc/nginx/`
//! is looked up the same way before the real path. Debian's standard includes (`proxy_params`,
//! `fastcgi_params`, ...) are known by content when the project does not have them.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use globset::GlobBuilder;

use super::model::Context;
use crate::source::SourceLoader;

/// A file an include resolved to.
pub struct Found {
    pub path: PathBuf,
    pub text: Arc<str>,
    pub builtin: bool,
}

pub enum Resolution {
    /// The files, in nginx's order (a glob's matches sorted by name). May be empty for a glob.
    Files(Vec<Found>),
    /// A plain path that does not exist.
    NotFound,
    /// A path Preflight cannot evaluate (a variable, a glob in a folder name).
    Unknown,
}

/// Folders that may be nginx's prefix for the file at `path`, best first: the folder of a main
/// config; for a site file, the folder above `sites-available/`, `conf.d/`... and its own.
pub fn prefixes(path: &Path, root: Context) -> Vec<PathBuf> {
    let Some(dir) = path.parent() else {
        return Vec::new();
    };
    let mut out = Vec::new();
    let parent = dir.parent().filter(|p| !p.as_os_str().is_empty());
    if root != Context::Main && super::detect::is_site_path(path) {
        out.extend(parent.map(Path::to_path_buf));
        out.push(dir.to_path_buf());
    } else {
        out.push(dir.to_path_buf());
        if root != Context::Main {
            out.extend(parent.map(Path::to_path_buf));
        }
    }
    out
}

/// Resolves an include pattern.
pub fn resolve(pattern: &str, prefixes: &[PathBuf], loader: &dyn SourceLoader) -> Resolution {
    if pattern.contains('$') {
        return Resolution::Unknown;
    }
    let relative = relative_form(pattern);
    let is_glob = pattern.contains(['*', '?', '[']);
    let mut candidates: Vec<PathBuf> = relative
        .iter()
        .flat_map(|rel| prefixes.iter().map(move |p| p.join(rel)))
        .collect();
    if Path::new(pattern).is_absolute() {
        candidates.push(PathBuf::from(pattern));
    }
    if is_glob {
        return resolve_glob(&candidates, loader);
    }
    for candidate in &candidates {
        if let Some(text) = loader.read(candidate) {
            return Resolution::Files(vec![Found {
                path: candidate.clone(),
                text,
                builtin: false,
            }]);
        }
    }
    if let Some(found) = relative.as_deref().and_then(builtin) {
        return Resolution::Files(vec![found]);
    }
    Resolution::NotFound
}

/// The pattern relative to nginx's prefix: itself when relative, the part after `/etc/nginx/`
/// (or `/usr/local/nginx/conf/`, ...) when absolute under a folder named nginx or conf.
fn relative_form(pattern: &str) -> Option<String> {
    let path = Path::new(pattern);
    if !path.is_absolute() {
        return Some(pattern.to_owned());
    }
    let components: Vec<_> = path.components().collect();
    let at = components
        .iter()
        .rposition(|c| matches!(c.as_os_str().to_str(), Some("nginx" | "conf")))?;
    let rest: PathBuf = components[at + 1..].iter().collect();
    (!rest.as_os_str().is_empty()).then(|| rest.to_string_lossy().into_owned())
}

/// A glob in the last component: the matching files of the first folder that has any.
fn resolve_glob(candidates: &[PathBuf], loader: &dyn SourceLoader) -> Resolution {
    for candidate in candidates {
        let (Some(dir), Some(name)) = (candidate.parent(), candidate.file_name()) else {
            continue;
        };
        if dir.to_string_lossy().contains(['*', '?', '[']) {
            return Resolution::Unknown;
        }
        let Ok(glob) = GlobBuilder::new(&name.to_string_lossy())
            .literal_separator(true)
            .build()
        else {
            return Resolution::Unknown;
        };
        let matcher = glob.compile_matcher();
        let mut matches: Vec<PathBuf> = loader
            .list_dir(dir)
            .into_iter()
            .filter(|p| p.file_name().is_some_and(|n| matcher.is_match(n)))
            .collect();
        if matches.is_empty() {
            continue;
        }
        matches.sort();
        let files = matches
            .into_iter()
            .filter_map(|path| {
                let text = loader.read(&path)?;
                Some(Found {
                    path,
                    text,
                    builtin: false,
                })
            })
            .collect();
        return Resolution::Files(files);
    }
    Resolution::Files(Vec::new())
}

/// Debian's proxy_params: note `Host $http_host`, which nginx passes on unvalidated.
const PROXY_PARAMS: &str = "proxy_set_header Host $http_host;\n\
proxy_set_header X-Real-IP $remote_addr;\n\
proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;\n\
proxy_set_header X-Forwarded-Proto $scheme;\n";

const FASTCGI_PHP: &str = "fastcgi_split_path_info ^(.+?\\.php)(/.*)$;\n\
try_files $fastcgi_script_name =404;\n\
set $path_info $fastcgi_path_info;\n\
fastcgi_param PATH_INFO $path_info;\n\
fastcgi_index index.php;\n\
include fastcgi.conf;\n";

/// The standard files Debian's nginx packages install, by path relative to /etc/nginx. Those
/// whose directives no rule reads are known as empty.
const BUILTINS: &[(&str, &str)] = &[
    ("proxy_params", PROXY_PARAMS),
    ("snippets/fastcgi-php.conf", FASTCGI_PHP),
    ("fastcgi_params", ""),
    ("fastcgi.conf", ""),
    ("uwsgi_params", ""),
    ("scgi_params", ""),
    ("mime.types", ""),
    ("koi-utf", ""),
    ("koi-win", ""),
    ("win-utf", ""),
    ("snippets/snakeoil.conf", ""),
];

fn builtin(relative: &str) -> Option<Found> {
    let (name, text) = BUILTINS.iter().find(|(name, _)| *name == relative)?;
    Some(Found {
        path: PathBuf::from("/etc/nginx").join(name),
        text: Arc::from(*text),
        builtin: true,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::source::MemoryLoader;

    fn files(r: Resolution) -> Vec<PathBuf> {
        match r {
            Resolution::Files(f) => f.into_iter().map(|f| f.path).collect(),
            _ => panic!("not resolved"),
        }
    }

    #[test]
    fn a_site_file_resolves_against_the_folder_above_sites_available() {
        let loader = MemoryLoader::default().with("/repo/nginx/snippets/tls.conf", "");
        let prefixes = prefixes(Path::new("/repo/nginx/sites-available/app"), Context::Http);
        assert_eq!(
            files(resolve("snippets/tls.conf", &prefixes, &loader)),
            [PathBuf::from("/repo/nginx/snippets/tls.conf")]
        );
        // an absolute /etc/nginx path maps onto the repository's copy
        assert_eq!(
            files(resolve("/etc/nginx/snippets/tls.conf", &prefixes, &loader)),
            [PathBuf::from("/repo/nginx/snippets/tls.conf")]
        );
    }

    #[test]
    fn standard_debian_includes_are_known() {
        let prefixes = prefixes(Path::new("/repo/deploy/site.conf"), Context::Http);
        let loader = MemoryLoader::default();
        match resolve("proxy_params", &prefixes, &loader) {
            Resolution::Files(f) => {
                assert!(f[0].builtin && f[0].text.contains("X-Forwarded-Proto"))
            }
            _ => panic!("proxy_params is built in"),
        }
        assert!(matches!(
            resolve("nope.conf", &prefixes, &loader),
            Resolution::NotFound
        ));
        assert!(matches!(
            resolve("$x.conf", &prefixes, &loader),
            Resolution::Unknown
        ));
        assert!(
            matches!(resolve("none/*.conf", &prefixes, &loader), Resolution::Files(f) if f.is_empty())
        );
    }
}
