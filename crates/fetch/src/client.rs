//! The HTTP client: politeness, retries, conditional GET, robots.txt, caps, sniffing.
//!
//! The retry loop owns scheduling; callers only say what they want. Permits (global
//! and per host) are held only while a request is on the wire, never while backing off,
//! so one slow host does not starve the others.

use std::collections::HashMap;
use std::sync::Arc;
use std::time::{Duration, Instant};

use mynawatch_model::content::{check_expected, decode, sniff, Expected, Sniffed};
use mynawatch_model::{FetchOutcome, FetchRecord};
use rand::Rng;
use reqwest::header::{self, HeaderMap};
use reqwest::StatusCode;
use serde::Deserialize;
use tokio::sync::{Mutex, Semaphore};
use tracing::{debug, info, warn};

use crate::snapshot::{sha256_hex, Validators};
use crate::FetchError;

/// Client settings. In the config file these are the keys of `[fetch]`; durations are
/// integer milliseconds (`min_interval_ms = 1000`).
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct FetchConfig {
    /// `User-Agent` header; also the agent name matched in robots.txt.
    pub user_agent: String,
    /// Requests in flight across all hosts.
    pub global_concurrency: usize,
    /// Requests in flight per host.
    pub per_host_concurrency: usize,
    /// Minimum time between two requests to one host, counted from the end of one
    /// response to the start of the next request.
    pub min_interval_ms: u64,
    /// TCP/TLS connect timeout.
    pub connect_timeout_ms: u64,
    /// Deadline for one attempt, headers and whole body.
    pub read_timeout_ms: u64,
    /// Largest body accepted; a larger one is a failure, never a truncated success.
    pub max_body_bytes: u64,
    /// Redirects followed (http and https only).
    pub max_redirects: usize,
    /// Attempts per URL, including the first.
    pub max_attempts: u32,
    /// First backoff; doubles each retry, with jitter.
    pub backoff_base_ms: u64,
    /// Longest `Retry-After` honoured; a longer one fails the fetch for this run.
    pub max_retry_after_ms: u64,
    /// Fetch and obey robots.txt.
    pub obey_robots: bool,
    /// DNS override, for tests and offline checks only: host name (or `"*"` for every
    /// host not listed) → `ip:port`. `resolve = { "*" = "127.0.0.1:8088" }` sends every
    /// request to a local mirror, which serves each site by its `Host` header. A URL
    /// without a port connects to the port given here.
    pub resolve: std::collections::BTreeMap<String, String>,
}

impl Default for FetchConfig {
    fn default() -> Self {
        FetchConfig {
            user_agent: format!(
                "mynawatch/{} (+https://github.com/mynawatch/mynawatch)",
                env!("CARGO_PKG_VERSION")
            ),
            global_concurrency: 8,
            per_host_concurrency: 1,
            min_interval_ms: 1000,
            connect_timeout_ms: 10_000,
            read_timeout_ms: 30_000,
            max_body_bytes: 50 * 1024 * 1024,
            max_redirects: 5,
            max_attempts: 4,
            backoff_base_ms: 500,
            max_retry_after_ms: 120_000,
            obey_robots: true,
            resolve: std::collections::BTreeMap::new(),
        }
    }
}

/// Per-source politeness overrides (the host's gate is set up by its first request).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct HostPoliteness {
    /// Requests in flight to the host.
    pub per_host_concurrency: Option<usize>,
    /// Minimum interval between request starts.
    pub min_interval: Option<Duration>,
}

/// One URL to fetch.
#[derive(Debug, Clone)]
pub struct FetchRequest {
    /// The run (recorded in the fetch log).
    pub run_id: String,
    /// The source asking (recorded, and named in every error).
    pub source_id: String,
    /// The URL.
    pub url: String,
    /// What the bytes must be (from the URL's extension or the family).
    pub expected: Expected,
    /// Validators of the stored snapshot, for a conditional request.
    pub validators: Option<Validators>,
    /// Politeness overrides of the source.
    pub politeness: Option<HostPoliteness>,
}

/// The outcome of one fetch.
#[derive(Debug, Clone)]
pub struct FetchResponse {
    /// The fetch-log row.
    pub record: FetchRecord,
    /// The body, only when `record.outcome` is `Fetched`.
    pub body: Option<Vec<u8>>,
}

