//! The advice checklist of a case.
//!
//! Employee items are tracked per threatened employee (a person of kind `employee`);
//! employer items once per case. A case with no employee registered yet tracks its
//! employee items once for the case, and keeps showing those case-level states after an
//! employee is added, so nothing recorded disappears.

use rusqlite::{OptionalExtension, params};
use serde::{Deserialize, Serialize};
use serde_json::json;

use super::content::{Audience, ChecklistItem, Guidance};
use crate::error::{Error, Result};
use crate::invalid::Invalid;
use crate::locker::Locker;
use crate::model::{Case, Person, PersonKind, str_enum};

str_enum!(
    /// Where a checklist item stands.
    ChecklistState {
        /// Not yet done (the default).
        NotStarted,
        /// Done.
        Done,
        /// Does not apply in this case.
        NotRelevant,
    }
);

/// One item of a case's checklist, for one employee or for the case.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct ChecklistEntry {
    /// The item and its texts.
    pub item: ChecklistItem,
    /// The threatened employee it is tracked for; `None` for the case as a whole.
    pub person_id: Option<i64>,
    /// That employee's name.
    pub person_name: Option<String>,
    /// Where it stands.
    pub state: ChecklistState,
    /// A note.
    pub note: String,
    /// Who last set it.
    pub set_by: Option<String>,
    /// When it was last set.
    pub set_at: Option<String>,
}

/// How far a checklist has come: items done or not relevant, of all.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct ChecklistProgress {
    /// Entries done.
    pub done: usize,
    /// Entries marked not relevant.
    pub not_relevant: usize,
    /// All entries.
    pub total: usize,
}

impl ChecklistProgress {
    /// Count the entries.
    pub fn of(entries: &[ChecklistEntry]) -> Self {
        let count = |s| entries.iter().filter(|e| e.state == s).count();
        ChecklistProgress {
            done: count(ChecklistState::Done),
            not_relevant: count(ChecklistState::NotRelevant),
            total: entries.len(),
        }
    }

    /// Entries settled: done or not relevant.
    pub fn settled(&self) -> usize {
        self.done + self.not_relevant
    }

    /// Settled entries as a whole percentage of all (100 for an empty checklist).
    pub fn percent(&self) -> u32 {
        (self.settled() * 100)
            .checked_div(self.total)
            .map_or(100, |p| u32::try_from(p).unwrap_or(100))
    }
}

/// A case's checklist.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct Checklist {
    /// The case.
    pub case_reference: String,
    /// Per employee (employee items), then for the case, then employer items.
    pub entries: Vec<ChecklistEntry>,
    /// How far it has come.
    pub progress: ChecklistProgress,
}

struct Stored {
    person_id: Option<i64>,
    key: String,
    state: ChecklistState,
    note: String,
    set_by: String,
    set_at: String,
}

fn entry(item: &ChecklistItem, person: Option<&Person>, stored: &[Stored]) -> ChecklistEntry {
    let pid = person.map(|p| p.id);
    let s = stored
        .iter()
        .find(|s| s.key == item.key && s.person_id == pid);
    ChecklistEntry {
        item: item.clone(),
        person_id: pid,
        person_name: person.map(Person::display_name),
        state: s.map_or(ChecklistState::NotStarted, |s| s.state),
        note: s.map(|s| s.note.clone()).unwrap_or_default(),
        set_by: s.map(|s| s.set_by.clone()),
        set_at: s.map(|s| s.set_at.clone()),
    }
}

