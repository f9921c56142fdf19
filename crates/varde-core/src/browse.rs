//! Read models for screens: case summaries, paged incidents, evidence and audit trails,
//! one item re-checked, and the locker's profile (owner and organisation).
//!
//! Everything a list shows is fetched a page at a time, so a case with thousands of
//! incidents and tens of thousands of originals opens as fast as a small one.

use rusqlite::{OptionalExtension, params};
use serde::{Deserialize, Serialize};
use serde_json::json;

use crate::audit::{self, AuditEvent};
use crate::cases::CaseFilter;
use crate::error::{Error, Result};
use crate::invalid::{Field, Invalid};
use crate::locker::Locker;
use crate::model::{Case, Evidence, Incident};
use crate::verify::hash_stream;

/// The most rows one page may ask for.
pub const MAX_PAGE: i64 = 500;

/// A case with the counts a case list shows.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct CaseSummary {
    /// The case.
    pub case: Case,
    /// Incidents logged.
    pub incidents: i64,
    /// Evidence items.
    pub evidence: i64,
    /// When the latest incident happened (UTC, RFC 3339).
    pub last_incident_utc: Option<String>,
    /// The threatened employees of the case, by name.
    #[serde(default)]
    pub employees: Vec<String>,
    /// Prompts open now (none for a closed case).
    #[serde(default)]
    pub open_prompts: i64,
    /// One of them is an ongoing emergency.
    #[serde(default)]
    pub emergency: bool,
    /// Disclosures recorded «not yet informed» and not followed up: the employee is still
    /// to be told.
    #[serde(default)]
    pub not_informed: i64,
    /// A review that is due (risk for an open case, retention for a closed one).
    #[serde(default)]
    pub review_due: Option<crate::cases::ReviewDue>,
}

/// An incident as a timeline shows it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct IncidentRow {
    /// The incident.
    pub incident: Incident,
    /// How many evidence items document it.
    pub evidence: i64,
}

/// One page of a case's incidents, in the order they happened.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct IncidentPage {
    /// All incidents of the case.
    pub total: i64,
    /// Position of the first row.
    pub offset: i64,
    /// The rows.
    pub rows: Vec<IncidentRow>,
}

/// One page of a case's (or an incident's) evidence.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct EvidencePage {
    /// All matching items.
    pub total: i64,
    /// Position of the first row.
    pub offset: i64,
    /// The rows.
    pub rows: Vec<Evidence>,
}

/// One page of an audit trail, newest first.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct AuditPage {
    /// All matching events.
    pub total: i64,
    /// Position of the first row.
    pub offset: i64,
    /// The events.
    pub rows: Vec<AuditEvent>,
}

/// The outcome of re-checking one original.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct ItemCheck {
    /// The evidence item.
    pub evidence_id: i64,
    /// The SHA-256 recorded when it was acquired.
    pub recorded_sha256: String,
    /// The SHA-256 of the stored original now; `None` when it could not be read.
    pub computed_sha256: Option<String>,
    /// Bytes read.
    pub size: u64,
    /// True when the original reads back whole with its recorded hash and size.
    pub ok: bool,
    /// What is wrong, in plain words; empty when ok.
    pub problem: String,
}

/// Who keeps the locker: shown in the app and printed on reports.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct Profile {
    /// The owner's name: the officer (or the employee for a self-log). The default actor.
    pub owner: String,
    /// The organisation (may be empty).
    pub org_name: String,
    /// Its organisation number, 9 digits (may be empty).
    #[serde(default)]
    pub org_number: String,
    /// Its postal address, as printed on the drafts (the company's, never an employee's).
    #[serde(default)]
    pub org_address: String,
    /// The officer's work phone, for the drafts.
    #[serde(default)]
    pub contact_phone: String,
    /// The officer's work e-mail, for the drafts.
    #[serde(default)]
    pub contact_email: String,
    /// The organisation is a public body (changes which legal bases and provisions apply).
    #[serde(default)]
    pub public_employer: bool,
}