/// The HTTP client. Cheap to clone; clones share politeness state and the robots cache.
#[derive(Clone)]
pub struct Fetcher {
    inner: Arc<Inner>,
}

struct Inner {
    client: reqwest::Client,
    cfg: FetchConfig,
    global: Semaphore,
    hosts: Mutex<HashMap<String, Arc<HostGate>>>,
    /// robots.txt per host, fetched once; the map is locked only to find a host's cell,
    /// so hosts fetch their robots.txt in parallel.
    robots: Mutex<HashMap<String, Arc<tokio::sync::OnceCell<Option<texting_robots::Robot>>>>>,
    /// Hosts seen redirecting to another host (`scheme://authority` → same): a request to
    /// the first also lands on the second, so it is paced for both.
    moved: Mutex<HashMap<String, String>>,
    /// What `fetched_at` says (the system clock unless a run gives its own).
    clock: mynawatch_model::clock::SharedClock,
}

/// Per-host politeness: a semaphore and the earliest start of the next request.
struct HostGate {
    permits: Semaphore,
    /// The semaphore's size.
    max_permits: usize,
    interval: Duration,
    next_start: Mutex<Instant>,
}

/// Why one attempt failed, and whether another attempt may help.
struct AttemptError {
    message: String,
    status: Option<u16>,
    retry: Retry,
}

enum Retry {
    No,
    After(Duration),
    Backoff,
}

impl Fetcher {
    /// Build the client, dating records by the system clock.
    pub fn new(cfg: FetchConfig) -> Result<Fetcher, FetchError> {
        Fetcher::with_clock(cfg, mynawatch_model::clock::system())
    }

    /// What the fetcher's clock says now: the time its records carry, for callers that
    /// date what they derive from a fetch.
    pub fn now(&self) -> chrono::DateTime<chrono::Utc> {
        self.inner.clock.now()
    }

    /// Build the client, dating records by `clock`.
    pub fn with_clock(
        cfg: FetchConfig,
        clock: mynawatch_model::clock::SharedClock,
    ) -> Result<Fetcher, FetchError> {
        let max_redirects = cfg.max_redirects;
        let policy = reqwest::redirect::Policy::custom(move |attempt| {
            if !matches!(attempt.url().scheme(), "http" | "https") {
                let to = attempt.url().to_string();
                attempt.error(format!("redirect to non-http(s) URL {to}"))
            } else if attempt.previous().len() > max_redirects {
                attempt.error(format!("more than {max_redirects} redirects"))
            } else if attempt.previous().iter().any(|u| u == attempt.url()) {
                let to = attempt.url().to_string();
                attempt.error(format!("redirect loop at {to}"))
            } else {
                attempt.follow()
            }
        });
        let mut builder = reqwest::Client::builder();
        if !cfg.resolve.is_empty() {
            builder = builder.dns_resolver(Arc::new(OverrideResolver::new(&cfg.resolve)?));
        }
        let client = builder
            .user_agent(cfg.user_agent.clone())
            .connect_timeout(Duration::from_millis(cfg.connect_timeout_ms))
            .timeout(Duration::from_millis(cfg.read_timeout_ms))
            .redirect(policy)
            .gzip(true)
            .brotli(true)
            .build()
            .map_err(|e| FetchError::Client(e.to_string()))?;
        Ok(Fetcher {
            inner: Arc::new(Inner {
                client,
                global: Semaphore::new(cfg.global_concurrency.max(1)),
                hosts: Mutex::new(HashMap::new()),
                robots: Mutex::new(HashMap::new()),
                moved: Mutex::new(HashMap::new()),
                cfg,
                clock,
            }),
        })
    }

