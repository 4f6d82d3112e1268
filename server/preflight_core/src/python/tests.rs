//! Evaluator tests: each idiom of real settings modules, on in-memory files.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use super::value::{EnvCast, Value};
use super::{ModuleCache, ModuleModel, analyze_module};
use crate::source::{MemoryLoader, SourceLoader};
use crate::syntax::python_tree;

/// An in-memory file tree.
type Files = MemoryLoader;

trait FilesExt {
    fn model(&self, path: &str) -> ModuleModel;
}

impl FilesExt for Files {
    fn model(&self, path: &str) -> ModuleModel {
        let text = self.text(path);
        let tree = python_tree(&text);
        analyze_module(
            Path::new(path),
            &text,
            &tree,
            self,
            &mut ModuleCache::default(),
        )
    }
}

fn eval(text: &str) -> ModuleModel {
    Files::default()
        .with("/p/mysite/settings.py", text)
        .model("/p/mysite/settings.py")
}

fn value(model: &ModuleModel, name: &str) -> Value {
    model
        .get(name)
        .unwrap_or_else(|| panic!("{name} is not bound"))
        .value
        .clone()
}

fn s(x: &str) -> Value {
    Value::Str(x.into())
}

#[test]
fn literals_and_types() {
    let m = eval(
        "A = True\nB = 1_000\nC = 'x' 'y'\nD = None\nE = [1, (2,), {3}]\nF = {'k': 1.5}\nG = -3\n",
    );
    assert_eq!(value(&m, "A"), Value::Bool(true));
    assert_eq!(value(&m, "B"), Value::Int(1000));
    assert_eq!(value(&m, "C"), s("xy"));
    assert_eq!(value(&m, "D"), Value::None);
    assert_eq!(
        value(&m, "E"),
        Value::List(vec![
            Value::Int(1),
            Value::Tuple(vec![Value::Int(2)]),
            Value::Set(vec![Value::Int(3)])
        ])
    );
    assert_eq!(
        value(&m, "F"),
        Value::Dict(vec![(s("k"), Value::Float(1.5))])
    );
    assert_eq!(value(&m, "G"), Value::Int(-3));
}

#[test]
fn names_chained_assignment_and_arithmetic() {
    let m = eval(
        "A = B = True\nYEAR = 60 * 60 * 24 * 365\nH = YEAR // 2 % 7 - 1\nS = 'a' + 'b'\nL = [1] + [2]\nT = (1,) + (2,)\n",
    );
    assert_eq!(value(&m, "A"), Value::Bool(true));
    assert_eq!(value(&m, "B"), Value::Bool(true));
    assert_eq!(value(&m, "YEAR"), Value::Int(31_536_000));
    assert_eq!(value(&m, "H"), Value::Int(31_536_000 / 2 % 7 - 1));
    assert_eq!(value(&m, "S"), s("ab"));
    assert_eq!(
        value(&m, "L"),
        Value::List(vec![Value::Int(1), Value::Int(2)])
    );
    assert_eq!(
        value(&m, "T"),
        Value::Tuple(vec![Value::Int(1), Value::Int(2)])
    );
}

#[test]
fn boolean_logic_comparisons_and_conditionals() {
    let m = eval(
        "DEBUG = False\nA = not DEBUG\nB = DEBUG or 'x'\nC = DEBUG and 'x'\nD = 3 > 2 == 2\nE = 'a' in ['a']\n\
         F = 1 if DEBUG else 2\nG = 'b' not in 'abc'\nH = DEBUG is not None\n",
    );
    assert_eq!(value(&m, "A"), Value::Bool(true));
    assert_eq!(value(&m, "B"), s("x"));
    assert_eq!(value(&m, "C"), Value::Bool(false));
    assert_eq!(value(&m, "D"), Value::Bool(true));
    assert_eq!(value(&m, "E"), Value::Bool(true));
    assert_eq!(value(&m, "F"), Value::Int(2));
    assert_eq!(value(&m, "G"), Value::Bool(false));
    assert_eq!(value(&m, "H"), Value::Bool(true));
}

