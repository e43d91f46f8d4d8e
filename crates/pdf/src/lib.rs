//! PDF documents → text pages, with poppler's `pdftotext` (Debian `poppler-utils`) run
//! as a bounded subprocess: the PDF goes in on stdin, text comes out on stdout, and the
//! run is killed (with its whole process group) when it passes the timeout or the output
//! cap. Owns only the subprocess and the classification of what went wrong; what the
//! text means is `mynawatch-extract`'s business (`mynawatch_extract::pdf`), which stays
//! pure.
//!
//! Pages are kept apart (`pdftotext` ends every page with a form feed), so every row
//! read from the text can point at `page:N`. Two reading orders are produced because
//! they differ on real documents: `-layout` keeps columns in place (tables), `-raw`
//! keeps the content-stream order (prose, where `-layout` would interleave columns).
//!
//! Every failure is an error with its cause, never an empty success: not a PDF, a
//! truncated file (no `%%EOF` trailer), an encrypted file that needs a password, a
//! damaged file poppler cannot read, a scan without a text layer, the tool missing
//! (with the package that provides it), a timeout, output over the cap.
#![deny(missing_docs)]

use std::io::{Read, Write};
use std::os::unix::process::CommandExt;
use std::path::PathBuf;
use std::process::{Command, Stdio};
use std::sync::mpsc;
use std::thread;
use std::time::{Duration, Instant};

use thiserror::Error;

/// How to run the tools.
#[derive(Debug, Clone)]
pub struct PdfOptions {
    /// The `pdftotext` program (a path or a name looked up in `PATH`).
    pub program: PathBuf,
    /// The `pdfinfo` program, for link annotations (`pdfinfo -url`).
    pub pdfinfo_program: PathBuf,
    /// Wall-clock limit for each subprocess run.
    pub timeout: Duration,
    /// Largest text output accepted from one run, in bytes.
    pub max_output_bytes: usize,
    /// Reading order of [`PdfText::prose`].
    pub prose_order: ReadingOrder,
    /// Also produce [`PdfText::layout`] (a second `pdftotext -layout` run).
    pub layout: bool,
    /// Also read link annotations (`pdfinfo -url`); a failure there only leaves
    /// [`PdfText::links`] empty, it never fails the document.
    pub links: bool,
}

impl Default for PdfOptions {
    fn default() -> Self {
        PdfOptions {
            program: PathBuf::from("pdftotext"),
            pdfinfo_program: PathBuf::from("pdfinfo"),
            timeout: Duration::from_secs(30),
            max_output_bytes: 32 * 1024 * 1024,
            prose_order: ReadingOrder::Raw,
            layout: true,
            links: true,
        }
    }
}

/// A `pdftotext` reading order.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ReadingOrder {
    /// `-layout`: characters placed by position; columns of a table stay aligned.
    Layout,
    /// `-raw`: content-stream order; prose lines as the author wrote them.
    Raw,
    /// No flag: poppler's own reading-order guess (paragraph blocks).
    Reading,
}

impl ReadingOrder {
    fn flag(self) -> Option<&'static str> {
        match self {
            ReadingOrder::Layout => Some("-layout"),
            ReadingOrder::Raw => Some("-raw"),
            ReadingOrder::Reading => None,
        }
    }
}

/// A link annotation (`pdfinfo -url`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PdfLink {
    /// Page number, from 1.
    pub page: usize,
    /// The target URL.
    pub url: String,
}

/// The text of a PDF, one string per page (page `N` is index `N - 1`).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PdfText {
    /// Pages in [`PdfOptions::prose_order`].
    pub prose: Vec<String>,
    /// Pages in `-layout` order (empty when [`PdfOptions::layout`] is off).
    pub layout: Vec<String>,
    /// Link annotations (empty when [`PdfOptions::links`] is off or none exist).
    pub links: Vec<PdfLink>,
}

