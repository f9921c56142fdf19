//! The one error type of `varde-core`.
//!
//! Every variant is something a caller can act on; the CLI maps each to an exit code and
//! the desktop shell to an IPC `{code, message}` (see [`Error::code`]).

use std::path::PathBuf;

/// Everything that can go wrong in the core.
#[derive(Debug, thiserror::Error, strum::EnumDiscriminants)]
#[strum_discriminants(name(ErrorKind), derive(strum::EnumIter))]
#[strum_discriminants(
    doc = "The kind of an [`Error`], without its details (see [`ErrorKind::code`])."
)]
pub enum Error {
    /// The passphrase does not open this locker.
    #[error("wrong passphrase: the locker was not opened and nothing was changed")]
    WrongPassphrase,

    /// A passphrase was needed and none was given (no terminal to ask on).
    #[error("the locker is locked: no passphrase was given")]
    PassphraseMissing,

    /// The directory is not a Varde locker (or its header is damaged).
    #[error("{} is not a Varde locker: {reason}", shorten(path))]
    NotALocker {
        /// The directory that was opened.
        path: PathBuf,
        /// What was wrong with it.
        reason: String,
    },

    /// The locker was written by a newer Varde than this one.
    #[error(
        "this locker was written by a newer version of Varde ({what} {found}, this version reads up to {supported}); update Varde to open it"
    )]
    NewerLocker {
        /// Which version number: the locker format or the database schema.
        what: &'static str,
        /// The version found in the locker.
        found: u32,
        /// The newest version this build understands.
        supported: u32,
    },

    /// `init` on a directory that already holds something.
    #[error("{} already exists and is not empty; choose an empty or new directory", shorten(.0))]
    AlreadyExists(PathBuf),

    /// Another process (the app, another `varde`) has the locker open.
    #[error("the locker is in use by another Varde process; close it and try again")]
    LockerInUse,

    /// A referenced case, incident, person or evidence item does not exist.
    #[error("{} {id} not found", kind.english())]
    NotFound {
        /// What kind of record.
        kind: crate::invalid::ItemKind,
        /// The reference as the user gave it.
        id: String,
    },

    /// The user's input cannot be used: a typed reason, with the field it belongs to.
    #[error("{0}")]
    Invalid(crate::invalid::Invalid),

    /// Reading or writing a file failed (disk full, permission denied, ...).
    #[error("{action} {}: {source}", shorten(path))]
    Io {
        /// What Varde was doing ("reading", "writing", ...).
        action: &'static str,
        /// The file concerned.
        path: PathBuf,
        /// The operating system's error.
        #[source]
        source: std::io::Error,
    },

    /// A stored item failed its integrity check.
    #[error("integrity check failed: {0}")]
    Integrity(String),

    /// A bundle from a source locker Varde has imported from before comes signed with
    /// another key than before: someone else may have made it. Refused unless the officer
    /// confirms the new key.
    #[error(
        "the bundle from locker {source_locker} is signed with another key than its earlier bundles (before: {known}, now: {found}); it may not come from the same person. Nothing was imported. Check the fingerprint with the sender; import it only if they confirm the new key"
    )]
    SigningKeyChanged {
        /// The source locker's id.
        source_locker: String,
        /// The fingerprint seen before.
        known: String,
        /// The bundle's fingerprint.
        found: String,
    },

    /// The bundle's signing key is not the one the caller expected.
    #[error(
        "the bundle's signing key has fingerprint {found}, not the expected {expected}; nothing was imported"
    )]
    UnexpectedSigningKey {
        /// The fingerprint the caller expected.
        expected: String,
        /// The bundle's fingerprint.
        found: String,
    },

    /// A new passphrase does not meet the rule (`locker::PASSPHRASE_RULE`).
    #[error("{}", weak_passphrase(.0))]
    WeakPassphrase(crate::locker::PassphraseCheck),

    /// The disk is full: what was asked was not done, and the locker is as it was.
    #[error("the disk is full: {0}")]
    DiskFull(String),

    /// A file of the locker is damaged (its header or its database): it is not a wrong
    /// passphrase and not another program's folder. The message names what is damaged.
    #[error(
        "the locker is damaged: {0}; nothing was changed. Restore the locker from a backup, or keep it as it is for an expert to examine"
    )]
    Damaged(String),

    /// The metadata database reported an error.
    #[error("database error: {0}")]
    Database(rusqlite::Error),

    /// Something that should not happen (a value that cannot be written as JSON).
    #[error("internal error: {0}")]
    Internal(String),
}

