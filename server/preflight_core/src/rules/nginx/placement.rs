//! Where the fixes of the server and TLS rules put new statements: before a statement, into a
//! block, a whole `server {}` block, a flag into `listen`, and where a setting belongs (the
//! `http` block of a main config, or the server itself in a site file, whose `http` is
//! elsewhere).

use crate::diagnostic::{Edit, Fix};
use crate::nginx::model::{Context, DirId};
use crate::text::TextRange;

use super::Ctx;

pub fn fix(title: &str, edits: Vec<Edit>, safe: bool) -> Fix {
    Fix {
        title: title.to_owned(),
        edits,
        safe,
    }
}

/// One indentation step, as `block` indents its contents (four spaces when it cannot tell).
fn unit(ctx: &Ctx<'_>, block: DirId) -> String {
    let own = ctx.indent_at(ctx.config.get(block).range.start);
    match ctx.child_indent(block).strip_prefix(own) {
        Some(step) if !step.is_empty() => step.to_owned(),
        _ => "    ".to_owned(),
    }
}

/// Lines `(depth, text)` indented under `base`.
fn render(base: &str, unit: &str, lines: &[(usize, String)]) -> String {
    lines
        .iter()
        .map(|(depth, line)| match line.as_str() {
            "" => "\n".to_owned(),
            _ => format!("{base}{}{line}\n", unit.repeat(*depth)),
        })
        .collect()
}

/// An edit inserting `lines` (relative depths) on their own lines before statement `id` of
/// the analysed file, indented like it, followed by a blank line when `blank_after`.
pub fn before(
    ctx: &Ctx<'_>,
    id: DirId,
    lines: &[(usize, String)],
    blank_after: bool,
) -> Option<Edit> {
    if !ctx.config.is_local(id) {
        return None;
    }
    let start = ctx.config.get(id).range.start;
    let indent = ctx.indent_at(start);
    let line_start = ctx.text[..start].rfind('\n').map_or(0, |i| i + 1);
    if line_start + indent.len() != start {
        // something precedes it on its line: keep to that line
        let inline: Vec<&str> = lines.iter().map(|(_, l)| l.as_str()).collect();
        return Some(Edit::insert(start, format!("{} ", inline.join(" "))));
    }
    // a block inserted before a block is indented like that one's contents
    let d = ctx.config.get(id);
    let step = if d.body.is_some() {
        unit(ctx, id)
    } else {
        match d.parent {
            Some(parent) if ctx.config.is_local(parent) => unit(ctx, parent),
            _ => "    ".to_owned(),
        }
    };
    let mut text = render(indent, &step, lines);
    if blank_after {
        text.push('\n');
    }
    Some(Edit::insert(line_start, text))
}

/// An edit inserting `lines` (relative depths) at the start of `block`'s body.
pub fn into_block(ctx: &Ctx<'_>, block: DirId, lines: &[(usize, String)]) -> Option<Edit> {
    if !ctx.config.is_local(block) {
        return None;
    }
    let body = ctx.config.get(block).body.as_ref()?;
    let after_brace = body.open + 1;
    let rest = ctx.text.get(after_brace..)?;
    match rest.find('\n') {
        Some(i) if rest[..i].trim().is_empty() || rest[..i].trim().starts_with('#') => {
            let indent = ctx.child_indent(block);
            Some(Edit::insert(
                after_brace + i + 1,
                render(&indent, &unit(ctx, block), lines),
            ))
        }
        _ => {
            let inline: String = lines.iter().map(|(_, l)| format!(" {l}")).collect();
            Some(Edit::insert(after_brace, inline))
        }
    }
}

/// Statements at depth 0.
pub fn flat(statements: &[&str]) -> Vec<(usize, String)> {
    statements.iter().map(|s| (0, (*s).to_owned())).collect()
}

/// The block a setting for `server` belongs in: the enclosing `http` of a main config (one
/// edit fixes every server), else the server itself.
pub fn setting_block(ctx: &Ctx<'_>, server: DirId) -> DirId {
    match ctx.config.enclosing(server, "http") {
        Some(http) if ctx.config.root == Context::Main && ctx.config.is_local(http) => http,
        _ => server,
    }
}

/// An edit appending ` flag` to the arguments of directive `id` (e.g. `default_server` to a
/// `listen`).
pub fn append_arg(ctx: &Ctx<'_>, id: DirId, flag: &str) -> Option<Edit> {
    if !ctx.config.is_local(id) {
        return None;
    }
    let end = ctx.config.get(id).head_range().end;
    Some(Edit::insert(end, format!(" {flag}")))
}

/// An edit removing argument `arg` of directive `id` with the whitespace before it.
pub fn remove_arg(ctx: &Ctx<'_>, id: DirId, arg: usize) -> Option<Edit> {
    if !ctx.config.is_local(id) {
        return None;
    }
    let d = ctx.config.get(id);
    let a = d.args.get(arg)?;
    let before = ctx.text.get(..a.range.start)?;
    let start = before.trim_end_matches([' ', '\t']).len();
    Some(Edit::replace(TextRange::new(start, a.range.end), ""))
}

/// A catch-all default server for a socket as written in `listen` (e.g. `443 ssl`), that
/// rejects every request (and, for TLS, the handshake: no certificate needed).
pub fn catch_all_server(listen: &str, tls: bool) -> Vec<(usize, String)> {
    let mut lines = vec![
        (0, "server {".to_owned()),
        (1, format!("listen {listen} default_server;")),
        (1, "server_name _;".to_owned()),
    ];
    if tls {
        lines.push((1, "ssl_reject_handshake on;".to_owned()));
    }
    lines.push((1, "return 444;".to_owned()));
    lines.push((0, "}".to_owned()));
    lines
}

/// An edit inserting a new `server {}` block next to the servers of the config: before the
/// first server of the analysed file (or at the start of its `http` block).
pub fn new_server(ctx: &Ctx<'_>, lines: &[(usize, String)]) -> Option<Edit> {
    let config = ctx.config;
    let first_local_server = config
        .servers()
        .find(|&s| config.is_local(s) && config.get(s).parent.is_none_or(|p| config.is_local(p)));
    if let Some(server) = first_local_server {
        return before(ctx, server, lines, true);
    }
    // a main config whose servers are all included: the top of its http block
    let http = config
        .walk()
        .find(|&id| config.get(id).is("http") && config.get(id).context == Context::Main)?;
    let mut with_blank = lines.to_vec();
    with_blank.push((0, String::new()));
    into_block(ctx, http, &with_blank)
}

/// An edit removing statement `id`: its line when it stands alone on it, else the statement
/// with the blanks before it.
pub fn remove(ctx: &Ctx<'_>, id: DirId) -> Option<Edit> {
    let mut edits = ctx.remove_directive(id, "")?.edits;
    let mut edit = edits.pop()?;
    if edit.range == ctx.config.get(id).range {
        let before = ctx.text.get(..edit.range.start)?;
        let start = before.trim_end_matches([' ', '\t']).len();
        edit.range = TextRange::new(start, edit.range.end);
    }
    Some(edit)
}
