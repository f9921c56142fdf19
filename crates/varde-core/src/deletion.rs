//! Deleting a case: every record of it goes in one transaction, the audit events about it
//! keep their hashes but lose their details, and a receipt signed with the locker's key
//! says what went, when, by whom and why. The design and its reasoning are in
//! ARCHITECTURE.md («Deleting a case without breaking the chain»).

use std::collections::{BTreeMap, HashSet};
use std::fs;
use std::path::PathBuf;

use ed25519_dalek::Signer;
use rusqlite::{Connection, params};
use serde::{Deserialize, Serialize};
use serde_json::{Value, json};
use sha2::{Digest, Sha256};

use crate::audit::{CASE_DELETE, canonical_json};
use crate::error::{Error, Result};
use crate::invalid::Invalid;
use crate::locker::Locker;
use crate::model::Case;

/// The `format` of a receipt.
pub const RECEIPT_FORMAT: &str = "varde-deletion-receipt";
/// The version of the receipt's layout.
pub const RECEIPT_VERSION: u32 = 1;

/// How many records of each kind a deletion removes (or removed).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct DeletionCounts {
    /// Incidents.
    pub incidents: i64,
    /// Earlier versions of incidents (corrections).
    pub incident_versions: i64,
    /// Persons (the employee, threat actors, witnesses).
    pub persons: i64,
    /// Evidence records.
    pub evidence: i64,
    /// Stored originals removed (no other case refers to them).
    pub originals_removed: i64,
    /// Stored originals kept because another case refers to them too.
    pub originals_kept: i64,
    /// What Varde read from the removed originals (e-mail headers, messages, EXIF).
    pub readings: i64,
    /// Redacted copies of the case's images (their files go with them unless another
    /// case holds the same bytes).
    #[serde(default)]
    pub redacted_copies: i64,
    /// Checklist entries.
    pub checklist_entries: i64,
    /// Prompt actions (112, 02800, police report, concern report).
    pub prompt_actions: i64,
    /// Disclosure ledger entries, with their «employee informed» records.
    pub disclosures: i64,
    /// Consents and their withdrawals.
    pub consents: i64,
    /// Requests to the police for information.
    pub police_requests: i64,
    /// Imports of self-logs or bundles into the case.
    pub imports: i64,
    /// Audit events whose details are erased (their hashes stay).
    pub audit_events_erased: i64,
}

/// What deleting a case would remove: for the confirmation that names it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct DeletionPreview {
    /// The case reference.
    pub case_reference: String,
    /// The case's title.
    pub title: String,
    /// What would go.
    pub counts: DeletionCounts,
    /// The legal hold that refuses the deletion, if one holds.
    pub legal_hold: Option<crate::model::LegalHold>,
}

/// An audit event named by a receipt.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct EventRef {
    /// Its place in the chain.
    pub seq: i64,
    /// Its hash (unchanged by the erasure).
    pub hash: String,
}

/// What a deletion removed, signed. It names the case by reference only: no personal data.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct DeletionReceipt {
    /// Always [`RECEIPT_FORMAT`].
    pub format: String,
    /// The receipt layout's version ([`RECEIPT_VERSION`]).
    pub version: u32,
    /// The locker it was deleted from.
    pub locker_id: String,
    /// The case's reference.
    pub case_reference: String,
    /// When (RFC 3339 with offset).
    pub deleted_at: String,
    /// Who deleted it.
    pub deleted_by: String,
    /// Why, in the officer's words.
    pub reason: String,
    /// What went.
    pub counts: DeletionCounts,
    /// Each removed original by its SHA-256.
    pub originals_removed: Vec<String>,
    /// Each removed file of a redacted copy by its SHA-256.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub copies_removed: Vec<String>,
    /// The events whose details were erased.
    pub erased_events: Vec<EventRef>,
    /// The `case.delete` event that records the deletion.
    pub deletion_event: EventRef,
    /// SHA-256 of the locker's Ed25519 public key (as in the bundles it signs).
    pub signing_key_fingerprint: String,
}

/// A receipt as kept: the exact bytes signed, and the signature.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct SignedReceipt {
    /// The receipt.
    pub receipt: DeletionReceipt,
    /// The JSON text that was signed (write it byte for byte as the receipt file).
    pub json: String,
    /// The raw 64-byte Ed25519 signature over `json`, hex.
    pub signature: String,
    /// The locker's public key (SubjectPublicKeyInfo PEM), for `openssl pkeyutl -verify`.
    pub public_key_pem: String,
}

