-- Varde locker schema, version 1. A shipped migration is never edited: add a new file.

CREATE TABLE settings (
    key   TEXT PRIMARY KEY,
    value TEXT NOT NULL
) STRICT;

-- The hash-chained audit log. seq runs 1, 2, 3, ... without gaps.
-- hash = SHA-256 of the canonical JSON of {seq, time, actor, action, subject, details, prev}.
CREATE TABLE audit_events (
    seq       INTEGER PRIMARY KEY,
    time      TEXT NOT NULL,          -- RFC 3339, local time with its UTC offset
    actor     TEXT NOT NULL,
    action    TEXT NOT NULL,
    subject   TEXT NOT NULL,
    details   TEXT NOT NULL,          -- canonical JSON object
    prev_hash TEXT NOT NULL,
    hash      TEXT NOT NULL UNIQUE
) STRICT;

CREATE TRIGGER audit_events_no_update BEFORE UPDATE ON audit_events
BEGIN SELECT RAISE(ABORT, 'audit events are append-only'); END;
CREATE TRIGGER audit_events_no_delete BEFORE DELETE ON audit_events
BEGIN SELECT RAISE(ABORT, 'audit events are append-only'); END;

CREATE TABLE cases (
    id        INTEGER PRIMARY KEY,
    uid       TEXT NOT NULL UNIQUE,
    reference TEXT NOT NULL UNIQUE,
    title     TEXT NOT NULL,
    status    TEXT NOT NULL CHECK (status IN ('open', 'monitoring', 'closed')),
    opened_at TEXT NOT NULL,
    closed_at TEXT,
    notes     TEXT NOT NULL DEFAULT ''
) STRICT;

CREATE TABLE persons (
    id                  INTEGER PRIMARY KEY,
    uid                 TEXT NOT NULL UNIQUE,
    case_id             INTEGER NOT NULL REFERENCES cases(id),
    kind                TEXT NOT NULL CHECK (kind IN ('employee', 'threat_actor', 'witness', 'other')),
    name                TEXT,                       -- NULL: an unknown threat actor
    title               TEXT,
    department          TEXT,
    contacts            TEXT NOT NULL DEFAULT '[]', -- JSON [{kind, value, private}]
    notes               TEXT NOT NULL DEFAULT '',
    known               INTEGER NOT NULL DEFAULT 1,
    aliases             TEXT NOT NULL DEFAULT '[]', -- JSON [string]: handles, numbers, addresses, URLs
    home_municipality   TEXT,
    health_concern      INTEGER NOT NULL DEFAULT 0,
    health_observations TEXT NOT NULL DEFAULT '',
    created_at          TEXT NOT NULL
) STRICT;
CREATE INDEX persons_case ON persons(case_id);

CREATE TABLE incidents (
    id                  INTEGER PRIMARY KEY,
    uid                 TEXT NOT NULL UNIQUE,
    case_id             INTEGER NOT NULL REFERENCES cases(id),
    version             INTEGER NOT NULL DEFAULT 1,
    occurred_local      TEXT NOT NULL,  -- 'YYYY-MM-DD HH:MM' or 'YYYY-MM-DD'
    occurred_tz         TEXT NOT NULL,  -- IANA zone, e.g. Europe/Oslo
    occurred_utc        TEXT NOT NULL,  -- RFC 3339 UTC, for ordering
    precision           TEXT NOT NULL CHECK (precision IN ('exact', 'approximate', 'date_only')),
    logged_at           TEXT NOT NULL,
    logged_by           TEXT NOT NULL,
    logged_by_role      TEXT NOT NULL CHECK (logged_by_role IN ('officer', 'employee')),
    place               TEXT NOT NULL,
    place_kind          TEXT NOT NULL CHECK (place_kind IN ('workplace', 'home', 'online', 'phone', 'other')),
    channel             TEXT NOT NULL CHECK (channel IN ('email', 'sms', 'phone_call', 'social_media', 'letter', 'in_person', 'other')),
    platform            TEXT,
    description         TEXT NOT NULL,
    wording             TEXT,
    perceived           TEXT NOT NULL DEFAULT '[]', -- JSON [threatening|frightening|bothersome]
    targets_individuals INTEGER NOT NULL DEFAULT 0,
    ongoing_emergency   INTEGER NOT NULL DEFAULT 0,
    actor_id            INTEGER REFERENCES persons(id),
    witnesses           TEXT NOT NULL DEFAULT '[]'  -- JSON [{person, name}]
) STRICT;
CREATE INDEX incidents_case ON incidents(case_id, occurred_utc);

-- Earlier versions of an edited incident, as JSON snapshots.
CREATE TABLE incident_versions (
    incident_id INTEGER NOT NULL REFERENCES incidents(id),
    version     INTEGER NOT NULL,
    snapshot    TEXT NOT NULL,
    replaced_at TEXT NOT NULL,
    replaced_by TEXT NOT NULL,
    PRIMARY KEY (incident_id, version)
) STRICT;

-- One row per distinct original: the same bytes are stored once.
CREATE TABLE blobs (
    sha256    TEXT PRIMARY KEY,
    size      INTEGER NOT NULL,
    file      TEXT NOT NULL UNIQUE,   -- keyed name under blobs/
    stored_at TEXT NOT NULL
) STRICT;

CREATE TABLE evidence (
    id              INTEGER PRIMARY KEY,
    uid             TEXT NOT NULL UNIQUE,
    incident_id     INTEGER NOT NULL REFERENCES incidents(id),
    sha256          TEXT NOT NULL REFERENCES blobs(sha256),
    size            INTEGER NOT NULL,
    media_type      TEXT NOT NULL,
    original_name   TEXT NOT NULL,
    acquired_at     TEXT NOT NULL,
    acquired_by     TEXT NOT NULL,
    source          TEXT NOT NULL CHECK (source IN ('file', 'clipboard', 'bundle')),
    width           INTEGER,
    height          INTEGER,
    thread_platform TEXT,
    thread_id       TEXT,
    thread_seq      INTEGER,
    whole_thread    INTEGER NOT NULL DEFAULT 0,
    note            TEXT NOT NULL DEFAULT '',
    audit_seq       INTEGER NOT NULL REFERENCES audit_events(seq) DEFERRABLE INITIALLY DEFERRED,
    UNIQUE (incident_id, sha256)
) STRICT;
CREATE INDEX evidence_incident ON evidence(incident_id);
CREATE INDEX evidence_sha256 ON evidence(sha256);

CREATE TRIGGER evidence_original_fixed BEFORE UPDATE OF sha256, size, acquired_at, acquired_by, original_name ON evidence
BEGIN SELECT RAISE(ABORT, 'an original and its acquisition record never change'); END;
CREATE TRIGGER blobs_fixed BEFORE UPDATE ON blobs
BEGIN SELECT RAISE(ABORT, 'stored originals never change'); END;
