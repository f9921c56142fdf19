//! The locker as a whole: tampering, crashes, locking, failed writes.

use std::io::Read;
use std::path::Path;

use varde_core::model::{Channel, Perception};
use varde_core::{AddOptions, Error, ErrorCode, Locker, NewIncident};

pub(crate) use super::fixture::{PASS, clock, new_locker};

/// A locker with one case, one incident and two evidence items.
pub(crate) fn populated(dir: &Path) -> (Locker, String, i64) {
    let mut l = new_locker(dir);
    let case = l.create_case("Trusler", "").unwrap();
    let inc = l
        .add_incident(
            &case.reference,
            NewIncident {
                at: "2026-11-20 14:30".into(),
                place: "SMS".into(),
                channel: Some(Channel::Sms),
                description: "Truende SMS".into(),
                perceived: vec![Perception::Threatening],
                ..Default::default()
            },
        )
        .unwrap();
    for (name, bytes) in [
        ("a.txt", b"first original".as_slice()),
        ("b.txt", b"second original".as_slice()),
    ] {
        l.add_evidence_from_reader(inc.id, name, &mut &bytes[..], &AddOptions::default())
            .unwrap();
    }
    (l, case.reference, inc.id)
}

pub(crate) fn problems(l: &Locker) -> Vec<String> {
    l.verify(&mut |_| {})
        .unwrap()
        .problems
        .into_iter()
        .map(|p| format!("{}: {}", p.item, p.message))
        .collect()
}

#[test]
fn a_clean_locker_verifies() {
    let dir = tempfile::tempdir().unwrap();
    let (l, _, _) = populated(dir.path());
    let r = l.verify(&mut |_| {}).unwrap();
    assert!(r.ok(), "{:?}", r.problems);
    assert_eq!((r.originals_checked, r.evidence_checked), (2, 2));
    assert_eq!(r.audit_events_checked, 5);
}

#[test]
fn an_edited_audit_event_is_named() {
    let dir = tempfile::tempdir().unwrap();
    let (l, _, _) = populated(dir.path());
    let db = l.raw_connection();
    db.execute_batch("DROP TRIGGER audit_events_no_update")
        .unwrap();
    db.execute(
        "UPDATE audit_events SET actor = 'Someone else' WHERE seq = 3",
        [],
    )
    .unwrap();
    let p = problems(&l);
    assert!(
        p.iter()
            .any(|m| m.starts_with("audit event 3:") && m.contains("edited")),
        "{p:?}"
    );
}

#[test]
fn an_edited_event_with_a_recomputed_hash_breaks_the_next_link() {
    let dir = tempfile::tempdir().unwrap();
    let (l, _, _) = populated(dir.path());
    let ev = l.audit_log(None).unwrap()[2].clone();
    let mut forged = ev.clone();
    forged.actor = "Forger".into();
    forged.hash = forged.computed_hash();
    let db = l.raw_connection();
    db.execute_batch("DROP TRIGGER audit_events_no_update")
        .unwrap();
    db.execute(
        "UPDATE audit_events SET actor = ?1, hash = ?2 WHERE seq = ?3",
        rusqlite::params![forged.actor, forged.hash, ev.seq],
    )
    .unwrap();
    let p = problems(&l);
    assert!(
        p.iter()
            .any(|m| m.starts_with("audit event 4:") && m.contains("does not link")),
        "{p:?}"
    );
}

#[test]
fn a_deleted_audit_event_is_named_in_the_middle_and_at_the_end() {
    let dir = tempfile::tempdir().unwrap();
    let (l, _, _) = populated(dir.path());
    let db = l.raw_connection();
    db.execute_batch("DROP TRIGGER audit_events_no_delete")
        .unwrap();
    db.execute("DELETE FROM audit_events WHERE seq = 2", [])
        .unwrap();
    let p = problems(&l);
    assert!(
        p.iter()
            .any(|m| m.starts_with("audit event 2:") && m.contains("missing")),
        "{p:?}"
    );

    let dir = tempfile::tempdir().unwrap();
    let (l, _, _) = populated(dir.path());
    let db = l.raw_connection();
    db.execute_batch("DROP TRIGGER audit_events_no_delete; PRAGMA foreign_keys = OFF")
        .unwrap();
    db.execute(
        "DELETE FROM audit_events WHERE seq = (SELECT max(seq) FROM audit_events)",
        [],
    )
    .unwrap();
    let p = problems(&l);
    assert!(
        p.iter()
            .any(|m| m.contains("events at the end were removed")),
        "{p:?}"
    );
    // ...and the evidence item that event recorded has lost its acquisition record.
    assert!(
        p.iter()
            .any(|m| m.starts_with("evidence 2:") && m.contains("audit event")),
        "{p:?}"
    );
}

