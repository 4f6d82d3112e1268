//! One file in, diagnostics out: parse, build the model, run the rules that apply to its kind.

use std::path::Path;
use std::sync::Arc;

use tree_sitter::Tree;

use crate::config::Config;
use crate::diagnostic::{Diagnostic, Severity};
use crate::django_version::DjangoVersion;
use crate::project::Project;
use crate::python::{ModuleCache, ModuleModel, analyze_module};
use crate::rules::django;
use crate::source::SourceLoader;
use crate::stack::{Deployment, Known, SharedDeployment};
use crate::suppression;
use crate::syntax::{ParseTimedOut, nginx_parser, parse_nginx, parse_python, python_parser};
use crate::text::{LineIndex, TextRange};

/// Analysis options (filled from configuration by the CLI and the server alike).
#[derive(Debug, Clone, Default)]
pub struct Options {
    pub django_version: DjangoVersion,
    /// The project the file belongs to: its configuration and which modules production uses.
    /// Without one, every settings module is checked with the default configuration.
    pub project: Option<Arc<Project>>,
    /// The project's deployment, built once and shared by its files (the CLI). Without it,
    /// each analysis that needs the stack builds it through its own loader (the server: the
    /// files it reads become the document's dependencies).
    pub deployment: Option<Arc<SharedDeployment>>,
}

impl Options {
    /// The options for a file of `project` (its Django version, its configuration).
    pub fn for_project(project: Arc<Project>) -> Self {
        Self {
            django_version: project.django_version,
            project: Some(project),
            deployment: None,
        }
    }

    /// The deployment of the file's project (shared, or built now through `loader`), when the
    /// file belongs to a project. `known`: the analysed file's own layer, already built.
    pub fn deployment(
        &self,
        loader: &dyn SourceLoader,
        cache: &mut ModuleCache,
        known: Known<'_>,
    ) -> Option<Arc<Deployment>> {
        let project = self.project.as_ref()?;
        Some(match &self.deployment {
            Some(shared) => {
                let deployment = shared.get_or_build(project, loader, cache, &known);
                match known {
                    Known::None => deployment,
                    known => Arc::new(deployment.with_known(known)),
                }
            }
            None => Arc::new(Deployment::build(project, loader, cache, known)),
        })
    }
}

/// What a file is to Preflight.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FileKind {
    DjangoSettings,
    OtherPython,
    Nginx,
    /// A gunicorn config file (see [`crate::gunicorn::detect`]).
    Gunicorn,
}

/// Settings a Django settings module is recognised by when its name does not say so.
const TELLTALE_SETTINGS: &[&str] = &[
    "INSTALLED_APPS",
    "MIDDLEWARE",
    "SECRET_KEY",
    "ROOT_URLCONF",
    "DATABASES",
    "ALLOWED_HOSTS",
    "WSGI_APPLICATION",
    "DEBUG",
    "TEMPLATES",
];

/// Whether a Python module is a Django settings module: named like one (`settings.py`, a module
/// of a `settings` package), or assigning at least two of Django's telltale settings.
pub fn classify_python(path: &Path, model: &ModuleModel) -> FileKind {
    let named = path.file_name().is_some_and(|n| n == "settings.py")
        || path
            .parent()
            .and_then(|p| p.file_name())
            .is_some_and(|n| n == "settings")
            && path
                .file_name()
                .is_some_and(|n| n != "__init__.py" || model.bindings.len() > 1);
    let own_telltales = TELLTALE_SETTINGS
        .iter()
        .filter(|name| model.get(name).is_some_and(|b| !b.is_imported()))
        .count();
    if (named && !model.bindings.is_empty()) || own_telltales >= 2 {
        FileKind::DjangoSettings
    } else {
        FileKind::OtherPython
    }
}

/// Parses a file's text (`nginx`: as an nginx config, else as Python) within the parse budget
/// and analyses it; a file whose parse runs out of time gets its `###000` diagnostic alone.
pub fn parse_and_analyze(
    path: &Path,
    text: &str,
    nginx: bool,
    loader: &dyn SourceLoader,
    cache: &mut ModuleCache,
    options: &Options,
) -> (FileKind, Vec<Diagnostic>) {
    let parsed = if nginx {
        parse_nginx(&mut nginx_parser(), text, None)
    } else {
        parse_python(&mut python_parser(), text, None)
    };
    match parsed {
        Err(timeout) => analyze_timed_out(path, nginx, timeout, options),
        Ok(tree) if nginx => (
            FileKind::Nginx,
            crate::nginx::analyze_nginx(path, text, &tree, loader, cache, options),
        ),
        Ok(tree) => analyze_python(path, text, &tree, loader, cache, options),
    }
}

