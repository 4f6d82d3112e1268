//! The LSP handlers. Ordering rules of tower-lsp-server: handlers run concurrently, so every
//! handler that changes the session does it under the `std::sync::Mutex` before its first
//! `.await`; analysis runs on a snapshot on a blocking thread, never on the request path, and
//! a panic in it is caught.

use std::collections::HashMap;
use std::path::PathBuf;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::Duration;

use preflight_core::python::{ModuleCache, analyze_module};
use preflight_core::suppression::{self, Suppression};
use tower_lsp_server::jsonrpc::{Error, Result};
use tower_lsp_server::ls_types::*;
use tower_lsp_server::{Client, LanguageServer};

use crate::actions::{self, FIX_ALL};
use crate::analysis::{self, Analysis};
use crate::checklist;
use crate::convert::{self, encoding_kind, negotiate_encoding};
use crate::document::Language;
use crate::fixes;
use crate::hover;
use crate::loader::OverlayLoader;
use crate::projects::{self, Projects};
use crate::session::{Job, Session};
use crate::settings;
use crate::watch;

pub struct Server {
    client: Client,
    shared: Arc<Shared>,
    /// Set by `shutdown`: the process exits with success only after it (LSP's exit rule).
    shut_down: Arc<AtomicBool>,
}

/// State shared by the handlers and the analysis tasks.
struct Shared {
    session: Mutex<Session>,
    /// Models of imported modules, re-validated against the overlay on each use.
    cache: Mutex<ModuleCache>,
    /// The projects of the open documents (configuration, Django version, production).
    projects: Projects,
    /// Held while checking a result is current and publishing it, so an older analysis never
    /// publishes after a newer one.
    publish: tokio::sync::Mutex<()>,
    /// One analysis at a time (they share the module cache anyway): queued jobs wait here as
    /// tasks, not as blocking threads, and those superseded meanwhile never start. Unbounded, a
    /// burst of 400 `didOpen`s started ~400 blocking threads, each keeping its allocator's
    /// heaps: 977 MB of peak RSS (scripts/bench-memory.sh), and 1,000 edits 50 threads.
    analysis_slot: Arc<tokio::sync::Semaphore>,
}

impl Shared {
    fn session(&self) -> MutexGuard<'_, Session> {
        self.session.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// With no document open, nothing needs the imported modules or the projects any more:
    /// dropping them lets the memory of a session return to what the server started with
    /// (tests/e2e/lsp_load.rs). The next `didOpen` rebuilds them.
    fn forget_caches(&self) {
        *self.cache.lock().unwrap_or_else(|e| e.into_inner()) = ModuleCache::for_editing();
        self.projects.clear();
        preflight_core::nginx::location::forget_shared_regexes();
    }
}

impl Server {
    pub fn new(client: Client, shut_down: Arc<AtomicBool>) -> Self {
        let shared = Shared {
            session: Mutex::new(Session::default()),
            cache: Mutex::new(ModuleCache::for_editing()),
            projects: Projects::default(),
            publish: tokio::sync::Mutex::new(()),
            analysis_slot: Arc::new(tokio::sync::Semaphore::new(1)),
        };
        Self {
            client,
            shared: Arc::new(shared),
            shut_down,
        }
    }

    /// Re-analyses `uris` (in order) in the background, as they are now, and publishes their
    /// diagnostics. `first_is_edited`: the first is the document the client just edited.
    fn schedule(&self, uris: Vec<Uri>, first_is_edited: bool) {
        schedule(&self.shared, &self.client, uris, first_is_edited);
    }

    /// Takes the editor's rule settings (see [`settings`]); tells the user what it could not use.
    async fn apply_settings(&self, value: &serde_json::Value) {
        let (parsed, problems) = settings::parse(value);
        if !parsed.is_empty() {
            let message = format!("preflight: editor settings {}", settings::describe(&parsed));
            self.client.log_message(MessageType::INFO, message).await;
        }
        self.shared.projects.set_editor_settings(parsed);
        for problem in problems {
            let message = format!("preflight: editor setting ignored: {problem}");
            self.client
                .show_message(MessageType::WARNING, message)
                .await;
        }
    }

    /// The document `uri` and the open documents that depend on the file at `path`.
    fn with_dependents(&self, uri: Uri, path: Option<PathBuf>) -> Vec<Uri> {
        let session = self.shared.session();
        let mut uris = vec![uri];
        if let Some(path) = path {
            uris.extend(session.dependents(&path));
        }
        uris
    }
}

