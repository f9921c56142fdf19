//! Redacted copies: black inside every box, no EXIF or GPS, the original unchanged; an
//! export to HR sends the copy (and `sha256sum -c` passes), the police always get the
//! original; a bundle with a copy is never imported as evidence; a deleted case takes its
//! copies with it.

use std::path::{Path, PathBuf};
use std::process::Command;

use sha2::{Digest, Sha256};
use varde_core::bundle::{ItemVersion, Manifest};
use varde_core::guidance::RecipientKind;
use varde_core::model::Channel;
use varde_core::varde_read::samples;
use varde_core::{
    AddOptions, Error, ExportOptions, ImportOptions, Invalid, Locker, NewIncident, Region,
};

use crate::bundle::{TestRenderer, police};
use crate::locker::{new_locker, problems};

/// A screenshot-like PNG: a coloured name bar on top, bubbles below; no two rows alike.
fn screenshot(w: u32, h: u32) -> Vec<u8> {
    let img = image::RgbImage::from_fn(w, h, |x, y| {
        if y < 40 {
            image::Rgb([30, 90, 160])
        } else {
            image::Rgb([(x % 200) as u8 + 20, (y % 200) as u8 + 20, 230])
        }
    });
    let mut out = Vec::new();
    image::DynamicImage::ImageRgb8(img)
        .write_to(&mut std::io::Cursor::new(&mut out), image::ImageFormat::Png)
        .unwrap();
    out
}

fn sha(bytes: &[u8]) -> String {
    hex::encode(Sha256::digest(bytes))
}

struct Setup {
    case: String,
    png: i64,
    photo: i64,
    text: i64,
    png_bytes: Vec<u8>,
    photo_bytes: Vec<u8>,
    _files: tempfile::TempDir,
}

fn setup(l: &mut Locker) -> Setup {
    let case = l.create_case("Trusler i chat", "").unwrap().reference;
    let inc = l
        .add_incident(
            &case,
            NewIncident {
                at: "2026-11-20 14:30".into(),
                place: "Messenger".into(),
                channel: Some(Channel::SocialMedia),
                description: "Trusler i en chat".into(),
                ..Default::default()
            },
        )
        .unwrap();
    let files = tempfile::tempdir().unwrap();
    let png_bytes = screenshot(120, 90);
    let photo_bytes = samples::jpeg();
    let mut paths: Vec<PathBuf> = Vec::new();
    for (name, bytes) in [
        ("skjermbilde.png", png_bytes.clone()),
        ("IMG_0042.jpg", photo_bytes.clone()),
        ("notat.txt", b"ikke et bilde".to_vec()),
    ] {
        let p = files.path().join(name);
        std::fs::write(&p, bytes).unwrap();
        paths.push(p);
    }
    let added = l
        .add_evidence(inc.id, &paths, &AddOptions::default(), &mut |_| {})
        .unwrap();
    Setup {
        case,
        png: added[0].evidence.id,
        photo: added[1].evidence.id,
        text: added[2].evidence.id,
        png_bytes,
        photo_bytes,
        _files: files,
    }
}

fn region(x: u32, y: u32, w: u32, h: u32) -> Region {
    Region { x, y, w, h }
}

fn refused(e: Error) -> Invalid {
    match e {
        Error::Invalid(i) => i,
        other => panic!("expected a refused input, got {other:?}"),
    }
}

#[test]
fn a_redacted_copy_is_black_inside_its_boxes_and_the_original_is_unchanged() {
    let dir = tempfile::tempdir().unwrap();
    let mut l = new_locker(dir.path());
    let s = setup(&mut l);
    let before = l.evidence(s.png).unwrap();
    assert_eq!(before.sha256, sha(&s.png_bytes));

    let boxes = [region(0, 0, 120, 40), region(10, 60, 30, 20)];
    let r = l.redact(s.png, &boxes).unwrap();
    assert_eq!((r.evidence, r.width, r.height), (s.png, 120, 90));
    assert_eq!(r.original_sha256, before.sha256);
    assert_eq!(r.regions, boxes);
    assert_ne!(r.sha256, before.sha256);

    // Every pixel inside a box is black; every other pixel is the original's.
    let copy = l.read_redaction(r.id).unwrap();
    assert_eq!(sha(&copy), r.sha256);
    let original = image::load_from_memory(&s.png_bytes).unwrap().to_rgb8();
    let redacted = image::load_from_memory(&copy).unwrap().to_rgb8();
    let mut black = 0;
    for (x, y, p) in redacted.enumerate_pixels() {
        let inside = boxes
            .iter()
            .any(|b| x >= b.x && x < b.x + b.w && y >= b.y && y < b.y + b.h);
        if inside {
            assert_eq!(p.0, [0, 0, 0], "({x}, {y})");
            black += 1;
        } else {
            assert_eq!(p, original.get_pixel(x, y), "({x}, {y})");
        }
    }
    assert_eq!(black, 120 * 40 + 30 * 20);

    // The original is byte for byte what came in, and the locker verifies.
    assert_eq!(l.evidence(s.png).unwrap(), before);
    assert_eq!(l.read_original(s.png, 1 << 20).unwrap(), s.png_bytes);
    assert!(problems(&l).is_empty(), "{:?}", problems(&l));
    let events = l.audit_log(Some(&format!("evidence:{}", s.png))).unwrap();
    let made = events
        .iter()
        .find(|e| e.action == "evidence.redact")
        .unwrap();
    assert_eq!(made.details["sha256"], r.sha256.as_str());
    assert_eq!(made.details["regions"][1]["y"], 60);
    assert_eq!(l.redactions(s.png).unwrap(), vec![r.clone()]);
}

