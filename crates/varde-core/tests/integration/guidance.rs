//! A whole guidance story on a temporary locker: a case with a threatened employee and a
//! threat actor, incidents that raise prompts, the officer acting on them, the checklist,
//! local contacts, the disclosure ledger and a police request — and the locker still
//! verifies afterwards.

use std::path::Path;

use chrono::DateTime;
use varde_core::guidance::disclosure::{ledger_csv, ledger_json};
use varde_core::guidance::{
    ActionKind, ChecklistState, ContactKind, EmployeeInformed, Lang, NewContact, NewDisclosure,
    NewInfoRequest, PromptAct, PromptState, RecipientKind, Trigger, Urgency,
};
use varde_core::model::{Channel, Perception, PersonKind};
use varde_core::{Locker, NewIncident, NewPerson};

const PASS: &str = "long passphrase blue kettle";

fn clock(t: &str) -> Box<varde_core::FixedClock> {
    super::fixture::clock_at(t)
}

fn init(dir: &Path) -> Locker {
    super::fixture::TestLocker {
        owner: "Siri Sikkerhet",
        passphrase: PASS,
        at: "2026-03-10T12:00:00+01:00",
        ..Default::default()
    }
    .init(dir)
}

fn incident(
    l: &mut Locker,
    case: &str,
    at: &str,
    actor: Option<i64>,
    perceived: Vec<Perception>,
    wording: &str,
) -> i64 {
    l.add_incident(
        case,
        NewIncident {
            at: at.into(),
            place: "e-post til jobbadressen".into(),
            channel: Some(Channel::Email),
            description: "E-post fra ukjent avsender".into(),
            wording: Some(wording.into()),
            perceived,
            actor_id: actor,
            ..Default::default()
        },
    )
    .unwrap()
    .id
}

fn open_keys(l: &Locker, case: &str) -> Vec<String> {
    l.open_prompts(case)
        .unwrap()
        .into_iter()
        .map(|p| p.key)
        .collect()
}

