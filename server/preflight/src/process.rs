//! How the short-lived CLI commands end: a one-file `preflight check` takes a few milliseconds,
//! so what the process does around the analysis is a large share of it (perf, BENCHMARKS.md).

use std::io::Write as _;

/// Ends the process with `code` once the output is flushed, skipping the exit handlers: they
/// only hand the allocator's memory back to the kernel page by page, which the exit does anyway.
pub fn exit_now(code: u8) -> ! {
    let _ = std::io::stdout().lock().flush();
    let _ = std::io::stderr().lock().flush();
    #[cfg(unix)]
    // SAFETY: every file this process wrote is closed (written through `std::fs`, dropped), and
    // stdout and stderr are flushed above; nothing else needs to run at exit.
    unsafe {
        libc::_exit(i32::from(code))
    }
    #[cfg(not(unix))]
    std::process::exit(i32::from(code))
}
