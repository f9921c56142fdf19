//! Exports in progress, kept where the locker can find them again.
//!
//! An export writes its bundle under a hidden temp name beside the target, renames it into
//! place, and only then records the disclosure and the `bundle.export` event. A process
//! killed midway would leave a plaintext temp file for ever, or a finished bundle that the
//! disclosure ledger does not know about. So before the first byte is written, the export
//! is noted in `settings` (`pending_export:<id>`: its temp path, its final path); the note
//! goes in the same transaction as the ledger entry. At the next open, a note still there
//! means the export was interrupted: its temp file is removed, and a bundle already renamed
//! into place — never handed to anyone, since the export never said it was done — is
//! removed too, so an export is all or nothing. Paths stay in `settings`, out of the audit
//! log (whose case events go to the police with each bundle).

use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};
use serde_json::json;

use crate::error::{Error, Result};
use crate::locker::{Locker, Write};

const PREFIX: &str = "pending_export:";

#[derive(Serialize, Deserialize)]
struct Note {
    part: PathBuf,
    target: PathBuf,
    bundle: String,
}

/// An export that has been noted; [`Pending::complete`] in the recording write.
pub(crate) struct Pending {
    key: String,
}

impl Pending {
    /// Remove the note in the write that records the finished export.
    pub(crate) fn complete(&self, w: &mut Write<'_>) -> Result<()> {
        w.tx.execute("DELETE FROM settings WHERE key = ?1", [&self.key])?;
        Ok(())
    }
}

impl Locker {
    /// Note an export before it writes anything.
    pub(crate) fn begin_export(
        &mut self,
        part: &Path,
        target: &Path,
        bundle: &str,
    ) -> Result<Pending> {
        let key = format!("{PREFIX}{}", uuid::Uuid::new_v4());
        let note = serde_json::to_string(&Note {
            part: part.to_path_buf(),
            target: target.to_path_buf(),
            bundle: bundle.to_string(),
        })
        .map_err(|e| Error::Integrity(e.to_string()))?;
        self.write(|w| {
            w.tx.execute(
                "INSERT INTO settings (key, value) VALUES (?1, ?2)",
                [&key, &note],
            )?;
            w.audit(
                "bundle.export_started",
                "locker",
                json!({ "bundle": bundle }),
            )?;
            Ok(())
        })?;
        Ok(Pending { key })
    }

    /// The export failed and removed what it wrote: drop its note. If even that cannot be
    /// written (a full disk), the next open finds the note and tidies up.
    pub(crate) fn abandon_export(&mut self, pending: Pending, why: &Error) {
        let _ = self.write(|w| {
            w.tx.execute("DELETE FROM settings WHERE key = ?1", [&pending.key])?;
            w.audit(
                "bundle.export_failed",
                "locker",
                json!({ "error": why.code() }),
            )?;
            Ok(())
        });
    }

    /// Tidy up after exports a crash interrupted (see the module's doc). Runs at open.
    pub(crate) fn finish_interrupted_exports(&mut self) -> Result<()> {
        let notes: Vec<(String, String)> = {
            let mut stmt = self
                .conn
                .prepare("SELECT key, value FROM settings WHERE key LIKE 'pending_export:%'")?;
            stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?
                .collect::<rusqlite::Result<_>>()?
        };
        for (key, value) in notes {
            let note: Option<Note> = serde_json::from_str(&value).ok();
            let mut removed_bundle = false;
            if let Some(n) = &note {
                remove_any(&n.part);
                if n.target.exists() {
                    remove_any(&n.target);
                    removed_bundle = true;
                }
            }
            self.write(|w| {
                w.tx.execute("DELETE FROM settings WHERE key = ?1", [&key])?;
                w.audit(
                    "bundle.export_interrupted",
                    "locker",
                    json!({
                        "bundle": note.as_ref().map(|n| n.bundle.clone()),
                        "unrecorded_bundle_removed": removed_bundle,
                    }),
                )?;
                Ok(())
            })?;
        }
        Ok(())
    }
}

/// Remove a file or a folder, whichever it is.
pub(crate) fn remove_any(p: &Path) {
    let _ = std::fs::remove_dir_all(p).or_else(|_| std::fs::remove_file(p));
}
