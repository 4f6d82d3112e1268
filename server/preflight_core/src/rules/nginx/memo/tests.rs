//! The memo's findings equal a fresh analysis's, edit after edit, on configs assembled from the
//! repository's nginx fixtures (the gixy-ng cases, the example deployment, the stack fixtures):
//! their servers and statements, copied, moved, cut and mistyped.

use std::path::{Path, PathBuf};

use proptest::prelude::*;

use crate::analysis::Options;
use crate::diagnostic::Diagnostic;
use crate::nginx::analyze_nginx;
use crate::python::ModuleCache;
use crate::source::MemoryLoader;
use crate::syntax::nginx_tree;

/// Every `.conf` below `tests/`.
fn fixtures() -> Vec<String> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../tests");
    let mut out = Vec::new();
    let mut dirs = vec![root];
    while let Some(dir) = dirs.pop() {
        let Ok(entries) = std::fs::read_dir(&dir) else {
            continue;
        };
        let mut paths: Vec<PathBuf> = entries.flatten().map(|e| e.path()).collect();
        paths.sort();
        for path in paths {
            if path.is_dir() {
                dirs.push(path);
            } else if path.extension().is_some_and(|e| e == "conf")
                && let Ok(text) = std::fs::read_to_string(&path)
            {
                out.push(text);
            }
        }
    }
    assert!(out.len() > 50, "the fixtures are found");
    out
}

/// The block that opens on line `start` (its lines up to the matching `}`).
fn block_at(lines: &[&str], start: usize) -> Option<Vec<String>> {
    let mut depth = 0i32;
    for (i, line) in lines.iter().enumerate().skip(start) {
        depth += line.matches('{').count() as i32 - line.matches('}').count() as i32;
        if depth <= 0 {
            return Some(lines[start..=i].iter().map(|l| l.to_string()).collect());
        }
    }
    None
}

/// What configs are made of.
struct Parts {
    /// `server {}` blocks, each as its lines.
    servers: Vec<Vec<String>>,
    /// Statements and blocks found inside servers (directives, locations, ifs).
    statements: Vec<Vec<String>>,
    /// Statements for the `http` level (maps, upstreams, simple directives).
    http: Vec<Vec<String>>,
}

fn parts() -> Parts {
    let mut parts = Parts {
        servers: Vec::new(),
        statements: Vec::new(),
        http: Vec::new(),
    };
    for text in fixtures() {
        let lines: Vec<&str> = text.lines().collect();
        let mut in_server: Option<i32> = None;
        let mut depth = 0i32;
        for (i, line) in lines.iter().enumerate() {
            let trimmed = line.trim();
            let opens = trimmed.ends_with('{');
            if trimmed.starts_with("server ") && opens && in_server.is_none() {
                if let Some(block) = block_at(&lines, i) {
                    parts.servers.push(block);
                }
                in_server = Some(depth);
            } else if in_server.is_some() && !trimmed.starts_with('}') && !trimmed.is_empty() {
                let piece = if opens {
                    block_at(&lines, i)
                } else if trimmed.ends_with(';') && !trimmed.contains(['{', '}']) {
                    Some(vec![line.to_string()])
                } else {
                    None
                };
                parts.statements.extend(piece);
            } else if in_server.is_none()
                && (trimmed.starts_with("map ")
                    || trimmed.starts_with("upstream ")
                    || trimmed.starts_with("geo "))
                && opens
            {
                parts.http.extend(block_at(&lines, i));
            } else if in_server.is_none()
                && trimmed.ends_with(';')
                && !trimmed.contains(['{', '}'])
                && !trimmed.starts_with("include")
            {
                parts.http.push(vec![line.to_string()]);
            }
            depth += line.matches('{').count() as i32 - line.matches('}').count() as i32;
            if in_server.is_some_and(|d| depth <= d) {
                in_server = None;
            }
        }
    }
    for list in [&mut parts.servers, &mut parts.statements, &mut parts.http] {
        list.sort();
        list.dedup();
    }
    parts
}

