//! Syntax trees to the model: directives lowered into the arena, includes resolved and spliced.
//! Iterative over nesting (configs may nest 10,000 deep); recursive only over include depth,
//! which is bounded.

use std::num::NonZeroU16 as FieldId;
use std::path::{Path, PathBuf};
use std::sync::{Arc, OnceLock};

use tree_sitter::{Node, Parser, Tree, TreeCursor};

use super::include::{self, Resolution};
use super::lowered::LoweredServers;
use super::model::{
    Arg, Body, Config, Context, DirId, Directive, FileId, IncludeProblem, Inclusion, SourceFile,
};
use crate::source::SourceLoader;
use crate::syntax::{nginx_language, nginx_parser, parse_nginx};
use crate::text::TextRange;

/// Bounds on what includes may pull in: adversarial configs must not hang or exhaust memory.
const MAX_INCLUDE_DEPTH: usize = 16;
const MAX_FILES: usize = 512;
const MAX_INCLUDED_BYTES: usize = 32 << 20;

/// Builds the model of the config at `path` whose tree is already parsed, reading what it
/// includes through `loader`.
pub fn build(path: &Path, text: &str, tree: &Tree, loader: &dyn SourceLoader) -> Config {
    build_reusing(path, text, tree, loader, None)
}

/// [`build`], copying the servers that `reuse` lowered in an earlier build of the same file
/// instead of lowering them again; remembers this build's servers for the next one.
fn build_reusing(
    path: &Path,
    text: &str,
    tree: &Tree,
    loader: &dyn SourceLoader,
    mut reuse: Option<&mut LoweredServers>,
) -> Config {
    let root = root_context(path, text, tree.root_node());
    if let Some(reuse) = reuse.as_deref_mut() {
        reuse.start();
    }
    let mut builder = Builder {
        reuse: reuse.as_deref_mut(),
        loader,
        parser: None,
        prefixes: include::prefixes(path, root),
        config: Config {
            files: vec![SourceFile {
                path: path.to_path_buf(),
                text: Arc::from(text),
                builtin: false,
            }],
            directives: Vec::new(),
            top: Vec::new(),
            root,
            include_problems: Vec::new(),
            analysed: 0,
            index: Default::default(),
            hidden: Default::default(),
        },
        stack: vec![path.to_path_buf()],
        included_bytes: 0,
    };
    let top = builder.lower(0, text, tree.root_node(), None, root, None, 0);
    builder.config.top = top;
    let config = builder.config;
    if let Some(reuse) = reuse {
        reuse.remember(&config, text);
    }
    config
}

/// How many folders above a site file a main config that includes it is looked for.
const MAIN_CONFIG_LEVELS: usize = 4;

/// Builds the model for checking the file at `path`: a site file or snippet is seen through the
/// main config (`nginx.conf` in its folder or up to four folders above, within `project_root`)
/// that includes it, so that what `http {}` sets applies; otherwise (no such main config, or
/// the file is one) the file is built on its own.
pub fn build_for(
    path: &Path,
    text: &str,
    tree: &Tree,
    loader: &dyn SourceLoader,
    project_root: Option<&Path>,
    reuse: Option<&mut LoweredServers>,
) -> Config {
    let own = build_reusing(path, text, tree, loader, reuse);
    if own.root == Context::Main {
        return own;
    }
    for main in main_config_candidates(path, project_root) {
        let Some(main_text) = loader.read(&main) else {
            continue;
        };
        // a main config that does not parse (or not in time) says nothing reliable
        let Ok(main_tree) = parse_nginx(&mut nginx_parser(), &main_text, None) else {
            continue;
        };
        if main_tree.root_node().has_error() {
            continue;
        }
        let mut config = build(&main, &main_text, &main_tree, loader);
        if config.root != Context::Main {
            continue;
        }
        // the main config read this file through the loader: the same text as `text`
        if let Some(file) = config.files.iter().position(|f| f.path == path) {
            config.analysed = file;
            return config;
        }
    }
    own
}

/// `nginx.conf` in the folders above `path`, nearest first, not beyond `project_root`.
fn main_config_candidates(path: &Path, project_root: Option<&Path>) -> Vec<PathBuf> {
    path.ancestors()
        .skip(1)
        .take(MAIN_CONFIG_LEVELS)
        .take_while(|dir| project_root.is_none_or(|root| dir.starts_with(root)))
        .map(|dir| dir.join("nginx.conf"))
        .filter(|candidate| candidate != path)
        .collect()
}

