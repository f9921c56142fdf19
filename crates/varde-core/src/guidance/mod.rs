//! Guidance: the advice checklist, escalation prompts, the contacts directory, the
//! disclosure ledger and requests for information from the police.
//!
//! The texts are data (`assets/guidance/*.toml`, Norwegian bokmål and English, each entry
//! naming its source); the engine here loads them ([`content`]), keeps each case's
//! checklist ([`checklist`]), evaluates the escalation rules ([`escalation`]), and records
//! what the officer does: actions on prompts, local contacts ([`contacts`]), disclosures
//! ([`disclosure`]), the consents they rest on ([`consent`]) and police requests
//! ([`request`]). Every change is audited.

pub mod checklist;
pub mod consent;
pub mod contacts;
pub mod content;
pub mod disclosure;
pub mod escalation;
pub mod request;

pub use checklist::{Checklist, ChecklistEntry, ChecklistProgress, ChecklistState};
pub use consent::{Consent, NewConsent, Withdrawal};
pub use contacts::{ContactPatch, DirectoryEntry, NewContact};
pub use content::{
    Audience, BasisUse, ChecklistItem, Contact, ContactKind, Guidance, Lang, LegalBasis, Origin,
    Rule, Severity, Source, SourceDoc, Text,
};
pub use disclosure::{Disclosure, EmployeeInformed, NewDisclosure, RecipientKind};
pub use escalation::{ActionKind, EscalationAction, Prompt, PromptAct, PromptState, Trigger};
pub use request::{InfoRequest, NewInfoRequest, Urgency};

use chrono::NaiveDate;

use crate::error::{Error, Result};
use crate::invalid::{Field, Invalid};
use crate::locker::Locker;

/// Parse a day as `YYYY-MM-DD` or `DD.MM.YYYY`.
pub(crate) fn parse_day(s: &str, field: Field) -> Result<NaiveDate> {
    let s = s.trim();
    ["%Y-%m-%d", "%d.%m.%Y"]
        .iter()
        .find_map(|f| NaiveDate::parse_from_str(s, f).ok())
        .ok_or_else(|| {
            Error::invalid(Invalid::Date {
                field,
                value: s.to_string(),
            })
        })
}

impl Locker {
    /// The guidance in force for this locker: the shipped content plus the organisation's
    /// own files in `<locker>/guidance/`.
    pub fn guidance(&self) -> Result<Guidance> {
        Guidance::load(&self.dir.join(content::ORG_DIR))
    }
}

#[cfg(test)]
pub(crate) mod testing {
    #![allow(clippy::unwrap_used)]
    //! Small lockers for unit tests.

    use chrono::DateTime;

    use crate::clock::FixedClock;
    use crate::crypto::KdfParams;
    use crate::incidents::NewIncident;
    use crate::locker::{InitOptions, Locker};
    use crate::model::{Channel, Mode, PersonKind};
    use crate::persons::NewPerson;

    /// The time every test locker lives at.
    pub const NOW: &str = "2026-03-10T12:00:00+01:00";

    /// A fresh officer locker with cheap key derivation and a fixed clock.
    pub fn locker() -> (tempfile::TempDir, Locker) {
        let dir = tempfile::tempdir().unwrap();
        let l = Locker::init(
            &dir.path().join("locker"),
            "long passphrase blue kettle",
            InitOptions {
                mode: Mode::Officer,
                owner: "Test".into(),
                kdf: KdfParams::FAST_FOR_TESTS,
            },
            Box::new(FixedClock(DateTime::parse_from_rfc3339(NOW).unwrap())),
        )
        .unwrap();
        (dir, l)
    }

    /// Add a threatened employee; returns the person id.
    pub fn employee(l: &mut Locker, case: &str, name: &str) -> i64 {
        l.add_person(
            case,
            NewPerson {
                kind: Some(PersonKind::Employee),
                name: Some(name.into()),
                ..Default::default()
            },
        )
        .unwrap()
        .id
    }

    /// Log a mild incident; returns its id.
    pub fn incident(l: &mut Locker, case: &str) -> i64 {
        l.add_incident(
            case,
            NewIncident {
                at: "2026-03-01 10:00".into(),
                place: "e-post".into(),
                channel: Some(Channel::Email),
                description: "En e-post".into(),
                ..Default::default()
            },
        )
        .unwrap()
        .id
    }
}