/// A config under edit: `http`-level lines and servers, written as a main config or a site.
#[derive(Debug, Clone)]
struct Draft {
    http: Vec<String>,
    servers: Vec<Vec<String>>,
    main: bool,
}

impl Draft {
    fn path(&self) -> &'static str {
        if self.main {
            "/etc/nginx/nginx.conf"
        } else {
            "/etc/nginx/sites-available/app"
        }
    }

    fn text(&self) -> String {
        let mut out = String::new();
        if self.main {
            out.push_str("events {\n}\nhttp {\n");
        }
        for line in &self.http {
            out.push_str(line);
            out.push('\n');
        }
        for server in &self.servers {
            for line in server {
                out.push_str(line);
                out.push('\n');
            }
        }
        if self.main {
            out.push_str("}\n");
        }
        out
    }
}

#[derive(Debug, Clone)]
enum Change {
    /// Insert statement `which` after line `line` of server `server`.
    Insert {
        server: usize,
        line: usize,
        which: usize,
    },
    /// Delete a line of a server.
    Delete { server: usize, line: usize },
    /// Replace a server with fixture server `which`.
    Replace { server: usize, which: usize },
    /// Copy a server to the end.
    Duplicate { server: usize },
    /// Remove a server.
    Remove { server: usize },
    /// Overwrite one character of a server's line.
    Mistype {
        server: usize,
        line: usize,
        col: usize,
        ch: char,
    },
    /// Add an `http`-level statement.
    Http { which: usize },
}

fn pick<T>(list: &[T], i: usize) -> Option<&T> {
    (!list.is_empty()).then(|| &list[i % list.len()])
}

fn apply(draft: &mut Draft, change: &Change, parts: &Parts) {
    let n = draft.servers.len();
    match *change {
        Change::Insert {
            server,
            line,
            which,
        } if n > 0 => {
            let s = &mut draft.servers[server % n];
            let at = 1 + line % s.len().max(1);
            let at = at.min(s.len().saturating_sub(1)).max(1);
            let piece = pick(&parts.statements, which).cloned().unwrap_or_default();
            for (k, l) in piece.into_iter().enumerate() {
                s.insert(at + k, l);
            }
        }
        Change::Delete { server, line } if n > 0 => {
            let s = &mut draft.servers[server % n];
            if s.len() > 2 {
                let at = 1 + line % (s.len() - 2);
                s.remove(at);
            }
        }
        Change::Replace { server, which } if n > 0 => {
            if let Some(new) = pick(&parts.servers, which) {
                draft.servers[server % n] = new.clone();
            }
        }
        Change::Duplicate { server } if n > 0 => {
            let copy = draft.servers[server % n].clone();
            draft.servers.push(copy);
        }
        Change::Remove { server } if n > 1 => {
            draft.servers.remove(server % n);
        }
        Change::Mistype {
            server,
            line,
            col,
            ch,
        } if n > 0 => {
            let s = &mut draft.servers[server % n];
            let count = s.len();
            let l = &mut s[line % count];
            if !l.is_empty() {
                let at = col % l.len();
                if l.is_char_boundary(at) && l.is_char_boundary(at + 1) {
                    l.replace_range(at..at + 1, &ch.to_string());
                }
            }
        }
        Change::Http { which } => {
            if let Some(piece) = pick(&parts.http, which) {
                draft.http.extend(piece.iter().cloned());
            }
        }
        _ => {}
    }
}

fn analyse(draft: &Draft, cache: &mut ModuleCache) -> Vec<Diagnostic> {
    analyse_text(draft.path(), &draft.text(), cache)
}

