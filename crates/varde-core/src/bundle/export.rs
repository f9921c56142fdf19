//! Writing a bundle: [`Locker::export_bundle`].
//!
//! Everything is streamed: each original is read from the locker, decrypted, hashed and
//! written into the zip (or folder) piece by piece, so memory stays at a few MiB whatever
//! the case's size. The bundle is written under a temp name beside the target and renamed
//! at the end; then the ledger entry and the `bundle.export` audit event are committed in
//! one transaction. A failure at any point leaves neither a bundle nor a record.

use std::collections::{BTreeSet, HashSet};
use std::fs::{self, File};
use std::io::{BufWriter, Read, Seek, Write};
use std::path::{Path, PathBuf};
use std::sync::mpsc;

use ed25519_dalek::Signer as _;
use serde::{Deserialize, Serialize};
use serde_json::json;
use sha2::{Digest, Sha256};
use zeroize::Zeroizing;

use super::manifest::{
    CaseInfo, DisclosureEntry, EscalationEntry, EvidenceEntry, ExportInfo, Generator,
    HealthNotified, HealthRecord, IncidentEntry, ItemVersion, LockerInfo, MANIFEST_FORMAT_VERSION,
    Manifest, OriginEntry, PersonEntry, RedactionEntry, WitnessEntry,
};
use super::pending::remove_any;
use super::{
    CUSTODY, ExportPreview, INCIDENTS_CSV, KEY_PEM, MANIFEST, README, REPORT, ReportRenderer, SUMS,
    SUMS_SIG, VERIFY_HTML, VERIFY_PS1, VERIFY_SH, ascii_name, bundle_stem, key_fingerprint,
    store_uncompressed, sums_text, text,
};
use crate::clock::fmt_time;
use crate::error::{Error, Result};
use crate::evidence::Progress;
use crate::guidance::disclosure::insert_disclosure;
use crate::guidance::escalation::HEALTH_CONCERN_REPORT;
use crate::guidance::{ActionKind, EmployeeInformed, Lang, NewDisclosure, RecipientKind};
use crate::invalid::{Field, Invalid, Item, ItemKind};
use crate::locker::{Locker, sync_dir};
use crate::model::{Case, Evidence, Incident, PersonKind};

const CHUNK: usize = 1 << 20;

/// What to put in a bundle and how the hand-over is recorded.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct ExportOptions {
    /// Only these incidents (local ids); `None`: all of the case's incidents.
    pub incidents: Option<Vec<i64>>,
    /// Who receives the bundle (recorded in the disclosure ledger).
    pub recipient: String,
    /// What kind of recipient.
    pub recipient_kind: RecipientKind,
    /// The legal basis, a key from the list (`varde disclosure bases`).
    pub legal_basis_key: Option<String>,
    /// The legal basis in words (required with `other` or without a key).
    pub legal_basis_text: Option<String>,
    /// The consent it rests on, with the basis `consent`.
    #[serde(default)]
    pub consent_id: Option<i64>,
    /// Whether the threatened employee was told.
    pub employee_informed: EmployeeInformed,
    /// Include the threatened employee's (and witnesses') private contact details.
    pub include_private_contacts: bool,
    /// The report's language.
    pub lang: Lang,
    /// This is an employee's self-log going to their security officer.
    pub self_log: bool,
    /// Evidence items (ids) that go as their latest redacted copy instead of the original;
    /// refused for the police and for a self-log, which get the originals.
    #[serde(default)]
    pub redacted: Vec<i64>,
}

impl ExportOptions {
    /// Where an export starts before the person chooses. From an officer's locker: to the
    /// police, the employee not yet told, the basis left to choose. From a self-log: to the
    /// employer's security officer on the employee's own consent, and the employee is
    /// informed (they are the one sending it). The CLI's defaults and the app's first
    /// choices are these.
    pub fn starting(mode: crate::model::Mode, lang: Lang) -> ExportOptions {
        let self_log = mode == crate::model::Mode::SelfLog;
        ExportOptions {
            incidents: None,
            recipient: if self_log {
                match lang {
                    Lang::Nb => "Sikkerhetsansvarlig",
                    Lang::En => "Security officer",
                }
                .to_string()
            } else {
                String::new()
            },
            recipient_kind: if self_log {
                RecipientKind::Employer
            } else {
                RecipientKind::Police
            },
            legal_basis_key: self_log.then(|| "consent".to_string()),
            legal_basis_text: None,
            consent_id: None,
            employee_informed: if self_log {
                EmployeeInformed::Yes
            } else {
                EmployeeInformed::NotYet
            },
            include_private_contacts: false,
            lang,
            self_log,
            redacted: Vec::new(),
        }
    }
}

/// The outcome of an export.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct Exported {
    /// The bundle written: a `.zip` file or a folder.
    pub path: PathBuf,
    /// SHA-256 of the bundle's `SHA256SUMS` (recorded in the `bundle.export` event).
    pub sha256sums: String,
    /// The signing key's fingerprint.
    pub signing_key_fingerprint: String,
    /// Files in the bundle.
    pub files: usize,
    /// Originals in the bundle.
    pub evidence: usize,
    /// Bytes of originals.
    pub evidence_bytes: u64,
    /// The ledger entry recorded for this export.
    pub disclosure_id: i64,
}

/// Where a bundle is being written.
trait Sink {
    /// Write one file from `src`, hashing it; returns its SHA-256 and size.
    fn put(
        &mut self,
        path: &str,
        store: bool,
        size_hint: u64,
        src: &mut dyn Read,
        progress: &mut dyn FnMut(u64),
    ) -> Result<([u8; 32], u64)>;

    /// Make everything durable.
    fn finish(self: Box<Self>) -> Result<()>;
}

/// Pieces handed from the decrypting thread to the writer.
const PIECE: usize = 256 * 1024;

