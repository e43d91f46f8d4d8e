//! `municipal_notice` reads a fact whatever shape the page gives it: a plain sentence,
//! a label and its value, a numbered item of a committee report in である style, a table
//! row, a heading over the rule. Each test states the same kind of fact in its own words
//! and shape (texts written for the repo, in the way municipal sites write them); the
//! negative tests are the misreadings a reader must not make.

use chrono::NaiveDate;
use mynawatch_extract::{family, Extraction, Input};
use mynawatch_model::{Notice, SnapshotMeta};

fn d(s: &str) -> Option<NaiveDate> {
    Some(NaiveDate::parse_from_str(s, "%Y-%m-%d").expect("date"))
}

/// The text layer on `text`, as `mynawatch extract --text` runs it.
fn read(text: &str) -> Extraction {
    let m = SnapshotMeta::for_file(
        "municipal_notice",
        "https://city.example.jp/a.html",
        "ab".repeat(32),
    );
    let options = serde_json::Value::Null;
    let input = Input {
        bytes: text.as_bytes(),
        meta: &m,
        options: &options,
    };
    family("municipal_notice")
        .unwrap()
        .extract_text(text, &input)
        .unwrap()
        .unwrap()
}

/// The HTML layer on `bytes` (any encoding the page declares).
fn read_html(bytes: &[u8]) -> Extraction {
    let m = SnapshotMeta::for_file(
        "municipal_notice",
        "https://city.example.jp/b.html",
        "cd".repeat(32),
    );
    let options = serde_json::json!({"area": "東京都世田谷区"});
    let input = Input {
        bytes,
        meta: &m,
        options: &options,
    };
    family("municipal_notice").unwrap().extract(&input).unwrap()
}

fn notice(x: &Extraction) -> &Notice {
    &x.rows.notices[0]
}

#[test]
fn a_validity_period_in_one_plain_sentence_gives_both_ends() {
    let x = read("国民健康保険の資格確認書について\n資格確認書の有効期間は令和7年8月1日から令和8年7月31日までです。");
    let n = notice(&x);
    assert_eq!(
        (n.valid_from, n.valid_until),
        (d("2025-08-01"), d("2026-07-31"))
    );
}

#[test]
fn a_committee_report_in_dearu_style_with_numbered_items_is_read() {
    let text = "区民委員会報告\n国民健康保険の資格確認書の交付について\n\
        1 趣旨\n令和7年度の一斉更新にあたり、マイナ保険証の保有状況にかかわらず、被保険者全員に資格確認書を交付する。\n\
        2 概要\n(1)対象 国民健康保険の被保険者\n(2)有効期間 令和7年10月1日から令和8年9月30日まで\n\
        (3)交付方法 特定記録郵便により郵送する。\n(4)交付予定時期 令和7年9月中旬\n";
    let x = read(&mynawatch_ja::normalize(text));
    let n = notice(&x);
    assert_eq!(n.issuance_policy, "all_insured", "{:?}", x.warnings);
    assert_eq!(
        (n.valid_from, n.valid_until),
        (d("2025-10-01"), d("2026-09-30"))
    );
    assert_eq!(n.mailing_method, "特定記録郵便");
    assert_eq!(
        (n.mailing_start, n.mailing_end),
        (d("2025-09-11"), d("2025-09-20"))
    );
}

#[test]
fn full_width_key_value_lines_are_read_by_their_labels() {
    // The same facts as labelled lines, written with full-width digits and colons.
    let text = "資格確認書の送付について(国民健康保険)\n\
        マイナ保険証をお持ちでない方に資格確認書をお送りします。\n\
        ・交付予定時期： 令和７年７月中旬\n・送付方法：簡易書留\n・有効期限：令和８年７月３１日\n";
    let x = read(text);
    let n = notice(&x);
    assert_eq!(n.issuance_policy, "unregistered_only");
    assert_eq!(
        (n.mailing_start, n.mailing_end),
        (d("2025-07-11"), d("2025-07-20"))
    );
    assert_eq!(n.mailing_method, "簡易書留");
    assert_eq!(n.valid_until, d("2026-07-31"));
}

#[test]
fn a_bracketed_label_and_value_on_one_line_is_read() {
    let text = "後期高齢者医療 資格確認書のお知らせ\n【送付時期】令和7年7月下旬\n【有効期間】令和7年8月1日~令和8年7月31日\n\
        資格確認書は、被保険者全員に送付します。";
    let n = notice(&read(text)).clone();
    assert_eq!(
        (n.mailing_start, n.mailing_end),
        (d("2025-07-21"), d("2025-07-31"))
    );
    assert_eq!(
        (n.valid_from, n.valid_until),
        (d("2025-08-01"), d("2026-07-31"))
    );
    assert_eq!(n.issuance_policy, "all_insured");
}

#[test]
fn table_rows_of_a_shift_jis_page_give_the_cards_validity_and_method() {
    let html = "<html><head><meta charset=\"Shift_JIS\"><title>資格確認書</title></head><body><main>\
        <h1>国民健康保険 資格確認書等の送付</h1>\
        <p>令和7年7月中に、登録状況に応じて資格確認書または資格情報のお知らせをお送りします。</p>\
        <table><tr><th>書類</th><th>送る方</th><th>送り方</th><th>有効期限</th></tr>\
        <tr><td>資格確認書</td><td>マイナ保険証をお持ちでない方</td><td>簡易書留</td><td>令和8年7月31日</td></tr>\
        <tr><td>資格情報のお知らせ</td><td>マイナ保険証をお持ちの方</td><td>普通郵便</td><td>なし</td></tr></table>\
        </main></body></html>";
    let (bytes, _, _) = encoding_rs::SHIFT_JIS.encode(html);
    let x = read_html(&bytes);
    let n = notice(&x);
    assert_eq!(n.issuance_policy, "unregistered_only");
    assert_eq!(n.mailing_method, "簡易書留", "{:?}", x.warnings);
    assert_eq!(n.valid_until, d("2026-07-31"));
}

#[test]
fn a_rule_under_a_heading_naming_the_group_is_read_with_the_heading() {
    let text = "国民健康保険の資格確認書について\n令和7年7月中に新しい書類を送付します。\n\
        【マイナ保険証を保有しない方】\n資格確認書が交付されます。\n\
        【マイナ保険証を保有する方】\n資格情報のお知らせが交付されます。";
    let n = notice(&read(text)).clone();
    assert_eq!(n.issuance_policy, "unregistered_only");
}

#[test]
fn negated_status_in_any_form_means_those_without_a_card() {
    for who in [
        "保有しない方",
        "お持ちでない方",
        "利用登録のない方",
        "登録がお済みでない方",
        "持っていない人",
    ] {
        let text =
            format!("国民健康保険 資格確認書\nマイナ保険証を{who}には、資格確認書を送付します。");
        assert_eq!(
            notice(&read(&text)).issuance_policy,
            "unregistered_only",
            "{who}"
        );
    }
    // The card itself said to be missing, in a sentence that gives each group its document.
    for who in ["マイナ保険証がない人", "マイナ保険証のない方"] {
        let text = format!(
            "後期高齢者医療 新しい資格確認書\n\
             マイナ保険証を使う人には「資格情報のお知らせ」を、{who}には「資格確認書」をお送りします。"
        );
        assert_eq!(
            notice(&read(&text)).issuance_policy,
            "unregistered_only",
            "{who}"
        );
    }
}

#[test]
fn a_re_issue_request_or_a_note_added_on_request_is_not_issuance_on_request() {
    let text = "国民健康保険 資格確認書の一斉送付\n令和7年7月中に、マイナ保険証をお持ちでない方に資格確認書を送付します。\n\
        資格確認書を紛失した場合は、再交付申請により交付します。\n申請により旧姓を併記することができます。";
    assert_eq!(notice(&read(text)).issuance_policy, "unregistered_only");
}

#[test]
fn a_rule_starting_on_a_date_is_not_a_mailing_start() {
    let text = "国民健康保険 資格確認書について\n8月1日以降は、医療機関でマイナ保険証または資格確認書を提示してください。\n\
        更新日:2025年6月20日\n資格確認書は7月下旬に簡易書留で送付します。";
    let n = notice(&read(text)).clone();
    assert_eq!(
        (n.mailing_start, n.mailing_end),
        (d("2025-07-21"), d("2025-07-31"))
    );
}

#[test]
fn the_replaced_cards_expiry_is_not_the_new_cards() {
    let text = "国民健康保険 資格確認書の更新\n更新日:2025年6月2日\n\
        お手持ちの資格確認書の有効期限は7月31日(木)です。\n\
        新しい資格確認書は7月中旬に送付します。";
    let x = read(text);
    let n = notice(&x);
    assert_eq!(n.valid_until, None, "{:?}", x.warnings);
    assert_eq!(
        (n.mailing_start, n.mailing_end),
        (d("2025-07-11"), d("2025-07-20"))
    );
}

#[test]
fn the_first_day_of_a_validity_range_is_never_its_end() {
    let text =
        "後期高齢者医療 資格確認書\n資格確認書の有効期限:令和7年8月1日から令和8年7月31日まで\n\
        資格確認書は全ての被保険者に送付します。";
    let n = notice(&read(text)).clone();
    assert_eq!(
        (n.valid_from, n.valid_until),
        (d("2025-08-01"), d("2026-07-31"))
    );
}

#[test]
fn the_premium_notices_mailing_is_not_the_cards() {
    let text = "国民健康保険 資格確認書\n掲載日:2025年6月10日\n資格確認書は、マイナ保険証をお持ちでない方に7月中旬に送付します。\n\
        保険料の決定のお知らせは6月中旬に送付します。";
    let n = notice(&read(text)).clone();
    assert_eq!(
        (n.mailing_start, n.mailing_end),
        (d("2025-07-11"), d("2025-07-20"))
    );
}

#[test]
fn labels_that_disagree_with_the_text_leave_the_field_empty_with_a_warning() {
    let text = "国民健康保険 資格確認書\n更新日:2025年6月1日\n資格確認書は7月上旬に送付します。\n送付時期:9月下旬";
    let x = read(text);
    let n = notice(&x);
    assert_eq!((n.mailing_start, n.mailing_end), (None, None));
    assert!(
        x.warnings.iter().any(|w| w.contains("mailing")),
        "{:?}",
        x.warnings
    );
}

#[test]
fn the_2026_koki_rule_by_age_is_mixed_once_it_is_in_force() {
    let text = "後期高齢者医療 資格確認書の交付について\n更新日:2026年9月1日\n\
        85歳以上の方には、マイナ保険証をお持ちかどうかにかかわらず全員に資格確認書を交付し、\
        84歳以下の方には、マイナ保険証を保有しない方に交付します。";
    assert_eq!(notice(&read(text)).issuance_policy, "mixed");
    // The age band written as a birth date: everyone in it, so not everyone.
    let text = "後期高齢者医療 資格確認書について\n更新日:2026年9月1日\n\
        昭和16年7月31日以前に生まれた方には、資格確認書を一律でお送りします。";
    assert_eq!(notice(&read(text)).issuance_policy, "mixed");
}

#[test]
fn of_two_rules_in_one_sentence_the_one_in_force_at_the_pages_date_is_read() {
    let body = "後期高齢者医療 資格確認書\n更新日:{DATE}\n\
        令和8年7月31日までは、マイナ保険証の保有状況に関わらず資格確認書を交付し、\
        令和8年8月1日以降は、マイナ保険証をお持ちでない方に資格確認書を交付します。";
    let before = body.replace("{DATE}", "2026年1月15日");
    let after = body.replace("{DATE}", "2026年8月20日");
    assert_eq!(notice(&read(&before)).issuance_policy, "all_insured");
    assert_eq!(notice(&read(&after)).issuance_policy, "unregistered_only");
}

#[test]
fn a_bare_date_line_or_a_koho_issue_gives_year_less_dates_their_year() {
    for head in ["2025年6月17日", "広報みなみ 令和7年7月号"] {
        let text = format!(
            "国民健康保険の資格確認書\n{head}\n資格確認書は、マイナ保険証をお持ちでない方に7月下旬に送付します。"
        );
        let n = notice(&read(&text)).clone();
        assert_eq!(
            (n.mailing_start, n.mailing_end),
            (d("2025-07-21"), d("2025-07-31")),
            "{head}"
        );
    }
}

#[test]
fn everyone_named_last_before_the_verb_is_the_recipient() {
    let text = "後期高齢者医療 資格確認書\n更新日:2025年6月1日\n\
        マイナ保険証をお持ちでない方も安心して受診できるよう、8月1日から使える資格確認書を全員に交付します。";
    assert_eq!(notice(&read(text)).issuance_policy, "all_insured");
}

#[test]
fn an_era_year_with_its_western_year_in_brackets_is_one_date() {
    let text = "国民健康保険の資格確認書\n加入者全員に資格確認書を送付します。\n\
        有効期限は、令和7年（2025年）8月1日から令和8年（2026年）7月31日までです。";
    let n = notice(&read(text)).clone();
    assert_eq!(
        (n.valid_from, n.valid_until),
        (d("2025-08-01"), d("2026-07-31"))
    );
}

#[test]
fn a_validity_shared_by_both_documents_after_a_comma_is_read() {
    let text = "資格確認書等の交付について\nマイナ保険証をお持ちでない方に資格確認書を交付します。\n\
        「資格情報のお知らせ」と「資格確認書」の有効期限は、令和7年10月1日から令和8年7月31日までです。";
    let n = notice(&read(text)).clone();
    assert_eq!(
        (n.valid_from, n.valid_until),
        (d("2025-10-01"), d("2026-07-31"))
    );
}

#[test]
fn a_range_followed_by_its_use_is_the_cards_validity() {
    let text = "後期高齢者医療 資格確認書の送付\n\
        令和7年度は、被保険者の皆さま全員に、令和7年8月1日から令和8年7月31日まで使える資格確認書をお送りします。";
    let n = notice(&read(text)).clone();
    assert_eq!(
        (n.valid_from, n.valid_until),
        (d("2025-08-01"), d("2026-07-31"))
    );
}

#[test]
fn a_window_that_picks_out_the_recipients_is_not_the_mailing() {
    let text = "後期高齢者医療の資格確認書\n令和7年6月1日\n\
        新しい資格確認書は、7月下旬までに簡易書留で全員にお送りします。\n\
        令和6年8月1日から令和7年7月31日までに減額認定証をお持ちだった方には、その内容を併記した資格確認書を送付します。";
    let n = notice(&read(text)).clone();
    assert_eq!(n.mailing_start, None, "the window says who, not when");
    assert_eq!(n.mailing_end, d("2025-07-31"));
}

#[test]
fn a_sentence_under_an_old_card_item_keeps_that_cards_expiry_out() {
    let text = "後期高齢者医療 資格確認書について\n令和6年11月15日\n\
        資格確認書は申請がなくても全員にお送りします。\n\
        - 今お手元に「被保険者証」がある方\n\
        書かれた内容に変わりがなければ、有効期限(令和7年7月31日)まで使えます。";
    let x = read(text);
    assert_eq!(notice(&x).valid_until, None, "{:?}", x.warnings);
}