/// What one list has that the other lacks, briefly.
fn difference(remembered: &[Diagnostic], fresh: &[Diagnostic]) -> String {
    let brief = |d: &Diagnostic| {
        format!(
            "{} {:?} {:?} {}",
            d.code,
            d.range,
            d.fix
                .as_ref()
                .map(|f| f.edits.iter().map(|e| e.range).collect::<Vec<_>>()),
            d.message
        )
    };
    let only = |a: &[Diagnostic], b: &[Diagnostic]| {
        a.iter()
            .filter(|d| !b.contains(d))
            .map(brief)
            .collect::<Vec<_>>()
            .join("\n  ")
    };
    format!(
        "only remembered:\n  {}\nonly fresh:\n  {}",
        only(remembered, fresh),
        only(fresh, remembered)
    )
}

fn change() -> impl Strategy<Value = Change> {
    let i = || any::<u16>().prop_map(usize::from);
    prop_oneof![
        4 => (i(), i(), i()).prop_map(|(server, line, which)| Change::Insert { server, line, which }),
        2 => (i(), i()).prop_map(|(server, line)| Change::Delete { server, line }),
        2 => (i(), i()).prop_map(|(server, which)| Change::Replace { server, which }),
        1 => i().prop_map(|server| Change::Duplicate { server }),
        1 => i().prop_map(|server| Change::Remove { server }),
        2 => (i(), i(), i(), prop::sample::select(vec![';', '{', '}', 'x', '0', '$', ' ', '#', '\n']))
            .prop_map(|(server, line, col, ch)| Change::Mistype { server, line, col, ch }),
        1 => i().prop_map(|which| Change::Http { which }),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 96, ..ProptestConfig::default() })]

    #[test]
    fn remembered_findings_equal_a_fresh_analysis_after_every_edit(
        main in any::<bool>(),
        http in prop::collection::vec(any::<u16>(), 0..4),
        servers in prop::collection::vec(any::<u16>(), 1..6),
        changes in prop::collection::vec(change(), 1..14),
    ) {
        let parts = parts();
        let mut draft = Draft {
            http: http.iter().flat_map(|&i| pick(&parts.http, i.into()).cloned().unwrap_or_default()).collect(),
            servers: servers.iter().filter_map(|&i| pick(&parts.servers, i.into()).cloned()).collect(),
            main,
        };
        let mut editing = ModuleCache::for_editing();
        prop_assert_eq!(analyse(&draft, &mut editing), analyse(&draft, &mut ModuleCache::default()));
        for change in &changes {
            apply(&mut draft, change, &parts);
            let remembered = analyse(&draft, &mut editing);
            let fresh = analyse(&draft, &mut ModuleCache::default());
            prop_assert!(remembered == fresh, "after {:?}: {}\nin\n{}", change, difference(&remembered, &fresh), draft.text());
        }
    }
}

fn analyse_text(path: &str, text: &str, cache: &mut ModuleCache) -> Vec<Diagnostic> {
    let tree = nginx_tree(text);
    analyze_nginx(
        Path::new(path),
        text,
        &tree,
        &MemoryLoader::default(),
        cache,
        &Options::default(),
    )
}

/// Analyses each text in turn with one editing cache, and compares with a fresh analysis;
/// returns the codes found in each.
fn edits_agree(path: &str, texts: &[&str]) -> Vec<Vec<&'static str>> {
    let mut editing = ModuleCache::for_editing();
    texts
        .iter()
        .map(|text| {
            let remembered = analyse_text(path, text, &mut editing);
            let fresh = analyse_text(path, text, &mut ModuleCache::default());
            assert!(
                remembered == fresh,
                "{}\nin\n{text}",
                difference(&remembered, &fresh)
            );
            fresh.iter().map(|d| d.code).collect()
        })
        .collect()
}

const SERVER_A: &str = "server {\n    listen 80;\n    server_name a.example.com;\n    location / {\n        proxy_pass http://$target;\n    }\n}\n";

