//! Cases: create, list, show, change status.

use chrono::Datelike;
use rusqlite::{OptionalExtension, Row, params};
use serde_json::json;

use crate::error::{Error, Result};
use crate::invalid::{Field, Invalid};
use crate::locker::Locker;
use crate::model::{Case, CaseStatus};

const SELECT_CASE: &str =
    "SELECT id, uid, reference, title, status, opened_at, closed_at, notes FROM cases";

fn row_to_case(r: &Row<'_>) -> rusqlite::Result<Case> {
    Ok(Case {
        id: r.get(0)?,
        uid: r.get(1)?,
        reference: r.get(2)?,
        title: r.get(3)?,
        status: r.get(4)?,
        opened_at: r.get(5)?,
        closed_at: r.get(6)?,
        notes: r.get(7)?,
    })
}

/// Filter for [`Locker::list_cases`].
#[derive(Debug, Default, Clone, serde::Serialize, serde::Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct CaseFilter {
    /// Only cases with this status.
    pub status: Option<CaseStatus>,
    /// Only cases whose reference or title contains this text (case-insensitive).
    pub search: Option<String>,
}

impl Locker {
    /// Open a new case; its reference is `V-<year>-<nnnn>`, numbered per year.
    pub fn create_case(&mut self, title: &str, notes: &str) -> Result<Case> {
        let title = title.trim();
        if title.is_empty() {
            return Err(Error::invalid(Invalid::Required {
                field: Field::Title,
            }));
        }
        let now = self.clock.now();
        let prefix = format!("V-{}-", now.year());
        self.write(|w| {
            let last: Option<String> = w
                .tx
                .query_row(
                    "SELECT reference FROM cases WHERE reference LIKE ?1 || '%' ORDER BY reference DESC LIMIT 1",
                    [&prefix],
                    |r| r.get(0),
                )
                .optional()?;
            let n = last
                .and_then(|r| r[prefix.len()..].parse::<u32>().ok())
                .unwrap_or(0)
                + 1;
            let reference = format!("{prefix}{n:04}");
            let uid = uuid::Uuid::new_v4().to_string();
            w.tx.execute(
                "INSERT INTO cases (uid, reference, title, status, opened_at, notes) VALUES (?1, ?2, ?3, 'open', ?4, ?5)",
                params![uid, reference, title, w.time, notes],
            )?;
            let id = w.tx.last_insert_rowid();
            w.audit(
                "case.create",
                &format!("case:{reference}"),
                json!({"case_id": id, "uid": uid, "title": title}),
            )?;
            Ok(Case {
                id,
                uid,
                reference,
                title: title.to_string(),
                status: CaseStatus::Open,
                opened_at: w.time.clone(),
                closed_at: None,
                notes: notes.to_string(),
            })
        })
    }

    /// Cases, newest first.
    pub fn list_cases(&self, filter: &CaseFilter) -> Result<Vec<Case>> {
        let mut stmt = self.conn.prepare(&format!(
            "{SELECT_CASE} WHERE (?1 IS NULL OR status = ?1)
               AND (?2 IS NULL OR instr(lower(reference || ' ' || title), lower(?2)) > 0)
             ORDER BY opened_at DESC, id DESC"
        ))?;
        let rows = stmt.query_map(params![filter.status, filter.search], row_to_case)?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// A case by its reference (e.g. `V-2026-0001`).
    pub fn case(&self, reference: &str) -> Result<Case> {
        self.conn
            .query_row(
                &format!("{SELECT_CASE} WHERE reference = ?1"),
                [reference.trim()],
                row_to_case,
            )
            .optional()?
            .ok_or_else(|| Error::not_found(crate::invalid::ItemKind::Case, reference))
    }

    /// A case by its local id.
    pub fn case_by_id(&self, id: i64) -> Result<Case> {
        self.conn
            .query_row(&format!("{SELECT_CASE} WHERE id = ?1"), [id], row_to_case)
            .optional()?
            .ok_or_else(|| Error::not_found(crate::invalid::ItemKind::Case, id))
    }

    /// Change a case's status; closing records the time, reopening clears it.
    pub fn set_case_status(
        &mut self,
        reference: &str,
        status: CaseStatus,
        note: &str,
    ) -> Result<Case> {
        let case = self.case(reference)?;
        if case.status == status {
            return Ok(case);
        }
        self.write(|w| {
            let closed_at = (status == CaseStatus::Closed).then(|| w.time.clone());
            w.tx.execute(
                "UPDATE cases SET status = ?1, closed_at = ?2 WHERE id = ?3",
                params![status, closed_at, case.id],
            )?;
            w.audit(
                "case.status",
                &format!("case:{}", case.reference),
                json!({"from": case.status.as_str(), "to": status.as_str(), "note": note}),
            )?;
            Ok(())
        })?;
        self.case(reference)
    }

    /// Change a case's title and notes.
    pub fn edit_case(
        &mut self,
        reference: &str,
        title: Option<&str>,
        notes: Option<&str>,
    ) -> Result<Case> {
        let case = self.case(reference)?;
        let new_title = title.map(str::trim).unwrap_or(&case.title).to_string();
        if new_title.is_empty() {
            return Err(Error::invalid(Invalid::Required {
                field: Field::Title,
            }));
        }
        let new_notes = notes.unwrap_or(&case.notes).to_string();
        self.write(|w| {
            w.tx.execute(
                "UPDATE cases SET title = ?1, notes = ?2 WHERE id = ?3",
                params![new_title, new_notes, case.id],
            )?;
            w.audit(
                "case.edit",
                &format!("case:{}", case.reference),
                json!({"title": new_title, "notes_changed": new_notes != case.notes}),
            )?;
            Ok(())
        })?;
        self.case(reference)
    }
}
