//! The locker: a directory holding an encrypted database and encrypted originals.
//!
//! ```text
//! <locker>/locker.json   header: format version, Argon2id parameters, wrapped master key
//! <locker>/locker.db     SQLCipher database: cases, persons, incidents, evidence records, audit log
//! <locker>/blobs/xx/...  originals, each AES-256-GCM STREAM encrypted, named by a keyed hash
//! <locker>/tmp/          blobs being written; emptied at every open
//! <locker>/locker.lock   held exclusively while a process has the locker open
//! ```

use std::collections::BTreeMap;
use std::fs::{self, File};
use std::io::Write as _;
use std::path::{Path, PathBuf};

use rusqlite::{Connection, OptionalExtension, Transaction};
use serde::{Deserialize, Serialize};
use serde_json::Value;
use zeroize::Zeroizing;

use crate::audit;
use crate::clock::{Clock, SystemClock, fmt_time};
use crate::crypto::{self, KdfParams, Key, Keys};
use crate::db;
use crate::error::{Error, Result};
use crate::model::Mode;

/// The locker format this build writes and reads (the header's `version`).
pub const FORMAT_VERSION: u32 = 1;
const FORMAT_NAME: &str = "varde-locker";
const HEADER: &str = "locker.json";
const DATABASE: &str = "locker.db";
const LOCK: &str = "locker.lock";
pub(crate) const BLOBS: &str = "blobs";
pub(crate) const TMP: &str = "tmp";
/// Lists of blob files being placed by a call that has not committed yet (see
/// [`Locker::place_blobs`]).
const PENDING: &str = "pending";
/// Blob files that no record refers to and that no interrupted call placed: kept, never
/// deleted, since only a person can tell whether they still matter (an older `locker.db`
/// restored from a backup leaves exactly these).
pub(crate) const QUARANTINE: &str = "quarantine";

#[derive(Debug, Clone, Serialize, Deserialize)]
struct Header {
    format: String,
    version: u32,
    locker_id: String,
    kdf: KdfHeader,
    key: WrappedKey,
    /// SHA-256 over every other field, so a damaged header is told from a wrong
    /// passphrase. Absent in headers written before it existed (added at the next open).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    checksum: Option<String>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
struct KdfHeader {
    algorithm: String,
    #[serde(flatten)]
    params: KdfParams,
    salt: String,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
struct WrappedKey {
    algorithm: String,
    nonce: String,
    ciphertext: String,
}

impl Header {
    /// SHA-256 of every field but the checksum itself.
    fn computed_checksum(&self) -> String {
        use sha2::Digest as _;
        let body = format!(
            "{}|{}|{}|{}|{}|{}|{}|{}|{}|{}|{}",
            self.format,
            self.version,
            self.locker_id,
            self.kdf.algorithm,
            self.kdf.params.m_cost_kib,
            self.kdf.params.t_cost,
            self.kdf.params.p_cost,
            self.kdf.salt,
            self.key.algorithm,
            self.key.nonce,
            self.key.ciphertext
        );
        hex::encode(sha2::Sha256::digest(body.as_bytes()))
    }

    /// Refuse a header whose fields were damaged, before any key is derived from them.
    fn check(&self) -> Result<()> {
        if let Some(sum) = &self.checksum
            && *sum != self.computed_checksum()
        {
            return Err(Error::Damaged(format!(
                "its header ({HEADER}) is damaged: its fields do not match its checksum (the salt, the key-derivation parameters or the wrapped key were changed)"
            )));
        }
        let p = self.kdf.params;
        if !(8..=4 << 20).contains(&p.m_cost_kib)
            || !(1..=64).contains(&p.t_cost)
            || !(1..=64).contains(&p.p_cost)
        {
            return Err(Error::Damaged(format!(
                "its header ({HEADER}) is damaged: its key-derivation parameters are out of range"
            )));
        }
        Ok(())
    }

    /// The header fields the wrapped key is bound to (tampering with them fails unwrapping).
    fn aad(&self) -> Vec<u8> {
        format!(
            "{}|{}|{}|{}|{}|{}|{}",
            self.format,
            self.version,
            self.locker_id,
            self.kdf.algorithm,
            self.kdf.params.m_cost_kib,
            self.kdf.params.t_cost,
            self.kdf.params.p_cost
        )
        .into_bytes()
    }

    fn wrap(
        locker_id: String,
        passphrase: &str,
        params: KdfParams,
        master: &Key,
    ) -> Result<Header> {
        let salt = crypto::random_bytes::<16>();
        let mut h = Header {
            format: FORMAT_NAME.into(),
            version: FORMAT_VERSION,
            locker_id,
            kdf: KdfHeader {
                algorithm: "argon2id".into(),
                params,
                salt: hex::encode(salt),
            },
            key: WrappedKey {
                algorithm: "aes-256-gcm".into(),
                nonce: String::new(),
                ciphertext: String::new(),
            },
            checksum: None,
        };
        let kek = crypto::derive_kek(passphrase, &salt, params)?;
        let (nonce, ct) = crypto::seal(&kek, &h.aad(), master.as_ref());
        h.key.nonce = hex::encode(nonce);
        h.key.ciphertext = hex::encode(ct);
        h.checksum = Some(h.computed_checksum());
        Ok(h)
    }

