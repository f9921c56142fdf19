//! The domain types: what a locker holds. These are also the types the desktop UI sees.

use serde::{Deserialize, Serialize};

macro_rules! str_enum {
    ($(#[$m:meta])* $name:ident { $($(#[$vm:meta])* $v:ident),+ $(,)? }) => {
        $(#[$m])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize,
                 strum::Display, strum::EnumString, strum::IntoStaticStr, strum::VariantNames)]
        #[cfg_attr(feature = "ts", derive(ts_rs::TS))]
        #[serde(rename_all = "snake_case")]
        #[strum(serialize_all = "snake_case")]
        pub enum $name { $($(#[$vm])* $v),+ }

        impl $name {
            /// The stored and serialized name.
            pub fn as_str(self) -> &'static str { self.into() }
        }

        impl rusqlite::types::ToSql for $name {
            fn to_sql(&self) -> rusqlite::Result<rusqlite::types::ToSqlOutput<'_>> {
                Ok(self.as_str().into())
            }
        }

        impl rusqlite::types::FromSql for $name {
            fn column_result(v: rusqlite::types::ValueRef<'_>) -> rusqlite::types::FromSqlResult<Self> {
                v.as_str()?.parse().map_err(|e| rusqlite::types::FromSqlError::Other(Box::new(e)))
            }
        }
    };
}
pub(crate) use str_enum;

str_enum!(
    /// What a locker is for.
    Mode {
        /// A security officer's locker with many cases.
        Officer,
        /// A threatened employee's own log: one case, "me".
        SelfLog,
    }
);

str_enum!(
    /// Where a case stands.
    CaseStatus {
        /// Being worked on.
        Open,
        /// Quiet, but watched.
        Monitoring,
        /// Finished.
        Closed,
    }
);

str_enum!(
    /// A person's part in a case.
    PersonKind {
        /// The threatened employee (trusselutsatt).
        Employee,
        /// The person who threatens (trusselutøver), known or unknown.
        ThreatActor,
        /// Someone who saw or heard an incident.
        Witness,
        /// Anyone else.
        Other,
    }
);

str_enum!(
    /// How precisely the time of an incident is known.
    Precision {
        /// To the minute.
        Exact,
        /// Roughly.
        Approximate,
        /// Only the day.
        DateOnly,
    }
);

str_enum!(
    /// What kind of place an incident happened in.
    PlaceKind {
        /// At work.
        Workplace,
        /// At or near home.
        Home,
        /// Online.
        Online,
        /// On the phone.
        Phone,
        /// Elsewhere.
        Other,
    }
);

str_enum!(
    /// How the threat arrived (in the order the app offers them: the most common first).
    Channel {
        /// Text message.
        Sms,
        /// E-mail.
        Email,
        /// A phone call.
        PhoneCall,
        /// Social media (name the platform).
        SocialMedia,
        /// A letter.
        Letter,
        /// Face to face.
        InPerson,
        /// Anything else.
        Other,
    }
);

str_enum!(
    /// How the employee perceived it (the guide's words: skremmende, truende, plagsom).
    Perception {
        /// Truende.
        Threatening,
        /// Skremmende.
        Frightening,
        /// Plagsom / trakasserende.
        Bothersome,
    }
);

str_enum!(
    /// Who logged an incident.
    LoggedByRole {
        /// The security officer.
        Officer,
        /// The threatened employee themself.
        Employee,
    }
);

str_enum!(
    /// How an original came into the locker.
    EvidenceSource {
        /// A file the user chose.
        File,
        /// An image pasted from the clipboard.
        Clipboard,
        /// Imported from a Varde bundle.
        Bundle,
    }
);

/// A threat situation.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct Case {
    /// Local id.
    pub id: i64,
    /// Globally unique id.
    pub uid: String,
    /// Human reference, e.g. `V-2026-0001`.
    pub reference: String,
    /// Short title.
    pub title: String,
    /// Where it stands.
    pub status: CaseStatus,
    /// When it was opened (RFC 3339).
    pub opened_at: String,
    /// When it was closed.
    pub closed_at: Option<String>,
    /// Free notes.
    pub notes: String,
    /// When the risk is to be assessed again (`YYYY-MM-DD`).
    #[serde(default)]
    pub review_on: Option<String>,
    /// When a closed case is to be reviewed for retention (`YYYY-MM-DD`).
    #[serde(default)]
    pub retention_review_on: Option<String>,
    /// A legal hold: while it holds, the case cannot be deleted.
    #[serde(default)]
    pub legal_hold: Option<LegalHold>,
}

/// A legal hold on a case (a police case is open, a court case is expected).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct LegalHold {
    /// When it was set (RFC 3339).
    pub since: String,
    /// Why.
    pub reason: String,
}

/// One way to reach a person.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct ContactDetail {
    /// "phone", "email", "address" or anything else.
    pub kind: String,
    /// The number, address, ...
    pub value: String,
    /// Private (left out of exports by default) or work.
    pub private: bool,
}

