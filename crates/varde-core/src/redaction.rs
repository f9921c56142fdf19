//! Redacted copies of image evidence, for recipients other than the police (HR, a manager,
//! the employee's union). A copy is derived data, never evidence: the original stays the
//! evidence and is never changed; the copy names it, records the boxes and who drew them,
//! and is stored as a blob of its own (see ARCHITECTURE.md, «Redacted copies»).
//!
//! The pixels are made by `varde-image`: the original decoded upright under the decode
//! limits, each box filled opaque black, the copy encoded afresh as PNG from the pixels
//! alone, so no EXIF, GPS or other metadata of the original survives in it.

use std::path::Path;

use rusqlite::{OptionalExtension, Row, params};
use serde::{Deserialize, Serialize};
use serde_json::json;

use crate::error::{Error, Result};
use crate::evidence::{insert_blob_row, remove_temps, stream_to_temp};
use crate::invalid::{Invalid, Item, ItemKind};
use crate::locker::Locker;

/// A box of an upright image, in its pixels: the top-left corner and the size.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct Region {
    /// Left edge, from 0.
    pub x: u32,
    /// Top edge, from 0.
    pub y: u32,
    /// Width.
    pub w: u32,
    /// Height.
    pub h: u32,
}

impl Region {
    fn pixels(self) -> varde_image::Region {
        varde_image::Region {
            x: self.x,
            y: self.y,
            w: self.w,
            h: self.h,
        }
    }
}

/// A redacted copy of an image original.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct Redaction {
    /// Local id (never handed out twice).
    pub id: i64,
    /// Globally unique id.
    pub uid: String,
    /// The evidence item it is a copy of.
    pub evidence: i64,
    /// The original's SHA-256.
    pub original_sha256: String,
    /// The original's file name.
    pub original_name: String,
    /// SHA-256 of the copy (a PNG).
    pub sha256: String,
    /// Size of the copy in bytes.
    pub size: u64,
    /// Width in pixels (upright).
    pub width: u32,
    /// Height in pixels (upright).
    pub height: u32,
    /// The boxes filled black.
    pub regions: Vec<Region>,
    /// When it was made (RFC 3339 with offset).
    pub made_at: String,
    /// Who made it.
    pub made_by: String,
}

/// The media type of every redacted copy.
pub const REDACTED_MEDIA_TYPE: &str = "image/png";

const SELECT_REDACTION: &str = "SELECT r.id, r.uid, r.evidence_id, e.sha256, r.sha256, r.size,
    r.width, r.height, r.regions, r.made_at, r.made_by, e.original_name
    FROM redactions r JOIN evidence e ON e.id = r.evidence_id";

fn row_to_redaction(r: &Row<'_>) -> rusqlite::Result<Redaction> {
    let regions: String = r.get(8)?;
    Ok(Redaction {
        id: r.get(0)?,
        uid: r.get(1)?,
        evidence: r.get(2)?,
        original_sha256: r.get(3)?,
        sha256: r.get(4)?,
        size: r.get::<_, i64>(5)? as u64,
        width: r.get(6)?,
        height: r.get(7)?,
        regions: serde_json::from_str(&regions).map_err(|e| {
            rusqlite::Error::FromSqlConversionFailure(8, rusqlite::types::Type::Text, Box::new(e))
        })?,
        made_at: r.get(9)?,
        made_by: r.get(10)?,
        original_name: r.get(11)?,
    })
}

/// The one INSERT into `redactions`. Its new id.
fn insert_redaction_row(
    tx: &rusqlite::Transaction<'_>,
    r: &Redaction,
    audit_seq: i64,
) -> Result<i64> {
    tx.execute(
        "INSERT INTO redactions (uid, evidence_id, sha256, size, width, height, regions, made_at, made_by, audit_seq)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)",
        params![
            r.uid,
            r.evidence,
            r.sha256,
            r.size as i64,
            r.width,
            r.height,
            serde_json::to_string(&r.regions).map_err(Error::internal)?,
            r.made_at,
            r.made_by,
            audit_seq,
        ],
    )?;
    Ok(tx.last_insert_rowid())
}

/// Map the pixel crate's refusal to the typed reason the user reads.
fn refused(item: Item, e: varde_image::RedactError) -> Error {
    use varde_image::{ImageError, RedactError, RegionError};
    Error::invalid(match e {
        RedactError::Image(ImageError::TooLarge) => Invalid::ImageTooLarge { item },
        RedactError::Image(ImageError::Unsupported | ImageError::Undecodable) => {
            Invalid::NotAnImage { item }
        }
        RedactError::Regions(RegionError::None) => Invalid::NoRegions,
        RedactError::Regions(RegionError::TooMany) => Invalid::TooManyRegions {
            max: varde_image::MAX_REGIONS,
        },
        RedactError::Regions(RegionError::Outside {
            index,
            width,
            height,
        }) => Invalid::RegionOutside {
            number: index + 1,
            width,
            height,
        },
    })
}

