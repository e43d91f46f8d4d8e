//! Conformance checks of an S3 server for mynawatch's object-storage store: object_store 0.13
//! (feature "aws") against a real server on loopback, racing conditional writers included.
//! Usage: S3_SERVER_BIN=<path to s3s-cas, s3s-fs or moto_server> s3-conformance <s3s-cas|s3s-fs|moto>
//! Data and logs go under $S3_WORK (default: the system temp folder).
//! The program starts the server itself (child process on 127.0.0.1:<free port>),
//! configures the client ONLY through AWS_* env vars + AmazonS3Builder::from_env(),
//! runs checks a..e and prints a PASS/FAIL line per check.

use std::net::TcpListener as StdListener;
use std::path::PathBuf;
use std::process::{Child, Command};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use futures::{StreamExt, TryStreamExt};
use object_store::aws::{AmazonS3, AmazonS3Builder};
use object_store::path::Path;
use object_store::{
    BackoffConfig, Error, ObjectStore, ObjectStoreExt, PutMode, PutOptions, PutPayload,
    RetryConfig, UpdateVersion,
};
use tokio::io::{AsyncReadExt, AsyncWriteExt};

const BUCKET: &str = "mynawatch";
const AK: &str = "spikeaccess";
const SK: &str = "spikesecret123";

struct Server {
    kind: String,
    port: u16,
    root: PathBuf,
    child: Option<Child>,
}

impl Server {
    fn start(kind: &str, port: u16, root: PathBuf) -> Server {
        let log = std::fs::File::create(work().join(format!("{kind}-{port}.log"))).unwrap();
        let bin = std::env::var("S3_SERVER_BIN").expect("S3_SERVER_BIN: the server binary");
        let log2 = log.try_clone().unwrap();
        let child = match kind {
            "s3s-fs" | "s3s-cas" => {
                std::fs::create_dir_all(root.join(BUCKET)).unwrap(); // bucket == sub-directory
                Command::new(&bin)
                    .args(["--host", "127.0.0.1", "--port", &port.to_string()])
                    .args(["--access-key", AK, "--secret-key", SK])
                    .arg(&root)
                    .stdout(log)
                    .stderr(log2)
                    .spawn()
                    .expect("spawn s3s-fs")
            }
            "moto" => Command::new(&bin)
                .args(["-H", "127.0.0.1", "-p", &port.to_string()])
                .stdout(log)
                .stderr(log2)
                .spawn()
                .expect("spawn moto_server"),
            other => panic!("unknown server {other}"),
        };
        let t0 = Instant::now();
        while std::net::TcpStream::connect(("127.0.0.1", port)).is_err() {
            assert!(t0.elapsed() < Duration::from_secs(30), "server did not come up");
            std::thread::sleep(Duration::from_millis(20));
        }
        println!("server {kind} listening on 127.0.0.1:{port} after {:?}", t0.elapsed());
        if kind == "moto" {
            // moto keeps buckets in memory; create it with a raw (unsigned) PUT /bucket
            raw_http(port, &format!("PUT /{BUCKET} HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"));
        }
        Server { kind: kind.into(), port, root, child: Some(child) }
    }
    fn kill(&mut self) {
        if let Some(mut c) = self.child.take() {
            let _ = c.kill(); // SIGKILL of our own child, by pid
            let _ = c.wait();
        }
    }
    fn restart(&mut self) {
        self.kill();
        let s = Server::start(&self.kind, self.port, self.root.clone());
        *self = s;
    }
}
impl Drop for Server {
    fn drop(&mut self) {
        self.kill();
    }
}

fn raw_http(port: u16, req: &str) -> String {
    use std::io::{Read, Write};
    let mut s = std::net::TcpStream::connect(("127.0.0.1", port)).unwrap();
    s.write_all(req.as_bytes()).unwrap();
    let mut out = String::new();
    let _ = s.read_to_string(&mut out);
    out.lines().next().unwrap_or("").to_string()
}

fn free_port() -> u16 {
    StdListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port()
}