impl PdfText {
    /// Number of pages.
    pub fn page_count(&self) -> usize {
        self.prose.len().max(self.layout.len())
    }
}

/// Why a PDF gave no text.
#[derive(Debug, Error)]
#[non_exhaustive]
pub enum PdfError {
    /// The bytes do not start with `%PDF-` (an HTML error page saved as `.pdf`).
    #[error("not a PDF (no %PDF- header in the first 1024 bytes; starts with {0:?})")]
    NotPdf(String),
    /// No `%%EOF` trailer near the end: the download was cut off.
    #[error("truncated PDF: no %%EOF trailer in the last 2048 of {0} bytes (download cut off?)")]
    Truncated(usize),
    /// The document needs a password to open.
    #[error("encrypted PDF: a password is needed to read its text ({0})")]
    Encrypted(String),
    /// poppler could not read the document.
    #[error("damaged PDF: pdftotext failed ({0})")]
    Damaged(String),
    /// The pages have no text layer (a scanned image): text needs OCR, which is not done here.
    #[error("no text layer in any of {pages} page(s): a scanned image PDF (needs OCR)")]
    NoTextLayer {
        /// Pages in the document.
        pages: usize,
    },
    /// The program is not installed.
    #[error("`{program}` not found: install poppler's command-line tools (Debian/Ubuntu: apt-get install poppler-utils)")]
    ToolMissing {
        /// The program that was not found.
        program: String,
    },
    /// The run passed the timeout and was killed.
    #[error("`{program}` did not finish within {seconds:.1} s and was killed")]
    Timeout {
        /// The program.
        program: String,
        /// The limit.
        seconds: f64,
    },
    /// The run produced more text than the cap and was killed.
    #[error("`{program}` produced more than {limit} bytes of text and was killed")]
    OutputTooLarge {
        /// The program.
        program: String,
        /// The cap in bytes.
        limit: usize,
    },
    /// Starting or talking to the subprocess failed.
    #[error("`{program}`: {source}")]
    Io {
        /// The program.
        program: String,
        /// The error.
        source: std::io::Error,
    },
}

/// The text of `bytes`, page by page, in the reading orders `opts` asks for.
///
/// Checks the bytes first (header, `%%EOF` trailer), then runs `pdftotext` (prose order,
/// then `-layout` when asked), then `pdfinfo -url` when asked. A document whose pages are
/// all blank in every order is [`PdfError::NoTextLayer`].
pub fn text_pages(bytes: &[u8], opts: &PdfOptions) -> Result<PdfText, PdfError> {
    check_bytes(bytes)?;
    let prose = run_pdftotext(bytes, opts.prose_order, opts)?;
    let layout = if opts.layout {
        run_pdftotext(bytes, ReadingOrder::Layout, opts)?
    } else {
        Vec::new()
    };
    let blank = |pages: &[String]| pages.iter().all(|p| p.trim().is_empty());
    if blank(&prose) && blank(&layout) {
        return Err(PdfError::NoTextLayer {
            pages: prose.len().max(layout.len()),
        });
    }
    let links = if opts.links {
        link_annotations(bytes, opts).unwrap_or_default()
    } else {
        Vec::new()
    };
    Ok(PdfText {
        prose,
        layout,
        links,
    })
}

/// The cheap checks before any subprocess: a `%PDF-` header and a `%%EOF` trailer.
pub fn check_bytes(bytes: &[u8]) -> Result<(), PdfError> {
    let head = &bytes[..bytes.len().min(1024)];
    if !head.windows(5).any(|w| w == b"%PDF-") {
        let start: String = String::from_utf8_lossy(&bytes[..bytes.len().min(40)])
            .chars()
            .filter(|c| !c.is_control())
            .collect();
        return Err(PdfError::NotPdf(start));
    }
    let tail = &bytes[bytes.len().saturating_sub(2048)..];
    if !tail.windows(5).any(|w| w == b"%%EOF") {
        return Err(PdfError::Truncated(bytes.len()));
    }
    Ok(())
}

