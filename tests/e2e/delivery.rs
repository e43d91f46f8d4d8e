//! At-least-once, exactly-once-visible alerts: a run's digests are queued with its commit
//! and delivered after it, so a run killed between its commit and the delivery sends them
//! on the next run, once, with an idempotency key a receiver can use to drop repeats.

use std::sync::{Arc, Mutex};

use axum::{http::HeaderMap, routing::post, Router};

use super::Site;

#[derive(Clone, Default)]
struct Received(Arc<Mutex<Vec<(String, serde_json::Value)>>>);

impl Received {
    fn keys(&self) -> Vec<String> {
        self.0
            .lock()
            .unwrap()
            .iter()
            .map(|(k, _)| k.clone())
            .collect()
    }
}

/// A real webhook receiver on loopback that records each POST's idempotency key and body.
async fn receiver() -> (u16, Received) {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let port = listener.local_addr().unwrap().port();
    let got = Received::default();
    let state = got.clone();
    let app = Router::new().route(
        "/hook",
        post(move |headers: HeaderMap, body: String| {
            let state = state.clone();
            async move {
                let key = headers
                    .get("idempotency-key")
                    .and_then(|v| v.to_str().ok())
                    .unwrap_or_default()
                    .to_string();
                let json = serde_json::from_str(&body).unwrap_or_default();
                state.0.lock().unwrap().push((key, json));
                "ok"
            }
        }),
    );
    tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
    (port, got)
}

fn write_config(site: &Site, port: u16) -> std::path::PathBuf {
    let path = site.data.parent().unwrap().join("delivery.toml");
    let text = format!(
        "data_dir = \"{}\"\n[fetch]\nmin_interval_ms = 0\n\n[alerts]\n[alerts.sinks.hook]\ntype = \"webhook\"\nurl = \"http://127.0.0.1:{port}/hook\"\nmax_attempts = 1\n[[alerts.routes]]\nname = \"all\"\nsinks = [\"hook\"]\n\n[[source]]\nid = \"notice\"\nfamily = \"page\"\nurls = [\"{}/notice.html\"]\n",
        site.data.display(),
        site.base()
    );
    std::fs::write(&path, text).unwrap();
    path
}

fn page(valid: &str) -> String {
    format!(
        "<!DOCTYPE html><html lang=\"ja\"><head><meta charset=\"UTF-8\"><title>資格確認書</title></head>\
         <body><main><h1>資格確認書について</h1><p>資格確認書は{valid}まで有効です。</p></main></body></html>"
    )
}

async fn run(cfg: &std::path::Path, failpoint: Option<&str>) -> std::process::Output {
    let mut cmd = tokio::process::Command::new(env!("CARGO_BIN_EXE_mynawatch"));
    cmd.args(["run", "--config", &cfg.display().to_string()]);
    if let Some(f) = failpoint {
        cmd.env("MYNAWATCH_FAILPOINT", f);
    }
    cmd.output().await.unwrap()
}

#[tokio::test(flavor = "multi_thread")]
async fn digests_of_a_run_killed_after_its_commit_are_delivered_once_by_the_next_run() {
    for failpoint in [
        "after_commit_record",
        "after_publish",
        "before_alert_delivery",
    ] {
        let site = Site::new().await;
        let (port, got) = receiver().await;
        site.put("notice.html", page("令和8年7月31日"));
        let cfg = write_config(&site, port);

        let killed = run(&cfg, Some(failpoint)).await;
        assert!(!killed.status.success(), "{failpoint}: the run was aborted");
        assert!(
            got.keys().is_empty(),
            "{failpoint}: nothing sent before the crash"
        );

        // The next run finishes publishing (if needed) and delivers the killed run's digest.
        let next = run(&cfg, None).await;
        assert!(
            next.status.success(),
            "{failpoint}: {}",
            String::from_utf8_lossy(&next.stderr)
        );
        let keys = got.keys();
        assert_eq!(
            keys.len(),
            1,
            "{failpoint}: delivered exactly once: {keys:?}"
        );
        assert!(keys[0].ends_with("/all"), "{keys:?}");
        let body = got.0.lock().unwrap()[0].1.clone();
        assert_eq!(body["idempotency_key"], keys[0].as_str());
        assert!(
            body["text"].as_str().unwrap().contains("baseline"),
            "{body}"
        );

        // A changed page: the next digest has a new key; nothing is sent twice.
        site.put("notice.html", page("令和9年7月31日"));
        let third = run(&cfg, None).await;
        assert!(third.status.success());
        let keys = got.keys();
        assert_eq!(keys.len(), 2, "{failpoint}: {keys:?}");
        assert_ne!(keys[0], keys[1]);
        let quiet = run(&cfg, None).await;
        assert!(quiet.status.success());
        assert_eq!(
            got.keys().len(),
            2,
            "{failpoint}: an unchanged run sends nothing"
        );
    }
}
