//! Evidence bundles: export checked with the stock tools the police use, verification,
//! hostile bundles refused, import round trips.

use std::collections::BTreeMap;
use std::io::{Read, Write};
use std::path::{Path, PathBuf};
use std::process::Command;

use ed25519_dalek::Signer as _;
use sha2::{Digest, Sha256};
use varde_core::bundle::test_support::{OnePageRenderer, one_page_pdf};
use varde_core::bundle::{self, Manifest};
use varde_core::guidance::{
    ActionKind, EmployeeInformed, Lang, NewDisclosure, PromptAct, RecipientKind,
};
use varde_core::model::{Channel, ContactDetail, Mode, Perception, PersonKind};
use varde_core::{
    AddOptions, Error, ExportOptions, Invalid, Locker, NewIncident, NewPerson, ReportRenderer,
    verify_bundle,
};

use super::fixture::{PASS, TestLocker, clock};

/// A one-page PDF with the case reference on it: enough for a bundle in tests.
pub struct TestRenderer;

impl ReportRenderer for TestRenderer {
    fn render(
        &self,
        manifest: &Manifest,
        originals: &mut dyn FnMut(&str) -> varde_core::Result<Vec<u8>>,
        _lang: &str,
    ) -> varde_core::Result<Vec<u8>> {
        // Read the images, as a real renderer does for thumbnails.
        for e in manifest
            .evidence
            .iter()
            .filter(|e| e.media_type.starts_with("image/"))
        {
            assert_eq!(originals(&e.sha256)?.len() as u64, e.size);
        }
        Ok(one_page_pdf(&manifest.case.reference))
    }
}

struct FailingRenderer;

impl ReportRenderer for FailingRenderer {
    fn render(
        &self,
        _: &Manifest,
        _: &mut dyn FnMut(&str) -> varde_core::Result<Vec<u8>>,
        _: &str,
    ) -> varde_core::Result<Vec<u8>> {
        Err(Error::Internal("renderer failed on purpose".into()))
    }
}

fn new_locker(dir: &Path, mode: Mode, owner: &str) -> Locker {
    TestLocker {
        mode,
        owner,
        ..Default::default()
    }
    .init(dir)
}

/// A PNG header with a size: sniffed as image/png, stored uncompressed.
fn png(seed: u8) -> Vec<u8> {
    let mut b = b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR\0\0\0\x10\0\0\0\x20\x08\x02\0\0\0".to_vec();
    b.extend((0..5000u32).map(|i| (i as u8).wrapping_mul(31).wrapping_add(seed)));
    b
}

struct Case {
    reference: String,
    incidents: Vec<i64>,
}

/// An officer's case: employee with a private phone, a threat actor with a health concern,
/// two incidents with evidence (a screenshot thread and an e-mail), an escalation and a
/// disclosure.
fn populated(l: &mut Locker) -> Case {
    let case = l.create_case("Trusler mot resepsjonen", "").unwrap();
    let r = case.reference.clone();
    l.add_person(
        &r,
        NewPerson {
            kind: Some(PersonKind::Employee),
            name: Some("Kari Nordmann".into()),
            title: Some("Resepsjonist".into()),
            contacts: vec![
                ContactDetail {
                    kind: "phone".into(),
                    value: "+47 900 00 001".into(),
                    private: true,
                },
                ContactDetail {
                    kind: "email".into(),
                    value: "kari@firma.example".into(),
                    private: false,
                },
            ],
            notes: "private note".into(),
            ..Default::default()
        },
    )
    .unwrap();
    let actor = l
        .add_person(
            &r,
            NewPerson {
                kind: Some(PersonKind::ThreatActor),
                name: Some("Ola Uvennlig".into()),
                aliases: vec!["@ola_u".into()],
                home_municipality: Some("Bærum".into()),
                health_concern: Some("Virker forvirret".into()),
                ..Default::default()
            },
        )
        .unwrap();
    let a = l
        .add_incident(
            &r,
            NewIncident {
                at: "2026-11-20 14:30".into(),
                place: "Messenger".into(),
                channel: Some(Channel::SocialMedia),
                platform: Some("Messenger".into()),
                description: "Truende meldinger".into(),
                wording: Some("=Du skal få svi, \"Kari\"".into()),
                perceived: vec![Perception::Threatening],
                actor_id: Some(actor.id),
                witnesses: vec![varde_core::model::Witness {
                    person: None,
                    name: Some("Per Vitne".into()),
                }],
                ..Default::default()
            },
        )
        .unwrap();
    let b = l
        .add_incident(
            &r,
            NewIncident {
                at: "2026-11-21".into(),
                place: "E-post til jobbadressen".into(),
                channel: Some(Channel::Email),
                description: "E-post, plagsom".into(),
                perceived: vec![Perception::Bothersome],
                ..Default::default()
            },
        )
        .unwrap();
    let thread = AddOptions {
        thread_platform: Some("Messenger".into()),
        thread_id: Some("Ola U".into()),
        whole_thread: true,
        ..Default::default()
    };
    for (name, bytes) in [
        ("Skjermbilde 1 på Messenger.png", png(1)),
        ("Skjermbilde 2 på Messenger.png", png(2)),
    ] {
        l.add_evidence_from_reader(a.id, name, &mut &bytes[..], &thread)
            .unwrap();
    }
    let mail =
        "From: x@example.org\nReceived: by mx\nSubject: hei\n\nDu vet hvor jeg finner deg.\n"
            .repeat(50);
    l.add_evidence_from_reader(
        b.id,
        "melding.eml",
        &mut mail.as_bytes(),
        &AddOptions::default(),
    )
    .unwrap();
    l.act_on_prompt(
        &r,
        "police_report",
        PromptAct {
            with_whom: Some("Oslo politidistrikt".into()),
            reference: Some("12345678".into()),
            ..PromptAct::new(ActionKind::Done)
        },
    )
    .unwrap();
    l.record_disclosure(
        &r,
        NewDisclosure {
            recipient: "Kommunelegen i Bærum".into(),
            recipient_kind: RecipientKind::Health,
            shared: "Bekymringsmelding".into(),
            incident_ids: vec![],
            evidence_ids: vec![],
            person_ids: vec![],
            legal_basis_key: Some("concern_report".into()),
            legal_basis_text: Some(
                "Personvernforordningen art. 9 nr. 2 bokstav c: vitale interesser".into(),
            ),
            consent_id: None,
            employee_informed: EmployeeInformed::Yes,
            when: None,
            by: None,
        },
    )
    .unwrap();
    // A concern report is a purpose, not a basis: without a described basis it is refused.
    let refused = l
        .record_disclosure(
            &r,
            NewDisclosure {
                recipient: "Kommunelegen i Bærum".into(),
                recipient_kind: RecipientKind::Health,
                shared: "Bekymringsmelding".into(),
                incident_ids: vec![],
                evidence_ids: vec![],
                person_ids: vec![],
                legal_basis_key: Some("concern_report".into()),
                legal_basis_text: None,
                consent_id: None,
                employee_informed: EmployeeInformed::Yes,
                when: None,
                by: None,
            },
        )
        .unwrap_err();
    assert!(
        matches!(
            refused,
            Error::Invalid(varde_core::Invalid::DescribeLegalBasis)
        ),
        "{refused}"
    );
    Case {
        reference: r,
        incidents: vec![a.id, b.id],
    }
}

pub(crate) fn police() -> ExportOptions {
    ExportOptions {
        incidents: None,
        recipient: "Oslo politidistrikt".into(),
        recipient_kind: RecipientKind::Police,
        legal_basis_key: Some("legitimate_interest_legal_claims".into()),
        legal_basis_text: None,
        consent_id: None,
        employee_informed: EmployeeInformed::Yes,
        include_private_contacts: false,
        lang: Lang::Nb,
        self_log: false,
        redacted: Vec::new(),
    }
}

fn unzip(zip: &Path, into: &Path) {
    let st = Command::new("unzip")
        .arg("-q")
        .arg(zip)
        .arg("-d")
        .arg(into)
        .status()
        .unwrap();
    assert!(st.success());
}

fn run_in(dir: &Path, cmd: &str, args: &[&str]) -> (bool, String) {
    let out = Command::new(cmd)
        .args(args)
        .current_dir(dir)
        .output()
        .unwrap();
    (
        out.status.success(),
        format!(
            "{}{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        ),
    )
}

fn police_checks(dir: &Path) -> (bool, bool) {
    let (sums, _) = run_in(dir, "sha256sum", &["-c", "SHA256SUMS"]);
    let (sig, out) = run_in(
        dir,
        "openssl",
        &[
            "pkeyutl",
            "-verify",
            "-pubin",
            "-inkey",
            "signing-key.pem",
            "-rawin",
            "-in",
            "SHA256SUMS",
            "-sigfile",
            "SHA256SUMS.sig",
        ],
    );
    if sig {
        assert!(out.contains("Signature Verified Successfully"), "{out}");
    }
    (sums, sig)
}

fn flip_byte(path: &Path, at: usize) {
    let mut b = std::fs::read(path).unwrap();
    b[at] ^= 0x01;
    std::fs::write(path, b).unwrap();
}

fn export(l: &mut Locker, r: &str, out: &Path) -> varde_core::Exported {
    l.export_bundle(r, &police(), out, &TestRenderer, &mut |_| {})
        .unwrap()
}

#[test]
fn the_preview_names_what_the_export_then_writes_and_writes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let mut l = new_locker(&dir.path().join("a"), Mode::Officer, "Sikkerhetssjef");
    let c = populated(&mut l);
    let before = (
        l.audit_log(None).unwrap().len(),
        l.disclosures(&c.reference).unwrap().len(),
    );
    let preview = l.export_preview(&c.reference, &police()).unwrap();
    let after = (
        l.audit_log(None).unwrap().len(),
        l.disclosures(&c.reference).unwrap().len(),
    );
    assert_eq!(after, before, "a preview writes nothing");
    let out_dir = dir.path().join("out");
    std::fs::create_dir(&out_dir).unwrap();
    let done = export(&mut l, &c.reference, &out_dir);
    assert_eq!(
        preview.bundle_name,
        done.path.file_name().unwrap().to_str().unwrap()
    );
    assert_eq!(preview.originals, done.evidence);
    assert_eq!(preview.originals_bytes, done.evidence_bytes);
    assert_eq!(preview.fingerprint, done.signing_key_fingerprint);
    let unpacked = dir.path().join("unpacked");
    unzip(&done.path, &unpacked);
    for f in &preview.files {
        assert!(unpacked.join(f).is_file(), "{f} is in the bundle");
    }
    assert_eq!(preview.manifest.incidents.len(), preview.incidents);
}