    fn unwrap(&self, passphrase: &str) -> Result<Key> {
        let damaged =
            |what: &str| Error::Damaged(format!("its header ({HEADER}) is damaged ({what})"));
        self.check()?;
        let salt = hex::decode(&self.kdf.salt).map_err(|_| damaged("salt"))?;
        let nonce = hex::decode(&self.key.nonce).map_err(|_| damaged("nonce"))?;
        let ct = hex::decode(&self.key.ciphertext).map_err(|_| damaged("key"))?;
        let kek = crypto::derive_kek(passphrase, &salt, self.kdf.params)?;
        let plain = crypto::open(&kek, &self.aad(), &nonce, &ct).ok_or(Error::WrongPassphrase)?;
        let mut key = Zeroizing::new([0u8; 32]);
        if plain.len() != 32 {
            return Err(damaged("key length"));
        }
        key.copy_from_slice(&plain);
        Ok(key)
    }
}

/// Options for [`Locker::init`].
#[derive(Debug, Clone)]
pub struct InitOptions {
    /// Officer locker or personal self-log.
    pub mode: Mode,
    /// The owner's name, used as the default actor in the audit log.
    pub owner: String,
    /// Key-derivation cost.
    pub kdf: KdfParams,
}

/// An open, unlocked locker. Holds the exclusive lock until dropped.
pub struct Locker {
    pub(crate) dir: PathBuf,
    pub(crate) conn: Connection,
    pub(crate) keys: Keys,
    pub(crate) clock: Box<dyn Clock>,
    pub(crate) actor: String,
    header: Header,
    /// Answers kept until the locker changes (`memo.rs`).
    pub(crate) memo: crate::memo::Memo,
    _lock: File,
}

impl std::fmt::Debug for Locker {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Locker")
            .field("dir", &self.dir)
            .finish_non_exhaustive()
    }
}

/// The rule a new passphrase must meet: long enough, and not guessable (zxcvbn's score, 0
/// to 4, estimates how many guesses an attacker with dictionaries and common patterns
/// needs: 3 is about 10^10, which Argon2 at 64 MiB makes years of work for one machine).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct PassphraseRule {
    /// At least this many characters.
    pub min_chars: u32,
    /// At least this zxcvbn score (0 to 4).
    pub min_score: u8,
}

/// The one passphrase rule, shown by the UI and the CLI and enforced here.
pub const PASSPHRASE_RULE: PassphraseRule = PassphraseRule {
    min_chars: 12,
    min_score: 3,
};

/// How a candidate passphrase measures against [`PASSPHRASE_RULE`].
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct PassphraseCheck {
    /// Characters in it.
    pub chars: u32,
    /// zxcvbn's score, 0 (guessed at once) to 4 (very hard to guess).
    pub score: u8,
    /// It meets the rule.
    pub ok: bool,
    /// Why not, when it does not.
    pub problem: Option<PassphraseProblem>,
}

/// Why a passphrase does not meet [`PASSPHRASE_RULE`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub enum PassphraseProblem {
    /// Fewer characters than the rule asks (or only spaces).
    TooShort,
    /// zxcvbn scores it below the rule.
    TooGuessable,
}

/// Measure a candidate passphrase (for a strength meter as the user types).
pub fn measure_passphrase(p: &str) -> PassphraseCheck {
    let chars = u32::try_from(p.chars().count()).unwrap_or(u32::MAX);
    // zxcvbn's cost grows with length; past 100 characters a passphrase is long enough.
    let sample: String = p.chars().take(100).collect();
    let score = u8::from(
        zxcvbn::zxcvbn(&sample, &["varde", "passord", "passordfrase", "passphrase"]).score(),
    );
    let problem = if chars < PASSPHRASE_RULE.min_chars || p.trim().is_empty() {
        Some(PassphraseProblem::TooShort)
    } else if score < PASSPHRASE_RULE.min_score {
        Some(PassphraseProblem::TooGuessable)
    } else {
        None
    };
    PassphraseCheck {
        chars,
        score,
        ok: problem.is_none(),
        problem,
    }
}

/// Check a new passphrase against [`PASSPHRASE_RULE`].
pub fn check_new_passphrase(p: &str) -> Result<()> {
    let m = measure_passphrase(p);
    if m.ok {
        Ok(())
    } else {
        Err(Error::WeakPassphrase(m))
    }
}