#[test]
fn a_swapped_original_is_caught_by_its_hash() {
    let dir = tempfile::tempdir().unwrap();
    let (l, case, _) = populated(dir.path());
    let items = l.list_evidence(&case, None).unwrap();
    // Put item 2's (validly encrypted) blob in place of item 1's: decryption succeeds,
    // the hash does not match.
    let a = l.blob_path_for_tests(&items[0].sha256).unwrap();
    let b = l.blob_path_for_tests(&items[1].sha256).unwrap();
    std::fs::copy(&b, &a).unwrap();
    let p = problems(&l);
    assert!(
        p.iter()
            .any(|m| m.starts_with("evidence 1:") && m.contains("SHA-256 mismatch")),
        "{p:?}"
    );
    let mut out = Vec::new();
    let read = l.open_original(items[0].id).unwrap().read_to_end(&mut out);
    assert!(
        read.is_ok(),
        "the swap decrypts; only the hash check can catch it"
    );
}

#[test]
fn an_altered_evidence_record_is_caught() {
    let dir = tempfile::tempdir().unwrap();
    let (l, _, _) = populated(dir.path());
    let db = l.raw_connection();
    db.execute_batch("DROP TRIGGER evidence_original_fixed; PRAGMA foreign_keys = OFF")
        .unwrap();
    db.execute("UPDATE evidence SET size = 99 WHERE id = 1", [])
        .unwrap();
    let p = problems(&l);
    assert!(
        p.iter()
            .any(|m| m.starts_with("evidence 1:") && m.contains("size")),
        "{p:?}"
    );
}

#[test]
fn originals_and_audit_events_cannot_be_changed_through_sql() {
    let dir = tempfile::tempdir().unwrap();
    let (l, _, _) = populated(dir.path());
    let db = l.raw_connection();
    // Each change is one that only the trigger refuses (no key or constraint would), and
    // the refusal is the trigger's own.
    let refused = |sql: &str, because: &str| {
        let err = db.execute(sql, []).unwrap_err().to_string();
        assert!(err.contains(because), "{sql}: {err}");
    };
    refused(
        "UPDATE evidence SET original_name = 'other.txt' WHERE id = 1",
        "an original and its acquisition record never change",
    );
    refused(
        "UPDATE evidence SET acquired_by = 'someone else' WHERE id = 1",
        "an original and its acquisition record never change",
    );
    refused(
        "UPDATE blobs SET stored_at = 'x'",
        "stored originals never change",
    );
    refused(
        "DELETE FROM audit_events WHERE seq = 1",
        "audit events are append-only",
    );
    refused(
        "UPDATE audit_events SET details = '{}' WHERE seq = 1",
        "audit events are append-only",
    );
}

#[test]
fn a_second_open_is_refused_while_the_locker_is_in_use() {
    let dir = tempfile::tempdir().unwrap();
    let l = new_locker(dir.path());
    assert!(matches!(
        Locker::open(dir.path(), PASS, clock()),
        Err(Error::LockerInUse)
    ));
    drop(l);
    Locker::open(dir.path(), PASS, clock()).unwrap();
}

#[test]
fn a_wrong_passphrase_changes_no_byte() {
    let dir = tempfile::tempdir().unwrap();
    drop(populated(dir.path()).0);
    let header = std::fs::read(dir.path().join("locker.json")).unwrap();
    let db = std::fs::read(dir.path().join("locker.db")).unwrap();
    assert!(matches!(
        Locker::open(dir.path(), "not it at all", clock()),
        Err(Error::WrongPassphrase)
    ));
    assert_eq!(
        std::fs::read(dir.path().join("locker.json")).unwrap(),
        header
    );
    assert_eq!(std::fs::read(dir.path().join("locker.db")).unwrap(), db);
}