#[test]
fn an_exported_bundle_passes_the_police_checks_and_fails_them_when_touched() {
    let dir = tempfile::tempdir().unwrap();
    let mut l = new_locker(&dir.path().join("a"), Mode::Officer, "Sikkerhetssjef");
    let c = populated(&mut l);
    let out_dir = dir.path().join("out");
    std::fs::create_dir(&out_dir).unwrap();
    let done = export(&mut l, &c.reference, &out_dir);
    assert_eq!(
        done.path,
        out_dir.join(format!("{}_2026-11-22.zip", c.reference))
    );
    let unpacked = dir.path().join("unpacked");
    unzip(&done.path, &unpacked);
    assert_eq!(police_checks(&unpacked), (true, true));

    // The files named by EVIDENCE.md, and nothing else.
    let mut names: Vec<String> = std::fs::read_to_string(unpacked.join("SHA256SUMS"))
        .unwrap()
        .lines()
        .map(|l| l.split_once("  ").unwrap().1.to_string())
        .collect();
    let sorted = {
        let mut s = names.clone();
        s.sort();
        s
    };
    assert_eq!(names, sorted, "SHA256SUMS is sorted");
    names.retain(|n| !n.starts_with("evidence/"));
    assert_eq!(
        names,
        [
            "LES-MEG.txt",
            "custody.jsonl",
            "incidents.csv",
            "manifest.json",
            "report.pdf",
            "signing-key.pem",
            "verify.html",
            "verify.ps1",
            "verify.sh"
        ]
    );
    let a = c.incidents[0];
    assert_eq!(
        std::fs::read(unpacked.join(format!("evidence/{a}/02-Skjermbilde_2_pa_Messenger.png")))
            .unwrap(),
        png(2),
        "originals are byte-identical, with ASCII names"
    );
    let readme = std::fs::read_to_string(unpacked.join("LES-MEG.txt")).unwrap();
    let fp_grouped = bundle::fingerprint_grouped(&done.signing_key_fingerprint);
    assert!(readme.contains(&fp_grouped));
    assert!(readme.contains("originalene (3 filer)"), "{readme}");
    assert!(readme.contains("the originals (3 files)"), "{readme}");
    assert!(readme.find("LES MEG").unwrap() < readme.find("READ ME").unwrap());
    assert!(readme.contains("openssl pkeyutl -verify -pubin -inkey signing-key.pem -rawin -in SHA256SUMS -sigfile SHA256SUMS.sig"));
    // The fingerprint printed is what openssl computes from the PEM.
    let (ok, fp) = run_in(
        &unpacked,
        "sh",
        &[
            "-c",
            "openssl pkey -pubin -in signing-key.pem -outform DER | tail -c 32 | sha256sum",
        ],
    );
    assert!(ok);
    assert!(fp.starts_with(&done.signing_key_fingerprint), "{fp}");
    // verify.sh runs the same checks.
    let (ok, out) = run_in(&unpacked, "sh", &["verify.sh"]);
    assert!(ok, "{out}");

    // A changed original: sha256sum notices, the signature still holds over SHA256SUMS.
    let shot = unpacked.join(format!("evidence/{a}/01-Skjermbilde_1_pa_Messenger.png"));
    flip_byte(&shot, 100);
    assert_eq!(police_checks(&unpacked), (false, true));
    // Varde's own check names it by kind, for the window to word in Norwegian.
    let kinds = |dir: &Path| -> Vec<varde_core::ProblemKind> {
        verify_bundle(dir)
            .unwrap()
            .problems
            .iter()
            .map(|p| p.kind)
            .collect()
    };
    assert_eq!(kinds(&unpacked), [varde_core::ProblemKind::Altered]);
    flip_byte(&shot, 100);
    assert_eq!(police_checks(&unpacked), (true, true));
    assert!(kinds(&unpacked).is_empty());
    let csv = unpacked.join("incidents.csv");
    let kept = std::fs::read(&csv).unwrap();
    std::fs::remove_file(&csv).unwrap();
    let missing = kinds(&unpacked);
    assert!(
        missing
            .iter()
            .all(|k| *k == varde_core::ProblemKind::Missing)
            && !missing.is_empty(),
        "{missing:?}"
    );
    std::fs::write(&csv, kept).unwrap();
    // A changed SHA256SUMS: the signature check fails.
    flip_byte(&unpacked.join("SHA256SUMS"), 3);
    assert!(!police_checks(&unpacked).1);
    assert!(kinds(&unpacked).contains(&varde_core::ProblemKind::BadSignature));
}

#[test]
fn the_verify_page_allows_only_its_own_script_and_no_connection() {
    use base64::Engine as _;
    let dir = tempfile::tempdir().unwrap();
    let mut l = new_locker(&dir.path().join("a"), Mode::Officer, "Sikkerhetssjef");
    let c = populated(&mut l);
    l.edit_case(&c.reference, Some("<script>alert(1)</script> & «Øy»"), None)
        .unwrap();
    let out_dir = dir.path().join("out");
    std::fs::create_dir(&out_dir).unwrap();
    let done = export(&mut l, &c.reference, &out_dir);
    let unpacked = dir.path().join("unpacked");
    unzip(&done.path, &unpacked);
    let page = std::fs::read_to_string(unpacked.join("verify.html")).unwrap();
    assert!(
        page.contains("&lt;script&gt;alert(1)&lt;/script&gt; &amp; «Øy»"),
        "the title is text, not markup"
    );
    let script = page
        .split_once("<script>")
        .and_then(|(_, r)| r.split_once("</script>"))
        .unwrap()
        .0;
    let hash = base64::engine::general_purpose::STANDARD.encode(Sha256::digest(script.as_bytes()));
    assert!(
        page.contains(&format!("script-src 'sha256-{hash}'")),
        "only its own script runs"
    );
    assert!(
        page.contains("default-src 'none'"),
        "no connection of any kind"
    );
    assert_eq!(page.matches("<script").count(), 1);
    assert!(!page.contains("http://") && !page.contains("https://"));
    assert!(!page.contains("{{"), "every placeholder is filled");
    assert!(page.contains(&bundle::fingerprint_grouped(&done.signing_key_fingerprint)));
}

#[test]
fn a_byte_changed_inside_the_zip_file_is_named_as_changed() {
    let dir = tempfile::tempdir().unwrap();
    let mut l = new_locker(&dir.path().join("a"), Mode::Officer, "Sikkerhetssjef");
    let c = populated(&mut l);
    let out_dir = dir.path().join("out");
    std::fs::create_dir(&out_dir).unwrap();
    let done = export(&mut l, &c.reference, &out_dir);
    let mut zip = std::fs::read(&done.path).unwrap();
    let shot = png(2);
    let at = zip.windows(shot.len()).position(|w| w == shot).unwrap();
    zip[at + 1000] ^= 0xff;
    std::fs::write(&done.path, &zip).unwrap();
    let report = verify_bundle(&done.path).unwrap();
    let kinds: Vec<_> = report.problems.iter().map(|p| p.kind).collect();
    assert_eq!(
        kinds,
        [varde_core::ProblemKind::Altered],
        "{:?}",
        report.problems
    );
}

