//! Evidence bundles: the zip (or folder) the police receive, its verification, and its
//! import into another locker.
//!
//! Format version 1, as `EVIDENCE.md` describes it:
//!
//! ```text
//! LES-MEG.txt      how to check the bundle with stock tools, Norwegian then English
//! SHA256SUMS       "<hex>  <path>" for every file but itself and SHA256SUMS.sig, sorted, LF
//! SHA256SUMS.sig   raw 64-byte Ed25519 signature over the bytes of SHA256SUMS
//! signing-key.pem  the locker's public key (SubjectPublicKeyInfo PEM)
//! manifest.json    machine-readable description ([`Manifest`])
//! report.pdf       the human-readable report (rendered by a [`ReportRenderer`])
//! incidents.csv    one row per incident (UTF-8 with BOM, CRLF, RFC 4180)
//! custody.jsonl    the case's hash-chained audit events, one canonical JSON object a line
//! evidence/<incident>/<nn>-<name>   byte-identical originals
//! verify.sh, verify.ps1   helpers running the checks of LES-MEG.txt
//! verify.html             the same checks in any browser, offline (WebCrypto)
//! ```
//!
//! [`Locker::export_bundle`](crate::Locker::export_bundle) writes one,
//! [`verify_bundle`] checks one without a locker, and
//! [`Locker::import_bundle`](crate::Locker::import_bundle) takes one in.

mod contents;
mod export;
mod import;
pub mod manifest;
mod pending;
mod sink;
mod source;
#[cfg(feature = "test-support")]
pub mod test_support;
pub(crate) mod text;
mod verify;
mod zipcheck;

pub(crate) use contents::health_records;
pub use export::{ExportOptions, Exported};
pub use import::{ImportOptions, Imported, IncidentOrigin, KeyStatus};
pub use manifest::{ItemVersion, MANIFEST_FORMAT_VERSION, Manifest, RedactionEntry};
pub(crate) use sink::temp_beside;
pub use verify::{BundleReport, verify_bundle};

use serde::Serialize;
use sha2::{Digest, Sha256};

use crate::error::Result;

/// `SHA256SUMS`.
pub const SUMS: &str = "SHA256SUMS";
/// `SHA256SUMS.sig`.
pub const SUMS_SIG: &str = "SHA256SUMS.sig";
/// `signing-key.pem`.
pub const KEY_PEM: &str = "signing-key.pem";
/// `manifest.json`.
pub const MANIFEST: &str = "manifest.json";
/// `report.pdf`.
pub const REPORT: &str = "report.pdf";
/// `LES-MEG.txt`.
pub const README: &str = "LES-MEG.txt";
/// `incidents.csv`.
pub const INCIDENTS_CSV: &str = "incidents.csv";
/// `custody.jsonl`.
pub const CUSTODY: &str = "custody.jsonl";
/// `verify.sh`.
pub const VERIFY_SH: &str = "verify.sh";
/// `verify.ps1`.
pub const VERIFY_PS1: &str = "verify.ps1";
/// `verify.html`: the checks in any browser (WebCrypto), for a machine without OpenSSL 3.
pub const VERIFY_HTML: &str = "verify.html";

/// Renders `report.pdf`. The core knows no PDF library: the caller passes a renderer
/// (the CLI and the app pass `varde-report`'s).
pub trait ReportRenderer {
    /// Render the report for `manifest` in `lang` (`nb` or `en`). `originals` returns an
    /// original's bytes by its SHA-256 (for thumbnails); call it only for what is needed.
    fn render(
        &self,
        manifest: &Manifest,
        originals: &mut dyn FnMut(&str) -> Result<Vec<u8>>,
        lang: &str,
    ) -> Result<Vec<u8>>;
}

/// What an export would hold (see [`crate::Locker::export_preview`]).
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct ExportPreview {
    /// The bundle's file name (when written as a zip file).
    pub bundle_name: String,
    /// The files of the bundle besides the originals, report first.
    pub files: Vec<String>,
    /// Incidents it takes.
    pub incidents: usize,
    /// Incidents of the case.
    pub all_incidents: usize,
    /// Originals it takes (under `evidence/`).
    pub originals: usize,
    /// Size in bytes of every file under `evidence/` (originals and redacted copies).
    pub originals_bytes: u64,
    /// Redacted copies, going instead of their originals (under `evidence/` too).
    pub redacted_copies: usize,
    /// Persons it names.
    pub persons: usize,
    /// Private contact details go with it.
    pub private_contacts: bool,
    /// The fingerprint of the key that will sign it.
    pub fingerprint: String,
    /// The manifest the report is made from (not sent to the window).
    #[serde(skip)]
    #[cfg_attr(feature = "ts", ts(skip))]
    pub manifest: Manifest,
}

/// The fingerprint of an Ed25519 public key: SHA-256 of its raw 32 bytes, hex.
pub fn key_fingerprint(public_key: &[u8; 32]) -> String {
    hex::encode(Sha256::digest(public_key))
}

/// An Ed25519 public key as SubjectPublicKeyInfo PEM (what `openssl pkeyutl -verify`
/// reads), as bundles and deletion receipts carry it.
pub(crate) fn public_key_pem(key: &ed25519_dalek::VerifyingKey) -> Result<String> {
    use ed25519_dalek::pkcs8::EncodePublicKey as _;
    key.to_public_key_pem(ed25519_dalek::pkcs8::spki::der::pem::LineEnding::LF)
        .map_err(|e| crate::Error::Integrity(format!("the public key cannot be written: {e}")))
}

