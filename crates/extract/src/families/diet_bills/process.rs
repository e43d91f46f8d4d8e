//! The legislative process a bill's stages follow, and the current stage it defines.
//!
//! A stage is an event id `{key}/{house}/{session}/{stage}` (`閣法-217-21/衆/219/referred`)
//! or a bill-level one (`{key}/submitted`, `{key}/withdrawn`, `{key}/promulgated`). The
//! current stage is read from the process, never from sorting dates (undated stages such
//! as `閉会中審査` are common):
//! - the latest session decides: a carry-over or a lapse ends its session, so it beats an
//!   earlier referral of the same session, and a later session's referral beats it;
//! - within a session, stages follow the process: origin house (受理, 付託 or 審査省略,
//!   委員会, 本会議), the other house (予備審査 happens meanwhile, then 付託, 委員会,
//!   本会議), then the origin house again for a 回付 (`returned`, then `agreed` or
//!   `disagreed`) or a 両院協議会;
//! - a bill (or budget, treaty, …) is `enacted` only when both houses agree: the other
//!   house passes it unamended, the origin house agrees to the other house's amendments,
//!   or, for a budget or treaty, the 衆議院's decision stands after a 両院協議会 that
//!   failed; a `returned` bill waits for the origin house;
//! - `withdrawn` (撤回, 撤回許可, 撤回承諾) and `promulgated` are final.
//!
//! [`current_stage`] is used both by the extractor (a bill's stage as its pages and rows
//! show it) and by `mynawatch bills --as-of` on the stages stored up to a day.

use chrono::NaiveDate;

/// One stage of a bill as the process needs it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StageRef {
    /// The session (審議回次) it happened in; `None` for bill-level stages.
    pub session: Option<u32>,
    /// `衆`, `参`, or empty for bill-level stages.
    pub house: String,
    /// The stage (`referred`, `plenary_passed`, `carried_over`, …).
    pub stage: String,
    /// The day, where published.
    pub date: Option<NaiveDate>,
}

impl StageRef {
    /// Read an event id: `{key}/{house}/{session}/{stage}` or `{key}/{stage}`. The session
    /// part may be a day (`2025-11-27`) or `-` when a page did not say its session.
    pub fn from_event_id(id: &str, date: Option<NaiveDate>) -> Option<(String, StageRef)> {
        let parts: Vec<&str> = id.split('/').collect();
        match parts[..] {
            [key, house, session, stage] => Some((
                key.to_string(),
                StageRef {
                    session: session.parse().ok(),
                    house: house.to_string(),
                    stage: stage.to_string(),
                    date,
                },
            )),
            [key, stage] => Some((
                key.to_string(),
                StageRef {
                    session: None,
                    house: String::new(),
                    stage: stage.to_string(),
                    date,
                },
            )),
            _ => None,
        }
    }
}

/// Kinds decided by one house alone (a resolution, the House's rules): its plenary
/// decision is final.
pub fn one_house_kind(kind: &str) -> bool {
    matches!(kind, "決議" | "規則" | "規程")
}

/// Kinds each house decides on its own, without sending them to the other (決算 and the
/// like): each house's plenary decision is final for that house.
pub fn separate_kind(kind: &str) -> bool {
    matches!(kind, "決算" | "国有財産" | "ＮＨＫ決算" | "NHK決算")
}

/// Kinds where the 衆議院's decision stands when a 両院協議会 fails (憲法60条, 61条).
fn hor_prevails(kind: &str) -> bool {
    matches!(kind, "予算" | "条約")
}

/// The place of a stage in one house's part of the process (a later stage has a
/// higher rank within a session).
pub fn rank(stage: &str) -> u8 {
    match stage {
        "submitted" => 0,
        "preliminary_received" => 1,
        "preliminary_referred" => 2,
        "received" => 3,
        "referred" | "committee_omitted" => 4,
        "interim_report" => 5,
        s if s.starts_with("committee_") => 6,
        s if s.starts_with("plenary_") => 7,
        "returned" => 8,
        "consented" => 8,
        "agreed" | "disagreed" | "repassed" => 9,
        "conference_failed" => 10,
        "carried_over" => 11,
        "lapsed" => 12,
        "withdrawn" => 13,
        "promulgated" => 14,
        _ => 7,
    }
}

