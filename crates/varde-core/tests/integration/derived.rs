//! What Varde reads from originals: stored beside them, never changing them; incidents made
//! from messages; attachments taken out of e-mails.

use sha2::{Digest, Sha256};
use varde_core::model::Channel;
use varde_core::varde_read::{Derived, samples};
use varde_core::{AddOptions, Content, Error, Invalid, Locker, NewIncident};

use crate::locker::{new_locker, problems};

fn incident(l: &mut Locker) -> (String, i64) {
    let case = l.create_case("Trusler på chat", "").unwrap();
    let inc = l
        .add_incident(
            &case.reference,
            NewIncident {
                at: "2026-11-22 08:00".into(),
                place: "Mobilen".into(),
                channel: Some(Channel::SocialMedia),
                description: "Kari fikk trusler over flere dager".into(),
                ..Default::default()
            },
        )
        .unwrap();
    (case.reference, inc.id)
}

fn add(l: &mut Locker, inc: i64, name: &str, bytes: &[u8]) -> i64 {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join(name);
    std::fs::write(&path, bytes).unwrap();
    let added = l
        .add_evidence(inc, &[path], &AddOptions::default(), &mut |_| {})
        .unwrap();
    added[0].evidence.id
}

fn sha(bytes: &[u8]) -> String {
    hex::encode(Sha256::digest(bytes))
}

#[test]
fn every_format_is_read_on_intake_and_the_originals_stay_byte_identical() {
    let dir = tempfile::tempdir().unwrap();
    let mut l = new_locker(dir.path());
    let (_, inc) = incident(&mut l);
    let expected = [
        ("trussel.eml", "email"),
        ("siste advarsel.msg", "email"),
        ("WhatsApp-chat med +47 912 34 567.txt", "chat"),
        ("_chat.txt", "chat"),
        ("WhatsApp-chat.zip", "chat"),
        ("sms-20261122.xml", "chat"),
        ("message_1.json", "chat"),
        ("IMG_0042.jpg", "image"),
        ("skjermbilde-chat.png", "image"),
        ("telefonsvarer.wav", "audio"),
        ("samtale.wav", "audio"),
    ];
    let all = samples::all();
    assert_eq!(all.len(), expected.len());
    for ((name, bytes), (want_name, kind)) in all.iter().zip(expected) {
        assert_eq!(*name, want_name);
        let id = add(&mut l, inc, name, bytes);
        let ev = l.evidence(id).unwrap();
        assert_eq!(ev.sha256, sha(bytes), "{name}");
        // Read on intake: the reading is there without reading again.
        let r = l
            .stored_reading(id)
            .unwrap()
            .unwrap_or_else(|| panic!("{name} was not read"));
        assert_eq!(r.derived().map(Derived::kind), Some(kind), "{name}: {r:?}");
        assert_eq!(r.reader_version, varde_core::varde_read::READER_VERSION);
        assert!(!r.parser.is_empty());
        // The original comes back byte-identical.
        assert_eq!(l.read_original(id, 1 << 30).unwrap(), *bytes, "{name}");
    }
    let reads = l
        .audit_log(None)
        .unwrap()
        .into_iter()
        .filter(|e| e.action == "evidence.read")
        .count();
    assert_eq!(reads, expected.len());
    assert!(problems(&l).is_empty(), "{:?}", problems(&l));
}

#[test]
fn a_malformed_file_is_stored_with_why_it_could_not_be_read() {
    let dir = tempfile::tempdir().unwrap();
    let mut l = new_locker(dir.path());
    let (_, inc) = incident(&mut l);
    let mut cut = samples::wav();
    cut.truncate(30);
    for (name, bytes) in [
        ("kuttet.wav", cut),
        (
            "tom.json",
            br#"{"participants":[{"name":"x"}],"messages":[]}"#.to_vec(),
        ),
        (
            "ødelagt.msg",
            b"\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1 broken".to_vec(),
        ),
    ] {
        let id = add(&mut l, inc, name, &bytes);
        assert_eq!(l.read_original(id, 1 << 20).unwrap(), bytes);
        let r = l.read_evidence(id).unwrap().unwrap();
        match r.content {
            Content::Unreadable { problem, .. } => {
                assert!(
                    ["malformed", "empty"].contains(&problem.code()),
                    "{name}: {problem:?}"
                )
            }
            other => panic!("{name} read as {other:?}"),
        }
    }
    // A PDF holds nothing Varde reads.
    let id = add(&mut l, inc, "brev.pdf", b"%PDF-1.7\n%made up\n");
    assert_eq!(l.read_evidence(id).unwrap(), None);
    assert!(problems(&l).is_empty(), "{:?}", problems(&l));
}