#[test]
fn module_level_if_with_known_and_unknown_conditions() {
    let m =
        eval("DEBUG = False\nif DEBUG:\n    X = 1\nelif 1 == 1:\n    X = 2\nelse:\n    X = 3\n");
    assert_eq!(value(&m, "X"), Value::Int(2));
    let m = eval("import sys\nX = 0\nif 'test' in sys.argv:\n    X = 1\nelse:\n    X = 2\n");
    assert_eq!(
        value(&m, "X"),
        Value::OneOf(vec![Value::Int(1), Value::Int(2)])
    );
    let m = eval("import sys\nX = 0\nif sys.argv:\n    X = 1\n");
    assert_eq!(
        value(&m, "X"),
        Value::OneOf(vec![Value::Int(1), Value::Int(0)])
    );
    // defined in one branch only: not decided
    let m = eval("import sys\nif sys.argv:\n    Y = 1\n");
    assert_eq!(value(&m, "Y"), Value::Unknown);
}

#[test]
fn list_mutations() {
    let m = eval(
        "M = ['a', 'b']\nM += ['c']\nM.append('d')\nM.insert(0, 'z')\nM.extend(('e',))\nM.remove('b')\nT = tuple(M)\nL = list(T)\n",
    );
    let expected: Vec<Value> = ["z", "a", "c", "d", "e"].iter().map(|x| s(x)).collect();
    assert_eq!(value(&m, "M"), Value::List(expected.clone()));
    assert_eq!(value(&m, "T"), Value::Tuple(expected.clone()));
    assert_eq!(value(&m, "L"), Value::List(expected));
    let b = m.get("M").unwrap();
    assert!(b.mutated);
    assert!(
        b.literal.is_some(),
        "the literal of the defining assignment is kept"
    );
    // tuple += tuple is concatenation; a removal of a missing item raises: unknown
    let m = eval("M = ('a',)\nM += ('b',)\nN = ['a']\nN.remove('x')\n");
    assert_eq!(value(&m, "M"), Value::Tuple(vec![s("a"), s("b")]));
    assert_eq!(value(&m, "N"), Value::Unknown);
}

#[test]
fn subscript_assignment_into_nested_dicts() {
    let m = eval(
        "DATABASES = {'default': {'ENGINE': 'x'}}\nDATABASES['default']['CONN_MAX_AGE'] = 60\nC = {}\nC['a'] = 1\n",
    );
    assert_eq!(
        value(&m, "DATABASES")
            .dict_get("default")
            .unwrap()
            .dict_get("CONN_MAX_AGE"),
        Some(&Value::Int(60))
    );
    assert_eq!(value(&m, "C"), Value::Dict(vec![(s("a"), Value::Int(1))]));
}

#[test]
fn environment_reads_take_their_defaults() {
    let m = eval(
        "import os\nA = os.environ.get('A', 'dflt')\nB = os.getenv('B', 'False').lower() == 'true'\n\
         C = os.environ.get('HOSTS', 'a.com,b.com').split(',')\nD = int(os.environ.get('D', '3600'))\n\
         E = bool(int(os.getenv('E', '1')))\nF = os.environ['F']\nG = os.environ.get('G')\nH = os.environ.get('H', False)\n",
    );
    assert_eq!(value(&m, "A"), s("dflt"));
    assert_eq!(value(&m, "B"), Value::Bool(false));
    assert_eq!(value(&m, "C"), Value::List(vec![s("a.com"), s("b.com")]));
    assert_eq!(value(&m, "D"), Value::Int(3600));
    assert_eq!(value(&m, "E"), Value::Bool(true));
    assert!(matches!(value(&m, "F"), Value::FromEnv(ref r) if r.var.as_deref() == Some("F")));
    assert!(matches!(value(&m, "G"), Value::FromEnv(_)));
    assert_eq!(value(&m, "H"), Value::Bool(false));
    let h = &m.get("H").unwrap().env[0];
    assert_eq!(
        (h.var.as_deref(), h.cast, h.reader.as_str()),
        (Some("H"), EnvCast::Str, "os.environ.get")
    );
    assert_eq!(h.default.as_deref(), Some(&Value::Bool(false)));
}

#[test]
fn from_os_import_environ() {
    let m = eval(
        "from os import environ, getenv\nA = environ.get('A', 'x')\nB = getenv('B', 'y')\nC = environ['C']\n",
    );
    assert_eq!(value(&m, "A"), s("x"));
    assert_eq!(value(&m, "B"), s("y"));
    assert!(matches!(value(&m, "C"), Value::FromEnv(_)));
}