fn read_header(dir: &Path) -> Result<Header> {
    let not = |reason: String| Error::NotALocker {
        path: dir.to_path_buf(),
        reason,
    };
    if !dir.is_dir() {
        return Err(not(if dir.exists() {
            "it is not a directory".into()
        } else {
            "no such directory".into()
        }));
    }
    let path = dir.join(HEADER);
    let bytes = match fs::read(&path) {
        Ok(b) => b,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            return Err(not(format!("it has no {HEADER}")));
        }
        Err(e) => return Err(Error::io("reading", path, e)),
    };
    let value: Value = serde_json::from_slice(&bytes)
        .map_err(|_| not(format!("its {HEADER} is not valid JSON")))?;
    if value.get("format").and_then(Value::as_str) != Some(FORMAT_NAME) {
        return Err(not(format!("its {HEADER} is not a Varde locker header")));
    }
    let version = value.get("version").and_then(Value::as_u64).unwrap_or(0);
    if version > u64::from(FORMAT_VERSION) {
        return Err(Error::NewerLocker {
            what: "locker format",
            found: u32::try_from(version).unwrap_or(u32::MAX),
            supported: FORMAT_VERSION,
        });
    }
    let header: Header = serde_json::from_value(value)
        .map_err(|e| Error::Damaged(format!("its header ({HEADER}) is damaged ({e})")))?;
    if header.kdf.algorithm != "argon2id" || header.key.algorithm != "aes-256-gcm" {
        return Err(Error::Damaged(format!(
            "its header ({HEADER}) names an unknown algorithm"
        )));
    }
    Ok(header)
}

/// Write `bytes` to `path` atomically and durably: temp file, fsync, rename, fsync dir.
pub(crate) fn write_atomic(path: &Path, bytes: &[u8]) -> Result<()> {
    let dir = path.parent().unwrap_or(Path::new("."));
    let tmp = dir.join(format!(
        ".{}.tmp",
        path.file_name().and_then(|n| n.to_str()).unwrap_or("file")
    ));
    let result = (|| {
        let mut f = create_private(&tmp)?;
        f.write_all(bytes)?;
        f.sync_all()?;
        fs::rename(&tmp, path)?;
        sync_dir(dir)
    })();
    result.map_err(|e| {
        let _ = fs::remove_file(&tmp);
        Error::io("writing", path, e)
    })
}

/// Create (or truncate) a file only its owner can read and write (0600 on Unix).
pub(crate) fn create_private(path: &Path) -> std::io::Result<File> {
    let mut o = File::options();
    o.write(true).create(true).truncate(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut o, 0o600);
    o.open(path)
}

/// Create a new file (failing if it exists) only its owner can read and write.
pub(crate) fn create_new_private(path: &Path) -> std::io::Result<File> {
    let mut o = File::options();
    o.write(true).create_new(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut o, 0o600);
    o.open(path)
}

/// Create a directory (and its parents) only its owner can enter (0700 on Unix).
pub(crate) fn create_private_dir(path: &Path) -> std::io::Result<()> {
    let mut b = fs::DirBuilder::new();
    b.recursive(true);
    #[cfg(unix)]
    std::os::unix::fs::DirBuilderExt::mode(&mut b, 0o700);
    b.create(path)
}

/// True when the file system holding `dir` has (almost) no space left for the locker.
pub(crate) fn disk_is_full(dir: &Path) -> bool {
    const ROOM: u64 = 1 << 20;
    let probe = if dir.exists() {
        dir
    } else {
        dir.parent().unwrap_or(dir)
    };
    match rustix::fs::statvfs(probe) {
        Ok(s) => s.f_bavail.saturating_mul(s.f_frsize) < ROOM,
        Err(_) => false,
    }
}

/// fsync a directory so a rename in it is durable.
pub(crate) fn sync_dir(dir: &Path) -> std::io::Result<()> {
    File::open(dir)?.sync_all()
}

fn take_lock(dir: &Path) -> Result<File> {
    let path = dir.join(LOCK);
    let mut o = File::options();
    o.create(true).truncate(false).write(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut o, 0o600);
    let f = o.open(&path).map_err(|e| Error::io("opening", &path, e))?;
    // A process that has just closed the locker can hold the lock a moment longer (a child
    // forked by it still has the descriptor until it execs): try for up to a second.
    for attempt in 0..20 {
        match f.try_lock() {
            Ok(()) => return Ok(f),
            Err(fs::TryLockError::WouldBlock) if attempt < 19 => {
                std::thread::sleep(std::time::Duration::from_millis(50));
            }
            Err(fs::TryLockError::WouldBlock) => return Err(Error::LockerInUse),
            Err(fs::TryLockError::Error(e)) => return Err(Error::io("locking", path, e)),
        }
    }
    Err(Error::LockerInUse)
}

