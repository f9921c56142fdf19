//! Deleting a case: no row and no blob of it stays, a blob another case shares stays, the
//! chain keeps verifying without the case's personal data, the receipt is signed, a legal
//! hold refuses, and a tampered erasure or a left-over blob is caught.

use std::collections::BTreeSet;
use std::path::PathBuf;

use ed25519_dalek::pkcs8::DecodePublicKey;
use ed25519_dalek::{Signature, Verifier, VerifyingKey};
use varde_core::guidance::{
    ActionKind, ChecklistState, EmployeeInformed, NewDisclosure, PromptAct, RecipientKind,
};
use varde_core::model::{Channel, PersonKind};
use varde_core::varde_read::samples;
use varde_core::{AddOptions, Error, IncidentPatch, Invalid, Locker, NewIncident, NewPerson};

use crate::locker::{new_locker, problems};

/// Words that only the deleted case holds: none may be left anywhere in the database.
const PRIVATE: &[&str] = &[
    "Ola Nordmann",
    "Kari Hansen",
    "Jeg vet hvor du bor",
    "trussel-skjermbilde.txt",
    "Storgata 1",
    "Avtalt i møte med Kari",
];

/// Case A, full of personal data and records of every kind; case B shares one original.
fn two_cases(l: &mut Locker) -> (String, String, String) {
    let a = l
        .create_case("Trusler mot Kari Hansen", "")
        .unwrap()
        .reference;
    let b = l.create_case("Annen sak", "").unwrap().reference;
    let kari = l
        .add_person(
            &a,
            NewPerson {
                kind: Some(PersonKind::Employee),
                name: Some("Kari Hansen".into()),
                ..Default::default()
            },
        )
        .unwrap();
    l.add_person(
        &a,
        NewPerson {
            kind: Some(PersonKind::ThreatActor),
            name: Some("Ola Nordmann".into()),
            aliases: vec!["+47 912 34 567".into()],
            ..Default::default()
        },
    )
    .unwrap();
    let inc = l
        .add_incident(
            &a,
            NewIncident {
                at: "2026-11-20 14:30".into(),
                place: "Storgata 1".into(),
                channel: Some(Channel::Sms),
                description: "SMS fra Ola Nordmann".into(),
                wording: Some("Jeg vet hvor du bor 🔪".into()),
                ..Default::default()
            },
        )
        .unwrap();
    l.edit_incident(
        inc.id,
        IncidentPatch {
            place: Some("Storgata 1, Oslo".into()),
            reason: Some("Riktig adresse".into()),
            ..Default::default()
        },
    )
    .unwrap();
    let files = tempfile::tempdir().unwrap();
    let mut paths: Vec<PathBuf> = Vec::new();
    for (name, bytes) in [
        ("trussel-skjermbilde.txt", b"only in case A".to_vec()),
        ("melding.eml", samples::eml()),
        ("delt.txt", b"shared by both cases".to_vec()),
    ] {
        let p = files.path().join(name);
        std::fs::write(&p, bytes).unwrap();
        paths.push(p);
    }
    l.add_evidence(inc.id, &paths, &AddOptions::default(), &mut |_| {})
        .unwrap();
    let other = l
        .add_incident(
            &b,
            NewIncident {
                at: "2026-11-21".into(),
                place: "E-post".into(),
                channel: Some(Channel::Email),
                description: "Samme vedlegg".into(),
                ..Default::default()
            },
        )
        .unwrap();
    l.add_evidence(
        other.id,
        &[paths[2].clone()],
        &AddOptions::default(),
        &mut |_| {},
    )
    .unwrap();
    l.set_checklist_item(
        &a,
        Some(kari.id),
        "employee.notify_before_public_appearance",
        ChecklistState::Done,
        Some("Avtalt i møte med Kari"),
    )
    .unwrap();
    l.act_on_prompt(
        &a,
        "police_report",
        PromptAct {
            with_whom: Some("Oslo politidistrikt".into()),
            reference: Some("12345678".into()),
            ..PromptAct::new(ActionKind::Done)
        },
    )
    .unwrap();
    l.record_disclosure(
        &a,
        NewDisclosure {
            recipient: "Kommunelegen".into(),
            recipient_kind: RecipientKind::Health,
            shared: "Bekymringsmelding om Ola Nordmann".into(),
            incident_ids: vec![inc.id],
            evidence_ids: vec![],
            person_ids: vec![],
            legal_basis_key: Some("concern_report".into()),
            legal_basis_text: Some("Vitale interesser".into()),
            consent_id: None,
            employee_informed: EmployeeInformed::Yes,
            when: None,
            by: None,
        },
    )
    .unwrap();
    let shared_sha = l.list_evidence(&b, None).unwrap()[0].sha256.clone();
    (a, b, shared_sha)
}