#[test]
fn a_photos_copy_has_no_exif_and_no_position() {
    let dir = tempfile::tempdir().unwrap();
    let mut l = new_locker(dir.path());
    let s = setup(&mut l);
    // The original says where it was taken; the copy says nothing at all.
    let gps =
        |media_type: &str, bytes: &[u8]| match varde_core::varde_read::read(media_type, "x", bytes)
        {
            Some(varde_core::varde_read::Reading {
                result: Ok(varde_core::varde_read::Derived::Image(i)),
                ..
            }) => (i.gps.is_some(), i.has_exif),
            _ => (false, false),
        };
    assert_eq!(gps("image/jpeg", &s.photo_bytes), (true, true));
    let r = l.redact(s.photo, &[region(0, 0, 4, 4)]).unwrap();
    let copy = l.read_redaction(r.id).unwrap();
    assert!(copy.starts_with(b"\x89PNG\r\n\x1a\n"));
    assert_eq!(gps("image/png", &copy), (false, false));
    for needle in [&b"Exif"[..], b"eXIf", b"iPhone", b"Apple", b"tEXt", b"iTXt"] {
        assert!(
            !copy.windows(needle.len()).any(|w| w == needle),
            "{:?} in the copy",
            String::from_utf8_lossy(needle)
        );
    }
    let img = image::load_from_memory(&copy).unwrap().to_rgb8();
    assert_eq!(img.get_pixel(3, 3).0, [0, 0, 0]);
    assert_eq!(l.evidence(s.photo).unwrap().sha256, sha(&s.photo_bytes));
}

#[test]
fn boxes_that_do_not_fit_and_files_that_are_not_images_are_refused() {
    let dir = tempfile::tempdir().unwrap();
    let mut l = new_locker(dir.path());
    let s = setup(&mut l);
    assert_eq!(
        refused(l.redact(s.png, &[]).unwrap_err()),
        Invalid::NoRegions
    );
    assert_eq!(
        refused(
            l.redact(s.png, &[region(0, 0, 10, 10), region(100, 80, 30, 5)])
                .unwrap_err()
        ),
        Invalid::RegionOutside {
            number: 2,
            width: 120,
            height: 90
        }
    );
    assert!(matches!(
        refused(l.redact(s.text, &[region(0, 0, 1, 1)]).unwrap_err()),
        Invalid::NotAnImage { .. }
    ));
    // Nothing was stored for the refusals.
    assert!(l.redactions(s.png).unwrap().is_empty());
    let n: i64 = l
        .raw_connection()
        .query_row("SELECT count(*) FROM blobs", [], |r| r.get(0))
        .unwrap();
    assert_eq!(n, 3);
    assert!(problems(&l).is_empty(), "{:?}", problems(&l));
}

fn hr(redacted: Vec<i64>) -> ExportOptions {
    ExportOptions {
        recipient: "HR-avdelingen".into(),
        recipient_kind: RecipientKind::Employer,
        legal_basis_key: Some("other".into()),
        legal_basis_text: Some("Oppfølging av arbeidsmiljøet".into()),
        redacted,
        ..police()
    }
}

fn export(l: &mut Locker, case: &str, opts: &ExportOptions, out: &Path) -> varde_core::Exported {
    l.export_bundle(case, opts, out, &TestRenderer, &mut |_| {})
        .unwrap()
}

