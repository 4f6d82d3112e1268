//! Django's setting names per release, as data: `data/django-X.Y.txt` lists the upper-case names
//! of that release's `django/conf/global_settings.py` (4.2 from the 4.2.30 wheel; 5.2 and 6.1
//! are compared with the oracle venvs by `tests/django_checklist.rs`), plus the settings Django
//! reads that global_settings does not define, and the settings Django removed.

use std::sync::OnceLock;

use crate::django_version::DjangoVersion;

const V4_2: &str = include_str!("data/django-4.2.txt");
const V5_2: &str = include_str!("data/django-5.2.txt");
const V6_1: &str = include_str!("data/django-6.1.txt");

/// The known settings whose names start with the byte `first`: a slice of the sorted list, so
/// a typo search compares a name with a handful of settings rather than all of them.
pub fn global_settings_starting_with(version: DjangoVersion, first: u8) -> &'static [&'static str] {
    let names = names_of(version);
    let start = names.partition_point(|n| n.as_bytes()[0] < first);
    let end = names.partition_point(|n| n.as_bytes()[0] <= first);
    &names[start..end]
}

/// The parsed, sorted name list of a release (parsed once).
fn names_of(version: DjangoVersion) -> &'static [&'static str] {
    static LISTS: OnceLock<[Vec<&'static str>; 3]> = OnceLock::new();
    let lists = LISTS.get_or_init(|| {
        let parse = |data: &'static str| {
            let mut names: Vec<&'static str> = data
                .lines()
                .map(str::trim)
                .filter(|l| !l.is_empty())
                .collect();
            names.sort_unstable();
            names
        };
        [parse(V4_2), parse(V5_2), parse(V6_1)]
    });
    if version >= DjangoVersion::V6_1 {
        &lists[2]
    } else if version >= DjangoVersion::V5_2 {
        &lists[1]
    } else {
        &lists[0]
    }
}

/// Settings Django's own apps read without a global default, with the first release they exist
/// in (MAILERS is commented out in 6.1's global_settings).
const UNDECLARED: &[(&str, DjangoVersion)] = &[
    ("MAILERS", DjangoVersion::V6_1),
    ("SITE_ID", DjangoVersion::V4_2),
    ("MESSAGE_LEVEL", DjangoVersion::V4_2),
    ("MESSAGE_TAGS", DjangoVersion::V4_2),
    ("GDAL_LIBRARY_PATH", DjangoVersion::V4_2),
    ("GEOS_LIBRARY_PATH", DjangoVersion::V4_2),
    ("GEOIP_PATH", DjangoVersion::V4_2),
    ("POSTGIS_VERSION", DjangoVersion::V4_2),
    ("SPATIALITE_LIBRARY_PATH", DjangoVersion::V4_2),
];

/// Whether `name` is a setting Django knows in `version`.
pub fn is_setting(name: &str, version: DjangoVersion) -> bool {
    UNDECLARED
        .iter()
        .any(|(n, since)| *n == name && version >= *since)
        || name.as_bytes().first().is_some_and(|&first| {
            global_settings_starting_with(version, first)
                .binary_search(&name)
                .is_ok()
        })
}

/// A setting Django removed: when, and what replaces it.
pub struct Removed {
    pub name: &'static str,
    pub deprecated: DjangoVersion,
    pub removed: DjangoVersion,
    pub instead: &'static str,
}

const fn removed(
    name: &'static str,
    deprecated: (u8, u8),
    removed: (u8, u8),
    instead: &'static str,
) -> Removed {
    Removed {
        name,
        deprecated: DjangoVersion::new(deprecated.0, deprecated.1),
        removed: DjangoVersion::new(removed.0, removed.1),
        instead,
    }
}

