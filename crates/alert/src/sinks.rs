//! Delivery: one attempt per sink per digest (webhooks retry within the call), with an
//! outbox for what could not be delivered. A webhook digest whose text is over the
//! sink's `max_text_chars` (Slack's 40,000 by default) goes as numbered parts, one POST
//! each, the change items (at most `max_items`) shared out among them; each part has its own idempotency key
//! (`<run_id>/<route>/2of3`), so a receiver that drops repeats keeps every part. Outbox entries are JSON files written
//! atomically and removed only after a successful delivery, so a digest arrives at
//! least once and, with a receiver that stays up, exactly once.

use std::path::{Path, PathBuf};
use std::time::Duration;

use chrono::{DateTime, Utc};
use hmac::{Hmac, Mac};
use mynawatch_model::{Change, ChangeKind};
use serde::{Deserialize, Serialize};
use sha2::Sha256;
use tracing::{info, warn};

use crate::{outbox_dir, AlertConfig, AlertError, AlertItem, Digest, SinkConfig};

/// What a delivery did.
#[derive(Debug, Default, Clone, PartialEq)]
pub struct DeliveryReport {
    /// (sink, route) delivered.
    pub delivered: Vec<(String, String)>,
    /// (sink, error) failed; the digest waits in the outbox.
    pub failed: Vec<(String, String)>,
}

impl DeliveryReport {
    /// Failures as sentences.
    pub fn errors(&self) -> Vec<String> {
        self.failed
            .iter()
            .map(|(s, e)| format!("sink `{s}`: {e}"))
            .collect()
    }
}

#[derive(Debug, Serialize, Deserialize)]
struct OutboxEntry {
    sink: String,
    digest: Digest,
}

/// Sends digests to the configured sinks.
pub struct Dispatcher {
    cfg: AlertConfig,
    outbox: PathBuf,
    http: reqwest::Client,
}

impl Dispatcher {
    /// A dispatcher whose outbox lives in `<state_dir>/outbox`.
    pub fn new(cfg: AlertConfig, state_dir: &Path) -> Result<Dispatcher, AlertError> {
        let outbox = outbox_dir(state_dir);
        std::fs::create_dir_all(&outbox).map_err(|source| AlertError::Outbox {
            path: outbox.clone(),
            source,
        })?;
        let http = reqwest::Client::builder()
            .user_agent(concat!("mynawatch/", env!("CARGO_PKG_VERSION")))
            .build()
            .map_err(|e| AlertError::Sink {
                sink: "http".into(),
                message: e.to_string(),
            })?;
        Ok(Dispatcher { cfg, outbox, http })
    }

    /// Deliver what waits in the outbox, then `digests`. Never fails as a whole.
    pub async fn deliver(&self, digests: Vec<Digest>) -> DeliveryReport {
        let mut report = DeliveryReport::default();
        for (path, entry) in self.pending() {
            match self.send(&entry.sink, &entry.digest).await {
                Ok(()) => {
                    let _ = std::fs::remove_file(&path);
                    info!(sink = %entry.sink, run_id = %entry.digest.run_id, "delivered a digest from the outbox");
                    report.delivered.push((entry.sink, entry.digest.route));
                }
                Err(e) => report
                    .failed
                    .push((entry.sink, format!("{e} (still in the outbox)"))),
            }
        }
        for d in digests {
            for sink in &d.sinks {
                match self.send(sink, &d).await {
                    Ok(()) => report.delivered.push((sink.clone(), d.route.clone())),
                    Err(e) => {
                        warn!(sink = %sink, route = %d.route, error = %e, "alert delivery failed; kept in the outbox");
                        if let Err(io) = self.park(sink, &d) {
                            warn!(error = %io, "could not write the alert outbox");
                        }
                        report.failed.push((sink.clone(), e.to_string()));
                    }
                }
            }
        }
        report
    }

    /// Deliver every digest waiting in the outbox (a run's own digests are put there
    /// before its commit, see [`crate::enqueue`]). Delivered entries are removed; the
    /// rest stay for the next run. Never fails as a whole.
    pub async fn deliver_pending(&self) -> DeliveryReport {
        self.deliver(Vec::new()).await
    }

