//! Answers about a case that are worked out from all of it — its prompts, its line in the
//! case list, the totals of its lists — kept until the case changes, so that opening a
//! case of 100,000 incidents a second time, or the case list beside it, does not read
//! every incident again, and a write in one case does not make the others be read again.
//!
//! When is an answer still right? Every change to the locker goes through `Locker::write`,
//! which refuses a write without an audit event, so the head of the audit chain (its seq
//! and hash) names the locker's state, and the events since the head an answer was kept
//! at say what changed. `audit::append` notes which case an event is about
//! (`case_events`, migration 15): an event about a case, one of its incidents or items
//! drops that case's answers; an event about anything else (a person, a checklist entry,
//! a prompt's action, a contact, a setting) or more events than are worth reading drops
//! every answer. What a prompt also depends on is the date (a deferred prompt comes back
//! on its day) and the organisation's guidance files, which are edited outside the
//! locker: prompts and case-list lines are kept with both and dropped when either
//! changes.

use std::collections::HashMap;
use std::sync::{Mutex, MutexGuard};

use chrono::NaiveDate;

use crate::browse::CaseSummary;
use crate::guidance::Guidance;
use crate::guidance::escalation::Prompt;

/// The audit chain's head: seq and hash.
pub(crate) type Head = (i64, String);

/// What a prompt or a case-list line was worked out from.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct State {
    pub head: Head,
    /// Today, by the locker's clock.
    pub today: NaiveDate,
    /// The guidance in force (shipped and the organisation's own).
    pub guidance: Guidance,
}

