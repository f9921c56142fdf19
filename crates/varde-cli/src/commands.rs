//! One function per command: open the locker, call core, print.

use std::path::PathBuf;

use anyhow::Context;
use varde_core::model::{CaseStatus, Mode, Witness};
use varde_core::{
    AddOptions, CaseFilter, IncidentPatch, InitOptions, KdfParams, Locker, NewIncident, NewPerson,
    SystemClock,
};

use crate::args::{
    CaseCmd, Cli, Command, EvidenceCmd, IncidentCmd, IncidentFields, PassphraseCmd, PersonCmd,
};
use crate::exit;
use crate::output::{self, ProgressLine, human_size};
use crate::secret;

fn locker_dir(cli: &Cli) -> anyhow::Result<PathBuf> {
    match &cli.locker {
        Some(d) => Ok(d.clone()),
        None => Locker::default_dir().context("no user data directory; give --locker DIR"),
    }
}

pub(crate) fn open(cli: &Cli) -> anyhow::Result<Locker> {
    let dir = locker_dir(cli)?;
    let pass = secret::current(cli.passphrase_file.as_deref())?;
    let mut locker = Locker::open_default(&dir, &pass)?;
    if let Some(a) = &cli.actor {
        locker.set_actor(a.clone());
    }
    Ok(locker)
}

/// Run the command; returns the exit code.
pub fn run(cli: Cli) -> anyhow::Result<i32> {
    match &cli.command {
        Command::Init { self_log, name } => init(&cli, *self_log, name.clone()),
        Command::Case(c) => case(&cli, c),
        Command::Person(c) => person(&cli, c),
        Command::Incident(c) => incident(&cli, c),
        Command::Evidence(c) => evidence(&cli, c),
        Command::Verify { json } => verify(&cli, *json),
        Command::Log { subject, json } => log(&cli, subject.as_deref(), *json),
        Command::Checklist(c) => crate::guidance::checklist(&cli, c),
        Command::Escalation(c) => crate::guidance::escalation(&cli, c),
        Command::Contacts(c) => crate::guidance::contacts(&cli, c),
        Command::Disclosure(c) => crate::guidance::disclosure(&cli, c),
        Command::Request(c) => crate::guidance::request(&cli, c),
        Command::Export(a) => crate::bundle::export(&cli, a),
        Command::Document(c) => crate::document::document(&cli, c),
        Command::Profile(a) => crate::document::profile(&cli, a),
        Command::VerifyBundle(a) => crate::bundle::verify(a),
        Command::Import(a) => crate::bundle::import(&cli, a),
        Command::Passphrase(PassphraseCmd::Change {
            new_passphrase_file,
        }) => {
            let mut locker = open(&cli)?;
            let old = secret::current(cli.passphrase_file.as_deref())?;
            let new = secret::new(new_passphrase_file.as_deref(), "VARDE_NEW_PASSPHRASE")?;
            locker.change_passphrase(&old, &new)?;
            say!(
                "The passphrase is changed. Copies of the locker made before today still open with the old one."
            );
            Ok(exit::OK)
        }
    }
}

fn init(cli: &Cli, self_log: bool, name: Option<String>) -> anyhow::Result<i32> {
    let dir = locker_dir(cli)?;
    let pass = match cli.passphrase_file.as_deref() {
        Some(_) => secret::current(cli.passphrase_file.as_deref())?,
        None if std::env::var_os("VARDE_PASSPHRASE").is_some() => secret::current(None)?,
        None => secret::new(None, "VARDE_NEW_PASSPHRASE")?,
    };
    let owner = name
        .or_else(|| cli.actor.clone())
        .or_else(|| std::env::var("USER").ok())
        .unwrap_or_else(|| "officer".into());
    let mode = if self_log {
        Mode::SelfLog
    } else {
        Mode::Officer
    };
    let locker = Locker::init(
        &dir,
        &pass,
        InitOptions {
            mode,
            owner,
            kdf: KdfParams::default(),
        },
        Box::new(SystemClock),
    )?;
    say!(
        "Created a {} locker in {}",
        if self_log { "self-log" } else { "new" },
        locker.dir().display()
    );
    Ok(exit::OK)
}

