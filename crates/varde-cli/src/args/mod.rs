//! The command line, as clap types.

pub mod guidance;

use std::path::PathBuf;

use clap::builder::{PossibleValuesParser, TypedValueParser as _};
use clap::{Args, Parser, Subcommand};
use strum::VariantNames;
use varde_core::model::{CaseStatus, Channel, Perception, PersonKind, PlaceKind};

/// Parse a snake_case value into a core enum, listing the choices in --help.
/// A value parser for a string enum: its variants are the possible values.
pub(crate) fn choice<T>() -> impl clap::builder::TypedValueParser<Value = T>
where
    T: VariantNames + std::str::FromStr + Clone + Send + Sync + 'static,
{
    PossibleValuesParser::new(T::VARIANTS).try_map(|s| s.parse::<T>().map_err(|_| "unknown value"))
}

/// Varde: an evidence locker for threat cases.
///
/// Every original is stored byte-identical, encrypted, with its SHA-256; every change
/// is recorded in a hash-chained audit log.
#[derive(Debug, Parser)]
#[command(name = "varde", version, after_help = crate::exit::HELP)]
pub struct Cli {
    /// The locker directory [default: the user's data directory]/varde/locker
    #[arg(long, global = true, env = "VARDE_LOCKER", value_name = "DIR")]
    pub locker: Option<PathBuf>,

    /// Read the passphrase from the first line of this file
    #[arg(long, global = true, value_name = "FILE")]
    pub passphrase_file: Option<PathBuf>,

    /// Who is acting, as recorded in the audit log [default: the locker's owner]
    #[arg(long, global = true, env = "VARDE_ACTOR", value_name = "NAME")]
    pub actor: Option<String>,

    #[command(subcommand)]
    pub command: Command,
}

impl Cli {
    /// Whether the command asked for JSON output (errors are then JSON too).
    pub fn wants_json(&self) -> bool {
        match &self.command {
            Command::Case(CaseCmd::List { json, .. } | CaseCmd::Show { json, .. })
            | Command::Person(PersonCmd::List { json, .. })
            | Command::Incident(
                IncidentCmd::List { json, .. }
                | IncidentCmd::Show { json, .. }
                | IncidentCmd::Senders { json, .. }
                | IncidentCmd::LinkSender { json, .. },
            )
            | Command::Evidence(
                EvidenceCmd::List { json, .. }
                | EvidenceCmd::Show { json, .. }
                | EvidenceCmd::Messages { json, .. },
            )
            | Command::Verify { json }
            | Command::Log { json, .. } => *json,
            Command::Checklist(c) => c.json(),
            Command::Escalation(c) => c.json(),
            Command::Contacts(c) => c.json(),
            Command::Disclosure(c) => c.json(),
            Command::Request(c) => c.json(),
            Command::Export(a) => a.json,
            Command::VerifyBundle(a) => a.json,
            Command::Import(a) => a.json,
            Command::Document(c) => c.json(),
            Command::Profile(a) => a.json,
            _ => false,
        }
    }
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Create a new, empty locker (asks for a new passphrase)
    Init {
        /// A personal self-log for a threatened employee instead of an officer's locker
        #[arg(long)]
        self_log: bool,
        /// The owner's name, recorded as the actor in the audit log
        #[arg(long)]
        name: Option<String>,
    },
    /// Cases: one per threat situation
    #[command(subcommand)]
    Case(CaseCmd),
    /// Persons in a case: the threatened employee, threat actors, witnesses
    #[command(subcommand)]
    Person(PersonCmd),
    /// Incidents: what happened, when, where, how
    #[command(subcommand)]
    Incident(IncidentCmd),
    /// Evidence: original files with their SHA-256
    #[command(subcommand)]
    Evidence(EvidenceCmd),
    /// Re-hash every stored original and re-walk the audit log; exit 1 on any problem
    Verify {
        /// Print the report as JSON
        #[arg(long)]
        json: bool,
    },
    /// Show the audit log
    Log {
        /// Only events about this subject, e.g. case:V-2026-0001, incident:3, evidence:7
        #[arg(long)]
        subject: Option<String>,
        /// Print as JSON
        #[arg(long)]
        json: bool,
    },
    /// The locker's passphrase
    #[command(subcommand)]
    Passphrase(PassphraseCmd),
    /// The advice checklist of a case: per threatened employee, and for the employer
    #[command(subcommand)]
    Checklist(guidance::ChecklistCmd),
    /// Escalation prompts: call 112, report to the police, notify health services, ...
    #[command(subcommand)]
    Escalation(guidance::EscalationCmd),
    /// The contacts directory: shipped organisational numbers and local contacts
    #[command(subcommand)]
    Contacts(guidance::ContactsCmd),
    /// The disclosure ledger: what left the locker, to whom, on what legal basis
    #[command(subcommand)]
    Disclosure(guidance::DisclosureCmd),
    /// Requests for information from the police
    #[command(subcommand)]
    Request(guidance::RequestCmd),
    /// Drafts written from a case: a police report, a concern report; and recording one as sent
    #[command(subcommand)]
    Document(crate::document::DocumentCmd),
    /// Who keeps the locker and reports: the organisation, its number and address, the contact
    Profile(crate::document::ProfileArgs),
    /// Write a case's evidence bundle for the police (zip or folder), signed; recorded as a disclosure
    Export(crate::bundle::ExportArgs),
    /// Check a bundle as the police would (SHA256SUMS, signature) and more; exit 1 on any problem
    VerifyBundle(crate::bundle::VerifyBundleArgs),
    /// Take a verified bundle (a self-log, another locker's export) into a case
    Import(crate::bundle::ImportArgs),
}