#[test]
fn a_threat_case_from_first_message_to_police_request() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("locker");
    let mut l = init(&dir);
    let case = l
        .create_case("Trusler mot saksbehandler", "")
        .unwrap()
        .reference;

    // An empty case: only the checklist link about public appearances.
    assert_eq!(open_keys(&l, &case), ["public_appearance_notify"]);

    let kari = l
        .add_person(
            &case,
            NewPerson {
                kind: Some(PersonKind::Employee),
                name: Some("Kari Nordmann".into()),
                ..Default::default()
            },
        )
        .unwrap()
        .id;
    let actor = l
        .add_person(
            &case,
            NewPerson {
                kind: Some(PersonKind::ThreatActor),
                name: None,
                aliases: vec!["anonym@example.org".into()],
                ..Default::default()
            },
        )
        .unwrap()
        .id;

    // One mild message: no report prompt, only the non-emergency number.
    let first = incident(
        &mut l,
        &case,
        "2026-03-02 09:00",
        Some(actor),
        vec![],
        "Hei",
    );
    assert_eq!(
        open_keys(&l, &case),
        ["police_non_emergency_02800", "public_appearance_notify"]
    );

    // A second message from the same actor: persistent, so report it.
    let second = incident(
        &mut l,
        &case,
        "2026-03-03 09:00",
        Some(actor),
        vec![],
        "Igjen",
    );
    let prompts = l.open_prompts(&case).unwrap();
    let report = prompts.iter().find(|p| p.key == "police_report").unwrap();
    assert_eq!(report.incident_ids(), [first, second]);
    assert!(report.triggers.iter().all(|t| matches!(
        t,
        Trigger::Persistent {
            incidents_from_actor: 2,
            ..
        }
    )));
    assert_eq!(report.phone.as_deref(), Some("02800"));
    assert!(report.body.nb.contains("fornærmet"));
    assert_eq!(report.source.doc, "veileder");

    // The officer reports it: the prompt goes quiet.
    let done = l
        .act_on_prompt(
            &case,
            "police_report",
            PromptAct {
                with_whom: Some("Asker politistasjon".into()),
                reference: Some("15234567".into()),
                at: Some("2026-03-09 14:00".into()),
                ..PromptAct::new(ActionKind::Done)
            },
        )
        .unwrap();
    assert_eq!(done.acted_at, "2026-03-09T13:00:00Z");
    assert_eq!(done.acted_by, "Siri Sikkerhet");
    assert!(!open_keys(&l, &case).contains(&"police_report".to_string()));
    let all = l.prompts(&case).unwrap();
    let quiet = all.iter().find(|p| p.key == "police_report").unwrap();
    assert_eq!(quiet.state, PromptState::Done);
    assert_eq!(
        quiet.last_action.as_ref().unwrap().reference.as_deref(),
        Some("15234567")
    );

    // Declining needs a reason; 02800 is declined as not needed now.
    assert!(
        l.act_on_prompt(
            &case,
            "police_non_emergency_02800",
            PromptAct::new(ActionKind::Declined)
        )
        .is_err()
    );
    l.act_on_prompt(
        &case,
        "police_non_emergency_02800",
        PromptAct {
            reason: Some("Anmeldt allerede".into()),
            ..PromptAct::new(ActionKind::Declined)
        },
    )
    .unwrap();
    assert!(
        l.act_on_prompt(&case, "no_such_rule", PromptAct::new(ActionKind::Done))
            .is_err()
    );

    // A new, threatening message arrives after the action: the report prompt returns.
    let third = incident(
        &mut l,
        &case,
        "2026-03-10 08:00",
        Some(actor),
        vec![Perception::Threatening],
        "Jeg vet hvor du bor",
    );
    let report = l
        .open_prompts(&case)
        .unwrap()
        .into_iter()
        .find(|p| p.key == "police_report")
        .unwrap();
    assert!(report.incident_ids().contains(&third));
    assert!(!open_keys(&l, &case).contains(&"police_non_emergency_02800".to_string()));

    // The checklist: the public-appearance item settled for Kari closes its prompt.
    let entry = l
        .set_checklist_item(
            &case,
            None,
            "employee.notify_before_public_appearance",
            ChecklistState::Done,
            Some("Avtalt i møte"),
        )
        .unwrap();
    assert_eq!(entry.person_id, Some(kari));
    l.set_checklist_item(
        &case,
        None,
        "employer.safe_work",
        ChecklistState::NotRelevant,
        None,
    )
    .unwrap();
    assert!(!open_keys(&l, &case).contains(&"public_appearance_notify".to_string()));
    let list = l.checklist(&case).unwrap();
    assert_eq!((list.progress.done, list.progress.not_relevant), (1, 1));
    assert_eq!(list.progress.total, list.entries.len());

    // An ongoing emergency goes above everything.
    let emergency = l
        .add_incident(
            &case,
            NewIncident {
                at: "2026-03-10 11:55".into(),
                place: "resepsjonen".into(),
                channel: Some(Channel::InPerson),
                description: "Personen står i resepsjonen og truer".into(),
                ongoing_emergency: true,
                actor_id: Some(actor),
                ..Default::default()
            },
        )
        .unwrap()
        .id;
    let prompts = l.open_prompts(&case).unwrap();
    assert_eq!(prompts[0].key, "emergency_112");
    assert_eq!(prompts[0].incident_ids(), [emergency]);

    let log: Vec<String> = l
        .audit_log(Some(&format!("case:{case}")))
        .unwrap()
        .into_iter()
        .map(|e| e.action)
        .collect();
    assert_eq!(
        log.iter().filter(|a| *a == "escalation.act").count(),
        2,
        "{log:?}"
    );
    assert_eq!(log.iter().filter(|a| *a == "checklist.set").count(), 2);

    // The ledger: what went to the police.
    let d = l
        .record_disclosure(
            &case,
            NewDisclosure {
                recipient: "Asker politistasjon".into(),
                recipient_kind: RecipientKind::Police,
                shared: "Anmeldelse med hendelseslogg".into(),
                incident_ids: vec![first, second],
                evidence_ids: vec![],
                person_ids: vec![],
                legal_basis_key: Some("legitimate_interest_legal_claims".into()),
                legal_basis_text: None,
                consent_id: None,
                employee_informed: EmployeeInformed::Yes,
                when: None,
                by: None,
            },
        )
        .unwrap();
    assert_eq!(d.recorded_by, "Siri Sikkerhet");
    let ledger = l.disclosures(&case).unwrap();
    assert_eq!(ledger.len(), 1);
    assert!(ledger_csv(&ledger, Lang::Nb).contains("Asker politistasjon"));
    assert!(
        ledger_json(&ledger)
            .unwrap()
            .contains("\"recipient_kind\": \"police\"")
    );

    // A request for information from the police, recorded with its document.
    let r = l
        .new_info_request(
            &case,
            NewInfoRequest {
                person_id: Some(actor),
                subject_name: Some("Ukjent avsender (anonym@example.org)".into()),
                subject_id_number: None,
                requester_name: None,
                requester_position: "Sikkerhetssjef".into(),
                requester_department: "Sikkerhet".into(),
                contact: "22 00 00 00".into(),
                purpose: "Vurdere tiltak for å beskytte en ansatt.".into(),
                legal_basis: "politiregisterloven_27_1".into(),
                conditions: "Han har skrevet at han kommer til kontoret i morgen.".into(),
                register: "Politiets straffesaksregister".into(),
                period_from: "2026-01-01".into(),
                period_to: None,
                urgency: Urgency::Urgent,
                needed_by: None,
                lang: Lang::Nb,
            },
        )
        .unwrap();
    assert_eq!(r.requester_name, "Siri Sikkerhet");
    assert!(r.document.contains("Politiregisterloven § 27 første ledd"));
    assert!(r.document.contains("Haster"));
    assert!(
        r.document.contains("politiregisterloven § 48"),
        "the police may tell the person"
    );
    // The company need not know the register: the police decide.
    let unknown = l
        .new_info_request(
            &case,
            NewInfoRequest {
                person_id: Some(actor),
                subject_name: Some("Ukjent avsender".into()),
                subject_id_number: None,
                requester_name: None,
                requester_position: "Sikkerhetssjef".into(),
                requester_department: "Sikkerhet".into(),
                contact: "22 00 00 00".into(),
                purpose: "Vurdere tiltak for å beskytte en ansatt.".into(),
                legal_basis: "politiregisterloven_27_1".into(),
                conditions: "Han har skrevet at han kommer til kontoret i morgen.".into(),
                register: "  ".into(),
                period_from: "2026-01-01".into(),
                period_to: None,
                urgency: Urgency::Normal,
                needed_by: None,
                lang: Lang::Nb,
            },
        )
        .unwrap();
    assert_eq!(unknown.register, "ukjent – politiet vurderer");
    assert!(unknown.document.contains("ukjent – politiet vurderer"));

    // Everything still verifies, and survives closing and reopening.
    assert!(l.verify(&mut |_| {}).unwrap().ok());
    drop(l);
    let l = Locker::open(&dir, PASS, clock("2026-03-10T12:30:00+01:00")).unwrap();
    assert_eq!(l.info_requests(&case).unwrap(), [r, unknown]);
    assert_eq!(l.disclosures(&case).unwrap(), ledger);
    assert_eq!(l.escalation_history(&case).unwrap().len(), 2);
}

