//! Alerts as users get them: routed by rules, rendered old → new, delivered to a real
//! webhook receiver (signature checked) and a real SMTP sink on loopback, and never lost
//! when a receiver is down.

use std::sync::{Arc, Mutex};

use axum::{body::Bytes, http::HeaderMap, routing::post, Router};
use chrono::Utc;
use mynawatch_alert::*;
use mynawatch_model::{Change, ChangeKind};
use tokio::io::{AsyncBufReadExt, AsyncWriteExt, BufReader};

fn change(
    kind: ChangeKind,
    table: &str,
    old: Option<&str>,
    new: Option<&str>,
    summary: &str,
) -> AlertItem {
    AlertItem {
        change: Change {
            run_id: "r1".into(),
            detected_at: Utc::now(),
            source_id: "mic_card_stats".into(),
            table: table.into(),
            entity_key: "mic_card_stats|card.holdings|131130||2022-12-31||".into(),
            field: if table == "figures" {
                "value".into()
            } else {
                String::new()
            },
            old_value: old.map(str::to_string),
            new_value: new.map(str::to_string),
            kind,
            summary: summary.into(),
            url: "https://www.soumu.go.jp/kojinbango_card/kofujokyo.html".into(),
        },
        family: "mic_card_stats".into(),
        metric: (table == "figures").then(|| "card.holdings".to_string()),
        baseline: None,
        figure: None,
    }
}

fn revised(old: &str, new: &str) -> AlertItem {
    change(
        ChangeKind::Revised,
        "figures",
        Some(old),
        Some(new),
        &format!("card.holdings 東京都渋谷区 2022-12-31: {old} → {new}"),
    )
}

fn broken() -> AlertItem {
    change(
        ChangeKind::SourceBroken,
        "sources",
        None,
        Some("HTTP 500 Internal Server Error"),
        "mic_card_stats: fetch failed",
    )
}

fn config(toml_text: &str) -> AlertConfig {
    toml::from_str(toml_text).unwrap()
}

#[test]
fn routes_filter_by_table_kind_and_threshold_and_keep_health_separate() {
    let cfg = config(
        r#"
        [sinks.out]
        type = "stdout"
        [[routes]]
        name = "big moves"
        sinks = ["out"]
        tables = ["figures", "sources"]
        min_change_pct = 1.0
        [[routes]]
        name = "health only"
        sinks = ["out"]
        kinds = ["source_broken", "source_recovered"]
        "#,
    );
    let items = vec![
        broken(),
        revised("135186", "135200"),
        revised("135186", "140000"),
    ];
    let digests = route(&cfg, "r1", &items);
    assert_eq!(digests.len(), 2);
    let big: Vec<&str> = digests[0]
        .items
        .iter()
        .map(|i| i.change.new_value.as_deref().unwrap_or(""))
        .collect();
    assert_eq!(
        big,
        vec!["140000", "HTTP 500 Internal Server Error"],
        "a 0.01% move is filtered; health comes after data"
    );
    assert_eq!(digests[1].items.len(), 1);
    assert_eq!(digests[1].items[0].change.kind, ChangeKind::SourceBroken);
}

#[test]
fn items_render_old_to_new_with_the_url_in_both_languages() {
    let item = revised("135,186", "135,300");
    let en = render_item(&item, Language::En);
    assert_eq!(en, "[revised] card.holdings 東京都渋谷区 2022-12-31: 135,186 → 135,300 — https://www.soumu.go.jp/kojinbango_card/kofujokyo.html");
    let ja = render_item(&broken(), Language::Ja);
    assert!(
        ja.starts_with("【取得・抽出の失敗】mic_card_stats: HTTP 500"),
        "{ja}"
    );
    assert!(ja.contains("前回までのデータは保持"));
}

#[derive(Clone, Default)]
struct Received(Arc<Mutex<Vec<(HeaderMap, Bytes)>>>);

