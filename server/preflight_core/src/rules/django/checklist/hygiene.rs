//! Settings that are not what they seem: no LOGGING (DJ119), settings Django removed (DJ121) and
//! near-misses of real setting names (DJ122).

use super::super::context::{Ctx, Finding};
use super::super::fixes;
use super::names::{Removed, is_setting, removed_setting};
use super::storages::{is_old_storage_setting, migrate_fix};
use super::{missing, occurrences};
use crate::diagnostic::{Diagnostic, Edit, Fix};
use crate::python::Binding;

pub(super) fn check(ctx: &Ctx<'_>, out: &mut Vec<Diagnostic>) {
    let findings = logging(ctx)
        .into_iter()
        .chain(dead_settings(ctx))
        .chain(misspelled(ctx));
    findings.for_each(|f| ctx.emit(out, f));
}

/// DJ119: Django's default logging mails errors to ADMINS and prints little else in production.
fn logging(ctx: &Ctx<'_>) -> Option<Finding> {
    missing(ctx, "LOGGING").then(|| Finding {
        code: "DJ119",
        message: "LOGGING is not set: with DEBUG off, Django's default configuration only mails errors to \
ADMINS and writes nothing the server's logs can collect. Configure LOGGING (e.g. errors to the \
console) and check it works once the site gets traffic."
            .to_string(),
        anchor: ctx.end_anchor(),
        fixes: Vec::new(),
    })
}

/// The settings assigned in this module itself (imported ones are reported where they are set).
fn own_settings<'m>(ctx: &Ctx<'m>) -> impl Iterator<Item = (&'m str, &'m Binding)> {
    ctx.model
        .bindings
        .iter()
        .filter(|(_, b)| !b.is_imported())
        .map(|(n, b)| (n.as_str(), b))
}

/// DJ121: a setting Django removed (or deprecates in this version).
/// Imported ones too: a base module that production star-imports is not checked on its own.
fn dead_settings(ctx: &Ctx<'_>) -> Vec<Finding> {
    ctx.model
        .bindings
        .iter()
        .map(|(n, b)| (n.as_str(), b))
        .filter_map(|(name, b)| Some((removed_setting(name, ctx.version)?, b)))
        .map(|(r, b)| dead_setting(ctx, r, b))
        .collect()
}

fn dead_setting(ctx: &Ctx<'_>, removed: &Removed, binding: &Binding) -> Finding {
    let gone = ctx.version >= removed.removed;
    let state = if gone {
        format!(
            "was removed in Django {} and has no effect",
            removed.removed
        )
    } else {
        format!(
            "is deprecated since Django {} and stops working in {}",
            removed.deprecated, removed.removed
        )
    };
    // removing a setting Django ignores changes nothing; MIDDLEWARE_CLASSES only when MIDDLEWARE
    // carries the middleware now
    let removable =
        gone && (removed.name != "MIDDLEWARE_CLASSES" || ctx.model.get("MIDDLEWARE").is_some());
    let fix = if is_old_storage_setting(removed.name) {
        migrate_fix(ctx)
    } else {
        removable
            .then(|| remove_fix(ctx, removed.name, binding))
            .flatten()
    };
    Finding {
        code: "DJ121",
        message: format!("{} {state}: {}.", removed.name, removed.instead),
        anchor: ctx.anchor_at(removed.name, binding),
        fixes: fix.into_iter().collect(),
    }
}

fn remove_fix(ctx: &Ctx<'_>, name: &str, binding: &Binding) -> Option<Fix> {
    if binding.mutated || binding.is_imported() {
        return None;
    }
    let edit = fixes::remove_statement(ctx, binding.site.stmt)?;
    Some(fixes::fix(format!("Remove {name}"), vec![edit], true))
}

