//! `verify`: re-hash every stored original and re-walk the audit chain.

use std::fs::File;
use std::io::Read;

use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use crate::audit;
use crate::crypto::BlobReader;
use crate::error::Result;
use crate::evidence::{Progress, blob_path};
use crate::locker::Locker;

/// What kind of thing does not hold: the window words it in the user's language (with the
/// item it concerns); the English `message` is the technical detail.
#[derive(
    Debug,
    Clone,
    Copy,
    PartialEq,
    Eq,
    Default,
    Serialize,
    Deserialize,
    strum::EnumIter,
    strum::IntoStaticStr,
)]
#[serde(rename_all = "snake_case")]
#[strum(serialize_all = "snake_case")]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub enum ProblemKind {
    /// Not a bundle that can be opened (not a zip file or folder, or a hostile one).
    NotABundle,
    /// A file that must be there is not.
    Missing,
    /// A file no list names.
    Extra,
    /// A file or record differs from its hash or from what was recorded.
    Altered,
    /// A file cannot be read.
    Unreadable,
    /// The signature does not hold.
    BadSignature,
    /// The signing key is not a valid key, or not the one the bundle names.
    BadKey,
    /// A file is not in the form it must have.
    Malformed,
    /// A path that could write outside the folder it is unpacked to.
    UnsafePath,
    /// Something listed twice.
    Duplicate,
    /// Made by a newer version of Varde.
    NewerFormat,
    /// The custody log or the audit chain does not hold together.
    Chain,
    /// The locker's database is damaged.
    Damaged,
    /// An original no record refers to, kept in quarantine.
    Quarantined,
    /// Anything else.
    #[default]
    Other,
}

/// One thing that does not hold.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct Problem {
    /// What kind of problem it is.
    #[serde(default)]
    pub kind: ProblemKind,
    /// What it concerns, e.g. `evidence 12` or `audit event 40`.
    pub item: String,
    /// What is wrong, in plain words.
    pub message: String,
}

/// The outcome of [`Locker::verify`].
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct VerifyReport {
    /// Distinct stored originals re-hashed.
    pub originals_checked: usize,
    /// Evidence records checked against their originals and audit events.
    pub evidence_checked: usize,
    /// Bytes re-hashed.
    pub bytes_checked: u64,
    /// Audit events re-hashed.
    pub audit_events_checked: usize,
    /// Everything that does not hold; empty when all is well.
    pub problems: Vec<Problem>,
}

impl VerifyReport {
    /// True when nothing is wrong.
    pub fn ok(&self) -> bool {
        self.problems.is_empty()
    }
}

/// Hash everything `reader` yields: its SHA-256 (hex) and length. `read` is told the
/// running byte count as the bytes go by. Shared by the whole-locker check and the
/// one-item check, so both re-hash an original the same way.
pub(crate) fn hash_stream(
    reader: &mut dyn Read,
    buf: &mut [u8],
    read: &mut dyn FnMut(u64),
) -> std::io::Result<(String, u64)> {
    let mut hasher = Sha256::new();
    let mut size = 0u64;
    loop {
        match reader.read(buf) {
            Ok(0) => return Ok((hex::encode(hasher.finalize()), size)),
            Ok(n) => {
                hasher.update(&buf[..n]);
                size += n as u64;
                read(size);
            }
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
            Err(e) => return Err(e),
        }
    }
}

struct BlobRow {
    sha256: String,
    size: i64,
    file: String,
    evidence_ids: String,
}