#[test]
fn django_environ_reads() {
    let m = eval(
        "import environ\nenv = environ.Env(DEBUG=(bool, False), HOSTS=(list, ['a']))\nDEBUG = env('DEBUG')\n\
         HOSTS = env('HOSTS')\nX = env.bool('X', default=True)\nY = env.int('Y', 5)\nK = env('SECRET_KEY')\nR = env.str('R', default='False')\n",
    );
    assert_eq!(value(&m, "DEBUG"), Value::Bool(false));
    assert_eq!(value(&m, "HOSTS"), Value::List(vec![s("a")]));
    assert_eq!(value(&m, "X"), Value::Bool(true));
    assert_eq!(value(&m, "Y"), Value::Int(5));
    assert!(matches!(value(&m, "K"), Value::FromEnv(_)));
    assert_eq!(value(&m, "R"), s("False"));
    assert_eq!(m.get("DEBUG").unwrap().env[0].cast, EnvCast::Bool);
}

#[test]
fn decouple_reads_cast_their_defaults() {
    let m = eval(
        "from decouple import config, Csv\nDEBUG = config('DEBUG', default='False', cast=bool)\nH = config('H', default='a, b', cast=Csv())\n\
         N = config('N', default='10', cast=int)\nK = config('SECRET_KEY')\n",
    );
    assert_eq!(value(&m, "DEBUG"), Value::Bool(false));
    assert_eq!(value(&m, "H"), Value::List(vec![s("a"), s("b")]));
    assert_eq!(value(&m, "N"), Value::Int(10));
    assert!(matches!(value(&m, "K"), Value::FromEnv(_)));
}

#[test]
fn helpers_are_inlined() {
    let m = eval(
        "import os\ndef env_bool(name, default=False):\n    \"\"\"doc\"\"\"\n    return os.environ.get(name, str(default)).lower() in ('1', 'true')\n\
         DEBUG = env_bool('DEBUG')\nSSL = env_bool('SSL', True)\n",
    );
    assert_eq!(value(&m, "DEBUG"), Value::Bool(false));
    assert_eq!(value(&m, "SSL"), Value::Bool(true));
}

#[test]
fn paths() {
    let m = eval(
        "from pathlib import Path\nimport os\nBASE_DIR = Path(__file__).resolve().parent.parent\nMEDIA_ROOT = BASE_DIR / 'media'\n\
         OLD = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))\nSTATIC_ROOT = os.path.join(OLD, 'static')\n",
    );
    assert_eq!(value(&m, "BASE_DIR"), Value::Path("/p".into()));
    assert_eq!(value(&m, "MEDIA_ROOT"), Value::Path("/p/media".into()));
    assert_eq!(value(&m, "STATIC_ROOT"), s("/p/static"));
}

#[test]
fn dynamic_injection_opens_the_module() {
    for text in [
        "globals().update({'A': 1})\n",
        "vars().update(x)\n",
        "exec('A = 1')\n",
        "globals()['A'] = 1\n",
    ] {
        assert!(eval(text).open, "{text}");
    }
    assert!(!eval("A = 1\n").open);
}

#[test]
fn unknown_calls_and_loops_never_guess() {
    let m = eval("X = foo()\nL = ['a']\nfor i in range(3):\n    L.append(i)\nY = 'a'.format(1)\n");
    assert_eq!(value(&m, "X"), Value::Unknown);
    assert_eq!(value(&m, "L"), Value::Unknown);
    assert_eq!(value(&m, "Y"), Value::Unknown);
    let m = eval("X = f'{y}'\nZ = f'plain'\n");
    assert_eq!(value(&m, "X"), Value::Unknown);
    assert_eq!(value(&m, "Z"), s("plain"));
}

#[test]
fn star_imports_across_files_relative_and_absolute() {
    let files = Files::default()
        .with("/p/mysite/__init__.py", "")
        .with("/p/mysite/settings/__init__.py", "")
        .with(
            "/p/mysite/settings/base.py",
            "DEBUG = True\nSECRET_KEY = 'x'\n_PRIVATE = 1\nMIDDLEWARE = ['a']\n",
        )
        .with(
            "/p/mysite/settings/common.py",
            "from .base import *\nDEBUG = False\n",
        )
        .with(
            "/p/mysite/settings/prod.py",
            "from mysite.settings.common import *\nMIDDLEWARE += ['b']\n",
        );
    let m = files.model("/p/mysite/settings/prod.py");
    assert_eq!(value(&m, "DEBUG"), Value::Bool(false));
    assert_eq!(value(&m, "MIDDLEWARE"), Value::List(vec![s("a"), s("b")]));
    assert!(m.get("_PRIVATE").is_none());
    let debug = m.get("DEBUG").unwrap();
    // the site is the import statement here; the origin is the assignment in common.py
    assert_eq!(
        debug.site.path.as_ref(),
        Path::new("/p/mysite/settings/prod.py")
    );
    let origin = debug.origin.as_ref().unwrap();
    assert_eq!(
        origin.path.as_ref(),
        Path::new("/p/mysite/settings/common.py")
    );
    let secret = m.get("SECRET_KEY").unwrap();
    assert_eq!(
        secret.origin.as_ref().unwrap().path.as_ref(),
        Path::new("/p/mysite/settings/base.py")
    );
    assert_eq!(m.imports.len(), 1);
}

