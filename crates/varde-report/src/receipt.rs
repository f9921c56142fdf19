//! A deletion receipt as a PDF: the signed JSON of
//! [`Locker::delete_case`](varde_core::Locker::delete_case) worded for a person (the data
//! protection officer, an auditor), laid out with the draft template. The JSON with its
//! signature stays the proof; the PDF says how to check it.

use std::io::Write as _;
use std::path::{Path, PathBuf};

use varde_core::SignedReceipt;
use varde_core::drafts::{Block, Section};

use crate::page::{Page, row};
use crate::{Error, Lang, Rendered};

/// The receipt's words, Norwegian or English.
fn page(s: &SignedReceipt, lang: Lang, stem: &str) -> Page {
    let r = &s.receipt;
    let nb = lang == Lang::Nb;
    let w = |nb_text: &str, en_text: &str| if nb { nb_text } else { en_text }.to_string();
    let c = &r.counts;
    let counted: Vec<(&str, &str, i64)> = vec![
        ("Hendelser", "Incidents", c.incidents),
        (
            "Tidligere versjoner av hendelser",
            "Earlier versions of incidents",
            c.incident_versions,
        ),
        ("Personer", "Persons", c.persons),
        ("Bevisposter", "Evidence records", c.evidence),
        (
            "Originaler slettet",
            "Originals deleted",
            c.originals_removed,
        ),
        (
            "Originaler beholdt (brukes i en annen sak)",
            "Originals kept (used by another case)",
            c.originals_kept,
        ),
        (
            "Det Varde leste fra originalene",
            "What Varde read from the originals",
            c.readings,
        ),
        ("Sladdede kopier", "Redacted copies", c.redacted_copies),
        (
            "Punkter på sjekklisten",
            "Checklist entries",
            c.checklist_entries,
        ),
        ("Handlinger på varsler", "Prompt actions", c.prompt_actions),
        (
            "Utleveringer i loggen",
            "Disclosure ledger entries",
            c.disclosures,
        ),
        ("Samtykker", "Consents", c.consents),
        (
            "Forespørsler til politiet",
            "Requests to the police",
            c.police_requests,
        ),
        ("Importer", "Imports", c.imports),
        (
            "Revisjonshendelser med innhold slettet",
            "Audit events with their details erased",
            c.audit_events_erased,
        ),
    ];
    let counts = counted
        .into_iter()
        .map(|(n, e, v)| row(if nb { n } else { e }, v.to_string()))
        .collect();
    let originals = if r.originals_removed.is_empty() {
        vec![Block::Paragraph {
            text: w(
                "Ingen originaler ble slettet.",
                "No originals were deleted.",
            ),
        }]
    } else {
        vec![Block::Hashes {
            rows: r
                .originals_removed
                .iter()
                .enumerate()
                .map(|(i, h)| row(&format!("{}", i + 1), h.clone()))
                .collect(),
        }]
    };
    let mut originals = originals;
    if !r.copies_removed.is_empty() {
        originals.push(Block::Paragraph {
            text: w(
                "Filer med sladdede kopier som ble slettet:",
                "Files of redacted copies deleted:",
            ),
        });
        originals.push(Block::Hashes {
            rows: r
                .copies_removed
                .iter()
                .enumerate()
                .map(|(i, h)| row(&format!("{}", i + 1), h.clone()))
                .collect(),
        });
    }
    let events = r
        .erased_events
        .iter()
        .map(|e| row(&format!("{}", e.seq), e.hash.clone()))
        .collect();
    Page {
        lang,
        title: w("Kvittering for sletting", "Deletion receipt"),
        subtitle: w(
            "Signert med låsens nøkkel. Inneholder ingen personopplysninger utover saksnummeret.",
            "Signed with the locker's key. Holds no personal data beyond the case reference.",
        ),
        meta: vec![
            row(&w("Sak", "Case"), r.case_reference.clone()),
            row(&w("Slettet", "Deleted"), r.deleted_at.clone()),
            row(&w("Slettet av", "Deleted by"), r.deleted_by.clone()),
            row(&w("Begrunnelse", "Reason"), r.reason.clone()),
            row(&w("Lås", "Locker"), r.locker_id.clone()),
        ],
        notices: vec![w(
            "Slettingen når ikke kopier av låsen som ble tatt før den, bevispakker som er eksportert før den, eller rester som filsystemet selv kan ha igjen av slettede filer.",
            "Deletion does not reach copies of the locker taken before it, bundles exported before it, or remnants of deleted files that the file system itself may keep.",
        )],
        sections: vec![
            Section {
                heading: w("1 Hva som ble slettet", "1 What was deleted"),
                blocks: vec![Block::Rows { rows: counts }],
            },
            Section {
                heading: w(
                    "2 Slettede originaler (SHA-256)",
                    "2 Deleted originals (SHA-256)",
                ),
                blocks: originals,
            },
            Section {
                heading: w("3 Revisjonsloggen", "3 The audit log"),
                blocks: vec![
                    Block::Paragraph {
                        text: w(
                            "Hendelsene under beholder sin plass og sin hash i kjeden; bare innholdet deres er slettet. Slettehendelsen navngir hver av dem, så kjeden kan fortsatt kontrolleres fra første til siste hendelse.",
                            "The events below keep their place and their hash in the chain; only their details are erased. The deletion event names each of them, so the chain still verifies from the first event to the last.",
                        ),
                    },
                    Block::Hashes {
                        rows: vec![row(
                            &format!(
                                "{} {}",
                                w("Slettehendelse", "Deletion event"),
                                r.deletion_event.seq
                            ),
                            r.deletion_event.hash.clone(),
                        )],
                    },
                    Block::Paragraph {
                        text: w(
                            "Hendelser med innholdet slettet:",
                            "Events with their details erased:",
                        ),
                    },
                    Block::Hashes { rows: events },
                ],
            },
            Section {
                heading: w(
                    "4 Slik kontrollerer du kvitteringen",
                    "4 How to check this receipt",
                ),
                blocks: vec![
                    Block::Paragraph {
                        text: w(
                            "Kvitteringen er JSON-filen; denne PDF-en gjengir den. Signaturen (Ed25519) dekker JSON-filen byte for byte og kontrolleres med OpenSSL og låsens offentlige nøkkel:",
                            "The receipt is the JSON file; this PDF renders it. The signature (Ed25519) covers the JSON file byte for byte and is checked with OpenSSL and the locker's public key:",
                        ),
                    },
                    Block::Hashes {
                        rows: vec![row(
                            "",
                            format!(
                                "openssl pkeyutl -verify -pubin -inkey {stem}.pem -rawin -in {stem}.json -sigfile {stem}.sig"
                            ),
                        )],
                    },
                    Block::Hashes {
                        rows: vec![
                            row(
                                &w("Nøkkelens fingeravtrykk", "Key fingerprint"),
                                r.signing_key_fingerprint.clone(),
                            ),
                            // 128 hex digits do not fit on one line.
                            row(
                                &w("Signatur", "Signature"),
                                s.signature.get(..64).unwrap_or_default().to_string(),
                            ),
                            row("", s.signature.get(64..).unwrap_or_default().to_string()),
                        ],
                    },
                ],
            },
        ],
        footer: format!("Varde · {} · {}", r.case_reference, r.deleted_at),
        created_at: r.deleted_at.clone(),
    }
}