/// A source that fails midway (a pulled USB stick, a full disk) stores nothing.
#[test]
fn a_read_failure_midway_stores_nothing() {
    struct Failing(usize);
    impl Read for Failing {
        fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
            if self.0 == 0 {
                return Err(std::io::Error::other("device went away"));
            }
            let n = buf.len().min(self.0);
            buf[..n].fill(7);
            self.0 -= n;
            Ok(n)
        }
    }
    let dir = tempfile::tempdir().unwrap();
    let (mut l, case, inc) = populated(dir.path());
    let events = l.audit_log(None).unwrap().len();
    let err = l
        .add_evidence_from_reader(
            inc,
            "big.wav",
            &mut Failing(5 << 20),
            &AddOptions::default(),
        )
        .unwrap_err();
    assert!(matches!(err, Error::Io { .. }), "{err}");
    assert!(err.to_string().contains("nothing was stored"), "{err}");
    assert_eq!(l.list_evidence(&case, None).unwrap().len(), 2);
    assert_eq!(l.audit_log(None).unwrap().len(), events);
    assert_eq!(
        std::fs::read_dir(dir.path().join("tmp")).unwrap().count(),
        0
    );
    assert!(problems(&l).is_empty());
}

#[test]
fn an_orphan_blob_from_a_crash_is_removed_at_open() {
    let dir = tempfile::tempdir().unwrap();
    let (l, _, _) = populated(dir.path());
    drop(l);
    // What a crash between the blob rename and the commit leaves behind: the blob, and
    // the list of names the interrupted call was placing.
    let name = "ab".repeat(32);
    let orphan = dir.path().join("blobs").join("ab").join(&name);
    std::fs::create_dir_all(orphan.parent().unwrap()).unwrap();
    std::fs::write(&orphan, b"half").unwrap();
    std::fs::create_dir_all(dir.path().join("pending")).unwrap();
    std::fs::write(
        dir.path().join("pending").join("x.list"),
        format!("{name}\n"),
    )
    .unwrap();
    std::fs::write(dir.path().join("tmp").join("x.part"), b"partial").unwrap();
    let l = Locker::open(dir.path(), PASS, clock()).unwrap();
    assert!(!orphan.exists());
    assert!(!dir.path().join("quarantine").exists());
    assert_eq!(
        std::fs::read_dir(dir.path().join("tmp")).unwrap().count(),
        0
    );
    assert_eq!(
        std::fs::read_dir(dir.path().join("pending"))
            .unwrap()
            .count(),
        0
    );
    assert!(problems(&l).is_empty());
}

#[test]
fn a_blob_no_call_placed_is_kept_in_quarantine_and_reported() {
    let dir = tempfile::tempdir().unwrap();
    let (l, _, _) = populated(dir.path());
    drop(l);
    let name = "cd".repeat(32);
    let stray = dir.path().join("blobs").join("cd").join(&name);
    std::fs::create_dir_all(stray.parent().unwrap()).unwrap();
    std::fs::write(&stray, b"not ours to delete").unwrap();
    let l = Locker::open(dir.path(), PASS, clock()).unwrap();
    assert!(!stray.exists());
    assert_eq!(
        std::fs::read(dir.path().join("quarantine").join(&name)).unwrap(),
        b"not ours to delete"
    );
    let p = problems(&l);
    assert!(
        p.iter()
            .any(|m| m.starts_with("quarantine/:") && m.contains("1 stored original")),
        "{p:?}"
    );
}

#[test]
fn case_references_count_per_year_and_audit_records_the_clock() {
    let dir = tempfile::tempdir().unwrap();
    let mut l = new_locker(dir.path());
    let a = l.create_case("A", "").unwrap();
    let b = l.create_case("B", "").unwrap();
    assert_eq!(
        (a.reference.as_str(), b.reference.as_str()),
        ("V-2026-0001", "V-2026-0002")
    );
    let log = l.audit_log(Some("case:V-2026-0002")).unwrap();
    assert_eq!(log.len(), 1);
    assert_eq!(log[0].time, "2026-11-22T10:00:00+01:00");
    assert_eq!(log[0].actor, "Officer");
}

