//! A call noted from its recording: the incident gets the caller, the number and the
//! words as a new version; the recording stays byte-identical.

use sha2::{Digest, Sha256};
use varde_core::model::{Channel, PersonKind, PlaceKind};
use varde_core::varde_read::samples;
use varde_core::{AddOptions, CallNote, Error, Invalid, NewIncident, NewPerson};

use crate::locker::{new_locker, problems};

#[test]
fn a_call_is_noted_from_its_recording_as_a_new_version_of_the_incident() {
    let dir = tempfile::tempdir().unwrap();
    let mut l = new_locker(dir.path());
    let case = l.create_case("Oppringninger", "").unwrap();
    let actor = l
        .add_person(
            &case.reference,
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
            &case.reference,
            NewIncident {
                at: "2026-11-21".into(),
                place: "Mobilen".into(),
                channel: Some(Channel::Other),
                sender: Some("91234567".into()),
                description: "Kari fikk en telefon og tok den opp".into(),
                ..Default::default()
            },
        )
        .unwrap();
    let wav = samples::wav_recorded("2026-11-21T21:14:00");
    let files = tempfile::tempdir().unwrap();
    let path = files.path().join("samtale.wav");
    std::fs::write(&path, &wav).unwrap();
    let rec = l
        .add_evidence(inc.id, &[path], &AddOptions::default(), &mut |_| {})
        .unwrap()[0]
        .evidence
        .clone();

    // The form starts from the recording's own time and the actor the number names.
    let draft = l.call_draft(rec.id).unwrap();
    assert_eq!(draft.incident, inc.id);
    assert_eq!(draft.at, "2026-11-21 21:14");
    assert!(draft.at_from_recording);
    assert_eq!(draft.actor_id, Some(actor.id));
    assert_eq!(draft.number.as_deref(), Some("91234567"));
    assert!((draft.duration_seconds.unwrap() - 2.5).abs() < 0.01);
    assert_eq!(draft.actors.len(), 1);

    let noted = l
        .note_call(
            rec.id,
            CallNote {
                at: Some(draft.at.clone()),
                actor_id: None,
                caller: Some("en mann som kalte seg «Kim»".into()),
                number: Some("+47 912 34 567".into()),
                description: draft.description.clone(),
                words: Some("Jeg vet hvor du bor. 🔪".into()),
            },
        )
        .unwrap();
    assert_eq!(noted.version, 2);
    assert_eq!(noted.occurred_local, "2026-11-21 21:14");
    assert_eq!(noted.channel, Channel::PhoneCall);
    assert_eq!(noted.place_kind, PlaceKind::Phone);
    assert_eq!(noted.sender.as_deref(), Some("+47 912 34 567"));
    assert_eq!(noted.wording.as_deref(), Some("Jeg vet hvor du bor. 🔪"));
    assert_eq!(
        noted.description,
        "Kari fikk en telefon og tok den opp. Innringer: en mann som kalte seg «Kim»."
    );
    assert_eq!(noted.actor_id, None);

    // The earlier version is kept, the audit names the recording, the original is unchanged.
    let versions = l.incident_versions(inc.id).unwrap();
    assert_eq!(versions.len(), 1);
    assert_eq!(versions[0].version, 1);
    let audit = l.case_audit(&case.reference, 0, 100).unwrap();
    assert!(
        audit
            .rows
            .iter()
            .any(|e| e.details.to_string().contains(&rec.sha256)),
        "the edit's reason names the recording"
    );
    assert_eq!(
        l.evidence(rec.id).unwrap().sha256,
        hex::encode(Sha256::digest(&wav))
    );
    assert_eq!(problems(&l), Vec::<String>::new());
}

#[test]
fn a_call_cannot_be_noted_from_a_screenshot() {
    let dir = tempfile::tempdir().unwrap();
    let mut l = new_locker(dir.path());
    let case = l.create_case("Bilder", "").unwrap();
    let inc = l
        .add_incident(
            &case.reference,
            NewIncident {
                at: "2026-11-21 10:00".into(),
                place: "Mobilen".into(),
                channel: Some(Channel::Sms),
                description: "Skjermbilde".into(),
                ..Default::default()
            },
        )
        .unwrap();
    let files = tempfile::tempdir().unwrap();
    let path = files.path().join("bilde.jpg");
    std::fs::write(&path, samples::jpeg()).unwrap();
    let id = l
        .add_evidence(inc.id, &[path], &AddOptions::default(), &mut |_| {})
        .unwrap()[0]
        .evidence
        .id;
    for r in [
        l.call_draft(id).map(|_| ()),
        l.note_call(id, CallNote::default()).map(|_| ()),
    ] {
        assert!(
            matches!(&r, Err(Error::Invalid(Invalid::NotARecording { .. }))),
            "{r:?}"
        );
    }
    assert_eq!(l.incident(inc.id).unwrap().version, 1);
}
