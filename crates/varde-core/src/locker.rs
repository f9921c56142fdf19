//! The locker: a directory holding an encrypted database and encrypted originals.
//!
//! ```text
//! <locker>/locker.json   header: format version, Argon2id parameters, wrapped master key
//! <locker>/locker.db     SQLCipher database: cases, persons, incidents, evidence records, audit log
//! <locker>/blobs/xx/...  originals, each AES-256-GCM STREAM encrypted, named by a keyed hash
//! <locker>/tmp/          blobs being written; emptied at every open
//! <locker>/locker.lock   held exclusively while a process has the locker open
//! ```

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
const MIN_PASSPHRASE_CHARS: usize = 8;

#[derive(Debug, Clone, Serialize, Deserialize)]
struct Header {
    format: String,
    version: u32,
    locker_id: String,
    kdf: KdfHeader,
    key: WrappedKey,
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
        };
        let kek = crypto::derive_kek(passphrase, &salt, params)?;
        let (nonce, ct) = crypto::seal(&kek, &h.aad(), master.as_ref());
        h.key.nonce = hex::encode(nonce);
        h.key.ciphertext = hex::encode(ct);
        Ok(h)
    }

    fn unwrap(&self, passphrase: &str) -> Result<Key> {
        let damaged = |what: &str| Error::NotALocker {
            path: PathBuf::from(HEADER),
            reason: format!("its header is damaged ({what})"),
        };
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
    _lock: File,
}

impl std::fmt::Debug for Locker {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Locker")
            .field("dir", &self.dir)
            .finish_non_exhaustive()
    }
}

