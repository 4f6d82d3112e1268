//! What a Django rule asks: effective settings (bound, or Django's default), middleware
//! membership, silencing, where to anchor a finding, and how to emit it.

use std::borrow::Cow;

use super::defaults::default_value;
use super::registry;
use crate::diagnostic::{Diagnostic, Fix, Related};
use crate::django_version::DjangoVersion;
use crate::python::{Binding, ModuleModel, Tri, Value};
use crate::text::TextRange;

pub(super) const SECURITY_MW: &str = "django.middleware.security.SecurityMiddleware";
pub(super) const XFRAME_MW: &str = "django.middleware.clickjacking.XFrameOptionsMiddleware";
pub(super) const CSRF_MW: &str = "django.middleware.csrf.CsrfViewMiddleware";
pub(super) const SESSION_MW: &str = "django.contrib.sessions.middleware.SessionMiddleware";
pub(super) const COMMON_MW: &str = "django.middleware.common.CommonMiddleware";
pub(super) const CSP_MW: &str = "django.middleware.csp.ContentSecurityPolicyMiddleware";

/// A setting as Django sees it.
pub(super) struct Setting<'m> {
    pub name: &'static str,
    /// The bound value, Django's default, or Unknown (missing from a module that may inject it).
    pub value: Cow<'m, Value>,
    pub binding: Option<&'m Binding>,
}

/// Where a finding is shown, and the places that explain it.
pub(super) struct Anchor {
    pub range: TextRange,
    pub related: Vec<Related>,
}

/// A rule's finding, before silencing and formatting.
pub(super) struct Finding {
    pub code: &'static str,
    /// The message without the Django id, which [`Ctx::emit`] appends.
    pub message: String,
    pub anchor: Anchor,
    /// Best fix first (the diagnostic's `fix`); the others become its `alternatives`.
    pub fixes: Vec<Fix>,
}

pub(super) struct Ctx<'m> {
    pub model: &'m ModuleModel,
    pub text: &'m str,
    pub version: DjangoVersion,
}

impl<'m> Ctx<'m> {
    pub fn new(model: &'m ModuleModel, text: &'m str, version: DjangoVersion) -> Self {
        Self {
            model,
            text,
            version,
        }
    }

    /// The effective value of a setting.
    pub fn setting(&self, name: &'static str) -> Setting<'m> {
        let binding = self.model.get(name);
        let value = match binding {
            Some(b) => Cow::Borrowed(&b.value),
            // the name may be injected dynamically: nothing can be said about it
            None if self.model.open => Cow::Owned(Value::Unknown),
            None => Cow::Owned(default_value(name, self.version)),
        };
        Setting {
            name,
            value,
            binding,
        }
    }

    /// MW(path): the exact dotted path is in MIDDLEWARE (subclasses do not count, as in Django).
    pub fn has_middleware(&self, path: &str) -> Tri {
        self.setting("MIDDLEWARE").value.contains_str(path)
    }

    /// Whether Django would hide `django_id`. A missing SILENCED_SYSTEM_CHECKS is Django's empty
    /// default even in an open module: injecting it dynamically is too rare to silence all rules.
    fn is_silenced(&self, django_id: &str) -> bool {
        let silenced = self
            .model
            .get("SILENCED_SYSTEM_CHECKS")
            .map(|b| b.value.contains_str(django_id))
            .unwrap_or(Tri::No);
        silenced != Tri::No
    }

    /// Anchors on the first of `names` that is bound, else on the module's last line.
    pub fn anchor(&self, names: &[&'static str]) -> Anchor {
        names
            .iter()
            .find_map(|name| self.model.get(name).map(|b| self.anchor_at(name, b)))
            .unwrap_or_else(|| self.end_anchor())
    }

    /// The binding's statement in this module; for an imported name, the import, with the
    /// assignment in the other module as related information.
    pub fn anchor_at(&self, name: &str, binding: &Binding) -> Anchor {
        let related = binding
            .origin
            .iter()
            .map(|origin| Related {
                path: origin.path.to_path_buf(),
                range: origin.focus,
                message: format!("{name} is set here"),
            })
            .collect();
        Anchor {
            range: binding.site.focus,
            related,
        }
    }

    /// The last non-blank line: where a missing setting is reported when nothing relates to it.
    pub fn end_anchor(&self) -> Anchor {
        let trimmed = self.text.trim_end();
        let start = trimmed.rfind('\n').map_or(0, |i| i + 1);
        let line = &trimmed[start..];
        let indent = line.len() - line.trim_start().len();
        Anchor {
            range: TextRange::new(start + indent, trimmed.len()),
            related: Vec::new(),
        }
    }

    /// Related information pointing at where `name` is set, with `message`.
    pub fn related(&self, name: &str, message: String) -> Option<Related> {
        let site = self.model.get(name)?.cause();
        Some(Related {
            path: site.path.to_path_buf(),
            range: site.focus,
            message,
        })
    }

    /// Turns a finding into a diagnostic unless the Django version lacks the check or the
    /// settings silence it.
    pub fn emit(&self, out: &mut Vec<Diagnostic>, finding: Finding) {
        let rule = registry::rule(finding.code);
        let silenced = rule.django.is_some_and(|id| self.is_silenced(id));
        if !registry::applies(finding.code, self.version) || silenced {
            return;
        }
        // checklist rules mirror no Django id: no suffix, no reference
        let (message, references) = match rule.django {
            Some(id) => (
                format!("{} ({id})", finding.message),
                [("django", id.to_string())].into_iter().collect(),
            ),
            None => (finding.message, Default::default()),
        };
        let mut fixes = finding.fixes.into_iter();
        out.push(Diagnostic {
            path: self.model.path.to_path_buf(),
            range: finding.anchor.range,
            severity: rule.severity,
            code: rule.code,
            message,
            references,
            related: finding.anchor.related,
            fix: fixes.next(),
            alternatives: fixes.collect(),
        });
    }
}

/// A value for a message: Python's repr, shortened. Never call it on a secret.
pub(super) fn shown(value: &Value) -> String {
    const MAX: usize = 60;
    let repr = value.to_string();
    if repr.chars().count() <= MAX {
        return repr;
    }
    let cut: String = repr.chars().take(MAX).collect();
    format!("{cut}...")
}

/// "SECURE_HSTS_SECONDS is 0" or "SECURE_HSTS_SECONDS is not set" (then Django's default applies).
pub(super) fn found(setting: &Setting<'_>) -> String {
    match setting.binding {
        Some(_) => format!("{} is {}", setting.name, shown(&setting.value)),
        None => format!("{} is not set", setting.name),
    }
}
