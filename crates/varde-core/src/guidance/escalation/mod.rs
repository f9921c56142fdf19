//! Escalation: rules evaluated over a case's incidents, persons and checklist, and what the
//! officer did about each prompt.
//!
//! The texts of each rule are data (`escalation.toml`); the conditions are here, matched
//! by the rule's stable key:
//!
//! | key | raised when |
//! |---|---|
//! | `emergency_112` | an incident is marked as an ongoing emergency (always first) |
//! | `police_report` | an incident is perceived as threatening, frightening or bothersome, or targets individuals, or is *persistent* |
//! | `police_report_health_details` | a threat actor with a health concern has an incident perceived as threatening, frightening or bothersome; the prompt gathers that actor's incidents, wording and the observations |
//! | `health_concern_report` | a threat actor has a health concern; the contacts serving the actor's home municipality are attached |
//! | `police_non_emergency_02800` | the case has incidents and none is an ongoing emergency (always available then) |
//! | `public_appearance_notify` | the case is not closed and its linked checklist item (`employee.notify_before_public_appearance`) is not started for an employee |
//! | `health_concern_municipality_missing` | a threat actor has a health concern and no home municipality |
//!
//! **Persistent**: two or more incidents in the case attributed to the same threat actor
//! (the same `actor_id`), or from the same sender (the same number, address or handle,
//! compared by [`crate::incidents::sender_key`]) whether or not anyone is linked to them —
//! repeated contact is persistent before anyone knows who is behind it.
//!
//! **Acting and re-raising**: each prompt carries its *triggers* — the incidents and
//! persons (or checklist rows) that raised it. Acting on a prompt (done, declined,
//! deferred) records the triggers at that moment. The prompt stays quiet until it is raised
//! by a trigger that was not among them: a new incident that meets the rule, or an older
//! one that was edited so that it now does (compared by incident id, not by time, so it
//! holds with a wrong clock). A prompt deferred to a date opens again on that date.

use std::collections::{BTreeMap, BTreeSet};

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use super::checklist::{ChecklistEntry, ChecklistState};
use super::contacts::DirectoryEntry;
use super::content::{Guidance, Rule, Severity, Source, Text};
use crate::model::{Case, CaseStatus, Channel, Incident, Perception, Person, PersonKind, str_enum};

pub(crate) mod act;
#[cfg(test)]
mod tests;

pub use act::PromptAct;
pub(crate) use act::{NewAction, insert_action};

/// Call 112 now.
pub const EMERGENCY: &str = "emergency_112";
/// Report to the police.
pub const POLICE_REPORT: &str = "police_report";
/// Report, and include the health concern.
pub const POLICE_REPORT_HEALTH: &str = "police_report_health_details";
/// A concern report to the municipal doctor.
pub const HEALTH_CONCERN_REPORT: &str = "health_concern_report";
/// Non-emergency police contact, 02800.
pub const NON_EMERGENCY: &str = "police_non_emergency_02800";
/// Agree that the employee tells the officer before public appearances.
pub const PUBLIC_APPEARANCE: &str = "public_appearance_notify";
/// Ask for the actor's home municipality.
pub const MUNICIPALITY_MISSING: &str = "health_concern_municipality_missing";

/// Every rule key Varde has a condition for.
pub const RULE_KEYS: [&str; 7] = [
    EMERGENCY,
    POLICE_REPORT,
    POLICE_REPORT_HEALTH,
    HEALTH_CONCERN_REPORT,
    NON_EMERGENCY,
    PUBLIC_APPEARANCE,
    MUNICIPALITY_MISSING,
];

/// The checklist item the public-appearance prompt links to when its rule names none.
const PUBLIC_APPEARANCE_ITEM: &str = "employee.notify_before_public_appearance";

str_enum!(
    /// What the officer did about a prompt.
    ActionKind {
        /// Done: called, reported, sent.
        Done,
        /// Decided against, with a reason.
        Declined,
        /// Put off, optionally to a date.
        Deferred,
    }
);

str_enum!(
    /// Where a raised prompt stands.
    PromptState {
        /// Needs the officer's attention.
        Open,
        /// Done, and nothing new has raised it since.
        Done,
        /// Declined, and nothing new has raised it since.
        Declined,
        /// Deferred, and neither its date nor anything new has come.
        Deferred,
    }
);

