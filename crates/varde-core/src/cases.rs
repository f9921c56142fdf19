//! Cases: create, list, show, change status.

use chrono::Datelike;
use rusqlite::{OptionalExtension, Row, params};
use serde_json::json;

use crate::error::{Error, Result};
use crate::invalid::{Field, Invalid};
use crate::locker::Locker;
use crate::model::{Case, CaseStatus, LegalHold};

const SELECT_CASE: &str =
    "SELECT id, uid, reference, title, status, opened_at, closed_at, notes, review_on,
    retention_review_on, legal_hold_since, legal_hold_reason FROM cases";

fn row_to_case(r: &Row<'_>) -> rusqlite::Result<Case> {
    Ok(Case {
        id: r.get(0)?,
        uid: r.get(1)?,
        reference: r.get(2)?,
        title: r.get(3)?,
        status: r.get(4)?,
        opened_at: r.get(5)?,
        closed_at: r.get(6)?,
        notes: r.get(7)?,
        review_on: r.get(8)?,
        retention_review_on: r.get(9)?,
        legal_hold: match (
            r.get::<_, Option<String>>(10)?,
            r.get::<_, Option<String>>(11)?,
        ) {
            (Some(since), reason) => Some(LegalHold {
                since,
                reason: reason.unwrap_or_default(),
            }),
            _ => None,
        },
    })
}

#[cfg(test)]
mod review_tests {
    #![allow(clippy::unwrap_used)]
    use super::*;
    use crate::guidance::testing::locker;

    #[test]
    fn closing_sets_a_retention_review_and_a_risk_review_is_due_on_its_day() {
        let (_d, mut l) = locker();
        let today = l.clock.now().date_naive();
        let c = l.create_case("Sak", "").unwrap();
        let due = |l: &Locker| {
            l.case_summaries(&Default::default()).unwrap()[0]
                .review_due
                .clone()
        };
        // (day given, accepted): a review is set for a day after today.
        for (day, ok) in [
            ("2020-01-01", false),
            (&today.format("%Y-%m-%d").to_string()[..], false),
            ("ikke en dato", false),
            ("2099-05-01", true),
            ("01.06.2099", true),
        ] {
            assert_eq!(
                l.set_review_date(&c.reference, Some(day), "").is_ok(),
                ok,
                "{day}"
            );
        }
        assert_eq!(
            l.case(&c.reference).unwrap().review_on.as_deref(),
            Some("2099-06-01")
        );
        assert_eq!(due(&l), None, "not due yet");
        assert!(c.clone().review_due(today).is_none());
        let mut later = l.case(&c.reference).unwrap();
        let on = chrono::NaiveDate::from_ymd_opt(2099, 6, 1).unwrap();
        assert_eq!(
            later.review_due(on).map(|r| r.kind),
            Some(ReviewKind::Risk),
            "due on its day"
        );
        // Closed: the retention review, by default 12 months on.
        let closed = l
            .set_case_status(&c.reference, CaseStatus::Closed, "ferdig", None)
            .unwrap();
        let want = today
            .checked_add_months(chrono::Months::new(RETENTION_REVIEW_MONTHS))
            .unwrap();
        assert_eq!(
            closed.retention_review_on.as_deref(),
            Some(&want.format("%Y-%m-%d").to_string()[..])
        );
        later = closed.clone();
        let day_before = want.pred_opt().unwrap();
        assert_eq!(later.review_due(day_before), None, "not due the day before");
        assert_eq!(
            later.review_due(on).map(|r| r.kind),
            Some(ReviewKind::Retention),
            "a closed case has its retention review, not the risk review"
        );
        let ev = l.audit_log(None).unwrap().pop().unwrap();
        assert_eq!(ev.action, "case.status");
        assert!(ev.details["retention_review_on"].is_string());
        // Reopened and closed again with a chosen day.
        l.set_case_status(&c.reference, CaseStatus::Open, "", None)
            .unwrap();
        assert!(
            l.set_case_status(&c.reference, CaseStatus::Closed, "", Some("2020-01-01"))
                .is_err()
        );
        let again = l
            .set_case_status(&c.reference, CaseStatus::Closed, "", Some("2030-01-31"))
            .unwrap();
        assert_eq!(again.retention_review_on.as_deref(), Some("2030-01-31"));
        assert!(l.verify(&mut |_| {}).unwrap().ok());
    }
}

