//! Consent: when a disclosure rests on the consent of the person the information is
//! about (GDPR art. 6(1)(a), and art. 9(2)(a) for health data), the officer records it
//! first — what may be shared, with whom, when and how it was given — and each disclosure
//! on that basis names the record. A withdrawal is a record of its own: from then on no
//! disclosure may rest on that consent, while what was shared before stays lawful and in
//! the ledger (art. 7(3)). Records are never changed or removed.

use rusqlite::{Row, params};
use serde::{Deserialize, Serialize};
use serde_json::json;

use super::disclosure::parse_when;
use crate::error::{Error, Result};
use crate::invalid::{Field, Invalid, Item, ItemKind};
use crate::locker::Locker;

/// A consent to record.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct NewConsent {
    /// Who gave it: the person of the case the information is about.
    pub person_id: i64,
    /// What may be shared («loggen over hendelsene og skjermbildene»).
    pub scope: String,
    /// With whom («Oslo politidistrikt»).
    pub recipient: String,
    /// When it was given: `YYYY-MM-DD HH:MM` local time, a date or RFC 3339; default now.
    pub given_at: Option<String>,
    /// How: in writing, by e-mail, orally in a meeting with whom.
    pub how: String,
}

/// A consent withdrawn.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct Withdrawal {
    /// When it was withdrawn (RFC 3339).
    pub at: String,
    /// How.
    pub how: String,
    /// When it was recorded.
    pub recorded_at: String,
    /// By whom.
    pub recorded_by: String,
}

/// A recorded consent.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct Consent {
    /// Local id.
    pub id: i64,
    /// Globally unique id.
    pub uid: String,
    /// The case.
    pub case_reference: String,
    /// Who gave it.
    pub person_id: i64,
    /// What may be shared.
    pub scope: String,
    /// With whom.
    pub recipient: String,
    /// When it was given (RFC 3339).
    pub given_at: String,
    /// How it was given.
    pub how: String,
    /// When it was recorded.
    pub recorded_at: String,
    /// By whom.
    pub recorded_by: String,
    /// Its withdrawal, if withdrawn.
    pub withdrawn: Option<Withdrawal>,
    /// The ledger entries that rest on it.
    pub disclosure_ids: Vec<i64>,
}

impl Consent {
    /// Whether a disclosure at `at` (RFC 3339) may rest on it: given by then and not
    /// withdrawn by then. The refusal names the consent.
    pub(crate) fn usable_at(&self, at: &str) -> Result<()> {
        let item = Item::new(ItemKind::Consent, self.id);
        let t = parse_when(at)?;
        if let Some(w) = &self.withdrawn
            && parse_when(&w.at)? <= t
        {
            return Err(Error::invalid(Invalid::ConsentWithdrawn {
                item,
                withdrawn_at: w.at.clone(),
            }));
        }
        if parse_when(&self.given_at)? > t {
            return Err(Error::invalid(Invalid::ConsentNotYetGiven {
                item,
                given_at: self.given_at.clone(),
            }));
        }
        Ok(())
    }
}

const SELECT_CONSENT: &str = "SELECT c.id, c.uid, k.reference, c.person_id, c.scope, c.recipient,
    c.given_at, c.how, c.recorded_at, c.recorded_by,
    w.withdrawn_at, w.how, w.recorded_at, w.recorded_by,
    (SELECT json_group_array(d.id) FROM (SELECT id FROM disclosures WHERE consent_id = c.id ORDER BY id) d)
    FROM consents c JOIN cases k ON k.id = c.case_id
    LEFT JOIN consent_withdrawals w ON w.consent_id = c.id";

fn row_to_consent(r: &Row<'_>) -> rusqlite::Result<Consent> {
    let withdrawn = match r.get::<_, Option<String>>(10)? {
        Some(at) => Some(Withdrawal {
            at,
            how: r.get(11)?,
            recorded_at: r.get(12)?,
            recorded_by: r.get(13)?,
        }),
        None => None,
    };
    Ok(Consent {
        id: r.get(0)?,
        uid: r.get(1)?,
        case_reference: r.get(2)?,
        person_id: r.get(3)?,
        scope: r.get(4)?,
        recipient: r.get(5)?,
        given_at: r.get(6)?,
        how: r.get(7)?,
        recorded_at: r.get(8)?,
        recorded_by: r.get(9)?,
        withdrawn,
        disclosure_ids: crate::persons::json_col(r, 14)?,
    })
}

