//! The arguments of `varde checklist`, `escalation`, `contacts`, `disclosure` and
//! `request` (their commands are in `crate::guidance`).

use std::path::PathBuf;

use clap::{Args, Subcommand};
use varde_core::guidance::{
    ChecklistState, ContactKind, EmployeeInformed, Lang, RecipientKind, Urgency,
};

use super::choice;

/// The language of guidance texts.
#[derive(Debug, Args)]
pub struct LangArg {
    /// Language of the guidance texts: nb (Norwegian bokmål) or en (English)
    #[arg(long, value_parser = choice::<Lang>(), default_value = "nb")]
    pub lang: Lang,
}

#[derive(Debug, Subcommand)]
pub enum ChecklistCmd {
    /// Show a case's checklist and how far it has come
    Show {
        /// The case reference
        #[arg(long)]
        case: String,
        /// Print as JSON
        #[arg(long)]
        json: bool,
        #[command(flatten)]
        lang: LangArg,
    },
    /// Set an item's state for a threatened employee (employee items) or the case (employer items)
    Set {
        /// The case reference
        #[arg(long)]
        case: String,
        /// The item's key, e.g. employee.collect_evidence (see `checklist show`)
        key: String,
        /// The new state
        #[arg(value_parser = choice::<ChecklistState>())]
        state: ChecklistState,
        /// The threatened employee (person id) [default: the case's only employee]
        #[arg(long, value_name = "PERSON_ID")]
        person: Option<i64>,
        /// A note [default: keep the note it has]
        #[arg(long)]
        note: Option<String>,
        /// Print the entry as JSON
        #[arg(long)]
        json: bool,
    },
}

/// What was done about a prompt (exactly one).
#[derive(Debug, Args)]
#[group(required = true, multiple = false)]
pub struct ActKind {
    /// It is done: called, reported, sent
    #[arg(long)]
    pub done: bool,
    /// Decided against it (give --reason)
    #[arg(long)]
    pub declined: bool,
    /// Put off (optionally --until a day)
    #[arg(long)]
    pub deferred: bool,
}

#[derive(Debug, Subcommand)]
pub enum EscalationCmd {
    /// List the prompts that need attention in a case, most urgent first
    List {
        /// The case reference
        #[arg(long)]
        case: String,
        /// Also list prompts already acted on
        #[arg(long)]
        all: bool,
        /// Print as JSON
        #[arg(long)]
        json: bool,
        #[command(flatten)]
        lang: LangArg,
    },
    /// Record what was done about a prompt
    Act {
        /// The case reference
        #[arg(long)]
        case: String,
        /// The prompt's key, e.g. police_report (see `escalation list`)
        key: String,
        #[command(flatten)]
        kind: ActKind,
        /// A reference, e.g. the police case number
        #[arg(long, value_name = "NO")]
        reference: Option<String>,
        /// With whom, e.g. the police station or the municipal doctor's office
        #[arg(long = "with", value_name = "TEXT")]
        with_whom: Option<String>,
        /// Why (required with --declined)
        #[arg(long)]
        reason: Option<String>,
        /// Deferred until this day (YYYY-MM-DD or DD.MM.YYYY)
        #[arg(long, value_name = "DATE")]
        until: Option<String>,
        /// When it was done, "YYYY-MM-DD HH:MM" local time [default: now]
        #[arg(long, value_name = "WHEN")]
        at: Option<String>,
        /// Who did it [default: the acting user]
        #[arg(long, value_name = "NAME")]
        by: Option<String>,
        /// A note
        #[arg(long, default_value = "")]
        note: String,
        /// Print the recorded action as JSON
        #[arg(long)]
        json: bool,
    },
}

/// Fields of a local contact.
#[derive(Debug, Args)]
pub struct ContactFields {
    /// Phone, as dialled
    #[arg(long)]
    pub phone: Option<String>,
    /// E-mail
    #[arg(long)]
    pub email: Option<String>,
    /// A municipality served (repeatable)
    #[arg(long = "municipality", value_name = "NAME")]
    pub municipalities: Vec<String>,
    /// When to use it
    #[arg(long)]
    pub note: Option<String>,
}