#[test]
fn a_corrected_incident_keeps_its_earlier_version_and_the_reason_and_still_verifies() {
    use varde_core::model::{PersonKind, Witness};
    use varde_core::{IncidentPatch, NewPerson};
    let dir = tempfile::tempdir().unwrap();
    let (mut l, case, id) = populated(&dir.path().join("l"));
    let actor = l
        .add_person(
            &case,
            NewPerson {
                kind: Some(PersonKind::ThreatActor),
                name: Some("Ukjent avsender".into()),
                ..Default::default()
            },
        )
        .unwrap();
    let linked = l
        .edit_incident(
            id,
            IncidentPatch {
                actor_id: Some(actor.id),
                witnesses: Some(vec![Witness {
                    person: None,
                    name: Some("Kari".into()),
                }]),
                wording: Some("Jeg vet hvor du bor 🔪".into()),
                reason: Some("Ordlyden var skrevet av fra skjermbildet".into()),
                ..Default::default()
            },
        )
        .unwrap();
    assert_eq!(linked.version, 2);
    assert_eq!(linked.actor_id, Some(actor.id));
    // Taking the actor and the witness away again is a correction too.
    let cleared = l
        .edit_incident(
            id,
            IncidentPatch {
                clear_actor: true,
                witnesses: Some(vec![]),
                ..Default::default()
            },
        )
        .unwrap();
    assert_eq!(cleared.version, 3);
    assert_eq!(cleared.actor_id, None);
    assert!(cleared.witnesses.is_empty());
    assert_eq!(cleared.wording.as_deref(), Some("Jeg vet hvor du bor 🔪"));
    let versions = l.incident_versions(id).unwrap();
    assert_eq!(versions.len(), 2);
    assert_eq!(versions[0].incident.wording, None);
    assert_eq!(versions[1].incident.actor_id, Some(actor.id));
    let edits: Vec<_> = l
        .audit_log(None)
        .unwrap()
        .into_iter()
        .filter(|e| e.action == "incident.edit")
        .collect();
    assert_eq!(edits.len(), 2);
    assert_eq!(
        edits[0].details["reason"],
        "Ordlyden var skrevet av fra skjermbildet"
    );
    assert!(problems(&l).is_empty(), "{:?}", problems(&l));
}

#[test]
fn a_passphrase_change_killed_after_its_audit_event_is_finished_at_the_next_open() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("l");
    let (mut l, _, _) = populated(&path);
    let old_header = std::fs::read(path.join("locker.json")).unwrap();
    const NEW: &str = "a new passphrase blue kettle";
    l.change_passphrase(PASS, NEW).unwrap();
    drop(l);
    // As if killed between the commit of locker.passphrase_change and the rename: the new
    // header is still staged beside the old one.
    std::fs::rename(path.join("locker.json"), path.join(".locker.json.new")).unwrap();
    std::fs::write(path.join("locker.json"), &old_header).unwrap();
    // The old passphrase still opens it once; the recorded change is then completed.
    let l = Locker::open(&path, PASS, clock()).unwrap();
    assert!(problems(&l).is_empty(), "{:?}", problems(&l));
    drop(l);
    assert!(!path.join(".locker.json.new").exists());
    assert!(matches!(
        Locker::open(&path, PASS, clock()),
        Err(Error::WrongPassphrase)
    ));
    let l = Locker::open(&path, NEW, clock()).unwrap();
    drop(l);
    // A staged header without its audit event was never recorded: it is removed and the
    // passphrase in force stays.
    std::fs::write(path.join(".locker.json.new"), &old_header).unwrap();
    let l = Locker::open(&path, NEW, clock()).unwrap();
    drop(l);
    assert!(!path.join(".locker.json.new").exists());
    assert!(Locker::open(&path, NEW, clock()).is_ok());
}

fn sms_incident() -> NewIncident {
    NewIncident {
        at: "2026-11-21 21:14".into(),
        place: "Hjemme".into(),
        channel: Some(Channel::Sms),
        description: "Fem skjermbilder av en SMS-tråd".into(),
        wording: Some("Du skal få svi 😡".into()),
        ..Default::default()
    }
}

