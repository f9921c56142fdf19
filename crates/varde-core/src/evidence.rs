//! Evidence: originals streamed into the locker with their SHA-256, listed, and written
//! back out byte-identical.
//!
//! Ingest of one file: the file is read once in 1 MiB pieces; each piece is hashed,
//! encrypted and appended to a temp file under `tmp/`. The temp file is fsynced, renamed
//! into `blobs/` (unless the same bytes are already stored), the directory fsynced, and
//! then the record and its audit event are committed in one transaction. A crash at any
//! point leaves either nothing or the complete item; a renamed blob without a committed
//! record is removed at the next open.

use std::fs::{self, File};
use std::io::{Read, Write as _};
use std::path::{Path, PathBuf};

use rusqlite::{OptionalExtension, Row, params};
use serde::{Deserialize, Serialize};
use serde_json::json;
use sha2::{Digest, Sha256};

use crate::crypto::{BlobReader, BlobWriter, Keys};
use crate::error::{Error, Result};
use crate::locker::{BLOBS, Locker, TMP, sync_dir};
use crate::model::{Evidence, EvidenceSource};

const READ_CHUNK: usize = 1 << 20;
/// How much of the start of a file is kept to sniff its type and image size.
const SNIFF_LEN: usize = 256 * 1024;

/// How files are added.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct AddOptions {
    /// How the files came in (default: file).
    pub source: Option<EvidenceSource>,
    /// Thread capture: the platform (e.g. Messenger, SMS).
    pub thread_platform: Option<String>,
    /// Thread capture: the thread or conversation (a name, number or id).
    pub thread_id: Option<String>,
    /// Sequence number of the first file in the thread; default: after the last one stored.
    pub first_seq: Option<i64>,
    /// The whole thread has been captured.
    pub whole_thread: bool,
    /// A note for every file added.
    pub note: String,
    /// Accept zero-byte files (refused by default: an empty capture is almost always a mistake).
    pub allow_empty: bool,
}

/// The result for one file.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Added {
    /// The evidence record.
    pub evidence: Evidence,
    /// The same bytes were already evidence in this incident; nothing new was stored.
    pub already_present: bool,
}

/// Progress of a long operation, in bytes.
#[derive(Debug, Clone, Copy, Serialize, Deserialize)]
pub struct Progress {
    /// Bytes done so far (across all items).
    pub done: u64,
    /// Bytes in all.
    pub total: u64,
}

pub(crate) fn blob_path(dir: &Path, file: &str) -> PathBuf {
    dir.join(BLOBS).join(&file[..2]).join(file)
}

const SELECT_EVIDENCE: &str = "SELECT id, uid, incident_id, sha256, size, media_type, original_name, acquired_at,
    acquired_by, source, width, height, thread_platform, thread_id, thread_seq, whole_thread, note FROM evidence";

fn row_to_evidence(r: &Row<'_>) -> rusqlite::Result<Evidence> {
    Ok(Evidence {
        id: r.get(0)?,
        uid: r.get(1)?,
        incident: r.get(2)?,
        sha256: r.get(3)?,
        size: r.get::<_, i64>(4)? as u64,
        media_type: r.get(5)?,
        original_name: r.get(6)?,
        acquired_at: r.get(7)?,
        acquired_by: r.get(8)?,
        source: r.get(9)?,
        width: r.get(10)?,
        height: r.get(11)?,
        thread_platform: r.get(12)?,
        thread_id: r.get(13)?,
        thread_seq: r.get(14)?,
        whole_thread: r.get(15)?,
        note: r.get(16)?,
    })
}

/// A file checked and ready to ingest.
struct Candidate {
    path: PathBuf,
    name: String,
    size: u64,
}

