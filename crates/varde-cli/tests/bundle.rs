//! `varde export`, `varde verify-bundle` and `varde import` on the real binary.

#![allow(clippy::unwrap_used, missing_docs)]

use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

use tempfile::TempDir;
use varde_core::bundle::test_support::OnePageRenderer;
use varde_core::guidance::{EmployeeInformed, Lang, RecipientKind};
use varde_core::model::{Channel, Mode};
use varde_core::{
    AddOptions, ExportOptions, InitOptions, KdfParams, Locker, NewIncident, SystemClock,
};

const PASS: &str = "correct horse battery staple";

fn varde(locker: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_varde"))
        .arg("--locker")
        .arg(locker)
        .args(args)
        .env("VARDE_PASSPHRASE", PASS)
        .env_remove("VARDE_ACTOR")
        .env_remove("VARDE_LOCKER")
        .stdin(Stdio::null())
        .output()
        .unwrap()
}

fn text(o: &Output) -> String {
    format!(
        "{}{}",
        String::from_utf8_lossy(&o.stdout),
        String::from_utf8_lossy(&o.stderr)
    )
}

fn fast_locker(dir: &Path, mode: Mode, owner: &str) -> Locker {
    Locker::init(
        dir,
        PASS,
        InitOptions {
            mode,
            owner: owner.into(),
            kdf: KdfParams::FAST_FOR_TESTS,
        },
        Box::new(SystemClock),
    )
    .unwrap()
}

/// A self-log with one incident and one screenshot, exported as a zip and as a folder.
fn self_log_bundle(tmp: &TempDir) -> (PathBuf, PathBuf) {
    let mut me = fast_locker(&tmp.path().join("me"), Mode::SelfLog, "Kari");
    let case = me.self_log_case().unwrap().reference;
    let inc = me
        .add_incident(
            &case,
            NewIncident {
                at: "2026-11-19 21:10".into(),
                place: "SMS".into(),
                channel: Some(Channel::Sms),
                description: "SMS om kvelden".into(),
                ..Default::default()
            },
        )
        .unwrap();
    me.add_evidence_from_reader(
        inc.id,
        "skjermbilde.txt",
        &mut &b"Du skal angre"[..],
        &AddOptions::default(),
    )
    .unwrap();
    let opts = ExportOptions {
        incidents: None,
        recipient: "Sikkerhetsansvarlig".into(),
        recipient_kind: RecipientKind::Other,
        legal_basis_key: Some("consent".into()),
        legal_basis_text: None,
        consent_id: None,
        employee_informed: EmployeeInformed::Yes,
        include_private_contacts: false,
        lang: Lang::Nb,
        self_log: true,
        redacted: Vec::new(),
    };
    let zip = me
        .export_bundle(
            &case,
            &opts,
            &tmp.path().join("meg.zip"),
            &OnePageRenderer,
            &mut |_| {},
        )
        .unwrap()
        .path;
    let folder = me
        .export_bundle(
            &case,
            &opts,
            &tmp.path().join("meg-folder"),
            &OnePageRenderer,
            &mut |_| {},
        )
        .unwrap()
        .path;
    (zip, folder)
}

#[test]
fn verify_bundle_passes_a_good_bundle_and_names_problems() {
    let tmp = tempfile::tempdir().unwrap();
    let (zip, folder) = self_log_bundle(&tmp);
    let nowhere = tmp.path().join("no-locker");
    let ok = varde(&nowhere, &["verify-bundle", zip.to_str().unwrap()]);
    assert_eq!(ok.status.code(), Some(0), "{}", text(&ok));
    assert!(text(&ok).contains("OK: the bundle verifies"));
    let json = varde(
        &nowhere,
        &["verify-bundle", "--json", folder.to_str().unwrap()],
    );
    assert_eq!(json.status.code(), Some(0), "{}", text(&json));
    let v: serde_json::Value = serde_json::from_slice(&json.stdout).unwrap();
    assert_eq!(v["signature_valid"], true);
    assert_eq!(v["problems"].as_array().unwrap().len(), 0);

    std::fs::write(folder.join("evidence/planted.txt"), b"x").unwrap();
    let bad = varde(&nowhere, &["verify-bundle", folder.to_str().unwrap()]);
    assert_eq!(bad.status.code(), Some(1));
    assert!(
        text(&bad).contains("PROBLEM  evidence/planted.txt: is not listed in SHA256SUMS"),
        "{}",
        text(&bad)
    );
}