#[test]
fn an_incident_logged_with_its_thread_is_one_write_in_order() {
    use varde_core::NewOriginal;
    let dir = tempfile::tempdir().unwrap();
    let (mut l, case, _) = populated(dir.path());
    let files = tempfile::tempdir().unwrap();
    let mut originals = Vec::new();
    for i in 1..=3 {
        let p = files.path().join(format!("skjerm-{i}.png"));
        std::fs::write(&p, format!("screenshot {i}")).unwrap();
        originals.push(NewOriginal::Path(p));
    }
    originals.push(NewOriginal::Pasted {
        name: "limt-inn.png".into(),
        bytes: b"pasted screenshot".to_vec(),
    });
    let opts = AddOptions {
        thread_platform: Some("SMS".into()),
        thread_id: Some("+47 934 12 877".into()),
        whole_thread: true,
        ..Default::default()
    };
    let events = l.audit_log(None).unwrap().len();
    let logged = l
        .log_incident(&case, sms_incident(), &originals, &opts, &mut |_| {})
        .unwrap();
    assert_eq!(
        logged.incident.wording.as_deref(),
        Some("Du skal få svi 😡")
    );
    let names: Vec<_> = logged
        .added
        .iter()
        .map(|a| (a.evidence.original_name.as_str(), a.evidence.thread_seq))
        .collect();
    assert_eq!(
        names,
        [
            ("skjerm-1.png", Some(1)),
            ("skjerm-2.png", Some(2)),
            ("skjerm-3.png", Some(3)),
            ("limt-inn.png", Some(4)),
        ]
    );
    assert!(
        logged
            .added
            .iter()
            .all(|a| a.evidence.incident == logged.incident.id)
    );
    assert_eq!(
        logged.added[3].evidence.source,
        varde_core::model::EvidenceSource::Clipboard
    );
    // One transaction: the incident's event and the four evidence events, in that order.
    // (What Varde reads from the screenshots is written after, in writes of its own, so a
    // reading can never hold up or undo the evidence.)
    let log = l.audit_log(None).unwrap();
    let actions: Vec<_> = log[events..]
        .iter()
        .map(|e| e.action.as_str())
        .filter(|a| *a != "evidence.read")
        .collect();
    assert!(
        log[events..]
            .iter()
            .skip(5)
            .all(|e| e.action == "evidence.read")
    );
    assert_eq!(
        actions,
        [
            "incident.add",
            "evidence.add",
            "evidence.add",
            "evidence.add",
            "evidence.add"
        ]
    );
    assert!(problems(&l).is_empty());
}

#[test]
fn a_missing_file_logs_neither_the_incident_nor_the_other_files() {
    use varde_core::NewOriginal;
    let dir = tempfile::tempdir().unwrap();
    let (mut l, case, _) = populated(dir.path());
    let files = tempfile::tempdir().unwrap();
    let here = files.path().join("skjerm-1.png");
    std::fs::write(&here, "screenshot 1").unwrap();
    let before = (
        l.list_incidents(&case).unwrap().len(),
        l.audit_log(None).unwrap().len(),
    );
    let err = l
        .log_incident(
            &case,
            sms_incident(),
            &[
                NewOriginal::Path(here),
                NewOriginal::Path(files.path().join("skjerm-2.png")),
            ],
            &AddOptions::default(),
            &mut |_| {},
        )
        .unwrap_err();
    assert_eq!(err.code(), ErrorCode::InvalidInput, "{err}");
    assert!(err.to_string().contains("skjerm-2.png"), "{err}");
    // A wrong date is refused before any file is read.
    let err = l
        .log_incident(
            &case,
            NewIncident {
                at: "31.02.2026 10:00".into(),
                ..sms_incident()
            },
            &[NewOriginal::Path(files.path().join("nowhere.png"))],
            &AddOptions::default(),
            &mut |_| {},
        )
        .unwrap_err();
    assert!(err.to_string().contains("31.02.2026"), "{err}");
    assert_eq!(
        (
            l.list_incidents(&case).unwrap().len(),
            l.audit_log(None).unwrap().len()
        ),
        before
    );
    assert_eq!(
        std::fs::read_dir(dir.path().join("tmp")).unwrap().count(),
        0
    );
}