fn check_file(path: &Path, allow_empty: bool) -> Result<Candidate> {
    let shown = path.display();
    let meta = fs::metadata(path).map_err(|e| match e.kind() {
        std::io::ErrorKind::NotFound => Error::invalid(format!("{shown}: no such file")),
        std::io::ErrorKind::PermissionDenied => {
            Error::invalid(format!("{shown}: permission denied"))
        }
        _ => Error::io("reading", path, e),
    })?;
    if meta.is_dir() {
        return Err(Error::invalid(format!(
            "{shown} is a directory; give the files in it"
        )));
    }
    if !meta.is_file() {
        return Err(Error::invalid(format!("{shown} is not a regular file")));
    }
    let name = path
        .file_name()
        .ok_or_else(|| Error::invalid(format!("{shown} has no file name")))?
        .to_str()
        .ok_or_else(|| {
            Error::invalid(format!(
                "{} has a file name that is not valid UTF-8; rename it and add it again",
                path.to_string_lossy()
            ))
        })?
        .to_string();
    if meta.len() == 0 && !allow_empty {
        return Err(Error::invalid(format!(
            "{shown} is empty (0 bytes); an empty capture is usually a mistake — add it with --allow-empty if it is meant"
        )));
    }
    File::open(path).map_err(|e| match e.kind() {
        std::io::ErrorKind::PermissionDenied => {
            Error::invalid(format!("{shown}: permission denied"))
        }
        _ => Error::io("opening", path, e),
    })?;
    Ok(Candidate {
        path: path.to_path_buf(),
        name,
        size: meta.len(),
    })
}

/// The outcome of streaming one file into a temp blob.
pub(crate) struct Streamed {
    pub sha256: [u8; 32],
    pub size: u64,
    pub head: Vec<u8>,
    pub tmp: PathBuf,
}

/// Stream `src` into an encrypted temp blob in `tmp/`, hashing as it goes.
pub(crate) fn stream_to_temp(
    dir: &Path,
    keys: &Keys,
    src: &mut dyn Read,
    progress: &mut dyn FnMut(u64),
) -> Result<Streamed> {
    let tmp = dir.join(TMP).join(format!("{}.part", uuid::Uuid::new_v4()));
    let result = (|| -> std::io::Result<Streamed> {
        let file = File::create_new(&tmp)?;
        let mut writer =
            BlobWriter::new(keys, std::io::BufWriter::with_capacity(READ_CHUNK, file))?;
        let mut hasher = Sha256::new();
        let mut head = Vec::new();
        let mut buf = vec![0u8; READ_CHUNK];
        let mut size = 0u64;
        loop {
            let n = match src.read(&mut buf) {
                Ok(0) => break,
                Ok(n) => n,
                Err(e) if e.kind() == std::io::ErrorKind::Interrupted => continue,
                Err(e) => return Err(e),
            };
            let piece = &buf[..n];
            hasher.update(piece);
            if head.len() < SNIFF_LEN {
                let take = (SNIFF_LEN - head.len()).min(n);
                head.extend_from_slice(&piece[..take]);
            }
            writer.push(piece)?;
            size += n as u64;
            progress(n as u64);
        }
        let file = writer.finish()?.into_inner().map_err(|e| e.into_error())?;
        file.sync_all()?;
        Ok(Streamed {
            sha256: hasher.finalize().into(),
            size,
            head,
            tmp: tmp.clone(),
        })
    })();
    result.map_err(|e| {
        let _ = fs::remove_file(&tmp);
        Error::io("storing (nothing was stored)", &tmp, e)
    })
}

/// Media type from the content: magic numbers first, then e-mail and text heuristics.
pub fn sniff_media_type(head: &[u8]) -> String {
    if let Some(t) = infer::get(head) {
        return t.mime_type().to_string();
    }
    let text = match std::str::from_utf8(head) {
        Ok(s) => Some(s),
        // The sniffed head may end inside a multi-byte character.
        Err(e) if e.error_len().is_none() => std::str::from_utf8(&head[..e.valid_up_to()]).ok(),
        Err(_) => None,
    };
    match text {
        Some(s) if !s.contains('\0') => {
            let mail_headers = [
                "from:",
                "received:",
                "return-path:",
                "delivered-to:",
                "mime-version:",
                "message-id:",
            ];
            let lines: Vec<String> = s.lines().take(30).map(str::to_ascii_lowercase).collect();
            let hits = lines
                .iter()
                .filter(|l| mail_headers.iter().any(|h| l.starts_with(h)))
                .count();
            if hits >= 2 {
                "message/rfc822".into()
            } else {
                "text/plain".into()
            }
        }
        _ => "application/octet-stream".into(),
    }
}

