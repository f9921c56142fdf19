-- Varde locker schema, version 9. A shipped migration is never edited: add a new file.

-- Who sent an incident, as it showed (a phone number, an e-mail address, a handle), so
-- that repeated contact from one sender is seen as persistent before anyone knows who is
-- behind it. NULL: not recorded (every incident before this version). A column of a
-- sealed table with a NULL default, so every earlier seal stays valid (see seal.rs).
ALTER TABLE incidents ADD COLUMN sender TEXT;

-- A person's consent to a disclosure: what may be shared, with whom, when and how it was
-- given. Append-only; a withdrawal is a record of its own.
CREATE TABLE consents (
    id          INTEGER PRIMARY KEY,
    uid         TEXT NOT NULL UNIQUE,
    case_id     INTEGER NOT NULL REFERENCES cases(id),
    person_id   INTEGER NOT NULL REFERENCES persons(id),
    scope       TEXT NOT NULL,   -- what may be shared
    recipient   TEXT NOT NULL,   -- with whom
    given_at    TEXT NOT NULL,   -- RFC 3339
    how         TEXT NOT NULL,   -- in writing, by e-mail, orally in a meeting with ...
    recorded_at TEXT NOT NULL,
    recorded_by TEXT NOT NULL,
    audit_seq   INTEGER NOT NULL REFERENCES audit_events(seq) DEFERRABLE INITIALLY DEFERRED
) STRICT;
CREATE INDEX consents_case ON consents(case_id);
CREATE TRIGGER consents_no_update BEFORE UPDATE ON consents
BEGIN SELECT RAISE(ABORT, 'consent records are append-only'); END;
CREATE TRIGGER consents_no_delete BEFORE DELETE ON consents
BEGIN SELECT RAISE(ABORT, 'consent records are append-only'); END;

-- A consent withdrawn: from then on no disclosure may rest on it. What was shared before
-- stays lawful (GDPR art. 7(3)) and stays in the ledger.
CREATE TABLE consent_withdrawals (
    id           INTEGER PRIMARY KEY,
    consent_id   INTEGER NOT NULL REFERENCES consents(id),
    withdrawn_at TEXT NOT NULL,  -- RFC 3339
    how          TEXT NOT NULL,
    recorded_at  TEXT NOT NULL,
    recorded_by  TEXT NOT NULL,
    audit_seq    INTEGER NOT NULL REFERENCES audit_events(seq) DEFERRABLE INITIALLY DEFERRED
) STRICT;
CREATE UNIQUE INDEX consent_withdrawals_one ON consent_withdrawals(consent_id);
CREATE TRIGGER consent_withdrawals_no_update BEFORE UPDATE ON consent_withdrawals
BEGIN SELECT RAISE(ABORT, 'consent withdrawals are append-only'); END;
CREATE TRIGGER consent_withdrawals_no_delete BEFORE DELETE ON consent_withdrawals
BEGIN SELECT RAISE(ABORT, 'consent withdrawals are append-only'); END;

-- The consent a disclosure rests on (basis `consent`). NULL for every other basis and for
-- entries made before this version.
ALTER TABLE disclosures ADD COLUMN consent_id INTEGER REFERENCES consents(id);