#[test]
fn health_concern_story_with_local_contacts_and_deferral() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("locker");
    let mut l = init(&dir);
    let case = l.create_case("Bekymring", "").unwrap().reference;
    let actor = l
        .add_person(
            &case,
            NewPerson {
                kind: Some(PersonKind::ThreatActor),
                name: Some("Per Person".into()),
                health_concern: Some("Skriver om stemmer som gir ordre".into()),
                ..Default::default()
            },
        )
        .unwrap()
        .id;

    // The municipality is unknown: Varde asks for it, and still offers the concern report.
    let keys = open_keys(&l, &case);
    assert!(keys.contains(&"health_concern_municipality_missing".to_string()));
    assert!(keys.contains(&"health_concern_report".to_string()));

    // Deferred to a day: quiet until that day.
    l.act_on_prompt(
        &case,
        "health_concern_municipality_missing",
        PromptAct {
            until: Some("2026-03-12".into()),
            ..PromptAct::new(ActionKind::Deferred)
        },
    )
    .unwrap();
    assert!(!open_keys(&l, &case).contains(&"health_concern_municipality_missing".to_string()));
    drop(l);
    let mut l = Locker::open(&dir, PASS, clock("2026-03-12T08:00:00+01:00")).unwrap();
    assert!(open_keys(&l, &case).contains(&"health_concern_municipality_missing".to_string()));

    // The officer adds the municipal doctor for Bærum; a second actor in Bærum gets it.
    let doctor = l
        .add_contact(NewContact {
            name: "Kommuneoverlegen i Bærum".into(),
            kind: ContactKind::Health,
            phone: "67 00 00 00".into(),
            email: String::new(),
            municipalities: vec!["Bærum".into()],
            note: String::new(),
        })
        .unwrap();
    let second = l
        .add_person(
            &case,
            NewPerson {
                kind: Some(PersonKind::ThreatActor),
                name: Some("Annen Person".into()),
                home_municipality: Some("Bærum".into()),
                health_concern: Some("Forvirret".into()),
                ..Default::default()
            },
        )
        .unwrap()
        .id;
    let report = l
        .open_prompts(&case)
        .unwrap()
        .into_iter()
        .find(|p| p.key == "health_concern_report")
        .unwrap();
    let baerum = report
        .details
        .actors
        .iter()
        .find(|a| a.person_id == second)
        .unwrap();
    let names: Vec<&str> = baerum.contacts.iter().map(|c| c.name.nb.as_str()).collect();
    assert!(names.contains(&"Kommuneoverlegen i Bærum"), "{names:?}");
    assert!(names.contains(&"Legevakten i Asker og Bærum"), "{names:?}");
    assert_eq!(baerum.contacts.last().unwrap().id, doctor.id);

    // Threats from the first actor: the report must carry the health details, gathered.
    let threat = incident(
        &mut l,
        &case,
        "2026-03-11 22:00",
        Some(actor),
        vec![Perception::Frightening],
        "Stemmene sier at du må stoppes",
    );
    let details = l
        .open_prompts(&case)
        .unwrap()
        .into_iter()
        .find(|p| p.key == "police_report_health_details")
        .unwrap();
    assert_eq!(details.incident_ids(), [threat]);
    assert_eq!(
        details.details.statements[0].wording.as_deref(),
        Some("Stemmene sier at du må stoppes")
    );
    assert_eq!(
        details.details.actors[0].observations,
        "Skriver om stemmer som gir ordre"
    );
    assert!(details.details.health_services_notified.is_empty());

    // Once the concern report is recorded as sent, the police-report prompt says so.
    l.act_on_prompt(
        &case,
        "health_concern_report",
        PromptAct {
            with_whom: Some("Kommuneoverlegen i Bærum".into()),
            ..PromptAct::new(ActionKind::Done)
        },
    )
    .unwrap();
    let details = l
        .prompts(&case)
        .unwrap()
        .into_iter()
        .find(|p| p.key == "police_report_health_details")
        .unwrap();
    assert_eq!(
        details.details.health_services_notified[0].to.as_deref(),
        Some("Kommuneoverlegen i Bærum")
    );
    assert!(l.verify(&mut |_| {}).unwrap().ok());
}