    /// Fetch one URL. Never panics; failures are records with `outcome = failed` and an
    /// error that names the source, the URL and the cause.
    pub async fn fetch(&self, req: FetchRequest) -> FetchResponse {
        let started = Instant::now();
        let mut record = FetchRecord {
            run_id: req.run_id.clone(),
            source_id: req.source_id.clone(),
            url: req.url.clone(),
            final_url: req.url.clone(),
            status_code: None,
            outcome: FetchOutcome::Failed,
            etag: None,
            last_modified: None,
            content_type: None,
            charset: None,
            bytes: 0,
            sha256: None,
            elapsed_ms: 0,
            attempts: 0,
            error: None,
            fetched_at: self.inner.clock.now(),
        };
        let body = self.fetch_into(&req, &mut record).await;
        record.elapsed_ms = started.elapsed().as_millis() as u64;
        record.fetched_at = self.inner.clock.now();
        if let Some(e) = &record.error {
            warn!(source_id = %req.source_id, url = %req.url, attempts = record.attempts, error = %e, "fetch failed");
        } else {
            debug!(source_id = %req.source_id, url = %req.url, outcome = record.outcome.as_str(), "fetched");
        }
        FetchResponse { record, body }
    }

    async fn fetch_into(&self, req: &FetchRequest, record: &mut FetchRecord) -> Option<Vec<u8>> {
        let fail = |record: &mut FetchRecord, cause: String| {
            record.outcome = FetchOutcome::Failed;
            record.error = Some(format!("{}: {}: {cause}", req.source_id, req.url));
        };
        let url = match url::Url::parse(&req.url) {
            Ok(u) if matches!(u.scheme(), "http" | "https") => u,
            Ok(u) => {
                fail(record, format!("unsupported scheme {}", u.scheme()));
                return None;
            }
            Err(e) => {
                fail(record, format!("invalid URL: {e}"));
                return None;
            }
        };
        let gate = self.gate(&url, req.politeness.as_ref()).await;
        if self.inner.cfg.obey_robots && !self.robots_allow(&url, &gate).await {
            info!(source_id = %req.source_id, url = %req.url, "robots.txt disallows this URL; skipped");
            record.outcome = FetchOutcome::SkippedRobots;
            record.error = Some(format!(
                "{}: {}: disallowed by robots.txt",
                req.source_id, req.url
            ));
            return None;
        }
        let cfg = &self.inner.cfg;
        let mut backoff = Duration::from_millis(cfg.backoff_base_ms);
        loop {
            record.attempts += 1;
            let result = self.attempt(req, &url, &gate, record).await;
            match result {
                Ok(body) => return body,
                Err(err) => {
                    record.status_code = err.status.or(record.status_code);
                    let last = record.attempts >= cfg.max_attempts.max(1);
                    let wait = match err.retry {
                        Retry::No => None,
                        Retry::After(d) if d.as_millis() as u64 > cfg.max_retry_after_ms => {
                            fail(
                                record,
                                format!(
                                    "{} (Retry-After {}s exceeds the cap)",
                                    err.message,
                                    d.as_secs()
                                ),
                            );
                            return None;
                        }
                        Retry::After(d) => Some(d),
                        Retry::Backoff => {
                            let jitter =
                                rand::rng().random_range(0..=backoff.as_millis() as u64 / 2);
                            Some(backoff + Duration::from_millis(jitter))
                        }
                    };
                    match wait {
                        Some(d) if !last => {
                            debug!(source_id = %req.source_id, url = %req.url, wait_ms = d.as_millis() as u64, cause = %err.message, "retrying");
                            tokio::time::sleep(d).await;
                            backoff *= 2;
                        }
                        _ => {
                            let suffix = if record.attempts > 1 {
                                format!(" after {} tries", record.attempts)
                            } else {
                                String::new()
                            };
                            fail(record, format!("{}{suffix}", err.message));
                            return None;
                        }
                    }
                }
            }
        }
    }

    /// One request on the wire, holding the global and host permits.
    async fn attempt(
        &self,
        req: &FetchRequest,
        url: &url::Url,
        gate: &HostGate,
        record: &mut FetchRecord,
    ) -> Result<Option<Vec<u8>>, AttemptError> {
        let _global = self.inner.global.acquire().await.expect("semaphore open");
        let _host = gate.permits.acquire().await.expect("semaphore open");
        gate.pace().await;
        self.pace_moved(url).await;
        let result = self.on_wire(req, url, record).await;
        gate.rest().await;
        result
    }

