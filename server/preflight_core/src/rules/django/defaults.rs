//! Django's defaults (`django/conf/global_settings.py`) for the settings the checks read. A
//! missing setting takes these values, exactly as Django does; a setting not listed here is
//! unknown when missing, so it never warns.

use crate::django_version::DjangoVersion;
use crate::python::Value;

const LOCMEM_CACHE: &str = "django.core.cache.backends.locmem.LocMemCache";

/// The value Django uses for `name` when the settings module does not set it.
pub(super) fn default_value(name: &str, version: DjangoVersion) -> Value {
    match name {
        "MIDDLEWARE"
        | "INSTALLED_APPS"
        | "ALLOWED_HOSTS"
        | "SECRET_KEY_FALLBACKS"
        | "SILENCED_SYSTEM_CHECKS"
        | "STATICFILES_DIRS"
        | "TEMPLATES" => Value::List(Vec::new()),
        "SECRET_KEY" | "MEDIA_ROOT" => Value::str(""),
        "DEBUG"
        | "SECURE_HSTS_INCLUDE_SUBDOMAINS"
        | "SECURE_HSTS_PRELOAD"
        | "SECURE_SSL_REDIRECT"
        | "SESSION_COOKIE_SECURE"
        | "CSRF_COOKIE_SECURE"
        | "CSRF_USE_SESSIONS" => Value::Bool(false),
        "SECURE_CONTENT_TYPE_NOSNIFF" | "SESSION_COOKIE_HTTPONLY" => Value::Bool(true),
        "SECURE_HSTS_SECONDS" => Value::Int(0),
        "SECURE_REFERRER_POLICY" | "SECURE_CROSS_ORIGIN_OPENER_POLICY" => Value::str("same-origin"),
        "X_FRAME_OPTIONS" => Value::str("DENY"),
        "STATIC_ROOT" | "STATIC_URL" | "SECURE_PROXY_SSL_HEADER" => Value::None,
        "MEDIA_URL" => Value::str(""),
        "USE_X_FORWARDED_HOST" => Value::Bool(false),
        "DATA_UPLOAD_MAX_MEMORY_SIZE" | "FILE_UPLOAD_MAX_MEMORY_SIZE" => Value::Int(2_621_440),
        // 6.0 added the CSP settings with `{}`; before, `getattr(settings, name, None)` is None
        "SECURE_CSP" | "SECURE_CSP_REPORT_ONLY" if version >= DjangoVersion::V6_0 => {
            Value::Dict(Vec::new())
        }
        "SECURE_CSP" | "SECURE_CSP_REPORT_ONLY" => Value::None,
        "CACHES" => Value::Dict(vec![(
            Value::str("default"),
            Value::Dict(vec![(Value::str("BACKEND"), Value::str(LOCMEM_CACHE))]),
        )]),
        _ => Value::Unknown,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn defaults_follow_global_settings() {
        let v = DjangoVersion::V6_1;
        assert_eq!(
            default_value("SECURE_CONTENT_TYPE_NOSNIFF", v),
            Value::Bool(true)
        );
        assert_eq!(default_value("X_FRAME_OPTIONS", v).to_string(), "\"DENY\"");
        assert_eq!(default_value("SECURE_CSP", v), Value::Dict(Vec::new()));
        assert_eq!(
            default_value("SECURE_CSP", DjangoVersion::V5_2),
            Value::None
        );
        assert_eq!(default_value("NOT_A_SETTING", v), Value::Unknown);
    }
}
