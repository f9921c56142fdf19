-- Varde locker schema, version 7. A shipped migration is never edited: add a new file.

-- A request for information from the police says why the chosen basis's conditions are
-- met (the police assess them; the company gives them what to assess). Requests made
-- before this version have none (NULL).
-- Sealed tables only gain columns with a NULL default, so every earlier seal stays valid
-- (see seal.rs): a row's hash leaves NULL columns out.
ALTER TABLE info_requests ADD COLUMN conditions TEXT;

-- Each ledger entry names whose information left (persons of the case), not only what.
-- JSON [int]. Entries made before this version have NULL: the ledger says it is not known.
-- Adding a column does not fire the append-only triggers; no row is changed.
ALTER TABLE disclosures ADD COLUMN person_ids TEXT;

-- When a disclosure recorded with «not yet informed» is later told to the employee: the
-- ledger entry stays as it was, and this append-only record says when, by whom and how.
CREATE TABLE disclosure_informed (
    id            INTEGER PRIMARY KEY,
    disclosure_id INTEGER NOT NULL REFERENCES disclosures(id),
    informed_at   TEXT NOT NULL,
    informed_by   TEXT NOT NULL,
    how           TEXT NOT NULL DEFAULT '',
    recorded_at   TEXT NOT NULL,
    audit_seq     INTEGER NOT NULL REFERENCES audit_events(seq) DEFERRABLE INITIALLY DEFERRED
) STRICT;
CREATE UNIQUE INDEX disclosure_informed_one ON disclosure_informed(disclosure_id);
CREATE TRIGGER disclosure_informed_no_update BEFORE UPDATE ON disclosure_informed
BEGIN SELECT RAISE(ABORT, 'informed records are append-only'); END;
CREATE TRIGGER disclosure_informed_no_delete BEFORE DELETE ON disclosure_informed
BEGIN SELECT RAISE(ABORT, 'informed records are append-only'); END;
