//! What a damaged, replaced or edited locker does: refused or reported by name, never
//! wiped, never "verified".

use std::path::Path;

use varde_core::{AddOptions, Error, Locker};

use super::locker::{PASS, clock, new_locker, populated, problems};

fn blob_files(dir: &Path) -> Vec<Vec<u8>> {
    let mut out = Vec::new();
    for shard in std::fs::read_dir(dir.join("blobs")).unwrap().flatten() {
        for f in std::fs::read_dir(shard.path()).unwrap().flatten() {
            out.push(std::fs::read(f.path()).unwrap());
        }
    }
    out.sort();
    out
}

#[test]
fn an_emptied_database_is_refused_and_the_originals_stay() {
    let dir = tempfile::tempdir().unwrap();
    let (l, _, _) = populated(dir.path());
    drop(l);
    let before = blob_files(dir.path());
    assert_eq!(before.len(), 2);
    for f in ["locker.db-wal", "locker.db-shm"] {
        let _ = std::fs::remove_file(dir.path().join(f));
    }
    std::fs::write(dir.path().join("locker.db"), b"").unwrap();
    let err = Locker::open(dir.path(), PASS, clock()).unwrap_err();
    assert!(matches!(err, Error::Damaged(_)), "{err}");
    assert!(err.to_string().contains("empty"), "{err}");
    assert_eq!(blob_files(dir.path()), before, "no original was deleted");
    assert_eq!(
        std::fs::metadata(dir.path().join("locker.db"))
            .unwrap()
            .len(),
        0
    );
}

#[test]
fn a_missing_database_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let (l, _, _) = populated(dir.path());
    drop(l);
    for f in ["locker.db", "locker.db-wal", "locker.db-shm"] {
        let _ = std::fs::remove_file(dir.path().join(f));
    }
    let err = Locker::open(dir.path(), PASS, clock()).unwrap_err();
    assert!(matches!(err, Error::Damaged(_)), "{err}");
    assert!(err.to_string().contains("missing"), "{err}");
    assert_eq!(blob_files(dir.path()).len(), 2);
}

#[test]
fn another_lockers_database_is_refused() {
    let a = tempfile::tempdir().unwrap();
    let b = tempfile::tempdir().unwrap();
    let (la, _, _) = populated(a.path());
    let lb = new_locker(b.path());
    drop((la, lb));
    let before = blob_files(a.path());
    // Same passphrase, but a different master key: its database cannot be read.
    std::fs::copy(b.path().join("locker.db"), a.path().join("locker.db")).unwrap();
    let _ = std::fs::remove_file(a.path().join("locker.db-wal"));
    let err = Locker::open(a.path(), PASS, clock()).unwrap_err();
    assert!(matches!(err, Error::Damaged(_)), "{err}");
    assert_eq!(blob_files(a.path()), before);
}

#[test]
fn an_older_database_restored_from_a_backup_keeps_the_newer_originals() {
    let dir = tempfile::tempdir().unwrap();
    let backup = tempfile::tempdir().unwrap();
    let (mut l, _, inc) = populated(dir.path());
    // A backup taken while Varde is closed would be consistent; checkpoint for the copy.
    l.raw_connection()
        .execute_batch("PRAGMA wal_checkpoint(TRUNCATE)")
        .unwrap();
    std::fs::copy(
        dir.path().join("locker.db"),
        backup.path().join("locker.db"),
    )
    .unwrap();
    l.add_evidence_from_reader(
        inc,
        "c.txt",
        &mut &b"newer original"[..],
        &AddOptions::default(),
    )
    .unwrap();
    drop(l);
    assert_eq!(blob_files(dir.path()).len(), 3);
    for f in ["locker.db-wal", "locker.db-shm"] {
        let _ = std::fs::remove_file(dir.path().join(f));
    }
    std::fs::copy(
        backup.path().join("locker.db"),
        dir.path().join("locker.db"),
    )
    .unwrap();
    let l = Locker::open(dir.path(), PASS, clock()).unwrap();
    let quarantined = std::fs::read_dir(dir.path().join("quarantine"))
        .unwrap()
        .count();
    assert_eq!(quarantined, 1, "the newer original is kept, not deleted");
    let p = problems(&l);
    assert!(
        p.iter().any(|m| m.contains("restored from a backup")),
        "{p:?}"
    );
}

/// A populated locker, closed with everything in `locker.db`, with one byte of it flipped
/// at `at(file length)`.
fn flip_database_byte(dir: &Path, at: impl FnOnce(usize) -> usize) {
    let (l, _, _) = populated(dir);
    l.raw_connection()
        .execute_batch("PRAGMA wal_checkpoint(TRUNCATE)")
        .unwrap();
    drop(l);
    let path = dir.join("locker.db");
    let mut bytes = std::fs::read(&path).unwrap();
    let i = at(bytes.len());
    bytes[i] ^= 0x55;
    std::fs::write(&path, &bytes).unwrap();
}

#[test]
fn a_flipped_byte_in_the_database_is_named_by_verify() {
    let dir = tempfile::tempdir().unwrap();
    flip_database_byte(dir.path(), |len| len - 100);
    match Locker::open(dir.path(), PASS, clock()) {
        Ok(l) => {
            let p = problems(&l);
            assert!(
                p.iter()
                    .any(|m| m.starts_with("locker.db:") && m.contains("damaged")),
                "{p:?}"
            );
        }
        Err(e) => assert!(matches!(e, Error::Damaged(_)), "{e}"),
    }
}

