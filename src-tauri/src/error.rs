//! The error that crosses IPC: `{ code, message }`, never a Rust debug string.

use serde::Serialize;
use ts_rs::TS;

/// An error as the UI receives it. `code` is stable (the UI acts on it); `message` is
/// plain words for a person.
#[derive(Debug, Clone, Serialize, TS, thiserror::Error)]
#[error("{message}")]
pub struct IpcError {
    /// What kind of error, e.g. `wrong_passphrase`, `not_found`, `not_unlocked`.
    pub code: String,
    /// What happened, in plain words.
    pub message: String,
}

impl IpcError {
    /// An error with this code and message.
    pub fn new(code: &str, message: impl Into<String>) -> Self {
        IpcError {
            code: code.into(),
            message: message.into(),
        }
    }

    /// No locker is open (the app is locked).
    pub fn not_unlocked() -> Self {
        IpcError::new("not_unlocked", "The locker is locked. Unlock it first.")
    }

    /// Something that should not happen in the shell itself.
    pub fn internal(what: impl std::fmt::Display) -> Self {
        IpcError::new("internal", format!("Internal error: {what}"))
    }

    /// The request itself was malformed.
    pub fn invalid(message: impl Into<String>) -> Self {
        IpcError::new("invalid_input", message)
    }
}

impl From<varde_core::Error> for IpcError {
    fn from(e: varde_core::Error) -> Self {
        IpcError::new(e.code(), e.to_string())
    }
}

/// What every command returns.
pub type IpcResult<T> = std::result::Result<T, IpcError>;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn core_errors_keep_their_code_and_plain_message() {
        let e: IpcError = varde_core::Error::WrongPassphrase.into();
        assert_eq!(e.code, "wrong_passphrase");
        assert!(e.message.contains("nothing was changed"), "{}", e.message);
        let json = serde_json::to_value(&e).expect("json");
        assert_eq!(json["code"], "wrong_passphrase");
    }
}
