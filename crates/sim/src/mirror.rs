//! A local mirror: serves a folder over HTTP on loopback the way a real site does, and
//! misbehaves on request.
//!
//! Every request re-reads the file and the fault file, so a test (or the demo) changes
//! the site between runs by writing files. Real-site behaviour: `ETag` (a sha256
//! prefix), `Last-Modified` (the file's mtime), 304 for a matching `If-None-Match` or an
//! `If-Modified-Since` not older than the file, `Content-Type` by extension with the
//! charset the document really uses (a Shift_JIS page is `text/html; charset=Shift_JIS`),
//! `robots.txt` if the folder has one, `index.html` for folders.
//!
//! Faults come from `<root>/_mirror.toml`:
//!
//! ```toml
//! [[fault]]
//! path = "/stats/usage.xlsx"   # request path (query ignored)
//! kind = "status"              # see below
//! status = 503
//! times = 2                    # optional: only the first N requests to this path
//!
//! [[fault]]
//! path = "/busy.html"
//! kind = "retry_after"         # 429 with Retry-After
//! retry_after = "1"            # seconds, or an HTTP date
//! ```
//!
//! Kinds: `status` (`status`), `retry_after` (`retry_after`, `status` default 429),
//! `delay_ms` (`ms`, then serves normally), `truncate` (declares the full length, sends
//! half, closes), `reset` (headers, then the connection closes), `redirect_loop`,
//! `redirect` (`to`, any scheme), `charset` (`charset`: declared instead of the real
//! one), `oversize` (`bytes` of filler, no length), `empty` (200 with no body).
//!
//! Many sites at once (virtual hosts): when `<root>/_vhosts/` exists, a request is served
//! from `<root>/_vhosts/<host>/` by its `Host` header (port dropped), with that folder's
//! own `robots.txt` and `_mirror.toml`. A host with no folder answers `421 Misdirected
//! Request` (a site that is gone); a folder holding a `_moved` file (one line, a base URL
//! such as `http://www.city.example.lg.jp`) answers every request with `301` to the same
//! path there. Point the fetcher at the mirror with `[fetch] resolve = { "*" = "ADDR" }`.
//! [`MirrorStats`] counts requests per host and the shortest gap between two request
//! starts on one host, so tests can check politeness from the server's side.

use std::collections::HashMap;
use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use axum::body::Body;
use axum::extract::State;
use axum::http::{header, HeaderMap, HeaderValue, Request, Response, StatusCode};
use bytes::Bytes;
use serde::Deserialize;
use tokio::sync::oneshot;

/// What the mirror saw: for tests that measure politeness and caching in the server.
#[derive(Debug, Default)]
pub struct MirrorStats {
    in_flight: AtomicUsize,
    max_in_flight: AtomicUsize,
    not_modified: AtomicUsize,
    requests: Mutex<HashMap<String, usize>>,
    /// Per `Host` header: (in flight now, most in flight at once).
    by_host: Mutex<HashMap<String, (usize, usize)>>,
    /// Per `Host` header: requests, last request start, shortest gap between starts.
    host_timing: Mutex<HashMap<String, HostTiming>>,
}

/// Request starts seen for one host.
#[derive(Debug, Default, Clone, Copy)]
struct HostTiming {
    requests: usize,
    last_start: Option<std::time::Instant>,
    min_gap: Option<Duration>,
}

impl MirrorStats {
    /// The most requests that were in flight at once.
    pub fn max_in_flight(&self) -> usize {
        self.max_in_flight.load(Ordering::SeqCst)
    }

    /// The most requests that were in flight at once for one `Host` header value
    /// (`host:port`, as the client sent it).
    pub fn max_in_flight_for_host(&self, host: &str) -> usize {
        self.by_host
            .lock()
            .expect("stats lock")
            .get(host)
            .map_or(0, |&(_, max)| max)
    }