#[test]
fn a_variable_one_server_declares_is_seen_by_the_others_rules() {
    let with =
        format!("{SERVER_A}server {{\n    server_name b.example.com;\n    js_var $target;\n}}\n");
    let without = with.replace("    js_var $target;\n", "");
    // the declaring server changes, then the other one while the declaring one is remembered
    let other_edited = with.replace("listen 80;", "listen 8080;");
    let codes = edits_agree(
        "/etc/nginx/sites-available/app",
        &[&with, &without, &with, &other_edited],
    );
    // `$target` is whatever a script sets while `js_var` declares it, else nothing
    assert!(codes[0].contains(&"NGX007") && codes[2].contains(&"NGX007"));
    assert!(codes[3].contains(&"NGX007"));
    assert!(!codes[1].contains(&"NGX007"));
}

#[test]
fn a_finding_whose_fix_edits_the_http_block_follows_the_servers_around_it() {
    // NGX020/NGX028 add their setting to `http {}`: the fix lies outside the server
    let site = |n: usize| {
        format!(
            "    server {{\n        listen 443 ssl;\n        server_name s{n}.example.com;\n        location / {{\n            proxy_pass http://127.0.0.1:8000;\n        }}\n    }}\n"
        )
    };
    let main = |sites: &[String]| {
        format!(
            "events {{\n}}\nhttp {{\n    sendfile on;\n{}}}\n",
            sites.concat()
        )
    };
    let one = main(&[site(1), site(2), site(3)]);
    // the first server grows, the second loses a line, one is removed, one moves to the front
    let grown = one.replace("s1.example.com;\n", "s1.example.com;\n        root /srv;\n");
    let shrunk = grown.replace("        server_name s2.example.com;\n", "");
    let removed = main(&[site(1), site(3)]);
    let moved = main(&[site(3), site(1)]);
    let codes = edits_agree(
        "/etc/nginx/nginx.conf",
        &[&one, &grown, &shrunk, &removed, &moved, &one],
    );
    assert!(codes[0].contains(&"NGX020") && codes[0].contains(&"NGX028"));
}

#[test]
fn unchanged_servers_are_neither_lowered_nor_checked_again() {
    let sites: String = (0..20)
        .map(|n| format!("server {{\n    listen 80;\n    server_name s{n}.example.com;\n    location / {{\n        proxy_pass http://127.0.0.1:8000;\n    }}\n}}\n"))
        .collect();
    let edited = sites.replace("s7.example.com", "s7.example.org");
    let path = Path::new("/etc/nginx/sites-available/app");
    let mut cache = ModuleCache::for_editing();
    for text in [&sites, &edited] {
        analyse_text("/etc/nginx/sites-available/app", text, &mut cache);
    }
    let memo = cache.nginx_findings();
    assert_eq!(
        memo.checked_servers(path),
        1,
        "only the edited server is checked again"
    );
    assert_eq!(
        memo.lowered_servers(path, &edited).unwrap().last_lowered(),
        1,
        "only the edited server is lowered again"
    );
}

#[test]
fn a_related_range_after_the_servers_moves_with_them() {
    // NGX019: a server's own `add_header` drops those of `http {}`, written after the servers
    let site = |n: usize| {
        format!(
            "    server {{\n        listen 80;\n        server_name s{n}.example.com;\n        add_header X-Site {n};\n    }}\n"
        )
    };
    let main = |sites: &[String]| {
        format!(
            "events {{\n}}\nhttp {{\n{}    add_header X-Content-Type-Options nosniff always;\n}}\n",
            sites.concat()
        )
    };
    let one = main(&[site(1), site(2), site(3)]);
    let grown = one.replace("s1.example.com;\n", "s1.example.com;\n        root /srv;\n");
    let codes = edits_agree("/etc/nginx/nginx.conf", &[&one, &grown, &one]);
    assert!(codes[1].iter().filter(|&&c| c == "NGX019").count() == 3);
}

