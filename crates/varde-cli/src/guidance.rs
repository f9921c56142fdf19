//! `varde checklist`, `escalation`, `contacts`, `disclosure` and `request`: the guidance
//! commands. Each parses its arguments, calls one core function and prints.

use std::io::Write as _;
use std::path::PathBuf;

use anyhow::Context;
use clap::{Args, Subcommand};
use varde_core::guidance::disclosure::{ledger_csv, ledger_json};
use varde_core::guidance::{
    ActionKind, BasisUse, ChecklistState, ContactKind, ContactPatch, DirectoryEntry,
    EmployeeInformed, Lang, NewConsent, NewContact, NewDisclosure, NewInfoRequest, Prompt,
    PromptAct, PromptState, RecipientKind, Trigger, Urgency,
};

use crate::args::{Cli, choice};
use crate::commands::open;
use crate::exit;
use crate::output;

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
    done: bool,
    /// Decided against it (give --reason)
    #[arg(long)]
    declined: bool,
    /// Put off (optionally --until a day)
    #[arg(long)]
    deferred: bool,
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
    phone: Option<String>,
    /// E-mail
    #[arg(long)]
    email: Option<String>,
    /// A municipality served (repeatable)
    #[arg(long = "municipality", value_name = "NAME")]
    municipalities: Vec<String>,
    /// When to use it
    #[arg(long)]
    note: Option<String>,
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
    person: Option<i64>,
    /// 1. Whom it concerns: the name [default: the person's name]
    #[arg(long)]
    name: Option<String>,
    /// 1. National identity number (11 digits) or date of birth
    #[arg(long, value_name = "NUMBER")]
    id_number: Option<String>,
    /// 2. Who asks [default: the acting user]
    #[arg(long, value_name = "NAME")]
    requester: Option<String>,
    /// 2. The asker's position
    #[arg(long)]
    position: String,
    /// 2. The asker's department
    #[arg(long)]
    department: String,
    /// 3. The asker's contact details
    #[arg(long)]
    contact: String,
    /// 4. The purpose
    #[arg(long)]
    purpose: String,
    /// 5. The legal basis, a key from `varde request bases`
    #[arg(long, value_name = "KEY")]
    basis: String,
    /// 5. Why the basis's conditions are met in this case (what the police assess)
    #[arg(long, value_name = "TEXT")]
    conditions: String,
    /// 6. Which register [default: «ukjent – politiet vurderer», the police decide]
    #[arg(long, default_value = "")]
    register: String,
    /// 7. The period, from (YYYY-MM-DD or DD.MM.YYYY)
    #[arg(long, value_name = "DATE")]
    from: String,
    /// 7. The period, to [default: the request date]
    #[arg(long, value_name = "DATE")]
    to: Option<String>,
    /// 8. How soon an answer is needed
    #[arg(long, value_parser = choice::<Urgency>())]
    urgency: Urgency,
    /// 8. The answer is needed by this day
    #[arg(long, value_name = "DATE")]
    needed_by: Option<String>,
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

fn mark(s: ChecklistState) -> &'static str {
    match s {
        ChecklistState::NotStarted => "[ ]",
        ChecklistState::Done => "[x]",
        ChecklistState::NotRelevant => "[-]",
    }
}

/// `varde checklist ...`
pub fn checklist(cli: &Cli, cmd: &ChecklistCmd) -> anyhow::Result<i32> {
    match cmd {
        ChecklistCmd::Show { case, json, lang } => {
            let locker = open(cli)?;
            let list = locker.checklist(case)?;
            if *json {
                output::json(&list)?;
                return Ok(exit::OK);
            }
            let p = list.progress;
            say!(
                "{}: {} of {} settled ({} done, {} not relevant), {} %",
                list.case_reference,
                p.settled(),
                p.total,
                p.done,
                p.not_relevant,
                p.percent()
            );
            let rows: Vec<Vec<String>> = list
                .entries
                .iter()
                .map(|e| {
                    let who = match (&e.person_name, e.person_id) {
                        (Some(n), Some(id)) => format!("{n} ({id})"),
                        _ => e.item.audience.to_string(),
                    };
                    vec![
                        mark(e.state).to_string(),
                        who,
                        e.item.key.clone(),
                        e.item.title.get(lang.lang).to_string(),
                        e.note.clone(),
                    ]
                })
                .collect();
            output::table(&["", "FOR", "KEY", "ITEM", "NOTE"], &rows);
        }
        ChecklistCmd::Set {
            case,
            key,
            state,
            person,
            note,
            json,
        } => {
            let mut locker = open(cli)?;
            let e = locker.set_checklist_item(case, *person, key, *state, note.as_deref())?;
            if *json {
                output::json(&e)?;
            } else {
                say!(
                    "{} {}{}",
                    e.item.key,
                    e.state,
                    e.person_name
                        .map(|n| format!(" for {n}"))
                        .unwrap_or_default()
                );
            }
        }
    }
    Ok(exit::OK)
}

