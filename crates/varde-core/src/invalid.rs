//! Why an input was refused, as data: the field it belongs to and a typed reason with its
//! parameters. The CLI prints the English [`Display`](std::fmt::Display); the desktop UI
//! receives the value itself (`{kind, field, ...}`) and words it in Norwegian or English
//! through its dictionaries, at the field it names. A test in the app walks every
//! [`Invalid`] kind, [`Field`] and [`ItemKind`] and checks both dictionaries word them.

use serde::Serialize;

/// The input field a refusal belongs to (the UI shows the message at that field).
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, strum::EnumIter, strum::IntoStaticStr,
)]
#[serde(rename_all = "snake_case")]
#[strum(serialize_all = "snake_case")]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub enum Field {
    /// A case's title.
    #[default]
    Title,
    /// When it happened.
    OccurredAt,
    /// The time zone of a time.
    TimeZone,
    /// How it came (SMS, e-mail, ...).
    Channel,
    /// What happened.
    Description,
    /// Where it happened.
    Place,
    /// The platform or service (Messenger, ...).
    Platform,
    /// Who sent it (number, address, handle).
    Sender,
    /// The consent a disclosure rests on.
    Consent,
    /// What a consent covers.
    ConsentScope,
    /// How a consent was given or withdrawn.
    ConsentHow,
    /// The exact wording of a threat.
    Wording,
    /// The threat actor of an incident.
    Actor,
    /// A witness.
    Witness,
    /// A person's name.
    Name,
    /// What kind of person.
    PersonKind,
    /// A person's job title.
    JobTitle,
    /// A person's department.
    Department,
    /// Where a person lives (bostedskommune).
    HomeMunicipality,
    /// What gives concern about a person's health.
    HealthObservations,
    /// Another name or handle of a person.
    Alias,
    /// A contact detail (kind:value).
    Contact,
    /// A phone number.
    Phone,
    /// An e-mail address.
    Email,
    /// Who received information.
    Recipient,
    /// What was shared.
    Shared,
    /// Incidents chosen.
    Incidents,
    /// The legal basis of a disclosure or a request.
    LegalBasis,
    /// A reason given in words.
    Reason,
    /// A date until which something is put off.
    Until,
    /// When something was done.
    At,
    /// An original's file name.
    FileName,
    /// The boxes of a redacted copy.
    Regions,
    /// A file or folder path.
    Path,
    /// A note.
    Note,
    /// The platform of a captured thread.
    ThreadPlatform,
    /// The thread a capture belongs to.
    Thread,
    /// The locker's owner.
    Owner,
    /// The period of a request.
    Period,
    /// Whom a request concerns.
    Subject,
    /// A national identity number.
    IdNumber,
    /// An organisation number (organisasjonsnummer).
    OrgNumber,
    /// Why a legal basis's conditions are met (a police request).
    Conditions,
    /// When a closed case is to be reviewed for retention.
    RetentionReview,
    /// A person chosen from the case.
    Person,
    /// A new passphrase.
    NewPassphrase,
    /// A guidance file of the organisation.
    GuidanceFile,
    /// A page of a list.
    Page,
    /// A case's reference (V-2026-0001).
    Reference,
    /// The officer who exported a bundle.
    Officer,
    /// Who logged an incident.
    LoggedBy,
    /// An original's media type.
    MediaType,
    /// Who acquired an original.
    AcquiredBy,
    /// The case's notes, or a person's.
    Notes,
    /// The asker's position (in a police request).
    Position,
    /// What a request is for.
    Purpose,
    /// The register a request asks about.
    Register,
    /// The day an answer is needed by.
    NeededBy,
}

