//! Retention: the organisation's rule (how long after closing a case is reviewed) and the
//! review itself — a closed case is kept, with a new date and a reason, or deleted
//! ([`Locker::delete_case`]). Both are audited.

use rusqlite::params;
use serde_json::json;

use crate::cases::{RETENTION_REVIEW_MONTHS, future_day};
use crate::error::{Error, Result};
use crate::invalid::{Field, Invalid};
use crate::locker::Locker;
use crate::model::{Case, CaseStatus};

/// The longest retention rule accepted, in months (ten years).
pub const RETENTION_MAX_MONTHS: u32 = 120;

const SETTING: &str = "retention_review_months";

impl Locker {
    /// How many months after closing a case's retention review comes: the
    /// organisation's rule, or [`RETENTION_REVIEW_MONTHS`] when none is set.
    pub fn retention_months(&self) -> Result<u32> {
        Ok(self
            .setting(SETTING)?
            .and_then(|v| v.parse().ok())
            .unwrap_or(RETENTION_REVIEW_MONTHS))
    }

    /// Set the organisation's retention rule (1 to [`RETENTION_MAX_MONTHS`] months), with a
    /// reason; audited as `locker.retention`. Cases closed earlier keep their dates.
    pub fn set_retention_months(&mut self, months: u32, reason: &str) -> Result<u32> {
        if !(1..=RETENTION_MAX_MONTHS).contains(&months) {
            return Err(Error::invalid(Invalid::RetentionMonths { value: months }));
        }
        let reason = crate::fields::required_reason(reason)?;
        let previous = self.retention_months()?;
        if previous == months {
            return Ok(months);
        }
        self.write(|w| {
            w.tx.execute(
                "INSERT INTO settings (key, value) VALUES (?1, ?2)
                 ON CONFLICT(key) DO UPDATE SET value = excluded.value",
                params![SETTING, months.to_string()],
            )?;
            w.audit(
                "locker.retention",
                "locker",
                json!({"months": months, "previous": previous, "reason": reason}),
            )?;
            Ok(())
        })?;
        Ok(months)
    }

    /// Keep a closed case at its retention review: a new review day (after today) and the
    /// reason it is still needed; audited as `case.keep`.
    pub fn keep_case(&mut self, reference: &str, until: &str, reason: &str) -> Result<Case> {
        let case = self.case(reference)?;
        if case.status != CaseStatus::Closed {
            return Err(Error::invalid(Invalid::NotClosed {
                case: case.reference,
            }));
        }
        let today = self.clock.now().date_naive();
        let day = future_day(until.trim(), today, Field::RetentionReview)?;
        let reason = crate::fields::required_reason(reason)?;
        self.write(|w| {
            w.tx.execute(
                "UPDATE cases SET retention_review_on = ?1 WHERE id = ?2",
                params![day, case.id],
            )?;
            w.audit(
                "case.keep",
                &format!("case:{}", case.reference),
                json!({"retention_review_on": day, "previous": case.retention_review_on, "reason": reason}),
            )?;
            Ok(())
        })?;
        self.case(reference)
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;
    use crate::guidance::testing::locker;

    #[test]
    fn the_organisations_rule_dates_the_review_and_a_kept_case_gets_a_new_one() {
        let (_d, mut l) = locker();
        let today = l.clock.now().date_naive();
        assert_eq!(l.retention_months().unwrap(), RETENTION_REVIEW_MONTHS);
        for bad in [0, RETENTION_MAX_MONTHS + 1] {
            assert!(matches!(
                l.set_retention_months(bad, "x"),
                Err(Error::Invalid(Invalid::RetentionMonths { .. }))
            ));
        }
        assert!(matches!(
            l.set_retention_months(6, " "),
            Err(Error::Invalid(Invalid::Required { .. }))
        ));
        l.set_retention_months(6, "Personvernombudets rutine")
            .unwrap();
        assert_eq!(l.retention_months().unwrap(), 6);
        let c = l.create_case("Sak", "").unwrap();
        assert!(matches!(
            l.keep_case(&c.reference, "2099-01-01", "trengs"),
            Err(Error::Invalid(Invalid::NotClosed { .. }))
        ));
        let closed = l
            .set_case_status(&c.reference, CaseStatus::Closed, "", None)
            .unwrap();
        let six = today.checked_add_months(chrono::Months::new(6)).unwrap();
        assert_eq!(
            closed.retention_review_on.as_deref(),
            Some(&six.format("%Y-%m-%d").to_string()[..])
        );
        assert!(l.keep_case(&c.reference, "2020-01-01", "trengs").is_err());
        let kept = l
            .keep_case(&c.reference, "01.06.2099", "Rettssak ventet")
            .unwrap();
        assert_eq!(kept.retention_review_on.as_deref(), Some("2099-06-01"));
        let ev = l.audit_log(None).unwrap().pop().unwrap();
        assert_eq!(ev.action, "case.keep");
        assert_eq!(ev.details["reason"], "Rettssak ventet");
    }
}
