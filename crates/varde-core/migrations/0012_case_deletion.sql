-- Varde locker schema, version 12. A shipped migration is never edited: add a new file.

-- Deleting a case (see ARCHITECTURE.md, «Deleting a case without breaking the chain").
--
-- `erasing` is scratch for one deletion's transaction: the case whose append-only records
-- may go, and the audit events whose details may be replaced by a tombstone. It is filled
-- and emptied inside the same transaction, so it is empty whenever anyone can look. The
-- append-only triggers below are recreated to let exactly those rows go, and nothing else:
-- the guard rail against a bug stays up; `verify` is the check against a person.
CREATE TABLE erasing (
    case_id INTEGER,   -- a case being deleted
    seq     INTEGER    -- an audit event of it whose details are being erased
) STRICT;

-- Each deletion leaves a receipt, signed with the locker's key: the canonical JSON that
-- was signed and the signature. It names the case by reference only. Not part of any case,
-- so it survives every later deletion.
CREATE TABLE deletion_receipts (
    id             INTEGER PRIMARY KEY,
    case_reference TEXT NOT NULL UNIQUE,
    deleted_at     TEXT NOT NULL,
    receipt        TEXT NOT NULL,   -- canonical JSON, the bytes that were signed
    signature      TEXT NOT NULL,   -- Ed25519 over `receipt`, hex
    audit_seq      INTEGER NOT NULL REFERENCES audit_events(seq) DEFERRABLE INITIALLY DEFERRED
) STRICT;
CREATE TRIGGER deletion_receipts_no_update BEFORE UPDATE ON deletion_receipts
BEGIN SELECT RAISE(ABORT, 'deletion receipts are kept as signed'); END;
CREATE TRIGGER deletion_receipts_no_delete BEFORE DELETE ON deletion_receipts
BEGIN SELECT RAISE(ABORT, 'deletion receipts are kept as signed'); END;

-- An audit event changes only by having its details erased, during a deletion that names it.
DROP TRIGGER audit_events_no_update;
CREATE TRIGGER audit_events_no_update BEFORE UPDATE ON audit_events
WHEN OLD.seq NOT IN (SELECT seq FROM erasing WHERE seq IS NOT NULL)
  OR NEW.seq IS NOT OLD.seq OR NEW.time IS NOT OLD.time OR NEW.actor IS NOT OLD.actor
  OR NEW.action IS NOT OLD.action OR NEW.subject IS NOT OLD.subject
  OR NEW.prev_hash IS NOT OLD.prev_hash OR NEW.hash IS NOT OLD.hash
BEGIN SELECT RAISE(ABORT, 'audit events are append-only'); END;

-- Append-only records go only with their case.
DROP TRIGGER escalation_actions_no_delete;
CREATE TRIGGER escalation_actions_no_delete BEFORE DELETE ON escalation_actions
WHEN OLD.case_id NOT IN (SELECT case_id FROM erasing WHERE case_id IS NOT NULL)
BEGIN SELECT RAISE(ABORT, 'escalation actions are append-only'); END;

DROP TRIGGER disclosures_no_delete;
CREATE TRIGGER disclosures_no_delete BEFORE DELETE ON disclosures
WHEN OLD.case_id NOT IN (SELECT case_id FROM erasing WHERE case_id IS NOT NULL)
BEGIN SELECT RAISE(ABORT, 'disclosure ledger entries are append-only'); END;

DROP TRIGGER disclosure_informed_no_delete;
CREATE TRIGGER disclosure_informed_no_delete BEFORE DELETE ON disclosure_informed
WHEN OLD.disclosure_id NOT IN (SELECT id FROM disclosures WHERE case_id IN (SELECT case_id FROM erasing WHERE case_id IS NOT NULL))
BEGIN SELECT RAISE(ABORT, 'informed records are append-only'); END;

DROP TRIGGER info_requests_no_delete;
CREATE TRIGGER info_requests_no_delete BEFORE DELETE ON info_requests
WHEN OLD.case_id NOT IN (SELECT case_id FROM erasing WHERE case_id IS NOT NULL)
BEGIN SELECT RAISE(ABORT, 'police requests are kept as produced'); END;

DROP TRIGGER bundle_imports_no_delete;
CREATE TRIGGER bundle_imports_no_delete BEFORE DELETE ON bundle_imports
WHEN OLD.case_id NOT IN (SELECT case_id FROM erasing WHERE case_id IS NOT NULL)
BEGIN SELECT RAISE(ABORT, 'import records are append-only'); END;

DROP TRIGGER consents_no_delete;
CREATE TRIGGER consents_no_delete BEFORE DELETE ON consents
WHEN OLD.case_id NOT IN (SELECT case_id FROM erasing WHERE case_id IS NOT NULL)
BEGIN SELECT RAISE(ABORT, 'consent records are append-only'); END;

DROP TRIGGER consent_withdrawals_no_delete;
CREATE TRIGGER consent_withdrawals_no_delete BEFORE DELETE ON consent_withdrawals
WHEN OLD.consent_id NOT IN (SELECT id FROM consents WHERE case_id IN (SELECT case_id FROM erasing WHERE case_id IS NOT NULL))
BEGIN SELECT RAISE(ABORT, 'consent withdrawals are append-only'); END;