/// Analyses a Python file whose tree is already parsed.
pub fn analyze_python(
    path: &Path,
    text: &str,
    tree: &Tree,
    loader: &dyn SourceLoader,
    cache: &mut ModuleCache,
    options: &Options,
) -> (FileKind, Vec<Diagnostic>) {
    if let Some(project) = &options.project {
        cache.set_env_helpers(&project.config.env_helpers);
    }
    let model = analyze_module(path, text, tree, loader, cache);
    if is_gunicorn_config(path, &model, options) {
        return (
            FileKind::Gunicorn,
            analyze_gunicorn(path, text, model, loader, cache, options),
        );
    }
    let kind = classify_python(path, &model);
    if let Some(range) = model.syntax_error {
        return (kind, vec![syntax_error(path, range, "Python")]);
    }
    let checked = match (&options.project, kind) {
        (_, FileKind::OtherPython | FileKind::Nginx | FileKind::Gunicorn) => false,
        (None, FileKind::DjangoSettings) => true,
        (Some(project), FileKind::DjangoSettings) => project.role(path, cache, loader).is_checked(),
    };
    // shared with the stack rules without copying the module's bindings
    let model = Arc::new(model);
    let mut diagnostics = if checked {
        django::check(&model, text, options)
    } else {
        Vec::new()
    };
    let stack_checked = kind == FileKind::DjangoSettings
        && stack_findings(
            path,
            text,
            &model,
            Layer::Settings,
            loader,
            cache,
            options,
            &mut diagnostics,
        );
    let comments = (checked || stack_checked).then_some(model.comments.as_slice());
    configure_and_suppress(path, text, comments, "DJ900", options, &mut diagnostics);
    (kind, diagnostics)
}

/// Which layer of the deployment the analysed file is.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Layer {
    Settings,
    Gunicorn,
}

/// The stack rules' findings in a production settings module or a gunicorn config of the
/// project (the findings they supersede dropped). Returns whether the stack checked the file.
#[allow(clippy::too_many_arguments)]
fn stack_findings(
    path: &Path,
    text: &str,
    model: &Arc<ModuleModel>,
    layer: Layer,
    loader: &dyn SourceLoader,
    cache: &mut ModuleCache,
    options: &Options,
    diagnostics: &mut Vec<Diagnostic>,
) -> bool {
    let Some(project) = &options.project else {
        return false;
    };
    let member = match layer {
        Layer::Settings => project.production.iter().any(|m| m == path),
        Layer::Gunicorn => project.gunicorn.iter().any(|g| g == path),
    };
    if !member {
        return false;
    }
    let text: Arc<str> = Arc::from(text);
    let known = match layer {
        Layer::Settings => Known::Settings(path, model, &text),
        Layer::Gunicorn => Known::Gunicorn(path, model, &text),
    };
    let Some(deployment) = options.deployment(loader, cache, known) else {
        return false;
    };
    if deployment.has_layers() {
        diagnostics.extend(crate::rules::stack::check(&deployment, path, options));
        crate::rules::stack::drop_superseded(diagnostics);
    }
    true
}

/// Whether a Python file is a gunicorn config: the project's (named with `-c` by a deployment
/// file, or declared by `gunicorn = [...]`), else by its name (a loose name such as
/// `gunicorn.py` only when the file sets a setting or defines a hook).
pub fn is_gunicorn_config(path: &Path, model: &ModuleModel, options: &Options) -> bool {
    options
        .project
        .as_ref()
        .is_some_and(|p| p.is_gunicorn_config(path))
        || crate::gunicorn::detect::is_config_by_name(path, model)
}

/// A gunicorn config: GUN000 if it does not parse, else the gunicorn rules, with the
/// configuration and suppressions (GUN900) applied.
fn analyze_gunicorn(
    path: &Path,
    text: &str,
    model: ModuleModel,
    loader: &dyn SourceLoader,
    cache: &mut ModuleCache,
    options: &Options,
) -> Vec<Diagnostic> {
    if let Some(range) = model.syntax_error {
        let mut diagnostics = vec![syntax_error(path, range, "gunicorn")];
        if let Some(project) = &options.project {
            apply_config(&mut diagnostics, &project.config, path);
        }
        return diagnostics;
    }
    let model = Arc::new(model);
    let config = match &options.project {
        Some(project) => crate::gunicorn::GunicornConfig::in_project(model.clone(), project),
        None => crate::gunicorn::GunicornConfig::new(model.clone()),
    };
    let mut diagnostics = crate::rules::gunicorn::check(&config, path, text);
    stack_findings(
        path,
        text,
        &model,
        Layer::Gunicorn,
        loader,
        cache,
        options,
        &mut diagnostics,
    );
    configure_and_suppress(
        path,
        text,
        Some(&model.comments),
        crate::rules::gunicorn::UNUSED_SUPPRESSION,
        options,
        &mut diagnostics,
    );
    diagnostics
}