impl Locker {
    /// Create a new locker in `dir` (which must not exist or be empty).
    pub fn init(
        dir: &Path,
        passphrase: &str,
        opts: InitOptions,
        clock: Box<dyn Clock>,
    ) -> Result<Locker> {
        if opts.owner.trim().is_empty() {
            return Err(Error::invalid(crate::invalid::Invalid::Required {
                field: crate::invalid::Field::Owner,
            }));
        }
        check_new_passphrase(passphrase)?;
        if dir.exists() {
            let mut entries = fs::read_dir(dir).map_err(|e| Error::io("reading", dir, e))?;
            if entries.next().is_some() {
                return Err(Error::AlreadyExists(dir.to_path_buf()));
            }
        }
        create_private_dir(dir).map_err(|e| Error::io("creating", dir, e))?;
        let made = Self::init_inner(dir, passphrase, opts, clock);
        if made.is_err() {
            // Leave the directory as it was: empty.
            for name in [
                HEADER,
                DATABASE,
                "locker.db-wal",
                "locker.db-shm",
                BLOBS,
                TMP,
                PENDING,
                LOCK,
            ] {
                let p = dir.join(name);
                let _ = fs::remove_dir_all(&p).or_else(|_| fs::remove_file(&p));
            }
        }
        made
    }

    fn init_inner(
        dir: &Path,
        passphrase: &str,
        opts: InitOptions,
        clock: Box<dyn Clock>,
    ) -> Result<Locker> {
        let lock = take_lock(dir)?;
        for sub in [BLOBS, TMP] {
            create_private_dir(&dir.join(sub))
                .map_err(|e| Error::io("creating", dir.join(sub), e))?;
        }
        let master: Key = Zeroizing::new(crypto::random_bytes::<32>());
        let keys = Keys::derive(&master);
        let locker_id = uuid::Uuid::new_v4().to_string();
        let header = Header::wrap(locker_id.clone(), passphrase, opts.kdf, &master)?;
        // SQLite gives the -wal and -shm files the database file's mode: make it 0600 first.
        create_private(&dir.join(DATABASE))
            .map_err(|e| Error::io("creating", dir.join(DATABASE), e))?;
        let conn = db::open(&dir.join(DATABASE), &keys.db, true)?;
        crate::seal::install(&conn)?;
        let mut locker = Locker {
            dir: dir.to_path_buf(),
            conn,
            keys,
            clock,
            actor: opts.owner.clone(),
            header,
            memo: Default::default(),
            _lock: lock,
        };
        let signing = ed25519_dalek::SigningKey::generate(&mut rand::rngs::OsRng);
        let public_hex = hex::encode(signing.verifying_key().as_bytes());
        let secret_hex = Zeroizing::new(hex::encode(signing.to_bytes()));
        locker.write(|w| {
            for (k, v) in [
                ("locker_id", locker_id.as_str()),
                ("mode", opts.mode.as_str()),
                ("owner", opts.owner.as_str()),
                ("signing_key", secret_hex.as_str()),
                ("signing_public_key", public_hex.as_str()),
                ("records_sealed", &db::SCHEMA_VERSION.to_string()),
            ] {
                w.tx.execute("INSERT INTO settings (key, value) VALUES (?1, ?2)", [k, v])?;
            }
            w.audit(
                "locker.init",
                "locker",
                serde_json::json!({
                    "locker_id": locker_id,
                    "mode": opts.mode.as_str(),
                    "format_version": FORMAT_VERSION,
                    "schema_version": db::SCHEMA_VERSION,
                    "signing_public_key": public_hex,
                }),
            )?;
            Ok(())
        })?;
        // The header is written last: until it exists, the directory is not a locker.
        let header_json = serde_json::to_vec_pretty(&locker.header).map_err(Error::internal)?;
        write_atomic(&dir.join(HEADER), &header_json)?;
        // A self-log has exactly one case, the employee's own: made now, so that it is
        // there to list and log into from the first moment.
        if opts.mode == crate::model::Mode::SelfLog {
            locker.self_log_case()?;
        }
        Ok(locker)
    }