#[test]
fn an_organisation_s_own_checklist_items_and_contacts_appear() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("locker");
    let mut l = init(&dir);
    std::fs::create_dir_all(dir.join("guidance")).unwrap();
    std::fs::write(
        dir.join("guidance").join("rutiner.toml"),
        r#"format_version = 1

[[item]]
key = "org.employer.inform_reception"
audience = "employer"
order = 500
title.nb = "Orienter resepsjonen"
title.en = "Brief the reception"
why.nb = "Resepsjonen møter besøkende først."
why.en = "The reception meets visitors first."
source = { doc = "veileder", ref = "Merk" }

[[contact]]
key = "org.contact.security_desk"
name.nb = "Vaktsentralen"
name.en = "Security desk"
phone = "22 11 22 11"
municipalities = []
kind = "security"
note.nb = "Døgnbemannet."
note.en = "Staffed around the clock."
source = { doc = "veileder", ref = "Merk" }
"#,
    )
    .unwrap();
    let case = l.create_case("Sak", "").unwrap().reference;
    let list = l.checklist(&case).unwrap();
    assert_eq!(
        list.entries.last().unwrap().item.key,
        "org.employer.inform_reception"
    );
    l.set_checklist_item(
        &case,
        None,
        "org.employer.inform_reception",
        ChecklistState::Done,
        None,
    )
    .unwrap();
    assert!(
        l.contacts()
            .unwrap()
            .iter()
            .any(|c| c.key.as_deref() == Some("org.contact.security_desk"))
    );

    // A file that tries to replace a shipped key is refused with a clear message.
    std::fs::write(
        dir.join("guidance").join("feil.toml"),
        "format_version = 1\n[[contact]]\nkey = \"police_emergency_112\"\nname = {nb = \"x\", en = \"x\"}\nphone = \"1\"\nmunicipalities = []\nkind = \"police\"\nnote = {nb = \"x\", en = \"x\"}\nsource = {doc = \"lov\", ref = \"x\"}\n",
    )
    .unwrap();
    let err = l.checklist(&case).unwrap_err().to_string();
    assert!(err.contains("feil.toml") && err.contains("org."), "{err}");
}

