//! What the stack rules (`rules::stack`) borrow from the Django rules: effective settings with
//! Django's defaults, where a finding about a setting is anchored in a (split) settings module,
//! and the settings quick-fixes. One definition, so both families anchor and fix alike.

use std::borrow::Cow;

use super::context::Ctx;
use super::fixes;
use crate::diagnostic::{Fix, Related};
use crate::django_version::DjangoVersion;
use crate::python::{ModuleModel, Value};
use crate::text::TextRange;

/// A settings module as the stack rules see it.
pub struct View<'m> {
    ctx: Ctx<'m>,
}

impl<'m> View<'m> {
    pub fn new(model: &'m ModuleModel, text: &'m str, version: DjangoVersion) -> Self {
        Self {
            ctx: Ctx::new(model, text, version),
        }
    }

    /// The effective value: bound, Django's default, or Unknown.
    pub fn value(&self, name: &'static str) -> Cow<'m, Value> {
        self.ctx.setting(name).value
    }

    pub fn is_set(&self, name: &str) -> bool {
        self.ctx.model.get(name).is_some()
    }

    /// Where a finding about the first bound of `names` is shown in this module (the import
    /// for an imported name, with the assignment as related information), else its last line.
    pub fn anchor(&self, names: &[&'static str]) -> (TextRange, Vec<Related>) {
        let a = self.ctx.anchor(names);
        (a.range, a.related)
    }

    /// "Set NAME = expr": replaces the value, overrides an imported one after the import, or
    /// adds the setting near the settings named like `near`.
    pub fn set_fix(&self, name: &str, expr: &str, near: &[&str], safe: bool) -> Option<Fix> {
        fixes::set_fix(&self.ctx, name, expr, near, safe)
    }

    /// Replaces element `index` of the list/tuple literal `name` is assigned in this module by
    /// `items` (Python source), when the literal still holds `len` elements.
    pub fn replace_element_fix(
        &self,
        name: &str,
        index: usize,
        len: usize,
        items: &[String],
        title: String,
    ) -> Option<Fix> {
        let binding = self.ctx.model.get(name)?;
        let literal = binding
            .literal
            .as_ref()
            .filter(|l| !binding.mutated && !binding.is_imported() && l.elements.len() == len)?;
        let element = *literal.elements.get(index)?;
        if element.end > self.ctx.text.len() || items.is_empty() {
            return None;
        }
        let edit = crate::diagnostic::Edit::replace(element, items.join(", "));
        Some(fixes::fix(title, vec![edit], false))
    }

    /// Appends `items` (Python source) to the list/tuple literal `name` is assigned in this
    /// module.
    pub fn append_elements_fix(&self, name: &str, items: &[String], title: String) -> Option<Fix> {
        let binding = self.ctx.model.get(name)?;
        let literal = binding
            .literal
            .as_ref()
            .filter(|_| !binding.mutated && !binding.is_imported())?;
        let mut edits = Vec::new();
        let len = literal.elements.len();
        // one insertion holding every item keeps the edits from overlapping
        let joined = items.join(", ");
        edits.extend(fixes::insert_element(&self.ctx, literal, len, &joined)?);
        Some(fixes::fix(title, edits, false))
    }

    /// `"value"` quoted like the literal of `name`'s elements.
    pub fn quoted(&self, name: &str, value: &str) -> String {
        let literal = self.ctx.model.get(name).and_then(|b| b.literal.as_ref());
        fixes::quoted(&self.ctx, literal, value)
    }

    pub fn model(&self) -> &'m ModuleModel {
        self.ctx.model
    }
}
