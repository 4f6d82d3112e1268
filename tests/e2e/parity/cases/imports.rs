//! Settings split over modules: star imports (relative, absolute, chained), named imports.

use super::*;
use crate::parity::settings::*;

/// Settings split over modules: star imports (relative, absolute, chained), named imports.
pub(super) fn imports(cases: &mut Vec<Case>) {
    let base = Settings::baseline().render();
    let weak_base = Settings::baseline()
        .set("DEBUG", "True")
        .set("SECURE_HSTS_SECONDS", "0")
        .render();
    let star = |from: &str, body: &str| format!("from {from} import *  # noqa\n\n{body}\n");
    let module = "proj.settings.production";
    cases.push(
        package(
            "star: relative, unchanged",
            &[
                ("base.py", base.clone()),
                ("production.py", star(".base", "")),
            ],
            module,
        )
        .also_on_5_2(),
    );
    cases.push(package(
        "star: relative, production weakens",
        &[
            ("base.py", base.clone()),
            (
                "production.py",
                star(".base", "DEBUG = True\nSESSION_COOKIE_SECURE = False"),
            ),
        ],
        module,
    ));
    cases.push(package(
        "star: relative, production fixes the base",
        &[
            ("base.py", weak_base.clone()),
            (
                "production.py",
                star(".base", "DEBUG = False\nSECURE_HSTS_SECONDS = 3600"),
            ),
        ],
        module,
    ));
    cases.push(package(
        "star: relative, base stays weak",
        &[
            ("base.py", weak_base.clone()),
            ("production.py", star(".base", "SECURE_SSL_REDIRECT = True")),
        ],
        module,
    ));
    cases.push(package(
        "star: absolute",
        &[
            ("base.py", weak_base.clone()),
            (
                "production.py",
                star("proj.settings.base", "X_FRAME_OPTIONS = \"SAMEORIGIN\""),
            ),
        ],
        module,
    ));
    cases.push(package(
        "star: chain of three",
        &[
            ("base.py", weak_base.clone()),
            (
                "common.py",
                star(".base", "DEBUG = False\nSECURE_SSL_REDIRECT = False"),
            ),
            ("production.py", star(".common", "SECURE_HSTS_SECONDS = 60")),
        ],
        module,
    ));
    cases.push(package(
        "star: mutation of an imported list",
        &[
            ("base.py", base.clone()),
            (
                "production.py",
                star(".base", &format!("MIDDLEWARE.remove({})", py_str(CSRF))),
            ),
        ],
        module,
    ));
    cases.push(package(
        "star: += on an imported list",
        &[
            (
                "base.py",
                Settings::baseline()
                    .middleware(&middleware_without(&[XFRAME]))
                    .render(),
            ),
            (
                "production.py",
                star(".base", &format!("MIDDLEWARE += [{}]", py_str(XFRAME))),
            ),
        ],
        module,
    ));
    let mut init_base = package(
        "star: the package __init__ is the settings",
        &[("base.py", weak_base.clone())],
        "proj.settings",
    );
    init_base
        .files
        .retain(|(p, _)| p != "proj/settings/__init__.py");
    init_base
        .files
        .push(("proj/settings/__init__.py".into(), star(".base", "")));
    cases.push(init_base);
    // the package's __init__ star-imports production
    let mut init_case = package(
        "star: __init__ imports production",
        &[
            ("base.py", base.clone()),
            ("production.py", star(".base", "DEBUG = 1")),
        ],
        "proj.settings",
    );
    init_case
        .files
        .retain(|(p, _)| p != "proj/settings/__init__.py");
    init_case
        .files
        .push(("proj/settings/__init__.py".into(), star(".production", "")));
    cases.push(init_case);
    cases.push(package(
        "named import from a sibling module",
        &[
            (
                "secrets.py",
                format!("SECRET_KEY = {}\nWEAK = \"short\"\n", py_str(STRONG_KEY)),
            ),
            (
                "production.py",
                Settings::baseline()
                    .remove("SECRET_KEY")
                    .import("from proj.settings.secrets import SECRET_KEY")
                    .render(),
            ),
        ],
        module,
    ));
    cases.push(package(
        "named import of a weak key, aliased",
        &[
            ("secrets.py", "WEAK = \"short\"\n".to_string()),
            (
                "production.py",
                Settings::baseline()
                    .remove("SECRET_KEY")
                    .import("from .secrets import WEAK as SECRET_KEY")
                    .render(),
            ),
        ],
        module,
    ));
    cases.push(package(
        "named import then override",
        &[
            ("defaults.py", "HSTS = 0\nFRAME = \"DENY\"\n".to_string()),
            (
                "production.py",
                Settings::baseline()
                    .import("from .defaults import HSTS, FRAME")
                    .set("SECURE_HSTS_SECONDS", "HSTS")
                    .set("X_FRAME_OPTIONS", "FRAME")
                    .render(),
            ),
        ],
        module,
    ));
    cases.push(package(
        "module import attribute",
        &[
            ("defaults.py", "HSTS = 0\n".to_string()),
            (
                "production.py",
                Settings::baseline()
                    .import("from . import defaults")
                    .set("SECURE_HSTS_SECONDS", "defaults.HSTS")
                    .render(),
            ),
        ],
        module,
    ));
    cases.push(package(
        "optional local override present",
        &[
            ("base.py", base.clone()),
            ("local.py", "DEBUG = True\n".to_string()),
            (
                "production.py",
                star(
                    ".base",
                    "try:\n    from .local import *  # noqa\nexcept ImportError:\n    pass",
                ),
            ),
        ],
        module,
    ));
    cases.push(package(
        "optional local override absent",
        &[("base.py", weak_base), ("production.py", star(".base", "DEBUG = False\ntry:\n    from .local import *  # noqa\nexcept ImportError:\n    pass"))],
        module,
    ));
}