    /// Open an existing locker with its passphrase.
    ///
    /// Refuses, naming the problem, a header that is damaged (not "wrong passphrase"), a
    /// database that is missing, empty, damaged or another locker's — so that nothing is
    /// set up or cleaned up over a locker's originals on the strength of the wrong file.
    pub fn open(dir: &Path, passphrase: &str, clock: Box<dyn Clock>) -> Result<Locker> {
        let header = read_header(dir)?;
        let lock = take_lock(dir)?;
        let master = header.unwrap(passphrase)?;
        let keys = Keys::derive(&master);
        let conn = db::open(&dir.join(DATABASE), &keys.db, false)?;
        let stored_id: Option<String> = conn
            .query_row(
                "SELECT value FROM settings WHERE key = 'locker_id'",
                [],
                |r| r.get(0),
            )
            .optional()?;
        match stored_id {
            Some(id) if id == header.locker_id => {}
            Some(id) => {
                return Err(Error::Damaged(format!(
                    "its database (locker.db) belongs to another locker ({id}, not {}): it was copied in from elsewhere",
                    header.locker_id
                )));
            }
            None => {
                return Err(Error::Damaged(
                    "its database (locker.db) does not name its locker: it is damaged or was replaced"
                        .into(),
                ));
            }
        }
        crate::seal::install(&conn)?;
        let actor = conn
            .query_row("SELECT value FROM settings WHERE key = 'owner'", [], |r| {
                r.get(0)
            })
            .optional()?
            .unwrap_or_else(|| "unknown".to_string());
        let mut locker = Locker {
            dir: dir.to_path_buf(),
            conn,
            keys,
            clock,
            actor,
            header,
            memo: Default::default(),
            _lock: lock,
        };
        locker.finish_passphrase_change()?;
        locker.clean_up()?;
        locker.seal_upgraded()?;
        crate::search::build_if_missing(&mut locker.conn)?;
        locker.finish_interrupted_exports()?;
        if locker.header.checksum.is_none() {
            // A header from before checksums: add one, so later damage is told apart.
            let mut h = locker.header.clone();
            h.checksum = Some(h.computed_checksum());
            let json = serde_json::to_vec_pretty(&h).map_err(Error::internal)?;
            write_atomic(&dir.join(HEADER), &json)?;
            locker.header = h;
        }
        Ok(locker)
    }

    /// Where a locker lives when none is named: `varde/locker` in the user's data folder
    /// (`~/.local/share/varde/locker` on Linux). `None` when the system has no such folder.
    /// The CLI (`--locker`, `VARDE_LOCKER`) and the app (`VARDE_LOCKER`) start from this.
    pub fn default_dir() -> Option<PathBuf> {
        dirs::data_dir().map(|d| d.join("varde").join("locker"))
    }

    /// Open with the system clock.
    pub fn open_default(dir: &Path, passphrase: &str) -> Result<Locker> {
        Self::open(dir, passphrase, Box::new(SystemClock))
    }

    /// A locker made before records were sealed gets its records sealed once, in
    /// `locker.seal` events, so that from now on `verify` sees an edit made outside Varde.
    fn seal_upgraded(&mut self) -> Result<()> {
        if self.setting("records_sealed")?.is_some() {
            return Ok(());
        }
        let made_at: Option<String> = self
            .conn
            .query_row(
                "SELECT json_extract(details, '$.schema_version') FROM audit_events WHERE seq = 1",
                [],
                |r| r.get::<_, Option<i64>>(0).map(|v| v.map(|v| v.to_string())),
            )
            .optional()?
            .flatten();
        let before_seals = made_at
            .and_then(|v| v.parse::<u32>().ok())
            .is_none_or(|v| v < db::SEALS_SINCE);
        let sealed_before: bool = self.conn.query_row(
            "SELECT count(*) FROM audit_events WHERE action = 'locker.seal'",
            [],
            |r| r.get::<_, i64>(0),
        )? > 0;
        let chunks = if before_seals && !sealed_before {
            crate::seal::unsealed_chunks(&self.conn)?
        } else {
            Vec::new()
        };
        let parts = chunks.len();
        self.write(|w| {
            w.tx.execute(
                "INSERT INTO settings (key, value) VALUES ('records_sealed', ?1)",
                [db::SCHEMA_VERSION.to_string()],
            )?;
            for (i, records) in chunks.into_iter().enumerate() {
                w.audit(
                    "locker.seal",
                    "locker",
                    serde_json::json!({
                        "reason": "records made before this version of Varde, sealed as found",
                        "part": i + 1,
                        "parts": parts,
                        "records": records,
                    }),
                )?;
            }
            if parts == 0 {
                w.audit(
                    "locker.seal",
                    "locker",
                    serde_json::json!({"reason": "records are sealed from the start", "parts": 0}),
                )?;
            }
            Ok(())
        })
    }

