-- Varde locker schema, version 3: evidence bundles. A shipped migration is never edited: add a new file.

-- Each bundle taken in with `import`: where it came from and the proof it carried.
CREATE TABLE bundle_imports (
    id                      INTEGER PRIMARY KEY,
    case_id                 INTEGER NOT NULL REFERENCES cases(id),
    sha256sums              TEXT NOT NULL,   -- SHA-256 of the bundle's SHA256SUMS
    signing_key_fingerprint TEXT NOT NULL,
    source_locker_id        TEXT NOT NULL,
    source_case_reference   TEXT NOT NULL,
    source_mode             TEXT NOT NULL,
    bundle_name             TEXT NOT NULL,
    bundle_created_at       TEXT NOT NULL,
    imported_at             TEXT NOT NULL,
    imported_by             TEXT NOT NULL,
    audit_seq               INTEGER NOT NULL REFERENCES audit_events(seq) DEFERRABLE INITIALLY DEFERRED
) STRICT;
CREATE INDEX bundle_imports_case ON bundle_imports(case_id);
CREATE INDEX bundle_imports_sums ON bundle_imports(sha256sums);
CREATE TRIGGER bundle_imports_no_update BEFORE UPDATE ON bundle_imports
BEGIN SELECT RAISE(ABORT, 'import records are append-only'); END;
CREATE TRIGGER bundle_imports_no_delete BEFORE DELETE ON bundle_imports
BEGIN SELECT RAISE(ABORT, 'import records are append-only'); END;

-- Where an imported original came from: the first locker that held it and its uid there.
CREATE TABLE evidence_origins (
    evidence_id      INTEGER PRIMARY KEY REFERENCES evidence(id),
    import_id        INTEGER NOT NULL REFERENCES bundle_imports(id),
    source_locker_id TEXT NOT NULL,
    source_uid       TEXT NOT NULL,
    source_path      TEXT NOT NULL
) STRICT;

-- Where an imported incident came from.
CREATE TABLE incident_origins (
    incident_id      INTEGER PRIMARY KEY REFERENCES incidents(id),
    import_id        INTEGER NOT NULL REFERENCES bundle_imports(id),
    source_locker_id TEXT NOT NULL,
    source_uid       TEXT NOT NULL,
    source_id        INTEGER NOT NULL,
    source_version   INTEGER NOT NULL
) STRICT;
