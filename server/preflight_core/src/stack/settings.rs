//! What the production settings tell the other layers, as plain facts. Unknown values (an
//! environment read without a default, a name that may be injected) give `None`: the stack
//! rules never warn on them.

use crate::python::{Tri, Value};
use crate::rules::django::for_stack::View;

use super::SettingsLayer;

pub const WHITENOISE_MW: &str = "whitenoise.middleware.WhiteNoiseMiddleware";
pub const SECURITY_MW: &str = "django.middleware.security.SecurityMiddleware";

impl SettingsLayer {
    /// The rule context of this module (effective values, anchors, fixes).
    pub fn view(&self) -> View<'_> {
        View::new(&self.model, &self.text, self.version)
    }

    /// SECURE_PROXY_SSL_HEADER: `Some(None)` when unset (None), `Some(Some((header, value)))`
    /// with the HTTP header name (`HTTP_X_FORWARDED_PROTO` -> `X-Forwarded-Proto`), `None`
    /// when unknown.
    pub fn proxy_ssl_header(&self) -> Option<Option<(String, String)>> {
        match &*self.view().value("SECURE_PROXY_SSL_HEADER") {
            Value::None => Some(None),
            Value::Tuple(items) | Value::List(items) => match items.as_slice() {
                [Value::Str(meta), Value::Str(value)] => {
                    Some(Some((http_header(meta), value.clone())))
                }
                _ => None,
            },
            _ => None,
        }
    }

    /// A boolean setting: `Some(true)` only for a value that `is True`.
    pub fn flag(&self, name: &'static str) -> Option<bool> {
        match self.view().value(name).is_true() {
            Tri::Yes => Some(true),
            Tri::No => Some(false),
            Tri::Unknown => None,
        }
    }

    /// An integer setting (`None` for Django's "no limit" and unknown values).
    pub fn int(&self, name: &'static str) -> Option<i64> {
        match &*self.view().value(name) {
            Value::Int(i) => Some(*i),
            _ => None,
        }
    }

    /// ALLOWED_HOSTS when every entry is a known string.
    pub fn allowed_hosts(&self) -> Option<Vec<String>> {
        let value = self.view().value("ALLOWED_HOSTS");
        let items = value.as_seq()?;
        items
            .iter()
            .map(|v| v.as_str().map(str::to_owned))
            .collect()
    }

    /// STATIC_URL / MEDIA_URL as the path prefix nginx sees (`static/` -> `/static/`); `None`
    /// when unknown, empty or on another host (a CDN).
    pub fn url_prefix(&self, name: &'static str) -> Option<String> {
        let value = self.view().value(name);
        let url = value.as_str()?;
        if url.is_empty() || url.contains("://") || url.starts_with("//") {
            return None;
        }
        let mut prefix = if url.starts_with('/') {
            url.to_owned()
        } else {
            format!("/{url}")
        };
        if !prefix.ends_with('/') {
            prefix.push('/');
        }
        Some(prefix)
    }

    /// STATIC_ROOT / MEDIA_ROOT as a path (`None` when unset, empty or unknown).
    pub fn root_path(&self, name: &'static str) -> Option<String> {
        match &*self.view().value(name) {
            Value::Path(p) | Value::Str(p) if !p.is_empty() => {
                Some(p.trim_end_matches('/').to_owned())
            }
            _ => None,
        }
    }

    pub fn has_middleware(&self, path: &str) -> Tri {
        self.view().value("MIDDLEWARE").contains_str(path)
    }
}

/// `HTTP_X_FORWARDED_PROTO` -> `X-Forwarded-Proto` (how the header is written in nginx).
pub fn http_header(meta: &str) -> String {
    let name = meta.strip_prefix("HTTP_").unwrap_or(meta);
    name.split('_')
        .map(|w| {
            let lower = w.to_ascii_lowercase();
            let mut chars = lower.chars();
            match chars.next() {
                Some(c) => c.to_ascii_uppercase().to_string() + chars.as_str(),
                None => String::new(),
            }
        })
        .collect::<Vec<_>>()
        .join("-")
}

/// `X-Forwarded-Proto` -> `HTTP_X_FORWARDED_PROTO`.
pub fn meta_name(header: &str) -> String {
    format!("HTTP_{}", header.to_ascii_uppercase().replace('-', "_"))
}