impl Locker {
    fn stored_states(&self, case_id: i64) -> Result<Vec<Stored>> {
        let mut stmt = self.conn.prepare(
            "SELECT person_id, item_key, state, note, set_by, set_at FROM checklist_states WHERE case_id = ?1",
        )?;
        let rows = stmt.query_map([case_id], |r| {
            Ok(Stored {
                person_id: r.get(0)?,
                key: r.get(1)?,
                state: r.get(2)?,
                note: r.get(3)?,
                set_by: r.get(4)?,
                set_at: r.get(5)?,
            })
        })?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// The entries of a case's checklist, given what is already loaded.
    pub(crate) fn checklist_entries(
        &self,
        guidance: &Guidance,
        case: &Case,
        persons: &[Person],
    ) -> Result<Vec<ChecklistEntry>> {
        let stored = self.stored_states(case.id)?;
        let employees: Vec<&Person> = persons
            .iter()
            .filter(|p| p.kind == PersonKind::Employee)
            .collect();
        let employee_items: Vec<&ChecklistItem> = guidance
            .checklist
            .iter()
            .filter(|i| i.audience == Audience::Employee)
            .collect();
        let mut out = Vec::new();
        for p in &employees {
            out.extend(employee_items.iter().map(|i| entry(i, Some(p), &stored)));
        }
        for i in &employee_items {
            let case_level = stored
                .iter()
                .any(|s| s.key == i.key && s.person_id.is_none());
            if employees.is_empty() || case_level {
                out.push(entry(i, None, &stored));
            }
        }
        out.extend(
            guidance
                .checklist
                .iter()
                .filter(|i| i.audience == Audience::Employer)
                .map(|i| entry(i, None, &stored)),
        );
        Ok(out)
    }

    /// A case's checklist with its progress.
    pub fn checklist(&self, case_ref: &str) -> Result<Checklist> {
        let case = self.case(case_ref)?;
        let persons = self.list_persons(case_ref)?;
        let entries = self.checklist_entries(&self.guidance()?, &case, &persons)?;
        Ok(Checklist {
            case_reference: case.reference,
            progress: ChecklistProgress::of(&entries),
            entries,
        })
    }

    /// Set a checklist item's state (and note; `None` keeps the note as it is).
    ///
    /// Employee items are set for a threatened employee: `person_id`, or the case's only
    /// employee when it is left out, or the case itself when no employee is registered.
    /// Employer items are set for the case and take no person.
    pub fn set_checklist_item(
        &mut self,
        case_ref: &str,
        person_id: Option<i64>,
        key: &str,
        state: ChecklistState,
        note: Option<&str>,
    ) -> Result<ChecklistEntry> {
        let case = self.case(case_ref)?;
        let guidance = self.guidance()?;
        let item = guidance
            .item(key.trim())
            .ok_or_else(|| Error::not_found(crate::invalid::ItemKind::ChecklistItem, key))?
            .clone();
        let persons = self.list_persons(case_ref)?;
        let employees: Vec<&Person> = persons
            .iter()
            .filter(|p| p.kind == PersonKind::Employee)
            .collect();
        let person: Option<&Person> = match (item.audience, person_id) {
            (Audience::Employer, None) => None,
            (Audience::Employer, Some(_)) => {
                return Err(Error::invalid(Invalid::EmployerItem {
                    key: key.to_string(),
                }));
            }
            (Audience::Employee, Some(id)) => {
                Some(*employees.iter().find(|p| p.id == id).ok_or_else(|| {
                    Error::invalid(Invalid::NotAnEmployee {
                        person: id,
                        case: case.reference.clone(),
                    })
                })?)
            }
            (Audience::Employee, None) => match employees.as_slice() {
                [] => None,
                [only] => Some(*only),
                many => {
                    let ids: Vec<String> = many.iter().map(|p| p.id.to_string()).collect();
                    return Err(Error::invalid(Invalid::WhichEmployee {
                        case: case.reference.clone(),
                        ids: ids.join(", "),
                    }));
                }
            },
        };
        let pid = person.map(|p| p.id);
        let existing: Option<(i64, ChecklistState, String)> = self
            .conn
            .query_row(
                "SELECT id, state, note FROM checklist_states
                 WHERE case_id = ?1 AND ifnull(person_id, 0) = ifnull(?2, 0) AND item_key = ?3",
                params![case.id, pid, item.key],
                |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
            )
            .optional()?;
        let new_note = note
            .map(|n| n.trim().to_string())
            .or_else(|| existing.as_ref().map(|e| e.2.clone()))
            .unwrap_or_default();
        let from = existing
            .as_ref()
            .map_or(ChecklistState::NotStarted, |e| e.1);
        let unchanged = existing
            .as_ref()
            .is_some_and(|e| e.1 == state && e.2 == new_note);
        if !unchanged {
            self.write(|w| {
                match &existing {
                    Some((id, ..)) => w.tx.execute(
                        "UPDATE checklist_states SET state = ?2, note = ?3, set_by = ?4, set_at = ?5 WHERE id = ?1",
                        params![id, state, new_note, w.actor, w.time],
                    )?,
                    None => w.tx.execute(
                        "INSERT INTO checklist_states (case_id, person_id, item_key, state, note, set_by, set_at)
                         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
                        params![case.id, pid, item.key, state, new_note, w.actor, w.time],
                    )?,
                };
                w.audit(
                    "checklist.set",
                    &format!("case:{}", case.reference),
                    json!({
                        "item": item.key,
                        "person_id": pid,
                        "from": from.as_str(),
                        "to": state.as_str(),
                        "note_changed": existing.as_ref().map_or(!new_note.is_empty(), |e| e.2 != new_note),
                    }),
                )?;
                Ok(())
            })?;
        }
        let stored = self.stored_states(case.id)?;
        Ok(entry(&item, person, &stored))
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;
    use crate::guidance::testing::{employee, locker};

    #[test]
    fn a_new_case_lists_every_item_not_started() {
        let (_d, mut l) = locker();
        let c = l.create_case("Trusler på e-post", "").unwrap();
        let list = l.checklist(&c.reference).unwrap();
        let g = l.guidance().unwrap();
        // No employee yet: employee items once for the case, then the employer's.
        assert_eq!(list.entries.len(), g.checklist.len());
        assert!(list.entries.iter().all(|e| e.person_id.is_none()
            && e.state == ChecklistState::NotStarted
            && e.set_by.is_none()));
        assert_eq!(list.progress.settled(), 0);
        assert_eq!(list.progress.total, g.checklist.len());
    }

    #[test]
    fn employee_items_are_per_employee_and_employer_items_per_case() {
        let (_d, mut l) = locker();
        let c = l.create_case("Sak", "").unwrap();
        let kari = employee(&mut l, &c.reference, "Kari");
        let ola = employee(&mut l, &c.reference, "Ola");
        let list = l.checklist(&c.reference).unwrap();
        let n_emp = 7;
        let n_employer = list.entries.len() - 2 * n_emp;
        assert_eq!(
            list.entries
                .iter()
                .filter(|e| e.person_id == Some(kari))
                .count(),
            n_emp
        );
        assert_eq!(
            list.entries
                .iter()
                .filter(|e| e.person_id == Some(ola))
                .count(),
            n_emp
        );
        assert!(n_employer >= 2);

        // Several employees: the person must be named.
        let err = l
            .set_checklist_item(
                &c.reference,
                None,
                "employee.collect_evidence",
                ChecklistState::Done,
                None,
            )
            .unwrap_err();
        assert!(err.to_string().contains("several"), "{err}");
        let e = l
            .set_checklist_item(
                &c.reference,
                Some(kari),
                "employee.collect_evidence",
                ChecklistState::Done,
                Some("Skjermbilder av hele tråden"),
            )
            .unwrap();
        assert_eq!(
            (e.state, e.person_name.as_deref()),
            (ChecklistState::Done, Some("Kari"))
        );
        assert_eq!(e.set_by.as_deref(), Some("Test"));
        assert!(e.set_at.is_some());
        // Employer items take no person.
        assert!(
            l.set_checklist_item(
                &c.reference,
                Some(kari),
                "employer.safe_work",
                ChecklistState::Done,
                None
            )
            .is_err()
        );
        l.set_checklist_item(
            &c.reference,
            None,
            "employer.safe_work",
            ChecklistState::NotRelevant,
            None,
        )
        .unwrap();
        let list = l.checklist(&c.reference).unwrap();
        assert_eq!(
            (
                list.progress.done,
                list.progress.not_relevant,
                list.progress.settled()
            ),
            (1, 1, 2)
        );
        // Ola's copy of the item is untouched.
        let ola_item = list
            .entries
            .iter()
            .find(|e| e.person_id == Some(ola) && e.item.key == "employee.collect_evidence")
            .unwrap();
        assert_eq!(ola_item.state, ChecklistState::NotStarted);
    }

    #[test]
    fn changes_are_audited_and_a_repeat_is_not() {
        let (_d, mut l) = locker();
        let c = l.create_case("Sak", "").unwrap();
        let p = employee(&mut l, &c.reference, "Kari");
        let set = |l: &mut Locker, s, note| {
            l.set_checklist_item(&c.reference, None, "employee.do_not_reply", s, note)
                .unwrap()
        };
        set(&mut l, ChecklistState::Done, Some("avtalt"));
        set(&mut l, ChecklistState::Done, None); // same state, note kept: no change
        let e = set(&mut l, ChecklistState::NotStarted, None);
        assert_eq!((e.person_id, e.note.as_str()), (Some(p), "avtalt"));
        let events: Vec<_> = l
            .audit_log(Some(&format!("case:{}", c.reference)))
            .unwrap()
            .into_iter()
            .filter(|e| e.action == "checklist.set")
            .collect();
        assert_eq!(events.len(), 2);
        assert_eq!(events[0].details["from"], "not_started");
        assert_eq!(events[0].details["to"], "done");
        assert_eq!(events[1].details["to"], "not_started");
        assert_eq!(events[0].details["item"], "employee.do_not_reply");
    }

    #[test]
    fn unknown_items_and_strangers_are_refused() {
        let (_d, mut l) = locker();
        let c = l.create_case("Sak", "").unwrap();
        let err = l
            .set_checklist_item(
                &c.reference,
                None,
                "employee.nope",
                ChecklistState::Done,
                None,
            )
            .unwrap_err();
        assert!(matches!(err, Error::NotFound { .. }));
        let other = l.create_case("Annen sak", "").unwrap();
        let stranger = employee(&mut l, &other.reference, "Per");
        assert!(
            l.set_checklist_item(
                &c.reference,
                Some(stranger),
                "employee.do_not_reply",
                ChecklistState::Done,
                None
            )
            .is_err()
        );
    }

    #[test]
    fn case_level_states_stay_visible_after_an_employee_is_added() {
        let (_d, mut l) = locker();
        let c = l.create_case("Sak", "").unwrap();
        l.set_checklist_item(
            &c.reference,
            None,
            "employee.hide_contact_details",
            ChecklistState::Done,
            None,
        )
        .unwrap();
        let p = employee(&mut l, &c.reference, "Kari");
        let list = l.checklist(&c.reference).unwrap();
        let rows: Vec<_> = list
            .entries
            .iter()
            .filter(|e| e.item.key == "employee.hide_contact_details")
            .map(|e| (e.person_id, e.state))
            .collect();
        assert_eq!(
            rows,
            [
                (Some(p), ChecklistState::NotStarted),
                (None, ChecklistState::Done)
            ]
        );
    }
}
