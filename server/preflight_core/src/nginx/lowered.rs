//! Servers lowered by an earlier build of the same file, reused by the next build (an editing
//! session rebuilds the model after every keystroke): a `server {}` whose text is unchanged is
//! copied into the arena, not lowered from the syntax tree again.
//!
//! A copy equals a fresh lowering except for the ids its directives get, which are only
//! identities. Servers that include files are always lowered (what they include is read
//! again).

use rustc_hash::FxHashMap;

use super::model::{Config, DirId, Directive, is_http_server};
use crate::text::TextRange;

/// The servers of the last build, by their text.
#[derive(Debug, Default)]
pub struct LoweredServers {
    by_text: FxHashMap<Box<str>, Lowered>,
    /// The build under way (each entry says which build last used it).
    build: u64,
    /// The candidate servers the build under way lowered from the syntax tree.
    lowered_now: Vec<DirId>,
    /// How many servers the last build lowered (the others it copied).
    lowered: usize,
}

/// A server and everything below it: the server first, then its descendants in document
/// order; ids are positions in this list, offsets are relative to the server's start.
#[derive(Debug)]
pub(super) struct Lowered {
    depth: usize,
    directives: Vec<Directive>,
    /// The last build that copied or made it.
    used: u64,
}

impl LoweredServers {
    /// Whether `d` is a server whose lowering may be reused: an HTTP server of the analysed
    /// file with a body.
    fn is_candidate(d: &Directive) -> bool {
        d.file == 0
            && d.via.is_none()
            && is_http_server(d)
            && d.body.as_ref().is_some_and(|b| !b.raw)
    }

    /// Starts a build.
    pub(super) fn start(&mut self) {
        self.build += 1;
        self.lowered_now.clear();
    }

    /// For server `d` (id `id`, written as `text`): its lowering by an earlier build, for a
    /// copy. `None` for a server to lower, which this build then remembers.
    pub(super) fn lowered_before(
        &mut self,
        id: DirId,
        d: &Directive,
        text: &str,
    ) -> Option<&Lowered> {
        if !Self::is_candidate(d) {
            return None;
        }
        match self.by_text.get_mut(text).filter(|l| l.depth == d.depth) {
            Some(lowered) => {
                lowered.used = self.build;
                Some(lowered)
            }
            None => {
                self.lowered_now.push(id);
                None
            }
        }
    }

    /// Remembers the servers this build lowered (`config`, built from `text`), and forgets
    /// those it did not use.
    pub(super) fn remember(&mut self, config: &Config, text: &str) {
        for &id in &self.lowered_now {
            let range = config.get(id).range;
            if let Some(lowered) = Lowered::of(config, id, self.build) {
                self.by_text
                    .insert(text[range.start..range.end].into(), lowered);
            }
        }
        let build = self.build;
        self.by_text.retain(|_, l| l.used == build);
        self.lowered = self.lowered_now.len();
    }

    /// How many servers the last build lowered from the syntax tree.
    #[cfg(test)]
    pub(crate) fn last_lowered(&self) -> usize {
        self.lowered
    }
}

impl Lowered {
    /// Server `server` of `config` with its descendants; `None` when it includes a file.
    fn of(config: &Config, server: DirId, build: u64) -> Option<Lowered> {
        let start = config.get(server).range.start;
        let mut order = vec![server];
        let mut stack: Vec<DirId> = config
            .get(server)
            .children()
            .iter()
            .rev()
            .copied()
            .collect();
        while let Some(id) = stack.pop() {
            let d = config.get(id);
            if d.is("include") || d.via.is_some() || d.inclusion.is_some() {
                return None;
            }
            order.push(id);
            stack.extend(d.children().iter().rev().copied());
        }
        let position: FxHashMap<DirId, DirId> =
            order.iter().enumerate().map(|(i, &id)| (id, i)).collect();
        let directives = order
            .iter()
            .map(|&id| {
                let mut d = config.get(id).clone();
                shift(&mut d, |offset| offset - start);
                d.parent = d.parent.and_then(|p| position.get(&p).copied());
                if let Some(body) = &mut d.body {
                    for child in &mut body.children {
                        *child = position[child];
                    }
                }
                d
            })
            .collect();
        Some(Lowered {
            depth: config.get(server).depth,
            directives,
            used: build,
        })
    }

    /// Appends the descendants to `arena` below server `id` (already lowered, written at
    /// `start`), and gives the server its children.
    pub(super) fn copy_into(&self, arena: &mut Vec<Directive>, id: DirId, start: usize) {
        let base = arena.len();
        // position 0 is the server itself; the others follow the arena's end
        let new_id = |position: DirId| {
            if position == 0 {
                id
            } else {
                base + position - 1
            }
        };
        arena.extend(self.directives[1..].iter().map(|lowered| {
            let mut d = lowered.clone();
            shift(&mut d, |offset| offset + start);
            d.parent = d.parent.map(new_id);
            if let Some(body) = &mut d.body {
                for child in &mut body.children {
                    *child = new_id(*child);
                }
            }
            d
        }));
        let children = self.directives[0]
            .children()
            .iter()
            .map(|&c| new_id(c))
            .collect();
        if let Some(body) = &mut arena[id].body {
            body.children = children;
        }
    }
}

/// Moves every offset of `d` by `by`.
fn shift(d: &mut Directive, by: impl Fn(usize) -> usize) {
    let range = |r: &mut TextRange| *r = TextRange::new(by(r.start), by(r.end));
    range(&mut d.range);
    range(&mut d.name.range);
    for arg in &mut d.args {
        range(&mut arg.range);
    }
    if let Some(body) = &mut d.body {
        body.open = by(body.open);
        body.close = by(body.close);
    }
}
