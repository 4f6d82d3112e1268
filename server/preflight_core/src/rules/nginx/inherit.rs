//! Facts inherited down the block tree, answered once per block: rules that ask about every
//! directive of a config 10,000 levels deep must not walk up the whole chain each time.

use std::collections::HashMap;

use crate::nginx::model::{Config, DirId, Unresolved};

/// A fact of each block that the nearest enclosing level deciding it determines (`decide`
/// returns `Some` there), else `outermost`.
pub struct Inherited<'c, T> {
    config: &'c Config,
    decide: Decide<'c, T>,
    outermost: T,
    known: HashMap<Option<DirId>, T>,
}

/// What a level decides, if anything.
type Decide<'c, T> = Box<dyn Fn(&Config, Option<DirId>) -> Option<T> + 'c>;

/// What [`Config::effective`] answers.
pub type Effective = Result<Option<DirId>, Unresolved>;

impl<'c, T: Clone> Inherited<'c, T> {
    pub fn new(
        config: &'c Config,
        outermost: T,
        decide: impl Fn(&Config, Option<DirId>) -> Option<T> + 'c,
    ) -> Self {
        Self {
            config,
            decide: Box::new(decide),
            outermost,
            known: HashMap::new(),
        }
    }

    /// The fact in effect in `block`.
    pub fn at(&mut self, block: Option<DirId>) -> T {
        let mut walked = Vec::new();
        let mut answer = None;
        for scope in self.config.scopes(block) {
            if let Some(known) = self.known.get(&scope) {
                answer = Some(known.clone());
                break;
            }
            walked.push(scope);
            if let Some(decided) = (self.decide)(self.config, scope) {
                answer = Some(decided);
                break;
            }
        }
        let answer = answer.unwrap_or_else(|| self.outermost.clone());
        for scope in walked {
            self.known.insert(scope, answer.clone());
        }
        answer
    }
}

/// [`Config::effective`] for one directive name, memoised.
pub fn effective<'c>(config: &'c Config, name: &'static str) -> Inherited<'c, Effective> {
    Inherited::new(config, Ok(None), move |config: &Config, scope| {
        if let Some(found) = config.direct(scope, name).last() {
            Some(Ok(Some(found)))
        } else if config.has_unresolved_include(scope) {
            Some(Err(Unresolved))
        } else {
            None
        }
    })
}

#[cfg(test)]
mod tests {
    use std::path::Path;

    use super::*;
    use crate::nginx::build;
    use crate::source::MemoryLoader;
    use crate::syntax::{nginx_parser, parse_nginx};

    #[test]
    fn memoised_answers_match_the_model() {
        let text = "open_file_cache max=10;\nserver {\n  location /a/ { open_file_cache off; location /a/b/ { } }\n  location /c/ { include /nowhere/x.conf; location /c/d/ { } }\n  location /e/ { }\n}\n";
        let tree = parse_nginx(&mut nginx_parser(), text, None);
        let c = build(
            Path::new("/srv/site.conf"),
            text,
            &tree,
            &MemoryLoader::default(),
        );
        let mut memo = effective(&c, "open_file_cache");
        let blocks: Vec<Option<DirId>> = std::iter::once(None)
            .chain(c.walk().filter(|&d| c.get(d).body.is_some()).map(Some))
            .collect();
        // twice: answers from the memo agree too
        for _ in 0..2 {
            for &block in blocks.iter().rev() {
                assert_eq!(memo.at(block), c.effective(block, "open_file_cache"));
            }
        }
    }
}
