//! For benchmarks and tests (feature `test-support`): many incidents logged in one write,
//! so a locker of 100,000 incidents fills in minutes instead of hours of one fsync per
//! incident. It writes what the app's own calls write (the same checks, rows, audit events
//! and search index), through the same functions; only the batching differs.

use crate::error::{Error, Result};
use crate::incidents::{NewIncident, insert_incident};
use crate::locker::Locker;
use crate::model::Evidence;

impl Locker {
    /// Log `incidents` in the case `case_ref` in one transaction, each with a new evidence
    /// item for every original in `files` (items already in this locker, whose bytes are
    /// stored: the new items share their blobs, as a deduplicated ingest does). The new
    /// incidents' ids, in order.
    pub fn log_incidents_in_bulk(
        &mut self,
        case_ref: &str,
        incidents: Vec<NewIncident>,
        files: &[Evidence],
    ) -> Result<Vec<i64>> {
        for f in files {
            if !self.has_blob(&f.sha256)? {
                return Err(Error::Integrity(format!(
                    "internal: no stored original for {}",
                    f.sha256
                )));
            }
        }
        let checked = incidents
            .into_iter()
            .map(|n| self.check_new_incident(case_ref, n))
            .collect::<Result<Vec<_>>>()?;
        self.write(|w| {
            let mut ids = Vec::with_capacity(checked.len());
            for c in &checked {
                let incident = insert_incident(w, c)?;
                for f in files {
                    crate::evidence::record_evidence(
                        w,
                        Evidence {
                            id: 0,
                            uid: uuid::Uuid::new_v4().to_string(),
                            incident,
                            acquired_at: w.time.clone(),
                            acquired_by: w.actor.clone(),
                            thread_seq: None,
                            attachment_of: None,
                            ..f.clone()
                        },
                        None,
                    )?;
                }
                ids.push(incident);
            }
            Ok(ids)
        })
    }
}