fn describe_trigger(t: &Trigger) -> String {
    match t {
        Trigger::OngoingEmergency { incident } => {
            format!("incident {incident} is an ongoing emergency")
        }
        Trigger::IncidentsLogged { count } => {
            format!("{count} incident(s) logged, none an ongoing emergency")
        }
        Trigger::Perceived {
            incident,
            perceived,
        } => {
            let p: Vec<String> = perceived.iter().map(ToString::to_string).collect();
            format!("incident {incident} was perceived as {}", p.join(", "))
        }
        Trigger::TargetsIndividuals { incident } => {
            format!("incident {incident} is directed at individuals (named or not)")
        }
        Trigger::Persistent {
            incident,
            actor,
            incidents_from_actor,
        } => format!(
            "incident {incident} is one of {incidents_from_actor} from threat actor {actor} (persistent)"
        ),
        Trigger::PersistentSender {
            incident,
            sender,
            incidents_from_sender,
        } => format!(
            "incident {incident} is one of {incidents_from_sender} from the sender {sender} (persistent)"
        ),
        Trigger::HealthConcern { person } => {
            format!("threat actor {person} has a mental-health concern")
        }
        Trigger::ThreatsWithHealthConcern { person, incident } => format!(
            "incident {incident} from threat actor {person}, who has a mental-health concern"
        ),
        Trigger::MunicipalityMissing { person } => {
            format!("threat actor {person} has no home municipality recorded")
        }
        Trigger::ChecklistOpen { item, person } => match person {
            Some(p) => format!("checklist item {item} is not started for person {p}"),
            None => format!("checklist item {item} is not started"),
        },
    }
}

fn print_prompt(p: &Prompt, lang: Lang) {
    say!(
        "{} [{}] {}{}",
        p.key,
        p.severity,
        p.title.get(lang),
        p.phone
            .as_ref()
            .map(|n| format!("  — phone {n}"))
            .unwrap_or_default()
    );
    say!("  {}", p.body.get(lang));
    for t in &p.triggers {
        say!("  why: {}", describe_trigger(t));
    }
    for a in &p.details.actors {
        say!(
            "  threat actor {} {}: home municipality {}; observations: {}",
            a.person_id,
            a.name,
            a.home_municipality.as_deref().unwrap_or("unknown"),
            if a.observations.is_empty() {
                "-"
            } else {
                &a.observations
            }
        );
        for c in &a.contacts {
            say!("    contact: {} {} {}", c.name.get(lang), c.phone, c.email);
        }
    }
    for s in &p.details.statements {
        say!(
            "  statement: incident {} {} {} ({}): {}{}",
            s.incident_id,
            s.occurred_local,
            s.occurred_tz,
            s.channel,
            s.description,
            s.wording
                .as_ref()
                .map(|w| format!(" «{w}»"))
                .unwrap_or_default()
        );
    }
    if p.key == varde_core::guidance::escalation::POLICE_REPORT_HEALTH {
        if p.details.health_services_notified.is_empty() {
            say!("  health services notified: not recorded in Varde");
        }
        for n in &p.details.health_services_notified {
            say!(
                "  health services notified: {} by {}{}",
                n.at,
                n.by,
                n.to.as_ref()
                    .map(|t| format!(" to {t}"))
                    .unwrap_or_default()
            );
        }
    }
    if let Some(item) = &p.checklist_item {
        say!("  checklist: {item}");
    }
    say!("  source: {} — {}", p.source.doc, p.source.reference);
    if let Some(a) = &p.last_action {
        let mut extra = Vec::new();
        if let Some(w) = &a.with_whom {
            extra.push(format!("with {w}"));
        }
        if let Some(r) = &a.reference {
            extra.push(format!("reference {r}"));
        }
        if let Some(r) = &a.reason {
            extra.push(format!("reason: {r}"));
        }
        if let Some(u) = &a.deferred_until {
            extra.push(format!("until {u}"));
        }
        say!(
            "  {}: {} {} by {}{}",
            if p.state == PromptState::Open {
                "raised again after"
            } else {
                "state"
            },
            a.action,
            a.acted_at,
            a.acted_by,
            if extra.is_empty() {
                String::new()
            } else {
                format!(" ({})", extra.join(", "))
            }
        );
    }
    say!();
}

