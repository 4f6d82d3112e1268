//! What every gunicorn rule uses: the model, the file and its text, diagnostics at a
//! setting, and the fixes that edit or remove a setting's statement.

use std::path::Path;

use super::fixes;
use super::registry::RULES;
use crate::diagnostic::{Diagnostic, Fix, Related, Severity};
use crate::gunicorn::GunicornConfig;
use crate::python::{Binding, Tri, Value};
use crate::text::TextRange;

/// What a rule needs: the model, the file, and the file's text (for fixes).
pub struct Ctx<'a> {
    pub config: &'a GunicornConfig,
    pub path: &'a Path,
    pub text: &'a str,
}

impl Ctx<'_> {
    pub(super) fn diagnostic(
        &self,
        code: &'static str,
        range: TextRange,
        message: String,
    ) -> Diagnostic {
        let severity = RULES
            .iter()
            .find(|r| r.code == code)
            .map_or(Severity::Warning, |r| r.severity);
        Diagnostic {
            path: self.path.to_path_buf(),
            range,
            severity,
            code,
            message,
            references: Default::default(),
            related: Vec::new(),
            fix: None,
            alternatives: Vec::new(),
        }
    }

    /// A diagnostic on a setting's assignment (its name); for a value that came through an
    /// import, on the import, with the assignment in the other module as related information.
    pub(super) fn at_setting(
        &self,
        code: &'static str,
        name: &str,
        binding: &Binding,
        message: String,
    ) -> Diagnostic {
        let mut d = self.diagnostic(code, binding.site.focus, message);
        if let Some(origin) = &binding.origin {
            d.related.push(Related {
                path: origin.path.to_path_buf(),
                range: origin.focus,
                message: format!("{name} is set here"),
            });
        }
        d
    }

    /// The binding and value of a setting the file sets.
    pub(super) fn set(&self, name: &str) -> Option<(&Binding, &Value)> {
        self.config.setting(name).map(|b| (b, &b.value))
    }

    /// Where a missing setting is reported: the last non-blank line.
    pub(super) fn end_range(&self) -> TextRange {
        let trimmed = self.text.trim_end();
        let start = trimmed.rfind('\n').map_or(0, |i| i + 1);
        let line = &trimmed[start..];
        let indent = line.len() - line.trim_start().len();
        TextRange::new(start + indent, trimmed.len())
    }

    pub(super) fn replace_fix(
        &self,
        title: String,
        binding: &Binding,
        expr: &str,
        safe: bool,
    ) -> Option<Fix> {
        fixes::replace_value(self.text, binding, expr).map(|e| fixes::fix(title, vec![e], safe))
    }

    pub(super) fn remove_fix(
        &self,
        name: &str,
        binding: &Binding,
        why: &str,
        safe: bool,
    ) -> Option<Fix> {
        fixes::remove_statement(self.text, binding)
            .map(|e| fixes::fix(format!("Remove `{name}` ({why})"), vec![e], safe))
    }
}

/// Whether gunicorn's `validate_bool` makes the value True (True, or the str "true").
pub(super) fn is_on(v: &Value) -> Tri {
    v.map_tri(|v| match v {
        Value::Bool(b) => Tri::from_bool(*b),
        Value::Str(s) => Tri::from_bool(s.trim().eq_ignore_ascii_case("true")),
        _ => Tri::No,
    })
}
