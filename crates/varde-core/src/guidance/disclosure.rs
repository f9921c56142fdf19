//! The disclosure ledger: every time information about a person leaves the locker — to
//! the police, health services or anyone — what, to whom, when, by whom, on what legal
//! basis, and whether the employee was told. Entries are never changed or removed; a
//! correction is a new entry.

use rusqlite::{Row, params};
use serde::{Deserialize, Serialize};
use serde_json::json;

use super::content::{BasisUse, Guidance, Lang, Text};
use crate::error::{Error, Result};
use crate::incidents::parse_occurred;
use crate::invalid::{Field, Invalid, Item, ItemKind};
use crate::locker::{Locker, Write};
use crate::model::{Case, str_enum};
use crate::persons::json_col;

str_enum!(
    /// Who received the information.
    RecipientKind {
        /// The police.
        Police,
        /// Health services (a concern report, the municipal doctor).
        Health,
        /// A lawyer.
        Lawyer,
        /// The employer: its security officer, when an employee hands over a self-log.
        Employer,
        /// Anyone else.
        Other,
    }
);

str_enum!(
    /// Whether the threatened employee was told about the disclosure.
    EmployeeInformed {
        /// Yes.
        Yes,
        /// No (say why in the description).
        No,
        /// Not yet.
        NotYet,
    }
);

/// A disclosure to record.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct NewDisclosure {
    /// Who received it (an organisation, office or person).
    pub recipient: String,
    /// What kind of recipient.
    pub recipient_kind: RecipientKind,
    /// What was shared, described (may be empty when incidents or evidence are listed).
    pub shared: String,
    /// The incidents shared.
    pub incident_ids: Vec<i64>,
    /// The evidence items shared.
    pub evidence_ids: Vec<i64>,
    /// The persons whose information was shared (persons of the case).
    #[serde(default)]
    pub person_ids: Vec<i64>,
    /// A legal basis from the list (see `legal_bases.toml`, `disclosure`).
    pub legal_basis_key: Option<String>,
    /// The legal basis in the officer's words (required with `other` or without a key).
    pub legal_basis_text: Option<String>,
    /// Whether the employee was told.
    pub employee_informed: EmployeeInformed,
    /// The consent it rests on (a record of [`Locker::consents`]), with the basis
    /// `consent`; read only with that basis.
    #[serde(default)]
    pub consent_id: Option<i64>,
    /// When it was shared: RFC 3339, or `YYYY-MM-DD HH:MM` local time (Europe/Oslo); default now.
    pub when: Option<String>,
    /// Who shared it; default the locker's actor.
    pub by: Option<String>,
}

/// A ledger entry.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct Disclosure {
    /// Local id.
    pub id: i64,
    /// Globally unique id.
    pub uid: String,
    /// The case.
    pub case_reference: String,
    /// Who received it.
    pub recipient: String,
    /// What kind of recipient.
    pub recipient_kind: RecipientKind,
    /// What was shared, described.
    pub shared: String,
    /// The incidents shared.
    pub incident_ids: Vec<i64>,
    /// The evidence shared.
    pub evidence_ids: Vec<i64>,
    /// Whose information left (persons of the case); `None` for entries recorded before
    /// Varde kept it.
    pub person_ids: Option<Vec<i64>>,
    /// The evidence items that went as a redacted copy instead of the original (the
    /// copies' ids); empty when every item went as its original.
    #[serde(default)]
    pub redaction_ids: Vec<i64>,
    /// When the employee was told afterwards (an entry recorded «not yet informed»).
    pub informed_later: Option<InformedLater>,
    /// The legal basis chosen from the list.
    pub legal_basis_key: Option<String>,
    /// Its label.
    pub legal_basis_label: Option<Text>,
    /// The legal basis in the officer's words.
    pub legal_basis_text: String,
    /// The consent it rests on, when its basis is consent and it was recorded.
    pub consent_id: Option<i64>,
    /// Whether the employee was told.
    pub employee_informed: EmployeeInformed,
    /// When it was shared (RFC 3339).
    pub disclosed_at: String,
    /// By whom.
    pub disclosed_by: String,
    /// When it was recorded.
    pub recorded_at: String,
    /// Who recorded it.
    pub recorded_by: String,
}

