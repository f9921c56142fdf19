//! Checking a bundle without a locker: [`verify_bundle`].

use std::collections::{BTreeMap, HashMap};
use std::io::Read;
use std::path::Path;

use ed25519_dalek::pkcs8::DecodePublicKey as _;
use serde::{Deserialize, Serialize};
use serde_json::Value;
use sha2::{Digest, Sha256};

use super::manifest::{MANIFEST_FORMAT_VERSION, MANIFEST_FORMAT_VERSIONS_READ, Manifest};
use super::source::{Entry, Source};
use super::{
    CUSTODY, INCIDENTS_CSV, KEY_PEM, MANIFEST, README, REPORT, SUMS, SUMS_SIG, key_fingerprint,
    unsafe_path,
};
use crate::audit::AuditEvent;
use crate::error::Result;
use crate::verify::{Problem, ProblemKind};

/// Small files are read whole, up to this size.
const SMALL_MAX: u64 = 64 << 20;

/// What [`verify_bundle`] found.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct BundleReport {
    /// Files hashed.
    pub files_checked: usize,
    /// Bytes hashed.
    pub bytes_checked: u64,
    /// The manifest's format version, if it could be read.
    pub format_version: Option<u32>,
    /// The case reference, from the manifest.
    pub case_reference: Option<String>,
    /// The id of the locker that made the bundle, from the manifest (to look up whether
    /// its key is the one earlier bundles from it had: `Locker::key_status`).
    pub source_locker_id: Option<String>,
    /// The fingerprint of the bundled signing key.
    pub signing_key_fingerprint: Option<String>,
    /// The signature over `SHA256SUMS` checks out with the bundled key.
    pub signature_valid: bool,
    /// SHA-256 of `SHA256SUMS`.
    pub sha256sums: Option<String>,
    /// Originals listed in the manifest.
    pub evidence: usize,
    /// Custody events checked.
    pub custody_events: usize,
    /// Everything that does not hold; empty when all is well.
    pub problems: Vec<Problem>,
}

impl BundleReport {
    /// True when nothing is wrong.
    pub fn ok(&self) -> bool {
        self.problems.is_empty()
    }

    fn problem(&mut self, kind: ProblemKind, item: impl Into<String>, message: impl Into<String>) {
        self.problems.push(Problem {
            kind,
            item: item.into(),
            message: message.into(),
        });
    }
}

/// A bundle that verified, with what an import needs.
pub(crate) struct Verified {
    pub manifest: Manifest,
    pub sums: BTreeMap<String, String>,
    pub entries: Vec<Entry>,
    pub source: Source,
}

/// Check a bundle (a zip file or an unpacked folder) the way the police would — every line
/// of `SHA256SUMS`, the Ed25519 signature with the bundled key — and more: the manifest's
/// format version, its evidence against the files, the custody chain's hashes. Needs no
/// locker and no passphrase. Every problem is named; `Err` only when `path` is unreadable.
///
/// A path that does not exist or cannot be read is an error (`file_missing`,
/// `file_permission`), not a report: "could not read the file" and "the bundle failed its
/// checks" are different outcomes, and only the second says anything about the bundle.
pub fn verify_bundle(path: &Path) -> Result<BundleReport> {
    readable(path)?;
    Ok(check(path).0)
}

/// Refuse a path that cannot be read, with the reason, before it is checked as a bundle.
pub(crate) fn readable(path: &Path) -> Result<()> {
    use crate::invalid::Invalid;
    let refused = |e: std::io::Error| {
        let path_shown = crate::error::shorten(path);
        match e.kind() {
            std::io::ErrorKind::NotFound => {
                crate::Error::invalid(Invalid::FileMissing { path: path_shown })
            }
            std::io::ErrorKind::PermissionDenied => {
                crate::Error::invalid(Invalid::FilePermission { path: path_shown })
            }
            _ => crate::Error::io("reading", path, e),
        }
    };
    let meta = std::fs::metadata(path).map_err(refused)?;
    if meta.is_file() {
        std::fs::File::open(path).map_err(refused)?;
    } else if meta.is_dir() {
        std::fs::read_dir(path).map_err(refused)?;
    }
    Ok(())
}

