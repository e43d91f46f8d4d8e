//! Progress on stderr: a bar on a terminal, nothing extra otherwise (log lines carry it).

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use std::io::IsTerminal;

/// A bar over `len` sources, hidden unless `enabled` and stderr is a terminal.
pub fn bar(len: u64, enabled: bool) -> ProgressBar {
    if !enabled || !std::io::stderr().is_terminal() {
        return ProgressBar::hidden();
    }
    let bar = ProgressBar::with_draw_target(Some(len), ProgressDrawTarget::stderr());
    if let Ok(style) =
        ProgressStyle::with_template("{spinner} [{bar:30}] {pos}/{len} sources {msg}")
    {
        bar.set_style(style.progress_chars("=> "));
    }
    bar
}