/// A checked disclosure, ready to insert inside a write (for callers in the core that
/// record a disclosure as part of their own write, such as an export).
/// That the employee was told about a disclosure after it was recorded.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct InformedLater {
    /// When they were told (RFC 3339).
    pub at: String,
    /// By whom.
    pub by: String,
    /// How (in a meeting, by e-mail, ...).
    pub how: String,
}

#[derive(Debug, Clone)]
pub(crate) struct CheckedDisclosure {
    d: NewDisclosure,
    legal_basis_text: String,
    when: Option<String>,
    /// The redacted copies that went instead of their originals (an export sets them).
    pub(crate) redaction_ids: Vec<i64>,
}

impl CheckedDisclosure {
    /// When it was shared (RFC 3339), when given; otherwise the time of the write.
    pub(crate) fn when(&self) -> Option<&str> {
        self.when.as_deref()
    }

    /// Who received it, trimmed.
    pub(crate) fn recipient(&self) -> &str {
        &self.d.recipient
    }
}

/// The legal basis `consent` (GDPR art. 6(1)(a) / 9(2)(a)).
pub const CONSENT: &str = "consent";

/// Ids in order, once each.
pub(crate) fn clean_ids(v: &[i64]) -> Vec<i64> {
    let mut v = v.to_vec();
    v.sort_unstable();
    v.dedup();
    v
}

/// Parse "when" as RFC 3339 or a local time; returns RFC 3339.
pub(crate) fn parse_when(s: &str) -> Result<chrono::DateTime<chrono::FixedOffset>> {
    if let Ok(t) = chrono::DateTime::parse_from_rfc3339(s.trim()) {
        return Ok(t);
    }
    let occ = parse_occurred(s, None, false).map_err(|e| e.for_field(Field::At))?;
    chrono::DateTime::parse_from_rfc3339(&occ.utc).map_err(Error::internal)
}

impl Locker {
    /// When something was shared or done, as given (`YYYY-MM-DD HH:MM`, a date or RFC
    /// 3339), not in the future; `None` when not given (then: the time of the write).
    pub(crate) fn when_done(&self, given: Option<&str>) -> Result<Option<String>> {
        let Some(w) = given.map(str::trim).filter(|w| !w.is_empty()) else {
            return Ok(None);
        };
        let t = parse_when(w)?;
        if t > self.clock.now() + chrono::Duration::minutes(10) {
            return Err(Error::invalid(Invalid::InFuture {
                field: Field::At,
                value: w.to_string(),
            }));
        }
        Ok(Some(crate::clock::fmt_time(&t)))
    }

