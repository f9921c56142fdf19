//! Taking a bundle in: [`Locker::import_bundle`].
//!
//! Only a bundle that verifies completely is imported. Its originals are streamed into
//! temp blobs (hashed again on the way), renamed into the locker, and then the import
//! record, the persons (reused when the case has them already), the incidents linked to
//! them, the evidence records with their original acquisition times and
//! authors, and their audit events are committed in one transaction. Any failure leaves
//! the locker as it was.

use std::collections::HashMap;
use std::fs;
use std::path::{Path, PathBuf};

use rusqlite::{OptionalExtension as _, params};
use serde::{Deserialize, Serialize};
use serde_json::json;

use super::verify::{Verified, check};
use crate::error::{Error, Result};
use crate::evidence::{Progress, Streamed, stream_to_temp};
use crate::invalid::{Invalid, Item, ItemKind};
use crate::locker::Locker;
use crate::model::EvidenceSource;

/// The sender's last record that its emergency was handled (done), when it came after every
/// emergency incident of the bundle was logged.
fn emergency_handled(m: &super::Manifest) -> Option<&super::manifest::EscalationEntry> {
    let at = |s: &str| chrono::DateTime::parse_from_rfc3339(s).ok();
    let last_emergency = m
        .incidents
        .iter()
        .filter(|i| i.ongoing_emergency)
        .map(|i| at(&i.logged_at))
        .max()??;
    m.escalations
        .iter()
        .filter(|e| {
            e.rule_key == crate::guidance::escalation::EMERGENCY
                && e.action == crate::guidance::ActionKind::Done
        })
        .filter(|e| at(&e.acted_at).is_some_and(|t| t >= last_emergency))
        .max_by_key(|e| at(&e.acted_at))
}

/// Where an imported incident came from: the bundle it was in and the sender's record.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct IncidentOrigin {
    /// The bundle's file name.
    pub bundle_name: String,
    /// When the sender made the bundle.
    pub bundle_created_at: String,
    /// When it was imported here.
    pub imported_at: String,
    /// What kind of locker sent it (`self_log` for an employee's own log).
    pub source_mode: String,
    /// The sender's case reference.
    pub source_case_reference: String,
    /// The incident's number in the sender's log.
    pub source_id: i64,
    /// The version it had there.
    pub source_version: i64,
    /// SHA-256 of the bundle's `SHA256SUMS`.
    pub sha256sums: String,
    /// The fingerprint of the key that signed the bundle.
    pub signing_key_fingerprint: String,
}

/// The outcome of an import.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct Imported {
    /// The case the bundle went into.
    pub case_reference: String,
    /// The bundle's own case reference.
    pub source_case_reference: String,
    /// The locker the bundle came from.
    pub source_locker_id: String,
    /// SHA-256 of the bundle's `SHA256SUMS`.
    pub sha256sums: String,
    /// The fingerprint of the key that signed it.
    pub signing_key_fingerprint: String,
    /// The new incidents, in bundle order.
    pub incidents: Vec<i64>,
    /// The new evidence records, in bundle order.
    pub evidence: Vec<i64>,
}

fn is_sha256(s: &str) -> bool {
    s.len() == 64 && s.bytes().all(|b| matches!(b, b'0'..=b'9' | b'a'..=b'f'))
}

fn refused(msg: impl std::fmt::Display) -> Error {
    Error::Integrity(format!(
        "the bundle is refused and nothing was imported: {msg}"
    ))
}

/// How an import treats the bundle's signing key.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct ImportOptions {
    /// Refuse the bundle unless its key has this fingerprint (hex, spaces ignored): what
    /// the sender read out to the officer.
    pub expect_fingerprint: Option<String>,
    /// Accept a key that differs from the one earlier bundles of the same source locker
    /// were signed with (the officer has confirmed it with the sender).
    pub accept_changed_key: bool,
}