impl Field {
    /// The field in English words, for the CLI.
    pub fn english(self) -> &'static str {
        match self {
            Field::Title => "the title",
            Field::OccurredAt => "the date and time",
            Field::TimeZone => "the time zone",
            Field::Channel => "the channel",
            Field::Description => "the description",
            Field::Place => "the place",
            Field::Platform => "the platform",
            Field::Sender => "the sender",
            Field::Consent => "the consent",
            Field::ConsentScope => "what the consent covers",
            Field::ConsentHow => "how the consent was given or withdrawn",
            Field::Wording => "the exact wording",
            Field::Actor => "the threat actor",
            Field::Witness => "a witness",
            Field::Name => "the name",
            Field::PersonKind => "the kind of person",
            Field::JobTitle => "the job title",
            Field::Department => "the department",
            Field::HomeMunicipality => "the home municipality",
            Field::HealthObservations => "the health observations",
            Field::Alias => "an alias",
            Field::Contact => "a contact detail",
            Field::Phone => "the phone number",
            Field::Email => "the e-mail address",
            Field::Recipient => "the recipient",
            Field::Shared => "what was shared",
            Field::Incidents => "the incidents",
            Field::LegalBasis => "the legal basis",
            Field::Reason => "the reason",
            Field::Until => "the date",
            Field::At => "the time",
            Field::FileName => "the file name",
            Field::Path => "the path",
            Field::Note => "the note",
            Field::ThreadPlatform => "the thread's platform",
            Field::Thread => "the thread",
            Field::Owner => "the owner's name",
            Field::Period => "the period",
            Field::Subject => "whom it concerns",
            Field::IdNumber => "the national identity number",
            Field::OrgNumber => "the organisation number",
            Field::Conditions => "why the conditions are met",
            Field::RetentionReview => "the retention review date",
            Field::Person => "the person",
            Field::NewPassphrase => "the new passphrase",
            Field::GuidanceFile => "the guidance file",
            Field::Page => "the page",
            Field::Reference => "the case reference",
            Field::Officer => "the exporting officer",
            Field::LoggedBy => "who logged it",
            Field::MediaType => "the media type",
            Field::AcquiredBy => "who acquired it",
            Field::Notes => "the notes",
            Field::Position => "the asker's position",
            Field::Purpose => "the purpose",
            Field::Register => "the register asked about",
            Field::NeededBy => "the day it is needed by",
            Field::Regions => "the regions to black out",
        }
    }
}

/// What kind of record a refusal names.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, strum::EnumIter, strum::IntoStaticStr,
)]
#[serde(rename_all = "snake_case")]
#[strum(serialize_all = "snake_case")]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub enum ItemKind {
    /// A case.
    #[default]
    Case,
    /// An incident.
    Incident,
    /// A person.
    Person,
    /// An evidence item.
    Evidence,
    /// An incident of a bundle being imported.
    BundleIncident,
    /// A person of a bundle being imported.
    BundlePerson,
    /// An evidence item of a bundle being imported.
    BundleEvidence,
    /// A checklist item.
    ChecklistItem,
    /// An escalation rule (a prompt).
    Rule,
    /// A contact of the directory.
    Contact,
    /// A disclosure of the ledger.
    Disclosure,
    /// A police request.
    Request,
    /// A stored original (by SHA-256).
    Original,
    /// A consent record.
    Consent,
    /// A redacted copy of an image.
    Redaction,
}

impl ItemKind {
    /// The kind in English words, for the CLI.
    pub fn english(self) -> &'static str {
        match self {
            ItemKind::Case => "case",
            ItemKind::Incident => "incident",
            ItemKind::Person => "person",
            ItemKind::Evidence => "evidence",
            ItemKind::BundleIncident => "the bundle's incident",
            ItemKind::BundlePerson => "the bundle's person",
            ItemKind::BundleEvidence => "the bundle's evidence",
            ItemKind::ChecklistItem => "checklist item",
            ItemKind::Rule => "escalation rule",
            ItemKind::Contact => "contact",
            ItemKind::Disclosure => "disclosure",
            ItemKind::Request => "request",
            ItemKind::Original => "original",
            ItemKind::Consent => "consent",
            ItemKind::Redaction => "redacted copy",
        }
    }
}

/// A record a refusal names: its kind and its id or reference.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct Item {
    /// What kind of record.
    pub kind: ItemKind,
    /// Its id or reference as the user knows it.
    pub id: String,
}

impl Item {
    /// A record of this kind with this id.
    pub fn new(kind: ItemKind, id: impl ToString) -> Self {
        Item {
            kind,
            id: id.to_string(),
        }
    }
}

impl std::fmt::Display for Item {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let kind = self.kind.english();
        if self.id.is_empty() {
            write!(f, "{kind}")
        } else {
            write!(f, "{kind} {}", self.id)
        }
    }
}