/// DJ122: an upper-case name assigned here that Django does not know but that is one typo away
/// from a setting it does. Names read elsewhere in the module are helper variables, not typos.
fn misspelled(ctx: &Ctx<'_>) -> Vec<Finding> {
    own_settings(ctx)
        .filter(|(name, _)| looks_like_setting(name))
        .filter(|(name, _)| {
            !is_setting(name, ctx.version) && removed_setting(name, ctx.version).is_none()
        })
        .filter_map(|(name, b)| Some((name, b, suggestion(name, ctx)?)))
        // last, being the dearest: a name read elsewhere is a helper variable, not a typo
        .filter(|(name, _, _)| occurrences(ctx.text, name) == 1)
        .map(|(name, b, known)| Finding {
            code: "DJ122",
            message: format!(
                "{name} is not a Django setting, so Django ignores it. Did you mean {known}?"
            ),
            anchor: ctx.anchor_at(name, b),
            fixes: rename_fix(ctx, name, b, known).into_iter().collect(),
        })
        .collect()
}

fn looks_like_setting(name: &str) -> bool {
    name.len() >= 5
        && name.starts_with(|c: char| c.is_ascii_uppercase())
        && name
            .chars()
            .all(|c| c.is_ascii_uppercase() || c.is_ascii_digit() || c == '_')
}

/// The one known setting closest to `name`, within one edit (two for long names), sharing its
/// first letter. Ties give no suggestion.
fn suggestion(name: &str, ctx: &Ctx<'_>) -> Option<&'static str> {
    let budget = if name.len() >= 10 { 2 } else { 1 };
    let mut close: Vec<(usize, &'static str)> =
        super::names::global_settings_starting_with(ctx.version, name.as_bytes()[0])
            .iter()
            .copied()
            .filter(|known| known.len().abs_diff(name.len()) <= budget)
            .filter(|known| histogram_gap(name, known) <= 2 * budget)
            .map(|known| (distance(name, known, budget), known))
            .filter(|(d, _)| *d <= budget)
            .collect();
    close.sort();
    match close.as_slice() {
        [(_, known)] => Some(*known),
        [(d, known), (next, _), ..] if d < next => Some(*known),
        _ => None,
    }
}

/// How far apart the two names' letter counts are: one edit moves it by at most 2, so a gap
/// above `2 * budget` rules a name out before the (dearer) distance.
fn histogram_gap(a: &str, b: &str) -> usize {
    let mut counts = [0i32; 64];
    let slot = |c: u8| usize::from(c.to_ascii_uppercase().wrapping_sub(b'0') & 63);
    for &c in a.as_bytes() {
        counts[slot(c)] += 1;
    }
    for &c in b.as_bytes() {
        counts[slot(c)] -= 1;
    }
    counts.iter().map(|c| c.unsigned_abs() as usize).sum()
}

/// Optimal string alignment distance (Levenshtein plus adjacent transpositions), computed
/// over three rows and abandoned as soon as it must exceed `limit` (then `limit + 1`): it runs
/// for every upper-case name of the module against every setting of similar length.
fn distance(a: &str, b: &str, limit: usize) -> usize {
    let (a, b) = (a.as_bytes(), b.as_bytes());
    let mut before: Vec<usize> = vec![0; b.len() + 1];
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    let mut cur: Vec<usize> = vec![0; b.len() + 1];
    for i in 1..=a.len() {
        cur[0] = i;
        let mut row_min = cur[0];
        for j in 1..=b.len() {
            let cost = usize::from(a[i - 1] != b[j - 1]);
            let mut v = (prev[j] + 1).min(cur[j - 1] + 1).min(prev[j - 1] + cost);
            if i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] {
                v = v.min(before[j - 2] + 1);
            }
            cur[j] = v;
            row_min = row_min.min(v);
        }
        if row_min > limit {
            return limit + 1;
        }
        std::mem::swap(&mut before, &mut prev);
        std::mem::swap(&mut prev, &mut cur);
    }
    prev[b.len()]
}

/// Renames the assignment target, when the module does not set the real name too.
fn rename_fix(ctx: &Ctx<'_>, name: &str, binding: &Binding, known: &str) -> Option<Fix> {
    if ctx.model.get(known).is_some() || binding.mutated {
        return None;
    }
    let focus = binding.site.focus;
    if ctx.text.get(focus.start..focus.end)? != name {
        return None;
    }
    let edit = Edit::replace(focus, known);
    Some(fixes::fix(format!("Rename to {known}"), vec![edit], false))
}