fn kind(e: &Error) -> &'static str {
    match e {
        Error::Generic { .. } => "Generic",
        Error::NotFound { .. } => "NotFound",
        Error::InvalidPath { .. } => "InvalidPath",
        Error::JoinError { .. } => "JoinError",
        Error::NotSupported { .. } => "NotSupported",
        Error::AlreadyExists { .. } => "AlreadyExists",
        Error::Precondition { .. } => "Precondition",
        Error::NotModified { .. } => "NotModified",
        Error::NotImplemented { .. } => "NotImplemented",
        Error::PermissionDenied { .. } => "PermissionDenied",
        Error::Unauthenticated { .. } => "Unauthenticated",
        Error::UnknownConfigurationKey { .. } => "UnknownConfigurationKey",
        _ => "Other",
    }
}

fn short(e: &Error) -> String {
    // Display + innermost source (e.g. "Connection refused")
    let mut inner: &dyn std::error::Error = e;
    while let Some(next) = inner.source() { inner = next; }
    let s = format!("{} [root cause: {}]", e, inner).replace('\n', " ");
    if s.len() > 400 { format!("{}…", &s[..400]) } else { s }
}

/// The exact construction under test: everything from env, only the bucket in code.
fn store_from_env() -> AmazonS3 {
    AmazonS3Builder::from_env().with_bucket_name(BUCKET).build().expect("build from env")
}

fn store_short_retry() -> AmazonS3 {
    AmazonS3Builder::from_env()
        .with_bucket_name(BUCKET)
        .with_retry(RetryConfig {
            backoff: BackoffConfig { init_backoff: Duration::from_millis(50), max_backoff: Duration::from_millis(500), base: 2.0 },
            max_retries: 3,
            retry_timeout: Duration::from_secs(5),
        })
        .build()
        .unwrap()
}

struct Report {
    rows: Vec<(String, bool, String)>,
}
impl Report {
    fn add(&mut self, name: &str, ok: bool, detail: impl Into<String>) {
        let d = detail.into();
        println!("[{}] {name}: {d}", if ok { "PASS" } else { "FAIL" });
        self.rows.push((name.into(), ok, d));
    }
}

async fn check_a(s: &AmazonS3, r: &mut Report) {
    let prefix = Path::from("data/table=notices/run_month=2026-07");
    let mut ok = true;
    for i in 0..5 {
        s.put(&prefix.clone().join(format!("part-{i}.bin")), PutPayload::from(format!("payload {i}"))).await.unwrap();
    }
    s.put(&Path::from("data/other/x.bin"), PutPayload::from_static(b"x")).await.unwrap();
    let got = s.get(&prefix.clone().join("part-3.bin")).await.unwrap().bytes().await.unwrap();
    ok &= got.as_ref() == b"payload 3";
    let mut listed: Vec<String> = s.list(Some(&prefix)).map_ok(|m| m.location.to_string()).try_collect().await.unwrap();
    listed.sort();
    ok &= listed.len() == 5;
    let lwd = s.list_with_delimiter(Some(&Path::from("data"))).await.unwrap();
    let dirs: Vec<String> = lwd.common_prefixes.iter().map(|p| p.to_string()).collect();
    ok &= dirs.len() == 2;
    for l in &listed {
        s.delete(&Path::from(l.as_str())).await.unwrap();
    }
    let after: Vec<_> = s.list(Some(&prefix)).try_collect::<Vec<_>>().await.unwrap();
    ok &= after.is_empty();
    let e = s.get(&prefix.clone().join("part-3.bin")).await.err();
    let nf = matches!(e, Some(Error::NotFound { .. }));
    ok &= nf;
    s.delete(&Path::from("data/other/x.bin")).await.unwrap();
    r.add("a put/get/list/delete under prefix", ok,
        format!("listed={} common_prefixes={dirs:?} after_delete={} get_deleted={}", listed.len(), after.len(), e.map(|e| kind(&e)).unwrap_or("Ok?!")));
}

