//! The findings of unchanged servers, reused by the next analysis of the same file (an editing
//! session). After an edit inside one `server {}`, the server-local rules ([`Reach::Server`])
//! run again on that server and on what lies outside the servers only; the cross-server rules
//! ([`Reach::Config`]) run on the whole config, as always.
//!
//! A server's findings are reused when its text (from the start of its line) and everything
//! outside it are the same as when they were found: the rest of the analysed file outside the
//! servers, the other files of the config, what the servers declare for all (`js_var`),
//! whether the file indents with tabs, the project. A finding's ranges are kept relative to its
//! server, or to the text outside the servers when they lie there (a fix that edits the `http`
//! block); a finding with a range in another server is not kept, nor one that inserts right
//! at a server's edge (placed by the server or by the outside: which one cannot be told).

use std::path::{Path, PathBuf};
use std::sync::Arc;

use rustc_hash::FxHashMap;

use super::context::{Ctx, Reach};
use crate::analysis::Options;
use crate::diagnostic::Diagnostic;
use crate::nginx::LoweredServers;
use crate::nginx::model::{Config, DirId};
use crate::project::Project;
use crate::text::TextRange;

/// How many files' findings are kept (the documents being edited).
const FILES: usize = 8;
/// Files bigger than this are analysed whole each time: what the memo keeps grows with the
/// file (a second copy of its servers' model), and such files are generated, not typed in.
const MAX_TEXT: usize = 4 << 20;

/// The findings of the servers of the files analysed lately (off unless enabled: a one-shot
/// run analyses each file once).
#[derive(Default)]
pub struct ServerMemo {
    enabled: bool,
    files: FxHashMap<PathBuf, FileMemo>,
    clock: u64,
}

#[derive(Default)]
struct FileMemo {
    /// What the remembered findings were found in (`None` before the first analysis).
    surroundings: Option<Surroundings>,
    /// Findings of the server-local rules in each server, by the server's text (from the start
    /// of its line).
    servers: FxHashMap<Box<str>, Remembered>,
    used: u64,
    /// The servers of the last build of the model, lowered.
    lowered: LoweredServers,
    /// How many servers the last analysis checked (the others' findings were remembered).
    checked: usize,
}

/// A server's findings, stored by [`Frame::remember`].
struct Remembered {
    findings: Vec<Diagnostic>,
    /// The last analysis that used them ([`FileMemo::used`]).
    used: u64,
}

/// What a server's findings depend on besides its own text.
#[derive(PartialEq)]
struct Surroundings {
    /// The analysed file's text outside its servers, a NUL where each server stands.
    outside: String,
    /// The other files of the config (the main config of a site file, included files).
    files: Vec<(PathBuf, Arc<str>)>,
    tabs: bool,
    /// What the servers declare for the whole config (`js_var`, `map`), which the other
    /// servers' rules read.
    declared_in_servers: Vec<Arc<str>>,
    project: Option<ProjectRef>,
    django_version: crate::django_version::DjangoVersion,
}

/// A project compared by identity: a reloaded configuration is a new `Project`.
struct ProjectRef(Arc<Project>);

impl PartialEq for ProjectRef {
    fn eq(&self, other: &Self) -> bool {
        Arc::ptr_eq(&self.0, &other.0)
    }
}

/// A `server {}` written in the analysed file, and its text as the memo knows it.
struct Unit<'t> {
    id: DirId,
    range: TextRange,
    key: &'t str,
}

impl ServerMemo {
    pub fn enable(&mut self) {
        self.enabled = true;
    }