/// Lay a receipt out (see [`Rendered`] for its pages, text and PDF); `stem` is the name
/// its files are saved under (`<stem>.json`, `.sig`, `.pem`), for the check it describes.
pub fn layout(s: &SignedReceipt, lang: Lang, stem: &str) -> Result<Rendered, Error> {
    let doc = page(s, lang, stem);
    crate::page::layout(&doc)
}

/// A receipt as PDF bytes.
pub fn pdf(s: &SignedReceipt, lang: Lang, stem: &str) -> Result<Vec<u8>, Error> {
    layout(s, lang, stem)?.to_pdf()
}

/// The files a receipt is saved as: `FILE.json` (the signed bytes) and, beside it,
/// `.sig` (the raw 64-byte signature), `.pem` (the locker's public key) and `.pdf`.
pub fn files(json: &Path) -> [PathBuf; 4] {
    [
        json.to_path_buf(),
        json.with_extension("sig"),
        json.with_extension("pem"),
        json.with_extension("pdf"),
    ]
}

/// Refuse a place where saving would overwrite a file or whose folder does not exist
/// (checked before a deletion, so a deletion never leaves its receipt unsaved for that
/// reason).
pub fn check_free(json: &Path) -> varde_core::Result<()> {
    // A mistyped folder is refused now, not found out after the case is gone.
    let folder = match json.parent() {
        Some(p) if !p.as_os_str().is_empty() => p,
        _ => Path::new("."),
    };
    if !folder.is_dir() {
        return Err(varde_core::Error::invalid(
            varde_core::Invalid::NotADirectory {
                path: varde_core::error::shorten(folder),
            },
        ));
    }
    for p in files(json) {
        if p.exists() {
            return Err(varde_core::Error::invalid(
                varde_core::Invalid::OutputExists {
                    path: varde_core::error::shorten(&p),
                },
            ));
        }
    }
    Ok(())
}

/// Save a receipt as its four files (never over existing ones, each synced to disk). If
/// one cannot be written, those already written are removed again. The paths written.
pub fn save(s: &SignedReceipt, json: &Path, lang: Lang) -> varde_core::Result<Vec<PathBuf>> {
    check_free(json)?;
    let stem = json
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_else(|| "receipt".into());
    let pdf = pdf(s, lang, &stem).map_err(|e| {
        varde_core::Error::Internal(format!("the receipt's PDF could not be made: {e}"))
    })?;
    let [json_path, sig, pem, pdf_path] = files(json);
    let mut written = Vec::new();
    for (path, bytes) in [
        (json_path, s.json.as_bytes().to_vec()),
        (sig, s.signature_bytes()),
        (pem, s.public_key_pem.as_bytes().to_vec()),
        (pdf_path, pdf),
    ] {
        let result = std::fs::File::create_new(&path).and_then(|mut f| {
            written.push(path.clone());
            f.write_all(&bytes)?;
            f.sync_all()
        });
        if let Err(e) = result {
            for p in &written {
                let _ = std::fs::remove_file(p);
            }
            return Err(varde_core::Error::io("saving the receipt", &path, e));
        }
    }
    Ok(written)
}
