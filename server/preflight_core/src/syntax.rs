//! tree-sitter parsers. Re-parsing is incremental when the caller passes the edited old tree.
//!
//! Every parse runs under a time budget ([`budget_for`]: 2 s of the thread's CPU time plus 1 s
//! per megabyte): tree-sitter-python's external scanner is quadratic on a long run of
//! consecutive comment lines inside an indented block (upstream tree-sitter/tree-sitter-python#245;
//! 1 MB of them takes minutes; grammars/python's README), and neither the CLI nor the language server may hang on one file. A parse over budget
//! gives [`ParseTimedOut`] instead of a tree; callers report the file as not checked (`###000`).

use std::cell::Cell;
use std::time::{Duration, Instant};

use tree_sitter::{Node, ParseOptions, ParseState, Parser, Tree};

/// How long a parse may take, at least. The budget of a file is this plus
/// [`PARSE_BUDGET_PER_MB`] for each megabyte of it: ordinary code parses at about 5 MB/s in a
/// release build (10 MB of settings code in 1.8 s) and 2 MB/s in a debug build, so a budget
/// that grows with the file keeps a wide margin (5x in release) on every ordinary file up to
/// the 10 MB we test, on a loaded machine too, while the quadratic comment run, which takes
/// 85 s for 1 MB, is stopped after 3 s. 2 s is what an editor user would wait for a large file
/// to be checked once; a file this slow is slow at every edit, and is then reported, not
/// checked.
pub const PARSE_BUDGET: Duration = Duration::from_secs(2);

/// What each megabyte of a file adds to its budget (see [`PARSE_BUDGET`]).
pub const PARSE_BUDGET_PER_MB: Duration = Duration::from_secs(1);

thread_local! {
    /// A budget set by a test for the parses on this thread ([`with_budget`]).
    static BUDGET: Cell<Option<Duration>> = const { Cell::new(None) };
}

/// Runs `f` with every parse on this thread limited to `budget`, whatever the file's size
/// (tests use a short one to reach the timeout quickly).
pub fn with_budget<R>(budget: Duration, f: impl FnOnce() -> R) -> R {
    struct Restore(Option<Duration>);
    impl Drop for Restore {
        fn drop(&mut self) {
            BUDGET.with(|b| b.set(self.0));
        }
    }
    let _restore = Restore(BUDGET.with(|b| b.replace(Some(budget))));
    f()
}

/// How long the parse of a text of `len` bytes may take on this thread.
pub fn budget_for(len: usize) -> Duration {
    BUDGET.with(Cell::get).unwrap_or_else(|| {
        PARSE_BUDGET + PARSE_BUDGET_PER_MB.mul_f64(len as f64 / (1024.0 * 1024.0))
    })
}

/// A parse stopped because it took longer than its budget: the file has no tree.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ParseTimedOut {
    pub budget: Duration,
}

impl ParseTimedOut {
    /// What the user is told, at the start of the file; `python`: the file is Python, whose
    /// grammar is slow on long runs of comment lines (the cause worth naming).
    pub fn message(&self, python: bool) -> String {
        let budget = self.budget;
        let after = if budget >= Duration::from_secs(1) {
            let tenths = (budget.as_millis() + 50) / 100;
            match tenths % 10 {
                0 => format!("{} s", tenths / 10),
                t => format!("{}.{t} s", tenths / 10),
            }
        } else {
            format!("{} ms", budget.as_millis())
        };
        if python {
            format!(
                "Preflight stopped parsing this file after {after} (a long run of comment lines \
                 in an indented block is slow to parse); it was not checked: split the file or shorten the comment run"
            )
        } else {
            format!(
                "Preflight stopped parsing this file after {after}; it was not checked: split \
                 the file"
            )
        }
    }
}

impl std::fmt::Display for ParseTimedOut {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.message(false))
    }
}

impl std::error::Error for ParseTimedOut {}

/// How much text tree-sitter gets at a time. A parse checks its clock every 1,600 operations
/// ([`CALLS_PER_CLOCK_READ`]), but one operation can be long: on a run of comment lines, tree-sitter-python's
/// scanner reads ahead over the whole run for each line. The clock is also checked each time
/// the lexer asks for the next chunk, so a long scan is stopped within one chunk's reading.
const CHUNK: usize = 16 * 1024;