pub const REMOVED: &[Removed] = &[
    removed(
        "MIDDLEWARE_CLASSES",
        (1, 10),
        (2, 0),
        "use MIDDLEWARE (new-style middleware)",
    ),
    removed("TEMPLATE_DEBUG", (1, 8), (1, 10), "use TEMPLATES"),
    removed(
        "TEMPLATE_DIRS",
        (1, 8),
        (1, 10),
        "use TEMPLATES[...][\"DIRS\"]",
    ),
    removed(
        "TEMPLATE_LOADERS",
        (1, 8),
        (1, 10),
        "use TEMPLATES[...][\"OPTIONS\"][\"loaders\"]",
    ),
    removed(
        "TEMPLATE_CONTEXT_PROCESSORS",
        (1, 8),
        (1, 10),
        "use TEMPLATES[...][\"OPTIONS\"][\"context_processors\"]",
    ),
    removed(
        "TEMPLATE_STRING_IF_INVALID",
        (1, 8),
        (1, 10),
        "use TEMPLATES options",
    ),
    removed("DEFAULT_CONTENT_TYPE", (2, 0), (3, 0), "remove it"),
    removed("FILE_CHARSET", (2, 2), (3, 1), "remove it"),
    removed(
        "SECURE_BROWSER_XSS_FILTER",
        (3, 0),
        (4, 0),
        "remove it: browsers dropped the X-XSS-Protection filter; use a Content-Security-Policy",
    ),
    removed(
        "PASSWORD_RESET_TIMEOUT_DAYS",
        (3, 1),
        (4, 0),
        "use PASSWORD_RESET_TIMEOUT (seconds)",
    ),
    removed("DEFAULT_HASHING_ALGORITHM", (3, 1), (4, 0), "remove it"),
    removed(
        "USE_L10N",
        (4, 0),
        (5, 0),
        "remove it: localized formatting is always on",
    ),
    removed(
        "USE_DEPRECATED_PYTZ",
        (4, 0),
        (5, 0),
        "remove it: use zoneinfo",
    ),
    removed("CSRF_COOKIE_MASKED", (4, 1), (5, 0), "remove it"),
    removed(
        "DEFAULT_FILE_STORAGE",
        (4, 2),
        (5, 1),
        "use STORAGES[\"default\"][\"BACKEND\"]",
    ),
    removed(
        "STATICFILES_STORAGE",
        (4, 2),
        (5, 1),
        "use STORAGES[\"staticfiles\"][\"BACKEND\"]",
    ),
    removed(
        "FORMS_URLFIELD_ASSUME_HTTPS",
        (5, 0),
        (6, 0),
        "remove it: https is the default",
    ),
];

/// The removal entry of `name`, if Django removed or deprecated it by `version`.
pub fn removed_setting(name: &str, version: DjangoVersion) -> Option<&'static Removed> {
    REMOVED
        .iter()
        .find(|r| r.name == name && version >= r.deprecated)
}

#[cfg(test)]
mod tests {
    use super::*;

    const TABLES: [DjangoVersion; 3] = [
        DjangoVersion::V4_2,
        DjangoVersion::V5_2,
        DjangoVersion::V6_1,
    ];

    /// The removal table agrees with the global_settings data: a name that disappears between
    /// releases is listed as removed by then, and a removed name is gone from later releases.
    #[test]
    fn removals_agree_with_the_global_settings_tables() {
        let oldest: Vec<&str> = names_of(DjangoVersion::V4_2).to_vec();
        for version in TABLES {
            let names: Vec<&str> = names_of(version).to_vec();
            for gone in oldest.iter().filter(|n| !names.contains(n)) {
                let entry = REMOVED.iter().find(|r| r.name == *gone);
                assert!(
                    entry.is_some_and(|r| r.removed <= version),
                    "{gone} left global_settings by {version} but is not listed as removed"
                );
            }
            for r in REMOVED {
                // a setting may also appear after 4.2 (FORMS_URLFIELD_ASSUME_HTTPS, 5.0)
                if version >= r.removed {
                    assert!(!names.contains(&r.name), "{} in {version}", r.name);
                }
            }
        }
    }

    #[test]
    fn undeclared_settings_are_not_in_global_settings() {
        for (name, since) in UNDECLARED {
            assert!(is_setting(name, DjangoVersion::NEWEST));
            assert!(!names_of(*since).contains(name), "{name}");
        }
        assert!(!is_setting("MAILERS", DjangoVersion::V5_2));
        assert!(is_setting("SECURE_CSP", DjangoVersion::V6_1));
        assert!(!is_setting("SECURE_CSP", DjangoVersion::V5_2));
    }
}