/// Polls the files the results depend on, for clients without file watchers; runs until the
/// process exits.
async fn poll_files(shared: Arc<Shared>, client: Client) {
    let mut before = HashMap::new();
    loop {
        tokio::time::sleep(watch::POLL_INTERVAL).await;
        let mut paths: Vec<PathBuf> = shared.session().files_read().into_iter().collect();
        paths.extend(shared.projects.config_files());
        let Ok(now) = tokio::task::spawn_blocking(move || watch::stamps(paths)).await else {
            continue;
        };
        if watch::changed(&before, &now) {
            shared.projects.clear();
            let uris = shared.session().uris();
            schedule(&shared, &client, uris, false);
        }
        before = now;
    }
}

/// Once the analyses still running have finished and their blocking threads have ended, gives
/// the freed memory back to the system, unless a document was opened meanwhile.
fn release_memory_when_idle(shared: Arc<Shared>) {
    tokio::spawn(async move {
        // wait for the analysis running now, without holding its slot while sleeping: a
        // document opened meanwhile is analysed at once
        drop(shared.analysis_slot.acquire().await);
        tokio::time::sleep(crate::BLOCKING_THREAD_KEEP_ALIVE + Duration::from_millis(500)).await;
        if !shared.session().has_documents() {
            crate::memory::request_release();
        }
    });
}

/// See [`Server::schedule`].
fn schedule(shared: &Arc<Shared>, client: &Client, uris: Vec<Uri>, first_is_edited: bool) {
    let jobs: Vec<Job> = {
        let mut session = shared.session();
        uris.iter()
            .filter_map(|uri| session.schedule(uri))
            .collect()
    };
    if jobs.is_empty() {
        return;
    }
    let shared = shared.clone();
    let client = client.clone();
    tokio::spawn(async move {
        let mut refresh = false;
        for (i, job) in jobs.into_iter().enumerate() {
            let pulled = analyze_and_publish(&shared, &client, job).await;
            // a pull client asks for the document it edited by itself
            refresh |= pulled && (i > 0 || !first_is_edited);
        }
        if refresh && shared.session().refresh_support {
            // pull clients re-request diagnostics of the documents that changed under them
            let _ = client.workspace_diagnostic_refresh().await;
        }
    });
}

/// Analyses a scheduled job and publishes the result (push clients) unless a newer job
/// superseded it. Returns whether a pull client should be asked to refresh.
async fn analyze_and_publish(shared: &Arc<Shared>, client: &Client, job: Job) -> bool {
    let (uri, version) = (job.uri.clone(), job.snapshot.version);
    let (result, job, loaded) = match run_analysis(shared.clone(), job).await {
        Some(outcome) => outcome,
        None => return false,
    };
    if let Some(loaded) = loaded {
        client.log_message(MessageType::INFO, loaded.log).await;
        if let Some((config, diagnostics)) = loaded.config_diagnostics {
            client.publish_diagnostics(config, diagnostics, None).await;
        }
    }
    let analysis = match result {
        Ok(analysis) => analysis,
        Err(message) => {
            let text = format!("preflight: analysis of {} failed: {message}", uri.as_str());
            client.log_message(MessageType::ERROR, text).await;
            return false;
        }
    };
    let _in_order = shared.publish.lock().await;
    let (kept, pull) = {
        let mut session = shared.session();
        (
            session.store(&job, analysis.clone()),
            session.pull_diagnostics,
        )
    };
    if kept && !pull {
        client
            .publish_diagnostics(uri, analysis.lsp.clone(), Some(version))
            .await;
    }
    kept && pull
}

/// The analysis (or the panic message), the job, and what to tell the client when a project
/// was loaded for it.
type Outcome = (
    std::result::Result<Arc<Analysis>, String>,
    Job,
    Option<projects::Loaded>,
);

