//! # varde-core
//!
//! The domain and the evidence locker of Varde: cases, persons, incidents, evidence
//! originals with their SHA-256, the hash-chained audit log, verification, and guidance
//! (the advice checklist, escalation prompts, contacts, the disclosure ledger and police
//! requests, with their texts as data in `assets/guidance/`). No UI,
//! no Tauri, no argument parsing: the CLI and the desktop shell are thin layers over this.
//!
//! Start at [`Locker`]: [`Locker::init`] makes a locker, [`Locker::open`] unlocks one.

// The rules of `clippy.toml` (clock, file writes, environment) are for the code that ships;
// unit tests set up files and read the clock directly.
#![cfg_attr(
    test,
    allow(clippy::disallowed_methods, reason = "tests set up files directly")
)]

pub mod access;
pub mod audit;
pub mod browse;
#[cfg(feature = "test-support")]
mod bulk;
pub mod bundle;
pub mod calls;
mod cases;
pub mod clock;
pub mod crypto;
mod db;
pub mod deletion;
pub mod derived;
pub mod drafts;
pub mod error;
pub mod evidence;
pub mod fields;
pub mod guidance;
pub mod incidents;
pub mod invalid;
pub mod locker;
mod memo;
pub mod model;
pub mod persons;
pub mod redaction;
pub mod retention;
mod seal;
pub mod search;
pub mod verify;

pub use access::PersonReport;
pub use audit::AuditEvent;
pub use browse::{
    AuditPage, CaseSummary, EvidencePage, IncidentPage, IncidentRow, ItemCheck, Profile,
};
pub use bundle::{
    BundleReport, ExportOptions, ExportPreview, Exported, ImportOptions, Imported, IncidentOrigin,
    KeyStatus, Manifest, ReportRenderer, verify_bundle,
};
pub use calls::{CallDraft, CallNote};
pub use cases::{CaseFilter, RETENTION_REVIEW_MONTHS, ReviewDue, ReviewKind};
pub use clock::{Clock, FixedClock, SystemClock};
pub use crypto::KdfParams;
pub use db::SCHEMA_VERSION;
pub use deletion::{DeletionCounts, DeletionPreview, DeletionReceipt, EventRef, SignedReceipt};
pub use derived::{Content, Reading};
pub use drafts::{Document, Draft, DraftKind, DraftOptions, DraftRenderer, DraftSent, SavedDraft};
pub use error::{Error, ErrorCode, ErrorKind, Result};
pub use evidence::{AddOptions, Added, Logged, NewOriginal, Progress, ThreadPatch};
pub use guidance::Guidance;
pub use incidents::{IncidentPatch, NewIncident, SenderGroup, by_sender, sender_key};
pub use invalid::{Field, FileNameProblem, Invalid, Item, ItemKind};
pub use locker::{
    InitOptions, Locker, PASSPHRASE_RULE, PassphraseCheck, PassphraseProblem, PassphraseRule,
    check_new_passphrase, measure_passphrase,
};
pub use persons::NewPerson;
pub use redaction::{Redaction, Region};
pub use search::{HitKind, SearchHit};
pub use varde_read;
pub use verify::{Problem, ProblemKind, VerifyReport};
