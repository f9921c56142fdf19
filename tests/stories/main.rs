//! Stories across the crates: the core with the real report renderer (`varde-report`,
//! typst) and the readers of `varde-read`, on temporary lockers, checked the way the person
//! at the end of the story checks them: with their own SHA-256, not with Varde's verdict.

#![allow(clippy::unwrap_used, missing_docs)]

use std::collections::BTreeMap;
use std::path::Path;

use sha2::{Digest, Sha256};
use varde_core::guidance::{EmployeeInformed, Lang, RecipientKind};
use varde_core::model::{Channel, Mode};
use varde_core::{
    AddOptions, ExportOptions, InitOptions, KdfParams, Locker, NewIncident, SystemClock,
};
use varde_report::TypstRenderer;

const PASS: &str = "korrekt hest batteri stift";

fn locker(dir: &Path, mode: Mode, owner: &str) -> Locker {
    Locker::init(
        dir,
        PASS,
        InitOptions {
            mode,
            owner: owner.into(),
            // Cheap key derivation: the stories are about what happens after unlocking.
            kdf: KdfParams::FAST_FOR_TESTS,
        },
        Box::new(SystemClock),
    )
    .unwrap()
}

fn sha256(bytes: &[u8]) -> String {
    hex::encode(Sha256::digest(bytes))
}

/// `SHA256SUMS` of a bundle folder checked as `sha256sum -c` would: every line's file
/// hashed here; returns path → hash.
fn check_sums(folder: &Path) -> BTreeMap<String, String> {
    let sums = std::fs::read_to_string(folder.join("SHA256SUMS")).unwrap();
    let mut listed = BTreeMap::new();
    for line in sums.lines() {
        let (hash, path) = line.split_once("  ").unwrap();
        let bytes = std::fs::read(folder.join(path)).unwrap();
        assert_eq!(sha256(&bytes), hash, "{path} does not match SHA256SUMS");
        listed.insert(path.to_string(), hash.to_string());
    }
    listed
}

fn options(recipient: &str, kind: RecipientKind, basis: &str, self_log: bool) -> ExportOptions {
    ExportOptions {
        incidents: None,
        recipient: recipient.into(),
        recipient_kind: kind,
        legal_basis_key: Some(basis.into()),
        legal_basis_text: None,
        consent_id: None,
        employee_informed: EmployeeInformed::Yes,
        include_private_contacts: false,
        lang: Lang::Nb,
        self_log,
        redacted: Vec::new(),
    }
}

/// Kari logs a threat on her own phone's self-log with the WhatsApp export and a screenshot,
/// and hands the log to her security officer; the officer takes it into a case, reads the
/// chat, and sends the case to the police. At every hand-over the originals are the bytes
/// Kari had, and the police's bundle lists them under the SHA-256 of those bytes.
#[test]
fn an_employee_s_chat_export_reaches_the_police_with_its_hashes_intact() {
    let tmp = tempfile::tempdir().unwrap();
    let chat = varde_read::samples::whatsapp_zip();
    let shot = varde_read::samples::chat_screenshot();

    // The employee's self-log, exported with the real report.
    let mut kari = locker(&tmp.path().join("kari"), Mode::SelfLog, "Kari Hansen");
    let own_case = kari.self_log_case().unwrap().reference;
    let inc = kari
        .add_incident(
            &own_case,
            NewIncident {
                at: "2026-11-21 21:14".into(),
                place: "WhatsApp, privat telefon".into(),
                channel: Some(Channel::SocialMedia),
                description: "Melding fra ukjent nummer om at han vet hvor jeg bor".into(),
                wording: Some("Jeg vet hvor du bor 🔪 Pass deg.".into()),
                ..Default::default()
            },
        )
        .unwrap();
    for (name, bytes) in [("WhatsApp-chat.zip", &chat), ("skjermbilde.png", &shot)] {
        kari.add_evidence_from_reader(inc.id, name, &mut &bytes[..], &AddOptions::default())
            .unwrap();
    }
    let log = kari
        .export_bundle(
            &own_case,
            &options("Sikkerhetsansvarlig", RecipientKind::Other, "consent", true),
            &tmp.path().join("kari-logg.zip"),
            &TypstRenderer,
            &mut |_| {},
        )
        .unwrap();
    drop(kari);

    // The officer checks the log before taking it in, then imports it into a case.
    let report = varde_core::verify_bundle(&log.path).unwrap();
    assert!(report.ok(), "{:?}", report.problems);
    assert!(report.signature_valid);
    let mut officer = locker(&tmp.path().join("officer"), Mode::Officer, "Siri Sikkerhet");
    let case = officer
        .create_case("Trusler mot Kari", "")
        .unwrap()
        .reference;
    let imported = officer
        .import_bundle(&log.path, &case, &mut |_| {})
        .unwrap();
    assert_eq!(imported.incidents.len(), 1);
    let stored = officer.list_evidence(&case, None).unwrap();
    let by_name: BTreeMap<_, _> = stored
        .iter()
        .map(|e| (e.original_name.as_str(), e))
        .collect();
    let chat_ev = by_name["WhatsApp-chat.zip"];
    assert_eq!(chat_ev.sha256, sha256(&chat));
    assert_eq!(by_name["skjermbilde.png"].sha256, sha256(&shot));
    assert_eq!(officer.read_original(chat_ev.id, u64::MAX).unwrap(), chat);

    // What the officer reads of the export: the threat, with its emoji, from its sender.
    let reading = varde_read::read(&chat_ev.media_type, &chat_ev.original_name, &chat).unwrap();
    let messages = reading.result.unwrap().messages();
    let threat = messages
        .iter()
        .find(|m| m.text.contains("Jeg vet hvor du bor 🔪"))
        .expect("the threat among the chat's messages");
    assert_eq!(threat.sender.as_deref(), Some("+47 912 34 567"));

    // The police's bundle, as a folder: every file matches SHA256SUMS, and Kari's two
    // originals are in it under the SHA-256 of her bytes.
    let police = officer
        .export_bundle(
            &case,
            &options(
                "Oslo politidistrikt",
                RecipientKind::Police,
                "legitimate_interest_legal_claims",
                false,
            ),
            &tmp.path().join("til-politiet"),
            &TypstRenderer,
            &mut |_| {},
        )
        .unwrap();
    let listed = check_sums(&police.path);
    for bytes in [&chat, &shot] {
        assert!(
            listed
                .iter()
                .any(|(p, h)| p.starts_with("evidence/") && *h == sha256(bytes)),
            "an original of Kari's is missing from the police's bundle: {listed:?}"
        );
    }
    let pdf = std::fs::read(police.path.join("report.pdf")).unwrap();
    assert!(pdf.starts_with(b"%PDF-"));
    assert!(listed.contains_key("report.pdf"));
    assert_eq!(police.evidence, 2);
}
