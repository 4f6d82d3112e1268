//! Giving memory back to the system once no document is open.
//!
//! mimalloc (the `preflight` binary's global allocator) keeps freed pages in per-thread heaps
//! for reuse, and `mi_collect` only collects the calling thread's heap. So a release is
//! requested here and each runtime thread performs it when it next goes idle
//! (`on_thread_park`); blocking threads end after a short keep-alive and give theirs back then.

use std::cell::Cell;
use std::sync::Once;
use std::sync::atomic::{AtomicU64, Ordering};

/// Makes tree-sitter allocate through mimalloc, the binary's global allocator, instead of the
/// C allocator: its trees then live in the same heaps as everything else and are given back by
/// the same `mi_collect`, rather than in glibc arenas (one per thread that ever parsed, each
/// keeping its top pages after a trim). Call it first thing in `main`, before any tree-sitter
/// object exists: a tree freed by an allocator other than the one that made it corrupts the
/// heap. Calls after the first do nothing.
pub fn tree_sitter_uses_mimalloc() {
    static ONCE: Once = Once::new();
    ONCE.call_once(|| {
        use libmimalloc_sys::{mi_calloc, mi_free, mi_malloc, mi_realloc};
        // SAFETY: called once, before any parser or tree exists (see above); the four
        // functions are mimalloc's C allocator API, with the signatures tree-sitter expects.
        unsafe {
            tree_sitter::set_allocator(
                Some(mi_malloc),
                Some(mi_calloc),
                Some(mi_realloc),
                Some(mi_free),
            )
        };
    });
}

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
/// - the C allocator's, for what C code allocates without tree-sitter's allocator (and for
///   tree-sitter itself in a process that did not call [`tree_sitter_uses_mimalloc`]): glibc
///   keeps freed chunks in its arenas.
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
