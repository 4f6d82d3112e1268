//! What an nginx rule works with: the model, the analysed file, location routing, and the ways
//! to report a finding and build its fix (as edits of the analysed file).

use std::cell::{OnceCell, RefCell, RefMut};
use std::path::Path;

use crate::analysis::Options;
use crate::diagnostic::{Diagnostic, Edit, Fix};
use crate::nginx::location::Router;
use crate::nginx::model::{Config, DirId};
use crate::text::TextRange;

use super::lookup::Lookup;

/// How far a rule function reads, which decides whether an incremental analysis may reuse
/// its findings server by server (`memo`). A function that judges a setting by what the
/// servers do with it runs under both, reporting only what [`Ctx::owns`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Reach {
    /// Its findings inside an HTTP `server {}` of the analysed file depend only on that server
    /// and on what lies outside every server (`http`, maps, upstreams, included files); its
    /// findings outside the servers depend on that outside only.
    Server,
    /// It compares servers with each other (default servers, names, ports): it runs on the
    /// whole config every time.
    Config,
}

pub struct Ctx<'a> {
    pub config: &'a Config,
    pub path: &'a Path,
    /// The analysed file's text (`config.files[0]`).
    pub text: &'a str,
    pub options: &'a Options,
    router: RefCell<Router<'a>>,
    /// Inheritance answers, remembered for every rule of this check.
    lookup: Lookup<'a>,
    /// Whether the analysed file indents with tabs (looked up once: files can be 10 MB).
    tabs: OnceCell<bool>,
    /// The rule functions this check runs (`None`: all of them).
    reach: Option<Reach>,
}

impl<'a> Ctx<'a> {
    pub fn new(config: &'a Config, path: &'a Path, text: &'a str, options: &'a Options) -> Self {
        Self {
            config,
            path,
            text,
            options,
            router: RefCell::new(Router::new(config)),
            lookup: Lookup::new(config),
            tabs: OnceCell::new(),
            reach: None,
        }
    }

    /// This context for the rule functions of one reach only; `tabs` is already known.
    pub fn only(mut self, reach: Reach, tabs: bool) -> Self {
        self.reach = Some(reach);
        self.tabs = OnceCell::from(tabs);
        self
    }

    /// Whether rule functions of `reach` run in this check.
    pub fn runs(&self, reach: Reach) -> bool {
        self.reach.is_none_or(|r| r == reach)
    }

    /// For a rule function that runs under both reaches, reporting at the directive whose
    /// setting it judges: whether a finding at `id` is this check's. A directive in a server is
    /// judged with that server ([`Reach::Server`]); one outside every server may be judged by
    /// what the servers do with it ([`Reach::Config`]).
    pub fn owns(&self, id: DirId) -> bool {
        match self.reach {
            None => true,
            Some(reach) => (reach == Reach::Server) == self.config.in_server(id),
        }
    }

