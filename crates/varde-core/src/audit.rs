//! The append-only, hash-chained audit log.
//!
//! Each event's hash is `SHA-256(canonical JSON of {action, actor, details, prev, seq,
//! subject, time})`, where `prev` is the hash of the event before (64 zeros for the
//! first). Canonical JSON: object keys sorted by byte order, no insignificant white space,
//! strings escaped as `serde_json` does (RFC 8259; non-ASCII written as UTF-8). Anyone
//! holding `custody.jsonl` can replay the chain with a few lines of any language.

use rusqlite::{Connection, OptionalExtension, params};
use serde::{Deserialize, Serialize};
use serde_json::Value;
use sha2::{Digest, Sha256};

use crate::error::{Error, Result};

/// The `prev` of the first event.
pub const GENESIS_PREV: &str = "0000000000000000000000000000000000000000000000000000000000000000";

/// One event of the audit log, as stored and as exported.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct AuditEvent {
    /// Position in the chain, from 1, without gaps.
    pub seq: i64,
    /// When, as RFC 3339 local time with its UTC offset.
    pub time: String,
    /// Who did it.
    pub actor: String,
    /// What was done, e.g. `evidence.add`.
    pub action: String,
    /// What it was done to, e.g. `evidence:12`.
    pub subject: String,
    /// Action-specific facts (a JSON object).
    pub details: Value,
    /// The hash of the previous event.
    pub prev_hash: String,
    /// This event's hash.
    pub hash: String,
}

/// Write `v` as canonical JSON (sorted keys, compact).
pub fn canonical_json(v: &Value) -> String {
    let mut out = String::new();
    write_canonical(v, &mut out);
    out
}

fn write_canonical(v: &Value, out: &mut String) {
    match v {
        Value::Object(map) => {
            let mut keys: Vec<&String> = map.keys().collect();
            keys.sort();
            out.push('{');
            for (i, k) in keys.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                out.push_str(&Value::String((*k).clone()).to_string());
                out.push(':');
                write_canonical(&map[*k], out);
            }
            out.push('}');
        }
        Value::Array(items) => {
            out.push('[');
            for (i, item) in items.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                write_canonical(item, out);
            }
            out.push(']');
        }
        scalar => out.push_str(&scalar.to_string()),
    }
}

/// The hash of an event with these fields.
pub fn event_hash(
    seq: i64,
    time: &str,
    actor: &str,
    action: &str,
    subject: &str,
    details: &Value,
    prev: &str,
) -> String {
    let body = serde_json::json!({
        "seq": seq,
        "time": time,
        "actor": actor,
        "action": action,
        "subject": subject,
        "details": details,
        "prev": prev,
    });
    hex::encode(Sha256::digest(canonical_json(&body).as_bytes()))
}

impl AuditEvent {
    /// Recompute this event's hash from its fields.
    pub fn computed_hash(&self) -> String {
        event_hash(
            self.seq,
            &self.time,
            &self.actor,
            &self.action,
            &self.subject,
            &self.details,
            &self.prev_hash,
        )
    }
}

/// The action of the event that deletes a case and names the events it erased.
pub const CASE_DELETE: &str = "case.delete";

/// The details an erased event keeps: `{"erased_by": <seq of the case deletion>}`.
pub(crate) fn tombstone(deletion_seq: i64) -> Value {
    serde_json::json!({ "erased_by": deletion_seq })
}

/// The deletion that erased these details, when they are a tombstone.
pub(crate) fn erased_by(details: &Value) -> Option<i64> {
    match details {
        Value::Object(map) if map.len() == 1 => map.get("erased_by").and_then(Value::as_i64),
        _ => None,
    }
}

