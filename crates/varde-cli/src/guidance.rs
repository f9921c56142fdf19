//! `varde checklist`, `escalation`, `contacts`, `disclosure` and `request`: the guidance
//! commands (their arguments are in `crate::args::guidance`). Each calls one core function
//! and prints.

use std::io::Write as _;

use anyhow::Context;
use varde_core::guidance::disclosure::{ledger_csv, ledger_json};
use varde_core::guidance::{
    ActionKind, BasisUse, ChecklistState, ContactPatch, DirectoryEntry, Lang, NewConsent,
    NewContact, NewDisclosure, NewInfoRequest, Prompt, PromptAct, PromptState, Trigger,
};

use crate::args::Cli;
use crate::args::guidance::{
    ChecklistCmd, ConsentCmd, ContactsCmd, DisclosureCmd, EscalationCmd, RequestCmd,
};
use crate::commands::open;
use crate::exit;
use crate::output;

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