    /// Every `Host` header value seen, sorted.
    pub fn hosts(&self) -> Vec<String> {
        let mut v: Vec<String> = self
            .host_timing
            .lock()
            .expect("stats lock")
            .keys()
            .cloned()
            .collect();
        v.sort();
        v
    }

    /// Requests seen with this `Host` header.
    pub fn requests_for_host(&self, host: &str) -> usize {
        self.host_timing
            .lock()
            .expect("stats lock")
            .get(host)
            .map_or(0, |t| t.requests)
    }

    /// The shortest time between the starts of two requests to this `Host` (`None`
    /// with fewer than two requests).
    pub fn min_gap_for_host(&self, host: &str) -> Option<Duration> {
        self.host_timing
            .lock()
            .expect("stats lock")
            .get(host)
            .and_then(|t| t.min_gap)
    }

    /// 304 responses sent.
    pub fn not_modified(&self) -> usize {
        self.not_modified.load(Ordering::SeqCst)
    }

    /// Requests seen for `path`.
    pub fn requests(&self, path: &str) -> usize {
        self.requests
            .lock()
            .expect("stats lock")
            .get(path)
            .copied()
            .unwrap_or(0)
    }

    /// All requests seen.
    pub fn total_requests(&self) -> usize {
        self.requests.lock().expect("stats lock").values().sum()
    }

    /// Forget the counts (between phases of a test).
    pub fn reset(&self) {
        self.requests.lock().expect("stats lock").clear();
        self.max_in_flight.store(0, Ordering::SeqCst);
        for (_, max) in self.by_host.lock().expect("stats lock").values_mut() {
            *max = 0;
        }
        self.not_modified.store(0, Ordering::SeqCst);
        self.host_timing.lock().expect("stats lock").clear();
    }
}

/// A running mirror.
pub struct MirrorHandle {
    /// Where it listens.
    pub addr: SocketAddr,
    /// What it saw.
    pub stats: Arc<MirrorStats>,
    stop: Option<oneshot::Sender<()>>,
    task: tokio::task::JoinHandle<()>,
}

impl MirrorHandle {
    /// `http://<addr><path>`.
    pub fn url(&self, path: &str) -> String {
        format!("http://{}/{}", self.addr, path.trim_start_matches('/'))
    }

    /// Stop serving.
    pub async fn shutdown(mut self) {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
        let _ = (&mut self.task).await;
    }
}

#[derive(Clone)]
struct Mirror {
    root: Arc<PathBuf>,
    stats: Arc<MirrorStats>,
}

#[derive(Debug, Default, Deserialize)]
struct FaultFile {
    #[serde(default)]
    fault: Vec<Fault>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
struct Fault {
    path: String,
    kind: String,
    #[serde(default)]
    status: Option<u16>,
    #[serde(default)]
    times: Option<usize>,
    #[serde(default)]
    retry_after: Option<String>,
    #[serde(default)]
    ms: Option<u64>,
    #[serde(default)]
    to: Option<String>,
    #[serde(default)]
    charset: Option<String>,
    #[serde(default)]
    bytes: Option<usize>,
}

/// Serve `root` on `addr` (use port 0 for any free port).
pub async fn serve(root: PathBuf, addr: SocketAddr) -> std::io::Result<MirrorHandle> {
    let listener = tokio::net::TcpListener::bind(addr).await?;
    let addr = listener.local_addr()?;
    let stats = Arc::new(MirrorStats::default());
    let state = Mirror {
        root: Arc::new(root),
        stats: stats.clone(),
    };
    let app = axum::Router::new().fallback(handle).with_state(state);
    let (stop, stopped) = oneshot::channel::<()>();
    let task = tokio::spawn(async move {
        let _ = axum::serve(listener, app)
            .with_graceful_shutdown(async {
                let _ = stopped.await;
            })
            .await;
    });
    Ok(MirrorHandle {
        addr,
        stats,
        stop: Some(stop),
        task,
    })
}

/// Counts a request as in flight (overall and for its `Host`) until the handler returns.
struct InFlight<'a> {
    stats: &'a MirrorStats,
    host: String,
}

