//! Evidence: originals streamed into the locker with their SHA-256, listed, and written
//! back out byte-identical.
//!
//! Ingest: each file is read once in 1 MiB pieces; each piece is hashed, encrypted and
//! appended to a temp file under `tmp/`. When every file of the call is streamed, the temp
//! files are fsynced, renamed into `blobs/` (unless the same bytes are already stored), the
//! directories fsynced, and then all records and their audit events are committed in one
//! transaction. A crash at any point leaves either nothing of the call or all of it; a
//! renamed blob without a committed record is removed at the next open.

use std::fs::{self, File};
use std::io::{Read, Write as _};
use std::path::{Path, PathBuf};
use std::sync::mpsc;

use rusqlite::{OptionalExtension, Row, params};
use serde::{Deserialize, Serialize};
use serde_json::json;
use sha2::{Digest, Sha256};

use crate::browse::Slice;
use crate::crypto::{BlobReader, BlobWriter, Keys};
use crate::error::{Error, Result};
use crate::invalid::{Field, Invalid, Item, ItemKind};
use crate::locker::{BLOBS, Locker, TMP, Write};
use crate::model::{Case, Evidence, EvidenceSource};

const READ_CHUNK: usize = 1 << 20;
/// Pieces handed from the hashing thread to the encrypting thread. Small enough that a
/// 1 MB screenshot is several pieces, so the two threads overlap even on small files.
const PIECE: usize = 128 * 1024;
/// How often a large file being stored is handed to the [`Syncer`] for an early flush.
const FLUSH_EVERY: usize = 32 << 20;
/// How much of the start of a file is kept to sniff its type and image size.
const SNIFF_LEN: usize = 256 * 1024;

/// How files are added.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
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

/// An original to store: a file by its path, or bytes sent from the window (a pasted
/// screenshot), never written to disk unencrypted.
#[derive(Debug, Clone)]
pub enum NewOriginal {
    /// A file on disk.
    Path(PathBuf),
    /// Pasted bytes with the name they are given.
    Pasted {
        /// The file name.
        name: String,
        /// The bytes.
        bytes: Vec<u8>,
    },
}

/// An incident logged with its files.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct Logged {
    /// The new incident.
    pub incident: crate::model::Incident,
    /// Its evidence, in the order given.
    pub added: Vec<Added>,
}

/// Where the files of one write go.
#[derive(Clone, Copy)]
pub(crate) enum Target<'a> {
    /// An incident already logged.
    Incident(i64),
    /// An incident written in the same transaction as its files.
    New(&'a crate::incidents::CheckedIncident),
}

fn check_pasted_name(name: &str) -> Result<()> {
    if name.trim().is_empty() {
        return Err(Error::invalid(Invalid::FileName {
            item: None,
            value: name.escape_debug().to_string(),
            problem: crate::invalid::FileNameProblem::NotAName,
        }));
    }
    crate::fields::file_name(None, name)?;
    Ok(())
}

/// A correction of a thread capture (see [`Locker::edit_thread`]).
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct ThreadPatch {
    /// The platform (SMS, Messenger, …); `None` or empty when unknown.
    pub platform: Option<String>,
    /// The thread's name (a person, a number, a group).
    pub name: String,
    /// The whole thread has been captured.
    pub whole_thread: bool,
    /// Every item of the thread, by id, in the new order.
    pub order: Vec<i64>,
    /// Why it is corrected, kept in the audit log.
    pub reason: Option<String>,
}

/// The result for one file.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct Added {
    /// The evidence record.
    pub evidence: Evidence,
    /// The same bytes were already evidence in this incident; nothing new was stored.
    pub already_present: bool,
}

/// Progress of a long operation, in bytes.
#[derive(Debug, Clone, Copy, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct Progress {
    /// Bytes done so far (across all items).
    pub done: u64,
    /// Bytes in all.
    pub total: u64,
}

pub(crate) fn blob_path(dir: &Path, file: &str) -> PathBuf {
    dir.join(BLOBS).join(&file[..2]).join(file)
}

/// The one INSERT into `blobs`: a stored original's record (ingest and import alike).
pub(crate) fn insert_blob_row(
    tx: &rusqlite::Transaction<'_>,
    sha256: &str,
    size: u64,
    file: &str,
    stored_at: &str,
) -> Result<()> {
    tx.execute(
        "INSERT INTO blobs (sha256, size, file, stored_at) VALUES (?1, ?2, ?3, ?4)",
        params![sha256, size as i64, file, stored_at],
    )?;
    Ok(())
}

/// The one INSERT into `evidence` (ingest and import alike): `e` as it is to be stored,
/// its `id` ignored; `audit_seq` is the event that records the acquisition. Its new id.
pub(crate) fn insert_evidence_row(
    tx: &rusqlite::Transaction<'_>,
    e: &Evidence,
    audit_seq: i64,
) -> Result<i64> {
    let id = crate::db::next_id(tx, "evidence")?;
    tx.execute(
        "INSERT INTO evidence (id, uid, incident_id, sha256, size, media_type, original_name, acquired_at,
           acquired_by, source, width, height, thread_platform, thread_id, thread_seq, whole_thread, note,
           audit_seq, parent_evidence, parent_part)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18, ?19, ?20)",
        params![
            id,
            e.uid,
            e.incident,
            e.sha256,
            e.size as i64,
            e.media_type,
            e.original_name,
            e.acquired_at,
            e.acquired_by,
            e.source,
            e.width,
            e.height,
            e.thread_platform,
            e.thread_id,
            e.thread_seq,
            e.whole_thread,
            e.note,
            audit_seq,
            e.attachment_of.as_ref().map(|a| a.evidence),
            e.attachment_of.as_ref().map(|a| a.index),
        ],
    )?;
    Ok(id)
}

