//! Rule settings an editor passes (VS Code's `preflight.*` settings, Neovim's `init_options`),
//! merged with the configuration file key by key. Only the rule keys come from the editor:
//! which modules are production, the nginx and gunicorn files and the env helpers are facts
//! about the project and always come from its file.

use std::collections::BTreeMap;

use super::Config;
use crate::diagnostic::Severity;

/// Which side wins when the editor and the configuration file both set a rule key.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum ConfigurationPreference {
    /// The file wins; the editor fills what it does not set (the default: the editor agrees
    /// with CI unless the project leaves a key open).
    #[default]
    FilesystemFirst,
    /// The editor wins; the file fills what the editor does not set.
    EditorFirst,
    /// The file's rule keys are ignored.
    EditorOnly,
}

impl ConfigurationPreference {
    pub fn parse(text: &str) -> Option<Self> {
        match text {
            "filesystemFirst" => Some(Self::FilesystemFirst),
            "editorFirst" => Some(Self::EditorFirst),
            "editorOnly" => Some(Self::EditorOnly),
            _ => None,
        }
    }
}

/// The rule keys an editor may set; `None` (or empty) leaves a key to the file.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct EditorSettings {
    pub select: Option<Vec<String>>,
    pub ignore: Option<Vec<String>>,
    pub severity: BTreeMap<String, Severity>,
    pub preference: ConfigurationPreference,
}

impl EditorSettings {
    /// Whether the editor sets any rule key at all.
    pub fn is_empty(&self) -> bool {
        self.select.is_none() && self.ignore.is_none() && self.severity.is_empty()
    }
}

impl Config {
    /// This configuration with the editor's rule keys merged in, per `settings.preference`.
    pub fn with_editor_settings(mut self, settings: &EditorSettings) -> Config {
        let editor_ignore = settings.ignore.clone().unwrap_or_default();
        let editor_severity = settings.severity.clone();
        match settings.preference {
            ConfigurationPreference::FilesystemFirst => {
                self.select = self.select.or_else(|| settings.select.clone());
                if self.ignore.is_empty() {
                    self.ignore = editor_ignore;
                }
                self.severity = merged(editor_severity, self.severity);
            }
            ConfigurationPreference::EditorFirst => {
                self.select = settings.select.clone().or(self.select);
                if settings.ignore.is_some() {
                    self.ignore = editor_ignore;
                }
                self.severity = merged(self.severity, editor_severity);
            }
            ConfigurationPreference::EditorOnly => {
                self.select = settings.select.clone();
                self.ignore = editor_ignore;
                self.severity = editor_severity;
                self.per_file_ignores.clear();
            }
        }
        self
    }
}

/// `base` with `winner`'s entries laid over it.
fn merged(
    mut base: BTreeMap<String, Severity>,
    winner: BTreeMap<String, Severity>,
) -> BTreeMap<String, Severity> {
    base.extend(winner);
    base
}

#[cfg(test)]
mod tests {
    use std::path::Path;
    use std::sync::Arc;

    use super::*;
    use crate::config::load;

    fn file_config() -> Config {
        let text: Arc<str> = Arc::from(
            "select = [\"DJ\"]\nignore = [\"DJ008\"]\n[severity]\nDJ111 = \"warning\"\nDJ107 = \"hint\"\n[per-file-ignores]\n\"a.py\" = [\"DJ018\"]\n",
        );
        load(Path::new("/p/preflight.toml"), &text).config
    }

    fn editor(preference: ConfigurationPreference) -> EditorSettings {
        EditorSettings {
            select: Some(vec!["NGX".into()]),
            ignore: Some(vec!["DJ018".into()]),
            severity: BTreeMap::from([
                ("DJ111".into(), Severity::Error),
                ("DJ119".into(), Severity::Hint),
            ]),
            preference,
        }
    }

    #[test]
    fn the_file_wins_by_default_and_the_editor_fills_the_rest() {
        let c = file_config().with_editor_settings(&editor(ConfigurationPreference::default()));
        assert_eq!(c.select, Some(vec!["DJ".to_string()]));
        assert_eq!(c.ignore, vec!["DJ008".to_string()]);
        assert_eq!(c.severity["DJ111"], Severity::Warning);
        assert_eq!(c.severity["DJ119"], Severity::Hint);
        assert_eq!(c.severity["DJ107"], Severity::Hint);
        assert!(!c.enabled("DJ018", Path::new("/p/a.py")));
    }

    #[test]
    fn editor_first_lets_the_editor_win_key_by_key() {
        let c = file_config().with_editor_settings(&editor(ConfigurationPreference::EditorFirst));
        assert_eq!(c.select, Some(vec!["NGX".to_string()]));
        assert_eq!(c.ignore, vec!["DJ018".to_string()]);
        assert_eq!(c.severity["DJ111"], Severity::Error);
        assert_eq!(c.severity["DJ107"], Severity::Hint);
        // the editor sets no `select` here: the file's stays
        let only_ignore = EditorSettings {
            ignore: Some(vec!["DJ001".into()]),
            preference: ConfigurationPreference::EditorFirst,
            ..EditorSettings::default()
        };
        let c = file_config().with_editor_settings(&only_ignore);
        assert_eq!(c.select, Some(vec!["DJ".to_string()]));
        assert_eq!(c.ignore, vec!["DJ001".to_string()]);
    }

    #[test]
    fn editor_only_drops_the_files_rule_keys_but_keeps_the_project_facts() {
        let text: Arc<str> = Arc::from("ignore = [\"DJ008\"]\nproduction = [\"site.prod\"]\n");
        let file = load(Path::new("/p/preflight.toml"), &text).config;
        let settings = EditorSettings {
            preference: ConfigurationPreference::EditorOnly,
            ..EditorSettings::default()
        };
        let c = file.with_editor_settings(&settings);
        assert!(c.ignore.is_empty());
        assert!(c.enabled("DJ008", Path::new("/p/a.py")));
        assert_eq!(c.production, vec!["site.prod".to_string()]);
    }

    #[test]
    fn without_a_file_the_editor_settings_apply() {
        let c = Config::default().with_editor_settings(&editor(ConfigurationPreference::default()));
        assert!(!c.enabled("DJ018", Path::new("/x.py")));
        assert!(!c.enabled("DJ001", Path::new("/x.py")));
        assert!(c.enabled("NGX001", Path::new("/x.conf")));
        assert_eq!(
            c.severity_of("DJ111", Severity::Information),
            Severity::Error
        );
    }
}