fn blob_files(dir: &std::path::Path) -> BTreeSet<String> {
    let mut out = BTreeSet::new();
    for shard in std::fs::read_dir(dir.join("blobs")).unwrap().flatten() {
        for f in std::fs::read_dir(shard.path()).unwrap().flatten() {
            out.insert(f.file_name().to_string_lossy().into_owned());
        }
    }
    out
}

/// Every text value in the database, for a search for what must be gone.
fn all_text(l: &Locker) -> String {
    let c = l.raw_connection();
    let tables: Vec<String> = c
        .prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'search_%'")
        .unwrap()
        .query_map([], |r| r.get(0))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap();
    let mut out = String::new();
    for t in tables {
        let mut stmt = c.prepare(&format!("SELECT * FROM \"{t}\"")).unwrap();
        let n = stmt.column_count();
        let mut rows = stmt.query([]).unwrap();
        while let Some(r) = rows.next().unwrap() {
            for i in 0..n {
                if let Ok(rusqlite::types::ValueRef::Text(s)) = r.get_ref(i) {
                    out.push_str(&String::from_utf8_lossy(s));
                    out.push('\n');
                }
            }
        }
    }
    out
}

#[test]
fn a_deleted_case_leaves_no_row_no_blob_and_no_personal_data_and_the_locker_verifies() {
    let dir = tempfile::tempdir().unwrap();
    let mut l = new_locker(dir.path());
    let (a, b, shared) = two_cases(&mut l);
    assert!(problems(&l).is_empty(), "{:?}", problems(&l));
    let before = all_text(&l);
    for word in PRIVATE {
        assert!(before.contains(word), "the test's case holds {word:?}");
    }
    let blobs_before = blob_files(dir.path());
    assert_eq!(blobs_before.len(), 3);
    let max_incident = l.list_incidents(&a).unwrap().iter().map(|i| i.id).max();

    let preview = l.deletion_preview(&a).unwrap();
    assert_eq!(preview.counts.incidents, 1);
    assert_eq!(preview.counts.persons, 2);
    assert_eq!(preview.counts.evidence, 3);
    assert_eq!(preview.counts.originals_removed, 2);
    assert_eq!(preview.counts.originals_kept, 1);
    assert_eq!(preview.counts.incident_versions, 1);
    assert_eq!(preview.counts.disclosures, 1);
    assert_eq!(preview.counts.prompt_actions, 1);
    assert_eq!(preview.counts.checklist_entries, 1);
    assert!(preview.counts.readings >= 1, "the e-mail was read");

    let signed = l.delete_case(&a, "Oppbevaringstiden er ute").unwrap();
    let r = &signed.receipt;
    assert_eq!(r.case_reference, a);
    assert_eq!(r.counts, preview.counts);
    assert_eq!(r.originals_removed.len(), 2);
    assert!(!r.originals_removed.contains(&shared));
    assert_eq!(r.deleted_by, "Officer");
    assert_eq!(r.reason, "Oppbevaringstiden er ute");

    // No row of it anywhere; the other case is whole.
    assert!(matches!(l.case(&a), Err(Error::NotFound { .. })));
    assert_eq!(l.list_evidence(&b, None).unwrap().len(), 1);
    let after = all_text(&l);
    for word in PRIVATE {
        assert!(!after.contains(word), "{word:?} is still in the locker");
    }
    for word in PRIVATE {
        assert!(!signed.json.contains(word), "{word:?} is in the receipt");
    }
    assert!(l.search("Nordmann").unwrap().is_empty());

    // Its blobs are gone from the disk; the shared one stays and reads back.
    let blobs_after = blob_files(dir.path());
    assert_eq!(blobs_after.len(), 1);
    assert!(blobs_after.is_subset(&blobs_before));
    assert!(problems(&l).is_empty(), "{:?}", problems(&l));

    // The erased events keep their hashes and name the deletion.
    let log = l.audit_log(None).unwrap();
    let deletion = log.iter().find(|e| e.action == "case.delete").unwrap();
    assert_eq!(deletion.seq, r.deletion_event.seq);
    assert_eq!(deletion.hash, r.deletion_event.hash);
    for e in &r.erased_events {
        let ev = &log[(e.seq - 1) as usize];
        assert_eq!(ev.hash, e.hash);
        assert_eq!(ev.details, serde_json::json!({"erased_by": deletion.seq}));
    }

    // The signature holds over the exact bytes, with the key as PEM.
    let key = VerifyingKey::from_public_key_pem(&signed.public_key_pem).unwrap();
    let sig = Signature::from_slice(&signed.signature_bytes()).unwrap();
    key.verify(signed.json.as_bytes(), &sig).unwrap();
    let mut forged = signed.json.clone().into_bytes();
    forged[10] ^= 1;
    assert!(key.verify(&forged, &sig).is_err());
    assert_eq!(l.deletion_receipt(&a).unwrap(), signed);

    // A new case and incident never reuse what the deleted one was called.
    let next = l.create_case("Ny sak", "").unwrap();
    assert_ne!(next.reference, a);
    assert_ne!(next.reference, b);
    let inc = l
        .add_incident(
            &next.reference,
            NewIncident {
                at: "2026-11-22".into(),
                place: "Kontoret".into(),
                channel: Some(Channel::InPerson),
                description: "Ny hendelse".into(),
                ..Default::default()
            },
        )
        .unwrap();
    assert!(Some(inc.id) > max_incident);
    assert!(problems(&l).is_empty(), "{:?}", problems(&l));

    // And after a reopen.
    drop(l);
    let l = Locker::open(dir.path(), crate::locker::PASS, crate::locker::clock()).unwrap();
    assert!(problems(&l).is_empty(), "{:?}", problems(&l));
}