/// Why a prompt was raised: one fact about the case.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Trigger {
    /// The incident is marked as an ongoing emergency.
    OngoingEmergency {
        /// The incident.
        incident: i64,
    },
    /// The case has incidents (and no emergency).
    IncidentsLogged {
        /// How many.
        count: usize,
    },
    /// The incident was perceived as threatening, frightening or bothersome.
    Perceived {
        /// The incident.
        incident: i64,
        /// How.
        perceived: Vec<Perception>,
    },
    /// The incident is directed at individuals, named or not.
    TargetsIndividuals {
        /// The incident.
        incident: i64,
    },
    /// The incident is one of several from the same threat actor.
    Persistent {
        /// The incident.
        incident: i64,
        /// The threat actor (a person id).
        actor: i64,
        /// How many incidents in the case are attributed to that actor.
        incidents_from_actor: usize,
    },
    /// The incident is one of several from the same sender (number, address, handle),
    /// and not already persistent through its threat actor.
    PersistentSender {
        /// The incident.
        incident: i64,
        /// The sender, as recorded on the first of them.
        sender: String,
        /// How many incidents in the case came from that sender.
        incidents_from_sender: usize,
    },
    /// A threat actor has a mental-health concern.
    HealthConcern {
        /// The threat actor.
        person: i64,
    },
    /// A threat actor has a health concern and a threatening, frightening or bothersome incident.
    ThreatsWithHealthConcern {
        /// The threat actor.
        person: i64,
        /// The incident.
        incident: i64,
    },
    /// A threat actor with a health concern has no home municipality recorded.
    MunicipalityMissing {
        /// The threat actor.
        person: i64,
    },
    /// A checklist item is not started.
    ChecklistOpen {
        /// The item.
        item: String,
        /// The employee, or `None` for the case.
        person: Option<i64>,
    },
}

impl Trigger {
    /// What a trigger is about, for comparing a prompt's triggers with those recorded when
    /// it was acted on: `incident:N`, `person:N`, `checklist:KEY:N`; `None` for a fact that
    /// cannot be new (the case has incidents).
    pub fn subject(&self) -> Option<String> {
        match self {
            Trigger::OngoingEmergency { incident }
            | Trigger::Perceived { incident, .. }
            | Trigger::TargetsIndividuals { incident }
            | Trigger::Persistent { incident, .. }
            | Trigger::PersistentSender { incident, .. }
            | Trigger::ThreatsWithHealthConcern { incident, .. } => {
                Some(format!("incident:{incident}"))
            }
            Trigger::HealthConcern { person } | Trigger::MunicipalityMissing { person } => {
                Some(format!("person:{person}"))
            }
            Trigger::ChecklistOpen { item, person } => {
                Some(format!("checklist:{item}:{}", person.unwrap_or(0)))
            }
            Trigger::IncidentsLogged { .. } => None,
        }
    }

    /// The incident it is about, if any.
    pub fn incident(&self) -> Option<i64> {
        match self {
            Trigger::OngoingEmergency { incident }
            | Trigger::Perceived { incident, .. }
            | Trigger::TargetsIndividuals { incident }
            | Trigger::Persistent { incident, .. }
            | Trigger::PersistentSender { incident, .. }
            | Trigger::ThreatsWithHealthConcern { incident, .. } => Some(*incident),
            _ => None,
        }
    }
}

/// What an incident said, gathered for a police report.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct Statement {
    /// The incident.
    pub incident_id: i64,
    /// When, local time as logged.
    pub occurred_local: String,
    /// The zone of `occurred_local`.
    pub occurred_tz: String,
    /// How it came.
    pub channel: Channel,
    /// Where.
    pub place: String,
    /// What happened.
    pub description: String,
    /// The exact words, if recorded.
    pub wording: Option<String>,
    /// How it was perceived.
    pub perceived: Vec<Perception>,
}

/// A threat actor with a health concern, for the health prompts.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct ActorConcern {
    /// The person.
    pub person_id: i64,
    /// The name to show.
    pub name: String,
    /// Home municipality, if known.
    pub home_municipality: Option<String>,
    /// What gives reason for the concern.
    pub observations: String,
    /// Directory entries serving the home municipality.
    pub contacts: Vec<DirectoryEntry>,
}

/// A record that health services were notified about the case.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct HealthNotice {
    /// When.
    pub at: String,
    /// By whom.
    pub by: String,
    /// To whom.
    pub to: Option<String>,
    /// Where Varde found it: `escalation:<id>` or `disclosure:<id>`.
    pub recorded_as: String,
}

/// Facts gathered for the officer with a prompt.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct PromptDetails {
    /// The threat actors with a health concern (health prompts).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub actors: Vec<ActorConcern>,
    /// Every incident from those actors, with its wording (`police_report_health_details`).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub statements: Vec<Statement>,
    /// Whether health services were notified, for the police report to say
    /// (`police_report_health_details`); empty: not recorded in Varde.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub health_services_notified: Vec<HealthNotice>,
}