#[test]
fn import_takes_a_self_log_into_an_officers_case() {
    let tmp = tempfile::tempdir().unwrap();
    let (zip, _) = self_log_bundle(&tmp);
    let officer = tmp.path().join("officer");
    let mut l = fast_locker(&officer, Mode::Officer, "Sikkerhetssjef");
    let case = l.create_case("Kari", "").unwrap().reference;
    drop(l);
    let out = varde(
        &officer,
        &["import", zip.to_str().unwrap(), "--case", &case],
    );
    assert_eq!(out.status.code(), Some(0), "{}", text(&out));
    assert!(text(&out).contains("imported 1 incidents and 1 originals"));
    let log = varde(&officer, &["log", "--json"]);
    assert!(String::from_utf8_lossy(&log.stdout).contains("bundle.import"));
    let verify = varde(&officer, &["verify"]);
    assert_eq!(verify.status.code(), Some(0), "{}", text(&verify));
    // Again: refused, exit 1 (the bundle is not taken in twice).
    let again = varde(
        &officer,
        &["import", zip.to_str().unwrap(), "--case", &case],
    );
    assert_eq!(again.status.code(), Some(1));
    assert!(text(&again).contains("imported before"), "{}", text(&again));
}

/// The whole path a police officer sees: `varde export` with the real report renderer,
/// unzip, then exactly the two commands of LES-MEG.txt.
#[test]
fn an_exported_bundle_passes_the_police_checks_with_stock_tools() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("officer");
    let mut l = fast_locker(&dir, Mode::Officer, "Sikkerhetssjef");
    let case = l.create_case("Trusler mot ansatt", "").unwrap().reference;
    let inc = l
        .add_incident(
            &case,
            varde_core::NewIncident {
                at: "2026-11-20 14:30".into(),
                place: "SMS til jobbtelefon".into(),
                channel: Some(varde_core::model::Channel::Sms),
                description: "Truende SMS om bosted".into(),
                wording: Some("Jeg vet hvor du bor, Åse".into()),
                ..Default::default()
            },
        )
        .unwrap();
    l.add_evidence_from_reader(
        inc.id,
        "skjermdump.txt",
        &mut &b"Jeg vet hvor du bor"[..],
        &Default::default(),
    )
    .unwrap();
    drop(l);
    let out_zip = tmp.path().join("sak.zip");
    let out = varde(
        &dir,
        &[
            "export",
            "--case",
            &case,
            "--out",
            out_zip.to_str().unwrap(),
            "--recipient",
            "Oslo politidistrikt",
            "--recipient-kind",
            "police",
            "--basis",
            "legitimate_interest_legal_claims",
        ],
    );
    assert!(out.status.success(), "{}", text(&out));
    let unpacked = tmp.path().join("unpacked");
    let unzip = std::process::Command::new("unzip")
        .args([
            "-q",
            out_zip.to_str().unwrap(),
            "-d",
            unpacked.to_str().unwrap(),
        ])
        .status()
        .unwrap();
    assert!(unzip.success());
    let sums = std::process::Command::new("sha256sum")
        .args(["-c", "SHA256SUMS"])
        .current_dir(&unpacked)
        .output()
        .unwrap();
    assert!(
        sums.status.success(),
        "{}",
        String::from_utf8_lossy(&sums.stdout)
    );
    assert!(String::from_utf8_lossy(&sums.stdout).contains("report.pdf: OK"));
    let sig = std::process::Command::new("openssl")
        .args([
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
        ])
        .current_dir(&unpacked)
        .output()
        .unwrap();
    assert!(
        sig.status.success(),
        "{}",
        String::from_utf8_lossy(&sig.stdout)
    );
    assert!(
        std::fs::read(unpacked.join("report.pdf"))
            .unwrap()
            .starts_with(b"%PDF-")
    );
    let ledger = varde(&dir, &["disclosure", "list", "--case", &case, "--json"]);
    let entries: serde_json::Value = serde_json::from_slice(&ledger.stdout).unwrap();
    assert_eq!(
        entries.as_array().unwrap().len(),
        1,
        "the export is recorded as a disclosure"
    );
}

#[test]
fn export_refuses_a_self_log_without_the_flag() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("me");
    let mut l = fast_locker(&dir, Mode::SelfLog, "Kari");
    let case = l.self_log_case().unwrap().reference;
    drop(l);
    let out = varde(
        &dir,
        &[
            "export",
            "--case",
            &case,
            "--out",
            "x.zip",
            "--recipient",
            "P",
        ],
    );
    assert_eq!(out.status.code(), Some(4));
    assert!(text(&out).contains("--self-log"));
}

