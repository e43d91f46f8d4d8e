//! The light, read-only document tree the HTML layer walks: elements with their names and
//! attributes, text and placeholders for comments, linked as an arena. Both parsers build
//! it: [`super::fast`] straight from the bytes of a well-formed page (borrowing its text),
//! and [`from_html5ever`] from html5ever's tree for every other page.

use std::borrow::Cow;

use ego_tree::iter::Edge;

/// Index of a node in its [`Dom`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct NodeId(u32);

/// What a node is.
#[derive(Debug)]
pub(crate) enum Data<'a> {
    Document,
    Element(Element<'a>),
    Text(Cow<'a, str>),
    /// A comment or processing instruction: no text, but it separates text nodes.
    Other,
}

/// An element: lower-case name and its attributes (the first of duplicates).
#[derive(Debug)]
pub(crate) struct Element<'a> {
    pub name: Cow<'a, str>,
    pub attrs: Vec<(Cow<'a, str>, Cow<'a, str>)>,
}

impl Element<'_> {
    pub fn name(&self) -> &str {
        &self.name
    }

    pub fn attr(&self, name: &str) -> Option<&str> {
        self.attrs
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.as_ref())
    }

    /// True when the `class` attribute holds `class` as one of its words.
    pub fn has_class(&self, class: &str) -> bool {
        self.attr("class")
            .is_some_and(|c| c.split_ascii_whitespace().any(|w| w == class))
    }
}

#[derive(Debug)]
struct Node<'a> {
    parent: Option<NodeId>,
    first_child: Option<NodeId>,
    last_child: Option<NodeId>,
    prev_sibling: Option<NodeId>,
    next_sibling: Option<NodeId>,
    data: Data<'a>,
}

/// A document: node 0 is the document node.
#[derive(Debug)]
pub(crate) struct Dom<'a> {
    nodes: Vec<Node<'a>>,
}

impl<'a> Dom<'a> {
    pub fn new() -> Self {
        Self::with_capacity(1)
    }

    /// An empty document with room for `nodes` nodes.
    pub fn with_capacity(nodes: usize) -> Self {
        let mut all = Vec::with_capacity(nodes.max(1));
        all.push(Node {
            parent: None,
            first_child: None,
            last_child: None,
            prev_sibling: None,
            next_sibling: None,
            data: Data::Document,
        });
        Dom { nodes: all }
    }

    pub const DOCUMENT: NodeId = NodeId(0);

