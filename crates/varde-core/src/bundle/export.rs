//! Writing a bundle: [`Locker::export_bundle`].
//!
//! Everything is streamed: each original is read from the locker, decrypted, hashed and
//! written into the zip (or folder) piece by piece, so memory stays at a few MiB whatever
//! the case's size. The bundle is written under a temp name beside the target and renamed
//! at the end; then the ledger entry and the `bundle.export` audit event are committed in
//! one transaction. A failure at any point leaves neither a bundle nor a record.

use std::collections::BTreeSet;
use std::fs;
use std::io::Read;
use std::path::{Path, PathBuf};

use ed25519_dalek::Signer as _;
use serde::{Deserialize, Serialize};
use serde_json::json;
use sha2::{Digest, Sha256};

use super::contents::{Items, ManifestBits, evidence_paths, originals_only};
use super::manifest::MANIFEST_FORMAT_VERSION;
use super::manifest::Manifest;
use super::pending::remove_any;
use super::sink::{DirSink, Sink, ZipSink, put_bytes, read_ahead, target, temp_beside};
use super::{
    CUSTODY, ExportPreview, INCIDENTS_CSV, KEY_PEM, MANIFEST, README, REPORT, ReportRenderer, SUMS,
    SUMS_SIG, VERIFY_HTML, VERIFY_PS1, VERIFY_SH, bundle_stem, key_fingerprint, store_uncompressed,
    sums_text, text,
};
use crate::clock::fmt_time;
use crate::error::{Error, Result};
use crate::evidence::Progress;
use crate::guidance::Guidance;
use crate::guidance::disclosure::{CheckedDisclosure, insert_disclosure};
use crate::guidance::{EmployeeInformed, Lang, NewDisclosure, RecipientKind};
use crate::invalid::Invalid;
use crate::locker::{Locker, sync_dir};
use crate::model::{Case, Evidence, Incident};
use crate::redaction::Redaction;
use chrono::{DateTime, FixedOffset};

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

    /// The file name an export of this case gets today: `<reference>_<yyyy-mm-dd>.zip`.
    pub fn bundle_file_name(&self, case_ref: &str) -> Result<String> {
        let case = self.case(case_ref)?;
        Ok(format!(
            "{}.zip",
            bundle_stem(&case.reference, self.clock.now().date_naive())
        ))
    }

    /// What an export with `opts` would hold, before anything is written: the files of
    /// the bundle, the number and size of the originals, the persons it names, and the
    /// manifest its report is made from (for a preview of the report's first page). The
    /// recipient and the legal basis are not checked here; the export checks them.
    pub fn export_preview(&self, case_ref: &str, opts: &ExportOptions) -> Result<ExportPreview> {
        let sel = self.select_export(case_ref, opts)?;
        let bundle_name = format!("{}.zip", sel.stem());
        let public = self.signing_key()?.verifying_key();
        let manifest = self.export_manifest(&sel, opts, &bundle_name, &public)?;
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
            incidents: sel.incidents.len(),
            all_incidents: sel.all_incidents,
            originals: sel.originals(),
            redacted_copies: sel.copies(),
            originals_bytes: sel.bytes(),
            persons: manifest.persons.len(),
            private_contacts: opts.include_private_contacts,
            fingerprint: key_fingerprint(public.as_bytes()),
            manifest,
        })
    }

    /// Write the evidence bundle of a case to `out`: a `.zip` path, an existing directory
    /// (the zip is named `<case-reference>_<yyyy-mm-dd>.zip` in it), or a new path without
    /// `.zip` (the same tree as a folder). The export is a disclosure: the ledger entry and
    /// the `bundle.export` audit event are recorded with it, in one transaction.
    ///
    /// Three steps: select (what goes, checked as a disclosure, its manifest and report),
    /// write (the bundle under a temp name, renamed into place), record (the ledger entry
    /// and the audit event). A failure in the second or third removes what was written.
    pub fn export_bundle(
        &mut self,
        case_ref: &str,
        opts: &ExportOptions,
        out: &Path,
        renderer: &dyn ReportRenderer,
        progress: &mut dyn FnMut(Progress),
    ) -> Result<Exported> {
        // Select.
        let sel = self.select_export(case_ref, opts)?;
        let (final_path, as_zip) = target(out, &sel.stem())?;
        let bundle_name = final_path
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_else(|| sel.stem());
        self.read_unread(&sel)?;
        let disclosure = self.check_export_disclosure(&sel, opts, &bundle_name)?;
        let signing = self.signing_key()?;
        let manifest = self.export_manifest(&sel, opts, &bundle_name, &signing.verifying_key())?;
        // The report first: whatever rendering needs is freed before the originals stream,
        // and a report that fails leaves nothing written.
        let pdf = self.render_export_report(&sel, &manifest, renderer, opts.lang)?;

        // Write.
        let tmp = temp_beside(&final_path);
        let pending = self.begin_export(&tmp, &final_path, &bundle_name)?;
        let place = Place {
            tmp: &tmp,
            target: &final_path,
            as_zip,
        };
        let written = self
            .write_bundle(&sel, &manifest, &pdf, &signing, &place, progress)
            .and_then(|w| {
                fs::rename(&tmp, &final_path).map_err(|e| Error::io("writing", &final_path, e))?;
                let parent = final_path.parent().unwrap_or(Path::new("."));
                let _ = sync_dir(if parent.as_os_str().is_empty() {
                    Path::new(".")
                } else {
                    parent
                });
                Ok(w)
            });
        let written = match written {
            Ok(w) => w,
            Err(e) => {
                remove_any(&tmp);
                self.abandon_export(pending, &e);
                return Err(e);
            }
        };

        // Record.
        let fingerprint = key_fingerprint(signing.verifying_key().as_bytes());
        let recorded = self.write(|w| {
            pending.complete(w)?;
            let id = insert_disclosure(w, &sel.case, &disclosure)?;
            w.audit(
                "bundle.export",
                &format!("case:{}", sel.case.reference),
                json!({
                    "bundle": bundle_name,
                    "sha256sums": written.sums_hash,
                    "signing_key_fingerprint": fingerprint,
                    "disclosure_id": id,
                    "format_version": MANIFEST_FORMAT_VERSION,
                    "incident_ids": sel.incident_ids(),
                    "evidence_ids": sel.evidence_ids(),
                    "redaction_ids": disclosure.redaction_ids,
                    "files": written.files,
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
            sha256sums: written.sums_hash,
            signing_key_fingerprint: fingerprint,
            files: written.files,
            evidence: sel.evidence.len(),
            evidence_bytes: sel.bytes(),
            disclosure_id,
        })
    }

    /// What an export with `opts` shares: the case's incidents chosen, their originals
    /// (or the redacted copies chosen for them) and each one's path in the bundle.
    fn select_export(&self, case_ref: &str, opts: &ExportOptions) -> Result<Selection> {
        self.check_self_log(opts)?;
        let case = self.case(case_ref)?;
        let (all, incidents, evidence, copies) = self.export_selection_with(
            &case,
            &opts.incidents,
            &opts.redacted,
            originals_only(opts),
        )?;
        let paths = evidence_paths(&incidents, &evidence);
        Ok(Selection {
            guidance: self.guidance()?,
            now: self.clock.now(),
            case,
            all_incidents: all.len(),
            incidents,
            evidence,
            copies,
            paths,
        })
    }

    /// What Varde reads from each original goes with it; read now what was not read yet
    /// (an item imported from a bundle, or one stored by an older Varde). A redacted copy
    /// goes without it.
    fn read_unread(&mut self, sel: &Selection) -> Result<()> {
        for (e, copy) in sel.evidence.iter().zip(&sel.copies) {
            if copy.is_none() {
                self.read_evidence(e.id)?;
            }
        }
        Ok(())
    }

    /// The export as a disclosure for the ledger, checked: recipient, legal basis,
    /// consent, and what it shares.
    fn check_export_disclosure(
        &self,
        sel: &Selection,
        opts: &ExportOptions,
        bundle_name: &str,
    ) -> Result<CheckedDisclosure> {
        let mut checked = self.check_disclosure(
            &sel.guidance,
            &sel.case,
            NewDisclosure {
                recipient: opts.recipient.clone(),
                recipient_kind: opts.recipient_kind,
                shared: sel.shared(opts.lang, bundle_name),
                incident_ids: sel.incident_ids(),
                evidence_ids: sel.evidence_ids(),
                person_ids: self
                    .list_persons(&sel.case.reference)?
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
        checked.redaction_ids = sel.copies.iter().flatten().map(|r| r.id).collect();
        Ok(checked)
    }

    /// The manifest of the bundle named `bundle_name`, signed by the key `public` belongs to.
    fn export_manifest(
        &self,
        sel: &Selection,
        opts: &ExportOptions,
        bundle_name: &str,
        public: &ed25519_dalek::VerifyingKey,
    ) -> Result<Manifest> {
        self.build_manifest(
            &sel.case,
            opts,
            &sel.incidents,
            Items {
                evidence: &sel.evidence,
                copies: &sel.copies,
                paths: &sel.paths,
            },
            ManifestBits {
                created_at: fmt_time(&sel.now),
                bundle_name: bundle_name.to_string(),
                fingerprint: key_fingerprint(public.as_bytes()),
                public_hex: hex::encode(public.as_bytes()),
                all_incidents: sel.incidents.len() == sel.all_incidents,
                shared: sel.shared(opts.lang, bundle_name),
                guidance: &sel.guidance,
            },
        )
    }

    /// `report.pdf`, with the originals the renderer asks for (its thumbnails) read from
    /// the locker.
    fn render_export_report(
        &self,
        sel: &Selection,
        manifest: &Manifest,
        renderer: &dyn ReportRenderer,
        lang: Lang,
    ) -> Result<Vec<u8>> {
        let mut originals = |sha: &str| -> Result<Vec<u8>> {
            let e = sel
                .evidence
                .iter()
                .find(|e| e.sha256 == sha)
                .ok_or_else(|| Error::not_found(crate::invalid::ItemKind::Original, sha))?;
            let mut bytes = Vec::with_capacity(e.size as usize);
            self.open_blob(&e.sha256, &format!("evidence {}", e.id))?
                .read_to_end(&mut bytes)
                .map_err(|err| Error::Integrity(format!("evidence {}: {err}", e.id)))?;
            Ok(bytes)
        };
        renderer.render(manifest, &mut originals, lang.as_str())
    }

    /// Write the bundle's files under `place.tmp`: the texts, the report, the originals
    /// streamed from the locker with their hashes checked as they go, then `SHA256SUMS`
    /// and its signature.
    fn write_bundle(
        &self,
        sel: &Selection,
        manifest: &Manifest,
        pdf: &[u8],
        signing: &ed25519_dalek::SigningKey,
        place: &Place<'_>,
        progress: &mut dyn FnMut(Progress),
    ) -> Result<Written> {
        let mut sink = open_sink(place, &sel.now)?;
        let mut sums: Vec<(String, String)> = Vec::new();
        let manifest_json = serde_json::to_string_pretty(manifest)
            .map_err(|e| Error::Integrity(format!("the manifest cannot be written: {e}")))?
            + "\n";
        let pem = super::public_key_pem(&signing.verifying_key())?;
        let texts: [(&str, Vec<u8>); 8] = [
            (README, text::readme(manifest).into_bytes()),
            (MANIFEST, manifest_json.into_bytes()),
            (INCIDENTS_CSV, text::incidents_csv(manifest).into_bytes()),
            (CUSTODY, text::custody_jsonl(&manifest.custody).into_bytes()),
            (KEY_PEM, pem.into_bytes()),
            (VERIFY_SH, text::verify_sh(manifest).into_bytes()),
            (VERIFY_PS1, text::verify_ps1(manifest).into_bytes()),
            (VERIFY_HTML, text::verify_html(manifest).into_bytes()),
        ];
        for (name, bytes) in &texts {
            put_bytes(&mut sink, &mut sums, name, bytes, false)?;
        }
        put_bytes(&mut sink, &mut sums, REPORT, pdf, true)?;

        let total = sel.bytes();
        let mut done = 0u64;
        progress(Progress { done, total });
        for (e, path) in sel.evidence.iter().zip(&sel.paths) {
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
        Ok(Written {
            sums_hash,
            files: sums.len() + 2,
        })
    }
}

/// What an export shares, worked out before anything is written.
struct Selection {
    case: Case,
    guidance: Guidance,
    now: DateTime<FixedOffset>,
    /// How many incidents the case has (all of them go unless some were chosen).
    all_incidents: usize,
    incidents: Vec<Incident>,
    /// The items that go, each as its original or, beside it in `copies`, a redacted copy.
    evidence: Vec<Evidence>,
    copies: Vec<Option<Redaction>>,
    /// Each item's path in the bundle.
    paths: Vec<String>,
}

impl Selection {
    /// `<reference>_<yyyy-mm-dd>`: the bundle's name without `.zip`.
    fn stem(&self) -> String {
        bundle_stem(&self.case.reference, self.now.date_naive())
    }

    fn copies(&self) -> usize {
        self.copies.iter().flatten().count()
    }

    fn originals(&self) -> usize {
        self.evidence.len() - self.copies()
    }

    fn incident_ids(&self) -> Vec<i64> {
        self.incidents.iter().map(|i| i.id).collect()
    }

    fn evidence_ids(&self) -> Vec<i64> {
        self.evidence.iter().map(|e| e.id).collect()
    }

    fn bytes(&self) -> u64 {
        self.evidence.iter().map(|e| e.size).sum()
    }

    /// The ledger's line for this export of `bundle_name` ([`ledger_line`]).
    fn shared(&self, lang: Lang, bundle_name: &str) -> String {
        ledger_line(
            lang,
            bundle_name,
            self.incidents.len(),
            self.originals(),
            self.copies(),
        )
    }
}

/// Where a bundle is written: `tmp` first, then renamed to `target`.
struct Place<'a> {
    tmp: &'a Path,
    target: &'a Path,
    as_zip: bool,
}

/// What writing a bundle gave: the SHA-256 of its `SHA256SUMS`, and how many files it has.
struct Written {
    sums_hash: String,
    files: usize,
}

/// A zip file (its entries dated `now`) or a folder at `place.tmp`, new.
fn open_sink(place: &Place<'_>, now: &DateTime<FixedOffset>) -> Result<Box<dyn Sink>> {
    if place.as_zip {
        use chrono::{Datelike, Timelike};
        let f = crate::locker::create_new_private(place.tmp)
            .map_err(|e| Error::io("writing", place.tmp, e))?;
        let time = zip::DateTime::from_date_and_time(
            u16::try_from(now.year()).unwrap_or(1980),
            now.month() as u8,
            now.day() as u8,
            now.hour() as u8,
            now.minute() as u8,
            now.second() as u8,
        )
        .unwrap_or_default();
        Ok(Box::new(ZipSink::new(f, time, place.target.to_path_buf())))
    } else {
        fs::create_dir(place.tmp).map_err(|e| Error::io("creating", place.tmp, e))?;
        Ok(Box::new(DirSink {
            root: place.tmp.to_path_buf(),
            dirs: BTreeSet::new(),
        }))
    }
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