#[test]
fn from_module_import_name_and_missing_local_overrides() {
    let files = Files::default()
        .with("/p/mysite/__init__.py", "")
        .with("/p/mysite/consts.py", "HSTS = 3600\n")
        .with(
            "/p/mysite/settings.py",
            "from .consts import HSTS as H\nSECURE_HSTS_SECONDS = H\ntry:\n    from .local_settings import *\nexcept ImportError:\n    LOCAL = False\n",
        );
    let m = files.model("/p/mysite/settings.py");
    assert_eq!(value(&m, "SECURE_HSTS_SECONDS"), Value::Int(3600));
    assert_eq!(value(&m, "LOCAL"), Value::Bool(false));
    let files = files.with("/p/mysite/local_settings.py", "LOCAL = True\n");
    assert_eq!(
        value(&files.model("/p/mysite/settings.py"), "LOCAL"),
        Value::Bool(true)
    );
}

#[test]
fn import_cycles_terminate_and_open_the_module() {
    let files = Files::default()
        .with("/p/a.py", "from .b import *\nA = 1\n")
        .with("/p/b.py", "from .a import *\nB = 2\n");
    let m = files.model("/p/a.py");
    assert_eq!(value(&m, "B"), Value::Int(2));
    assert!(m.open, "a cycle hides names: never claim one is missing");
}

#[test]
fn unresolved_star_import_opens_the_module() {
    assert!(eval("from some_installed_package.settings import *\n").open);
}

#[test]
fn syntax_errors_are_reported_and_stop_evaluation() {
    let m = eval("A = [1,\nB = 2\n");
    assert!(m.syntax_error.is_some());
    assert!(m.bindings.is_empty());
}

#[test]
fn deep_nesting_does_not_overflow() {
    let text = format!("A = {}1{}\n", "(".repeat(5000), ")".repeat(5000));
    let m = eval(&text);
    assert!(
        m.syntax_error.is_some()
            || value(&m, "A") == Value::Unknown
            || value(&m, "A") == Value::Int(1)
    );
    let text = format!("A = {}\n", vec!["1"; 20000].join(" + "));
    let _ = eval(&text);
    let mut nested = String::new();
    for i in 0..400 {
        nested.push_str(&" ".repeat(i * 4));
        nested.push_str("if True:\n");
    }
    nested.push_str(&" ".repeat(400 * 4));
    nested.push_str("X = 1\n");
    let _ = eval(&nested);
}

#[test]
fn literal_shapes_for_fixes() {
    let text = "MIDDLEWARE = [\n    'a',\n    'b',\n]\n";
    let m = eval(text);
    let lit = m.get("MIDDLEWARE").unwrap().literal.clone().unwrap();
    assert_eq!(lit.elements.len(), 2);
    assert_eq!(&text[lit.elements[1].start..lit.elements[1].end], "'b'");
    assert_eq!(m.imports_end, None);
    let m = eval("import os\nX = 1\n");
    assert!(m.imports_os());
    assert_eq!(m.imports_end, Some(9));
}

mod robustness {
    use proptest::prelude::*;

    use super::eval;

    /// Fragments that real settings modules are made of, glued at random: whatever comes out
    /// (mostly invalid Python), the evaluator must not panic.
    fn fragment() -> impl Strategy<Value = &'static str> {
        prop::sample::select(vec![
            "A",
            "B",
            "DEBUG",
            "MIDDLEWARE",
            " = ",
            " += ",
            "(",
            ")",
            "[",
            "]",
            "{",
            "}",
            ",",
            ":",
            ".",
            "\n",
            "    ",
            "'x'",
            "\"y\"",
            "f'{a}'",
            "r'\\d'",
            "1",
            "0",
            "-1",
            "True",
            "None",
            " if ",
            " else ",
            "if ",
            "elif ",
            "else:",
            " and ",
            " or ",
            "not ",
            " == ",
            " in ",
            " is ",
            "import os",
            "from .base import *",
            "os.environ.get(",
            "os.environ[",
            "env.bool(",
            "config(",
            ".append(",
            ".remove(",
            ".split(',')",
            "def f(x):\n    return x\n",
            "f(",
            "try:\n",
            "except ImportError:\n",
            "for i in A:\n",
            "del A\n",
            "globals()",
            "*",
            "**",
            "//",
            "%",
            "😀",
            "\r\n",
            "\\",
            "#",
            "lambda: 1",
            "[x for x in A]",
        ])
    }

    proptest! {
        #![proptest_config(ProptestConfig { cases: 512, ..ProptestConfig::default() })]
        #[test]
        fn evaluating_any_text_never_panics(parts in prop::collection::vec(fragment(), 0..60)) {
            let text: String = parts.concat();
            let model = eval(&text);
            prop_assert_eq!(model.text_len, text.len());
        }
    }
}