#[test]
fn the_export_is_a_disclosure_with_an_audit_event_naming_the_bundle() {
    let dir = tempfile::tempdir().unwrap();
    let mut l = new_locker(&dir.path().join("a"), Mode::Officer, "Sikkerhetssjef");
    let c = populated(&mut l);
    let before = l.disclosures(&c.reference).unwrap().len();
    let done = export(&mut l, &c.reference, &dir.path().join("b.zip"));
    let unpacked = dir.path().join("u");
    unzip(&done.path, &unpacked);
    let sums = std::fs::read(unpacked.join("SHA256SUMS")).unwrap();
    assert_eq!(done.sha256sums, hex::encode(Sha256::digest(&sums)));

    let ledger = l.disclosures(&c.reference).unwrap();
    assert_eq!(ledger.len(), before + 1);
    let d = ledger.last().unwrap();
    assert_eq!(d.id, done.disclosure_id);
    assert_eq!(d.recipient, "Oslo politidistrikt");
    assert_eq!(d.incident_ids, c.incidents);
    assert_eq!(d.evidence_ids.len(), 3);
    assert_eq!(d.shared, "Bevispakke b.zip: 2 hendelser, 3 originaler");
    let log = l.audit_log(None).unwrap();
    let last = log.last().unwrap();
    assert_eq!(last.action, "bundle.export");
    assert_eq!(last.details["sha256sums"], done.sha256sums);
    assert_eq!(last.details["bundle"], "b.zip");
    assert_eq!(log[log.len() - 2].action, "disclosure.add");

    // The manifest: minimised persons, every incident field, the ledger with this export.
    let m: Manifest =
        serde_json::from_slice(&std::fs::read(unpacked.join("manifest.json")).unwrap()).unwrap();
    assert_eq!(m.format_version, 3);
    // Before the export: bundle.export_started (noted before the first byte is written),
    // disclosure.add and bundle.export follow the manifest's custody head.
    assert_eq!(log[log.len() - 3].action, "bundle.export_started");
    assert_eq!(m.export.custody_head_seq, last.seq - 3);
    let kari = m
        .persons
        .iter()
        .find(|p| p.kind == PersonKind::Employee)
        .unwrap();
    assert_eq!(kari.contacts.len(), 1, "the private phone is left out");
    assert_eq!(kari.contacts[0].value, "kari@firma.example");
    let ola = m
        .persons
        .iter()
        .find(|p| p.kind == PersonKind::ThreatActor)
        .unwrap();
    assert!(ola.health_concern);
    assert_eq!(ola.home_municipality.as_deref(), Some("Bærum"));
    assert!(!serde_json::to_string(&m).unwrap().contains("private note"));
    assert_eq!(m.incidents.len(), 2);
    assert_eq!(
        m.incidents[0].witnesses[0].name.as_deref(),
        Some("Per Vitne")
    );
    assert_eq!(m.escalations[0].reference.as_deref(), Some("12345678"));
    assert!(m.health_notified.notified);
    assert!(m.disclosures.last().unwrap().this_export);
    assert_eq!(m.evidence[0].thread_seq, Some(1));
    assert!(m.evidence[1].whole_thread);
    // Custody: the case's events, each re-hashable, ending at the head before the export.
    assert_eq!(m.custody.last().unwrap().seq, m.export.custody_head_seq);
    assert!(m.custody.iter().all(|e| e.computed_hash() == e.hash));
    assert!(m.custody.iter().any(|e| e.action == "evidence.add"));
    let jsonl = std::fs::read_to_string(unpacked.join("custody.jsonl")).unwrap();
    assert_eq!(jsonl.lines().count(), m.custody.len());

    // incidents.csv: BOM, CRLF, quoted, formula defused.
    let csv = std::fs::read_to_string(unpacked.join("incidents.csv")).unwrap();
    assert!(csv.starts_with('\u{feff}'));
    assert_eq!(csv.matches("\r\n").count(), 3);
    assert!(csv.contains("\"'=Du skal få svi, \"\"Kari\"\"\""));

    // Images are stored, text deflated.
    let mut z = zip::ZipArchive::new(std::fs::File::open(&done.path).unwrap()).unwrap();
    let png_entry = m.evidence[0].path.clone();
    assert_eq!(
        z.by_name(&png_entry).unwrap().compression(),
        zip::CompressionMethod::Stored
    );
    assert_eq!(
        z.by_name(&m.evidence[2].path).unwrap().compression(),
        zip::CompressionMethod::Deflated
    );
    assert!(l.verify(&mut |_| {}).unwrap().ok());
}

#[test]
fn private_contacts_and_a_selection_of_incidents_on_request() {
    let dir = tempfile::tempdir().unwrap();
    let mut l = new_locker(&dir.path().join("a"), Mode::Officer, "O");
    let c = populated(&mut l);
    let opts = ExportOptions {
        incidents: Some(vec![c.incidents[1]]),
        include_private_contacts: true,
        ..police()
    };
    let done = l
        .export_bundle(
            &c.reference,
            &opts,
            &dir.path().join("sel.zip"),
            &TestRenderer,
            &mut |_| {},
        )
        .unwrap();
    assert_eq!(done.evidence, 1);
    let unpacked = dir.path().join("u");
    unzip(&done.path, &unpacked);
    let m: Manifest =
        serde_json::from_slice(&std::fs::read(unpacked.join("manifest.json")).unwrap()).unwrap();
    assert_eq!(m.incidents.len(), 1);
    assert!(!m.export.all_incidents);
    let kari = m
        .persons
        .iter()
        .find(|p| p.kind == PersonKind::Employee)
        .unwrap();
    assert_eq!(kari.contacts.len(), 2);
    // Incident not in the case: refused, nothing recorded.
    let n = l.audit_log(None).unwrap().len();
    let err = l
        .export_bundle(
            &c.reference,
            &ExportOptions {
                incidents: Some(vec![9999]),
                ..police()
            },
            &dir.path().join("x.zip"),
            &TestRenderer,
            &mut |_| {},
        )
        .unwrap_err();
    assert!(err.to_string().contains("9999"));
    assert_eq!(l.audit_log(None).unwrap().len(), n);
}

#[test]
fn a_folder_bundle_verifies_and_a_failed_export_leaves_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let mut l = new_locker(&dir.path().join("a"), Mode::Officer, "O");
    let c = populated(&mut l);
    let folder = dir.path().join("bundle-folder");
    let done = export(&mut l, &c.reference, &folder);
    assert_eq!(done.path, folder);
    assert!(folder.join("SHA256SUMS.sig").is_file());
    assert_eq!(police_checks(&folder), (true, true));
    let r = verify_bundle(&folder).unwrap();
    assert!(r.ok(), "{:?}", r.problems);

    let events = l.audit_log(None).unwrap().len();
    let ledger = l.disclosures(&c.reference).unwrap().len();
    let out = dir.path().join("out");
    std::fs::create_dir(&out).unwrap();
    let err = l
        .export_bundle(
            &c.reference,
            &police(),
            &out.join("f.zip"),
            &FailingRenderer,
            &mut |_| {},
        )
        .unwrap_err();
    assert!(err.to_string().contains("on purpose"));
    assert_eq!(
        std::fs::read_dir(&out).unwrap().count(),
        0,
        "no file, no temp file"
    );
    assert_eq!(l.audit_log(None).unwrap().len(), events);
    assert_eq!(l.disclosures(&c.reference).unwrap().len(), ledger);
    // An existing target is never overwritten.
    let existing = dir.path().join("exists.zip");
    std::fs::write(&existing, b"keep me").unwrap();
    let err = l
        .export_bundle(
            &c.reference,
            &police(),
            &existing,
            &TestRenderer,
            &mut |_| {},
        )
        .unwrap_err();
    assert!(err.to_string().contains("already exists"));
    assert_eq!(std::fs::read(&existing).unwrap(), b"keep me");
}

// ---------------------------------------------------------------- verify and hostile bundles

/// A good bundle's entries, for crafting bad ones.
struct Crafted {
    _dir: tempfile::TempDir,
    entries: Vec<(String, Vec<u8>)>,
    key: ed25519_dalek::SigningKey,
    officer: Locker,
    case: String,
    work: PathBuf,
}

fn crafted() -> Crafted {
    let dir = tempfile::tempdir().unwrap();
    let mut a = new_locker(&dir.path().join("a"), Mode::Officer, "A");
    let c = populated(&mut a);
    let done = export(&mut a, &c.reference, &dir.path().join("good.zip"));
    let secret: String = a
        .raw_connection()
        .query_row(
            "SELECT value FROM settings WHERE key = 'signing_key'",
            [],
            |r| r.get(0),
        )
        .unwrap();
    let mut raw = [0u8; 32];
    hex::decode_to_slice(secret, &mut raw).unwrap();
    let mut z = zip::ZipArchive::new(std::fs::File::open(&done.path).unwrap()).unwrap();
    let mut entries = Vec::new();
    for i in 0..z.len() {
        let mut f = z.by_index(i).unwrap();
        let mut b = Vec::new();
        f.read_to_end(&mut b).unwrap();
        entries.push((f.name().unwrap().to_string(), b));
    }
    drop(a);
    let mut officer = new_locker(&dir.path().join("b"), Mode::Officer, "B");
    let case = officer.create_case("Mottatt", "").unwrap().reference;
    let work = dir.path().join("work");
    std::fs::create_dir(&work).unwrap();
    Crafted {
        _dir: dir,
        entries,
        key: ed25519_dalek::SigningKey::from_bytes(&raw),
        officer,
        case,
        work,
    }
}

impl Crafted {
    fn get(&self, name: &str) -> Vec<u8> {
        self.entries.iter().find(|e| e.0 == name).unwrap().1.clone()
    }

    fn set(&mut self, name: &str, bytes: Vec<u8>) {
        match self.entries.iter_mut().find(|e| e.0 == name) {
            Some(e) => e.1 = bytes,
            None => self.entries.push((name.to_string(), bytes)),
        }
    }

    fn first_evidence(&self) -> String {
        self.entries
            .iter()
            .find(|e| e.0.starts_with("evidence/"))
            .unwrap()
            .0
            .clone()
    }

    /// Recompute SHA256SUMS over every file and sign it with the locker's key.
    fn reseal(&mut self) {
        let list: Vec<(String, String)> = self
            .entries
            .iter()
            .filter(|e| e.0 != "SHA256SUMS" && e.0 != "SHA256SUMS.sig")
            .map(|e| (e.0.clone(), hex::encode(Sha256::digest(&e.1))))
            .collect();
        let sums = bundle::sums_text(&list);
        let sig = self.key.sign(sums.as_bytes()).to_bytes().to_vec();
        self.set("SHA256SUMS", sums.into_bytes());
        self.set("SHA256SUMS.sig", sig);
    }