impl Profile {
    /// The text settings, in the order of [`PROFILE_TEXT`].
    fn text_values(&self) -> [&str; 6] {
        [
            &self.owner,
            &self.org_name,
            &self.org_number,
            &self.org_address,
            &self.contact_phone,
            &self.contact_email,
        ]
    }

    /// Private or public: which legal bases and provisions apply.
    pub fn employer(&self) -> crate::guidance::content::EmployerKind {
        if self.public_employer {
            crate::guidance::content::EmployerKind::Public
        } else {
            crate::guidance::content::EmployerKind::Private
        }
    }
}

/// The settings a [`Profile`] is kept in, with how each is read back.
const PROFILE_TEXT: [&str; 6] = [
    "owner",
    "org_name",
    "org_number",
    "org_address",
    "contact_phone",
    "contact_email",
];

fn check_page(offset: i64, limit: i64) -> Result<()> {
    if offset < 0 || !(1..=MAX_PAGE).contains(&limit) {
        return Err(Error::invalid(Invalid::PageRange {
            max: MAX_PAGE as u64,
        }));
    }
    Ok(())
}

/// Which rows of an ordered list a page reads, and from which end. SQLite's OFFSET walks
/// every row it skips, so a page in the far half of a list is read backwards from the end:
/// the last page of a case of 400,000 items costs what the first does, and no page walks
/// more than half the list.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Slice {
    /// Rows skipped, counted from the end the slice is read from.
    pub offset: i64,
    pub limit: i64,
    /// Read in the list's reverse order; the reader puts the rows back in list order.
    pub from_end: bool,
}

impl Slice {
    /// The whole list, from its start.
    pub(crate) const WHOLE: Slice = Slice {
        offset: 0,
        limit: i64::MAX,
        from_end: false,
    };

    /// Rows `offset .. offset + limit` of a list of `total` rows, read from the nearer end.
    pub(crate) fn of(total: i64, offset: i64, limit: i64) -> Slice {
        let rows = limit.min(total - offset);
        if rows > 0 && total - offset < offset + rows {
            Slice {
                offset: total - offset - rows,
                limit: rows,
                from_end: true,
            }
        } else {
            Slice {
                offset,
                limit,
                from_end: false,
            }
        }
    }

    /// The words after each term of an ORDER BY: the list's order, or its reverse.
    pub(crate) fn direction(&self) -> &'static str {
        if self.from_end { "DESC" } else { "ASC" }
    }
}

impl Locker {
    /// Cases with their counts, newest first (see [`Locker::list_cases`] for the filter).
    pub fn case_summaries(&self, filter: &CaseFilter) -> Result<Vec<CaseSummary>> {
        let state = self.memo_state(self.guidance()?)?;
        self.list_cases(filter)?
            .into_iter()
            .map(|case| {
                if let Some(kept) = self.memo.summary(&state, case.id) {
                    return Ok(kept);
                }
                let summary = self.work_out_summary(case)?;
                self.memo.keep_summary(&state, summary.case.id, &summary);
                Ok(summary)
            })
            .collect()
    }