/// What is wrong with a file name.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, strum::EnumIter, strum::IntoStaticStr,
)]
#[serde(rename_all = "snake_case")]
#[strum(serialize_all = "snake_case")]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub enum FileNameProblem {
    /// Empty, `.` or `..`.
    #[default]
    NotAName,
    /// Holds `/` or `\`.
    Separator,
    /// Holds a control character.
    Control,
    /// Longer than common file systems allow.
    TooLong,
    /// Not valid UTF-8.
    NotUtf8,
}

/// Why an input was refused. Each kind is worded by the UI (`invalid.<kind>` in both
/// dictionaries) with these parameters.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, strum::EnumIter, strum::IntoStaticStr)]
#[serde(tag = "kind", rename_all = "snake_case")]
#[strum(serialize_all = "snake_case")]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub enum Invalid {
    /// A field that must be filled in is empty.
    Required {
        /// The field.
        field: Field,
    },
    /// A text holds a control character a person does not type.
    ControlCharacter {
        /// The field.
        field: Field,
        /// The record, when not the one in the form.
        item: Option<Item>,
        /// The character, as `U+0007`.
        code_point: String,
    },
    /// A text is longer than Varde keeps.
    TooLong {
        /// The field.
        field: Field,
        /// The record, when not the one in the form.
        item: Option<Item>,
        /// Its length in characters (bytes for a file name).
        length: u64,
        /// The most allowed.
        max: u64,
    },
    /// A file name cannot be used.
    FileName {
        /// The record, when known.
        item: Option<Item>,
        /// The name as given (escaped).
        value: String,
        /// What is wrong with it.
        problem: FileNameProblem,
    },
    /// A date and time Varde cannot read.
    DateTime {
        /// The field.
        field: Field,
        /// What was written.
        value: String,
    },
    /// A date Varde cannot read.
    Date {
        /// The field.
        field: Field,
        /// What was written.
        value: String,
    },
    /// An unknown time zone name.
    TimeZone {
        /// What was given.
        value: String,
    },
    /// A local time that does not exist (the clocks skip that hour).
    SkippedHour {
        /// The time given.
        value: String,
        /// The time zone.
        zone: String,
    },
    /// A time in the future.
    InFuture {
        /// The field.
        field: Field,
        /// The time given.
        value: String,
    },
    /// A period that starts after today.
    PeriodInFuture {
        /// The start given.
        value: String,
    },
    /// A period that ends before it starts.
    PeriodOrder {
        /// The first day.
        from: String,
        /// The last day.
        to: String,
    },
    /// A day that has passed where a coming day is needed.
    DayPassed {
        /// The field.
        field: Field,
        /// The day given.
        value: String,
    },
    /// A day that must be after today (a prompt put off until then).
    NotAfterToday {
        /// The field.
        field: Field,
        /// The day given.
        value: String,
    },
    /// A date to wait until, given for an action that is not "put off".
    UntilOnlyWhenDeferred,
    /// A record named that is not in this case.
    NotInCase {
        /// The field it was given in.
        field: Field,
        /// The record.
        item: Item,
        /// The case's reference.
        case: String,
    },
    /// The threat actor given is not a threat actor of the case.
    NotAThreatActor {
        /// The person's id.
        person: i64,
    },
    /// The person given is not a threatened employee of the case.
    NotAnEmployee {
        /// The person's id.
        person: i64,
        /// The case's reference.
        case: String,
    },
    /// The case has several threatened employees and none was chosen.
    WhichEmployee {
        /// The case's reference.
        case: String,
        /// Their ids.
        ids: String,
    },
    /// A checklist item for the employer was given a person.
    EmployerItem {
        /// The item's key.
        key: String,
    },
    /// A witness with neither a name nor a person.
    WitnessNeedsName,
    /// Only a threat actor may be added without a name.
    NameNeeded,
    /// A contact detail not written as kind:value.
    ContactFormat {
        /// What was written.
        value: String,
    },
    /// An e-mail address without `@`.
    NotAnEmail {
        /// What was written.
        value: String,
    },
    /// A contact with neither a phone number nor an e-mail address.
    PhoneOrEmail,
    /// A disclosure that names nothing shared.
    NothingShared,
    /// A legal basis that is not in the list.
    UnknownLegalBasis {
        /// What was given.
        value: String,
        /// The keys that can be used.
        choices: String,
    },
    /// The legal basis "other" without words.
    DescribeLegalBasis,
    /// The employee was already told about this disclosure (or it was recorded as told
    /// or not to be told).
    NotAwaitingInforming {
        /// The ledger entry.
        item: Item,
    },
    /// A legal basis this kind of employer cannot use (a public employer and GDPR art.
    /// 6(1)(f); a private one and 6(1)(e)).
    BasisNotForEmployer {
        /// The basis key.
        basis: String,
        /// The locker's organisation is public.
        public: bool,
    },
    /// A disclosure on the basis of consent names no consent record (in officer mode the
    /// consent is recorded first: what, to whom, when and how).
    ConsentRequired,
    /// The consent was withdrawn at or before the time of the disclosure.
    ConsentWithdrawn {
        /// The consent.
        item: Item,
        /// When it was withdrawn (RFC 3339).
        withdrawn_at: String,
    },
    /// The disclosure is dated before the consent was given.
    ConsentNotYetGiven {
        /// The consent.
        item: Item,
        /// When it was given (RFC 3339).
        given_at: String,
    },
    /// The consent was already withdrawn.
    ConsentAlreadyWithdrawn {
        /// The consent.
        item: Item,
        /// When (RFC 3339).
        withdrawn_at: String,
    },
    /// No incident of the case from this sender is without a threat actor.
    NoUnlinkedFromSender {
        /// The sender as given.
        sender: String,
    },
    /// An organisation number that is not 9 digits with a valid check digit.
    OrgNumber {
        /// What was written.
        value: String,
    },
    /// A national identity number that is not 11 digits.
    IdNumber {
        /// What was written.
        value: String,
    },
    /// An evidence item with no messages to read (not an e-mail or chat export, or one that
    /// could not be read).
    NoMessages {
        /// The evidence item.
        item: Item,
    },
    /// A legal hold set on a case that is already on hold.
    AlreadyOnHold {
        /// The case reference.
        case: String,
        /// When the hold was set.
        since: String,
    },
    /// A retention rule outside what Varde accepts.
    RetentionMonths {
        /// The months given.
        value: u32,
    },
    /// A case kept at a retention review that is not closed.
    NotClosed {
        /// The case reference.
        case: String,
    },
    /// A case deleted while it is on legal hold.
    OnLegalHold {
        /// The case reference.
        case: String,
        /// When the hold was set.
        since: String,
        /// Why it was set.
        reason: String,
    },
    /// A legal hold lifted from a case that is not on hold.
    NotOnHold {
        /// The case reference.
        case: String,
    },
    /// A call noted from an evidence item that is not a recording.
    NotARecording {
        /// The evidence item.
        item: Item,
    },
    /// A message index past the end of a thread.
    NoSuchMessage {
        /// The evidence item.
        item: Item,
        /// The index asked for.
        index: u32,
        /// How many messages there are.
        count: usize,
    },
    /// An attachment index past the end of an e-mail's attachments (or no e-mail at all).
    NoSuchAttachment {
        /// The evidence item.
        item: Item,
        /// The index asked for.
        index: u32,
        /// How many attachments there are.
        count: usize,
    },
    /// A file given as an e-mail that Varde cannot read as one.
    NotAnEmailFile {
        /// The path.
        path: String,
    },
    /// A file that changed while Varde read it (nothing was stored).
    ChangedWhileRead {
        /// The path.
        path: String,
    },
    /// A redacted copy asked of an item that is not an image Varde decodes.
    NotAnImage {
        /// The evidence item.
        item: Item,
    },
    /// A redacted copy asked of an image too large to decode.
    ImageTooLarge {
        /// The evidence item.
        item: Item,
    },
    /// A redacted copy without any box.
    NoRegions,
    /// A redacted copy with more boxes than allowed.
    TooManyRegions {
        /// The most allowed.
        max: usize,
    },
    /// A box that is empty or reaches past the image.
    RegionOutside {
        /// Which box, from 1.
        number: usize,
        /// The upright image's width.
        width: u32,
        /// The upright image's height.
        height: u32,
    },
    /// An export asked to send the redacted copy of an item that has none.
    NoRedactedCopy {
        /// The evidence item.
        item: Item,
    },
    /// Redacted copies chosen for the police or a self-log: they get the originals.
    RedactedNotForRecipient,
    /// A bundle being imported holds a redacted copy, not an original.
    RedactedInBundle {
        /// The bundle's item.
        item: Item,
    },
    /// An original too large to show inside Varde (open it in another program instead).
    TooLargeToShow {
        /// Its size in bytes.
        size: u64,
        /// The most shown inside Varde.
        max: u64,
    },
    /// A file to add does not exist.
    FileMissing {
        /// The path.
        path: String,
    },
    /// A file cannot be read: permission denied.
    FilePermission {
        /// The path.
        path: String,
    },
    /// A folder was given where a file was meant.
    IsDirectory {
        /// The path.
        path: String,
    },
    /// Not a regular file (a device, a socket, ...).
    NotAFile {
        /// The path.
        path: String,
    },
    /// An empty (0-byte) file.
    EmptyFile {
        /// The path or name.
        path: String,
    },
    /// The same file given twice.
    GivenTwice {
        /// The path.
        path: String,
    },
    /// The file to write already exists.
    OutputExists {
        /// The path.
        path: String,
    },
    /// The folder to write into is not a folder.
    NotADirectory {
        /// The path.
        path: String,
    },
    /// No files were given.
    NoFiles,
    /// A thread's new order does not name each of its files exactly once.
    ThreadOrder {
        /// The thread.
        thread: String,
    },
    /// No incidents were given.
    NoIncidents,
    /// The command is for a self-log and this locker is not one.
    NotSelfLog,
    /// The command is for an officer's locker and this is a self-log.
    IsSelfLog,
    /// A page outside the allowed range.
    PageRange {
        /// The most rows a page holds.
        max: u64,
    },
    /// An organisation's guidance file cannot be used.
    GuidanceFile {
        /// The file's name.
        name: String,
        /// What is wrong (from the parser; technical).
        problem: String,
    },
    /// The two passphrases typed differ.
    PassphrasesDiffer,
    /// No new passphrase was given and there is no terminal to ask on.
    NewPassphraseMissing,
    /// A passphrase file could not be read.
    PassphraseFile {
        /// The path.
        path: String,
        /// The operating system's words.
        problem: String,
    },
}