/// Filter for [`Locker::list_cases`].
#[derive(Debug, Default, Clone, serde::Serialize, serde::Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct CaseFilter {
    /// Only cases with this status.
    pub status: Option<CaseStatus>,
    /// Only cases whose reference or title contains this text (case-insensitive).
    pub search: Option<String>,
}

/// A closed case is reviewed for retention this many months after it is closed, unless the
/// officer chooses another date or the organisation set its own rule
/// ([`Locker::set_retention_months`]).
pub const RETENTION_REVIEW_MONTHS: u32 = 12;

/// A day after `today`, as `YYYY-MM-DD`.
pub(crate) fn future_day(s: &str, today: chrono::NaiveDate, field: Field) -> Result<String> {
    let d = crate::guidance::parse_day(s, field)?;
    if d <= today {
        return Err(Error::invalid(Invalid::NotAfterToday {
            field,
            value: d.to_string(),
        }));
    }
    Ok(d.format("%Y-%m-%d").to_string())
}

/// Which review of a case is due.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(rename_all = "snake_case")]
pub enum ReviewKind {
    /// Assess the risk again (an open or monitored case).
    Risk,
    /// Keep or delete a closed case.
    Retention,
}

/// A review that is due: which, and since when.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct ReviewDue {
    /// Which review.
    pub kind: ReviewKind,
    /// The day it was due (`YYYY-MM-DD`).
    pub on: String,
}

impl Case {
    /// The review due on `today`, if any: the risk review of an open or monitored case,
    /// the retention review of a closed one.
    pub fn review_due(&self, today: chrono::NaiveDate) -> Option<ReviewDue> {
        let (kind, on) = match self.status {
            CaseStatus::Closed => (ReviewKind::Retention, self.retention_review_on.as_ref()?),
            _ => (ReviewKind::Risk, self.review_on.as_ref()?),
        };
        let day = chrono::NaiveDate::parse_from_str(on, "%Y-%m-%d").ok()?;
        (day <= today).then(|| ReviewDue {
            kind,
            on: on.clone(),
        })
    }
}

impl Locker {
    /// The self-log's one case ("Meg"), created at first need. Only in a self-log locker.
    pub fn self_log_case(&mut self) -> Result<Case> {
        if self.mode()? != crate::model::Mode::SelfLog {
            return Err(Error::invalid(Invalid::NotSelfLog));
        }
        let existing = self.list_cases(&crate::cases::CaseFilter::default())?;
        if let Some(c) = existing.into_iter().min_by_key(|c| c.id) {
            return Ok(c);
        }
        self.create_case("Meg", "Min egen logg / my own log")
    }

    /// Open a new case; its reference is `V-<year>-<nnnn>`, numbered per year.
    pub fn create_case(&mut self, title: &str, notes: &str) -> Result<Case> {
        let title = title.trim();
        if title.is_empty() {
            return Err(Error::invalid(Invalid::Required {
                field: Field::Title,
            }));
        }
        let now = self.clock.now();
        let prefix = format!("V-{}-", now.year());
        self.write(|w| {
            let last: Option<String> = w
                .tx
                .query_row(
                    // A deleted case's reference is never given again: its receipt and
                    // its erased events name it.
                    "SELECT reference FROM (SELECT reference FROM cases UNION ALL SELECT case_reference FROM deletion_receipts)
                     WHERE reference LIKE ?1 || '%' ORDER BY reference DESC LIMIT 1",
                    [&prefix],
                    |r| r.get(0),
                )
                .optional()?;
            let n = last
                .and_then(|r| r[prefix.len()..].parse::<u32>().ok())
                .unwrap_or(0)
                + 1;
            let reference = format!("{prefix}{n:04}");
            let uid = uuid::Uuid::new_v4().to_string();
            w.tx.execute(
                "INSERT INTO cases (uid, reference, title, status, opened_at, notes) VALUES (?1, ?2, ?3, 'open', ?4, ?5)",
                params![uid, reference, title, w.time, notes],
            )?;
            let id = w.tx.last_insert_rowid();
            w.audit(
                "case.create",
                &format!("case:{reference}"),
                json!({"case_id": id, "uid": uid, "title": title}),
            )?;
            Ok(Case {
                id,
                uid,
                reference,
                title: title.to_string(),
                status: CaseStatus::Open,
                opened_at: w.time.clone(),
                closed_at: None,
                notes: notes.to_string(),
                review_on: None,
                retention_review_on: None,
                legal_hold: None,
            })
        })
    }