/// Record a new evidence item acquired in the write `w`: its blob's row when its bytes are
/// new (`blob_file`, the stored file's name), its evidence row and its `evidence.add` event.
/// Its new id.
pub(crate) fn record_evidence(
    w: &mut Write<'_>,
    e: Evidence,
    blob_file: Option<&str>,
) -> Result<i64> {
    if let Some(file) = blob_file {
        insert_blob_row(&w.tx, &e.sha256, e.size, file, &w.time)?;
    }
    let audit_seq = w.next_seq();
    let id = insert_evidence_row(&w.tx, &e, audit_seq)?;
    w.audit(
        "evidence.add",
        &format!("evidence:{id}"),
        json!({"incident": e.incident, "uid": e.uid, "sha256": e.sha256, "size": e.size,
               "name": e.original_name, "media_type": e.media_type, "source": e.source.as_str(),
               "deduplicated": blob_file.is_none(), "attachment_of": e.attachment_of}),
    )?;
    Ok(id)
}

const SELECT_EVIDENCE: &str = "SELECT id, uid, incident_id, sha256, size, media_type, original_name, acquired_at,
    acquired_by, source, width, height, thread_platform, thread_id, thread_seq, whole_thread, note, parent_evidence, parent_part FROM evidence";

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
        attachment_of: match (r.get::<_, Option<i64>>(17)?, r.get::<_, Option<u32>>(18)?) {
            (Some(evidence), Some(index)) => Some(crate::model::AttachmentOf { evidence, index }),
            _ => None,
        },
    })
}

/// A file checked and ready to ingest.
pub(crate) struct Candidate {
    pub(crate) path: PathBuf,
    pub(crate) name: String,
    pub(crate) size: u64,
}