/// The end of every file's analysis: the configuration's rule selection and severities, then
/// the file's `# preflight: ignore[...]` comments (`None`: the file is not checked, so they
/// are not judged), with an `unused_code` hint for each that suppresses nothing, then the
/// configuration again (it governs those hints too).
pub(crate) fn configure_and_suppress(
    path: &Path,
    text: &str,
    comments: Option<&[(TextRange, String)]>,
    unused_code: &'static str,
    options: &Options,
    diagnostics: &mut Vec<Diagnostic>,
) {
    if let Some(project) = &options.project {
        apply_config(diagnostics, &project.config, path);
    }
    if let Some(comments) = comments {
        apply_suppressions(path, text, comments, diagnostics, unused_code);
    }
    if let Some(project) = &options.project {
        apply_config(diagnostics, &project.config, path);
    }
}

/// Drops what `# preflight: ignore[...]` comments suppress, and adds a hint (`family`: DJ900,
/// NGX900, GUN900) for each suppression that suppresses nothing.
fn apply_suppressions(
    path: &Path,
    text: &str,
    comments: &[(TextRange, String)],
    diagnostics: &mut Vec<Diagnostic>,
    family: &'static str,
) {
    if !comments.iter().any(|(_, c)| c.contains("preflight:")) {
        return;
    }
    let index = LineIndex::new(text);
    let suppressions = suppression::collect(text, &index, comments);
    let unused = suppression::apply(diagnostics, &suppressions, &index);
    for (i, code) in unused {
        diagnostics.push(suppression::unused_diagnostic(
            path,
            family,
            &suppressions[i],
            &code,
        ));
    }
}

/// Drops the rules the configuration turns off and applies its severity overrides.
pub fn apply_config(diagnostics: &mut Vec<Diagnostic>, config: &Config, path: &Path) {
    diagnostics.retain(|d| config.enabled(d.code, path));
    for d in diagnostics.iter_mut() {
        d.severity = config.severity_of(d.code, d.severity);
    }
}

/// Problems of the project's configuration file, as diagnostics in that file.
pub fn config_diagnostics(project: &Project) -> Vec<Diagnostic> {
    let Some(path) = &project.config.path else {
        return Vec::new();
    };
    project
        .config_problems
        .iter()
        .map(|p| Diagnostic {
            path: path.clone(),
            range: p.range,
            severity: if p.code == "CFG000" {
                Severity::Error
            } else {
                Severity::Warning
            },
            code: p.code,
            message: p.message.clone(),
            references: Default::default(),
            related: Vec::new(),
            fix: None,
            alternatives: Vec::new(),
        })
        .collect()
}

/// The `###000` code of a language (Python, gunicorn, nginx) and the language's name as told.
fn unparsed_code(language: &str) -> (&'static str, &str) {
    match language {
        "Python" => ("DJ000", "Python"),
        "gunicorn" => ("GUN000", "Python (gunicorn executes its config file)"),
        _ => ("NGX000", language),
    }
}

/// The `###000` diagnostic: the file does not parse (`language`: Python, gunicorn, nginx).
pub fn syntax_error(path: &Path, range: TextRange, language: &str) -> Diagnostic {
    let (code, language) = unparsed_code(language);
    unparsed(
        path,
        range,
        code,
        format!(
            "This file is not valid {language}: nothing else in it can be checked until it parses"
        ),
    )
}

/// The `###000` diagnostic of a file whose parse ran out of time (`language`: Python,
/// gunicorn, nginx), at the start of the file.
pub fn parse_timed_out(path: &Path, timeout: ParseTimedOut, language: &str) -> Diagnostic {
    let (code, _) = unparsed_code(language);
    unparsed(
        path,
        TextRange::new(0, 0),
        code,
        timeout.message(code != "NGX000"),
    )
}

/// The analysis of a file that has no tree because its parse ran out of time: its `###000`
/// diagnostic alone (nothing else can be known of it), with the configuration applied.
/// `nginx`: the file is an nginx config, else Python (a gunicorn config when the project or
/// its name says so; the content cannot tell).
pub fn analyze_timed_out(
    path: &Path,
    nginx: bool,
    timeout: ParseTimedOut,
    options: &Options,
) -> (FileKind, Vec<Diagnostic>) {
    let gunicorn = !nginx
        && (options
            .project
            .as_ref()
            .is_some_and(|p| p.is_gunicorn_config(path))
            || crate::gunicorn::detect::name_match(path)
                == crate::gunicorn::detect::NameMatch::Strong);
    let (kind, language) = match (nginx, gunicorn) {
        (true, _) => (FileKind::Nginx, "nginx"),
        (false, true) => (FileKind::Gunicorn, "gunicorn"),
        (false, false) => (FileKind::OtherPython, "Python"),
    };
    let mut diagnostics = vec![parse_timed_out(path, timeout, language)];
    if let Some(project) = &options.project {
        apply_config(&mut diagnostics, &project.config, path);
    }
    (kind, diagnostics)
}

fn unparsed(path: &Path, range: TextRange, code: &'static str, message: String) -> Diagnostic {
    Diagnostic {
        path: path.to_path_buf(),
        range,
        severity: Severity::Error,
        code,
        message,
        references: Default::default(),
        related: Vec::new(),
        fix: None,
        alternatives: Vec::new(),
    }
}

#[cfg(test)]
mod tests;