    /// Cases, newest first.
    pub fn list_cases(&self, filter: &CaseFilter) -> Result<Vec<Case>> {
        let mut stmt = self.conn.prepare(&format!(
            "{SELECT_CASE} WHERE (?1 IS NULL OR status = ?1)
               AND (?2 IS NULL OR instr(lower(reference || ' ' || title), lower(?2)) > 0)
             ORDER BY opened_at DESC, id DESC"
        ))?;
        let rows = stmt.query_map(params![filter.status, filter.search], row_to_case)?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// A case by its reference (e.g. `V-2026-0001`).
    pub fn case(&self, reference: &str) -> Result<Case> {
        self.conn
            .query_row(
                &format!("{SELECT_CASE} WHERE reference = ?1"),
                [reference.trim()],
                row_to_case,
            )
            .optional()?
            .ok_or_else(|| Error::not_found(crate::invalid::ItemKind::Case, reference))
    }

    /// A case by its local id.
    pub fn case_by_id(&self, id: i64) -> Result<Case> {
        self.conn
            .query_row(&format!("{SELECT_CASE} WHERE id = ?1"), [id], row_to_case)
            .optional()?
            .ok_or_else(|| Error::not_found(crate::invalid::ItemKind::Case, id))
    }

    /// Change a case's status; closing records the time, reopening clears it. Closing
    /// sets the retention review date: `retention_review` (`YYYY-MM-DD` or `DD.MM.YYYY`,
    /// after today), or by default the locker's retention rule
    /// ([`Locker::retention_months`]) after today.
    pub fn set_case_status(
        &mut self,
        reference: &str,
        status: CaseStatus,
        note: &str,
        retention_review: Option<&str>,
    ) -> Result<Case> {
        let case = self.case(reference)?;
        if case.status == status {
            return Ok(case);
        }
        let today = self.clock.now().date_naive();
        let retention = match retention_review.map(str::trim).filter(|d| !d.is_empty()) {
            _ if status != CaseStatus::Closed => None,
            Some(d) => Some(future_day(d, today, Field::RetentionReview)?),
            None => today
                .checked_add_months(chrono::Months::new(self.retention_months()?))
                .map(|d| d.format("%Y-%m-%d").to_string()),
        };
        self.write(|w| {
            let closed_at = (status == CaseStatus::Closed).then(|| w.time.clone());
            w.tx.execute(
                "UPDATE cases SET status = ?1, closed_at = ?2,
                   retention_review_on = coalesce(?3, retention_review_on) WHERE id = ?4",
                params![status, closed_at, retention, case.id],
            )?;
            w.audit(
                "case.status",
                &format!("case:{}", case.reference),
                json!({"from": case.status.as_str(), "to": status.as_str(), "note": note,
                       "retention_review_on": retention}),
            )?;
            Ok(())
        })?;
        self.case(reference)
    }

    /// Set (or clear, with `None`) when a case's risk is to be assessed again. Audited as
    /// `case.review` with the reason.
    pub fn set_review_date(
        &mut self,
        reference: &str,
        day: Option<&str>,
        reason: &str,
    ) -> Result<Case> {
        let case = self.case(reference)?;
        let today = self.clock.now().date_naive();
        let day = match day.map(str::trim).filter(|d| !d.is_empty()) {
            Some(d) => Some(future_day(d, today, Field::Until)?),
            None => None,
        };
        crate::fields::text(Field::Reason, None, reason.trim(), crate::fields::LONG_MAX)?;
        if day == case.review_on {
            return Ok(case);
        }
        self.write(|w| {
            w.tx.execute(
                "UPDATE cases SET review_on = ?1 WHERE id = ?2",
                params![day, case.id],
            )?;
            w.audit(
                "case.review",
                &format!("case:{}", case.reference),
                json!({"review_on": day, "previous": case.review_on, "reason": reason.trim()}),
            )?;
            Ok(())
        })?;
        self.case(reference)
    }

    /// Put a case on legal hold (`on`) or lift it, with a reason; audited as `case.hold`
    /// or `case.release`. While it holds, the case cannot be deleted. Setting a hold that
    /// holds, or lifting one that does not, changes nothing and says so.
    pub fn set_legal_hold(&mut self, reference: &str, on: bool, reason: &str) -> Result<Case> {
        let case = self.case(reference)?;
        let reason = crate::fields::required_reason(reason)?;
        match (&case.legal_hold, on) {
            (Some(h), true) => {
                return Err(Error::invalid(Invalid::AlreadyOnHold {
                    case: case.reference.clone(),
                    since: h.since.clone(),
                }));
            }
            (None, false) => {
                return Err(Error::invalid(Invalid::NotOnHold {
                    case: case.reference.clone(),
                }));
            }
            _ => {}
        }
        self.write(|w| {
            let since = on.then(|| w.time.clone());
            w.tx.execute(
                "UPDATE cases SET legal_hold_since = ?1, legal_hold_reason = ?2 WHERE id = ?3",
                params![since, on.then_some(reason), case.id],
            )?;
            let details = match &case.legal_hold {
                Some(h) if !on => {
                    json!({"reason": reason, "held_since": h.since, "held_for": h.reason})
                }
                _ => json!({"reason": reason}),
            };
            w.audit(
                if on { "case.hold" } else { "case.release" },
                &format!("case:{}", case.reference),
                details,
            )?;
            Ok(())
        })?;
        self.case(reference)
    }

    /// Change a case's title and notes.
    pub fn edit_case(
        &mut self,
        reference: &str,
        title: Option<&str>,
        notes: Option<&str>,
    ) -> Result<Case> {
        let case = self.case(reference)?;
        let new_title = title.map(str::trim).unwrap_or(&case.title).to_string();
        if new_title.is_empty() {
            return Err(Error::invalid(Invalid::Required {
                field: Field::Title,
            }));
        }
        let new_notes = notes.unwrap_or(&case.notes).to_string();
        self.write(|w| {
            w.tx.execute(
                "UPDATE cases SET title = ?1, notes = ?2 WHERE id = ?3",
                params![new_title, new_notes, case.id],
            )?;
            w.audit(
                "case.edit",
                &format!("case:{}", case.reference),
                json!({"title": new_title, "notes_changed": new_notes != case.notes}),
            )?;
            Ok(())
        })?;
        self.case(reference)
    }
}

#[cfg(test)]
mod hold_tests {
    #![allow(clippy::unwrap_used)]
    use super::*;
    use crate::guidance::testing::locker;