#[test]
fn a_rule_for_every_year_dates_nothing() {
    let text = "後期高齢者医療 資格確認書\n全ての被保険者に資格確認書を交付します。\n\
        資格確認書の有効期限は原則として8月から翌年ではなく翌7月末までの1年間です。";
    let n = notice(&read(text)).clone();
    assert_eq!((n.valid_from, n.valid_until), (None, None));
}

#[test]
fn every_field_read_carries_the_sentence_and_line_it_came_from() {
    let text = "国民健康保険の資格確認書\nマイナ保険証をお持ちでない方に資格確認書を送付します。\n\
        ・送付時期：令和７年７月中旬\n・有効期限：令和８年７月３１日";
    let n = notice(&read(text)).clone();
    let ev: serde_json::Value = serde_json::from_str(&n.evidence).unwrap();
    assert_eq!(ev["valid_until"]["how"], "label");
    assert_eq!(ev["valid_until"]["line"], 4);
    assert!(ev["mailing_start"]["quote"]
        .as_str()
        .unwrap()
        .contains("送付時期"));
    assert_eq!(ev["issuance_policy"]["line"], 2);
}

#[test]
fn a_time_in_brackets_after_the_sentence_that_sends_the_card_is_its_mailing() {
    let text = "後期高齢者医療の資格確認書\n令和7年8月1日以降\n\
        マイナ保険証の有無に関わらず、被保険者の方へ「資格確認書」を交付します。【7月中旬頃】\n\
        有効期限は令和8年7月31日です。";
    let n = notice(&read(text)).clone();
    assert_eq!(
        (n.mailing_start, n.mailing_end),
        (d("2025-07-11"), d("2025-07-20"))
    );
}

#[test]
fn a_breadcrumb_and_another_cards_use_date_nothing() {
    let text = "現在地 トップページ > くらし > 保険 > 令和7年8月1日以降の資格確認書について\n\
        後期高齢者医療の資格確認書\n全ての被保険者に資格確認書を交付します。\n\
        また、令和7年9月からはマイナ保険証をスマートフォンで使うこともできます。";
    let n = notice(&read(text)).clone();
    assert_eq!(n.valid_from, None);
}

#[test]
fn a_rule_still_to_come_does_not_give_the_cycle_its_year() {
    let text = "後期高齢者医療 資格確認書\n\
        後期高齢者医療に加入の方には、マイナ保険証の登録の有無に関係なく全員に、8月1日から使える資格確認書を7月下旬までに郵送します。\n\
        ※令和8年8月1日以降は、登録している方には資格確認書が交付されなくなります。\n\
        保険料は令和7年度分から変わります。";
    let n = notice(&read(text)).clone();
    assert_eq!(n.mailing_end, d("2025-07-31"));
    assert_eq!(n.valid_from, d("2025-08-01"));
}

#[test]
fn the_end_of_paper_cards_lends_no_year_to_the_cycles_dates() {
    let text = "国民健康保険の更新\n\
        6月号でもお知らせしたとおり、令和6年12月2日から保険証は発行されなくなりましたので、次のものを7月中旬ころに郵送します。\n\
        マイナ保険証の利用登録をしていない方には資格確認書を送付します。";
    let x = read(text);
    let n = notice(&x);
    assert_eq!(
        (n.mailing_start, n.mailing_end),
        (None, None),
        "{:?}",
        x.warnings
    );
}

#[test]
fn being_without_a_paper_card_is_no_card_status_and_by_no_status_means_everyone() {
    let text = "後期高齢者医療 資格確認書\n令和6年12月2日\n\
        マイナ保険証の保有の有無にかかわらず、保険証をお持ちでない方には、申請がなくても資格確認書をお送りします。";
    assert_eq!(notice(&read(text)).issuance_policy, "all_insured");
    let text = "後期高齢者医療 資格確認書\n令和6年11月1日\n\
        2025年8月の更新までは、マイナ保険証の登録状況によらず、「資格確認書」を交付します。";
    assert_eq!(notice(&read(text)).issuance_policy, "all_insured");
}

#[test]
fn a_date_written_right_before_the_mailing_verb_is_the_mailing_time() {
    // A note after the sentence that sends the card: the day it went out, as a noun phrase.
    let x = read(
        "後期高齢者医療の資格確認書\n\
         令和7年8月1日から使える資格確認書を、被保険者の皆さまにお送りしています。（手続き不要・7月24日発送済み）\n",
    );
    let n = notice(&x);
    assert_eq!(n.mailing_start, d("2025-07-24"));
    assert_eq!(n.mailing_end, d("2025-07-24"));
    // The same with a part of a month, announced ahead.
    let x = read(
        "国民健康保険 資格確認書の更新\n\
         新しい資格確認書は令和7年8月1日から使います。\n\
         資格確認書は7月下旬郵送予定です。\n",
    );
    let n = notice(&x);
    assert_eq!(n.mailing_start, d("2025-07-21"));
    assert_eq!(n.mailing_end, d("2025-07-31"));
}

#[test]
fn a_page_about_one_scheme_that_names_the_other_in_passing_is_that_schemes() {
    // A 後期 FAQ that opens with a long answer and mentions 国保 only as where people come
    // from: a 後期 page, not one covering both schemes.
    let x = read(
        "75歳の誕生日を迎えると、それまでの国保や会社の健康保険から自動的に後期高齢者医療制度に移り、手続きはいりません。\n\
         後期高齢者医療の資格確認書は、誕生日の前までに郵送でお届けします。\n\
         後期高齢者医療の保険料は、誕生月の翌々月に通知します。\n\
         後期高齢者医療の窓口は市役所の保険年金課です。\n",
    );
    assert_eq!(notice(&x).scheme, "koki");
    // A page that gives both schemes a document stays both.
    let x = read(
        "75歳の誕生日を迎えると、国保から後期高齢者医療制度に移ります。\n\
         国保の資格確認書は7月末で使えなくなります。\n\
         後期高齢者医療の資格確認書は誕生日の前までに郵送でお届けします。\n\
         後期高齢者医療の保険料は、誕生月の翌々月に通知します。\n\
         後期高齢者医療の窓口は市役所の保険年金課です。\n",
    );
    assert_eq!(notice(&x).scheme, "kokuho+koki");
}

#[test]
fn a_card_sent_to_members_without_any_condition_on_a_page_naming_no_card_status_is_for_everyone() {
    let x = read(
        "後期高齢者医療制度に加入するとき\n\
         75歳になる方は手続きはいりません。誕生日の前までに資格確認書を郵送でお届けします。\n\
         届いた資格確認書は医療機関の窓口で見せてください。\n",
    );
    assert_eq!(notice(&x).issuance_policy, "all_insured");
    // Saying how to use a マイナ保険証 makes no document depend on it: still everyone.
    let x = read(
        "後期高齢者医療制度に加入するとき\n\
         75歳になる方は手続きはいりません。誕生日の前までに資格確認書を郵送でお届けします。\n\
         マイナ保険証をお持ちの方は、医療機関でカードを読み取り機にかざしてください。\n",
    );
    assert_eq!(notice(&x).issuance_policy, "all_insured");
    // Once the page makes a document depend on the card status (here in a rule for later),
    // an unconditional sentence proves nothing.
    let x = read(
        "後期高齢者医療制度に加入するとき\n\
         75歳になる方は手続きはいりません。誕生日の前までに資格確認書を郵送でお届けします。\n\
         令和8年8月以降は、マイナ保険証をお持ちでない方にだけ資格確認書をお送りする予定です。\n",
    );
    assert_ne!(notice(&x).issuance_policy, "all_insured");
    // A card sent on an event (a move) is no rule about who gets one.
    let x = read(
        "後期高齢者医療 住所が変わったとき\n\
         町内で住所が変わったときは、新しい資格確認書を郵送でお届けします。\n",
    );
    assert_eq!(notice(&x).issuance_policy, "unknown");
}

#[test]
fn a_table_with_a_column_per_document_gives_the_cards_cells() {
    // A comparison table as CMS pages flatten it: one column for the お知らせ, one for
    // the card; each row's label names the fact.
    let text = "国民健康保険の被保険者の皆さまへ\n\
        国保加入者 | ||\n---|---|---|\n\
        書類 | 資格情報のお知らせ | 資格確認書 |\n\
        対象 | マイナ保険証を持っている人 | マイナ保険証を持っていない人 |\n\
        郵送方法 | 普通郵便 | 特定記録郵便 |\n\
        発送日 | 令和7年7月15日(火) | 令和7年7月24日(木) |\n\
        有効期間 | なし | 令和7年8月1日~令和8年7月31日 |\n";
    let n = notice(&read(text)).clone();
    assert_eq!(
        (n.mailing_start, n.mailing_end),
        (d("2025-07-24"), d("2025-07-24")),
        "the card's column, not the お知らせ's"
    );
    assert_eq!(n.mailing_method, "特定記録郵便");
    assert_eq!(
        (n.valid_from, n.valid_until),
        (d("2025-08-01"), d("2026-07-31"))
    );
}

#[test]
fn a_range_whose_start_has_no_year_takes_the_year_before_its_end() {
    // Only the end of the range carries a year; the card is mailed the July before.
    let x = read(
        "後期高齢者医療の資格確認書\n\
        8月から令和8年7月までの1年間に使う資格確認書を、7月中旬に簡易書留でお届けします。",
    );
    let n = notice(&x);
    assert_eq!(
        (n.mailing_start, n.mailing_end),
        (d("2025-07-11"), d("2025-07-20"))
    );
}

#[test]
fn the_end_of_a_provisional_rule_is_neither_the_cards_expiry_nor_the_cycles_year() {
    // No year of the cycle is written: the rule's last day must not lend one, and it is
    // not the day the card stops being valid.
    let x = read(
        "資格確認書の送付について(後期高齢者医療)\n\
        令和8年7月31日までの暫定運用として、全ての被保険者に資格確認書を交付します。\n\
        新しい資格確認書は7月中旬にお送りします。",
    );
    let n = notice(&x);
    assert_eq!(n.valid_until, None);
    assert_eq!((n.mailing_start, n.mailing_end), (None, None));
    assert!(
        x.warnings.iter().any(|w| w.contains("year")),
        "{:?}",
        x.warnings
    );
}

#[test]
fn the_new_cards_stated_expiry_dates_the_cycle_when_no_other_year_is_written() {
    let x = read(
        "国民健康保険 資格確認書の更新\n\
        ■資格確認書または資格情報のお知らせを7月下旬に郵送します\n\
        資格確認書の有効期限は、令和8年7月31日までです。",
    );
    let n = notice(&x);
    assert_eq!(
        (n.mailing_start, n.mailing_end),
        (d("2025-07-21"), d("2025-07-31"))
    );
    assert_eq!(n.valid_until, d("2026-07-31"));
}

#[test]
fn a_date_that_names_a_noun_is_not_the_time_of_the_verb() {
    // `…年8月の更新` names which renewal; the card went out on the other date.
    let x = read(
        "後期高齢者医療制度のお知らせ\n\
        令和7年8月の年次更新では、マイナ保険証の有無によらず、資格確認書を令和7年7月中旬に発送しました。",
    );
    let n = notice(&x);
    assert_eq!(
        (n.mailing_start, n.mailing_end),
        (d("2025-07-11"), d("2025-07-20"))
    );
}

#[test]
fn a_rule_to_come_with_a_note_before_its_topic_marker_is_no_mailing_start() {
    let x = read(
        "後期高齢者医療 資格確認書\n\
        令和7年8月1日から使う資格確認書は全員にお送りしました。\n\
        令和8年8月から(予定)は、マイナ保険証の有無によって資格確認書か資格情報のお知らせを送ります。",
    );
    assert_eq!(notice(&x).mailing_start, None);
}

#[test]
fn the_middle_of_a_month_written_as_nakagoro_is_its_middle_third() {
    let x = read(
        "広報 令和7年7月号\n後期高齢者医療の資格確認書(水色)は7月中頃に特定記録郵便でお送りします。",
    );
    let n = notice(&x);
    assert_eq!(
        (n.mailing_start, n.mailing_end),
        (d("2025-07-11"), d("2025-07-20"))
    );
}

#[test]
fn holders_named_with_words_between_get_the_notice_so_the_card_goes_to_the_others() {
    // Passive verb, `利用登録のある方`, and an age band between holding and person.
    for page in [
        "国民健康保険の資格確認書について\n\
         【利用登録がお済みの方へ】\n\
         マイナ保険証の利用登録のある方には、資格情報のお知らせが交付されます。\n",
        "国民健康保険の資格確認書について\n\
         マイナ保険証をお持ちの70歳以上の方には、負担割合を記した資格情報のお知らせをお送りします。\n",
    ] {
        assert_eq!(notice(&read(page)).issuance_policy, "unregistered_only", "{page}");
    }
}

#[test]
fn regardless_of_the_card_status_in_any_wording_means_everyone() {
    for phrase in [
        "マイナ保険証の所持にかかわらず",
        "マイナ保険証の利用登録の有無を問わず",
        "マイナ保険証の保有状況に関係なく",
    ] {
        let page = format!(
            "後期高齢者医療の資格確認書\n{phrase}、8月から使う資格確認書を7月中に郵送します。\n"
        );
        assert_eq!(
            notice(&read(&page)).issuance_policy,
            "all_insured",
            "{phrase}"
        );
    }
    // Status-dependent wording: one document or the other.
    let x = read(
        "国民健康保険の資格確認書\n\
         マイナ保険証の保有の有無に応じて、資格確認書又は資格情報のお知らせを送付します。\n",
    );
    assert_eq!(notice(&x).issuance_policy, "unregistered_only");
}

#[test]
fn each_scheme_section_of_a_page_is_read_on_its_own() {
    // 国保 by card status; 後期 sends the new card to every member with no condition.
    let x = read(
        "保険証の有効期限が7月31日で切れます\n\
         ◇国民健康保険の方\n\
         マイナ保険証をお持ちでない方には資格確認書を、お持ちの方には資格情報のお知らせを郵送します。\n\
         ◇後期高齢者医療の方\n\
         8月から使う新しい資格確認書を7月下旬に郵送します。\n",
    );
    let n = notice(&x);
    assert_eq!(n.issuance_policy, "mixed");
    assert_eq!(
        n.policy_by_scheme,
        "kokuho=unregistered_only;koki=all_insured"
    );
}

#[test]
fn an_exception_for_the_other_scheme_on_a_kokuho_page_makes_the_page_mixed() {
    let x = read(
        "国民健康保険証の廃止について\n\
         国民健康保険では、マイナ保険証をお持ちでない方に資格確認書を交付します。\n\
         ただし、後期高齢者医療制度の方は、暫定的な運用として、マイナ保険証の有無にかかわらず資格確認書を交付します。\n",
    );
    assert_eq!(notice(&x).issuance_policy, "mixed");
}

#[test]
fn a_card_issued_with_no_condition_during_the_provisional_period_is_for_everyone() {
    let x = read(
        "後期高齢者医療 被保険者へお渡しするもの\n\
         更新日:2025年10月1日\n\
         令和8年7月末までは、資格確認書が交付されます。医療機関では資格確認書かマイナ保険証を見せてください。\n",
    );
    assert_eq!(notice(&x).issuance_policy, "all_insured");
    // A group listed apart is not everyone.
    let x = read(
        "後期高齢者医療 被保険者へお渡しするもの\n\
         更新日:2025年10月1日\n\
         当面の間、次の方については、申請がなくても資格確認書を交付します。\n\
         ・施設に入所している方\n",
    );
    assert_ne!(notice(&x).issuance_policy, "all_insured");
}

