-- Varde locker schema, version 13. A shipped migration is never edited: add a new file.

-- Redacted copies (see ARCHITECTURE.md, «Redacted copies»): derived data, never evidence.
-- A copy names the original it was made from; its PNG is stored in `blobs` like any
-- original (encrypted, deduplicated by SHA-256). The regions are in the upright image's
-- pixels, as JSON `[{"x", "y", "w", "h"}, …]`. Not an `evidence` row, so no list, bundle or count
-- mistakes a copy for an original. Sealed; kept as made, and goes only with its case.
CREATE TABLE redactions (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,   -- never handed out twice
    uid         TEXT NOT NULL UNIQUE,
    evidence_id INTEGER NOT NULL REFERENCES evidence(id),
    sha256      TEXT NOT NULL REFERENCES blobs(sha256),
    size        INTEGER NOT NULL,
    width       INTEGER NOT NULL,
    height      INTEGER NOT NULL,
    regions     TEXT NOT NULL,
    made_at     TEXT NOT NULL,
    made_by     TEXT NOT NULL,
    audit_seq   INTEGER NOT NULL REFERENCES audit_events(seq) DEFERRABLE INITIALLY DEFERRED
) STRICT;
CREATE INDEX redactions_by_evidence ON redactions(evidence_id);
CREATE INDEX redactions_by_sha256 ON redactions(sha256);
CREATE TRIGGER redactions_no_update BEFORE UPDATE ON redactions
BEGIN SELECT RAISE(ABORT, 'redacted copies are kept as made'); END;
CREATE TRIGGER redactions_no_delete BEFORE DELETE ON redactions
WHEN OLD.evidence_id NOT IN (SELECT e.id FROM evidence e JOIN incidents i ON i.id = e.incident_id
                             WHERE i.case_id IN (SELECT case_id FROM erasing WHERE case_id IS NOT NULL))
BEGIN SELECT RAISE(ABORT, 'redacted copies are kept as made'); END;

-- Which items of a disclosure went as their redacted copy (JSON list of redaction ids);
-- NULL: every item went as its original. A NULL-default column of a sealed table, so
-- every earlier seal stays valid.
ALTER TABLE disclosures ADD COLUMN redaction_ids TEXT;
