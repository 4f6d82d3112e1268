//! Positive and negative tests of each gunicorn rule, on in-memory config files.

use std::path::Path;

use super::check;
use crate::diagnostic::{Diagnostic, Severity, apply_edits};
use crate::gunicorn::model::tests::config;

fn findings(text: &str) -> Vec<Diagnostic> {
    check(&config(text), Path::new("/p/gunicorn.conf.py"), text)
}

/// The findings of one code (GUN016, no access log, is left out unless asked for).
fn codes(text: &str, code: &str) -> Vec<Diagnostic> {
    findings(text)
        .into_iter()
        .filter(|d| d.code == code)
        .collect()
}

fn one(text: &str, code: &str) -> Diagnostic {
    let found = codes(text, code);
    assert_eq!(found.len(), 1, "{code} on {text:?}: {found:#?}");
    found.into_iter().next().unwrap()
}

fn none(text: &str, code: &str) {
    let found = codes(text, code);
    assert!(found.is_empty(), "{code} on {text:?}: {found:#?}");
}

fn underlined<'t>(text: &'t str, d: &Diagnostic) -> &'t str {
    &text[d.range.start..d.range.end]
}

fn fixed(text: &str, d: &Diagnostic) -> String {
    apply_edits(text, &d.fix.as_ref().expect("a fix").edits)
}

#[test]
fn gun001_forwarded_allow_all_unless_public() {
    let text = "forwarded_allow_ips = '*'\n";
    let d = one(text, "GUN001");
    assert_eq!(d.severity, Severity::Warning);
    assert_eq!(underlined(text, &d), "forwarded_allow_ips");
    assert!(d.message.contains("local process"), "{}", d.message);
    assert_eq!(fixed(text, &d), "forwarded_allow_ips = \"127.0.0.1,::1\"\n");
    assert!(!d.fix.unwrap().safe);
    let unix = one(
        "bind = 'unix:/run/g.sock'\nforwarded_allow_ips = '*'\n",
        "GUN001",
    );
    assert!(unix.message.contains("unix sockets"), "{}", unix.message);
    one(
        "import os\nforwarded_allow_ips = os.environ.get('FWD', '*')\n",
        "GUN001",
    );
    one(
        "import os\nbind = os.environ['BIND']\nforwarded_allow_ips = '127.0.0.1, *'\n",
        "GUN001",
    );
    // public binds are the stack's STK014
    none(
        "bind = '0.0.0.0:8000'\nforwarded_allow_ips = '*'\n",
        "GUN001",
    );
    none("forwarded_allow_ips = '127.0.0.1'\n", "GUN001");
    none(
        "import os\nforwarded_allow_ips = os.environ['FWD']\n",
        "GUN001",
    );
}

#[test]
fn gun003_unknown_settings_with_a_rename() {
    let text = "proxy_allow_from = '*'\nworker = 4\n";
    let found = codes(text, "GUN003");
    assert_eq!(found.len(), 2);
    assert!(
        found[0].message.contains("did you mean `proxy_allow_ips`"),
        "{}",
        found[0].message
    );
    assert_eq!(
        fixed(text, &found[1]),
        "proxy_allow_from = '*'\nworkers = 4\n"
    );
    // a name used elsewhere is not renamed (the use would dangle)
    let d = one("worker = 4\nthreads = worker\n", "GUN003");
    assert!(d.fix.is_none());
    // the setting is already set: no rename that would duplicate it
    assert!(one("worker = 4\nworkers = 2\n", "GUN003").fix.is_none());
    one("max_request_size = 1024\n", "GUN003");
    none(
        "import multiprocessing\n_cores = 2\nAPP = 'x'\ndef helper(x):\n    return x\n",
        "GUN003",
    );
    none("from os import environ\nworkers = 2\n", "GUN003");
}