#[test]
fn weekdays_written_with_year_less_dates_give_the_year() {
    // 2025-07-31 is a Thursday and 2025-08-01 a Friday; no other year of the card fits.
    let x = read(
        "資格確認書の更新のお知らせ\n\
         今の資格確認書は7月31日(木)で期限が切れます。\n\
         8月1日(金)から使う新しい資格確認書を、7月中旬に郵送します。\n",
    );
    let n = notice(&x);
    assert_eq!(
        n.mailing_start.map(|d| d.to_string()).as_deref(),
        Some("2025-07-11")
    );
    assert_eq!(
        n.valid_from.map(|d| d.to_string()).as_deref(),
        Some("2025-08-01")
    );
    // Weekdays that fit no single year leave the dates without one.
    let x = read(
        "資格確認書の更新のお知らせ\n\
         今の資格確認書は7月31日(月)で期限が切れます。\n\
         8月1日(金)から使う新しい資格確認書を、7月中旬に郵送します。\n",
    );
    assert_eq!(notice(&x).mailing_start, None);
}

#[test]
fn a_date_that_bounds_who_receives_the_card_is_not_when_it_is_mailed() {
    for sentence in [
        "12月2日以降、新たに後期高齢者医療に加入される方に、資格確認書を郵送します。",
        "7月31日までに後期高齢者医療に加入されるかたには、資格確認書を郵送します。",
    ] {
        let x = read(&format!(
            "後期高齢者医療の資格確認書\n更新日:2025年6月1日\n{sentence}\n"
        ));
        let n = notice(&x);
        assert_eq!((n.mailing_start, n.mailing_end), (None, None), "{sentence}");
    }
}

#[test]
fn a_yearly_schedule_dates_no_one_cycle() {
    for page in [
        "後期高齢者医療の資格確認書\n更新日:2026年1月20日\n\
         資格確認書は毎年8月1日に切り替わり、毎年7月下旬に郵送します。\n",
        "後期高齢者医療の資格確認書\n更新日:2024年5月10日\n\
         8月から翌年7月まで使える資格確認書を、7月中旬に発送します。\n",
    ] {
        let x = read(page);
        let n = notice(&x);
        assert_eq!(
            (n.mailing_start, n.mailing_end, n.valid_from),
            (None, None, None),
            "{page}"
        );
    }
    // A year written in the sentence makes it this cycle's.
    let x = read(
        "後期高齢者医療の資格確認書\n\
         令和7年8月1日から翌年7月31日まで使える資格確認書を、令和7年7月中旬に発送します。\n",
    );
    let n = notice(&x);
    assert_eq!(
        n.valid_from.map(|d| d.to_string()).as_deref(),
        Some("2025-08-01")
    );
    assert_eq!(
        n.mailing_start.map(|d| d.to_string()).as_deref(),
        Some("2025-07-11")
    );
}

#[test]
fn holders_denied_the_card_in_a_negated_verb_leaves_it_to_those_without_one() {
    // The denial outranks the 要配慮者' application in the next sentence.
    for verb in ["交付されません", "お送りしません", "発行されない"] {
        let page = format!(
            "要配慮者の方の資格確認書\n\
             マイナ保険証をお持ちの方には資格確認書は{verb}。\n\
             ただし、介助が必要な方などは、申請により資格確認書の交付を受けられます。\n"
        );
        assert_eq!(
            notice(&read(&page)).issuance_policy,
            "unregistered_only",
            "{verb}"
        );
    }
}

#[test]
fn a_card_issued_to_members_with_no_condition_in_a_plain_issuing_verb_is_for_everyone() {
    let x = read(
        "後期高齢者医療の資格確認書\n\
         資格確認書は、75歳の誕生日を迎える前までに交付されます。\n\
         医療機関では資格確認書を窓口で見せてください。\n",
    );
    assert_eq!(notice(&x).issuance_policy, "all_insured");
    // Given only to a group the page singles out: not everyone's.
    let x = read(
        "国民健康保険の短期証の廃止\n\
         納付の相談がない対象の方には、資格確認書(特別療養費)を交付します。\n",
    );
    assert_ne!(notice(&x).issuance_policy, "all_insured");
}

#[test]
fn a_mailing_at_once_named_only_as_a_time_states_no_rule() {
    let x = read(
        "後期高齢者医療 限度区分の併記\n\
         7月の資格確認書一斉送付の際に、限度区分を併記した資格確認書を受け取った方は、年度の途中で新しい資格確認書が発行されても、自動で併記されます。\n",
    );
    assert_eq!(notice(&x).issuance_policy, "unknown");
    // The same event as the page's own statement is read.
    let x = read("後期高齢者医療の資格確認書\n7月に資格確認書を一斉送付します。\n");
    assert_eq!(notice(&x).issuance_policy, "all_insured");
}

#[test]
fn the_cards_term_in_brackets_after_its_name_or_as_the_topic_of_a_clause_is_its_validity() {
    for line in [
        "後期高齢者の資格確認書 (令和7年8月1日から令和8年7月31日まで)",
        "令和7年8月1日から令和8年7月31日までは、若草色の資格確認書となります。",
    ] {
        let x = read(&format!(
            "後期高齢者医療の資格確認書\n更新日:2025年6月2日\n{line}\n"
        ));
        let n = notice(&x);
        assert_eq!(
            (n.valid_from, n.valid_until),
            (d("2025-08-01"), d("2026-07-31")),
            "{line}"
        );
    }
    // A range in brackets after another document is not the card's.
    let x = read(
        "後期高齢者医療の資格確認書\n更新日:2025年6月2日\n限度額適用認定証 (令和6年8月1日から令和7年7月31日まで)\n",
    );
    assert_eq!(notice(&x).valid_from, None);
}

#[test]
fn the_start_of_use_said_before_the_date_or_as_a_slashed_day_starts_the_card() {
    for line in [
        "使用できるのは令和7年8月1日からです。",
        "マイナ保険証がない方→資格確認書(水色)8/1から有効",
    ] {
        let x = read(&format!(
            "国民健康保険の資格確認書\n更新日:2025年7月1日\n資格確認書を7月中旬に郵送します。\n{line}\n"
        ));
        assert_eq!(notice(&x).valid_from, d("2025-08-01"), "{line}");
    }
    // A full slashed date and a fraction are left as they are.
    let x = read(
        "国民健康保険の資格確認書\n更新日:2025年7月1日\n医療費の自己負担は1/3から軽くなります。\n",
    );
    assert_eq!(notice(&x).valid_from, None);
}

#[test]
fn a_card_given_to_those_who_gave_the_my_number_card_up_is_not_everyones() {
    for group in [
        "マイナ保険証の利用登録を解除した方",
        "マイナンバーカードを返納された方",
        "マイナンバーカードの電子証明書の有効期限が切れた方",
    ] {
        let x = read(&format!(
            "国民健康保険の資格確認書\n更新日:2025年10月1日\n{group}には、申請がなくても資格確認書を交付します。\n"
        ));
        assert_eq!(notice(&x).issuance_policy, "unregistered_only", "{group}");
    }
}

#[test]
fn holders_too_in_a_sentence_about_using_the_card_gives_no_rule() {
    let x = read(
        "国民健康保険の資格確認書\n更新日:2025年10月1日\nマイナ保険証をお持ちの方も、資格確認書で受診できます。\n",
    );
    assert_eq!(notice(&x).issuance_policy, "unknown");
}

#[test]
fn a_corrected_card_sent_again_is_not_the_cycles_mailing() {
    let x = read(
        "資格確認書の記載誤りについて\n\
         更新日:2025年8月25日\n\
         8月に送付した国民健康保険の資格確認書の一部で、負担割合に誤りがありました。\n\
         対象の方には、正しい資格確認書を令和7年9月5日に再送付します。\n",
    );
    let n = notice(&x);
    assert_eq!((n.mailing_start, n.mailing_end), (None, None));
    // Nor does the mistake say who receives a card.
    assert_eq!(n.issuance_policy, "unknown");
}

#[test]
fn a_request_a_question_or_a_plan_under_consideration_is_not_the_rule() {
    for line in [
        "議会の一般質問で、資格確認書を被保険者全員に交付するよう求める意見が出ました。",
        "国は、資格確認書を全員に送付することを検討しています。",
    ] {
        let x = read(&format!("広報 議会だより\n更新日:2025年10月1日\n{line}\n"));
        assert_eq!(notice(&x).issuance_policy, "unknown", "{line}");
    }
    // `求める` in a clause of its own does not undo the rule.
    let x = read(
        "国民健康保険の資格確認書\n更新日:2025年10月1日\n\
         マイナ保険証をお持ちでない方に交付する資格確認書は、資格を失ったときに返還を求めます。\n",
    );
    assert_eq!(notice(&x).issuance_policy, "unregistered_only");
}

#[test]
fn under_the_provisional_koki_rule_a_card_sent_to_whoever_joins_is_everyones() {
    // Two regimes on one page: the card sent with no condition to whoever joins until the
    // renewal, and a rule by status announced for after it.
    let koki = "後期高齢者医療制度 保険証の新規発行終了について\n\
         更新日:2024年11月20日\n\
         令和7年7月31日までに新たに後期高齢者医療制度に加入される方には、資格確認書を郵送します(申請は不要です)。\n\
         令和7年8月以降の予定\n\
         マイナ保険証をお持ちでない方には、資格確認書を交付する予定です。\n";
    assert_eq!(notice(&read(koki)).issuance_policy, "all_insured");
    // The same words on a 国保 page: no provisional rule there.
    let kokuho = koki.replace("後期高齢者医療制度", "国民健康保険");
    // (The rule by status is announced for later: no rule in force is stated.)
    assert_eq!(notice(&read(&kokuho)).issuance_policy, "unknown");
    // After the provisional rule has ended, a card for whoever joins says nothing of who.
    let late = koki.replace("2024年11月20日", "2026年9月1日");
    assert_eq!(notice(&read(&late)).issuance_policy, "unknown");
    // One document or the other is sent: who gets which is not said.
    let either = koki.replace(
        "資格確認書を郵送します",
        "資格確認書または資格情報のお知らせを郵送します",
    );
    assert_eq!(notice(&read(&either)).issuance_policy, "unknown");
    // `または` between two places is no choice of document.
    let moved = "後期高齢者医療制度 届出\n\
         更新日:2024年12月5日\n\
         県外から転入したとき、または新たに加入したときは、資格確認書が交付されます。\n";
    assert_eq!(notice(&read(moved)).issuance_policy, "all_insured");
}

#[test]
fn a_list_of_who_gets_the_card_outranks_a_card_sent_to_whoever_joins() {
    let x = read(
        "後期高齢者医療 資格確認書\n\
         更新日:2024年12月10日\n\
         令和6年12月2日以降、新たに加入される方や住所が変わった方に資格確認書を交付します。\n\
         資格確認書の交付対象者\n\
         - マイナ保険証をお持ちでない方\n\
         - マイナンバーカードの電子証明書の有効期限が切れた方\n",
    );
    assert_eq!(notice(&x).issuance_policy, "unregistered_only");
}

#[test]
fn a_koki_page_whose_paper_card_ends_on_july_31_speaks_of_the_2025_renewal() {
    // No date on the page: the 後期 paper card in hand, ending on a yearless 7月31日, ran
    // to 2025-07-31 like every one of them.
    let x = read(
        "後期高齢者医療 資格確認書の更新\n\
         お手元の後期高齢者医療被保険者証の有効期限は7月31日です。\n\
         8月1日からは、7月中旬以降に届く新しい資格確認書をお使いください。\n",
    );
    let n = notice(&x);
    // `7月中旬以降に届く` is when it arrives, not when it starts to be used.
    assert_eq!(n.valid_from, d("2025-08-01"));
    // The same words about a 国保 card tell no year.
    let x = read(
        "国民健康保険 資格確認書の更新\n\
         お手元の国民健康保険被保険者証の有効期限は7月31日です。\n\
         8月1日からは、7月中旬以降に届く新しい資格確認書をお使いください。\n",
    );
    assert_eq!(notice(&x).valid_from, None);
}

#[test]
fn a_yearless_mailing_after_the_reforms_start_takes_the_notices_year() {
    // `令和6年12月2日から…` lends its year to `7月中旬` in the finder; the notice is of 2025.
    let x = read(
        "国民健康保険 更新のお知らせ\n\
         更新日:2025年6月20日\n\
         令和6年12月2日からの制度の移行で保険証は発行されなくなったため、資格確認書を7月中旬ころに郵送します。\n",
    );
    let n = notice(&x);
    assert_eq!(
        (n.mailing_start, n.mailing_end),
        (d("2025-07-11"), d("2025-07-20"))
    );
}

#[test]
fn holders_included_and_an_application_are_read_in_other_wordings() {
    let rule = |line: &str| {
        let text = format!("国民健康保険 資格確認書について\n更新日:2025年6月10日\n{line}\n");
        notice(&read(&text)).issuance_policy.clone()
    };
    assert_eq!(
        rule("本市では、マイナ保険証をお持ちの方を含め、国保加入者の皆さまに資格確認書を送付します。"),
        "all_insured"
    );
    assert_eq!(
        rule("資格確認書の交付は、申請に基づき行います。"),
        "on_application"
    );
    assert_eq!(
        rule("マイナ保険証で受診できない方は、申請すると資格確認書が交付されます。"),
        "on_application"
    );
    // Everyone of whom the お知らせ is said is not everyone insured: holders get it, so the
    // card goes to the others.
    assert_eq!(
        rule("資格情報のお知らせは、マイナ保険証をお持ちの方全員に7月中に送付します。"),
        "unregistered_only"
    );
    // Holders get the お知らせ "instead of" the card: the card goes to the others.
    assert_eq!(
        rule("マイナ保険証をお持ちの方には、資格確認書ではなく「資格情報のお知らせ」が届きます。"),
        "unregistered_only"
    );
    // A re-issue on application is not the rule.
    assert_eq!(
        rule("資格確認書をなくした方は、申請すると再交付されます。"),
        "unknown"
    );
}

#[test]
fn a_mailing_or_a_first_day_named_as_the_topic_gives_its_date() {
    let read_one = |line: &str| {
        let x = read(&format!(
            "国民健康保険 資格確認書の更新\n更新日:2025年6月10日\n{line}\n"
        ));
        let n = notice(&x);
        (n.mailing_start, n.mailing_end, n.valid_from)
    };
    assert_eq!(
        read_one("資格確認書の発送は7月14日(月)から順次行います。"),
        (d("2025-07-14"), None, None)
    );
    assert_eq!(
        read_one("資格確認書の送付は、7月下旬です。"),
        (d("2025-07-21"), d("2025-07-31"), None)
    );
    assert_eq!(
        read_one("新しい資格確認書の使用開始日は令和7年8月1日です。"),
        (None, None, d("2025-08-01"))
    );
    assert_eq!(
        read_one("資格確認書\n使用開始日:令和7年8月1日"),
        (None, None, d("2025-08-01"))
    );
    assert_eq!(
        read_one("令和7年8月1日以降は、新しい資格確認書をお使いください。"),
        (None, None, d("2025-08-01"))
    );
    assert_eq!(
        read_one("資格確認書の有効期限は、令和7年12月1日から1年間です。"),
        (None, None, d("2025-12-01"))
    );
    // A rule from a day on is no first day of use.
    assert_eq!(
        read_one("令和7年8月以降は、マイナ保険証をお持ちでない方に資格確認書を交付します。"),
        (None, None, None)
    );
}

