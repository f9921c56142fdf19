//! The drafts Varde writes from a case — a police report and a concern report — checked
//! section by section against the case, and marking one sent: the ledger entry and the
//! prompt's action in one transaction.

use std::path::Path;

use varde_core::drafts::{Block, Document, DraftKind, DraftOptions, DraftSent};
use varde_core::guidance::{EmployeeInformed, Lang, PromptState};
use varde_core::model::{Channel, ContactDetail, Perception, PersonKind, Witness};
use varde_core::{DraftRenderer, Error, Locker, NewIncident, NewPerson, Profile};

use super::fixture::TestLocker;
use crate::bundle::{TestRenderer, police};

const PASS: &str = "long passphrase blue kettle";

fn init(dir: &Path) -> Locker {
    TestLocker {
        owner: "Siri Sikkerhet",
        passphrase: PASS,
        at: "2026-11-25T10:00:00+01:00",
        ..Default::default()
    }
    .init(dir)
}

struct Case {
    reference: String,
    employee: i64,
    actor: i64,
    incidents: Vec<i64>,
}

/// A case as an officer has it: the company's details, an employee with a private phone,
/// a known threat actor with a health concern, two incidents (one with an emoji and a
/// witness), one screenshot.
fn case(l: &mut Locker, tmp: &Path) -> Case {
    l.set_profile(&Profile {
        owner: "Siri Sikkerhet".into(),
        org_name: "Eksempel AS".into(),
        org_number: "974760673".into(),
        org_address: "Storgata 1, 0155 Oslo".into(),
        contact_phone: "+47 22 00 00 00".into(),
        contact_email: "sikkerhet@eksempel.no".into(),
        public_employer: false,
    })
    .unwrap();
    let reference = l
        .create_case("Trusler mot saksbehandler", "")
        .unwrap()
        .reference;
    let employee = l
        .add_person(
            &reference,
            NewPerson {
                kind: Some(PersonKind::Employee),
                name: Some("Kari Nordmann".into()),
                title: Some("Saksbehandler".into()),
                contacts: vec![
                    ContactDetail {
                        kind: "phone".into(),
                        value: "+47 900 11 222".into(),
                        private: true,
                    },
                    ContactDetail {
                        kind: "email".into(),
                        value: "kari@eksempel.no".into(),
                        private: false,
                    },
                ],
                ..Default::default()
            },
        )
        .unwrap()
        .id;
    let actor = l
        .add_person(
            &reference,
            NewPerson {
                kind: Some(PersonKind::ThreatActor),
                name: Some("Ola Truende".into()),
                aliases: vec!["+47 455 55 555".into(), "@ola_t".into()],
                home_municipality: Some("Bærum".into()),
                health_concern: Some("Skriver om stemmer som forfølger ham.".into()),
                ..Default::default()
            },
        )
        .unwrap()
        .id;
    let first = l
        .add_incident(
            &reference,
            NewIncident {
                at: "2026-11-20 21:14".into(),
                place: "Karis jobbtelefon".into(),
                channel: Some(Channel::Sms),
                description: "SMS fra ukjent nummer".into(),
                wording: Some("Jeg vet hvor du bor 🔥".into()),
                perceived: vec![Perception::Threatening],
                actor_id: Some(actor),
                witnesses: vec![Witness {
                    person: None,
                    name: Some("Per Kollega".into()),
                }],
                ..Default::default()
            },
        )
        .unwrap()
        .id;
    let second = l
        .add_incident(
            &reference,
            NewIncident {
                at: "2026-11-22 08:05".into(),
                place: "Resepsjonen".into(),
                channel: Some(Channel::InPerson),
                description: "Ropte utenfor inngangen".into(),
                wording: Some("Neste gang tar jeg deg".into()),
                perceived: vec![Perception::Frightening],
                actor_id: Some(actor),
                ..Default::default()
            },
        )
        .unwrap()
        .id;
    let shot = tmp.join("skjermbilde.png");
    std::fs::write(&shot, b"\x89PNG\r\n\x1a\n not really an image").unwrap();
    l.add_evidence(first, &[shot], &Default::default(), &mut |_| {})
        .unwrap();
    Case {
        reference,
        employee,
        actor,
        incidents: vec![first, second],
    }
}

fn section(d: &Document, heading: &str) -> String {
    let s = d
        .sections
        .iter()
        .find(|s| s.heading.ends_with(heading))
        .unwrap_or_else(|| panic!("no section {heading:?} in {:#?}", d.sections));
    let doc = Document {
        sections: vec![s.clone()],
        notices: vec![],
        meta: vec![],
        ..d.clone()
    };
    doc.plain_text()
}

