//! tree-sitter-python's field ids, looked up once: `child_by_field_name` compares the name with
//! every field of the grammar on each call, and the evaluator asks for fields on every node.

use std::num::NonZeroU16;
use std::sync::OnceLock;

use tree_sitter::Node;

use crate::syntax::python_language;

pub struct Fields {
    pub alias: NonZeroU16,
    pub alternative: NonZeroU16,
    pub argument: NonZeroU16,
    pub arguments: NonZeroU16,
    pub attribute: NonZeroU16,
    pub body: NonZeroU16,
    pub condition: NonZeroU16,
    pub consequence: NonZeroU16,
    pub definition: NonZeroU16,
    pub expression: NonZeroU16,
    pub function: NonZeroU16,
    pub key: NonZeroU16,
    pub left: NonZeroU16,
    pub module_name: NonZeroU16,
    pub name: NonZeroU16,
    pub object: NonZeroU16,
    pub operator: NonZeroU16,
    pub parameters: NonZeroU16,
    pub right: NonZeroU16,
    pub subscript: NonZeroU16,
    pub value: NonZeroU16,
}

pub fn fields() -> &'static Fields {
    static FIELDS: OnceLock<Fields> = OnceLock::new();
    FIELDS.get_or_init(|| {
        let language = python_language();
        let id = |name: &str| {
            language
                .field_id_for_name(name)
                .unwrap_or_else(|| panic!("tree-sitter-python has the field {name}"))
        };
        Fields {
            alias: id("alias"),
            alternative: id("alternative"),
            argument: id("argument"),
            arguments: id("arguments"),
            attribute: id("attribute"),
            body: id("body"),
            condition: id("condition"),
            consequence: id("consequence"),
            definition: id("definition"),
            expression: id("expression"),
            function: id("function"),
            key: id("key"),
            left: id("left"),
            module_name: id("module_name"),
            name: id("name"),
            object: id("object"),
            operator: id("operator"),
            parameters: id("parameters"),
            right: id("right"),
            subscript: id("subscript"),
            value: id("value"),
        }
    })
}

/// The child in a field (the fast form of `child_by_field_name`).
pub fn field<'t>(node: Node<'t>, id: NonZeroU16) -> Option<Node<'t>> {
    node.child_by_field_id(id.get())
}

/// Node kinds by id, read once: `Node::kind` converts the grammar's C string (with a UTF-8
/// check) on every call, and the evaluator asks every node for its kind.
pub trait KindExt {
    fn k(&self) -> &'static str;
}

impl KindExt for Node<'_> {
    fn k(&self) -> &'static str {
        static KINDS: OnceLock<Vec<&'static str>> = OnceLock::new();
        let kinds = KINDS.get_or_init(|| {
            let language = python_language();
            (0..language.node_kind_count() as u16)
                .map(|id| language.node_kind_for_id(id).unwrap_or(""))
                .collect()
        });
        kinds
            .get(self.kind_id() as usize)
            .copied()
            .unwrap_or_else(|| self.kind())
    }
}