    /// Write the entries as a zip; `tweak` may add raw entries.
    fn write(&self, name: &str, tweak: impl FnOnce(&mut zip::ZipWriter<std::fs::File>)) -> PathBuf {
        let path = self.work.join(name);
        let mut z = zip::ZipWriter::new(std::fs::File::create(&path).unwrap());
        let opts = zip::write::SimpleFileOptions::default()
            .compression_method(zip::CompressionMethod::Deflated);
        for (n, b) in &self.entries {
            z.start_file(n.as_str(), opts).unwrap();
            z.write_all(b).unwrap();
        }
        tweak(&mut z);
        z.finish().unwrap();
        path
    }

    /// Verify and import `path`; both must name `expected`, and nothing may be written.
    fn refused(&mut self, path: &Path, expected: &str) {
        let report = verify_bundle(path).unwrap();
        let all: Vec<String> = report
            .problems
            .iter()
            .map(|p| format!("{}: {}", p.item, p.message))
            .collect();
        assert!(!report.ok());
        assert!(
            all.iter().any(|p| p.contains(expected)),
            "{expected:?} not among {all:#?}"
        );
        let events = self.officer.audit_log(None).unwrap().len();
        let blobs = count_files(&self.officer.dir().join("blobs"));
        let before = locker_files(self.officer.dir());
        let err = self
            .officer
            .import_bundle(path, &self.case, &mut |_| {})
            .unwrap_err();
        assert_eq!(
            locker_files(self.officer.dir()),
            before,
            "a refused bundle leaves every file of the locker byte-identical"
        );
        assert!(matches!(err, Error::Integrity(_)), "{err}");
        assert!(err.to_string().contains(expected), "{err}");
        assert!(err.to_string().contains("nothing was imported"));
        assert_eq!(self.officer.audit_log(None).unwrap().len(), events);
        assert!(self.officer.list_incidents(&self.case).unwrap().is_empty());
        assert_eq!(count_files(&self.officer.dir().join("blobs")), blobs);
        assert_eq!(count_files(&self.officer.dir().join("tmp")), 0);
    }
}

/// Every file of a locker with its SHA-256 (the lock file aside: it is empty and held).
fn locker_files(dir: &Path) -> BTreeMap<PathBuf, String> {
    walk(dir)
        .into_iter()
        .filter(|p| p.file_name().is_some_and(|n| n != ".lock" && n != "lock"))
        .map(|p| {
            let bytes = std::fs::read(&p).unwrap_or_default();
            (p, hex::encode(Sha256::digest(bytes)))
        })
        .collect()
}

fn count_files(dir: &Path) -> usize {
    walk(dir).len()
}

fn walk(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    if let Ok(rd) = std::fs::read_dir(dir) {
        for e in rd.flatten() {
            if e.path().is_dir() {
                out.extend(walk(&e.path()));
            } else {
                out.push(e.path());
            }
        }
    }
    out
}

#[test]
fn a_resealed_untouched_bundle_verifies_so_the_crafting_is_sound() {
    let mut c = crafted();
    c.reseal();
    let p = c.write("same.zip", |_| {});
    let r = verify_bundle(&p).unwrap();
    assert!(r.ok(), "{:?}", r.problems);
    assert!(r.signature_valid);
    assert_eq!(r.evidence, 3);
}

#[test]
fn hostile_dot_dot_path() {
    let mut c = crafted();
    let p = c.write("dotdot.zip", |z| {
        z.start_file(
            "evidence/../../evil.txt",
            zip::write::SimpleFileOptions::default(),
        )
        .unwrap();
        z.write_all(b"x").unwrap();
    });
    c.refused(&p, "climbs out of the bundle");
}

#[test]
fn hostile_absolute_path() {
    let mut c = crafted();
    let p = c.write("abs.zip", |z| {
        z.start_file("/etc/evil", zip::write::SimpleFileOptions::default())
            .unwrap();
        z.write_all(b"x").unwrap();
    });
    c.refused(&p, "absolute path");
}

#[test]
fn hostile_drive_letter() {
    let mut c = crafted();
    let p = c.write("drive.zip", |z| {
        z.start_file(
            "C:/Windows/evil.txt",
            zip::write::SimpleFileOptions::default(),
        )
        .unwrap();
        z.write_all(b"x").unwrap();
    });
    c.refused(&p, "drive letter");
}

#[test]
fn hostile_backslash() {
    let mut c = crafted();
    let p = c.write("backslash.zip", |z| {
        z.start_file(
            "evidence\\..\\evil.txt",
            zip::write::SimpleFileOptions::default(),
        )
        .unwrap();
        z.write_all(b"x").unwrap();
    });
    c.refused(&p, "backslash");
}

#[test]
fn hostile_symlink_entry() {
    let mut c = crafted();
    let p = c.write("link.zip", |z| {
        z.add_symlink(
            "evidence/link",
            "/etc/passwd",
            zip::write::SimpleFileOptions::default(),
        )
        .unwrap();
    });
    c.refused(&p, "is a link");
}

#[test]
fn hostile_duplicate_path() {
    let mut c = crafted();
    let ev = c.first_evidence();
    let p = c.write("dup.zip", |z| {
        // The writer refuses a duplicate name, so write it under a same-length name and
        // patch the bytes afterwards.
        let fake = format!("{}X", &ev[..ev.len() - 1]);
        z.start_file(fake.as_str(), zip::write::SimpleFileOptions::default())
            .unwrap();
        z.write_all(b"other bytes").unwrap();
    });
    let mut bytes = std::fs::read(&p).unwrap();
    let fake = format!("{}X", &ev[..ev.len() - 1]);
    let (from, to) = (fake.as_bytes(), ev.as_bytes());
    let mut i = 0;
    while i + from.len() <= bytes.len() {
        if &bytes[i..i + from.len()] == from {
            bytes[i..i + from.len()].copy_from_slice(to);
        }
        i += 1;
    }
    std::fs::write(&p, bytes).unwrap();
    c.refused(&p, "duplicate");
}

#[test]
fn hostile_missing_file() {
    let mut c = crafted();
    let ev = c.first_evidence();
    c.entries.retain(|e| e.0 != ev);
    let p = c.write("missing.zip", |_| {});
    c.refused(&p, "missing");
}

#[test]
fn hostile_extra_file() {
    let mut c = crafted();
    let p = c.write("extra.zip", |z| {
        z.start_file(
            "evidence/1/99-planted.txt",
            zip::write::SimpleFileOptions::default(),
        )
        .unwrap();
        z.write_all(b"planted").unwrap();
    });
    c.refused(&p, "not listed in SHA256SUMS");
}

#[test]
fn hostile_extra_file_even_when_resealed_is_not_in_the_manifest() {
    let mut c = crafted();
    c.set("evidence/1/99-planted.txt", b"planted".to_vec());
    c.reseal();
    let p = c.write("extra-sealed.zip", |_| {});
    c.refused(&p, "not in the manifest");
}

#[test]
fn hostile_hash_mismatch() {
    let mut c = crafted();
    let ev = c.first_evidence();
    let mut b = c.get(&ev);
    b[50] ^= 1;
    c.set(&ev, b);
    let p = c.write("mismatch.zip", |_| {});
    c.refused(&p, "does not match its SHA-256");
}

#[test]
fn hostile_bad_signature() {
    let mut c = crafted();
    let ev = c.first_evidence();
    let mut b = c.get(&ev);
    b[50] ^= 1;
    c.set(&ev, b);
    // SHA256SUMS rewritten to match, but not re-signed.
    let sig = c.get("SHA256SUMS.sig");
    c.reseal();
    c.set("SHA256SUMS.sig", sig);
    let p = c.write("badsig.zip", |_| {});
    c.refused(&p, "signature does not match");
}

#[test]
fn hostile_decompression_bomb() {
    let mut c = crafted();
    c.set("evidence/1/99-zeros.bin", vec![0u8; 20 << 20]);
    c.reseal();
    let path = c.work.join("bomb.zip");
    {
        let mut z = zip::ZipWriter::new(std::fs::File::create(&path).unwrap());
        for (n, b) in &c.entries {
            let opts = zip::write::SimpleFileOptions::default()
                .compression_method(zip::CompressionMethod::Deflated)
                .compression_level(Some(9));
            z.start_file(n.as_str(), opts).unwrap();
            z.write_all(b).unwrap();
        }
        z.finish().unwrap();
    }
    c.refused(&path, "decompression bomb");
}

#[test]
fn hostile_unknown_format_version() {
    let mut c = crafted();
    let mut m: serde_json::Value = serde_json::from_slice(&c.get("manifest.json")).unwrap();
    m["format_version"] = 4.into();
    c.set("manifest.json", serde_json::to_vec_pretty(&m).unwrap());
    c.reseal();
    let p = c.write("v4.zip", |_| {});
    c.refused(&p, "format_version 4");
}

/// A bundle made by a Varde before version 2 of the manifest (no readings, no message
/// links) still verifies.
#[test]
fn a_version_1_bundle_still_verifies() {
    let mut c = crafted();
    let mut m: serde_json::Value = serde_json::from_slice(&c.get("manifest.json")).unwrap();
    m["format_version"] = 1.into();
    m["export"].as_object_mut().unwrap().remove("gps_included");
    for e in m["evidence"].as_array_mut().unwrap() {
        let e = e.as_object_mut().unwrap();
        e.remove("derived");
        e.remove("attachment_of");
    }
    c.set("manifest.json", serde_json::to_vec_pretty(&m).unwrap());
    c.reseal();
    let p = c.write("v1.zip", |_| {});
    let report = verify_bundle(&p).unwrap();
    assert!(report.ok(), "{:?}", report.problems);
    assert_eq!(report.format_version, Some(1));
}