fn consent_disclosure(consent: Option<i64>, when: &str) -> NewDisclosure {
    NewDisclosure {
        recipient: "Advokatfirmaet Lund".into(),
        recipient_kind: RecipientKind::Lawyer,
        shared: "Loggen over hendelsene".into(),
        incident_ids: vec![],
        evidence_ids: vec![],
        person_ids: vec![],
        legal_basis_key: Some("consent".into()),
        legal_basis_text: None,
        consent_id: consent,
        employee_informed: EmployeeInformed::Yes,
        when: Some(when.into()),
        by: None,
    }
}

#[test]
fn a_disclosure_on_consent_names_the_consent_and_a_withdrawal_stops_further_ones() {
    use varde_core::guidance::NewConsent;
    use varde_core::{Error, Invalid};
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("locker");
    let mut l = init(&dir);
    let case = l.create_case("Trusler", "").unwrap().reference;
    let kari = l
        .add_person(
            &case,
            NewPerson {
                kind: Some(PersonKind::Employee),
                name: Some("Kari Nordmann".into()),
                ..Default::default()
            },
        )
        .unwrap()
        .id;
    let refused = |e: Error| match e {
        Error::Invalid(i) => i,
        other => panic!("not a refusal: {other:?}"),
    };

    // (1) In officer mode, the basis «consent» needs the consent on record.
    let e = l
        .record_disclosure(&case, consent_disclosure(None, "2026-03-10 09:00"))
        .unwrap_err();
    assert_eq!(refused(e), Invalid::ConsentRequired);

    let consent = l
        .record_consent(
            &case,
            NewConsent {
                person_id: kari,
                scope: "Loggen over hendelsene og skjermbildene".into(),
                recipient: "Advokatfirmaet Lund".into(),
                given_at: Some("2026-03-09 14:00".into()),
                how: "Skriftlig, e-post til sikkerhetssjefen".into(),
            },
        )
        .unwrap();
    assert_eq!(consent.given_at, "2026-03-09T13:00:00+00:00");
    assert!(consent.withdrawn.is_none());

    // (2) Before the consent was given: refused.
    let e = l
        .record_disclosure(
            &case,
            consent_disclosure(Some(consent.id), "2026-03-09 13:00"),
        )
        .unwrap_err();
    assert!(matches!(refused(e), Invalid::ConsentNotYetGiven { .. }));

    // (3) After: recorded, naming the consent, and the person who consented is among
    // those whose information left.
    let d = l
        .record_disclosure(
            &case,
            consent_disclosure(Some(consent.id), "2026-03-10 09:00"),
        )
        .unwrap();
    assert_eq!(d.consent_id, Some(consent.id));
    assert_eq!(d.person_ids, Some(vec![kari]));
    assert_eq!(l.consent(consent.id).unwrap().disclosure_ids, [d.id]);

    // (4) Withdrawn at 10:00: a disclosure at 11:00 is refused and says so; one dated
    // 09:30 (shared before the withdrawal, recorded late) is still accepted.
    let w = l
        .withdraw_consent(
            consent.id,
            Some("2026-03-10 10:00"),
            "Muntlig i møte med Siri",
        )
        .unwrap();
    let withdrawn = w.withdrawn.clone().unwrap();
    assert_eq!(withdrawn.at, "2026-03-10T09:00:00+00:00");
    let e = l
        .record_disclosure(
            &case,
            consent_disclosure(Some(consent.id), "2026-03-10 11:00"),
        )
        .unwrap_err();
    assert!(e.to_string().contains("withdrawn"), "{e}");
    assert_eq!(
        refused(e),
        Invalid::ConsentWithdrawn {
            item: varde_core::Item::new(varde_core::ItemKind::Consent, consent.id),
            withdrawn_at: withdrawn.at.clone(),
        }
    );
    let late = l
        .record_disclosure(
            &case,
            consent_disclosure(Some(consent.id), "2026-03-10 09:30"),
        )
        .unwrap();
    // Nor can the same consent be withdrawn twice.
    let e = l.withdraw_consent(consent.id, None, "Igjen").unwrap_err();
    assert!(matches!(
        refused(e),
        Invalid::ConsentAlreadyWithdrawn { .. }
    ));

    // What was shared before stays in the ledger.
    let after = l.consent(consent.id).unwrap();
    assert_eq!(after.disclosure_ids, [d.id, late.id]);
    assert_eq!(l.disclosures(&case).unwrap().len(), 2);

    // The records are append-only, and the audit log names each step.
    for sql in [
        "UPDATE consents SET scope = 'alt'",
        "DELETE FROM consent_withdrawals",
    ] {
        assert!(
            l.raw_connection().execute(sql, []).is_err(),
            "{sql} was allowed"
        );
    }
    let actions: Vec<String> = l
        .audit_log(None)
        .unwrap()
        .into_iter()
        .map(|e| e.action)
        .filter(|a| a.starts_with("consent."))
        .collect();
    assert_eq!(actions, ["consent.add", "consent.withdraw"]);
    assert!(l.verify(&mut |_| {}).unwrap().ok());
}

