//! Opening the encrypted metadata database and migrating its schema.

use std::path::Path;

use rusqlite::{Connection, OpenFlags};

use crate::crypto::Key;
use crate::error::{Error, Result};

/// The embedded migrations, in order. Index + 1 is the `user_version` after applying it.
const MIGRATIONS: &[&str] = &[
    include_str!("../migrations/0001_locker.sql"),
    include_str!("../migrations/0002_guidance.sql"),
    include_str!("../migrations/0003_bundles.sql"),
    include_str!("../migrations/0004_employer_recipient.sql"),
    include_str!("../migrations/0005_seals.sql"),
    include_str!("../migrations/0006_search.sql"),
    include_str!("../migrations/0007_reasons_and_persons.sql"),
    include_str!("../migrations/0008_reviews.sql"),
    include_str!("../migrations/0009_consent_and_senders.sql"),
    include_str!("../migrations/0010_derived.sql"),
    include_str!("../migrations/0011_legal_hold.sql"),
    include_str!("../migrations/0012_case_deletion.sql"),
    include_str!("../migrations/0013_redactions.sql"),
    include_str!("../migrations/0014_write_costs.sql"),
    include_str!("../migrations/0015_browse_costs.sql"),
    include_str!("../migrations/0016_page_from_either_end.sql"),
];

/// The first schema whose audit events seal the records they write (see `seal.rs`).
pub(crate) const SEALS_SINCE: u32 = 5;

/// The schema version this build writes and reads.
pub const SCHEMA_VERSION: u32 = MIGRATIONS.len() as u32;

/// Open (or create) the SQLCipher database at `path` with a raw 256-bit key, set the
/// pragmas, and bring the schema up to date.
pub fn open(path: &Path, key: &Key, create: bool) -> Result<Connection> {
    let opened = open_inner(path, key, create);
    if opened.is_err() {
        // A failed open (a full disk, a damaged file) can leave SQLite's side files behind:
        // an empty -wal holds nothing, and the -shm index is rebuilt from the -wal, so both
        // go when the -wal is empty. The caller holds the locker's lock: nobody else has it.
        let side = |ext: &str| {
            let mut p = path.as_os_str().to_owned();
            p.push(ext);
            std::path::PathBuf::from(p)
        };
        if std::fs::metadata(side("-wal")).is_ok_and(|m| m.len() == 0) {
            let _ = std::fs::remove_file(side("-wal"));
            let _ = std::fs::remove_file(side("-shm"));
        }
    }
    opened
}

fn open_inner(path: &Path, key: &Key, create: bool) -> Result<Connection> {
    let locker_dir = path.parent().unwrap_or(path).to_path_buf();
    let mut flags = OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_NO_MUTEX;
    if create {
        flags |= OpenFlags::SQLITE_OPEN_CREATE;
    } else {
        match std::fs::metadata(path) {
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                return Err(Error::Damaged(
                    "its database file (locker.db) is missing, though its header (locker.json) is there".into(),
                ));
            }
            Err(e) => return Err(Error::io("reading", path, e)),
            // An empty file would be taken by SQLite as a new, empty database: Varde would
            // then set up an empty locker over the originals. Refuse it instead.
            Ok(m) if m.len() == 0 => {
                return Err(Error::Damaged(
                    "its database file (locker.db) is empty (0 bytes)".into(),
                ));
            }
            Ok(_) => {}
        }
    }
    let conn = Connection::open_with_flags(path, flags).map_err(|e| storage(&locker_dir, e))?;
    // SQLCipher logs decryption failures to stderr; Varde reports them itself.
    conn.pragma_update(None, "cipher_log_level", "NONE")?;
    // A raw key ("x'..'") skips SQLCipher's own PBKDF2: the key is already derived.
    let hex_key = zeroize::Zeroizing::new(format!("x'{}'", hex::encode(key.as_ref())));
    conn.pragma_update(None, "key", hex_key.as_str())?;
    // The first read proves the key. The caller has already proved the key right (it
    // unwrapped the master key), so a failure here is a damaged database or another
    // locker's — never a wrong passphrase.
    if let Err(e) = conn.query_row("SELECT count(*) FROM sqlite_master", [], |r| {
        r.get::<_, i64>(0)
    }) {
        return Err(match storage(&locker_dir, e) {
            Error::Database(e) => Error::Damaged(format!(
                "its database (locker.db) cannot be read with this locker's key: its first page is damaged, or the file belongs to another locker ({e})"
            )),
            other => other,
        });
    }
    let setup = (|| -> Result<()> {
        conn.pragma_update(None, "journal_mode", "WAL")?;
        conn.pragma_update(None, "synchronous", "FULL")?;
        conn.pragma_update(None, "foreign_keys", "ON")?;
        conn.pragma_update(None, "busy_timeout", 5000)?;
        conn.pragma_update(None, "secure_delete", "ON")?;
        Ok(())
    })();
    setup.map_err(|e| match e {
        Error::Database(e) => storage(&locker_dir, e),
        other => other,
    })?;
    if !create {
        let version: u32 = conn.pragma_query_value(None, "user_version", |r| r.get(0))?;
        if version == 0 {
            return Err(Error::Damaged(
                "its database (locker.db) holds no locker: it was never set up, or it was replaced"
                    .into(),
            ));
        }
    }
    migrate(&conn).map_err(|e| match e {
        Error::Database(e) => storage(&locker_dir, e),
        other => other,
    })?;
    Ok(conn)
}