#[test]
fn recipients_under_a_label_in_any_shape_give_the_rule() {
    let head = "国民健康保険 資格確認書の送付\n更新日:2025年6月10日\n";
    for body in [
        // A heading with the group on the line below (itself short, like a heading).
        "■対象者\nマイナ保険証をお持ちでない方\n■送付時期\n7月中旬\n■送付方法\n簡易書留\n",
        // A table row.
        "| 項目 | 内容 |\n| 対象者 | マイナ保険証をお持ちでない方 |\n| 送付時期 | 令和7年7月中旬 |\n",
        // Numbered items of a report.
        "1 対象者 マイナ保険証を保有していない方\n2 送付時期 7月中旬\n",
        // Key and value.
        "対象となる方:マイナ保険証の利用登録をしていない方\n発送予定日:7月15日\n",
    ] {
        let x = read(&format!("{head}{body}"));
        assert_eq!(notice(&x).issuance_policy, "unregistered_only", "{body}");
    }
    let x = read(
        "後期高齢者医療 資格確認書\n更新日:2025年6月10日\n対象者:被保険者全員\n送付時期:7月中旬\n",
    );
    assert_eq!(notice(&x).issuance_policy, "all_insured");
    // A page of two schemes does not say whose label it is.
    let x = read(
        "国民健康保険・後期高齢者医療 資格確認書\n更新日:2025年6月10日\n\
         国民健康保険\n対象者:マイナ保険証をお持ちでない方\n\
         後期高齢者医療\n送付時期:7月中旬\n",
    );
    assert_eq!(notice(&x).policy_by_scheme, "kokuho=unknown;koki=unknown");
}

#[test]
fn the_pages_own_date_under_its_label_is_no_fact_of_the_card() {
    let x = read(
        "電子証明書の有効期限が切れた方の資格確認書\n\
         登録日:2024年12月2日\n\
         電子証明書の有効期限が切れた方には、資格確認書を交付します。\n",
    );
    let n = notice(&x);
    assert_eq!((n.valid_from, n.valid_until), (None, None));
    assert_eq!((n.mailing_start, n.mailing_end), (None, None));
}

#[test]
fn a_table_row_naming_a_scheme_opens_no_section_of_that_scheme() {
    let x = read(
        "国民健康保険と後期高齢者医療の保険証について\n\
         更新日:2024年11月1日\n\
         保険の種類 有効期限\n\
         国民健康保険 令和7年7月31日\n\
         後期高齢者医療制度 令和7年7月31日\n\
         資格確認書について\n\
         令和6年12月2日以降、マイナ保険証をお持ちでない方には資格確認書を交付します。\n\
         上記にかかわらず、後期高齢者医療制度の方には、令和7年7月までは全員に資格確認書を交付します。\n",
    );
    let n = notice(&x);
    assert_eq!(
        n.policy_by_scheme,
        "kokuho=unregistered_only;koki=all_insured"
    );
    assert_eq!(n.issuance_policy, "mixed");
}

#[test]
fn a_mailing_named_only_as_the_occasion_of_something_else_gives_no_rule() {
    for line in [
        "保険料の計算方法は、資格確認書送付の際に入れているチラシで確認できます。",
        "資格確認書を郵送する時に同じ封筒で届く案内をお読みください。",
    ] {
        let x = read(&format!(
            "後期高齢者医療 負担割合のよくある質問\n自己負担の割合は所得に応じて1割から3割です。\n{line}"
        ));
        assert_eq!(notice(&x).issuance_policy, "unknown", "{line}");
    }
    // The mailing stated for its own sake still gives the rule.
    let x = read(
        "後期高齢者医療 資格確認書\n被保険者の皆さまに資格確認書を郵送します。送付の際は簡易書留を使います。",
    );
    assert_eq!(notice(&x).issuance_policy, "all_insured");
}

#[test]
fn a_validity_in_brackets_on_the_card_is_its_expiry_not_the_mailing_time() {
    let x = read(
        "後期高齢者医療制度の資格確認書\n更新日:2025年6月10日\n\
         新しい資格確認書(有効期限:令和8年7月31日)を令和7年7月中旬から順次発送します。",
    );
    let n = notice(&x);
    assert_eq!(
        (n.mailing_start, n.valid_from, n.valid_until),
        (d("2025-07-11"), None, d("2026-07-31"))
    );
}

#[test]
fn the_expiry_a_new_card_is_sent_before_is_the_card_in_hands() {
    let x = read(
        "国民健康保険の資格確認書について\n更新日:2025年6月10日\n\
         資格確認書は、有効期限(令和8年7月31日)の前に新しいものを送付します。",
    );
    assert_eq!(notice(&x).valid_until, None);
}

#[test]
fn age_band_headings_give_the_2026_rule_only_in_the_cycle_it_governs() {
    let page = |date: &str| {
        format!(
            "後期高齢者医療 資格確認書の一斉更新\n更新日:{date}\n\
             令和8年8月1日から、資格確認書の送り方が変わります。\n\
             ■85歳以上の方\n\
             マイナ保険証があってもなくても、資格確認書を送ります。\n\
             ■84歳以下の方\n\
             マイナ保険証をお持ちでない方に資格確認書を送ります。マイナ保険証をお持ちの方には資格情報のお知らせを送ります。\n\
             ■送付時期\n令和8年7月中旬から順次"
        )
    };
    // Announced a cycle ahead, on a page of 2025: not the rule of the cards it speaks of.
    assert_eq!(
        notice(&read(&page("2025年10月20日"))).issuance_policy,
        "unknown"
    );
    // On a page of 2026 before August, the rule of the cards mailed that July (the real
    // dev set's convention, dev6 t017).
    assert_eq!(
        notice(&read(&page("2026年6月20日"))).issuance_policy,
        "mixed"
    );
    assert_eq!(
        notice(&read(&page("2026年8月20日"))).issuance_policy,
        "mixed"
    );
}

#[test]
fn a_question_and_its_answer_give_the_fact_the_question_asks_for() {
    let x = read(
        "国民健康保険 資格確認書のよくある質問\n更新日:2025年6月1日\n\
         Q1 資格確認書はどなたに届きますか。\n\
         A1 マイナ保険証を持っていない方に届きます。\n\
         Q2 資格確認書はいつ届きますか。\n\
         A2 7月下旬にお送りします。\n\
         Q3 資格確認書はいつまで使えますか。\n\
         A3 令和8年7月31日まで使えます。",
    );
    let n = notice(&x);
    assert_eq!(n.issuance_policy, "unregistered_only");
    assert_eq!(
        (n.mailing_start, n.mailing_end, n.valid_until),
        (d("2025-07-21"), d("2025-07-31"), d("2026-07-31"))
    );
    // The answer about another document is not the card's.
    let x = read(
        "国民健康保険 よくある質問\n更新日:2025年6月1日\n\
         Q 資格情報のお知らせは誰に届きますか。\n\
         A マイナ保険証をお持ちの方全員です。",
    );
    assert_eq!(notice(&x).issuance_policy, "unknown");
}

#[test]
fn a_mailing_said_under_the_notices_section_is_not_the_cards() {
    let x = read(
        "国保の資格確認書等の送付\n更新日:2025年6月27日\n\
         (1)資格情報のお知らせ\n\
         マイナ保険証をお持ちの方のうち、まだお知らせが届いていない方へ、6月下旬に普通郵便でお送りしています。\n\
         (2)資格確認書\n\
         マイナ保険証をお持ちでない方へ、7月上旬頃から順次、特定記録郵便でお送りします。",
    );
    let n = notice(&x);
    assert_eq!((n.mailing_start, n.mailing_end), (d("2025-07-01"), None));
}

#[test]
fn a_list_of_who_gets_which_document_keeps_the_pages_topic_for_the_lines_after_it() {
    let x = read(
        "国民健康保険 資格確認書・資格情報のお知らせの送付\n更新日:2025年6月10日\n\
         送るものは登録状況で変わります。\n\
         ・利用登録がまだの方:資格確認書\n\
         ・利用登録が済んでいる方:資格情報のお知らせ\n\
         送付時期:令和7年7月中旬\n\
         ▽送付方法 資格確認書は簡易書留",
    );
    let n = notice(&x);
    assert_eq!(n.issuance_policy, "unregistered_only");
    assert_eq!(
        (n.mailing_start, n.mailing_end),
        (d("2025-07-11"), d("2025-07-20"))
    );
    assert_eq!(n.mailing_method, "簡易書留");
}

#[test]
fn a_card_for_those_who_find_the_my_number_card_hard_is_not_everyones() {
    let x = read(
        "資格確認書の交付について(建設国民健康保険組合)\n掲載日:2025年2月3日\n\
         マイナ保険証での受診が難しい方には、資格確認書を交付します。",
    );
    assert_eq!(notice(&x).issuance_policy, "unknown");
    let x = read(
        "資格確認書の交付について(建設国民健康保険組合)\n掲載日:2025年2月3日\n\
         マイナ保険証での受診が難しい方には、資格確認書を交付します。当組合の資格確認書は申請方式です。",
    );
    assert_eq!(notice(&x).issuance_policy, "on_application");
}

#[test]
fn a_flattened_table_of_labels_and_values_gives_the_cards_dates() {
    let x = read(
        "国保の資格確認書を全員にお送りします\n更新日:2025年6月20日\n\
         国民健康保険に加入しているすべての方へ資格確認書をお送りします。\n\
         送付時期 令和7年7月中旬\n\
         有効期限 令和8年7月31日\n\
         ■使える期間 8月1日から令和8年7月31日まで",
    );
    let n = notice(&x);
    assert_eq!(
        (n.mailing_start, n.mailing_end, n.valid_from, n.valid_until),
        (
            d("2025-07-11"),
            d("2025-07-20"),
            d("2025-08-01"),
            d("2026-07-31")
        )
    );
}

#[test]
fn a_range_in_brackets_after_the_cards_name_is_its_term_not_a_mailing_window() {
    let x = read(
        "国民健康保険資格確認書(令和7年8月更新分)の発送予定\n更新日:2025年7月7日\n\
         マイナ保険証の利用登録をされていない方あての資格確認書(令和7年8月1日~令和9年7月31日)は、\
         令和7年7月15日(火曜日)に簡易書留で発送する予定です。",
    );
    let n = notice(&x);
    assert_eq!(
        (n.mailing_start, n.mailing_end, n.valid_from),
        (d("2025-07-15"), d("2025-07-15"), d("2025-08-01"))
    );
}

#[test]
fn another_schemes_rule_a_plan_or_a_past_cycle_is_not_the_rule_in_force() {
    // Another scheme's rule, set against this page's, on a page whose own rule is pending.
    let x = read(
        "保険証の新規発行が終わります(国民健康保険)\n更新日:2024年11月15日\n\
         ■ほかの医療保険(参考)\n\
         ・後期高齢者医療制度では、当面の間、マイナ保険証の有無にかかわらず全員に資格確認書が交付されます。\n\
         ■国民健康保険の資格確認書\n\
         交付の方法は、国の通知を待って決めます。",
    );
    assert_eq!(notice(&x).issuance_policy, "unknown");
    // A plan under consideration beside the rule in force.
    let x = read(
        "国保資格確認書の送付\n更新日:2025年7月1日\n\
         マイナ保険証の利用登録がない方に、資格確認書を7月下旬にお送りします。\n\
         来年度からは、登録の有無にかかわらず全員に送ることができないか、検討を始めました。",
    );
    assert_eq!(notice(&x).issuance_policy, "unregistered_only");
    // Last cycle's special rule on a page of the next fiscal year.
    let x = read(
        "国保の資格確認書等を送付しました\n更新日:2026年8月3日\n\
         令和7年度の一斉更新では、特例として加入者全員に資格確認書をお送りしました。\n\
         今年度からは、マイナ保険証の利用登録がない方にだけ資格確認書をお送りしています。",
    );
    assert_eq!(notice(&x).issuance_policy, "unregistered_only");
    // `お持ちかどうかに関係なく`: regardless of status, a few words apart.
    let x = read(
        "後期高齢者医療資格確認書のご案内\n更新日:2025年11月4日\n\
         加入している方には、マイナ保険証をお持ちかどうかに関係なく、資格確認書をお送りしています。",
    );
    assert_eq!(notice(&x).issuance_policy, "all_insured");
}

#[test]
fn a_question_about_what_to_do_or_the_old_card_gives_no_card_date() {
    let x = read(
        "国民健康保険 よくある質問\n更新日:2025年6月1日\n\
         Q1 資格確認書が届かないときは、いつまでに連絡すればいいですか。\n\
         A1 令和7年8月29日までにご連絡ください。\n\
         Q2 今お持ちの保険証はいつまで使えますか。\n\
         A2 令和7年7月31日まで使えます。",
    );
    let n = notice(&x);
    assert_eq!((n.mailing_end, n.valid_until), (None, None));
}

#[test]
fn holders_getting_the_card_too_and_an_age_bands_rule_next_to_the_card_are_read() {
    let x = read(
        "後期高齢者医療 資格確認書\n更新日:2025年7月1日\n\
         【加入しているすべての方】\n資格確認書(有効期限 令和8年7月31日)\n\
         マイナ保険証の登録がある方にも届きます。",
    );
    assert_eq!(notice(&x).issuance_policy, "all_insured");
    // Holders getting only the お知らせ too are no sign of everyone getting the card.
    let x = read(
        "国民健康保険 お知らせ\n更新日:2025年7月1日\n\
         マイナ保険証をお持ちの方にも、資格情報のお知らせをお送りします。",
    );
    assert_ne!(notice(&x).issuance_policy, "all_insured");
    // The 2026 rule told as two notes once it is in force.
    let x = read(
        "後期高齢者医療 資格確認書の交付申請\n更新日:2026年12月1日\n\
         介助が必要な方は、申請により資格確認書を受け取ることができます。\n\
         ※84歳以下でマイナ保険証をお持ちの方には、申請がない限り資格確認書は送られません。\
         85歳以上の方には、申請がなくても全員に送られています。",
    );
    assert_eq!(notice(&x).issuance_policy, "mixed");
}

#[test]
fn a_case_of_lacking_another_document_is_no_card_status() {
    let x = read(
        "資格確認書の再交付\n更新日:2025年6月1日\n\
         資格確認書をなくしたときは、再交付を申請してください。\n\
         ・顔写真付きの本人確認書類をお持ちの場合は、窓口でその場でお渡しします。\n\
         ・お持ちでない場合は、後日、世帯主あてに資格確認書を郵送します。",
    );
    assert_eq!(notice(&x).issuance_policy, "unknown");
}

#[test]
fn last_years_mailing_told_in_the_past_is_not_this_cycles() {
    let x = read(
        "国民健康保険の資格確認書の更新\n更新日:2026年6月20日\n\
         お送りする時期と方法\n\
         資格確認書:令和8年7月上旬、簡易書留\n\
         資格情報のお知らせ:令和8年7月下旬、普通郵便\n\
         ※昨年(令和7年)は7月中旬にまとめてお送りしましたが、今年は資格確認書を先にお送りします。",
    );
    let n = notice(&x);
    assert_eq!(
        (n.mailing_start, n.mailing_end, n.mailing_method.as_str()),
        (d("2026-07-01"), d("2026-07-10"), "簡易書留")
    );
}

