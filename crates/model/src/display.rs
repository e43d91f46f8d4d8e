//! How numbers read in the sentences mynawatch writes (change summaries, alert digests,
//! run summaries): one formatter, so a count reads the same everywhere.

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
    use super::group_thousands;

    #[test]
    fn thousands_are_grouped() {
        assert_eq!(group_thousands(5223), "5,223");
        assert_eq!(group_thousands(261), "261");
        assert_eq!(group_thousands(1_741_000), "1,741,000");
        assert_eq!(group_thousands(-1234), "-1,234");
    }
}