/// Run `f` over `reader` with the reading (decryption) on a second thread, so decrypting
/// overlaps hashing and writing. Memory: a few pieces in flight.
fn read_ahead<R: Read + Send, T>(
    mut reader: R,
    f: impl FnOnce(&mut dyn Read) -> Result<T>,
) -> Result<T> {
    std::thread::scope(|scope| {
        let (tx, rx) = mpsc::sync_channel::<std::io::Result<Vec<u8>>>(8);
        let (back, spare) = mpsc::channel::<Vec<u8>>();
        scope.spawn(move || {
            loop {
                let mut buf = spare.try_recv().unwrap_or_default();
                buf.resize(PIECE, 0);
                match reader.read(&mut buf) {
                    Ok(0) => break,
                    Ok(n) => {
                        buf.truncate(n);
                        if tx.send(Ok(buf)).is_err() {
                            break;
                        }
                    }
                    Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
                    Err(e) => {
                        let _ = tx.send(Err(e));
                        break;
                    }
                }
            }
        });
        let mut r = ChannelReader {
            rx,
            back,
            cur: Vec::new(),
            pos: 0,
        };
        f(&mut r)
    })
}

struct ChannelReader {
    rx: mpsc::Receiver<std::io::Result<Vec<u8>>>,
    back: mpsc::Sender<Vec<u8>>,
    cur: Vec<u8>,
    pos: usize,
}

impl Read for ChannelReader {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        if self.pos == self.cur.len() {
            match self.rx.recv() {
                Ok(Ok(next)) => {
                    let old = std::mem::replace(&mut self.cur, next);
                    let _ = self.back.send(old);
                    self.pos = 0;
                }
                Ok(Err(e)) => return Err(e),
                Err(_) => return Ok(0),
            }
        }
        let n = buf.len().min(self.cur.len() - self.pos);
        buf[..n].copy_from_slice(&self.cur[self.pos..self.pos + n]);
        self.pos += n;
        Ok(n)
    }
}

fn put_bytes(
    sink: &mut Box<dyn Sink>,
    sums: &mut Vec<(String, String)>,
    name: &str,
    bytes: &[u8],
    store: bool,
) -> Result<()> {
    let (h, _) = sink.put(
        name,
        store,
        bytes.len() as u64,
        &mut &bytes[..],
        &mut |_| {},
    )?;
    sums.push((name.to_string(), hex::encode(h)));
    Ok(())
}

fn copy_hashing(
    src: &mut dyn Read,
    dst: &mut dyn std::io::Write,
    path: &str,
    progress: &mut dyn FnMut(u64),
) -> Result<([u8; 32], u64)> {
    let mut hasher = Sha256::new();
    let mut buf = vec![0u8; CHUNK];
    let mut size = 0u64;
    loop {
        let n = match src.read(&mut buf) {
            Ok(0) => break,
            Ok(n) => n,
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => continue,
            Err(e) => return Err(Error::Integrity(format!("{path}: {e}"))),
        };
        hasher.update(&buf[..n]);
        dst.write_all(&buf[..n])
            .map_err(|e| Error::io("writing", path, e))?;
        size += n as u64;
        progress(n as u64);
    }
    Ok((hasher.finalize().into(), size))
}

struct ZipSink {
    /// `None` once finished.
    zip: Option<zip::ZipWriter<Quiet<BufWriter<File>>>>,
    time: zip::DateTime,
    path: PathBuf,
    /// Set when the sink is dropped unfinished (the export failed).
    dropped: std::sync::Arc<std::sync::atomic::AtomicBool>,
}

impl ZipSink {
    fn new(f: File, time: zip::DateTime, path: PathBuf) -> ZipSink {
        let dropped = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(false));
        ZipSink {
            zip: Some(zip::ZipWriter::new(Quiet {
                inner: BufWriter::with_capacity(CHUNK, f),
                dropped: dropped.clone(),
                pos: 0,
                end: 0,
            })),
            time,
            path,
            dropped,
        }
    }
}

impl Drop for ZipSink {
    fn drop(&mut self) {
        // An unfinished ZipWriter finalises itself when dropped and prints to stderr when
        // that fails. The export failed and its temp file is removed: let the writer
        // finalise into nothing, quietly.
        if self.zip.is_some() {
            self.dropped
                .store(true, std::sync::atomic::Ordering::Relaxed);
        }
    }
}

/// A writer that discards everything once its sink was dropped unfinished, keeping track
/// of the position it would have, so the zip writer's own bookkeeping stays consistent.
struct Quiet<W> {
    inner: W,
    dropped: std::sync::Arc<std::sync::atomic::AtomicBool>,
    pos: u64,
    end: u64,
}

impl<W> Quiet<W> {
    fn quiet(&self) -> bool {
        self.dropped.load(std::sync::atomic::Ordering::Relaxed)
    }

    fn moved(&mut self, pos: u64) {
        self.pos = pos;
        self.end = self.end.max(pos);
    }
}

impl<W: Write> Write for Quiet<W> {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        let n = if self.quiet() {
            buf.len()
        } else {
            self.inner.write(buf)?
        };
        self.moved(self.pos + n as u64);
        Ok(n)
    }

    fn flush(&mut self) -> std::io::Result<()> {
        if self.quiet() {
            return Ok(());
        }
        self.inner.flush()
    }
}

impl<W: Seek> Seek for Quiet<W> {
    fn seek(&mut self, to: std::io::SeekFrom) -> std::io::Result<u64> {
        let pos = if self.quiet() {
            let (base, delta) = match to {
                std::io::SeekFrom::Start(n) => (n, 0),
                std::io::SeekFrom::Current(d) => (self.pos, d),
                std::io::SeekFrom::End(d) => (self.end, d),
            };
            base.checked_add_signed(delta)
                .ok_or_else(|| std::io::Error::other("seek out of range"))?
        } else {
            self.inner.seek(to)?
        };
        self.moved(pos);
        Ok(pos)
    }
}

impl Sink for ZipSink {
    fn put(
        &mut self,
        path: &str,
        store: bool,
        size_hint: u64,
        src: &mut dyn Read,
        progress: &mut dyn FnMut(u64),
    ) -> Result<([u8; 32], u64)> {
        let method = if store {
            zip::CompressionMethod::Stored
        } else {
            zip::CompressionMethod::Deflated
        };
        let mode = if path == VERIFY_SH { 0o755 } else { 0o644 };
        let options = zip::write::SimpleFileOptions::default()
            .compression_method(method)
            .last_modified_time(self.time)
            .unix_permissions(mode)
            .large_file(size_hint >= 0xFFFF_0000);
        let zip = self
            .zip
            .as_mut()
            .ok_or_else(|| Error::Integrity("internal: the bundle was already finished".into()))?;
        zip.start_file(path, options)
            .map_err(|e| zip_error(&self.path, e))?;
        copy_hashing(src, zip, path, progress)
    }