    /// Remove what a crash can leave behind: temp files, and blob files that an
    /// interrupted call placed (listed in `pending/`) without committing their records.
    /// Runs under the exclusive lock, so nothing else is writing. A blob file that no
    /// record refers to and no interrupted call placed is never deleted: it is moved to
    /// `quarantine/`, and `verify` reports it.
    fn clean_up(&self) -> Result<()> {
        let tmp = self.dir.join(TMP);
        create_private_dir(&tmp).map_err(|e| Error::io("creating", &tmp, e))?;
        // A header change a crash interrupted: the old header is still in force.
        for stale in [format!(".{HEADER}.new"), format!(".{HEADER}.tmp")] {
            let _ = fs::remove_file(self.dir.join(stale));
        }
        for entry in fs::read_dir(&tmp).map_err(|e| Error::io("reading", &tmp, e))? {
            let entry = entry.map_err(|e| Error::io("reading", &tmp, e))?;
            let _ = fs::remove_file(entry.path());
        }
        let mut known = std::collections::HashSet::new();
        let mut stmt = self.conn.prepare("SELECT file FROM blobs")?;
        for f in stmt.query_map([], |r| r.get::<_, String>(0))? {
            known.insert(f?);
        }
        // Blobs that an interrupted call placed: proven orphans when not in the database.
        let pending = self.dir.join(PENDING);
        let mut placed_by_interrupted = std::collections::HashSet::new();
        let mut journals = Vec::new();
        if let Ok(list) = fs::read_dir(&pending) {
            for j in list.flatten() {
                if let Ok(text) = fs::read_to_string(j.path()) {
                    placed_by_interrupted.extend(text.lines().map(str::to_string));
                }
                journals.push(j.path());
            }
        }
        let blobs = self.dir.join(BLOBS);
        if let Ok(shards) = fs::read_dir(&blobs) {
            for shard in shards.flatten() {
                let Ok(files) = fs::read_dir(shard.path()) else {
                    continue;
                };
                for file in files.flatten() {
                    let name = file.file_name().to_string_lossy().into_owned();
                    if known.contains(&name) {
                        continue;
                    }
                    if placed_by_interrupted.contains(&name) {
                        let _ = fs::remove_file(file.path());
                    } else {
                        let q = self.dir.join(QUARANTINE);
                        create_private_dir(&q).map_err(|e| Error::io("creating", &q, e))?;
                        fs::rename(file.path(), q.join(&name))
                            .map_err(|e| Error::io("moving to quarantine", file.path(), e))?;
                    }
                }
            }
        }
        for j in journals {
            let _ = fs::remove_file(j);
        }
        Ok(())
    }

    /// List blob file names durably in `pending/`, for a write that will remove (or has
    /// placed) them: if a crash follows its commit, the next open removes the ones no
    /// record refers to. The journal's path, to remove once the files are dealt with.
    pub(crate) fn journal_blob_names(&self, names: &[String]) -> Result<PathBuf> {
        let pending = self.dir.join(PENDING);
        let journal = pending.join(format!("{}.list", uuid::Uuid::new_v4()));
        let mut list = String::new();
        for name in names {
            list.push_str(name);
            list.push('\n');
        }
        create_private_dir(&pending).map_err(|e| Error::io("creating", &pending, e))?;
        write_atomic(&journal, list.as_bytes())?;
        Ok(journal)
    }

    /// Move freshly written temp blobs into `blobs/` as `(temp file, blob file name)`.
    /// The names are first listed durably in `pending/`, so that a crash before the
    /// records commit leaves blobs the next open can prove are orphans. On failure,
    /// whatever was moved is removed again and nothing is left.
    pub(crate) fn place_blobs(&self, items: &[(PathBuf, String)]) -> Result<PlacedBlobs> {
        let mut placed = PlacedBlobs {
            journal: None,
            paths: Vec::new(),
        };
        if items.is_empty() {
            return Ok(placed);
        }
        let names: Vec<String> = items.iter().map(|(_, name)| name.clone()).collect();
        placed.journal = Some(self.journal_blob_names(&names)?);
        let mut shards = std::collections::BTreeSet::new();
        for (tmp, name) in items {
            let dest = crate::evidence::blob_path(&self.dir, name);
            let shard = dest.parent().unwrap_or(&self.dir).to_path_buf();
            let moved = create_private_dir(&shard).and_then(|_| fs::rename(tmp, &dest));
            if let Err(e) = moved {
                placed.undo();
                return Err(Error::io("storing (nothing was stored)", &dest, e));
            }
            placed.paths.push(dest);
            shards.insert(shard);
        }
        for shard in &shards {
            if let Err(e) = sync_dir(shard) {
                placed.undo();
                return Err(Error::io("storing (nothing was stored)", shard, e));
            }
        }
        Ok(placed)
    }

    /// Set who is acting (recorded in the audit log and on new records).
    pub fn set_actor(&mut self, actor: impl Into<String>) {
        let a = actor.into();
        if !a.trim().is_empty() {
            self.actor = a;
        }
    }

    /// Who is acting.
    pub fn actor(&self) -> &str {
        &self.actor
    }

    /// The locker's directory.
    pub fn dir(&self) -> &Path {
        &self.dir
    }

    /// The locker's unique id.
    pub fn locker_id(&self) -> &str {
        &self.header.locker_id
    }

    /// Officer locker or self-log.
    pub fn mode(&self) -> Result<Mode> {
        self.setting("mode")?
            .and_then(|m| m.parse().ok())
            .ok_or_else(|| Error::Integrity("the locker's mode setting is missing".into()))
    }

    /// Read a setting.
    pub fn setting(&self, key: &str) -> Result<Option<String>> {
        Ok(self
            .conn
            .query_row("SELECT value FROM settings WHERE key = ?1", [key], |r| {
                r.get(0)
            })
            .optional()?)
    }

    /// The key that signs this locker's bundles and deletion receipts (made at `init`),
    /// checked against its recorded public half.
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