impl<'a> InFlight<'a> {
    fn enter(stats: &'a MirrorStats, host: String) -> Self {
        let now = stats.in_flight.fetch_add(1, Ordering::SeqCst) + 1;
        stats.max_in_flight.fetch_max(now, Ordering::SeqCst);
        {
            let mut by_host = stats.by_host.lock().expect("stats lock");
            let (cur, max) = by_host.entry(host.clone()).or_default();
            *cur += 1;
            *max = (*max).max(*cur);
        }
        {
            let now = std::time::Instant::now();
            let mut timing = stats.host_timing.lock().expect("stats lock");
            let t = timing.entry(host.clone()).or_default();
            t.requests += 1;
            if let Some(last) = t.last_start {
                let gap = now.saturating_duration_since(last);
                t.min_gap = Some(t.min_gap.map_or(gap, |g| g.min(gap)));
            }
            t.last_start = Some(now);
        }
        InFlight { stats, host }
    }
}

impl Drop for InFlight<'_> {
    fn drop(&mut self) {
        self.stats.in_flight.fetch_sub(1, Ordering::SeqCst);
        if let Some((cur, _)) = self
            .stats
            .by_host
            .lock()
            .expect("stats lock")
            .get_mut(&self.host)
        {
            *cur = cur.saturating_sub(1);
        }
    }
}

async fn handle(State(m): State<Mirror>, req: Request<Body>) -> Response<Body> {
    let host = req
        .headers()
        .get(header::HOST)
        .and_then(|h| h.to_str().ok())
        .unwrap_or("")
        .to_string();
    let stats = m.stats.clone();
    let _guard = InFlight::enter(&stats, host.clone());
    let path = req.uri().path().to_string();
    let m = match vhost(&m, &host) {
        VHost::Single => m,
        VHost::Site(site) => site,
        VHost::Gone => {
            return plain(
                StatusCode::MISDIRECTED_REQUEST,
                "<html><head><title>421</title></head><body>no such site</body></html>",
            )
        }
        VHost::Moved(base) => {
            let query = req
                .uri()
                .query()
                .map(|q| format!("?{q}"))
                .unwrap_or_default();
            let mut r = redirect(&format!("{}{path}{query}", base.trim_end_matches('/')));
            *r.status_mut() = StatusCode::MOVED_PERMANENTLY;
            return r;
        }
    };
    let seen = {
        let mut r = m.stats.requests.lock().expect("stats lock");
        let n = r.entry(path.clone()).or_default();
        *n += 1;
        *n
    };
    let fault = load_faults(&m.root)
        .into_iter()
        .find(|f| f.path == path && f.times.is_none_or(|t| seen <= t));
    let mut declared_charset = None;
    if let Some(f) = &fault {
        match f.kind.as_str() {
            "delay_ms" => tokio::time::sleep(Duration::from_millis(f.ms.unwrap_or(1000))).await,
            "charset" => declared_charset = f.charset.clone(),
            _ => {
                if let Some(resp) = fault_response(f, &path) {
                    return resp;
                }
            }
        }
    }
    let Some(file) = resolve(&m.root, &path) else {
        return plain(StatusCode::NOT_FOUND, "<html><head><title>404 Not Found</title></head><body>ページが見つかりません</body></html>");
    };
    let bytes = match tokio::fs::read(&file).await {
        Ok(b) => b,
        Err(_) => return plain(StatusCode::NOT_FOUND, "not found"),
    };
    let mtime = std::fs::metadata(&file).and_then(|md| md.modified()).ok();
    let etag = format!("\"{}\"", &mynawatch_fetch::sha256_hex(&bytes)[..20]);
    let last_modified = mtime.map(httpdate::fmt_http_date);
    if not_modified(req.headers(), &etag, mtime) {
        m.stats.not_modified.fetch_add(1, Ordering::SeqCst);
        let mut resp = Response::new(Body::empty());
        *resp.status_mut() = StatusCode::NOT_MODIFIED;
        set(&mut resp, header::ETAG, &etag);
        if let Some(lm) = &last_modified {
            set(&mut resp, header::LAST_MODIFIED, lm);
        }
        return resp;
    }
    let content_type = content_type(&file, &bytes, declared_charset.as_deref());
    let len = bytes.len();
    let body = match fault.as_ref().map(|f| f.kind.as_str()) {
        Some("truncate") => failing_body(Bytes::from(bytes).slice(..len / 2)),
        Some("reset") => failing_body(Bytes::new()),
        _ => Body::from(bytes),
    };
    let mut resp = Response::new(body);
    set(&mut resp, header::CONTENT_TYPE, &content_type);
    set(&mut resp, header::ETAG, &etag);
    if let Some(lm) = &last_modified {
        set(&mut resp, header::LAST_MODIFIED, lm);
    }
    if matches!(
        fault.as_ref().map(|f| f.kind.as_str()),
        Some("truncate" | "reset")
    ) {
        set(&mut resp, header::CONTENT_LENGTH, &len.to_string());
    }
    resp
}