/// What the locker knows of a bundle's signing key.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum KeyStatus {
    /// No bundle of this source locker was imported before.
    New,
    /// Earlier bundles of this source locker had the same key.
    Known {
        /// Imports from this source locker so far.
        imports: i64,
    },
    /// Earlier bundles of this source locker were signed with another key.
    Changed {
        /// The fingerprint of the earlier bundles' key.
        known: String,
    },
}

fn normalise_fingerprint(s: &str) -> String {
    s.chars()
        .filter(|c| !c.is_whitespace() && *c != ':')
        .collect::<String>()
        .to_ascii_lowercase()
}

impl Locker {
    /// What the locker knows of `fingerprint` as the key of `source_locker_id`: shown to
    /// the officer before an import, and checked by it.
    pub fn key_status(&self, source_locker_id: &str, fingerprint: &str) -> Result<KeyStatus> {
        let rows: Vec<(String, i64)> = {
            let mut stmt = self.conn.prepare(
                "SELECT signing_key_fingerprint, count(*) FROM bundle_imports
                 WHERE source_locker_id = ?1 GROUP BY signing_key_fingerprint ORDER BY min(id)",
            )?;
            stmt.query_map([source_locker_id], |r| Ok((r.get(0)?, r.get(1)?)))?
                .collect::<rusqlite::Result<_>>()?
        };
        if rows.is_empty() {
            return Ok(KeyStatus::New);
        }
        let fp = normalise_fingerprint(fingerprint);
        match rows.iter().find(|(k, _)| normalise_fingerprint(k) == fp) {
            Some((_, n)) => Ok(KeyStatus::Known { imports: *n }),
            None => Ok(KeyStatus::Changed {
                known: rows[0].0.clone(),
            }),
        }
    }

    /// Import a bundle (an employee's self-log, or another locker's export) into a case.
    /// Refused, with every problem named and nothing written, unless it verifies
    /// completely (see [`verify_bundle`](super::verify_bundle)). A key other than the one
    /// earlier bundles of the same source locker had is refused: see
    /// [`import_bundle_with`](Self::import_bundle_with).
    pub fn import_bundle(
        &mut self,
        path: &Path,
        case_ref: &str,
        progress: &mut dyn FnMut(Progress),
    ) -> Result<Imported> {
        self.import_bundle_with(path, case_ref, &ImportOptions::default(), progress)
    }