#[derive(Debug, Subcommand)]
pub enum PassphraseCmd {
    /// Change the passphrase (new one from a prompt, --new-passphrase-file or VARDE_NEW_PASSPHRASE)
    Change {
        /// Read the new passphrase from the first line of this file
        #[arg(long, value_name = "FILE")]
        new_passphrase_file: Option<PathBuf>,
    },
}

#[derive(Debug, Subcommand)]
pub enum CaseCmd {
    /// Open a new case; prints its reference
    New {
        /// A short title
        #[arg(long)]
        title: String,
        /// Notes
        #[arg(long, default_value = "")]
        notes: String,
    },
    /// List cases
    List {
        /// Only cases with this status
        #[arg(long, value_parser = choice::<CaseStatus>())]
        status: Option<CaseStatus>,
        /// Only cases whose reference or title contains this text
        #[arg(long)]
        search: Option<String>,
        /// Print as JSON
        #[arg(long)]
        json: bool,
    },
    /// Show a case with its persons, incidents and evidence
    Show {
        /// The case reference, e.g. V-2026-0001
        reference: String,
        /// Print as JSON
        #[arg(long)]
        json: bool,
    },
    /// Close a case; it is then reviewed for retention (keep or delete) on a date
    Close {
        /// The case reference
        reference: String,
        /// Why it is closed
        #[arg(long, default_value = "")]
        note: String,
        /// When to review it for retention, YYYY-MM-DD [default: 12 months from today]
        #[arg(long, value_name = "DAY")]
        retention_review: Option<String>,
    },
    /// Put a case on legal hold (a police case is open, a court case is expected): it
    /// cannot be deleted while the hold stands
    Hold {
        /// The case reference
        reference: String,
        /// Why (recorded in the audit log)
        #[arg(long)]
        reason: String,
    },
    /// Lift a case's legal hold
    Release {
        /// The case reference
        reference: String,
        /// Why (recorded in the audit log)
        #[arg(long)]
        reason: String,
    },
    /// Delete a case and everything of it, with a reason (refused while on legal hold);
    /// prints what went and keeps a signed receipt in the locker
    Delete {
        /// The case reference
        reference: String,
        /// Why (recorded in the audit log and on the receipt; no names, please)
        #[arg(long)]
        reason: String,
        /// Also save the receipt as FILE.json with FILE.sig (its Ed25519 signature),
        /// FILE.pem (the locker's public key) and FILE.pdf beside it
        #[arg(long, value_name = "FILE.json")]
        receipt: Option<PathBuf>,
        #[command(flatten)]
        lang: guidance::LangArg,
    },
    /// Keep a closed case at its retention review: a new review day and why it is still
    /// needed (the other outcome of a review is `case delete`)
    Keep {
        /// The case reference
        reference: String,
        /// The next retention review, YYYY-MM-DD or DD.MM.YYYY (after today)
        #[arg(long, value_name = "DAY")]
        until: String,
        /// Why the case is still needed (recorded in the audit log)
        #[arg(long)]
        reason: String,
    },
    /// Show the organisation's retention rule, or set it with --months and --reason: how
    /// many months after closing a case is reviewed
    Retention {
        /// Months after closing (1 to 120)
        #[arg(long, requires = "reason")]
        months: Option<u32>,
        /// Why the rule changes (recorded in the audit log)
        #[arg(long, requires = "months")]
        reason: Option<String>,
    },
    /// Save the receipt of a deleted case again (FILE.json, .sig, .pem, .pdf)
    Receipt {
        /// The deleted case's reference
        reference: String,
        /// Where
        #[arg(long, value_name = "FILE.json")]
        out: PathBuf,
        #[command(flatten)]
        lang: guidance::LangArg,
    },
    /// Set when a case's risk is to be assessed again (shown on the case list when due)
    Review {
        /// The case reference
        reference: String,
        /// The day, YYYY-MM-DD or DD.MM.YYYY
        #[arg(long, value_name = "DAY", required_unless_present = "clear")]
        on: Option<String>,
        /// Remove the review date
        #[arg(long, conflicts_with = "on")]
        clear: bool,
        /// Why (recorded in the audit log)
        #[arg(long, default_value = "")]
        reason: String,
    },
    /// Set a case's status (open, monitoring, closed)
    Status {
        /// The case reference
        reference: String,
        /// The new status
        #[arg(value_parser = choice::<CaseStatus>())]
        status: CaseStatus,
        /// Why
        #[arg(long, default_value = "")]
        note: String,
    },
}

