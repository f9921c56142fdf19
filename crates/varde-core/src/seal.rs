//! Record seals: every audit event commits to the state of the records its write created,
//! changed or removed, so an edit made behind Varde's back (through the `sqlcipher` shell,
//! with the passphrase) is found by `verify`.
//!
//! How it works:
//! - Each connection gets TEMP triggers on every sealed table that note the rowid of each
//!   inserted, updated or deleted row in `temp.changed_rows`.
//! - [`crate::locker::Write::audit`] drains that list and puts the hash of each changed
//!   row (or `null` for a removed one) into the event's `details.records`, keyed
//!   `"<table>:<rowid>"`. The event's hash covers it, so the chain covers it.
//! - [`crate::locker::Locker::write`] refuses to commit while a change is unsealed, so no
//!   write can forget to seal what it touched.
//! - `verify` replays the seals (the last one per record wins) and compares them with the
//!   rows as they are now.
//!
//! A row's hash is SHA-256 of the canonical JSON (see [`crate::audit::canonical_json`]) of
//! its columns by name, NULL columns left out — so a column added later with a NULL
//! default keeps every earlier seal valid. A migration must never give a sealed table a
//! column with a non-NULL default, or rewrite sealed rows, without sealing them again in an
//! audit event.

use std::collections::BTreeMap;

use rusqlite::Connection;
use rusqlite::types::ValueRef;
use serde_json::{Map, Value};
use sha2::{Digest, Sha256};

use crate::audit::canonical_json;
use crate::error::{Error, Result};

/// The tables whose rows are sealed. `settings` (which holds the moving audit head) and the
/// audit log itself (chained already) are not.
pub(crate) const SEALED_TABLES: &[&str] = &[
    "cases",
    "persons",
    "incidents",
    "incident_versions",
    "blobs",
    "evidence",
    "checklist_states",
    "escalation_actions",
    "local_contacts",
    "disclosures",
    "disclosure_informed",
    "info_requests",
    "bundle_imports",
    "evidence_origins",
    "incident_origins",
    "consents",
    "consent_withdrawals",
    "derived",
    "deletion_receipts",
    "redactions",
];

/// Records per event when an older locker's existing records are sealed at upgrade.
const UPGRADE_CHUNK: usize = 500;

/// Create the change-tracking triggers on this connection (they live in `temp`, so they
/// are not part of the locker file and cannot be removed from it).
pub(crate) fn install(conn: &Connection) -> Result<()> {
    let mut sql = String::from(
        "CREATE TEMP TABLE IF NOT EXISTS changed_rows (tbl TEXT NOT NULL, rid INTEGER NOT NULL, PRIMARY KEY (tbl, rid));\n",
    );
    for t in SEALED_TABLES {
        for (event, row) in [("INSERT", "NEW"), ("UPDATE", "NEW"), ("DELETE", "OLD")] {
            sql.push_str(&format!(
                "CREATE TEMP TRIGGER IF NOT EXISTS seal_{t}_{ev} AFTER {event} ON main.{t}
                 BEGIN INSERT OR IGNORE INTO temp.changed_rows VALUES ('{t}', {row}.rowid); END;\n",
                ev = event.to_lowercase()
            ));
        }
        // An update that changes a rowid leaves the old one behind.
        sql.push_str(&format!(
            "CREATE TEMP TRIGGER IF NOT EXISTS seal_{t}_rekey AFTER UPDATE ON main.{t} WHEN OLD.rowid <> NEW.rowid
             BEGIN INSERT OR IGNORE INTO temp.changed_rows VALUES ('{t}', OLD.rowid); END;\n"
        ));
    }
    conn.execute_batch(&sql)?;
    Ok(())
}

/// Forget pending changes (at the start of a write, after a rolled-back one).
pub(crate) fn reset(conn: &Connection) -> Result<()> {
    conn.execute("DELETE FROM temp.changed_rows", [])?;
    Ok(())
}