    fn finish(mut self: Box<Self>) -> Result<()> {
        let path = self.path.clone();
        let zip = self
            .zip
            .take()
            .ok_or_else(|| Error::Integrity("internal: the bundle was finished twice".into()))?;
        let w = zip.finish().map_err(|e| zip_error(&path, e))?;
        let f = w
            .inner
            .into_inner()
            .map_err(|e| Error::io("writing", &path, e.into_error()))?;
        f.sync_all().map_err(|e| Error::io("writing", &path, e))
    }
}

fn zip_error(path: &Path, e: zip::result::ZipError) -> Error {
    match e {
        zip::result::ZipError::Io(io) => Error::io("writing", path, io),
        other => Error::io("writing", path, std::io::Error::other(other.to_string())),
    }
}

struct DirSink {
    root: PathBuf,
    dirs: BTreeSet<PathBuf>,
}

impl Sink for DirSink {
    fn put(
        &mut self,
        path: &str,
        _store: bool,
        _size_hint: u64,
        src: &mut dyn Read,
        progress: &mut dyn FnMut(u64),
    ) -> Result<([u8; 32], u64)> {
        let dest = self.root.join(path);
        let parent = dest.parent().unwrap_or(&self.root).to_path_buf();
        crate::locker::create_private_dir(&parent)
            .map_err(|e| Error::io("creating", &parent, e))?;
        self.dirs.insert(parent);
        let f =
            crate::locker::create_new_private(&dest).map_err(|e| Error::io("writing", &dest, e))?;
        let mut w = BufWriter::with_capacity(CHUNK, f);
        let out = copy_hashing(src, &mut w, path, progress)?;
        let f = w
            .into_inner()
            .map_err(|e| Error::io("writing", &dest, e.into_error()))?;
        #[cfg(unix)]
        if path == VERIFY_SH {
            use std::os::unix::fs::PermissionsExt as _;
            let _ = f.set_permissions(fs::Permissions::from_mode(0o755));
        }
        f.sync_all().map_err(|e| Error::io("writing", &dest, e))?;
        Ok(out)
    }

    fn finish(self: Box<Self>) -> Result<()> {
        for d in self.dirs.iter().rev() {
            sync_dir(d).map_err(|e| Error::io("writing", d, e))?;
        }
        sync_dir(&self.root).map_err(|e| Error::io("writing", &self.root, e))
    }
}

/// Where the bundle goes: a zip file or a folder, and its final path.
fn target(out: &Path, stem: &str) -> Result<(PathBuf, bool)> {
    let is_zip = out
        .extension()
        .and_then(|e| e.to_str())
        .is_some_and(|e| e.eq_ignore_ascii_case("zip"));
    let (path, zip) = if is_zip {
        (out.to_path_buf(), true)
    } else if out.is_dir() {
        (out.join(format!("{stem}.zip")), true)
    } else {
        (out.to_path_buf(), false)
    };
    if path.exists() {
        return Err(Error::invalid(Invalid::OutputExists {
            path: crate::error::shorten(&path),
        }));
    }
    crate::evidence::output_parent(&path)?;
    Ok((path, zip))
}

/// How Varde knows health services were notified about a case: a concern report marked
/// done, or a ledger entry to a health recipient (a bundle's `health_notified`, and the
/// police report draft's health section).
pub(crate) fn health_records(
    history: &[crate::guidance::EscalationAction],
    ledger: &[crate::guidance::Disclosure],
) -> Vec<HealthRecord> {
    let mut out: Vec<HealthRecord> = history
        .iter()
        .filter(|a| a.rule_key == HEALTH_CONCERN_REPORT && a.action == ActionKind::Done)
        .map(|a| HealthRecord {
            at: a.acted_at.clone(),
            by: a.acted_by.clone(),
            to: a.with_whom.clone(),
            how: format!("escalation:{}", a.id),
        })
        .collect();
    out.extend(
        ledger
            .iter()
            .filter(|d| d.recipient_kind == RecipientKind::Health)
            .map(|d| HealthRecord {
                at: d.disclosed_at.clone(),
                by: d.disclosed_by.clone(),
                to: Some(d.recipient.clone()),
                how: format!("disclosure:{}", d.id),
            }),
    );
    out
}

/// A hidden temporary name beside `path`, for writing a file and renaming it into place.
pub(crate) fn temp_beside(path: &Path) -> PathBuf {
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| "bundle".into());
    path.with_file_name(format!(".{name}.{}.varde-part", uuid::Uuid::new_v4()))
}

/// The evidence entry's bundle path: `evidence/<incident>/<nn>-<name>`.
/// What the disclosure ledger says an export shared, in one language (the report's):
/// «Bevispakke b.zip: 1 hendelse, 3 originaler».
fn ledger_line(
    lang: Lang,
    bundle: &str,
    incidents: usize,
    originals: usize,
    copies: usize,
) -> String {
    let n = super::text::counted;
    let (mut line, copies_text) = match lang {
        Lang::Nb => (
            format!(
                "Bevispakke {bundle}: {}, {}",
                n(incidents, "hendelse", "hendelser"),
                n(originals, "original", "originaler")
            ),
            n(copies, "sladdet kopi", "sladdede kopier"),
        ),
        Lang::En => (
            format!(
                "Evidence bundle {bundle}: {}, {}",
                n(incidents, "incident", "incidents"),
                n(originals, "original", "originals")
            ),
            n(copies, "redacted copy", "redacted copies"),
        ),
    };
    if copies > 0 {
        line.push_str(", ");
        line.push_str(&copies_text);
    }
    line
}

/// The police and a self-log's officer get the originals, never redacted copies.
fn originals_only(opts: &ExportOptions) -> bool {
    opts.self_log || opts.recipient_kind == RecipientKind::Police
}