fn case(cli: &Cli, cmd: &CaseCmd) -> anyhow::Result<i32> {
    let mut locker = open(cli)?;
    match cmd {
        CaseCmd::New { title, notes } => {
            let c = locker.create_case(title, notes)?;
            say!("{}", c.reference);
        }
        CaseCmd::List {
            status,
            search,
            json,
        } => {
            let cases = locker.list_cases(&CaseFilter {
                status: *status,
                search: search.clone(),
            })?;
            if *json {
                output::json(&cases)?;
            } else {
                let rows: Vec<Vec<String>> = cases
                    .iter()
                    .map(|c| {
                        vec![
                            c.reference.clone(),
                            c.status.to_string(),
                            c.opened_at[..10].to_string(),
                            c.title.clone(),
                        ]
                    })
                    .collect();
                output::table(&["REFERENCE", "STATUS", "OPENED", "TITLE"], &rows);
            }
        }
        CaseCmd::Show { reference, json } => {
            let c = locker.case(reference)?;
            let persons = locker.list_persons(reference)?;
            let incidents = locker.list_incidents(reference)?;
            let evidence = locker.list_evidence(reference, None)?;
            if *json {
                output::json(&serde_json::json!({
                    "case": c, "persons": persons, "incidents": incidents, "evidence": evidence,
                }))?;
            } else {
                say!("{}  {}  [{}]", c.reference, c.title, c.status);
                say!(
                    "opened {}{}",
                    c.opened_at,
                    c.closed_at
                        .as_ref()
                        .map(|t| format!(", closed {t}"))
                        .unwrap_or_default()
                );
                if let Some(h) = &c.legal_hold {
                    say!("LEGAL HOLD since {}: {}", h.since, h.reason);
                }
                if !c.notes.is_empty() {
                    say!("{}", c.notes);
                }
                say!("\nPersons ({}):", persons.len());
                for p in &persons {
                    say!(
                        "  {:>4}  {:<12}  {}",
                        p.id,
                        p.kind.to_string(),
                        p.display_name()
                    );
                }
                say!("\nIncidents ({}):", incidents.len());
                for i in &incidents {
                    let n = evidence.iter().filter(|e| e.incident == i.id).count();
                    say!(
                        "  {:>4}  {} {}  {:<12}  {}  ({n} evidence){}",
                        i.id,
                        i.occurred_local,
                        i.occurred_tz,
                        i.channel.to_string(),
                        i.description,
                        if i.ongoing_emergency {
                            "  ONGOING EMERGENCY"
                        } else {
                            ""
                        }
                    );
                }
                let bytes: u64 = evidence.iter().map(|e| e.size).sum();
                say!(
                    "\nEvidence: {} items, {}",
                    evidence.len(),
                    human_size(bytes)
                );
            }
        }
        CaseCmd::Hold { reference, reason } => {
            let c = locker.set_legal_hold(reference, true, reason)?;
            let since = c.legal_hold.map(|h| h.since).unwrap_or_default();
            say!("{}: on legal hold since {since}", c.reference);
        }
        CaseCmd::Release { reference, reason } => {
            let c = locker.set_legal_hold(reference, false, reason)?;
            say!("{}: legal hold lifted", c.reference);
        }
        CaseCmd::Delete {
            reference,
            reason,
            receipt,
            lang,
        } => {
            if let Some(path) = receipt {
                varde_report::receipt::check_free(path)?;
            }
            let signed = locker.delete_case(reference, reason)?;
            let r = &signed.receipt;
            let c = &r.counts;
            say!(
                "{}: deleted ({} incidents, {} persons, {} evidence records, {} originals removed, {} kept for another case; {} audit events erased, their hashes kept)",
                r.case_reference,
                c.incidents,
                c.persons,
                c.evidence,
                c.originals_removed,
                c.originals_kept,
                c.audit_events_erased
            );
            say!(
                "Receipt: deletion event {} ({}), kept in the locker",
                r.deletion_event.seq,
                r.deletion_event.hash
            );
            if let Some(path) = receipt {
                save_receipt(&signed, path, lang.lang)?;
            }
        }
        CaseCmd::Keep {
            reference,
            until,
            reason,
        } => {
            let c = locker.keep_case(reference, until, reason)?;
            say!(
                "{}: kept; next retention review {}",
                c.reference,
                c.retention_review_on.unwrap_or_default()
            );
        }
        CaseCmd::Retention { months, reason } => {
            let months = match (months, reason) {
                (Some(m), Some(r)) => locker.set_retention_months(*m, r)?,
                _ => locker.retention_months()?,
            };
            say!("A closed case is reviewed for retention {months} months after it is closed");
        }
        CaseCmd::Receipt {
            reference,
            out,
            lang,
        } => {
            varde_report::receipt::check_free(out)?;
            let signed = locker.deletion_receipt(reference)?;
            save_receipt(&signed, out, lang.lang)?;
        }
        CaseCmd::Review {
            reference,
            on,
            clear,
            reason,
        } => {
            let c = locker.set_review_date(
                reference,
                if *clear { None } else { on.as_deref() },
                reason,
            )?;
            say!(
                "{}: risk review on {}",
                c.reference,
                c.review_on.as_deref().unwrap_or("-")
            );
        }
        CaseCmd::Close {
            reference,
            note,
            retention_review,
        } => {
            let c = locker.set_case_status(
                reference,
                CaseStatus::Closed,
                note,
                retention_review.as_deref(),
            )?;
            say!(
                "{} is closed; review for retention on {}",
                c.reference,
                c.retention_review_on.as_deref().unwrap_or("-")
            );
        }
        CaseCmd::Status {
            reference,
            status,
            note,
        } => {
            let c = locker.set_case_status(reference, *status, note, None)?;
            say!("{} is {}", c.reference, c.status);
        }
    }
    Ok(exit::OK)
}