/// Names only a main config (nginx.conf) has at its top level.
const MAIN_ONLY: &[&str] = &[
    "http",
    "events",
    "stream",
    "mail",
    "worker_processes",
    "worker_connections",
    "worker_rlimit_nofile",
    "user",
    "pid",
    "load_module",
    "daemon",
    "master_process",
    "thread_pool",
    "env",
];
/// Names that sit directly in `http {}`: a file with these at its top level is a site file.
const HTTP_LEVEL: &[&str] = &[
    "server",
    "upstream",
    "map",
    "geo",
    "split_clients",
    "limit_req_zone",
    "limit_conn_zone",
    "proxy_cache_path",
    "fastcgi_cache_path",
    "uwsgi_cache_path",
    "log_format",
    "server_names_hash_bucket_size",
];

/// What the top level of a file is: a main config, the inside of `http {}` (a site file),
/// the inside of `server {}` (a snippet of locations), or a fragment.
fn root_context(path: &Path, text: &str, root: Node<'_>) -> Context {
    let names: Vec<&str> = statements(root, &mut root.walk())
        .into_iter()
        .filter_map(|d| d.child_by_field_name("name"))
        .map(|n| &text[n.start_byte()..n.end_byte()])
        .collect();
    let has = |set: &[&str]| names.iter().any(|n| set.contains(n));
    if has(MAIN_ONLY) {
        Context::Main
    } else if has(HTTP_LEVEL) || super::detect::is_site_path(path) {
        Context::Http
    } else if has(&["location", "listen", "server_name"]) {
        Context::Server
    } else {
        Context::Fragment
    }
}

struct Builder<'a> {
    /// Servers of the analysed file lowered by an earlier build, copied instead of lowered.
    reuse: Option<&'a mut LoweredServers>,
    loader: &'a dyn SourceLoader,
    /// Created on the first include only: most configs include nothing Preflight can read.
    parser: Option<Parser>,
    /// Folders relative include paths resolve against, best first.
    prefixes: Vec<PathBuf>,
    config: Config,
    /// The files being included, outermost first (the analysed file first): finds cycles.
    stack: Vec<PathBuf>,
    included_bytes: usize,
}