    fn node(&self, id: NodeId) -> &Node<'a> {
        &self.nodes[id.0 as usize]
    }

    /// Append `data` as the last child of `parent`.
    pub fn append(&mut self, parent: NodeId, data: Data<'a>) -> NodeId {
        let id = NodeId(u32::try_from(self.nodes.len()).expect("fewer than 2^32 nodes"));
        let prev = self.node(parent).last_child;
        self.nodes.push(Node {
            parent: Some(parent),
            first_child: None,
            last_child: None,
            prev_sibling: prev,
            next_sibling: None,
            data,
        });
        match prev {
            Some(p) => self.nodes[p.0 as usize].next_sibling = Some(id),
            None => self.nodes[parent.0 as usize].first_child = Some(id),
        }
        self.nodes[parent.0 as usize].last_child = Some(id);
        id
    }

    /// Append text to `parent`, joined to its last child when that is text (as html5ever does).
    pub fn append_text(&mut self, parent: NodeId, text: Cow<'a, str>) {
        if text.is_empty() {
            return;
        }
        if let Some(last) = self.node(parent).last_child {
            if let Data::Text(t) = &mut self.nodes[last.0 as usize].data {
                t.to_mut().push_str(&text);
                return;
            }
        }
        self.append(parent, Data::Text(text));
    }

    pub fn data(&self, id: NodeId) -> &Data<'a> {
        &self.node(id).data
    }

    pub fn element(&self, id: NodeId) -> Option<&Element<'a>> {
        match &self.node(id).data {
            Data::Element(e) => Some(e),
            _ => None,
        }
    }

    pub fn parent(&self, id: NodeId) -> Option<NodeId> {
        self.node(id).parent
    }

    pub fn next_sibling(&self, id: NodeId) -> Option<NodeId> {
        self.node(id).next_sibling
    }

    pub fn prev_sibling(&self, id: NodeId) -> Option<NodeId> {
        self.node(id).prev_sibling
    }

    pub fn children(&self, id: NodeId) -> impl Iterator<Item = NodeId> + '_ {
        std::iter::successors(self.node(id).first_child, |&c| self.node(c).next_sibling)
    }

    /// `id` and everything under it, in document order.
    pub fn descendants(&self, id: NodeId) -> impl Iterator<Item = NodeId> + '_ {
        let mut next = Some(id);
        std::iter::from_fn(move || {
            let cur = next?;
            next = self.node(cur).first_child.or_else(|| {
                let mut up = Some(cur);
                while let Some(u) = up {
                    if u == id {
                        return None;
                    }
                    if let Some(s) = self.node(u).next_sibling {
                        return Some(s);
                    }
                    up = self.node(u).parent;
                }
                None
            });
            Some(cur)
        })
    }

    /// Every text under `id`, in document order.
    pub fn texts(&self, id: NodeId) -> impl Iterator<Item = &str> + '_ {
        self.descendants(id)
            .filter_map(|n| match &self.node(n).data {
                Data::Text(t) => Some(t.as_ref()),
                _ => None,
            })
    }

    /// The first element of the document (`<html>`).
    pub fn root_element(&self) -> NodeId {
        self.children(Self::DOCUMENT)
            .find(|&c| self.element(c).is_some())
            .unwrap_or(Self::DOCUMENT)
    }

    /// The first element in document order that `pred` accepts.
    pub fn find(&self, pred: impl Fn(&Element<'a>) -> bool) -> Option<NodeId> {
        self.descendants(Self::DOCUMENT)
            .find(|&n| self.element(n).is_some_and(&pred))
    }
}

/// How deep elements nest in a [`Dom`]. Deeper elements (only a hostile page nests 512
/// deep; Blink's parser has the same cap) are placed beside the deepest allowed one, so every
/// walk of the tree is bounded and no page can exhaust the stack.
pub(crate) const MAX_DEPTH: usize = 512;

/// The same tree from html5ever (through scraper), for pages the fast parser declines.
pub(crate) fn from_html5ever(html: &str) -> Dom<'static> {
    let doc = scraper::Html::parse_document(html);
    let mut dom = Dom::new();
    // Open elements of the copy; past MAX_DEPTH the deepest one is pushed again.
    let mut parents = vec![Dom::DOCUMENT];
    for edge in doc.tree.root().traverse().skip(1) {
        let parent = *parents.last().expect("the document stays open");
        match edge {
            Edge::Open(node) => match node.value() {
                scraper::Node::Element(e) => {
                    let attrs = e
                        .attrs()
                        .map(|(n, v)| (Cow::Owned(n.to_string()), Cow::Owned(v.to_string())))
                        .collect();
                    let id = dom.append(
                        parent,
                        Data::Element(Element {
                            name: Cow::Owned(e.name().to_string()),
                            attrs,
                        }),
                    );
                    parents.push(if parents.len() > MAX_DEPTH {
                        parent
                    } else {
                        id
                    });
                }
                scraper::Node::Text(t) => {
                    dom.append(parent, Data::Text(Cow::Owned(t.to_string())));
                }
                scraper::Node::Comment(_) | scraper::Node::ProcessingInstruction(_) => {
                    dom.append(parent, Data::Other);
                }
                _ => {}
            },
            Edge::Close(node) => {
                if node.value().is_element() {
                    parents.pop();
                }
            }
        }
    }
    dom
}
