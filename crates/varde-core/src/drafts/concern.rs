//! The concern report draft (bekymringsmelding) to health services about a threat actor,
//! as the guide describes it (seed 004, «Varsle helse»): addressed to the municipal chief
//! medical officer (kommuneoverlegen) in the person's home municipality, or their GP; who
//! it concerns, the dated and quoted observations, why there is concern, whether the police
//! have been told, and who sends it.
//!
//! The draft says what the sources say about such a report: it may be sent (not must), it
//! goes one way (health services are bound by confidentiality), and it may go into the
//! person's health record, which the person can read.

use super::police::{actor_rows, display};
use super::{Block, Draft, DraftOptions, Parts, Section, Words};
use crate::bundle::text::counted;
use crate::error::Result;
use crate::guidance::escalation::{HEALTH_CONCERN_REPORT, NON_EMERGENCY, POLICE_REPORT};
use crate::guidance::{ActionKind, Lang, RecipientKind};
use crate::locker::Locker;

impl Locker {
    pub(super) fn concern_report_draft(
        &self,
        case_ref: &str,
        opts: &DraftOptions,
    ) -> Result<Draft> {
        let case = self.case(case_ref)?;
        let actor = self.draft_actor(case.id, &case.reference, opts.person_id)?;
        let guidance = self.guidance()?;
        let w = Words::new(&guidance.documents, opts.lang);
        let profile = self.profile()?;
        let incidents: Vec<_> = self
            .list_incidents(&case.reference)?
            .into_iter()
            .filter(|i| i.actor_id == Some(actor.id))
            .collect();

        let mut sections = vec![Section {
            heading: w.t("concern.person"),
            blocks: vec![Block::Rows {
                rows: actor_rows(&w, &actor),
            }],
        }];

        let mut observed = vec![Block::Paragraph {
            text: format!("{} {}", w.t("police.events_intro"), w.t("draft.times")),
        }];
        if incidents.is_empty() {
            observed = vec![Block::Paragraph {
                text: w.t("concern.no_incidents"),
            }];
        }
        for (n, i) in incidents.iter().enumerate() {
            observed.extend(w.incident_blocks(n + 1, i, None));
        }
        sections.push(Section {
            heading: w.t("concern.observations"),
            blocks: observed,
        });

        sections.push(Section {
            heading: w.t("concern.why"),
            blocks: vec![if actor.health_observations.trim().is_empty() {
                Block::Paragraph {
                    text: w.t("concern.why_missing"),
                }
            } else {
                Block::Quote {
                    text: actor.health_observations.trim().to_string(),
                }
            }],
        });

        // Whether the police know: a report marked done (with its case number), else a
        // contact on 02800 or any disclosure to the police.
        let history = self.escalation_history(&case.reference)?;
        let reported = history
            .iter()
            .rev()
            .find(|a| a.rule_key == POLICE_REPORT && a.action == ActionKind::Done);
        let told = history
            .iter()
            .rev()
            .find(|a| a.rule_key == NON_EMERGENCY && a.action == ActionKind::Done)
            .map(|a| a.acted_at.clone())
            .or_else(|| {
                self.disclosures(&case.reference)
                    .ok()?
                    .into_iter()
                    .rev()
                    .find(|d| d.recipient_kind == RecipientKind::Police)
                    .map(|d| d.disclosed_at)
            });
        let police = match (reported, told) {
            (Some(a), _) => {
                let reference = a
                    .reference
                    .as_deref()
                    .map(|r| w.f("concern.police_case", &[("reference", r)]))
                    .unwrap_or_default();
                w.f(
                    "concern.police_reported",
                    &[("time", &w.instant(&a.acted_at)), ("reference", &reference)],
                )
            }
            (None, Some(at)) => w.f("concern.police_told", &[("time", &w.instant(&at))]),
            (None, None) => w.t("concern.police_not_told"),
        };
        sections.push(Section {
            heading: w.t("concern.police"),
            blocks: vec![Block::Paragraph { text: police }],
        });

        sections.push(Section {
            heading: w.t("concern.sender"),
            blocks: vec![Block::Rows {
                rows: vec![
                    w.row("draft.organisation", w.or_blank(&profile.org_name)),
                    w.row("draft.address", w.or_blank(&profile.org_address)),
                    w.row("draft.contact_person", w.or_blank(&profile.owner)),
                    w.row("draft.phone", w.or_blank(&profile.contact_phone)),
                    w.row("draft.email", w.or_blank(&profile.contact_email)),
                ],
            }],
        });
        sections.push(Section {
            heading: w.t("concern.signature"),
            blocks: vec![Block::Signature {
                labels: vec![w.t("draft.place_date"), w.t("draft.signature")],
            }],
        });
        let default_to = match actor
            .home_municipality
            .as_deref()
            .filter(|m| !m.trim().is_empty())
        {
            Some(m) => w.f("concern.to_default", &[("municipality", m.trim())]),
            None => w.t("concern.to_unknown"),
        };
        let name = display(&w, &actor);
        let shared = match opts.lang {
            Lang::Nb => format!(
                "Bekymringsmelding om {name}: {}",
                counted(incidents.len(), "hendelse", "hendelser")
            ),
            Lang::En => format!(
                "Concern report about {name}: {}",
                counted(incidents.len(), "incident", "incidents")
            ),
        };
        Ok(self.finish_draft(
            &case,
            opts,
            &w,
            Parts {
                default_to,
                notice: w.t("concern.about"),
                sections,
                incident_ids: incidents.iter().map(|i| i.id).collect(),
                evidence_ids: Vec::new(),
                person_ids: vec![actor.id],
                recipient_kind: RecipientKind::Health,
                shared,
                answers: vec![HEALTH_CONCERN_REPORT.to_string()],
            },
        ))
    }
}