/// What the officer recorded about a prompt.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct EscalationAction {
    /// Local id.
    pub id: i64,
    /// The rule.
    pub rule_key: String,
    /// Done, declined or deferred.
    pub action: ActionKind,
    /// When it was done (RFC 3339).
    pub acted_at: String,
    /// By whom.
    pub acted_by: String,
    /// When it was recorded.
    pub recorded_at: String,
    /// With whom (e.g. the police station, the municipal doctor's office).
    pub with_whom: Option<String>,
    /// A reference such as the police case number.
    pub reference: Option<String>,
    /// Why (required when declined).
    pub reason: Option<String>,
    /// Deferred until this day (`YYYY-MM-DD`).
    pub deferred_until: Option<String>,
    /// A note.
    pub note: String,
    /// The prompt's trigger subjects when it was acted on.
    pub triggers: Vec<String>,
}

/// An evaluated prompt.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct Prompt {
    /// The rule's stable key.
    pub key: String,
    /// Higher is shown first.
    pub priority: i64,
    /// How urgent.
    pub severity: Severity,
    /// Headline.
    pub title: Text,
    /// Text.
    pub body: Text,
    /// The number to call.
    pub phone: Option<String>,
    /// Where the advice comes from.
    pub source: Source,
    /// The checklist item it links to.
    pub checklist_item: Option<String>,
    /// Why it was raised.
    pub triggers: Vec<Trigger>,
    /// Facts gathered for the officer.
    pub details: PromptDetails,
    /// Where it stands.
    pub state: PromptState,
    /// The latest action on it, if any.
    pub last_action: Option<EscalationAction>,
    /// Raised again after it was done with this reference number: its words then say to
    /// add to that case (the rule's `follow_up`), not to start a new one.
    pub follow_up_of: Option<String>,
}

impl Prompt {
    /// The incidents that raised it, without repeats, in id order.
    pub fn incident_ids(&self) -> Vec<i64> {
        self.triggers
            .iter()
            .filter_map(Trigger::incident)
            .collect::<BTreeSet<_>>()
            .into_iter()
            .collect()
    }

    /// The trigger subjects (see [`Trigger::subject`]).
    pub fn subjects(&self) -> BTreeSet<String> {
        self.triggers.iter().filter_map(Trigger::subject).collect()
    }
}

/// What the rules look at.
#[derive(Debug, Clone, Copy)]
pub struct CaseFacts<'a> {
    /// The case.
    pub case: &'a Case,
    /// Its persons.
    pub persons: &'a [Person],
    /// Its incidents.
    pub incidents: &'a [Incident],
    /// Its checklist.
    pub checklist: &'a [ChecklistEntry],
    /// The contacts directory.
    pub contacts: &'a [DirectoryEntry],
}

fn statement(i: &Incident) -> Statement {
    Statement {
        incident_id: i.id,
        occurred_local: i.occurred_local.clone(),
        occurred_tz: i.occurred_tz.clone(),
        channel: i.channel,
        place: i.place.clone(),
        description: i.description.clone(),
        wording: i.wording.clone(),
        perceived: i.perceived.clone(),
    }
}

fn concerned_actors<'a>(f: &CaseFacts<'a>) -> impl Iterator<Item = &'a Person> {
    f.persons
        .iter()
        .filter(|p| p.kind == PersonKind::ThreatActor && p.health_concern)
}

fn actor_concern(p: &Person, contacts: &[DirectoryEntry]) -> ActorConcern {
    let home = p.home_municipality.clone().filter(|m| !m.trim().is_empty());
    ActorConcern {
        person_id: p.id,
        name: p.display_name(),
        contacts: home
            .as_deref()
            .map(|m| contacts.iter().filter(|c| c.serves(m)).cloned().collect())
            .unwrap_or_default(),
        home_municipality: home,
        observations: p.health_observations.clone(),
    }
}