/// A person in a case.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct Person {
    /// Local id.
    pub id: i64,
    /// Globally unique id.
    pub uid: String,
    /// The case.
    pub case_id: i64,
    /// Their part.
    pub kind: PersonKind,
    /// Name; `None` for an unknown threat actor.
    pub name: Option<String>,
    /// Job title.
    pub title: Option<String>,
    /// Department.
    pub department: Option<String>,
    /// Ways to reach them.
    pub contacts: Vec<ContactDetail>,
    /// Free notes.
    pub notes: String,
    /// False for an unknown threat actor.
    pub known: bool,
    /// Aliases and handles: phone numbers, e-mail addresses, profile URLs.
    pub aliases: Vec<String>,
    /// Home municipality (for a concern report to the municipal doctor).
    pub home_municipality: Option<String>,
    /// Is there a concern for this person's mental health?
    pub health_concern: bool,
    /// What gives reason for the concern.
    pub health_observations: String,
    /// When the record was made.
    pub created_at: String,
}

impl Person {
    /// The name to show: the name, or the first alias, or "unknown".
    pub fn display_name(&self) -> String {
        self.name
            .clone()
            .or_else(|| self.aliases.first().map(|a| format!("({a})")))
            .unwrap_or_else(|| "(unknown)".into())
    }
}

/// Someone who witnessed an incident: a person in the case, a name, or both.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct Witness {
    /// A person in the case.
    pub person: Option<i64>,
    /// A name as typed.
    pub name: Option<String>,
}

/// One event: a message, a call, a visit.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct Incident {
    /// Local id.
    pub id: i64,
    /// Globally unique id.
    pub uid: String,
    /// The case.
    pub case_id: i64,
    /// Starts at 1; each edit adds one and keeps the earlier version.
    pub version: i64,
    /// Local date and time as given: `YYYY-MM-DD HH:MM`, or `YYYY-MM-DD` for date only.
    pub occurred_local: String,
    /// The time zone of `occurred_local` (IANA name).
    pub occurred_tz: String,
    /// The same instant in UTC (RFC 3339); midnight local for date-only.
    pub occurred_utc: String,
    /// How precise the time is.
    pub precision: Precision,
    /// When it was logged.
    pub logged_at: String,
    /// Who logged it.
    pub logged_by: String,
    /// Officer or the employee themself.
    pub logged_by_role: LoggedByRole,
    /// Where (free text).
    pub place: String,
    /// Kind of place.
    pub place_kind: PlaceKind,
    /// How it came.
    pub channel: Channel,
    /// Platform, for social media and the like.
    pub platform: Option<String>,
    /// Who sent it, as it showed: a phone number, an e-mail address, a handle. Repeated
    /// contact from one sender counts as persistent even before anyone knows who it is.
    #[serde(default)]
    pub sender: Option<String>,
    /// What happened.
    pub description: String,
    /// The exact words used, if any.
    pub wording: Option<String>,
    /// How it was perceived.
    pub perceived: Vec<Perception>,
    /// Is it directed at individuals, named or not (the guide: «rettes mot enkeltpersoner»)?
    pub targets_individuals: bool,
    /// Is it an ongoing emergency?
    pub ongoing_emergency: bool,
    /// The threat actor, if known to be one of the case's persons.
    pub actor_id: Option<i64>,
    /// Witnesses.
    pub witnesses: Vec<Witness>,
    /// The message it was made from, when it was made from one (a chat export's or an
    /// e-mail's); `None` when written by hand.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub source: Option<MessageSource>,
}

/// The e-mail an evidence item was taken from.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct AttachmentOf {
    /// The e-mail (an evidence item).
    pub evidence: i64,
    /// The attachment's place among the e-mail's attachments, from 0.
    pub index: u32,
}

/// The message of a chat export or e-mail an incident was made from.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct MessageSource {
    /// The original's SHA-256 (the same in every locker and bundle).
    pub sha256: String,
    /// The message's index in what Varde read from it (0 for an e-mail).
    pub message: u32,
    /// SHA-256 of the message's text, to find it again.
    pub text_sha256: String,
}

/// An original file with its hash and acquisition record.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct Evidence {
    /// Local id.
    pub id: i64,
    /// Globally unique id.
    pub uid: String,
    /// The incident it documents.
    pub incident: i64,
    /// SHA-256 of the original, lower-case hex.
    pub sha256: String,
    /// Size in bytes.
    pub size: u64,
    /// Media type sniffed from the content.
    pub media_type: String,
    /// The file name it came with.
    pub original_name: String,
    /// When it was acquired (RFC 3339 with local offset).
    pub acquired_at: String,
    /// Who acquired it.
    pub acquired_by: String,
    /// How it came in.
    pub source: EvidenceSource,
    /// Image width in pixels.
    pub width: Option<u32>,
    /// Image height in pixels.
    pub height: Option<u32>,
    /// Thread capture: the platform.
    pub thread_platform: Option<String>,
    /// Thread capture: the thread or conversation.
    pub thread_id: Option<String>,
    /// Thread capture: position within the thread, from 1.
    pub thread_seq: Option<i64>,
    /// Thread capture: the whole thread was captured.
    pub whole_thread: bool,
    /// Free note.
    pub note: String,
    /// The e-mail this item is an attachment of, and its place among the attachments;
    /// `None` when the item came in on its own.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub attachment_of: Option<AttachmentOf>,
}