async fn check_b(s: &AmazonS3, r: &mut Report) {
    let p = Path::from("locks/create-once.json");
    let _ = s.delete(&p).await;
    let first = s.put_opts(&p, PutPayload::from_static(b"first"), PutMode::Create.into()).await;
    let second = s.put_opts(&p, PutPayload::from_static(b"second"), PutMode::Create.into()).await;
    let content = s.get(&p).await.unwrap().bytes().await.unwrap();
    let ok = first.is_ok() && matches!(second, Err(Error::AlreadyExists { .. })) && content.as_ref() == b"first";
    r.add("b1 PutMode::Create twice", ok, format!(
        "first={} second={} content={:?}",
        if first.is_ok() { "Ok".into() } else { short(first.as_ref().unwrap_err()) },
        match &second { Ok(_) => "Ok (!!)".into(), Err(e) => format!("{} ({})", kind(e), short(e)) },
        String::from_utf8_lossy(&content)));

    for (label, size) in [("16 B", 16usize), ("1 MiB", 1 << 20), ("8 MiB", 8 << 20)] {
        let (mut both, mut one, mut other) = (0, 0, Vec::new());
        for round in 0..20 {
            let p = Path::from(format!("race/{}/{round}.json", size));
            let _ = s.delete(&p).await;
            // two independent clients (own connection pools) = two writer processes
            let (c1, c2) = (Arc::new(store_from_env()), Arc::new(store_from_env()));
            let barrier = Arc::new(tokio::sync::Barrier::new(2));
            let mut hs = Vec::new();
            for (w, c) in [(1u8, c1), (2u8, c2)] {
                let (p, b) = (p.clone(), barrier.clone());
                hs.push(tokio::spawn(async move {
                    let body = vec![w; size];
                    b.wait().await;
                    c.put_opts(&p, PutPayload::from(body), PutOptions::from(PutMode::Create)).await
                }));
            }
            let res: Vec<_> = futures::future::join_all(hs).await.into_iter().map(|j| j.unwrap()).collect();
            let oks = res.iter().filter(|x| x.is_ok()).count();
            let ae = res.iter().filter(|x| matches!(x, Err(Error::AlreadyExists { .. }))).count();
            if oks == 2 { both += 1 } else if oks == 1 && ae == 1 { one += 1 } else {
                other.push(res.iter().map(|x| match x { Ok(_) => "Ok".to_string(), Err(e) => format!("{}:{}", kind(e), short(e)) }).collect::<Vec<_>>().join(" | "));
            }
        }
        r.add(&format!("b2 Create race x20, {label} body"), both == 0 && other.is_empty(),
            format!("both_succeeded={both} exactly_one={one} other={}{}", other.len(),
                other.first().map(|o| format!(" e.g. {o}")).unwrap_or_default()));
    }
}

async fn check_c(s: &AmazonS3, r: &mut Report) {
    let p = Path::from("manifest/current.json");
    let v1 = s.put(&p, PutPayload::from_static(b"v1")).await.unwrap();
    let v2 = s.put_opts(&p, PutPayload::from_static(b"v2"),
        PutMode::Update(UpdateVersion { e_tag: v1.e_tag.clone(), version: v1.version.clone() }).into()).await;
    let stale = s.put_opts(&p, PutPayload::from_static(b"v3-stale"),
        PutMode::Update(UpdateVersion { e_tag: v1.e_tag.clone(), version: None }).into()).await;
    let content = s.get(&p).await.unwrap().bytes().await.unwrap();
    let missing = s.put_opts(&Path::from("manifest/missing.json"), PutPayload::from_static(b"x"),
        PutMode::Update(UpdateVersion { e_tag: v1.e_tag.clone(), version: None }).into()).await;
    let ok = v2.is_ok() && matches!(stale, Err(Error::Precondition { .. })) && content.as_ref() == b"v2";
    r.add("c1 PutMode::Update current/stale ETag", ok, format!(
        "etag1={:?} update_current={} update_stale={} content={:?} update_missing_key={}",
        v1.e_tag,
        match &v2 { Ok(x) => format!("Ok etag={:?}", x.e_tag), Err(e) => short(e) },
        match &stale { Ok(_) => "Ok (!!)".into(), Err(e) => format!("{} ({})", kind(e), short(e)) },
        String::from_utf8_lossy(&content),
        match &missing { Ok(_) => "Ok (!!)".into(), Err(e) => kind(e).to_string() }));

    // lost-update race: two writers CAS from the same ETag, 20 rounds
    let (mut both, mut one, mut other) = (0, 0, 0);
    for round in 0..20 {
        let p = Path::from(format!("manifest/race-{round}.json"));
        let base = s.put(&p, PutPayload::from(vec![0u8; 1 << 20])).await.unwrap();
        let barrier = Arc::new(tokio::sync::Barrier::new(2));
        let mut hs = Vec::new();
        for w in 1..=2u8 {
            let (p, b, c, et) = (p.clone(), barrier.clone(), store_from_env(), base.e_tag.clone());
            hs.push(tokio::spawn(async move {
                b.wait().await;
                c.put_opts(&p, PutPayload::from(vec![w; 1 << 20]), PutMode::Update(UpdateVersion { e_tag: et, version: None }).into()).await
            }));
        }
        let res: Vec<_> = futures::future::join_all(hs).await.into_iter().map(|j| j.unwrap()).collect();
        let oks = res.iter().filter(|x| x.is_ok()).count();
        let pre = res.iter().filter(|x| matches!(x, Err(Error::Precondition { .. }))).count();
        if oks == 2 { both += 1 } else if oks == 1 && pre == 1 { one += 1 } else { other += 1 }
    }
    r.add("c2 Update (If-Match) race x20, 1 MiB body", both == 0 && other == 0,
        format!("both_succeeded={both} exactly_one={one} other={other}"));
}