fn person(cli: &Cli, cmd: &PersonCmd) -> anyhow::Result<i32> {
    let mut locker = open(cli)?;
    match cmd {
        PersonCmd::Add {
            case,
            kind,
            name,
            title,
            department,
            contacts,
            private_contacts,
            aliases,
            municipality,
            health_concern,
            notes,
        } => {
            let mut all = Vec::new();
            for c in contacts {
                all.push(varde_core::persons::parse_contact(c, false)?);
            }
            for c in private_contacts {
                all.push(varde_core::persons::parse_contact(c, true)?);
            }
            let p = locker.add_person(
                case,
                NewPerson {
                    kind: Some(*kind),
                    name: name.clone(),
                    title: title.clone(),
                    department: department.clone(),
                    contacts: all,
                    notes: notes.clone(),
                    aliases: aliases.clone(),
                    home_municipality: municipality.clone(),
                    health_concern: health_concern.clone(),
                },
            )?;
            say!("{}", p.id);
        }
        PersonCmd::Edit {
            id,
            kind,
            name,
            title,
            department,
            aliases,
            municipality,
            notes,
            reason,
        } => {
            let p = locker.person(*id)?;
            let health = p.health_concern.then(|| p.health_observations.clone());
            let fixed = locker.edit_person(
                *id,
                NewPerson {
                    kind: Some(kind.unwrap_or(p.kind)),
                    name: name.clone().or(p.name),
                    title: title.clone().or(p.title),
                    department: department.clone().or(p.department),
                    contacts: p.contacts,
                    notes: notes.clone().unwrap_or(p.notes),
                    aliases: if aliases.is_empty() {
                        p.aliases
                    } else {
                        aliases.clone()
                    },
                    home_municipality: municipality.clone().or(p.home_municipality),
                    health_concern: health,
                },
                reason.as_deref(),
            )?;
            say!("{}", fixed.id);
        }
        PersonCmd::Report {
            id,
            out,
            json,
            lang,
        } => {
            if out.exists() {
                anyhow::bail!(varde_core::Error::invalid(
                    varde_core::Invalid::OutputExists {
                        path: varde_core::error::shorten(out),
                    }
                ));
            }
            let report = locker.person_report(*id)?;
            let pdf = varde_report::person_report::pdf(&report, lang.lang)
                .map_err(|e| anyhow::anyhow!("the report could not be made: {e}"))?;
            let written = std::fs::File::create_new(out).and_then(|mut f| {
                use std::io::Write as _;
                f.write_all(&pdf)?;
                f.sync_all()
            });
            if let Err(e) = written {
                let _ = std::fs::remove_file(out);
                return Err(varde_core::Error::io("writing the report", out, e).into());
            }
            if *json {
                output::json(&report)?;
            } else {
                say!(
                    "{}: {} incidents, {} evidence records, {} disclosures, {} consents; written to {}",
                    report.person.display_name(),
                    report.incidents.len(),
                    report.evidence.len(),
                    report.disclosures.len(),
                    report.consents.len(),
                    out.display()
                );
            }
        }
        PersonCmd::List { case, json } => {
            let persons = locker.list_persons(case)?;
            if *json {
                output::json(&persons)?;
            } else {
                let rows: Vec<Vec<String>> = persons
                    .iter()
                    .map(|p| {
                        vec![
                            p.id.to_string(),
                            p.kind.to_string(),
                            p.display_name(),
                            p.home_municipality.clone().unwrap_or_default(),
                            if p.health_concern {
                                "health concern".into()
                            } else {
                                String::new()
                            },
                        ]
                    })
                    .collect();
                output::table(&["ID", "KIND", "NAME", "MUNICIPALITY", "NOTE"], &rows);
            }
        }
    }
    Ok(exit::OK)
}