/// Analyses a job on a blocking thread. `None` when the job was superseded before it ran (a
/// newer one is queued) or the worker could not run.
async fn run_analysis(shared: Arc<Shared>, mut job: Job) -> Option<Outcome> {
    let slot = shared.analysis_slot.clone().acquire_owned().await.ok()?;
    tokio::task::spawn_blocking(move || {
        let _slot = slot;
        if !shared.session().is_latest(&job) {
            return None;
        }
        // before taking the module cache: a file at its parse budget holds up nothing else
        job.snapshot.ensure_parsed();
        let loader = OverlayLoader::new(std::mem::take(&mut job.overlay));
        let mut cache = shared.cache.lock().unwrap_or_else(|e| e.into_inner());
        let mut loaded = None;
        let result = analysis::guarded(&mut cache, |cache| {
            let (options, project) = shared.projects.options_for(&job.path, job.on_disk, &loader);
            loaded = project.map(|p| projects::Loaded::new(&p, &loader, job.encoding));
            analysis::analyze(
                &job.path,
                &mut job.snapshot,
                &loader,
                cache,
                &options,
                job.encoding,
            )
        });
        Some((result.map(Arc::new), job, loaded))
    })
    .await
    .ok()
    .flatten()
}

/// How many times a request follows its document to a newer generation before giving up.
const ANALYSIS_ATTEMPTS: usize = 8;

/// The analysis of the current version of `uri`: the stored one, or a fresh one. When a newer
/// generation supersedes the job while it waits (an edit, a configuration change), the newer one
/// is analysed instead: a pull client without `workspace/diagnostic/refresh` (Neovim 0.12)
/// would otherwise get "content modified" and no diagnostics until its next edit.
async fn current_analysis(shared: &Arc<Shared>, uri: &Uri) -> Option<Arc<Analysis>> {
    for _ in 0..ANALYSIS_ATTEMPTS {
        let job = {
            let session = shared.session();
            if let Some(analysis) = session.current_analysis(uri) {
                return Some(analysis);
            }
            session.job(uri)?
        };
        if let Some((analysis, job, _)) = run_analysis(shared.clone(), job).await {
            let analysis = analysis.ok()?;
            shared.session().store(&job, analysis.clone());
            return Some(analysis);
        }
    }
    None
}

impl LanguageServer for Server {
    async fn initialize(&self, params: InitializeParams) -> Result<InitializeResult> {
        let encoding = negotiate_encoding(&params);
        let pull = params
            .capabilities
            .text_document
            .as_ref()
            .is_some_and(|t| t.diagnostic.is_some());
        {
            let mut session = self.shared.session();
            session.encoding = encoding;
            session.pull_diagnostics = pull;
            let workspace = params.capabilities.workspace.as_ref();
            session.refresh_support = workspace
                .and_then(|w| w.diagnostics.as_ref())
                .and_then(|d| d.refresh_support)
                .unwrap_or(false);
            session.versioned_edits = workspace
                .and_then(|w| w.workspace_edit.as_ref())
                .and_then(|e| e.document_changes)
                .unwrap_or(false);
            session.watch_files = workspace
                .and_then(|w| w.did_change_watched_files.as_ref())
                .and_then(|d| d.dynamic_registration)
                .unwrap_or(false);
            session.roots = workspace_roots(&params);
        }
        if let Some(options) = &params.initialization_options {
            self.apply_settings(options).await;
        }
        let diagnostic_provider = pull.then(|| {
            DiagnosticServerCapabilities::Options(DiagnosticOptions {
                identifier: Some(convert::SOURCE.to_owned()),
                inter_file_dependencies: true,
                workspace_diagnostics: false,
                work_done_progress_options: Default::default(),
            })
        });
        Ok(InitializeResult {
            capabilities: ServerCapabilities {
                position_encoding: Some(encoding_kind(encoding)),
                text_document_sync: Some(TextDocumentSyncCapability::Options(
                    TextDocumentSyncOptions {
                        open_close: Some(true),
                        change: Some(TextDocumentSyncKind::INCREMENTAL),
                        save: Some(TextDocumentSyncSaveOptions::Supported(true)),
                        ..Default::default()
                    },
                )),
                code_action_provider: Some(CodeActionProviderCapability::Options(
                    CodeActionOptions {
                        code_action_kinds: Some(vec![CodeActionKind::QUICKFIX, FIX_ALL]),
                        resolve_provider: Some(false),
                        work_done_progress_options: Default::default(),
                    },
                )),
                diagnostic_provider,
                hover_provider: Some(HoverProviderCapability::Simple(true)),
                execute_command_provider: Some(ExecuteCommandOptions {
                    commands: vec![checklist::COMMAND.to_owned()],
                    work_done_progress_options: Default::default(),
                }),
                ..Default::default()
            },
            server_info: Some(ServerInfo {
                name: "preflight".to_owned(),
                version: Some(env!("CARGO_PKG_VERSION").to_owned()),
            }),
            offset_encoding: None,
        })
    }