#[test]
fn an_article_of_regulations_states_no_date_of_this_cycle() {
    for body in [
        "(有効期限)\n第3条 資格確認書の有効期限は、交付の日の属する年の翌年の7月31日とする。",
        "第5条 前条により交付する資格確認書の有効期限は、7月31日とする。",
    ] {
        let x = read(&format!(
            "鶴見台町国民健康保険資格確認書交付要綱\n令和6年11月20日告示\n\
             第2条 町長は、利用登録を行っていない被保険者に資格確認書を交付する。\n{body}"
        ));
        assert_eq!(notice(&x).valid_until, None, "{body}");
    }
}

#[test]
fn a_page_of_2026_before_august_gives_the_age_rule_of_the_cycle_it_mails() {
    let x = read(
        "後期高齢者医療 令和8年度の資格確認書\n更新日:2026年4月15日\n\
         令和8年8月1日時点の年齢とマイナ保険証の保有状況によって、次のとおりお届けします。\n\
         ・85歳以上の方 全員に資格確認書\n\
         ・84歳以下でマイナ保険証をお持ちでない方 資格確認書\n\
         ・84歳以下でマイナ保険証をお持ちの方 資格情報のお知らせ\n\
         7月下旬に簡易書留でお送りします。",
    );
    assert_eq!(notice(&x).issuance_policy, "mixed");
}

#[test]
fn a_card_only_for_applicants_is_on_application_and_a_note_on_getting_it_is_no_rule() {
    let x = read(
        "資格確認書の交付申請について\nお知らせ 2025年5月20日\n\
         当組合では、令和7年8月1日以降、資格確認書は交付申請書を提出された方にのみ交付します。\
         申請のない方には、資格確認書は送付されません(マイナ保険証をお持ちでない方も、申請が必要です)。",
    );
    assert_eq!(notice(&x).issuance_policy, "on_application");
    let x = read(
        "資格確認書の交付申請(要配慮者)\n更新日 2025年2月10日\n\
         マイナ保険証での受診が難しい方は、申請することで資格確認書の交付を受けられます。\n\
         ・資格確認書の交付を受けても、マイナ保険証の登録は解除されません。",
    );
    assert_eq!(notice(&x).issuance_policy, "on_application");
}

#[test]
fn groups_listed_under_a_recipients_heading_give_the_rule_even_as_a_sentence() {
    let x = read(
        "資格確認書の更新\n国民健康保険の資格確認書は、8月1日を基準に年に一度切り替わります。\n\
         対象\n\
         マイナンバーカードで受診できるよう登録していない方、マイナンバーカードをお持ちでない方。\n\
         登録している方には資格情報のお知らせをお送りします。",
    );
    assert_eq!(notice(&x).issuance_policy, "unregistered_only");
}

#[test]
fn another_documents_mailing_and_a_note_in_brackets_leave_the_cards_method() {
    let x = read(
        "後期高齢者医療 資格確認書の一斉送付\n更新日:2025年7月1日\n\
         新しい資格確認書は、令和7年7月15日に簡易書留郵便で一斉に発送します。\n\
         令和7年度の保険料額決定通知書は、資格確認書とは別に7月中旬に普通郵便でお送りします。",
    );
    assert_eq!(notice(&x).mailing_method, "簡易書留");
    let x = read(
        "資格確認書の更新(組合員の皆さまへ)\nお知らせ 2025年8月25日\n\
         新しい資格確認書を9月中旬にお送りします。\n\
         【送付方法】簡易書留郵便(ご不在の場合は不在票が入ります)",
    );
    assert_eq!(notice(&x).mailing_method, "簡易書留");
}

#[test]
fn regulations_listing_those_who_cannot_use_electronic_checks_give_the_card_to_them() {
    let x = read(
        "鶴見町国民健康保険資格確認書交付要綱\n令和6年11月28日告示\n\
         第2条 町長は、被保険者のうち、次の各号のいずれかに該当する者に対し、その者の申請によらず資格確認書を交付するものとする。\n\
         (1) 電子資格確認を受けることができない状況にある者\n\
         (2) 利用登録の解除を申請した者\n\
         第4条 資格確認書は、世帯主に対し簡易書留郵便により送付するものとする。",
    );
    assert_eq!(notice(&x).issuance_policy, "unregistered_only");
}

#[test]
fn a_rule_said_to_end_is_not_the_rule_of_the_page() {
    let x = read(
        "後期高齢者医療 資格確認書のお知らせ\n更新日:2026年6月10日\n\
         マイナ保険証の有無にかかわらず全員に資格確認書を交付する暫定運用は、令和8年7月31日で終了します。",
    );
    assert_ne!(notice(&x).issuance_policy, "all_insured");
}

#[test]
fn no_application_needed_or_a_group_of_its_own_is_not_on_application() {
    for body in [
        "マイナ保険証をお持ちでない方には、資格確認書を7月中旬に簡易書留でお送りします。\
         マイナ保険証をお持ちでない方も、申請書を提出していただく必要はありません。",
        "資格確認書は、マイナ保険証をお持ちでない方と、マイナ保険証をお持ちの方のうち申請された方にのみ交付します。",
    ] {
        let x = read(&format!(
            "国民健康保険の資格確認書\n更新日:2025年6月2日\n{body}"
        ));
        assert_eq!(notice(&x).issuance_policy, "unregistered_only", "{body}");
    }
}

#[test]
fn a_card_for_those_who_cannot_use_the_my_number_card_goes_to_those_without_one() {
    for body in [
        // Those who can use it are denied the card.
        "マイナ保険証を使える方には、資格確認書はお送りしません。資格情報のお知らせをご利用ください。",
        // Those who cannot use it get it.
        "マイナンバーカードを保険証として利用できない方には、資格確認書を郵送します。",
        // Those whose certificate was not renewed in time get it.
        "電子証明書の更新をしないまま3か月を過ぎる方には、申請によらず資格確認書をお送りします。",
    ] {
        let x = read(&format!(
            "国民健康保険 資格確認書について\n更新日:2025年10月1日\n{body}"
        ));
        assert_eq!(notice(&x).issuance_policy, "unregistered_only", "{body}");
    }
}

#[test]
fn a_clinic_that_cannot_read_the_card_names_no_group_of_insured() {
    let x = read(
        "国民健康保険 資格確認書について\n更新日:2025年10月1日\n\
         マイナ保険証が使えない医療機関を受診するときは、資格確認書を提示してください。",
    );
    assert_eq!(notice(&x).issuance_policy, "unknown");
}

#[test]
fn a_regulations_items_numbered_in_kanji_name_who_gets_the_card() {
    let x = read(
        "北原建設国民健康保険組合 資格確認書交付規程\n\
         (交付対象者)\n\
         第2条 組合は、被保険者のうち次の各号のいずれかに該当する者に対し、職権により資格確認書を交付する。\n\
         一 個人番号カードの交付を受けていない者\n\
         二 健康保険証利用登録を行っていない者\n\
         (送付)\n\
         第3条 資格確認書は、組合員の住所地あて簡易書留郵便により送付するものとする。",
    );
    assert_eq!(notice(&x).issuance_policy, "unregistered_only");
}

#[test]
fn an_arrow_line_finishes_the_group_named_on_the_line_above() {
    let x = read(
        "国民健康保険 資格確認書の送付\n更新日:2025年6月20日\n\
         ◯マイナ保険証の利用登録がお済みの方\n→「資格情報のお知らせ」を送付します。\n\
         ◯マイナ保険証をお持ちでない方\n→申請不要で「資格確認書」を送付します。",
    );
    let n = notice(&x);
    assert_eq!(n.issuance_policy, "unregistered_only");
    // The evidence quotes the group with what it gets.
    assert!(
        n.policy_evidence.contains("お持ちでない方")
            && n.policy_evidence.contains("資格確認書」を送付します"),
        "{}",
        n.policy_evidence
    );
}

#[test]
fn a_page_in_easy_japanese_is_read_as_plain_japanese() {
    let x = read(
        "こくほ(国民健康保険)の 資格確認書(しかくかくにんしょ)\n\
         2026年(ねん)6月(がつ)20日(にち)\n\
         マイナ保険証(ほけんしょう)を 持(も)って いない 人(ひと)に、 資格確認書(しかくかくにんしょ)を 送(おく)ります。\n\
         ・送(おく)り方(かた): 簡易書留(かんいかきとめ)です。\n\
         ・使(つか)える 最後(さいご)の 日(ひ): 2027年(ねん)7月(しちがつ)31日(にち)\n\
         いま 持(も)って いる 資格確認書(しかくかくにんしょ)は 2026年(ねん)7月(しちがつ)31日(にち)まで 使(つか)えます。",
    );
    let n = notice(&x);
    assert_eq!(n.issuance_policy, "unregistered_only");
    assert_eq!(n.mailing_method, "簡易書留");
    // The card held now is not the new one.
    assert_eq!(n.valid_until, d("2027-07-31"));
}

#[test]
fn a_card_denied_to_all_who_do_not_apply_is_issued_on_application() {
    for body in [
        "当組合では、資格確認書を職権では交付しておりません。必要な方は交付申請書をご提出ください。",
        "資格確認書は組合員の申請に基づいて交付する。申請のない者には交付しておらず、利用登録のない者であっても同様である。",
        "資格確認書の交付申請がない場合は、マイナ保険証の有無にかかわらず資格情報のお知らせのみをお送りします。",
    ] {
        let x = read(&format!(
            "東西運輸国民健康保険組合 資格確認書\n更新日:2025年9月1日\n{body}"
        ));
        assert_eq!(notice(&x).issuance_policy, "on_application", "{body}");
    }
}

#[test]
fn a_table_of_what_each_status_gets_gives_each_schemes_rule() {
    let x = read(
        "広報かわせみ 2025年1月号\n保険証の新規発行が終わりました\n\
         手続きをした方には、次の書類をお届けします。\n\
         制度 | マイナ保険証をお持ちの方 | お持ちでない方\n\
         国民健康保険 | 資格情報のお知らせ | 資格確認書\n\
         後期高齢者医療 | 資格確認書 | 資格確認書\n\
         問合せ 保険年金課",
    );
    let n = notice(&x);
    assert_eq!(n.issuance_policy, "mixed");
    assert_eq!(
        n.policy_by_scheme,
        "kokuho=unregistered_only;koki=all_insured"
    );
}

#[test]
fn a_worked_example_states_no_mailing_date() {
    let x = read(
        "国民健康保険 電子証明書の有効期限が切れた方へ\n更新日:2025年10月15日\n\
         更新しないまま3か月を過ぎる方には、申請不要で資格確認書をお送りします。\n\
         例)電子証明書の有効期限が令和7年9月14日の方\n\
         \u{3000}令和7年12月31日までマイナ保険証として使えます。\n\
         \u{3000}それまでに更新しない場合は、12月中に資格確認書が届きます。\n\
         電子証明書の更新は市民課の窓口でできます。",
    );
    let n = notice(&x);
    assert_eq!((n.mailing_start, n.mailing_end), (None, None));
}

#[test]
fn a_way_of_mailing_denied_or_asked_about_is_not_the_way() {
    let x = read(
        "後期高齢者医療 よくある質問\n掲載日:2025年6月2日\n\
         Q 資格確認書は書留で届きますか。\n\
         A 書留ではなく、普通郵便で郵便受けにお届けします。",
    );
    assert_eq!(notice(&x).mailing_method, "普通郵便");
}

#[test]
fn a_2026_page_about_cards_used_from_august_states_the_rule_in_force() {
    let x = read(
        "国民健康保険 資格確認書を発送します(令和8年度)\n更新日:2026年7月3日\n\
         マイナ保険証が無い方には、令和8年8月1日から使う新しい資格確認書を、7月10日(金曜日)から順次お送りします。",
    );
    let n = notice(&x);
    assert_eq!(n.issuance_policy, "unregistered_only");
    assert_eq!((n.mailing_start, n.mailing_end), (d("2026-07-10"), None));
}

#[test]
fn blocks_of_what_each_group_receives_give_the_rule() {
    let x = read(
        "国保の資格確認書等を10月に切り替えます\n掲載日:2025年8月6日\n\
         10月から使う書類を、9月末までに世帯主の方へお届けします。\n\
         【マイナ保険証あり】\n届く書類 資格情報のお知らせ\n送り方 普通郵便\n\
         【マイナ保険証なし】\n届く書類 資格確認書\n送り方 簡易書留\n",
    );
    assert_eq!(notice(&x).issuance_policy, "unregistered_only");
}

#[test]
fn a_card_only_for_those_who_ask_in_other_words_is_issued_on_application() {
    let x = read(
        "南北造園国民健康保険組合 資格確認書の交付申請について\n掲載日:2025年8月29日\n\
         当組合では、資格確認書は申し出のあった方にのみ交付しています。\
         マイナ保険証をお持ちでない方も含め、申し出のない方には資格確認書をお送りしません。",
    );
    assert_eq!(notice(&x).issuance_policy, "on_application");
}

#[test]
fn the_rule_expected_after_the_provisional_one_is_not_the_rule_in_force() {
    let x = read(
        "後期高齢者医療 資格確認書のお届け\n最終更新 2025年7月10日\n\
         市では、新しい資格確認書の発送を7月10日(木曜日)に始め、順番にお届けしています。\n\
         令和8年7月31日までは暫定的な扱いです。今回は、マイナ保険証で受診している方にも資格確認書が届きます。\n\
         この扱いが終わると、マイナ保険証の有無によって資格確認書か資格情報のお知らせのどちらかをお送りすることになる見込みです。",
    );
    let n = notice(&x);
    assert_eq!(n.issuance_policy, "all_insured");
    // A mailing begun on a day has no end stated.
    assert_eq!((n.mailing_start, n.mailing_end), (d("2025-07-10"), None));
}

#[test]
fn a_month_named_in_passing_gives_no_end_to_a_mailing_that_starts_mid_month() {
    let x = read(
        "後期高齢者医療 令和8年8月からの資格確認書\n公開日:2026年6月25日\n\
         マイナ保険証をお持ちでない方には資格確認書をお送りします。\n\
         【発送時期】\n令和8年7月中旬から順次発送します。\n\
         6月30日までに申請された方には、7月の発送分に資格確認書を同封します。",
    );
    let n = notice(&x);
    assert_eq!((n.mailing_start, n.mailing_end), (d("2026-07-11"), None));
}

#[test]
fn era_dates_in_short_under_labels_are_read() {
    let x = read(
        "全国菓子職人国民健康保険組合 資格確認書の更新\n掲載日 2025.09.01\n\
         マイナ保険証が無い方には、新しい資格確認書をお送りします。\n\
         発送予定日 R7.9.19(金)\n送付方法 簡易書留\n有効期限 R8.9.30(水)\n",
    );
    let n = notice(&x);
    assert_eq!(
        (n.mailing_start, n.mailing_end),
        (d("2025-09-19"), d("2025-09-19"))
    );
    assert_eq!(n.valid_until, d("2026-09-30"));
}

