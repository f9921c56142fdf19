//! Recording what the officer did about a prompt, and evaluating a case's prompts with
//! their state.

use rusqlite::{Row, params};
use serde::{Deserialize, Serialize};
use serde_json::json;

use super::{
    ActionKind, CaseFacts, EscalationAction, HEALTH_CONCERN_REPORT, HealthNotice,
    POLICE_REPORT_HEALTH, Prompt, PromptState, evaluate, prompt_state,
};
use crate::browse::Slice;
use crate::error::{Error, Result};
use crate::fields::non_empty;
use crate::guidance::Guidance;
use crate::guidance::contacts::directory;
use crate::guidance::parse_day;
use crate::incidents::parse_occurred;
use crate::invalid::{Field, Invalid};
use crate::locker::Locker;
use crate::model::Case;

/// What the officer did about a prompt.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct PromptAct {
    /// Done, declined or deferred.
    pub action: ActionKind,
    /// When it was done: `YYYY-MM-DD HH:MM` local time (Europe/Oslo) or a date; default now.
    pub at: Option<String>,
    /// By whom; default the locker's actor.
    pub by: Option<String>,
    /// With whom (e.g. "Oslo politidistrikt, Grønland politistasjon").
    pub with_whom: Option<String>,
    /// A reference such as the police case number.
    pub reference: Option<String>,
    /// Why; required when declined.
    pub reason: Option<String>,
    /// Deferred until this day (`YYYY-MM-DD` or `DD.MM.YYYY`), only when deferred.
    pub until: Option<String>,
    /// A note.
    pub note: String,
}

impl PromptAct {
    /// An act of this kind with nothing else filled in.
    pub fn new(action: ActionKind) -> Self {
        PromptAct {
            action,
            at: None,
            by: None,
            with_whom: None,
            reference: None,
            reason: None,
            until: None,
            note: String::new(),
        }
    }
}

const SELECT_ACTION: &str =
    "SELECT id, rule_key, action, acted_at, acted_by, recorded_at, with_whom, reference,
    reason, deferred_until, note, triggers FROM escalation_actions";

fn row_to_action(r: &Row<'_>) -> rusqlite::Result<EscalationAction> {
    Ok(EscalationAction {
        id: r.get(0)?,
        rule_key: r.get(1)?,
        action: r.get(2)?,
        acted_at: r.get(3)?,
        acted_by: r.get(4)?,
        recorded_at: r.get(5)?,
        with_whom: r.get(6)?,
        reference: r.get(7)?,
        reason: r.get(8)?,
        deferred_until: r.get(9)?,
        note: r.get(10)?,
        triggers: crate::persons::json_col(r, 11)?,
    })
}