    /// Every nginx rule on `config`, the server-local rules' findings of unchanged servers
    /// taken from the memo; the same findings, in the same order, as [`super::check`].
    pub fn check(
        &mut self,
        config: &mut Config,
        path: &Path,
        text: &str,
        options: &Options,
    ) -> Vec<Diagnostic> {
        if !self.enabled || text.len() > MAX_TEXT {
            return super::check(config, path, text, options);
        }
        let units = units(config, text);
        if units.is_empty() {
            return super::check(config, path, text, options);
        }
        let tabs = text.contains("\n\t");
        let frame = Frame::new(&units);
        let surroundings = surroundings(config, text, &frame, tabs, options);
        let file = self.file(path);
        if file.surroundings.as_ref() != Some(&surroundings) {
            file.servers.clear();
            file.surroundings = Some(surroundings);
        }

        // the servers whose findings are known stay out of the server-local rules' walk
        let now = file.used;
        let known: Vec<bool> = units
            .iter()
            .map(|u| file.servers.get_mut(u.key).map(|r| r.used = now).is_some())
            .collect();
        config.hidden = units
            .iter()
            .zip(&known)
            .filter(|&(_, &known)| known)
            .map(|(u, _)| u.id)
            .collect();
        file.checked = units.len() - config.hidden.len();
        let local = {
            let ctx = Ctx::new(config, path, text, options).only(Reach::Server, tabs);
            super::run_families(&ctx)
        };
        config.hidden.clear();
        let mut out = {
            let ctx = Ctx::new(config, path, text, options).only(Reach::Config, tabs);
            super::run_families(&ctx)
        };

        let mut found: Vec<Vec<Diagnostic>> = units.iter().map(|_| Vec::new()).collect();
        for d in local {
            match frame.unit_at(d.range.start) {
                // a rule that reached a known server without the walk: its finding is known
                Some(i) if known[i] => {}
                Some(i) => found[i].push(d),
                None => out.push(d),
            }
        }
        for (i, findings) in found.into_iter().enumerate() {
            let key = units[i].key;
            if known[i] {
                let remembered = &file.servers[key].findings;
                out.extend(remembered.iter().map(|d| frame.restore(d, path, i)));
                continue;
            }
            // kept when every range it holds is in this server or outside all servers
            let remembered: Option<Vec<Diagnostic>> = findings
                .iter()
                .map(|d| frame.remember(d, path, i))
                .collect();
            if let Some(findings) = remembered {
                let remembered = Remembered {
                    findings,
                    used: now,
                };
                file.servers.insert(key.into(), remembered);
            }
            out.extend(findings);
        }
        // servers no longer in the file
        file.servers.retain(|_, r| r.used == now);
        super::sort(&mut out);
        out
    }

    /// The servers lowered by the last build of `path`, for the next build to copy (`None`
    /// when the memo is off).
    pub fn lowered_servers(&mut self, path: &Path, text: &str) -> Option<&mut LoweredServers> {
        if !self.enabled || text.len() > MAX_TEXT {
            return None;
        }
        Some(&mut self.file(path).lowered)
    }

    /// How many servers of `path` its last analysis checked.
    #[cfg(test)]
    pub(crate) fn checked_servers(&self, path: &Path) -> usize {
        self.files.get(path).map_or(0, |f| f.checked)
    }

    /// The memo of `path`; the least recently used file is forgotten beyond [`FILES`].
    fn file(&mut self, path: &Path) -> &mut FileMemo {
        self.clock += 1;
        if !self.files.contains_key(path) && self.files.len() >= FILES {
            let oldest = self
                .files
                .iter()
                .min_by_key(|(_, f)| f.used)
                .map(|(p, _)| p.clone());
            if let Some(oldest) = oldest {
                self.files.remove(&oldest);
            }
        }
        let file = self.files.entry(path.to_path_buf()).or_default();
        file.used = self.clock;
        file
    }
}

/// The HTTP `server {}` blocks written in the analysed file, in document order.
fn units<'t>(config: &Config, text: &'t str) -> Vec<Unit<'t>> {
    let mut units: Vec<Unit<'t>> = config
        .servers()
        .filter(|&id| config.is_local(id))
        .map(|id| {
            let range = config.get(id).range;
            let line_start = text[..range.start].rfind('\n').map_or(0, |i| i + 1);
            Unit {
                id,
                range,
                key: &text[line_start..range.end],
            }
        })
        .collect();
    units.sort_by_key(|u| u.range.start);
    units
}

fn surroundings(
    config: &Config,
    text: &str,
    frame: &Frame<'_>,
    tabs: bool,
    options: &Options,
) -> Surroundings {
    let units = frame.units;
    let mut outside = String::with_capacity(text.len() / 8);
    let mut at = 0;
    for unit in units {
        outside.push_str(&text[at..unit.range.start]);
        outside.push('\0');
        at = unit.range.end;
    }
    outside.push_str(&text[at..]);
    let files = config
        .files
        .iter()
        .enumerate()
        .filter(|&(i, _)| i != config.analysed)
        .map(|(_, f)| (f.path.clone(), f.text.clone()))
        .collect();
    let declared_in_servers = config
        .directives
        .iter()
        .enumerate()
        .filter(|(_, d)| super::variables::declares_global(d))
        .filter(|&(id, _)| {
            config
                .anchor(id)
                .is_some_and(|a| frame.unit_at(config.get(a).range.start).is_some())
        })
        .map(|(_, d)| Arc::from(&config.files[d.file].text[d.range.start..d.range.end]))
        .collect();
    Surroundings {
        outside,
        files,
        tabs,
        declared_in_servers,
        project: options.project.clone().map(ProjectRef),
        django_version: options.django_version,
    }
}

