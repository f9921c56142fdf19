//! The police report draft (anmeldelse), following what a report to the police contains
//! and what the guide asks of it (seed 004: report early, say whether health services were
//! notified and which behaviour and statements give concern):
//!
//! 1. who reports (the company, its organisation number and address, the contact person);
//! 2. the aggrieved parties (the company and the threatened employee, minimised as in a
//!    bundle: no private contact details unless chosen);
//! 3. the person reported (name or «ukjent», other names and accounts, home municipality);
//! 4. the incidents in time order with time, place, channel, the exact wording, witnesses;
//! 5. the evidence: the exported bundle's `SHA256SUMS` hash and key fingerprint, or each
//!    original with its SHA-256;
//! 6. what the company has done (checklist items done, prompts acted on);
//! 7. the health concern, when there is one (rule `police_report_health_details`);
//! 8. requests: a restraining order (straffeprosessloven § 222 a), a compensation claim;
//! 9. penal provisions that may apply, for information («politiet vurderer»);
//! 10. a place to sign.

use std::collections::{HashMap, HashSet};

use super::{Block, DraftOptions, Parts, Row, Section, Words};
use crate::error::{Error, Result};
use crate::guidance::escalation::{POLICE_REPORT, POLICE_REPORT_HEALTH};
use crate::guidance::{ActionKind, ChecklistState, RecipientKind};
use crate::invalid::{Field, Invalid, Item, ItemKind};
use crate::locker::Locker;
use crate::model::{Incident, Person, PersonKind};

use super::Draft;
use crate::bundle::text::counted;

/// The latest bundle exported to someone (not a self-log) that holds all these incidents.
struct BundleRef {
    name: String,
    sums: String,
    fingerprint: String,
    time: String,
}