    /// One line of [`Locker::case_summaries`], read from the records.
    fn work_out_summary(&self, case: Case) -> Result<CaseSummary> {
        let (incidents, last, evidence) = self
            .conn
            .prepare_cached(
                "SELECT count(*), max(occurred_utc),
                    (SELECT count(*) FROM evidence WHERE incident_id IN
                        (SELECT id FROM incidents WHERE case_id = ?1))
             FROM incidents WHERE case_id = ?1",
            )?
            .query_row([case.id], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))?;
        let employees = self
            .conn
            .prepare_cached(
                "SELECT name FROM persons WHERE case_id = ?1 AND kind = 'employee' AND name IS NOT NULL ORDER BY id",
            )?
            .query_map([case.id], |r| r.get(0))?
            .collect::<rusqlite::Result<Vec<String>>>()?;
        let not_informed = self.conn.prepare_cached(
            "SELECT count(*) FROM disclosures d WHERE d.case_id = ?1 AND d.employee_informed = 'not_yet'
               AND NOT EXISTS (SELECT 1 FROM disclosure_informed i WHERE i.disclosure_id = d.id)",
        )?
        .query_row([case.id], |r| r.get(0))?;
        let open = if case.status == crate::model::CaseStatus::Closed {
            Vec::new()
        } else {
            self.open_prompts(&case.reference)?
        };
        Ok(CaseSummary {
            review_due: case.review_due(self.clock.now().date_naive()),
            not_informed,
            open_prompts: open.len() as i64,
            emergency: open
                .iter()
                .any(|p| p.key == crate::guidance::escalation::EMERGENCY),
            case,
            incidents,
            evidence,
            last_incident_utc: last,
            employees,
        })
    }

    /// One page of a case's incidents with their evidence counts, in time order.
    pub fn incident_rows(&self, case_ref: &str, offset: i64, limit: i64) -> Result<IncidentPage> {
        check_page(offset, limit)?;
        let case: Case = self.case(case_ref)?;
        let total = self.count_kept(("incidents", case.id, None), || {
            Ok(self.conn.query_row(
                "SELECT count(*) FROM incidents WHERE case_id = ?1",
                [case.id],
                |r| r.get(0),
            )?)
        })?;
        let incidents = self.incidents_page(case.id, Slice::of(total, offset, limit))?;
        let mut count = self
            .conn
            .prepare_cached("SELECT count(*) FROM evidence WHERE incident_id = ?1")?;
        let rows = incidents
            .into_iter()
            .map(|incident| {
                let evidence = count.query_row([incident.id], |r| r.get(0))?;
                Ok(IncidentRow { incident, evidence })
            })
            .collect::<Result<_>>()?;
        Ok(IncidentPage {
            total,
            offset,
            rows,
        })
    }

    /// One page of a case's evidence (or one incident's), in incident then thread order.
    pub fn evidence_rows(
        &self,
        case_ref: &str,
        incident: Option<i64>,
        offset: i64,
        limit: i64,
    ) -> Result<EvidencePage> {
        check_page(offset, limit)?;
        let case = self.case(case_ref)?;
        self.incident_in_case(incident, &case)?;
        let total = self.count_kept(("evidence", case.id, incident), || {
            Ok(self.conn.query_row(
                "SELECT count(*) FROM evidence WHERE incident_id IN (SELECT id FROM incidents WHERE case_id = ?1)
                   AND (?2 IS NULL OR incident_id = ?2)",
                params![case.id, incident],
                |r| r.get(0),
            )?)
        })?;
        let rows = self.evidence_in_case(case.id, incident, Slice::of(total, offset, limit))?;
        Ok(EvidencePage {
            total,
            offset,
            rows,
        })
    }

    /// A case's audit trail, newest first: events about the case itself, its incidents
    /// and its evidence.
    pub fn case_audit(&self, case_ref: &str, offset: i64, limit: i64) -> Result<AuditPage> {
        check_page(offset, limit)?;
        let case = self.case(case_ref)?;
        let total = self.count_kept(("audit", case.id, None), || {
            audit::case_total(&self.conn, case.id)
        })?;
        let rows = audit::case_page(&self.conn, case.id, offset, limit)?;
        Ok(AuditPage {
            total,
            offset,
            rows,
        })
    }

    /// Re-read one stored original and compare it with what was recorded at acquisition.
    /// A damaged or missing original is reported in the result, not as an error.
    pub fn check_evidence(&self, id: i64) -> Result<ItemCheck> {
        let ev = self.evidence(id)?;
        let mut check = ItemCheck {
            evidence_id: id,
            recorded_sha256: ev.sha256.clone(),
            computed_sha256: None,
            size: 0,
            ok: false,
            problem: String::new(),
        };
        let mut reader = match self.open_original(id) {
            Ok(r) => r,
            Err(e) => {
                check.problem = e.to_string();
                return Ok(check);
            }
        };
        let mut buf = vec![0u8; 1 << 20];
        let (computed, size) = match hash_stream(&mut reader, &mut buf, &mut |_| {}) {
            Ok(h) => h,
            Err(e) => {
                check.problem = format!("the stored original is damaged: {e}");
                return Ok(check);
            }
        };
        check.size = size;
        check.ok = computed == ev.sha256 && check.size == ev.size;
        if !check.ok {
            check.problem = format!(
                "the stored original does not match its record (SHA-256 {computed}, {} bytes)",
                check.size
            );
        }
        check.computed_sha256 = Some(computed);
        Ok(check)
    }

    /// The locker's owner and organisation.
    pub fn profile(&self) -> Result<Profile> {
        let get = |k: &str| -> Result<String> { Ok(self.setting(k)?.unwrap_or_default()) };
        Ok(Profile {
            owner: get("owner")?,
            org_name: get("org_name")?,
            org_number: get("org_number")?,
            org_address: get("org_address")?,
            contact_phone: get("contact_phone")?,
            contact_email: get("contact_email")?,
            public_employer: get("public_employer")? == "true",
        })
    }

    /// Change the owner's name or the organisation. The owner becomes the actor of later
    /// events; earlier events keep the name they were recorded with.
    pub fn set_profile(&mut self, p: &Profile) -> Result<Profile> {
        let owner = p.owner.trim().to_string();
        if owner.is_empty() {
            return Err(Error::invalid(Invalid::Required {
                field: Field::Owner,
            }));
        }
        let org_number = match p.org_number.trim() {
            "" => String::new(),
            n => crate::fields::org_number(n)?,
        };
        let email = p.contact_email.trim().to_string();
        if !email.is_empty() && !email.contains('@') {
            return Err(Error::invalid(Invalid::NotAnEmail { value: email }));
        }
        for (field, v) in [
            (Field::Owner, &p.owner),
            (Field::Name, &p.org_name),
            (Field::Place, &p.org_address),
            (Field::Phone, &p.contact_phone),
            (Field::Email, &p.contact_email),
        ] {
            crate::fields::text(field, None, v.trim(), crate::fields::SHORT_MAX)?;
        }
        let new = Profile {
            owner: owner.clone(),
            org_name: p.org_name.trim().to_string(),
            org_number,
            org_address: p.org_address.trim().to_string(),
            contact_phone: p.contact_phone.trim().to_string(),
            contact_email: email,
            public_employer: p.public_employer,
        };
        let before = self.profile()?;
        if before == new {
            return Ok(before);
        }
        let values = new.text_values();
        let changed: Vec<&str> = PROFILE_TEXT
            .iter()
            .zip(before.text_values().iter().zip(values))
            .filter(|(_, (was, now))| *was != now)
            .map(|(k, _)| *k)
            .chain((before.public_employer != new.public_employer).then_some("public_employer"))
            .collect();
        self.write(|w| {
            let public = if new.public_employer { "true" } else { "false" };
            for (k, v) in PROFILE_TEXT
                .iter()
                .zip(values)
                .chain(std::iter::once((&"public_employer", public)))
            {
                w.tx.execute(
                    "INSERT INTO settings (key, value) VALUES (?1, ?2)
                     ON CONFLICT(key) DO UPDATE SET value = excluded.value",
                    [*k, v],
                )?;
            }
            // The owner and organisation are named in the log, as before; the contact
            // details only by which of them changed.
            w.audit(
                "settings.profile",
                "locker",
                json!({"owner": new.owner, "org_name": new.org_name,
                       "previous_owner": before.owner, "changed": changed}),
            )?;
            Ok(())
        })?;
        let owner = new.owner;
        self.set_actor(owner);
        self.profile()
    }

    /// The case an incident belongs to.
    pub fn case_of_incident(&self, incident: i64) -> Result<Case> {
        let id: Option<i64> = self
            .conn
            .query_row(
                "SELECT case_id FROM incidents WHERE id = ?1",
                [incident],
                |r| r.get(0),
            )
            .optional()?;
        self.case_by_id(
            id.ok_or_else(|| Error::not_found(crate::invalid::ItemKind::Incident, incident))?,
        )
    }
}

