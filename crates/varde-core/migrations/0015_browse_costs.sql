-- Varde locker schema, version 15. A shipped migration is never edited: add a new file.
--
-- Two reads that grew with a case (scripts/bench-browse, a case of 20,000 incidents and
-- 80,000 items: its audit page 267 ms, its evidence list's last page 93 ms).
--
-- 1. Which case each audit event is about, so that a case's audit page is a range of one
--    index instead of a match of every event against every incident and evidence item of
--    the case. Derived data, written by `audit::append` in the event's own transaction:
--    an event about `case:<reference>`, `incident:<id>` or `evidence:<id>` is noted under
--    the case its record belongs to (or, when the record is gone, the case its subject's
--    earlier events were noted under). A case deletion removes its case's rows. Filled
--    here from the events already in the locker.
--
-- (IF NOT EXISTS and OR IGNORE: the tests that rebuild an older locker set user_version
-- back and run this file again.)
CREATE TABLE IF NOT EXISTS case_events (
    seq     INTEGER PRIMARY KEY,
    case_id INTEGER NOT NULL
);
CREATE INDEX IF NOT EXISTS case_events_by_case ON case_events(case_id, seq);

INSERT OR IGNORE INTO case_events (seq, case_id)
    SELECT a.seq, c.id FROM cases c JOIN audit_events a ON a.subject = 'case:' || c.reference;
INSERT OR IGNORE INTO case_events (seq, case_id)
    SELECT a.seq, i.case_id FROM incidents i JOIN audit_events a ON a.subject = 'incident:' || i.id;
INSERT OR IGNORE INTO case_events (seq, case_id)
    SELECT a.seq, i.case_id FROM evidence e JOIN incidents i ON i.id = e.incident_id
        JOIN audit_events a ON a.subject = 'evidence:' || e.id;

-- 2. The evidence list's order (`evidence_in_case`) as an index, so a page is picked by
--    walking it instead of sorting every item of the case first.
CREATE INDEX IF NOT EXISTS evidence_order
    ON evidence(incident_id, coalesce(thread_id, ''), coalesce(thread_seq, 0), id);