/// The triggers and details of one rule over a case; no triggers: not raised.
fn conditions(key: &str, rule: &Rule, f: &CaseFacts<'_>) -> (Vec<Trigger>, PromptDetails) {
    let mut details = PromptDetails::default();
    let mut t = Vec::new();
    match key {
        EMERGENCY => {
            t.extend(
                f.incidents
                    .iter()
                    .filter(|i| i.ongoing_emergency)
                    .map(|i| Trigger::OngoingEmergency { incident: i.id }),
            );
        }
        NON_EMERGENCY
            if !f.incidents.is_empty() && !f.incidents.iter().any(|i| i.ongoing_emergency) =>
        {
            t.push(Trigger::IncidentsLogged {
                count: f.incidents.len(),
            });
        }
        POLICE_REPORT => {
            let mut per_actor: BTreeMap<i64, usize> = BTreeMap::new();
            for a in f.incidents.iter().filter_map(|i| i.actor_id) {
                *per_actor.entry(a).or_default() += 1;
            }
            let groups = crate::incidents::by_sender(f.incidents);
            let sender_of: BTreeMap<i64, &crate::incidents::SenderGroup> = groups
                .iter()
                .flat_map(|g| g.incident_ids.iter().map(move |id| (*id, g)))
                .collect();
            for i in f.incidents {
                if !i.perceived.is_empty() {
                    t.push(Trigger::Perceived {
                        incident: i.id,
                        perceived: i.perceived.clone(),
                    });
                }
                if i.targets_individuals {
                    t.push(Trigger::TargetsIndividuals { incident: i.id });
                }
                if let Some(actor) = i.actor_id
                    && let Some(&n) = per_actor.get(&actor)
                    && n >= 2
                {
                    t.push(Trigger::Persistent {
                        incident: i.id,
                        actor,
                        incidents_from_actor: n,
                    });
                } else if let Some(g) = sender_of.get(&i.id)
                    && g.incident_ids.len() >= 2
                {
                    t.push(Trigger::PersistentSender {
                        incident: i.id,
                        sender: g.sender.clone(),
                        incidents_from_sender: g.incident_ids.len(),
                    });
                }
            }
        }
        POLICE_REPORT_HEALTH => {
            for p in concerned_actors(f) {
                let theirs: Vec<&Incident> = f
                    .incidents
                    .iter()
                    .filter(|i| i.actor_id == Some(p.id))
                    .collect();
                let threats: Vec<Trigger> = theirs
                    .iter()
                    .filter(|i| !i.perceived.is_empty())
                    .map(|i| Trigger::ThreatsWithHealthConcern {
                        person: p.id,
                        incident: i.id,
                    })
                    .collect();
                if !threats.is_empty() {
                    t.extend(threats);
                    details.actors.push(actor_concern(p, f.contacts));
                    details
                        .statements
                        .extend(theirs.iter().map(|i| statement(i)));
                }
            }
        }
        HEALTH_CONCERN_REPORT => {
            for p in concerned_actors(f) {
                t.push(Trigger::HealthConcern { person: p.id });
                details.actors.push(actor_concern(p, f.contacts));
            }
        }
        MUNICIPALITY_MISSING => {
            for p in concerned_actors(f) {
                if p.home_municipality
                    .as_deref()
                    .is_none_or(|m| m.trim().is_empty())
                {
                    t.push(Trigger::MunicipalityMissing { person: p.id });
                    details.actors.push(actor_concern(p, f.contacts));
                }
            }
        }
        PUBLIC_APPEARANCE if f.case.status != CaseStatus::Closed => {
            let item = rule.checklist.as_deref().unwrap_or(PUBLIC_APPEARANCE_ITEM);
            t.extend(
                f.checklist
                    .iter()
                    .filter(|e| e.item.key == item && e.state == ChecklistState::NotStarted)
                    .map(|e| Trigger::ChecklistOpen {
                        item: item.to_string(),
                        person: e.person_id,
                    }),
            );
        }
        _ => {}
    }
    (t, details)
}

/// Evaluate every rule over a case. Returns the raised prompts, highest priority first
/// (so an emergency is always first), all `Open` and without actions.
pub fn evaluate(guidance: &Guidance, facts: &CaseFacts<'_>) -> Vec<Prompt> {
    let mut out: Vec<Prompt> = guidance
        .rules
        .iter()
        .filter_map(|rule| {
            let (triggers, details) = conditions(&rule.key, rule, facts);
            (!triggers.is_empty()).then(|| Prompt {
                key: rule.key.clone(),
                priority: rule.priority,
                severity: rule.severity,
                title: rule.title.clone(),
                body: rule.body.clone(),
                phone: rule.phone.clone(),
                source: rule.source.clone(),
                checklist_item: rule.checklist.clone(),
                triggers,
                details,
                state: PromptState::Open,
                last_action: None,
                follow_up_of: None,
            })
        })
        .collect();
    out.sort_by(|a, b| {
        (a.key != EMERGENCY, -a.priority, &a.key).cmp(&(b.key != EMERGENCY, -b.priority, &b.key))
    });
    out
}

/// Where a prompt stands given the latest action on it and today's date.
pub fn prompt_state(
    prompt: &Prompt,
    action: Option<&EscalationAction>,
    today: NaiveDate,
) -> PromptState {
    let Some(a) = action else {
        return PromptState::Open;
    };
    let acted: BTreeSet<&str> = a.triggers.iter().map(String::as_str).collect();
    if prompt
        .subjects()
        .iter()
        .any(|s| !acted.contains(s.as_str()))
    {
        return PromptState::Open;
    }
    match a.action {
        ActionKind::Done => PromptState::Done,
        ActionKind::Declined => PromptState::Declined,
        ActionKind::Deferred => {
            let due = a
                .deferred_until
                .as_deref()
                .and_then(|d| NaiveDate::parse_from_str(d, "%Y-%m-%d").ok())
                .is_some_and(|d| d <= today);
            if due {
                PromptState::Open
            } else {
                PromptState::Deferred
            }
        }
    }
}