/// `varde escalation ...`
pub fn escalation(cli: &Cli, cmd: &EscalationCmd) -> anyhow::Result<i32> {
    match cmd {
        EscalationCmd::List {
            case,
            all,
            json,
            lang,
        } => {
            let locker = open(cli)?;
            let prompts: Vec<Prompt> = locker
                .prompts(case)?
                .into_iter()
                .filter(|p| *all || p.state == PromptState::Open)
                .collect();
            if *json {
                output::json(&prompts)?;
            } else if prompts.is_empty() {
                say!("No {}prompts in {case}.", if *all { "" } else { "open " });
            } else {
                for p in &prompts {
                    print_prompt(p, lang.lang);
                }
            }
        }
        EscalationCmd::Act {
            case,
            key,
            kind,
            reference,
            with_whom,
            reason,
            until,
            at,
            by,
            note,
            json,
        } => {
            let action = if kind.done {
                ActionKind::Done
            } else if kind.declined {
                ActionKind::Declined
            } else {
                ActionKind::Deferred
            };
            let mut locker = open(cli)?;
            let a = locker.act_on_prompt(
                case,
                key,
                PromptAct {
                    action,
                    at: at.clone(),
                    by: by.clone(),
                    with_whom: with_whom.clone(),
                    reference: reference.clone(),
                    reason: reason.clone(),
                    until: until.clone(),
                    note: note.clone(),
                },
            )?;
            if *json {
                output::json(&a)?;
            } else {
                say!("{} in {case}: {}", a.rule_key, a.action);
            }
        }
    }
    Ok(exit::OK)
}

fn contact_rows(list: &[DirectoryEntry], lang: Lang) -> Vec<Vec<String>> {
    list.iter()
        .map(|c| {
            vec![
                c.handle(),
                c.kind.to_string(),
                c.name.get(lang).to_string(),
                if c.to_fill_in {
                    "(to fill in)".into()
                } else {
                    c.phone.clone()
                },
                c.email.clone(),
                c.municipalities.join(", "),
            ]
        })
        .collect()
}

/// `varde contacts ...`
pub fn contacts(cli: &Cli, cmd: &ContactsCmd) -> anyhow::Result<i32> {
    let mut locker = open(cli)?;
    match cmd {
        ContactsCmd::List {
            municipality,
            json,
            lang,
        } => {
            let list: Vec<DirectoryEntry> = locker
                .contacts()?
                .into_iter()
                .filter(|c| {
                    municipality
                        .as_deref()
                        .is_none_or(|m| c.municipalities.is_empty() || c.serves(m))
                })
                .collect();
            if *json {
                output::json(&list)?;
            } else {
                output::table(
                    &["ID", "KIND", "NAME", "PHONE", "EMAIL", "MUNICIPALITIES"],
                    &contact_rows(&list, lang.lang),
                );
            }
        }
        ContactsCmd::Add { name, kind, fields } => {
            let c = locker.add_contact(NewContact {
                name: name.clone(),
                kind: *kind,
                phone: fields.phone.clone().unwrap_or_default(),
                email: fields.email.clone().unwrap_or_default(),
                municipalities: fields.municipalities.clone(),
                note: fields.note.clone().unwrap_or_default(),
            })?;
            say!("{}", c.id.unwrap_or_default());
        }
        ContactsCmd::Edit {
            id,
            name,
            kind,
            fields,
        } => {
            let c = locker.edit_contact(
                *id,
                ContactPatch {
                    name: name.clone(),
                    kind: *kind,
                    phone: fields.phone.clone(),
                    email: fields.email.clone(),
                    municipalities: (!fields.municipalities.is_empty())
                        .then(|| fields.municipalities.clone()),
                    note: fields.note.clone(),
                },
            )?;
            say!("contact {} is {}", id, c.name.nb);
        }
        ContactsCmd::Remove { id } => {
            locker.remove_contact(*id)?;
            say!("contact {id} is removed");
        }
    }
    Ok(exit::OK)
}