#[derive(Debug, Subcommand)]
#[allow(clippy::large_enum_variant, reason = "parsed once per process")]
pub enum PersonCmd {
    /// Everything the locker holds about a person, as a PDF for the data protection
    /// officer answering an access request (exemptions are assessed before anything is
    /// handed out); audited
    Report {
        /// The person's id
        id: i64,
        /// Where to write the PDF
        #[arg(long, value_name = "FILE.pdf")]
        out: PathBuf,
        /// Print what was gathered as JSON too
        #[arg(long)]
        json: bool,
        #[command(flatten)]
        lang: guidance::LangArg,
    },
    /// Add a person to a case; prints the person's id
    Add {
        /// The case reference
        #[arg(long)]
        case: String,
        /// Their part in the case
        #[arg(long, value_parser = choice::<PersonKind>())]
        kind: PersonKind,
        /// Name (leave out for an unknown threat actor)
        #[arg(long)]
        name: Option<String>,
        /// Job title
        #[arg(long)]
        title: Option<String>,
        /// Department
        #[arg(long)]
        department: Option<String>,
        /// A work contact detail, as kind:value (e.g. phone:+47 900 00 000)
        #[arg(long = "contact", value_name = "KIND:VALUE")]
        contacts: Vec<String>,
        /// A private contact detail (left out of exports unless asked for)
        #[arg(long = "private-contact", value_name = "KIND:VALUE")]
        private_contacts: Vec<String>,
        /// An alias or handle: a phone number, e-mail address, profile URL, nickname
        #[arg(long = "alias")]
        aliases: Vec<String>,
        /// Home municipality (for a concern report)
        #[arg(long)]
        municipality: Option<String>,
        /// There is a concern for this person's mental health: what gives reason for it
        #[arg(long, value_name = "OBSERVATIONS")]
        health_concern: Option<String>,
        /// Notes
        #[arg(long, default_value = "")]
        notes: String,
    },
    /// Correct a person: only the options given change; prints the person's id
    Edit {
        /// The person's id
        id: i64,
        /// Their part in the case
        #[arg(long, value_parser = choice::<PersonKind>())]
        kind: Option<PersonKind>,
        /// Name
        #[arg(long)]
        name: Option<String>,
        /// Job title
        #[arg(long)]
        title: Option<String>,
        /// Department
        #[arg(long)]
        department: Option<String>,
        /// Aliases and handles, replacing those recorded
        #[arg(long = "alias")]
        aliases: Vec<String>,
        /// Home municipality
        #[arg(long)]
        municipality: Option<String>,
        /// Notes, replacing those recorded
        #[arg(long)]
        notes: Option<String>,
        /// Why the record is corrected (kept in the audit log)
        #[arg(long)]
        reason: Option<String>,
    },
    /// List a case's persons
    List {
        /// The case reference
        #[arg(long)]
        case: String,
        /// Print as JSON
        #[arg(long)]
        json: bool,
    },
}