    /// The directives this check may report at, for a rule function under both reaches (see
    /// [`Ctx::owns`]).
    pub fn owned(&self) -> Box<dyn Iterator<Item = DirId> + 'a> {
        let config = self.config;
        match self.reach {
            None => Box::new(config.walk()),
            Some(Reach::Server) => Box::new(config.walk().filter(|&id| config.in_server(id))),
            Some(Reach::Config) => Box::new(config.walk_outside_servers()),
        }
    }

    /// Location routing with the config's regexes compiled once.
    pub fn router(&self) -> RefMut<'_, Router<'a>> {
        self.router.borrow_mut()
    }

    /// Inheritance lookups (plain and array directives), remembered across rules.
    pub fn lookup(&self) -> &Lookup<'a> {
        &self.lookup
    }

    /// A diagnostic of rule `code` at `range` of the analysed file.
    pub fn diagnostic(&self, code: &'static str, range: TextRange, message: String) -> Diagnostic {
        let rule = super::rule(code);
        Diagnostic {
            path: self.path.to_path_buf(),
            range,
            severity: rule.severity,
            code: rule.code,
            message,
            references: rule
                .gixy
                .map(|plugin| ("gixy", plugin.to_string()))
                .into_iter()
                .collect(),
            related: Vec::new(),
            fix: None,
            alternatives: Vec::new(),
        }
    }

    /// Reports a finding at directive `id`: its name and arguments (a block directive's head),
    /// or the `include` it came through. Nothing when it lives in a file included from
    /// elsewhere. Returns the diagnostic so the rule can attach a fix.
    pub fn report<'o>(
        &self,
        out: &'o mut Vec<Diagnostic>,
        code: &'static str,
        id: DirId,
        message: impl Into<String>,
    ) -> Option<&'o mut Diagnostic> {
        let anchor = self.config.anchor(id)?;
        let mut message = message.into();
        if anchor != id {
            let file = &self.config.files[self.config.get(id).file];
            message.push_str(&format!(
                " (in {}, included here)",
                file.path.file_name().unwrap_or_default().to_string_lossy()
            ));
        }
        out.push(self.diagnostic(code, self.focus(anchor), message));
        out.last_mut()
    }

    /// Reports a finding at argument `arg` of directive `id` (at the directive when the
    /// argument is missing or the directive is not in the analysed file).
    pub fn report_arg<'o>(
        &self,
        out: &'o mut Vec<Diagnostic>,
        code: &'static str,
        id: DirId,
        arg: usize,
        message: impl Into<String>,
    ) -> Option<&'o mut Diagnostic> {
        match self.config.get(id).args.get(arg) {
            Some(a) if self.config.is_local(id) => {
                out.push(self.diagnostic(code, a.range, message.into()));
                out.last_mut()
            }
            _ => self.report(out, code, id, message),
        }
    }

    /// Where a finding about directive `id` (in the analysed file) is shown: a block
    /// directive's head, a simple directive's whole statement.
    pub fn focus(&self, id: DirId) -> TextRange {
        let d = self.config.get(id);
        if d.body.is_some() {
            d.head_range()
        } else {
            d.range
        }
    }

    // ----- fixes: edits of the analysed file only -----

    /// Replaces argument `arg` of directive `id` with `new_text` (written as is: quote it
    /// yourself when needed).
    pub fn replace_arg(&self, id: DirId, arg: usize, new_text: &str, title: &str) -> Option<Fix> {
        let a = self.local(id)?.args.get(arg)?;
        Some(fix(title, vec![Edit::replace(a.range, new_text)]))
    }

    /// Replaces the whole statement `id` (a simple directive) with `statement`.
    pub fn replace_directive(&self, id: DirId, statement: &str, title: &str) -> Option<Fix> {
        let d = self.local(id)?;
        Some(fix(title, vec![Edit::replace(d.range, statement)]))
    }

    /// Removes the statement `id`, with its line when it stands alone on it.
    pub fn remove_directive(&self, id: DirId, title: &str) -> Option<Fix> {
        let d = self.local(id)?;
        let line_start = self.text[..d.range.start].rfind('\n').map_or(0, |i| i + 1);
        let line_end = self.text[d.range.end..]
            .find('\n')
            .map_or(self.text.len(), |i| d.range.end + i + 1);
        let alone = self.text[line_start..d.range.start].trim().is_empty()
            && self.text[d.range.end..line_end].trim().is_empty();
        let range = if alone {
            TextRange::new(line_start, line_end)
        } else {
            d.range
        };
        Some(fix(title, vec![Edit::replace(range, "")]))
    }

    /// Inserts statements (without indentation or newline) at the start of a block, indented
    /// like its contents. `None` for the top level of a file.
    pub fn insert_in_block(&self, block: DirId, statements: &[&str], title: &str) -> Option<Fix> {
        let body = self.local(block)?.body.as_ref()?;
        let after_brace = body.open + 1;
        let indent = self.child_indent(block);
        let rest_of_line = &self.text[after_brace..];
        let newline = rest_of_line.find('\n');
        let text = match newline {
            // `{` ends its line: new lines after it
            Some(i)
                if rest_of_line[..i].trim().is_empty()
                    || rest_of_line[..i].trim().starts_with('#') =>
            {
                let at = after_brace + i + 1;
                let lines: String = statements
                    .iter()
                    .map(|s| format!("{indent}{s}\n"))
                    .collect();
                return Some(fix(title, vec![Edit::insert(at, lines)]));
            }
            // a one-line block: ` stmt;` right after the brace
            _ => statements
                .iter()
                .map(|s| format!(" {s}"))
                .collect::<String>(),
        };
        Some(fix(title, vec![Edit::insert(after_brace, text)]))
    }

    /// Inserts statements on new lines after statement `id`, indented like it.
    pub fn insert_after(&self, id: DirId, statements: &[&str], title: &str) -> Option<Fix> {
        let d = self.local(id)?;
        let indent = self.indent_at(d.range.start);
        let text: String = statements
            .iter()
            .map(|s| format!("\n{indent}{s}"))
            .collect();
        Some(fix(title, vec![Edit::insert(d.range.end, text)]))
    }

    /// The leading whitespace of the line holding `offset`.
    pub fn indent_at(&self, offset: usize) -> &'a str {
        let start = self.text[..offset].rfind('\n').map_or(0, |i| i + 1);
        let line = &self.text[start..];
        &line[..line.len() - line.trim_start_matches([' ', '\t']).len()]
    }

    /// How the contents of `block` are indented: like its first child on its own line, else
    /// one level (four spaces, or a tab in a tab-indented file) deeper than the block.
    pub fn child_indent(&self, block: DirId) -> String {
        let d = self.config.get(block);
        if let Some(&child) = d.children().iter().find(|&&c| self.config.is_local(c)) {
            let start = self.config.get(child).range.start;
            let indent = self.indent_at(start);
            let line_start = self.text[..start].rfind('\n').map_or(0, |i| i + 1);
            if line_start + indent.len() == start {
                return indent.to_owned();
            }
        }
        let unit = if *self.tabs.get_or_init(|| self.text.contains("\n\t")) {
            "\t"
        } else {
            "    "
        };
        format!("{}{unit}", self.indent_at(d.range.start))
    }

    /// The directive, when it is written in the analysed file (fixes edit that file only).
    fn local(&self, id: DirId) -> Option<&'a crate::nginx::model::Directive> {
        self.config.is_local(id).then(|| self.config.get(id))
    }
}

fn fix(title: &str, edits: Vec<Edit>) -> Fix {
    Fix {
        title: title.to_owned(),
        edits,
        safe: true,
    }
}