#[test]
fn an_incident_from_a_chat_message_names_the_message_and_keeps_its_words() {
    let dir = tempfile::tempdir().unwrap();
    let mut l = new_locker(dir.path());
    let (case, inc) = incident(&mut l);
    let id = add(
        &mut l,
        inc,
        "chat.txt",
        samples::WHATSAPP_ANDROID_NB.as_bytes(),
    );
    let messages = l.messages(id).unwrap();
    assert_eq!(messages.len(), 5);
    let draft = l.incident_from_message_draft(id, 2).unwrap();
    assert_eq!(draft.at, "2026-11-21 21:14");
    assert_eq!(draft.channel, Some(Channel::SocialMedia));
    assert_eq!(draft.platform.as_deref(), Some("WhatsApp"));
    assert_eq!(draft.sender.as_deref(), Some("+47 912 34 567"));
    assert_eq!(
        draft.wording.as_deref(),
        Some("Du vet godt hvem jeg er.\nJeg vet hvor du bor 🔪\nPass deg.")
    );
    let made = l.log_incident_from_message(id, 2, draft).unwrap();
    let source = made.source.clone().unwrap();
    assert_eq!(source.sha256, sha(samples::WHATSAPP_ANDROID_NB.as_bytes()));
    assert_eq!(source.message, 2);
    assert_eq!(source.text_sha256, messages[2].text_sha256);
    assert_eq!(l.incident(made.id).unwrap().source, Some(source));
    assert_eq!(l.case_of_incident(made.id).unwrap().reference, case);
    // A message that is not there, and a file without messages.
    match l.incident_from_message_draft(id, 5) {
        Err(Error::Invalid(e)) => assert!(matches!(e, Invalid::NoSuchMessage { count: 5, .. })),
        other => panic!("{other:?}"),
    }
    let pdf = add(&mut l, inc, "brev.pdf", b"%PDF-1.7\n");
    assert!(
        matches!(l.messages(pdf), Err(Error::Invalid(e)) if matches!(e, Invalid::NoMessages { .. }))
    );
    assert!(problems(&l).is_empty(), "{:?}", problems(&l));
}