#[test]
fn hostile_truncated_zip() {
    let mut c = crafted();
    let p = c.write("full.zip", |_| {});
    let b = std::fs::read(&p).unwrap();
    let cut = c.work.join("truncated.zip");
    std::fs::write(&cut, &b[..b.len() * 2 / 3]).unwrap();
    c.refused(&cut, "damaged or truncated");
}

#[test]
fn hostile_edited_custody_event() {
    let mut c = crafted();
    let text = String::from_utf8(c.get("custody.jsonl")).unwrap();
    let edited = text.replacen("\"actor\":\"A\"", "\"actor\":\"Mallory\"", 1);
    assert_ne!(text, edited);
    c.set("custody.jsonl", edited.into_bytes());
    c.reseal();
    let p = c.write("custody.zip", |_| {});
    c.refused(&p, "do not match its hash");
}

// ---------------------------------------------------------------- import round trips

#[test]
fn import_round_trip_preserves_originals_times_and_authors() {
    let dir = tempfile::tempdir().unwrap();
    let mut a = new_locker(&dir.path().join("a"), Mode::Officer, "Officer A");
    let c = populated(&mut a);
    let done = export(&mut a, &c.reference, &dir.path().join("a.zip"));
    let originals = a.list_evidence(&c.reference, None).unwrap();
    let incidents = a.list_incidents(&c.reference).unwrap();
    let mut bytes = BTreeMap::new();
    for e in &originals {
        let mut v = Vec::new();
        a.open_original(e.id).unwrap().read_to_end(&mut v).unwrap();
        bytes.insert(e.uid.clone(), v);
    }
    let a_id = a.locker_id().to_string();
    drop(a);

    let mut b = TestLocker {
        owner: "Officer B",
        at: "2026-11-23T09:00:00+01:00",
        ..Default::default()
    }
    .init(&dir.path().join("b"));
    let target = b.create_case("Fra politiet", "").unwrap().reference;
    let imported = b.import_bundle(&done.path, &target, &mut |_| {}).unwrap();
    assert_eq!(imported.sha256sums, done.sha256sums);
    assert_eq!(
        imported.signing_key_fingerprint,
        done.signing_key_fingerprint
    );
    assert_eq!(imported.source_locker_id, a_id);
    assert_eq!(imported.evidence.len(), 3);

    let got = b.list_evidence(&target, None).unwrap();
    for (orig, new) in originals.iter().zip(&got) {
        assert_eq!(new.uid, orig.uid);
        assert_eq!(new.sha256, orig.sha256);
        assert_eq!(new.acquired_at, orig.acquired_at);
        assert_eq!(new.acquired_by, "Officer A");
        assert_eq!(new.original_name, orig.original_name);
        assert_eq!(new.thread_seq, orig.thread_seq);
        assert_eq!(new.source, varde_core::model::EvidenceSource::Bundle);
        let mut v = Vec::new();
        b.open_original(new.id)
            .unwrap()
            .read_to_end(&mut v)
            .unwrap();
        assert_eq!(&v, &bytes[&orig.uid]);
    }
    let got_inc = b.list_incidents(&target).unwrap();
    for (orig, new) in incidents.iter().zip(&got_inc) {
        assert_eq!(new.uid, orig.uid);
        assert_eq!(new.logged_at, orig.logged_at);
        assert_eq!(new.logged_by, "Officer A");
        assert_eq!(new.occurred_utc, orig.occurred_utc);
        assert_eq!(new.wording, orig.wording);
    }
    // The bundle's persons are persons of the target case, and its incidents name them.
    let persons = b.list_persons(&target).unwrap();
    assert_eq!(persons.len(), 2, "{persons:?}");
    let actor = persons
        .iter()
        .find(|p| p.kind == PersonKind::ThreatActor)
        .unwrap();
    assert_eq!(actor.name.as_deref(), Some("Ola Uvennlig"));
    assert_eq!(actor.aliases, ["@ola_u"]);
    assert_eq!(actor.home_municipality.as_deref(), Some("Bærum"));
    assert!(actor.health_concern);
    let employee = persons
        .iter()
        .find(|p| p.kind == PersonKind::Employee)
        .unwrap();
    assert_eq!(employee.name.as_deref(), Some("Kari Nordmann"));
    assert_eq!(employee.title.as_deref(), Some("Resepsjonist"));
    // Minimised as in the bundle: no private contact, no notes.
    assert!(employee.contacts.iter().all(|c| !c.private), "{employee:?}");
    assert_eq!(employee.contacts.len(), 1);
    assert_eq!(employee.notes, "");
    assert_eq!(got_inc[0].actor_id, Some(actor.id));
    assert_eq!(got_inc[0].description, incidents[0].description);
    assert_eq!(got_inc[0].witnesses, incidents[0].witnesses);
    let case_log = b.audit_log(Some(&format!("case:{target}"))).unwrap();
    assert_eq!(
        case_log
            .iter()
            .filter(|e| e.action == "person.import")
            .count(),
        2
    );
    let log = b.audit_log(Some(&format!("case:{target}"))).unwrap();
    let ev = log.iter().find(|e| e.action == "bundle.import").unwrap();
    assert_eq!(ev.details["sha256sums"], done.sha256sums);
    assert_eq!(
        ev.details["signing_key_fingerprint"],
        done.signing_key_fingerprint
    );
    assert_eq!(ev.actor, "Officer B");
    let r = b.verify(&mut |_| {}).unwrap();
    assert!(r.ok(), "{:?}", r.problems);

    // Importing the same bundle again is refused.
    let err = b
        .import_bundle(&done.path, &target, &mut |_| {})
        .unwrap_err();
    assert!(err.to_string().contains("imported before"), "{err}");

    // B's own export names where the originals came from.
    let again = b
        .export_bundle(
            &target,
            &police(),
            &dir.path().join("b.zip"),
            &TestRenderer,
            &mut |_| {},
        )
        .unwrap();
    let unpacked = dir.path().join("ub");
    unzip(&again.path, &unpacked);
    assert_eq!(police_checks(&unpacked), (true, true));
    let m: Manifest =
        serde_json::from_slice(&std::fs::read(unpacked.join("manifest.json")).unwrap()).unwrap();
    let origin = m.evidence[0].origin.as_ref().unwrap();
    assert_eq!(origin.locker_id, a_id);
    assert_eq!(origin.bundle_sha256sums, done.sha256sums);
    assert_eq!(m.evidence[0].acquired_by, "Officer A");
}

#[test]
fn an_emergency_the_employee_handled_does_not_ring_112_at_the_officers_desk() {
    let dir = tempfile::tempdir().unwrap();
    let mut officer = new_locker(&dir.path().join("off"), Mode::Officer, "Sikkerhetssjef");
    for (name, handled) in [("handled", true), ("open", false)] {
        let mut me = new_locker(&dir.path().join(name), Mode::SelfLog, "Kari");
        let case = me.self_log_case().unwrap();
        me.add_incident(
            &case.reference,
            NewIncident {
                at: "2026-11-22 09:40".into(),
                place: "Hovedinngangen".into(),
                channel: Some(Channel::InPerson),
                description: "Står utenfor og roper".into(),
                ongoing_emergency: true,
                ..Default::default()
            },
        )
        .unwrap();
        if handled {
            // «Nødsituasjonen er over» in the employee's banner.
            me.act_on_prompt(
                &case.reference,
                "emergency_112",
                PromptAct::new(ActionKind::Done),
            )
            .unwrap();
        }
        let opts = ExportOptions {
            recipient: "Sikkerhetsansvarlig".into(),
            recipient_kind: RecipientKind::Other,
            legal_basis_key: Some("consent".into()),
            self_log: true,
            ..police()
        };
        let done = me
            .export_bundle(
                &case.reference,
                &opts,
                &dir.path().join(format!("{name}.zip")),
                &TestRenderer,
                &mut |_| {},
            )
            .unwrap();
        let target = officer.create_case(name, "").unwrap().reference;
        officer
            .import_bundle(&done.path, &target, &mut |_| {})
            .unwrap();
        let open: Vec<String> = officer
            .open_prompts(&target)
            .unwrap()
            .into_iter()
            .map(|p| p.key)
            .collect();
        assert_eq!(
            open.contains(&"emergency_112".to_string()),
            !handled,
            "{name}: {open:?}"
        );
        if handled {
            let history = officer.escalation_history(&target).unwrap();
            assert_eq!(history.len(), 1);
            assert_eq!(
                history[0].acted_by, "Kari",
                "the record says who handled it"
            );
            // A new emergency at the officer's desk raises it again.
            officer
                .add_incident(
                    &target,
                    NewIncident {
                        at: "2026-11-22 09:55".into(),
                        place: "Resepsjonen".into(),
                        channel: Some(Channel::InPerson),
                        description: "Kom tilbake".into(),
                        ongoing_emergency: true,
                        ..Default::default()
                    },
                )
                .unwrap();
            assert!(
                officer
                    .open_prompts(&target)
                    .unwrap()
                    .iter()
                    .any(|p| p.key == "emergency_112")
            );
        }
    }
    assert!(officer.verify(&mut |_| {}).unwrap().problems.is_empty());
}