/// Minimal fault-injecting HTTP endpoint on loopback: answers every request with `status` + S3 XML error.
async fn fault_server(status: &'static str, code: &'static str) -> (u16, Arc<AtomicUsize>) {
    let l = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let port = l.local_addr().unwrap().port();
    let hits = Arc::new(AtomicUsize::new(0));
    let h = hits.clone();
    tokio::spawn(async move {
        loop {
            let Ok((mut sock, _)) = l.accept().await else { break };
            let h = h.clone();
            tokio::spawn(async move {
                let mut buf = vec![0u8; 65536];
                let mut acc = Vec::new();
                loop {
                    let n = match sock.read(&mut buf).await { Ok(0) | Err(_) => return, Ok(n) => n };
                    acc.extend_from_slice(&buf[..n]);
                    if let Some(pos) = acc.windows(4).position(|w| w == b"\r\n\r\n") {
                        let head = String::from_utf8_lossy(&acc[..pos]).to_ascii_lowercase();
                        let cl: usize = head.lines().find_map(|l| l.strip_prefix("content-length:").map(|v| v.trim().parse().unwrap_or(0))).unwrap_or(0);
                        let mut have = acc.len() - pos - 4;
                        while have < cl {
                            match sock.read(&mut buf).await { Ok(0) | Err(_) => return, Ok(n) => have += n }
                        }
                        h.fetch_add(1, Ordering::SeqCst);
                        let body = format!("<?xml version=\"1.0\"?><Error><Code>{code}</Code><Message>injected</Message></Error>");
                        let resp = format!("HTTP/1.1 {status}\r\nContent-Type: application/xml\r\nContent-Length: {}\r\n\r\n{body}", body.len());
                        if sock.write_all(resp.as_bytes()).await.is_err() { return }
                        acc.clear();
                    }
                }
            });
        }
    });
    (port, hits)
}