/// tree-sitter calls the progress callback every 100 operations; the clock is read at every
/// this many calls: reading a thread's CPU time is a system call (0.6 µs here), and 1,600
/// ordinary operations take about a millisecond (long ones read chunks, which check too).
const CALLS_PER_CLOCK_READ: u32 = 16;

/// The CPU time this thread has used. The budget counts the parse's own work, not the wall
/// clock, so a loaded machine (a CI runner, the CLI's parallel analyses) does not stop an
/// ordinary parse that merely waited for a core: the budget stays a property of the file.
#[cfg(unix)]
fn thread_time() -> Duration {
    let mut now = libc::timespec {
        tv_sec: 0,
        tv_nsec: 0,
    };
    // SAFETY: clock_gettime writes a timespec into the valid pointer it is given.
    let status = unsafe { libc::clock_gettime(libc::CLOCK_THREAD_CPUTIME_ID, &mut now) };
    if status != 0 {
        return wall_time();
    }
    Duration::new(now.tv_sec as u64, now.tv_nsec as u32)
}

#[cfg(not(unix))]
fn thread_time() -> Duration {
    wall_time()
}

/// Elapsed time since the first call (where a thread's CPU time is not available).
fn wall_time() -> Duration {
    static START: std::sync::OnceLock<Instant> = std::sync::OnceLock::new();
    START.get_or_init(Instant::now).elapsed()
}

/// Parses `text` with `parser` within this thread's budget. tree-sitter calls the progress
/// callback every 100 parse operations (returning `true` cancels) and the read callback for
/// each chunk of text; once over budget, the read callback answers the end of the text, so a
/// long scan ends at once, and the parse is cancelled or its (truncated) tree dropped. A
/// cancelled parser would resume the same parse on its next call, so it is reset.
fn parse_within_budget(
    parser: &mut Parser,
    text: &str,
    old: Option<&Tree>,
) -> Result<Tree, ParseTimedOut> {
    let budget = budget_for(text.len());
    let deadline = thread_time() + budget;
    let expired = Cell::new(false);
    let over_budget = || {
        if !expired.get() && thread_time() > deadline {
            expired.set(true);
        }
        expired.get()
    };
    let bytes = text.as_bytes();
    let mut read = |offset: usize, _| {
        if over_budget() {
            return &[][..];
        }
        bytes
            .get(offset..bytes.len().min(offset.saturating_add(CHUNK)))
            .unwrap_or_default()
    };
    let mut calls = 0u32;
    let mut progress = |_: &ParseState| {
        calls = calls.wrapping_add(1);
        calls.is_multiple_of(CALLS_PER_CLOCK_READ) && over_budget()
    };
    let tree = parser.parse_with_options(
        &mut read,
        old,
        Some(ParseOptions::new().progress_callback(&mut progress)),
    );
    match tree {
        Some(tree) if !expired.get() => Ok(tree),
        _ => {
            parser.reset();
            Err(ParseTimedOut { budget })
        }
    }
}

pub fn python_language() -> tree_sitter::Language {
    tree_sitter_python_preflight::LANGUAGE.into()
}

pub fn python_parser() -> Parser {
    let mut parser = Parser::new();
    parser
        .set_language(&python_language())
        .expect("the bundled tree-sitter-python grammar matches the tree-sitter version");
    parser
}

/// Parses Python text within the budget. `old` must already have had the edits applied with
/// `Tree::edit`.
pub fn parse_python(
    parser: &mut Parser,
    text: &str,
    old: Option<&Tree>,
) -> Result<Tree, ParseTimedOut> {
    parse_within_budget(parser, text, old)
}

/// [`parse_python`] of a fresh parser for text known to be small (tests, examples): panics
/// when the parse times out.
pub fn python_tree(text: &str) -> Tree {
    parse_python(&mut python_parser(), text, None).expect("a small text parses within budget")
}