#[test]
fn a_self_log_goes_to_the_officer() {
    let dir = tempfile::tempdir().unwrap();
    let mut me = new_locker(&dir.path().join("me"), Mode::SelfLog, "Kari");
    // The one case exists from init on.
    let listed = me.list_cases(&Default::default()).unwrap();
    assert_eq!(listed.len(), 1, "a self-log starts with its one case");
    assert_eq!(listed[0].title, "Meg");
    let case = me.self_log_case().unwrap();
    assert_eq!(case.title, "Meg");
    assert_eq!(case.id, listed[0].id);
    assert_eq!(me.self_log_case().unwrap().id, case.id, "one case");
    let kari_caller = me
        .add_person(
            &case.reference,
            NewPerson {
                kind: Some(PersonKind::ThreatActor),
                aliases: vec!["+47 999 99 999".into()],
                ..Default::default()
            },
        )
        .unwrap()
        .id;
    let vera = me
        .add_person(
            &case.reference,
            NewPerson {
                kind: Some(PersonKind::Witness),
                name: Some("Vera Vakt".into()),
                ..Default::default()
            },
        )
        .unwrap();
    let inc = me
        .add_incident(
            &case.reference,
            NewIncident {
                at: "2026-11-19 21:10".into(),
                place: "SMS".into(),
                channel: Some(Channel::Sms),
                description: "SMS om kvelden".into(),
                actor_id: Some(kari_caller),
                witnesses: vec![varde_core::model::Witness {
                    person: Some(vera.id),
                    name: None,
                }],
                ..Default::default()
            },
        )
        .unwrap();
    me.add_evidence_from_reader(inc.id, "sms.png", &mut &png(9)[..], &AddOptions::default())
        .unwrap();
    let opts = ExportOptions {
        recipient: "Sikkerhetsansvarlig".into(),
        recipient_kind: RecipientKind::Other,
        legal_basis_key: Some("consent".into()),
        self_log: true,
        ..police()
    };
    let done = me
        .export_bundle(
            &case.reference,
            &opts,
            &dir.path().join("meg.zip"),
            &TestRenderer,
            &mut |_| {},
        )
        .unwrap();
    let unpacked = dir.path().join("u");
    unzip(&done.path, &unpacked);
    assert_eq!(police_checks(&unpacked), (true, true));
    drop(me);

    let mut officer = new_locker(&dir.path().join("off"), Mode::Officer, "Sikkerhetssjef");
    let target = officer.create_case("Kari", "").unwrap().reference;
    let imported = officer
        .import_bundle(&done.path, &target, &mut |_| {})
        .unwrap();
    let inc = &officer.list_incidents(&target).unwrap()[0];
    assert_eq!(inc.logged_by, "Kari");
    // The incident says where it came from: Kari's self-log, its bundle and its key.
    let origin = officer.incident_origin(inc.id).unwrap().unwrap();
    assert_eq!(origin.source_mode, "self_log");
    assert_eq!(
        origin.bundle_name,
        done.path.file_name().unwrap().to_str().unwrap()
    );
    assert_eq!(
        origin.signing_key_fingerprint,
        imported.signing_key_fingerprint
    );
    assert_eq!(origin.sha256sums, imported.sha256sums);
    let other = officer.create_case("Annen sak", "").unwrap().reference;
    let own = officer
        .add_incident(
            &other,
            NewIncident {
                at: "2026-11-20 10:00".into(),
                place: "Kontoret".into(),
                channel: Some(Channel::InPerson),
                description: "Logget her".into(),
                ..Default::default()
            },
        )
        .unwrap();
    assert_eq!(officer.incident_origin(own.id).unwrap(), None);
    assert_eq!(
        inc.logged_by_role,
        varde_core::model::LoggedByRole::Employee
    );
    let ev = &officer.list_evidence(&target, None).unwrap()[0];
    assert_eq!(ev.acquired_by, "Kari");
    assert_eq!(ev.sha256, hex::encode(Sha256::digest(png(9))));
    // Kari's unknown caller and her witness are persons of the officer's case now.
    let persons = officer.list_persons(&target).unwrap();
    assert_eq!(persons.len(), 2, "{persons:?}");
    let caller = persons
        .iter()
        .find(|p| p.kind == PersonKind::ThreatActor)
        .unwrap();
    assert_eq!(caller.name, None);
    assert!(!caller.known);
    assert_eq!(caller.aliases, ["+47 999 99 999"]);
    let vera = persons
        .iter()
        .find(|p| p.kind == PersonKind::Witness)
        .unwrap();
    assert_eq!(vera.name.as_deref(), Some("Vera Vakt"));
    assert_eq!(inc.actor_id, Some(caller.id));
    assert_eq!(
        inc.witnesses,
        [varde_core::model::Witness {
            person: Some(vera.id),
            name: None,
        }]
    );
    assert!(officer.verify(&mut |_| {}).unwrap().ok());
    drop(officer);

    // A later self-log bundle with the same caller: the officer's case keeps one person
    // for them, and the new incident names that person.
    let mut me = Locker::open(&dir.path().join("me"), PASS, clock()).unwrap();
    let second = me
        .add_incident(
            &case.reference,
            NewIncident {
                at: "2026-11-21 07:45".into(),
                place: "Telefon".into(),
                channel: Some(Channel::PhoneCall),
                description: "Ringte igjen".into(),
                actor_id: Some(kari_caller),
                ..Default::default()
            },
        )
        .unwrap();
    let later = me
        .export_bundle(
            &case.reference,
            &ExportOptions {
                incidents: Some(vec![second.id]),
                ..opts
            },
            &dir.path().join("meg-2.zip"),
            &TestRenderer,
            &mut |_| {},
        )
        .unwrap();
    drop(me);
    let mut officer = Locker::open(&dir.path().join("off"), PASS, clock()).unwrap();
    officer
        .import_bundle(&later.path, &target, &mut |_| {})
        .unwrap();
    let persons = officer.list_persons(&target).unwrap();
    assert_eq!(persons.len(), 2, "the caller is reused: {persons:?}");
    let incs = officer.list_incidents(&target).unwrap();
    assert_eq!(incs.len(), 2);
    assert!(
        incs.iter().all(|i| i.actor_id == Some(caller.id)),
        "{incs:?}"
    );
    let r = officer.verify(&mut |_| {}).unwrap();
    assert!(r.ok(), "{:?}", r.problems);
}

// ---------------------------------------------------------------- benchmark

/// Used by `scripts/bench-export` while the CLI has no report renderer: ingests
/// `$BENCH_EXPORT_DATA` (a recording and `images/`) and times the export alone.
#[test]
#[ignore = "a benchmark; run by scripts/bench-export"]
fn bench_export() {
    let data = PathBuf::from(std::env::var("BENCH_EXPORT_DATA").unwrap());
    let out = PathBuf::from(std::env::var("BENCH_EXPORT_OUT").unwrap());
    std::fs::create_dir_all(&out).unwrap();
    let mut l = new_locker(&out.join("locker"), Mode::Officer, "Bench");
    let case = l.create_case("bench", "").unwrap().reference;
    let mut files: Vec<PathBuf> = walk(&data);
    files.sort();
    let (images, other): (Vec<PathBuf>, Vec<PathBuf>) = files
        .into_iter()
        .partition(|p| p.parent().is_some_and(|d| d.ends_with("images")));
    for (what, list) in [("recording", other), ("screenshots", images)] {
        let inc = l
            .add_incident(
                &case,
                NewIncident {
                    at: "2026-01-01 12:00".into(),
                    place: "x".into(),
                    channel: Some(Channel::Other),
                    description: what.into(),
                    ..Default::default()
                },
            )
            .unwrap();
        l.add_evidence(inc.id, &list, &AddOptions::default(), &mut |_| {})
            .unwrap();
    }
    let t = std::time::Instant::now();
    let done = l
        .export_bundle(
            &case,
            &police(),
            &out.join("bundle.zip"),
            &OnePageRenderer,
            &mut |_| {},
        )
        .unwrap();
    let secs = t.elapsed().as_secs_f64();
    println!(
        "exported {} originals, {} bytes",
        done.evidence, done.evidence_bytes
    );
    println!("export seconds: {secs:.3}");
}

// ---------------------------------------------------------------- zip structure

/// A zip (no ZIP64 records, no comment) taken apart for byte surgery: everything before
/// the central directory, and the central directory's records. `bytes` puts it together
/// again with a fresh end record, so offsets and counts in the end record are always right.
struct RawZip {
    body: Vec<u8>,
    cd: Vec<Vec<u8>>,
}

fn le16(b: &[u8], at: usize) -> usize {
    u16::from_le_bytes([b[at], b[at + 1]]) as usize
}

fn le32(b: &[u8], at: usize) -> usize {
    u32::from_le_bytes(b[at..at + 4].try_into().unwrap()) as usize
}

impl RawZip {
    fn read(path: &Path) -> RawZip {
        RawZip::read_bytes(std::fs::read(path).unwrap())
    }

    fn read_bytes(b: Vec<u8>) -> RawZip {
        let e = b.len() - 22;
        assert_eq!(le32(&b, e), 0x0605_4b50, "no comment, no ZIP64");
        let (n, cd) = (le16(&b, e + 10), le32(&b, e + 16));
        let mut at = cd;
        let mut records = Vec::new();
        for _ in 0..n {
            let len = 46 + le16(&b, at + 28) + le16(&b, at + 30) + le16(&b, at + 32);
            records.push(b[at..at + len].to_vec());
            at += len;
        }
        assert_eq!(at, e);
        RawZip {
            body: b[..cd].to_vec(),
            cd: records,
        }
    }

