//! `varde document …`: the drafts Varde writes from a case (a police report, a concern
//! report), and recording that one was sent; `varde profile`: who the drafts say reports.

use std::path::PathBuf;

use clap::{Args, Subcommand};
use varde_core::Profile;
use varde_core::drafts::{DraftKind, DraftOptions, DraftSent};
use varde_core::guidance::EmployeeInformed;

use crate::args::guidance::LangArg;
use crate::args::{Cli, choice};
use crate::commands::open;
use crate::exit;
use crate::output;

/// What goes into a draft.
#[derive(Debug, Args)]
pub struct DraftArgs {
    /// The case reference
    #[arg(long)]
    pub case: String,
    /// Only these incidents (ids, comma-separated) [default: all of the case's] (police report)
    #[arg(long, value_delimiter = ',', value_name = "ID,...")]
    pub incidents: Vec<i64>,
    /// The threat actor it concerns (concern report)
    #[arg(long, value_name = "ID")]
    pub person: Option<i64>,
    /// To whom it is addressed [default: the police district / the municipal chief
    /// medical officer in the person's home municipality]
    #[arg(long, value_name = "TEXT")]
    pub to: Option<String>,
    /// Ask the police to consider a restraining order (straffeprosessloven § 222 a)
    #[arg(long)]
    pub restraining_order: bool,
    /// Reserve a claim for compensation
    #[arg(long)]
    pub compensation: bool,
    /// Include the employee's private contact details (the person reported may see them)
    #[arg(long)]
    pub include_private_contacts: bool,
    #[command(flatten)]
    pub lang: LangArg,
}

impl DraftArgs {
    fn options(&self, kind: DraftKind) -> DraftOptions {
        DraftOptions {
            kind,
            lang: self.lang.lang,
            incidents: (!self.incidents.is_empty()).then(|| self.incidents.clone()),
            person_id: self.person,
            to: self.to.clone(),
            restraining_order: self.restraining_order,
            compensation: self.compensation,
            include_private_contacts: self.include_private_contacts,
        }
    }
}

#[derive(Debug, Subcommand)]
#[allow(clippy::large_enum_variant, reason = "parsed once per process")]
pub enum DocumentCmd {
    /// Write a police report draft (anmeldelse) as FILE.pdf and FILE.docx (editable)
    PoliceReport {
        #[command(flatten)]
        draft: DraftArgs,
        /// FILE.pdf (the .docx goes beside it), or an existing folder
        #[arg(long, value_name = "PATH")]
        out: PathBuf,
        /// Print what was written as JSON
        #[arg(long)]
        json: bool,
    },
    /// Write a concern report draft (bekymringsmelding) to health services as FILE.pdf and FILE.docx
    ConcernReport {
        #[command(flatten)]
        draft: DraftArgs,
        /// FILE.pdf (the .docx goes beside it), or an existing folder
        #[arg(long, value_name = "PATH")]
        out: PathBuf,
        /// Print what was written as JSON
        #[arg(long)]
        json: bool,
    },
    /// Record that a draft was sent: a disclosure ledger entry and its prompt done, together
    Sent {
        /// Which draft
        #[arg(value_parser = choice::<DraftKind>())]
        kind: DraftKind,
        #[command(flatten)]
        draft: DraftArgs,
        /// Who received it (the police district, the municipal chief medical officer)
        #[arg(long)]
        recipient: String,
        /// The legal basis, a key from `varde disclosure bases`
        #[arg(long, value_name = "KEY")]
        basis: Option<String>,
        /// The legal basis in words (required with --basis other, concern_report or without --basis)
        #[arg(long, value_name = "TEXT")]
        basis_text: Option<String>,
        /// The consent it rests on, with --basis consent (`varde disclosure consent list`)
        #[arg(long, value_name = "CONSENT_ID")]
        consent: Option<i64>,
        /// Whether the threatened employee was told
        #[arg(long, value_parser = choice::<EmployeeInformed>())]
        employee_informed: EmployeeInformed,
        /// When it was sent, "YYYY-MM-DD HH:MM" local time [default: now]
        #[arg(long, value_name = "WHEN")]
        at: Option<String>,
        /// The police case number, when one was given
        #[arg(long, value_name = "NUMBER")]
        reference: Option<String>,
        /// A note
        #[arg(long, default_value = "")]
        note: String,
        /// Print the record as JSON
        #[arg(long)]
        json: bool,
    },
}