/// Which site a request is for (see the module docs on `_vhosts`).
enum VHost {
    /// No `_vhosts` folder: the root is the one site.
    Single,
    /// The host's own folder.
    Site(Mirror),
    /// No folder for the host.
    Gone,
    /// The host moved to this base URL.
    Moved(String),
}

fn vhost(m: &Mirror, host: &str) -> VHost {
    let hosts = m.root.join("_vhosts");
    if !hosts.is_dir() {
        return VHost::Single;
    }
    let name = host
        .rsplit_once(':')
        .map_or(host, |(h, _)| h)
        .to_ascii_lowercase();
    if name.is_empty() || name.starts_with('.') || name.contains(['/', '\\']) {
        return VHost::Gone;
    }
    let dir = hosts.join(&name);
    if !dir.is_dir() {
        return VHost::Gone;
    }
    if let Ok(to) = std::fs::read_to_string(dir.join("_moved")) {
        return VHost::Moved(to.trim().to_string());
    }
    VHost::Site(Mirror {
        root: Arc::new(dir),
        stats: m.stats.clone(),
    })
}

/// Responses for faults that replace the file entirely.
fn fault_response(f: &Fault, path: &str) -> Option<Response<Body>> {
    match f.kind.as_str() {
        "status" => {
            let code = StatusCode::from_u16(f.status.unwrap_or(500))
                .unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
            Some(plain(
                code,
                &format!("<html><head><title>{code}</title></head><body>error</body></html>"),
            ))
        }
        "retry_after" => {
            let code = StatusCode::from_u16(f.status.unwrap_or(429))
                .unwrap_or(StatusCode::TOO_MANY_REQUESTS);
            let mut r = plain(code, "busy");
            set(
                &mut r,
                header::RETRY_AFTER,
                f.retry_after.as_deref().unwrap_or("1"),
            );
            Some(r)
        }
        "redirect_loop" => Some(redirect(path)),
        "redirect" => Some(redirect(f.to.as_deref().unwrap_or("/"))),
        "empty" => {
            let mut r = Response::new(Body::empty());
            set(&mut r, header::CONTENT_TYPE, "text/html; charset=UTF-8");
            Some(r)
        }
        "oversize" => {
            let total = f.bytes.unwrap_or(64 * 1024 * 1024);
            let chunk = Bytes::from(vec![b'a'; 64 * 1024]);
            let chunks = total.div_ceil(chunk.len());
            let stream = futures_util::stream::iter(
                (0..chunks).map(move |_| Ok::<Bytes, std::io::Error>(chunk.clone())),
            );
            let mut r = Response::new(Body::from_stream(stream));
            set(&mut r, header::CONTENT_TYPE, "text/html; charset=UTF-8");
            Some(r)
        }
        _ => None,
    }
}