fn opts(kind: DraftKind) -> DraftOptions {
    DraftOptions::new(kind)
}

#[test]
fn the_police_report_draft_says_what_the_case_holds_and_leaves_private_details_out() {
    let tmp = tempfile::tempdir().unwrap();
    let mut l = init(&tmp.path().join("locker"));
    let c = case(&mut l, tmp.path());

    let d = l
        .draft(&c.reference, &opts(DraftKind::PoliceReport))
        .unwrap();
    let doc = &d.document;
    assert_eq!(doc.title, "Anmeldelse");
    assert!(doc.notices[0].contains("kan få se saksdokumentene"));

    let reporter = section(doc, "Anmelder");
    for s in [
        "Eksempel AS",
        "974 760 673",
        "Storgata 1, 0155 Oslo",
        "Siri Sikkerhet",
        "+47 22 00 00 00",
    ] {
        assert!(reporter.contains(s), "{s} in {reporter}");
    }
    let aggrieved = section(doc, "Fornærmede");
    assert!(aggrieved.contains("Kari Nordmann"));
    assert!(aggrieved.contains("kari@eksempel.no"), "a work contact");
    // The private phone is nowhere in the draft.
    assert!(!doc.plain_text().contains("900 11 222"));

    let suspect = section(doc, "Den anmeldte");
    for s in ["Ola Truende", "+47 455 55 555, @ola_t", "Bærum"] {
        assert!(suspect.contains(s), "{s} in {suspect}");
    }

    // The incidents in time order, with the wording kept to the character.
    let events = section(doc, "Hva som har skjedd");
    let first = events.find("20.11.2026 kl. 21:14").unwrap();
    let second = events.find("22.11.2026 kl. 08:05").unwrap();
    assert!(first < second);
    assert!(events.contains("«Jeg vet hvor du bor 🔥»"));
    assert!(events.contains("Vitner: Per Kollega"));
    assert!(events.contains("Kanal: SMS"));
    assert!(events.contains("Oppfattet som: truende"));

    // No bundle yet: each original by SHA-256.
    let evidence = section(doc, "Bevis");
    let shot = &l.list_evidence(&c.reference, None).unwrap()[0];
    assert!(evidence.contains(&shot.sha256));
    assert_eq!(d.evidence_ids, [shot.id]);

    // The health concern: not notified, the observations and the statements.
    let health = section(doc, "Bekymring for psykisk helse");
    assert!(health.contains("ikke varslet helsetjenesten"));
    assert!(health.contains("«Skriver om stemmer som forfølger ham.»"));
    assert!(health.contains("«Neste gang tar jeg deg»"));
    assert!(
        d.answers
            .contains(&"police_report_health_details".to_string())
    );

    // Provisions for information; § 155 only for a public employer.
    let provisions = section(doc, "Straffebud som kan være aktuelle");
    assert!(provisions.contains("politiet vurderer"));
    for s in ["§ 263", "§ 264", "§ 265", "§ 266 ", "§ 266 a"] {
        assert!(provisions.contains(s), "{s}");
    }
    assert!(!provisions.contains("§ 155"));
    assert!(section(doc, "Begjæringer").contains("Ingen begjæringer"));

    // The same case with the choices made.
    let mut p = l.profile().unwrap();
    p.public_employer = true;
    l.set_profile(&p).unwrap();
    let chosen = l
        .draft(
            &c.reference,
            &DraftOptions {
                restraining_order: true,
                compensation: true,
                include_private_contacts: true,
                incidents: Some(vec![c.incidents[1]]),
                ..opts(DraftKind::PoliceReport)
            },
        )
        .unwrap();
    let text = chosen.document.plain_text();
    assert!(text.contains("straffeprosessloven § 222 a"));
    assert!(text.contains("forbehold om å kreve erstatning"));
    assert!(text.contains("§ 155"));
    assert!(text.contains("+47 900 11 222"), "chosen: private details");
    assert!(chosen.document.notices[0].contains("valgt å ta med"));
    assert!(!text.contains("21:14"), "only the chosen incident");
    assert_eq!(chosen.incident_ids, [c.incidents[1]]);
    assert!(chosen.evidence_ids.is_empty());

    // In English.
    let en = l
        .draft(
            &c.reference,
            &DraftOptions {
                lang: Lang::En,
                ..opts(DraftKind::PoliceReport)
            },
        )
        .unwrap();
    assert_eq!(en.document.title, "Police report");
    assert!(en.document.plain_text().contains("2026-11-20 at 21:14"));
}