/// The last event's sequence number and hash.
pub(crate) fn head(conn: &Connection) -> Result<(i64, String)> {
    Ok(conn
        .query_row(
            "SELECT seq, hash FROM audit_events ORDER BY seq DESC LIMIT 1",
            [],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .optional()?
        .unwrap_or((0, GENESIS_PREV.to_string())))
}

/// Append an event after `head`; returns the new head. Must run inside the write's
/// transaction (see `Locker::write`).
pub(crate) fn append(
    conn: &Connection,
    head: &(i64, String),
    time: &str,
    actor: &str,
    action: &str,
    subject: &str,
    details: &Value,
) -> Result<(i64, String)> {
    let seq = head.0 + 1;
    let hash = event_hash(seq, time, actor, action, subject, details, &head.1);
    conn.execute(
        "INSERT INTO audit_events (seq, time, actor, action, subject, details, prev_hash, hash)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
        params![
            seq,
            time,
            actor,
            action,
            subject,
            canonical_json(details),
            head.1,
            hash
        ],
    )?;
    conn.execute(
        "INSERT INTO settings (key, value) VALUES ('audit_head', ?1)
         ON CONFLICT(key) DO UPDATE SET value = excluded.value",
        [format!("{seq}:{hash}")],
    )?;
    note_case(conn, seq, subject)?;
    Ok((seq, hash))
}

/// More events than this since a kept answer, and every kept answer is dropped instead
/// of reading which cases they were about (a bulk import, say).
const WRITTEN_READ_AT_MOST: i64 = 10_000;

/// Which cases the events after `from` are about, for the kept answers of `memo.rs`:
/// `None` if one is about no case (see [`note_case`]), if there are more than
/// [`WRITTEN_READ_AT_MOST`], or if `from` is no longer in the chain as it was.
pub(crate) fn cases_written_since(
    conn: &Connection,
    from: &crate::memo::Head,
) -> Result<crate::memo::Written> {
    let same: Option<String> = conn
        .prepare_cached("SELECT hash FROM audit_events WHERE seq = ?1")?
        .query_row([from.0], |r| r.get(0))
        .optional()?;
    if same.as_deref() != Some(from.1.as_str()) {
        return Ok(None);
    }
    let mut stmt = conn.prepare_cached(
        "SELECT c.case_id FROM audit_events a LEFT JOIN case_events c ON c.seq = a.seq
         WHERE a.seq > ?1 ORDER BY a.seq LIMIT ?2",
    )?;
    let cases: Vec<Option<i64>> = stmt
        .query_map(params![from.0, WRITTEN_READ_AT_MOST + 1], |r| r.get(0))?
        .collect::<rusqlite::Result<_>>()?;
    if cases.len() as i64 > WRITTEN_READ_AT_MOST {
        return Ok(None);
    }
    let mut cases: Option<Vec<i64>> = cases.into_iter().collect();
    if let Some(c) = &mut cases {
        c.sort_unstable();
        c.dedup();
    }
    Ok(cases)
}

/// Note the case an event is about in `case_events` (migration 15), for [`case_page`]:
/// the case of its record, or when the record is gone (an item removed), the case its
/// subject's earlier events were noted under. Other subjects belong to no case page.
fn note_case(conn: &Connection, seq: i64, subject: &str) -> Result<()> {
    let Some((kind, key)) = subject.split_once(':') else {
        return Ok(());
    };
    let id = || key.parse::<i64>().ok();
    let by_record: Option<i64> = match (kind, id()) {
        ("case", _) => conn
            .prepare_cached("SELECT id FROM cases WHERE reference = ?1")?
            .query_row([key], |r| r.get(0))
            .optional()?,
        ("incident", Some(id)) => conn
            .prepare_cached("SELECT case_id FROM incidents WHERE id = ?1")?
            .query_row([id], |r| r.get(0))
            .optional()?,
        ("evidence", Some(id)) => conn
            .prepare_cached(
                "SELECT i.case_id FROM evidence e JOIN incidents i ON i.id = e.incident_id WHERE e.id = ?1",
            )?
            .query_row([id], |r| r.get(0))
            .optional()?,
        _ => return Ok(()),
    };
    let case_id = match by_record {
        Some(c) => Some(c),
        None => conn
            .prepare_cached(
                "SELECT c.case_id FROM audit_events a JOIN case_events c ON c.seq = a.seq
                 WHERE a.subject = ?1 ORDER BY a.seq DESC LIMIT 1",
            )?
            .query_row([subject], |r| r.get(0))
            .optional()?,
    };
    if let Some(case_id) = case_id {
        conn.prepare_cached("INSERT INTO case_events (seq, case_id) VALUES (?1, ?2)")?
            .execute(params![seq, case_id])?;
    }
    Ok(())
}

fn row_to_event(r: &rusqlite::Row<'_>) -> rusqlite::Result<(AuditEvent, String)> {
    let details_text: String = r.get(5)?;
    let details =
        serde_json::from_str(&details_text).unwrap_or(Value::String(details_text.clone()));
    Ok((
        AuditEvent {
            seq: r.get(0)?,
            time: r.get(1)?,
            actor: r.get(2)?,
            action: r.get(3)?,
            subject: r.get(4)?,
            details,
            prev_hash: r.get(6)?,
            hash: r.get(7)?,
        },
        details_text,
    ))
}

const SELECT_EVENTS: &str =
    "SELECT seq, time, actor, action, subject, details, prev_hash, hash FROM audit_events";

/// Events, oldest first, optionally only those whose subject starts with `subject_prefix`.
pub(crate) fn list(conn: &Connection, subject_prefix: Option<&str>) -> Result<Vec<AuditEvent>> {
    let mut stmt = conn.prepare(&format!(
        "{SELECT_EVENTS} WHERE ?1 IS NULL OR subject = ?1 OR subject LIKE ?1 || ':%' ORDER BY seq"
    ))?;
    let rows = stmt.query_map([subject_prefix], row_to_event)?;
    rows.map(|r| r.map(|(e, _)| e).map_err(Error::from))
        .collect()
}

/// How many events are about a case, its incidents and its evidence.
pub(crate) fn case_total(conn: &Connection, case_id: i64) -> Result<i64> {
    Ok(conn
        .prepare_cached("SELECT count(*) FROM case_events WHERE case_id = ?1")?
        .query_row([case_id], |r| r.get(0))?)
}

/// A page of a case's events, newest first: about the case, its incidents and its
/// evidence. `case_events` holds which those are (see `note_case`); the page is picked
/// from that index alone, then its events are read.
pub(crate) fn case_page(
    conn: &Connection,
    case_id: i64,
    offset: i64,
    limit: i64,
) -> Result<Vec<AuditEvent>> {
    let mut stmt = conn.prepare_cached(&format!(
        "{SELECT_EVENTS} WHERE seq IN (SELECT seq FROM case_events WHERE case_id = ?1
                                       ORDER BY seq DESC LIMIT ?2 OFFSET ?3)
         ORDER BY seq DESC"
    ))?;
    let rows = stmt.query_map(rusqlite::params![case_id, limit, offset], row_to_event)?;
    rows.map(|r| r.map(|(e, _)| e).map_err(Error::from))
        .collect()
}

