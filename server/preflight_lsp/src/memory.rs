//! Giving memory back to the system once no document is open.
//!
//! mimalloc (the `preflight` binary's global allocator) keeps freed pages in per-thread heaps
//! for reuse, and `mi_collect` only collects the calling thread's heap. So a release is
//! requested here and each runtime thread performs it when it next goes idle
//! (`on_thread_park`); blocking threads end after a short keep-alive and give theirs back then.

use std::cell::Cell;
use std::sync::atomic::{AtomicU64, Ordering};

/// Bumped by each request; every thread remembers the last one it performed.
static REQUESTED: AtomicU64 = AtomicU64::new(0);

thread_local! {
    static PERFORMED: Cell<u64> = const { Cell::new(0) };
}

/// Asks every runtime thread to give its free memory back when it is next idle, and does it
/// for this thread and the process-wide pools now.
pub fn request_release() {
    let request = REQUESTED.fetch_add(1, Ordering::Relaxed) + 1;
    PERFORMED.with(|performed| performed.set(request));
    release_free_memory();
}

/// For `on_thread_park`: performs a pending request on this thread. One atomic load when
/// nothing was requested.
pub fn on_idle() {
    let request = REQUESTED.load(Ordering::Relaxed);
    PERFORMED.with(|performed| {
        if performed.get() != request {
            performed.set(request);
            collect_this_thread();
        }
    });
}

/// Returns the allocators' free pages to the system:
/// - mimalloc's, for this thread's heap and the arenas' purgeable pages;
/// - the C allocator's: tree-sitter allocates its trees with it (not Rust's allocator), and
///   glibc keeps freed chunks in its arenas: after a burst of edits, each leaving an old tree
///   behind, megabytes.
fn release_free_memory() {
    collect_this_thread();
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    // SAFETY: malloc_trim only walks the C allocator's own free lists.
    unsafe {
        libc::malloc_trim(0);
    }
}

fn collect_this_thread() {
    // SAFETY: mi_collect only walks mimalloc's own heaps; harmless when another global
    // allocator is in use (mimalloc's heaps are then empty).
    unsafe { libmimalloc_sys::mi_collect(true) };
}
