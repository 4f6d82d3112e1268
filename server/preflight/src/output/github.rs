//! `--format github`: GitHub Actions workflow commands (`::error file=...,line=...::message`),
//! which the runner turns into annotations on the pull request's files.

use std::fmt::Write as _;

use preflight_core::Diagnostic;
use preflight_core::diagnostic::Severity;
use preflight_core::rules::registry;

use super::Sources;

pub fn render(diagnostics: &[Diagnostic], sources: &mut Sources) -> String {
    let mut out = String::new();
    for d in diagnostics {
        let (start, end) = sources.span(&d.path, d.range);
        let command = match d.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
            Severity::Information | Severity::Hint => "notice",
        };
        let name = registry()
            .find(|r| r.code == d.code)
            .map_or(String::new(), |r| format!(" ({})", r.name));
        let _ = writeln!(
            out,
            "::{command} file={},line={},col={},endLine={},endColumn={},title={}::{}",
            property(&sources.display(&d.path)),
            start.line,
            start.column,
            end.line,
            end.column,
            property(&format!("{}{name}", d.code)),
            data(&d.message),
        );
    }
    out
}

/// A command's message: `%`, CR and LF escaped as the runner expects.
fn data(text: &str) -> String {
    text.replace('%', "%25")
        .replace('\r', "%0D")
        .replace('\n', "%0A")
}

/// A command's property value: also `:` and `,`, which separate properties.
fn property(text: &str) -> String {
    data(text).replace(':', "%3A").replace(',', "%2C")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_what_the_runner_reads_as_syntax() {
        assert_eq!(data("50% done\r\nnext"), "50%25 done%0D%0Anext");
        assert_eq!(property("a:b,c%"), "a%3Ab%2Cc%25");
    }
}