/// Walk the whole chain and describe every break, by event.
pub(crate) fn verify_chain(conn: &Connection) -> Result<(usize, Vec<(String, String)>)> {
    let mut problems = Vec::new();
    let mut stmt = conn.prepare(&format!("{SELECT_EVENTS} ORDER BY seq"))?;
    let mut rows = stmt.query([])?;
    let mut expected_seq = 1;
    let mut prev = GENESIS_PREV.to_string();
    let mut count = 0;
    let mut tombstones: Vec<(i64, String, i64)> = Vec::new();
    let mut named: std::collections::HashMap<i64, (String, i64)> = Default::default();
    while let Some(row) = rows.next()? {
        let (ev, details_text) = row_to_event(row)?;
        count += 1;
        let subject = format!("audit event {}", ev.seq);
        if ev.seq != expected_seq {
            problems.push((
                format!("audit event {expected_seq}"),
                format!(
                    "missing: the chain jumps from event {} to {}",
                    expected_seq - 1,
                    ev.seq
                ),
            ));
        }
        if ev.prev_hash != prev {
            problems.push((
                subject.clone(),
                "does not link to the event before it (an event was removed or changed)".into(),
            ));
        }
        if let Some(by) = erased_by(&ev.details) {
            // Its details were erased by a case deletion: its hash cannot be recomputed,
            // so a later deletion event must name it with exactly this hash.
            tombstones.push((ev.seq, ev.hash.clone(), by));
        } else if canonical_json(&ev.details) != details_text || ev.computed_hash() != ev.hash {
            problems.push((
                subject.clone(),
                "its contents do not match its hash (the event was edited)".into(),
            ));
        } else if ev.action == CASE_DELETE
            && let Some(list) = ev.details.get("erased").and_then(Value::as_array)
        {
            for item in list {
                if let (Some(seq), Some(hash)) = (
                    item.get(0).and_then(Value::as_i64),
                    item.get(1).and_then(Value::as_str),
                ) {
                    named.insert(seq, (hash.to_string(), ev.seq));
                }
            }
        }
        expected_seq = ev.seq + 1;
        prev = ev.hash;
    }
    for (seq, hash, by) in tombstones {
        match named.get(&seq) {
            Some((h, deletion)) if *h == hash && *deletion == by && by > seq => {}
            _ => problems.push((
                format!("audit event {seq}"),
                format!(
                    "its details were erased, but no case deletion (event {by}) names it with its hash"
                ),
            )),
        }
    }
    let anchor: Option<String> = conn
        .query_row(
            "SELECT value FROM settings WHERE key = 'audit_head'",
            [],
            |r| r.get(0),
        )
        .optional()?;
    let last = format!("{}:{}", expected_seq - 1, prev);
    match anchor {
        Some(a) if a == last => {}
        Some(a) => problems.push((
            "audit log".into(),
            format!(
                "ends at event {} but the locker recorded its last event as {} (events at the end were removed)",
                expected_seq - 1,
                a.split(':').next().unwrap_or("?")
            ),
        )),
        None if count > 0 => problems.push(("audit log".into(), "its head record is missing".into())),
        None => {}
    }
    Ok((count, problems))
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;
    use serde_json::json;

    #[test]
    fn canonical_json_sorts_keys_recursively() {
        let v = json!({"b": 1, "a": {"z": [1, {"y": "æ", "x": null}], "c": true}});
        assert_eq!(
            canonical_json(&v),
            r#"{"a":{"c":true,"z":[1,{"x":null,"y":"æ"}]},"b":1}"#
        );
    }

    #[test]
    fn hash_depends_on_every_field() {
        let d = json!({"k": "v"});
        let base = event_hash(1, "t", "a", "x", "s", &d, GENESIS_PREV);
        assert_ne!(base, event_hash(2, "t", "a", "x", "s", &d, GENESIS_PREV));
        assert_ne!(base, event_hash(1, "u", "a", "x", "s", &d, GENESIS_PREV));
        assert_ne!(base, event_hash(1, "t", "b", "x", "s", &d, GENESIS_PREV));
        assert_ne!(base, event_hash(1, "t", "a", "y", "s", &d, GENESIS_PREV));
        assert_ne!(base, event_hash(1, "t", "a", "x", "r", &d, GENESIS_PREV));
        assert_ne!(
            base,
            event_hash(1, "t", "a", "x", "s", &json!({}), GENESIS_PREV)
        );
        assert_ne!(base, event_hash(1, "t", "a", "x", "s", &d, &"1".repeat(64)));
    }

    #[test]
    fn known_vector() {
        // Fixed so that an outside re-implementation can check itself against it:
        // sha256 of {"action":"locker.init","actor":"A","details":{},"prev":"000…0","seq":1,"subject":"locker","time":"2026-01-01T00:00:00+01:00"}
        let h = event_hash(
            1,
            "2026-01-01T00:00:00+01:00",
            "A",
            "locker.init",
            "locker",
            &json!({}),
            GENESIS_PREV,
        );
        let body = format!(
            r#"{{"action":"locker.init","actor":"A","details":{{}},"prev":"{GENESIS_PREV}","seq":1,"subject":"locker","time":"2026-01-01T00:00:00+01:00"}}"#
        );
        assert_eq!(h, hex::encode(Sha256::digest(body.as_bytes())));
    }
}