fn load_faults(root: &Path) -> Vec<Fault> {
    match std::fs::read_to_string(root.join("_mirror.toml")) {
        Ok(text) => match toml::from_str::<FaultFile>(&text) {
            Ok(f) => f.fault,
            Err(e) => {
                tracing::warn!(error = %e, "mirror: invalid _mirror.toml; serving without faults");
                Vec::new()
            }
        },
        Err(_) => Vec::new(),
    }
}

/// A body that sends `head`, pauses so it is on the wire, then fails: the connection
/// closes mid-response, after the headers, as a dropped connection does.
fn failing_body(head: Bytes) -> Body {
    use futures_util::StreamExt;
    let first = futures_util::stream::iter([Ok::<Bytes, std::io::Error>(head)]);
    let cut = futures_util::stream::once(async {
        tokio::time::sleep(Duration::from_millis(50)).await;
        Err::<Bytes, std::io::Error>(std::io::Error::new(
            std::io::ErrorKind::ConnectionReset,
            "mirror fault: connection cut",
        ))
    });
    Body::from_stream(first.chain(cut))
}

fn resolve(root: &Path, path: &str) -> Option<PathBuf> {
    let rel = path.trim_start_matches('/');
    if rel
        .split('/')
        .any(|seg| seg == ".." || seg.starts_with('_'))
    {
        return None;
    }
    let mut p = root.join(rel);
    if p.is_dir() {
        p = p.join("index.html");
    }
    p.is_file().then_some(p)
}

fn not_modified(h: &HeaderMap, etag: &str, mtime: Option<std::time::SystemTime>) -> bool {
    if let Some(inm) = h.get(header::IF_NONE_MATCH).and_then(|v| v.to_str().ok()) {
        return inm.split(',').any(|t| t.trim() == etag || t.trim() == "*");
    }
    let (Some(ims), Some(mtime)) = (
        h.get(header::IF_MODIFIED_SINCE)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| httpdate::parse_http_date(v).ok()),
        mtime,
    ) else {
        return false;
    };
    // HTTP dates have whole seconds.
    let secs = |t: std::time::SystemTime| {
        t.duration_since(std::time::UNIX_EPOCH)
            .map(|d| d.as_secs())
            .unwrap_or(0)
    };
    secs(mtime) <= secs(ims)
}

fn content_type(file: &Path, bytes: &[u8], declared: Option<&str>) -> String {
    let ext = file
        .extension()
        .and_then(|e| e.to_str())
        .unwrap_or("")
        .to_ascii_lowercase();
    let text = |mime: &str| {
        let charset = declared.map(str::to_string).unwrap_or_else(|| {
            mynawatch_model::content::decode(bytes, None)
                .charset
                .to_string()
        });
        format!("{mime}; charset={charset}")
    };
    match ext.as_str() {
        "html" | "htm" => text("text/html"),
        "csv" => text("text/csv"),
        "txt" => text("text/plain"),
        "xml" => text("application/xml"),
        "json" => text("application/json"),
        "xlsx" => "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet".into(),
        "docx" => "application/vnd.openxmlformats-officedocument.wordprocessingml.document".into(),
        "pdf" => "application/pdf".into(),
        "zip" => "application/zip".into(),
        _ => "application/octet-stream".into(),
    }
}

fn plain(status: StatusCode, body: &str) -> Response<Body> {
    let mut r = Response::new(Body::from(body.to_string()));
    *r.status_mut() = status;
    set(&mut r, header::CONTENT_TYPE, "text/html; charset=UTF-8");
    r
}

fn redirect(to: &str) -> Response<Body> {
    let mut r = Response::new(Body::empty());
    *r.status_mut() = StatusCode::FOUND;
    set(&mut r, header::LOCATION, to);
    r
}

fn set(resp: &mut Response<Body>, name: header::HeaderName, value: &str) {
    if let Ok(v) = HeaderValue::from_str(value) {
        resp.headers_mut().insert(name, v);
    }
}
