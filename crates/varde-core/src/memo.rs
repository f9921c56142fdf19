//! Answers about a case that are worked out from all of it — its prompts, its line in the
//! case list — kept until the locker changes, so that opening a case of 100,000 incidents
//! a second time, or the case list beside it, does not read every incident again.
//!
//! When is an answer still right? Every change to the locker goes through `Locker::write`,
//! which refuses a write without an audit event, so the head of the audit chain (its seq
//! and hash) names the locker's state. What a prompt depends on besides the records is
//! the date (a deferred prompt comes back on its day) and the organisation's guidance
//! files, which are edited outside the locker. An answer is kept with those three and
//! used only while all three are the same; any write drops every kept answer.

use std::collections::HashMap;
use std::sync::{Mutex, MutexGuard};

use chrono::NaiveDate;

use crate::browse::CaseSummary;
use crate::guidance::Guidance;
use crate::guidance::escalation::Prompt;

/// What every kept answer was worked out from.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct State {
    /// The audit chain's head: seq and hash.
    pub head: (i64, String),
    /// Today, by the locker's clock.
    pub today: NaiveDate,
    /// The guidance in force (shipped and the organisation's own).
    pub guidance: Guidance,
}

#[derive(Debug, Default)]
struct Kept {
    state: Option<State>,
    prompts: HashMap<i64, Vec<Prompt>>,
    summaries: HashMap<i64, CaseSummary>,
}

/// What a list page counts (its `total`): which list, of which case, of which incident.
pub(crate) type CountOf = (&'static str, i64, Option<i64>);

/// Counts depend on the records alone: kept while the audit head is the same.
#[derive(Debug, Default)]
struct Counts {
    head: Option<(i64, String)>,
    kept: HashMap<CountOf, i64>,
}

/// The kept answers, by case id. A `Mutex` so that a `Locker` stays `Sync`; it is only
/// ever held for a lookup or an insert, never across a query.
#[derive(Debug, Default)]
pub(crate) struct Memo(Mutex<Kept>, Mutex<Counts>);

impl Memo {
    /// The kept answers if they were worked out from `state`; otherwise none are kept any
    /// more.
    fn at(&self, state: &State) -> MutexGuard<'_, Kept> {
        // A panic while the lock was held leaves at worst a missing answer: recompute.
        let mut kept = self.0.lock().unwrap_or_else(|p| p.into_inner());
        if kept.state.as_ref() != Some(state) {
            *kept = Kept {
                state: Some(state.clone()),
                ..Default::default()
            };
        }
        kept
    }

    pub fn prompts(&self, state: &State, case_id: i64) -> Option<Vec<Prompt>> {
        self.at(state).prompts.get(&case_id).cloned()
    }

    pub fn keep_prompts(&self, state: &State, case_id: i64, prompts: &[Prompt]) {
        self.at(state).prompts.insert(case_id, prompts.to_vec());
    }

    /// A list's total, kept at `head` or worked out by `count` and kept.
    pub fn count(
        &self,
        head: (i64, String),
        of: CountOf,
        count: impl FnOnce() -> crate::Result<i64>,
    ) -> crate::Result<i64> {
        {
            let mut c = self.1.lock().unwrap_or_else(|p| p.into_inner());
            if c.head.as_ref() != Some(&head) {
                *c = Counts::default();
            }
            if let Some(n) = c.kept.get(&of) {
                return Ok(*n);
            }
        }
        let n = count()?;
        let mut c = self.1.lock().unwrap_or_else(|p| p.into_inner());
        if c.head.is_none() || c.head.as_ref() == Some(&head) {
            c.head = Some(head);
            c.kept.insert(of, n);
        }
        Ok(n)
    }

    pub fn summary(&self, state: &State, case_id: i64) -> Option<CaseSummary> {
        self.at(state).summaries.get(&case_id).cloned()
    }

    pub fn keep_summary(&self, state: &State, case_id: i64, summary: &CaseSummary) {
        self.at(state).summaries.insert(case_id, summary.clone());
    }
}

impl crate::Locker {
    /// The locker's state now, for looking up and keeping answers.
    pub(crate) fn memo_state(&self, guidance: Guidance) -> crate::Result<State> {
        Ok(State {
            head: crate::audit::head(&self.conn)?,
            today: self.clock.now().date_naive(),
            guidance,
        })
    }

    /// A list's total, counted once per state of the locker: the window asks for it with
    /// every page it scrolls to.
    pub(crate) fn count_kept(
        &self,
        of: CountOf,
        count: impl FnOnce() -> crate::Result<i64>,
    ) -> crate::Result<i64> {
        self.memo.count(crate::audit::head(&self.conn)?, of, count)
    }
}