#[test]
fn a_timeline_gives_each_date_the_role_of_its_event() {
    let x = read(
        "資格確認書の一斉更新 スケジュール(令和7年度)\n更新日:2025年6月27日\n\
         国民健康保険の被保険者証は、令和7年7月31日(木)で有効期限を迎えます。\n\
         ・6月20日(金):マイナ保険証の登録状況を確認する基準日\n\
         ・7月上旬:資格情報のお知らせを発送(普通郵便)\n\
         ・7月17日(木):資格確認書を発送(簡易書留)\n\
         ・8月1日(金):新しい資格確認書の使用開始\n\
         ・令和8年7月31日(金):新しい資格確認書の有効期限\n",
    );
    let n = notice(&x);
    assert_eq!(
        (n.mailing_start, n.mailing_end),
        (d("2025-07-17"), d("2025-07-17"))
    );
    assert_eq!(n.valid_from, d("2025-08-01"));
    assert_eq!(n.valid_until, d("2026-07-31"));
}

#[test]
fn a_way_of_mailing_shared_by_both_documents_or_changed_since_last_year_is_read() {
    let both = read(
        "広報みずほ 2025年7月号\n国保・後期の新しい資格確認書等\n\
         8月1日から有効になる資格確認書、または資格情報のお知らせを、7月中に特定記録郵便でお届けします。",
    );
    assert_eq!(notice(&both).mailing_method, "特定記録郵便");
    let changed = read(
        "国民健康保険 資格確認書を発送します(令和8年度)\n更新日:2026年7月3日\n\
         マイナ保険証が無い方には、新しい資格確認書を7月10日から順次お送りします。\n\
         昨年度は資格確認書を普通郵便でお送りしましたが、今年度から簡易書留でお送りします。",
    );
    assert_eq!(notice(&changed).mailing_method, "簡易書留");
}

#[test]
fn titles_of_related_articles_state_nothing_of_the_page() {
    let x = read(
        "北浜新報デジタル\n国保の資格確認書、14日に一斉発送 北浜市\n2025年7月9日\n\
         北浜市は、国民健康保険に加入しマイナ保険証を持っていない人に、資格確認書を14日に一斉発送する。\n\n\
         関連記事\n・後期高齢者の資格確認書、全員に送付へ 県広域連合(6月3日)\n・保険料の通知、7月に発送\n",
    );
    let n = notice(&x);
    assert_eq!(n.issuance_policy, "unregistered_only");
    assert_eq!(n.scheme, "kokuho");
}

/// The review's inputs (2026-12-07): each new reading must leave these as they were.
#[test]
fn news_titles_old_cards_denials_and_other_dates_stay_unread() {
    let base = "国民健康保険 資格確認書について\n更新日:2025年6月20日\n\
                マイナ保険証をお持ちでない方には、資格確認書を簡易書留で送付します。\n";
    // A news list is no timeline; the paper card's expiry is not the new card's.
    for extra in [
        "新着情報\n・2025年6月20日 資格確認書の発送について\n・6月2日:資格確認書の有効期限についてページを更新しました\n",
        "今後のスケジュール\n・令和7年11月30日:保険証の有効期限\n",
        "保険証が使える最後の日:2025年11月30日\n",
        "【発送時期】\n8月1日以降に加入した方には、加入の手続き後に郵送します。\n",
        "【発送時期】\n令和7年7月1日時点で国保に加入している方に送付します。\n",
    ] {
        let n = notice(&read(&format!("{base}{extra}"))).clone();
        assert_eq!(
            (n.mailing_start, n.mailing_end, n.valid_until),
            (None, None, None),
            "{extra}"
        );
    }
    // Holders given the お知らせ with a note on the card, or the card only on application.
    for extra in [
        "【マイナ保険証をお持ちの方】\n届く書類:資格情報のお知らせ(資格確認書は届きません)\n",
        "マイナ保険証を利用している方にも、申請により資格確認書を交付します。\n",
        "マイナ保険証をお持ちの方のうち、申請のない方には資格確認書は交付せず、資格情報のお知らせのみお送りします。\n",
    ] {
        let n = notice(&read(&format!("{base}{extra}"))).clone();
        assert_eq!(n.issuance_policy, "unregistered_only", "{extra}");
    }
    // The お知らせ's way is not the card's.
    let n = notice(&read(
        "国民健康保険 資格確認書について\n更新日:2025年6月20日\n\
         資格確認書と資格情報のお知らせは送付時期が異なり、資格情報のお知らせは6月下旬に普通郵便でお送りします。\n",
    ))
    .clone();
    assert_eq!(n.mailing_method, "");
}

#[test]
fn a_card_named_only_to_compare_with_does_not_take_the_next_validity() {
    let x = read(
        "国民健康保険 7月中旬に資格確認書をお送りします(令和7年)\n\
         お手元の保険証の有効期限は令和7年7月31日です。\n\
         マイナ保険証を登録していない人\n届くもの:資格確認書\n\
         ・これまでの保険証と同じように、医療機関の窓口で見せてください。\n\
         ・有効期限は令和8年7月31日です。\n",
    );
    assert_eq!(notice(&x).valid_until, d("2026-07-31"));
}

#[test]
fn bare_labels_in_a_documents_block_are_read_for_that_document() {
    let x = read(
        "国民健康保険 資格確認書等をお送りします\n更新日:2025年7月7日\n\
         8月1日から使用する書類を、次のとおり世帯主あてにお送りします。\n\n\
         資格確認書\n・対象:マイナ保険証をお持ちでない方\n・発送:7月11日(金曜日)から順次\n・方法:簡易書留・転送不要\n\n\
         資格情報のお知らせ\n・対象:マイナ保険証をお持ちの方\n・発送:7月下旬\n・方法:普通郵便\n",
    );
    let n = notice(&x);
    assert_eq!((n.mailing_start, n.mailing_end), (d("2025-07-11"), None));
    assert_eq!(n.mailing_method, "簡易書留");
}

#[test]
fn dates_of_the_card_being_replaced_stay_off_the_new_card() {
    for text in [
        // A date qualifying the 保険証 (`…からの保険証`).
        "国民健康保険 資格確認書について\n更新日:2024年12月10日\n\
         令和5年11月1日からの保険証は、有効期限まで使えます。\n\
         マイナ保険証をお持ちでない方には、資格確認書をお送りします。\n",
        // A 保険証 named by its expiry, in a list of who may apply.
        "後期高齢者医療 資格確認書の交付申請\n更新日:2025年3月3日\n\
         次に当てはまる方は、申請により資格確認書を交付します。\n\
         1)マイナンバーカードを紛失した方\n\
         2)マイナンバーカードの更新手続き中で、かつ、令和7年7月31日有効期限の被保険者証を持っていない方\n",
        // The end a card in use reaches (`…が到来するとき`).
        "国民健康保険 資格確認書\n更新日:2024年11月20日\n\
         資格確認書は次のときにお届けします。\n●有効期限(7月31日)が到来するとき\n●国保に加入したとき\n",
    ] {
        let n = notice(&read(text)).clone();
        assert_eq!((n.valid_from, n.valid_until), (None, None), "{text}");
    }
}

#[test]
fn column_heads_that_only_name_groups_state_no_rule() {
    let x = read(
        "国民健康保険 高齢受給者証について\n更新日:2025年6月30日\n\
         70歳から74歳の方には高齢受給者証を交付します。\n\
         令和8年8月以降の負担割合は、資格確認書または資格情報のお知らせに記載されます。\n\
         受診のときに見せるもの\n\
         マイナ保険証をお持ちの方 | マイナ保険証をお持ちでない方 |\n\
         ---|---|\n\
         「マイナ保険証」 | 「保険証(有効期限内のもの)」と高齢受給者証 |\n",
    );
    assert_eq!(notice(&x).issuance_policy, "unknown");
}

#[test]
fn the_same_documents_for_both_groups_is_everyone() {
    let x = read(
        "後期高齢者医療 資格確認書の一斉更新(令和7年)\n更新日:2025年6月20日\n\
         後期高齢者医療の資格確認書は、マイナ保険証を登録している方と登録していない方とで、届く書類は同じです。\n\
         新しい資格確認書は7月下旬までにお送りします。\n",
    );
    assert_eq!(notice(&x).issuance_policy, "all_insured");
}

#[test]
fn documents_mailed_after_a_notification_say_nothing_of_who_gets_a_card() {
    let x = read(
        "国民健康保険の加入の届出\n更新日:2025年4月8日\n\
         会社を辞めたときは、14日以内に届け出てください。\n\
         届出のあと、資格確認書などの書類を世帯主の住所へ郵送します。\n",
    );
    assert_eq!(notice(&x).issuance_policy, "unknown");
}

/// Inputs from the session's review: each sits at the edge of a reading added the same
/// session.
#[test]
fn the_new_readings_stay_inside_their_edges() {
    // Sameness of the mailing day or the envelope is not sameness of what is sent.
    for line in [
        "マイナ保険証をお持ちの方への資格情報のお知らせと、お持ちでない方への資格確認書は、発送時期が同じです。",
        "封筒の色は、マイナ保険証をお持ちの方とお持ちでない方(資格確認書)とで同じです。",
    ] {
        let x = read(&format!(
            "国民健康保険 資格確認書と資格情報のお知らせの送付について\n更新日:2025年7月1日\n\
             マイナ保険証をお持ちでない方には、資格確認書をお送りします。\n{line}\n"
        ));
        assert_eq!(notice(&x).issuance_policy, "unregistered_only", "{line}");
    }
    // Column heads naming groups, with each group's documents in the cells below.
    for cells in [
        "マイナ保険証 | 資格確認書 |",
        "マイナ保険証で受診できます | 7月中旬に資格確認書をお送りします |",
    ] {
        let x = read(&format!(
            "国民健康保険 受診の際に必要なもの\n更新日:2025年7月1日\n\
             マイナ保険証を登録済みの方 | 登録していない方 |\n---|---|\n{cells}\n"
        ));
        assert_eq!(notice(&x).issuance_policy, "unregistered_only", "{cells}");
    }
    // The new card used until its expiry arrives keeps that end; the new card called a 保険証
    // keeps its first day.
    let x = read(
        "国民健康保険 資格確認書について\n更新日:2025年7月1日\n\
         マイナ保険証をお持ちでない方には、7月中旬に新しい資格確認書をお送りします。\n\
         新しい資格確認書は、有効期限(令和8年7月31日)が到来するまでお使いいただけます。\n",
    );
    assert_eq!(notice(&x).valid_until, d("2026-07-31"));
    let x = read(
        "後期高齢者医療 資格確認書の一斉送付\n更新日:2025年7月1日\n\
         令和7年8月1日から有効の保険証(資格確認書)を、7月中旬に簡易書留で全員にお送りします。\n",
    );
    assert_eq!(notice(&x).valid_from, d("2025-08-01"));
    // A scheme's section that mails `資格確認書など` to all still gives that scheme's rule, and
    // no notification needed is not a mailing after one.
    let x = read(
        "国民健康保険と後期高齢者医療の資格確認書について\n更新日:2025年6月20日\n国民健康保険\n\
         国民健康保険では、マイナ保険証をお持ちでない方に資格確認書をお送りします。\n後期高齢者医療\n\
         後期高齢者医療では、新しい資格確認書などの書類を7月下旬に郵送します。\n",
    );
    assert_eq!(notice(&x).issuance_policy, "mixed");
    let x = read(
        "後期高齢者医療 資格確認書の一斉更新\n更新日:2025年7月1日\n\
         更新のための届出は不要で、新しい資格確認書は7月中旬に簡易書留で郵送します。\n",
    );
    assert_eq!(notice(&x).issuance_policy, "all_insured");
}

#[test]
fn the_notice_said_to_go_to_frequent_users_of_an_age_band_is_the_2026_rule() {
    let x = read(
        "後期高齢者医療 資格確認書について\n更新日:2026年4月1日\n\
         7月中に、新しい「資格確認書」か「資格情報のお知らせ」のどちらかをお送りします。\n\
         「資格情報のお知らせ」が送付される方は、この1年でマイナ保険証を何度も利用した84歳以下の方です。\n",
    );
    assert_eq!(notice(&x).issuance_policy, "mixed");
}

/// Inputs from the session's second review, at the edges of the mended readings.
#[test]
fn the_mended_readings_stay_inside_their_edges() {
    // The same mailing day, or the same documents as last year, is not the same documents
    // for both groups.
    for text in [
        "国民健康保険 資格確認書と資格情報のお知らせの送付について\n更新日:2025年7月1日\n\
         マイナ保険証をお持ちでない方には資格確認書を、お持ちの方には資格情報のお知らせをお送りします。\n\
         マイナ保険証をお持ちの方(資格情報のお知らせ)とお持ちでない方(資格確認書)とで、届く書類は同じ日に発送します。\n",
        "国民健康保険 令和7年度の一斉更新\n更新日:2025年7月1日\n\
         今年度も、マイナ保険証をお持ちの方には資格情報のお知らせ、お持ちでない方には資格確認書と、お送りする書類は変わりません。\n",
    ] {
        assert_eq!(notice(&read(text)).issuance_policy, "unregistered_only", "{text}");
    }
    // A table row of what one applies for when the card is lost gives no rule.
    let x = read(
        "後期高齢者医療 資格確認書の送付について\n更新日:2025年6月25日\n\
         新しい資格確認書は、7月中旬に簡易書留で郵送します。\n受診や手続きの違い\n\
         項目 | マイナ保険証をお持ちの方 | お持ちでない方\n---|---|---\n\
         受診のとき | マイナンバーカードを提示 | 窓口で提示\n\
         なくしたとき | マイナンバーカードの再交付 | 資格確認書の再交付を申請\n",
    );
    assert_eq!(notice(&x).issuance_policy, "all_insured");
    // A question about the 84歳以下 band states no rule.
    let x = read(
        "後期高齢者医療 よくある質問(資格確認書)\n\
         Q 資格情報のお知らせが届く方は、84歳以下の方だけですか。\n\
         A 現在は暫定的な運用として、マイナ保険証をお持ちかどうかに関係なく、全員に資格確認書をお送りしています。\n",
    );
    assert_eq!(notice(&x).issuance_policy, "all_insured");
    // The card that replaces the 保険証 from a day keeps that first day.
    let x = read(
        "後期高齢者医療 資格確認書の一斉送付\n更新日:2025年7月1日\n\
         令和7年8月1日からの保険証に代わる資格確認書を、7月中旬に全員へ簡易書留で郵送します。\n",
    );
    assert_eq!(notice(&x).valid_from, d("2025-08-01"));
}