fn print_bases(cli: &Cli, use_: BasisUse, json: bool, lang: Lang) -> anyhow::Result<()> {
    let locker = open(cli)?;
    let g = locker.guidance()?;
    let bases: Vec<_> = match use_ {
        BasisUse::Disclosure => g.disclosure_bases(locker.profile()?.employer()).collect(),
        _ => g.bases_for(use_).collect(),
    };
    if json {
        output::json(&bases)?;
    } else {
        let rows: Vec<Vec<String>> = bases
            .iter()
            .map(|b| vec![b.key.clone(), b.label.get(lang).to_string()])
            .collect();
        output::table(&["KEY", "LEGAL BASIS"], &rows);
    }
    Ok(())
}

/// `varde disclosure consent ...`
fn consent(cli: &Cli, cmd: &ConsentCmd) -> anyhow::Result<()> {
    match cmd {
        ConsentCmd::Add {
            case,
            person,
            scope,
            recipient,
            how,
            at,
            json,
        } => {
            let mut locker = open(cli)?;
            let c = locker.record_consent(
                case,
                NewConsent {
                    person_id: *person,
                    scope: scope.clone(),
                    recipient: recipient.clone(),
                    given_at: at.clone(),
                    how: how.clone(),
                },
            )?;
            if *json {
                output::json(&c)?;
            } else {
                say!("{}", c.id);
            }
        }
        ConsentCmd::List { case, json } => {
            let locker = open(cli)?;
            let list = locker.consents(case)?;
            if *json {
                output::json(&list)?;
            } else {
                let rows: Vec<Vec<String>> = list
                    .iter()
                    .map(|c| {
                        vec![
                            c.id.to_string(),
                            c.person_id.to_string(),
                            c.given_at.clone(),
                            c.recipient.clone(),
                            c.scope.clone(),
                            c.withdrawn
                                .as_ref()
                                .map(|w| format!("withdrawn {}", w.at))
                                .unwrap_or_else(|| "in force".into()),
                            format!("{:?}", c.disclosure_ids),
                        ]
                    })
                    .collect();
                output::table(
                    &[
                        "ID",
                        "PERSON",
                        "GIVEN",
                        "RECIPIENT",
                        "SCOPE",
                        "STATUS",
                        "DISCLOSURES",
                    ],
                    &rows,
                );
            }
        }
        ConsentCmd::Withdraw { id, how, at, json } => {
            let mut locker = open(cli)?;
            let c = locker.withdraw_consent(*id, at.as_deref(), how)?;
            if *json {
                output::json(&c)?;
            } else {
                say!(
                    "consent {} is withdrawn: nothing more may be shared on it; the {} disclosure(s) made before stay in the ledger",
                    c.id,
                    c.disclosure_ids.len()
                );
            }
        }
    }
    Ok(())
}