#[test]
fn the_cache_notices_changes_in_imported_modules_at_any_depth() {
    use std::sync::Mutex;

    /// Files whose texts can change between analyses.
    struct Mutable(Mutex<HashMap<PathBuf, Arc<str>>>);
    impl SourceLoader for Mutable {
        fn read(&self, path: &Path) -> Option<Arc<str>> {
            self.0.lock().unwrap().get(path).cloned()
        }
    }
    let files = Mutable(Mutex::new(HashMap::new()));
    let set = |p: &str, t: &str| {
        files
            .0
            .lock()
            .unwrap()
            .insert(PathBuf::from(p), Arc::from(t));
    };
    set("/p/base.py", "DEBUG = True\n");
    set("/p/common.py", "from .base import *\n");
    let prod = "from .common import *\n";
    let tree = python_tree(prod);
    let mut cache = ModuleCache::default();
    let analyze = |cache: &mut ModuleCache| {
        analyze_module(Path::new("/p/prod.py"), prod, &tree, &files, cache)
    };
    assert_eq!(value(&analyze(&mut cache), "DEBUG"), Value::Bool(true));
    set("/p/base.py", "DEBUG = False\n");
    assert_eq!(value(&analyze(&mut cache), "DEBUG"), Value::Bool(false));
}

#[test]
fn methods_on_nested_items_mutate_in_place() {
    let m = eval(
        "TEMPLATES = [{'OPTIONS': {'context_processors': ['a']}}]\nTEMPLATES[0]['OPTIONS']['context_processors'].append('b')\n\
         C = {'x': []}\nC['missing'].append(1)\n",
    );
    let t = value(&m, "TEMPLATES");
    let Value::List(items) = t else { panic!() };
    let cps = items[0]
        .dict_get("OPTIONS")
        .unwrap()
        .dict_get("context_processors")
        .unwrap();
    assert_eq!(cps, &Value::List(vec![s("a"), s("b")]));
    assert_eq!(
        value(&m, "C"),
        Value::Unknown,
        "a KeyError path is not guessed"
    );
}

#[test]
fn django_csp_constants_have_their_values() {
    let m = eval(
        "from django.utils.csp import CSP\nP = {'script-src': [CSP.SELF, CSP.NONCE]}\nQ = \"'self' \" + CSP.NONCE\n",
    );
    assert_eq!(value(&m, "Q"), s("'self' <CSP_NONCE_SENTINEL>"));
    let p = value(&m, "P");
    assert_eq!(
        p.dict_get("script-src"),
        Some(&Value::List(vec![s("'self'"), s("<CSP_NONCE_SENTINEL>")]))
    );
}

#[test]
fn attributes_of_imported_project_modules() {
    let files = Files::default()
        .with("/p/mysite/__init__.py", "")
        .with("/p/mysite/defaults.py", "HSTS = 60\n")
        .with("/p/mysite/settings.py", "from . import defaults\nimport mysite.defaults as d2\nA = defaults.HSTS\nB = d2.HSTS * 2\n");
    let m = files.model("/p/mysite/settings.py");
    assert_eq!(value(&m, "A"), Value::Int(60));
    assert_eq!(value(&m, "B"), Value::Int(120));
    let defaults = m
        .imports
        .iter()
        .filter(|i| i.path == Path::new("/p/mysite/defaults.py"))
        .count();
    assert_eq!(
        defaults, 2,
        "both imports are dependencies, for the cache and the server"
    );
}

