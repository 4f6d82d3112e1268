//! Values of literal expressions, remembered by their text across analyses.
//!
//! An edit re-evaluates its module from the first statement, and most of a large settings
//! module is dicts and lists of literals that the edit did not touch. A literal's value depends
//! on its text alone (no names, calls or environment reads), so the text is a sound key.

use rustc_hash::FxHashMap;

use super::MAX_DEPTH;
use crate::python::value::Value;

/// Shorter texts evaluate faster than they hash.
const MIN_TEXT: usize = 32;
/// Longer texts are not kept (the memo should not double a huge literal's memory).
const MAX_TEXT: usize = 1 << 20;
/// Entries always kept, whatever the last analyses used.
const FLOOR: usize = 256;
/// How many analyses an unused entry survives (a keystroke may re-analyse a few modules).
const KEEP: u64 = 4;

#[derive(Default)]
pub(crate) struct LiteralMemo {
    /// Off unless enabled: a one-shot analysis never sees the same literal twice.
    enabled: bool,
    entries: FxHashMap<Box<str>, Entry>,
    /// One per analysis of a root module; an entry records the last one that used it.
    generation: u64,
    used: usize,
}

struct Entry {
    value: Value,
    /// How much deeper than its start the evaluation went: a reuse at a depth where that
    /// would pass `MAX_DEPTH` evaluates again (the limit would have cut it short).
    depth: usize,
    generation: u64,
}

impl LiteralMemo {
    pub(crate) fn enable(&mut self) {
        self.enabled = true;
    }

    /// The value of the literal `text`, when it was evaluated before and the evaluation
    /// starting at `depth` would not reach the depth limit.
    pub(crate) fn get(&mut self, text: &str, depth: usize) -> Option<Value> {
        if !self.worth_keeping(text) {
            return None;
        }
        let entry = self.entries.get_mut(text)?;
        if depth + entry.depth > MAX_DEPTH {
            return None;
        }
        if entry.generation != self.generation {
            entry.generation = self.generation;
            self.used += 1;
        }
        Some(entry.value.clone())
    }

    /// Remembers the value of the literal `text`, whose evaluation went `depth` levels deep.
    pub(crate) fn insert(&mut self, text: &str, value: &Value, depth: usize) {
        if !self.worth_keeping(text) || self.entries.contains_key(text) {
            return;
        }
        self.entries.insert(
            text.into(),
            Entry {
                value: value.clone(),
                depth,
                generation: self.generation,
            },
        );
        self.used += 1;
    }

    /// Starts the analysis of a root module. Entries the last `KEEP` analyses did not use are
    /// dropped once they outnumber the used ones: while a literal is being typed, every
    /// keystroke makes a new text, and only the current one is worth keeping.
    pub(crate) fn next_generation(&mut self) {
        if self.entries.len() > FLOOR + 4 * self.used {
            let oldest = self.generation.saturating_sub(KEEP);
            self.entries.retain(|_, e| e.generation >= oldest);
        }
        self.generation += 1;
        self.used = 0;
    }

    fn worth_keeping(&self, text: &str) -> bool {
        self.enabled && (MIN_TEXT..=MAX_TEXT).contains(&text.len())
    }

    #[cfg(test)]
    pub(crate) fn len(&self) -> usize {
        self.entries.len()
    }
}