#[test]
fn after_an_export_the_draft_names_the_bundle_and_its_fingerprint() {
    let tmp = tempfile::tempdir().unwrap();
    let mut l = init(&tmp.path().join("locker"));
    let c = case(&mut l, tmp.path());
    let done = l
        .export_bundle(
            &c.reference,
            &police(),
            &tmp.path().join("b.zip"),
            &TestRenderer,
            &mut |_| {},
        )
        .unwrap();
    let d = l
        .draft(&c.reference, &opts(DraftKind::PoliceReport))
        .unwrap();
    let evidence = section(&d.document, "Bevis");
    assert!(evidence.contains("b.zip"), "{evidence}");
    assert!(evidence.contains(&done.sha256sums));
    assert!(evidence.contains(&done.signing_key_fingerprint));
    // An incident outside that bundle: back to the list of hashes.
    let third = l
        .add_incident(
            &c.reference,
            NewIncident {
                at: "2026-11-24 12:00".into(),
                place: "Telefon".into(),
                channel: Some(Channel::PhoneCall),
                description: "Ringte".into(),
                ..Default::default()
            },
        )
        .unwrap()
        .id;
    let d = l
        .draft(&c.reference, &opts(DraftKind::PoliceReport))
        .unwrap();
    assert!(!section(&d.document, "Bevis").contains("b.zip"));
    assert!(d.incident_ids.contains(&third));
}

#[test]
fn the_concern_report_goes_to_the_home_municipality_and_says_it_is_one_way() {
    let tmp = tempfile::tempdir().unwrap();
    let mut l = init(&tmp.path().join("locker"));
    let c = case(&mut l, tmp.path());

    // Only for a threat actor of the case.
    let employee = DraftOptions {
        person_id: Some(c.employee),
        ..opts(DraftKind::ConcernReport)
    };
    assert!(matches!(
        l.draft(&c.reference, &employee),
        Err(Error::Invalid(varde_core::Invalid::NotAThreatActor { .. }))
    ));
    assert!(
        l.draft(&c.reference, &opts(DraftKind::ConcernReport))
            .is_err()
    );

    let concern = DraftOptions {
        person_id: Some(c.actor),
        ..opts(DraftKind::ConcernReport)
    };
    let d = l.draft(&c.reference, &concern).unwrap();
    let doc = &d.document;
    assert_eq!(doc.title, "Bekymringsmelding");
    assert_eq!(d.to, "Kommuneoverlegen i Bærum, eller personens fastlege");
    let about = &doc.notices[0];
    for s in [
        "kan sende",
        "må ikke",
        "én vei",
        "taushetsplikt",
        "journal",
        "lese",
    ] {
        assert!(about.contains(s), "{s} in {about}");
    }
    let text = doc.plain_text();
    assert!(text.contains("«Jeg vet hvor du bor 🔥»"));
    assert!(text.contains("«Skriver om stemmer som forfølger ham.»"));
    assert!(!text.contains("Per Kollega"), "witnesses stay out");
    assert!(!text.contains("Kari Nordmann"), "the employee stays out");
    assert!(section(doc, "Politiet").contains("ikke kontaktet"));
    assert_eq!(d.person_ids, [c.actor]);

    // Once the police report is sent, the concern report says so, with the case number.
    l.mark_draft_sent(
        &c.reference,
        &DraftSent {
            options: opts(DraftKind::PoliceReport),
            recipient: "Oslo politidistrikt".into(),
            legal_basis_key: Some("legitimate_interest_legal_claims".into()),
            legal_basis_text: None,
            consent_id: None,
            employee_informed: EmployeeInformed::Yes,
            at: Some("2026-11-24 14:30".into()),
            reference: Some("26-123456".into()),
            note: String::new(),
        },
    )
    .unwrap();
    let d = l.draft(&c.reference, &concern).unwrap();
    let police = section(&d.document, "Politiet");
    assert!(police.contains("24.11.2026 kl. 14:30"), "{police}");
    assert!(police.contains("saksnummer 26-123456"));
}

