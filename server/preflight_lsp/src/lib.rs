//! Preflight's language server: the only crate that knows LSP. It keeps the open documents
//! (rope + incrementally re-parsed tree), runs the core on snapshots off the request path, and
//! converts the core's byte ranges into positions in the negotiated encoding.
//!
//! Modules, one job each: `transport` (stdio framing that survives malformed JSON-RPC),
//! `server` (the handlers and the scheduling of analyses), `session` (the store of open
//! documents and what was negotiated), `document` (one document: rope, version, incremental
//! tree), `loader` (open documents over the disk), `projects` (configuration discovery, as the
//! CLI does it), `analysis` (running the core on a snapshot, panics caught), `convert`
//! (core <-> LSP, positions in the negotiated encoding), `fixes` and `actions` (quick-fixes,
//! fix-all, ignore comments), `hover`, `checklist` (the `preflight.checklist` command), `settings` (the
//! editor's rule settings), `watch` (polling for clients without file watchers).

pub mod actions;
pub mod analysis;
pub mod checklist;
pub mod convert;
pub mod document;
pub mod fixes;
pub mod hover;
pub mod loader;
pub mod memory;
pub mod projects;
pub mod server;
pub mod session;
pub mod settings;
pub mod transport;
pub mod watch;

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

use tower_lsp_server::LspService;

/// How long a blocking thread waits for work before it ends.
pub(crate) const BLOCKING_THREAD_KEEP_ALIVE: Duration = Duration::from_secs(1);

/// Serves the language server over stdin/stdout until the client sends `exit` (or closes the
/// stream). Creates its own tokio runtime. Returns an error when the session ended without a
/// `shutdown` request (LSP asks for exit code 1 then).
pub fn run_stdio() -> std::io::Result<()> {
    // (analyses run on tokio's blocking pool one at a time: `server::Shared::analysis_slot`; the
    // pool is left unbounded, so stdin and stdout, read and written on it too, never wait for a
    // thread behind a long analysis)
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        // an idle blocking thread keeps its allocator heap's free pages; ending it sooner than
        // tokio's 10 s gives them back soon after a burst of analyses
        .thread_keep_alive(BLOCKING_THREAD_KEEP_ALIVE)
        .on_thread_park(memory::on_idle)
        .build()?;
    let shut_down = Arc::new(AtomicBool::new(false));
    let flag = shut_down.clone();
    runtime.block_on(async move {
        let (service, socket) = LspService::new(move |client| server::Server::new(client, flag));
        transport::serve(tokio::io::stdin(), tokio::io::stdout(), service, socket).await;
    });
    // tokio's stdin reader blocks in read(2) on a thread of its own: do not wait for it
    runtime.shutdown_timeout(Duration::from_millis(100));
    if shut_down.load(Ordering::SeqCst) {
        Ok(())
    } else {
        Err(std::io::Error::other(
            "the client ended the session without a shutdown request",
        ))
    }
}