    /// Check a disclosure against the case, its incidents and evidence, and the legal bases.
    pub(crate) fn check_disclosure(
        &self,
        guidance: &Guidance,
        case: &Case,
        mut d: NewDisclosure,
    ) -> Result<CheckedDisclosure> {
        d.recipient = d.recipient.trim().to_string();
        d.shared = d.shared.trim().to_string();
        if d.recipient.is_empty() {
            return Err(Error::invalid(Invalid::Required {
                field: Field::Recipient,
            }));
        }
        d.incident_ids = clean_ids(&d.incident_ids);
        d.evidence_ids = clean_ids(&d.evidence_ids);
        if d.shared.is_empty() && d.incident_ids.is_empty() && d.evidence_ids.is_empty() {
            return Err(Error::invalid(Invalid::NothingShared));
        }
        for id in &d.incident_ids {
            if self.incident(*id)?.case_id != case.id {
                return Err(Error::invalid(Invalid::NotInCase {
                    field: Field::Incidents,
                    item: Item::new(ItemKind::Incident, id),
                    case: case.reference.clone(),
                }));
            }
        }
        for id in &d.evidence_ids {
            let e = self.evidence(*id)?;
            if self.incident(e.incident)?.case_id != case.id {
                return Err(Error::invalid(Invalid::NotInCase {
                    field: Field::Shared,
                    item: Item::new(ItemKind::Evidence, id),
                    case: case.reference.clone(),
                }));
            }
        }
        d.person_ids = clean_ids(&d.person_ids);
        for id in &d.person_ids {
            if self.person(*id)?.case_id != case.id {
                return Err(Error::invalid(Invalid::NotInCase {
                    field: Field::Person,
                    item: Item::new(ItemKind::Person, id),
                    case: case.reference.clone(),
                }));
            }
        }
        let text = d
            .legal_basis_text
            .as_deref()
            .map(str::trim)
            .unwrap_or("")
            .to_string();
        d.legal_basis_key = d
            .legal_basis_key
            .as_deref()
            .map(str::trim)
            .filter(|k| !k.is_empty())
            .map(str::to_string);
        match d.legal_basis_key.as_deref() {
            None if text.is_empty() => {
                return Err(Error::invalid(Invalid::Required {
                    field: Field::LegalBasis,
                }));
            }
            None => {}
            Some(k) => {
                let employer = self.profile()?.employer();
                let b = guidance
                    .basis(k)
                    .filter(|b| b.applies_to.contains(&BasisUse::Disclosure))
                    .ok_or_else(|| {
                        let keys: Vec<&str> = guidance
                            .disclosure_bases(employer)
                            .map(|b| b.key.as_str())
                            .collect();
                        Error::invalid(Invalid::UnknownLegalBasis {
                            value: k.to_string(),
                            choices: keys.join(", "),
                        })
                    })?;
                if !b.employers.is_empty() && !b.employers.contains(&employer) {
                    return Err(Error::invalid(Invalid::BasisNotForEmployer {
                        basis: k.to_string(),
                        public: employer == super::content::EmployerKind::Public,
                    }));
                }
                if b.describe && text.is_empty() {
                    return Err(Error::invalid(Invalid::DescribeLegalBasis));
                }
            }
        }
        let when = self.when_done(d.when.as_deref())?;
        if d.legal_basis_key.as_deref() == Some(CONSENT) {
            match d.consent_id {
                Some(id) => {
                    let c = self.consent(id)?;
                    if c.case_reference != case.reference {
                        return Err(Error::invalid(Invalid::NotInCase {
                            field: Field::Consent,
                            item: Item::new(ItemKind::Consent, id),
                            case: case.reference.clone(),
                        }));
                    }
                    let at = when
                        .clone()
                        .unwrap_or_else(|| crate::clock::fmt_time(&self.clock.now()));
                    c.usable_at(&at)?;
                    // The person who consented is among those whose information left.
                    d.person_ids = clean_ids(&[d.person_ids.as_slice(), &[c.person_id]].concat());
                }
                // In a self-log locker the employee shares their own log: the act is the
                // consent. An officer records the employee's consent first.
                None if self.mode()? == crate::model::Mode::Officer => {
                    return Err(Error::invalid(Invalid::ConsentRequired));
                }
                None => {}
            }
        } else {
            d.consent_id = None;
        }
        d.by =
            d.by.as_deref()
                .map(str::trim)
                .filter(|b| !b.is_empty())
                .map(str::to_string);
        Ok(CheckedDisclosure {
            d,
            legal_basis_text: text,
            when,
            redaction_ids: Vec::new(),
        })
    }

    /// Record that information left the locker. Audited as `disclosure.add`.
    pub fn record_disclosure(&mut self, case_ref: &str, d: NewDisclosure) -> Result<Disclosure> {
        let case = self.case(case_ref)?;
        let checked = self.check_disclosure(&self.guidance()?, &case, d)?;
        let id = self.write(|w| insert_disclosure(w, &case, &checked))?;
        self.disclosure(id)
    }

