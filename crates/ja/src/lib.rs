//! Japanese normalization (to be written).