/// The phase of the process a stage belongs to: the origin house first (its own
/// stages, and the other house's 予備審査 meanwhile), then the other house, then the
/// origin house again for a 回付 or a 両院協議会, then the end of the session.
fn phase(s: &StageRef, origin: &str) -> u8 {
    let r = rank(&s.stage);
    if s.house.is_empty() || origin.is_empty() {
        return 0;
    }
    if r >= 11 {
        return 3;
    }
    if s.house == origin {
        if r >= 8 {
            2
        } else {
            0
        }
    } else if s.stage.starts_with("preliminary_") {
        0
    } else {
        1
    }
}

/// Order of the stages of one bill: by session (bill-level ones with the session they
/// fall in by date, or first for the submission and last for the end), then by the
/// process, then by day.
pub fn sort_key(s: &StageRef, origin: &str) -> (u32, u8, u8, Option<NaiveDate>) {
    let session = match (s.session, s.stage.as_str(), s.house.is_empty()) {
        (Some(n), _, _) => n,
        (None, "submitted", _) | (None, _, false) => 0,
        (None, _, true) => u32::MAX,
    };
    (session, phase(s, origin), rank(&s.stage), s.date)
}

/// The latest stage of `house` (`衆` or `参`), or empty.
pub fn house_stage(stages: &[StageRef], house: &str, origin: &str) -> String {
    stages
        .iter()
        .filter(|s| s.house == house)
        .max_by_key(|s| sort_key(s, origin))
        .map(|s| s.stage.clone())
        .unwrap_or_default()
}

fn other(house: &str) -> &'static str {
    match house {
        "衆" => "参",
        "参" => "衆",
        _ => "",
    }
}

fn passed(stage: &str) -> bool {
    matches!(stage, "plenary_passed" | "plenary_amended")
}

/// The bill's current stage from its stages, its kind, its origin house (`衆`, `参`, or
/// empty when unknown) and the publisher's status text (`成立`, …; pass empty for a
/// stage as of a past day). Empty when no stage says anything.
pub fn current_stage(kind: &str, origin: &str, status: &str, stages: &[StageRef]) -> String {
    let has = |stage: &str| stages.iter().any(|s| s.stage == stage);
    if has("promulgated") {
        return "promulgated".into();
    }
    if has("withdrawn") || status.starts_with("撤回") && status != "撤回承諾" {
        return "withdrawn".into();
    }
    let origin = if origin.is_empty() {
        // A budget always starts in the 衆議院; otherwise the house that acted first.
        if kind == "予算" {
            "衆"
        } else {
            stages
                .iter()
                .filter(|s| !s.house.is_empty() && !s.stage.starts_with("preliminary_"))
                .min_by_key(|s| (s.session, s.date.is_none(), s.date, rank(&s.stage)))
                .map(|s| if s.house == "参" { "参" } else { "衆" })
                .unwrap_or("")
        }
    } else {
        origin
    };
    let two_houses = !one_house_kind(kind) && !separate_kind(kind);
    let in_house = |h: &str, f: &dyn Fn(&str) -> bool| {
        stages.iter().any(|s| s.house == h && f(s.stage.as_str()))
    };
    let status_enacted = matches!(
        status,
        "成立" | "両院承認" | "両院議決" | "両院承諾" | "承認" | "承諾"
    ) || status.contains("回付案（同意）")
        || status.contains("回付案(同意)");
    if two_houses && !origin.is_empty() {
        let second = other(origin);
        let enacted = status_enacted
            || in_house(origin, &|s| s == "agreed" || s == "repassed")
            || (in_house(origin, &passed) && in_house(second, &|s| s == "plenary_passed"))
            || (hor_prevails(kind) && in_house("衆", &passed) && has("conference_failed"));
        if enacted {
            return "enacted".into();
        }
    } else if two_houses && status_enacted {
        return "enacted".into();
    }
    // The latest session's last stage by the process. The other house's 予備審査 copy is
    // not where the bill is: the origin house's stage is current.
    let main = |s: &&StageRef| !s.stage.starts_with("preliminary_");
    let last = match stages
        .iter()
        .filter(main)
        .max_by_key(|s| sort_key(s, origin))
    {
        Some(s) => Some(s),
        None => stages.iter().max_by_key(|s| sort_key(s, origin)),
    };
    let Some(last) = last else {
        return if status.contains("閉会中審査") {
            "carried_over".into()
        } else if status == "未了" {
            "lapsed".into()
        } else {
            String::new()
        };
    };
    let stage = last.stage.as_str();
    if two_houses && !origin.is_empty() && last.house == origin && passed(stage) {
        return "sent_to_other_house".into();
    }
    if two_houses && !origin.is_empty() && last.house == other(origin) && stage == "plenary_amended"
    {
        // 回付: the origin house has to agree.
        return "returned".into();
    }
    if stage == "submitted" && status.contains("閉会中審査") {
        return "carried_over".into();
    }
    stage.to_string()
}