fn witnesses(f: &IncidentFields) -> Vec<Witness> {
    f.witness_persons
        .iter()
        .map(|p| Witness {
            person: Some(*p),
            name: None,
        })
        .chain(f.witnesses.iter().map(|n| Witness {
            person: None,
            name: Some(n.clone()),
        }))
        .collect()
}

/// What Varde read from an original, in a few lines.
fn print_reading(r: &varde_core::Reading) {
    use varde_core::varde_read::Derived;
    say!(
        "  read as:   {} ({}, reader {})",
        r.format.as_str(),
        r.parser,
        r.reader_version
    );
    match &r.content {
        varde_core::Content::Unreadable { problem, .. } => {
            say!("  could not be read: {problem}");
        }
        varde_core::Content::Read(d) => match d.as_ref() {
            Derived::Email(m) => {
                let list = |v: &[varde_core::varde_read::Mailbox]| {
                    v.iter().map(|m| m.display()).collect::<Vec<_>>().join(", ")
                };
                say!("  from:      {}", list(&m.from));
                say!("  to:        {}", list(&m.to));
                if !m.cc.is_empty() {
                    say!("  cc:        {}", list(&m.cc));
                }
                say!(
                    "  date:      {}",
                    m.date
                        .as_deref()
                        .or(m.date_raw.as_deref())
                        .unwrap_or("(none)")
                );
                say!("  subject:   {}", m.subject.as_deref().unwrap_or("(none)"));
                if let Some(id) = &m.message_id {
                    say!("  message-id: {id}");
                }
                say!("  received:  {} hops", m.received.len());
                for a in &m.authentication_results {
                    say!("  auth:      {a}");
                }
                for a in &m.attachments {
                    say!(
                        "  attachment {}: {} ({}, {} bytes, sha256 {})",
                        a.index,
                        a.name.as_deref().unwrap_or("(no name)"),
                        a.media_type,
                        a.size,
                        a.sha256
                    );
                }
            }
            Derived::Chat(c) => {
                say!(
                    "  chat:      {} messages from {}",
                    c.messages.len(),
                    c.participants.join(", ")
                );
                if c.repaired_encoding {
                    say!("             (letters repaired from the export's mis-encoded UTF-8)");
                }
            }
            Derived::Image(i) => {
                if !i.has_exif {
                    say!("  exif:      none");
                }
                if let Some(t) = &i.taken {
                    say!(
                        "  taken:     {t}{}",
                        if i.taken_is_local {
                            " (camera clock, no zone)"
                        } else {
                            ""
                        }
                    );
                }
                if let Some(m) = &i.model {
                    say!("  camera:    {} {m}", i.make.as_deref().unwrap_or_default());
                }
                if let Some(g) = &i.gps {
                    say!("  gps:       {:.6}, {:.6}", g.latitude, g.longitude);
                }
            }
            Derived::Media(m) => {
                say!(
                    "  recording: {}{}{}",
                    m.container,
                    m.duration_seconds
                        .map(|d| format!(", {d:.1} s"))
                        .unwrap_or_default(),
                    if m.has_video { ", with video" } else { "" }
                );
            }
        },
    }
}

