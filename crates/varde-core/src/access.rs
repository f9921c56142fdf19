//! Access requests: everything the locker holds about one person, gathered for the data
//! protection officer who answers the request. Exemptions must be assessed before anything
//! is handed out; the report says so, and producing it is audited (`person.report`).

use serde::{Deserialize, Serialize};
use serde_json::json;

use crate::error::Result;
use crate::guidance::{ChecklistEntry, Consent, Disclosure};
use crate::locker::Locker;
use crate::model::{Evidence, Incident, Person, PersonKind};

/// What the locker holds about one person.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct PersonReport {
    /// The person as recorded.
    pub person: Person,
    /// Their case.
    pub case_reference: String,
    /// The case's title.
    pub case_title: String,
    /// The incidents that concern them: every incident of the case for the threatened
    /// employee; those they are the actor of or a witness to for anyone else.
    pub incidents: Vec<Incident>,
    /// The evidence records of those incidents.
    pub evidence: Vec<Evidence>,
    /// Disclosures that named them or shared any of those incidents.
    pub disclosures: Vec<Disclosure>,
    /// Consents they gave.
    pub consents: Vec<Consent>,
    /// Checklist entries for them.
    pub checklist: Vec<ChecklistEntry>,
    /// Other cases with a threat actor of the same name, alias or number (for a threat
    /// actor): records there may be about the same person, to be looked at too.
    pub other_cases: Vec<String>,
    /// When the report was made (RFC 3339).
    pub made_at: String,
}

impl Locker {
    /// Gather what the locker holds about a person, and audit that it was gathered.
    pub fn person_report(&mut self, person_id: i64) -> Result<PersonReport> {
        let person = self.person(person_id)?;
        let case = self.case_by_id(person.case_id)?;
        let all = self.list_incidents(&case.reference)?;
        let incidents: Vec<Incident> = all
            .into_iter()
            .filter(|i| {
                person.kind == PersonKind::Employee
                    || i.actor_id == Some(person.id)
                    || i.witnesses.iter().any(|w| w.person == Some(person.id))
            })
            .collect();
        let ids: std::collections::HashSet<i64> = incidents.iter().map(|i| i.id).collect();
        let evidence: Vec<Evidence> = self
            .list_evidence(&case.reference, None)?
            .into_iter()
            .filter(|e| ids.contains(&e.incident))
            .collect();
        let disclosures: Vec<Disclosure> = self
            .disclosures(&case.reference)?
            .into_iter()
            .filter(|d| {
                d.person_ids
                    .as_ref()
                    .is_some_and(|p| p.contains(&person.id))
                    || d.incident_ids.iter().any(|i| ids.contains(i))
            })
            .collect();
        let consents: Vec<Consent> = self
            .consents(&case.reference)?
            .into_iter()
            .filter(|c| c.person_id == person.id)
            .collect();
        let checklist: Vec<ChecklistEntry> = self
            .checklist(&case.reference)?
            .entries
            .into_iter()
            .filter(|e| e.person_id == Some(person.id) && e.set_at.is_some())
            .collect();
        let other_cases = if person.kind == PersonKind::ThreatActor {
            self.actor_in_other_cases(person.id)?
        } else {
            Vec::new()
        };
        let made_at = self.write(|w| {
            w.audit(
                "person.report",
                &format!("case:{}", case.reference),
                json!({"person_id": person.id, "incidents": incidents.len(),
                       "evidence": evidence.len(), "disclosures": disclosures.len()}),
            )?;
            Ok(w.time.clone())
        })?;
        Ok(PersonReport {
            person,
            case_reference: case.reference,
            case_title: case.title,
            incidents,
            evidence,
            disclosures,
            consents,
            checklist,
            other_cases,
            made_at,
        })
    }
}
