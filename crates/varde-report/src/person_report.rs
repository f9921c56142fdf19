//! An access request's report as a PDF: what [`Locker::person_report`]
//! (varde_core::Locker::person_report) gathered about one person, worded for the data
//! protection officer, laid out with the draft template. It is a working document: it
//! says on its first page that exemptions are assessed before anything is handed out.

use varde_core::PersonReport;
use varde_core::drafts::{Block, Section};
use varde_core::model::{Channel, PersonKind};

use crate::page::{Page, row};
use crate::{Error, Lang, Rendered};

fn channel(c: Channel, nb: bool) -> &'static str {
    match (c, nb) {
        (Channel::Email, true) => "e-post",
        (Channel::Email, false) => "e-mail",
        (Channel::Sms, _) => "SMS",
        (Channel::PhoneCall, true) => "telefonsamtale",
        (Channel::PhoneCall, false) => "phone call",
        (Channel::SocialMedia, true) => "sosiale medier",
        (Channel::SocialMedia, false) => "social media",
        (Channel::Letter, true) => "brev",
        (Channel::Letter, false) => "letter",
        (Channel::InPerson, true) => "ansikt til ansikt",
        (Channel::InPerson, false) => "in person",
        (Channel::Other, true) => "annet",
        (Channel::Other, false) => "other",
    }
}

fn kind(k: PersonKind, nb: bool) -> &'static str {
    match (k, nb) {
        (PersonKind::Employee, true) => "truet ansatt",
        (PersonKind::Employee, false) => "threatened employee",
        (PersonKind::ThreatActor, true) => "trusselutøver",
        (PersonKind::ThreatActor, false) => "threat actor",
        (PersonKind::Witness, true) => "vitne",
        (PersonKind::Witness, false) => "witness",
        (PersonKind::Other, true) => "annen person",
        (PersonKind::Other, false) => "other person",
    }
}

fn none_or(items: Vec<Block>, nb: bool) -> Vec<Block> {
    if items.is_empty() {
        vec![Block::Paragraph {
            text: if nb { "Ingen." } else { "None." }.into(),
        }]
    } else {
        items
    }
}

