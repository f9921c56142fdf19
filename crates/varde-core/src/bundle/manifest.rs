//! `manifest.json`: the machine-readable description of a bundle, format version 3.
//!
//! The types here are the bundle format: a field is added only with a default, so that an
//! older reader of a version still reads a newer manifest of that version; anything else is
//! a new `format_version`. Version 2 adds what Varde read from each original (`derived` on
//! an evidence entry), the e-mail an attachment came from (`attachment_of`) and the
//! message an incident was made from (`source`); every field of version 1 is unchanged, so
//! this build reads both. Version 3 adds redacted copies: an evidence entry says which
//! `version` of the item its file is, and a redacted copy names its original
//! (`redaction`). It is a new version, not a field with a default, so that an older
//! Varde refuses such a bundle instead of taking a copy for an original. The PDF report is rendered from a [`Manifest`] alone (plus the
//! originals' bytes), so everything the report shows is in here.
//!
//! Ids (`id`, `incident`, `actor`, ...) are the exporting locker's local ids, unique
//! within one bundle; `uid`s are globally unique and survive an import.

use serde::{Deserialize, Serialize};

use crate::audit::AuditEvent;
use crate::guidance::{ActionKind, EmployeeInformed, RecipientKind, Text};
use crate::model::{
    CaseStatus, Channel, ContactDetail, EvidenceSource, LoggedByRole, Mode, Perception, PersonKind,
    PlaceKind, Precision,
};

/// The format version this build writes.
pub const MANIFEST_FORMAT_VERSION: u32 = 3;

/// The format versions this build reads (each is the next without its new fields).
pub const MANIFEST_FORMAT_VERSIONS_READ: &[u32] = &[1, 2, 3];

/// `manifest.json`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Manifest {
    /// The bundle format version (1).
    pub format_version: u32,
    /// The program that wrote the bundle.
    pub generator: Generator,
    /// When the bundle was made (RFC 3339 with the local offset).
    pub created_at: String,
    /// The report's language: `nb` or `en`.
    pub lang: String,
    /// The locker the bundle comes from and its signing key.
    pub locker: LockerInfo,
    /// The organisation (setting `org_name`; may be empty).
    pub organisation: String,
    /// The officer (or, for a self-log, the employee) who made the bundle.
    pub officer: String,
    /// This hand-over: to whom, on what legal basis, what was included.
    pub export: ExportInfo,
    /// The case.
    pub case: CaseInfo,
    /// The persons of the case, minimised.
    pub persons: Vec<PersonEntry>,
    /// The incidents included, in the order they happened.
    pub incidents: Vec<IncidentEntry>,
    /// The originals included, in incident order then thread order.
    pub evidence: Vec<EvidenceEntry>,
    /// What was done about the escalation prompts (acted on: done, declined, deferred).
    pub escalations: Vec<EscalationEntry>,
    /// Whether health services were notified about the case, and how Varde knows.
    pub health_notified: HealthNotified,
    /// The case's disclosure ledger, this export's own entry last.
    pub disclosures: Vec<DisclosureEntry>,
    /// The custody log: the case's hash-chained audit events (also in `custody.jsonl`).
    pub custody: Vec<AuditEvent>,
}

/// Who wrote the bundle.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Generator {
    /// `varde`.
    pub name: String,
    /// The program version.
    pub version: String,
}

/// The exporting locker.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LockerInfo {
    /// The locker's unique id.
    pub id: String,
    /// Officer locker or an employee's self-log.
    pub mode: Mode,
    /// The Ed25519 public key, 32 bytes as hex (the same key as `signing-key.pem`).
    pub signing_public_key: String,
    /// SHA-256 of the raw 32-byte public key, hex: the fingerprint to compare by phone.
    pub signing_key_fingerprint: String,
}

/// This export as a hand-over.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ExportInfo {
    /// Who receives the bundle.
    pub recipient: String,
    /// What kind of recipient.
    pub recipient_kind: RecipientKind,
    /// The legal basis chosen from the list, if any.
    pub legal_basis_key: Option<String>,
    /// Its label.
    pub legal_basis_label: Option<Text>,
    /// The legal basis in the officer's words.
    pub legal_basis_text: String,
    /// Whether the threatened employee was told.
    pub employee_informed: EmployeeInformed,
    /// Private contact details of the threatened employee are included.
    pub private_contacts_included: bool,
    /// All of the case's incidents are included (otherwise a selection).
    pub all_incidents: bool,
    /// The bundle is an employee's self-log for their security officer.
    pub self_log: bool,
    /// Photos' GPS positions are in `derived` and the report (version 2; only for the
    /// police). The originals are unchanged either way and keep their EXIF.
    #[serde(default)]
    pub gps_included: bool,
    /// The bundle's file (or folder) name.
    pub bundle_name: String,
    /// The sequence number of the last event in `custody` (the locker's head when the
    /// bundle was made). The locker then records the export itself as the next two
    /// events: `disclosure.add` and `bundle.export`, the latter naming the SHA-256 of this
    /// bundle's `SHA256SUMS` — an event cannot be inside the bundle it names.
    pub custody_head_seq: i64,
}