async fn check_d(srv: &mut Server, r: &mut Report) {
    let s = store_short_retry();
    // d1: kill the server during a large PUT (64 MiB single request)
    let big = PutPayload::from(vec![7u8; 64 << 20]);
    let p = Path::from("big/upload.bin");
    let t0 = Instant::now();
    let fut = s.put(&p, big.clone());
    tokio::pin!(fut);
    let killed_at;
    tokio::select! {
        res = &mut fut => { r.add("d1 kill during 64 MiB PUT", false, format!("PUT finished before kill: {:?}", res.map(|_| ()))); killed_at = None; }
        _ = tokio::time::sleep(Duration::from_millis(30)) => { srv.kill(); killed_at = Some(t0.elapsed()); }
    }
    if let Some(k) = killed_at {
        let res = fut.await;
        r.add("d1 kill during 64 MiB PUT (retry: 3 retries / 5 s)", res.is_err(), match &res {
            Ok(_) => "Ok (!!)".into(),
            Err(e) => format!("killed at {k:?}; error after {:?}: {} :: {}", t0.elapsed(), kind(e), short(e)),
        });
    }
    // d2: request while server is down, default RetryConfig (10 retries, 180 s cap)
    let t0 = Instant::now();
    let res = store_from_env().get(&Path::from("anything")).await;
    r.add("d2 GET while server down, default RetryConfig", res.is_err(), match &res {
        Ok(_) => "Ok?!".into(),
        Err(e) => format!("after {:?}: {} :: {}", t0.elapsed(), kind(e), short(e)),
    });
    // d2b: conditional create while server is down
    let t0 = Instant::now();
    let res = s.put_opts(&Path::from("x"), PutPayload::from_static(b"x"), PutMode::Create.into()).await;
    r.add("d2b PutMode::Create while server down (short retry)", res.is_err(), match &res {
        Ok(_) => "Ok?!".into(),
        Err(e) => format!("after {:?}: {} :: {}", t0.elapsed(), kind(e), short(e)),
    });

    // d3: restart, then kill during a streaming GET
    srv.restart();
    let s = store_short_retry();
    s.put(&p, big).await.unwrap();
    let mut stream = s.get(&p).await.unwrap().into_stream();
    let first = stream.next().await.unwrap().unwrap().len();
    srv.kill();
    let mut got = first;
    let mut err = None;
    while let Some(c) = stream.next().await {
        match c { Ok(b) => got += b.len(), Err(e) => { err = Some(e); break } }
    }
    r.add("d3 kill during streaming 64 MiB GET", err.is_some() || got < (64 << 20), match &err {
        None => format!("stream ended without error after {got} bytes (body fully buffered before kill?)"),
        Some(e) => format!("{} bytes read, then {} :: {}", got, kind(e), short(e)),
    });

    // d4: data survives restart?
    srv.restart();
    let s = store_short_retry();
    let survived = s.head(&Path::from("manifest/current.json")).await;
    r.add("d4 data persists across server restart", survived.is_ok(), match &survived {
        Ok(m) => format!("manifest/current.json size={} etag={:?}", m.size, m.e_tag),
        Err(e) => format!("{} :: {}", kind(e), short(e)),
    });

    // d5: server-side errors from the real server
    let wrong = AmazonS3Builder::from_env().with_bucket_name(BUCKET).with_secret_access_key("wrong").build().unwrap();
    let e1 = wrong.get(&Path::from("manifest/current.json")).await.err();
    let nob = AmazonS3Builder::from_env().with_bucket_name("no-such-bucket").build().unwrap();
    let e2 = nob.put(&Path::from("k"), PutPayload::from_static(b"x")).await.err();
    let e3 = s.get(&Path::from("nope/missing")).await.err();
    let fmt = |e: &Option<Error>| e.as_ref().map(|e| format!("{} :: {}", kind(e), short(e))).unwrap_or("Ok (!!)".into());
    r.add("d5a wrong secret key", matches!(e1, Some(Error::PermissionDenied { .. } | Error::Unauthenticated { .. })), fmt(&e1));
    r.add("d5b put to missing bucket", e2.is_some(), fmt(&e2));
    r.add("d5c get missing key", matches!(e3, Some(Error::NotFound { .. })), fmt(&e3));

    // d6: injected 5xx / 503 SlowDown (fault endpoint on loopback, not the S3 server)
    for (status, code) in [("500 Internal Server Error", "InternalError"), ("503 Slow Down", "SlowDown")] {
        let (port, hits) = fault_server(status, code).await;
        let f = AmazonS3Builder::from_env().with_bucket_name(BUCKET)
            .with_endpoint(format!("http://127.0.0.1:{port}"))
            .with_retry(RetryConfig { backoff: BackoffConfig { init_backoff: Duration::from_millis(50), max_backoff: Duration::from_millis(500), base: 2.0 }, max_retries: 3, retry_timeout: Duration::from_secs(5) })
            .build().unwrap();
        let t0 = Instant::now();
        let e = f.put_opts(&Path::from("k"), PutPayload::from_static(b"x"), PutMode::Create.into()).await.err();
        r.add(&format!("d6 injected {status} on PutMode::Create (max_retries=3)"), e.is_some(),
            format!("attempts={} after {:?}: {}", hits.load(Ordering::SeqCst), t0.elapsed(), fmt(&e)));
    }
}

