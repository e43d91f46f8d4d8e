//! The registered families. One file each; add yours to [`all`].

/// Every family, in a stable order.
pub fn all() -> Vec<Box<dyn crate::Family>> {
    vec![]
}