impl Locker {
    /// Check everything: each original decrypts and has its recorded SHA-256 and size;
    /// each evidence record agrees with its original and its audit event; the audit chain
    /// is unbroken. Reports every problem by item.
    pub fn verify(&self, progress: &mut dyn FnMut(Progress)) -> Result<VerifyReport> {
        let mut report = VerifyReport::default();
        if !self.check_database(&mut report) {
            // The records cannot be trusted, and reading on may fail half-way: what is
            // damaged has been named; the originals are checked by `check` per item.
            return Ok(report);
        }
        let mut problem = |kind: ProblemKind, item: String, message: String| {
            report.problems.push(Problem {
                kind,
                item,
                message,
            })
        };

        let blobs: Vec<BlobRow> = {
            let mut stmt = self.conn.prepare(
                "SELECT b.sha256, b.size, b.file, coalesce(group_concat(e.id, ', '), '')
                 FROM blobs b LEFT JOIN evidence e ON e.sha256 = b.sha256 GROUP BY b.sha256 ORDER BY min(e.id)",
            )?;
            let rows = stmt.query_map([], |r| {
                Ok(BlobRow {
                    sha256: r.get(0)?,
                    size: r.get(1)?,
                    file: r.get(2)?,
                    evidence_ids: r.get(3)?,
                })
            })?;
            rows.collect::<rusqlite::Result<_>>()?
        };
        let total: u64 = blobs.iter().map(|b| b.size.max(0) as u64).sum();
        let mut done = 0u64;
        let mut buf = vec![0u8; 1 << 20];
        let mut originals = 0;
        for b in &blobs {
            originals += 1;
            let item = if b.evidence_ids.is_empty() {
                format!("original {}", &b.sha256[..12])
            } else {
                format!("evidence {}", b.evidence_ids)
            };
            let path = blob_path(&self.dir, &b.file);
            let file = match File::open(&path) {
                Ok(f) => f,
                Err(_) => {
                    problem(
                        ProblemKind::Missing,
                        item,
                        "its stored original is missing from the locker".into(),
                    );
                    done += b.size as u64;
                    continue;
                }
            };
            let mut reader =
                match BlobReader::new(&self.keys, std::io::BufReader::with_capacity(1 << 20, file))
                {
                    Ok(r) => r,
                    Err(e) => {
                        problem(
                            ProblemKind::Altered,
                            item,
                            format!("its stored original is damaged: {e}"),
                        );
                        continue;
                    }
                };
            let hashed = hash_stream(&mut reader, &mut buf, &mut |size| {
                progress(Progress {
                    done: done + size,
                    total,
                })
            });
            done += b.size as u64;
            let (actual, size) = match hashed {
                Ok(h) => h,
                Err(e) => {
                    problem(
                        ProblemKind::Altered,
                        item,
                        format!("its stored original is damaged: {e}"),
                    );
                    continue;
                }
            };
            if actual != b.sha256 {
                problem(
                    ProblemKind::Altered,
                    item,
                    format!(
                        "SHA-256 mismatch: recorded {}, stored bytes hash to {actual}",
                        b.sha256
                    ),
                );
            } else if size != b.size as u64 {
                problem(
                    ProblemKind::Altered,
                    item,
                    format!("size mismatch: recorded {} bytes, stored {size}", b.size),
                );
            }
            report.bytes_checked += size;
        }
        report.originals_checked = originals;

        // Each evidence record must agree with its original and with the event that added it.
        let mut stmt = self.conn.prepare(
            "SELECT e.id, e.sha256, e.size, b.size, a.action, a.details
             FROM evidence e LEFT JOIN blobs b ON b.sha256 = e.sha256 LEFT JOIN audit_events a ON a.seq = e.audit_seq
             ORDER BY e.id",
        )?;
        let mut rows = stmt.query([])?;
        while let Some(r) = rows.next()? {
            report.evidence_checked += 1;
            let id: i64 = r.get(0)?;
            let sha: String = r.get(1)?;
            let size: i64 = r.get(2)?;
            let blob_size: Option<i64> = r.get(3)?;
            let action: Option<String> = r.get(4)?;
            let details: Option<String> = r.get(5)?;
            let item = format!("evidence {id}");
            match blob_size {
                None => problem(
                    ProblemKind::Missing,
                    item.clone(),
                    "its original is not recorded in the locker".into(),
                ),
                Some(s) if s != size => problem(
                    ProblemKind::Altered,
                    item.clone(),
                    format!("its size ({size}) differs from the stored original's ({s})"),
                ),
                _ => {}
            }
            let recorded_sha = details
                .as_deref()
                .and_then(|d| serde_json::from_str::<serde_json::Value>(d).ok())
                .and_then(|d| d.get("sha256").and_then(|s| s.as_str()).map(String::from));
            if action.as_deref() != Some("evidence.add")
                && action.as_deref() != Some("evidence.import")
            {
                problem(
                    ProblemKind::Chain,
                    item,
                    "the audit event that recorded its acquisition is missing".into(),
                );
            } else if recorded_sha.as_deref() != Some(sha.as_str()) {
                problem(
                    ProblemKind::Chain,
                    item,
                    "its SHA-256 differs from the one recorded in the audit log at acquisition"
                        .into(),
                );
            }
        }

        let (events, chain_problems) = audit::verify_chain(&self.conn)?;
        report.audit_events_checked = events;
        for (item, message) in chain_problems {
            report.problems.push(Problem {
                kind: ProblemKind::Chain,
                item,
                message,
            });
        }
        self.check_seals(&mut report)?;
        self.check_stray_blobs(&mut report);
        Ok(report)
    }