/// The items of an export as they go out: each evidence record as it is, or, for an item
/// chosen in `ExportOptions::redacted`, a record of its latest redacted copy (the copy's
/// bytes, size and pixel size; its name `<name>-sladdet.png`) with the copy beside it.
fn outgoing(
    evidence: Vec<Evidence>,
    chosen: &[i64],
    copies: &[crate::redaction::Redaction],
) -> Result<(Vec<Evidence>, Vec<Option<crate::redaction::Redaction>>)> {
    for id in chosen {
        if !evidence.iter().any(|e| e.id == *id) || !copies.iter().any(|r| r.evidence == *id) {
            return Err(Error::invalid(Invalid::NoRedactedCopy {
                item: Item::new(ItemKind::Evidence, id),
            }));
        }
    }
    let mut out = Vec::with_capacity(evidence.len());
    let mut beside = Vec::with_capacity(evidence.len());
    for e in evidence {
        match copies
            .iter()
            .find(|r| r.evidence == e.id && chosen.contains(&e.id))
        {
            None => {
                out.push(e);
                beside.push(None);
            }
            Some(r) => {
                let stem = e
                    .original_name
                    .rsplit_once('.')
                    .map_or(e.original_name.as_str(), |(s, _)| s);
                out.push(Evidence {
                    sha256: r.sha256.clone(),
                    size: r.size,
                    media_type: crate::redaction::REDACTED_MEDIA_TYPE.into(),
                    original_name: format!("{stem}-sladdet.png"),
                    width: Some(r.width),
                    height: Some(r.height),
                    ..e
                });
                beside.push(Some(r.clone()));
            }
        }
    }
    Ok((out, beside))
}

fn evidence_paths(incidents: &[Incident], evidence: &[Evidence]) -> Vec<String> {
    let mut out = Vec::with_capacity(evidence.len());
    let mut used = HashSet::new();
    for inc in incidents {
        let items: Vec<usize> = (0..evidence.len())
            .filter(|&i| evidence[i].incident == inc.id)
            .collect();
        let width = items.len().to_string().len().max(2);
        for (n, &i) in items.iter().enumerate() {
            let mut p = format!(
                "evidence/{}/{:0width$}-{}",
                inc.id,
                n + 1,
                ascii_name(&evidence[i].original_name, 80)
            );
            while !used.insert(p.clone()) {
                p.push('_');
            }
            out.push((i, p));
        }
    }
    out.sort_by_key(|(i, _)| *i);
    out.into_iter().map(|(_, p)| p).collect()
}

impl Locker {
    /// An export's starting choices for this locker ([`ExportOptions::starting`]).
    pub fn export_defaults(&self, lang: Lang) -> Result<ExportOptions> {
        Ok(ExportOptions::starting(self.mode()?, lang))
    }

    /// `ExportOptions::self_log` must say what this locker is: a self-log's log goes only
    /// to its security officer, and an officer's case never goes as a self-log.
    fn check_self_log(&self, opts: &ExportOptions) -> Result<()> {
        match (self.mode()? == crate::model::Mode::SelfLog, opts.self_log) {
            (true, false) => Err(Error::invalid(Invalid::IsSelfLog)),
            (false, true) => Err(Error::invalid(Invalid::NotSelfLog)),
            _ => Ok(()),
        }
    }

    /// The self-log's one case ("Meg"), created at first need. Only in a self-log locker.
    pub fn self_log_case(&mut self) -> Result<Case> {
        if self.mode()? != crate::model::Mode::SelfLog {
            return Err(Error::invalid(Invalid::NotSelfLog));
        }
        let existing = self.list_cases(&crate::cases::CaseFilter::default())?;
        if let Some(c) = existing.into_iter().min_by_key(|c| c.id) {
            return Ok(c);
        }
        self.create_case("Meg", "Min egen logg / my own log")
    }

    /// The signing key, checked against its recorded public half.
    pub(crate) fn signing_key(&self) -> Result<ed25519_dalek::SigningKey> {
        let secret = Zeroizing::new(
            self.setting("signing_key")?
                .ok_or_else(|| Error::Integrity("the locker has no signing key".into()))?,
        );
        let mut bytes = Zeroizing::new([0u8; 32]);
        hex::decode_to_slice(secret.as_str(), bytes.as_mut())
            .map_err(|_| Error::Integrity("the locker's signing key is damaged".into()))?;
        let key = ed25519_dalek::SigningKey::from_bytes(&bytes);
        let public = self.setting("signing_public_key")?.unwrap_or_default();
        if hex::encode(key.verifying_key().as_bytes()) != public {
            return Err(Error::Integrity(
                "the locker's signing key does not match its public key".into(),
            ));
        }
        Ok(key)
    }

    /// The file name an export of this case gets today: `<reference>_<yyyy-mm-dd>.zip`.
    pub fn bundle_file_name(&self, case_ref: &str) -> Result<String> {
        let case = self.case(case_ref)?;
        Ok(format!(
            "{}.zip",
            bundle_stem(&case.reference, self.clock.now().date_naive())
        ))
    }

    /// The fingerprint of this locker's signing key (SHA-256 of the raw public key, hex).
    pub fn signing_key_fingerprint(&self) -> Result<String> {
        Ok(key_fingerprint(
            self.signing_key()?.verifying_key().as_bytes(),
        ))
    }

    /// The incidents an export takes (all of the case, or those chosen, checked to be in
    /// it) and their evidence; also every incident of the case.
    pub(crate) fn export_selection(
        &self,
        case: &Case,
        chosen: &Option<Vec<i64>>,
    ) -> Result<(Vec<Incident>, Vec<Incident>, Vec<Evidence>)> {
        self.export_selection_with(case, chosen, &[], false)
            .map(|(all, incidents, evidence, _)| (all, incidents, evidence))
    }

    /// [`Self::export_selection`], with the items chosen to go as their redacted copy
    /// swapped for them (refused when `originals_only`: the police and a self-log get the
    /// originals). The copies stand beside the items, in order.
    #[allow(clippy::type_complexity)]
    fn export_selection_with(
        &self,
        case: &Case,
        chosen: &Option<Vec<i64>>,
        redacted: &[i64],
        originals_only: bool,
    ) -> Result<(
        Vec<Incident>,
        Vec<Incident>,
        Vec<Evidence>,
        Vec<Option<crate::redaction::Redaction>>,
    )> {
        if originals_only && !redacted.is_empty() {
            return Err(Error::invalid(Invalid::RedactedNotForRecipient));
        }
        let (all, incidents, evidence) = self.export_selection_plain(case, chosen)?;
        let copies = if redacted.is_empty() {
            Vec::new()
        } else {
            self.case_redactions(&case.reference)?
        };
        let (evidence, beside) = outgoing(evidence, redacted, &copies)?;
        Ok((all, incidents, evidence, beside))
    }