/// The tables whose ids appear in audit subjects (`incident:12`, `evidence:40`).
pub(crate) const SUBJECT_TABLES: &[&str] = &["incidents", "evidence"];

/// The id for a new row of `table` (one of [`SUBJECT_TABLES`]): one above the highest
/// ever used, counting the rows a case deletion removed. SQLite alone would hand out the
/// highest ids again, and an audit subject such as `incident:12` would then name two
/// records: the erased one and the new one.
pub(crate) fn next_id(conn: &Connection, table: &str) -> Result<i64> {
    if !SUBJECT_TABLES.contains(&table) {
        return Err(Error::Integrity(format!(
            "internal: no id floor for {table}"
        )));
    }
    Ok(conn.query_row(
        &format!(
            "SELECT max(coalesce((SELECT max(id) FROM {table}), 0),
                        coalesce((SELECT CAST(value AS INTEGER) FROM settings WHERE key = 'id_floor:' || ?1), 0)) + 1"
        ),
        [table],
        |r| r.get(0),
    )?)
}

/// Remember that ids up to `used` of `table` were handed out, so they are not again.
pub(crate) fn raise_id_floor(conn: &Connection, table: &str, used: i64) -> Result<()> {
    conn.execute(
        "INSERT INTO settings (key, value) VALUES ('id_floor:' || ?1, ?2)
         ON CONFLICT(key) DO UPDATE SET value = CAST(max(CAST(value AS INTEGER), CAST(excluded.value AS INTEGER)) AS TEXT)",
        rusqlite::params![table, used.to_string()],
    )?;
    Ok(())
}

/// Tell a storage failure (a full or failing disk) from other database errors.
pub(crate) fn storage(locker_dir: &Path, e: rusqlite::Error) -> Error {
    use rusqlite::ErrorCode;
    match e.sqlite_error_code() {
        Some(ErrorCode::SystemIoFailure | ErrorCode::CannotOpen | ErrorCode::DiskFull)
            if crate::locker::disk_is_full(locker_dir) =>
        {
            Error::DiskFull(format!(
                "{} has no free space left, so the locker could not be opened or written; nothing was changed in it. Free some space and try again",
                locker_dir.display()
            ))
        }
        _ => Error::from(e),
    }
}

/// Apply every migration newer than the database's `user_version`, each in a transaction.
fn migrate(conn: &Connection) -> Result<()> {
    migrate_to(conn, SCHEMA_VERSION)
}