#[test]
fn direct_env_reads_and_library_calls_are_recorded() {
    let m = eval(
        "import os\nfrom django.core.management.utils import get_random_secret_key\nDEBUG = os.environ.get('DEBUG', False)\n\
         D2 = (os.getenv('D2', 'x'))\nD3 = os.environ.get('D3', 'False') == 'True'\nSECRET_KEY = get_random_secret_key()\n",
    );
    let debug = m.get("DEBUG").unwrap();
    assert_eq!(
        debug.direct_env().and_then(|r| r.var.as_deref()),
        Some("DEBUG")
    );
    assert!(
        m.get("D2").unwrap().direct_env().is_some(),
        "parentheses do not hide a direct read"
    );
    assert!(
        m.get("D3").unwrap().direct_env().is_none(),
        "a comparison applied to the read"
    );
    let key = m.get("SECRET_KEY").unwrap();
    assert_eq!(key.value, Value::Unknown);
    assert_eq!(
        key.calls,
        vec!["django.core.management.utils.get_random_secret_key".to_string()]
    );
}

#[test]
fn configured_env_helpers_read_the_environment() {
    use crate::config::EnvHelper;
    let files = Files::default()
        .with("/p/mysite/__init__.py", "")
        .with("/p/mysite/utils.py", "import os\ndef get_bool(name, default):\n    x = os.environ.get(name)\n    return x == '1' if x else default\n")
        .with("/p/mysite/settings.py", "from .utils import get_bool\nDEBUG = get_bool('DEBUG', True)\nX = get_bool('X', False)\n");
    let text = files.text("/p/mysite/settings.py");
    let tree = python_tree(&text);
    let mut cache = ModuleCache::default();
    let plain = analyze_module(
        Path::new("/p/mysite/settings.py"),
        &text,
        &tree,
        &files,
        &mut cache,
    );
    assert_eq!(
        value(&plain, "DEBUG"),
        Value::Unknown,
        "a multi-statement helper is not inlined"
    );
    cache.set_env_helpers(&[EnvHelper {
        name: "get_bool".into(),
        default_arg: 1,
        cast: "bool".into(),
    }]);
    let m = analyze_module(
        Path::new("/p/mysite/settings.py"),
        &text,
        &tree,
        &files,
        &mut cache,
    );
    assert_eq!(value(&m, "DEBUG"), Value::Bool(true));
    let read = m.get("DEBUG").unwrap().direct_env().unwrap();
    assert_eq!(
        (read.var.as_deref(), read.cast),
        (Some("DEBUG"), EnvCast::Bool)
    );
}

#[test]
fn comprehensions_slices_formatting_and_repetition() {
    let m = eval(
        "import os\nM = ['a', 'clickjacking.X', 'b']\nN = [m for m in M if 'clickjacking' not in m]\nO = M[1:]\nP = M[::-1]\n\
         H = [h.strip() for h in os.environ.get('HOSTS', ' x.com, ,y.com').split(',') if h.strip()]\nD = {k: v for k, v in [('a', 1)]}\n\
         K = ''.join(['a'] * 3)\nF = 'insecure-%s-%d' % ('k', 2)\nT = tuple(x for x in 'ab')\nI = M.index('b')\n",
    );
    assert_eq!(value(&m, "N"), Value::List(vec![s("a"), s("b")]));
    assert_eq!(
        value(&m, "O"),
        Value::List(vec![s("clickjacking.X"), s("b")])
    );
    assert_eq!(
        value(&m, "P"),
        Value::List(vec![s("b"), s("clickjacking.X"), s("a")])
    );
    assert_eq!(value(&m, "H"), Value::List(vec![s("x.com"), s("y.com")]));
    assert_eq!(value(&m, "D"), Value::Dict(vec![(s("a"), Value::Int(1))]));
    assert_eq!(value(&m, "K"), s("aaa"));
    assert_eq!(value(&m, "F"), s("insecure-k-2"));
    assert_eq!(value(&m, "T"), Value::Tuple(vec![s("a"), s("b")]));
    assert_eq!(value(&m, "I"), Value::Int(2));
    // an unknown condition makes the whole comprehension unknown
    assert_eq!(
        value(
            &eval("import sys\nX = [a for a in [1, 2] if sys.argv]\n"),
            "X"
        ),
        Value::Unknown
    );
}

#[test]
fn floats_timedeltas_and_getattr_defaults() {
    let m = eval(
        "from datetime import timedelta\nimport configuration\nA = 0.0 + 0\nB = int(timedelta(days=1).total_seconds())\nC = 7 / 2\n\
         DEBUG = getattr(configuration, 'DEBUG', True)\n",
    );
    assert_eq!(value(&m, "A"), Value::Float(0.0));
    assert_eq!(value(&m, "B"), Value::Int(86_400));
    assert_eq!(value(&m, "C"), Value::Float(3.5));
    assert_eq!(value(&m, "DEBUG"), Value::Bool(true));
    assert_eq!(m.get("DEBUG").unwrap().env[0].var.as_deref(), Some("DEBUG"));
}