/// The case.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CaseInfo {
    /// Globally unique id.
    pub uid: String,
    /// Reference, e.g. `V-2026-0001`.
    pub reference: String,
    /// Title.
    pub title: String,
    /// Status.
    pub status: CaseStatus,
    /// Opened (RFC 3339).
    pub opened_at: String,
    /// Closed, if it is.
    pub closed_at: Option<String>,
}

/// A person, minimised: no notes; private contact details only when asked for.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PersonEntry {
    /// Local id (referred to by incidents' `actor` and witnesses' `person`).
    pub id: i64,
    /// Globally unique id.
    pub uid: String,
    /// Their part.
    pub kind: PersonKind,
    /// Name; `None` for an unknown threat actor.
    pub name: Option<String>,
    /// Known by name.
    pub known: bool,
    /// Job title (employees).
    pub title: Option<String>,
    /// Department (employees).
    pub department: Option<String>,
    /// Contact details included in this bundle.
    pub contacts: Vec<ContactDetail>,
    /// Aliases and handles (threat actors).
    pub aliases: Vec<String>,
    /// Home municipality (threat actors).
    pub home_municipality: Option<String>,
    /// A concern for the person's mental health (threat actors).
    pub health_concern: bool,
    /// What gives reason for the concern.
    pub health_observations: String,
}

/// A witness to an incident.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct WitnessEntry {
    /// A person of the bundle (`persons[].id`).
    pub person: Option<i64>,
    /// The name: the person's name, or as typed.
    pub name: Option<String>,
}

/// An incident, with every field.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct IncidentEntry {
    /// Local id; the evidence folder is `evidence/<id>/`.
    pub id: i64,
    /// Globally unique id.
    pub uid: String,
    /// Its version (1 unless edited; earlier versions stay in the locker).
    pub version: i64,
    /// Local date and time as given: `YYYY-MM-DD HH:MM` or `YYYY-MM-DD`.
    pub occurred_local: String,
    /// Its IANA time zone.
    pub occurred_tz: String,
    /// The same instant in UTC.
    pub occurred_utc: String,
    /// How precisely the time is known.
    pub precision: Precision,
    /// Where (free text).
    pub place: String,
    /// Kind of place.
    pub place_kind: PlaceKind,
    /// How it came.
    pub channel: Channel,
    /// Platform (social media and the like).
    pub platform: Option<String>,
    /// Who sent it, as it showed (number, address, handle). Left out when not recorded
    /// (and in bundles made before Varde kept it).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sender: Option<String>,
    /// What happened.
    pub description: String,
    /// The exact words used.
    pub wording: Option<String>,
    /// How it was perceived.
    pub perceived: Vec<Perception>,
    /// Directed at individuals, named or not (the guide: «rettes mot enkeltpersoner»).
    pub targets_individuals: bool,
    /// An ongoing emergency when logged.
    pub ongoing_emergency: bool,
    /// The threat actor (`persons[].id`).
    pub actor: Option<i64>,
    /// Witnesses.
    pub witnesses: Vec<WitnessEntry>,
    /// When it was logged.
    pub logged_at: String,
    /// Who logged it.
    pub logged_by: String,
    /// The officer or the employee themself.
    pub logged_by_role: LoggedByRole,
    /// The message it was made from (version 2): the original's SHA-256, the message's
    /// index in `derived.messages` of that original, and the SHA-256 of its text.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub source: Option<crate::model::MessageSource>,
}

/// Where an original came from before this locker, when it was imported from a bundle.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct OriginEntry {
    /// The locker that first held it.
    pub locker_id: String,
    /// Its uid there (the same as `uid` unless it had to change).
    pub uid: String,
    /// The SHA-256 of the `SHA256SUMS` of the bundle it came in.
    pub bundle_sha256sums: String,
}