#[test]
fn a_date_long_before_the_first_cards_is_not_the_cards() {
    // Undated: the card's fields are explained, and one of them dates the scheme's start.
    let x = read(
        "後期高齢者医療 資格確認書の記載事項\n\
         有効期限\n\
         毎年8月1日から翌年7月31日までの1年間です。\n\
         資格取得日\n\
         制度が始まったときに75歳以上だった方は、平成20年4月1日が資格を取得した日として記載されています。\n",
    );
    let n = notice(&x);
    assert_eq!(n.valid_until, None, "{:?}", x.warnings);
    // A 2024 広報: the 保険証 renewed in August, the 資格確認書 announced for December.
    let x = read(
        "広報ひがしやま 2024年7月号\n\
         国民健康保険被保険者証の更新\n\
         令和6年8月1日から使う新しい被保険者証を7月下旬に簡易書留で郵送します。\n\
         令和6年12月2日以降、マイナ保険証をお持ちでない方には資格確認書を交付します。\n",
    );
    let n = notice(&x);
    assert_eq!(n.valid_from, None, "{:?}", x.warnings);
    assert_eq!((n.mailing_start, n.mailing_end), (None, None));
    assert!(
        x.warnings
            .iter()
            .any(|w| w.contains("before the first 資格確認書")),
        "{:?}",
        x.warnings
    );
    assert_eq!(n.issuance_policy, "unregistered_only");
    // The same renewal on a page that never names the 資格確認書 is that page's card.
    let x = read(
        "広報ひがしやま 2023年7月号\n\
         国民健康保険被保険者証の更新\n\
         令和5年8月1日から使う新しい被保険者証を7月下旬に簡易書留で郵送します。\n",
    );
    assert_eq!(notice(&x).valid_from, d("2023-08-01"), "{:?}", x.warnings);
}

/// Rewrites that keep a notice's meaning: the polite verbs in plain form, the humble
/// `いたします`, the person noun in kana, the era year as a Western one.
fn registers(text: &str) -> Vec<(&'static str, String)> {
    let plain = [
        ("されます", "される"),
        ("いたします", "する"),
        ("します", "する"),
        ("できます", "できる"),
        ("です。", "である。"),
    ]
    .iter()
    .fold(text.to_string(), |t, (a, b)| t.replace(a, b));
    let humble = text.replace("します", "いたします");
    let kana = text
        .replace("方には", "かたには")
        .replace("方に", "かたに")
        .replace("方は", "かたは");
    let western = (1..=9).fold(text.to_string(), |t, n| {
        t.replace(&format!("令和{n}年"), &format!("{}年", 2018 + n))
    });
    vec![
        ("plain", plain),
        ("humble", humble),
        ("kana", kana),
        ("western", western),
    ]
}

#[test]
fn a_notice_reads_the_same_in_any_register() {
    let notices = [
        // The provisional 後期 rule, told with its end.
        "後期高齢者医療 資格確認書について\n更新日:令和7年6月2日\n\
         令和8年7月末までは、マイナ保険証の有無にかかわらず資格確認書を交付します。\n",
        // The provisional rule issued at the paper card's lapse.
        "後期高齢者医療 資格確認書について\n更新日:令和6年11月5日\n\
         暫定的な運用として、保険証が失効する被保険者の方に資格確認書を職権で交付します。\n",
        // Holders named too.
        "国民健康保険 資格確認書の送付\n更新日:令和7年6月9日\n\
         本町では、マイナ保険証をお持ちの方にも資格確認書を送付します。\n",
        // Those without a マイナ保険証.
        "国民健康保険 資格確認書の送付\n更新日:令和7年6月9日\n\
         マイナ保険証をお持ちでない方には、資格確認書を7月中旬に郵送します。\n",
        // New members, by the regulations' words.
        "国民健康保険 資格確認書\n更新日:令和7年1月15日\n\
         令和6年12月2日以降に被保険者となる方には、申請によらず資格確認書を交付します。\n",
    ];
    for text in notices {
        let base = notice(&read(text)).issuance_policy.clone();
        assert_ne!(base, "unknown", "{text}");
        for (how, rewritten) in registers(text) {
            assert_eq!(
                notice(&read(&rewritten)).issuance_policy,
                base,
                "{how}: {rewritten}"
            );
        }
    }
}

#[test]
fn lists_under_each_documents_heading_tell_who_gets_which() {
    // A 広報 column: per scheme, each document with its size and its recipients.
    let x = read(
        "■国民健康保険・後期高齢者医療制度の方へ\n\
         (1)国民健康保険の方 有効期限の前に、次の書類のどちらかを郵送します。\n\
         (2)後期高齢者医療制度の方 新たに加入される方などに、マイナ保険証の保有状況にかかわらず資格確認書を郵送します。\n\
         送られるもの:\n\
         ◆国民健康保険\n\
         ○資格確認書\n\
         大きさ:カードサイズ\n\
         [対象者]\n\
         マイナ保険証をお持ちでない方\n\
         ○資格情報のお知らせ\n\
         大きさ:A4サイズ\n\
         [対象者]\n\
         マイナ保険証をお持ちの方\n\
         ◆後期高齢者医療制度\n\
         資格確認書\n\
         [対象者]\n\
         ・保険証の有効期限を迎える方\n",
    );
    let n = notice(&x);
    assert_eq!(n.issuance_policy, "mixed", "{:?}", n.policy_evidence);
    assert_eq!(
        n.policy_by_scheme,
        "kokuho=unregistered_only;koki=all_insured"
    );
}

#[test]
fn marks_and_long_names_do_not_change_the_reading() {
    // An approximate end on both sides of a mailing window.
    let x = read(
        "国民健康保険 資格確認書の更新\n更新日:2025年6月20日\n\
         新しい資格確認書等は、7月中旬ごろから下旬頃にかけて世帯主あてにお送りします。\n",
    );
    let n = notice(&x);
    assert_eq!(
        (n.mailing_start, n.mailing_end),
        (d("2025-07-11"), d("2025-07-31"))
    );
    // The card's name in quotes before its term in brackets.
    let x = read(
        "後期高齢者医療 資格確認書\n更新日:2025年8月1日\n\
         後期高齢者の「資格確認書」(令和7年8月から令和8年7月まで)は、水色の用紙です。\n",
    );
    assert_eq!(notice(&x).valid_from, d("2025-08-01"), "{:?}", x.warnings);
    // `「資格確認書」等` is the card or the お知らせ, as `資格確認書等` is: it says nothing of
    // who gets the card.
    let x = read(
        "国民健康保険 70歳になる方へ\n更新日:2025年3月3日\n\
         70歳の誕生月の前月末に、「資格確認書」等を郵送します。\n",
    );
    assert_eq!(notice(&x).issuance_policy, "unknown");
    // Column heads that name the groups at length are still only heads.
    let x = read(
        "国民健康保険 高齢受給者証\n更新日:2025年7月31日\n\
         令和8年8月1日以降は、資格確認書と高齢受給者証が一つになります。\n\
         健康保険証の利用登録をしたマイナンバーカードをお持ちの方 | 健康保険証の利用登録をしたマイナンバーカードをお持ちでない方 |\n\
         ---|---|\n\
         「マイナ保険証」 | 「保険証(有効期限内のもの)」 |\n",
    );
    assert_eq!(notice(&x).issuance_policy, "unknown");
}

#[test]
fn other_words_for_the_same_dates_and_documents_read_the_same() {
    // `より` for `から`, after a day and after a part of a month.
    let x = read(
        "国民健康保険 資格確認書の更新\n更新日:2025年6月20日\n\
         令和7年8月1日より使用する新しい資格確認書を、7月中旬より順次郵送します。\n",
    );
    let n = notice(&x);
    assert_eq!(n.valid_from, d("2025-08-01"), "{:?}", x.warnings);
    assert_eq!(n.mailing_start, d("2025-07-11"));
    // A comparison is not a start: `より前` stays as it is.
    let x = read(
        "国民健康保険 資格確認書\n更新日:2025年6月20日\n\
         令和7年8月1日より前に届いた書類は破棄してください。\n",
    );
    assert_eq!(notice(&x).valid_from, None);
    // `国保証` is the paper card: its expiry is not the new card's.
    let x = read(
        "国民健康保険 資格確認書\n更新日:2025年9月1日\n\
         本市の国保証の有効期限は令和7年11月30日です。\
         マイナ保険証をお持ちでない方には、資格確認書を11月中旬に郵送します。\n",
    );
    let n = notice(&x);
    assert_eq!(n.valid_until, None, "{:?}", x.warnings);
    assert_eq!(n.issuance_policy, "unregistered_only");
    // `資格確認証`, as some pages write it, is the 資格確認書.
    let x = read(
        "後期高齢者医療 資格確認証の送付\n更新日:2025年6月20日\n\
         資格確認証の有効期限は令和8年7月31日までです。\n",
    );
    assert_eq!(notice(&x).valid_until, d("2026-07-31"), "{:?}", x.warnings);
    // `発行` for `交付`: a new card issued in July is its mailing; a card issued before a
    // day is the old one.
    let x = read(
        "後期高齢者医療 資格確認書\n更新日:2025年6月20日\n\
         7月中に新しい資格確認書を発行しますので、令和7年8月1日からお使いください。\n\
         令和6年12月2日から令和7年7月31日までに発行した資格確認書の有効期限は令和7年7月31日です。\n\
         新しい資格確認書の有効期限は令和8年7月31日です。\n",
    );
    let n = notice(&x);
    assert_eq!(
        (n.mailing_start, n.mailing_end),
        (d("2025-07-01"), d("2025-07-31"))
    );
    assert_eq!(n.valid_until, d("2026-07-31"), "{:?}", x.warnings);
    // `加入者` for `被保険者`: everyone who joins gets one.
    let x = read(
        "国民健康保険 資格確認書\n更新日:2025年1月15日\n\
         令和6年12月2日以降に加入者になる方には、申請によらず資格確認書を交付します。\n",
    );
    assert_eq!(notice(&x).issuance_policy, "all_insured");
}

#[test]
fn a_table_row_that_gives_a_group_a_document_is_no_heading_over_the_next_rows() {
    let x = read(
        "広報 7月号 保険の書類が新しくなります\n\
         国保・後期高齢者医療制度の被保険者の皆さんへ\n\
         送る書類 対象者\n\
         国保 (1)資格確認書(水色) マイナ保険証を持っていない人\n\
         (2)資格情報のお知らせ マイナ保険証を持っている人\n\
         後期高齢者医療制度 (3)資格確認書(だいだい色) 被保険者全員\n",
    );
    assert_eq!(
        notice(&x).policy_by_scheme,
        "kokuho=unregistered_only;koki=all_insured"
    );
}

/// Inputs from the twelfth session's review, at the edges of that session's readings: each
/// gave a wrong fact before it was mended.
#[test]
fn the_rewritten_readings_stay_inside_their_edges() {
    // `発行` of another card, or a re-issue, is no mailing of the 資格確認書.
    for text in [
        "資格確認書について\n国民健康保険でマイナ保険証をお持ちでない方に資格確認書を交付します。\n\
         令和7年7月中旬から、新しいマイナンバーカードを発行する方は、窓口で健康保険証としての利用登録ができます。\n",
        "資格確認書の再交付\n更新日:2025年6月2日\n国民健康保険でマイナ保険証をお持ちでない方に資格確認書を交付します。\n\
         8月1日から、新しい資格確認書の再発行に手数料はかかりません。\n",
    ] {
        let n = notice(&read(text)).clone();
        assert_eq!((n.mailing_start, n.mailing_end), (None, None), "{text}");
    }
    // A card's own term and `当面` on a 国保 page are no provisional rule for everyone.
    let x = read(
        "国民健康保険 資格確認書の送付\n更新日:2025年6月2日\n\
         マイナ保険証をお持ちでない方には、資格確認書を7月下旬に郵送します。\n\
         資格確認書(2026年7月31日まで有効)は、当面の間、簡易書留で交付いたします。\n",
    );
    assert_eq!(notice(&x).issuance_policy, "unregistered_only");
    // Holders who get one only if they wish are not everyone.
    let x = read(
        "資格確認書の交付対象\n更新日:2025年6月2日\n\
         後期高齢者医療では、マイナ保険証をお持ちでない人に資格確認書を送ります。\n\
         マイナ保険証を持っている人にも、希望すれば資格確認書を交付します。\n",
    );
    assert_eq!(notice(&x).issuance_policy, "unregistered_only");
    // Those joining, asked whether they need one: on request, not everyone.
    let x = read(
        "資格確認書について\n更新日:2025年6月2日\n\
         国民健康保険の加入者になる方には、加入の届出の後、資格確認書が必要かどうかをお尋ねし、必要な方に交付します。\n",
    );
    assert_ne!(notice(&x).issuance_policy, "all_insured");
}

#[test]
fn dates_written_with_numbers_only_read_as_the_written_ones() {
    // `R7.8.1` and `2025/8/1` are dates with their year, as `令和7年8月1日` is.
    for (valid, mail) in [
        (
            "有効期間はR7.10.1からR8.9.30までです。",
            "R7.9.16~R7.9.26に郵送します。",
        ),
        (
            "有効期間は2025/10/1~2026/9/30です。",
            "2025/9/16から2025/9/26までに郵送します。",
        ),
    ] {
        let text = format!(
            "国民健康保険 資格確認書の更新\n\
             マイナ保険証をお持ちでない方には、資格確認書を送付します。\n{valid}\n{mail}\n"
        );
        let x = read(&text);
        let n = notice(&x);
        assert_eq!(
            (n.valid_from, n.valid_until),
            (d("2025-10-01"), d("2026-09-30")),
            "{text} {:?}",
            x.warnings
        );
        assert_eq!(
            (n.mailing_start, n.mailing_end),
            (d("2025-09-16"), d("2025-09-26")),
            "{text}"
        );
    }
    // The next regime's day in numbers is still the next regime: on a page of 2025 it is
    // not this cycle's start.
    let x = read(
        "後期高齢者医療 資格確認書\n更新日:2025年5月15日\n\
         R8.8.1から有効の資格確認書は、マイナ保険証を持っていない人に交付します。\n",
    );
    assert_eq!(notice(&x).valid_from, None, "{:?}", x.warnings);
}

#[test]
fn a_label_stated_as_the_topic_of_a_sentence_is_read_as_its_value() {
    let head = "国民健康保険 資格確認書について\n\
                マイナ保険証をお持ちでない方には、資格確認書を送付します。\n";
    let x = read(&format!(
        "{head}送付時期は令和7年7月14日から令和7年7月25日までです。\n"
    ));
    let n = notice(&x);
    assert_eq!(
        (n.mailing_start, n.mailing_end),
        (d("2025-07-14"), d("2025-07-25"))
    );
    let x = read(&format!("{head}発送予定日は、令和7年7月22日となります。\n"));
    let n = notice(&x);
    assert_eq!(
        (n.mailing_start, n.mailing_end),
        (d("2025-07-22"), d("2025-07-22"))
    );
    let x = read(&format!(
        "{head}発送時期は令和7年7月下旬を予定しています。\n"
    ));
    assert_eq!(notice(&x).mailing_end, d("2025-07-31"));
    // The card held now, as the topic, is not the new card.
    let x = read(&format!(
        "{head}本市の国民健康保険証の有効期限は、令和7年9月30日までです。\n"
    ));
    assert_eq!(notice(&x).valid_until, None, "{:?}", x.warnings);
}

#[test]
fn the_humble_issuing_verbs_read_as_the_polite_ones() {
    let x = read(
        "後期高齢者医療 資格確認書\n更新日:2025年6月2日\n\
         マイナ保険証の有無にかかわらず、被保険者の皆さまに資格確認書を交付させていただきます。\n",
    );
    assert_eq!(notice(&x).issuance_policy, "all_insured");
    let x = read(
        "国民健康保険 資格確認書\n更新日:2025年6月2日\n\
         マイナ保険証をお持ちでない方には、資格確認書をお送りさせていただきます。\n",
    );
    assert_eq!(notice(&x).issuance_policy, "unregistered_only");
}