#[test]
fn marking_a_draft_sent_records_the_ledger_entry_and_the_prompt_together() {
    let tmp = tempfile::tempdir().unwrap();
    let mut l = init(&tmp.path().join("locker"));
    let c = case(&mut l, tmp.path());
    let sent = DraftSent {
        options: opts(DraftKind::PoliceReport),
        recipient: "Oslo politidistrikt".into(),
        legal_basis_key: Some("legitimate_interest_legal_claims".into()),
        legal_basis_text: None,
        consent_id: None,
        employee_informed: EmployeeInformed::NotYet,
        at: None,
        reference: Some("26-123456".into()),
        note: String::new(),
    };

    // The second write fails: neither the ledger entry nor any action is kept.
    let events = l.audit_log(None).unwrap().len();
    l.raw_connection()
        .execute_batch(
            "CREATE TEMP TRIGGER fail_action BEFORE INSERT ON escalation_actions
             BEGIN SELECT RAISE(ABORT, 'the second write fails on purpose'); END;",
        )
        .unwrap();
    assert!(l.mark_draft_sent(&c.reference, &sent).is_err());
    assert!(l.disclosures(&c.reference).unwrap().is_empty());
    assert!(l.escalation_history(&c.reference).unwrap().is_empty());
    assert_eq!(l.audit_log(None).unwrap().len(), events);
    l.raw_connection()
        .execute_batch("DROP TRIGGER fail_action;")
        .unwrap();

    // Now both, as one.
    let r = l.mark_draft_sent(&c.reference, &sent).unwrap();
    assert_eq!(r.disclosure.recipient, "Oslo politidistrikt");
    assert_eq!(r.disclosure.incident_ids, c.incidents);
    assert_eq!(
        r.disclosure.shared,
        "Anmeldelse: 2 hendelser, 1 original med SHA-256"
    );
    assert_eq!(
        r.answered,
        ["police_report", "police_report_health_details"]
    );
    let prompts = l.prompts(&c.reference).unwrap();
    for key in ["police_report", "police_report_health_details"] {
        let p = prompts.iter().find(|p| p.key == key).unwrap();
        assert_eq!(p.state, PromptState::Done, "{key}");
        let a = p.last_action.as_ref().unwrap();
        assert_eq!(a.reference.as_deref(), Some("26-123456"));
        assert_eq!(a.with_whom.as_deref(), Some("Oslo politidistrikt"));
    }
    assert!(l.verify(&mut |_| {}).unwrap().ok());

    // A basis that must be described, without words: refused, nothing recorded.
    let concern = DraftSent {
        options: DraftOptions {
            person_id: Some(c.actor),
            ..opts(DraftKind::ConcernReport)
        },
        recipient: "Kommuneoverlegen i Bærum".into(),
        legal_basis_key: Some("concern_report".into()),
        legal_basis_text: None,
        ..sent.clone()
    };
    assert!(l.mark_draft_sent(&c.reference, &concern).is_err());
    assert_eq!(l.disclosures(&c.reference).unwrap().len(), 1);
}

struct Bytes;

impl DraftRenderer for Bytes {
    fn pdf(&self, doc: &Document) -> varde_core::Result<Vec<u8>> {
        Ok(format!("%PDF-1.7 {}", doc.title).into_bytes())
    }
    fn docx(&self, doc: &Document) -> varde_core::Result<Vec<u8>> {
        let quotes = doc
            .sections
            .iter()
            .flat_map(|s| &s.blocks)
            .filter(|b| matches!(b, Block::Quote { .. }))
            .count();
        Ok(format!("PK docx {quotes}").into_bytes())
    }
}

#[test]
fn a_saved_draft_is_two_new_files_and_an_audit_event() {
    let tmp = tempfile::tempdir().unwrap();
    let mut l = init(&tmp.path().join("locker"));
    let c = case(&mut l, tmp.path());
    let out = tmp.path().join("out");
    std::fs::create_dir(&out).unwrap();

    let (d, saved) = l
        .save_draft(&c.reference, &opts(DraftKind::PoliceReport), &out, &Bytes)
        .unwrap();
    assert_eq!(
        saved.pdf.file_name().unwrap().to_str().unwrap(),
        format!("{}_anmeldelse_2026-11-25.pdf", c.reference)
    );
    assert!(std::fs::read(&saved.pdf).unwrap().starts_with(b"%PDF"));
    assert!(std::fs::read(&saved.docx).unwrap().starts_with(b"PK"));
    let last = l.audit_log(None).unwrap().pop().unwrap();
    assert_eq!(last.action, "document.draft");
    assert_eq!(last.details["kind"], "police_report");
    assert_eq!(last.details["person_ids"], serde_json::json!(d.person_ids));

    // A second save to the same place is refused and changes nothing.
    let events = l.audit_log(None).unwrap().len();
    let again = l.save_draft(&c.reference, &opts(DraftKind::PoliceReport), &out, &Bytes);
    assert!(matches!(
        again,
        Err(Error::Invalid(varde_core::Invalid::OutputExists { .. }))
    ));
    assert_eq!(l.audit_log(None).unwrap().len(), events);
    assert_eq!(std::fs::read_dir(&out).unwrap().count(), 2);
}