/// Fields an incident is logged or edited with.
#[derive(Debug, Args, Default)]
pub struct IncidentFields {
    /// Time zone of --at
    #[arg(long, value_name = "ZONE")]
    pub tz: Option<String>,
    /// The time is approximate
    #[arg(long)]
    pub approximate: bool,
    /// Kind of place [default: from the channel]
    #[arg(long, value_parser = choice::<PlaceKind>())]
    pub place_kind: Option<PlaceKind>,
    /// Platform, e.g. Facebook, Snapchat
    #[arg(long)]
    pub platform: Option<String>,
    /// Who sent it, as it showed: a phone number, an e-mail address, a handle
    #[arg(long)]
    pub sender: Option<String>,
    /// The exact wording used
    #[arg(long)]
    pub wording: Option<String>,
    /// How it was perceived (repeatable)
    #[arg(long, value_parser = choice::<Perception>())]
    pub perceived: Vec<Perception>,
    /// It is directed at individuals (named or not; the guide: «rettes mot enkeltpersoner»)
    #[arg(long)]
    pub targets_individuals: bool,
    /// It is an ongoing emergency
    #[arg(long)]
    pub emergency: bool,
    /// The threat actor: the id of a threat_actor person in the case
    #[arg(long, value_name = "PERSON_ID")]
    pub actor_person: Option<i64>,
    /// A witness by name (repeatable)
    #[arg(long = "witness", value_name = "NAME")]
    pub witnesses: Vec<String>,
    /// A witness who is a person in the case (repeatable)
    #[arg(long = "witness-person", value_name = "PERSON_ID")]
    pub witness_persons: Vec<i64>,
}