fn page(r: &PersonReport, lang: Lang) -> Page {
    let nb = lang == Lang::Nb;
    let w = |n: &str, e: &str| if nb { n } else { e }.to_string();
    let p = &r.person;
    let name = p.display_name();
    let mut about = vec![row(
        &w("Rolle i saken", "Role in the case"),
        kind(p.kind, nb),
    )];
    for (label, value) in [
        (w("Tittel", "Title"), p.title.clone()),
        (w("Avdeling", "Department"), p.department.clone()),
        (
            w("Hjemkommune", "Home municipality"),
            p.home_municipality.clone(),
        ),
    ] {
        if let Some(v) = value.filter(|v| !v.trim().is_empty()) {
            about.push(row(&label, v));
        }
    }
    if !p.aliases.is_empty() {
        about.push(row(
            &w("Kalles også", "Also known as"),
            p.aliases.join(", "),
        ));
    }
    for c in &p.contacts {
        about.push(row(
            &w("Kontakt", "Contact"),
            format!(
                "{}{}",
                c.value,
                if c.private {
                    w(" (privat)", " (private)")
                } else {
                    String::new()
                }
            ),
        ));
    }
    if p.health_concern || !p.health_observations.trim().is_empty() {
        about.push(row(
            &w("Helseopplysninger", "Health information"),
            format!(
                "{}{}",
                w(
                    "bekymring registrert (særlig kategori). ",
                    "a concern is recorded (special category). "
                ),
                p.health_observations
            ),
        ));
    }
    if !p.notes.trim().is_empty() {
        about.push(row(&w("Merknader", "Notes"), p.notes.clone()));
    }
    about.push(row(&w("Registrert", "Recorded"), p.created_at.clone()));

    let mut incidents = Vec::new();
    for i in &r.incidents {
        incidents.push(Block::Heading {
            text: format!(
                "{} {} · {}",
                i.occurred_local,
                i.occurred_tz,
                channel(i.channel, nb)
            ),
        });
        incidents.push(Block::Rows {
            rows: vec![
                row(&w("Sted", "Place"), i.place.clone()),
                row(&w("Hva skjedde", "What happened"), i.description.clone()),
                row(
                    &w("Logget", "Logged"),
                    format!("{} – {}", i.logged_at, i.logged_by),
                ),
            ],
        });
        if let Some(words) = i.wording.as_ref().filter(|s| !s.is_empty()) {
            incidents.push(Block::Quote {
                text: words.clone(),
            });
        }
    }
    let evidence = if r.evidence.is_empty() {
        Vec::new()
    } else {
        vec![Block::Hashes {
            rows: r
                .evidence
                .iter()
                .map(|e| row(&format!("{} · {}", e.id, e.original_name), e.sha256.clone()))
                .collect(),
        }]
    };
    let disclosures = if r.disclosures.is_empty() {
        Vec::new()
    } else {
        vec![Block::List {
            items: r
                .disclosures
                .iter()
                .map(|d| format!("{} · {} · {}", d.disclosed_at, d.recipient, d.shared))
                .collect(),
        }]
    };
    let consents = if r.consents.is_empty() {
        Vec::new()
    } else {
        vec![Block::List {
            items: r
                .consents
                .iter()
                .map(|c| {
                    format!(
                        "{} · {} · {}{}",
                        c.given_at,
                        c.recipient,
                        c.scope,
                        if c.withdrawn.is_some() {
                            w(" (trukket tilbake)", " (withdrawn)")
                        } else {
                            String::new()
                        }
                    )
                })
                .collect(),
        }]
    };
    let checklist = if r.checklist.is_empty() {
        Vec::new()
    } else {
        vec![Block::List {
            items: r
                .checklist
                .iter()
                .map(|c| {
                    let state = match c.state {
                        varde_core::guidance::ChecklistState::Done => w("gjort", "done"),
                        varde_core::guidance::ChecklistState::NotRelevant => {
                            w("ikke aktuelt", "not relevant")
                        }
                        varde_core::guidance::ChecklistState::NotStarted => {
                            w("ikke påbegynt", "not started")
                        }
                    };
                    format!(
                        "{} · {state}{}",
                        c.item.title.get(lang),
                        if c.note.is_empty() {
                            String::new()
                        } else {
                            format!(" · {}", c.note)
                        }
                    )
                })
                .collect(),
        }]
    };
    let others = if r.other_cases.is_empty() {
        Vec::new()
    } else {
        vec![
            Block::Paragraph {
                text: w(
                    "En trusselutøver med samme navn, kallenavn eller nummer finnes også i disse sakene. Det kan være samme person; se gjennom dem også:",
                    "A threat actor with the same name, alias or number is also in these cases. It may be the same person; go through them too:",
                ),
            },
            Block::List {
                items: r.other_cases.clone(),
            },
        ]
    };
    Page {
        lang,
        title: format!("{} {name}", w("Innsyn:", "Access request:")),
        subtitle: w(
            "Det Varde har om personen, samlet for personvernombudet. Arbeidsdokument: ikke til utlevering slik det er.",
            "What Varde holds about the person, gathered for the data protection officer. A working document: not to be handed out as it is.",
        ),
        meta: vec![
            row(&w("Person", "Person"), name.clone()),
            row(
                &w("Sak", "Case"),
                format!("{} {}", r.case_reference, r.case_title),
            ),
            row(&w("Laget", "Made"), r.made_at.clone()),
        ],
        notices: vec![w(
            "Vurder unntakene fra innsynsretten før noe utleveres: blant annet hensynet til andres rettigheter (for eksempel den truede ansatte og vitner) og hensynet til å forebygge eller etterforske straffbare handlinger (personvernforordningen artikkel 15 nr. 4 og artikkel 23, personopplysningsloven § 16). Ta med personvernombudet og eventuelt politiet før noe om en pågående politisak gis ut.",
            "Assess the exemptions from the right of access before anything is handed out: among them the rights of others (for example the threatened employee and witnesses) and the prevention or investigation of crime (GDPR article 15(4) and article 23, the Norwegian Personal Data Act § 16). Involve the data protection officer, and the police where a police case is open, before anything about it is given out.",
        )],
        sections: vec![
            Section {
                heading: w("1 Personen", "1 The person"),
                blocks: vec![Block::Rows { rows: about }],
            },
            Section {
                heading: w(
                    "2 Hendelser som gjelder personen",
                    "2 Incidents that concern the person",
                ),
                blocks: none_or(incidents, nb),
            },
            Section {
                heading: w(
                    "3 Bevis (originaler med SHA-256)",
                    "3 Evidence (originals with SHA-256)",
                ),
                blocks: none_or(evidence, nb),
            },
            Section {
                heading: w("4 Utleveringer", "4 Disclosures"),
                blocks: none_or(disclosures, nb),
            },
            Section {
                heading: w("5 Samtykker", "5 Consents"),
                blocks: none_or(consents, nb),
            },
            Section {
                heading: w("6 Sjekklisten", "6 The checklist"),
                blocks: none_or(checklist, nb),
            },
            Section {
                heading: w("7 Andre saker", "7 Other cases"),
                blocks: none_or(others, nb),
            },
        ],
        footer: format!("Varde · {} · {}", r.case_reference, r.made_at),
        created_at: r.made_at.clone(),
    }
}

/// Lay the report out (see [`Rendered`] for its pages, text and PDF).
pub fn layout(r: &PersonReport, lang: Lang) -> Result<Rendered, Error> {
    let doc = page(r, lang);
    crate::page::layout(&doc)
}

/// The report as PDF bytes.
pub fn pdf(r: &PersonReport, lang: Lang) -> Result<Vec<u8>, Error> {
    layout(r, lang)?.to_pdf()
}