/// Take the rows changed since the last call, with their current hashes (`None`: removed).
pub(crate) fn drain(conn: &Connection) -> Result<BTreeMap<String, Option<String>>> {
    let changed: Vec<(String, i64)> = {
        let mut stmt = conn.prepare("SELECT tbl, rid FROM temp.changed_rows ORDER BY tbl, rid")?;
        stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?
            .collect::<rusqlite::Result<_>>()?
    };
    let mut out = BTreeMap::new();
    for (table, rid) in changed {
        out.insert(format!("{table}:{rid}"), row_hash(conn, &table, rid)?);
    }
    reset(conn)?;
    Ok(out)
}

/// The number of changed rows not yet sealed by an event.
pub(crate) fn pending(conn: &Connection) -> Result<i64> {
    Ok(conn.query_row("SELECT count(*) FROM temp.changed_rows", [], |r| r.get(0))?)
}

/// The seal of one row, `None` when there is no such row.
pub(crate) fn row_hash(conn: &Connection, table: &str, rid: i64) -> Result<Option<String>> {
    if !SEALED_TABLES.contains(&table) {
        return Err(Error::Integrity(format!("internal: {table} is not sealed")));
    }
    let mut stmt = conn.prepare_cached(&format!("SELECT * FROM main.{table} WHERE rowid = ?1"))?;
    let names: Vec<String> = stmt.column_names().map(str::to_string).collect();
    let mut rows = stmt.query([rid])?;
    match rows.next()? {
        Some(row) => Ok(Some(hash_row(row, &names, 0)?)),
        None => Ok(None),
    }
}

/// Hash the columns `names` of `row`, which start at column `first`.
fn hash_row(row: &rusqlite::Row<'_>, names: &[String], first: usize) -> Result<String> {
    let mut map = Map::new();
    for (i, name) in names.iter().enumerate() {
        let v = match row.get_ref(first + i)? {
            ValueRef::Null => continue,
            ValueRef::Integer(n) => Value::from(n),
            ValueRef::Real(f) => Value::from(f),
            ValueRef::Text(t) => Value::String(String::from_utf8_lossy(t).into_owned()),
            ValueRef::Blob(b) => serde_json::json!({ "hex": hex::encode(b) }),
        };
        map.insert(name.clone(), v);
    }
    Ok(hex::encode(Sha256::digest(
        canonical_json(&Value::Object(map)).as_bytes(),
    )))
}

/// Every sealed row as it is now: `"<table>:<rowid>"` → hash.
pub(crate) fn current(conn: &Connection) -> Result<BTreeMap<String, String>> {
    let mut out = BTreeMap::new();
    for table in SEALED_TABLES {
        let mut stmt = conn.prepare(&format!("SELECT rowid AS _rid, * FROM main.{table}"))?;
        let names: Vec<String> = stmt.column_names().skip(1).map(str::to_string).collect();
        let mut rows = stmt.query([])?;
        while let Some(row) = rows.next()? {
            let rid: i64 = row.get(0)?;
            let hash = hash_row(row, &names, 1)?;
            out.insert(format!("{table}:{rid}"), hash);
        }
    }
    Ok(out)
}

/// The rows of an older locker that no event sealed yet, in chunks for [`UPGRADE_CHUNK`]
/// events: called once, right after the migration that introduced seals.
pub(crate) fn unsealed_chunks(conn: &Connection) -> Result<Vec<BTreeMap<String, String>>> {
    let all = current(conn)?;
    let mut chunks = Vec::new();
    let mut chunk = BTreeMap::new();
    for (k, v) in all {
        chunk.insert(k, v);
        if chunk.len() == UPGRADE_CHUNK {
            chunks.push(std::mem::take(&mut chunk));
        }
    }
    if !chunk.is_empty() {
        chunks.push(chunk);
    }
    Ok(chunks)
}