fn image_size(media_type: &str, head: &[u8]) -> (Option<u32>, Option<u32>) {
    if !media_type.starts_with("image/") {
        return (None, None);
    }
    match imagesize::blob_size(head) {
        Ok(s) => (u32::try_from(s.width).ok(), u32::try_from(s.height).ok()),
        Err(_) => (None, None),
    }
}

impl Locker {
    /// Add files as evidence to an incident, in the order given.
    ///
    /// Every path is checked before anything is stored, so a bad path changes nothing.
    /// Each file is then stored in its own transaction: if the process dies midway, the
    /// files before it are complete and nothing of the file in progress remains.
    pub fn add_evidence(
        &mut self,
        incident_id: i64,
        paths: &[PathBuf],
        opts: &AddOptions,
        progress: &mut dyn FnMut(Progress),
    ) -> Result<Vec<Added>> {
        let incident = self.incident(incident_id)?;
        if paths.is_empty() {
            return Err(Error::invalid("no files given"));
        }
        let candidates = paths
            .iter()
            .map(|p| check_file(p, opts.allow_empty))
            .collect::<Result<Vec<_>>>()?;
        let mut seen = std::collections::HashSet::new();
        for c in &candidates {
            if !seen.insert(fs::canonicalize(&c.path).unwrap_or_else(|_| c.path.clone())) {
                return Err(Error::invalid(format!(
                    "{} is given twice",
                    c.path.display()
                )));
            }
        }
        let total = candidates.iter().map(|c| c.size).sum();
        let mut done = 0u64;
        let mut next_seq = match (&opts.thread_id, opts.first_seq) {
            (Some(_), Some(first)) => Some(first),
            (Some(thread), None) => Some(
                self.conn.query_row(
                    "SELECT coalesce(max(e.thread_seq), 0) + 1 FROM evidence e JOIN incidents i ON i.id = e.incident_id
                     WHERE i.case_id = ?1 AND e.thread_id = ?2",
                    params![incident.case_id, thread],
                    |r| r.get(0),
                )?,
            ),
            (None, _) => None,
        };
        let mut out = Vec::with_capacity(candidates.len());
        for c in candidates {
            let mut file = File::open(&c.path).map_err(|e| Error::io("opening", &c.path, e))?;
            let added =
                self.ingest_one(incident_id, &c.name, &mut file, opts, next_seq, &mut |n| {
                    done += n;
                    progress(Progress { done, total });
                })?;
            if !added.already_present {
                next_seq = next_seq.map(|s| s + 1);
            }
            out.push(added);
        }
        Ok(out)
    }

    /// Add one original from a reader (a file, a pasted image, an imported bundle member).
    pub fn add_evidence_from_reader(
        &mut self,
        incident_id: i64,
        name: &str,
        src: &mut dyn Read,
        opts: &AddOptions,
    ) -> Result<Added> {
        self.incident(incident_id)?;
        if name.trim().is_empty() || name.contains(['/', '\\']) {
            return Err(Error::invalid(format!(
                "{name:?} is not a usable file name"
            )));
        }
        let seq = opts.first_seq;
        self.ingest_one(incident_id, name, src, opts, seq, &mut |_| {})
    }

    fn ingest_one(
        &mut self,
        incident_id: i64,
        name: &str,
        src: &mut dyn Read,
        opts: &AddOptions,
        thread_seq: Option<i64>,
        progress: &mut dyn FnMut(u64),
    ) -> Result<Added> {
        let streamed = stream_to_temp(&self.dir, &self.keys, src, progress)?;
        let result = self.commit_streamed(incident_id, name, &streamed, opts, thread_seq);
        // On success the temp file was renamed away or is a duplicate; on failure it must go.
        let _ = fs::remove_file(&streamed.tmp);
        result
    }