    async fn initialized(&self, _: InitializedParams) {
        let (encoding, roots, watch) = {
            let session = self.shared.session();
            (session.encoding, session.roots.clone(), session.watch_files)
        };
        // imported modules that are not open change on disk too (a branch switch, a
        // formatter), and so do configuration files: the open documents must be re-diagnosed
        if watch {
            let _ = self.client.register_capability(vec![watched_files()]).await;
        } else {
            tokio::spawn(poll_files(self.shared.clone(), self.client.clone()));
        }
        let roots = if roots.is_empty() {
            "no workspace folder".to_owned()
        } else {
            roots
                .iter()
                .map(|r| r.display().to_string())
                .collect::<Vec<_>>()
                .join(", ")
        };
        let message = format!("preflight: positions in {encoding:?}; {roots}");
        self.client.log_message(MessageType::INFO, message).await;
    }

    async fn shutdown(&self) -> Result<()> {
        self.shut_down.store(true, Ordering::SeqCst);
        Ok(())
    }

    async fn did_open(&self, params: DidOpenTextDocumentParams) {
        let doc = params.text_document;
        let path = {
            let mut session = self.shared.session();
            session.open(doc.uri.clone(), &doc.language_id, doc.version, &doc.text);
            session.path(&doc.uri)
        };
        let uris = self.with_dependents(doc.uri, path);
        self.schedule(uris, true);
    }

    async fn did_change(&self, params: DidChangeTextDocumentParams) {
        let uri = params.text_document.uri;
        let changes = params
            .content_changes
            .into_iter()
            .map(convert::change)
            .collect();
        let path = {
            let mut session = self.shared.session();
            if !session.change(&uri, params.text_document.version, changes) {
                return;
            }
            session.path(&uri)
        };
        let uris = self.with_dependents(uri, path);
        self.schedule(uris, true);
    }

    async fn did_save(&self, params: DidSaveTextDocumentParams) {
        // a saved configuration or deployment file can change any project; saves are rare
        self.shared.projects.clear();
        let uri = params.text_document.uri;
        let mut uris = vec![uri.clone()];
        uris.extend(
            self.shared
                .session()
                .uris()
                .into_iter()
                .filter(|u| *u != uri),
        );
        self.schedule(uris, false);
    }

    async fn did_close(&self, params: DidCloseTextDocumentParams) {
        let uri = params.text_document.uri;
        let (path, dependents, none_open) = {
            let mut session = self.shared.session();
            let path = session.close(&uri);
            let dependents = path
                .as_ref()
                .map(|p| session.dependents(p))
                .unwrap_or_default();
            (path, dependents, !session.has_documents())
        };
        if none_open {
            self.shared.forget_caches();
            release_memory_when_idle(self.shared.clone());
        }
        if path.is_some() {
            let _in_order = self.shared.publish.lock().await;
            self.client.publish_diagnostics(uri, Vec::new(), None).await;
        }
        self.schedule(dependents, false);
    }

    async fn did_change_watched_files(&self, _: DidChangeWatchedFilesParams) {
        // configuration, deployment files or modules changed on disk
        self.shared.projects.clear();
        let uris = self.shared.session().uris();
        self.schedule(uris, false);
    }

    async fn did_change_configuration(&self, params: DidChangeConfigurationParams) {
        self.apply_settings(&params.settings).await;
        self.shared.projects.clear();
        let uris = self.shared.session().uris();
        self.schedule(uris, false);
    }

    async fn diagnostic(
        &self,
        params: DocumentDiagnosticParams,
    ) -> Result<DocumentDiagnosticReportResult> {
        let uri = params.text_document.uri;
        let items = match current_analysis(&self.shared, &uri).await {
            Some(analysis) => analysis.lsp.clone(),
            // edited while being analysed (or the analysis failed): the client asks again
            None if self.shared.session().is_open(&uri) => {
                return Err(Error::content_modified());
            }
            None => Vec::new(),
        };
        Ok(DocumentDiagnosticReportResult::Report(
            DocumentDiagnosticReport::Full(RelatedFullDocumentDiagnosticReport {
                related_documents: None,
                full_document_diagnostic_report: FullDocumentDiagnosticReport {
                    result_id: None,
                    items,
                },
            }),
        ))
    }

