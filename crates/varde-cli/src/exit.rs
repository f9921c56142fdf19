//! Exit codes, and turning errors into one plain line.

use varde_core::{Error, ErrorCode};

/// Everything held.
pub const OK: i32 = 0;
/// Verification found a problem.
pub const VERIFY_FAILED: i32 = 1;
/// Locked: wrong or missing passphrase.
pub const LOCKED: i32 = 3;
/// Bad input: a path, a reference, a date, a value that cannot be used.
pub const BAD_INPUT: i32 = 4;
/// The directory is not a Varde locker.
pub const NOT_A_LOCKER: i32 = 5;
/// The locker was written by a newer Varde.
pub const NEWER_LOCKER: i32 = 6;
/// Another process has the locker open.
pub const IN_USE: i32 = 7;
/// Reading or writing failed (disk full, permissions).
pub const STORAGE: i32 = 8;
/// The locker's header or database is damaged (not a wrong passphrase).
pub const DAMAGED: i32 = 9;
/// Anything else.
pub const INTERNAL: i32 = 10;

/// The text of `varde --help`'s exit-code section.
pub const HELP: &str = "\
Exit codes:
  0  ok
  1  verification failed (a stored original or the audit log does not check out)
  2  usage error (unknown command or option)
  3  locked: wrong or missing passphrase
  4  bad input (missing file, unknown case or incident, invalid date, ...)
  5  not a Varde locker
  6  locker written by a newer Varde
  7  locker in use by another Varde process
  8  storage error (disk full, permission denied); nothing was changed
  9  the locker is damaged (its header or database); nothing was changed
 10  internal error

Environment:
  VARDE_LOCKER         the locker directory (instead of --locker)
  VARDE_PASSPHRASE     the passphrase, for scripts (prefer --passphrase-file)
  VARDE_NEW_PASSPHRASE the new passphrase for `passphrase change` and `init`
  VARDE_ACTOR          who is acting, as recorded in the audit log";

fn core_error(e: &anyhow::Error) -> Option<&Error> {
    e.chain().find_map(|c| c.downcast_ref::<Error>())
}

/// The exit code for an error.
pub fn code_for(e: &anyhow::Error) -> i32 {
    let Some(err) = core_error(e) else {
        return INTERNAL;
    };
    match err {
        Error::WrongPassphrase | Error::PassphraseMissing => LOCKED,
        Error::Invalid(_)
        | Error::WeakPassphrase(_)
        | Error::NotFound { .. }
        | Error::AlreadyExists(_) => BAD_INPUT,
        Error::NotALocker { .. } => NOT_A_LOCKER,
        Error::NewerLocker { .. } => NEWER_LOCKER,
        Error::LockerInUse => IN_USE,
        Error::Io { .. } | Error::DiskFull(_) => STORAGE,
        Error::Damaged(_) => DAMAGED,
        Error::Integrity(_)
        | Error::SigningKeyChanged { .. }
        | Error::UnexpectedSigningKey { .. } => VERIFY_FAILED,
        Error::Database(_) | Error::Internal(_) => INTERNAL,
    }
}

/// One line for a person.
pub fn message(e: &anyhow::Error) -> String {
    match core_error(e) {
        Some(Error::Io { source, .. }) if describe_code(e) == ErrorCode::DiskFull => {
            format!("the disk is full ({source}); nothing was changed in the locker")
        }
        Some(err) => match hint(err) {
            Some(h) => format!("{err}: {h}"),
            None => err.to_string(),
        },
        None => format!("{e:#}"),
    }
}

/// What to type instead, for the errors a command line can fix (the core names no flags).
fn hint(e: &Error) -> Option<&'static str> {
    use varde_core::Invalid;
    match e {
        Error::PassphraseMissing => {
            Some("give it with --passphrase-file, VARDE_PASSPHRASE or at the prompt")
        }
        Error::Invalid(i) => match i {
            Invalid::IsSelfLog => Some("use `varde export --self-log`"),
            Invalid::NotSelfLog => Some("a self-log is made with `varde init --self-log`"),
            Invalid::EmptyFile { .. } => Some("add it with --allow-empty if it is meant"),
            _ => None,
        },
        _ => None,
    }
}

fn describe_code(e: &anyhow::Error) -> ErrorCode {
    core_error(e).map_or(ErrorCode::Internal, Error::code)
}

/// `(code, message)` for `--json` output.
pub fn describe(e: &anyhow::Error) -> (ErrorCode, String) {
    (describe_code(e), message(e))
}