impl Locker {
    /// Make a redacted copy of an image evidence item: each region (in the upright image's
    /// pixels) filled opaque black, EXIF and GPS gone. The original is unchanged and stays
    /// the evidence; the copy is recorded with an `evidence.redact` audit event.
    pub fn redact(&mut self, evidence_id: i64, regions: &[Region]) -> Result<Redaction> {
        let ev = self.evidence(evidence_id)?;
        let item = Item::new(ItemKind::Evidence, evidence_id);
        if !varde_image::is_supported(&ev.media_type) {
            return Err(Error::invalid(Invalid::NotAnImage { item }));
        }
        if ev.size > varde_image::MAX_ORIGINAL_BYTES {
            return Err(Error::invalid(Invalid::ImageTooLarge { item }));
        }
        let original = self.read_original(evidence_id, varde_image::MAX_ORIGINAL_BYTES)?;
        let pixels: Vec<varde_image::Region> = regions.iter().map(|r| r.pixels()).collect();
        let copy = varde_image::redact(&original, &pixels).map_err(|e| refused(item, e))?;
        drop(original);
        let name = format!("redacted-{evidence_id}.png");
        let streamed = stream_to_temp(
            &self.dir,
            &self.keys,
            &name,
            &mut copy.png.as_slice(),
            None,
            &mut |_| {},
        )?;
        let sha = hex::encode(streamed.sha256);
        let result = (|| {
            let known = self.has_blob(&sha)?;
            let file = self.keys.blob_name(&streamed.sha256);
            let placed = if known {
                self.place_blobs(&[])?
            } else {
                self.place_blobs(&[(streamed.tmp.clone(), file.clone())])?
            };
            let written = self.write(|w| {
                if !known {
                    insert_blob_row(&w.tx, &sha, streamed.size, &file, &w.time)?;
                }
                let seq = w.next_seq();
                let mut r = Redaction {
                    id: 0,
                    uid: uuid::Uuid::new_v4().to_string(),
                    evidence: evidence_id,
                    original_sha256: ev.sha256.clone(),
                    original_name: ev.original_name.clone(),
                    sha256: sha.clone(),
                    size: streamed.size,
                    width: copy.width,
                    height: copy.height,
                    regions: regions.to_vec(),
                    made_at: w.time.clone(),
                    made_by: w.actor.clone(),
                };
                r.id = insert_redaction_row(&w.tx, &r, seq)?;
                w.audit(
                    "evidence.redact",
                    &format!("evidence:{evidence_id}"),
                    json!({
                        "redaction_id": r.id,
                        "uid": r.uid,
                        "original_sha256": r.original_sha256,
                        "sha256": r.sha256,
                        "size": r.size,
                        "width": r.width,
                        "height": r.height,
                        "regions": r.regions,
                        "deduplicated": known,
                    }),
                )?;
                Ok(r)
            });
            let r = written.inspect_err(|_| placed.undo())?;
            placed.finish();
            Ok(r)
        })();
        remove_temps(std::slice::from_ref(&streamed));
        result
    }

    /// One redacted copy.
    pub fn redaction(&self, id: i64) -> Result<Redaction> {
        self.conn
            .query_row(
                &format!("{SELECT_REDACTION} WHERE r.id = ?1"),
                [id],
                row_to_redaction,
            )
            .optional()?
            .ok_or_else(|| Error::not_found(ItemKind::Redaction, id))
    }

    /// The redacted copies of an evidence item, oldest first.
    pub fn redactions(&self, evidence_id: i64) -> Result<Vec<Redaction>> {
        self.evidence(evidence_id)?;
        let mut stmt = self.conn.prepare_cached(&format!(
            "{SELECT_REDACTION} WHERE r.evidence_id = ?1 ORDER BY r.id"
        ))?;
        let rows = stmt.query_map([evidence_id], row_to_redaction)?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// The latest redacted copy of each evidence item of a case that has one, by item.
    pub fn case_redactions(&self, case_ref: &str) -> Result<Vec<Redaction>> {
        let case = self.case(case_ref)?;
        let mut stmt = self.conn.prepare_cached(&format!(
            "{SELECT_REDACTION} WHERE r.id IN (
                SELECT max(r2.id) FROM redactions r2 JOIN evidence e2 ON e2.id = r2.evidence_id
                JOIN incidents i ON i.id = e2.incident_id WHERE i.case_id = ?1 GROUP BY r2.evidence_id)
             ORDER BY r.evidence_id"
        ))?;
        let rows = stmt.query_map([case.id], row_to_redaction)?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// A redacted copy's bytes, decrypted in memory and checked against its SHA-256 (for
    /// the viewer and the report).
    pub fn read_redaction(&self, id: i64) -> Result<Vec<u8>> {
        let r = self.redaction(id)?;
        self.read_blob(&r.sha256, r.size, &format!("redacted copy {id}"))
    }

    /// Write a redacted copy out as a PNG to `out` (which must not exist), its SHA-256
    /// checked on the way. Recorded in the audit log like any extraction.
    pub fn extract_redaction(&mut self, id: i64, out: &Path) -> Result<Redaction> {
        let r = self.redaction(id)?;
        self.write_blob_out(&r.sha256, &format!("redacted copy {id}"), out)?;
        self.write(|w| {
            w.audit(
                "evidence.extract_copy",
                &format!("evidence:{}", r.evidence),
                // Only the file name: the custody log travels in bundles, a local path must not.
                json!({"redaction_id": r.id, "sha256": r.sha256,
                       "to": out.file_name().map(|n| n.to_string_lossy().into_owned())}),
            )
        })?;
        Ok(r)
    }
}