#[derive(Debug, Subcommand)]
pub enum ContactsCmd {
    /// List the directory: shipped organisational numbers, then local contacts
    List {
        /// Only entries serving this municipality (and national ones)
        #[arg(long)]
        municipality: Option<String>,
        /// Print as JSON
        #[arg(long)]
        json: bool,
        #[command(flatten)]
        lang: LangArg,
    },
    /// Add a local contact; prints its id
    Add {
        /// The organisation, service or person, e.g. "Kommunelegen i Asker"
        #[arg(long)]
        name: String,
        /// What kind of contact
        #[arg(long, value_parser = choice::<ContactKind>())]
        kind: ContactKind,
        #[command(flatten)]
        fields: ContactFields,
    },
    /// Change a local contact (shipped entries cannot be changed: add a local one)
    Edit {
        /// The local contact's id
        id: i64,
        /// New name
        #[arg(long)]
        name: Option<String>,
        /// New kind
        #[arg(long, value_parser = choice::<ContactKind>())]
        kind: Option<ContactKind>,
        #[command(flatten)]
        fields: ContactFields,
    },
    /// Remove a local contact
    Remove {
        /// The local contact's id
        id: i64,
    },
}

#[derive(Debug, Subcommand)]
#[allow(clippy::large_enum_variant, reason = "parsed once per process")]
pub enum DisclosureCmd {
    /// Record that information left the locker; prints the entry's id
    Add {
        /// The case reference
        #[arg(long)]
        case: String,
        /// Who received it
        #[arg(long)]
        recipient: String,
        /// What kind of recipient
        #[arg(long, value_parser = choice::<RecipientKind>())]
        recipient_kind: RecipientKind,
        /// What was shared, described
        #[arg(long, default_value = "")]
        shared: String,
        /// An incident shared (repeatable)
        #[arg(long = "incident", value_name = "ID")]
        incidents: Vec<i64>,
        /// An evidence item shared (repeatable)
        #[arg(long = "evidence", value_name = "ID")]
        evidence: Vec<i64>,
        /// A person whose information was shared (repeatable)
        #[arg(long = "person", value_name = "ID")]
        persons: Vec<i64>,
        /// The legal basis, a key from `varde disclosure bases`
        #[arg(long, value_name = "KEY")]
        basis: Option<String>,
        /// The legal basis in words (required with --basis other or without --basis)
        #[arg(long, value_name = "TEXT")]
        basis_text: Option<String>,
        /// The consent it rests on, with --basis consent (`varde disclosure consent list`)
        #[arg(long, value_name = "CONSENT_ID")]
        consent: Option<i64>,
        /// Whether the threatened employee was told
        #[arg(long, value_parser = choice::<EmployeeInformed>())]
        employee_informed: EmployeeInformed,
        /// When it was shared, "YYYY-MM-DD HH:MM" local time [default: now]
        #[arg(long, value_name = "WHEN")]
        when: Option<String>,
        /// Who shared it [default: the acting user]
        #[arg(long, value_name = "NAME")]
        by: Option<String>,
        /// Print the entry as JSON
        #[arg(long)]
        json: bool,
    },
    /// List a case's ledger
    List {
        /// The case reference
        #[arg(long)]
        case: String,
        /// Print as JSON
        #[arg(long, conflicts_with = "csv")]
        json: bool,
        /// Print as CSV
        #[arg(long)]
        csv: bool,
        #[command(flatten)]
        lang: LangArg,
    },
    /// List the legal bases to choose from
    Bases {
        /// Print as JSON
        #[arg(long)]
        json: bool,
        #[command(flatten)]
        lang: LangArg,
    },
    /// Record that the employee was told about a disclosure recorded «not yet informed»
    Informed {
        /// The ledger entry's id
        id: i64,
        /// How they were told (in a meeting, by e-mail, ...)
        #[arg(long, default_value = "")]
        how: String,
        /// When, "YYYY-MM-DD HH:MM" local time [default: now]
        #[arg(long, value_name = "WHEN")]
        at: Option<String>,
        /// Print the entry as JSON
        #[arg(long)]
        json: bool,
    },
    /// Consents that disclosures rest on: record, list, withdraw
    #[command(subcommand)]
    Consent(ConsentCmd),
}