/// Check a new passphrase against the minimum rules.
pub fn check_new_passphrase(p: &str) -> Result<()> {
    if p.chars().count() < MIN_PASSPHRASE_CHARS {
        return Err(Error::invalid(format!(
            "the passphrase must be at least {MIN_PASSPHRASE_CHARS} characters long"
        )));
    }
    Ok(())
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
    let header: Header =
        serde_json::from_value(value).map_err(|e| not(format!("its {HEADER} is damaged ({e})")))?;
    if header.kdf.algorithm != "argon2id" || header.key.algorithm != "aes-256-gcm" {
        return Err(not(format!("its {HEADER} names an unknown algorithm")));
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
        let mut f = File::create(&tmp)?;
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

/// fsync a directory so a rename in it is durable.
pub(crate) fn sync_dir(dir: &Path) -> std::io::Result<()> {
    File::open(dir)?.sync_all()
}

fn take_lock(dir: &Path) -> Result<File> {
    let path = dir.join(LOCK);
    let f = File::options()
        .create(true)
        .truncate(false)
        .write(true)
        .open(&path)
        .map_err(|e| Error::io("opening", &path, e))?;
    match f.try_lock() {
        Ok(()) => Ok(f),
        Err(fs::TryLockError::WouldBlock) => Err(Error::LockerInUse),
        Err(fs::TryLockError::Error(e)) => Err(Error::io("locking", path, e)),
    }
}

impl Locker {
    /// Create a new locker in `dir` (which must not exist or be empty).
    pub fn init(
        dir: &Path,
        passphrase: &str,
        opts: InitOptions,
        clock: Box<dyn Clock>,
    ) -> Result<Locker> {
        check_new_passphrase(passphrase)?;
        if dir.exists() {
            let mut entries = fs::read_dir(dir).map_err(|e| Error::io("reading", dir, e))?;
            if entries.next().is_some() {
                return Err(Error::AlreadyExists(dir.to_path_buf()));
            }
        }
        fs::create_dir_all(dir).map_err(|e| Error::io("creating", dir, e))?;
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
            fs::create_dir_all(dir.join(sub))
                .map_err(|e| Error::io("creating", dir.join(sub), e))?;
        }
        let master: Key = Zeroizing::new(crypto::random_bytes::<32>());
        let keys = Keys::derive(&master);
        let locker_id = uuid::Uuid::new_v4().to_string();
        let header = Header::wrap(locker_id.clone(), passphrase, opts.kdf, &master)?;
        let conn = db::open(&dir.join(DATABASE), &keys.db, true)?;
        let mut locker = Locker {
            dir: dir.to_path_buf(),
            conn,
            keys,
            clock,
            actor: opts.owner.clone(),
            header,
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
        let header_json =
            serde_json::to_vec_pretty(&locker.header).map_err(|e| Error::invalid(e.to_string()))?;
        write_atomic(&dir.join(HEADER), &header_json)?;
        // A self-log has exactly one case, the employee's own: made now, so that it is
        // there to list and log into from the first moment.
        if opts.mode == crate::model::Mode::SelfLog {
            locker.self_log_case()?;
        }
        Ok(locker)
    }

    /// Open an existing locker with its passphrase.
    pub fn open(dir: &Path, passphrase: &str, clock: Box<dyn Clock>) -> Result<Locker> {
        let header = read_header(dir)?;
        let lock = take_lock(dir)?;
        let master = header.unwrap(passphrase)?;
        let keys = Keys::derive(&master);
        let conn = db::open(&dir.join(DATABASE), &keys.db, false)?;
        let actor = conn
            .query_row("SELECT value FROM settings WHERE key = 'owner'", [], |r| {
                r.get(0)
            })
            .optional()?
            .unwrap_or_else(|| "unknown".to_string());
        let locker = Locker {
            dir: dir.to_path_buf(),
            conn,
            keys,
            clock,
            actor,
            header,
            _lock: lock,
        };
        locker.clean_up()?;
        Ok(locker)
    }

    /// Open with the system clock.
    pub fn open_default(dir: &Path, passphrase: &str) -> Result<Locker> {
        Self::open(dir, passphrase, Box::new(SystemClock))
    }

    /// Remove what a crash can leave behind: temp files, and blob files whose database
    /// record was never committed. Runs under the exclusive lock, so nothing else is
    /// writing.
    fn clean_up(&self) -> Result<()> {
        let tmp = self.dir.join(TMP);
        fs::create_dir_all(&tmp).map_err(|e| Error::io("creating", &tmp, e))?;
        for entry in fs::read_dir(&tmp).map_err(|e| Error::io("reading", &tmp, e))? {
            let entry = entry.map_err(|e| Error::io("reading", &tmp, e))?;
            let _ = fs::remove_file(entry.path());
        }
        let blobs = self.dir.join(BLOBS);
        let mut known = std::collections::HashSet::new();
        let mut stmt = self.conn.prepare("SELECT file FROM blobs")?;
        for f in stmt.query_map([], |r| r.get::<_, String>(0))? {
            known.insert(f?);
        }
        let Ok(shards) = fs::read_dir(&blobs) else {
            return Ok(());
        };
        for shard in shards.flatten() {
            let Ok(files) = fs::read_dir(shard.path()) else {
                continue;
            };
            for file in files.flatten() {
                let name = file.file_name().to_string_lossy().into_owned();
                if !known.contains(&name) {
                    let _ = fs::remove_file(file.path());
                }
            }
        }
        Ok(())
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
        let json = serde_json::to_vec_pretty(&header).map_err(|e| Error::invalid(e.to_string()))?;
        // Audit first; if the header write then fails, the log says a change was attempted
        // and the old passphrase still works.
        self.write(|w| w.audit("locker.passphrase_change", "locker", serde_json::json!({})))?;
        write_atomic(&self.dir.join(HEADER), &json)?;
        self.header = header;
        Ok(())
    }

    /// The one path for writes: opens a transaction, runs `f`, and commits only if `f`
    /// appended at least one audit event. A write without its audit event cannot exist.
    pub(crate) fn write<T>(&mut self, f: impl FnOnce(&mut Write<'_>) -> Result<T>) -> Result<T> {
        let time = fmt_time(&self.clock.now());
        let tx = self
            .conn
            .transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)?;
        let head = audit::head(&tx)?;
        let mut w = Write {
            tx,
            head,
            events: 0,
            time,
            actor: self.actor.clone(),
        };
        let out = f(&mut w)?;
        if w.events == 0 {
            return Err(Error::Integrity(
                "internal: a write without an audit event was refused".into(),
            ));
        }
        w.tx.commit()?;
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
}