    fn export_selection_plain(
        &self,
        case: &Case,
        chosen: &Option<Vec<i64>>,
    ) -> Result<(Vec<Incident>, Vec<Incident>, Vec<Evidence>)> {
        let all = self.list_incidents(&case.reference)?;
        let incidents: Vec<Incident> = match chosen {
            None => all.clone(),
            Some(ids) => {
                if ids.is_empty() {
                    return Err(Error::invalid(Invalid::NoIncidents));
                }
                for id in ids {
                    if !all.iter().any(|i| i.id == *id) {
                        return Err(Error::invalid(Invalid::NotInCase {
                            field: Field::Incidents,
                            item: Item::new(ItemKind::Incident, id),
                            case: case.reference.clone(),
                        }));
                    }
                }
                all.iter()
                    .filter(|i| ids.contains(&i.id))
                    .cloned()
                    .collect()
            }
        };
        let included: HashSet<i64> = incidents.iter().map(|i| i.id).collect();
        let evidence: Vec<Evidence> = self
            .list_evidence(&case.reference, None)?
            .into_iter()
            .filter(|e| included.contains(&e.incident))
            .collect();
        Ok((all, incidents, evidence))
    }

    /// What an export with `opts` would hold, before anything is written: the files of
    /// the bundle, the number and size of the originals, the persons it names, and the
    /// manifest its report is made from (for a preview of the report's first page). The
    /// recipient and the legal basis are not checked here; the export checks them.
    pub fn export_preview(&self, case_ref: &str, opts: &ExportOptions) -> Result<ExportPreview> {
        self.check_self_log(opts)?;
        let case = self.case(case_ref)?;
        let guidance = self.guidance()?;
        let now = self.clock.now();
        let stem = bundle_stem(&case.reference, now.date_naive());
        let bundle_name = format!("{stem}.zip");
        let (all, incidents, evidence, copies) = self.export_selection_with(
            &case,
            &opts.incidents,
            &opts.redacted,
            originals_only(opts),
        )?;
        let paths = evidence_paths(&incidents, &evidence);
        let n_copies = copies.iter().flatten().count();
        let shared = ledger_line(
            opts.lang,
            &bundle_name,
            incidents.len(),
            evidence.len() - n_copies,
            n_copies,
        );
        let public = self.signing_key()?.verifying_key();
        let fingerprint = key_fingerprint(public.as_bytes());
        let manifest = self.build_manifest(
            &case,
            opts,
            &incidents,
            Items {
                evidence: &evidence,
                copies: &copies,
                paths: &paths,
            },
            ManifestBits {
                created_at: fmt_time(&now),
                bundle_name: bundle_name.clone(),
                fingerprint: fingerprint.clone(),
                public_hex: hex::encode(public.as_bytes()),
                all_incidents: incidents.len() == all.len(),
                shared,
                guidance: &guidance,
            },
        )?;
        Ok(ExportPreview {
            bundle_name,
            files: [
                REPORT,
                README,
                INCIDENTS_CSV,
                CUSTODY,
                MANIFEST,
                KEY_PEM,
                SUMS,
                SUMS_SIG,
                VERIFY_SH,
                VERIFY_PS1,
                VERIFY_HTML,
            ]
            .map(String::from)
            .to_vec(),
            incidents: incidents.len(),
            all_incidents: all.len(),
            originals: evidence.len() - n_copies,
            redacted_copies: n_copies,
            originals_bytes: evidence.iter().map(|e| e.size).sum(),
            persons: manifest.persons.len(),
            private_contacts: opts.include_private_contacts,
            fingerprint,
            manifest,
        })
    }