#[test]
fn a_setting_outside_the_servers_is_judged_by_every_server() {
    // NGX013/NGX014 report an `http`-level setting when some server's proxied location
    // inherits it, and a server-level one with its server
    let proxying = "    server {\n        server_name a.example.com;\n        location / {\n            proxy_pass http://127.0.0.1:8000;\n        }\n    }\n";
    let static_site =
        "    server {\n        server_name b.example.com;\n        root /srv/b;\n    }\n";
    let http = "    proxy_buffering off;\n    proxy_set_header X-Forwarded-Host $http_host;\n";
    let main = |servers: &[&str]| format!("events {{\n}}\nhttp {{\n{http}{}}}\n", servers.concat());
    let both = main(&[proxying, static_site]);
    let static_edited = both.replace("root /srv/b;", "root /srv/c;");
    let none_proxies = main(&[
        &proxying.replace("proxy_pass http://127.0.0.1:8000;", "root /srv/a;"),
        static_site,
    ]);
    let own_setting = both.replace(
        "        root /srv/b;\n",
        "        root /srv/b;\n        proxy_request_buffering off;\n        location /app {\n            proxy_pass http://127.0.0.1:8000;\n        }\n",
    );
    let codes = edits_agree(
        "/etc/nginx/nginx.conf",
        &[
            &both,
            &static_edited,
            &none_proxies,
            &both,
            &own_setting,
            &static_edited,
        ],
    );
    let count = |i: usize, code: &str| codes[i].iter().filter(|&&c| c == code).count();
    assert_eq!((count(0, "NGX013"), count(0, "NGX014")), (1, 1));
    assert_eq!((count(1, "NGX013"), count(1, "NGX014")), (1, 1));
    assert_eq!((count(2, "NGX013"), count(2, "NGX014")), (0, 0));
    assert_eq!(count(4, "NGX014"), 2);
}

#[test]
fn tls_settings_outside_the_servers_are_judged_by_every_tls_server() {
    // NGX015 (HSTS max-age) and NGX031/NGX035 (stapling) report an `http`-level header or
    // setting when some TLS server inherits it, and a server's own with its server
    let tls = "    server {\n        listen 443 ssl;\n        server_name a.example.com;\n        ssl_certificate /etc/letsencrypt/live/a/fullchain.pem;\n        ssl_certificate_key /etc/letsencrypt/live/a/privkey.pem;\n    }\n";
    let plain = "    server {\n        listen 80;\n        server_name b.example.com;\n        return 301 https://$host$request_uri;\n    }\n";
    let http =
        "    add_header Strict-Transport-Security \"max-age=300\" always;\n    ssl_stapling on;\n";
    let main = |servers: &[&str]| format!("events {{\n}}\nhttp {{\n{http}{}}}\n", servers.concat());
    let both = main(&[tls, plain]);
    let plain_edited = both.replace("b.example.com", "c.example.com");
    let no_tls = main(&[&tls.replace("listen 443 ssl;", "listen 8443;"), plain]);
    let own = both.replace(
        "        return 301",
        "        ssl_stapling on;\n        listen 443 ssl;\n        add_header X-Frame-Options DENY;\n        return 301",
    );
    let codes = edits_agree(
        "/etc/nginx/nginx.conf",
        &[&both, &plain_edited, &no_tls, &both, &own, &plain_edited],
    );
    let count = |i: usize, code: &str| codes[i].iter().filter(|&&c| c == code).count();
    for step in [0, 1, 3] {
        assert_eq!(
            (
                count(step, "NGX015"),
                count(step, "NGX031"),
                count(step, "NGX035")
            ),
            (1, 1, 1),
            "step {step}"
        );
    }
    assert_eq!((count(2, "NGX015"), count(2, "NGX031")), (0, 0));
    // the second server's own header drops the inherited HSTS: NGX015 at that server too
    assert_eq!((count(4, "NGX015"), count(4, "NGX035")), (2, 2));
}