/// Replace what was read from a message with what the officer gave on the command line.
fn override_incident(
    n: &mut NewIncident,
    at: &Option<String>,
    place: &Option<String>,
    description: &Option<String>,
    f: &IncidentFields,
) {
    let set = |v: &Option<String>, to: &mut String| {
        if let Some(v) = v {
            *to = v.clone();
        }
    };
    set(at, &mut n.at);
    set(place, &mut n.place);
    set(description, &mut n.description);
    if f.tz.is_some() {
        n.tz = f.tz.clone();
    }
    n.approximate |= f.approximate;
    if f.place_kind.is_some() {
        n.place_kind = f.place_kind;
    }
    if f.platform.is_some() {
        n.platform = f.platform.clone();
    }
    if f.sender.is_some() {
        n.sender = f.sender.clone();
    }
    if f.wording.is_some() {
        n.wording = f.wording.clone();
    }
    if !f.perceived.is_empty() {
        n.perceived = f.perceived.clone();
    }
    n.targets_individuals |= f.targets_individuals;
    n.ongoing_emergency |= f.emergency;
    if f.actor_person.is_some() {
        n.actor_id = f.actor_person;
    }
    let w = witnesses(f);
    if !w.is_empty() {
        n.witnesses = w;
    }
}

fn incident(cli: &Cli, cmd: &IncidentCmd) -> anyhow::Result<i32> {
    let mut locker = open(cli)?;
    match cmd {
        IncidentCmd::Add {
            case,
            at,
            channel,
            place,
            description,
            fields: f,
        } => {
            let i = locker.add_incident(
                case,
                NewIncident {
                    at: at.clone(),
                    tz: f.tz.clone(),
                    approximate: f.approximate,
                    place: place.clone(),
                    place_kind: f.place_kind,
                    channel: Some(*channel),
                    platform: f.platform.clone(),
                    sender: f.sender.clone(),
                    description: description.clone(),
                    wording: f.wording.clone(),
                    perceived: f.perceived.clone(),
                    targets_individuals: f.targets_individuals,
                    ongoing_emergency: f.emergency,
                    actor_id: f.actor_person,
                    witnesses: witnesses(f),
                },
            )?;
            say!("{}", i.id);
        }
        IncidentCmd::FromMessage {
            evidence,
            message,
            at,
            channel,
            place,
            description,
            fields: f,
        } => {
            let mut n = locker.incident_from_message_draft(*evidence, *message)?;
            if let Some(c) = channel {
                n.channel = Some(*c);
            }
            override_incident(&mut n, at, place, description, f);
            let i = locker.log_incident_from_message(*evidence, *message, n)?;
            say!("{}", i.id);
        }
        IncidentCmd::FromEmail {
            case,
            file,
            at,
            place,
            description,
            fields: f,
        } => {
            let logged = locker.log_incident_from_email(case, file, &mut |n| {
                override_incident(n, at, place, description, f)
            })?;
            say!("{}", logged.incident.id);
        }
        IncidentCmd::List { case, json } => {
            let list = locker.list_incidents(case)?;
            if *json {
                output::json(&list)?;
            } else {
                let rows: Vec<Vec<String>> = list
                    .iter()
                    .map(|i| {
                        vec![
                            i.id.to_string(),
                            format!("{} {}", i.occurred_local, i.occurred_tz),
                            i.channel.to_string(),
                            i.place.clone(),
                            i.description.clone(),
                        ]
                    })
                    .collect();
                output::table(&["ID", "WHEN", "CHANNEL", "PLACE", "DESCRIPTION"], &rows);
            }
        }
        IncidentCmd::Show { id, json } => {
            let i = locker.incident(*id)?;
            let case = locker.case_by_id(i.case_id)?;
            let evidence = locker.list_evidence(&case.reference, Some(*id))?;
            let versions = locker.incident_versions(*id)?;
            if *json {
                output::json(&serde_json::json!({
                    "incident": i, "case": case.reference, "evidence": evidence, "earlier_versions": versions,
                }))?;
            } else {
                say!(
                    "Incident {} in {} (version {})",
                    i.id,
                    case.reference,
                    i.version
                );
                say!(
                    "  when:        {} {} ({})",
                    i.occurred_local,
                    i.occurred_tz,
                    i.precision
                );
                say!("  place:       {} ({})", i.place, i.place_kind);
                say!(
                    "  channel:     {}{}",
                    i.channel,
                    i.platform
                        .as_ref()
                        .map(|p| format!(" ({p})"))
                        .unwrap_or_default()
                );
                say!("  description: {}", i.description);
                if let Some(w) = &i.wording {
                    say!("  wording:     «{w}»");
                }
                if let Some(s) = &i.sender {
                    say!("  sender:      {s}");
                }
                if let Some(m) = &i.source {
                    say!(
                        "  from:        message {} of the original {} (text sha256 {})",
                        m.message,
                        m.sha256,
                        m.text_sha256
                    );
                }
                if !i.perceived.is_empty() {
                    let p: Vec<String> = i.perceived.iter().map(ToString::to_string).collect();
                    say!("  perceived:   {}", p.join(", "));
                }
                if i.targets_individuals {
                    say!("  directed at individuals (named or not)");
                }
                if i.ongoing_emergency {
                    say!("  ONGOING EMERGENCY — call 112");
                }
                for w in &i.witnesses {
                    let who = match (w.person, &w.name) {
                        (Some(p), _) => locker
                            .person(p)
                            .map(|p| p.display_name())
                            .unwrap_or_else(|_| format!("person {p}")),
                        (None, Some(n)) => n.clone(),
                        (None, None) => "?".into(),
                    };
                    say!("  witness:     {who}");
                }
                say!(
                    "  logged:      {} by {} ({})",
                    i.logged_at,
                    i.logged_by,
                    i.logged_by_role
                );
                say!("  evidence:    {} items", evidence.len());
                for e in &evidence {
                    say!("    {:>5}  {}  {}", e.id, e.sha256, e.original_name);
                }
                if !versions.is_empty() {
                    say!("  earlier versions: {}", versions.len());
                    for v in &versions {
                        say!(
                            "    version {} replaced {} by {}",
                            v.version,
                            v.replaced_at,
                            v.replaced_by
                        );
                    }
                }
            }
        }
        IncidentCmd::Edit {
            id,
            at,
            channel,
            place,
            description,
            no_emergency,
            reason,
            fields: f,
        } => {
            let ongoing = if f.emergency {
                Some(true)
            } else if *no_emergency {
                Some(false)
            } else {
                None
            };
            let i = locker.edit_incident(
                *id,
                IncidentPatch {
                    at: at.clone(),
                    tz: f.tz.clone(),
                    approximate: f.approximate.then_some(true),
                    place: place.clone(),
                    place_kind: f.place_kind,
                    channel: *channel,
                    platform: f.platform.clone(),
                    sender: f.sender.clone(),
                    description: description.clone(),
                    wording: f.wording.clone(),
                    perceived: (!f.perceived.is_empty()).then(|| f.perceived.clone()),
                    targets_individuals: f.targets_individuals.then_some(true),
                    ongoing_emergency: ongoing,
                    actor_id: f.actor_person,
                    clear_actor: false,
                    add_witnesses: witnesses(f),
                    witnesses: None,
                    reason: reason.clone(),
                },
            )?;
            say!("incident {} is at version {}", i.id, i.version);
        }
        IncidentCmd::Senders { case, json } => {
            let groups = locker.unlinked_senders(case)?;
            if *json {
                output::json(&groups)?;
            } else if groups.is_empty() {
                say!("No sender has two or more incidents without a threat actor.");
            } else {
                let rows: Vec<Vec<String>> = groups
                    .iter()
                    .map(|g| vec![g.sender.clone(), format!("{:?}", g.unlinked_ids)])
                    .collect();
                output::table(&["SENDER", "INCIDENTS WITHOUT A THREAT ACTOR"], &rows);
            }
        }
        IncidentCmd::LinkSender {
            case,
            sender,
            reason,
            json,
        } => {
            let p = locker.link_sender_to_unknown_actor(case, sender, reason.as_deref())?;
            if *json {
                output::json(&p)?;
            } else {
                say!("{}", p.id);
            }
        }
    }
    Ok(exit::OK)
}