/// Where the servers of the analysed file stand, to store a finding's offsets so that they
/// survive edits elsewhere: inside its own server, relative to the server's start; outside
/// every server, in the coordinates of [`Surroundings::outside`] (where a server counts as one
/// character), tagged with [`OUTSIDE`]. An offset inside another server is not stored.
struct Frame<'u> {
    units: &'u [Unit<'u>],
    /// For each server, how much longer than one character the servers before it are.
    before: Vec<usize>,
    /// Each server's offset in the outside's coordinates.
    outside_starts: Vec<usize>,
}

/// The tag of an offset stored in the outside's coordinates.
const OUTSIDE: usize = 1 << (usize::BITS - 2);

impl<'u> Frame<'u> {
    fn new(units: &'u [Unit<'u>]) -> Self {
        let mut before = Vec::with_capacity(units.len() + 1);
        let mut sum = 0;
        for unit in units {
            before.push(sum);
            sum += unit.range.end - unit.range.start - 1;
        }
        before.push(sum);
        let outside_starts = units
            .iter()
            .zip(&before)
            .map(|(u, b)| u.range.start - b)
            .collect();
        Frame {
            units,
            before,
            outside_starts,
        }
    }

    /// The server whose range holds `offset`.
    fn unit_at(&self, offset: usize) -> Option<usize> {
        let i = self.units.partition_point(|u| u.range.start <= offset);
        (i > 0 && offset < self.units[i - 1].range.end).then(|| i - 1)
    }

    /// `range` as stored for a finding of server `unit`, if it can be.
    fn store(&self, range: TextRange, unit: usize) -> Option<TextRange> {
        // an insertion right before or after a server may be placed by that server or by the
        // outside (before the first server): which one cannot be told
        if range.start == range.end {
            let i = self.units.partition_point(|u| u.range.start < range.start);
            let at_start = self
                .units
                .get(i)
                .is_some_and(|u| u.range.start == range.start);
            let at_end = i > 0 && self.units[i - 1].range.end == range.start;
            if at_start || at_end {
                return None;
            }
        }
        let own = self.units[unit].range;
        if own.start <= range.start && range.end <= own.end {
            return Some(TextRange::new(
                range.start - own.start,
                range.end - own.start,
            ));
        }
        // both ends outside every server, and no server between them
        let k = self.units.partition_point(|u| u.range.end <= range.start);
        let clear = self
            .units
            .get(k)
            .is_none_or(|next| range.end <= next.range.start);
        clear.then(|| {
            let shift = self.before[k];
            TextRange::new(
                (range.start - shift) | OUTSIDE,
                (range.end - shift) | OUTSIDE,
            )
        })
    }

    /// A stored range of a finding of server `unit`, where it stands now.
    fn load(&self, range: TextRange, unit: usize) -> TextRange {
        if range.start & OUTSIDE == 0 {
            let start = self.units[unit].range.start;
            return TextRange::new(range.start + start, range.end + start);
        }
        let (start, end) = (range.start & !OUTSIDE, range.end & !OUTSIDE);
        let k = self.outside_starts.partition_point(|&s| s < start);
        let shift = self.before[k];
        TextRange::new(start + shift, end + shift)
    }

    /// `d` as stored for server `unit`; `None` when a range of it cannot be.
    fn remember(&self, d: &Diagnostic, path: &Path, unit: usize) -> Option<Diagnostic> {
        let mut d = d.clone();
        self.map_ranges(&mut d, path, |r| self.store(r, unit))?;
        Some(d)
    }

    /// A stored finding of server `unit`, where it stands now.
    fn restore(&self, d: &Diagnostic, path: &Path, unit: usize) -> Diagnostic {
        let mut d = d.clone();
        self.map_ranges(&mut d, path, |r| Some(self.load(r, unit)));
        d
    }

    /// Maps every range of `d` in the analysed file; `None` when one does not map.
    fn map_ranges(
        &self,
        d: &mut Diagnostic,
        path: &Path,
        map: impl Fn(TextRange) -> Option<TextRange>,
    ) -> Option<()> {
        d.range = map(d.range)?;
        for fix in d.fix.iter_mut().chain(&mut d.alternatives) {
            for edit in &mut fix.edits {
                edit.range = map(edit.range)?;
            }
        }
        for related in &mut d.related {
            if related.path == path {
                related.range = map(related.range)?;
            }
        }
        Some(())
    }
}

#[cfg(test)]
mod tests;
