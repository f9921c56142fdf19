-- Varde locker schema, version 2: guidance. A shipped migration is never edited: add a new file.

-- The state of each checklist item in a case: per threatened employee for employee items,
-- once per case (person_id NULL) for employer items and when no employee is registered.
CREATE TABLE checklist_states (
    id        INTEGER PRIMARY KEY,
    case_id   INTEGER NOT NULL REFERENCES cases(id),
    person_id INTEGER REFERENCES persons(id),
    item_key  TEXT NOT NULL,
    state     TEXT NOT NULL CHECK (state IN ('not_started', 'done', 'not_relevant')),
    note      TEXT NOT NULL DEFAULT '',
    set_by    TEXT NOT NULL,
    set_at    TEXT NOT NULL
) STRICT;
CREATE UNIQUE INDEX checklist_states_one ON checklist_states(case_id, ifnull(person_id, 0), item_key);

-- What the officer did about an escalation prompt. Rows are never changed; the newest row
-- for (case_id, rule_key) is the prompt's state.
CREATE TABLE escalation_actions (
    id             INTEGER PRIMARY KEY,
    case_id        INTEGER NOT NULL REFERENCES cases(id),
    rule_key       TEXT NOT NULL,
    action         TEXT NOT NULL CHECK (action IN ('done', 'declined', 'deferred')),
    acted_at       TEXT NOT NULL,       -- when it was done (RFC 3339)
    acted_by       TEXT NOT NULL,
    recorded_at    TEXT NOT NULL,
    with_whom      TEXT,
    reference      TEXT,                -- e.g. the police case number
    reason         TEXT,                -- required when declined
    deferred_until TEXT,                -- YYYY-MM-DD
    note           TEXT NOT NULL DEFAULT '',
    triggers       TEXT NOT NULL DEFAULT '[]'  -- JSON [string]: what raised the prompt when acted on
) STRICT;
CREATE INDEX escalation_actions_case ON escalation_actions(case_id, rule_key, id);
CREATE TRIGGER escalation_actions_no_update BEFORE UPDATE ON escalation_actions
BEGIN SELECT RAISE(ABORT, 'escalation actions are append-only'); END;
CREATE TRIGGER escalation_actions_no_delete BEFORE DELETE ON escalation_actions
BEGIN SELECT RAISE(ABORT, 'escalation actions are append-only'); END;

-- The officer's own contacts (the shipped directory is data in the program).
CREATE TABLE local_contacts (
    id             INTEGER PRIMARY KEY,
    name           TEXT NOT NULL,
    kind           TEXT NOT NULL CHECK (kind IN ('emergency', 'police', 'health', 'police_business_contact', 'security', 'other')),
    phone          TEXT NOT NULL DEFAULT '',
    email          TEXT NOT NULL DEFAULT '',
    municipalities TEXT NOT NULL DEFAULT '[]',  -- JSON [string]
    note           TEXT NOT NULL DEFAULT '',
    created_at     TEXT NOT NULL,
    updated_at     TEXT NOT NULL
) STRICT;

-- The disclosure ledger: every time information leaves the locker. Append-only.
CREATE TABLE disclosures (
    id                INTEGER PRIMARY KEY,
    uid               TEXT NOT NULL UNIQUE,
    case_id           INTEGER NOT NULL REFERENCES cases(id),
    recipient         TEXT NOT NULL,
    recipient_kind    TEXT NOT NULL CHECK (recipient_kind IN ('police', 'health', 'lawyer', 'other')),
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
CREATE INDEX disclosures_case ON disclosures(case_id, disclosed_at);
CREATE TRIGGER disclosures_no_update BEFORE UPDATE ON disclosures
BEGIN SELECT RAISE(ABORT, 'disclosure ledger entries are append-only'); END;
CREATE TRIGGER disclosures_no_delete BEFORE DELETE ON disclosures
BEGIN SELECT RAISE(ABORT, 'disclosure ledger entries are append-only'); END;

-- Requests for information from the police, with the document as produced.
CREATE TABLE info_requests (
    id                   INTEGER PRIMARY KEY,
    uid                  TEXT NOT NULL UNIQUE,
    case_id              INTEGER NOT NULL REFERENCES cases(id),
    person_id            INTEGER REFERENCES persons(id),
    subject_name         TEXT NOT NULL,
    subject_id_number    TEXT,
    requester_name       TEXT NOT NULL,
    requester_position   TEXT NOT NULL,
    requester_department TEXT NOT NULL,
    contact              TEXT NOT NULL,
    purpose              TEXT NOT NULL,
    legal_basis_key      TEXT NOT NULL,
    register             TEXT NOT NULL,
    period_from          TEXT NOT NULL,  -- YYYY-MM-DD
    period_to            TEXT,           -- YYYY-MM-DD; NULL: until the request date
    urgency              TEXT NOT NULL CHECK (urgency IN ('urgent', 'soon', 'normal')),
    needed_by            TEXT,           -- YYYY-MM-DD
    lang                 TEXT NOT NULL CHECK (lang IN ('nb', 'en')),
    document             TEXT NOT NULL,
    created_at           TEXT NOT NULL,
    created_by           TEXT NOT NULL
) STRICT;
CREATE INDEX info_requests_case ON info_requests(case_id);
CREATE TRIGGER info_requests_no_update BEFORE UPDATE ON info_requests
BEGIN SELECT RAISE(ABORT, 'police requests are kept as produced'); END;
CREATE TRIGGER info_requests_no_delete BEFORE DELETE ON info_requests
BEGIN SELECT RAISE(ABORT, 'police requests are kept as produced'); END;