#[test]
fn gun004_values_gunicorn_rejects() {
    let text = "import multiprocessing\nworkers = multiprocessing.cpu_count() / 2\n";
    let d = one(text, "GUN004");
    assert_eq!(d.severity, Severity::Error);
    assert_eq!(underlined(text, &d), "workers");
    assert!(d.message.contains("float"), "{}", d.message);
    assert_eq!(
        fixed(text, &d),
        "import multiprocessing\nworkers = multiprocessing.cpu_count() // 2\n"
    );
    assert_eq!(
        apply_edits(text, &d.alternatives[0].edits),
        "import multiprocessing\nworkers = int(multiprocessing.cpu_count() / 2)\n"
    );
    none(
        "import multiprocessing\nworkers = multiprocessing.cpu_count() * 2 + 1\n",
        "GUN004",
    );
    none("workers = '4'\ntimeout = '0x1e'\n", "GUN004");
    one("workers = 'four'\n", "GUN004");
    one("timeout = -1\n", "GUN004");
    let text = "daemon = 1\n";
    assert_eq!(fixed(text, &one(text, "GUN004")), "daemon = True\n");
    let text = "from pathlib import Path\npidfile = Path('/run') / 'g.pid'\n";
    assert_eq!(
        fixed(text, &one(text, "GUN004")),
        "from pathlib import Path\npidfile = str(Path('/run') / 'g.pid')\n"
    );
    one("forwarded_allow_ips = ['127.0.0.1']\n", "GUN004");
    one("proxy_allow_ips = 'nginx'\n", "GUN004");
    one("header_map = 'allow'\n", "GUN004");
    none("header_map = 'refuse'\n", "GUN004");
    // hooks: the arity gunicorn checks
    let text = "def post_fork(server):\n    pass\n";
    let d = one(text, "GUN004");
    assert!(
        d.message
            .contains("takes 1 positional parameter, but gunicorn calls it with 2"),
        "{}",
        d.message
    );
    none("def post_fork(server, worker):\n    pass\n", "GUN004");
    none(
        "def post_request(worker, req, environ):\n    pass\n",
        "GUN004",
    );
    one("def post_request(worker):\n    pass\n", "GUN004");
    one("when_ready = 5\n", "GUN004");
    none("import os\nworkers = os.environ['W']\n", "GUN004");
}

#[test]
fn gun005_gun006_reload() {
    let text = "reload = True\nworkers = 2\n";
    let d = one(text, "GUN005");
    assert_eq!(fixed(text, &d), "workers = 2\n");
    none(text, "GUN006");
    let text = "reload = 'true'\npreload_app = True\n";
    let d = one(text, "GUN006");
    assert_eq!(d.related.len(), 1);
    assert_eq!(fixed(text, &d), "preload_app = True\n");
    assert_eq!(
        apply_edits(text, &d.alternatives[0].edits),
        "reload = 'true'\n"
    );
    none("reload = False\npreload_app = True\n", "GUN005");
    none("reload = False\npreload_app = True\n", "GUN006");
}

#[test]
fn gun007_spew_gun011_daemon_gun013_parsing() {
    assert_eq!(one("spew = True\n", "GUN007").severity, Severity::Error);
    none("spew = False\n", "GUN007");
    let text = "daemon = True\ncapture_output = True\n";
    assert_eq!(fixed(text, &one(text, "GUN011")), "capture_output = True\n");
    none("daemon = False\n", "GUN011");
    assert_eq!(
        codes(
            "strip_header_spaces = True\ncasefold_http_method = True\nheader_map = 'dangerous'\n",
            "GUN013"
        )
        .len(),
        3
    );
    none(
        "strip_header_spaces = False\nheader_map = 'drop'\n",
        "GUN013",
    );
}

#[test]
fn gun008_debug_loglevel() {
    let text = "loglevel = 'DEBUG'\n";
    let d = one(text, "GUN008");
    assert_eq!(d.severity, Severity::Information);
    assert_eq!(fixed(text, &d), "loglevel = \"info\"\n");
    none("loglevel = 'info'\n", "GUN008");
}

