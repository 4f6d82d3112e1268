//! How a location handles a request: `if` blocks inside locations.

use crate::diagnostic::Diagnostic;
use crate::diagnostic::Severity::Warning;
use crate::nginx::model::Context;
use crate::rules::RuleMeta;

use super::{Ctx, Reach};

pub static RULES: [RuleMeta; 1] = [RuleMeta {
    code: "NGX024",
    name: "if-in-location",
    severity: Warning,
    summary: "A directive inside `if` in a location may not do what it says",
    django: None,
    gixy: Some("if_is_evil"),
    docs: "An `if` inside a `location` is an implicit nested location: when its condition \
holds, the request is handled by *that* block's configuration, which inherits some of the \
location's directives and not others (`try_files`, `proxy_pass` and headers behave in \
surprising ways; some combinations crash worker processes). nginx's own documentation (\"If is \
Evil\") lists the only safe contents: `return ...;` and `rewrite ... last;` (Preflight, like \
gixy-ng, also accepts the `redirect` and `permanent` flags, which end the request the same \
way). Every other directive in such an `if` is reported.\n\n**Fix:** compute the condition \
with a `map` at the `http` level and use its variable (`proxy_set_header X-Foo $mapped;`), \
split the cases into separate locations, or make the `if` end the request with `return`.",
}];

pub fn check(ctx: &Ctx<'_>, out: &mut Vec<Diagnostic>) {
    if ctx.runs(Reach::Server) {
        if_is_evil(ctx, out);
    }
}

/// NGX024: anything but `return` and `rewrite ... last|redirect|permanent` in `if` in a
/// location.
fn if_is_evil(ctx: &Ctx<'_>, out: &mut Vec<Diagnostic>) {
    let config = ctx.config;
    for id in config.walk() {
        let d = config.get(id);
        let Some(parent) = d.parent else { continue };
        if d.context != Context::If || config.get(parent).context != Context::Location {
            continue;
        }
        // an include is not a directive of its own: what it brings in is checked
        if d.is("include") || d.is("return") {
            continue;
        }
        let flag = d.args.get(2).and(d.args.last()).map(|a| a.value.as_str());
        let message = if d.is("rewrite") {
            if matches!(flag, Some("last" | "redirect" | "permanent")) {
                continue;
            }
            "`rewrite` inside `if` in a location is only safe with `last`, `redirect` or \
             `permanent`: add `last`, or use a `map` and a separate location"
                .to_owned()
        } else {
            format!(
                "`{}` inside `if` in a location may not apply as written (\"if is evil\"): only \
                 `return` and `rewrite ... last` are safe there; use a `map` or a separate \
                 location",
                d.name()
            )
        };
        ctx.report(out, "NGX024", id, message);
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::nginx::testing::*;
    use crate::source::MemoryLoader;

    #[test]
    fn unsafe_directives_in_if_in_location() {
        let text = "server {\n    if ($host = old) { set $a 1; }\n    location / {\n        if ($request_method = OPTIONS) {\n            add_header Access-Control-Allow-Origin *;\n            return 204;\n        }\n        if ($a) {\n            rewrite ^ /x break;\n            rewrite ^ /y;\n            rewrite ^ /z last;\n            rewrite ^ /w permanent;\n            proxy_pass http://app;\n        }\n    }\n}\n";
        let d = check_site(text);
        assert_eq!(
            findings(&d, "NGX024", text),
            [
                (5, "add_header Access-Control-Allow-Origin *;"),
                (9, "rewrite ^ /x break;"),
                (10, "rewrite ^ /y;"),
                (13, "proxy_pass http://app;")
            ]
        );
        assert_eq!(first(&d, "NGX024").references["gixy"], "if_is_evil");
        assert!(
            d.iter()
                .filter(|d| d.code == "NGX024")
                .all(|d| d.fix.is_none())
        );
    }

    #[test]
    fn safe_ifs_and_included_contents() {
        let text = "server { if ($a) { set $b 1; } location / { if ($bad) { return 403; } } }";
        assert!(findings(&check_site(text), "NGX024", text).is_empty());
        let loader = MemoryLoader::default().with("/srv/site/cors.conf", "add_header X 1;\n");
        let text = "server {\n    location / {\n        if ($a) { include cors.conf; }\n    }\n}\n";
        let d = check_with("/srv/site/sites-available/app", text, &loader);
        assert_eq!(findings(&d, "NGX024", text), [(3, "include cors.conf;")]);
        assert!(first(&d, "NGX024").message.contains("cors.conf"));
    }
}