#[test]
fn a_thread_is_corrected_after_its_files_are_in_and_the_originals_stay() {
    use varde_core::{NewOriginal, ThreadPatch};
    let dir = tempfile::tempdir().unwrap();
    let (mut l, case, _) = populated(dir.path());
    let originals: Vec<_> = (1..=3)
        .map(|i| NewOriginal::Pasted {
            name: format!("skjerm-{i}.png"),
            bytes: format!("screenshot {i}").into_bytes(),
        })
        .collect();
    let opts = AddOptions {
        thread_id: Some("samtale".into()),
        ..Default::default()
    };
    let logged = l
        .log_incident(&case, sms_incident(), &originals, &opts, &mut |_| {})
        .unwrap();
    let ids: Vec<i64> = logged.added.iter().map(|a| a.evidence.id).collect();
    let hashes: Vec<String> = logged
        .added
        .iter()
        .map(|a| a.evidence.sha256.clone())
        .collect();
    // The third screenshot was the first of the conversation; the platform and the
    // number were not known when the files went in.
    let patch = ThreadPatch {
        platform: Some("SMS".into()),
        name: "+47 934 12 877".into(),
        whole_thread: true,
        order: vec![ids[2], ids[0], ids[1]],
        reason: Some("Rekkefølgen fra telefonen".into()),
    };
    let edited = l
        .edit_thread(logged.incident.id, "samtale", &patch)
        .unwrap();
    let got: Vec<_> = edited
        .iter()
        .map(|e| {
            (
                e.id,
                e.thread_seq,
                e.thread_id.as_deref(),
                e.thread_platform.as_deref(),
                e.whole_thread,
            )
        })
        .collect();
    assert_eq!(
        got,
        [
            (ids[2], Some(1), Some("+47 934 12 877"), Some("SMS"), true),
            (ids[0], Some(2), Some("+47 934 12 877"), Some("SMS"), true),
            (ids[1], Some(3), Some("+47 934 12 877"), Some("SMS"), true),
        ]
    );
    for (id, sha) in ids.iter().zip(&hashes) {
        assert_eq!(&l.evidence(*id).unwrap().sha256, sha);
    }
    let last = l.audit_log(None).unwrap().pop().unwrap();
    assert_eq!(last.action, "evidence.thread_edit");
    assert!(
        last.details
            .to_string()
            .contains("Rekkefølgen fra telefonen")
    );
    assert!(problems(&l).is_empty(), "{:?}", problems(&l));

    // An order that leaves a file out, or names one twice, changes nothing.
    let events = l.audit_log(None).unwrap().len();
    for order in [vec![ids[0], ids[1]], vec![ids[0], ids[0], ids[1]]] {
        let err = l
            .edit_thread(
                logged.incident.id,
                "+47 934 12 877",
                &ThreadPatch {
                    order,
                    ..patch.clone()
                },
            )
            .unwrap_err();
        assert!(err.to_string().contains("once"), "{err}");
    }
    assert_eq!(l.audit_log(None).unwrap().len(), events);
}

#[test]
fn a_person_is_corrected_with_a_reason_and_found_by_the_new_number() {
    use varde_core::NewPerson;
    use varde_core::model::PersonKind;
    let dir = tempfile::tempdir().unwrap();
    let (mut l, case, _) = populated(dir.path());
    let p = l
        .add_person(
            &case,
            NewPerson {
                kind: Some(PersonKind::ThreatActor),
                aliases: vec!["934 12 877".into()],
                ..Default::default()
            },
        )
        .unwrap();
    assert!(!p.known);
    let fixed = l
        .edit_person(
            p.id,
            NewPerson {
                kind: Some(PersonKind::ThreatActor),
                name: Some("Ola Nordmann".into()),
                aliases: vec!["934 12 877".into(), "+47 415 55 555".into()],
                home_municipality: Some("Bærum".into()),
                ..Default::default()
            },
            Some("Navnet er kjent fra politiet"),
        )
        .unwrap();
    assert!(fixed.known);
    assert_eq!(fixed.name.as_deref(), Some("Ola Nordmann"));
    let last = l.audit_log(None).unwrap().pop().unwrap();
    assert_eq!(last.action, "person.edit");
    let details = last.details.to_string();
    assert!(
        details.contains("Navnet er kjent fra politiet"),
        "{details}"
    );
    assert!(
        !details.contains("Ola Nordmann"),
        "the log names fields, not values: {details}"
    );
    assert!(problems(&l).is_empty(), "{:?}", problems(&l));
    let hits = l.search("41555555").unwrap();
    assert!(!hits.is_empty(), "the corrected record is searchable");
    // A name cannot be taken away from a witness.
    let err = l
        .edit_person(
            p.id,
            NewPerson {
                kind: Some(PersonKind::Witness),
                ..Default::default()
            },
            None,
        )
        .unwrap_err();
    assert_eq!(err.code(), ErrorCode::InvalidInput);
}