    fn commit_streamed(
        &mut self,
        incident_id: i64,
        name: &str,
        s: &Streamed,
        opts: &AddOptions,
        thread_seq: Option<i64>,
    ) -> Result<Added> {
        if s.size == 0 && !opts.allow_empty {
            return Err(Error::invalid(format!(
                "{name} is empty (0 bytes); nothing was stored"
            )));
        }
        let sha = hex::encode(s.sha256);
        let existing: Option<i64> = self
            .conn
            .query_row(
                "SELECT id FROM evidence WHERE incident_id = ?1 AND sha256 = ?2",
                params![incident_id, sha],
                |r| r.get(0),
            )
            .optional()?;
        if let Some(id) = existing {
            return Ok(Added {
                evidence: self.evidence(id)?,
                already_present: true,
            });
        }
        let blob_known: bool = self.conn.query_row(
            "SELECT count(*) FROM blobs WHERE sha256 = ?1",
            [&sha],
            |r| r.get::<_, i64>(0),
        )? > 0;
        let file_name = self.keys.blob_name(&s.sha256);
        if !blob_known {
            let dest = blob_path(&self.dir, &file_name);
            let shard = dest.parent().unwrap_or(&self.dir).to_path_buf();
            fs::create_dir_all(&shard).map_err(|e| Error::io("creating", &shard, e))?;
            fs::rename(&s.tmp, &dest).map_err(|e| Error::io("storing", &dest, e))?;
            sync_dir(&shard).map_err(|e| Error::io("syncing", &shard, e))?;
        }
        let media_type = sniff_media_type(&s.head);
        let (width, height) = image_size(&media_type, &s.head);
        let source = opts.source.unwrap_or(EvidenceSource::File);
        let id = self.write(|w| {
            if !blob_known {
                w.tx.execute(
                    "INSERT INTO blobs (sha256, size, file, stored_at) VALUES (?1, ?2, ?3, ?4)",
                    params![sha, s.size as i64, file_name, w.time],
                )?;
            }
            let uid = uuid::Uuid::new_v4().to_string();
            let seq = w.next_seq();
            w.tx.execute(
                "INSERT INTO evidence (uid, incident_id, sha256, size, media_type, original_name, acquired_at, acquired_by,
                   source, width, height, thread_platform, thread_id, thread_seq, whole_thread, note, audit_seq)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17)",
                params![
                    uid,
                    incident_id,
                    sha,
                    s.size as i64,
                    media_type,
                    name,
                    w.time,
                    w.actor,
                    source,
                    width,
                    height,
                    opts.thread_platform,
                    opts.thread_id,
                    thread_seq,
                    opts.whole_thread,
                    opts.note,
                    seq,
                ],
            )?;
            let id = w.tx.last_insert_rowid();
            w.audit(
                "evidence.add",
                &format!("evidence:{id}"),
                json!({"incident": incident_id, "uid": uid, "sha256": sha, "size": s.size, "name": name,
                       "media_type": media_type, "source": source.as_str(), "deduplicated": blob_known}),
            )?;
            Ok(id)
        })?;
        Ok(Added {
            evidence: self.evidence(id)?,
            already_present: false,
        })
    }

    /// An evidence item by id.
    pub fn evidence(&self, id: i64) -> Result<Evidence> {
        self.conn
            .query_row(
                &format!("{SELECT_EVIDENCE} WHERE id = ?1"),
                [id],
                row_to_evidence,
            )
            .optional()?
            .ok_or_else(|| Error::not_found("evidence", id))
    }

    /// Evidence of a case (or of one incident), in incident order then thread order.
    pub fn list_evidence(&self, case_ref: &str, incident: Option<i64>) -> Result<Vec<Evidence>> {
        let case = self.case(case_ref)?;
        if let Some(i) = incident
            && self.incident(i)?.case_id != case.id
        {
            return Err(Error::invalid(format!(
                "incident {i} is not in case {}",
                case.reference
            )));
        }
        let mut stmt = self.conn.prepare(&format!(
            "{SELECT_EVIDENCE} WHERE incident_id IN (SELECT id FROM incidents WHERE case_id = ?1)
               AND (?2 IS NULL OR incident_id = ?2)
             ORDER BY incident_id, coalesce(thread_id, ''), coalesce(thread_seq, 0), id"
        ))?;
        let rows = stmt.query_map(params![case.id, incident], row_to_evidence)?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// A reader over an original's bytes (decrypted as read; any damage is an error).
    pub fn open_original(&self, id: i64) -> Result<BlobReader<std::io::BufReader<File>>> {
        let ev = self.evidence(id)?;
        let file: String = self.conn.query_row(
            "SELECT file FROM blobs WHERE sha256 = ?1",
            [&ev.sha256],
            |r| r.get(0),
        )?;
        let path = blob_path(&self.dir, &file);
        let f = File::open(&path).map_err(|e| {
            Error::Integrity(format!(
                "evidence {id}: its stored original is missing ({e})"
            ))
        })?;
        BlobReader::new(&self.keys, std::io::BufReader::with_capacity(READ_CHUNK, f))
            .map_err(|e| Error::Integrity(format!("evidence {id}: {e}")))
    }

    /// Write an original back out to `out`, byte-identical, checking its SHA-256 on the
    /// way. Refuses to overwrite an existing file. Records the extraction in the audit log.
    pub fn extract_evidence(&mut self, id: i64, out: &Path) -> Result<Evidence> {
        let ev = self.evidence(id)?;
        if out.exists() {
            return Err(Error::invalid(format!(
                "{} already exists; choose another path",
                out.display()
            )));
        }
        let parent = match out.parent() {
            Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
            _ => PathBuf::from("."),
        };
        if !parent.is_dir() {
            return Err(Error::invalid(format!(
                "{} is not a directory",
                parent.display()
            )));
        }
        let tmp = parent.join(format!(".{}.varde-part", uuid::Uuid::new_v4()));
        let copied = (|| -> Result<()> {
            let mut reader = self.open_original(id)?;
            let mut f = File::create_new(&tmp).map_err(|e| Error::io("writing", &tmp, e))?;
            let mut hasher = Sha256::new();
            let mut buf = vec![0u8; READ_CHUNK];
            loop {
                let n = reader
                    .read(&mut buf)
                    .map_err(|e| Error::Integrity(format!("evidence {id}: {e}")))?;
                if n == 0 {
                    break;
                }
                hasher.update(&buf[..n]);
                f.write_all(&buf[..n])
                    .map_err(|e| Error::io("writing", out, e))?;
            }
            f.sync_all().map_err(|e| Error::io("writing", out, e))?;
            if hex::encode(hasher.finalize()) != ev.sha256 {
                return Err(Error::Integrity(format!(
                    "evidence {id}: the stored original does not match its SHA-256"
                )));
            }
            fs::rename(&tmp, out).map_err(|e| Error::io("writing", out, e))?;
            Ok(())
        })();
        if copied.is_err() {
            let _ = fs::remove_file(&tmp);
        }
        copied?;
        self.write(|w| {
            w.audit(
                "evidence.extract",
                &format!("evidence:{id}"),
                json!({"sha256": ev.sha256, "to": out.display().to_string()}),
            )
        })?;
        Ok(ev)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sniffs_common_kinds() {
        let png = b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR\0\0\0\x10\0\0\0\x20\x08\x02\0\0\0";
        assert_eq!(sniff_media_type(png), "image/png");
        assert_eq!(image_size("image/png", png), (Some(16), Some(32)));
        let mail = b"Return-Path: <x@example.org>\nReceived: by mx\nFrom: A <a@example.org>\nSubject: hei\n\nbody";
        assert_eq!(sniff_media_type(mail), "message/rfc822");
        assert_eq!(sniff_media_type("Hei på deg".as_bytes()), "text/plain");
        assert_eq!(
            sniff_media_type(&[0xff, 0x00, 0x13, 0x37]),
            "application/octet-stream"
        );
        // A head cut inside "ø" is still text.
        assert_eq!(sniff_media_type(&"abcø".as_bytes()[..4]), "text/plain");
    }
}
