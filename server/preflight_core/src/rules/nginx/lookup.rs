//! Inheritance lookups for rules that ask about every server or location: [`Config::effective`]
//! walks every enclosing level, and a config may hold thousands of servers or nest thousands of
//! locations, so asking it once per block is quadratic. `Lookup` remembers the answer of each
//! level. One `Lookup` per check, shared by every rule family through [`super::Ctx::lookup`].

use std::cell::{OnceCell, RefCell};
use std::rc::Rc;

use crate::nginx::model::{Config, DirId, Inheritance, Inherited, Unresolved};
use crate::nginx::values::flag;
use rustc_hash::FxHashMap as HashMap;

type Found = Result<Option<DirId>, Unresolved>;
type Key = (Option<DirId>, &'static str);

pub struct Lookup<'a> {
    pub config: &'a Config,
    plain: RefCell<HashMap<Key, Found>>,
    arrays: RefCell<HashMap<Key, Result<Inherited, Unresolved>>>,
    chains: RefCell<HashMap<Key, Rc<[DirId]>>>,
    unresolved: RefCell<HashMap<Option<DirId>, bool>>,
    /// Whether a `proxy_pass` is at or below each directive (computed on first use).
    proxies: OnceCell<Vec<bool>>,
}

impl<'a> Lookup<'a> {
    pub fn new(config: &'a Config) -> Self {
        Self {
            config,
            plain: RefCell::default(),
            arrays: RefCell::default(),
            chains: RefCell::default(),
            unresolved: RefCell::default(),
            proxies: OnceCell::new(),
        }
    }

    /// The directives named `name` directly in `block` (the model indexes big blocks).
    pub fn direct(&self, block: Option<DirId>, name: &str) -> Vec<DirId> {
        self.config.direct(block, name).collect()
    }

    /// Whether `id` is a `proxy_pass` or has one below it.
    pub fn proxies(&self, id: DirId) -> bool {
        let proxies = self.proxies.get_or_init(|| {
            let config = self.config;
            let mut proxies = vec![false; config.directives.len()];
            for (id, d) in config.directives.iter().enumerate() {
                if !d.is("proxy_pass") {
                    continue;
                }
                // up to the first ancestor already marked: the rest of the chain is marked
                let mut at = Some(id);
                while let Some(a) = at {
                    if std::mem::replace(&mut proxies[a], true) && a != id {
                        break;
                    }
                    at = config.get(a).parent;
                }
            }
            proxies
        });
        proxies.get(id).copied().unwrap_or(false)
    }

    /// [`Config::effective`], remembered per level.
    pub fn effective(&self, block: Option<DirId>, name: &'static str) -> Found {
        let config = self.config;
        let mut visited = Vec::new();
        let mut scope = block;
        let found = loop {
            if let Some(&known) = self.plain.borrow().get(&(scope, name)) {
                break known;
            }
            visited.push(scope);
            if let Some(here) = config.direct(scope, name).last() {
                break Ok(Some(here));
            }
            if self.unresolved(scope) {
                break Err(Unresolved);
            }
            match scope {
                Some(id) => scope = config.get(id).parent,
                None => break Ok(None),
            }
        };
        let mut memo = self.plain.borrow_mut();
        for level in visited {
            memo.insert((level, name), found);
        }
        found
    }

    /// [`Config::has_unresolved_include`], remembered.
    pub fn unresolved(&self, block: Option<DirId>) -> bool {
        if let Some(&known) = self.unresolved.borrow().get(&block) {
            return known;
        }
        let answer = self.config.has_unresolved_include(block);
        self.unresolved.borrow_mut().insert(block, answer);
        answer
    }

    /// Whether the flag directive `name` in effect in `block` is `on`.
    pub fn on(&self, block: DirId, name: &'static str) -> bool {
        self.effective(Some(block), name)
            .ok()
            .flatten()
            .and_then(|d| self.config.get(d).arg(0).and_then(flag))
            .unwrap_or(false)
    }