    /// Write the evidence bundle of a case to `out`: a `.zip` path, an existing directory
    /// (the zip is named `<case-reference>_<yyyy-mm-dd>.zip` in it), or a new path without
    /// `.zip` (the same tree as a folder). The export is a disclosure: the ledger entry and
    /// the `bundle.export` audit event are recorded with it, in one transaction.
    pub fn export_bundle(
        &mut self,
        case_ref: &str,
        opts: &ExportOptions,
        out: &Path,
        renderer: &dyn ReportRenderer,
        progress: &mut dyn FnMut(Progress),
    ) -> Result<Exported> {
        self.check_self_log(opts)?;
        let case = self.case(case_ref)?;
        let guidance = self.guidance()?;
        let now = self.clock.now();
        let stem = bundle_stem(&case.reference, now.date_naive());
        let (final_path, as_zip) = target(out, &stem)?;
        let bundle_name = final_path
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_else(|| stem.clone());

        let (all, incidents, evidence, copies) = self.export_selection_with(
            &case,
            &opts.incidents,
            &opts.redacted,
            originals_only(opts),
        )?;
        let paths = evidence_paths(&incidents, &evidence);
        // What Varde reads from each original goes with it; read now what was not read yet
        // (an item imported from a bundle, or one stored by an older Varde). A redacted
        // copy goes without it.
        for (e, copy) in evidence.iter().zip(&copies) {
            if copy.is_none() {
                self.read_evidence(e.id)?;
            }
        }
        let redaction_ids: Vec<i64> = copies.iter().flatten().map(|r| r.id).collect();

        let incident_ids: Vec<i64> = incidents.iter().map(|i| i.id).collect();
        let evidence_ids: Vec<i64> = evidence.iter().map(|e| e.id).collect();
        let shared = ledger_line(
            opts.lang,
            &bundle_name,
            incidents.len(),
            evidence.len() - redaction_ids.len(),
            redaction_ids.len(),
        );
        let mut checked = self.check_disclosure(
            &guidance,
            &case,
            NewDisclosure {
                recipient: opts.recipient.clone(),
                recipient_kind: opts.recipient_kind,
                shared: shared.clone(),
                incident_ids: incident_ids.clone(),
                evidence_ids: evidence_ids.clone(),
                person_ids: self
                    .list_persons(&case.reference)?
                    .iter()
                    .map(|p| p.id)
                    .collect(),
                legal_basis_key: opts.legal_basis_key.clone(),
                legal_basis_text: opts.legal_basis_text.clone(),
                consent_id: opts.consent_id,
                employee_informed: opts.employee_informed,
                when: None,
                by: None,
            },
        )?;

        checked.redaction_ids = redaction_ids.clone();
        let signing = self.signing_key()?;
        let public = signing.verifying_key();
        let fingerprint = key_fingerprint(public.as_bytes());
        let pem = super::public_key_pem(&public)?;

        let manifest = self.build_manifest(
            &case,
            opts,
            &incidents,
            Items {
                evidence: &evidence,
                copies: &copies,
                paths: &paths,
            },
            ManifestBits {
                created_at: fmt_time(&now),
                bundle_name: bundle_name.clone(),
                fingerprint: fingerprint.clone(),
                public_hex: hex::encode(public.as_bytes()),
                all_incidents: incidents.len() == all.len(),
                shared,
                guidance: &guidance,
            },
        )?;

        // The report first: whatever rendering needs is freed before the originals stream,
        // and a report that fails leaves nothing written.
        let pdf = {
            let mut originals = |sha: &str| -> Result<Vec<u8>> {
                let e = evidence
                    .iter()
                    .find(|e| e.sha256 == sha)
                    .ok_or_else(|| Error::not_found(crate::invalid::ItemKind::Original, sha))?;
                let mut bytes = Vec::with_capacity(e.size as usize);
                self.open_blob(&e.sha256, &format!("evidence {}", e.id))?
                    .read_to_end(&mut bytes)
                    .map_err(|err| Error::Integrity(format!("evidence {}: {err}", e.id)))?;
                Ok(bytes)
            };
            renderer.render(&manifest, &mut originals, opts.lang.as_str())?
        };

        let tmp = temp_beside(&final_path);
        let pending = self.begin_export(&tmp, &final_path, &bundle_name)?;
        let written = (|| -> Result<(String, usize)> {
            let mut sink: Box<dyn Sink> = if as_zip {
                let f = crate::locker::create_new_private(&tmp)
                    .map_err(|e| Error::io("writing", &tmp, e))?;
                let (y, mo, d, h, mi, s) = {
                    use chrono::{Datelike, Timelike};
                    (
                        now.year(),
                        now.month(),
                        now.day(),
                        now.hour(),
                        now.minute(),
                        now.second(),
                    )
                };
                let time = zip::DateTime::from_date_and_time(
                    u16::try_from(y).unwrap_or(1980),
                    mo as u8,
                    d as u8,
                    h as u8,
                    mi as u8,
                    s as u8,
                )
                .unwrap_or_default();
                Box::new(ZipSink::new(f, time, final_path.clone()))
            } else {
                fs::create_dir(&tmp).map_err(|e| Error::io("creating", &tmp, e))?;
                Box::new(DirSink {
                    root: tmp.clone(),
                    dirs: BTreeSet::new(),
                })
            };
            let mut sums: Vec<(String, String)> = Vec::new();
            let manifest_json = serde_json::to_string_pretty(&manifest)
                .map_err(|e| Error::Integrity(format!("the manifest cannot be written: {e}")))?
                + "\n";
            put_bytes(
                &mut sink,
                &mut sums,
                README,
                text::readme(&manifest).as_bytes(),
                false,
            )?;
            put_bytes(
                &mut sink,
                &mut sums,
                MANIFEST,
                manifest_json.as_bytes(),
                false,
            )?;
            put_bytes(
                &mut sink,
                &mut sums,
                INCIDENTS_CSV,
                text::incidents_csv(&manifest).as_bytes(),
                false,
            )?;
            put_bytes(
                &mut sink,
                &mut sums,
                CUSTODY,
                text::custody_jsonl(&manifest.custody).as_bytes(),
                false,
            )?;
            put_bytes(&mut sink, &mut sums, KEY_PEM, pem.as_bytes(), false)?;
            put_bytes(
                &mut sink,
                &mut sums,
                VERIFY_SH,
                text::verify_sh(&manifest).as_bytes(),
                false,
            )?;
            put_bytes(
                &mut sink,
                &mut sums,
                VERIFY_PS1,
                text::verify_ps1(&manifest).as_bytes(),
                false,
            )?;
            put_bytes(
                &mut sink,
                &mut sums,
                VERIFY_HTML,
                text::verify_html(&manifest).as_bytes(),
                false,
            )?;
            put_bytes(&mut sink, &mut sums, REPORT, &pdf, true)?;

            let total: u64 = evidence.iter().map(|e| e.size).sum();
            let mut done = 0u64;
            progress(Progress { done, total });
            for (e, path) in evidence.iter().zip(&paths) {
                let reader = self.open_blob(&e.sha256, &format!("evidence {}", e.id))?;
                let (h, size) = read_ahead(reader, |r| {
                    sink.put(
                        path,
                        store_uncompressed(&e.media_type),
                        e.size,
                        r,
                        &mut |n| {
                            done += n;
                            progress(Progress { done, total });
                        },
                    )
                })?;
                if hex::encode(h) != e.sha256 || size != e.size {
                    return Err(Error::Integrity(format!(
                        "evidence {}: the stored original does not match its SHA-256; run `varde verify`",
                        e.id
                    )));
                }
                sums.push((path.clone(), e.sha256.clone()));
            }

            let sums_text = sums_text(&sums);
            let sums_hash = hex::encode(Sha256::digest(sums_text.as_bytes()));
            let sig = signing.sign(sums_text.as_bytes()).to_bytes();
            let mut none = |_: u64| {};
            sink.put(
                SUMS,
                false,
                sums_text.len() as u64,
                &mut sums_text.as_bytes(),
                &mut none,
            )?;
            sink.put(SUMS_SIG, true, 64, &mut &sig[..], &mut none)?;
            sink.finish()?;
            Ok((sums_hash, sums.len() + 2))
        })();
        let (sums_hash, files) = match written {
            Ok(v) => v,
            Err(e) => {
                remove_any(&tmp);
                self.abandon_export(pending, &e);
                return Err(e);
            }
        };
        if let Err(e) = fs::rename(&tmp, &final_path) {
            remove_any(&tmp);
            let e = Error::io("writing", &final_path, e);
            self.abandon_export(pending, &e);
            return Err(e);
        }
        let parent = final_path.parent().unwrap_or(Path::new("."));
        let _ = sync_dir(if parent.as_os_str().is_empty() {
            Path::new(".")
        } else {
            parent
        });
        let evidence_bytes: u64 = evidence.iter().map(|e| e.size).sum();
        let recorded = self.write(|w| {
            pending.complete(w)?;
            let id = insert_disclosure(w, &case, &checked)?;
            w.audit(
                "bundle.export",
                &format!("case:{}", case.reference),
                json!({
                    "bundle": bundle_name,
                    "sha256sums": sums_hash,
                    "signing_key_fingerprint": fingerprint,
                    "disclosure_id": id,
                    "format_version": MANIFEST_FORMAT_VERSION,
                    "incident_ids": incident_ids,
                    "evidence_ids": evidence_ids,
                    "redaction_ids": redaction_ids,
                    "files": files,
                    "self_log": opts.self_log,
                    "private_contacts_included": opts.include_private_contacts,
                }),
            )?;
            Ok(id)
        });
        let disclosure_id = match recorded {
            Ok(id) => id,
            Err(e) => {
                remove_any(&final_path);
                self.abandon_export(pending, &e);
                return Err(e);
            }
        };
        Ok(Exported {
            path: final_path,
            sha256sums: sums_hash,
            signing_key_fingerprint: fingerprint,
            files,
            evidence: evidence.len(),
            evidence_bytes,
            disclosure_id,
        })
    }