fn weak_passphrase(c: &crate::locker::PassphraseCheck) -> String {
    use crate::locker::{PASSPHRASE_RULE, PassphraseProblem};
    match c.problem {
        Some(PassphraseProblem::TooShort) => format!(
            "the passphrase must be at least {} characters long (it has {}); a few words in a row are easy to remember",
            PASSPHRASE_RULE.min_chars, c.chars
        ),
        _ => "the passphrase is too easy to guess (common words, names, dates or patterns); add a few words that do not belong together".into(),
    }
}

impl From<rusqlite::Error> for Error {
    fn from(e: rusqlite::Error) -> Self {
        use rusqlite::ErrorCode;
        match e.sqlite_error_code() {
            Some(ErrorCode::DiskFull) => Error::DiskFull(
                "the database could not be written, so nothing was changed in the locker".into(),
            ),
            Some(ErrorCode::DatabaseCorrupt | ErrorCode::NotADatabase) => {
                Error::Damaged(format!("its database (locker.db) is damaged ({e})"))
            }
            _ => Error::Database(e),
        }
    }
}

/// Result with the core's [`Error`].
pub type Result<T, E = Error> = std::result::Result<T, E>;

impl Error {
    /// A stable, machine-readable code for this error (used across IPC and in `--json`).
    pub fn code(&self) -> ErrorCode {
        match self {
            Error::Io { source, .. } if is_disk_full(source) => ErrorCode::DiskFull,
            e => ErrorKind::from(e).code(),
        }
    }

    /// The same error, with a refusal about a date or a required value moved to `field`.
    pub(crate) fn for_field(self, field: crate::invalid::Field) -> Self {
        match self {
            Error::Invalid(i) => Error::Invalid(i.for_field(field)),
            e => e,
        }
    }

    /// The typed reason of an [`Error::Invalid`].
    pub fn as_invalid(&self) -> Option<&crate::invalid::Invalid> {
        match self {
            Error::Invalid(i) => Some(i),
            _ => None,
        }
    }

    /// Reading or writing `path` failed.
    pub fn io(action: &'static str, path: impl Into<PathBuf>, source: std::io::Error) -> Self {
        Error::Io {
            action,
            path: path.into(),
            source,
        }
    }

    pub(crate) fn not_found(kind: crate::invalid::ItemKind, id: impl ToString) -> Self {
        Error::NotFound {
            kind,
            id: id.to_string(),
        }
    }

    /// Refused input, with its typed reason.
    pub fn invalid(i: crate::invalid::Invalid) -> Self {
        Error::Invalid(i)
    }

    pub(crate) fn internal(what: impl std::fmt::Display) -> Self {
        Error::Internal(what.to_string())
    }
}

impl From<crate::invalid::Invalid> for Error {
    fn from(i: crate::invalid::Invalid) -> Self {
        Error::Invalid(i)
    }
}