impl Locker {
    pub(super) fn police_report_draft(&self, case_ref: &str, opts: &DraftOptions) -> Result<Draft> {
        let case = self.case(case_ref)?;
        let guidance = self.guidance()?;
        let w = Words::new(&guidance.documents, opts.lang);
        let profile = self.profile()?;

        // The incidents: all of the case, or those chosen (checked as an export checks).
        let (_, incidents, evidence) = self.export_selection(&case, &opts.incidents)?;
        let persons = self.list_persons(&case.reference)?;
        let by_id: HashMap<i64, &Person> = persons.iter().map(|p| (p.id, p)).collect();
        let actor_ids: HashSet<i64> = incidents.iter().filter_map(|i| i.actor_id).collect();
        let employees: Vec<&Person> = persons
            .iter()
            .filter(|p| p.kind == PersonKind::Employee)
            .collect();
        // The threat actors the incidents name; with none named, every actor of the case.
        let actors: Vec<&Person> = {
            let named: Vec<&Person> = persons
                .iter()
                .filter(|p| p.kind == PersonKind::ThreatActor && actor_ids.contains(&p.id))
                .collect();
            if named.is_empty() {
                persons
                    .iter()
                    .filter(|p| p.kind == PersonKind::ThreatActor)
                    .collect()
            } else {
                named
            }
        };

        let mut sections = Vec::new();

        // 1. Who reports.
        sections.push(Section {
            heading: w.t("police.reporter"),
            blocks: vec![Block::Rows {
                rows: vec![
                    w.row("draft.organisation", w.or_blank(&profile.org_name)),
                    w.row(
                        "draft.org_number",
                        w.or_blank(&spaced_org_number(&profile.org_number)),
                    ),
                    w.row("draft.address", w.or_blank(&profile.org_address)),
                    w.row("draft.contact_person", w.or_blank(&profile.owner)),
                    w.row("draft.phone", w.or_blank(&profile.contact_phone)),
                    w.row("draft.email", w.or_blank(&profile.contact_email)),
                ],
            }],
        });

        // 2. The aggrieved: the company and the employee, minimised.
        let mut aggrieved = vec![
            Block::Paragraph {
                text: w.t("police.aggrieved_intro"),
            },
            Block::Rows {
                rows: vec![w.row("draft.organisation", w.or_blank(&profile.org_name))],
            },
        ];
        if employees.is_empty() {
            aggrieved.push(Block::Paragraph {
                text: w.t("police.no_employee"),
            });
        }
        for e in &employees {
            let mut rows = vec![w.row(
                "police.employee",
                w.or_blank(e.name.as_deref().unwrap_or_default()),
            )];
            let position: Vec<&str> = [e.title.as_deref(), e.department.as_deref()]
                .into_iter()
                .flatten()
                .filter(|s| !s.trim().is_empty())
                .collect();
            if !position.is_empty() {
                rows.push(w.row("police.position", position.join(", ")));
            }
            let contacts: Vec<String> = e
                .contacts
                .iter()
                .filter(|c| !c.private || opts.include_private_contacts)
                .map(|c| c.value.clone())
                .collect();
            if !contacts.is_empty() {
                rows.push(w.row("draft.known_contacts", contacts.join(", ")));
            }
            aggrieved.push(Block::Rows { rows });
        }
        sections.push(Section {
            heading: w.t("police.aggrieved"),
            blocks: aggrieved,
        });

        // 3. The person reported.
        let mut suspect = Vec::new();
        if actors.iter().all(|a| !a.known || a.name.is_none()) {
            suspect.push(Block::Paragraph {
                text: w.t("police.suspect_unknown"),
            });
        }
        for a in &actors {
            suspect.push(Block::Rows {
                rows: actor_rows(&w, a),
            });
        }
        if actors.is_empty() {
            suspect.push(Block::Rows {
                rows: vec![w.row("draft.name", w.t("draft.unknown"))],
            });
        }
        sections.push(Section {
            heading: w.t("police.suspect"),
            blocks: suspect,
        });

        // 4. What happened.
        let mut events = vec![Block::Paragraph {
            text: format!("{} {}", w.t("police.events_intro"), w.t("draft.times")),
        }];
        for (n, i) in incidents.iter().enumerate() {
            events.extend(w.incident_blocks(n + 1, i, Some(&witness_names(i, &by_id))));
        }
        sections.push(Section {
            heading: w.t("police.events"),
            blocks: events,
        });

        // 5. Evidence.
        let incident_set: HashSet<i64> = incidents.iter().map(|i| i.id).collect();
        let bundle = self.latest_bundle(&case.reference, &incident_set)?;
        let listed: Vec<i64>;
        let evidence_blocks = match (&bundle, evidence.is_empty()) {
            (_, true) => {
                listed = Vec::new();
                vec![Block::Paragraph {
                    text: w.t("police.no_evidence"),
                }]
            }
            (Some(b), false) => {
                listed = evidence.iter().map(|e| e.id).collect();
                vec![Block::Paragraph {
                    text: w.f(
                        "police.evidence_bundle",
                        &[
                            ("bundle", &b.name),
                            ("time", &w.instant(&b.time)),
                            ("sums", &b.sums),
                            ("fingerprint", &b.fingerprint),
                        ],
                    ),
                }]
            }
            (None, false) => {
                listed = evidence.iter().map(|e| e.id).collect();
                let number: HashMap<i64, usize> = incidents
                    .iter()
                    .enumerate()
                    .map(|(n, i)| (i.id, n + 1))
                    .collect();
                vec![
                    Block::Paragraph {
                        text: w.t("police.evidence_list"),
                    },
                    Block::Hashes {
                        rows: evidence
                            .iter()
                            .map(|e| Row {
                                label: format!(
                                    "{} · {}",
                                    w.f(
                                        "draft.incident",
                                        &[(
                                            "n",
                                            &number
                                                .get(&e.incident)
                                                .copied()
                                                .unwrap_or_default()
                                                .to_string()
                                        )]
                                    ),
                                    e.original_name
                                ),
                                value: e.sha256.clone(),
                            })
                            .collect(),
                    },
                ]
            }
        };
        sections.push(Section {
            heading: w.t("police.evidence"),
            blocks: evidence_blocks,
        });

        // 6. What the company has done.
        let checklist = self.checklist(&case.reference)?;
        let done: Vec<String> = checklist
            .entries
            .iter()
            .filter(|e| e.state == ChecklistState::Done)
            .map(|e| {
                let mut s = e.item.title.get(opts.lang).to_string();
                if !e.note.trim().is_empty() {
                    s = format!("{s} – {}", e.note.trim());
                }
                s
            })
            .collect();
        let history = self.escalation_history(&case.reference)?;
        let acted: Vec<String> = history
            .iter()
            .filter(|a| a.action == ActionKind::Done && a.rule_key != POLICE_REPORT)
            .map(|a| {
                let title = guidance
                    .rule(&a.rule_key)
                    .map(|r| r.title.get(opts.lang).to_string())
                    .unwrap_or_else(|| a.rule_key.clone());
                let mut s = format!("{}: {title}", w.instant(&a.acted_at));
                if let Some(who) = a.with_whom.as_deref() {
                    s = format!("{s} ({who})");
                }
                s
            })
            .collect();
        let mut measures = Vec::new();
        if !done.is_empty() {
            measures.push(Block::Paragraph {
                text: w.t("police.measures_checklist"),
            });
            measures.push(Block::List { items: done });
        }
        if !acted.is_empty() {
            measures.push(Block::Paragraph {
                text: w.t("police.measures_actions"),
            });
            measures.push(Block::List { items: acted });
        }
        if measures.is_empty() {
            measures.push(Block::Paragraph {
                text: w.t("police.measures_none"),
            });
        }
        sections.push(Section {
            heading: w.t("police.measures"),
            blocks: measures,
        });

        // 7. Health, when an actor of the report gives concern.
        let concerned: Vec<&&Person> = actors.iter().filter(|a| a.health_concern).collect();
        let mut answers = vec![POLICE_REPORT.to_string()];
        if !concerned.is_empty() {
            answers.push(POLICE_REPORT_HEALTH.to_string());
            let mut blocks = Vec::new();
            let notified = self.health_notifications(&case.reference)?;
            if notified.is_empty() {
                blocks.push(Block::Paragraph {
                    text: w.t("police.health_not_notified"),
                });
            }
            for (at, to) in &notified {
                blocks.push(Block::Paragraph {
                    text: w.f(
                        "police.health_notified",
                        &[("time", &w.instant(at)), ("to", to)],
                    ),
                });
            }
            for a in concerned {
                let name = display(&w, a);
                blocks.push(Block::Paragraph {
                    text: w.f("police.health_observations", &[("name", &name)]),
                });
                if !a.health_observations.trim().is_empty() {
                    blocks.push(Block::Quote {
                        text: a.health_observations.trim().to_string(),
                    });
                }
                let statements: Vec<String> = incidents
                    .iter()
                    .filter(|i| i.actor_id == Some(a.id))
                    .filter_map(|i| {
                        i.wording
                            .as_deref()
                            .filter(|s| !s.trim().is_empty())
                            .map(|s| format!("{}: «{}»", w.occurred(i), s.trim()))
                    })
                    .collect();
                if !statements.is_empty() {
                    blocks.push(Block::Paragraph {
                        text: w.t("police.health_statements"),
                    });
                    blocks.push(Block::List { items: statements });
                }
            }
            sections.push(Section {
                heading: w.t("police.health"),
                blocks,
            });
        }

        // 8. Requests.
        let mut requests = Vec::new();
        if opts.restraining_order {
            requests.push(w.t("police.restraining_order"));
        }
        if opts.compensation {
            requests.push(w.t("police.compensation"));
        }
        sections.push(Section {
            heading: w.t("police.requests"),
            blocks: if requests.is_empty() {
                vec![Block::Paragraph {
                    text: w.t("police.no_requests"),
                }]
            } else {
                vec![Block::List { items: requests }]
            },
        });

        // 9. Penal provisions, for information.
        let provisions: Vec<String> = guidance
            .provisions
            .iter()
            .filter(|p| !p.public_only || profile.public_employer)
            .map(|p| format!("{}: {}", p.label.get(opts.lang), p.summary.get(opts.lang)))
            .collect();
        sections.push(Section {
            heading: w.t("police.provisions"),
            blocks: vec![
                Block::Paragraph {
                    text: w.t("police.provisions_intro"),
                },
                Block::List { items: provisions },
            ],
        });

        // 10. Signature.
        sections.push(Section {
            heading: w.t("police.signature"),
            blocks: vec![Block::Signature {
                labels: vec![w.t("draft.place_date"), w.t("draft.signature")],
            }],
        });

        let mut person_ids: Vec<i64> = employees.iter().map(|p| p.id).collect();
        person_ids.extend(actors.iter().map(|p| p.id));
        person_ids.extend(
            incidents
                .iter()
                .flat_map(|i| i.witnesses.iter().filter_map(|w| w.person)),
        );
        let shared = match opts.lang {
            crate::guidance::Lang::Nb => format!(
                "Anmeldelse: {}, {} med SHA-256",
                counted(incidents.len(), "hendelse", "hendelser"),
                counted(listed.len(), "original", "originaler")
            ),
            crate::guidance::Lang::En => format!(
                "Police report: {}, {} by SHA-256",
                counted(incidents.len(), "incident", "incidents"),
                counted(listed.len(), "original", "originals")
            ),
        };
        let notice = if opts.include_private_contacts {
            w.t("police.warning_private_included")
        } else {
            w.t("police.warning_access")
        };
        Ok(self.finish_draft(
            &case,
            opts,
            &w,
            Parts {
                default_to: w.t("police.to_default"),
                notice,
                sections,
                incident_ids: incidents.iter().map(|i| i.id).collect(),
                evidence_ids: listed,
                person_ids,
                recipient_kind: RecipientKind::Police,
                shared,
                answers,
            },
        ))
    }