/// Parse `SHA256SUMS`; problems go to the report.
fn parse_sums(text: &str, report: &mut BundleReport) -> BTreeMap<String, String> {
    let mut sums = BTreeMap::new();
    for (n, line) in text.split_terminator('\n').enumerate() {
        let item = format!("{SUMS} line {}", n + 1);
        let Some((hash, path)) = line.split_once("  ") else {
            report.problem(ProblemKind::Malformed, item, "is not \"<sha256>  <path>\"");
            continue;
        };
        if hash.len() != 64 || !hash.bytes().all(|b| b.is_ascii_hexdigit()) {
            report.problem(
                ProblemKind::Malformed,
                item,
                "does not start with a SHA-256 in hex",
            );
            continue;
        }
        if let Some(why) = unsafe_path(path) {
            report.problem(
                ProblemKind::UnsafePath,
                item,
                format!("the path {path:?} {why}"),
            );
            continue;
        }
        if path == SUMS || path == SUMS_SIG {
            report.problem(
                ProblemKind::Malformed,
                item,
                format!("lists {path}, which cannot list itself"),
            );
            continue;
        }
        if sums
            .insert(path.to_string(), hash.to_ascii_lowercase())
            .is_some()
        {
            report.problem(
                ProblemKind::Duplicate,
                item,
                format!("lists {path} a second time (duplicate path)"),
            );
        }
    }
    sums
}