    /// The fingerprint of this locker's signing key (SHA-256 of the raw public key, hex).
    pub fn signing_key_fingerprint(&self) -> Result<String> {
        Ok(crate::bundle::key_fingerprint(
            self.signing_key()?.verifying_key().as_bytes(),
        ))
    }

    /// A passphrase change a crash interrupted after its audit event was committed but
    /// before the new header took its place: the event names the staged header, so the
    /// change is completed now (the locker then opens with the new passphrase, as the audit
    /// log says). A staged header with no such event was never recorded, and is removed.
    fn finish_passphrase_change(&mut self) -> Result<()> {
        let staged_path = self.dir.join(format!(".{HEADER}.new"));
        let Ok(bytes) = fs::read(&staged_path) else {
            return Ok(());
        };
        let staged: Option<Header> = serde_json::from_slice(&bytes).ok();
        let recorded: Option<String> = self
            .conn
            .query_row(
                "SELECT json_extract(details, '$.header_checksum') FROM audit_events
                 WHERE action = 'locker.passphrase_change' ORDER BY seq DESC LIMIT 1",
                [],
                |r| r.get(0),
            )
            .optional()?
            .flatten();
        match (staged, recorded) {
            (Some(h), Some(sum))
                if h.computed_checksum() == sum
                    && h.locker_id == self.header.locker_id
                    && self.header.computed_checksum() != sum =>
            {
                fs::rename(&staged_path, self.dir.join(HEADER))
                    .and_then(|_| sync_dir(&self.dir))
                    .map_err(|e| Error::io("writing", self.dir.join(HEADER), e))?;
                self.header = h;
            }
            _ => {
                let _ = fs::remove_file(&staged_path);
            }
        }
        Ok(())
    }

    /// Change the passphrase: the master key is re-wrapped under a key derived from the
    /// new passphrase and the header replaced atomically. Data is not re-encrypted.
    pub fn change_passphrase(&mut self, old: &str, new: &str) -> Result<()> {
        check_new_passphrase(new)?;
        let master = self.header.unwrap(old)?;
        let header = Header::wrap(
            self.header.locker_id.clone(),
            new,
            self.header.kdf.params,
            &master,
        )?;
        let json = serde_json::to_vec_pretty(&header).map_err(Error::internal)?;
        // The new header is written and fsynced beside the old one first, so that a full
        // disk fails before anything is recorded; then the change is audited; then the
        // rename (which needs no space) makes it take effect.
        let path = self.dir.join(HEADER);
        let tmp = self.dir.join(format!(".{HEADER}.new"));
        let staged = (|| {
            let mut f = create_private(&tmp)?;
            f.write_all(&json)?;
            f.sync_all()
        })();
        if let Err(e) = staged {
            let _ = fs::remove_file(&tmp);
            return Err(if crate::error::is_disk_full(&e) {
                Error::DiskFull(
                    "the new passphrase could not be saved; nothing was changed and the old passphrase still opens the locker".into(),
                )
            } else {
                Error::io("writing", &tmp, e)
            });
        }
        // The event names the new header, so that a crash between this commit and the
        // rename is finished at the next open (finish_passphrase_change): all or nothing.
        let new_checksum = header.computed_checksum();
        if let Err(e) = self.write(|w| {
            w.audit(
                "locker.passphrase_change",
                "locker",
                serde_json::json!({ "header_checksum": new_checksum }),
            )
        }) {
            let _ = fs::remove_file(&tmp);
            return Err(e);
        }
        fs::rename(&tmp, &path)
            .and_then(|_| sync_dir(&self.dir))
            .map_err(|e| Error::io("writing", &path, e))?;
        self.header = header;
        Ok(())
    }

    /// The one path for writes: opens a transaction, runs `f`, and commits only if `f`
    /// appended at least one audit event. A write without its audit event cannot exist.
    pub(crate) fn write<T>(&mut self, f: impl FnOnce(&mut Write<'_>) -> Result<T>) -> Result<T> {
        let dir = self.dir.clone();
        let storage = |e: Error| {
            match e {
            Error::Database(e) => db::storage(&dir, e),
            Error::DiskFull(_) => Error::DiskFull(
                "the change could not be written, so nothing was changed in the locker; free some space and try again".into(),
            ),
            other => other,
        }
        };
        let time = fmt_time(&self.clock.now());
        let tx = self
            .conn
            .transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)
            .map_err(|e| storage(e.into()))?;
        crate::seal::reset(&tx)?;
        let head = audit::head(&tx)?;
        let mut w = Write {
            tx,
            head,
            events: 0,
            time,
            actor: self.actor.clone(),
        };
        let out = f(&mut w).map_err(storage)?;
        if w.events == 0 {
            return Err(Error::Integrity(
                "internal: a write without an audit event was refused".into(),
            ));
        }
        let unsealed = crate::seal::pending(&w.tx)?;
        if unsealed > 0 {
            return Err(Error::Integrity(format!(
                "internal: a write changed {unsealed} record(s) after its last audit event, which would leave them unsealed; it was refused"
            )));
        }
        w.tx.commit().map_err(|e| storage(e.into()))?;
        Ok(out)
    }

