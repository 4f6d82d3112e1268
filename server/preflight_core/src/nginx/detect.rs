//! Which files are nginx configs: by path first, by content for an ambiguous `*.conf`.

use std::path::Path;

/// Folders whose `*.conf` files are nginx configs.
const NGINX_DIRS: &[&str] = &[
    "nginx",
    "sites-available",
    "sites-enabled",
    "conf.d",
    "deploy",
];
/// Folders whose files are nginx site configs, whatever their name (Debian's layout).
const SITE_DIRS: &[&str] = &["sites-available", "sites-enabled"];

/// Whether the path alone says the file is an nginx config: `nginx.conf`, `*.nginx`, a `*.conf`
/// under an nginx-ish folder, any file directly in `sites-available/` or `sites-enabled/`.
pub fn is_nginx_path(path: &Path) -> bool {
    let name = path.file_name().and_then(|n| n.to_str()).unwrap_or("");
    let parent = path
        .parent()
        .and_then(|p| p.file_name())
        .and_then(|n| n.to_str());
    if name == "nginx.conf" || name.ends_with(".nginx") {
        return true;
    }
    if parent.is_some_and(|p| SITE_DIRS.contains(&p)) && !name.starts_with('.') {
        return true;
    }
    name.ends_with(".conf")
        && path
            .ancestors()
            .skip(1)
            .filter_map(|a| a.file_name().and_then(|n| n.to_str()))
            .any(|dir| NGINX_DIRS.contains(&dir))
}

/// Whether the path is a site file, which nginx includes inside `http {}`: anything in
/// `sites-available/`, `sites-enabled/` or `conf.d/`.
pub fn is_site_path(path: &Path) -> bool {
    path.parent()
        .and_then(|p| p.file_name())
        .and_then(|n| n.to_str())
        .is_some_and(|p| SITE_DIRS.contains(&p) || p == "conf.d")
}

/// Whether one of a config's first statements (after comments) opens an nginx block: `server {`,
/// `http {`, `events {`, `upstream NAME {`, `location ... {`. Main configs start with a few
/// plain directives (`user`, `worker_processes`) before their `events`/`http` blocks.
pub fn looks_like_nginx(text: &str) -> bool {
    text.lines()
        .map(str::trim)
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
        .take(10)
        .any(opens_block)
}

fn opens_block(line: &str) -> bool {
    let word = line
        .split(|c: char| c.is_whitespace() || c == '{')
        .next()
        .unwrap_or("");
    let rest = line[word.len()..].trim_start();
    match word {
        // the brace may stand on the next line
        "server" | "http" | "events" => rest.is_empty() || rest.starts_with('{'),
        "upstream" | "location" => rest
            .chars()
            .next()
            .is_some_and(|c| !matches!(c, '=' | ':' | '{' | ';')),
        _ => false,
    }
}

/// Whether a file is nginx: by its path, or a `*.conf` whose content looks like nginx. A file
/// the path calls nginx but that starts with an INI section (`[program:app]`: supervisor and
/// systemd files share `deploy/` and `conf.d/` folders) is not.
pub fn is_nginx_file(path: &Path, text: &str) -> bool {
    if is_ini(text) {
        return false;
    }
    is_nginx_path(path) || path.extension().is_some_and(|e| e == "conf") && looks_like_nginx(text)
}

/// No nginx statement starts with `[`; INI and TOML files start with a section.
fn is_ini(text: &str) -> bool {
    text.lines()
        .map(str::trim)
        .find(|l| !l.is_empty() && !l.starts_with('#') && !l.starts_with(';'))
        .is_some_and(|l| l.starts_with('['))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_that_are_nginx() {
        for p in [
            "/etc/nginx/nginx.conf",
            "nginx.conf",
            "deploy/site.nginx",
            "deploy/nginx/mysite.conf",
            "/etc/nginx/conf.d/default.conf",
            "/etc/nginx/sites-available/default",
            "/etc/nginx/sites-enabled/mysite",
            "deploy/app.conf",
            "project/nginx/snippets/ssl.conf",
        ] {
            assert!(is_nginx_path(Path::new(p)), "{p}");
        }
    }

    #[test]
    fn paths_that_are_not_nginx() {
        for p in [
            "settings.py",
            "app.conf",
            "etc/supervisor/app.conf",
            "deploy/gunicorn.conf.py",
            "deploy/README.md",
            "sites-available/.swp",
            "nginx.conf.bak",
        ] {
            assert!(!is_nginx_path(Path::new(p)), "{p}");
        }
    }

    #[test]
    fn content_that_looks_like_nginx() {
        for t in [
            "server {\n listen 80;\n}\n",
            "# my site\n\nserver{ listen 80; }",
            "http {\n}\n",
            "events {}\n",
            "upstream app_server {\n server unix:/run/app.sock;\n}\n",
            "upstream app\n{\n}\n",
            "location / {\n}\n",
            "user www-data;\nworker_processes auto;\nevents {\n}\n",
        ] {
            assert!(looks_like_nginx(t), "{t}");
        }
    }

    #[test]
    fn content_that_does_not_look_like_nginx() {
        for t in [
            "",
            "# only a comment\n",
            "[program:app]\ncommand=gunicorn\n",
            "server = 127.0.0.1\n",
            "bind = '0.0.0.0:8000'\n",
        ] {
            assert!(!looks_like_nginx(t), "{t}");
        }
    }

    #[test]
    fn conf_files_are_sniffed_by_content() {
        assert!(is_nginx_file(Path::new("app.conf"), "server {\n}\n"));
        assert!(!is_nginx_file(Path::new("app.conf"), "[program:app]\n"));
        assert!(!is_nginx_file(Path::new("app.txt"), "server {\n}\n"));
        assert!(is_nginx_file(Path::new("deploy/site.conf"), "listen 80;\n"));
        let supervisor = "; supervisor\n[program:app]\ncommand=gunicorn\n";
        assert!(!is_nginx_file(Path::new("deploy/app.conf"), supervisor));
        assert!(!is_nginx_file(
            Path::new("/etc/supervisor/conf.d/app.conf"),
            supervisor
        ));
    }
}