    async fn hover(&self, params: HoverParams) -> Result<Option<Hover>> {
        let position = params.text_document_position_params.position;
        let uri = params.text_document_position_params.text_document.uri;
        let Some(mut job) = self.shared.session().job(&uri) else {
            return Ok(None);
        };
        let shared = self.shared.clone();
        let hover = tokio::task::spawn_blocking(move || {
            job.snapshot.ensure_parsed();
            let tree = job.snapshot.tree()?.clone();
            let lines = convert::Lines::new(job.snapshot.text.clone());
            let offset = lines.offset(position, job.encoding);
            let (range, name) = hover::identifier_at(&tree, &lines.text, offset)?;
            let loader = OverlayLoader::new(std::mem::take(&mut job.overlay));
            let mut cache = shared.cache.lock().unwrap_or_else(|e| e.into_inner());
            let markdown = analysis::guarded(&mut cache, |cache| {
                let (options, _) = shared.projects.options_for(&job.path, job.on_disk, &loader);
                hover::markdown(
                    &job.path,
                    &lines.text,
                    &tree,
                    &name,
                    &loader,
                    cache,
                    &options,
                )
            })
            .ok()??;
            Some(Hover {
                contents: HoverContents::Markup(MarkupContent {
                    kind: MarkupKind::Markdown,
                    value: markdown,
                }),
                range: Some(lines.range(range, job.encoding)),
            })
        })
        .await;
        Ok(hover.ok().flatten())
    }

    async fn execute_command(&self, params: ExecuteCommandParams) -> Result<Option<LSPAny>> {
        if params.command != checklist::COMMAND {
            return Err(Error::invalid_params(format!(
                "unknown command `{}`",
                params.command
            )));
        }
        let (target, overlay, encoding) = {
            let session = self.shared.session();
            let target = checklist::target(&params.arguments, &session.roots, &session.paths());
            (target, session.overlay(), session.encoding)
        };
        let path = match target {
            Ok(Some(path)) => path,
            Ok(None) => {
                return Err(Error::invalid_params(format!(
                    "{}: no workspace folder or open document; pass a URI",
                    checklist::COMMAND
                )));
            }
            Err(message) => return Err(Error::invalid_params(message)),
        };
        let shared = self.shared.clone();
        let markdown = tokio::task::spawn_blocking(move || {
            let loader = OverlayLoader::new(overlay);
            let mut cache = shared.cache.lock().unwrap_or_else(|e| e.into_inner());
            analysis::guarded(&mut cache, |cache| {
                let (markdown, loaded) =
                    checklist::markdown(&path, &shared.projects, &loader, cache);
                let loaded: Vec<projects::Loaded> = loaded
                    .iter()
                    .map(|p| projects::Loaded::new(p, &loader, encoding))
                    .collect();
                (markdown, loaded)
            })
        })
        .await;
        match markdown {
            Ok(Ok((markdown, loaded))) => {
                // as after an analysis: the log line and the configuration's problems
                for loaded in loaded {
                    self.client.log_message(MessageType::INFO, loaded.log).await;
                    if let Some((config, diagnostics)) = loaded.config_diagnostics {
                        let _in_order = self.shared.publish.lock().await;
                        self.client
                            .publish_diagnostics(config, diagnostics, None)
                            .await;
                    }
                }
                Ok(Some(LSPAny::String(markdown)))
            }
            Ok(Err(message)) => {
                let text = format!("preflight: the checklist failed: {message}");
                self.client.log_message(MessageType::ERROR, text).await;
                Err(Error::internal_error())
            }
            Err(_) => Err(Error::internal_error()),
        }
    }