impl Builder<'_> {
    /// Lowers the statements of `root` (a file's top level) into the arena and returns the
    /// ids of its top-level directives, includes spliced in.
    #[allow(clippy::too_many_arguments)]
    fn lower(
        &mut self,
        file: FileId,
        text: &str,
        root: Node<'_>,
        parent: Option<DirId>,
        context: Context,
        via: Option<DirId>,
        depth: usize,
    ) -> Vec<DirId> {
        let mut top = Vec::new();
        // (statement container, the block directive that owns it, its inner context, depth)
        let mut work: Vec<(Node<'_>, Option<DirId>, Context, usize)> =
            vec![(root, None, context, depth)];
        let mut first = true;
        let mut cursor = root.walk();
        while let Some((container, owner, context, depth)) = work.pop() {
            let owner_or_parent = if first { parent } else { owner };
            let mut list = Vec::new();
            for statement in statements(container, &mut cursor) {
                let (id, body) = self.lower_directive(
                    file,
                    text,
                    statement,
                    &mut cursor,
                    owner_or_parent,
                    context,
                    via,
                    depth,
                );
                list.push(id);
                if file == 0 && self.copy_lowered(id, text, statement) {
                    continue;
                }
                if self.config.directives[id].is("include") {
                    list.extend(self.include(id, owner_or_parent, context, depth));
                }
                if let Some(block) = body.filter(|b| fields().block.contains(&b.kind_id())) {
                    let inner = Context::of_block(self.config.directives[id].name(), context);
                    work.push((block, Some(id), inner, depth + 1));
                }
            }
            if first {
                top = list;
                first = false;
            } else if let Some(body) = owner.and_then(|o| self.config.directives[o].body.as_mut()) {
                body.children = list;
            }
        }
        top
    }

    /// Lowers one directive node (its children read in one pass of `cursor`); returns its id
    /// and its body node.
    #[allow(clippy::too_many_arguments)]
    fn lower_directive<'t>(
        &mut self,
        file: FileId,
        text: &str,
        node: Node<'t>,
        cursor: &mut TreeCursor<'t>,
        parent: Option<DirId>,
        context: Context,
        via: Option<DirId>,
        depth: usize,
    ) -> (DirId, Option<Node<'t>>) {
        let f = fields();
        let mut name = None;
        let mut args = Vec::new();
        let mut body_node = None;
        cursor.reset(node);
        if cursor.goto_first_child() {
            loop {
                match cursor.field_id() {
                    Some(id) if id == f.name && name.is_none() => {
                        name = Some(arg(text, cursor.node()));
                    }
                    Some(id) if id == f.argument => args.push(arg(text, cursor.node())),
                    Some(id) if id == f.body && body_node.is_none() => {
                        body_node = Some(cursor.node());
                    }
                    _ => {}
                }
                if !cursor.goto_next_sibling() {
                    break;
                }
            }
        }
        let name = name.unwrap_or_else(|| Arg {
            value: String::new(),
            range: TextRange::empty(node.start_byte()),
            quoted: false,
        });
        let body = body_node.map(|block| Body {
            open: block.start_byte(),
            close: block.end_byte().saturating_sub(1).max(block.start_byte()),
            children: Vec::new(),
            raw: !f.block.contains(&block.kind_id()),
        });
        let id = self.config.directives.len();
        self.config.directives.push(Directive {
            name,
            args,
            file,
            range: TextRange::new(node.start_byte(), node.end_byte()),
            body,
            parent,
            context,
            via,
            inclusion: None,
            depth,
        });
        (id, body_node)
    }

    /// Gives server `id` of the analysed file (written at `node`) the body an earlier build
    /// lowered from the same text, when there is one; whether it did.
    fn copy_lowered(&mut self, id: DirId, text: &str, node: Node<'_>) -> bool {
        let Some(reuse) = self.reuse.as_deref_mut() else {
            return false;
        };
        let d = &self.config.directives[id];
        let Some(lowered) = reuse.lowered_before(id, d, &text[node.start_byte()..node.end_byte()])
        else {
            return false;
        };
        lowered.copy_into(&mut self.config.directives, id, node.start_byte());
        true
    }

    /// Resolves the include `id` and lowers what it names; returns the spliced directives.
    fn include(
        &mut self,
        id: DirId,
        parent: Option<DirId>,
        context: Context,
        depth: usize,
    ) -> Vec<DirId> {
        let Some(pattern) = self.config.directives[id].arg(0).map(str::to_owned) else {
            return Vec::new();
        };
        let resolution = include::resolve(&pattern, &self.prefixes, self.loader);
        let (files, resolved) = match resolution {
            Resolution::Files(files) => (files, true),
            Resolution::NotFound => {
                self.config.include_problems.push(IncludeProblem::NotFound {
                    include: id,
                    pattern,
                });
                (Vec::new(), false)
            }
            Resolution::Unknown => (Vec::new(), false),
        };
        let mut spliced = Vec::new();
        let mut ids = Vec::new();
        let mut resolved = resolved;
        for found in files {
            if self.stack.contains(&found.path) {
                let mut chain = self.stack.clone();
                chain.push(found.path.clone());
                self.config
                    .include_problems
                    .push(IncludeProblem::Cycle { include: id, chain });
                continue;
            }
            let limit = if self.stack.len() > MAX_INCLUDE_DEPTH {
                Some("includes nested too deeply")
            } else if self.config.files.len() >= MAX_FILES {
                Some("too many included files")
            } else if self.included_bytes + found.text.len() > MAX_INCLUDED_BYTES {
                Some("too much included text")
            } else {
                None
            };
            if let Some(what) = limit {
                self.config
                    .include_problems
                    .push(IncludeProblem::Limit { include: id, what });
                resolved = false;
                break;
            }
            let parser = self.parser.get_or_insert_with(nginx_parser);
            let Ok(tree) = parse_nginx(parser, &found.text, None) else {
                self.config.include_problems.push(IncludeProblem::Limit {
                    include: id,
                    what: "an included file took too long to parse",
                });
                resolved = false;
                continue;
            };
            self.included_bytes += found.text.len();
            let file = self.config.files.len();
            ids.push(file);
            self.config.files.push(SourceFile {
                path: found.path.clone(),
                text: found.text.clone(),
                builtin: found.builtin,
            });
            self.stack.push(found.path);
            let text = found.text.clone();
            spliced.extend(self.lower(
                file,
                &text,
                tree.root_node(),
                parent,
                context,
                Some(id),
                depth,
            ));
            self.stack.pop();
        }
        self.config.directives[id].inclusion = Some(Inclusion {
            files: ids,
            resolved,
        });
        spliced
    }
}