#[test]
fn a_blob_that_should_have_gone_fails_verify() {
    let dir = tempfile::tempdir().unwrap();
    let mut l = new_locker(dir.path());
    let (a, _, _) = two_cases(&mut l);
    let before = blob_files(dir.path());
    let copies: Vec<(PathBuf, Vec<u8>)> = before
        .iter()
        .map(|f| {
            let p = dir.path().join("blobs").join(&f[..2]).join(f);
            let bytes = std::fs::read(&p).unwrap();
            (p, bytes)
        })
        .collect();
    l.delete_case(&a, "Ferdig").unwrap();
    // A removal that did not happen (a crash, a file system that refused).
    for (p, bytes) in &copies {
        if !p.exists() {
            std::fs::write(p, bytes).unwrap();
        }
    }
    let found = problems(&l);
    assert!(
        found
            .iter()
            .any(|p| p.starts_with("blobs/") && p.contains("2 stored original")),
        "{found:?}"
    );
    // At the next open, an original no record or journal accounts for is quarantined
    // (never deleted unasked), and still reported.
    drop(l);
    let l = Locker::open(dir.path(), crate::locker::PASS, crate::locker::clock()).unwrap();
    let found = problems(&l);
    assert!(
        found.iter().any(|p| p.starts_with("quarantine/")),
        "{found:?}"
    );
}

#[test]
fn a_legal_hold_refuses_deletion_and_changes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let mut l = new_locker(dir.path());
    let (a, _, _) = two_cases(&mut l);
    l.set_legal_hold(&a, true, "Politisak 12345678 er åpen")
        .unwrap();
    let events = l.audit_log(None).unwrap().len();
    let blobs = blob_files(dir.path());
    match l.delete_case(&a, "Ferdig") {
        Err(Error::Invalid(Invalid::OnLegalHold { case, reason, .. })) => {
            assert_eq!(case, a);
            assert_eq!(reason, "Politisak 12345678 er åpen");
        }
        other => panic!("{other:?}"),
    }
    assert_eq!(l.audit_log(None).unwrap().len(), events);
    assert_eq!(blob_files(dir.path()), blobs);
    assert_eq!(l.list_incidents(&a).unwrap().len(), 1);
    // A reason is required too.
    l.set_legal_hold(&a, false, "Saken er henlagt").unwrap();
    assert!(matches!(
        l.delete_case(&a, "  "),
        Err(Error::Invalid(Invalid::Required { .. }))
    ));
    l.delete_case(&a, "Ferdig").unwrap();
    assert!(problems(&l).is_empty(), "{:?}", problems(&l));
}