    /// [`import_bundle`](Self::import_bundle), with the key checks of `opts`.
    pub fn import_bundle_with(
        &mut self,
        path: &Path,
        case_ref: &str,
        opts: &ImportOptions,
        progress: &mut dyn FnMut(Progress),
    ) -> Result<Imported> {
        let case = self.case(case_ref)?;
        super::verify::readable(path)?;
        let (report, verified) = check(path);
        let Some(Verified {
            manifest,
            sums,
            entries,
            mut source,
        }) = verified
        else {
            let list: Vec<String> = report
                .problems
                .iter()
                .map(|p| format!("{}: {}", p.item, p.message))
                .collect();
            return Err(refused(list.join("; ")));
        };
        let sums_hash = report.sha256sums.clone().unwrap_or_default();
        let fingerprint = report.signing_key_fingerprint.clone().unwrap_or_default();
        if manifest.locker.id == self.locker_id() {
            return Err(refused("it was exported from this locker"));
        }
        crate::fields::manifest(&manifest).map_err(refused)?;
        if let Some(expected) = &opts.expect_fingerprint
            && normalise_fingerprint(expected) != normalise_fingerprint(&fingerprint)
        {
            return Err(Error::UnexpectedSigningKey {
                expected: expected.clone(),
                found: fingerprint,
            });
        }
        if let KeyStatus::Changed { known } = self.key_status(&manifest.locker.id, &fingerprint)?
            && !opts.accept_changed_key
        {
            return Err(Error::SigningKeyChanged {
                source_locker: manifest.locker.id.clone(),
                known,
                found: fingerprint,
            });
        }
        let already: Option<String> = self
            .conn
            .query_row(
                "SELECT c.reference FROM bundle_imports i JOIN cases c ON c.id = i.case_id WHERE i.sha256sums = ?1",
                [&sums_hash],
                |r| r.get(0),
            )
            .optional()?;
        if let Some(r) = already {
            return Err(refused(format!("it was imported before, into {r}")));
        }
        for i in &manifest.incidents {
            let n: i64 = self.conn.query_row(
                "SELECT count(*) FROM incidents WHERE uid = ?1",
                [&i.uid],
                |r| r.get(0),
            )?;
            if n > 0 {
                return Err(refused(format!(
                    "incident {} ({}) is already in this locker",
                    i.id, i.uid
                )));
            }
        }
        for e in &manifest.evidence {
            // A redacted copy is never evidence: a bundle holding one is not imported.
            if e.version != super::ItemVersion::Original || e.redaction.is_some() {
                return Err(Error::invalid(Invalid::RedactedInBundle {
                    item: Item::new(ItemKind::BundleEvidence, e.id),
                }));
            }
            let n: i64 = self.conn.query_row(
                "SELECT count(*) FROM evidence WHERE uid = ?1",
                [&e.uid],
                |r| r.get(0),
            )?;
            if n > 0 {
                return Err(refused(format!(
                    "evidence {} ({}) is already in this locker",
                    e.id, e.uid
                )));
            }
        }
        let sizes: HashMap<&str, u64> = entries.iter().map(|e| (e.name.as_str(), e.size)).collect();

        // Stream every original into a temp blob, hashing again.
        let total: u64 = manifest.evidence.iter().map(|e| e.size).sum();
        let mut done = 0u64;
        let mut streamed: Vec<Streamed> = Vec::with_capacity(manifest.evidence.len());
        let cleanup = |s: &[Streamed]| {
            for t in s {
                let _ = fs::remove_file(&t.tmp);
            }
        };
        for e in &manifest.evidence {
            let size = sizes.get(e.path.as_str()).copied().unwrap_or(0);
            let one = source
                .reader(&e.path, size)
                .map_err(|err| refused(format!("{}: {err}", e.path)))
                .and_then(|mut r| {
                    stream_to_temp(
                        &self.dir,
                        &self.keys,
                        &e.original_name,
                        &mut r,
                        None,
                        &mut |n| {
                            done += n;
                            progress(Progress { done, total });
                        },
                    )
                });
            match one {
                Ok(s) => {
                    let ok = hex::encode(s.sha256) == e.sha256
                        && sums.get(&e.path) == Some(&e.sha256)
                        && s.size == e.size;
                    streamed.push(s);
                    if !ok {
                        cleanup(&streamed);
                        return Err(refused(format!(
                            "{} changed while it was read (its SHA-256 no longer matches)",
                            e.path
                        )));
                    }
                }
                Err(err) => {
                    cleanup(&streamed);
                    return Err(err);
                }
            }
        }
        let result = self.commit_import(&case, &manifest, &streamed, &sums_hash, &fingerprint);
        cleanup(&streamed);
        result
    }