impl Locker {
    /// Every action recorded on a case's prompts, oldest first.
    pub fn escalation_history(&self, case_ref: &str) -> Result<Vec<EscalationAction>> {
        let case = self.case(case_ref)?;
        let mut stmt = self
            .conn
            .prepare(&format!("{SELECT_ACTION} WHERE case_id = ?1 ORDER BY id"))?;
        let rows = stmt.query_map([case.id], row_to_action)?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// The prompts raised in a case, highest priority first, each with its state. Those
    /// the officer should see now are the ones with [`PromptState::Open`].
    pub fn prompts(&self, case_ref: &str) -> Result<Vec<Prompt>> {
        let case = self.case(case_ref)?;
        let state = self.memo_state(self.guidance()?)?;
        if let Some(kept) = self.memo.prompts(&state, case.id) {
            return Ok(kept);
        }
        let prompts = self.work_out_prompts(&case, &state.guidance, state.today)?;
        self.memo.keep_prompts(&state, case.id, &prompts);
        Ok(prompts)
    }

    /// [`Locker::prompts`], read from the records.
    fn work_out_prompts(
        &self,
        case: &Case,
        guidance: &Guidance,
        today: chrono::NaiveDate,
    ) -> Result<Vec<Prompt>> {
        let case_ref = case.reference.as_str();
        let persons = self.list_persons(case_ref)?;
        let incidents = self.incidents_page(case.id, Slice::WHOLE)?;
        let checklist = self.checklist_entries(guidance, case, &persons)?;
        let contacts = directory(guidance, self.local_contacts()?);
        let mut prompts = evaluate(
            guidance,
            &CaseFacts {
                case,
                persons: &persons,
                incidents: &incidents,
                checklist: &checklist,
                contacts: &contacts,
            },
        );
        let history = self.escalation_history(case_ref)?;
        let notices = self.health_notices(case, &history)?;
        for p in &mut prompts {
            p.last_action = history.iter().rev().find(|a| a.rule_key == p.key).cloned();
            p.state = prompt_state(p, p.last_action.as_ref(), today);
            // Done before with a reference (a police case number) and raised again by new
            // incidents: they go to that case as further information, not a new report.
            if p.state == PromptState::Open
                && let Some(a) = &p.last_action
                && a.action == ActionKind::Done
                && let Some(reference) = a.reference.as_deref().filter(|r| !r.trim().is_empty())
                && let Some(f) = guidance.rule(&p.key).and_then(|r| r.follow_up.as_ref())
            {
                let fill = |t: &crate::guidance::Text| crate::guidance::Text {
                    nb: t.nb.replace("{reference}", reference),
                    en: t.en.replace("{reference}", reference),
                };
                p.title = fill(&f.title);
                p.body = fill(&f.body);
                p.follow_up_of = Some(reference.to_string());
            }
            if p.key == POLICE_REPORT_HEALTH {
                p.details.health_services_notified = notices.clone();
            }
        }
        Ok(prompts)
    }

    /// Open "call 112" prompts of every case that is not closed, with their case: what the
    /// app shows above everything else.
    pub fn open_emergencies(&self) -> Result<Vec<(Case, Prompt)>> {
        let mut out = Vec::new();
        for case in self.list_cases(&crate::cases::CaseFilter::default())? {
            if case.status == crate::model::CaseStatus::Closed {
                continue;
            }
            for prompt in self.open_prompts(&case.reference)? {
                if prompt.key == super::EMERGENCY {
                    out.push((case.clone(), prompt));
                }
            }
        }
        Ok(out)
    }

    /// The prompts that need the officer's attention now.
    pub fn open_prompts(&self, case_ref: &str) -> Result<Vec<Prompt>> {
        Ok(self
            .prompts(case_ref)?
            .into_iter()
            .filter(|p| p.state == PromptState::Open)
            .collect())
    }

    /// Records in the case that health services were notified: a concern report marked
    /// done, or a disclosure to a health recipient.
    fn health_notices(
        &self,
        case: &Case,
        history: &[EscalationAction],
    ) -> Result<Vec<HealthNotice>> {
        let mut out: Vec<HealthNotice> = history
            .iter()
            .filter(|a| a.rule_key == HEALTH_CONCERN_REPORT && a.action == ActionKind::Done)
            .map(|a| HealthNotice {
                at: a.acted_at.clone(),
                by: a.acted_by.clone(),
                to: a.with_whom.clone(),
                recorded_as: format!("escalation:{}", a.id),
            })
            .collect();
        let mut stmt = self.conn.prepare(
            "SELECT id, disclosed_at, disclosed_by, recipient FROM disclosures
             WHERE case_id = ?1 AND recipient_kind = 'health' ORDER BY disclosed_at, id",
        )?;
        let rows = stmt.query_map([case.id], |r| {
            Ok(HealthNotice {
                recorded_as: format!("disclosure:{}", r.get::<_, i64>(0)?),
                at: r.get(1)?,
                by: r.get(2)?,
                to: r.get(3)?,
            })
        })?;
        for n in rows {
            out.push(n?);
        }
        Ok(out)
    }

    /// Record what the officer did about a prompt. Any rule can be acted on, raised or
    /// not (e.g. a report made before Varde asked); the prompt's current triggers are
    /// recorded, so only something new raises it again.
    pub fn act_on_prompt(
        &mut self,
        case_ref: &str,
        key: &str,
        act: PromptAct,
    ) -> Result<EscalationAction> {
        let case = self.case(case_ref)?;
        let key = key.trim();
        if self.guidance()?.rule(key).is_none() {
            return Err(Error::not_found(crate::invalid::ItemKind::Rule, key));
        }
        let reason = non_empty(act.reason.as_deref());
        if act.action == ActionKind::Declined && reason.is_none() {
            return Err(Error::invalid(Invalid::Required {
                field: Field::Reason,
            }));
        }
        let today = self.clock.now().date_naive();
        let until = match non_empty(act.until.as_deref()) {
            None => None,
            Some(_) if act.action != ActionKind::Deferred => {
                return Err(Error::invalid(Invalid::UntilOnlyWhenDeferred));
            }
            Some(u) => {
                let d = parse_day(&u, Field::Until)?;
                if d <= today {
                    return Err(Error::invalid(Invalid::NotAfterToday {
                        field: Field::Until,
                        value: d.to_string(),
                    }));
                }
                Some(d.format("%Y-%m-%d").to_string())
            }
        };
        let acted_at = match non_empty(act.at.as_deref()) {
            None => None,
            Some(at) => {
                let occ = parse_occurred(&at, None, false).map_err(|e| e.for_field(Field::At))?;
                let when =
                    chrono::DateTime::parse_from_rfc3339(&occ.utc).map_err(Error::internal)?;
                if when > self.clock.now() + chrono::Duration::minutes(10) {
                    return Err(Error::invalid(Invalid::InFuture {
                        field: Field::At,
                        value: at.to_string(),
                    }));
                }
                Some(occ.utc)
            }
        };
        let triggers: Vec<String> = self
            .prompts(case_ref)?
            .into_iter()
            .find(|p| p.key == key)
            .map(|p| p.subjects().into_iter().collect())
            .unwrap_or_default();
        let by = non_empty(act.by.as_deref());
        let with_whom = non_empty(act.with_whom.as_deref());
        let reference = non_empty(act.reference.as_deref());
        let id = self.write(|w| {
            let id = insert_action(
                w,
                &case,
                &NewAction {
                    key,
                    action: act.action,
                    acted_at: acted_at.clone(),
                    acted_by: by.clone(),
                    with_whom: with_whom.clone(),
                    reference: reference.clone(),
                    reason: reason.clone(),
                    until: until.clone(),
                    note: act.note.trim(),
                    triggers: &triggers,
                },
            )?;
            Ok(id)
        })?;
        Ok(self.conn.query_row(
            &format!("{SELECT_ACTION} WHERE id = ?1"),
            [id],
            row_to_action,
        )?)
    }
}

/// An action on a prompt, ready to be written.
pub(crate) struct NewAction<'a> {
    pub key: &'a str,
    pub action: ActionKind,
    /// When it was done (RFC 3339); default: now.
    pub acted_at: Option<String>,
    /// By whom; default: the locker's owner.
    pub acted_by: Option<String>,
    pub with_whom: Option<String>,
    pub reference: Option<String>,
    pub reason: Option<String>,
    pub until: Option<String>,
    pub note: &'a str,
    /// The prompt's subjects at the time (`incident:N`, ...).
    pub triggers: &'a [String],
}

/// Write an action on a prompt and its audit event in the write `w`; its id.
pub(crate) fn insert_action(
    w: &mut crate::locker::Write<'_>,
    case: &Case,
    a: &NewAction<'_>,
) -> Result<i64> {
    w.tx.execute(
        "INSERT INTO escalation_actions (case_id, rule_key, action, acted_at, acted_by, recorded_at,
           with_whom, reference, reason, deferred_until, note, triggers)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12)",
        params![
            case.id,
            a.key,
            a.action,
            a.acted_at.clone().unwrap_or_else(|| w.time.clone()),
            a.acted_by.clone().unwrap_or_else(|| w.actor.clone()),
            w.time,
            a.with_whom,
            a.reference,
            a.reason,
            a.until,
            a.note,
            serde_json::to_string(a.triggers).unwrap_or_else(|_| "[]".into()),
        ],
    )?;
    let id = w.tx.last_insert_rowid();
    w.audit(
        "escalation.act",
        &format!("case:{}", case.reference),
        json!({
            "action_id": id,
            "rule": a.key,
            "action": a.action.as_str(),
            "deferred_until": a.until,
            "reference": a.reference,
            "triggers": a.triggers,
        }),
    )?;
    Ok(id)
}