    /// One ledger entry.
    pub fn disclosure(&self, id: i64) -> Result<Disclosure> {
        let g = self.guidance()?;
        let mut stmt = self
            .conn
            .prepare(&format!("{SELECT_DISCLOSURE} WHERE d.id = ?1"))?;
        let mut rows = stmt.query_map([id], |r| row_to_disclosure(r, &g))?;
        rows.next()
            .transpose()?
            .ok_or_else(|| Error::not_found(crate::invalid::ItemKind::Disclosure, id))
    }

    /// A case's ledger, in the order things were shared.
    pub fn disclosures(&self, case_ref: &str) -> Result<Vec<Disclosure>> {
        let case = self.case(case_ref)?;
        let g = self.guidance()?;
        let mut stmt = self.conn.prepare(&format!(
            "{SELECT_DISCLOSURE} WHERE d.case_id = ?1 ORDER BY d.disclosed_at, d.id"
        ))?;
        let rows = stmt.query_map([case.id], |r| row_to_disclosure(r, &g))?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }
}

impl Locker {
    /// Record that the employee was told about a disclosure recorded «not yet informed»
    /// (seed 000: the person is told where circumstances allow). The ledger entry stays as
    /// it was; an append-only record says when, by whom and how. Audited as
    /// `disclosure.informed`. `at`: when (default now); `how`: in what way.
    pub fn record_employee_informed(
        &mut self,
        disclosure_id: i64,
        at: Option<&str>,
        how: &str,
    ) -> Result<Disclosure> {
        let d = self.disclosure(disclosure_id)?;
        if d.employee_informed != EmployeeInformed::NotYet || d.informed_later.is_some() {
            return Err(Error::invalid(Invalid::NotAwaitingInforming {
                item: Item::new(ItemKind::Disclosure, disclosure_id),
            }));
        }
        let how = how.trim().to_string();
        crate::fields::text(Field::Note, None, &how, crate::fields::LONG_MAX)?;
        let when = self.when_done(at)?;
        let case = self.case(&d.case_reference)?;
        self.write(|w| {
            let seq = w.next_seq();
            w.tx.execute(
                "INSERT INTO disclosure_informed (disclosure_id, informed_at, informed_by, how, recorded_at, audit_seq)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
                params![
                    disclosure_id,
                    when.clone().unwrap_or_else(|| w.time.clone()),
                    w.actor,
                    how,
                    w.time,
                    seq
                ],
            )?;
            w.audit(
                "disclosure.informed",
                &format!("case:{}", case.reference),
                json!({"disclosure_id": disclosure_id, "uid": d.uid}),
            )
        })?;
        self.disclosure(disclosure_id)
    }

    /// The case's disclosures recorded «not yet informed» and not yet followed up: each is a
    /// reminder on the case until the officer records that the employee was told.
    pub fn awaiting_informing(&self, case_ref: &str) -> Result<Vec<Disclosure>> {
        Ok(self
            .disclosures(case_ref)?
            .into_iter()
            .filter(|d| {
                d.employee_informed == EmployeeInformed::NotYet && d.informed_later.is_none()
            })
            .collect())
    }
}