async fn receiver(listener: tokio::net::TcpListener) -> Received {
    let got = Received::default();
    let state = got.clone();
    let app = Router::new().route(
        "/hook",
        post(move |headers: HeaderMap, body: Bytes| {
            let state = state.clone();
            async move {
                state.0.lock().unwrap().push((headers, body));
                "ok"
            }
        }),
    );
    tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
    got
}

fn webhook_config(port: u16, secret_env: &str) -> AlertConfig {
    config(&format!(
        r#"
        [sinks.team]
        type = "webhook"
        url = "http://127.0.0.1:{port}/hook"
        secret_env = "{secret_env}"
        max_attempts = 2
        backoff_ms = 10
        timeout_ms = 2000
        [[routes]]
        name = "all"
        sinks = ["team"]
        "#
    ))
}

#[tokio::test]
async fn webhook_posts_slack_text_with_a_verifiable_signature() {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let port = listener.local_addr().unwrap().port();
    let got = receiver(listener).await;
    std::env::set_var("MYNAWATCH_TEST_SECRET_SIGNED", "s3cret");
    let cfg = webhook_config(port, "MYNAWATCH_TEST_SECRET_SIGNED");
    let state = tempfile::tempdir().unwrap();
    let d = Dispatcher::new(cfg.clone(), state.path()).unwrap();
    let report = d
        .deliver(route(&cfg, "r1", &[revised("135186", "140000")]))
        .await;
    assert!(report.failed.is_empty(), "{report:?}");
    let got = got.0.lock().unwrap();
    assert_eq!(got.len(), 1);
    let (headers, body) = &got[0];
    let sig = headers["x-mynawatch-signature"].to_str().unwrap();
    // Recompute the HMAC over the exact bytes received, as a receiver would.
    use hmac::{Hmac, Mac};
    let mut mac = Hmac::<sha2::Sha256>::new_from_slice(b"s3cret").unwrap();
    mac.update(body);
    assert_eq!(
        sig,
        format!("sha256={}", hex::encode(mac.finalize().into_bytes()))
    );
    let json: serde_json::Value = serde_json::from_slice(body).unwrap();
    assert!(json["text"].as_str().unwrap().contains("135186 → 140000"));
    assert_eq!(json["items"][0]["kind"], "revised");
}

#[tokio::test]
async fn a_digest_for_a_receiver_that_is_down_waits_in_the_outbox_and_arrives_once() {
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let cfg = webhook_config(port, "MYNAWATCH_TEST_SECRET_UNSET");
    let state = tempfile::tempdir().unwrap();
    let d = Dispatcher::new(cfg.clone(), state.path()).unwrap();
    let first = d.deliver(route(&cfg, "r1", &[revised("1", "2")])).await;
    assert_eq!(first.failed.len(), 1, "nothing listens yet");
    let outbox = outbox_dir(state.path());
    assert_eq!(std::fs::read_dir(&outbox).unwrap().count(), 1);

    let listener = tokio::net::TcpListener::bind(("127.0.0.1", port))
        .await
        .unwrap();
    let got = receiver(listener).await;
    let second = d.deliver(Vec::new()).await;
    assert!(second.failed.is_empty(), "{second:?}");
    assert_eq!(got.0.lock().unwrap().len(), 1);
    assert_eq!(std::fs::read_dir(&outbox).unwrap().count(), 0);
    let third = d.deliver(Vec::new()).await;
    assert!(third.delivered.is_empty());
    assert_eq!(got.0.lock().unwrap().len(), 1, "delivered exactly once");
    assert!(
        got.0.lock().unwrap()[0]
            .0
            .get("x-mynawatch-signature")
            .is_none(),
        "no secret, no signature"
    );
}