/// S3-semantics corner cases that parquet readers / a data lake layout hit.
async fn check_f(s: &AmazonS3, r: &mut Report) {
    s.put(&Path::from("lake/t/part-0.parquet"), PutPayload::from(vec![1u8; 1000])).await.unwrap();
    let t0 = Instant::now();
    let h = s.head(&Path::from("lake/t")).await;
    r.add("f1 HEAD on a prefix (not an object) -> NotFound", matches!(h, Err(Error::NotFound { .. })),
        format!("after {:?}: {}", t0.elapsed(), match &h { Ok(m) => format!("Ok?! {m:?}"), Err(e) => format!("{} :: {}", kind(e), short(e)) }));
    let g = s.get_opts(&Path::from("lake/t/part-0.parquet"),
        object_store::GetOptions { range: Some(object_store::GetRange::Suffix(65536)), ..Default::default() }).await;
    let g = match g { Ok(x) => x.bytes().await.map(|b| b.len()), Err(e) => Err(e) };
    r.add("f2 suffix range larger than object (bytes=-65536 on 1000 B)", matches!(g, Ok(1000)),
        match &g { Ok(n) => format!("Ok {n} bytes"), Err(e) => format!("{} :: {}", kind(e), short(e)) });
    let a = s.put(&Path::from("k/leaf"), PutPayload::from_static(b"x")).await;
    let b = s.put(&Path::from("k/leaf/child"), PutPayload::from_static(b"y")).await;
    r.add("f3 keys 'k/leaf' and 'k/leaf/child' coexist", a.is_ok() && b.is_ok(),
        format!("first={} second={}", a.as_ref().map(|_| "Ok".to_string()).unwrap_or_else(|e| short(e)),
            b.as_ref().map(|_| "Ok".to_string()).unwrap_or_else(|e| format!("{} :: {}", kind(e), short(e)))));
    let m = s.put_multipart_opts(&Path::from("lake/mp.bin"), Default::default()).await;
    let mp = match m {
        Ok(mut u) => {
            let mut res = Ok(());
            for _ in 0..2 { if let Err(e) = u.put_part(PutPayload::from(vec![3u8; 5 << 20])).await { res = Err(e); break } }
            match res { Ok(()) => u.complete().await.map(|_| ()), Err(e) => Err(e) }
        }
        Err(e) => Err(e),
    };
    let size = s.head(&Path::from("lake/mp.bin")).await.map(|m| m.size).unwrap_or(0);
    r.add("f4 multipart upload 2 x 5 MiB", mp.is_ok() && size == 10 << 20,
        format!("{} size={size}", mp.as_ref().map(|_| "Ok".to_string()).unwrap_or_else(|e| format!("{} :: {}", kind(e), short(e)))));
}

/// Where data folders and server logs go.
fn work() -> PathBuf {
    let dir = std::env::var_os("S3_WORK").map_or_else(std::env::temp_dir, PathBuf::from);
    std::fs::create_dir_all(&dir).expect("S3_WORK folder");
    dir
}

fn main() {
    let server = std::env::args().nth(1).unwrap_or("s3s-fs".into());
    let port = free_port();
    let root = work().join(format!("data-{server}-{port}"));
    // e: configuration purely through environment variables (set before any thread exists)
    let endpoint_var = std::env::var("SPIKE_ENDPOINT_VAR").unwrap_or("AWS_ENDPOINT_URL".into());
    std::env::set_var(&endpoint_var, format!("http://127.0.0.1:{port}"));
    std::env::set_var("AWS_ACCESS_KEY_ID", AK);
    std::env::set_var("AWS_SECRET_ACCESS_KEY", SK);
    std::env::set_var("AWS_REGION", "us-east-1");
    std::env::set_var("AWS_ALLOW_HTTP", "true");
    let rt = tokio::runtime::Builder::new_multi_thread().enable_all().build().unwrap();
    let mut srv = Server::start(&server, port, root);
    let mut r = Report { rows: vec![] };
    rt.block_on(async {
        let s = store_from_env();
        r.add("e from_env() with endpoint var", true, format!("{endpoint_var}=http://127.0.0.1:{port} + AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY, AWS_REGION=us-east-1, AWS_ALLOW_HTTP=true → {s}"));
        // e2: without AWS_ALLOW_HTTP the http:// endpoint must be refused
        let no_http = AmazonS3Builder::from_env().with_bucket_name(BUCKET).with_allow_http(false).build().unwrap();
        let e = no_http.head(&Path::from("x")).await.err();
        r.add("e2 allow_http=false refuses http://", e.is_some(), e.map(|e| format!("{} :: {}", kind(&e), short(&e))).unwrap_or_default());
        check_a(&s, &mut r).await;
        check_b(&s, &mut r).await;
        check_c(&s, &mut r).await;
        check_f(&store_short_retry(), &mut r).await;
        check_d(&mut srv, &mut r).await;
    });
    srv.kill();
    let fails = r.rows.iter().filter(|x| !x.1).count();
    println!("\nSUMMARY server={server}: {} passed, {} failed", r.rows.len() - fails, fails);
}