    fn build_manifest(
        &self,
        case: &Case,
        opts: &ExportOptions,
        incidents: &[Incident],
        items: Items<'_>,
        bits: ManifestBits<'_>,
    ) -> Result<Manifest> {
        let Items {
            evidence,
            copies,
            paths,
        } = items;
        let persons = self
            .list_persons(&case.reference)?
            .into_iter()
            .map(|p| {
                let threat_actor = p.kind == PersonKind::ThreatActor;
                let employee = p.kind == PersonKind::Employee;
                PersonEntry {
                    id: p.id,
                    uid: p.uid,
                    kind: p.kind,
                    name: p.name,
                    known: p.known,
                    title: if employee || threat_actor {
                        p.title
                    } else {
                        None
                    },
                    department: if employee || threat_actor {
                        p.department
                    } else {
                        None
                    },
                    contacts: p
                        .contacts
                        .into_iter()
                        .filter(|c| threat_actor || !c.private || opts.include_private_contacts)
                        .collect(),
                    aliases: if threat_actor { p.aliases } else { Vec::new() },
                    home_municipality: if threat_actor {
                        p.home_municipality
                    } else {
                        None
                    },
                    health_concern: threat_actor && p.health_concern,
                    health_observations: if threat_actor {
                        p.health_observations
                    } else {
                        String::new()
                    },
                }
            })
            .collect();
        let incident_entries = incidents
            .iter()
            .map(|i| IncidentEntry {
                id: i.id,
                uid: i.uid.clone(),
                version: i.version,
                occurred_local: i.occurred_local.clone(),
                occurred_tz: i.occurred_tz.clone(),
                occurred_utc: i.occurred_utc.clone(),
                precision: i.precision,
                place: i.place.clone(),
                place_kind: i.place_kind,
                channel: i.channel,
                platform: i.platform.clone(),
                sender: i.sender.clone(),
                description: i.description.clone(),
                wording: i.wording.clone(),
                perceived: i.perceived.clone(),
                targets_individuals: i.targets_individuals,
                ongoing_emergency: i.ongoing_emergency,
                actor: i.actor_id,
                witnesses: i
                    .witnesses
                    .iter()
                    .map(|w| WitnessEntry {
                        person: w.person,
                        name: w.name.clone(),
                    })
                    .collect(),
                logged_at: i.logged_at.clone(),
                logged_by: i.logged_by.clone(),
                logged_by_role: i.logged_by_role,
                source: i.source.clone(),
            })
            .collect();
        // A photo's position goes only to the police; for anyone else the reading in the
        // manifest and the report leave it out (the original itself is unchanged).
        let gps_included = opts.recipient_kind == RecipientKind::Police;
        let mut evidence_entries = Vec::with_capacity(evidence.len());
        for ((e, path), copy) in evidence.iter().zip(paths).zip(copies) {
            let redaction = match copy {
                None => None,
                Some(r) => {
                    let original = self.evidence(e.id)?;
                    Some(RedactionEntry {
                        uid: r.uid.clone(),
                        original_sha256: original.sha256,
                        original_size: original.size,
                        original_name: original.original_name,
                        regions: r.regions.clone(),
                        made_at: r.made_at.clone(),
                        made_by: r.made_by.clone(),
                    })
                }
            };
            evidence_entries.push(EvidenceEntry {
                id: e.id,
                uid: e.uid.clone(),
                incident: e.incident,
                path: path.clone(),
                sha256: e.sha256.clone(),
                size: e.size,
                media_type: e.media_type.clone(),
                original_name: e.original_name.clone(),
                acquired_at: e.acquired_at.clone(),
                acquired_by: e.acquired_by.clone(),
                source: e.source,
                width: e.width,
                height: e.height,
                thread_platform: e.thread_platform.clone(),
                thread_id: e.thread_id.clone(),
                thread_seq: e.thread_seq,
                whole_thread: e.whole_thread,
                note: e.note.clone(),
                origin: self.evidence_origin(e.id)?,
                attachment_of: e.attachment_of.clone(),
                version: if redaction.is_some() {
                    ItemVersion::Redacted
                } else {
                    ItemVersion::Original
                },
                // What Varde read from the original (its EXIF, its text) does not go with a
                // redacted copy.
                derived: if redaction.is_some() {
                    None
                } else {
                    self.stored_reading(e.id)?
                }
                .map(|mut r| {
                    if !gps_included
                        && let crate::derived::Content::Read(d) = &mut r.content
                        && let varde_read::Derived::Image(i) = d.as_mut()
                    {
                        i.gps = None;
                    }
                    r
                }),
                redaction,
            });
        }
        let history = self.escalation_history(&case.reference)?;
        let escalations = history
            .iter()
            .map(|a| EscalationEntry {
                rule_key: a.rule_key.clone(),
                title: bits.guidance.rule(&a.rule_key).map(|r| r.title.clone()),
                action: a.action,
                acted_at: a.acted_at.clone(),
                acted_by: a.acted_by.clone(),
                with_whom: a.with_whom.clone(),
                reference: a.reference.clone(),
                reason: a.reason.clone(),
                deferred_until: a.deferred_until.clone(),
                note: a.note.clone(),
            })
            .collect();
        let ledger = self.disclosures(&case.reference)?;
        let health = health_records(&history, &ledger);
        let legal_basis_key = opts
            .legal_basis_key
            .as_deref()
            .map(str::trim)
            .filter(|k| !k.is_empty())
            .map(str::to_string);
        let legal_basis_label = legal_basis_key
            .as_deref()
            .and_then(|k| bits.guidance.basis(k))
            .map(|b| b.label.clone());
        let legal_basis_text = opts
            .legal_basis_text
            .as_deref()
            .unwrap_or("")
            .trim()
            .to_string();
        let recipient = opts.recipient.trim().to_string();
        let mut disclosures: Vec<DisclosureEntry> = ledger
            .into_iter()
            .map(|d| DisclosureEntry {
                uid: Some(d.uid),
                this_export: false,
                recipient: d.recipient,
                recipient_kind: d.recipient_kind,
                shared: d.shared,
                incident_ids: d.incident_ids,
                evidence_ids: d.evidence_ids,
                legal_basis_key: d.legal_basis_key,
                legal_basis_label: d.legal_basis_label,
                legal_basis_text: d.legal_basis_text,
                employee_informed: d.employee_informed,
                disclosed_at: d.disclosed_at,
                disclosed_by: d.disclosed_by,
            })
            .collect();
        disclosures.push(DisclosureEntry {
            uid: None,
            this_export: true,
            recipient: recipient.clone(),
            recipient_kind: opts.recipient_kind,
            shared: bits.shared.clone(),
            incident_ids: incidents.iter().map(|i| i.id).collect(),
            evidence_ids: evidence.iter().map(|e| e.id).collect(),
            legal_basis_key: legal_basis_key.clone(),
            legal_basis_label: legal_basis_label.clone(),
            legal_basis_text: legal_basis_text.clone(),
            employee_informed: opts.employee_informed,
            disclosed_at: bits.created_at.clone(),
            disclosed_by: self.actor.clone(),
        });

        let included: HashSet<String> = incidents
            .iter()
            .map(|i| format!("incident:{}", i.id))
            .chain(evidence.iter().map(|e| format!("evidence:{}", e.id)))
            .chain(std::iter::once(format!("case:{}", case.reference)))
            .collect();
        let all_events = self.audit_log(None)?;
        let head_seq = all_events.last().map(|e| e.seq).unwrap_or(0);
        let custody = all_events
            .into_iter()
            .filter(|e| e.action == "locker.init" || included.contains(&e.subject))
            .collect();

        Ok(Manifest {
            format_version: MANIFEST_FORMAT_VERSION,
            generator: Generator {
                name: "varde".into(),
                version: env!("CARGO_PKG_VERSION").into(),
            },
            created_at: bits.created_at,
            lang: opts.lang.as_str().into(),
            locker: LockerInfo {
                id: self.locker_id().to_string(),
                mode: self.mode()?,
                signing_public_key: bits.public_hex,
                signing_key_fingerprint: bits.fingerprint,
            },
            organisation: self.setting("org_name")?.unwrap_or_default(),
            officer: self.actor.clone(),
            export: ExportInfo {
                recipient,
                recipient_kind: opts.recipient_kind,
                legal_basis_key,
                legal_basis_label,
                legal_basis_text,
                employee_informed: opts.employee_informed,
                private_contacts_included: opts.include_private_contacts,
                all_incidents: bits.all_incidents,
                self_log: opts.self_log,
                gps_included: opts.recipient_kind == RecipientKind::Police,
                bundle_name: bits.bundle_name,
                custody_head_seq: head_seq,
            },
            case: CaseInfo {
                uid: case.uid.clone(),
                reference: case.reference.clone(),
                title: case.title.clone(),
                status: case.status,
                opened_at: case.opened_at.clone(),
                closed_at: case.closed_at.clone(),
            },
            persons,
            incidents: incident_entries,
            evidence: evidence_entries,
            escalations,
            health_notified: HealthNotified {
                notified: !health.is_empty(),
                records: health,
            },
            disclosures,
            custody,
        })
    }