#[test]
fn a_range_alone_on_its_line_is_no_page_date() {
    // A schedule whose headings are periods: the page is of 2025, when the cards go out.
    let x = read(
        "後期高齢者医療 被保険者証の発行終了\n\
         令和6年12月2日~令和7年7月31日\n\
         新たに加入する方には、申請によらず資格確認書を交付します。\n\
         令和7年8月1日以降\n\
         マイナ保険証の有無にかかわらず、加入している方全員に資格確認書を交付します。【7月中旬頃】\n",
    );
    let n = notice(&x);
    assert_eq!(n.mailing_start, d("2025-07-11"), "{:?}", x.warnings);
}

#[test]
fn everyone_getting_the_card_or_the_notice_is_not_everyone_getting_the_card() {
    for text in [
        "国民健康保険 資格確認書等の送付\n更新日:2025年6月2日\n\
         国民健康保険の加入者全員に、資格確認書または資格情報のお知らせを送付します。\n",
        "国民健康保険 書類の一斉送付\n更新日:2025年6月2日\n\
         被保険者全員に、資格確認書か資格情報のお知らせのいずれかをお送りします。\n",
    ] {
        assert_ne!(notice(&read(text)).issuance_policy, "all_insured", "{text}");
    }
}

#[test]
fn a_page_date_label_in_brackets_is_the_page_date_not_a_fact() {
    let x = read(
        "国民健康保険 資格確認書について\n【登録日】2024年12月2日\n\
         有効な保険証がない方には、資格確認書を交付します。\n\
         資格確認書の有効期限は令和7年7月31日です。\n",
    );
    let n = notice(&x);
    // The label's day is no fact of the card, and it dates the page.
    assert_eq!(n.valid_until, d("2025-07-31"), "{:?}", x.warnings);
    assert_eq!(n.updated_on.or(n.published_on), d("2024-12-02"));
}

#[test]
fn an_offices_name_is_no_scheme_of_the_page() {
    let x = read(
        "後期高齢者医療 資格確認書の送付\n更新日:2025年6月2日\n\
         後期高齢者医療の被保険者全員に、資格確認書を7月中旬に送付します。\n\
         届かない場合は、市民課国保年金係までお問い合わせください。\n",
    );
    assert_eq!(notice(&x).scheme, "koki");
    // With no other name of a scheme, the office that handles the card tells it.
    let x = read(
        "資格確認書について\n更新日:2025年6月2日\n\
         マイナ保険証をお持ちでない方には、資格確認書を送付します。\n\
         届かない場合は、税務課国保係までご連絡ください。\n",
    );
    assert_eq!(notice(&x).scheme, "kokuho");
}

#[test]
fn everyone_of_a_group_whether_they_apply_or_not_is_still_that_group() {
    let x = read(
        "国民健康保険 資格確認書\n更新日:2025年6月2日\n\
         マイナ保険証を持っていない人には、申請がなくても全員に資格確認書を送ります。\n",
    );
    assert_eq!(notice(&x).issuance_policy, "unregistered_only");
    // Everyone named after the group, in a clause of its own, is everyone.
    let x = read(
        "後期高齢者医療 資格確認書\n更新日:2025年6月2日\n\
         マイナ保険証をお持ちでない方も安心して受診できるよう、資格確認書を全員に交付します。\n",
    );
    assert_eq!(notice(&x).issuance_policy, "all_insured");
}

#[test]
fn a_mailing_told_as_the_topic_is_dated_by_its_plan_or_its_copula() {
    let head = "国民健康保険 資格確認書の送付\n更新日:2025年6月2日\n\
                マイナ保険証をお持ちでない方には、資格確認書を送付します。\n";
    for line in [
        "資格確認書の発送は7月18日(金曜日)を予定しています。",
        "資格確認書の発送日は7月18日です。",
    ] {
        let x = read(&format!("{head}{line}\n"));
        let n = notice(&x);
        assert_eq!(
            (n.mailing_start, n.mailing_end),
            (d("2025-07-18"), d("2025-07-18")),
            "{line}"
        );
    }
}

#[test]
fn a_fieldwork_range_may_end_in_the_same_year_or_month() {
    // (The ja finder's `同年` / `同月`, as notices and reports write a range's end.)
    let x = read(
        "国民健康保険 資格確認書の送付\n更新日:2025年6月2日\n\
         マイナ保険証をお持ちでない方には、資格確認書を令和7年7月14日から同月25日までに郵送します。\n",
    );
    let n = notice(&x);
    assert_eq!(
        (n.mailing_start, n.mailing_end),
        (d("2025-07-14"), d("2025-07-25"))
    );
}

/// Inputs from the thirteenth session's review, at the edges of that session's readings:
/// each gave a wrong fact before it was mended.
#[test]
fn the_topic_readings_stay_inside_their_edges() {
    let head = |date: &str| {
        format!(
            "資格確認書の送付\n更新日:{date}\n\
             マイナ保険証をお持ちでない方に資格確認書を送付します。\n"
        )
    };
    // A time told beside another (the last cycle's, the usual one, a plan changed) is left
    // empty rather than read as this cycle's.
    for (date, line) in [
        (
            "2026年6月1日",
            "送付時期は、前回(令和7年7月)と同じで7月中旬です。",
        ),
        (
            "2025年6月2日",
            "発送時期は毎年7月下旬ですが、今年は8月上旬を予定しています。",
        ),
        (
            "2025年7月15日",
            "資格確認書の発送は7月18日(金曜日)を予定していましたが、8月1日(金曜日)に延期しました。",
        ),
    ] {
        let n = notice(&read(&format!("{}{line}\n", head(date)))).clone();
        assert!(
            n.mailing_start
                .is_none_or(|d| d >= NaiveDate::from_ymd_opt(2025, 8, 1).unwrap()),
            "{line}: {n:?}"
        );
    }
    // Another document as the topic is no fact of the card.
    let n = notice(&read(&format!(
        "{}限度額適用認定証の有効期限は令和8年7月31日までです。\n保険料決定通知書の発送日は7月14日です。\n",
        head("2025年6月2日")
    )))
    .clone();
    assert_eq!((n.valid_until, n.mailing_start), (None, None));
    // A note in brackets does not hide the value.
    let n = notice(&read(&format!(
        "{}発送予定日は、令和7年7月22日です(前回は令和6年11月29日でした)。\n",
        head("2025年6月2日")
    )))
    .clone();
    assert_eq!(n.mailing_start, d("2025-07-22"));
}

#[test]
fn month_day_slashes_with_weekdays_read_as_a_range() {
    let x = read(
        "資格確認書の送付日程\n更新日:2025年6月2日\n\
         マイナ保険証をお持ちでない方に資格確認書を送付します。\n\
         発送予定日は7/22(火)~7/25(金)です。\n",
    );
    let n = notice(&x);
    assert_eq!(
        (n.mailing_start, n.mailing_end),
        (d("2025-07-22"), d("2025-07-25"))
    );
    // A fraction at a sentence's end is no day.
    let x = read(
        "資格確認書の送付\n更新日:2025年6月2日\n\
         マイナ保険証をお持ちでない方に資格確認書を送付します。\n\
         窓口での負担は医療費の1/3です。\n",
    );
    assert_eq!(notice(&x).mailing_start, None);
}

#[test]
fn the_next_regimes_mailing_on_an_earlier_page_is_not_this_cycles() {
    let x = read(
        "資格確認書の一斉更新について\n更新日:2025年7月1日\n\
         マイナ保険証をお持ちでない方に、令和7年8月1日から使える資格確認書を7月中旬に送付します。\n\
         次の更新分(令和8年8月1日から使うもの)は、令和8年7月下旬に送付する予定です。\n",
    );
    let n = notice(&x);
    assert_eq!(
        (n.mailing_start, n.mailing_end),
        (d("2025-07-11"), d("2025-07-20")),
        "{:?}",
        x.warnings
    );
}

/// Wrong facts the thirteenth session's review found in readings older than that session:
/// each is now left empty.
#[test]
fn other_cards_terms_other_documents_days_and_changed_days_are_not_the_cards() {
    let head = "資格確認書の送付\n更新日:2025年6月2日\n\
                マイナ保険証をお持ちでない方に資格確認書を送付します。\n";
    for line in [
        // The マイナンバーカード's own term, and its 電子証明書's.
        "マイナンバーカードの有効期限は令和7年11月30日までです。更新をお忘れなく。",
        "電子証明書の有効期限は、発行から5回目の誕生日までです。有効期限が令和7年10月31日までの方には、別にご案内します。",
    ] {
        let n = notice(&read(&format!("{head}{line}\n"))).clone();
        assert_eq!(n.valid_until, None, "{line}");
    }
    for line in [
        // A day moved, not a window from one day to the other.
        "発送予定日は、令和7年7月23日から令和7年7月30日に変更になりました。",
        // Another document's day, in brackets beside the card's mailing.
        "資格確認書の発送は、保険料の通知(7月9日発送)とは別に行います。",
    ] {
        let n = notice(&read(&format!("{head}{line}\n"))).clone();
        assert_eq!((n.mailing_start, n.mailing_end), (None, None), "{line}");
    }
}

/// The nation's rule told as hearsay is background: the page's own rule of who gets the card
/// wins over it, but the few who may ask for one do not.
#[test]
fn the_nations_rule_told_as_background_gives_way_to_the_pages_own_rule() {
    let head = "国民健康保険 資格確認書の送付\n更新日:2025年6月20日\n";
    let page = |body: &str| notice(&read(&format!("{head}{body}\n"))).clone();
    let own_rule = page(
        "国の制度上、資格確認書はマイナ保険証を持っていない人に原則として交付するものとされています。\n\
         当町では、町の国民健康保険に加入する全員に資格確認書を郵送します。",
    );
    assert_eq!(own_rule.issuance_policy, "all_insured");
    // Alone, the nation's rule is the page's.
    let alone = page(
        "国の制度上、資格確認書はマイナ保険証を持っていない人に原則として交付するものとされています。",
    );
    assert_eq!(alone.issuance_policy, "unregistered_only");
    // Those who may ask for one are no rule of the page's own.
    let with_requests = page(
        "国の制度上、資格確認書はマイナ保険証を持っていない人に交付することとされています。\n\
         介助が必要な方などは、申請により資格確認書を受け取ることができます。",
    );
    assert_eq!(with_requests.issuance_policy, "unregistered_only");
}

/// A 広報 block under its section heading (`まちのお知らせ`), with a bracketed note in the
/// recipients' value and a note line about the お知らせ between the card's lines.
#[test]
fn a_koho_block_under_a_news_heading_reads_its_labels_past_notes() {
    let x = read(
        "広報あおば 2025年7月号\n\
         まちのお知らせ\n\
         ■国保の資格確認書をお送りします\n\
         今の保険証は7月31日で使えなくなります。資格確認書を次のとおりお送りします。\n\
         対象:国保の加入者のうち、マイナ保険証(保険証の利用登録をしたマイナンバーカード)がない方\n\
         ※マイナ保険証がある方には、資格情報のお知らせを送ります\n\
         発送:7月15日ごろ\n\
         送り方:簡易書留\n\
         有効期限:令和8年7月31日\n",
    );
    let n = notice(&x);
    assert_eq!(n.issuance_policy, "unregistered_only");
    assert_eq!(n.mailing_method, "簡易書留");
    assert_eq!(
        (n.mailing_start, n.mailing_end, n.valid_until),
        (d("2025-07-15"), d("2025-07-15"), d("2026-07-31"))
    );
}

/// A mailing day told as planned (`…7月17日に発送する予定です`) states the rule in force;
/// a rule planned with no day of its own is for later.
#[test]
fn a_planned_mailing_day_states_the_rule_in_force() {
    let x = read(
        "国保 資格確認書\n更新日:2025年6月20日\n\
         マイナ保険証の登録をしていない方に、資格確認書を7月17日に発送する予定です。\n",
    );
    assert_eq!(notice(&x).issuance_policy, "unregistered_only");
}

/// A page of the month's mail: the health check's ticket mailed in the same month is another
/// document, whatever block it follows.
#[test]
fn the_health_checks_ticket_is_another_documents_mailing() {
    let x = read(
        "国民健康保険 7月にお送りする書類\n掲載日:2025年7月1日\n\
         ◇資格確認書\n\
         マイナ保険証をお持ちでない方に、8月から使う資格確認書を7月下旬にお送りします。\n\
         ◇高額療養費の限度区分\n\
         限度区分は資格確認書に併記できます。\n\
         ◇特定健康診査の受診券\n\
         40歳以上の加入者に、7月上旬にお送りしています。\n",
    );
    let n = notice(&x);
    assert_eq!(
        (n.mailing_start, n.mailing_end),
        (d("2025-07-21"), d("2025-07-31"))
    );
}

/// Two mailings set out as a flattened table, label and value a space apart, under a
/// breadcrumb that ends in `お知らせ`; the documents `8月からの` are no start of mailing.
#[test]
fn two_mailings_as_space_separated_pairs_give_the_cards_own_window() {
    let x = read(
        "若葉台市\nホーム > くらし > 国民健康保険 > お知らせ\n資格情報のお知らせ・資格確認書の発送日\n\
         更新日:2025年7月1日\n\
         8月からの書類を2回に分けて発送します。\n\
         ●1回目:資格情報のお知らせ\n\
         発送日 7月8日(火)\n\
         送り方 普通郵便\n\
         ●2回目:資格確認書\n\
         発送日 7月15日(火)から7月18日(金)にかけて\n\
         対象 マイナ保険証の利用登録をしていない方\n\
         送り方 簡易書留\n\
         有効期限 令和8年7月31日\n",
    );
    let n = notice(&x);
    assert_eq!(
        (n.mailing_start, n.mailing_end),
        (d("2025-07-15"), d("2025-07-18"))
    );
    assert_eq!(n.mailing_method, "簡易書留");
    assert_eq!(n.valid_until, d("2026-07-31"));
}

/// A rule planned from the day a regime starts (`令和7年8月以降は…交付する予定です` on a
/// page of 2024) is for later, unlike a mailing planned on a day.
#[test]
fn a_rule_planned_from_a_regimes_start_is_for_later() {
    let x = read(
        "国保 資格確認書\n更新日:2024年11月20日\n\
         令和7年8月以降は、マイナ保険証をお持ちでない方に資格確認書を交付する予定です。\n",
    );
    assert_eq!(notice(&x).issuance_policy, "unknown");
}

/// A page in kana alone, words spaced apart, is read with this domain's words in kanji.
#[test]
fn a_page_in_kana_alone_is_read() {
    let x = read(
        "やさしい にほんご\n\
         こくみん けんこう ほけん の「しかく かくにんしょ」\n\
         こうしん:2025年7月1日\n\
         マイナンバーカードを ほけんしょうとして とうろく していない ひと に、「しかく かくにんしょ」を おくります。\n\
         「かんい かきとめ」で おくります。\n\
         2026ねん 7がつ 31にち まで つかえます。\n",
    );
    let n = notice(&x);
    assert_eq!(n.issuance_policy, "unregistered_only");
    assert_eq!(n.mailing_method, "簡易書留");
    assert_eq!(n.valid_until, d("2026-07-31"));
}