    /// The latest bundle exported to a recipient (not a self-log) holding every incident.
    fn latest_bundle(&self, case_ref: &str, incidents: &HashSet<i64>) -> Result<Option<BundleRef>> {
        let events = self.audit_log(Some(&format!("case:{case_ref}")))?;
        Ok(events
            .iter()
            .rev()
            .filter(|e| e.action == "bundle.export")
            .filter(|e| e.details["self_log"] != serde_json::Value::Bool(true))
            .find(|e| {
                let held: HashSet<i64> = e.details["incident_ids"]
                    .as_array()
                    .map(|a| a.iter().filter_map(|v| v.as_i64()).collect())
                    .unwrap_or_default();
                incidents.is_subset(&held)
            })
            .map(|e| BundleRef {
                name: e.details["bundle"].as_str().unwrap_or_default().to_string(),
                sums: e.details["sha256sums"]
                    .as_str()
                    .unwrap_or_default()
                    .to_string(),
                fingerprint: e.details["signing_key_fingerprint"]
                    .as_str()
                    .unwrap_or_default()
                    .to_string(),
                time: e.time.clone(),
            }))
    }

    /// When and to whom health services were notified, as a bundle counts it; a concern
    /// report marked sent (its action and its ledger entry, the same minute) once.
    fn health_notifications(&self, case_ref: &str) -> Result<Vec<(String, String)>> {
        let history = self.escalation_history(case_ref)?;
        let ledger = self.disclosures(case_ref)?;
        let mut out: Vec<(String, String)> = crate::bundle::health_records(&history, &ledger)
            .into_iter()
            .map(|r| (r.at, r.to.unwrap_or_else(|| "–".into())))
            .collect();
        out.sort();
        out.dedup_by(|a, b| a.1 == b.1 && a.0.get(..16) == b.0.get(..16));
        Ok(out)
    }