/// A minimal SMTP server: enough of RFC 5321 for one client, capturing DATA.
async fn smtp_sink() -> (u16, tokio::sync::oneshot::Receiver<String>) {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let port = listener.local_addr().unwrap().port();
    let (tx, rx) = tokio::sync::oneshot::channel();
    tokio::spawn(async move {
        let (sock, _) = listener.accept().await.unwrap();
        let (r, mut w) = sock.into_split();
        let mut lines = BufReader::new(r).lines();
        w.write_all(b"220 sink ESMTP\r\n").await.unwrap();
        let mut data = String::new();
        let mut in_data = false;
        while let Ok(Some(line)) = lines.next_line().await {
            if in_data {
                if line == "." {
                    in_data = false;
                    w.write_all(b"250 queued\r\n").await.unwrap();
                } else {
                    data.push_str(&line);
                    data.push('\n');
                }
                continue;
            }
            let cmd = line.to_ascii_uppercase();
            let reply: &[u8] = if cmd.starts_with("EHLO") {
                b"250-sink\r\n250 8BITMIME\r\n"
            } else if cmd.starts_with("DATA") {
                in_data = true;
                b"354 go ahead\r\n"
            } else if cmd.starts_with("QUIT") {
                w.write_all(b"221 bye\r\n").await.unwrap();
                break;
            } else {
                b"250 ok\r\n"
            };
            w.write_all(reply).await.unwrap();
        }
        let _ = tx.send(data);
    });
    (port, rx)
}

fn decode_body(message: &str) -> String {
    let (head, body) = message.split_once("\n\n").unwrap_or((message, ""));
    if head
        .to_ascii_lowercase()
        .contains("content-transfer-encoding: base64")
    {
        use base64::Engine;
        let joined: String = body.lines().collect();
        String::from_utf8(
            base64::engine::general_purpose::STANDARD
                .decode(joined.trim())
                .unwrap(),
        )
        .unwrap()
    } else if head.to_ascii_lowercase().contains("quoted-printable") {
        let soft = body.replace("=\n", "");
        let mut out = Vec::new();
        let b = soft.as_bytes();
        let mut i = 0;
        while i < b.len() {
            if b[i] == b'=' && i + 2 < b.len() {
                out.push(
                    u8::from_str_radix(std::str::from_utf8(&b[i + 1..i + 3]).unwrap(), 16).unwrap(),
                );
                i += 3;
            } else {
                out.push(b[i]);
                i += 1;
            }
        }
        String::from_utf8(out).unwrap()
    } else {
        body.to_string()
    }
}

/// The `Subject:` header, unfolded and with RFC 2047 encoded words decoded.
fn subject(message: &str) -> String {
    use base64::Engine;
    let mut lines = message.lines().skip_while(|l| !l.starts_with("Subject:"));
    let mut raw = lines.next().unwrap_or_default()["Subject:".len()..].to_string();
    for l in lines.take_while(|l| l.starts_with([' ', '\t'])) {
        raw.push_str(l);
    }
    let mut out = String::new();
    let mut prev_encoded = None;
    for word in raw.split_whitespace() {
        let decoded = word
            .strip_prefix("=?utf-8?b?")
            .or_else(|| word.strip_prefix("=?utf-8?B?"))
            .and_then(|w| w.strip_suffix("?="))
            .and_then(|b| base64::engine::general_purpose::STANDARD.decode(b).ok())
            .and_then(|b| String::from_utf8(b).ok());
        // Space between two encoded words is folding, not text (RFC 2047 §6.2).
        if prev_encoded.is_some() && !(prev_encoded == Some(true) && decoded.is_some()) {
            out.push(' ');
        }
        prev_encoded = Some(decoded.is_some());
        out.push_str(decoded.as_deref().unwrap_or(word));
    }
    out
}