#[test]
fn gun009_request_limits() {
    let text = "limit_request_line = 0\nlimit_request_field_size = 0\nlimit_request_fields = 500\n";
    let found = codes(text, "GUN009");
    assert_eq!(found.len(), 3);
    assert_eq!(
        fixed(text, &found[0]),
        text.replace("line = 0", "line = 4094")
    );
    assert_eq!(fixed(text, &found[2]), text.replace("500", "100"));
    none(
        "limit_request_line = 8190\nlimit_request_fields = 100\n",
        "GUN009",
    );
}

#[test]
fn gun010_timeout() {
    let d = one("timeout = 0\n", "GUN010");
    assert_eq!(d.severity, Severity::Warning);
    assert_eq!(
        one("timeout = 300\n", "GUN010").severity,
        Severity::Information
    );
    none("timeout = 300\nworker_class = 'gevent'\n", "GUN010");
    none("timeout = 300\nthreads = 4\n", "GUN010");
    none("timeout = 60\n", "GUN010");
    assert_eq!(fixed("timeout = 0\n", &d), "timeout = 30\n");
}

#[test]
fn gun012_proxy_protocol_any() {
    one("proxy_protocol = True\nproxy_allow_ips = '*'\n", "GUN012");
    one("proxy_protocol = 'v2'\nproxy_allow_ips = '*'\n", "GUN012");
    none("proxy_allow_ips = '*'\n", "GUN012");
    none("proxy_protocol = 'off'\nproxy_allow_ips = '*'\n", "GUN012");
    none(
        "proxy_protocol = True\nproxy_allow_ips = '10.0.0.0/8'\n",
        "GUN012",
    );
}

#[test]
fn gun014_socket_umask() {
    let text = "bind = 'unix:/run/g.sock'\n";
    let d = one(text, "GUN014");
    assert_eq!(underlined(text, &d), "'unix:/run/g.sock'");
    assert_eq!(
        fixed(text, &d),
        "bind = 'unix:/run/g.sock'\numask = 0o007\n"
    );
    let text = "bind = ['unix:/run/g.sock']\numask = 0\n";
    assert_eq!(
        fixed(text, &one(text, "GUN014")),
        "bind = ['unix:/run/g.sock']\numask = 0o007\n"
    );
    none("bind = 'unix:/run/g.sock'\numask = 0o007\n", "GUN014");
    none("bind = '127.0.0.1:8000'\n", "GUN014");
}

#[test]
fn gun015_root_user() {
    assert_eq!(codes("user = 'root'\ngroup = 0\n", "GUN015").len(), 2);
    none("user = 'www-data'\ngroup = 33\n", "GUN015");
}

#[test]
fn gun016_no_access_log() {
    let text = "workers = 2\n";
    let d = one(text, "GUN016");
    assert_eq!(d.severity, Severity::Hint);
    assert_eq!(fixed(text, &d), "workers = 2\naccesslog = \"-\"\n");
    none("accesslog = '-'\n", "GUN016");
    none("accesslog = None\n", "GUN016");
}

#[test]
fn gun017_max_requests_jitter() {
    let text = "max_requests = 1000\n";
    let d = one(text, "GUN017");
    assert_eq!(
        fixed(text, &d),
        "max_requests = 1000\nmax_requests_jitter = 50\n"
    );
    none("max_requests = 1000\nmax_requests_jitter = 100\n", "GUN017");
    none("max_requests = 0\n", "GUN017");
}

#[test]
fn gun018_ssl_version_gun019_raw_env() {
    let text = "import ssl\nssl_version = ssl.PROTOCOL_TLSv1_2\n";
    let d = one(text, "GUN018");
    assert!(d.fix.as_ref().unwrap().safe, "gunicorn ignores it");
    assert_eq!(fixed(text, &d), "import ssl\n");
    let text = "raw_env = ['DJANGO_SETTINGS_MODULE=mysite.settings', 'DJANGO_SECRET_KEY=s3cr3t-v4lue', 'DB_PASSWORD=$DB_PASSWORD']\n";
    let d = one(text, "GUN019");
    assert_eq!(underlined(text, &d), "'DJANGO_SECRET_KEY=s3cr3t-v4lue'");
    assert!(
        !d.message.contains("s3cr3t"),
        "never the value: {}",
        d.message
    );
    none(
        "raw_env = ['DJANGO_SETTINGS_MODULE=mysite.settings']\n",
        "GUN019",
    );
}