    /// The threat actor a concern report is about, checked to be one in the case.
    pub(super) fn draft_actor(
        &self,
        case_id: i64,
        case_ref: &str,
        id: Option<i64>,
    ) -> Result<Person> {
        let id = id.ok_or(Error::invalid(Invalid::Required {
            field: Field::Person,
        }))?;
        let p = self.person(id)?;
        if p.case_id != case_id {
            return Err(Error::invalid(Invalid::NotInCase {
                field: Field::Person,
                item: Item::new(ItemKind::Person, id),
                case: case_ref.to_string(),
            }));
        }
        if p.kind != PersonKind::ThreatActor {
            return Err(Error::invalid(Invalid::NotAThreatActor { person: id }));
        }
        Ok(p)
    }
}

/// A person's name, or «ukjent».
pub(super) fn display(w: &Words<'_>, p: &Person) -> String {
    match p.name.as_deref().filter(|n| !n.trim().is_empty()) {
        Some(n) if p.known => n.trim().to_string(),
        Some(n) => format!("{} ({n})", w.t("draft.unknown")),
        None => w.t("draft.unknown"),
    }
}

/// The rows describing a threat actor: name, other names and accounts, home municipality,
/// contact details known, description.
pub(super) fn actor_rows(w: &Words<'_>, a: &Person) -> Vec<Row> {
    let mut rows = vec![w.row("draft.name", display(w, a))];
    if !a.aliases.is_empty() {
        rows.push(w.row("draft.aliases", a.aliases.join(", ")));
    }
    rows.push(
        w.row(
            "draft.municipality",
            a.home_municipality
                .as_deref()
                .filter(|m| !m.trim().is_empty())
                .map(str::to_string)
                .unwrap_or_else(|| w.t("draft.unknown")),
        ),
    );
    let contacts: Vec<String> = a.contacts.iter().map(|c| c.value.clone()).collect();
    if !contacts.is_empty() {
        rows.push(w.row("draft.known_contacts", contacts.join(", ")));
    }
    if !a.notes.trim().is_empty() {
        rows.push(w.row("draft.person_description", a.notes.trim()));
    }
    rows
}

/// The names of an incident's witnesses.
pub(super) fn witness_names(i: &Incident, persons: &HashMap<i64, &Person>) -> Vec<String> {
    i.witnesses
        .iter()
        .filter_map(|w| {
            w.name
                .clone()
                .or_else(|| w.person.and_then(|id| persons.get(&id)?.name.clone()))
        })
        .collect()
}

/// Number the sections in order («3. Den anmeldte»): a draft without a health section
/// runs on without a gap.
pub(super) fn number(sections: &mut [Section]) {
    for (n, s) in sections.iter_mut().enumerate() {
        s.heading = format!("{}. {}", n + 1, s.heading);
    }
}

/// `974 760 673` for a 9-digit number; anything else as it is.
fn spaced_org_number(n: &str) -> String {
    if n.len() == 9 && n.bytes().all(|b| b.is_ascii_digit()) {
        format!("{} {} {}", &n[..3], &n[3..6], &n[6..])
    } else {
        n.to_string()
    }
}
