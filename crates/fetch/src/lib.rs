//! HTTP fetcher, snapshot store, mirror (to be written).