impl Invalid {
    /// The kind, as the UI's dictionaries key it (`invalid.<kind>`).
    pub fn kind(&self) -> &'static str {
        self.into()
    }

    /// The same refusal about another field (a date read by the incident parser for the
    /// "when" of a disclosure).
    pub(crate) fn for_field(self, to: Field) -> Self {
        use Invalid::*;
        match self {
            DateTime { value, .. } => DateTime { field: to, value },
            Date { value, .. } => Date { field: to, value },
            InFuture { value, .. } => InFuture { field: to, value },
            Required { .. } => Required { field: to },
            other => other,
        }
    }

    /// The field this refusal belongs to, when it belongs to one.
    pub fn field(&self) -> Option<Field> {
        use Invalid::*;
        match self {
            Required { field }
            | ControlCharacter { field, .. }
            | TooLong { field, .. }
            | DateTime { field, .. }
            | Date { field, .. }
            | InFuture { field, .. }
            | NotInCase { field, .. } => Some(*field),
            FileName { .. } => Some(Field::FileName),
            TimeZone { .. } | SkippedHour { .. } => Some(Field::OccurredAt),
            PeriodInFuture { .. } | PeriodOrder { .. } => Some(Field::Period),
            DayPassed { field, .. } | NotAfterToday { field, .. } => Some(*field),
            UntilOnlyWhenDeferred => Some(Field::Until),
            NotAThreatActor { .. } => Some(Field::Actor),
            NotAnEmployee { .. } | WhichEmployee { .. } | EmployerItem { .. } => {
                Some(Field::Person)
            }
            WitnessNeedsName => Some(Field::Witness),
            NameNeeded => Some(Field::Name),
            ContactFormat { .. } => Some(Field::Contact),
            NotAnEmail { .. } => Some(Field::Email),
            PhoneOrEmail => Some(Field::Phone),
            NothingShared => Some(Field::Shared),
            NotAwaitingInforming { .. } => None,
            ConsentRequired | ConsentWithdrawn { .. } | ConsentNotYetGiven { .. } => {
                Some(Field::Consent)
            }
            ConsentAlreadyWithdrawn { .. } => None,
            NoUnlinkedFromSender { .. } => Some(Field::Sender),
            UnknownLegalBasis { .. } | DescribeLegalBasis | BasisNotForEmployer { .. } => {
                Some(Field::LegalBasis)
            }
            IdNumber { .. } => Some(Field::IdNumber),
            OrgNumber { .. } => Some(Field::OrgNumber),
            FileMissing { .. }
            | FilePermission { .. }
            | IsDirectory { .. }
            | NotAFile { .. }
            | EmptyFile { .. }
            | GivenTwice { .. }
            | OutputExists { .. }
            | NotADirectory { .. }
            | NoFiles => Some(Field::Path),
            ThreadOrder { .. } => Some(Field::Thread),
            NoIncidents => Some(Field::Incidents),
            NoRegions | TooManyRegions { .. } | RegionOutside { .. } => Some(Field::Regions),
            TooLargeToShow { .. }
            | NotAnImage { .. }
            | ImageTooLarge { .. }
            | NoRedactedCopy { .. }
            | RedactedNotForRecipient
            | RedactedInBundle { .. }
            | NoMessages { .. }
            | NotARecording { .. }
            | AlreadyOnHold { .. }
            | OnLegalHold { .. }
            | RetentionMonths { .. }
            | NotClosed { .. }
            | NotOnHold { .. }
            | NoSuchMessage { .. }
            | NoSuchAttachment { .. }
            | NotAnEmailFile { .. }
            | ChangedWhileRead { .. } => None,
            PageRange { .. } => Some(Field::Page),
            GuidanceFile { .. } => Some(Field::GuidanceFile),
            PassphrasesDiffer | NewPassphraseMissing | PassphraseFile { .. } => {
                Some(Field::NewPassphrase)
            }
            NotSelfLog | IsSelfLog => None,
        }
    }
}