#[test]
fn evidence_redact_prints_the_copy_and_export_sends_it_to_hr() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("officer");
    let mut l = fast_locker(&dir, Mode::Officer, "Sikkerhetssjef");
    let case = l.create_case("Trusler mot ansatt", "").unwrap().reference;
    let inc = l
        .add_incident(
            &case,
            varde_core::NewIncident {
                at: "2026-11-20 14:30".into(),
                place: "Messenger".into(),
                channel: Some(Channel::Sms),
                description: "Trussel i chat".into(),
                ..Default::default()
            },
        )
        .unwrap();
    let png = varde_read::samples::chat_screenshot();
    let original = l
        .add_evidence_from_reader(
            inc.id,
            "skjermbilde-chat.png",
            &mut &png[..],
            &Default::default(),
        )
        .unwrap();
    drop(l);
    let id = original.evidence.id.to_string();

    // The contract: the new item's id, alone on stdout.
    let out = varde(&dir, &["evidence", "redact", &id, "--box", "0,0,480,80"]);
    assert!(out.status.success(), "{}", text(&out));
    let copy: i64 = String::from_utf8_lossy(&out.stdout).trim().parse().unwrap();
    // A box outside the picture is refused as invalid input (exit 4), a box that is not
    // four numbers by the argument parser (exit 2); neither makes a copy.
    let out = varde(
        &dir,
        &["evidence", "redact", &id, "--box", "400,600,100,100"],
    );
    assert_eq!(out.status.code(), Some(4), "{}", text(&out));
    assert!(text(&out).contains("480 × 640"), "{}", text(&out));
    let out = varde(&dir, &["evidence", "redact", &id, "--box", "0,0,80"]);
    assert_eq!(out.status.code(), Some(2), "{}", text(&out));

    let shown = varde(&dir, &["evidence", "show", &id]);
    assert_eq!(
        text(&shown).matches("redacted:").count(),
        1,
        "{}",
        text(&shown)
    );
    let written = tmp.path().join("kopi.png");
    let out = varde(
        &dir,
        &[
            "evidence",
            "extract-copy",
            &copy.to_string(),
            "--out",
            written.to_str().unwrap(),
        ],
    );
    assert!(out.status.success(), "{}", text(&out));
    let copy_sha = hex::encode(<sha2::Sha256 as sha2::Digest>::digest(
        std::fs::read(&written).unwrap(),
    ));
    assert!(text(&out).starts_with(&copy_sha), "{}", text(&out));
    assert!(text(&shown).contains(&copy_sha), "{}", text(&shown));

    // HR gets the copy; the bundle checks with stock tools and names the copy.
    let folder = tmp.path().join("til-hr");
    let out = varde(
        &dir,
        &[
            "export",
            "--case",
            &case,
            "--out",
            folder.to_str().unwrap(),
            "--recipient",
            "HR",
            "--recipient-kind",
            "employer",
            "--basis",
            "employer_duty_aml_4_3_4",
            "--redacted",
            "all",
        ],
    );
    assert!(out.status.success(), "{}", text(&out));
    let sums = Command::new("sha256sum")
        .args(["-c", "--strict", "SHA256SUMS"])
        .current_dir(&folder)
        .output()
        .unwrap();
    assert!(
        sums.status.success(),
        "{}",
        String::from_utf8_lossy(&sums.stdout)
    );
    let listed = String::from_utf8_lossy(&sums.stdout).into_owned();
    assert!(
        listed.contains("skjermbilde-chat-sladdet.png: OK"),
        "{listed}"
    );
    let sums_file = std::fs::read_to_string(folder.join("SHA256SUMS")).unwrap();
    assert!(sums_file.contains(&copy_sha), "{sums_file}");
    assert!(
        !sums_file.contains(&original.evidence.sha256),
        "{sums_file}"
    );

    // The police get the original, whatever --redacted says.
    let out = varde(
        &dir,
        &[
            "export",
            "--case",
            &case,
            "--out",
            tmp.path().join("politi.zip").to_str().unwrap(),
            "--recipient",
            "Oslo politidistrikt",
            "--basis",
            "legitimate_interest_legal_claims",
            "--redacted",
            "all",
        ],
    );
    assert_eq!(out.status.code(), Some(4), "{}", text(&out));
}