#[derive(Debug, Subcommand)]
pub enum IncidentCmd {
    /// Log an incident; prints its id
    Add {
        /// The case reference
        #[arg(long)]
        case: String,
        /// When: "YYYY-MM-DD HH:MM" (or "DD.MM.YYYY HH:MM", or a date alone), local time
        #[arg(long)]
        at: String,
        /// How it came
        #[arg(long, value_parser = choice::<Channel>())]
        channel: Channel,
        /// Where (free text)
        #[arg(long)]
        place: String,
        /// What happened
        #[arg(long)]
        description: String,
        #[command(flatten)]
        fields: IncidentFields,
    },
    /// Log an incident from a message of a chat export or e-mail (see `evidence
    /// messages`): time, channel, sender and the exact words come from the message, linked
    /// to it; any option given replaces what was read. Prints the new incident's id
    FromMessage {
        /// The evidence id of the chat export or e-mail
        #[arg(long)]
        evidence: i64,
        /// The message's index (from `evidence messages`)
        #[arg(long)]
        message: u32,
        /// When, instead of the message's time
        #[arg(long)]
        at: Option<String>,
        /// How it came, instead of what the export says
        #[arg(long, value_parser = choice::<Channel>())]
        channel: Option<Channel>,
        /// Where, instead of the thread's name
        #[arg(long)]
        place: Option<String>,
        /// What happened, instead of «Melding nr. … i …»
        #[arg(long)]
        description: Option<String>,
        #[command(flatten)]
        fields: IncidentFields,
    },
    /// Store an e-mail (.eml or .msg) as evidence in a new incident made from it: time from
    /// its Date header, channel e-mail, place «e-post til …», the body as the exact words,
    /// the sender. Any option given replaces what was read. Prints the incident's id
    FromEmail {
        /// The case reference
        #[arg(long)]
        case: String,
        /// The e-mail file
        file: PathBuf,
        /// When, instead of the Date header
        #[arg(long)]
        at: Option<String>,
        /// Where, instead of «e-post til …»
        #[arg(long)]
        place: Option<String>,
        /// What happened, instead of «E-post med emnet …»
        #[arg(long)]
        description: Option<String>,
        #[command(flatten)]
        fields: IncidentFields,
    },
    /// List a case's incidents in time order
    List {
        /// The case reference
        #[arg(long)]
        case: String,
        /// Print as JSON
        #[arg(long)]
        json: bool,
    },
    /// Show an incident, its evidence and earlier versions
    Show {
        /// The incident id
        id: i64,
        /// Print as JSON
        #[arg(long)]
        json: bool,
    },
    /// Edit an incident (the earlier version is kept)
    Edit {
        /// The incident id
        id: i64,
        /// New date and time
        #[arg(long)]
        at: Option<String>,
        /// New channel
        #[arg(long, value_parser = choice::<Channel>())]
        channel: Option<Channel>,
        /// New place
        #[arg(long)]
        place: Option<String>,
        /// New description
        #[arg(long)]
        description: Option<String>,
        /// No longer an ongoing emergency
        #[arg(long, conflicts_with = "emergency")]
        no_emergency: bool,
        /// Why the record is corrected (kept in the audit log)
        #[arg(long)]
        reason: Option<String>,
        #[command(flatten)]
        fields: IncidentFields,
    },
    /// Senders with two or more incidents and no threat actor
    Senders {
        /// The case reference
        #[arg(long)]
        case: String,
        /// Print as JSON
        #[arg(long)]
        json: bool,
    },
    /// Record an unknown threat actor for a sender and link the sender's incidents to them
    LinkSender {
        /// The case reference
        #[arg(long)]
        case: String,
        /// The sender, as recorded on the incidents
        #[arg(long)]
        sender: String,
        /// Why (kept in the audit log) [default: the same sender]
        #[arg(long)]
        reason: Option<String>,
        /// Print the new person as JSON
        #[arg(long)]
        json: bool,
    },
}