    /// The request and its response, once the permits are held and the pace kept.
    async fn on_wire(
        &self,
        req: &FetchRequest,
        url: &url::Url,
        record: &mut FetchRecord,
    ) -> Result<Option<Vec<u8>>, AttemptError> {
        let mut builder = self.inner.client.get(url.clone());
        if let Some(v) = &req.validators {
            if let Some(etag) = &v.etag {
                builder = builder.header(header::IF_NONE_MATCH, etag);
            }
            if let Some(lm) = &v.last_modified {
                builder = builder.header(header::IF_MODIFIED_SINCE, lm);
            }
        }
        let resp = builder.send().await.map_err(|e| AttemptError {
            message: error_chain(&e),
            status: None,
            retry: if e.is_redirect() || e.is_builder() {
                Retry::No
            } else {
                Retry::Backoff
            },
        })?;
        let status = resp.status();
        record.status_code = Some(status.as_u16());
        record.final_url = resp.url().to_string();
        self.note_redirect(url, resp.url()).await;
        let headers = resp.headers().clone();
        let h = |name| {
            headers
                .get(name)
                .and_then(|v: &header::HeaderValue| v.to_str().ok())
                .map(str::to_string)
        };
        record.etag = h(header::ETAG);
        record.last_modified = h(header::LAST_MODIFIED);
        record.content_type = h(header::CONTENT_TYPE);
        if status == StatusCode::NOT_MODIFIED {
            let v = req.validators.as_ref();
            record.outcome = FetchOutcome::NotModified;
            record.sha256 = v.map(|v| v.sha256.clone());
            record.etag = record
                .etag
                .clone()
                .or_else(|| v.and_then(|v| v.etag.clone()));
            record.last_modified = record
                .last_modified
                .clone()
                .or_else(|| v.and_then(|v| v.last_modified.clone()));
            return Ok(None);
        }
        if status == StatusCode::TOO_MANY_REQUESTS || status.is_server_error() {
            let retry = match retry_after(&headers) {
                Some(d) => Retry::After(d),
                None => Retry::Backoff,
            };
            return Err(AttemptError {
                message: format!("HTTP {status}"),
                status: Some(status.as_u16()),
                retry,
            });
        }
        if !status.is_success() {
            return Err(AttemptError {
                message: format!("HTTP {status}"),
                status: Some(status.as_u16()),
                retry: Retry::No,
            });
        }
        let body = read_capped(resp, self.inner.cfg.max_body_bytes).await?;
        if body.is_empty() {
            return Err(AttemptError {
                message: "empty body".into(),
                status: Some(status.as_u16()),
                retry: Retry::Backoff,
            });
        }
        check_expected(&body, req.expected).map_err(|e| AttemptError {
            message: format!("{e} (URL {})", req.url),
            status: Some(status.as_u16()),
            retry: Retry::No,
        })?;
        if matches!(
            sniff(&body),
            Sniffed::Html | Sniffed::Xml | Sniffed::Text | Sniffed::Json
        ) {
            record.charset = Some(
                decode(&body, record.content_type.as_deref())
                    .charset
                    .to_string(),
            );
        }
        record.bytes = body.len() as u64;
        record.sha256 = Some(sha256_hex(&body));
        record.outcome = FetchOutcome::Fetched;
        record.error = None;
        Ok(Some(body))
    }

    /// Settle a host's politeness before any request goes to it (from the config's
    /// per-source overrides), so it does not depend on which source happens to reach the
    /// host first. Several settings for one host: the strictest wins (the fewest requests
    /// in flight, the longest interval). A host that already has a gate keeps it.
    pub async fn set_host_politeness(&self, url: &str, p: &HostPoliteness) {
        let Ok(url) = url::Url::parse(url) else {
            return;
        };
        let key = format!("{}://{}", url.scheme(), url.authority());
        let cfg = &self.inner.cfg;
        let mut hosts = self.inner.hosts.lock().await;
        let permits = p.per_host_concurrency.unwrap_or(cfg.per_host_concurrency);
        let interval = p
            .min_interval
            .unwrap_or(Duration::from_millis(cfg.min_interval_ms));
        let (permits, interval) = match hosts.get(&key) {
            Some(g) => (permits.min(g.max_permits), interval.max(g.interval)),
            None => (permits, interval),
        };
        hosts.insert(
            key,
            Arc::new(HostGate {
                permits: Semaphore::new(permits.max(1)),
                max_permits: permits.max(1),
                interval,
                next_start: Mutex::new(Instant::now()),
            }),
        );
    }