/// `varde disclosure ...`
pub fn disclosure(cli: &Cli, cmd: &DisclosureCmd) -> anyhow::Result<i32> {
    match cmd {
        DisclosureCmd::Add {
            case,
            recipient,
            recipient_kind,
            shared,
            incidents,
            evidence,
            persons,
            basis,
            basis_text,
            consent,
            employee_informed,
            when,
            by,
            json,
        } => {
            let mut locker = open(cli)?;
            let d = locker.record_disclosure(
                case,
                NewDisclosure {
                    recipient: recipient.clone(),
                    recipient_kind: *recipient_kind,
                    shared: shared.clone(),
                    incident_ids: incidents.clone(),
                    evidence_ids: evidence.clone(),
                    person_ids: persons.clone(),
                    legal_basis_key: basis.clone(),
                    legal_basis_text: basis_text.clone(),
                    consent_id: *consent,
                    employee_informed: *employee_informed,
                    when: when.clone(),
                    by: by.clone(),
                },
            )?;
            if *json {
                output::json(&d)?;
            } else {
                say!("{}", d.id);
            }
        }
        DisclosureCmd::Informed { id, how, at, json } => {
            let mut locker = open(cli)?;
            let d = locker.record_employee_informed(*id, at.as_deref(), how)?;
            if *json {
                output::json(&d)?;
            } else {
                say!("disclosure {}: the employee was told", d.id);
            }
        }
        DisclosureCmd::Consent(c) => consent(cli, c)?,
        DisclosureCmd::List {
            case,
            json,
            csv,
            lang,
        } => {
            let locker = open(cli)?;
            let list = locker.disclosures(case)?;
            if *json {
                say!("{}", ledger_json(&list)?);
            } else if *csv {
                let mut out = std::io::stdout().lock();
                out.write_all(ledger_csv(&list, lang.lang).as_bytes())?;
            } else {
                let rows: Vec<Vec<String>> = list
                    .iter()
                    .map(|d| {
                        let mut shared = d.shared.clone();
                        if !d.incident_ids.is_empty() {
                            shared.push_str(&format!(" [incidents {:?}]", d.incident_ids));
                        }
                        if !d.evidence_ids.is_empty() {
                            shared.push_str(&format!(" [evidence {:?}]", d.evidence_ids));
                        }
                        vec![
                            d.id.to_string(),
                            d.disclosed_at.clone(),
                            d.disclosed_by.clone(),
                            format!("{} ({})", d.recipient, d.recipient_kind),
                            d.legal_basis_key
                                .clone()
                                .unwrap_or_else(|| d.legal_basis_text.clone()),
                            d.employee_informed.to_string(),
                            shared.trim().to_string(),
                        ]
                    })
                    .collect();
                output::table(
                    &[
                        "ID",
                        "WHEN",
                        "BY",
                        "RECIPIENT",
                        "BASIS",
                        "EMPLOYEE TOLD",
                        "SHARED",
                    ],
                    &rows,
                );
            }
        }
        DisclosureCmd::Bases { json, lang } => {
            print_bases(cli, BasisUse::Disclosure, *json, lang.lang)?;
        }
    }
    Ok(exit::OK)
}

/// `varde request ...`
pub fn request(cli: &Cli, cmd: &RequestCmd) -> anyhow::Result<i32> {
    match cmd {
        RequestCmd::New {
            case,
            fields: f,
            out,
            json,
            lang,
        } => {
            // Refuse an existing output file before anything is recorded.
            if let Some(path) = out
                && path.exists()
            {
                anyhow::bail!(varde_core::Error::invalid(
                    varde_core::Invalid::OutputExists {
                        path: varde_core::error::shorten(path),
                    }
                ));
            }
            let mut locker = open(cli)?;
            let r = locker.new_info_request(
                case,
                NewInfoRequest {
                    person_id: f.person,
                    subject_name: f.name.clone(),
                    subject_id_number: f.id_number.clone(),
                    requester_name: f.requester.clone(),
                    requester_position: f.position.clone(),
                    requester_department: f.department.clone(),
                    contact: f.contact.clone(),
                    purpose: f.purpose.clone(),
                    legal_basis: f.basis.clone(),
                    conditions: f.conditions.clone(),
                    register: f.register.clone(),
                    period_from: f.from.clone(),
                    period_to: f.to.clone(),
                    urgency: f.urgency,
                    needed_by: f.needed_by.clone(),
                    lang: lang.lang,
                },
            )?;
            if let Some(path) = out {
                let mut file = std::fs::File::create_new(path)
                    .with_context(|| format!("creating {}", path.display()))?;
                file.write_all(r.document.as_bytes())
                    .with_context(|| format!("writing {}", path.display()))?;
                file.sync_all()?;
            }
            if *json {
                output::json(&r)?;
            } else if let Some(path) = out {
                say!(
                    "request {} in {} is recorded and written to {}",
                    r.number,
                    r.case_reference,
                    path.display()
                );
            } else {
                print!("{}", r.document);
            }
        }
        RequestCmd::List { case, json } => {
            let locker = open(cli)?;
            let list = locker.info_requests(case)?;
            if *json {
                output::json(&list)?;
            } else {
                let rows: Vec<Vec<String>> = list
                    .iter()
                    .map(|r| {
                        vec![
                            r.number.to_string(),
                            r.created_at.clone(),
                            r.subject_name.clone(),
                            r.legal_basis_key.clone(),
                            r.urgency.to_string(),
                            r.requester_name.clone(),
                        ]
                    })
                    .collect();
                output::table(&["NO", "MADE", "CONCERNS", "BASIS", "URGENCY", "BY"], &rows);
            }
        }
        RequestCmd::Bases { json, lang } => {
            print_bases(cli, BasisUse::PoliceRequest, *json, lang.lang)?;
        }
    }
    Ok(exit::OK)
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use clap::Parser;

    use super::*;
    use crate::args::Command;

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
