//! The error that crosses IPC: a stable `code`, its typed parameters, and the English
//! message for the record — never a Rust debug string. The UI words every code in both
//! languages from its dictionaries (`ui/src/lib/errors.ts`); a refused input also names
//! the field it belongs to, so the form shows the message there.

use std::collections::BTreeMap;

use serde::Serialize;
use ts_rs::TS;
use varde_core::{Error, ErrorCode, Field, Invalid};

/// The codes of the shell's own errors, beside the core's [`ErrorCode`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, TS, strum::EnumIter)]
#[serde(rename_all = "snake_case")]
pub enum ShellCode {
    /// No locker is open (the app is locked).
    NotUnlocked,
    /// The UI sent a request the shell cannot take.
    BadRequest,
    /// No program on the computer could show a file.
    NoViewer,
}

/// What kind of error an [`IpcError`] is: one of the core's codes or one of the shell's.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, TS)]
#[serde(untagged)]
pub enum IpcCode {
    /// A code of the core's errors.
    Core(ErrorCode),
    /// A code of the shell's own errors.
    Shell(ShellCode),
}

impl From<ErrorCode> for IpcCode {
    fn from(c: ErrorCode) -> Self {
        IpcCode::Core(c)
    }
}

impl From<ShellCode> for IpcCode {
    fn from(c: ShellCode) -> Self {
        IpcCode::Shell(c)
    }
}

/// An error as the UI receives it.
#[derive(Debug, Clone, Serialize, TS, thiserror::Error)]
#[error("{message}")]
pub struct IpcError {
    /// What kind of error, e.g. `wrong_passphrase`, `invalid_input`, `not_unlocked`
    /// (every code: [`all_codes`]).
    pub code: IpcCode,
    /// The same in English words (the CLI's message): kept for the record and shown only
    /// as technical detail.
    pub message: String,
    /// For `invalid_input`: why, with its parameters.
    pub invalid: Option<Box<Invalid>>,
    /// The input field the error belongs to, when it belongs to one.
    pub field: Option<Field>,
    /// The parameters of other codes (a path, a fingerprint, a version), as text.
    pub params: BTreeMap<String, String>,
}

impl IpcError {
    /// An error with this code and message and no parameters.
    pub fn new(code: impl Into<IpcCode>, message: impl Into<String>) -> Self {
        IpcError {
            code: code.into(),
            message: message.into(),
            invalid: None,
            field: None,
            params: BTreeMap::new(),
        }
    }

    /// The same error with one more parameter.
    pub fn with(mut self, name: &str, value: impl ToString) -> Self {
        self.params.insert(name.into(), value.to_string());
        self
    }

    /// No locker is open (the app is locked).
    pub fn not_unlocked() -> Self {
        IpcError::new(
            ShellCode::NotUnlocked,
            "The locker is locked. Unlock it first.",
        )
    }

    /// Something that should not happen in the shell itself.
    pub fn internal(what: impl std::fmt::Display) -> Self {
        IpcError::new(ErrorCode::Internal, format!("Internal error: {what}"))
    }

    /// The request itself was malformed (the UI sent something it should not).
    pub fn bad_request(what: impl std::fmt::Display) -> Self {
        IpcError::new(
            ShellCode::BadRequest,
            format!("The request was malformed: {what}"),
        )
    }

    /// No program on the computer could show a file.
    pub fn no_viewer(what: impl std::fmt::Display) -> Self {
        IpcError::new(
            ShellCode::NoViewer,
            format!("No program could open the file: {what}"),
        )
    }
}

/// What an operating system error was, in a word the UI can word.
fn os_kind(e: &std::io::Error) -> &'static str {
    use std::io::ErrorKind as K;
    match e.kind() {
        K::NotFound => "not_found",
        K::PermissionDenied | K::ReadOnlyFilesystem => "permission_denied",
        K::StorageFull | K::QuotaExceeded => "disk_full",
        K::AlreadyExists => "already_exists",
        K::IsADirectory => "is_a_directory",
        K::NotADirectory => "not_a_directory",
        _ => "other",
    }
}

impl From<Error> for IpcError {
    fn from(e: Error) -> Self {
        let mut out = IpcError::new(e.code(), e.to_string());
        match &e {
            Error::Invalid(i) => {
                out.field = i.field();
                out.invalid = Some(Box::new(i.clone()));
            }
            Error::NotALocker { path, .. } => {
                out = out.with("path", varde_core::error::shorten(path))
            }
            Error::NewerLocker {
                found, supported, ..
            } => out = out.with("found", found).with("supported", supported),
            Error::AlreadyExists(path) => {
                out = out.with("path", varde_core::error::shorten(path));
                out.field = Some(Field::Path);
            }
            Error::NotFound { kind, id } => {
                let kind: &'static str = kind.into();
                out = out.with("kind", kind).with("id", id);
            }
            Error::Io {
                action,
                path,
                source,
            } => {
                out = out
                    .with("action", action)
                    .with("path", varde_core::error::shorten(path))
                    .with("os", os_kind(source));
            }
            Error::SigningKeyChanged { known, found, .. } => {
                out = out.with("known", known).with("found", found);
            }
            Error::UnexpectedSigningKey { expected, found } => {
                out = out.with("expected", expected).with("found", found);
            }
            Error::WeakPassphrase(check) => {
                let problem = match check.problem {
                    Some(varde_core::PassphraseProblem::TooShort) => "too_short",
                    _ => "too_guessable",
                };
                out = out
                    .with("problem", problem)
                    .with("chars", check.chars)
                    .with("min_chars", varde_core::PASSPHRASE_RULE.min_chars);
                out.field = Some(Field::NewPassphrase);
            }
            _ => {}
        }
        out
    }
}

/// Every code an [`IpcError`] can carry: the core's and the shell's own.
pub fn all_codes() -> Vec<IpcCode> {
    use strum::IntoEnumIterator;
    ErrorCode::iter()
        .map(IpcCode::from)
        .chain(ShellCode::iter().map(IpcCode::from))
        .collect()
}

/// What every command returns.
pub type IpcResult<T> = std::result::Result<T, IpcError>;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn core_errors_keep_their_code_and_plain_message() {
        let e: IpcError = Error::WrongPassphrase.into();
        assert_eq!(e.code, IpcCode::Core(ErrorCode::WrongPassphrase));
        assert!(e.message.contains("nothing was changed"), "{}", e.message);
        let json = serde_json::to_value(&e).expect("json");
        assert_eq!(json["code"], "wrong_passphrase");
    }

    #[test]
    fn a_refused_date_names_its_field_and_its_reason() {
        let e: IpcError = Error::Invalid(Invalid::DateTime {
            field: Field::OccurredAt,
            value: "32.13.2026".into(),
        })
        .into();
        let json = serde_json::to_value(&e).expect("json");
        assert_eq!(json["code"], "invalid_input");
        assert_eq!(json["field"], "occurred_at");
        assert_eq!(json["invalid"]["kind"], "date_time");
        assert_eq!(json["invalid"]["value"], "32.13.2026");
    }
}