#[cfg(test)]
mod tests {
    use crate::guidance::testing;
    use crate::model::CaseStatus;

    use super::*;

    #[test]
    fn a_slice_is_read_from_the_nearer_end() {
        let s = |offset, from_end| Slice {
            offset,
            limit: 10,
            from_end,
        };
        // 100 rows: the first half forwards, the second backwards from the end.
        assert_eq!(Slice::of(100, 0, 10), s(0, false));
        assert_eq!(Slice::of(100, 45, 10), s(45, false));
        assert_eq!(Slice::of(100, 46, 10), s(44, true));
        assert_eq!(Slice::of(100, 90, 10), s(0, true));
        // A last page shorter than the limit, and offsets past the end (no rows).
        assert_eq!(
            Slice::of(95, 90, 10),
            Slice {
                offset: 0,
                limit: 5,
                from_end: true
            }
        );
        assert_eq!(Slice::of(95, 95, 10), s(95, false));
        assert_eq!(Slice::of(0, 0, 10), s(0, false));
    }

    #[test]
    fn pages_count_and_order_incidents_and_refuse_bad_pages() {
        let (_d, mut l) = testing::locker();
        let case = l.create_case("Sak", "").expect("case").reference;
        for _ in 0..7 {
            testing::incident(&mut l, &case);
        }
        let p = l.incident_rows(&case, 5, 10).expect("page");
        assert_eq!((p.total, p.offset, p.rows.len()), (7, 5, 2));
        assert!(p.rows.iter().all(|r| r.evidence == 0));
        assert!(l.incident_rows(&case, 0, 0).is_err());
        assert!(l.incident_rows(&case, -1, 10).is_err());
        assert!(l.incident_rows(&case, 0, MAX_PAGE + 1).is_err());
        let s = l
            .case_summaries(&CaseFilter {
                status: Some(CaseStatus::Open),
                search: None,
            })
            .expect("summaries");
        assert_eq!(s[0].incidents, 7);
        assert_eq!(s[0].evidence, 0);
    }