/// Insert a checked disclosure inside a write, with its audit event. Returns its id.
pub(crate) fn insert_disclosure(
    w: &mut Write<'_>,
    case: &Case,
    c: &CheckedDisclosure,
) -> Result<i64> {
    let uid = uuid::Uuid::new_v4().to_string();
    let seq = w.next_seq();
    let d = &c.d;
    w.tx.execute(
        "INSERT INTO disclosures (uid, case_id, recipient, recipient_kind, shared, incident_ids, evidence_ids,
           legal_basis_key, legal_basis_text, employee_informed, disclosed_at, disclosed_by, recorded_at,
           recorded_by, audit_seq, person_ids, consent_id, redaction_ids)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18)",
        params![
            uid,
            case.id,
            d.recipient,
            d.recipient_kind,
            d.shared,
            serde_json::to_string(&d.incident_ids).unwrap_or_else(|_| "[]".into()),
            serde_json::to_string(&d.evidence_ids).unwrap_or_else(|_| "[]".into()),
            d.legal_basis_key,
            c.legal_basis_text,
            d.employee_informed,
            c.when.clone().unwrap_or_else(|| w.time.clone()),
            d.by.clone().unwrap_or_else(|| w.actor.clone()),
            w.time,
            w.actor,
            seq,
            serde_json::to_string(&d.person_ids).unwrap_or_else(|_| "[]".into()),
            d.consent_id,
            (!c.redaction_ids.is_empty())
                .then(|| serde_json::to_string(&c.redaction_ids).unwrap_or_else(|_| "[]".into())),
        ],
    )?;
    let id = w.tx.last_insert_rowid();
    w.audit(
        "disclosure.add",
        &format!("case:{}", case.reference),
        json!({
            "disclosure_id": id,
            "uid": uid,
            "recipient_kind": d.recipient_kind.as_str(),
            "incident_ids": d.incident_ids,
            "evidence_ids": d.evidence_ids,
            "person_ids": d.person_ids,
            "redaction_ids": c.redaction_ids,
            "legal_basis": d.legal_basis_key,
            "consent_id": d.consent_id,
            "employee_informed": d.employee_informed.as_str(),
        }),
    )?;
    Ok(id)
}

const SELECT_DISCLOSURE: &str =
    "SELECT d.id, d.uid, c.reference, d.recipient, d.recipient_kind, d.shared,
    d.incident_ids, d.evidence_ids, d.legal_basis_key, d.legal_basis_text, d.employee_informed,
    d.disclosed_at, d.disclosed_by, d.recorded_at, d.recorded_by, d.person_ids,
    i.informed_at, i.informed_by, i.how, d.consent_id, d.redaction_ids
    FROM disclosures d JOIN cases c ON c.id = d.case_id
    LEFT JOIN disclosure_informed i ON i.disclosure_id = d.id";

fn row_to_disclosure(r: &Row<'_>, g: &Guidance) -> rusqlite::Result<Disclosure> {
    let key: Option<String> = r.get(8)?;
    Ok(Disclosure {
        id: r.get(0)?,
        uid: r.get(1)?,
        case_reference: r.get(2)?,
        recipient: r.get(3)?,
        recipient_kind: r.get(4)?,
        shared: r.get(5)?,
        incident_ids: json_col(r, 6)?,
        evidence_ids: json_col(r, 7)?,
        legal_basis_label: key
            .as_deref()
            .and_then(|k| g.basis(k))
            .map(|b| b.label.clone()),
        legal_basis_key: key,
        legal_basis_text: r.get(9)?,
        consent_id: r.get(19)?,
        employee_informed: r.get(10)?,
        disclosed_at: r.get(11)?,
        disclosed_by: r.get(12)?,
        recorded_at: r.get(13)?,
        recorded_by: r.get(14)?,
        person_ids: r
            .get::<_, Option<String>>(15)?
            .and_then(|s| serde_json::from_str(&s).ok()),
        redaction_ids: r
            .get::<_, Option<String>>(20)?
            .and_then(|s| serde_json::from_str(&s).ok())
            .unwrap_or_default(),
        informed_later: match r.get::<_, Option<String>>(16)? {
            Some(at) => Some(InformedLater {
                at,
                by: r.get(17)?,
                how: r.get(18)?,
            }),
            None => None,
        },
    })
}

/// The ledger as pretty JSON.
pub fn ledger_json(entries: &[Disclosure]) -> Result<String> {
    serde_json::to_string_pretty(entries)
        .map_err(|e| Error::Integrity(format!("the ledger could not be written as JSON: {e}")))
}

/// One CSV field, quoted when needed (RFC 4180).
fn csv_field(s: &str) -> String {
    if s.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", s.replace('"', "\"\""))
    } else {
        s.to_string()
    }
}