/// The replay of every seal in the audit log: for each record, the last seal (its hash,
/// or `None` for a removal) and the event that holds it.
pub(crate) fn last_seals(conn: &Connection) -> Result<BTreeMap<String, (Option<String>, i64)>> {
    let mut sealed = BTreeMap::new();
    let mut stmt = conn.prepare(
        "SELECT seq, json_extract(details, '$.records') FROM audit_events
         WHERE json_extract(details, '$.records') IS NOT NULL ORDER BY seq",
    )?;
    let mut rows = stmt.query([])?;
    while let Some(r) = rows.next()? {
        let seq: i64 = r.get(0)?;
        let text: String = r.get(1)?;
        let Ok(Value::Object(map)) = serde_json::from_str(&text) else {
            continue;
        };
        for (k, v) in map {
            sealed.insert(k, (v.as_str().map(str::to_string), seq));
        }
    }
    Ok(sealed)
}

/// What a record key names, in words for a problem report: `incidents:12` → `incident 12`.
pub(crate) fn describe(key: &str) -> String {
    let (table, id) = key.split_once(':').unwrap_or((key, ""));
    let what = match table {
        "cases" => "case",
        "persons" => "person",
        "incidents" => "incident",
        "incident_versions" => "earlier version of an incident (row",
        "blobs" => "stored original (row",
        "evidence" => "evidence",
        "checklist_states" => "checklist entry",
        "escalation_actions" => "prompt action",
        "local_contacts" => "local contact",
        "disclosures" => "disclosure",
        "info_requests" => "police request",
        "bundle_imports" => "bundle import",
        "evidence_origins" => "evidence origin (evidence",
        "incident_origins" => "incident origin (incident",
        "deletion_receipts" => "deletion receipt",
        other => other,
    };
    if what.ends_with("(row") || what.ends_with("(evidence") || what.ends_with("(incident") {
        format!("{what} {id})")
    } else {
        format!("{what} {id}")
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    fn db() -> (tempfile::TempDir, Connection) {
        let dir = tempfile::tempdir().unwrap();
        let conn = crate::db::open(
            &dir.path().join("t.db"),
            &zeroize::Zeroizing::new([3u8; 32]),
            true,
        )
        .unwrap();
        (dir, conn)
    }

    #[test]
    fn changes_are_tracked_and_hashed_like_the_full_scan() {
        let (_d, conn) = db();
        install(&conn).unwrap();
        conn.execute(
            "INSERT INTO cases (id, uid, reference, title, status, opened_at) VALUES (7, 'u', 'V-1', 'T', 'open', 'x')",
            [],
        )
        .unwrap();
        let sealed = drain(&conn).unwrap();
        let h = sealed["cases:7"].clone().unwrap();
        assert_eq!(current(&conn).unwrap()["cases:7"], h);
        assert_eq!(pending(&conn).unwrap(), 0);
        conn.execute("UPDATE cases SET title = 'U' WHERE id = 7", [])
            .unwrap();
        let again = drain(&conn).unwrap();
        assert_ne!(
            again["cases:7"].clone().unwrap(),
            h,
            "an edit changes the seal"
        );
        conn.execute("DELETE FROM cases WHERE id = 7", []).unwrap();
        assert_eq!(drain(&conn).unwrap()["cases:7"], None);
    }

    #[test]
    fn every_sealed_table_exists_and_is_tracked() {
        let (_d, conn) = db();
        install(&conn).unwrap();
        for t in SEALED_TABLES {
            let n: i64 = conn
                .query_row(
                    "SELECT count(*) FROM sqlite_temp_master WHERE type = 'trigger' AND tbl_name = ?1",
                    [t],
                    |r| r.get(0),
                )
                .unwrap();
            assert_eq!(n, 4, "{t}");
        }
    }

    #[test]
    fn null_columns_do_not_count() {
        let (_d, conn) = db();
        conn.execute(
            "INSERT INTO cases (id, uid, reference, title, status, opened_at, closed_at) VALUES (1, 'u', 'V-1', 'T', 'open', 'x', NULL)",
            [],
        )
        .unwrap();
        let before = current(&conn).unwrap()["cases:1"].clone();
        conn.execute_batch("ALTER TABLE cases ADD COLUMN later TEXT")
            .unwrap();
        assert_eq!(current(&conn).unwrap()["cases:1"], before);
    }
}