#[test]
fn hr_gets_the_copy_and_the_police_the_original() {
    let dir = tempfile::tempdir().unwrap();
    let mut l = new_locker(dir.path());
    let s = setup(&mut l);
    let r = l.redact(s.png, &[region(0, 0, 120, 40)]).unwrap();
    let out = tempfile::tempdir().unwrap();

    // To HR as a folder: the copy goes instead of the original; sha256sum agrees.
    let folder = out.path().join("til-hr");
    let done = export(&mut l, &s.case, &hr(vec![s.png]), &folder);
    let check = Command::new("sha256sum")
        .args(["-c", "--strict", "SHA256SUMS"])
        .current_dir(&folder)
        .output()
        .unwrap();
    assert!(
        check.status.success(),
        "{}",
        String::from_utf8_lossy(&check.stdout)
    );
    let manifest: Manifest =
        serde_json::from_slice(&std::fs::read(folder.join("manifest.json")).unwrap()).unwrap();
    assert_eq!(manifest.format_version, 3);
    let item = manifest.evidence.iter().find(|e| e.id == s.png).unwrap();
    assert_eq!(item.version, ItemVersion::Redacted);
    assert_eq!(item.sha256, r.sha256);
    assert_eq!(item.media_type, "image/png");
    assert!(
        item.path.ends_with("skjermbilde-sladdet.png"),
        "{}",
        item.path
    );
    assert!(item.derived.is_none());
    let red = item.redaction.as_ref().unwrap();
    assert_eq!(red.original_sha256, sha(&s.png_bytes));
    assert_eq!(red.original_name, "skjermbilde.png");
    assert_eq!(red.regions, r.regions);
    let file = std::fs::read(folder.join(&item.path)).unwrap();
    assert_eq!(sha(&file), r.sha256);
    // The other items went as their originals.
    let photo = manifest.evidence.iter().find(|e| e.id == s.photo).unwrap();
    assert_eq!(photo.version, ItemVersion::Original);
    assert_eq!(photo.sha256, sha(&s.photo_bytes));
    assert!(
        !std::fs::read_to_string(folder.join("SHA256SUMS"))
            .unwrap()
            .contains(&sha(&s.png_bytes))
    );

    // The ledger says which went as a copy.
    let ledger = l.disclosures(&s.case).unwrap();
    let entry = ledger.iter().find(|d| d.id == done.disclosure_id).unwrap();
    assert_eq!(entry.redaction_ids, vec![r.id]);
    assert!(
        entry.shared.ends_with("2 originaler, 1 sladdet kopi"),
        "{}",
        entry.shared
    );
    assert!(entry.evidence_ids.contains(&s.png));

    // The police get the originals: copies are refused for them, and for a self-log.
    let to_police = ExportOptions {
        redacted: vec![s.png],
        ..police()
    };
    let e = l
        .export_bundle(
            &s.case,
            &to_police,
            &out.path().join("p.zip"),
            &TestRenderer,
            &mut |_| {},
        )
        .unwrap_err();
    assert_eq!(refused(e), Invalid::RedactedNotForRecipient);
    // An item without a copy cannot go as one.
    let e = l
        .export_bundle(
            &s.case,
            &hr(vec![s.photo]),
            &out.path().join("x.zip"),
            &TestRenderer,
            &mut |_| {},
        )
        .unwrap_err();
    assert!(matches!(refused(e), Invalid::NoRedactedCopy { .. }));
    let police_zip = out.path().join("politi.zip");
    export(&mut l, &s.case, &police(), &police_zip);
    let sums = String::from_utf8(
        Command::new("unzip")
            .args(["-p"])
            .arg(&police_zip)
            .arg("SHA256SUMS")
            .output()
            .unwrap()
            .stdout,
    )
    .unwrap();
    assert!(sums.contains(&sha(&s.png_bytes)));
    assert!(!sums.contains(&r.sha256));
    assert!(problems(&l).is_empty(), "{:?}", problems(&l));

    // A bundle with a copy in it is never imported as evidence.
    let other_dir = tempfile::tempdir().unwrap();
    let mut other = new_locker(other_dir.path());
    let into = other.create_case("Mottatt", "").unwrap().reference;
    let e = other
        .import_bundle_with(&folder, &into, &ImportOptions::default(), &mut |_| {})
        .unwrap_err();
    assert!(matches!(refused(e), Invalid::RedactedInBundle { .. }));
    assert!(other.list_evidence(&into, None).unwrap().is_empty());
}

#[test]
fn a_deleted_case_takes_its_copies_with_it() {
    let dir = tempfile::tempdir().unwrap();
    let mut l = new_locker(dir.path());
    let s = setup(&mut l);
    let r = l.redact(s.png, &[region(0, 0, 50, 50)]).unwrap();
    let preview = l.deletion_preview(&s.case).unwrap();
    assert_eq!(preview.counts.redacted_copies, 1);
    assert_eq!(preview.counts.originals_removed, 3);
    let receipt = l.delete_case(&s.case, "Saken er avsluttet").unwrap();
    assert_eq!(receipt.receipt.copies_removed, vec![r.sha256.clone()]);
    assert_eq!(receipt.receipt.originals_removed.len(), 3);
    let n: i64 = l
        .raw_connection()
        .query_row("SELECT count(*) FROM redactions", [], |r| r.get(0))
        .unwrap();
    assert_eq!(n, 0);
    let blobs: i64 = l
        .raw_connection()
        .query_row("SELECT count(*) FROM blobs", [], |r| r.get(0))
        .unwrap();
    assert_eq!(blobs, 0);
    assert!(problems(&l).is_empty(), "{:?}", problems(&l));
}

#[test]
fn a_copy_cannot_be_changed_or_removed_behind_the_case() {
    let dir = tempfile::tempdir().unwrap();
    let mut l = new_locker(dir.path());
    let s = setup(&mut l);
    l.redact(s.png, &[region(0, 0, 5, 5)]).unwrap();
    let c = l.raw_connection();
    assert!(
        c.execute("UPDATE redactions SET regions = '[]'", [])
            .is_err()
    );
    assert!(c.execute("DELETE FROM redactions", []).is_err());
}