#[test]
fn a_forged_erasure_or_a_changed_deletion_event_fails_verify() {
    let dir = tempfile::tempdir().unwrap();
    let mut l = new_locker(dir.path());
    let (a, b, _) = two_cases(&mut l);
    let signed = l.delete_case(&a, "Ferdig").unwrap();
    let deletion = signed.receipt.deletion_event.seq;
    // An event of the other case, "erased" behind Varde's back and made to name the
    // deletion: the deletion does not name it, so it fails.
    let victim = l
        .audit_log(Some(&format!("case:{b}")))
        .unwrap()
        .first()
        .unwrap()
        .seq;
    let c = l.raw_connection();
    c.execute("INSERT INTO erasing (seq) VALUES (?1)", [victim])
        .unwrap();
    c.execute(
        "UPDATE audit_events SET details = ?1 WHERE seq = ?2",
        rusqlite::params![format!("{{\"erased_by\":{deletion}}}"), victim],
    )
    .unwrap();
    c.execute("DELETE FROM erasing", []).unwrap();
    let found = problems(&l);
    assert!(
        found
            .iter()
            .any(|p| p.starts_with(&format!("audit event {victim}:")) && p.contains("erased")),
        "{found:?}"
    );
    // Outside a deletion, the trigger refuses the same update.
    assert!(
        c.execute(
            "UPDATE audit_events SET details = '{}' WHERE seq = ?1",
            [victim + 1]
        )
        .is_err()
    );
}

#[test]
fn a_locker_of_the_previous_schema_migrates_and_deletes_a_case_that_verifies() {
    // A locker as schema 11 left it: the case and its events made, then the deletion
    // tables (12) and the redacted copies (13) taken away and the append-only triggers put
    // back as they were.
    let dir = tempfile::tempdir().unwrap();
    let mut l = new_locker(dir.path());
    let (a, _, _) = two_cases(&mut l);
    let mut triggers = String::new();
    for (table, message) in [
        ("escalation_actions", "escalation actions are append-only"),
        ("disclosures", "disclosure ledger entries are append-only"),
        ("disclosure_informed", "informed records are append-only"),
        ("info_requests", "police requests are kept as produced"),
        ("bundle_imports", "import records are append-only"),
        ("consents", "consent records are append-only"),
        ("consent_withdrawals", "consent withdrawals are append-only"),
    ] {
        triggers.push_str(&format!(
            "DROP TRIGGER {table}_no_delete; CREATE TRIGGER {table}_no_delete BEFORE DELETE ON {table} BEGIN SELECT RAISE(ABORT, '{message}'); END;\n"
        ));
    }
    l.raw_connection()
        .execute_batch(&format!(
            "DROP TABLE redactions; ALTER TABLE disclosures DROP COLUMN redaction_ids;
             DROP TABLE erasing; DROP TABLE deletion_receipts;
             DROP TRIGGER audit_events_no_update;
             CREATE TRIGGER audit_events_no_update BEFORE UPDATE ON audit_events
             BEGIN SELECT RAISE(ABORT, 'audit events are append-only'); END;
             {triggers}
             PRAGMA user_version = 11;"
        ))
        .unwrap();
    drop(l);
    let mut l = Locker::open(dir.path(), crate::locker::PASS, crate::locker::clock()).unwrap();
    let version: u32 = l
        .raw_connection()
        .pragma_query_value(None, "user_version", |r| r.get(0))
        .unwrap();
    assert_eq!(version, varde_core::SCHEMA_VERSION);
    assert!(problems(&l).is_empty(), "{:?}", problems(&l));
    l.delete_case(&a, "Ferdig").unwrap();
    assert!(problems(&l).is_empty(), "{:?}", problems(&l));
}