fn evidence(cli: &Cli, cmd: &EvidenceCmd) -> anyhow::Result<i32> {
    let mut locker = open(cli)?;
    match cmd {
        EvidenceCmd::Add {
            incident,
            files,
            thread,
            platform,
            first_seq,
            whole_thread,
            note,
            allow_empty,
        } => {
            let opts = AddOptions {
                source: None,
                thread_platform: platform.clone(),
                thread_id: thread.clone(),
                first_seq: *first_seq,
                whole_thread: *whole_thread,
                note: note.clone(),
                allow_empty: *allow_empty,
            };
            let mut bar = ProgressLine::new("storing");
            let added = locker.add_evidence(*incident, files, &opts, &mut |p| {
                bar.update(p.done, p.total)
            });
            bar.finish();
            for a in added? {
                let e = &a.evidence;
                say!("{}\t{}\t{}", e.id, e.sha256, e.original_name);
                if a.already_present {
                    eprintln!(
                        "note: {} is already evidence {} in this incident; not added again",
                        e.original_name, e.id
                    );
                }
            }
        }
        EvidenceCmd::Thread {
            incident,
            thread,
            name,
            platform,
            whole_thread,
            order,
            reason,
        } => {
            let case = locker.case_of_incident(*incident)?;
            let mut items: Vec<_> = locker
                .list_evidence(&case.reference, Some(*incident))?
                .into_iter()
                .filter(|e| e.thread_id.as_deref() == Some(thread.as_str()))
                .collect();
            items.sort_by_key(|e| (e.thread_seq, e.id));
            let patch = varde_core::ThreadPatch {
                platform: platform
                    .clone()
                    .or_else(|| items.first().and_then(|e| e.thread_platform.clone())),
                name: name.clone().unwrap_or_else(|| thread.clone()),
                whole_thread: whole_thread
                    .unwrap_or_else(|| !items.is_empty() && items.iter().all(|e| e.whole_thread)),
                order: if order.is_empty() {
                    items.iter().map(|e| e.id).collect()
                } else {
                    order.clone()
                },
                reason: reason.clone(),
            };
            for e in locker.edit_thread(*incident, thread, &patch)? {
                say!(
                    "{}\t{}\t{}",
                    e.id,
                    e.thread_seq.map(|n| n.to_string()).unwrap_or_default(),
                    e.original_name
                );
            }
        }
        EvidenceCmd::List {
            case,
            incident,
            json,
        } => {
            let list = locker.list_evidence(case, *incident)?;
            if *json {
                output::json(&list)?;
            } else {
                let rows: Vec<Vec<String>> = list
                    .iter()
                    .map(|e| {
                        vec![
                            e.id.to_string(),
                            e.incident.to_string(),
                            e.sha256.clone(),
                            human_size(e.size),
                            e.media_type.clone(),
                            e.original_name.clone(),
                        ]
                    })
                    .collect();
                output::table(&["ID", "INCIDENT", "SHA256", "SIZE", "TYPE", "NAME"], &rows);
            }
        }
        EvidenceCmd::Messages { id, json } => {
            let messages = locker.messages(*id)?;
            if *json {
                output::json(&messages)?;
            } else {
                for m in &messages {
                    let who = match (&m.sender, m.outgoing) {
                        (Some(s), _) => s.clone(),
                        (None, Some(true)) => "(sent from this phone)".into(),
                        (None, _) => "(notice)".into(),
                    };
                    say!(
                        "#{} {} {}:{}",
                        m.index,
                        m.time.as_deref().unwrap_or("(no time)"),
                        who,
                        m.media
                            .as_ref()
                            .map(|n| format!(" [{n}]"))
                            .unwrap_or_default()
                    );
                    for line in m.text.lines() {
                        say!("    {line}");
                    }
                }
            }
        }
        EvidenceCmd::Attachment { id, index } => {
            let added = locker.extract_attachment(*id, *index)?;
            say!("{}", added.evidence.id);
        }
        EvidenceCmd::Call {
            id,
            at,
            number,
            person,
            caller,
            description,
            words,
        } => {
            let draft = locker.call_draft(*id)?;
            let noted = locker.note_call(
                *id,
                varde_core::CallNote {
                    at: Some(at.clone().unwrap_or(draft.at)),
                    actor_id: person.or(draft.actor_id),
                    caller: caller.clone(),
                    number: number.clone().or(draft.number),
                    description: description.clone().unwrap_or(draft.description),
                    words: words.clone().or(draft.words),
                },
            )?;
            say!("{} {}", noted.id, noted.version);
        }
        EvidenceCmd::Show { id, json } => {
            let e = locker.evidence(*id)?;
            let reading = locker.read_evidence(*id)?;
            if *json {
                let mut v = serde_json::to_value(&e)?;
                if let Some(o) = v.as_object_mut() {
                    o.insert("derived".into(), serde_json::to_value(&reading)?);
                }
                output::json(&v)?;
            } else {
                say!("Evidence {} (incident {})", e.id, e.incident);
                say!("  name:      {}", e.original_name);
                say!("  sha256:    {}", e.sha256);
                say!("  size:      {} bytes ({})", e.size, human_size(e.size));
                say!("  type:      {}", e.media_type);
                if let (Some(w), Some(h)) = (e.width, e.height) {
                    say!("  pixels:    {w} × {h}");
                }
                say!(
                    "  acquired:  {} by {} ({})",
                    e.acquired_at,
                    e.acquired_by,
                    e.source
                );
                if let Some(t) = &e.thread_id {
                    say!(
                        "  thread:    {}{} #{}{}",
                        t,
                        e.thread_platform
                            .as_ref()
                            .map(|p| format!(" on {p}"))
                            .unwrap_or_default(),
                        e.thread_seq.unwrap_or(0),
                        if e.whole_thread {
                            " (whole thread captured)"
                        } else {
                            ""
                        }
                    );
                }
                if !e.note.is_empty() {
                    say!("  note:      {}", e.note);
                }
                if let Some(of) = &e.attachment_of {
                    say!(
                        "  from:      attachment {} of evidence {}",
                        of.index,
                        of.evidence
                    );
                }
                for c in locker.redactions(e.id)? {
                    say!(
                        "  redacted:  copy {} ({} × {}, {} box{}, {} by {}) sha256 {}",
                        c.id,
                        c.width,
                        c.height,
                        c.regions.len(),
                        if c.regions.len() == 1 { "" } else { "es" },
                        c.made_at,
                        c.made_by,
                        c.sha256
                    );
                }
                if let Some(r) = &reading {
                    print_reading(r);
                }
            }
        }
        EvidenceCmd::Extract { id, out } => {
            let e = locker.extract_evidence(*id, out)?;
            say!("{}  {}", e.sha256, out.display());
        }
        EvidenceCmd::Redact { id, boxes } => {
            let r = locker.redact(*id, boxes)?;
            say!("{}", r.id);
        }
        EvidenceCmd::ExtractCopy { id, out } => {
            let r = locker.extract_redaction(*id, out)?;
            say!("{}  {}", r.sha256, out.display());
        }
    }
    Ok(exit::OK)
}

