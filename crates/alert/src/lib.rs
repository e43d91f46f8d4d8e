//! Alerts (to be written).