pub(crate) fn check_file(path: &Path, allow_empty: bool) -> Result<Candidate> {
    let shown = crate::error::shorten(path);
    let meta = fs::metadata(path).map_err(|e| match e.kind() {
        std::io::ErrorKind::NotFound => Error::invalid(Invalid::FileMissing {
            path: shown.clone(),
        }),
        std::io::ErrorKind::PermissionDenied => Error::invalid(Invalid::FilePermission {
            path: shown.clone(),
        }),
        _ => Error::io("reading", path, e),
    })?;
    if meta.is_dir() {
        return Err(Error::invalid(Invalid::IsDirectory { path: shown }));
    }
    if !meta.is_file() {
        return Err(Error::invalid(Invalid::NotAFile { path: shown }));
    }
    let name = path
        .file_name()
        .ok_or_else(|| {
            Error::invalid(Invalid::NotAFile {
                path: shown.clone(),
            })
        })?
        .to_str()
        .ok_or_else(|| {
            Error::invalid(Invalid::FileName {
                item: None,
                value: path.to_string_lossy().into_owned(),
                problem: crate::invalid::FileNameProblem::NotUtf8,
            })
        })?
        .to_string();
    crate::fields::file_name(None, &name)?;
    if meta.len() == 0 && !allow_empty {
        return Err(Error::invalid(Invalid::EmptyFile { path: shown }));
    }
    File::open(path).map_err(|e| match e.kind() {
        std::io::ErrorKind::PermissionDenied => Error::invalid(Invalid::FilePermission {
            path: shown.clone(),
        }),
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
    pub name: String,
    pub sha256: [u8; 32],
    pub size: u64,
    pub media_type: String,
    pub width: Option<u32>,
    pub height: Option<u32>,
    pub tmp: PathBuf,
    /// How this one came in, when it differs from the call's [`AddOptions::source`].
    pub source: Option<EvidenceSource>,
}

/// Stream `src` into an encrypted temp blob in `tmp/`, hashing as it goes.
///
/// Two threads: this one reads and hashes, a second encrypts and writes, so the two
/// costliest steps run side by side; buffers go back and forth and memory stays at a few
/// MiB whatever the file size. The temp file is not fsynced here (see [`Syncer`]).
pub(crate) fn stream_to_temp(
    dir: &Path,
    keys: &Keys,
    name: &str,
    src: &mut dyn Read,
    syncer: Option<&Syncer>,
    progress: &mut dyn FnMut(u64),
) -> Result<Streamed> {
    let tmp = dir.join(TMP).join(format!("{}.part", uuid::Uuid::new_v4()));
    let tmp_path = tmp.as_path();
    let result = std::thread::scope(|scope| -> std::io::Result<Streamed> {
        let file = crate::locker::create_new_private(&tmp)?;
        let (to_writer, pieces) = mpsc::sync_channel::<Vec<u8>>(16);
        let (give_back, spare) = mpsc::channel::<Vec<u8>>();
        let writer = scope.spawn(move || -> std::io::Result<()> {
            let mut w = BlobWriter::new(keys, std::io::BufWriter::with_capacity(READ_CHUNK, file))?;
            let mut written = 0usize;
            for piece in pieces {
                w.push(&piece)?;
                written += piece.len();
                // Let the disk write back a large file while it is still being read.
                if written >= FLUSH_EVERY {
                    written = 0;
                    if let Some(s) = syncer {
                        s.push(tmp_path);
                    }
                }
                let _ = give_back.send(piece);
            }
            w.finish()?.into_inner().map_err(|e| e.into_error())?;
            Ok(())
        });
        let mut hasher = Sha256::new();
        let mut head = Vec::new();
        let mut size = 0u64;
        let read = (|| -> std::io::Result<()> {
            loop {
                let mut buf = spare.try_recv().unwrap_or_default();
                buf.resize(PIECE, 0);
                let n = match src.read(&mut buf) {
                    Ok(0) => return Ok(()),
                    Ok(n) => n,
                    Err(e) if e.kind() == std::io::ErrorKind::Interrupted => continue,
                    Err(e) => return Err(e),
                };
                buf.truncate(n);
                hasher.update(&buf);
                if head.len() < SNIFF_LEN {
                    let take = (SNIFF_LEN - head.len()).min(n);
                    head.extend_from_slice(&buf[..take]);
                }
                size += n as u64;
                if to_writer.send(buf).is_err() {
                    return Ok(()); // the writer stopped: its error is reported below
                }
                progress(n as u64);
            }
        })();
        drop(to_writer);
        let written = writer
            .join()
            .unwrap_or_else(|_| Err(std::io::Error::other("the writer thread failed")));
        read?;
        written?;
        let media_type = sniff_media_type(&head);
        let (width, height) = image_size(&media_type, &head);
        Ok(Streamed {
            name: name.to_string(),
            sha256: hasher.finalize().into(),
            size,
            media_type,
            width,
            height,
            tmp: tmp.clone(),
            source: None,
        })
    });
    result.map_err(|e| {
        let _ = fs::remove_file(&tmp);
        Error::io("storing (nothing was stored)", &tmp, e)
    })
}

/// Flushes finished temp files to disk on a background thread while the next file is
/// being streamed, so the disk's write-back overlaps hashing instead of following it.
/// The final fsync before commit then finds little left to do.
pub(crate) struct Syncer {
    send: Option<mpsc::Sender<PathBuf>>,
    handle: Option<std::thread::JoinHandle<Option<(PathBuf, std::io::Error)>>>,
}

impl Syncer {
    fn start() -> Syncer {
        let (send, recv) = mpsc::channel::<PathBuf>();
        let handle = std::thread::spawn(move || {
            let mut first_error = None;
            for path in recv {
                // A temp file may already be gone (a failed call cleans up): not an error.
                if first_error.is_none()
                    && path.exists()
                    && let Err(e) = File::open(&path).and_then(|f| f.sync_all())
                {
                    first_error = Some((path, e));
                }
            }
            first_error
        });
        Syncer {
            send: Some(send),
            handle: Some(handle),
        }
    }

    fn push(&self, path: &Path) {
        if let Some(s) = &self.send {
            let _ = s.send(path.to_path_buf());
        }
    }

    /// Wait for every flush; the first error, if any. (An fsync error may be reported only
    /// once by the kernel, so it must not be lost here.)
    fn finish(mut self) -> Result<()> {
        self.send.take();
        match self.handle.take().map(|h| h.join()) {
            Some(Ok(Some((path, e)))) => Err(Error::io("storing (nothing was stored)", path, e)),
            Some(Err(_)) => Err(Error::Integrity("internal: the sync thread failed".into())),
            _ => Ok(()),
        }
    }
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

/// The directory a new output file goes into; it must exist (temp files are made there
/// and renamed, so the rename never crosses file systems).
pub(crate) fn output_parent(out: &Path) -> Result<PathBuf> {
    let parent = match out.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => PathBuf::from("."),
    };
    if !parent.is_dir() {
        return Err(Error::invalid(Invalid::NotADirectory {
            path: crate::error::shorten(&parent),
        }));
    }
    Ok(parent)
}

pub(crate) fn remove_temps(items: &[Streamed]) {
    for s in items {
        let _ = fs::remove_file(&s.tmp);
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
    /// Every path is checked before anything is read, so a bad path changes nothing. The
    /// whole call is then one transaction: all files are stored, or none is (a crash, a
    /// full disk or a read error midway leaves the locker as it was).
    pub fn add_evidence(
        &mut self,
        incident_id: i64,
        paths: &[PathBuf],
        opts: &AddOptions,
        progress: &mut dyn FnMut(Progress),
    ) -> Result<Vec<Added>> {
        self.incident(incident_id)?;
        if paths.is_empty() {
            return Err(Error::invalid(Invalid::NoFiles));
        }
        let originals: Vec<NewOriginal> = paths.iter().cloned().map(NewOriginal::Path).collect();
        let streamed = self.stream_originals(&originals, opts, progress)?;
        let (_, added) = self.commit_streamed(Target::Incident(incident_id), streamed, opts)?;
        self.read_added(&added);
        Ok(added)
    }

    /// Log an incident together with its files (picked, dropped or pasted before the first
    /// save), in one transaction: the incident and all its evidence are stored, or nothing
    /// is. The incident is checked before a file is read, and every path before any is.
    pub fn log_incident(
        &mut self,
        case_ref: &str,
        incident: crate::incidents::NewIncident,
        files: &[NewOriginal],
        opts: &AddOptions,
        progress: &mut dyn FnMut(Progress),
    ) -> Result<Logged> {
        let checked = self.check_new_incident(case_ref, incident)?;
        if files.is_empty() {
            let id = self.write(|w| crate::incidents::insert_incident(w, &checked))?;
            return Ok(Logged {
                incident: self.incident(id)?,
                added: Vec::new(),
            });
        }
        let streamed = self.stream_originals(files, opts, progress)?;
        let (id, added) = self.commit_streamed(Target::New(&checked), streamed, opts)?;
        self.read_added(&added);
        Ok(Logged {
            incident: self.incident(id)?,
            added,
        })
    }

    /// Check every original (paths exist and are files, names are names, nothing given
    /// twice), then stream them all into temp blobs. On a failure nothing is left behind.
    pub(crate) fn stream_originals(
        &self,
        originals: &[NewOriginal],
        opts: &AddOptions,
        progress: &mut dyn FnMut(Progress),
    ) -> Result<Vec<Streamed>> {
        // Each original checked: a file on disk (with its size), or pasted bytes.
        enum Checked<'a> {
            File(Candidate),
            Pasted(&'a str, &'a [u8]),
        }
        let mut checked = Vec::with_capacity(originals.len());
        let mut seen = std::collections::HashSet::new();
        for o in originals {
            match o {
                NewOriginal::Path(p) => {
                    let c = check_file(p, opts.allow_empty)?;
                    if !seen.insert(fs::canonicalize(&c.path).unwrap_or_else(|_| c.path.clone())) {
                        return Err(Error::invalid(Invalid::GivenTwice {
                            path: crate::error::shorten(&c.path),
                        }));
                    }
                    checked.push(Checked::File(c));
                }
                NewOriginal::Pasted { name, bytes } => {
                    check_pasted_name(name)?;
                    checked.push(Checked::Pasted(name, bytes));
                }
            }
        }
        let total = checked
            .iter()
            .map(|c| match c {
                Checked::File(c) => c.size,
                Checked::Pasted(_, bytes) => bytes.len() as u64,
            })
            .sum();
        let mut done = 0u64;
        let mut streamed = Vec::with_capacity(checked.len());
        let syncer = Syncer::start();
        for c in &checked {
            let mut count = |n| {
                done += n;
                progress(Progress { done, total });
            };
            let one = match c {
                Checked::File(c) => File::open(&c.path)
                    .map_err(|e| Error::io("opening", &c.path, e))
                    .and_then(|mut f| {
                        stream_to_temp(
                            &self.dir,
                            &self.keys,
                            &c.name,
                            &mut f,
                            Some(&syncer),
                            &mut count,
                        )
                    }),
                Checked::Pasted(name, bytes) => stream_to_temp(
                    &self.dir,
                    &self.keys,
                    name,
                    &mut &bytes[..],
                    Some(&syncer),
                    &mut count,
                )
                .map(|s| Streamed {
                    source: Some(EvidenceSource::Clipboard),
                    ..s
                }),
            };
            match one {
                Ok(s) => {
                    syncer.push(&s.tmp);
                    streamed.push(s);
                }
                Err(e) => {
                    let _ = syncer.finish();
                    remove_temps(&streamed);
                    return Err(e);
                }
            }
        }
        if let Err(e) = syncer.finish() {
            remove_temps(&streamed);
            return Err(e);
        }
        Ok(streamed)
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
        check_pasted_name(name)?;
        let s = stream_to_temp(&self.dir, &self.keys, name, src, None, &mut |_| {})?;
        let (_, mut added) = self.commit_streamed(Target::Incident(incident_id), vec![s], opts)?;
        added
            .pop()
            .ok_or_else(|| Error::Integrity("internal: nothing was added".into()))
    }

    /// Make streamed temp blobs durable and commit their records and audit events in one
    /// transaction (with the new incident they belong to, when there is one). On any
    /// failure every file of this call is removed again.
    pub(crate) fn commit_streamed(
        &mut self,
        target: Target<'_>,
        items: Vec<Streamed>,
        opts: &AddOptions,
    ) -> Result<(i64, Vec<Added>)> {
        self.commit_streamed_from(target, items, opts, None)
    }

    /// [`Self::commit_streamed`], for files taken out of the e-mail `attachment_of`.
    pub(crate) fn commit_streamed_from(
        &mut self,
        target: Target<'_>,
        items: Vec<Streamed>,
        opts: &AddOptions,
        attachment_of: Option<&crate::model::AttachmentOf>,
    ) -> Result<(i64, Vec<Added>)> {
        let result = self.commit_streamed_inner(target, &items, opts, attachment_of);
        // Temp files were renamed away, are duplicates, or must go after a failure.
        remove_temps(&items);
        result
    }

    fn commit_streamed_inner(
        &mut self,
        target: Target<'_>,
        items: &[Streamed],
        opts: &AddOptions,
        attachment_of: Option<&crate::model::AttachmentOf>,
    ) -> Result<(i64, Vec<Added>)> {
        let (existing, case_id) = match target {
            Target::Incident(id) => (Some(id), self.incident(id)?.case_id),
            Target::New(c) => (None, c.case_id),
        };
        for s in items {
            crate::fields::evidence(
                None,
                &s.name,
                &opts.note,
                opts.thread_platform.as_deref(),
                opts.thread_id.as_deref(),
            )?;
            if s.size == 0 && !opts.allow_empty {
                return Err(Error::invalid(Invalid::EmptyFile {
                    path: s.name.clone(),
                }));
            }
            File::open(&s.tmp)
                .and_then(|f| f.sync_all())
                .map_err(|e| Error::io("storing (nothing was stored)", &s.tmp, e))?;
        }
        // Decide per item: already evidence in this incident, bytes already stored, or new.
        enum Plan {
            Present(i64),
            /// Same bytes as an earlier item of this call in this incident.
            SameAs(usize),
            /// `blob_file`: the new blob's name when its bytes were not stored before.
            New {
                blob_file: Option<String>,
            },
        }
        let mut plans = Vec::with_capacity(items.len());
        let mut first_in_call: std::collections::HashMap<[u8; 32], usize> =
            std::collections::HashMap::new();
        let mut to_place: Vec<(PathBuf, String)> = Vec::new();
        for (i, s) in items.iter().enumerate() {
            let sha = hex::encode(s.sha256);
            let present: Option<i64> = match existing {
                Some(incident_id) => self
                    .conn
                    .query_row(
                        "SELECT id FROM evidence WHERE incident_id = ?1 AND sha256 = ?2",
                        params![incident_id, sha],
                        |r| r.get(0),
                    )
                    .optional()?,
                None => None,
            };
            if let Some(id) = present {
                plans.push(Plan::Present(id));
                continue;
            }
            if let Some(&j) = first_in_call.get(&s.sha256) {
                plans.push(Plan::SameAs(j));
                continue;
            }
            first_in_call.insert(s.sha256, i);
            let known = self.has_blob(&sha)?;
            if !known {
                to_place.push((s.tmp.clone(), self.keys.blob_name(&s.sha256)));
            }
            plans.push(Plan::New {
                blob_file: (!known).then(|| self.keys.blob_name(&s.sha256)),
            });
        }
        let placed = self.place_blobs(&to_place)?;
        if let Some(incident_id) = existing
            && !plans.iter().any(|p| matches!(p, Plan::New { .. }))
        {
            // Every item is already evidence in this incident: nothing to write.
            let added: Result<Vec<Added>> = plans
                .iter()
                .map(|p| match p {
                    Plan::Present(id) => Ok(Added {
                        evidence: self.evidence(*id)?,
                        already_present: true,
                    }),
                    _ => Err(Error::Integrity(
                        "internal: unexpected evidence plan".into(),
                    )),
                })
                .collect();
            return Ok((incident_id, added?));
        }
        let source = opts.source.unwrap_or(EvidenceSource::File);
        let mut next_seq = match (&opts.thread_id, opts.first_seq) {
            (Some(_), Some(first)) => Some(first),
            (Some(thread), None) => Some(self.conn.query_row(
                "SELECT coalesce(max(e.thread_seq), 0) + 1 FROM evidence e JOIN incidents i ON i.id = e.incident_id
                 WHERE i.case_id = ?1 AND e.thread_id = ?2",
                params![case_id, thread],
                |r| r.get::<_, i64>(0),
            )?),
            (None, _) => None,
        };
        let written = self.write(|w| {
            let incident_id = match target {
                Target::Incident(id) => id,
                Target::New(c) => crate::incidents::insert_incident(w, c)?,
            };
            let mut ids: Vec<i64> = Vec::with_capacity(items.len());
            for (s, plan) in items.iter().zip(&plans) {
                let blob_file = match plan {
                    Plan::Present(id) => {
                        ids.push(*id);
                        continue;
                    }
                    Plan::SameAs(j) => {
                        ids.push(ids[*j]);
                        continue;
                    }
                    Plan::New { blob_file } => blob_file,
                };
                let thread_seq = next_seq;
                next_seq = next_seq.map(|n| n + 1);
                let id = record_evidence(
                    w,
                    Evidence {
                        id: 0,
                        uid: uuid::Uuid::new_v4().to_string(),
                        incident: incident_id,
                        sha256: hex::encode(s.sha256),
                        size: s.size,
                        media_type: s.media_type.clone(),
                        original_name: s.name.clone(),
                        acquired_at: w.time.clone(),
                        acquired_by: w.actor.clone(),
                        source: s.source.unwrap_or(source),
                        width: s.width,
                        height: s.height,
                        thread_platform: opts.thread_platform.clone(),
                        thread_id: opts.thread_id.clone(),
                        thread_seq,
                        whole_thread: opts.whole_thread,
                        note: opts.note.clone(),
                        attachment_of: attachment_of.cloned(),
                    },
                    blob_file.as_deref(),
                )?;
                ids.push(id);
            }
            Ok((incident_id, ids))
        });
        let (incident_id, ids) = written.inspect_err(|_| placed.undo())?;
        placed.finish();
        let added: Result<Vec<Added>> = ids
            .iter()
            .zip(&plans)
            .map(|(id, plan)| {
                Ok(Added {
                    evidence: self.evidence(*id)?,
                    already_present: !matches!(plan, Plan::New { .. }),
                })
            })
            .collect();
        Ok((incident_id, added?))
    }

    /// Correct a thread capture of an incident after its files are in: its platform, its
    /// name, the "whole thread" flag and the order of its screenshots (`order`: every
    /// item of the thread, by id, in the new order). The originals and their acquisition
    /// records stay as they are; the audit event keeps what the thread was and the reason.
    pub fn edit_thread(
        &mut self,
        incident_id: i64,
        thread: &str,
        patch: &ThreadPatch,
    ) -> Result<Vec<Evidence>> {
        let incident = self.incident(incident_id)?;
        let items: Vec<Evidence> = {
            let mut stmt = self.conn.prepare(&format!(
                "{SELECT_EVIDENCE} WHERE incident_id = ?1 AND thread_id = ?2 ORDER BY thread_seq, id"
            ))?;
            stmt.query_map(params![incident_id, thread], row_to_evidence)?
                .collect::<rusqlite::Result<_>>()?
        };
        let order_wrong = || {
            Error::invalid(Invalid::ThreadOrder {
                thread: thread.to_string(),
            })
        };
        let mut given = patch.order.clone();
        given.sort_unstable();
        let mut ids: Vec<i64> = items.iter().map(|e| e.id).collect();
        ids.sort_unstable();
        if items.is_empty() || given != ids {
            return Err(order_wrong());
        }
        let name = patch.name.trim();
        if name.is_empty() {
            return Err(Error::invalid(Invalid::Required {
                field: Field::Thread,
            }));
        }
        let platform = patch
            .platform
            .as_deref()
            .map(str::trim)
            .filter(|p| !p.is_empty());
        let reason = patch
            .reason
            .as_deref()
            .map(str::trim)
            .filter(|r| !r.is_empty());
        crate::fields::opt_text(
            Field::ThreadPlatform,
            None,
            platform,
            crate::fields::SHORT_MAX,
        )?;
        crate::fields::opt_text(Field::Thread, None, Some(name), crate::fields::SHORT_MAX)?;
        crate::fields::opt_text(Field::Reason, None, reason, crate::fields::SHORT_MAX)?;
        // The numbers stay those the thread had (so other incidents' screenshots of the same
        // conversation keep their place); moved into another thread, they follow its last.
        let seqs: Vec<i64> = if name == thread {
            let mut s: Vec<i64> = items.iter().filter_map(|e| e.thread_seq).collect();
            s.sort_unstable();
            if s.len() == items.len() {
                s
            } else {
                let first = s.first().copied().unwrap_or(1);
                (first..first + items.len() as i64).collect()
            }
        } else {
            let after: i64 = self.conn.query_row(
                "SELECT coalesce(max(e.thread_seq), 0) FROM evidence e JOIN incidents i ON i.id = e.incident_id
                 WHERE i.case_id = ?1 AND e.thread_id = ?2",
                params![incident.case_id, name],
                |r| r.get(0),
            )?;
            (after + 1..after + 1 + items.len() as i64).collect()
        };
        let unchanged = items.iter().all(|e| {
            e.thread_platform.as_deref() == platform
                && e.whole_thread == patch.whole_thread
                && e.thread_id.as_deref() == Some(name)
        }) && patch.order.iter().zip(&seqs).all(|(id, seq)| {
            items
                .iter()
                .any(|e| e.id == *id && e.thread_seq == Some(*seq))
        });
        if unchanged {
            return Ok(items);
        }
        let before: Vec<_> = items
            .iter()
            .map(|e| json!({"evidence": e.id, "seq": e.thread_seq}))
            .collect();
        let was = &items[0];
        self.write(|w| {
            for (id, seq) in patch.order.iter().zip(&seqs) {
                w.tx.execute(
                    "UPDATE evidence SET thread_platform = ?2, thread_id = ?3, thread_seq = ?4, whole_thread = ?5
                     WHERE id = ?1",
                    params![id, platform, name, seq, patch.whole_thread],
                )?;
            }
            w.audit(
                "evidence.thread_edit",
                &format!("incident:{incident_id}"),
                json!({
                    "from": {"thread": thread, "platform": was.thread_platform, "whole_thread": was.whole_thread, "order": before},
                    "to": {"thread": name, "platform": platform, "whole_thread": patch.whole_thread,
                           "order": patch.order.iter().zip(&seqs).map(|(id, seq)| json!({"evidence": id, "seq": seq})).collect::<Vec<_>>()},
                    "reason": reason,
                }),
            )?;
            Ok(())
        })?;
        patch.order.iter().map(|id| self.evidence(*id)).collect()
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
            .ok_or_else(|| Error::not_found(crate::invalid::ItemKind::Evidence, id))
    }

    /// Evidence of a case (or of one incident), in incident order then thread order.
    pub fn list_evidence(&self, case_ref: &str, incident: Option<i64>) -> Result<Vec<Evidence>> {
        let case = self.case(case_ref)?;
        self.incident_in_case(incident, &case)?;
        self.evidence_in_case(case.id, incident, Slice::WHOLE)
    }

    /// Refuse an incident (when one is named) that belongs to another case.
    pub(crate) fn incident_in_case(&self, incident: Option<i64>, case: &Case) -> Result<()> {
        if let Some(i) = incident
            && self.incident(i)?.case_id != case.id
        {
            return Err(Error::invalid(Invalid::NotInCase {
                field: Field::Incidents,
                item: Item::new(ItemKind::Incident, i),
                case: case.reference.clone(),
            }));
        }
        Ok(())
    }

    /// A slice of a case's evidence (or one incident's), returned in the order of
    /// [`Locker::list_evidence`].
    pub(crate) fn evidence_in_case(
        &self,
        case_id: i64,
        incident: Option<i64>,
        slice: Slice,
    ) -> Result<Vec<Evidence>> {
        // The list's order after the incident: thread, place in the thread, id (the terms
        // of `evidence_order`, migration 15), of table `t`, in direction `d`.
        let within = |t: &str, d: &str| {
            format!("coalesce({t}thread_id, '') {d}, coalesce({t}thread_seq, 0) {d}, {t}id {d}")
        };
        let d = slice.direction();
        // The slice's ids are picked by walking indexes alone, the case's incidents in id
        // order (`incidents_by_case`, migration 16) and each one's evidence in list order;
        // then only those rows are read.
        let ids = match incident {
            Some(_) => format!(
                "SELECT id FROM evidence WHERE incident_id = ?1 ORDER BY {} LIMIT ?2 OFFSET ?3",
                within("", d)
            ),
            None => format!(
                "SELECT e.id FROM incidents i JOIN evidence e ON e.incident_id = i.id
                  WHERE i.case_id = ?1 ORDER BY i.id {d}, {} LIMIT ?2 OFFSET ?3",
                within("e.", d)
            ),
        };
        let mut stmt = self.conn.prepare_cached(&format!(
            "{SELECT_EVIDENCE} WHERE id IN ({ids}) ORDER BY incident_id, {}",
            within("", "ASC")
        ))?;
        let rows = stmt.query_map(
            params![incident.unwrap_or(case_id), slice.limit, slice.offset],
            row_to_evidence,
        )?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// An original's bytes, decrypted in memory only and checked against its SHA-256, to be
    /// shown inside the app (an image, a text, an e-mail). Refused above `max` bytes.
    pub fn read_original(&self, id: i64, max: u64) -> Result<Vec<u8>> {
        let ev = self.evidence(id)?;
        if ev.size > max {
            return Err(Error::invalid(Invalid::TooLargeToShow {
                size: ev.size,
                max,
            }));
        }
        self.read_blob(&ev.sha256, ev.size, &format!("evidence {id}"))
    }

    /// A reader over an original's bytes (decrypted as read; any damage is an error).
    pub fn open_original(&self, id: i64) -> Result<BlobReader<std::io::BufReader<File>>> {
        let ev = self.evidence(id)?;
        self.open_blob(&ev.sha256, &format!("evidence {id}"))
    }

    /// A reader over a stored blob by its SHA-256; `what` names it in errors.
    pub(crate) fn open_blob(
        &self,
        sha256: &str,
        what: &str,
    ) -> Result<BlobReader<std::io::BufReader<File>>> {
        let file: String =
            self.conn
                .query_row("SELECT file FROM blobs WHERE sha256 = ?1", [sha256], |r| {
                    r.get(0)
                })?;
        let path = blob_path(&self.dir, &file);
        let f = File::open(&path)
            .map_err(|e| Error::Integrity(format!("{what}: its stored file is missing ({e})")))?;
        BlobReader::new(&self.keys, std::io::BufReader::with_capacity(READ_CHUNK, f))
            .map_err(|e| Error::Integrity(format!("{what}: {e}")))
    }

    /// Whether the locker already stores a blob with this SHA-256 (originals and
    /// redacted copies are deduplicated by it).
    pub(crate) fn has_blob(&self, sha256: &str) -> Result<bool> {
        Ok(self.conn.query_row(
            "SELECT count(*) FROM blobs WHERE sha256 = ?1",
            [sha256],
            |r| r.get::<_, i64>(0),
        )? > 0)
    }

    /// The bytes of a stored file by its SHA-256, as a bundle's manifest names it (an
    /// original or a redacted copy), checked on the way: for a report being laid out.
    pub fn read_stored(&self, sha256: &str) -> Result<Vec<u8>> {
        let size: i64 = self
            .conn
            .query_row("SELECT size FROM blobs WHERE sha256 = ?1", [sha256], |r| {
                r.get(0)
            })
            .optional()?
            .ok_or_else(|| Error::not_found(ItemKind::Original, sha256))?;
        self.read_blob(
            sha256,
            size as u64,
            &format!("original {}", &sha256[..sha256.len().min(12)]),
        )
    }

    /// A stored blob's bytes in memory, checked against its SHA-256 and size.
    pub(crate) fn read_blob(&self, sha256: &str, size: u64, what: &str) -> Result<Vec<u8>> {
        let mut bytes = Vec::with_capacity(usize::try_from(size).unwrap_or(0));
        self.open_blob(sha256, what)?
            .read_to_end(&mut bytes)
            .map_err(|e| Error::Integrity(format!("{what}: {e}")))?;
        if hex::encode(Sha256::digest(&bytes)) != sha256 || bytes.len() as u64 != size {
            return Err(Error::Integrity(format!(
                "{what}: the stored file does not match its SHA-256; run `varde verify`"
            )));
        }
        Ok(bytes)
    }

    /// Write a stored blob out to `out` (which must not exist), checking its SHA-256 on
    /// the way; a temp file beside `out` is renamed into place only when it matches.
    pub(crate) fn write_blob_out(&self, sha256: &str, what: &str, out: &Path) -> Result<()> {
        if out.exists() {
            return Err(Error::invalid(Invalid::OutputExists {
                path: crate::error::shorten(out),
            }));
        }
        let parent = output_parent(out)?;
        let tmp = parent.join(format!(".{}.varde-part", uuid::Uuid::new_v4()));
        let copied = (|| -> Result<()> {
            let mut reader = self.open_blob(sha256, what)?;
            let mut f = crate::locker::create_new_private(&tmp)
                .map_err(|e| Error::io("writing", &tmp, e))?;
            let mut hasher = Sha256::new();
            let mut buf = vec![0u8; READ_CHUNK];
            loop {
                let n = reader
                    .read(&mut buf)
                    .map_err(|e| Error::Integrity(format!("{what}: {e}")))?;
                if n == 0 {
                    break;
                }
                hasher.update(&buf[..n]);
                f.write_all(&buf[..n])
                    .map_err(|e| Error::io("writing", out, e))?;
            }
            f.sync_all().map_err(|e| Error::io("writing", out, e))?;
            if hex::encode(hasher.finalize()) != sha256 {
                return Err(Error::Integrity(format!(
                    "{what}: the stored file does not match its SHA-256"
                )));
            }
            fs::rename(&tmp, out).map_err(|e| Error::io("writing", out, e))?;
            Ok(())
        })();
        if copied.is_err() {
            let _ = fs::remove_file(&tmp);
        }
        copied
    }

    /// Write an original back out to `out`, byte-identical, checking its SHA-256 on the
    /// way. Refuses to overwrite an existing file. Records the extraction in the audit log.
    pub fn extract_evidence(&mut self, id: i64, out: &Path) -> Result<Evidence> {
        let ev = self.evidence(id)?;
        self.write_blob_out(&ev.sha256, &format!("evidence {id}"), out)?;
        self.write(|w| {
            w.audit(
                "evidence.extract",
                &format!("evidence:{id}"),
                // Only the file name: the custody log travels in bundles, a local path must not.
                json!({"sha256": ev.sha256, "to": out.file_name().map(|n| n.to_string_lossy().into_owned())}),
            )
        })?;
        Ok(ev)
    }
}

impl Locker {
    /// Decrypt a copy of an original for a person to look at in another program: always a
    /// fresh copy in a new folder under `dir` (never one a viewer may have changed), its
    /// SHA-256 checked again as it lies on disk, the file and its folder made read-only so
    /// a viewer cannot save over it. Recorded in the audit log like any extraction. Give
    /// `dir` to [`release_viewer_copies`] before removing it.
    pub fn extract_for_viewer(&mut self, id: i64, dir: &Path) -> Result<PathBuf> {
        let ev = self.evidence(id)?;
        let folder = dir.join(uuid::Uuid::new_v4().simple().to_string());
        crate::locker::create_private_dir(&folder).map_err(|e| Error::io("writing", &folder, e))?;
        let out = folder.join(&ev.original_name);
        self.extract_evidence(id, &out)?;
        let on_disk =
            crate::crypto::sha256_file(&out).map_err(|e| Error::io("reading", &out, e))?;
        if on_disk != ev.sha256 {
            let _ = fs::remove_file(&out);
            return Err(Error::Integrity(format!(
                "evidence {id}: the copy written for viewing does not match its SHA-256"
            )));
        }
        set_read_only(&out, true).map_err(|e| Error::io("writing", &out, e))?;
        set_read_only(&folder, true).map_err(|e| Error::io("writing", &folder, e))?;
        Ok(out)
    }
}

/// Make the read-only copies of [`Locker::extract_for_viewer`] under `dir` removable again
/// (their folders writable), so that the folder can be deleted when the locker closes.
pub fn release_viewer_copies(dir: &Path) {
    for entry in fs::read_dir(dir).into_iter().flatten().flatten() {
        let path = entry.path();
        if path.is_dir() {
            let _ = set_read_only(&path, false);
        }
    }
}

fn set_read_only(path: &Path, read_only: bool) -> std::io::Result<()> {
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = match (path.is_dir(), read_only) {
            (true, true) => 0o500,
            (true, false) => 0o700,
            (false, true) => 0o400,
            (false, false) => 0o600,
        };
        fs::set_permissions(path, fs::Permissions::from_mode(mode))
    }
    #[cfg(not(unix))]
    {
        let mut p = fs::metadata(path)?.permissions();
        p.set_readonly(read_only);
        fs::set_permissions(path, p)
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