    /// The directives named `name` in `block` and every enclosing level, innermost first
    /// (for directives that several levels add up, like `more_set_headers`).
    pub fn chain(&self, block: Option<DirId>, name: &'static str) -> Rc<[DirId]> {
        let config = self.config;
        // the levels not yet known, innermost first
        let mut pending = Vec::new();
        let mut scope = block;
        let mut outer: Rc<[DirId]> = loop {
            if let Some(known) = self.chains.borrow().get(&(scope, name)) {
                break known.clone();
            }
            pending.push(scope);
            match scope {
                Some(id) => scope = config.get(id).parent,
                None => break Rc::from(Vec::new()),
            }
        };
        for level in pending.into_iter().rev() {
            let mut here: Vec<DirId> = config.direct(level, name).collect();
            here.extend(outer.iter().copied());
            outer = Rc::from(here);
            self.chains
                .borrow_mut()
                .insert((level, name), outer.clone());
        }
        outer
    }

    /// [`Config::effective_array`], remembered per level that defines none of its own.
    pub fn effective_array(
        &self,
        block: Option<DirId>,
        name: &'static str,
    ) -> Result<Inherited, Unresolved> {
        let config = self.config;
        if let Some(known) = self.arrays.borrow().get(&(block, name)) {
            return known.clone();
        }
        let defines = config.direct(block, name).next().is_some();
        let result = match block {
            // `add_header_inherit off` keeps the parent's set away even from a level without one
            Some(id)
                if !defines
                    && !config.has_unresolved_include(block)
                    && config.array_inheritance(block, name) != Inheritance::Off =>
            {
                self.effective_array(config.get(id).parent, name)
            }
            _ => config.effective_array(block, name),
        };
        self.arrays
            .borrow_mut()
            .insert((block, name), result.clone());
        result
    }
}

#[cfg(test)]
mod tests {
    use std::path::Path;

    use super::*;
    use crate::nginx::build;
    use crate::source::MemoryLoader;
    use crate::syntax::nginx_tree;

    #[test]
    fn lookups_agree_with_the_model() {
        let text = "server_tokens off;\nadd_header A 1;\nserver { location / { server_tokens on; add_header B 2; location /x { } } }\nserver { include /missing.conf; location / { } }\nserver { add_header_inherit off; location / { } }\nserver { add_header C 3; location / { add_header_inherit merge; add_header D 4; location /y { } } }\n";
        let tree = nginx_tree(text);
        let config = build(
            Path::new("/srv/site/sites-available/a"),
            text,
            &tree,
            &MemoryLoader::default(),
        );
        let lookup = Lookup::new(&config);
        let blocks: Vec<Option<DirId>> = std::iter::once(None)
            .chain(
                config
                    .walk()
                    .filter(|&id| config.get(id).body.is_some())
                    .map(Some),
            )
            .collect();
        // twice: computed, then remembered
        for _ in 0..2 {
            for &b in &blocks {
                assert_eq!(
                    lookup.effective(b, "server_tokens"),
                    config.effective(b, "server_tokens")
                );
                assert_eq!(
                    lookup.effective_array(b, "add_header"),
                    config.effective_array(b, "add_header")
                );
                let all: Vec<DirId> = config
                    .scope_chain(b)
                    .into_iter()
                    .flat_map(|scope| config.direct(scope, "add_header"))
                    .collect();
                assert_eq!(*lookup.chain(b, "add_header"), *all);
                assert_eq!(
                    lookup.effective_array(b, "proxy_set_header"),
                    config.effective_array(b, "proxy_set_header")
                );
            }
        }
    }

    #[test]
    fn blocks_with_a_proxy_pass_below_them() {
        let text = "server {\n  location / { location /x { } }\n  location /y { if ($a) { proxy_pass http://b; } }\n}\n";
        let tree = nginx_tree(text);
        let c = build(
            Path::new("/srv/site/sites-available/app"),
            text,
            &tree,
            &MemoryLoader::default(),
        );
        let lookup = Lookup::new(&c);
        let proxying: Vec<&str> = c
            .walk()
            .filter(|&i| lookup.proxies(i))
            .map(|i| c.get(i).name())
            .collect();
        assert_eq!(proxying, ["server", "location", "if", "proxy_pass"]);
    }
}
