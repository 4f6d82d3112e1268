//! nginx inheritance with memory: [`Config::effective`] and [`Config::effective_array`] answer
//! one question by scanning each enclosing block, which is quadratic when every one of 50,000
//! locations asks about its server. [`Scopes`] indexes each block's directives by name once and
//! remembers every answer, with the same semantics.

use std::cell::RefCell;
use std::collections::HashMap;
use std::rc::Rc;

use crate::nginx::model::{Config, DirId, Inherited, Unresolved};

/// The directives directly in one block, by name.
#[derive(Default)]
struct Names {
    by_name: HashMap<String, Vec<DirId>>,
    /// The block has an include Preflight could not resolve.
    unresolved: bool,
}

type Key = (Option<DirId>, &'static str);

pub struct Scopes<'a> {
    config: &'a Config,
    names: RefCell<HashMap<Option<DirId>, Rc<Names>>>,
    plain: RefCell<HashMap<Key, Result<Option<DirId>, Unresolved>>>,
    arrays: RefCell<HashMap<Key, Result<Inherited, Unresolved>>>,
    /// Whether a `proxy_pass` is at or below each directive.
    proxies: Vec<bool>,
}

impl<'a> Scopes<'a> {
    pub fn new(config: &'a Config) -> Self {
        let mut proxies = vec![false; config.directives.len()];
        for (id, d) in config.directives.iter().enumerate() {
            if !d.is("proxy_pass") {
                continue;
            }
            let mut at = Some(id);
            while let Some(a) = at {
                if std::mem::replace(&mut proxies[a], true) && a != id {
                    break;
                }
                at = config.get(a).parent;
            }
        }
        Self {
            config,
            names: RefCell::default(),
            plain: RefCell::default(),
            arrays: RefCell::default(),
            proxies,
        }
    }

    fn names(&self, block: Option<DirId>) -> Rc<Names> {
        if let Some(names) = self.names.borrow().get(&block) {
            return names.clone();
        }
        let mut names = Names::default();
        for &c in self.config.children_of(block) {
            let d = self.config.get(c);
            names
                .by_name
                .entry(d.name().to_owned())
                .or_default()
                .push(c);
            if d.inclusion.as_ref().is_some_and(|i| !i.resolved) {
                names.unresolved = true;
            }
        }
        let names = Rc::new(names);
        self.names.borrow_mut().insert(block, names.clone());
        names
    }

    /// The directives named `name` directly in `block` (includes spliced in).
    pub fn direct(&self, block: Option<DirId>, name: &str) -> Vec<DirId> {
        self.names(block)
            .by_name
            .get(name)
            .cloned()
            .unwrap_or_default()
    }

    /// [`Config::effective`], remembered.
    pub fn effective(
        &self,
        block: Option<DirId>,
        name: &'static str,
    ) -> Result<Option<DirId>, Unresolved> {
        self.lookup(&self.plain, block, name, |names, _| {
            if let Some(&last) = names.by_name.get(name).and_then(|v| v.last()) {
                return Some(Ok(Some(last)));
            }
            names.unresolved.then_some(Err(Unresolved))
        })
        .unwrap_or(Ok(None))
    }

    /// [`Config::effective_array`] for array directives other than `add_header` (whose
    /// `add_header_inherit merge` this does not know), remembered.
    pub fn effective_array(
        &self,
        block: Option<DirId>,
        name: &'static str,
    ) -> Result<Inherited, Unresolved> {
        debug_assert_ne!(name, "add_header");
        self.lookup(&self.arrays, block, name, |names, scope| {
            if let Some(here) = names.by_name.get(name).filter(|v| !v.is_empty()) {
                return Some(Ok(Inherited {
                    level: scope,
                    directives: here.clone(),
                }));
            }
            names.unresolved.then_some(Err(Unresolved))
        })
        .unwrap_or(Ok(Inherited {
            level: None,
            directives: Vec::new(),
        }))
    }

    /// Walks from `block` outwards until `decide` answers or a remembered answer is found, and
    /// remembers the answer for every block passed. `None` when no level decides.
    fn lookup<T: Clone>(
        &self,
        memo: &RefCell<HashMap<Key, T>>,
        block: Option<DirId>,
        name: &'static str,
        decide: impl Fn(&Names, Option<DirId>) -> Option<T>,
    ) -> Option<T> {
        let mut passed = Vec::new();
        let mut scope = block;
        let answer = loop {
            if let Some(known) = memo.borrow().get(&(scope, name)) {
                break Some(known.clone());
            }
            passed.push(scope);
            if let Some(answer) = decide(&self.names(scope), scope) {
                break Some(answer);
            }
            match scope {
                Some(id) => scope = self.config.get(id).parent,
                None => break None,
            }
        };
        if let Some(answer) = &answer {
            let mut memo = memo.borrow_mut();
            for s in passed {
                memo.insert((s, name), answer.clone());
            }
        }
        answer
    }

    /// Whether `block` holds an include Preflight could not resolve.
    pub fn has_unresolved_include(&self, block: Option<DirId>) -> bool {
        self.names(block).unresolved
    }

    /// Whether `id` is a `proxy_pass` or has one below it.
    pub fn proxies(&self, id: DirId) -> bool {
        self.proxies.get(id).copied().unwrap_or(false)
    }
}

#[cfg(test)]
mod tests {
    use std::path::Path;

    use super::*;
    use crate::nginx::build;
    use crate::source::MemoryLoader;
    use crate::syntax::{nginx_parser, parse_nginx};

    #[test]
    fn same_answers_as_the_model() {
        let text = "proxy_set_header A 1;\nproxy_buffering off;\nserver {\n  location / { proxy_set_header B 2; location /x { proxy_buffering on; } }\n  location /y { if ($a) { proxy_pass http://b; } }\n  location /z { include nope/*.conf.d/x; }\n}\n";
        let tree = parse_nginx(&mut nginx_parser(), text, None);
        let c = build(
            Path::new("/srv/site/sites-available/app"),
            text,
            &tree,
            &MemoryLoader::default(),
        );
        let scopes = Scopes::new(&c);
        let blocks: Vec<Option<DirId>> = std::iter::once(None)
            .chain(c.walk().filter(|&i| c.get(i).body.is_some()).map(Some))
            .collect();
        // twice: the second round answers from memory
        for _ in 0..2 {
            for &b in &blocks {
                for name in ["proxy_set_header", "proxy_buffering", "resolver"] {
                    assert_eq!(
                        scopes.effective(b, name),
                        c.effective(b, name),
                        "{b:?} {name}"
                    );
                    assert_eq!(
                        scopes.effective_array(b, name),
                        c.effective_array(b, name),
                        "{b:?} {name}"
                    );
                }
            }
        }
        let proxying: Vec<&str> = c
            .walk()
            .filter(|&i| scopes.proxies(i))
            .map(|i| c.get(i).name())
            .collect();
        assert_eq!(proxying, ["server", "location", "if", "proxy_pass"]);
    }
}