#[test]
fn a_clean_config_has_no_findings() {
    let text = "import multiprocessing\nbind = '127.0.0.1:8000'\nworkers = multiprocessing.cpu_count() * 2 + 1\n\
                timeout = 30\naccesslog = '-'\nmax_requests = 1000\nmax_requests_jitter = 50\n\
                def on_starting(server):\n    server.log.info('starting')\n";
    assert_eq!(findings(text), []);
}

/// The docs pages are generated from the registry; PREFLIGHT_UPDATE_DOCS=1 rewrites them.
#[test]
fn gunicorn_rule_docs_match_the_registry() {
    crate::rules::assert_docs_current(&super::RULES, super::doc);
}

#[test]
fn codes_are_well_formed_and_gun002_is_not_assigned() {
    for rule in &super::RULES {
        assert!(
            rule.code.starts_with("GUN") && rule.code.len() == 6,
            "{}",
            rule.code
        );
        assert!(
            rule.name
                .chars()
                .all(|c| c.is_ascii_lowercase() || c == '-'),
            "{}",
            rule.name
        );
        assert!(!rule.summary.ends_with('.'), "{}", rule.code);
    }
    assert!(
        crate::rules::lookup("GUN002").is_none(),
        "G2 is the stack's STK004"
    );
}

mod analysis {
    use std::path::Path;
    use std::sync::Arc;

    use crate::analysis::{FileKind, Options, analyze_python};
    use crate::python::ModuleCache;
    use crate::source::{DiskLoader, MemoryLoader};
    use crate::syntax::python_tree;

    fn analyze(path: &str, text: &str, options: &Options) -> (FileKind, Vec<&'static str>) {
        let tree = python_tree(text);
        let (kind, ds) = analyze_python(
            Path::new(path),
            text,
            &tree,
            &MemoryLoader::default(),
            &mut ModuleCache::default(),
            options,
        );
        (kind, ds.iter().map(|d| d.code).collect())
    }

    #[test]
    fn gunicorn_configs_are_told_apart_by_name_and_content() {
        let none = Options::default();
        let (kind, codes) = analyze(
            "/p/gunicorn.conf.py",
            "spew = True\naccesslog = '-'\n",
            &none,
        );
        assert_eq!((kind, codes), (FileKind::Gunicorn, vec!["GUN007"]));
        let (kind, codes) = analyze(
            "/p/app/gunicorn.py",
            "import gunicorn\nVERSION = 1\n",
            &none,
        );
        assert_eq!((kind, codes), (FileKind::OtherPython, vec![]));
        let (kind, _) = analyze("/p/app/gunicorn.py", "workers = 3\n", &none);
        assert_eq!(kind, FileKind::Gunicorn);
        let (kind, codes) = analyze("/p/gunicorn_config.py", "workers = (\n", &none);
        assert_eq!((kind, codes), (FileKind::Gunicorn, vec!["GUN000"]));
        // a settings module is not a gunicorn config
        let (kind, _) = analyze(
            "/p/mysite/settings.py",
            "DEBUG = False\nworkers = 3\n",
            &none,
        );
        assert_eq!(kind, FileKind::DjangoSettings);
    }