    async fn gate(&self, url: &url::Url, over: Option<&HostPoliteness>) -> Arc<HostGate> {
        let key = format!("{}://{}", url.scheme(), url.authority());
        let cfg = &self.inner.cfg;
        let mut hosts = self.inner.hosts.lock().await;
        hosts
            .entry(key)
            .or_insert_with(|| {
                let permits = over
                    .and_then(|o| o.per_host_concurrency)
                    .unwrap_or(cfg.per_host_concurrency);
                let interval = over
                    .and_then(|o| o.min_interval)
                    .unwrap_or(Duration::from_millis(cfg.min_interval_ms));
                Arc::new(HostGate {
                    permits: Semaphore::new(permits.max(1)),
                    max_permits: permits.max(1),
                    interval,
                    next_start: Mutex::new(Instant::now()),
                })
            })
            .clone()
    }

    /// robots.txt, fetched once per host per `Fetcher` (one per run).
    async fn robots_allow(&self, url: &url::Url, gate: &HostGate) -> bool {
        let key = format!("{}://{}", url.scheme(), url.authority());
        let cell = self
            .inner
            .robots
            .lock()
            .await
            .entry(key.clone())
            .or_default()
            .clone();
        let robot = cell
            .get_or_init(|| async {
                let robots_url = format!("{key}/robots.txt");
                {
                    let _host = gate.permits.acquire().await.expect("semaphore open");
                    gate.pace().await;
                    self.pace_moved(url).await;
                    let sent = self.inner.client.get(&robots_url).send().await;
                    if let Ok(r) = &sent {
                        self.note_redirect(url, r.url()).await;
                    }
                    let robot = match sent {
                        Ok(r) if r.status().is_success() => match r.bytes().await {
                            Ok(b) => {
                                texting_robots::Robot::new(&self.inner.cfg.user_agent, &b).ok()
                            }
                            Err(_) => None,
                        },
                        Ok(r) => {
                            if r.status().is_server_error() {
                                warn!(url = %robots_url, status = r.status().as_u16(), "robots.txt unavailable; proceeding as allowed");
                            }
                            None
                        }
                        Err(e) => {
                            warn!(url = %robots_url, error = %error_chain(&e), "robots.txt unreachable; proceeding as allowed");
                            None
                        }
                    };
                    gate.rest().await;
                    robot
                }
            })
            .await;
        match robot {
            Some(r) => r.allowed(url.as_str()),
            None => true,
        }
    }
}

impl Fetcher {
    /// A request to `url`'s host that is known to redirect to another host also waits
    /// for that host's interval: the hop reaches it without passing its own gate.
    async fn pace_moved(&self, url: &url::Url) {
        let key = format!("{}://{}", url.scheme(), url.authority());
        let target = self.inner.moved.lock().await.get(&key).cloned();
        if let Some(t) = target.and_then(|t| url::Url::parse(&t).ok()) {
            self.gate(&t, None).await.pace().await;
        }
    }

    /// After a response whose final URL is on another host than `asked`: remember the
    /// move, and start that host's interval now (the hop was a request to it).
    async fn note_redirect(&self, asked: &url::Url, landed: &url::Url) {
        let from = format!("{}://{}", asked.scheme(), asked.authority());
        let to = format!("{}://{}", landed.scheme(), landed.authority());
        if from == to {
            return;
        }
        self.inner.moved.lock().await.insert(from, to);
        let gate = self.gate(landed, None).await;
        let mut next = gate.next_start.lock().await;
        *next = (*next).max(Instant::now() + gate.interval);
    }
}

/// `[fetch] resolve`: fixed addresses per host name, `"*"` for any other host; names
/// not covered resolve through the system.
struct OverrideResolver {
    hosts: HashMap<String, std::net::SocketAddr>,
    any: Option<std::net::SocketAddr>,
}

impl OverrideResolver {
    fn new(
        map: &std::collections::BTreeMap<String, String>,
    ) -> Result<OverrideResolver, FetchError> {
        let mut hosts = HashMap::new();
        let mut any = None;
        for (host, addr) in map {
            let addr: std::net::SocketAddr = addr.parse().map_err(|e| {
                FetchError::Client(format!("[fetch] resolve: `{host}` = `{addr}`: {e}"))
            })?;
            if host == "*" {
                any = Some(addr);
            } else {
                hosts.insert(host.to_ascii_lowercase(), addr);
            }
        }
        Ok(OverrideResolver { hosts, any })
    }
}