    /// `mynawatch alerts test`: a sample alert, detected at `now`, straight to every
    /// configured sink.
    pub async fn send_test(&self, now: DateTime<Utc>) -> DeliveryReport {
        let change = Change {
            run_id: "test".into(),
            detected_at: now,
            source_id: "mynawatch_alert_test".into(),
            table: "figures".into(),
            entity_key: "test|card.holdings|000000".into(),
            field: "value".into(),
            old_value: Some("100".into()),
            new_value: Some("101".into()),
            kind: ChangeKind::Revised,
            summary: "card.holdings 全国 (test alert): 100 → 101 (+1.00%)".into(),
            url: "https://example.invalid/mynawatch-test".into(),
        };
        let items = vec![AlertItem {
            change,
            family: "test".into(),
            metric: Some("card.holdings".into()),
            baseline: None,
            figure: None,
        }];
        let text = crate::digest_text("test", "test", &items, self.cfg.language);
        let mut report = DeliveryReport::default();
        for sink in self.cfg.sinks.keys() {
            let d = Digest {
                route: "test".into(),
                run_id: "test".into(),
                sinks: vec![sink.clone()],
                items: items.clone(),
                text: text.clone(),
            };
            match self.send(sink, &d).await {
                Ok(()) => report.delivered.push((sink.clone(), "test".into())),
                Err(e) => report.failed.push((sink.clone(), e.to_string())),
            }
        }
        report
    }

    fn pending(&self) -> Vec<(PathBuf, OutboxEntry)> {
        let mut out: Vec<(PathBuf, OutboxEntry)> = std::fs::read_dir(&self.outbox)
            .into_iter()
            .flatten()
            .flatten()
            .map(|e| e.path())
            .filter(|p| p.extension().is_some_and(|e| e == "json"))
            .filter_map(|p| {
                let entry = serde_json::from_slice(&std::fs::read(&p).ok()?).ok()?;
                Some((p, entry))
            })
            .collect();
        out.sort_by(|a, b| a.0.cmp(&b.0));
        out
    }

    fn park(&self, sink: &str, d: &Digest) -> std::io::Result<()> {
        park(&self.outbox, sink, d)
    }

    async fn send(&self, sink: &str, d: &Digest) -> Result<(), AlertError> {
        let err = |message: String| AlertError::Sink {
            sink: sink.to_string(),
            message,
        };
        let cfg = self
            .cfg
            .sinks
            .get(sink)
            .ok_or_else(|| err("not configured".into()))?;
        match cfg {
            SinkConfig::Stdout => {
                print!("{}", d.text);
                Ok(())
            }
            SinkConfig::Jsonl { path } => {
                append_jsonl(path, d).map_err(|e| err(format!("{}: {e}", path.display())))
            }
            SinkConfig::Webhook {
                url,
                secret_env,
                timeout_ms,
                max_attempts,
                backoff_ms,
                max_text_chars,
                max_items,
            } => {
                let secret = secret_env
                    .as_ref()
                    .and_then(|v| std::env::var(v).ok())
                    .filter(|s| !s.is_empty());
                let parts = crate::split_text(&d.text, *max_text_chars);
                let n = parts.len();
                for (i, text) in parts.into_iter().enumerate() {
                    let (key, body) = webhook_part(d, i, n, text, *max_items);
                    let mut backoff = Duration::from_millis(*backoff_ms);
                    let mut last = String::new();
                    let mut sent = false;
                    for attempt in 1..=(*max_attempts).max(1) {
                        let mut req = self
                            .http
                            .post(url)
                            .timeout(Duration::from_millis(*timeout_ms))
                            .header("content-type", "application/json")
                            .header("Idempotency-Key", key.clone())
                            .body(body.clone());
                        if let Some(s) = &secret {
                            req = req.header("X-Mynawatch-Signature", signature(s, &body));
                        }
                        match req.send().await {
                            Ok(r) if r.status().is_success() => {
                                sent = true;
                                break;
                            }
                            Ok(r) if r.status().is_client_error() && r.status().as_u16() != 429 => {
                                return Err(err(format!("{url}: HTTP {}", r.status())));
                            }
                            Ok(r) => last = format!("{url}: HTTP {}", r.status()),
                            Err(e) => last = format!("{url}: {}", crate::error_chain(&e)),
                        }
                        if attempt < *max_attempts {
                            tokio::time::sleep(backoff).await;
                            backoff *= 2;
                        }
                    }
                    if !sent {
                        return Err(err(format!("{last} (after {max_attempts} tries)")));
                    }
                }
                Ok(())
            }
            SinkConfig::Smtp {
                host,
                port,
                starttls,
                from,
                to,
                username_env,
                password_env,
                subject_prefix,
            } => send_mail(
                host,
                *port,
                *starttls,
                from,
                to,
                username_env.as_deref(),
                password_env.as_deref(),
                subject_prefix,
                self.cfg.language,
                d,
            )
            .await
            .map_err(err),
        }
    }
}

/// `sha256=<hex HMAC-SHA256 of the exact body>`.
pub fn signature(secret: &str, body: &[u8]) -> String {
    let mut mac =
        Hmac::<Sha256>::new_from_slice(secret.as_bytes()).expect("HMAC takes any key length");
    mac.update(body);
    format!("sha256={}", hex::encode(mac.finalize().into_bytes()))
}