#[derive(Debug, Subcommand)]
pub enum ConsentCmd {
    /// Record a person's consent to share information; prints its id
    Add {
        /// The case reference
        #[arg(long)]
        case: String,
        /// Who gave it: a person in the case (usually the threatened employee)
        #[arg(long, value_name = "PERSON_ID")]
        person: i64,
        /// What may be shared
        #[arg(long, value_name = "TEXT")]
        scope: String,
        /// With whom
        #[arg(long)]
        recipient: String,
        /// How it was given (in writing, by e-mail, orally in a meeting with ...)
        #[arg(long, value_name = "TEXT")]
        how: String,
        /// When it was given, "YYYY-MM-DD HH:MM" local time [default: now]
        #[arg(long, value_name = "WHEN")]
        at: Option<String>,
        /// Print the consent as JSON
        #[arg(long)]
        json: bool,
    },
    /// List a case's consents, with their withdrawals and the disclosures resting on them
    List {
        /// The case reference
        #[arg(long)]
        case: String,
        /// Print as JSON
        #[arg(long)]
        json: bool,
    },
    /// Record that a consent was withdrawn: nothing more may be shared on it
    Withdraw {
        /// The consent's id
        id: i64,
        /// How it was withdrawn
        #[arg(long, value_name = "TEXT")]
        how: String,
        /// When, "YYYY-MM-DD HH:MM" local time [default: now]
        #[arg(long, value_name = "WHEN")]
        at: Option<String>,
        /// Print the consent as JSON
        #[arg(long)]
        json: bool,
    },
}

/// The eight fields of a request for information from the police.
#[derive(Debug, Args)]
pub struct RequestFields {
    /// 1. Whom it concerns: a person in the case (usually the threat actor)
    #[arg(long, value_name = "PERSON_ID")]
    pub person: Option<i64>,
    /// 1. Whom it concerns: the name [default: the person's name]
    #[arg(long)]
    pub name: Option<String>,
    /// 1. National identity number (11 digits) or date of birth
    #[arg(long, value_name = "NUMBER")]
    pub id_number: Option<String>,
    /// 2. Who asks [default: the acting user]
    #[arg(long, value_name = "NAME")]
    pub requester: Option<String>,
    /// 2. The asker's position
    #[arg(long)]
    pub position: String,
    /// 2. The asker's department
    #[arg(long)]
    pub department: String,
    /// 3. The asker's contact details
    #[arg(long)]
    pub contact: String,
    /// 4. The purpose
    #[arg(long)]
    pub purpose: String,
    /// 5. The legal basis, a key from `varde request bases`
    #[arg(long, value_name = "KEY")]
    pub basis: String,
    /// 5. Why the basis's conditions are met in this case (what the police assess)
    #[arg(long, value_name = "TEXT")]
    pub conditions: String,
    /// 6. Which register [default: «ukjent – politiet vurderer», the police decide]
    #[arg(long, default_value = "")]
    pub register: String,
    /// 7. The period, from (YYYY-MM-DD or DD.MM.YYYY)
    #[arg(long, value_name = "DATE")]
    pub from: String,
    /// 7. The period, to [default: the request date]
    #[arg(long, value_name = "DATE")]
    pub to: Option<String>,
    /// 8. How soon an answer is needed
    #[arg(long, value_parser = choice::<Urgency>())]
    pub urgency: Urgency,
    /// 8. The answer is needed by this day
    #[arg(long, value_name = "DATE")]
    pub needed_by: Option<String>,
}