fn of(item: &Option<Item>) -> String {
    item.as_ref()
        .map(|i| format!(" of {i}"))
        .unwrap_or_default()
}

impl std::fmt::Display for Invalid {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        use Invalid::*;
        match self {
            Required { field } => write!(f, "{} is needed", field.english()),
            ControlCharacter {
                field,
                item,
                code_point,
            } => write!(
                f,
                "{}{} contains a control character ({code_point}), which Varde does not store",
                field.english(),
                of(item)
            ),
            TooLong {
                field,
                item,
                length,
                max,
            } => write!(
                f,
                "{}{} is {length} characters long; at most {max} are kept",
                field.english(),
                of(item)
            ),
            FileName {
                item,
                value,
                problem,
            } => {
                let what = match problem {
                    FileNameProblem::NotAName => "is not a file name",
                    FileNameProblem::Separator => "holds a folder separator; a file name may not",
                    FileNameProblem::Control => "contains a control character",
                    FileNameProblem::TooLong => "is longer than 255 bytes",
                    FileNameProblem::NotUtf8 => {
                        "is not valid UTF-8; rename the file and add it again"
                    }
                };
                write!(f, "the file name{} ({value}) {what}", of(item))
            }
            DateTime { value, .. } => write!(
                f,
                "invalid date and time {value:?}: write YYYY-MM-DD HH:MM (or DD.MM.YYYY HH:MM), or a date alone"
            ),
            Date { field, value } => write!(
                f,
                "{} {value:?}: write a date as YYYY-MM-DD or DD.MM.YYYY",
                field.english()
            ),
            TimeZone { value } => write!(
                f,
                "unknown time zone {value:?} (use a name such as Europe/Oslo)"
            ),
            SkippedHour { value, zone } => write!(
                f,
                "{value:?} does not exist in {zone} (the clocks skip that hour for summer time)"
            ),
            InFuture { value, .. } => write!(f, "{value} is in the future"),
            PeriodInFuture { value } => write!(f, "the period starts after today ({value})"),
            PeriodOrder { from, to } => {
                write!(f, "the period ends ({to}) before it starts ({from})")
            }
            DayPassed { field, value } => {
                write!(f, "{} {value}: that day has passed", field.english())
            }
            NotAfterToday { field, value } => {
                write!(f, "{} {value}: choose a day after today", field.english())
            }
            UntilOnlyWhenDeferred => write!(f, "a date to wait until is only for a prompt put off"),
            NotInCase { item, case, .. } if case.is_empty() => {
                write!(f, "{item} is not in this case")
            }
            NotInCase { item, case, .. } => write!(f, "{item} is not in {case}"),
            NotAThreatActor { person } => {
                write!(f, "person {person} is not a threat actor in this case")
            }
            NotAnEmployee { person, case } => write!(
                f,
                "person {person} is not a threatened employee (kind employee) in {case}"
            ),
            WhichEmployee { case, ids } => write!(
                f,
                "{case} has several threatened employees: say which person (ids {ids})"
            ),
            EmployerItem { key } => write!(
                f,
                "{key} is for the employer and is tracked once per case: leave out the person"
            ),
            WitnessNeedsName => write!(f, "a witness needs a name or a person"),
            NameNeeded => write!(f, "only a threat actor can be added without a name"),
            ContactFormat { value } => write!(
                f,
                "contact {value:?}: write it as kind:value, e.g. phone:+47 900 00 000"
            ),
            NotAnEmail { value } => write!(f, "{value:?} is not an e-mail address"),
            PhoneOrEmail => write!(f, "a contact needs a phone number or an e-mail address"),
            NothingShared => write!(
                f,
                "say what was shared: a description, incidents or evidence"
            ),
            UnknownLegalBasis { value, choices } => {
                write!(
                    f,
                    "{value:?} is not a legal basis here; choose one of {choices}"
                )
            }
            DescribeLegalBasis => write!(
                f,
                "give the legal basis: choose one from the list, or with \"other\" describe it in words"
            ),
            ConsentRequired => write!(
                f,
                "choose the consent the disclosure rests on (record it first: what, to whom, when and how it was given)"
            ),
            ConsentWithdrawn { item, withdrawn_at } => write!(
                f,
                "{item} was withdrawn at {withdrawn_at}: nothing more may be shared on it"
            ),
            ConsentNotYetGiven { item, given_at } => write!(
                f,
                "{item} was given at {given_at}, after the time of this disclosure"
            ),
            ConsentAlreadyWithdrawn { item, withdrawn_at } => {
                write!(f, "{item} was already withdrawn at {withdrawn_at}")
            }
            NoUnlinkedFromSender { sender } => write!(
                f,
                "no incident from the sender \"{sender}\" is without a threat actor"
            ),
            NotAwaitingInforming { item } => write!(
                f,
                "{item}: the ledger entry is not waiting for the employee to be told (already told, or recorded as told or not to be told)"
            ),
            BasisNotForEmployer {
                basis,
                public: true,
            } => write!(
                f,
                "{basis} is not for a public employer (a public authority cannot rely on legitimate interest for its tasks); choose legal_obligation_6_1_c or public_task_6_1_e"
            ),
            BasisNotForEmployer {
                basis,
                public: false,
            } => write!(
                f,
                "{basis} is for public employers; this locker's organisation is private"
            ),
            IdNumber { value } => write!(f, "{value:?}: a national identity number has 11 digits"),
            OrgNumber { value } => write!(
                f,
                "{value:?}: an organisation number has 9 digits, the last a check digit (modulus 11)"
            ),
            NoMessages { item } => write!(f, "{item}: Varde reads no messages from this file"),
            AlreadyOnHold { case, since } => {
                write!(f, "{case} has been on legal hold since {since}")
            }
            NotOnHold { case } => write!(f, "{case} is not on legal hold"),
            RetentionMonths { value } => write!(
                f,
                "{value} months: the retention review comes 1 to 120 months after a case is closed"
            ),
            NotClosed { case } => write!(
                f,
                "{case} is not closed: a case is kept or deleted at its retention review once it is closed"
            ),
            OnLegalHold {
                case,
                since,
                reason,
            } => write!(
                f,
                "{case} is on legal hold since {since} ({reason}), so it cannot be deleted; lift the hold first if it no longer applies"
            ),
            NotARecording { item } => write!(f, "{item} is not a sound or video recording"),
            NoSuchMessage { item, index, count } => write!(
                f,
                "{item} has {count} messages, numbered from 0; there is no message {index}"
            ),
            NoSuchAttachment { item, index, count } => write!(
                f,
                "{item} has {count} attachments, numbered from 0; there is no attachment {index}"
            ),
            NotAnEmailFile { path } => write!(
                f,
                "{path}: Varde cannot read this file as an e-mail (.eml or .msg)"
            ),
            ChangedWhileRead { path } => write!(
                f,
                "{path}: the file changed while Varde read it; nothing was stored"
            ),
            NotAnImage { item } => write!(
                f,
                "{item} is not an image Varde can read (PNG, JPEG, GIF or WebP), so it cannot get a redacted copy"
            ),
            ImageTooLarge { item } => write!(
                f,
                "{item} is too large an image to decode, so it cannot get a redacted copy"
            ),
            NoRegions => write!(f, "draw at least one box to black out"),
            TooManyRegions { max } => write!(f, "a redacted copy has at most {max} boxes"),
            RegionOutside {
                number,
                width,
                height,
            } => write!(
                f,
                "box {number} is empty or reaches past the image, which is {width} × {height} pixels (x,y,width,height from the top-left corner)"
            ),
            NoRedactedCopy { item } => write!(
                f,
                "{item} has no redacted copy; make one first, or send the original"
            ),
            RedactedNotForRecipient => write!(
                f,
                "the police and a self-log get the originals, never redacted copies"
            ),
            RedactedInBundle { item } => write!(
                f,
                "{item} is a redacted copy, not an original, so the bundle cannot be imported as evidence; ask for the bundle with the originals"
            ),
            TooLargeToShow { size, max } => write!(
                f,
                "the original is {size} bytes, more than the {max} shown inside Varde; open it in another program"
            ),
            FileMissing { path } => write!(f, "{path}: no such file"),
            FilePermission { path } => write!(f, "{path}: permission denied"),
            IsDirectory { path } => write!(f, "{path} is a directory; give the files in it"),
            NotAFile { path } => write!(f, "{path} is not a regular file"),
            EmptyFile { path } => write!(
                f,
                "{path} is empty (0 bytes); an empty capture is usually a mistake"
            ),
            GivenTwice { path } => write!(f, "{path} is given twice"),
            OutputExists { path } => write!(f, "{path} already exists; choose another name"),
            NotADirectory { path } => write!(f, "{path} is not a directory"),
            NoFiles => write!(f, "no files given"),
            ThreadOrder { thread } => write!(
                f,
                "the new order of thread «{thread}» must name each of its files once"
            ),
            NoIncidents => write!(f, "no incidents given"),
            NotSelfLog => write!(f, "this locker is not a self-log (an employee's own log)"),
            IsSelfLog => write!(
                f,
                "this locker is a self-log: its log is exported for the security officer"
            ),
            PageRange { max } => write!(f, "a page starts at 0 or later and holds 1 to {max} rows"),
            GuidanceFile { name, problem } => write!(f, "guidance file {name}: {problem}"),
            PassphrasesDiffer => write!(f, "the two passphrases differ; nothing was changed"),
            NewPassphraseMissing => write!(
                f,
                "no new passphrase given: use a file option or VARDE_NEW_PASSPHRASE when not at a terminal"
            ),
            PassphraseFile { path, problem } => write!(f, "passphrase file {path}: {problem}"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use strum::IntoEnumIterator;

    #[test]
    fn every_kind_has_english_words_and_a_stable_snake_case_key() {
        for i in Invalid::iter() {
            let k = i.kind();
            assert!(k.chars().all(|c| c.is_ascii_lowercase() || c == '_'), "{k}");
            assert!(!i.to_string().is_empty());
            let json = serde_json::to_value(&i).expect("json");
            assert_eq!(json["kind"], k);
        }
        for f in Field::iter() {
            let name: &str = f.into();
            assert_eq!(serde_json::to_value(f).expect("json"), name);
            assert!(!f.english().is_empty());
        }
    }

    #[test]
    fn the_field_of_a_date_refusal_is_the_date_field() {
        let i = Invalid::DateTime {
            field: Field::OccurredAt,
            value: "32.13.2026".into(),
        };
        assert_eq!(i.field(), Some(Field::OccurredAt));
        assert!(i.to_string().contains("YYYY-MM-DD"));
    }
}