impl SignedReceipt {
    /// The signature's 64 bytes.
    pub fn signature_bytes(&self) -> Vec<u8> {
        hex::decode(&self.signature).unwrap_or_default()
    }
}

/// What the deletion removes, gathered before its transaction.
struct Plan {
    case: Case,
    incidents: Vec<i64>,
    evidence: Vec<i64>,
    /// Originals to remove: (SHA-256, blob file name).
    removed: Vec<(String, String)>,
    /// Files of redacted copies to remove (that are not also an original): SHA-256.
    copies_removed: Vec<String>,
    /// Events to erase: (seq, hash, SHA-256 of their canonical details).
    erased: Vec<(i64, String, String)>,
    counts: DeletionCounts,
}

fn ids(conn: &Connection, sql: &str, case_id: i64) -> Result<Vec<i64>> {
    let mut stmt = conn.prepare(sql)?;
    let rows = stmt.query_map([case_id], |r| r.get(0))?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

fn count(conn: &Connection, sql: &str, case_id: i64) -> Result<i64> {
    Ok(conn.query_row(sql, [case_id], |r| r.get(0))?)
}

/// The case's audit events not erased yet: about the case, its incidents and its evidence.
const CASE_EVENTS: &str = "SELECT seq, hash, details FROM audit_events
    WHERE (subject = 'case:' || ?1
        OR subject IN (SELECT 'incident:' || id FROM incidents WHERE case_id = ?2)
        OR subject IN (SELECT 'evidence:' || e.id FROM evidence e
                       JOIN incidents i ON i.id = e.incident_id WHERE i.case_id = ?2))
    ORDER BY seq";

impl Locker {
    /// What deleting this case would remove (nothing is changed).
    pub fn deletion_preview(&self, reference: &str) -> Result<DeletionPreview> {
        let plan = self.deletion_plan(self.case(reference)?)?;
        Ok(DeletionPreview {
            case_reference: plan.case.reference.clone(),
            title: plan.case.title.clone(),
            counts: plan.counts,
            legal_hold: plan.case.legal_hold,
        })
    }

    fn deletion_plan(&self, case: Case) -> Result<Plan> {
        let c = &self.conn;
        let id = case.id;
        let incidents = ids(c, "SELECT id FROM incidents WHERE case_id = ?1", id)?;
        let evidence = ids(
            c,
            "SELECT e.id FROM evidence e JOIN incidents i ON i.id = e.incident_id WHERE i.case_id = ?1",
            id,
        )?;
        // A stored file (an original or a redacted copy) goes when no evidence record and
        // no redacted copy outside the case refers to it.
        let mut removed: Vec<(String, String)> = Vec::new();
        let mut copies_removed = Vec::new();
        let mut kept = 0;
        {
            let mut stmt = c.prepare(
                "SELECT b.sha256, b.file,
                        (SELECT count(*) FROM evidence o JOIN incidents oi ON oi.id = o.incident_id
                          WHERE o.sha256 = b.sha256 AND oi.case_id <> ?1)
                        + (SELECT count(*) FROM redactions r JOIN evidence o ON o.id = r.evidence_id
                           JOIN incidents oi ON oi.id = o.incident_id
                           WHERE r.sha256 = b.sha256 AND oi.case_id <> ?1),
                        b.sha256 IN (SELECT e.sha256 FROM evidence e JOIN incidents i ON i.id = e.incident_id
                                     WHERE i.case_id = ?1)
                 FROM blobs b WHERE b.sha256 IN
                   (SELECT e.sha256 FROM evidence e JOIN incidents i ON i.id = e.incident_id WHERE i.case_id = ?1
                    UNION SELECT r.sha256 FROM redactions r JOIN evidence e ON e.id = r.evidence_id
                          JOIN incidents i ON i.id = e.incident_id WHERE i.case_id = ?1)
                 ORDER BY b.sha256",
            )?;
            let mut rows = stmt.query([id])?;
            while let Some(r) = rows.next()? {
                let original: bool = r.get(3)?;
                if r.get::<_, i64>(2)? == 0 {
                    if !original {
                        copies_removed.push(r.get(0)?);
                    }
                    removed.push((r.get(0)?, r.get(1)?));
                } else if original {
                    kept += 1;
                }
            }
        }
        let mut erased = Vec::new();
        {
            let mut stmt = c.prepare(CASE_EVENTS)?;
            let mut rows = stmt.query(params![case.reference, id])?;
            while let Some(r) = rows.next()? {
                let text: String = r.get(2)?;
                let details: Value = serde_json::from_str(&text).unwrap_or(Value::String(text));
                if crate::audit::erased_by(&details).is_some() {
                    continue;
                }
                let digest = hex::encode(Sha256::digest(canonical_json(&details).as_bytes()));
                erased.push((r.get(0)?, r.get(1)?, digest));
            }
        }
        let readings = {
            let shas: HashSet<&str> = removed.iter().map(|(s, _)| s.as_str()).collect();
            let mut n = 0;
            for sha in shas {
                n += c.query_row(
                    "SELECT count(*) FROM derived WHERE sha256 = ?1",
                    [sha],
                    |r| r.get::<_, i64>(0),
                )?;
            }
            n
        };
        let counts = DeletionCounts {
            incidents: incidents.len() as i64,
            incident_versions: count(
                c,
                "SELECT count(*) FROM incident_versions WHERE incident_id IN (SELECT id FROM incidents WHERE case_id = ?1)",
                id,
            )?,
            persons: count(c, "SELECT count(*) FROM persons WHERE case_id = ?1", id)?,
            evidence: evidence.len() as i64,
            originals_removed: (removed.len() - copies_removed.len()) as i64,
            originals_kept: kept,
            readings,
            redacted_copies: count(
                c,
                "SELECT count(*) FROM redactions WHERE evidence_id IN
                   (SELECT e.id FROM evidence e JOIN incidents i ON i.id = e.incident_id WHERE i.case_id = ?1)",
                id,
            )?,
            checklist_entries: count(
                c,
                "SELECT count(*) FROM checklist_states WHERE case_id = ?1",
                id,
            )?,
            prompt_actions: count(
                c,
                "SELECT count(*) FROM escalation_actions WHERE case_id = ?1",
                id,
            )?,
            disclosures: count(c, "SELECT count(*) FROM disclosures WHERE case_id = ?1", id)?,
            consents: count(c, "SELECT count(*) FROM consents WHERE case_id = ?1", id)?,
            police_requests: count(
                c,
                "SELECT count(*) FROM info_requests WHERE case_id = ?1",
                id,
            )?,
            imports: count(
                c,
                "SELECT count(*) FROM bundle_imports WHERE case_id = ?1",
                id,
            )?,
            audit_events_erased: erased.len() as i64,
        };
        Ok(Plan {
            case,
            incidents,
            evidence,
            removed,
            copies_removed,
            erased,
            counts,
        })
    }

    /// The seals that only erased events hold: the last seal of each record, when it is
    /// in one of them. The deletion event takes them over, so that the replay of seals
    /// still ends at every record as it is (a removed one is sealed `null` by the
    /// deletion itself).
    fn seals_to_carry(&self, erased: &HashSet<i64>) -> Result<BTreeMap<String, Option<String>>> {
        let last = crate::seal::last_seals(&self.conn)?;
        Ok(last
            .into_iter()
            .filter(|(_, (_, seq))| erased.contains(seq))
            .map(|(k, (h, _))| (k, h))
            .collect())
    }

    /// Delete a case, with a reason: its incidents, persons, evidence records, checklist,
    /// prompt actions, disclosures, consents, police requests, imports and what Varde read
    /// from its originals; each original whose blob no other case refers to; the details
    /// of its audit events (their hashes stay, named by the deletion event). Refused while
    /// the case is on legal hold. All of the database changes in one transaction: a crash
    /// leaves the case whole or gone. Returns the signed receipt, also kept in the locker.
    pub fn delete_case(&mut self, reference: &str, reason: &str) -> Result<SignedReceipt> {
        let case = self.case(reference)?;
        let reason = crate::fields::required_reason(reason)?;
        if let Some(h) = &case.legal_hold {
            return Err(Error::invalid(Invalid::OnLegalHold {
                case: case.reference.clone(),
                since: h.since.clone(),
                reason: h.reason.clone(),
            }));
        }
        let signing = self.signing_key()?;
        let public = signing.verifying_key();
        let fingerprint = crate::bundle::key_fingerprint(public.as_bytes());
        let pem = crate::bundle::public_key_pem(&public)?;
        let plan = self.deletion_plan(case)?;
        let erased_seqs: HashSet<i64> = plan.erased.iter().map(|e| e.0).collect();
        let carried = self.seals_to_carry(&erased_seqs)?;
        let files: Vec<PathBuf> = plan
            .removed
            .iter()
            .map(|(_, f)| crate::evidence::blob_path(&self.dir, f))
            .collect();
        let names: Vec<String> = plan.removed.iter().map(|(_, f)| f.clone()).collect();
        // Named before the commit: a crash after it leaves blob files the next open can
        // prove are orphans and removes (see `clean_up`).
        let journal = self.journal_blob_names(&names)?;
        let locker_id = self.locker_id().to_string();
        let written = self.write(|w| {
            let id = plan.case.id;
            let deletion_seq = w.next_seq();
            w.tx.execute("INSERT INTO erasing (case_id) VALUES (?1)", [id])?;
            {
                let mut add = w.tx.prepare("INSERT INTO erasing (seq) VALUES (?1)")?;
                for (seq, _, _) in &plan.erased {
                    add.execute([seq])?;
                }
            }
            let in_case = "(SELECT id FROM incidents WHERE case_id = ?1)";
            let evidence_in_case = format!("(SELECT id FROM evidence WHERE incident_id IN {in_case})");
            for sql in [
                "DELETE FROM consent_withdrawals WHERE consent_id IN (SELECT id FROM consents WHERE case_id = ?1)".to_string(),
                "DELETE FROM disclosure_informed WHERE disclosure_id IN (SELECT id FROM disclosures WHERE case_id = ?1)".into(),
                "DELETE FROM disclosures WHERE case_id = ?1".into(),
                "DELETE FROM consents WHERE case_id = ?1".into(),
                "DELETE FROM escalation_actions WHERE case_id = ?1".into(),
                "DELETE FROM info_requests WHERE case_id = ?1".into(),
                "DELETE FROM checklist_states WHERE case_id = ?1".into(),
                format!("DELETE FROM evidence_origins WHERE evidence_id IN {evidence_in_case}"),
                format!("DELETE FROM incident_origins WHERE incident_id IN {in_case}"),
                format!("DELETE FROM incident_versions WHERE incident_id IN {in_case}"),
                format!("DELETE FROM redactions WHERE evidence_id IN {evidence_in_case}"),
                // Attachments first: they name the e-mail they came from.
                format!("DELETE FROM evidence WHERE incident_id IN {in_case} AND parent_evidence IS NOT NULL"),
                format!("DELETE FROM evidence WHERE incident_id IN {in_case}"),
            ] {
                w.tx.execute(&sql, [id])?;
            }
            for (sha, _) in &plan.removed {
                w.tx.execute("DELETE FROM derived WHERE sha256 = ?1", [sha])?;
                w.tx.execute("DELETE FROM blobs WHERE sha256 = ?1", [sha])?;
            }
            for sql in [
                "DELETE FROM incidents WHERE case_id = ?1",
                "DELETE FROM bundle_imports WHERE case_id = ?1",
                "DELETE FROM persons WHERE case_id = ?1",
                "DELETE FROM cases WHERE id = ?1",
                "DELETE FROM case_events WHERE case_id = ?1",
            ] {
                w.tx.execute(sql, [id])?;
            }
            w.tx.execute(
                "UPDATE audit_events SET details = ?1 WHERE seq IN (SELECT seq FROM erasing WHERE seq IS NOT NULL)",
                [canonical_json(&crate::audit::tombstone(deletion_seq))],
            )?;
            w.tx.execute("DELETE FROM erasing", [])?;
            for (table, used) in [
                ("incidents", plan.incidents.iter().max()),
                ("evidence", plan.evidence.iter().max()),
            ] {
                if let Some(&used) = used {
                    crate::db::raise_id_floor(&w.tx, table, used)?;
                }
            }
            let originals: Vec<&str> = plan
                .removed
                .iter()
                .map(|(s, _)| s.as_str())
                .filter(|s| !plan.copies_removed.iter().any(|c| c == s))
                .collect();
            let subject = format!("case:{}", plan.case.reference);
            w.audit_sealing(
                CASE_DELETE,
                &subject,
                json!({
                    "case_reference": plan.case.reference,
                    "reason": reason,
                    "counts": plan.counts,
                    "originals_removed": originals,
                    "copies_removed": plan.copies_removed,
                    "erased": plan.erased.iter().map(|(s, h, d)| json!([s, h, d])).collect::<Vec<_>>(),
                }),
                carried,
            )?;
            let receipt = DeletionReceipt {
                format: RECEIPT_FORMAT.into(),
                version: RECEIPT_VERSION,
                locker_id: locker_id.clone(),
                case_reference: plan.case.reference.clone(),
                deleted_at: w.time.clone(),
                deleted_by: w.actor.clone(),
                reason: reason.to_string(),
                counts: plan.counts.clone(),
                originals_removed: originals.iter().map(|s| s.to_string()).collect(),
                copies_removed: plan.copies_removed.clone(),
                erased_events: plan
                    .erased
                    .iter()
                    .map(|(seq, hash, _)| EventRef {
                        seq: *seq,
                        hash: hash.clone(),
                    })
                    .collect(),
                deletion_event: EventRef {
                    seq: deletion_seq,
                    hash: w.head_hash().to_string(),
                },
                signing_key_fingerprint: fingerprint.clone(),
            };
            let mut text = serde_json::to_string_pretty(&receipt).map_err(Error::internal)?;
            text.push('\n');
            let signature = hex::encode(signing.sign(text.as_bytes()).to_bytes());
            insert_receipt_row(&w.tx, &receipt, &text, &signature, w.next_seq())?;
            w.audit(
                "case.deletion_receipt",
                &subject,
                json!({
                    "receipt_sha256": hex::encode(Sha256::digest(text.as_bytes())),
                    "signature": signature,
                }),
            )?;
            Ok(SignedReceipt {
                receipt,
                json: text,
                signature,
                public_key_pem: pem.clone(),
            })
        });
        let signed = match written {
            Ok(s) => s,
            Err(e) => {
                let _ = fs::remove_file(&journal);
                return Err(e);
            }
        };
        for f in &files {
            let _ = fs::remove_file(f);
        }
        for shard in files
            .iter()
            .filter_map(|f| f.parent())
            .collect::<HashSet<_>>()
        {
            let _ = crate::locker::sync_dir(shard);
        }
        let _ = fs::remove_file(&journal);
        Ok(signed)
    }

    /// Every deletion receipt the locker keeps, oldest first.
    pub fn deletion_receipts(&self) -> Result<Vec<SignedReceipt>> {
        let pem = crate::bundle::public_key_pem(&self.signing_key()?.verifying_key())?;
        let mut stmt = self
            .conn
            .prepare("SELECT receipt, signature FROM deletion_receipts ORDER BY id")?;
        let rows = stmt.query_map([], |r| Ok((r.get::<_, String>(0)?, r.get::<_, String>(1)?)))?;
        let mut out = Vec::new();
        for row in rows {
            let (json, signature) = row?;
            let receipt: DeletionReceipt = serde_json::from_str(&json)
                .map_err(|e| Error::Integrity(format!("a deletion receipt cannot be read: {e}")))?;
            out.push(SignedReceipt {
                receipt,
                json,
                signature,
                public_key_pem: pem.clone(),
            });
        }
        Ok(out)
    }

    /// The receipt of the deletion of the case with this reference.
    pub fn deletion_receipt(&self, reference: &str) -> Result<SignedReceipt> {
        self.deletion_receipts()?
            .into_iter()
            .find(|r| r.receipt.case_reference == reference.trim())
            .ok_or_else(|| Error::not_found(crate::invalid::ItemKind::Case, reference))
    }
}

/// The one INSERT into `deletion_receipts`.
fn insert_receipt_row(
    tx: &rusqlite::Transaction<'_>,
    r: &DeletionReceipt,
    text: &str,
    signature: &str,
    audit_seq: i64,
) -> Result<()> {
    tx.execute(
        "INSERT INTO deletion_receipts (case_reference, deleted_at, receipt, signature, audit_seq)
         VALUES (?1, ?2, ?3, ?4, ?5)",
        params![r.case_reference, r.deleted_at, text, signature, audit_seq],
    )?;
    Ok(())
}
