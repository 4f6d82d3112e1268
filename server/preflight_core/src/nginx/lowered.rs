//! Servers lowered by an earlier build of the same file, reused by the next build (an editing
//! session rebuilds the model after every keystroke): a `server {}` whose text is unchanged is
//! copied into the arena, not lowered from the syntax tree again.
//!
//! A copy equals a fresh lowering except for the ids its directives get, which are only
//! identities. Servers that include files are always lowered (what they include is read
//! again).

use rustc_hash::{FxHashMap, FxHashSet};

use super::model::{Config, Context, DirId, Directive};
use crate::text::TextRange;

/// The servers of the last build, by their text.
#[derive(Debug, Default)]
pub struct LoweredServers {
    by_text: FxHashMap<Box<str>, Lowered>,
    /// How many servers the build under way copied.
    copied: usize,
    /// How many servers the last build lowered (the others it copied).
    lowered: usize,
}

/// A server and everything below it: the server first, then its descendants in document
/// order; ids are positions in this list, offsets are relative to the server's start.
#[derive(Debug)]
pub(super) struct Lowered {
    depth: usize,
    directives: Vec<Directive>,
}

impl LoweredServers {
    /// Whether `d` is a server whose lowering may be reused: an HTTP server of the analysed
    /// file with a body.
    pub(super) fn is_candidate(d: &Directive) -> bool {
        d.file == 0
            && d.via.is_none()
            && d.context == Context::Http
            && d.is("server")
            && d.body.as_ref().is_some_and(|b| !b.raw)
    }

    /// The lowering of a server written as `text` at nesting `depth`, for a copy.
    pub(super) fn get(&mut self, text: &str, depth: usize) -> Option<&Lowered> {
        let lowered = self.by_text.get(text).filter(|l| l.depth == depth)?;
        self.copied += 1;
        Some(lowered)
    }

    /// Remembers the servers of `config` (built from `text`) not known yet, and forgets those
    /// it no longer has.
    pub(super) fn remember(&mut self, config: &Config, text: &str) {
        let mut present: FxHashSet<&str> = FxHashSet::default();
        for (id, d) in config.directives.iter().enumerate() {
            if !Self::is_candidate(d) {
                continue;
            }
            let key = &text[d.range.start..d.range.end];
            present.insert(key);
            if !self.by_text.contains_key(key)
                && let Some(lowered) = Lowered::of(config, id)
            {
                self.by_text.insert(key.into(), lowered);
            }
        }
        self.by_text.retain(|key, _| present.contains(&**key));
        self.lowered = present
            .len()
            .saturating_sub(std::mem::take(&mut self.copied));
    }

    /// How many servers the last build lowered from the syntax tree.
    #[cfg(test)]
    pub(crate) fn last_lowered(&self) -> usize {
        self.lowered
    }
}

impl Lowered {
    /// Server `server` of `config` with its descendants; `None` when it includes a file.
    fn of(config: &Config, server: DirId) -> Option<Lowered> {
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