fn symbolic(kind: super::NumKind, text: &str) -> Value {
    super::Symbolic::value(kind, text)
}

#[test]
fn cpu_count_is_a_symbolic_int_that_keeps_its_type() {
    use super::NumKind::{Float, Int};
    let m = eval(
        "import multiprocessing, os, math\nfrom multiprocessing import cpu_count\n\
         A = multiprocessing.cpu_count() * 2 + 1\nB = os.cpu_count() / 2\nC = cpu_count() // 2\n\
         D = int(multiprocessing.cpu_count() / 2)\nE = math.ceil(os.cpu_count() * 1.5)\n\
         F = round(cpu_count() / 3)\nG = max(2, cpu_count())\nH = (os.cpu_count() or 1) * 2\n\
         I = cpu_count() * 0.5\nJ = cpu_count() + 'x'\nK = -cpu_count() % 3\n\
         L = max(2, 5)\nM = round(2.5)\nN = math.ceil(2.1)\n",
    );
    assert_eq!(
        value(&m, "A"),
        symbolic(Int, "multiprocessing.cpu_count() * 2 + 1")
    );
    assert_eq!(value(&m, "B"), symbolic(Float, "os.cpu_count() / 2"));
    assert_eq!(
        value(&m, "C"),
        symbolic(Int, "multiprocessing.cpu_count() // 2")
    );
    assert_eq!(
        value(&m, "D"),
        symbolic(Int, "int(multiprocessing.cpu_count() / 2)")
    );
    assert_eq!(
        value(&m, "E"),
        symbolic(Int, "math.ceil(os.cpu_count() * 1.5)")
    );
    assert_eq!(
        value(&m, "F"),
        symbolic(Int, "round(multiprocessing.cpu_count() / 3)")
    );
    assert_eq!(
        value(&m, "G"),
        symbolic(Int, "max(2, multiprocessing.cpu_count())")
    );
    assert_eq!(value(&m, "H"), symbolic(Int, "(os.cpu_count() or 1) * 2"));
    assert_eq!(
        value(&m, "I"),
        symbolic(Float, "multiprocessing.cpu_count() * 0.5")
    );
    assert_eq!(value(&m, "J"), Value::Unknown);
    assert_eq!(
        value(&m, "K"),
        symbolic(Int, "-multiprocessing.cpu_count() % 3")
    );
    assert_eq!(value(&m, "L"), Value::Int(5));
    assert_eq!(value(&m, "M"), Value::Int(2));
    assert_eq!(value(&m, "N"), Value::Int(3));
    // a symbolic number decides nothing about its magnitude
    assert!(value(&m, "A").is_unknown());
    assert_eq!(value(&m, "A").truthy(), super::Tri::Unknown);
}

#[test]
fn module_level_functions_are_recorded_with_their_positional_arity() {
    let m = eval(
        "def on_starting(server):\n    x = 1\n\
         def post_request(worker, req, environ, resp=None):\n    pass\n\
         def pre_fork(server, *args, **kw):\n    pass\n\
         def when_ready(a, /, b, *, c):\n    pass\n\
         def gone(x):\n    pass\ngone = 3\n\
         @decorator\ndef wrapped(a, b):\n    pass\n\
         if True:\n    def worker_int(worker):\n        pass\n",
    );
    let arity = |name: &str| m.function(name).map(|f| f.positional);
    assert_eq!(arity("on_starting"), Some(1));
    assert_eq!(arity("post_request"), Some(4));
    assert_eq!(arity("pre_fork"), Some(1));
    assert_eq!(arity("when_ready"), Some(2));
    assert_eq!(arity("gone"), None, "re-bound after its def");
    assert_eq!(
        arity("wrapped"),
        None,
        "a decorator may change the signature"
    );
    assert_eq!(arity("worker_int"), Some(1));
    // code inside functions is not evaluated
    assert!(m.get("x").is_none());
    let m =
        eval("import os, multiprocessing as mp\nfrom x import y\nfrom z import w\nw = 1\nv = os\n");
    let names: Vec<&str> = m.imported_names.iter().map(String::as_str).collect();
    assert_eq!(names, ["mp", "os", "y"]);
}