/// The ledger as CSV (RFC 4180, CRLF line ends, a header row), with legal-basis labels
/// in `lang`. Incident and evidence ids are separated by spaces.
pub fn ledger_csv(entries: &[Disclosure], lang: Lang) -> String {
    let ids = |v: &[i64]| v.iter().map(i64::to_string).collect::<Vec<_>>().join(" ");
    let mut out = String::from(
        "id,uid,case,disclosed_at,disclosed_by,recipient,recipient_kind,shared,incident_ids,evidence_ids,legal_basis_key,legal_basis,legal_basis_text,employee_informed,recorded_at,recorded_by\r\n",
    );
    for d in entries {
        let row = [
            d.id.to_string(),
            d.uid.clone(),
            d.case_reference.clone(),
            d.disclosed_at.clone(),
            d.disclosed_by.clone(),
            d.recipient.clone(),
            d.recipient_kind.to_string(),
            d.shared.clone(),
            ids(&d.incident_ids),
            ids(&d.evidence_ids),
            d.legal_basis_key.clone().unwrap_or_default(),
            d.legal_basis_label
                .as_ref()
                .map(|t| t.get(lang).to_string())
                .unwrap_or_default(),
            d.legal_basis_text.clone(),
            d.employee_informed.to_string(),
            d.recorded_at.clone(),
            d.recorded_by.clone(),
        ];
        let fields: Vec<String> = row.iter().map(|f| csv_field(f)).collect();
        out.push_str(&fields.join(","));
        out.push_str("\r\n");
    }
    out
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;
    use crate::guidance::testing::{incident, locker};

    fn new(recipient: &str) -> NewDisclosure {
        NewDisclosure {
            recipient: recipient.into(),
            recipient_kind: RecipientKind::Police,
            shared: "Logg over hendelsene".into(),
            incident_ids: vec![],
            evidence_ids: vec![],
            person_ids: vec![],
            legal_basis_key: Some("legitimate_interest_legal_claims".into()),
            legal_basis_text: None,
            consent_id: None,
            employee_informed: EmployeeInformed::Yes,
            when: None,
            by: None,
        }
    }

    #[test]
    fn a_public_employer_is_offered_6_1_c_and_e_and_cannot_use_legitimate_interest() {
        use crate::guidance::content::EmployerKind;
        let (_d, mut l) = locker();
        let c = l.create_case("Sak", "").unwrap();
        let kari = l
            .add_person(
                &c.reference,
                crate::NewPerson {
                    kind: Some(crate::model::PersonKind::Employee),
                    name: Some("Kari".into()),
                    ..Default::default()
                },
            )
            .unwrap();
        let consent = l
            .record_consent(
                &c.reference,
                crate::guidance::NewConsent {
                    person_id: kari.id,
                    scope: "Loggen".into(),
                    recipient: "Oslo politidistrikt".into(),
                    given_at: None,
                    how: "Skriftlig".into(),
                },
            )
            .unwrap();
        // (employer, basis, accepted)
        let cases = [
            (
                EmployerKind::Private,
                "legitimate_interest_legal_claims",
                true,
            ),
            // Art. 6(1)(c) is open to every controller with a legal obligation.
            (EmployerKind::Private, "legal_obligation_6_1_c", true),
            (EmployerKind::Private, "public_task_6_1_e", false),
            (EmployerKind::Private, "employer_duty_aml_4_3_4", true),
            (
                EmployerKind::Public,
                "legitimate_interest_legal_claims",
                false,
            ),
            (EmployerKind::Public, "legal_obligation_6_1_c", true),
            (EmployerKind::Public, "public_task_6_1_e", true),
            (EmployerKind::Public, "consent", true),
        ];
        for (employer, basis, accepted) in cases {
            let mut p = l.profile().unwrap();
            p.public_employer = employer == EmployerKind::Public;
            l.set_profile(&p).unwrap();
            let offered = l
                .guidance()
                .unwrap()
                .disclosure_bases(employer)
                .any(|b| b.key == basis);
            assert_eq!(offered, accepted, "{employer} offered {basis}");
            let before = l.disclosures(&c.reference).unwrap().len();
            let r = l.record_disclosure(
                &c.reference,
                NewDisclosure {
                    legal_basis_key: Some(basis.into()),
                    consent_id: (basis == CONSENT).then_some(consent.id),
                    ..new("Oslo politidistrikt")
                },
            );
            assert_eq!(r.is_ok(), accepted, "{employer} records on {basis}: {r:?}");
            if !accepted {
                assert!(matches!(
                    r,
                    Err(Error::Invalid(Invalid::BasisNotForEmployer { .. }))
                ));
                assert_eq!(l.disclosures(&c.reference).unwrap().len(), before);
            }
        }
    }

    #[test]
    fn a_disclosure_not_yet_told_is_a_reminder_until_the_employee_is_told() {
        let (_d, mut l) = locker();
        let c = l.create_case("Sak", "").unwrap();
        let kari = l
            .add_person(
                &c.reference,
                crate::NewPerson {
                    kind: Some(crate::model::PersonKind::Employee),
                    name: Some("Kari".into()),
                    ..Default::default()
                },
            )
            .unwrap()
            .id;
        let told = l
            .record_disclosure(&c.reference, new("Oslo politidistrikt"))
            .unwrap();
        let later = l
            .record_disclosure(
                &c.reference,
                NewDisclosure {
                    employee_informed: EmployeeInformed::NotYet,
                    person_ids: vec![kari, kari],
                    ..new("Oslo politidistrikt")
                },
            )
            .unwrap();
        assert_eq!(
            later.person_ids,
            Some(vec![kari]),
            "whose information, once each"
        );
        let summary = |l: &Locker| l.case_summaries(&Default::default()).unwrap()[0].not_informed;
        assert_eq!(summary(&l), 1);
        assert_eq!(
            l.awaiting_informing(&c.reference)
                .unwrap()
                .iter()
                .map(|d| d.id)
                .collect::<Vec<_>>(),
            [later.id]
        );
        // Only an entry waiting for it can be followed up, and only once.
        assert!(l.record_employee_informed(told.id, None, "møte").is_err());
        let done = l
            .record_employee_informed(later.id, Some("2026-03-01 10:00"), "I møte med Kari")
            .unwrap();
        let info = done.informed_later.unwrap();
        assert_eq!(info.how, "I møte med Kari");
        assert_eq!(info.at, "2026-03-01T09:00:00+00:00");
        assert_eq!(
            done.employee_informed,
            EmployeeInformed::NotYet,
            "the entry is as it was"
        );
        assert_eq!(summary(&l), 0);
        assert!(l.record_employee_informed(later.id, None, "igjen").is_err());
        assert_eq!(
            l.audit_log(None).unwrap().last().unwrap().action,
            "disclosure.informed"
        );
        // A person of another case is refused.
        let other = l.create_case("Annen", "").unwrap();
        let stranger = l
            .add_person(
                &other.reference,
                crate::NewPerson {
                    kind: Some(crate::model::PersonKind::Witness),
                    name: Some("Per".into()),
                    ..Default::default()
                },
            )
            .unwrap()
            .id;
        assert!(
            l.record_disclosure(
                &c.reference,
                NewDisclosure {
                    person_ids: vec![stranger],
                    ..new("Oslo politidistrikt")
                },
            )
            .is_err()
        );
        assert!(l.verify(&mut |_| {}).unwrap().ok());
    }

    #[test]
    fn records_lists_and_audits() {
        let (_d, mut l) = locker();
        let c = l.create_case("Sak", "").unwrap();
        let i = incident(&mut l, &c.reference);
        let d = l
            .record_disclosure(
                &c.reference,
                NewDisclosure {
                    incident_ids: vec![i, i],
                    when: Some("2026-03-01 09:15".into()),
                    by: Some("Sikkerhetssjefen".into()),
                    ..new("Oslo politidistrikt")
                },
            )
            .unwrap();
        assert_eq!(d.incident_ids, [i]);
        assert_eq!(d.disclosed_at, "2026-03-01T08:15:00+00:00");
        assert_eq!(d.disclosed_by, "Sikkerhetssjefen");
        assert_eq!(d.recorded_by, "Test");
        assert!(
            d.legal_basis_label
                .as_ref()
                .unwrap()
                .nb
                .contains("Berettiget")
        );
        let later = l
            .record_disclosure(&c.reference, new("Kommunelegen"))
            .unwrap();
        let list = l.disclosures(&c.reference).unwrap();
        assert_eq!(
            list.iter().map(|d| d.id).collect::<Vec<_>>(),
            [d.id, later.id]
        );
        let events: Vec<_> = l
            .audit_log(Some(&format!("case:{}", c.reference)))
            .unwrap()
            .into_iter()
            .filter(|e| e.action == "disclosure.add")
            .collect();
        assert_eq!(events.len(), 2);
        assert_eq!(events[0].details["disclosure_id"], d.id);
    }

    #[test]
    fn the_ledger_is_append_only() {
        let (_d, mut l) = locker();
        let c = l.create_case("Sak", "").unwrap();
        l.record_disclosure(&c.reference, new("Politiet")).unwrap();
        assert!(
            l.conn
                .execute("UPDATE disclosures SET recipient = 'x'", [])
                .is_err()
        );
        assert!(l.conn.execute("DELETE FROM disclosures", []).is_err());
    }

    #[test]
    fn refuses_what_cannot_be_recorded() {
        let (_d, mut l) = locker();
        let c = l.create_case("Sak", "").unwrap();
        let other = l.create_case("Annen", "").unwrap();
        let foreign = incident(&mut l, &other.reference);
        let bad = [
            (new(" "), "recipient"),
            (
                NewDisclosure {
                    shared: String::new(),
                    ..new("P")
                },
                "what was shared",
            ),
            (
                NewDisclosure {
                    incident_ids: vec![foreign],
                    ..new("P")
                },
                "is not in",
            ),
            (
                NewDisclosure {
                    legal_basis_key: None,
                    ..new("P")
                },
                "legal basis",
            ),
            (
                NewDisclosure {
                    legal_basis_key: Some("politiregisterloven_31".into()),
                    ..new("P")
                },
                "is not a legal basis here",
            ),
            (
                NewDisclosure {
                    legal_basis_key: Some("other".into()),
                    ..new("P")
                },
                "describe",
            ),
            (
                NewDisclosure {
                    when: Some("2099-01-01 10:00".into()),
                    ..new("P")
                },
                "future",
            ),
        ];
        for (d, expected) in bad {
            let err = l
                .record_disclosure(&c.reference, d)
                .unwrap_err()
                .to_string();
            assert!(err.contains(expected), "{expected:?} not in {err:?}");
        }
        // Free text alone is a legal basis too.
        let d = l
            .record_disclosure(
                &c.reference,
                NewDisclosure {
                    legal_basis_key: None,
                    legal_basis_text: Some("Avtale med den ansatte".into()),
                    ..new("P")
                },
            )
            .unwrap();
        assert_eq!(d.legal_basis_text, "Avtale med den ansatte");
        assert!(d.legal_basis_label.is_none());
    }

    #[test]
    fn exports_as_csv_and_json() {
        let (_d, mut l) = locker();
        let c = l.create_case("Sak", "").unwrap();
        l.record_disclosure(
            &c.reference,
            NewDisclosure {
                shared: "Skjermbilder, \"hele tråden\",\nog logg".into(),
                ..new("Politiet, Asker")
            },
        )
        .unwrap();
        let list = l.disclosures(&c.reference).unwrap();
        let csv = ledger_csv(&list, Lang::En);
        let lines: Vec<&str> = csv.split("\r\n").collect();
        assert!(lines[0].starts_with("id,uid,case,disclosed_at"));
        assert!(csv.contains("\"Politiet, Asker\""));
        assert!(csv.contains("\"Skjermbilder, \"\"hele tråden\"\",\nog logg\""));
        assert!(csv.contains("Legitimate interest"));
        let json: serde_json::Value = serde_json::from_str(&ledger_json(&list).unwrap()).unwrap();
        assert_eq!(json[0]["recipient"], "Politiet, Asker");
        assert_eq!(json[0]["employee_informed"], "yes");
    }
}