    #[test]
    fn suppressions_and_configuration_apply() {
        let none = Options::default();
        let text = "spew = True  # preflight: ignore[GUN007]\naccesslog = '-'\ndaemon = False  # preflight: ignore[GUN011]\n";
        let (_, codes) = analyze("/p/gunicorn.conf.py", text, &none);
        assert_eq!(codes, vec!["GUN900"]);
        let root =
            std::env::temp_dir().join(format!("preflight-gunicorn-config-{}", std::process::id()));
        std::fs::create_dir_all(root.join("deploy")).unwrap();
        std::fs::write(
            root.join("preflight.toml"),
            "gunicorn = [\"deploy/*.py\"]\nignore = [\"GUN016\"]\n[severity]\nGUN007 = \"warning\"\n",
        )
        .unwrap();
        let project = Arc::new(crate::project::Project::load(&root, &DiskLoader));
        let options = Options::for_project(project);
        let path = root.join("deploy/web.py");
        let tree = python_tree("spew = True\n");
        let (kind, ds) = analyze_python(
            &path,
            "spew = True\n",
            &tree,
            &MemoryLoader::default(),
            &mut ModuleCache::default(),
            &options,
        );
        assert_eq!(kind, FileKind::Gunicorn, "declared by the configuration");
        assert_eq!(ds.len(), 1, "{ds:#?}");
        assert_eq!(
            (ds[0].code, ds[0].severity),
            ("GUN007", crate::Severity::Warning)
        );
        std::fs::remove_dir_all(&root).unwrap();
    }
}

mod robustness {
    use proptest::prelude::*;

    use super::{config, findings};
    use crate::diagnostic::apply_edits;

    /// Pieces of gunicorn configs, good and broken, glued at random.
    fn fragment() -> impl Strategy<Value = &'static str> {
        prop::sample::select(vec![
            "workers = ",
            "bind = ",
            "forwarded_allow_ips = ",
            "raw_env = ",
            "timeout = ",
            "umask = ",
            "user = ",
            "loglevel = ",
            "reload = ",
            "max_requests = ",
            "limit_request_line = ",
            "'unix:/x'",
            "'[::]:'",
            "'0.0.0.0:99999'",
            "'fd://'",
            "'*'",
            "\"A_KEY=v\"",
            "0",
            "-1",
            "1.5",
            "'0x'",
            "True",
            "None",
            "[",
            "]",
            "(",
            ")",
            ",",
            "\n",
            "\r\n",
            " ",
            "/",
            "//",
            "multiprocessing.cpu_count()",
            "os.cpu_count()",
            "import multiprocessing\n",
            "import os\n",
            "os.environ.get('X', ",
            "def post_fork(",
            "server",
            "):\n    pass\n",
            "lambda: 1",
            "# preflight: ignore[GUN004]",
            "😀",
            "\\",
            "\"",
            "'",
            "WORKERS",
            "proxy_allow_from = ",
        ])
    }

    proptest! {
        #![proptest_config(ProptestConfig { cases: 512, ..ProptestConfig::default() })]
        #[test]
        fn any_text_is_analysed_without_panic_and_fixes_stay_in_bounds(parts in prop::collection::vec(fragment(), 0..40)) {
            let text: String = parts.concat();
            let c = config(&text);
            let _ = (c.binds(), c.binds_publicly(), c.worker_class(), c.timeout());
            for d in findings(&text) {
                prop_assert!(d.range.end <= text.len() && text.is_char_boundary(d.range.start));
                for fix in d.fix.iter().chain(&d.alternatives) {
                    for e in &fix.edits {
                        prop_assert!(e.range.end <= text.len() && text.is_char_boundary(e.range.start) && text.is_char_boundary(e.range.end));
                    }
                    let _ = apply_edits(&text, &fix.edits);
                }
            }
        }
    }

    #[test]
    fn binary_garbage_and_huge_files_do_not_panic() {
        let garbage: String = (0..20_000u32)
            .map(|i| char::from_u32((i * 7919) % 0x2FF + 1).unwrap_or('x'))
            .collect();
        let _ = findings(&garbage);
        let huge = "workers = 2\n".repeat(100_000);
        assert!(!findings(&huge).is_empty());
        let deep = format!("workers = {}1{}\n", "(".repeat(5_000), ")".repeat(5_000));
        let _ = findings(&deep);
    }
}