#[tokio::test]
async fn email_goes_to_an_smtp_server_on_loopback() {
    let (port, rx) = smtp_sink().await;
    let cfg = config(&format!(
        r#"
        language = "ja"
        [sinks.mail]
        type = "smtp"
        host = "127.0.0.1"
        port = {port}
        from = "mynawatch@example.jp"
        to = ["desk@example.jp"]
        [[routes]]
        name = "all"
        sinks = ["mail"]
        "#
    ));
    let state = tempfile::tempdir().unwrap();
    let d = Dispatcher::new(cfg.clone(), state.path()).unwrap();
    let report = d
        .deliver(route(&cfg, "r7", &[revised("135186", "140000"), broken()]))
        .await;
    assert!(report.failed.is_empty(), "{report:?}");
    let message = rx.await.unwrap();
    assert!(
        subject(&message) == "mynawatch: 数値の改訂 1 件、取得失敗 1 件",
        "{}\n{message}",
        subject(&message)
    );
    assert!(message.contains("To: desk@example.jp"));
    let body = decode_body(&message);
    assert!(body.contains("データの変更 1 件、取得状況 1 件"), "{body}");
    assert!(
        body.contains("【改訂】card.holdings 東京都渋谷区 2022-12-31: 135186 → 140000"),
        "{body}"
    );
}

fn added_figure(area: &str, metric: &str, value: f64, previous: Option<f64>) -> AlertItem {
    let mut i = change(
        ChangeKind::Added,
        "figures",
        None,
        None,
        &format!("added: {metric} {area} 2022-12-31 = {value}"),
    );
    i.change.source_id = "mic_localgovs_latest".into();
    i.change.entity_key = format!("mic_localgovs_latest|{metric}|{area}||2022-12-31||");
    i.metric = Some(metric.into());
    i.figure = Some(FigureNote {
        value: Some(value),
        previous,
        previous_period: previous.map(|_| "2017-03-08".into()),
    });
    i
}

fn notice_changed(n: usize) -> AlertItem {
    let mut i = change(
        ChangeKind::NoticeTextChanged,
        "notices",
        None,
        None,
        &format!(
            "東京都第{n}区 国民健康保険 資格確認書の一斉送付について: text changed: reworded «令和7年8月1日から» → «令和8年8月1日から»"
        ),
    );
    i.change.source_id = format!("municipal_{n:06}_kokuho");
    i.change.entity_key = format!("municipal_{n:06}_kokuho|{n:06}");
    i.family = "municipal_notice".into();
    i.metric = None;
    i
}

/// A MIC release: every municipality × 3 metrics, and the national rows.
fn release() -> Vec<AlertItem> {
    let mut items = Vec::new();
    for a in 0..1741 {
        for m in ["population", "card.issued", "card.holding_rate"] {
            items.push(added_figure(
                &format!("{:06}", 10000 + a),
                m,
                100.0 + a as f64,
                None,
            ));
        }
    }
    items.push(added_figure(
        "000000",
        "card.holding_rate",
        67.5,
        Some(67.0),
    ));
    items
}

#[test]
fn a_release_of_thousands_of_figures_is_one_line_with_the_national_value_and_notices_stay_in_full()
{
    let mut items = release();
    items.push(notice_changed(131130));
    items.push(broken());
    let lines = digest_lines(&items, Language::En);
    assert_eq!(lines.len(), 3, "{lines:#?}");
    assert!(
        lines[0].starts_with("[added] mic_localgovs_latest 2022-12-31: 1,742 areas × 3 metrics added (5,224 figures); national card.holding_rate 67 → 67.5"),
        "{}",
        lines[0]
    );
    assert!(lines[1].contains("東京都第131130区") && lines[1].contains("«令和8年8月1日から»"));
    assert!(lines[2].starts_with("[SOURCE BROKEN]"));
    let text = digest_text("all", "r1", &items, Language::En);
    assert!(text.lines().count() <= 6, "{text}");
    assert_eq!(
        headline(&items, Language::En),
        "1 notice changed, 5,224 figures added, 1 source broken"
    );
}

#[test]
fn a_nationwide_first_run_is_one_baseline_line_per_family() {
    let items: Vec<AlertItem> = (0..1567)
        .map(|n| {
            let mut i = notice_changed(n);
            i.change.kind = ChangeKind::Added;
            i.change.new_value = Some("1".into());
            i.change.summary = format!("municipal_{n:06}_kokuho: baseline: 1 notices");
            i.baseline = Some(Baseline::Summary);
            i
        })
        .collect();
    let lines = digest_lines(&items, Language::En);
    assert_eq!(
        lines,
        vec!["[baseline] 1,567 municipal notices: baseline stored (1,567 rows)".to_string()]
    );
}