impl reqwest::dns::Resolve for OverrideResolver {
    fn resolve(&self, name: reqwest::dns::Name) -> reqwest::dns::Resolving {
        let host = name.as_str().to_ascii_lowercase();
        let fixed = self.hosts.get(&host).copied().or(self.any);
        Box::pin(async move {
            let addrs: Vec<std::net::SocketAddr> = match fixed {
                Some(a) => vec![a],
                None => tokio::net::lookup_host((host.as_str(), 0)).await?.collect(),
            };
            Ok(Box::new(addrs.into_iter()) as reqwest::dns::Addrs)
        })
    }
}

impl HostGate {
    /// Wait until this host may see another request start.
    async fn pace(&self) {
        let mut next = self.next_start.lock().await;
        let now = Instant::now();
        if *next > now {
            tokio::time::sleep_until((*next).into()).await;
        }
        *next = Instant::now() + self.interval;
    }

    /// A response has been read: the next request waits a full interval from now, so
    /// the host never sees two requests closer than the interval, however long the
    /// first took to reach it or to be answered.
    async fn rest(&self) {
        let mut next = self.next_start.lock().await;
        *next = (*next).max(Instant::now() + self.interval);
    }
}

/// Read the body up to `cap` bytes; more is an error, and so is a body shorter than
/// its `Content-Length` (a connection cut mid-body).
async fn read_capped(mut resp: reqwest::Response, cap: u64) -> Result<Vec<u8>, AttemptError> {
    let status = Some(resp.status().as_u16());
    let declared = resp.content_length();
    if declared.is_some_and(|n| n > cap) {
        return Err(AttemptError {
            message: format!(
                "body of {} bytes exceeds the cap of {cap} bytes",
                declared.unwrap_or(0)
            ),
            status,
            retry: Retry::No,
        });
    }
    let mut body = Vec::with_capacity(declared.unwrap_or(0).min(cap) as usize);
    loop {
        match resp.chunk().await {
            Ok(Some(chunk)) => {
                if body.len() as u64 + chunk.len() as u64 > cap {
                    return Err(AttemptError {
                        message: format!("body exceeds the cap of {cap} bytes"),
                        status,
                        retry: Retry::No,
                    });
                }
                body.extend_from_slice(&chunk);
            }
            Ok(None) => break,
            Err(e) => {
                return Err(AttemptError {
                    message: format!(
                        "body cut short after {} bytes: {}",
                        body.len(),
                        error_chain(&e)
                    ),
                    status,
                    retry: Retry::Backoff,
                })
            }
        }
    }
    if let Some(n) = declared {
        if (body.len() as u64) < n {
            return Err(AttemptError {
                message: format!("body truncated: {} of {n} bytes", body.len()),
                status,
                retry: Retry::Backoff,
            });
        }
    }
    Ok(body)
}

/// `Retry-After` as seconds or an HTTP date.
fn retry_after(headers: &HeaderMap) -> Option<Duration> {
    let v = headers.get(header::RETRY_AFTER)?.to_str().ok()?.trim();
    if let Ok(secs) = v.parse::<u64>() {
        return Some(Duration::from_secs(secs));
    }
    let when = httpdate::parse_http_date(v).ok()?;
    Some(
        when.duration_since(std::time::SystemTime::now())
            .unwrap_or(Duration::ZERO),
    )
}

/// An error with its causes ([`mynawatch_model::display::error_chain`]), e.g. `error
/// sending request: connection refused`, without reqwest's URL and with its timeout said.
fn error_chain(e: &(dyn std::error::Error + 'static)) -> String {
    let mut out = mynawatch_model::display::error_chain(e);
    if let Some(re) = e.downcast_ref::<reqwest::Error>() {
        // The URL is said once, by whoever reports the error, not inside every cause.
        if let Some(u) = re.url() {
            out = out.replace(&format!(" for url ({u})"), "");
        }
        if re.is_timeout() && !out.contains("timed out") {
            out.push_str(" (timed out)");
        }
    }
    out
}