impl DocumentCmd {
    /// Whether JSON was asked for.
    pub fn json(&self) -> bool {
        match self {
            DocumentCmd::PoliceReport { json, .. }
            | DocumentCmd::ConcernReport { json, .. }
            | DocumentCmd::Sent { json, .. } => *json,
        }
    }
}

/// `varde document …`.
pub fn document(cli: &Cli, cmd: &DocumentCmd) -> anyhow::Result<i32> {
    match cmd {
        DocumentCmd::PoliceReport { draft, out, json }
        | DocumentCmd::ConcernReport { draft, out, json } => {
            let kind = match cmd {
                DocumentCmd::PoliceReport { .. } => DraftKind::PoliceReport,
                _ => DraftKind::ConcernReport,
            };
            let mut locker = open(cli)?;
            let (d, saved) = locker.save_draft(
                &draft.case,
                &draft.options(kind),
                out,
                &varde_report::drafts::TypstDraftRenderer,
            )?;
            if *json {
                output::json(&serde_json::json!({
                    "pdf": saved.pdf, "docx": saved.docx, "to": d.to,
                    "incident_ids": d.incident_ids, "evidence_ids": d.evidence_ids,
                    "person_ids": d.person_ids,
                }))?;
            } else {
                say!("{}", saved.pdf.display());
                say!("{}", saved.docx.display());
                say!(
                    "A draft: read it, correct it and send it yourself; then record it with `varde document sent {kind} …`."
                );
            }
            Ok(exit::OK)
        }
        DocumentCmd::Sent {
            kind,
            draft,
            recipient,
            basis,
            basis_text,
            consent,
            employee_informed,
            at,
            reference,
            note,
            json,
        } => {
            let mut locker = open(cli)?;
            let r = locker.mark_draft_sent(
                &draft.case,
                &DraftSent {
                    options: draft.options(*kind),
                    recipient: recipient.clone(),
                    legal_basis_key: basis.clone(),
                    legal_basis_text: basis_text.clone(),
                    consent_id: *consent,
                    employee_informed: *employee_informed,
                    at: at.clone(),
                    reference: reference.clone(),
                    note: note.clone(),
                },
            )?;
            if *json {
                output::json(&r)?;
            } else {
                say!(
                    "Recorded: disclosure {} to {} ({}); prompts done: {}",
                    r.disclosure.id,
                    r.disclosure.recipient,
                    r.disclosure.shared,
                    r.answered.join(", ")
                );
            }
            Ok(exit::OK)
        }
    }
}

/// `varde profile`.
#[derive(Debug, Args)]
pub struct ProfileArgs {
    /// The owner's name (the officer; the default actor)
    #[arg(long)]
    pub owner: Option<String>,
    /// The organisation's name
    #[arg(long)]
    pub org_name: Option<String>,
    /// Its organisation number (9 digits)
    #[arg(long)]
    pub org_number: Option<String>,
    /// Its postal address (printed on the drafts)
    #[arg(long)]
    pub address: Option<String>,
    /// The officer's work phone
    #[arg(long)]
    pub phone: Option<String>,
    /// The officer's work e-mail
    #[arg(long)]
    pub email: Option<String>,
    /// The organisation is a public body
    #[arg(long, value_name = "true|false")]
    pub public_employer: Option<bool>,
    /// Print as JSON
    #[arg(long)]
    pub json: bool,
}

/// `varde profile`: show it, or change the options given.
pub fn profile(cli: &Cli, a: &ProfileArgs) -> anyhow::Result<i32> {
    let mut locker = open(cli)?;
    let mut p: Profile = locker.profile()?;
    let before = p.clone();
    let set = |field: &mut String, v: &Option<String>| {
        if let Some(v) = v {
            field.clone_from(v);
        }
    };
    set(&mut p.owner, &a.owner);
    set(&mut p.org_name, &a.org_name);
    set(&mut p.org_number, &a.org_number);
    set(&mut p.org_address, &a.address);
    set(&mut p.contact_phone, &a.phone);
    set(&mut p.contact_email, &a.email);
    if let Some(b) = a.public_employer {
        p.public_employer = b;
    }
    if p != before {
        p = locker.set_profile(&p)?;
    }
    if a.json {
        output::json(&p)?;
    } else {
        for (k, v) in [
            ("owner", p.owner.as_str()),
            ("organisation", &p.org_name),
            ("organisation number", &p.org_number),
            ("address", &p.org_address),
            ("phone", &p.contact_phone),
            ("e-mail", &p.contact_email),
            (
                "public employer",
                if p.public_employer { "yes" } else { "no" },
            ),
        ] {
            say!("{k:20} {v}");
        }
    }
    Ok(exit::OK)
}