#[test]
fn repeated_contact_from_one_sender_is_persistent_and_can_become_an_unknown_actor() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("locker");
    let mut l = init(&dir);
    let case = l.create_case("Ukjent nummer", "").unwrap().reference;
    let sms = |at: &str, sender: &str| NewIncident {
        at: at.into(),
        place: "mobilen".into(),
        channel: Some(Channel::Sms),
        sender: Some(sender.into()),
        description: "SMS fra ukjent nummer".into(),
        ..Default::default()
    };
    let first = l
        .add_incident(&case, sms("2026-03-01 10:00", "+47 912 34 567"))
        .unwrap();
    // One message, nothing perceived: no report prompt yet.
    assert!(!open_keys(&l, &case).contains(&"police_report".to_string()));
    let other = l
        .add_incident(&case, sms("2026-03-02 10:00", "+47 400 00 000"))
        .unwrap();
    assert!(!open_keys(&l, &case).contains(&"police_report".to_string()));
    // The same number typed another way: persistent.
    let second = l
        .add_incident(&case, sms("2026-03-03 10:00", "912 34 567"))
        .unwrap();
    let prompt = l
        .open_prompts(&case)
        .unwrap()
        .into_iter()
        .find(|p| p.key == "police_report")
        .expect("the report prompt is raised by the repeated sender");
    assert_eq!(
        prompt.triggers,
        [
            Trigger::PersistentSender {
                incident: first.id,
                sender: "+47 912 34 567".into(),
                incidents_from_sender: 2,
            },
            Trigger::PersistentSender {
                incident: second.id,
                sender: "+47 912 34 567".into(),
                incidents_from_sender: 2,
            },
        ]
    );

    // The suggestion: one sender, two incidents without a threat actor.
    let groups = l.unlinked_senders(&case).unwrap();
    assert_eq!(groups.len(), 1);
    assert_eq!(groups[0].unlinked_ids, [first.id, second.id]);

    let actor = l
        .link_sender_to_unknown_actor(&case, "91234567", None)
        .unwrap();
    assert_eq!(actor.kind, PersonKind::ThreatActor);
    assert!(!actor.known);
    assert_eq!(actor.aliases, ["91234567"]);
    for id in [first.id, second.id] {
        let i = l.incident(id).unwrap();
        assert_eq!(i.actor_id, Some(actor.id));
        assert_eq!(i.version, 2);
        assert_eq!(l.incident_versions(id).unwrap()[0].incident.actor_id, None);
    }
    assert_eq!(l.incident(other.id).unwrap().actor_id, None);
    assert!(l.unlinked_senders(&case).unwrap().is_empty());
    // Now persistent through the actor, as before.
    let prompt = l
        .open_prompts(&case)
        .unwrap()
        .into_iter()
        .find(|p| p.key == "police_report")
        .unwrap();
    assert!(
        prompt
            .triggers
            .iter()
            .all(|t| matches!(t, Trigger::Persistent { actor: a, .. } if *a == actor.id))
    );
    // Asking again finds nothing left to link.
    let e = l
        .link_sender_to_unknown_actor(&case, "+4791234567", None)
        .unwrap_err();
    assert!(e.to_string().contains("no incident from the sender"), "{e}");
    assert!(l.verify(&mut |_| {}).unwrap().ok());
}