    fn commit_import(
        &mut self,
        case: &crate::model::Case,
        m: &super::Manifest,
        streamed: &[Streamed],
        sums_hash: &str,
        fingerprint: &str,
    ) -> Result<Imported> {
        // Durable temp files, then placed into blobs/ unless the bytes are stored already.
        let mut new_blobs: Vec<Option<String>> = Vec::with_capacity(streamed.len());
        let mut to_place: Vec<(PathBuf, String)> = Vec::new();
        let mut placing = std::collections::HashSet::new();
        for s in streamed {
            fs::File::open(&s.tmp)
                .and_then(|f| f.sync_all())
                .map_err(|e| Error::io("storing (nothing was imported)", &s.tmp, e))?;
            let sha = hex::encode(s.sha256);
            if self.has_blob(&sha)? || !placing.insert(s.sha256) {
                new_blobs.push(None);
                continue;
            }
            let file = self.keys.blob_name(&s.sha256);
            to_place.push((s.tmp.clone(), file.clone()));
            new_blobs.push(Some(file));
        }
        let placed = self.place_blobs(&to_place)?;
        let locker_id = m.locker.id.clone();
        let written = self.write(|w| {
            let import_seq = w.next_seq();
            w.tx.execute(
                "INSERT INTO bundle_imports (case_id, sha256sums, signing_key_fingerprint, source_locker_id,
                   source_case_reference, source_mode, bundle_name, bundle_created_at, imported_at, imported_by, audit_seq)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)",
                params![
                    case.id,
                    sums_hash,
                    fingerprint,
                    locker_id,
                    m.case.reference,
                    m.locker.mode.as_str(),
                    m.export.bundle_name,
                    m.created_at,
                    w.time,
                    w.actor,
                    import_seq,
                ],
            )?;
            let import_id = w.tx.last_insert_rowid();
            w.audit(
                "bundle.import",
                &format!("case:{}", case.reference),
                json!({
                    "import_id": import_id,
                    "bundle": m.export.bundle_name,
                    "sha256sums": sums_hash,
                    "signing_key_fingerprint": fingerprint,
                    "source_locker_id": locker_id,
                    "source_mode": m.locker.mode.as_str(),
                    "source_case": m.case.reference,
                    "exported_at": m.created_at,
                    "exported_by": m.officer,
                    "persons": m.persons.len(),
                    "incidents": m.incidents.len(),
                    "evidence": m.evidence.len(),
                }),
            )?;
            // The bundle's persons (threat actors, the threatened employee as minimised in
            // the bundle, witnesses): a person already in this case (same uid, e.g. from an
            // earlier bundle of the same self-log) is reused; any other is created. Its uid is
            // kept unless another case of this locker holds it already.
            let mut person_ids: HashMap<i64, i64> = HashMap::new();
            for p in &m.persons {
                let existing: Option<(i64, i64)> = w
                    .tx
                    .query_row(
                        "SELECT id, case_id FROM persons WHERE uid = ?1",
                        [&p.uid],
                        |r| Ok((r.get(0)?, r.get(1)?)),
                    )
                    .optional()?;
                let id = match existing {
                    Some((id, in_case)) if in_case == case.id => id,
                    other => {
                        let uid = match other {
                            Some(_) => uuid::Uuid::new_v4().to_string(),
                            None => p.uid.clone(),
                        };
                        let name = p.name.clone().filter(|n| !n.trim().is_empty());
                        let time = w.time.clone();
                        let id = crate::persons::insert_person_row(
                            &w.tx,
                            &uid,
                            case.id,
                            &crate::persons::CheckedPerson {
                                kind: p.kind,
                                name: name.clone(),
                                title: p.title.clone(),
                                department: p.department.clone(),
                                contacts: p.contacts.clone(),
                                notes: String::new(),
                                known: p.known && name.is_some(),
                                aliases: p.aliases.clone(),
                                home_municipality: p.home_municipality.clone(),
                                health_concern: p.health_concern,
                                health_observations: p.health_observations.clone(),
                            },
                            &time,
                        )?;
                        w.audit(
                            "person.import",
                            &format!("case:{}", case.reference),
                            json!({"person_id": id, "uid": uid, "source_uid": p.uid, "kind": p.kind.as_str(),
                                   "known": p.known && name.is_some(), "import_id": import_id, "source_id": p.id}),
                        )?;
                        id
                    }
                };
                person_ids.insert(p.id, id);
            }
            let mut incident_ids: HashMap<i64, i64> = HashMap::new();
            let mut new_incidents = Vec::new();
            for i in &m.incidents {
                let witnesses: Vec<crate::model::Witness> = i
                    .witnesses
                    .iter()
                    .filter_map(|wi| {
                        let person = wi.person.and_then(|p| person_ids.get(&p).copied());
                        let name = wi.name.clone().filter(|n| !n.trim().is_empty());
                        (person.is_some() || name.is_some())
                            .then_some(crate::model::Witness { person, name })
                    })
                    .collect();
                let actor = i.actor.and_then(|a| person_ids.get(&a).copied());
                // The message it was made from is named by hashes that mean the same in
                // every locker; a link that is not two SHA-256s is not carried over.
                let source = i
                    .source
                    .as_ref()
                    .filter(|m| is_sha256(&m.sha256) && is_sha256(&m.text_sha256));
                let row = crate::model::Incident {
                    id: 0,
                    uid: i.uid.clone(),
                    case_id: case.id,
                    version: 1,
                    occurred_local: i.occurred_local.clone(),
                    occurred_tz: i.occurred_tz.clone(),
                    occurred_utc: i.occurred_utc.clone(),
                    precision: i.precision,
                    logged_at: i.logged_at.clone(),
                    logged_by: i.logged_by.clone(),
                    logged_by_role: i.logged_by_role,
                    place: i.place.clone(),
                    place_kind: i.place_kind,
                    channel: i.channel,
                    platform: i.platform.clone(),
                    sender: i
                        .sender
                        .as_deref()
                        .map(str::trim)
                        .filter(|s| !s.is_empty())
                        .map(str::to_string),
                    description: i.description.clone(),
                    wording: i.wording.clone(),
                    perceived: i.perceived.clone(),
                    targets_individuals: i.targets_individuals,
                    ongoing_emergency: i.ongoing_emergency,
                    actor_id: actor,
                    witnesses: witnesses.clone(),
                    source: source.cloned(),
                };
                let id = crate::incidents::insert_incident_row(&w.tx, &row)?;
                w.tx.execute(
                    "INSERT INTO incident_origins (incident_id, import_id, source_locker_id, source_uid, source_id, source_version)
                     VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
                    params![id, import_id, locker_id, i.uid, i.id, i.version],
                )?;
                w.audit(
                    "incident.import",
                    &format!("incident:{id}"),
                    json!({"case": case.reference, "uid": i.uid, "occurred": i.occurred_local, "tz": i.occurred_tz,
                           "channel": i.channel.as_str(), "logged_at": i.logged_at, "logged_by": i.logged_by,
                           "import_id": import_id, "source_id": i.id, "actor_id": actor, "message_source": source,
                           "witness_person_ids": witnesses.iter().filter_map(|w| w.person).collect::<Vec<_>>()}),
                )?;
                incident_ids.insert(i.id, id);
                new_incidents.push(id);
            }
            // The sender may have recorded the emergency as handled (the employee's «Jeg har
            // ringt 112» or «Nødsituasjonen er over») after its last emergency incident was
            // logged: carried over, so the officer importing the log hours later is not told
            // to ring 112 now. A later emergency incident raises the prompt again as usual.
            if let Some(handled) = emergency_handled(m) {
                let triggers: Vec<String> = m
                    .incidents
                    .iter()
                    .filter(|i| i.ongoing_emergency)
                    .filter_map(|i| incident_ids.get(&i.id))
                    .map(|id| format!("incident:{id}"))
                    .collect();
                crate::guidance::escalation::insert_action(
                    w,
                    case,
                    &crate::guidance::escalation::NewAction {
                        key: crate::guidance::escalation::EMERGENCY,
                        action: handled.action,
                        acted_at: Some(handled.acted_at.clone()),
                        acted_by: Some(handled.acted_by.clone()),
                        with_whom: handled.with_whom.clone(),
                        reference: handled.reference.clone(),
                        reason: handled.reason.clone(),
                        until: None,
                        note: &handled.note,
                        triggers: &triggers,
                    },
                )?;
            }
            let mut new_evidence = Vec::new();
            let mut evidence_ids: HashMap<i64, i64> = HashMap::new();
            for ((e, s), blob) in m.evidence.iter().zip(streamed).zip(&new_blobs) {
                let sha = hex::encode(s.sha256);
                if let Some(file) = blob {
                    crate::evidence::insert_blob_row(&w.tx, &sha, s.size, file, &w.time)?;
                }
                let incident = *incident_ids.get(&e.incident).ok_or_else(|| {
                    Error::Integrity(format!("evidence {} names an unknown incident", e.id))
                })?;
                let audit_seq = w.next_seq();
                // An attachment names its e-mail by the e-mail's id in the bundle.
                let parent = e.attachment_of.as_ref().and_then(|a| {
                    evidence_ids.get(&a.evidence).map(|&id| (id, a.index))
                });
                let id = crate::evidence::insert_evidence_row(
                    &w.tx,
                    &crate::model::Evidence {
                        id: 0,
                        uid: e.uid.clone(),
                        incident,
                        sha256: sha.clone(),
                        size: s.size,
                        media_type: s.media_type.clone(),
                        original_name: e.original_name.clone(),
                        acquired_at: e.acquired_at.clone(),
                        acquired_by: e.acquired_by.clone(),
                        source: EvidenceSource::Bundle,
                        width: s.width,
                        height: s.height,
                        thread_platform: e.thread_platform.clone(),
                        thread_id: e.thread_id.clone(),
                        thread_seq: e.thread_seq,
                        whole_thread: e.whole_thread,
                        note: e.note.clone(),
                        attachment_of: parent.map(|(evidence, index)| crate::model::AttachmentOf {
                            evidence,
                            index,
                        }),
                    },
                    audit_seq,
                )?;
                evidence_ids.insert(e.id, id);
                let (origin_locker, origin_uid) = match &e.origin {
                    Some(o) => (o.locker_id.clone(), o.uid.clone()),
                    None => (locker_id.clone(), e.uid.clone()),
                };
                w.tx.execute(
                    "INSERT INTO evidence_origins (evidence_id, import_id, source_locker_id, source_uid, source_path)
                     VALUES (?1, ?2, ?3, ?4, ?5)",
                    params![id, import_id, origin_locker, origin_uid, e.path],
                )?;
                w.audit(
                    "evidence.import",
                    &format!("evidence:{id}"),
                    json!({"incident": incident, "uid": e.uid, "sha256": sha, "size": s.size, "name": e.original_name,
                           "media_type": s.media_type, "source": "bundle", "acquired_at": e.acquired_at,
                           "acquired_by": e.acquired_by, "import_id": import_id, "bundle_path": e.path,
                           "deduplicated": blob.is_none(),
                           "attachment_of": parent.map(|(e, i)| json!({"evidence": e, "index": i}))}),
                )?;
                new_evidence.push(id);
            }
            Ok((new_incidents, new_evidence))
        });
        let (incidents, evidence) = match written {
            Ok(v) => v,
            Err(e) => {
                placed.undo();
                return Err(e);
            }
        };
        placed.finish();
        Ok(Imported {
            case_reference: case.reference.clone(),
            source_case_reference: m.case.reference.clone(),
            source_locker_id: locker_id,
            sha256sums: sums_hash.to_string(),
            signing_key_fingerprint: fingerprint.to_string(),
            incidents,
            evidence,
        })
    }
}

impl Locker {
    /// Where an incident came from, when it was imported from a bundle (`None` for one
    /// logged in this locker).
    pub fn incident_origin(&self, incident_id: i64) -> Result<Option<IncidentOrigin>> {
        self.incident(incident_id)?;
        Ok(self
            .conn
            .query_row(
                "SELECT b.bundle_name, b.bundle_created_at, b.imported_at, b.source_mode, b.source_case_reference,
                        o.source_id, o.source_version, b.sha256sums, b.signing_key_fingerprint
                 FROM incident_origins o JOIN bundle_imports b ON b.id = o.import_id WHERE o.incident_id = ?1",
                [incident_id],
                |r| {
                    Ok(IncidentOrigin {
                        bundle_name: r.get(0)?,
                        bundle_created_at: r.get(1)?,
                        imported_at: r.get(2)?,
                        source_mode: r.get(3)?,
                        source_case_reference: r.get(4)?,
                        source_id: r.get(5)?,
                        source_version: r.get(6)?,
                        sha256sums: r.get(7)?,
                        signing_key_fingerprint: r.get(8)?,
                    })
                },
            )
            .optional()?)
    }
}
