//! gunicorn command lines in deployment files (Procfile, Dockerfile, compose, systemd units,
//! scripts): the config file they name with `-c` and the settings they give as flags, which
//! override the config file's (`gunicorn -b unix:/run/app.sock -c gunicorn.conf.py app`).

use std::path::PathBuf;

use super::settings::{SETTINGS, Setting, Validator};
use crate::python::Value;

/// One gunicorn command line, as written.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct CommandLine {
    /// `-c PATH` / `--config=PATH` as written (quotes removed, a `file:` prefix dropped).
    pub config: Option<String>,
    /// The settings given as flags, in order: a switch (`--preload`) has no value.
    pub settings: Vec<(&'static str, Option<String>)>,
    /// The application (`mysite.wsgi:application`, `mysite.wsgi`), when written.
    pub app: Option<String>,
}

/// A command line of a project's deployment file, with the config file it names resolved.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Invocation {
    /// The deployment file it is written in.
    pub source: PathBuf,
    /// The config file it loads (`None`: gunicorn's default `./gunicorn.conf.py`, or a path
    /// that is not in the project).
    pub config: Option<PathBuf>,
    pub command: CommandLine,
}

impl Invocation {
    /// The value the command line gives a setting (the last flag wins; `-b` accumulates), as
    /// gunicorn's validator would read the string: `None` when the command line does not set
    /// it, `Value::Unknown` for a shell expansion.
    pub fn value(&self, name: &str) -> Option<Value> {
        let setting = SETTINGS.iter().find(|s| s.name == name)?;
        let given: Vec<&Option<String>> = self
            .command
            .settings
            .iter()
            .filter(|(n, _)| *n == name)
            .map(|(_, v)| v)
            .collect();
        let last = given.last()?;
        if setting.flag {
            // `--no-sendfile` sets `sendfile = False`; `--no-control-socket` sets `..._disable`
            let inverted = setting.cli.iter().any(|f| f.starts_with("--no-"))
                && !setting.name.contains("disable");
            return Some(Value::Bool(!inverted));
        }
        if given
            .iter()
            .any(|v| v.as_deref().is_none_or(|v| v.contains('$')))
        {
            return Some(Value::Unknown);
        }
        let text = |v: &Option<String>| v.clone().unwrap_or_default();
        Some(match setting.validator {
            Validator::ListStr => Value::List(given.iter().map(|v| Value::Str(text(v))).collect()),
            _ => Value::Str(text(last)),
        })
    }
}

/// The gunicorn command lines of a file's text: lines that run `gunicorn` (or set
/// `GUNICORN_CMD_ARGS`), with backslash continuations joined.
pub fn command_lines(text: &str) -> Vec<CommandLine> {
    let mut out = Vec::new();
    for line in logical_lines(text) {
        let at = line
            .match_indices("gunicorn")
            .map(|(i, _)| i)
            .find(|&i| is_command_word(&line, i))
            .or_else(|| line.find("GUNICORN_CMD_ARGS"));
        let Some(at) = at else { continue };
        let words = shell_words(&line[at..]);
        let command = parse_words(&words);
        // `pip install gunicorn django` is no command line
        if command.config.is_some() || !command.settings.is_empty() || command.app.is_some() {
            out.push(command);
        }
    }
    out
}

/// Whether `gunicorn` at byte `i` is the program's name (`/venv/bin/gunicorn`, `gunicorn`),
/// not part of another word (`gunicorn_config`, `uvicorn.workers.UvicornWorker`).
fn is_command_word(line: &str, i: usize) -> bool {
    let before = line[..i].chars().next_back();
    let after = line[i + "gunicorn".len()..].chars().next();
    let boundary =
        |c: Option<char>| c.is_none_or(|c| !(c.is_alphanumeric() || c == '_' || c == '.'));
    (before.is_none_or(|c| !(c.is_alphanumeric() || c == '_')) || before == Some('/'))
        && (boundary(after) || after == Some('"') || after == Some('\''))
}

/// Lines with `\`-continuations joined (systemd units and Dockerfiles wrap long commands).
fn logical_lines(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut cur = String::new();
    for line in text.lines() {
        match line.trim_end().strip_suffix('\\') {
            Some(head) => {
                cur.push_str(head);
                cur.push(' ');
            }
            None => {
                cur.push_str(line);
                out.push(std::mem::take(&mut cur));
            }
        }
    }
    if !cur.is_empty() {
        out.push(cur);
    }
    out
}

/// Reads flags after the program name; unknown flags are skipped (without their value, which
/// cannot be told from a positional argument).
fn parse_words(words: &[String]) -> CommandLine {
    let mut command = CommandLine::default();
    let mut i = 1;
    while i < words.len() {
        let w = words[i].as_str();
        i += 1;
        if !w.starts_with('-') {
            let app_like = w.contains(':') || w.ends_with("wsgi") || w.ends_with("asgi");
            if command.app.is_none() && app_like && !w.contains('/') {
                command.app = Some(w.to_string());
            }
            continue;
        }
        let (flag, inline) = match w.split_once('=') {
            Some((f, v)) if f.starts_with("--") => (f, Some(v.to_string())),
            _ => (w, None),
        };
        // `-cPATH`, `-b0.0.0.0:80`: a short flag with its value attached (split after the
        // flag's second character, which need not be ASCII in a mistyped command)
        let attached = flag.char_indices().nth(2).map(|(at, _)| at);
        let (flag, inline) = match attached {
            Some(at) if inline.is_none() && !flag.starts_with("--") => {
                (&flag[..at], Some(flag[at..].to_string()))
            }
            _ => (flag, inline),
        };
        if flag == "-c" || flag == "--config" {
            let value = inline.or_else(|| {
                i += 1;
                words.get(i - 1).cloned()
            });
            command.config = value
                .filter(|v| !v.is_empty() && !v.starts_with('$'))
                .map(|v| v.strip_prefix("file:").unwrap_or(&v).to_string());
            continue;
        }
        let Some(setting) = setting_of_flag(flag) else {
            continue;
        };
        let value = if setting.flag {
            None
        } else {
            inline.or_else(|| {
                i += 1;
                words.get(i - 1).cloned()
            })
        };
        command.settings.push((setting.name, value));
    }
    command
}