/// An original in the bundle.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct EvidenceEntry {
    /// Local id.
    pub id: i64,
    /// Globally unique id.
    pub uid: String,
    /// The incident (`incidents[].id`).
    pub incident: i64,
    /// Its path in the bundle: `evidence/<incident>/<nn>-<name>`.
    pub path: String,
    /// SHA-256 of the original, lower-case hex, computed when it was acquired.
    pub sha256: String,
    /// Size in bytes.
    pub size: u64,
    /// Media type sniffed from the content.
    pub media_type: String,
    /// The file name it came with (may hold any characters; `path` is ASCII).
    pub original_name: String,
    /// When it was acquired (RFC 3339 with the local offset).
    pub acquired_at: String,
    /// Who acquired it.
    pub acquired_by: String,
    /// How it came in.
    pub source: EvidenceSource,
    /// Image width in pixels.
    pub width: Option<u32>,
    /// Image height in pixels.
    pub height: Option<u32>,
    /// Thread capture: platform.
    pub thread_platform: Option<String>,
    /// Thread capture: the thread or conversation.
    pub thread_id: Option<String>,
    /// Thread capture: position in the thread, from 1.
    pub thread_seq: Option<i64>,
    /// Thread capture: the whole thread was captured.
    pub whole_thread: bool,
    /// Note.
    pub note: String,
    /// Where it came from, when it was imported from another bundle.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub origin: Option<OriginEntry>,
    /// The e-mail it is an attachment of (version 2): that e-mail's `id` here and the
    /// attachment's place among its attachments.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub attachment_of: Option<crate::model::AttachmentOf>,
    /// What Varde read from it (version 2): derived data, marked with its parser; the
    /// original stays the evidence. Absent when Varde reads nothing from files like it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub derived: Option<crate::derived::Reading>,
    /// Which version of the item the file is (version 3): the original, or a redacted
    /// copy made for a recipient other than the police.
    #[serde(default)]
    pub version: ItemVersion,
    /// A redacted copy's record (version 3): the original it was made from and the boxes
    /// filled black. `sha256`, `size` and `media_type` above are the copy's.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub redaction: Option<RedactionEntry>,
}

/// Which version of an evidence item a bundle holds.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ItemVersion {
    /// The original, byte-identical: the evidence.
    #[default]
    Original,
    /// A redacted copy: derived from the original, never evidence.
    Redacted,
}

/// What a bundle says of a redacted copy.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RedactionEntry {
    /// The copy's globally unique id.
    pub uid: String,
    /// SHA-256 of the original (not in the bundle).
    pub original_sha256: String,
    /// Size of the original in bytes.
    pub original_size: u64,
    /// The original's file name (`original_name` above is the copy's).
    pub original_name: String,
    /// The boxes filled opaque black, in the upright image's pixels.
    pub regions: Vec<crate::redaction::Region>,
    /// When the copy was made.
    pub made_at: String,
    /// Who made it.
    pub made_by: String,
}

/// What the officer did about an escalation prompt.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct EscalationEntry {
    /// The rule's stable key, e.g. `police_report`.
    pub rule_key: String,
    /// The prompt's title, when the rule is known.
    pub title: Option<Text>,
    /// Done, declined or deferred.
    pub action: ActionKind,
    /// When it was done.
    pub acted_at: String,
    /// By whom.
    pub acted_by: String,
    /// With whom (the police station, the municipal doctor's office, ...).
    pub with_whom: Option<String>,
    /// A reference such as the police case number.
    pub reference: Option<String>,
    /// Why (declined).
    pub reason: Option<String>,
    /// Deferred until (`YYYY-MM-DD`).
    pub deferred_until: Option<String>,
    /// Note.
    pub note: String,
}

/// Whether health services were notified.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct HealthNotified {
    /// True when Varde has a record of it.
    pub notified: bool,
    /// The records: a concern report marked done, a disclosure to health services.
    pub records: Vec<HealthRecord>,
}

/// One record that health services were notified.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct HealthRecord {
    /// When.
    pub at: String,
    /// By whom.
    pub by: String,
    /// To whom.
    pub to: Option<String>,
    /// How Varde knows: `escalation:<id>` (a concern report marked done) or
    /// `disclosure:<id>` (a ledger entry to a health recipient).
    pub how: String,
}

/// A disclosure ledger entry.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DisclosureEntry {
    /// Globally unique id; `None` for this export's own entry, which the locker records
    /// after the bundle is sealed.
    pub uid: Option<String>,
    /// This export.
    pub this_export: bool,
    /// Who received it.
    pub recipient: String,
    /// What kind of recipient.
    pub recipient_kind: RecipientKind,
    /// What was shared, described.
    pub shared: String,
    /// The incidents shared (local ids).
    pub incident_ids: Vec<i64>,
    /// The evidence shared (local ids).
    pub evidence_ids: Vec<i64>,
    /// The legal basis from the list.
    pub legal_basis_key: Option<String>,
    /// Its label.
    pub legal_basis_label: Option<Text>,
    /// The legal basis in words.
    pub legal_basis_text: String,
    /// Whether the employee was told.
    pub employee_informed: EmployeeInformed,
    /// When it was shared.
    pub disclosed_at: String,
    /// By whom.
    pub disclosed_by: String,
}

impl Manifest {
    /// The person with this local id.
    pub fn person(&self, id: i64) -> Option<&PersonEntry> {
        self.persons.iter().find(|p| p.id == id)
    }

    /// The evidence of one incident, in bundle order.
    pub fn evidence_of(&self, incident: i64) -> impl Iterator<Item = &EvidenceEntry> {
        self.evidence.iter().filter(move |e| e.incident == incident)
    }
}