#[derive(Debug, Subcommand)]
#[allow(clippy::large_enum_variant, reason = "parsed once per process")]
pub enum RequestCmd {
    /// Make a request for information from the police, record it, and print or write the document
    New {
        /// The case reference
        #[arg(long)]
        case: String,
        #[command(flatten)]
        fields: RequestFields,
        /// Write the document to this file (must not exist) instead of printing it
        #[arg(long, value_name = "FILE")]
        out: Option<PathBuf>,
        /// Print the recorded request as JSON
        #[arg(long)]
        json: bool,
        #[command(flatten)]
        lang: LangArg,
    },
    /// List a case's requests
    List {
        /// The case reference
        #[arg(long)]
        case: String,
        /// Print as JSON
        #[arg(long)]
        json: bool,
    },
    /// List the legal bases the police may disclose on
    Bases {
        /// Print as JSON
        #[arg(long)]
        json: bool,
        #[command(flatten)]
        lang: LangArg,
    },
}

impl ChecklistCmd {
    /// Whether JSON was asked for.
    pub fn json(&self) -> bool {
        match self {
            ChecklistCmd::Show { json, .. } | ChecklistCmd::Set { json, .. } => *json,
        }
    }
}

impl EscalationCmd {
    /// Whether JSON was asked for.
    pub fn json(&self) -> bool {
        match self {
            EscalationCmd::List { json, .. } | EscalationCmd::Act { json, .. } => *json,
        }
    }
}

impl ContactsCmd {
    /// Whether JSON was asked for.
    pub fn json(&self) -> bool {
        matches!(self, ContactsCmd::List { json: true, .. })
    }
}

impl DisclosureCmd {
    /// Whether JSON was asked for.
    pub fn json(&self) -> bool {
        match self {
            DisclosureCmd::Add { json, .. }
            | DisclosureCmd::List { json, .. }
            | DisclosureCmd::Bases { json, .. }
            | DisclosureCmd::Informed { json, .. }
            | DisclosureCmd::Consent(
                ConsentCmd::Add { json, .. }
                | ConsentCmd::List { json, .. }
                | ConsentCmd::Withdraw { json, .. },
            ) => *json,
        }
    }
}

impl RequestCmd {
    /// Whether JSON was asked for.
    pub fn json(&self) -> bool {
        match self {
            RequestCmd::New { json, .. }
            | RequestCmd::List { json, .. }
            | RequestCmd::Bases { json, .. } => *json,
        }
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use clap::Parser;

    use varde_core::guidance::Lang;

    use super::*;
    use crate::args::{Cli, Command};

    fn parse(args: &[&str]) -> Result<Cli, clap::Error> {
        Cli::try_parse_from(std::iter::once("varde").chain(args.iter().copied()))
    }

    #[test]
    fn act_needs_exactly_one_outcome() {
        let base = [
            "escalation",
            "act",
            "--case",
            "V-2026-0001",
            "police_report",
        ];
        assert!(parse(&base).is_err());
        assert!(parse(&[&base[..], &["--done", "--declined"]].concat()).is_err());
        let cli = parse(
            &[
                &base[..],
                &["--deferred", "--until", "2026-04-01", "--json"],
            ]
            .concat(),
        )
        .unwrap();
        assert!(cli.wants_json());
        assert!(matches!(
            cli.command,
            Command::Escalation(EscalationCmd::Act { .. })
        ));
    }

    #[test]
    fn checklist_set_parses_states_and_lang_defaults_to_nb() {
        let cli = parse(&[
            "checklist",
            "set",
            "--case",
            "V-2026-0001",
            "employee.do_not_reply",
            "not_relevant",
        ])
        .unwrap();
        assert!(matches!(
            cli.command,
            Command::Checklist(ChecklistCmd::Set {
                state: ChecklistState::NotRelevant,
                ..
            })
        ));
        assert!(
            parse(&[
                "checklist",
                "set",
                "--case",
                "V",
                "employee.do_not_reply",
                "finished"
            ])
            .is_err()
        );
        let cli = parse(&["checklist", "show", "--case", "V"]).unwrap();
        assert!(matches!(
            cli.command,
            Command::Checklist(ChecklistCmd::Show {
                lang: LangArg { lang: Lang::Nb },
                ..
            })
        ));
    }
}
