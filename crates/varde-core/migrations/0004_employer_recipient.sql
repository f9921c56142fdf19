-- Disclosures may go to the employer (an employee's self-log handed to the security
-- officer). SQLite cannot change a CHECK constraint, so the ledger table is rebuilt with
-- every row kept as it was; its append-only triggers and index are created again.
CREATE TABLE disclosures_v4 (
    id                INTEGER PRIMARY KEY,
    uid               TEXT NOT NULL UNIQUE,
    case_id           INTEGER NOT NULL REFERENCES cases(id),
    recipient         TEXT NOT NULL,
    recipient_kind    TEXT NOT NULL CHECK (recipient_kind IN ('police', 'health', 'lawyer', 'employer', 'other')),
    shared            TEXT NOT NULL,
    incident_ids      TEXT NOT NULL DEFAULT '[]',  -- JSON [int]
    evidence_ids      TEXT NOT NULL DEFAULT '[]',  -- JSON [int]
    legal_basis_key   TEXT,
    legal_basis_text  TEXT NOT NULL DEFAULT '',
    employee_informed TEXT NOT NULL CHECK (employee_informed IN ('yes', 'no', 'not_yet')),
    disclosed_at      TEXT NOT NULL,
    disclosed_by      TEXT NOT NULL,
    recorded_at       TEXT NOT NULL,
    recorded_by       TEXT NOT NULL,
    audit_seq         INTEGER NOT NULL REFERENCES audit_events(seq) DEFERRABLE INITIALLY DEFERRED
) STRICT;
INSERT INTO disclosures_v4 SELECT * FROM disclosures;
-- Dropping a table does not fire its delete trigger; it removes the triggers with it.
DROP TABLE disclosures;
ALTER TABLE disclosures_v4 RENAME TO disclosures;
CREATE INDEX disclosures_case ON disclosures(case_id, disclosed_at);
CREATE TRIGGER disclosures_no_update BEFORE UPDATE ON disclosures
BEGIN SELECT RAISE(ABORT, 'disclosure ledger entries are append-only'); END;
CREATE TRIGGER disclosures_no_delete BEFORE DELETE ON disclosures
BEGIN SELECT RAISE(ABORT, 'disclosure ledger entries are append-only'); END;