    /// Run SQLCipher's page check (every page's HMAC) and SQLite's structure check. A
    /// damaged database is named page by page before anything else is read from it.
    fn check_database(&self, report: &mut VerifyReport) -> bool {
        let mut ok = true;
        for (pragma, what) in [
            ("cipher_integrity_check", "SQLCipher's page check"),
            ("integrity_check", "SQLite's structure check"),
        ] {
            let rows: rusqlite::Result<Vec<String>> = self
                .conn
                .prepare(&format!("PRAGMA {pragma}"))
                .and_then(|mut st| {
                    st.query_map([], |r| r.get::<_, String>(0))?
                        .collect::<rusqlite::Result<Vec<_>>>()
                });
            match rows {
                Ok(rows) => {
                    for row in rows.into_iter().filter(|r| r != "ok").take(20) {
                        ok = false;
                        report.problems.push(Problem {
                            kind: ProblemKind::Damaged,
                            item: "locker.db".into(),
                            message: format!("the database is damaged ({what}: {row})"),
                        });
                    }
                }
                Err(e) => {
                    ok = false;
                    report.problems.push(Problem {
                        kind: ProblemKind::Damaged,
                        item: "locker.db".into(),
                        message: format!("the database is damaged ({what} could not run: {e})"),
                    });
                }
            }
        }
        ok
    }

    /// Every record as it is now must match the last seal the audit log holds for it,
    /// and every record the log sealed must still be there.
    fn check_seals(&self, report: &mut VerifyReport) -> Result<()> {
        let sealed = crate::seal::last_seals(&self.conn)?;
        let current = crate::seal::current(&self.conn)?;
        for (key, hash) in &current {
            match sealed.get(key) {
                Some((Some(h), _)) if h == hash => {}
                Some((Some(_), seq)) => report.problems.push(Problem {
                    kind: ProblemKind::Altered,
                    item: crate::seal::describe(key),
                    message: format!(
                        "changed outside Varde: it no longer matches what audit event {seq} recorded"
                    ),
                }),
                Some((None, seq)) => report.problems.push(Problem {
                    kind: ProblemKind::Altered,
                    item: crate::seal::describe(key),
                    message: format!(
                        "present, though audit event {seq} recorded its removal (put back outside Varde)"
                    ),
                }),
                None => report.problems.push(Problem {
                    kind: ProblemKind::Altered,
                    item: crate::seal::describe(key),
                    message: "no audit event recorded it: it was added outside Varde".into(),
                }),
            }
        }
        for (key, (hash, seq)) in &sealed {
            if hash.is_some() && !current.contains_key(key) {
                report.problems.push(Problem {
                    kind: ProblemKind::Altered,
                    item: crate::seal::describe(key),
                    message: format!(
                        "missing: audit event {seq} recorded it, and it was removed outside Varde"
                    ),
                });
            }
        }
        Ok(())
    }

    /// Blob files that no record refers to: in `quarantine/` (moved there at open) or
    /// still in `blobs/`. Never deleted by Varde, since only a person can tell why.
    fn check_stray_blobs(&self, report: &mut VerifyReport) {
        let count = |dir: &std::path::Path| {
            std::fs::read_dir(dir)
                .map(|d| d.flatten().filter(|e| e.path().is_file()).count())
                .unwrap_or(0)
        };
        // A blob file still in `blobs/` with no record: a deletion (or an ingest) that
        // did not finish removing it. The next open moves or removes it.
        let known: std::collections::HashSet<String> = self
            .conn
            .prepare("SELECT file FROM blobs")
            .and_then(|mut st| {
                st.query_map([], |r| r.get::<_, String>(0))?
                    .collect::<rusqlite::Result<_>>()
            })
            .unwrap_or_default();
        let blobs = self.dir.join(crate::locker::BLOBS);
        let left: Vec<String> = std::fs::read_dir(&blobs)
            .into_iter()
            .flatten()
            .flatten()
            .filter_map(|shard| std::fs::read_dir(shard.path()).ok())
            .flatten()
            .flatten()
            .map(|f| f.file_name().to_string_lossy().into_owned())
            .filter(|name| !known.contains(name))
            .collect();
        if !left.is_empty() {
            report.problems.push(Problem {
                kind: ProblemKind::Extra,
                item: "blobs/".into(),
                message: format!(
                    "{} stored original(s) that no record refers to are still in blobs/ (a deletion or an import that did not finish removing them); they are removed or quarantined the next time the locker is opened",
                    left.len()
                ),
            });
        }
        let quarantined = count(&self.dir.join(crate::locker::QUARANTINE));
        if quarantined > 0 {
            report.problems.push(Problem {
                kind: ProblemKind::Quarantined,
                item: "quarantine/".into(),
                message: format!(
                    "{quarantined} stored original(s) that no record refers to were found and kept in quarantine/: the database may be older than the originals (restored from a backup?), or records were removed outside Varde"
                ),
            });
        }
    }
}