    #[test]
    fn a_legal_hold_is_set_and_lifted_with_a_reason_and_audited() {
        let (_d, mut l) = locker();
        let r = l.create_case("Trusler", "").unwrap().reference;
        assert!(matches!(
            l.set_legal_hold(&r, true, "  "),
            Err(Error::Invalid(Invalid::Required {
                field: Field::Reason
            }))
        ));
        assert!(matches!(
            l.set_legal_hold(&r, false, "Ingen sak"),
            Err(Error::Invalid(Invalid::NotOnHold { .. }))
        ));
        let held = l.set_legal_hold(&r, true, "Politisak 123 er åpen").unwrap();
        let hold = held.legal_hold.clone().unwrap();
        assert_eq!(hold.reason, "Politisak 123 er åpen");
        assert!(matches!(
            l.set_legal_hold(&r, true, "igjen"),
            Err(Error::Invalid(Invalid::AlreadyOnHold { .. }))
        ));
        let lifted = l.set_legal_hold(&r, false, "Saken er henlagt").unwrap();
        assert_eq!(lifted.legal_hold, None);
        let events = l.audit_log(None).unwrap();
        let n = events.len();
        assert_eq!(events[n - 2].action, "case.hold");
        assert_eq!(events[n - 2].details["reason"], "Politisak 123 er åpen");
        assert_eq!(events[n - 1].action, "case.release");
        assert_eq!(events[n - 1].details["held_since"], hold.since.as_str());
        assert!(l.verify(&mut |_| {}).unwrap().problems.is_empty());
    }
}