/// The grammar's field and kind ids the builder asks every node for, looked up once
/// (`child_by_field_name` and `kind` compare strings on each call).
struct Fields {
    name: FieldId,
    argument: FieldId,
    body: FieldId,
    /// Every kind id named `block` and `directive` (an alias may have an id of its own).
    block: Vec<u16>,
    directive: Vec<u16>,
    string: Vec<u16>,
}

fn fields() -> &'static Fields {
    static FIELDS: OnceLock<Fields> = OnceLock::new();
    FIELDS.get_or_init(|| {
        let language = nginx_language();
        let field = |name: &str| {
            language
                .field_id_for_name(name)
                .unwrap_or_else(|| panic!("the nginx grammar has the field {name}"))
        };
        Fields {
            name: field("name"),
            argument: field("argument"),
            body: field("body"),
            block: kinds(&language, "block"),
            directive: kinds(&language, "directive"),
            string: kinds(&language, "string"),
        }
    })
}

/// The ids of the named node kinds called `name`.
fn kinds(language: &tree_sitter::Language, name: &str) -> Vec<u16> {
    (0..language.node_kind_count() as u16)
        .filter(|&id| {
            language.node_kind_is_named(id) && language.node_kind_for_id(id) == Some(name)
        })
        .collect()
}

/// The directive nodes directly in a container (a file or a block), including those tree-sitter
/// wrapped in an ERROR while recovering.
fn statements<'t>(container: Node<'t>, cursor: &mut TreeCursor<'t>) -> Vec<Node<'t>> {
    // the usual case, one pass: directives only, in document order
    let f = fields();
    let mut out = Vec::new();
    let mut simple = true;
    cursor.reset(container);
    if cursor.goto_first_child() {
        loop {
            let child = cursor.node();
            if child.is_named() {
                if child.is_error() {
                    simple = false;
                    break;
                }
                if f.directive.contains(&child.kind_id()) {
                    if out
                        .last()
                        .is_some_and(|last: &Node<'_>| last.start_byte() >= child.start_byte())
                    {
                        simple = false;
                        break;
                    }
                    out.push(child);
                }
            }
            if !cursor.goto_next_sibling() {
                break;
            }
        }
    }
    if simple {
        return out;
    }
    out.clear();
    let mut pending: Vec<Node<'_>> = vec![container];
    while let Some(node) = pending.pop() {
        let mut cursor = node.walk();
        let children: Vec<Node<'_>> = node.named_children(&mut cursor).collect();
        for child in children.into_iter().rev() {
            match child.kind() {
                "directive" => out.push(child),
                "ERROR" => pending.push(child),
                _ => {}
            }
        }
    }
    // collected back to front per container; restore document order
    out.sort_by_key(|n| n.start_byte());
    out
}

/// An argument's value as nginx sees it.
fn arg(text: &str, node: Node<'_>) -> Arg {
    let raw = &text[node.start_byte()..node.end_byte()];
    let quoted = fields().string.contains(&node.kind_id()) && raw.len() >= 2;
    let inner = if quoted { &raw[1..raw.len() - 1] } else { raw };
    Arg {
        value: unescape(inner),
        range: TextRange::new(node.start_byte(), node.end_byte()),
        quoted,
    }
}

/// nginx's escapes, resolved in quoted and unquoted tokens alike (`ngx_conf_read_token`).
pub fn unescape(raw: &str) -> String {
    if !raw.contains('\\') {
        return raw.to_owned();
    }
    let mut out = String::with_capacity(raw.len());
    let mut chars = raw.chars().peekable();
    while let Some(c) = chars.next() {
        if c != '\\' {
            out.push(c);
            continue;
        }
        match chars.peek() {
            Some(&q @ ('"' | '\'' | '\\')) => {
                out.push(q);
                chars.next();
            }
            Some('t') => {
                out.push('\t');
                chars.next();
            }
            Some('r') => {
                out.push('\r');
                chars.next();
            }
            Some('n') => {
                out.push('\n');
                chars.next();
            }
            _ => out.push('\\'),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::nginx::model::Inheritance;
    use crate::source::MemoryLoader;
    use crate::syntax::nginx_tree;

    fn config_of(path: &str, text: &str, loader: &MemoryLoader) -> Config {
        let tree = nginx_tree(text);
        build(Path::new(path), text, &tree, loader)
    }

    #[test]
    fn contexts_parents_and_arguments() {
        let text = "http {\n  server { listen 80; location /a/ { return 200 \"x\\\"y\"; } }\n}\n";
        let c = config_of("/etc/nginx/nginx.conf", text, &MemoryLoader::default());
        assert_eq!(c.root, Context::Main);
        let ret = c.walk().find(|&id| c.get(id).is("return")).unwrap();
        assert_eq!(c.get(ret).context, Context::Location);
        assert_eq!(c.get(ret).args[1].value, "x\"y");
        assert!(c.get(ret).args[1].quoted);
        let server = c.enclosing(ret, "server").unwrap();
        assert_eq!(c.get(server).context, Context::Http);
        assert_eq!(c.get(ret).depth, 3);
        assert_eq!(c.servers().count(), 1);
    }

    #[test]
    fn a_site_file_is_the_inside_of_http() {
        let text = "upstream app { server 127.0.0.1:8000; }\nserver { listen 80; }\n";
        let c = config_of("/srv/deploy/site.conf", text, &MemoryLoader::default());
        assert_eq!(c.root, Context::Http);
        // the upstream's `server` entry is not an HTTP server
        assert_eq!(c.servers().count(), 1);
    }

    #[test]
    fn includes_are_spliced_in_place_with_globs_in_sorted_order() {
        let loader = MemoryLoader::default()
            .with("/etc/nginx/conf.d/b.conf", "server { listen 81; }\n")
            .with("/etc/nginx/conf.d/a.conf", "server { listen 80; }\n")
            .with("/etc/nginx/conf.d/skip.txt", "server { listen 82; }\n");
        let text = "events {}\nhttp {\n  include conf.d/*.conf;\n  server_tokens off;\n}\n";
        let c = config_of("/etc/nginx/nginx.conf", text, &loader);
        let http = c.first(None, "http").unwrap();
        let names: Vec<&str> = c
            .children_of(Some(http))
            .iter()
            .map(|&i| c.get(i).name())
            .collect();
        assert_eq!(names, ["include", "server", "server", "server_tokens"]);
        let listens: Vec<&str> = c
            .walk()
            .filter(|&i| c.get(i).is("listen"))
            .map(|i| c.get(i).arg(0).unwrap())
            .collect();
        assert_eq!(listens, ["80", "81"]);
        let server = c.servers().next().unwrap();
        assert!(!c.is_local(server));
        assert_eq!(c.anchor(server), c.first(Some(http), "include"));
        assert!(c.include_problems.is_empty());
    }

    #[test]
    fn missing_includes_and_cycles_are_problems_not_crashes() {
        let loader = MemoryLoader::default()
            .with("/etc/nginx/a.conf", "include b.conf;\n")
            .with("/etc/nginx/b.conf", "include a.conf;\n");
        let text = "events {}\nhttp { include a.conf; include missing.conf; }\n";
        let c = config_of("/etc/nginx/nginx.conf", text, &loader);
        assert!(
            c.include_problems
                .iter()
                .any(|p| matches!(p, IncludeProblem::Cycle { .. }))
        );
        assert!(c.include_problems.iter().any(
            |p| matches!(p, IncludeProblem::NotFound { pattern, .. } if pattern == "missing.conf")
        ));
        let http = c.first(None, "http").unwrap();
        assert!(c.has_unresolved_include(Some(http)));
    }

    #[test]
    fn self_inclusion_stops() {
        let loader = MemoryLoader::default().with("/etc/nginx/nginx.conf", "include nginx.conf;\n");
        let text = "events {}\ninclude nginx.conf;\n";
        let c = config_of("/etc/nginx/nginx.conf", text, &loader);
        assert_eq!(c.files.len(), 1);
        assert!(matches!(
            c.include_problems[0],
            IncludeProblem::Cycle { .. }
        ));
    }

    #[test]
    fn an_include_too_slow_to_parse_is_not_followed() {
        let slow = "server { listen 80; }\n".repeat(20_000);
        let loader = MemoryLoader::default()
            .with("/etc/nginx/slow.conf", &slow)
            .with("/etc/nginx/fast.conf", "server_tokens off;\n");
        let text = "events {}\nhttp { include slow.conf; include fast.conf; }\n";
        let tree = nginx_tree(text);
        let c = crate::syntax::with_budget(std::time::Duration::from_millis(1), || {
            build(Path::new("/etc/nginx/nginx.conf"), text, &tree, &loader)
        });
        assert!(matches!(
            c.include_problems[..],
            [IncludeProblem::Limit {
                what: "an included file took too long to parse",
                ..
            }]
        ));
        // the slow file is not part of the config; the next include is followed
        let paths: Vec<_> = c.files.iter().map(|f| f.path.to_str().unwrap()).collect();
        assert_eq!(paths, ["/etc/nginx/nginx.conf", "/etc/nginx/fast.conf"]);
        assert!(c.has_unresolved_include(c.first(None, "http")));
    }

    #[test]
    fn array_directives_follow_nginx_inheritance() {
        let text = "server {\n  add_header A 1;\n  proxy_set_header Host $host;\n  location / { add_header B 2; }\n  location /x { }\n}\n";
        let c = config_of("/srv/site.conf", text, &MemoryLoader::default());
        let locs: Vec<DirId> = c.locations(c.servers().next().unwrap()).collect();
        let first = c.effective_array(Some(locs[0]), "add_header").unwrap();
        assert_eq!(first.directives.len(), 1);
        assert_eq!(c.get(first.directives[0]).arg(0), Some("B"));
        let second = c.effective_array(Some(locs[1]), "add_header").unwrap();
        assert_eq!(c.get(second.directives[0]).arg(0), Some("A"));
        assert_eq!(
            c.effective_array(Some(locs[0]), "proxy_set_header")
                .unwrap()
                .directives
                .len(),
            1
        );
    }

    #[test]
    fn add_header_inherit_merges_or_cuts_and_is_itself_inherited() {
        let names = |c: &Config, block: Option<DirId>, name: &str| -> Vec<String> {
            let found = c.effective_array(block, name).unwrap();
            found
                .directives
                .iter()
                .map(|&d| c.get(d).arg(0).unwrap().to_owned())
                .collect()
        };
        let text = "add_header A 1;\nadd_trailer T 1;\nadd_header_inherit merge;\nserver {\n  add_header B 2;\n  location /m { add_header C 3; }\n  location /o { add_header_inherit off; }\n  location /n { add_header_inherit on; add_header D 4; }\n  location /t { add_trailer_inherit off; }\n}\n";
        let c = config_of("/srv/site.conf", text, &MemoryLoader::default());
        let server = c.servers().next().unwrap();
        let locs: Vec<DirId> = c.locations(server).collect();
        assert_eq!(names(&c, Some(server), "add_header"), ["B", "A"]);
        assert_eq!(names(&c, Some(locs[0]), "add_header"), ["C", "B", "A"]);
        assert!(names(&c, Some(locs[1]), "add_header").is_empty());
        assert_eq!(
            c.array_inheritance(Some(locs[1]), "add_header"),
            Inheritance::Off
        );
        assert_eq!(names(&c, Some(locs[2]), "add_header"), ["D"]);
        assert_eq!(names(&c, Some(locs[3]), "add_header"), ["B", "A"]);
        assert_eq!(names(&c, Some(locs[0]), "add_trailer"), ["T"]);
        assert!(names(&c, Some(locs[3]), "add_trailer").is_empty());
        assert_eq!(
            c.array_inheritance(Some(locs[0]), "proxy_set_header"),
            Inheritance::On
        );
    }

    #[test]
    fn deep_nesting_is_lowered_without_recursion() {
        let depth = 10_000;
        let text = format!("{}{}", "location / {".repeat(depth), "}".repeat(depth));
        let c = config_of("/srv/site.conf", &text, &MemoryLoader::default());
        assert_eq!(c.directives.len(), depth);
        assert_eq!(c.walk().count(), depth);
    }

    #[test]
    fn a_site_file_is_seen_through_the_main_config_that_includes_it() {
        let site = "server {\n    listen 80;\n}\n";
        let loader = MemoryLoader::default()
            .with(
                "/repo/nginx/nginx.conf",
                "events {}\nhttp {\n    server_tokens off;\n    include sites-enabled/*;\n}\n",
            )
            .with("/repo/nginx/sites-enabled/app", site);
        let tree = nginx_tree(site);
        let path = Path::new("/repo/nginx/sites-enabled/app");
        let c = build_for(path, site, &tree, &loader, Some(Path::new("/repo")), None);
        assert_eq!(c.files[c.analysed].path, path);
        let server = c.servers().next().unwrap();
        assert!(c.is_local(server));
        assert!(
            c.effective(Some(server), "server_tokens")
                .unwrap()
                .is_some()
        );
        // a main config that does not include it is not used
        let other = Path::new("/repo/nginx/conf.d/other.conf");
        let c = build_for(other, site, &tree, &loader, Some(Path::new("/repo")), None);
        assert_eq!((c.analysed, c.root), (0, Context::Http));
    }

    #[test]
    fn unescape_follows_nginx() {
        assert_eq!(unescape(r#"a\"b\\c\td\x"#), "a\"b\\c\td\\x");
    }
}
