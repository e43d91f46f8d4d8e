//! How numbers and errors read in the sentences mynawatch writes (change summaries, alert
//! digests, run summaries, failure messages): one formatter each, so a count or a cause
//! reads the same everywhere.

/// An error and every `source()` below it in one line, each said once: `error sending
/// request: connection refused` rather than the outermost message alone, which often
/// hides the cause (a dead server's "connection refused" is only found below it).
pub fn error_chain(e: &dyn std::error::Error) -> String {
    let mut out = e.to_string();
    let mut cur = e.source();
    while let Some(c) = cur {
        let text = c.to_string();
        if !out.contains(&text) {
            out.push_str(": ");
            out.push_str(&text);
        }
        cur = c.source();
    }
    out
}

/// `5223` → `5,223`, `-1234` → `-1,234`.
pub fn group_thousands(n: i64) -> String {
    let s = n.unsigned_abs().to_string();
    let mut out = String::new();
    for (i, ch) in s.chars().enumerate() {
        if i > 0 && (s.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(ch);
    }
    if n < 0 {
        format!("-{out}")
    } else {
        out
    }
}

#[cfg(test)]
mod tests {
    use super::{error_chain, group_thousands};

    #[test]
    fn the_cause_chain_is_printed_once_each() {
        let inner = std::io::Error::new(std::io::ErrorKind::ConnectionRefused, "refused");
        let outer = std::io::Error::other(inner);
        assert_eq!(error_chain(&outer), "refused");
        let outer = std::io::Error::other(format!("put failed: {}", "refused"));
        assert_eq!(error_chain(&outer), "put failed: refused");
    }

    #[test]
    fn thousands_are_grouped() {
        assert_eq!(group_thousands(5223), "5,223");
        assert_eq!(group_thousands(261), "261");
        assert_eq!(group_thousands(1_741_000), "1,741,000");
        assert_eq!(group_thousands(-1234), "-1,234");
    }
}