    fn bytes(&self) -> Vec<u8> {
        let mut out = self.body.clone();
        let cd: Vec<u8> = self.cd.concat();
        out.extend_from_slice(&cd);
        out.extend_from_slice(&0x0605_4b50u32.to_le_bytes());
        out.extend_from_slice(&[0; 4]);
        let n = (self.cd.len() as u16).to_le_bytes();
        out.extend_from_slice(&n);
        out.extend_from_slice(&n);
        out.extend_from_slice(&(cd.len() as u32).to_le_bytes());
        out.extend_from_slice(&(self.body.len() as u32).to_le_bytes());
        out.extend_from_slice(&[0; 2]);
        out
    }

    fn write(&self, path: &Path) {
        std::fs::write(path, self.bytes()).unwrap();
    }

    fn index(&self, name: &str) -> usize {
        self.cd
            .iter()
            .position(|r| &r[46..46 + le16(r, 28)] == name.as_bytes())
            .unwrap()
    }

    /// Where the local header of central record `i` is.
    fn offset(&self, i: usize) -> usize {
        le32(&self.cd[i], 42)
    }

    /// Insert bytes before the body's byte `at`, moving every entry from there on.
    fn insert(&mut self, at: usize, bytes: &[u8]) {
        self.body.splice(at..at, bytes.iter().copied());
        for r in &mut self.cd {
            let off = le32(r, 42);
            if off >= at {
                r[42..46].copy_from_slice(&((off + bytes.len()) as u32).to_le_bytes());
            }
        }
    }
}

/// A central record like `r` under another name.
fn renamed(r: &[u8], name: &str) -> Vec<u8> {
    let mut out = r[..46].to_vec();
    out[28..30].copy_from_slice(&(name.len() as u16).to_le_bytes());
    out.extend_from_slice(name.as_bytes());
    out.extend_from_slice(&r[46 + le16(r, 28)..]);
    out
}

impl Crafted {
    /// The entries as a zip that verifies, taken apart.
    fn raw(&self, name: &str) -> RawZip {
        let p = self.write(name, |_| {});
        let r = verify_bundle(&p).unwrap();
        assert!(r.ok(), "the zip before surgery verifies: {:?}", r.problems);
        RawZip::read(&p)
    }
}

#[test]
fn zip_local_header_names_another_file() {
    let mut c = crafted();
    let ev = c.first_evidence();
    let mut z = c.raw("base.zip");
    let at = z.offset(z.index(&ev)) + 30 + ev.len() - ".png".len() - 1;
    // evidence/1/01-…_Messenger.png → …_MessengeX.png, in the local header only.
    assert_ne!(z.body[at], b'X');
    z.body[at] = b'X';
    let p = c.work.join("local-name.zip");
    z.write(&p);
    c.refused(&p, "has another name in its local header");
}

#[test]
fn zip_smuggled_local_header_between_entries() {
    let mut c = crafted();
    let ev = c.first_evidence();
    let mut z = c.raw("base.zip");
    // A whole local header with its data, from another zip, not in the central directory.
    let mut planted = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    planted
        .start_file(
            "evidence/1/99-planted.txt",
            zip::write::SimpleFileOptions::default()
                .compression_method(zip::CompressionMethod::Stored),
        )
        .unwrap();
    planted.write_all(b"planted evidence").unwrap();
    let planted = RawZip::read_bytes(planted.finish().unwrap().into_inner());
    let next = z.index(&ev) + 1;
    let at = z.offset(next);
    z.insert(at, &planted.body);
    let p = c.work.join("smuggled.zip");
    z.write(&p);
    c.refused(&p, "are not in the central directory");
}

#[test]
fn zip_two_central_entries_share_their_bytes() {
    let mut c = crafted();
    // SHA256SUMS lists a copy of LES-MEG.txt, which the zip then gives no bytes of its own.
    c.set("LES-MEG.bak", c.get("LES-MEG.txt"));
    c.reseal();
    c.entries.retain(|e| e.0 != "LES-MEG.bak");
    let mut z = RawZip::read(&c.write("base.zip", |_| {}));
    let i = z.index("LES-MEG.txt");
    let copy = renamed(&z.cd[i], "LES-MEG.bak");
    z.cd.push(copy);
    let p = c.work.join("overlap.zip");
    z.write(&p);
    // Info-ZIP refuses it too.
    let (ok, out) = run_in(&c.work, "unzip", &["-t", "overlap.zip"]);
    assert!(!ok, "{out}");
    assert!(out.contains("overlapped components"), "{out}");
    c.refused(&p, "overlapping entries");
}

#[test]
fn zip_bytes_before_the_first_entry() {
    let mut c = crafted();
    let mut z = c.raw("base.zip");
    // Like a self-extracting stub, with the offsets moved so the zip is otherwise valid.
    let mut stub =
        b"#!/bin/sh\necho 'this is not the evidence you are looking for'\nexit 0\n".to_vec();
    stub.resize(512, 0);
    z.insert(0, &stub);
    let p = c.work.join("prepended.zip");
    z.write(&p);
    c.refused(&p, "512 bytes come before the zip's first entry");
}

#[test]
fn zip_bytes_after_the_end_record() {
    let mut c = crafted();
    let z = c.raw("base.zip");
    let mut b = z.bytes();
    b.extend_from_slice(b"appended after the end of the zip");
    let p = c.work.join("appended.zip");
    std::fs::write(&p, b).unwrap();
    c.refused(&p, "33 bytes follow the end of the zip");
}

#[test]
fn zip_local_header_compression_method_differs() {
    let mut c = crafted();
    let mut z = c.raw("base.zip");
    let i = z.index("manifest.json");
    assert_eq!(le16(&z.cd[i], 10), 8, "deflated");
    let at = z.offset(i) + 8;
    z.body[at] = 0;
    let p = c.work.join("method.zip");
    z.write(&p);
    c.refused(&p, "compression method 0 in its local header but 8");
}

#[test]
fn zip_many_entries_sharing_one_deflate_stream_are_not_hashed() {
    // The red team's 4.2 MB file that made verification hash 16 GB, made small: one
    // highly compressible file and many central entries pointing to its bytes, each listed
    // in a resealed SHA256SUMS, so that without the checks every one would be inflated
    // and hashed.
    let mut c = crafted();
    let text = "Du vet hvor jeg finner deg.\n".repeat(150_000).into_bytes();
    let copies: Vec<String> = (0..250).map(|i| format!("nuller-{i:03}.txt")).collect();
    c.set("nuller.txt", text.clone());
    for n in &copies {
        c.set(n, text.clone());
    }
    c.reseal();
    c.entries.retain(|e| !e.0.starts_with("nuller-"));
    let mut z = RawZip::read(&c.write("base.zip", |_| {}));
    let i = z.index("nuller.txt");
    for n in &copies {
        let r = renamed(&z.cd[i], n);
        z.cd.push(r);
    }
    let p = c.work.join("shared.zip");
    z.write(&p);
    let size = std::fs::metadata(&p).unwrap().len();
    let declared = text.len() as u64 * (copies.len() as u64 + 1);
    assert!(
        declared > 10 * 1000 * size,
        "{declared} bytes declared in {size}: well past the cap of 1000 × the file's size"
    );
    let r = verify_bundle(&p).unwrap();
    assert_eq!(
        (r.files_checked, r.bytes_checked),
        (0, 0),
        "nothing was hashed"
    );
    c.refused(&p, "times the zip's own size");
}

#[test]
fn bundles_zipped_by_info_zip_pass() {
    let dir = tempfile::tempdir().unwrap();
    let mut a = new_locker(&dir.path().join("a"), Mode::Officer, "A");
    let c = populated(&mut a);
    let folder = dir.path().join("folder");
    export(&mut a, &c.reference, &folder);
    drop(a);
    let mut b = new_locker(&dir.path().join("b"), Mode::Officer, "B");
    let case = b.create_case("Mottatt", "").unwrap().reference;
    for (name, args) in [
        ("izip-x.zip", &["-q", "-r", "-X"][..]),
        ("izip-0.zip", &["-q", "-r", "-0", "-X"][..]),
        // With Info-ZIP's extra fields (UT, ux).
        ("izip.zip", &["-q", "-r"][..]),
    ] {
        let out = dir.path().join(name);
        let mut all = args.to_vec();
        let target = out.to_str().unwrap();
        all.extend([target, "."]);
        let (ok, text) = run_in(&folder, "zip", &all);
        assert!(ok, "{text}");
        let r = verify_bundle(&out).unwrap();
        assert!(r.ok(), "{name}: {:?}", r.problems);
        assert!(r.signature_valid);
        assert_eq!(r.evidence, 3);
    }
    let done = b
        .import_bundle(&dir.path().join("izip-0.zip"), &case, &mut |_| {})
        .unwrap();
    assert_eq!(done.evidence.len(), 3);
}

// ---- Red-team pass: manifest duplicates, hostile text, a second signing key ----

#[test]
fn hostile_manifest_lists_one_original_twice() {
    let mut c = crafted();
    let mut m: serde_json::Value = serde_json::from_slice(&c.get("manifest.json")).unwrap();
    let first = m["evidence"][0].clone();
    let mut twin = first.clone();
    twin["id"] = 9999.into();
    m["evidence"].as_array_mut().unwrap().push(twin);
    c.set("manifest.json", serde_json::to_vec_pretty(&m).unwrap());
    c.reseal();
    let p = c.write("twice.zip", |_| {});
    c.refused(&p, "listed twice in the manifest");
}