pub(crate) fn check(path: &Path) -> (BundleReport, Option<Verified>) {
    let mut report = BundleReport::default();
    let (mut source, entries) = match Source::open(path) {
        Ok(v) => v,
        Err(problems) => {
            for p in problems {
                report.problem(ProblemKind::NotABundle, "bundle", p);
            }
            return (report, None);
        }
    };
    let by_name: HashMap<&str, &Entry> = entries.iter().map(|e| (e.name.as_str(), e)).collect();
    for required in [
        SUMS,
        SUMS_SIG,
        KEY_PEM,
        MANIFEST,
        CUSTODY,
        REPORT,
        README,
        INCIDENTS_CSV,
    ] {
        if !by_name.contains_key(required) {
            report.problem(ProblemKind::Missing, required, "is missing");
        }
    }
    let mut read = |name: &str, report: &mut BundleReport| -> Option<Vec<u8>> {
        let e = by_name.get(name)?;
        match source.read_small(e, SMALL_MAX) {
            Ok(b) => Some(b),
            Err(err) => {
                report.problem(
                    ProblemKind::Unreadable,
                    name,
                    format!("cannot be read: {err}"),
                );
                None
            }
        }
    };
    let sums_bytes = read(SUMS, &mut report);
    let sig = read(SUMS_SIG, &mut report);
    let pem = read(KEY_PEM, &mut report);
    let manifest_bytes = read(MANIFEST, &mut report);
    let custody_bytes = read(CUSTODY, &mut report);

    // The signature.
    let key = pem.as_ref().and_then(|p| {
        let text = String::from_utf8_lossy(p);
        match ed25519_dalek::VerifyingKey::from_public_key_pem(&text) {
            Ok(k) => Some(k),
            Err(e) => {
                report.problem(
                    ProblemKind::BadKey,
                    KEY_PEM,
                    format!("is not an Ed25519 public key ({e})"),
                );
                None
            }
        }
    });
    if let Some(k) = &key {
        report.signing_key_fingerprint = Some(key_fingerprint(k.as_bytes()));
    }
    if let (Some(k), Some(sig), Some(sums)) = (&key, &sig, &sums_bytes) {
        match <[u8; 64]>::try_from(sig.as_slice()) {
            Err(_) => report.problem(
                ProblemKind::BadSignature,
                SUMS_SIG,
                format!("is {} bytes; an Ed25519 signature is 64", sig.len()),
            ),
            Ok(raw) => {
                let s = ed25519_dalek::Signature::from_bytes(&raw);
                if k.verify_strict(sums, &s).is_ok() {
                    report.signature_valid = true;
                } else {
                    report.problem(
                        ProblemKind::BadSignature,
                        SUMS_SIG,
                        "the signature does not match SHA256SUMS and signing-key.pem (SHA256SUMS was changed, or signed by another key)",
                    );
                }
            }
        }
    }

    // Every file against SHA256SUMS.
    let sums = match &sums_bytes {
        Some(b) => {
            report.sha256sums = Some(hex::encode(Sha256::digest(b)));
            match std::str::from_utf8(b) {
                Ok(t) => parse_sums(t, &mut report),
                Err(_) => {
                    report.problem(ProblemKind::Malformed, SUMS, "is not text");
                    BTreeMap::new()
                }
            }
        }
        None => BTreeMap::new(),
    };
    for path in sums.keys() {
        if !by_name.contains_key(path.as_str()) {
            report.problem(
                ProblemKind::Missing,
                path.clone(),
                "is listed in SHA256SUMS but missing",
            );
        }
    }
    let mut buf = vec![0u8; 1 << 20];
    for e in &entries {
        if e.name == SUMS || e.name == SUMS_SIG {
            continue;
        }
        let Some(expected) = sums.get(&e.name) else {
            if sums_bytes.is_some() {
                report.problem(
                    ProblemKind::Extra,
                    e.name.clone(),
                    "is not listed in SHA256SUMS (an extra file)",
                );
            }
            continue;
        };
        let hashed = (|| -> std::io::Result<String> {
            let mut r = source.reader(&e.name, e.size)?;
            let mut h = Sha256::new();
            loop {
                let n = r.read(&mut buf)?;
                if n == 0 {
                    break;
                }
                h.update(&buf[..n]);
            }
            Ok(hex::encode(h.finalize()))
        })();
        report.files_checked += 1;
        report.bytes_checked += e.size;
        match hashed {
            Ok(h) if &h == expected => {}
            Ok(_) => report.problem(
                ProblemKind::Altered,
                e.name.clone(),
                "does not match its SHA-256 in SHA256SUMS (the file was changed)",
            ),
            // A zip entry whose CRC fails was changed or damaged after it was written.
            Err(err) if err.kind() == std::io::ErrorKind::InvalidData => report.problem(
                ProblemKind::Altered,
                e.name.clone(),
                format!("cannot be read: {err}"),
            ),
            Err(err) => report.problem(
                ProblemKind::Unreadable,
                e.name.clone(),
                format!("cannot be read: {err}"),
            ),
        }
    }

    // The manifest.
    let mut manifest: Option<Manifest> = None;
    if let Some(b) = &manifest_bytes {
        match serde_json::from_slice::<Value>(b) {
            Err(e) => report.problem(
                ProblemKind::Malformed,
                MANIFEST,
                format!("is not valid JSON ({e})"),
            ),
            Ok(value) => {
                let version = value.get("format_version").and_then(Value::as_u64);
                report.format_version = version.and_then(|v| u32::try_from(v).ok());
                match version {
                    Some(v) if MANIFEST_FORMAT_VERSIONS_READ.iter().any(|&r| u64::from(r) == v) => {
                        match serde_json::from_value::<Manifest>(value) {
                            Ok(m) => manifest = Some(m),
                            Err(e) => report.problem(ProblemKind::Malformed, MANIFEST, format!("is damaged ({e})")),
                        }
                    }
                    Some(v) => report.problem(
                        ProblemKind::NewerFormat,
                        MANIFEST,
                        format!(
                            "has format_version {v}, which this version of Varde does not know (it reads up to {MANIFEST_FORMAT_VERSION}); update Varde"
                        ),
                    ),
                    None => report.problem(ProblemKind::Malformed, MANIFEST, "has no format_version"),
                }
            }
        }
    }
    if let Some(m) = &manifest {
        report.case_reference = Some(m.case.reference.clone());
        report.source_locker_id = Some(m.locker.id.clone());
        report.evidence = m.evidence.len();
        if let Some(fp) = &report.signing_key_fingerprint
            && (fp != &m.locker.signing_key_fingerprint
                || key.map(|k| hex::encode(k.as_bytes()))
                    != Some(m.locker.signing_public_key.clone()))
        {
            report.problem(
                ProblemKind::BadKey,
                MANIFEST,
                "names another signing key than signing-key.pem",
            );
        }
        let mut listed = std::collections::HashSet::new();
        let mut ids = std::collections::HashSet::new();
        let mut originals = std::collections::HashSet::new();
        let mut incident_ids = std::collections::HashSet::new();
        for i in &m.incidents {
            if !incident_ids.insert(i.id) {
                report.problem(
                    ProblemKind::Duplicate,
                    format!("incident {}", i.id),
                    "is listed twice in the manifest",
                );
            }
        }
        for ev in &m.evidence {
            let item = format!("evidence {} ({})", ev.id, ev.path);
            if !listed.insert(ev.path.as_str()) {
                report.problem(
                    ProblemKind::Duplicate,
                    item.clone(),
                    "its path is listed twice in the manifest",
                );
            }
            if !ids.insert(ev.id) {
                report.problem(
                    ProblemKind::Duplicate,
                    item.clone(),
                    "its id is listed twice in the manifest",
                );
            }
            if !originals.insert((ev.incident, ev.sha256.as_str())) {
                report.problem(
                        ProblemKind::Duplicate,
                    item.clone(),
                    format!(
                        "lists the same original as another item of incident {} (the same SHA-256 twice)",
                        ev.incident
                    ),
                );
            }
            match (sums.get(&ev.path), by_name.get(ev.path.as_str())) {
                (None, _) => report.problem(
                    ProblemKind::Missing,
                    item,
                    "is in the manifest but not in SHA256SUMS",
                ),
                (Some(h), _) if h != &ev.sha256 => report.problem(
                    ProblemKind::Altered,
                    item,
                    "its SHA-256 in the manifest differs from SHA256SUMS",
                ),
                (_, Some(e)) if e.size != ev.size => report.problem(
                    ProblemKind::Altered,
                    item,
                    format!("is {} bytes, the manifest says {}", e.size, ev.size),
                ),
                _ => {}
            }
            if !m.incidents.iter().any(|i| i.id == ev.incident) {
                report.problem(
                    ProblemKind::Malformed,
                    format!("evidence {}", ev.id),
                    format!("names incident {}, which is not in the bundle", ev.incident),
                );
            }
        }
        for e in &entries {
            if e.name.starts_with("evidence/") && !listed.contains(e.name.as_str()) {
                report.problem(
                    ProblemKind::Extra,
                    e.name.clone(),
                    "is not in the manifest (an extra file)",
                );
            }
        }
    }

    // The custody chain.
    if let Some(b) = &custody_bytes {
        let events = check_custody(b, &mut report);
        if let Some(m) = &manifest
            && events.as_ref().is_some_and(|ev| ev != &m.custody)
        {
            report.problem(
                ProblemKind::Chain,
                CUSTODY,
                "differs from the custody log in the manifest",
            );
        }
    }

    let verified = match manifest {
        Some(manifest) if report.ok() => Some(Verified {
            manifest,
            sums,
            entries,
            source,
        }),
        _ => None,
    };
    (report, verified)
}