/// The first syntax error of a tree: an ERROR node or a MISSING node.
pub fn first_error(root: Node<'_>) -> Option<Node<'_>> {
    if !root.has_error() {
        return None;
    }
    let mut cursor = root.walk();
    let mut node = root;
    loop {
        if node.is_error() || node.is_missing() {
            return Some(node);
        }
        // descend into the first child that has an error
        let mut next = None;
        for child in node.children(&mut cursor) {
            if child.has_error() || child.is_missing() {
                next = Some(child);
                break;
            }
        }
        match next {
            Some(n) => node = n,
            None => return Some(node),
        }
    }
}

pub fn nginx_language() -> tree_sitter::Language {
    tree_sitter_nginx_preflight::LANGUAGE.into()
}

pub fn nginx_parser() -> Parser {
    let mut parser = Parser::new();
    parser
        .set_language(&nginx_language())
        .expect("the project's nginx grammar matches the tree-sitter version");
    parser
}

/// Parses an nginx config within the budget. `old` must already have had the edits applied
/// with `Tree::edit`.
pub fn parse_nginx(
    parser: &mut Parser,
    text: &str,
    old: Option<&Tree>,
) -> Result<Tree, ParseTimedOut> {
    parse_within_budget(parser, text, old)
}

/// [`parse_nginx`] of a fresh parser for text known to be small (tests, examples): panics
/// when the parse times out.
pub fn nginx_tree(text: &str) -> Tree {
    parse_nginx(&mut nginx_parser(), text, None).expect("a small text parses within budget")
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Settings, then a long run of comment lines in a block: quadratic in tree-sitter-python's
    /// scanner.
    pub(crate) fn comment_run(bytes: usize) -> String {
        let mut text = String::from(
            "DEBUG = False\nALLOWED_HOSTS = ['example.com']\nif DEBUG:\n    ALLOWED_HOSTS = ['*']\n",
        );
        while text.len() < bytes {
            text.push_str(
                "    # a comment line of ordinary length, as a long commented-out block\n",
            );
        }
        text
    }

    #[test]
    fn a_slow_python_parse_stops_at_the_budget() {
        let text = comment_run(200_000);
        let start = Instant::now();
        let parsed = with_budget(Duration::from_millis(50), || {
            parse_python(&mut python_parser(), &text, None)
        });
        let took = start.elapsed();
        assert_eq!(
            parsed.err(),
            Some(ParseTimedOut {
                budget: Duration::from_millis(50)
            })
        );
        assert!(took < Duration::from_millis(1000), "took {took:?}");
    }

    #[test]
    fn a_parser_that_timed_out_parses_the_next_text_from_scratch() {
        let mut parser = python_parser();
        let slow = comment_run(200_000);
        with_budget(Duration::from_millis(50), || {
            assert!(parse_python(&mut parser, &slow, None).is_err());
        });
        let tree = parse_python(&mut parser, "DEBUG = True\n", None).unwrap();
        assert_eq!(tree.root_node().end_byte(), "DEBUG = True\n".len());
        assert!(!tree.root_node().has_error());
    }

    #[test]
    fn ordinary_files_parse_within_the_budget() {
        let text = "DEBUG = False\n".repeat(10_000);
        assert!(parse_python(&mut python_parser(), &text, None).is_ok());
        assert!(parse_nginx(&mut nginx_parser(), "events {}\n", None).is_ok());
    }

    #[test]
    fn nginx_parses_are_budgeted_too() {
        let text = "server { listen 80; }\n".repeat(200_000);
        let parsed = with_budget(Duration::from_micros(1), || {
            parse_nginx(&mut nginx_parser(), &text, None)
        });
        assert!(parsed.is_err());
    }

    #[test]
    fn the_budget_grows_with_the_file() {
        assert_eq!(budget_for(0), PARSE_BUDGET);
        assert_eq!(budget_for(10 * 1024 * 1024), Duration::from_secs(12));
        with_budget(Duration::from_millis(50), || {
            assert_eq!(budget_for(10 * 1024 * 1024), Duration::from_millis(50));
        });
    }

    #[test]
    fn the_message_names_the_budget() {
        let message = |budget| ParseTimedOut { budget }.message(true);
        assert!(
            message(PARSE_BUDGET)
                .starts_with("Preflight stopped parsing this file after 2 s (a long run")
        );
        assert!(message(budget_for(1024 * 1024 + 1)).contains("after 3 s"));
        assert!(message(Duration::from_millis(2_500)).contains("after 2.5 s"));
        assert!(message(Duration::from_millis(50)).contains("after 50 ms"));
        let nginx = ParseTimedOut {
            budget: PARSE_BUDGET,
        }
        .message(false);
        assert_eq!(
            nginx,
            "Preflight stopped parsing this file after 2 s; it was not checked: split the file"
        );
    }
}
