//! Zed extension for Preflight: starts `preflight lsp` for Python and nginx files. The binary is
//! the one `lsp.preflight.binary.path` names in Zed's settings, else `preflight` on the PATH of
//! the worktree's shell; Zed does not download it. `lsp.preflight.initialization_options` and
//! `lsp.preflight.settings` reach the server as `initializationOptions` and as the `preflight`
//! section of the workspace configuration.

use zed_extension_api::serde_json::{Value, json};
use zed_extension_api::settings::{CommandSettings, LspSettings};
use zed_extension_api::{self as zed, LanguageServerId, Result};

const BINARY: &str = "preflight";

struct Preflight;

/// The program and arguments that start the server: the configured binary (its arguments, or
/// `lsp`), else `preflight lsp` from `which`.
fn server_command(
    configured: Option<&CommandSettings>,
    which: impl FnOnce() -> Option<String>,
) -> Result<(String, Vec<String>)> {
    let args = configured
        .and_then(|c| c.arguments.clone())
        .unwrap_or_else(|| vec!["lsp".to_owned()]);
    let program = match configured.and_then(|c| c.path.clone()) {
        Some(path) => path,
        None => which().ok_or_else(|| {
            format!(
                "`{BINARY}` was not found on PATH. Install it (`cargo install --path \
                 server/preflight` in a Preflight checkout) or set `lsp.preflight.binary.path` \
                 in Zed's settings."
            )
        })?,
    };
    Ok((program, args))
}

/// The workspace configuration the server reads: the user's settings under `preflight`.
fn workspace_configuration(settings: Option<Value>) -> Option<Value> {
    settings.map(|s| json!({ "preflight": s }))
}

fn lsp_settings(id: &LanguageServerId, worktree: &zed::Worktree) -> LspSettings {
    LspSettings::for_worktree(id.as_ref(), worktree).unwrap_or_default()
}

impl zed::Extension for Preflight {
    fn new() -> Self {
        Preflight
    }

    fn language_server_command(
        &mut self,
        id: &LanguageServerId,
        worktree: &zed::Worktree,
    ) -> Result<zed::Command> {
        let settings = lsp_settings(id, worktree);
        let (command, args) = server_command(settings.binary.as_ref(), || worktree.which(BINARY))?;
        let mut env = worktree.shell_env();
        if let Some(extra) = settings.binary.and_then(|b| b.env) {
            env.extend(extra);
        }
        Ok(zed::Command { command, args, env })
    }

    fn language_server_initialization_options(
        &mut self,
        id: &LanguageServerId,
        worktree: &zed::Worktree,
    ) -> Result<Option<Value>> {
        Ok(lsp_settings(id, worktree).initialization_options)
    }

    fn language_server_workspace_configuration(
        &mut self,
        id: &LanguageServerId,
        worktree: &zed::Worktree,
    ) -> Result<Option<Value>> {
        Ok(workspace_configuration(lsp_settings(id, worktree).settings))
    }
}

zed::register_extension!(Preflight);

#[cfg(test)]
mod tests {
    use super::*;

    fn settings(path: Option<&str>, arguments: Option<&[&str]>) -> CommandSettings {
        CommandSettings {
            path: path.map(str::to_owned),
            arguments: arguments.map(|a| a.iter().map(|s| s.to_string()).collect()),
            env: None,
        }
    }

    #[test]
    fn finds_preflight_on_path_and_runs_lsp() {
        let (program, args) =
            server_command(None, || Some("/usr/local/bin/preflight".into())).unwrap();
        assert_eq!(program, "/usr/local/bin/preflight");
        assert_eq!(args, ["lsp"]);
    }

    #[test]
    fn a_configured_binary_wins_and_path_is_not_searched() {
        let configured = settings(Some("/opt/preflight"), None);
        let (program, args) = server_command(Some(&configured), || {
            panic!("PATH must not be searched when a path is configured")
        })
        .unwrap();
        assert_eq!(
            (program.as_str(), args),
            ("/opt/preflight", vec!["lsp".to_owned()])
        );

        let with_args = settings(None, Some(&["lsp", "--verbose"]));
        let (program, args) =
            server_command(Some(&with_args), || Some("preflight".into())).unwrap();
        assert_eq!(
            (program.as_str(), args),
            ("preflight", vec!["lsp".into(), "--verbose".into()])
        );
    }

    #[test]
    fn a_missing_binary_is_a_clear_error() {
        let error = server_command(None, || None).unwrap_err();
        assert!(
            error.contains("`preflight` was not found on PATH"),
            "{error}"
        );
        assert!(error.contains("lsp.preflight.binary.path"), "{error}");
    }

    #[test]
    fn settings_reach_the_server_under_preflight() {
        assert_eq!(workspace_configuration(None), None);
        let user = json!({"ignore": ["DJ116"]});
        assert_eq!(
            workspace_configuration(Some(user.clone())),
            Some(json!({"preflight": user}))
        );
    }

    /// The manifest Zed reads: the language server id this crate answers for, the languages,
    /// and the version kept with Cargo.toml's.
    #[test]
    fn the_manifest_declares_the_server() {
        let text = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/extension.toml"))
            .unwrap();
        let manifest: toml::Table = toml::from_str(&text).unwrap();
        assert_eq!(manifest["id"].as_str(), Some("preflight"));
        assert_eq!(manifest["schema_version"].as_integer(), Some(1));
        assert_eq!(
            manifest["version"].as_str(),
            Some(env!("CARGO_PKG_VERSION"))
        );
        let server = manifest["language_servers"][BINARY].as_table().unwrap();
        let languages: Vec<&str> = server["languages"]
            .as_array()
            .unwrap()
            .iter()
            .map(|l| l.as_str().unwrap())
            .collect();
        assert_eq!(languages, ["Python", "Nginx"]);
        assert_eq!(server["language_ids"]["Nginx"].as_str(), Some("nginx"));
        assert_eq!(server["language_ids"]["Python"].as_str(), Some("python"));
    }
}