    /// Where an imported original came from, if it was imported.
    pub(crate) fn evidence_origin(&self, evidence_id: i64) -> Result<Option<OriginEntry>> {
        use rusqlite::OptionalExtension as _;
        Ok(self
            .conn
            .query_row(
                "SELECT o.source_locker_id, o.source_uid, i.sha256sums FROM evidence_origins o
                 JOIN bundle_imports i ON i.id = o.import_id WHERE o.evidence_id = ?1",
                [evidence_id],
                |r| {
                    Ok(OriginEntry {
                        locker_id: r.get(0)?,
                        uid: r.get(1)?,
                        bundle_sha256sums: r.get(2)?,
                    })
                },
            )
            .optional()?)
    }
}

/// The items going out: each record, its redacted copy when that goes instead, and its
/// path in the bundle (the three lists are in step).
struct Items<'a> {
    evidence: &'a [Evidence],
    copies: &'a [Option<crate::redaction::Redaction>],
    paths: &'a [String],
}

struct ManifestBits<'g> {
    created_at: String,
    bundle_name: String,
    fingerprint: String,
    public_hex: String,
    all_incidents: bool,
    shared: String,
    guidance: &'g crate::guidance::Guidance,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_ledger_line_is_in_one_language_with_plurals_by_rule() {
        assert_eq!(
            ledger_line(Lang::Nb, "b.zip", 1, 1, 0),
            "Bevispakke b.zip: 1 hendelse, 1 original"
        );
        assert_eq!(
            ledger_line(Lang::Nb, "b.zip", 3, 7, 0),
            "Bevispakke b.zip: 3 hendelser, 7 originaler"
        );
        assert_eq!(
            ledger_line(Lang::En, "b.zip", 1, 0, 0),
            "Evidence bundle b.zip: 1 incident, 0 originals"
        );
        assert_eq!(
            ledger_line(Lang::En, "b.zip", 2, 1, 0),
            "Evidence bundle b.zip: 2 incidents, 1 original"
        );
        assert_eq!(
            ledger_line(Lang::Nb, "b.zip", 1, 2, 1),
            "Bevispakke b.zip: 1 hendelse, 2 originaler, 1 sladdet kopi"
        );
        assert_eq!(
            ledger_line(Lang::En, "b.zip", 1, 0, 3),
            "Evidence bundle b.zip: 1 incident, 0 originals, 3 redacted copies"
        );
    }
}