fn setting_of_flag(flag: &str) -> Option<&'static Setting> {
    SETTINGS.iter().find(|s| s.cli.contains(&flag))
}

/// Splits a command line into words the way a shell, a Dockerfile's JSON form (`["gunicorn",
/// "-c", "x.py"]`) or a compose list would: quotes, brackets, commas and blanks separate; a
/// comment or the next command (`&&`, `;`, `|`) ends it.
fn shell_words(line: &str) -> Vec<String> {
    let mut words = Vec::new();
    let mut cur = String::new();
    for c in line.chars() {
        match c {
            '"' | '\'' | '[' | ']' | ',' => {
                if !cur.is_empty() {
                    words.push(std::mem::take(&mut cur));
                }
            }
            c if c.is_whitespace() => {
                if !cur.is_empty() {
                    words.push(std::mem::take(&mut cur));
                }
            }
            '#' if cur.is_empty() => break,
            ';' | '|' | '&' => break,
            _ => cur.push(c),
        }
    }
    if !cur.is_empty() {
        words.push(cur);
    }
    words
}

#[cfg(test)]
mod tests {
    use super::*;

    fn one(text: &str) -> CommandLine {
        let mut lines = command_lines(text);
        assert_eq!(lines.len(), 1, "{text}: {lines:?}");
        lines.remove(0)
    }

    #[test]
    fn flags_become_settings_and_override_order_is_kept() {
        let c = one(
            "ExecStart=/srv/venv/bin/gunicorn --workers 3 \\\n    --bind unix:/run/gunicorn.sock \\\n    -b127.0.0.1:9000 --preload -k gthread --timeout=60 -c /srv/app/gunicorn.conf.py mysite.wsgi:application\n",
        );
        assert_eq!(c.config.as_deref(), Some("/srv/app/gunicorn.conf.py"));
        assert_eq!(
            c.settings,
            vec![
                ("workers", Some("3".into())),
                ("bind", Some("unix:/run/gunicorn.sock".into())),
                ("bind", Some("127.0.0.1:9000".into())),
                ("preload_app", None),
                ("worker_class", Some("gthread".into())),
                ("timeout", Some("60".into())),
            ]
        );
        let inv = Invocation {
            source: PathBuf::from("/p/x.service"),
            config: None,
            command: c,
        };
        assert_eq!(
            inv.value("bind"),
            Some(Value::List(vec![
                Value::str("unix:/run/gunicorn.sock"),
                Value::str("127.0.0.1:9000")
            ]))
        );
        assert_eq!(inv.value("preload_app"), Some(Value::Bool(true)));
        assert_eq!(inv.value("timeout"), Some(Value::str("60")));
        assert_eq!(inv.value("loglevel"), None);
    }

    #[test]
    fn a_short_flag_followed_by_a_non_ascii_character_is_split_on_a_character_boundary() {
        // found by the `project` fuzz target: slicing after two bytes panicked
        let c = one("web: gunicorn -b 0.0.0:8 -\u{654}0. mysite.wsgi\n");
        assert_eq!(c.settings, vec![("bind", Some("0.0.0:8".into()))]);
        // the attached value starts with a non-ASCII character: still the flag's value
        let c = one("web: gunicorn -b\u{e9}0.0.0.0:80 mysite.wsgi\n");
        assert_eq!(c.settings, vec![("bind", Some("\u{e9}0.0.0.0:80".into()))]);
    }

    #[test]
    fn json_forms_environment_and_expansions() {
        let c = one(r#"CMD ["gunicorn", "--bind", "0.0.0.0:8000", "mysite.wsgi"]"#);
        assert_eq!(c.settings, vec![("bind", Some("0.0.0.0:8000".into()))]);
        let c = one(r#"ENV GUNICORN_CMD_ARGS="--bind=0.0.0.0:80 --workers=3""#);
        assert_eq!(c.settings.len(), 2);
        let inv = Invocation {
            source: PathBuf::new(),
            config: None,
            command: one("web: gunicorn -b 0.0.0.0:$PORT mysite.wsgi"),
        };
        assert_eq!(inv.value("bind"), Some(Value::Unknown));
    }

    #[test]
    fn other_words_containing_gunicorn_are_not_commands() {
        assert!(command_lines("pip install gunicorn_config_helper\n").is_empty());
        assert!(command_lines("# uses gunicorn\n").is_empty());
        assert!(command_lines("RUN pip install gunicorn django\n").is_empty());
        assert_eq!(
            one("web: gunicorn mysite.wsgi").app.as_deref(),
            Some("mysite.wsgi")
        );
        let c = one("exec gunicorn -k uvicorn.workers.UvicornWorker app:app");
        assert_eq!(
            c.settings,
            vec![("worker_class", Some("uvicorn.workers.UvicornWorker".into()))]
        );
    }
}