/// A required text of a consent, trimmed and within its length.
fn required(field: Field, value: &str) -> Result<String> {
    let v = value.trim().to_string();
    if v.is_empty() {
        return Err(Error::invalid(Invalid::Required { field }));
    }
    crate::fields::text(field, None, &v, crate::fields::LONG_MAX)?;
    Ok(v)
}

impl Locker {
    /// Record a person's consent to a disclosure. Audited as `consent.add` (without the
    /// texts, like every event that names a person).
    pub fn record_consent(&mut self, case_ref: &str, c: NewConsent) -> Result<Consent> {
        let case = self.case(case_ref)?;
        let person = self.person(c.person_id)?;
        if person.case_id != case.id {
            return Err(Error::invalid(Invalid::NotInCase {
                field: Field::Person,
                item: Item::new(ItemKind::Person, c.person_id),
                case: case.reference.clone(),
            }));
        }
        let scope = required(Field::ConsentScope, &c.scope)?;
        let recipient = required(Field::Recipient, &c.recipient)?;
        let how = required(Field::ConsentHow, &c.how)?;
        let given = self.when_done(c.given_at.as_deref())?;
        let id = self.write(|w| {
            let uid = uuid::Uuid::new_v4().to_string();
            let seq = w.next_seq();
            w.tx.execute(
                "INSERT INTO consents (uid, case_id, person_id, scope, recipient, given_at, how, recorded_at,
                   recorded_by, audit_seq)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)",
                params![
                    uid,
                    case.id,
                    person.id,
                    scope,
                    recipient,
                    given.clone().unwrap_or_else(|| w.time.clone()),
                    how,
                    w.time,
                    w.actor,
                    seq
                ],
            )?;
            let id = w.tx.last_insert_rowid();
            w.audit(
                "consent.add",
                &format!("case:{}", case.reference),
                json!({"consent_id": id, "uid": uid, "person_id": person.id}),
            )?;
            Ok(id)
        })?;
        self.consent(id)
    }

    /// Record that a consent was withdrawn: from `at` (default now) no disclosure may rest
    /// on it. What was shared before stays in the ledger. Audited as `consent.withdraw`.
    pub fn withdraw_consent(&mut self, id: i64, at: Option<&str>, how: &str) -> Result<Consent> {
        let c = self.consent(id)?;
        if let Some(w) = &c.withdrawn {
            return Err(Error::invalid(Invalid::ConsentAlreadyWithdrawn {
                item: Item::new(ItemKind::Consent, id),
                withdrawn_at: w.at.clone(),
            }));
        }
        let how = required(Field::ConsentHow, how)?;
        let when = self.when_done(at)?;
        self.write(|w| {
            let seq = w.next_seq();
            w.tx.execute(
                "INSERT INTO consent_withdrawals (consent_id, withdrawn_at, how, recorded_at, recorded_by, audit_seq)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
                params![id, when.clone().unwrap_or_else(|| w.time.clone()), how, w.time, w.actor, seq],
            )?;
            w.audit(
                "consent.withdraw",
                &format!("case:{}", c.case_reference),
                json!({"consent_id": id, "uid": c.uid, "disclosures_before": c.disclosure_ids}),
            )
        })?;
        self.consent(id)
    }

    /// One consent.
    pub fn consent(&self, id: i64) -> Result<Consent> {
        let mut stmt = self
            .conn
            .prepare(&format!("{SELECT_CONSENT} WHERE c.id = ?1"))?;
        let mut rows = stmt.query_map([id], row_to_consent)?;
        rows.next()
            .transpose()?
            .ok_or_else(|| Error::not_found(ItemKind::Consent, id))
    }

    /// A case's consents, in the order they were given.
    pub fn consents(&self, case_ref: &str) -> Result<Vec<Consent>> {
        let case = self.case(case_ref)?;
        let mut stmt = self.conn.prepare(&format!(
            "{SELECT_CONSENT} WHERE c.case_id = ?1 ORDER BY c.given_at, c.id"
        ))?;
        let rows = stmt.query_map([case.id], row_to_consent)?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }
}