/// Re-hash each event; check that numbers rise and that neighbours link.
fn check_custody(bytes: &[u8], report: &mut BundleReport) -> Option<Vec<AuditEvent>> {
    let Ok(text) = std::str::from_utf8(bytes) else {
        report.problem(ProblemKind::Malformed, CUSTODY, "is not UTF-8 text");
        return None;
    };
    let mut events: Vec<AuditEvent> = Vec::new();
    for (n, line) in text.split_terminator('\n').enumerate() {
        match serde_json::from_str::<AuditEvent>(line) {
            Ok(e) => events.push(e),
            Err(e) => {
                report.problem(
                    ProblemKind::Malformed,
                    format!("{CUSTODY} line {}", n + 1),
                    format!("is not an event ({e})"),
                );
                return None;
            }
        }
    }
    let mut prev: Option<&AuditEvent> = None;
    for e in &events {
        let item = format!("custody event {}", e.seq);
        if e.computed_hash() != e.hash {
            report.problem(
                ProblemKind::Chain,
                item.clone(),
                "its contents do not match its hash (it was edited)",
            );
        }
        if let Some(p) = prev {
            if e.seq <= p.seq {
                report.problem(ProblemKind::Chain, item.clone(), "is out of order");
            } else if e.seq == p.seq + 1 && e.prev_hash != p.hash {
                report.problem(
                    ProblemKind::Chain,
                    item,
                    "does not link to the event before it",
                );
            }
        } else if e.seq == 1 && e.prev_hash != crate::audit::GENESIS_PREV {
            report.problem(
                ProblemKind::Chain,
                item,
                "is the first event but does not start the chain",
            );
        }
        prev = Some(e);
        report.custody_events += 1;
    }
    Some(events)
}
