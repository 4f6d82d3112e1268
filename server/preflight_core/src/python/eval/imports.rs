//! `import` and `from ... import ...`: names from other modules of the workspace.

use tree_sitter::Node;

use super::*;

impl<'t> Evaluator<'t, '_> {
    pub(super) fn import_statement(&mut self, stmt: Node<'t>) {
        let mut cursor = stmt.walk();
        let names: Vec<Node<'t>> = stmt
            .children_by_field_id(fields().name, &mut cursor)
            .collect();
        for name in names {
            let (dotted, alias) = match name.k() {
                "aliased_import" => (field(name, fields().name), field(name, fields().alias)),
                _ => (Some(name), None),
            };
            let Some(dotted) = dotted else { continue };
            let module = self.text(dotted).to_string();
            // `import a.b` binds `a`; `import a.b as c` binds `c` to `a.b`
            let (bound, value) = match alias {
                Some(a) => {
                    let value = match resolve_module(&self.path, &module, self.loader) {
                        Resolution::File(file) => {
                            self.imports.push(ImportedModule {
                                path: file.clone(),
                                stmt: Self::range(stmt),
                                star: false,
                            });
                            Value::Object(module_object(&file))
                        }
                        _ => Value::Object(module.clone()),
                    };
                    (self.text(a).to_string(), value)
                }
                None => {
                    let top = module.split('.').next().unwrap_or(&module).to_string();
                    (top.clone(), Value::Object(top))
                }
            };
            let focus = alias.unwrap_or(dotted);
            let binding = Binding::new(value, self.site(stmt, focus));
            self.scope.insert(bound, binding);
        }
    }

    pub(super) fn import_from(&mut self, stmt: Node<'t>) -> Flow {
        let Some(module_node) = field(stmt, fields().module_name) else {
            return Flow::Normal;
        };
        let module = self
            .text(module_node)
            .split_whitespace()
            .collect::<String>();
        let resolution = resolve_module(&self.path, &module, self.loader);
        let model = match &resolution {
            Resolution::File(path) => {
                match analyze_path(path, self.loader, self.cache) {
                    Some(m) => Some(m),
                    // an import cycle, or unreadable: whatever it defines is unknown to us
                    None => {
                        self.open = true;
                        return Flow::Normal;
                    }
                }
            }
            Resolution::Missing => return Flow::ImportFailed,
            Resolution::External => None,
        };
        let star = has_child_kind(stmt, "wildcard_import");
        if let (Resolution::File(path), Some(_)) = (&resolution, &model) {
            self.imports.push(ImportedModule {
                path: path.clone(),
                stmt: Self::range(stmt),
                star,
            });
        }
        if star {
            match model {
                Some(m) => self.star_import(stmt, module_node, &m),
                // names we cannot see may arrive
                None => self.open = true,
            }
            return Flow::Normal;
        }
        let mut cursor = stmt.walk();
        let names: Vec<Node<'t>> = stmt
            .children_by_field_id(fields().name, &mut cursor)
            .collect();
        for name in names {
            let (orig, alias) = match name.k() {
                "aliased_import" => (field(name, fields().name), field(name, fields().alias)),
                _ => (Some(name), None),
            };
            let Some(orig) = orig else { continue };
            let orig_name = self.text(orig).to_string();
            let bound = alias.map_or(orig_name.clone(), |a| self.text(a).to_string());
            let focus = alias.unwrap_or(orig);
            let site = self.site(stmt, focus);
            let binding = match &model {
                Some(m) => match m.bindings.get(&orig_name) {
                    Some(b) => imported_binding(b, site),
                    None if m.open => unknown_binding(site),
                    None => {
                        // maybe a submodule (`from . import base`); otherwise ImportError
                        let sub = format!("{}.{}", module.trim_end_matches('.'), orig_name);
                        let sub = if module.ends_with('.') {
                            format!("{module}{orig_name}")
                        } else {
                            sub
                        };
                        match resolve_module(&self.path, &sub, self.loader) {
                            Resolution::File(file) => {
                                let stmt_range = Self::range(stmt);
                                self.imports.push(ImportedModule {
                                    path: file.clone(),
                                    stmt: stmt_range,
                                    star: false,
                                });
                                Binding {
                                    value: Value::Object(module_object(&file)),
                                    ..unknown_binding(site)
                                }
                            }
                            _ => return Flow::ImportFailed,
                        }
                    }
                },
                None => Binding {
                    value: Value::Object(format!("{module}.{orig_name}")),
                    ..unknown_binding(site)
                },
            };
            self.scope.insert(bound, binding);
        }
        Flow::Normal
    }

    pub(super) fn star_import(
        &mut self,
        stmt: Node<'t>,
        module_node: Node<'t>,
        model: &ModuleModel,
    ) {
        let site = self.site(stmt, module_node);
        let exported: Option<Vec<String>> = model.bindings.get("__all__").and_then(|b| {
            b.value.as_seq().map(|items| {
                items
                    .iter()
                    .filter_map(|i| i.as_str().map(str::to_string))
                    .collect()
            })
        });
        for (name, b) in &model.bindings {
            let public = match &exported {
                Some(all) => all.contains(name),
                None => !name.starts_with('_'),
            };
            if public {
                self.scope
                    .insert(name.clone(), imported_binding(b, site.clone()));
            }
        }
        if model.open {
            self.open = true;
        }
    }

    // ----- expressions ------------------------------------------------------------------------
}

/// A project module as a value: `Object("module:/path/to/mod.py")`.
pub(super) const MODULE_OBJECT: &str = "module:";

pub(super) fn module_object(file: &Path) -> String {
    format!("{MODULE_OBJECT}{}", file.display())
}

pub(super) fn imported_binding(b: &Binding, site: Site) -> Binding {
    Binding {
        value: b.value.clone(),
        origin: Some(b.cause().clone()),
        site,
        literal: None,
        mutated: false,
        env: b.env.clone(),
        expr: b.expr,
        calls: b.calls.clone(),
    }
}

pub(super) fn unknown_binding(site: Site) -> Binding {
    Binding::new(Value::Unknown, site)
}