    /// The audit trail, oldest first; `subject` filters to e.g. `case:V-2026-0001`.
    pub fn audit_log(&self, subject: Option<&str>) -> Result<Vec<audit::AuditEvent>> {
        audit::list(&self.conn, subject)
    }

    /// Raw access to the database, for tests that tamper with a locker on purpose.
    #[cfg(feature = "test-support")]
    pub fn raw_connection(&self) -> &Connection {
        &self.conn
    }

    /// The blob file for an original with this SHA-256, for tests that damage one.
    #[cfg(feature = "test-support")]
    pub fn blob_path_for_tests(&self, sha256: &str) -> Result<PathBuf> {
        let file: String =
            self.conn
                .query_row("SELECT file FROM blobs WHERE sha256 = ?1", [sha256], |r| {
                    r.get(0)
                })?;
        Ok(crate::evidence::blob_path(&self.dir, &file))
    }
}

/// A write in progress: the transaction and the audit chain's head.
pub(crate) struct Write<'c> {
    pub tx: Transaction<'c>,
    head: (i64, String),
    events: usize,
    /// The time of this write (RFC 3339 local with offset).
    pub time: String,
    /// Who is writing.
    pub actor: String,
}

impl Write<'_> {
    /// Append an audit event in this write's transaction. Returns its sequence number.
    pub fn audit(&mut self, action: &str, subject: &str, details: Value) -> Result<i64> {
        self.audit_sealing(action, subject, details, BTreeMap::new())
    }

    /// [`Write::audit`], sealing also the rows in `carried` with the hashes given (for
    /// the seals a case deletion takes over from the events it erases); the rows this
    /// write changed are sealed as they are, whatever `carried` says of them.
    pub fn audit_sealing(
        &mut self,
        action: &str,
        subject: &str,
        mut details: Value,
        carried: BTreeMap<String, Option<String>>,
    ) -> Result<i64> {
        let drained = crate::seal::drain(&self.tx)?;
        // The search index follows the records in the same transaction.
        for key in drained.keys() {
            if let Some((table, rid)) = key.split_once(':')
                && let Ok(rid) = rid.parse::<i64>()
            {
                crate::search::reindex(&self.tx, table, rid)?;
            }
        }
        let mut records = carried;
        records.extend(drained);
        if !records.is_empty() {
            let Value::Object(map) = &mut details else {
                return Err(Error::Integrity(
                    "internal: audit details must be an object".into(),
                ));
            };
            map.insert(
                "records".into(),
                serde_json::to_value(records).map_err(|e| Error::Integrity(e.to_string()))?,
            );
        }
        self.head = audit::append(
            &self.tx,
            &self.head,
            &self.time,
            &self.actor,
            action,
            subject,
            &details,
        )?;
        self.events += 1;
        Ok(self.head.0)
    }

    /// The sequence number the next audit event will get.
    pub fn next_seq(&self) -> i64 {
        self.head.0 + 1
    }

    /// The hash of the last event appended (or of the head before this write).
    pub fn head_hash(&self) -> &str {
        &self.head.1
    }
}

/// Blob files moved into `blobs/` by [`Locker::place_blobs`] for a write not yet committed.
#[must_use = "call finish() after the commit or undo() after a failure"]
pub(crate) struct PlacedBlobs {
    journal: Option<PathBuf>,
    paths: Vec<PathBuf>,
}

impl PlacedBlobs {
    /// The records committed: the blobs stay, and the list of pending names goes.
    pub(crate) fn finish(self) {
        if let Some(j) = &self.journal {
            let _ = fs::remove_file(j);
        }
    }

    /// The write failed: remove the blobs placed, then the list.
    pub(crate) fn undo(&self) {
        for p in &self.paths {
            let _ = fs::remove_file(p);
        }
        if let Some(j) = &self.journal {
            let _ = fs::remove_file(j);
        }
    }
}

#[cfg(test)]
mod passphrase_tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    #[test]
    fn weak_passphrases_are_refused_and_long_odd_ones_pass() {
        for weak in [
            "12345678",
            "        ",
            "            ",
            "passordpassord",
            "qwertyuiopasdf",
            "Password1234",
            "abcdefghijk",
        ] {
            let m = measure_passphrase(weak);
            assert!(!m.ok, "{weak:?} passed with score {}", m.score);
            assert!(check_new_passphrase(weak).is_err());
        }
        for strong in [
            "korrekt hest batteri stift",
            "correct horse battery staple",
            "blå tekopp under fjellet",
        ] {
            let m = measure_passphrase(strong);
            assert!(m.ok, "{strong:?} refused with score {}", m.score);
        }
        let short = check_new_passphrase("x7#Qp!2z").unwrap_err();
        assert!(short.to_string().contains("12 characters"), "{short}");
    }
}