fn verify(cli: &Cli, json: bool) -> anyhow::Result<i32> {
    let locker = open(cli)?;
    let mut bar = ProgressLine::new("verifying");
    let report = locker.verify(&mut |p| bar.update(p.done, p.total));
    bar.finish();
    let report = report?;
    if json {
        output::json(&report)?;
    } else {
        for p in &report.problems {
            say!("FAILED  {}: {}", p.item, p.message);
        }
        say!(
            "{}: {} originals ({}) re-hashed, {} evidence records and {} audit events checked, {} problem(s)",
            if report.ok() { "OK" } else { "FAILED" },
            report.originals_checked,
            human_size(report.bytes_checked),
            report.evidence_checked,
            report.audit_events_checked,
            report.problems.len()
        );
    }
    Ok(if report.ok() {
        exit::OK
    } else {
        exit::VERIFY_FAILED
    })
}

fn log(cli: &Cli, subject: Option<&str>, json: bool) -> anyhow::Result<i32> {
    let locker = open(cli)?;
    let events = locker.audit_log(subject)?;
    if json {
        output::json(&events)?;
    } else {
        let rows: Vec<Vec<String>> = events
            .iter()
            .map(|e| {
                vec![
                    e.seq.to_string(),
                    e.time.clone(),
                    e.actor.clone(),
                    e.action.clone(),
                    e.subject.clone(),
                    e.hash[..16].to_string(),
                ]
            })
            .collect();
        output::table(
            &["SEQ", "TIME", "ACTOR", "ACTION", "SUBJECT", "HASH"],
            &rows,
        );
    }
    Ok(exit::OK)
}

/// Save a receipt's four files and say where.
fn save_receipt(
    signed: &varde_core::SignedReceipt,
    json: &std::path::Path,
    lang: varde_core::guidance::Lang,
) -> anyhow::Result<()> {
    for path in varde_report::receipt::save(signed, json, lang)? {
        say!("Saved {}", path.display());
    }
    Ok(())
}