/// A clock a test moves forward while the locker is open.
struct MovingClock(std::sync::Arc<std::sync::Mutex<DateTime<chrono::FixedOffset>>>);

impl varde_core::Clock for MovingClock {
    fn now(&self) -> DateTime<chrono::FixedOffset> {
        *self.0.lock().unwrap()
    }
}

#[test]
fn kept_prompts_follow_a_write_the_date_and_the_guidance_files() {
    // Prompts and the case list are kept between calls until the locker changes
    // (memo.rs): each kind of change must show at once.
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("locker");
    drop(init(&dir));
    let now = std::sync::Arc::new(std::sync::Mutex::new(
        DateTime::parse_from_rfc3339("2026-03-10T12:00:00+01:00").unwrap(),
    ));
    let mut l = Locker::open(&dir, PASS, Box::new(MovingClock(now.clone()))).unwrap();
    let case = l.create_case("Bekymring", "").unwrap().reference;
    l.add_person(
        &case,
        NewPerson {
            kind: Some(PersonKind::ThreatActor),
            name: Some("Per Person".into()),
            home_municipality: Some("Asker".into()),
            health_concern: Some("Skriver om stemmer som gir ordre".into()),
            ..Default::default()
        },
    )
    .unwrap();
    let summary = |l: &Locker| {
        l.case_summaries(&Default::default())
            .unwrap()
            .into_iter()
            .find(|s| s.case.reference == case)
            .unwrap()
    };
    assert!(open_keys(&l, &case).contains(&"health_concern_report".to_string()));
    let before = summary(&l);
    assert!(!before.emergency);

    // A write: an ongoing emergency is the first prompt, in the case and in the list.
    l.add_incident(
        &case,
        NewIncident {
            at: "2026-03-10 11:50".into(),
            place: "Resepsjonen".into(),
            channel: Some(Channel::InPerson),
            description: "Står utenfor og roper".into(),
            ongoing_emergency: true,
            ..Default::default()
        },
    )
    .unwrap();
    assert_eq!(open_keys(&l, &case)[0], "emergency_112");
    let after = summary(&l);
    assert!(after.emergency);
    assert_eq!(after.incidents, before.incidents + 1);

    // The date: a prompt deferred to a day is open again on that day.
    l.act_on_prompt(
        &case,
        "health_concern_report",
        PromptAct {
            until: Some("2026-03-12".into()),
            ..PromptAct::new(ActionKind::Deferred)
        },
    )
    .unwrap();
    assert!(!open_keys(&l, &case).contains(&"health_concern_report".to_string()));
    let quiet = summary(&l).open_prompts;
    *now.lock().unwrap() = DateTime::parse_from_rfc3339("2026-03-12T08:00:00+01:00").unwrap();
    assert!(open_keys(&l, &case).contains(&"health_concern_report".to_string()));
    assert_eq!(summary(&l).open_prompts, quiet + 1);

    // The organisation's guidance files, edited outside the locker: a contact for Asker
    // appears in the concern report's details.
    let contacts = |l: &Locker| -> Vec<String> {
        l.prompts(&case)
            .unwrap()
            .into_iter()
            .find(|p| p.key == "health_concern_report")
            .unwrap()
            .details
            .actors[0]
            .contacts
            .iter()
            .filter_map(|c| c.key.clone())
            .collect()
    };
    assert!(!contacts(&l).contains(&"org.contact.asker_doctor".to_string()));
    std::fs::create_dir_all(dir.join("guidance")).unwrap();
    std::fs::write(
        dir.join("guidance").join("kontakter.toml"),
        r#"format_version = 1

[[contact]]
key = "org.contact.asker_doctor"
name.nb = "Kommuneoverlegen i Asker"
name.en = "Asker's municipal chief medical officer"
phone = "66 00 00 00"
municipalities = ["Asker"]
kind = "health"
note.nb = "Hverdager."
note.en = "Weekdays."
source = { doc = "veileder", ref = "Merk" }
"#,
    )
    .unwrap();
    assert!(contacts(&l).contains(&"org.contact.asker_doctor".to_string()));
}
