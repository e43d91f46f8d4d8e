//! The report's words in Japanese and English, and the date and number formats of each.

use chrono::{Datelike, NaiveDate};

/// The report's language.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Lang {
    /// 日本語 (the default: the sources and most readers are Japanese).
    #[default]
    Ja,
    /// English.
    En,
}

impl Lang {
    /// `ja` / `en`.
    pub fn code(self) -> &'static str {
        match self {
            Lang::Ja => "ja",
            Lang::En => "en",
        }
    }

    /// The text for `key` (the English text when a key has no translation).
    pub fn t(self, key: &'static str) -> &'static str {
        WORDS
            .iter()
            .find(|(k, _, _)| *k == key)
            .map_or(key, |(_, ja, en)| match self {
                Lang::Ja => ja,
                Lang::En => en,
            })
    }

    /// A month-end stock date: `2025年4月末` / `end of April 2025`; other days as the day.
    pub fn stock_date(self, d: NaiveDate) -> String {
        let month_end = d.succ_opt().is_some_and(|n| n.month() != d.month());
        match (self, month_end) {
            (Lang::Ja, true) => format!("{}年{}月末", d.year(), d.month()),
            (Lang::En, true) => format!("end of {} {}", MONTHS[d.month0() as usize], d.year()),
            (_, false) => self.day(d),
        }
    }

    /// A day: `2025年1月1日` / `1 January 2025`.
    pub fn day(self, d: NaiveDate) -> String {
        match self {
            Lang::Ja => format!("{}年{}月{}日", d.year(), d.month(), d.day()),
            Lang::En => format!("{} {} {}", d.day(), MONTHS[d.month0() as usize], d.year()),
        }
    }

    /// A calendar month: `2025年1月` / `January 2025`.
    pub fn month(self, d: NaiveDate) -> String {
        match self {
            Lang::Ja => format!("{}年{}月", d.year(), d.month()),
            Lang::En => format!("{} {}", MONTHS[d.month0() as usize], d.year()),
        }
    }
}

const MONTHS: [&str; 12] = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
];

/// (key, 日本語, English).
const WORDS: &[(&str, &str, &str)] = &[
    ("title", "マイナ保険証の移行：数字と事実", "The My Number health-insurance transition: figures and facts"),
    ("generated", "作成", "Generated"),
    ("as_of_store", "データの時点（この日までに取得した内容）", "As the store knew it on"),
    ("every_number", "すべての数字は出典にリンクしています。数字にカーソルを合わせると、出典内の位置・スナップショットのハッシュ・取得日時が表示されます。", "Every number links to its source; hover over it for its locator, snapshot hash and fetch time."),
    ("headline", "主要な数字", "Headline figures"),
    ("holdings", "マイナンバーカード保有枚数", "My Number cards held"),
    ("holding_rate", "人口に対する保有率", "of the population"),
    ("registrations", "健康保険証利用登録", "Health-insurance registrations"),
    ("of_cards", "保有枚数に対する登録率", "of cards held"),
    ("per_population", "人口に対する登録率", "of the population"),
    ("population_base", "人口の基準", "population base"),
    ("usage_rate", "マイナ保険証の利用率", "Usage rate of the My Number insurance card"),
    ("cancellations", "利用登録解除の件数", "Cancelled registrations"),
    ("cancellations_total", "累計", "running total"),
    ("no_data", "データなし", "no data"),
    ("charts", "推移", "Over time"),
    ("chart_holdings", "保有枚数と利用登録件数（全国・月末）", "Cards held and insurance registrations (all Japan, month end)"),
    ("chart_usage", "マイナ保険証の利用率（全国・月次）", "Usage rate (all Japan, monthly)"),
    ("chart_cancellations", "利用登録解除の件数（月次）と累計", "Cancelled registrations per month and running total"),
    ("preliminary", "速報値", "preliminary"),
    ("revised", "改定値", "revised"),
    ("period", "期間", "Period"),
    ("count", "件数", "Count"),
    ("value", "値", "Value"),
    ("month", "月", "Month"),
    ("municipal", "自治体の資格確認書", "Municipalities and the qualification certificate"),
    ("policy_counts", "交付方針別の自治体数", "Issuers by issuance policy"),
    ("policy", "交付方針", "Policy"),
    ("issuers", "自治体数", "Issuers"),
    ("all_japan", "全国", "All Japan"),
    ("prefecture", "都道府県", "Prefecture"),
    ("all_insured", "加入者全員に交付", "to every insured person"),
    ("unregistered_only", "マイナ保険証のない人に交付", "only to those without the card"),
    ("unknown", "不明", "unknown"),
    ("all_insured_list", "加入者全員に資格確認書を交付する自治体", "Issuers that send a certificate to every insured person (all_insured)"),
    ("issuer", "自治体", "Issuer"),
    ("evidence", "根拠となる文", "Evidence sentence"),
    ("validity", "有効期間", "Validity"),
    ("source", "出典", "Source"),
    ("notices_changed", "この30日間に変わったお知らせ", "Notices changed in the last 30 days"),
    ("none", "なし", "none"),
    ("reviews", "人が確認・訂正した項目", "Facts reviewed by people"),
    ("field", "項目", "Field"),
    ("machine_value", "自動抽出の値", "Reader's value"),
    ("reviewed_value", "確認後の値", "Reviewed value"),
    ("review_status", "状態", "Status"),
    ("reviewed_by", "確認者・日付", "Reviewed by, on"),
    ("machine", "自動", "machine"),
    ("confirmed", "確認済み", "confirmed"),
    ("corrected", "訂正済み", "corrected"),
    ("stale", "ページ更新により要再確認", "stale: the page changed"),
    ("legislation", "法案の審議状況", "Legislation"),
    ("bills_none", "法案のデータはまだありません（法案の取得元が未設定です）。", "No bill data yet (no bill source in this data folder)."),
    ("bill", "法案", "Bill"),
    ("stage", "段階", "Stage"),
    ("minister", "大臣の発言", "What the minister said"),
    ("minister_note", "資格確認書・マイナ保険証に触れた最新の発言", "Latest statements tagged qualification_certificate or mynumber_insurance"),
    ("date", "日付", "Date"),
    ("speaker", "発言者", "Speaker"),
    ("statement", "発言", "Statement"),
    ("surveys", "保団連の調査", "Hodanren surveys"),
    ("survey_note", "中間報告から最終報告への改定は両方の値を示します。", "Where an interim figure was revised in the final report, both values are shown."),
    ("metric", "指標", "Metric"),
    ("health", "取得元の状態", "Source health"),
    ("source_id", "取得元", "Source"),
    ("outcome", "直近の結果", "Last outcome"),
    ("failures", "連続失敗", "Failures in a row"),
    ("last_error", "エラー", "Error"),
    ("changes", "最近の変更", "Latest changes"),
    ("detected", "検出", "Detected"),
    ("kind", "種類", "Kind"),
    ("summary", "内容", "Summary"),
    ("derived", "mynawatchが公表値から計算", "computed by mynawatch from published figures"),
    ("latest_usage", "最新の利用率", "Latest usage rate"),
    ("through", "まで", "through"),
];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn month_end_dates_read_as_end_of_month_in_both_languages() {
        let d = NaiveDate::from_ymd_opt(2025, 4, 30).unwrap();
        assert_eq!(Lang::En.stock_date(d), "end of April 2025");
        assert_eq!(Lang::Ja.stock_date(d), "2025年4月末");
        let first = NaiveDate::from_ymd_opt(2022, 1, 1).unwrap();
        assert_eq!(Lang::En.stock_date(first), "1 January 2022");
    }
}