#[test]
fn an_email_becomes_an_incident_and_its_attachment_evidence_of_its_own() {
    let dir = tempfile::tempdir().unwrap();
    let mut l = new_locker(dir.path());
    let (case, _) = incident(&mut l);
    let files = tempfile::tempdir().unwrap();
    let path = files.path().join("trussel.eml");
    std::fs::write(&path, samples::eml()).unwrap();
    let logged = l
        .log_incident_from_email(&case, &path, &mut |_| {})
        .unwrap();
    let i = &logged.incident;
    // 21:14:03 +01:00 is 21:14 in Oslo.
    assert_eq!(i.occurred_local, "2026-11-21 21:14");
    assert_eq!(i.channel, Channel::Email);
    assert_eq!(i.place, "e-post til kari.hansen@firma.example");
    assert_eq!(
        i.sender.as_deref(),
        Some("Ukjent avsender <anonym.avsender@example.net>")
    );
    assert!(
        i.wording
            .as_deref()
            .unwrap()
            .contains("Du skal få svi for det du gjorde 🔪")
    );
    assert_eq!(
        i.description,
        "E-post med emnet «Du skal få betale for dette»"
    );
    assert_eq!(i.source.as_ref().unwrap().sha256, sha(&samples::eml()));
    let email_id = logged.added[0].evidence.id;
    let att = l.extract_attachment(email_id, 0).unwrap();
    assert_eq!(att.evidence.original_name, "bilde av huset.png");
    assert_eq!(att.evidence.media_type, "image/png");
    assert_eq!(att.evidence.incident, i.id);
    let of = att.evidence.attachment_of.clone().unwrap();
    assert_eq!((of.evidence, of.index), (email_id, 0));
    let listed = match l.stored_reading(email_id).unwrap().unwrap().derived() {
        Some(Derived::Email(e)) => e.attachments[0].sha256.clone(),
        other => panic!("{other:?}"),
    };
    assert_eq!(att.evidence.sha256, listed);
    // The e-mail itself is unchanged.
    assert_eq!(l.read_original(email_id, 1 << 20).unwrap(), samples::eml());
    assert!(
        matches!(l.extract_attachment(email_id, 1), Err(Error::Invalid(e)) if matches!(e, Invalid::NoSuchAttachment { count: 1, .. }))
    );
    // A file that is no e-mail is refused before anything is stored.
    let not = files.path().join("notat.txt");
    std::fs::write(&not, "bare et notat").unwrap();
    let before = l.list_evidence(&case, None).unwrap().len();
    assert!(
        matches!(l.log_incident_from_email(&case, &not, &mut |_| {}), Err(Error::Invalid(e)) if matches!(e, Invalid::NotAnEmailFile { .. }))
    );
    assert_eq!(l.list_evidence(&case, None).unwrap().len(), before);
    assert!(problems(&l).is_empty(), "{:?}", problems(&l));
}

#[test]
fn a_mistyped_path_to_an_email_is_refused_in_words_and_stores_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let mut l = new_locker(dir.path());
    let (case, _) = incident(&mut l);
    let before = l.list_evidence(&case, None).unwrap().len();
    let missing = dir.path().join("trusel.eml");
    assert!(matches!(
        l.log_incident_from_email(&case, &missing, &mut |_| {}),
        Err(Error::Invalid(Invalid::FileMissing { .. }))
    ));
    assert!(matches!(
        l.log_incident_from_email(&case, dir.path(), &mut |_| {}),
        Err(Error::Invalid(Invalid::IsDirectory { .. }))
    ));
    assert_eq!(l.list_evidence(&case, None).unwrap().len(), before);
}

#[test]
fn an_imported_bundle_keeps_the_message_an_incident_came_from_and_the_e_mail_of_an_attachment() {
    let dir = tempfile::tempdir().unwrap();
    let mut a = new_locker(&dir.path().join("a"));
    let (case, _) = incident(&mut a);
    let files = tempfile::tempdir().unwrap();
    let path = files.path().join("trussel.eml");
    std::fs::write(&path, samples::eml()).unwrap();
    let logged = a
        .log_incident_from_email(&case, &path, &mut |_| {})
        .unwrap();
    let source = logged.incident.source.clone().unwrap();
    let att = a
        .extract_attachment(logged.added[0].evidence.id, 0)
        .unwrap();
    let out = dir.path().join("bundle.zip");
    a.export_bundle(
        &case,
        &crate::bundle::police(),
        &out,
        &varde_core::bundle::test_support::OnePageRenderer,
        &mut |_| {},
    )
    .unwrap();

    let mut b = new_locker(&dir.path().join("b"));
    let target = b.create_case("Mottatt", "").unwrap().reference;
    b.import_bundle(&out, &target, &mut |_| {}).unwrap();
    let incidents = b.list_incidents(&target).unwrap();
    let from_email = incidents
        .iter()
        .find(|i| i.uid == logged.incident.uid)
        .unwrap();
    assert_eq!(from_email.source.as_ref(), Some(&source));
    let evidence = b.list_evidence(&target, None).unwrap();
    let email = evidence
        .iter()
        .find(|e| e.uid == logged.added[0].evidence.uid)
        .unwrap();
    let copied = evidence.iter().find(|e| e.uid == att.evidence.uid).unwrap();
    let of = copied.attachment_of.clone().unwrap();
    assert_eq!((of.evidence, of.index), (email.id, 0));
    assert!(problems(&b).is_empty(), "{:?}", problems(&b));
}