#[test]
fn a_restatement_names_its_largest_moves() {
    let mut items = Vec::new();
    for (a, (old, new)) in [
        (100.0, 101.0),
        (100.0, 150.0),
        (100.0, 99.0),
        (100.0, 100.5),
        (200.0, 100.0),
    ]
    .into_iter()
    .enumerate()
    {
        let mut i = revised(&old.to_string(), &new.to_string());
        i.change.entity_key = format!("mic|card.issued|{:06}||2022-12-31||", 10000 + a);
        i.change.summary = format!("card.issued area{a} 2022-12-31: {old} → {new}");
        items.push(i);
    }
    let lines = digest_lines(&items, Language::En);
    assert_eq!(lines.len(), 1, "{lines:#?}");
    assert!(lines[0].contains("5 figures"), "{}", lines[0]);
    assert!(
        lines[0]
            .contains("largest moves: card.issued area1 2022-12-31: 100 → 150; card.issued area4"),
        "{}",
        lines[0]
    );
}

#[tokio::test]
async fn a_digest_over_the_slack_limit_reaches_a_receiver_in_numbered_parts_each_under_it() {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let port = listener.local_addr().unwrap().port();
    let got = receiver(listener).await;
    let cfg = webhook_config(port, "MYNAWATCH_TEST_SECRET_UNSET_SPLIT");
    // A generated large release: every notice of a prefecture's worth of issuers rewritten
    // (notices are listed in full), next to thousands of figures (one line).
    let mut items = release();
    items.extend((0..900).map(notice_changed));
    let digests = route(&cfg, "r9", &items);
    assert_eq!(digests.len(), 1);
    let full = digests[0].text.clone();
    assert!(
        full.chars().count() > SLACK_TEXT_LIMIT,
        "the test needs a long digest"
    );
    let state = tempfile::tempdir().unwrap();
    let report = Dispatcher::new(cfg.clone(), state.path())
        .unwrap()
        .deliver(digests)
        .await;
    assert!(report.failed.is_empty(), "{report:?}");
    let got = got.0.lock().unwrap();
    let n = got.len();
    assert!(n >= 2, "split into parts: {n}");
    let mut joined = String::new();
    let mut keys = std::collections::BTreeSet::new();
    let mut items_seen = 0;
    for (i, (headers, body)) in got.iter().enumerate() {
        let json: serde_json::Value = serde_json::from_slice(body).unwrap();
        let text = json["text"].as_str().unwrap();
        assert!(
            text.chars().count() <= SLACK_TEXT_LIMIT,
            "part {i} is {} chars",
            text.chars().count()
        );
        let prefix = format!("({}/{n}) ", i + 1);
        assert!(text.starts_with(&prefix), "{}", &text[..40]);
        assert_eq!(json["part"], i + 1);
        assert_eq!(json["parts"], n);
        joined.push_str(&text[prefix.len()..]);
        keys.insert(headers["idempotency-key"].to_str().unwrap().to_string());
        items_seen += json["items"].as_array().unwrap().len();
    }
    assert_eq!(
        joined, full,
        "the parts are the digest, in order, nothing lost"
    );
    assert_eq!(
        keys.len(),
        n,
        "each part has its own idempotency key: {keys:?}"
    );
    assert!(keys.contains(&format!("r9/all/1of{n}")));
    let omitted = got
        .iter()
        .map(|(_, b)| {
            serde_json::from_slice::<serde_json::Value>(b).unwrap()["items_omitted"]
                .as_u64()
                .unwrap()
        })
        .max()
        .unwrap();
    assert_eq!(
        items_seen, 1_000,
        "at most max_items structured items (the default)"
    );
    assert_eq!(
        items_seen + omitted as usize,
        items.len(),
        "the rest are counted"
    );
}