#[derive(Debug, Subcommand)]
pub enum EvidenceCmd {
    /// Add files to an incident; prints one line per file: id, sha256, name
    Add {
        /// The incident id
        #[arg(long)]
        incident: i64,
        /// The files, in order (screenshots of one thread: first to last)
        #[arg(required = true)]
        files: Vec<PathBuf>,
        /// These files are screenshots of one conversation: its name, number or id
        #[arg(long, value_name = "THREAD")]
        thread: Option<String>,
        /// The platform of the thread (Messenger, SMS, e-mail, ...)
        #[arg(long, requires = "thread")]
        platform: Option<String>,
        /// Sequence number of the first file in the thread [default: after the last one stored]
        #[arg(long, requires = "thread")]
        first_seq: Option<i64>,
        /// The whole thread is captured, not only the threatening message
        #[arg(long, requires = "thread")]
        whole_thread: bool,
        /// A note for the files
        #[arg(long, default_value = "")]
        note: String,
        /// Accept zero-byte files
        #[arg(long)]
        allow_empty: bool,
    },
    /// Correct a thread capture of an incident after its files are in (the originals
    /// stay as they are); only the options given change
    Thread {
        /// The incident id
        #[arg(long)]
        incident: i64,
        /// The thread's name as it is now
        #[arg(long)]
        thread: String,
        /// A new name for the thread
        #[arg(long)]
        name: Option<String>,
        /// The platform (Messenger, SMS, ...)
        #[arg(long)]
        platform: Option<String>,
        /// Whether the whole thread is captured
        #[arg(long)]
        whole_thread: Option<bool>,
        /// Every item of the thread, by evidence id, in the new order
        #[arg(long, value_delimiter = ',')]
        order: Vec<i64>,
        /// Why it is corrected (kept in the audit log)
        #[arg(long)]
        reason: Option<String>,
    },
    /// List a case's evidence
    List {
        /// The case reference
        #[arg(long)]
        case: String,
        /// Only this incident's evidence
        #[arg(long)]
        incident: Option<i64>,
        /// Print as JSON
        #[arg(long)]
        json: bool,
    },
    /// Show one item
    Show {
        /// The evidence id
        id: i64,
        /// Print as JSON
        #[arg(long)]
        json: bool,
    },
    /// The messages of a chat export or e-mail, oldest first
    Messages {
        /// The evidence id
        id: i64,
        /// Print as JSON: [{index, sender, time, text, …}]
        #[arg(long)]
        json: bool,
    },
    /// Take an attachment out of an e-mail as evidence of its own (in the e-mail's
    /// incident, naming the e-mail); prints its evidence id
    Attachment {
        /// The e-mail's evidence id
        id: i64,
        /// The attachment's index (from `evidence show`), from 0
        index: u32,
    },
    /// Note the call on a recording in its incident (a new version of the incident: channel
    /// phone call, the number as sender, the words as the exact wording); prints the
    /// incident's id and version
    Call {
        /// The recording's evidence id
        id: i64,
        /// When the call came (`YYYY-MM-DD HH:MM`); default: the recording's own time, else
        /// the incident's
        #[arg(long)]
        at: Option<String>,
        /// The number it came from, as it showed
        #[arg(long)]
        number: Option<String>,
        /// Who called, when a threat actor of the case (their person id)
        #[arg(long)]
        person: Option<i64>,
        /// Who called as they presented themself, when not a person of the case
        #[arg(long)]
        caller: Option<String>,
        /// What happened; default: the incident's description
        #[arg(long)]
        description: Option<String>,
        /// The exact words, as you noted them from the recording
        #[arg(long)]
        words: Option<String>,
    },
    /// Make a redacted copy of an image (for a recipient other than the police): each box
    /// filled opaque black, EXIF and GPS removed; the original is unchanged and stays the
    /// evidence. Prints the copy's id
    Redact {
        /// The evidence id of the image
        id: i64,
        /// A box to black out, in the upright image's pixels from its top-left corner:
        /// X,Y,WIDTH,HEIGHT (give --box once per box)
        #[arg(long = "box", value_name = "X,Y,W,H", required = true, value_parser = parse_box)]
        boxes: Vec<varde_core::Region>,
    },
    /// Write a redacted copy out as a PNG (its SHA-256 is checked on the way)
    ExtractCopy {
        /// The redacted copy's id (printed by `evidence redact`, listed by `evidence show`)
        id: i64,
        /// Where to write it (must not exist)
        #[arg(long)]
        out: PathBuf,
    },
    /// Write an original back out, byte-identical (its SHA-256 is checked on the way)
    Extract {
        /// The evidence id
        id: i64,
        /// Where to write it (must not exist)
        #[arg(long)]
        out: PathBuf,
    },
}

/// `X,Y,W,H` of `--box`: four whole numbers of pixels.
fn parse_box(s: &str) -> Result<varde_core::Region, String> {
    let n: Vec<u32> = s
        .split(',')
        .map(|p| p.trim().parse::<u32>())
        .collect::<Result<_, _>>()
        .map_err(|_| format!("«{s}» is not X,Y,WIDTH,HEIGHT in whole pixels"))?;
    match n[..] {
        [x, y, w, h] => Ok(varde_core::Region { x, y, w, h }),
        _ => Err(format!("«{s}» is not X,Y,WIDTH,HEIGHT (four numbers)")),
    }
}