#[test]
fn a_damaged_first_page_is_damage_not_a_stranger() {
    let dir = tempfile::tempdir().unwrap();
    flip_database_byte(dir.path(), |_| 100);
    let err = Locker::open(dir.path(), PASS, clock()).unwrap_err();
    assert!(matches!(err, Error::Damaged(_)), "{err}");
    assert!(err.to_string().contains("damaged"), "{err}");
}

#[test]
fn a_damaged_header_is_not_a_wrong_passphrase() {
    for field in ["salt", "m_cost_kib", "nonce"] {
        let dir = tempfile::tempdir().unwrap();
        drop(new_locker(dir.path()));
        let path = dir.path().join("locker.json");
        let mut h: serde_json::Value =
            serde_json::from_slice(&std::fs::read(&path).unwrap()).unwrap();
        match field {
            "salt" => h["kdf"]["salt"] = "00".repeat(16).into(),
            "m_cost_kib" => h["kdf"]["m_cost_kib"] = 2048.into(),
            _ => h["key"]["nonce"] = "00".repeat(12).into(),
        }
        std::fs::write(&path, serde_json::to_vec_pretty(&h).unwrap()).unwrap();
        let err = Locker::open(dir.path(), PASS, clock()).unwrap_err();
        assert!(matches!(err, Error::Damaged(_)), "{field}: {err}");
        assert!(err.to_string().contains("locker.json"), "{field}: {err}");
    }
    // A wrong passphrase on an intact header is still just that.
    let dir = tempfile::tempdir().unwrap();
    drop(new_locker(dir.path()));
    let err = Locker::open(dir.path(), "another passphrase", clock()).unwrap_err();
    assert!(matches!(err, Error::WrongPassphrase), "{err}");
}

#[test]
fn an_edit_behind_varde_is_named_by_verify() {
    let dir = tempfile::tempdir().unwrap();
    let (l, _, inc) = populated(dir.path());
    assert!(problems(&l).is_empty());
    l.raw_connection()
        .execute(
            "UPDATE incidents SET wording = 'Forged words' WHERE id = ?1",
            [inc],
        )
        .unwrap();
    let p = problems(&l);
    assert!(
        p.iter()
            .any(|m| m.starts_with(&format!("incident {inc}:"))
                && m.contains("changed outside Varde")),
        "{p:?}"
    );
}

#[test]
fn a_deleted_record_is_named_by_verify() {
    let dir = tempfile::tempdir().unwrap();
    let (l, _, _) = populated(dir.path());
    let ev: i64 = l
        .raw_connection()
        .query_row("SELECT max(id) FROM evidence", [], |r| r.get(0))
        .unwrap();
    l.raw_connection()
        .execute("DELETE FROM evidence WHERE id = ?1", [ev])
        .unwrap();
    let p = problems(&l);
    assert!(
        p.iter()
            .any(|m| m.starts_with(&format!("evidence {ev}:")) && m.contains("missing")),
        "{p:?}"
    );
}

#[test]
fn a_record_added_behind_varde_is_named_by_verify() {
    let dir = tempfile::tempdir().unwrap();
    let (l, _, _) = populated(dir.path());
    l.raw_connection()
        .execute(
            "INSERT INTO cases (uid, reference, title, status, opened_at) VALUES ('x', 'V-2026-0099', 'Planted', 'open', '2026-01-01T00:00:00Z')",
            [],
        )
        .unwrap();
    let p = problems(&l);
    assert!(
        p.iter()
            .any(|m| m.starts_with("case ") && m.contains("added outside Varde")),
        "{p:?}"
    );
}

#[test]
fn locker_files_are_private() {
    use std::os::unix::fs::PermissionsExt as _;
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("l");
    let (l, _, _) = populated(&root);
    drop(l);
    let mode = |p: &Path| std::fs::metadata(p).unwrap().permissions().mode() & 0o777;
    assert_eq!(mode(&root), 0o700);
    for f in ["locker.json", "locker.db", "locker.lock"] {
        assert_eq!(mode(&root.join(f)), 0o600, "{f}");
    }
    for shard in std::fs::read_dir(root.join("blobs")).unwrap().flatten() {
        assert_eq!(mode(&shard.path()), 0o700);
    }
}

#[test]
fn an_export_killed_midway_leaves_nothing_behind_after_the_next_open() {
    use varde_core::bundle::test_support::OnePageRenderer;
    let dir = tempfile::tempdir().unwrap();
    let out = tempfile::tempdir().unwrap();
    let (mut l, case, _) = populated(dir.path());
    let opts = super::bundle::police();
    // The process "dies" while the originals stream into the temp file: a panic out of
    // the progress callback unwinds past every clean-up, as a kill would.
    let target = out.path().join("b.zip");
    let died = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
        let _ = l.export_bundle(&case, &opts, &target, &OnePageRenderer, &mut |p| {
            if p.done > 0 {
                panic!("killed");
            }
        });
    }));
    assert!(died.is_err(), "the export was interrupted while streaming");
    drop(l);
    let left: Vec<_> = std::fs::read_dir(out.path()).unwrap().flatten().collect();
    assert_eq!(left.len(), 1, "the killed export left its temp file");
    use std::os::unix::fs::PermissionsExt as _;
    assert_eq!(
        left[0].metadata().unwrap().permissions().mode() & 0o777,
        0o600,
        "a temp file with originals in it is private"
    );
    let l = Locker::open(dir.path(), PASS, clock()).unwrap();
    assert_eq!(std::fs::read_dir(out.path()).unwrap().count(), 0);
    let log = l.audit_log(Some("locker")).unwrap();
    assert!(log.iter().any(|e| e.action == "bundle.export_interrupted"));
    assert!(problems(&l).is_empty(), "{:?}", problems(&l));
}
