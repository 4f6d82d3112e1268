//! Inheritance lookups for rules that ask about every server: [`Config::effective`] scans each
//! level's children, and a site file's top level may hold thousands of servers, so asking it
//! once per server is quadratic. `Lookup` remembers the answer of each level.

use std::cell::RefCell;
use std::collections::HashMap;
use std::rc::Rc;

use crate::nginx::model::{Config, DirId, Inheritance, Inherited, Unresolved};
use crate::nginx::values::flag;

type Found = Result<Option<DirId>, Unresolved>;
type Key = (Option<DirId>, &'static str);

pub struct Lookup<'a> {
    pub config: &'a Config,
    plain: RefCell<HashMap<Key, Found>>,
    arrays: RefCell<HashMap<Key, Result<Inherited, Unresolved>>>,
    chains: RefCell<HashMap<Key, Rc<[DirId]>>>,
    unresolved: RefCell<HashMap<Option<DirId>, bool>>,
}

impl<'a> Lookup<'a> {
    pub fn new(config: &'a Config) -> Self {
        Self {
            config,
            plain: RefCell::default(),
            arrays: RefCell::default(),
            chains: RefCell::default(),
            unresolved: RefCell::default(),
        }
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
            if config.has_unresolved_include(scope) {
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
    use crate::syntax::{nginx_parser, parse_nginx};

    #[test]
    fn lookups_agree_with_the_model() {
        let text = "server_tokens off;\nadd_header A 1;\nserver { location / { server_tokens on; add_header B 2; location /x { } } }\nserver { include /missing.conf; location / { } }\nserver { add_header_inherit off; location / { } }\nserver { add_header C 3; location / { add_header_inherit merge; add_header D 4; location /y { } } }\n";
        let tree = parse_nginx(&mut nginx_parser(), text, None);
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
            }
        }
    }
}