/// The stable, machine-readable code of an error: what the CLI's `--json` prints and the
/// desktop app's IPC carries, and what the UI words in both languages. Its spelling is the
/// contract (snake_case, the same in serde and in [`ErrorCode::as_str`]).
#[derive(
    Debug,
    Clone,
    Copy,
    PartialEq,
    Eq,
    PartialOrd,
    Ord,
    serde::Serialize,
    strum::EnumIter,
    strum::IntoStaticStr,
)]
#[serde(rename_all = "snake_case")]
#[strum(serialize_all = "snake_case")]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub enum ErrorCode {
    /// The passphrase does not open the locker.
    WrongPassphrase,
    /// A passphrase was needed and none was given.
    Locked,
    /// The folder is not a Varde locker.
    NotALocker,
    /// The locker was made by a newer Varde.
    NewerLocker,
    /// Something that must be new is already there.
    AlreadyExists,
    /// Another Varde has the locker open.
    LockerInUse,
    /// No such case, incident, item, person, …
    NotFound,
    /// Refused input; the typed reason travels beside the code.
    InvalidInput,
    /// Reading or writing a file failed.
    Io,
    /// Stored bytes do not match their hash.
    Integrity,
    /// The disk is full.
    DiskFull,
    /// The new passphrase is too weak.
    WeakPassphrase,
    /// A bundle from a known sender is signed with another key.
    SigningKeyChanged,
    /// A bundle is signed with another key than the one the user expected.
    UnexpectedSigningKey,
    /// The locker's database is damaged.
    LockerDamaged,
    /// The database refused an operation.
    Database,
    /// Something that should not happen.
    Internal,
}

impl ErrorCode {
    /// The code as text (e.g. `wrong_passphrase`).
    pub fn as_str(self) -> &'static str {
        self.into()
    }
}

impl std::fmt::Display for ErrorCode {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

impl ErrorKind {
    /// The stable code of this kind of error.
    pub fn code(self) -> ErrorCode {
        match self {
            ErrorKind::WrongPassphrase => ErrorCode::WrongPassphrase,
            ErrorKind::PassphraseMissing => ErrorCode::Locked,
            ErrorKind::NotALocker => ErrorCode::NotALocker,
            ErrorKind::NewerLocker => ErrorCode::NewerLocker,
            ErrorKind::AlreadyExists => ErrorCode::AlreadyExists,
            ErrorKind::LockerInUse => ErrorCode::LockerInUse,
            ErrorKind::NotFound => ErrorCode::NotFound,
            ErrorKind::Invalid => ErrorCode::InvalidInput,
            ErrorKind::Io => ErrorCode::Io,
            ErrorKind::Integrity => ErrorCode::Integrity,
            ErrorKind::DiskFull => ErrorCode::DiskFull,
            ErrorKind::WeakPassphrase => ErrorCode::WeakPassphrase,
            ErrorKind::SigningKeyChanged => ErrorCode::SigningKeyChanged,
            ErrorKind::UnexpectedSigningKey => ErrorCode::UnexpectedSigningKey,
            ErrorKind::Damaged => ErrorCode::LockerDamaged,
            ErrorKind::Database => ErrorCode::Database,
            ErrorKind::Internal => ErrorCode::Internal,
        }
    }
}

/// True for the operating system's "no space left" errors.
pub(crate) fn is_disk_full(e: &std::io::Error) -> bool {
    matches!(
        e.kind(),
        std::io::ErrorKind::StorageFull | std::io::ErrorKind::QuotaExceeded
    )
}

/// A path as shown in a message: whole when short, its start and end when very long (a
/// path of 10,000 components would otherwise make a 20 KB message).
pub fn shorten(p: &std::path::Path) -> String {
    const KEEP: usize = 80;
    let s = p.display().to_string();
    let n = s.chars().count();
    if n <= 2 * KEEP + 20 {
        return s;
    }
    let head: String = s.chars().take(KEEP).collect();
    let tail: String = s.chars().skip(n - KEEP).collect();
    format!("{head}…({} characters left out)…{tail}", n - 2 * KEEP)
}

#[cfg(test)]
mod tests {
    use super::*;
    use strum::IntoEnumIterator;

    #[test]
    fn every_code_is_spelt_the_same_in_json_and_text_and_some_error_has_it() {
        for code in ErrorCode::iter() {
            let json = serde_json::to_value(code).expect("json");
            assert_eq!(json, code.as_str(), "{code:?}");
            assert!(
                ErrorKind::iter().any(|k| k.code() == code),
                "no error has the code {code}"
            );
        }
        assert_eq!(ErrorCode::NotALocker.as_str(), "not_a_locker");
        assert_eq!(Error::WrongPassphrase.code().as_str(), "wrong_passphrase");
    }
}