    async fn code_action(&self, params: CodeActionParams) -> Result<Option<CodeActionResponse>> {
        let uri = params.text_document.uri;
        let Some(analysis) = current_analysis(&self.shared, &uri).await else {
            return Ok(None);
        };
        let Some(mut job) = self.shared.session().job(&uri) else {
            return Ok(None);
        };
        if job.snapshot.version != analysis.version {
            // edited meanwhile: positions computed now would be stale
            return Err(Error::content_modified());
        }
        // Edits made after the request was sent may have been handled before it: the actions
        // are for `version`, which the client can check when it accepts versioned edits.
        let version = analysis.version;
        let versioned = self.shared.session().versioned_edits.then(|| uri.clone());
        let only = params.context.only;
        let range = params.range;
        let shared = self.shared.clone();
        let actions = tokio::task::spawn_blocking(move || {
            job.snapshot.ensure_parsed();
            let mut cache = shared.cache.lock().unwrap_or_else(|e| e.into_inner());
            analysis::guarded(&mut cache, |cache| {
                let language = &job.snapshot.language;
                let loader = OverlayLoader::new(std::mem::take(&mut job.overlay));
                let (options, _) = shared.projects.options_for(&job.path, job.on_disk, &loader);
                let mut actions = Vec::new();
                if actions::wanted(only.as_deref(), &CodeActionKind::QUICKFIX) {
                    actions.extend(actions::quick_fixes(
                        &uri,
                        language,
                        &analysis,
                        range,
                        job.encoding,
                    ));
                    let suppressions = suppressions(&job, &analysis, &loader, cache);
                    let mut analyse = |text: &str| {
                        analysis::core_diagnostics(
                            &job.path, language, text, None, &loader, cache, &options,
                        )
                        .1
                    };
                    actions.extend(actions::ignore_actions(
                        &uri,
                        &analysis,
                        &suppressions,
                        range,
                        job.encoding,
                        &mut analyse,
                    ));
                }
                let any_safe = analysis
                    .diagnostics
                    .iter()
                    .any(|d| d.fix.as_ref().is_some_and(|f| f.safe));
                if any_safe && actions::wanted(only.as_deref(), &FIX_ALL) {
                    let fixed = fixes::fix_all(
                        &job.path,
                        language,
                        &analysis.lines.text,
                        &loader,
                        cache,
                        &options,
                    );
                    if let Some(fixed) = fixed {
                        actions.push(actions::fix_all_action(
                            &uri,
                            &analysis.lines,
                            &fixed,
                            job.encoding,
                        ));
                    }
                }
                actions
            })
        })
        .await;
        match actions {
            Ok(Ok(mut actions)) => {
                if let Some(uri) = versioned {
                    actions::pin_version(&mut actions, &uri, version);
                }
                Ok(Some(actions))
            }
            Ok(Err(message)) => {
                self.client
                    .log_message(
                        MessageType::ERROR,
                        format!("preflight: code actions failed: {message}"),
                    )
                    .await;
                Err(Error::internal_error())
            }
            Err(_) => Err(Error::internal_error()),
        }
    }
}

/// The suppression comments of a document (for the "ignore on this line" fix, which merges
/// into an existing comment).
fn suppressions(
    job: &Job,
    analysis: &Analysis,
    loader: &OverlayLoader,
    cache: &mut ModuleCache,
) -> Vec<Suppression> {
    let Some(tree) = job.snapshot.tree() else {
        return Vec::new();
    };
    let text = &analysis.lines.text;
    let comments = match job.snapshot.language {
        Language::Python => analyze_module(&job.path, text, tree, loader, cache).comments,
        Language::Nginx => preflight_core::nginx::comments(text, tree.root_node()),
        Language::Other(_) => return Vec::new(),
    };
    suppression::collect(text, &analysis.lines.index, &comments)
}

/// The registration of file watchers for Python modules, nginx configs and the files they
/// include, deployment files, and configuration files.
fn watched_files() -> Registration {
    let watchers = [
        "**/*.py",
        "**/pyproject.toml",
        "**/preflight.toml",
        "**/*.conf",
        "**/*.nginx",
        "**/*_params",
        "**/sites-available/*",
        "**/sites-enabled/*",
        "**/nginx/**",
        // deployment files: the production settings module and gunicorn's command lines
        "**/Dockerfile*",
        "**/*.dockerfile",
        "**/Procfile",
        "**/*compose*.yml",
        "**/*compose*.yaml",
        "**/*.service",
        "**/*.sh",
        "**/app.yaml",
        "**/fly.toml",
    ]
    .into_iter()
    .map(|glob| FileSystemWatcher {
        glob_pattern: GlobPattern::String(glob.to_owned()),
        kind: None,
    })
    .collect();
    let options = DidChangeWatchedFilesRegistrationOptions { watchers };
    Registration {
        id: "preflight-watched-files".to_owned(),
        method: "workspace/didChangeWatchedFiles".to_owned(),
        register_options: serde_json::to_value(options).ok(),
    }
}

/// The workspace folders, or the deprecated root URI; none at all is fine (a lone file).
fn workspace_roots(params: &InitializeParams) -> Vec<PathBuf> {
    if let Some(folders) = &params.workspace_folders {
        return folders
            .iter()
            .map(|f| convert::uri_to_path(&f.uri))
            .collect();
    }
    #[allow(deprecated)]
    params.root_uri.iter().map(convert::uri_to_path).collect()
}