    #[test]
    fn case_audit_has_the_case_and_its_incidents_newest_first() {
        let (_d, mut l) = testing::locker();
        let a = l.create_case("A", "").expect("case").reference;
        let b = l.create_case("B", "").expect("case").reference;
        let inc = testing::incident(&mut l, &a);
        testing::incident(&mut l, &b);
        let page = l.case_audit(&a, 0, 50).expect("audit");
        let subjects: Vec<_> = page.rows.iter().map(|e| e.subject.clone()).collect();
        assert_eq!(
            subjects,
            vec![format!("incident:{inc}"), format!("case:{a}")]
        );
        assert_eq!(page.total, 2);
    }

    #[test]
    fn profile_change_is_audited_and_becomes_the_actor() {
        let (_d, mut l) = testing::locker();
        let p = l
            .set_profile(&Profile {
                owner: "Sikkerhetsleder Sol".into(),
                org_name: "Etaten".into(),
                org_number: "974 760 673".into(),
                contact_phone: "+47 22 00 00 00".into(),
                public_employer: true,
                ..Profile::default()
            })
            .expect("profile");
        assert_eq!(p.org_name, "Etaten");
        assert_eq!(p.org_number, "974760673", "kept as 9 digits");
        assert!(p.public_employer);
        assert_eq!(l.actor(), "Sikkerhetsleder Sol");
        let last = l.audit_log(None).expect("log").pop().expect("event");
        assert_eq!(last.action, "settings.profile");
        // The log names which contact details changed, not what they are.
        assert!(!last.details.to_string().contains("22 00 00 00"));
        assert!(
            last.details["changed"]
                .as_array()
                .expect("changed")
                .iter()
                .any(|c| c == "contact_phone")
        );
        for bad in [
            Profile {
                owner: " ".into(),
                ..Profile::default()
            },
            Profile {
                owner: "Sol".into(),
                org_number: "974760674".into(),
                ..Profile::default()
            },
            Profile {
                owner: "Sol".into(),
                contact_email: "sol.etaten.no".into(),
                ..Profile::default()
            },
        ] {
            let events = l.audit_log(None).expect("log").len();
            assert!(l.set_profile(&bad).is_err(), "{bad:?}");
            assert_eq!(l.audit_log(None).expect("log").len(), events);
        }
        assert_eq!(l.profile().expect("profile"), p);
    }
}