/// Part `i` of `n` of a webhook digest: its idempotency key and body. A digest in one
/// part keeps the key `<run_id>/<route>`; parts are `<run_id>/<route>/<i>of<n>`, and the
/// change items are shared out among them in order, so every item arrives once.
fn webhook_part(
    d: &Digest,
    i: usize,
    n: usize,
    text: String,
    max_items: usize,
) -> (String, Vec<u8>) {
    let key = if n == 1 {
        d.idempotency_key()
    } else {
        format!("{}/{}of{n}", d.idempotency_key(), i + 1)
    };
    let len = d.items.len().min(max_items);
    let items: Vec<&Change> = d.items[i * len / n..(i + 1) * len / n]
        .iter()
        .map(|i| &i.change)
        .collect();
    let body = serde_json::to_vec(&serde_json::json!({
        "text": text,
        "run_id": d.run_id,
        "route": d.route,
        "idempotency_key": key,
        "part": i + 1,
        "parts": n,
        "items": items,
        "items_total": d.items.len(),
        "items_omitted": d.items.len() - len,
    }))
    .expect("digest serializes");
    (key, body)
}

fn append_jsonl(path: &Path, d: &Digest) -> std::io::Result<()> {
    use std::io::Write;
    if let Some(parent) = path.parent().filter(|p| !p.as_os_str().is_empty()) {
        std::fs::create_dir_all(parent)?;
    }
    let mut f = std::fs::OpenOptions::new()
        .create(true)
        .append(true)
        .open(path)?;
    let mut buf = Vec::new();
    for item in &d.items {
        let mut v = serde_json::to_value(&item.change)?;
        if let serde_json::Value::Object(m) = &mut v {
            m.insert("route".into(), d.route.clone().into());
            m.insert("family".into(), item.family.clone().into());
            m.insert("idempotency_key".into(), d.idempotency_key().into());
        }
        serde_json::to_writer(&mut buf, &v)?;
        buf.push(b'\n');
    }
    f.write_all(&buf)?;
    f.sync_data()
}

#[allow(clippy::too_many_arguments)]
async fn send_mail(
    host: &str,
    port: u16,
    starttls: bool,
    from: &str,
    to: &[String],
    username_env: Option<&str>,
    password_env: Option<&str>,
    subject_prefix: &str,
    language: crate::Language,
    d: &Digest,
) -> Result<(), String> {
    use lettre::message::header::ContentType;
    use lettre::transport::smtp::authentication::Credentials;
    use lettre::{AsyncSmtpTransport, AsyncTransport, Message, Tokio1Executor};

    let mut builder = if starttls {
        AsyncSmtpTransport::<Tokio1Executor>::starttls_relay(host)
            .map_err(|e| format!("{host}: {e}"))?
    } else {
        AsyncSmtpTransport::<Tokio1Executor>::builder_dangerous(host)
    }
    .port(port)
    .timeout(Some(Duration::from_secs(20)));
    if let (Some(u), Some(p)) = (
        username_env.and_then(|v| std::env::var(v).ok()),
        password_env.and_then(|v| std::env::var(v).ok()),
    ) {
        builder = builder.credentials(Credentials::new(u, p));
    }
    let mut msg = Message::builder()
        .from(from.parse().map_err(|e| format!("from {from:?}: {e}"))?)
        .subject(format!(
            "{subject_prefix} {}",
            crate::headline(&d.items, language)
        ))
        .header(ContentType::TEXT_PLAIN);
    for t in to {
        msg = msg.to(t.parse().map_err(|e| format!("to {t:?}: {e}"))?);
    }
    let email = msg.body(d.text.clone()).map_err(|e| e.to_string())?;
    builder
        .build()
        .send(email)
        .await
        .map_err(|e| format!("{host}:{port}: {}", crate::error_chain(&e)))?;
    Ok(())
}

/// Write one outbox entry atomically. The name is the digest's idempotency key and
/// the sink, so parking the same digest twice leaves one entry.
pub(crate) fn park(outbox: &Path, sink: &str, d: &Digest) -> std::io::Result<()> {
    let safe = |s: &str| {
        s.chars()
            .map(|c| {
                if c.is_ascii_alphanumeric() || c == '-' {
                    c
                } else {
                    '_'
                }
            })
            .collect::<String>()
    };
    let name = format!(
        "{}__{}__{}.json",
        safe(&d.run_id),
        safe(&d.route),
        safe(sink)
    );
    let path = outbox.join(&name);
    let bytes = serde_json::to_vec_pretty(&OutboxEntry {
        sink: sink.to_string(),
        digest: d.clone(),
    })?;
    // Durable before it counts as queued: a crash never leaves a half-written entry that
    // would be retried as garbage (or silently dropped) next run.
    mynawatch_durable::write_atomic(&path, &bytes)
}