/// One `pdftotext` run in `order`: the pages of its output (split at form feeds).
pub fn run_pdftotext(
    bytes: &[u8],
    order: ReadingOrder,
    opts: &PdfOptions,
) -> Result<Vec<String>, PdfError> {
    let mut args: Vec<&str> = vec!["-enc", "UTF-8", "-eol", "unix"];
    args.extend(order.flag());
    args.extend(["-", "-"]);
    let out = run_bounded(&opts.program, &args, bytes, opts)?;
    if !out.success {
        return Err(classify_failure(&out.stderr));
    }
    Ok(split_pages(&String::from_utf8_lossy(&out.stdout)))
}

/// Split `pdftotext` output into pages: every page ends with a form feed.
pub fn split_pages(text: &str) -> Vec<String> {
    let mut pages: Vec<String> = text.split('\u{c}').map(str::to_string).collect();
    // The text after the last form feed is not a page (empty, or a stray newline).
    if pages.len() > 1 && pages.last().is_some_and(|p| p.trim().is_empty()) {
        pages.pop();
    }
    pages
}

fn classify_failure(stderr: &str) -> PdfError {
    let summary: String = stderr
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .take(3)
        .collect::<Vec<_>>()
        .join("; ");
    if stderr.contains("Incorrect password") || stderr.contains("encrypted") {
        PdfError::Encrypted(summary)
    } else if summary.is_empty() {
        PdfError::Damaged("no message".into())
    } else {
        PdfError::Damaged(summary)
    }
}

/// Link annotations of the document (`pdfinfo -url`: `Page  Type  URL` rows).
pub fn link_annotations(bytes: &[u8], opts: &PdfOptions) -> Result<Vec<PdfLink>, PdfError> {
    let out = run_bounded(&opts.pdfinfo_program, &["-url", "-"], bytes, opts)?;
    if !out.success {
        return Err(classify_failure(&out.stderr));
    }
    Ok(String::from_utf8_lossy(&out.stdout)
        .lines()
        .filter_map(|l| {
            let mut parts = l.split_whitespace();
            let page = parts.next()?.parse().ok()?;
            let _kind = parts.next()?;
            let url = parts.next()?.to_string();
            Some(PdfLink { page, url })
        })
        .collect())
}

struct Output {
    success: bool,
    stdout: Vec<u8>,
    stderr: String,
}