/// What a list page counts (its `total`): which list, of which case, of which incident.
pub(crate) type CountOf = (&'static str, i64, Option<i64>);

/// What the events after a kept head were about: the cases, or `None` when one was about
/// no case or there were too many to read (then every answer is dropped).
pub(crate) type Written = Option<Vec<i64>>;

#[derive(Debug, Default)]
struct Kept {
    /// The head every kept answer is right at.
    head: Option<Head>,
    /// The date and guidance the prompts and summaries were worked out with.
    with: Option<(NaiveDate, Guidance)>,
    prompts: HashMap<i64, Vec<Prompt>>,
    summaries: HashMap<i64, CaseSummary>,
    counts: HashMap<CountOf, i64>,
}

impl Kept {
    fn drop_case(&mut self, case_id: i64) {
        self.prompts.remove(&case_id);
        self.summaries.remove(&case_id);
        self.counts.retain(|of, _| of.1 != case_id);
    }

    fn drop_all(&mut self) {
        self.prompts.clear();
        self.summaries.clear();
        self.counts.clear();
    }

    /// Kept at `head`: if it is another head that [`Memo::advance`] did not bring them to,
    /// nothing kept can be trusted.
    fn at_head(&mut self, head: &Head) {
        if self.head.as_ref() != Some(head) {
            self.drop_all();
            self.head = Some(head.clone());
        }
    }

    fn at(&mut self, state: &State) {
        self.at_head(&state.head);
        let with = (state.today, state.guidance.clone());
        if self.with.as_ref() != Some(&with) {
            self.prompts.clear();
            self.summaries.clear();
            self.with = Some(with);
        }
    }
}

/// The kept answers. A `Mutex` so that a `Locker` stays `Sync`; it is only ever held for
/// a lookup or an insert, never across a query.
#[derive(Debug, Default)]
pub(crate) struct Memo(Mutex<Kept>);

impl Memo {
    fn kept(&self) -> MutexGuard<'_, Kept> {
        // A panic while the lock was held leaves at worst a missing answer: recompute.
        self.0.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// The head the answers are kept at, if it is not `head`: the events after it are to
    /// be read and given to [`Memo::advance`].
    pub fn behind(&self, head: &Head) -> Option<Head> {
        self.kept().head.clone().filter(|kept| kept != head)
    }

    /// Bring the answers kept at `from` to `to`, dropping those of the cases `written`.
    pub fn advance(&self, from: &Head, to: &Head, written: Written) {
        let mut kept = self.kept();
        if kept.head.as_ref() != Some(from) {
            return; // another caller moved them on; `at_head` sorts it out
        }
        match written {
            Some(cases) => cases.into_iter().for_each(|c| kept.drop_case(c)),
            None => kept.drop_all(),
        }
        kept.head = Some(to.clone());
    }

    pub fn prompts(&self, state: &State, case_id: i64) -> Option<Vec<Prompt>> {
        let mut kept = self.kept();
        kept.at(state);
        kept.prompts.get(&case_id).cloned()
    }

    pub fn keep_prompts(&self, state: &State, case_id: i64, prompts: &[Prompt]) {
        let mut kept = self.kept();
        kept.at(state);
        kept.prompts.insert(case_id, prompts.to_vec());
    }

    pub fn summary(&self, state: &State, case_id: i64) -> Option<CaseSummary> {
        let mut kept = self.kept();
        kept.at(state);
        kept.summaries.get(&case_id).cloned()
    }

    pub fn keep_summary(&self, state: &State, case_id: i64, summary: &CaseSummary) {
        let mut kept = self.kept();
        kept.at(state);
        kept.summaries.insert(case_id, summary.clone());
    }

    /// A list's total, kept at `head` or worked out by `count` and kept. Counts depend on
    /// the records alone, not on the date or the guidance.
    pub fn count(
        &self,
        head: &Head,
        of: CountOf,
        count: impl FnOnce() -> crate::Result<i64>,
    ) -> crate::Result<i64> {
        {
            let mut kept = self.kept();
            kept.at_head(head);
            if let Some(n) = kept.counts.get(&of) {
                return Ok(*n);
            }
        }
        let n = count()?;
        let mut kept = self.kept();
        if kept.head.as_ref() == Some(head) {
            kept.counts.insert(of, n);
        }
        Ok(n)
    }
}

impl crate::Locker {
    /// The audit head now, with the kept answers brought to it: those of the cases written
    /// since they were kept are dropped.
    fn memo_head(&self) -> crate::Result<Head> {
        let head = crate::audit::head(&self.conn)?;
        if let Some(from) = self.memo.behind(&head) {
            let written = crate::audit::cases_written_since(&self.conn, &from)?;
            self.memo.advance(&from, &head, written);
        }
        Ok(head)
    }

    /// The locker's state now, for looking up and keeping answers.
    pub(crate) fn memo_state(&self, guidance: Guidance) -> crate::Result<State> {
        Ok(State {
            head: self.memo_head()?,
            today: self.clock.now().date_naive(),
            guidance,
        })
    }

    /// A list's total, counted once per state of its case: the window asks for it with
    /// every page it scrolls to.
    pub(crate) fn count_kept(
        &self,
        of: CountOf,
        count: impl FnOnce() -> crate::Result<i64>,
    ) -> crate::Result<i64> {
        let head = self.memo_head()?;
        self.memo.count(&head, of, count)
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    fn head(seq: i64) -> Head {
        (seq, format!("h{seq}"))
    }

    fn kept(memo: &Memo, seq: i64) -> Vec<CountOf> {
        let mut n: Vec<CountOf> = [1, 2]
            .into_iter()
            .filter(|&case| {
                let mut counted = false;
                memo.count(&head(seq), ("incidents", case, None), || {
                    counted = true;
                    Ok(0)
                })
                .unwrap();
                !counted
            })
            .map(|case| ("incidents", case, None))
            .collect();
        n.sort();
        n
    }

    #[test]
    fn a_write_in_one_case_drops_only_that_case_s_answers() {
        let memo = Memo::default();
        assert_eq!(kept(&memo, 1), vec![], "nothing kept at first");
        assert_eq!(kept(&memo, 1).len(), 2, "both kept at the same head");

        assert_eq!(memo.behind(&head(2)), Some(head(1)));
        memo.advance(&head(1), &head(2), Some(vec![1]));
        assert_eq!(kept(&memo, 2), vec![("incidents", 2, None)]);

        memo.advance(&head(2), &head(3), None);
        assert_eq!(kept(&memo, 3), vec![], "an event about no case drops all");
    }

    #[test]
    fn a_head_that_was_not_advanced_to_drops_everything() {
        let memo = Memo::default();
        kept(&memo, 1);
        memo.advance(&head(7), &head(8), Some(vec![]));
        assert_eq!(
            memo.behind(&head(8)),
            Some(head(1)),
            "from another head: ignored"
        );
        assert_eq!(kept(&memo, 8), vec![]);
    }
}