/// The day an undated stage of `session` counts as reached when stages are filtered by
/// day: a carry-over or lapse is decided on the session's last sitting, at or after
/// every dated stage of that session (`session_last_day`, the latest day any stored
/// stage of the session carries) and before any stage of a later session.
pub fn effective_date(
    s: &StageRef,
    session_last_day: &std::collections::BTreeMap<u32, NaiveDate>,
) -> Option<NaiveDate> {
    s.date
        .or_else(|| s.session.and_then(|n| session_last_day.get(&n).copied()))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn st(session: u32, house: &str, stage: &str, date: Option<&str>) -> StageRef {
        StageRef {
            session: Some(session),
            house: house.into(),
            stage: stage.into(),
            date: date.map(|d| NaiveDate::parse_from_str(d, "%Y-%m-%d").unwrap()),
        }
    }

    #[test]
    fn an_undated_carry_over_beats_the_referral_of_its_session_and_loses_to_the_next_session() {
        let mut s = vec![
            st(217, "衆", "referred", Some("2025-04-03")),
            st(217, "衆", "carried_over", None),
        ];
        assert_eq!(current_stage("衆法", "衆", "", &s), "carried_over");
        s.push(st(218, "衆", "referred", Some("2025-08-01")));
        assert_eq!(current_stage("衆法", "衆", "", &s), "referred");
    }

    #[test]
    fn a_returned_bill_waits_for_the_origin_house_and_is_enacted_when_it_agrees() {
        let mut s = vec![
            st(145, "衆", "plenary_passed", Some("1999-07-06")),
            st(145, "参", "plenary_amended", Some("1999-07-26")),
        ];
        assert_eq!(current_stage("衆法", "衆", "", &s), "returned");
        s.push(st(145, "衆", "returned", Some("1999-07-26")));
        s.push(st(145, "衆", "agreed", Some("1999-07-29")));
        assert_eq!(current_stage("衆法", "衆", "", &s), "enacted");
    }

    #[test]
    fn a_budget_rejected_by_the_councillors_stands_after_a_failed_conference() {
        let s = vec![
            st(145, "衆", "plenary_passed", Some("1999-02-19")),
            st(145, "参", "plenary_rejected", Some("1999-03-17")),
            st(145, "衆", "conference_failed", Some("1999-03-17")),
        ];
        assert_eq!(current_stage("予算", "衆", "", &s), "enacted");
        // A law rejected by the other house is not enacted.
        assert_eq!(current_stage("閣法", "衆", "", &s[..2]), "plenary_rejected");
    }

    #[test]
    fn the_other_houses_preliminary_copy_is_never_the_current_stage() {
        let s = vec![
            StageRef {
                session: None,
                house: String::new(),
                stage: "submitted".into(),
                date: NaiveDate::from_ymd_opt(2010, 2, 5),
            },
            st(174, "参", "preliminary_received", Some("2010-02-05")),
        ];
        assert_eq!(current_stage("閣法", "衆", "", &s), "submitted");
    }

    #[test]
    fn a_resolution_is_final_with_its_plenary_vote() {
        let s = vec![st(142, "衆", "plenary_passed", Some("1998-05-14"))];
        assert_eq!(current_stage("決議", "衆", "", &s), "plenary_passed");
        assert_eq!(current_stage("閣法", "衆", "", &s), "sent_to_other_house");
    }
}