/// Run `program args` with `input` on stdin, within the timeout and output cap.
fn run_bounded(
    program: &std::path::Path,
    args: &[&str],
    input: &[u8],
    opts: &PdfOptions,
) -> Result<Output, PdfError> {
    let name = program.display().to_string();
    let io = |source| PdfError::Io {
        program: name.clone(),
        source,
    };
    let mut child = Command::new(program)
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        // Own process group: a timeout kills the tool and anything it started.
        .process_group(0)
        .spawn()
        .map_err(|e| match e.kind() {
            std::io::ErrorKind::NotFound => PdfError::ToolMissing {
                program: name.clone(),
            },
            _ => io(e),
        })?;
    let pid = child.id() as libc::pid_t;
    let kill_group = || {
        // SAFETY: kill(2) on our own child's process group; no memory is touched.
        unsafe {
            libc::kill(-pid, libc::SIGKILL);
        }
    };

    let mut stdin = child.stdin.take().expect("stdin piped");
    let data = input.to_vec();
    // The tool may stop reading early (a broken file): a failed write is not our error.
    let writer = thread::spawn(move || {
        let _ = stdin.write_all(&data);
    });
    let (tx, rx) = mpsc::channel::<Result<Vec<u8>, ()>>();
    let mut stdout = child.stdout.take().expect("stdout piped");
    let cap = opts.max_output_bytes;
    thread::spawn(move || {
        let mut buf = Vec::new();
        let mut limited = (&mut stdout).take(cap as u64 + 1);
        let r = limited.read_to_end(&mut buf);
        let _ = tx.send(match r {
            Ok(_) if buf.len() > cap => Err(()),
            _ => Ok(buf),
        });
    });
    let mut stderr = child.stderr.take().expect("stderr piped");
    let (etx, erx) = mpsc::channel::<String>();
    thread::spawn(move || {
        // Keep the first 64 KiB; drain the rest so a chatty tool never blocks on a full pipe.
        let mut buf = Vec::new();
        let _ = (&mut stderr).take(64 * 1024).read_to_end(&mut buf);
        let _ = std::io::copy(&mut stderr, &mut std::io::sink());
        let _ = etx.send(String::from_utf8_lossy(&buf).into_owned());
    });

    let deadline = Instant::now() + opts.timeout;
    let mut stdout_result: Option<Result<Vec<u8>, ()>> = None;
    let status = loop {
        if stdout_result.is_none() {
            match rx.try_recv() {
                Ok(r) => stdout_result = Some(r),
                Err(mpsc::TryRecvError::Disconnected) => stdout_result = Some(Ok(Vec::new())),
                Err(mpsc::TryRecvError::Empty) => {}
            }
        }
        if let Some(Err(())) = stdout_result {
            kill_group();
            let _ = child.wait();
            return Err(PdfError::OutputTooLarge {
                program: name,
                limit: cap,
            });
        }
        if let Some(st) = child.try_wait().map_err(io)? {
            break st;
        }
        if Instant::now() >= deadline {
            kill_group();
            let _ = child.wait();
            return Err(PdfError::Timeout {
                program: name,
                seconds: opts.timeout.as_secs_f64(),
            });
        }
        thread::sleep(Duration::from_millis(5));
    };
    // The tool exited: end anything it started that still holds the output pipe; what
    // was written stays readable.
    kill_group();
    let rest = deadline.saturating_duration_since(Instant::now());
    let stdout = match stdout_result {
        Some(r) => r,
        None => rx.recv_timeout(rest).unwrap_or(Err(())),
    };
    let _ = writer.join();
    let stderr = erx
        .recv_timeout(Duration::from_millis(500))
        .unwrap_or_default();
    match stdout {
        Ok(stdout) => Ok(Output {
            success: status.success(),
            stdout,
            stderr,
        }),
        Err(()) if Instant::now() >= deadline => Err(PdfError::Timeout {
            program: name,
            seconds: opts.timeout.as_secs_f64(),
        }),
        Err(()) => Err(PdfError::OutputTooLarge {
            program: name,
            limit: cap,
        }),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn split_pages_drops_only_the_text_after_the_last_form_feed() {
        assert_eq!(split_pages("a\n\u{c}b\n\u{c}"), vec!["a\n", "b\n"]);
        assert_eq!(split_pages("a\n\u{c}\u{c}"), vec!["a\n", ""]);
        assert_eq!(split_pages(""), vec![""]);
    }

    #[test]
    fn check_bytes_names_missing_header_and_trailer() {
        assert!(matches!(
            check_bytes(b"<!DOCTYPE html><title>404</title>"),
            Err(PdfError::NotPdf(s)) if s.starts_with("<!DOCTYPE")
        ));
        assert!(matches!(
            check_bytes(b"%PDF-1.7\n1 0 obj"),
            Err(PdfError::Truncated(16))
        ));
        assert!(check_bytes(b"%PDF-1.7\n...\n%%EOF\r\n").is_ok());
    }

    #[test]
    fn encrypted_and_damaged_failures_are_told_apart() {
        assert!(matches!(
            classify_failure("Command Line Error: Incorrect password\n"),
            PdfError::Encrypted(_)
        ));
        assert!(matches!(
            classify_failure("Syntax Error: Couldn't find trailer dictionary\n"),
            PdfError::Damaged(m) if m.contains("trailer")
        ));
    }
}