/// Apply the migrations up to and including `target`.
fn migrate_to(conn: &Connection, target: u32) -> Result<()> {
    let current: u32 = conn.pragma_query_value(None, "user_version", |r| r.get(0))?;
    if current > SCHEMA_VERSION {
        return Err(Error::NewerLocker {
            what: "database schema",
            found: current,
            supported: SCHEMA_VERSION,
        });
    }
    for (i, sql) in MIGRATIONS
        .iter()
        .enumerate()
        .take(target as usize)
        .skip(current as usize)
    {
        let version = i as u32 + 1;
        conn.execute_batch(&format!(
            "BEGIN IMMEDIATE;\n{sql}\nPRAGMA user_version = {version};\nCOMMIT;"
        ))
        .inspect_err(|_| {
            let _ = conn.execute_batch("ROLLBACK");
        })?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    #[test]
    fn migrates_fresh_and_refuses_newer() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("t.db");
        let key = zeroize::Zeroizing::new([3u8; 32]);
        let conn = open(&path, &key, true).unwrap();
        let v: u32 = conn
            .pragma_query_value(None, "user_version", |r| r.get(0))
            .unwrap();
        assert_eq!(v, SCHEMA_VERSION);
        conn.pragma_update(None, "user_version", SCHEMA_VERSION + 1)
            .unwrap();
        drop(conn);
        assert!(matches!(
            open(&path, &key, false),
            Err(Error::NewerLocker { .. })
        ));
        let wrong = zeroize::Zeroizing::new([4u8; 32]);
        assert!(matches!(open(&path, &wrong, false), Err(Error::Damaged(_))));
    }

    #[test]
    fn version_7_keeps_the_seals_of_older_ledger_entries_and_requests() {
        let dir = tempfile::tempdir().unwrap();
        let conn = Connection::open(dir.path().join("t.db")).unwrap();
        conn.pragma_update(
            None,
            "key",
            "x'0303030303030303030303030303030303030303030303030303030303030303'",
        )
        .unwrap();
        migrate_to(&conn, 6).unwrap();
        conn.execute_batch(
            "INSERT INTO audit_events VALUES (1, 't', 'a', 'x', 's', '{}', 'p', 'h');
             INSERT INTO cases (id, uid, reference, title, status, opened_at, notes)
                 VALUES (1, 'c1', 'V-2026-0001', 'Sak', 'open', '2026-03-01T10:00:00Z', '');
             INSERT INTO disclosures (uid, case_id, recipient, recipient_kind, shared,
                 employee_informed, disclosed_at, disclosed_by, recorded_at, recorded_by, audit_seq)
                 VALUES ('d1', 1, 'Oslo politidistrikt', 'police', 'Bundle', 'not_yet',
                 '2026-03-02', 'Siri', '2026-03-02T10:00:00Z', 'Siri', 1);
             INSERT INTO info_requests (uid, case_id, subject_name, requester_name, requester_position,
                 requester_department, contact, purpose, legal_basis_key, register, period_from, urgency,
                 lang, document, created_at, created_by)
                 VALUES ('r1', 1, 'Ola', 'Siri', 'Sjef', 'Sikkerhet', '22 00 00 00', 'Vurdere tiltak',
                 'politiregisterloven_31', 'ukjent', '2026-01-01', 'soon', 'nb', 'doc',
                 '2026-03-02T10:00:00Z', 'Siri');",
        )
        .unwrap();
        let seals = |conn: &Connection| {
            [
                crate::seal::row_hash(conn, "disclosures", 1).unwrap(),
                crate::seal::row_hash(conn, "info_requests", 1).unwrap(),
            ]
        };
        let before = seals(&conn);
        migrate_to(&conn, 7).unwrap();
        // The new columns are NULL for the old rows, so a row's seal is what it was.
        assert_eq!(seals(&conn), before);
        let (persons, conditions): (Option<String>, Option<String>) = conn
            .query_row(
                "SELECT d.person_ids, r.conditions FROM disclosures d, info_requests r",
                [],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )
            .unwrap();
        assert_eq!((persons, conditions), (None, None));
    }

    #[test]
    fn version_9_keeps_the_seals_of_older_incidents_and_ledger_entries() {
        let dir = tempfile::tempdir().unwrap();
        let conn = Connection::open(dir.path().join("t.db")).unwrap();
        conn.pragma_update(
            None,
            "key",
            "x'0303030303030303030303030303030303030303030303030303030303030303'",
        )
        .unwrap();
        migrate_to(&conn, 8).unwrap();
        conn.execute_batch(
            "INSERT INTO audit_events VALUES (1, 't', 'a', 'x', 's', '{}', 'p', 'h');
             INSERT INTO cases (id, uid, reference, title, status, opened_at, notes)
                 VALUES (1, 'c1', 'V-2026-0001', 'Sak', 'open', '2026-03-01T10:00:00Z', '');
             INSERT INTO incidents (uid, case_id, occurred_local, occurred_tz, occurred_utc, precision,
                 logged_at, logged_by, logged_by_role, place, place_kind, channel, description)
                 VALUES ('i1', 1, '2026-03-01 10:00', 'Europe/Oslo', '2026-03-01T09:00:00Z', 'exact',
                 '2026-03-01T10:00:00Z', 'Siri', 'officer', 'Mobilen', 'online', 'sms', 'SMS');
             INSERT INTO disclosures (uid, case_id, recipient, recipient_kind, shared,
                 legal_basis_key, employee_informed, disclosed_at, disclosed_by, recorded_at,
                 recorded_by, audit_seq)
                 VALUES ('d1', 1, 'Advokat', 'lawyer', 'Loggen', 'consent', 'yes',
                 '2026-03-02', 'Siri', '2026-03-02T10:00:00Z', 'Siri', 1);",
        )
        .unwrap();
        let seals = |conn: &Connection| {
            [
                crate::seal::row_hash(conn, "incidents", 1).unwrap(),
                crate::seal::row_hash(conn, "disclosures", 1).unwrap(),
            ]
        };
        let before = seals(&conn);
        migrate_to(&conn, 9).unwrap();
        // The new columns are NULL for the old rows, so a row's seal is what it was: an
        // older incident has no sender, an older entry on consent names no consent record.
        assert_eq!(seals(&conn), before);
        let (sender, consent): (Option<String>, Option<i64>) = conn
            .query_row(
                "SELECT i.sender, d.consent_id FROM incidents i, disclosures d",
                [],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )
            .unwrap();
        assert_eq!((sender, consent), (None, None));
    }

    #[test]
    fn version_11_keeps_the_seals_of_older_cases_and_holds_none() {
        let dir = tempfile::tempdir().unwrap();
        let conn = Connection::open(dir.path().join("t.db")).unwrap();
        conn.pragma_update(
            None,
            "key",
            "x'0303030303030303030303030303030303030303030303030303030303030303'",
        )
        .unwrap();
        migrate_to(&conn, 10).unwrap();
        conn.execute_batch(
            "INSERT INTO audit_events VALUES (1, 't', 'a', 'x', 's', '{}', 'p', 'h');
             INSERT INTO cases (id, uid, reference, title, status, opened_at, notes, retention_review_on)
                 VALUES (1, 'c1', 'V-2026-0001', 'Sak', 'closed', '2026-03-01T10:00:00Z', '', '2027-03-01');",
        )
        .unwrap();
        let before = crate::seal::row_hash(&conn, "cases", 1).unwrap();
        migrate_to(&conn, 11).unwrap();
        assert_eq!(crate::seal::row_hash(&conn, "cases", 1).unwrap(), before);
        let hold: Option<String> = conn
            .query_row("SELECT legal_hold_since FROM cases", [], |r| r.get(0))
            .unwrap();
        assert_eq!(hold, None);
    }

    #[test]
    fn the_ledger_rebuild_keeps_every_entry_and_stays_append_only() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("t.db");
        let key = zeroize::Zeroizing::new([3u8; 32]);
        // A locker as schema 3 left it, with one disclosure in its ledger.
        let conn = Connection::open(&path).unwrap();
        let hex_key = format!("x'{}'", hex::encode(key.as_ref()));
        conn.pragma_update(None, "key", hex_key.as_str()).unwrap();
        conn.pragma_update(None, "foreign_keys", "ON").unwrap();
        migrate_to(&conn, 3).unwrap();
        conn.execute_batch(
            "INSERT INTO audit_events VALUES (1, 't', 'a', 'x', 's', '{}', 'p', 'h');
             INSERT INTO cases (id, uid, reference, title, status, opened_at, notes)
                 VALUES (1, 'c1', 'V-2026-0001', 'Sak', 'open', '2026-03-01T10:00:00Z', '');
             INSERT INTO disclosures (uid, case_id, recipient, recipient_kind, shared,
                 employee_informed, disclosed_at, disclosed_by, recorded_at, recorded_by, audit_seq)
                 VALUES ('d1', 1, 'Oslo politidistrikt', 'police', 'Bundle', 'yes',
                 '2026-03-02', 'Siri', '2026-03-02T10:00:00Z', 'Siri', 1);",
        )
        .unwrap();
        assert!(
            conn.execute(
                "INSERT INTO disclosures (uid, case_id, recipient, recipient_kind, shared,
                 employee_informed, disclosed_at, disclosed_by, recorded_at, recorded_by, audit_seq)
                 VALUES ('d2', 1, 'Sikkerhetsansvarlig', 'employer', 'Logg', 'yes',
                 '2026-03-02', 'Emma', '2026-03-02T10:00:00Z', 'Emma', 1)",
                [],
            )
            .is_err(),
            "schema 3 has no employer kind"
        );
        drop(conn);

        let conn = open(&path, &key, false).unwrap();
        let kept: (String, String) = conn
            .query_row(
                "SELECT recipient, recipient_kind FROM disclosures WHERE uid = 'd1'",
                [],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )
            .unwrap();
        assert_eq!(kept, ("Oslo politidistrikt".into(), "police".into()));
        conn.execute(
            "INSERT INTO disclosures (uid, case_id, recipient, recipient_kind, shared,
             employee_informed, disclosed_at, disclosed_by, recorded_at, recorded_by, audit_seq)
             VALUES ('d2', 1, 'Sikkerhetsansvarlig', 'employer', 'Logg', 'yes',
             '2026-03-02', 'Emma', '2026-03-02T10:00:00Z', 'Emma', 1)",
            [],
        )
        .unwrap();
        assert!(
            conn.execute("UPDATE disclosures SET recipient = 'x'", [])
                .is_err()
        );
        assert!(conn.execute("DELETE FROM disclosures", []).is_err());
    }

    #[test]
    fn audit_table_is_append_only() {
        let dir = tempfile::tempdir().unwrap();
        let conn = open(
            &dir.path().join("t.db"),
            &zeroize::Zeroizing::new([3u8; 32]),
            true,
        )
        .unwrap();
        conn.execute(
            "INSERT INTO audit_events VALUES (1, 't', 'a', 'x', 's', '{}', 'p', 'h')",
            [],
        )
        .unwrap();
        assert!(
            conn.execute("UPDATE audit_events SET actor = 'b'", [])
                .is_err()
        );
        assert!(conn.execute("DELETE FROM audit_events", []).is_err());
    }
}