#[test]
fn f_strings_with_known_replacement_fields() {
    let m = eval(
        "import os\nPORT = 8000\nHOST = os.environ.get('HOST', '127.0.0.1')\n\
         A = f\"{HOST}:{PORT}\"\nB = f'{{x}}\\n{PORT}'\nC = rf'{HOST}\\d'\nD = f'{PORT!r:>6}'\n\
         E = f'{os.environ[\"X\"]}'\nF = 'a' f'{PORT}' \"b\"\nG = f'{None}-{True}-{1.5}'\n",
    );
    assert_eq!(value(&m, "A"), s("127.0.0.1:8000"));
    assert_eq!(value(&m, "B"), s("{x}\n8000"));
    assert_eq!(value(&m, "C"), s("127.0.0.1\\d"));
    assert_eq!(
        value(&m, "D"),
        Value::Unknown,
        "conversions and format specs are not modelled"
    );
    assert_eq!(value(&m, "E"), Value::Unknown);
    assert_eq!(value(&m, "F"), s("a8000b"));
    assert_eq!(value(&m, "G"), Value::Unknown, "floats are not formatted");
}

/// Analyses each text in turn as the same module with one cache (as the server does while a
/// file is edited) and checks every model against one computed with a fresh cache.
fn assert_cache_changes_nothing(texts: &[String]) {
    let files = Files::default();
    let path = Path::new("/p/mysite/settings.py");
    let mut shared = ModuleCache::for_editing();
    for text in texts {
        let tree = python_tree(text);
        let reused = analyze_module(path, text, &tree, &files, &mut shared);
        let fresh = analyze_module(path, text, &tree, &files, &mut ModuleCache::default());
        assert_eq!(reused.bindings, fresh.bindings, "after analysing {text:?}");
    }
}

#[test]
fn a_literal_remembered_from_an_earlier_analysis_has_the_same_value() {
    let list = "['django.middleware.security.SecurityMiddleware', 'x']";
    let dict = "{'default': {'ENGINE': 'django.db.backends.postgresql', 'PORT': 5432}}";
    let texts = [
        format!("A = 1\nX = {list}\nD = {dict}\n"),
        // the same texts again, one edited
        format!("A = 1\nX = {list}\nD = {}\n", dict.replace("5432", "5433")),
        // text that reads a name is not a literal: the same text, another value
        "A = 1\nX = [A, 'a long enough list to be remembered, if it were']\n".to_owned(),
        "A = 2\nX = [A, 'a long enough list to be remembered, if it were']\n".to_owned(),
        "A = 2\nX = {'k': f'{A} is long enough to be remembered, if it were'}\n".to_owned(),
        "A = 3\nX = {'k': f'{A} is long enough to be remembered, if it were'}\n".to_owned(),
        "import os\nX = [os.environ.get('X', 'a long enough default value')]\n".to_owned(),
        "X = [1 + 2, -3, not True, 'a' if 1 < 2 else 'b', (4), 'long enough']\n".to_owned(),
    ];
    assert_cache_changes_nothing(&texts);
    // and the remembered values are those of the first analysis
    let m = eval(&texts[0]);
    assert_eq!(
        value(&m, "X"),
        Value::List(vec![
            s("django.middleware.security.SecurityMiddleware"),
            s("x")
        ])
    );
}

#[test]
fn a_literal_remembered_at_one_depth_is_cut_short_at_a_deeper_one() {
    // nested so that it evaluates at the top level and meets the depth limit three blocks down
    let nesting = super::eval::MAX_DEPTH - 2;
    let literal = format!("{}1{}", "[".repeat(nesting), "]".repeat(nesting));
    let texts = [
        format!("X = {literal}\n"),
        format!("if True:\n    if True:\n        if True:\n            X = {literal}\n"),
        format!("X = {literal}\n"),
    ];
    assert_cache_changes_nothing(&texts);
}

#[test]
fn the_remembered_literals_of_a_module_being_typed_stay_bounded() {
    let files = Files::default();
    let path = Path::new("/p/mysite/settings.py");
    let mut cache = ModuleCache::for_editing();
    for i in 0..2_000 {
        // each keystroke makes a new literal text; the rest of the module stays the same
        let text = format!(
            "A = ['a long enough literal to be remembered']\nB = ['typing a literal that is long enough {i}']\n"
        );
        let tree = python_tree(&text);
        analyze_module(path, &text, &tree, &files, &mut cache);
    }
    assert!(
        cache.remembered_literals() <= 600,
        "{} literals remembered",
        cache.remembered_literals()
    );
}