/// The fingerprint in groups of four, as it is printed for people to compare.
pub fn fingerprint_grouped(fp: &str) -> String {
    fp.as_bytes()
        .chunks(4)
        .map(|c| String::from_utf8_lossy(c).into_owned())
        .collect::<Vec<_>>()
        .join(" ")
}

/// The bundle's name without `.zip`: `<case-reference>_<yyyy-mm-dd>`.
pub fn bundle_stem(case_reference: &str, date: chrono::NaiveDate) -> String {
    format!(
        "{}_{}",
        ascii_name(case_reference, 60),
        date.format("%Y-%m-%d")
    )
}

/// An ASCII file name for any name: Norwegian letters spelt out (æ→ae, ø→o, å→a), other
/// characters outside `[A-Za-z0-9._-]` replaced by `_`, at most `max` characters with the
/// extension kept, never starting with a dot, never empty.
pub fn ascii_name(name: &str, max: usize) -> String {
    let mut out = String::new();
    for c in name.chars() {
        let rep: &str = match c {
            'æ' => "ae",
            'Æ' => "AE",
            'ø' | 'ö' | 'ó' | 'ò' | 'ô' => "o",
            'Ø' | 'Ö' | 'Ó' => "O",
            'å' | 'ä' | 'á' | 'à' | 'â' => "a",
            'Å' | 'Ä' | 'Á' => "A",
            'é' | 'è' | 'ê' | 'ë' => "e",
            'É' | 'È' => "E",
            'ü' | 'ú' => "u",
            'Ü' => "U",
            'í' | 'ï' => "i",
            'ß' => "ss",
            c if c.is_ascii_alphanumeric() || c == '.' || c == '-' || c == '_' => {
                out.push(c);
                continue;
            }
            _ => "_",
        };
        if rep == "_" && out.ends_with('_') {
            continue;
        }
        out.push_str(rep);
    }
    let trimmed = out.trim_start_matches(['.', '_']).to_string();
    let mut name = if trimmed.is_empty() {
        "file".to_string()
    } else {
        trimmed
    };
    if name.len() > max {
        let ext = match name.rfind('.') {
            Some(i) if name.len() - i <= 10 && i > 0 => name[i..].to_string(),
            _ => String::new(),
        };
        name.truncate(max.saturating_sub(ext.len()));
        name.push_str(&ext);
    }
    name
}

/// Whether an already-compressed file is stored as is in the zip rather than deflated.
pub fn store_uncompressed(media_type: &str) -> bool {
    media_type.starts_with("image/")
        || media_type.starts_with("audio/")
        || media_type.starts_with("video/")
        || matches!(
            media_type,
            "application/zip"
                | "application/pdf"
                | "application/gzip"
                | "application/x-7z-compressed"
        )
}

/// The text of `SHA256SUMS` for `(path, sha256 hex)` pairs: sorted by path, LF.
pub fn sums_text(entries: &[(String, String)]) -> String {
    let mut v: Vec<&(String, String)> = entries.iter().collect();
    v.sort_by(|a, b| a.0.as_bytes().cmp(b.0.as_bytes()));
    let mut out = String::new();
    for (path, hash) in v {
        out.push_str(hash);
        out.push_str("  ");
        out.push_str(path);
        out.push('\n');
    }
    out
}

/// Why a path inside a bundle is unsafe, or `None` when it is a plain relative path.
pub fn unsafe_path(p: &str) -> Option<&'static str> {
    if p.is_empty() {
        return Some("is empty");
    }
    if p.contains('\\') {
        return Some("contains a backslash");
    }
    if p.starts_with('/') {
        return Some("is an absolute path");
    }
    let b = p.as_bytes();
    if b.len() >= 2 && b[0].is_ascii_alphabetic() && b[1] == b':' {
        return Some("starts with a drive letter");
    }
    if p.contains(':') {
        return Some("contains a colon");
    }
    if p.chars().any(|c| !c.is_ascii() || c.is_ascii_control()) {
        return Some("is not plain ASCII");
    }
    for part in p.split('/') {
        match part {
            ".." => return Some("climbs out of the bundle (..)"),
            "." | "" => return Some("has an empty or '.' component"),
            _ => {}
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ascii_names() {
        assert_eq!(
            ascii_name("Skjermbilde 2026-11-20 kl. 14.30.png", 80),
            "Skjermbilde_2026-11-20_kl._14.30.png"
        );
        assert_eq!(
            ascii_name("trusler på Messenger – Ørjan.jpg", 80),
            "trusler_pa_Messenger_Orjan.jpg"
        );
        assert_eq!(ascii_name("../../etc/passwd", 80), "etc_passwd");
        assert_eq!(ascii_name("", 80), "file");
        assert_eq!(ascii_name("ææææææææææ.jpeg", 10), "aeaea.jpeg");
    }

    #[test]
    fn unsafe_paths() {
        for (p, why) in [
            ("../x", "climbs"),
            ("evidence/../../x", "climbs"),
            ("/etc/passwd", "absolute"),
            ("C:/x", "drive"),
            ("evidence\\x", "backslash"),
            ("a//b", "empty"),
        ] {
            assert!(unsafe_path(p).is_some_and(|m| m.contains(why)), "{p}");
        }
        assert_eq!(unsafe_path("evidence/3/01-a.png"), None);
    }

    #[test]
    fn sums_are_sorted_with_two_spaces() {
        let t = sums_text(&[("b".into(), "22".into()), ("a".into(), "11".into())]);
        assert_eq!(t, "11  a\n22  b\n");
    }
}