/// Import must refuse, name the field and write nothing; the signature itself is fine.
fn import_refuses_text(c: &mut Crafted, path: &Path, expected: &str) {
    let events = c.officer.audit_log(None).unwrap().len();
    let before = locker_files(c.officer.dir());
    let err = c
        .officer
        .import_bundle(path, &c.case, &mut |_| {})
        .unwrap_err();
    assert_eq!(
        locker_files(c.officer.dir()),
        before,
        "locker byte-identical"
    );
    assert!(err.to_string().contains(expected), "{err}");
    assert!(err.to_string().contains("nothing was imported"), "{err}");
    assert_eq!(c.officer.audit_log(None).unwrap().len(), events);
    assert!(c.officer.list_incidents(&c.case).unwrap().is_empty());
}

#[test]
fn hostile_text_in_a_signed_bundle_is_refused_at_import() {
    for (field, value, expected) in [
        (
            "wording",
            "\u{1b}]0;owned\u{7}Jeg vet hvor du bor",
            "control character",
        ),
        ("place", "a\u{1b}[2Kb", "control character"),
        ("original_name", "../../../etc/passwd", "folder separator"),
        (
            "original_name",
            "n".repeat(100_000).as_str(),
            "longer than 255 bytes",
        ),
        (
            "description",
            "x".repeat(100_001).as_str(),
            "characters long",
        ),
    ] {
        let mut c = crafted();
        let mut m: serde_json::Value = serde_json::from_slice(&c.get("manifest.json")).unwrap();
        if field == "original_name" {
            m["evidence"][0][field] = value.into();
        } else {
            m["incidents"][0][field] = value.into();
        }
        c.set("manifest.json", serde_json::to_vec_pretty(&m).unwrap());
        c.reseal();
        let p = c.write("text.zip", |_| {});
        import_refuses_text(&mut c, &p, expected);
    }
}

#[test]
fn a_second_bundle_from_the_same_locker_with_another_key_is_refused() {
    use ed25519_dalek::pkcs8::EncodePublicKey as _;
    let mut c = crafted();
    c.reseal();
    let good = c.write("first.zip", |_| {});
    let first = c
        .officer
        .import_bundle(&good, &c.case, &mut |_| {})
        .unwrap();
    let source = {
        let m: Manifest = serde_json::from_slice(&c.get("manifest.json")).unwrap();
        m.locker.id
    };
    assert_eq!(
        c.officer
            .key_status(&source, &first.signing_key_fingerprint)
            .unwrap(),
        varde_core::KeyStatus::Known { imports: 1 }
    );

    // Someone else re-signs a forged bundle "from" the same locker with their own key.
    let forger = ed25519_dalek::SigningKey::from_bytes(&[7u8; 32]);
    let public = forger.verifying_key();
    let fp = bundle::key_fingerprint(public.as_bytes());
    let mut m: serde_json::Value = serde_json::from_slice(&c.get("manifest.json")).unwrap();
    m["locker"]["signing_key_fingerprint"] = fp.clone().into();
    m["locker"]["signing_public_key"] = hex::encode(public.as_bytes()).into();
    m["incidents"][0]["wording"] = "Forfalsket ordlyd".into();
    c.set("manifest.json", serde_json::to_vec_pretty(&m).unwrap());
    c.set(
        "signing-key.pem",
        public
            .to_public_key_pem(ed25519_dalek::pkcs8::spki::der::pem::LineEnding::LF)
            .unwrap()
            .into_bytes(),
    );
    c.key = forger;
    c.reseal();
    let forged = c.write("forged.zip", |_| {});
    let report = verify_bundle(&forged).unwrap();
    assert!(
        report.ok(),
        "the forgery is internally consistent: {:?}",
        report.problems
    );
    assert!(matches!(
        c.officer.key_status(&source, &fp).unwrap(),
        varde_core::KeyStatus::Changed { .. }
    ));
    let events = c.officer.audit_log(None).unwrap().len();
    let err = c
        .officer
        .import_bundle(&forged, &c.case, &mut |_| {})
        .unwrap_err();
    assert!(matches!(err, Error::SigningKeyChanged { .. }), "{err}");
    assert_eq!(c.officer.audit_log(None).unwrap().len(), events);
    // A script that names the key it expects is refused the same way.
    let err = c
        .officer
        .import_bundle_with(
            &forged,
            &c.case,
            &varde_core::ImportOptions {
                expect_fingerprint: Some(first.signing_key_fingerprint.clone()),
                accept_changed_key: true,
            },
            &mut |_| {},
        )
        .unwrap_err();
    assert!(matches!(err, Error::UnexpectedSigningKey { .. }), "{err}");
    assert_eq!(c.officer.audit_log(None).unwrap().len(), events);
}

/// Manifest version 2 carries what Varde read from each original, and a photo's GPS
/// position only for the police: for anyone else the reading leaves it out (the original
/// keeps its EXIF, unchanged).
#[test]
fn the_manifest_carries_readings_and_a_photos_position_only_for_the_police() {
    use varde_core::varde_read::{Derived, samples};
    let dir = tempfile::tempdir().unwrap();
    let mut l = new_locker(&dir.path().join("a"), Mode::Officer, "O");
    let c = populated(&mut l);
    let photo = dir.path().join("IMG_0042.jpg");
    std::fs::write(&photo, samples::jpeg()).unwrap();
    l.add_evidence(
        c.incidents[0],
        &[photo],
        &AddOptions::default(),
        &mut |_| {},
    )
    .unwrap();
    let mut gps = |opts: &ExportOptions, name: &str| {
        let done = l
            .export_bundle(
                &c.reference,
                opts,
                &dir.path().join(name),
                &TestRenderer,
                &mut |_| {},
            )
            .unwrap();
        let unpacked = dir.path().join(format!("{name}-u"));
        unzip(&done.path, &unpacked);
        let m: Manifest =
            serde_json::from_slice(&std::fs::read(unpacked.join("manifest.json")).unwrap())
                .unwrap();
        assert_eq!(m.format_version, 3);
        let e = m
            .evidence
            .iter()
            .find(|e| e.original_name == "IMG_0042.jpg")
            .unwrap();
        // The original in the bundle is the photo as it came in, EXIF and all.
        let path = unpacked.join(&e.path);
        assert_eq!(std::fs::read(path).unwrap(), samples::jpeg());
        let gps = match e.derived.as_ref().and_then(|r| r.derived()) {
            Some(Derived::Image(i)) => {
                assert_eq!(i.taken.as_deref(), Some("2026-11-21T21:14:03+01:00"));
                i.gps.clone()
            }
            other => panic!("{other:?}"),
        };
        (gps, m.export.gps_included)
    };
    let (to_police, flag) = gps(&police(), "politi.zip");
    assert!(to_police.is_some() && flag);
    let lawyer = ExportOptions {
        recipient: "Advokatfirmaet Lund".into(),
        recipient_kind: RecipientKind::Lawyer,
        ..police()
    };
    let (to_lawyer, flag) = gps(&lawyer, "advokat.zip");
    assert!(to_lawyer.is_none() && !flag);
}

#[test]
fn an_export_starts_from_the_cores_choices_and_must_say_what_the_locker_is() {
    let dir = tempfile::tempdir().unwrap();
    let mut officer = new_locker(&dir.path().join("officer"), Mode::Officer, "Siri");
    let case = populated(&mut officer);
    let start = officer.export_defaults(Lang::Nb).unwrap();
    assert_eq!(start.recipient_kind, RecipientKind::Police);
    assert_eq!(start.employee_informed, EmployeeInformed::NotYet);
    assert_eq!(start.legal_basis_key, None, "the officer chooses the basis");
    assert!(!start.self_log && start.recipient.is_empty());
    // An officer's case never goes out as a self-log, whatever the caller says.
    let err = officer
        .export_preview(
            &case.reference,
            &ExportOptions {
                self_log: true,
                ..police()
            },
        )
        .unwrap_err();
    assert_eq!(err.as_invalid(), Some(&Invalid::NotSelfLog), "{err}");

    let mut me = new_locker(&dir.path().join("me"), Mode::SelfLog, "Kari");
    let mine = me.self_log_case().unwrap().reference;
    let start = me.export_defaults(Lang::Nb).unwrap();
    assert_eq!(start.recipient, "Sikkerhetsansvarlig");
    assert_eq!(start.recipient_kind, RecipientKind::Employer);
    assert_eq!(start.legal_basis_key.as_deref(), Some("consent"));
    assert_eq!(start.employee_informed, EmployeeInformed::Yes);
    assert!(start.self_log);
    assert_eq!(
        me.export_defaults(Lang::En).unwrap().recipient,
        "Security officer"
    );
    // A self-log's log goes only as a self-log: refused before a byte is written.
    let out = dir.path().join("meg.zip");
    let err = me
        .export_bundle(
            &mine,
            &ExportOptions {
                self_log: false,
                ..start.clone()
            },
            &out,
            &OnePageRenderer,
            &mut |_| {},
        )
        .unwrap_err();
    assert_eq!(err.as_invalid(), Some(&Invalid::IsSelfLog), "{err}");
    assert!(!out.exists());
    me.export_bundle(&mine, &start, &out, &OnePageRenderer, &mut |_| {})
        .unwrap();
    assert!(out.is_file());
}
