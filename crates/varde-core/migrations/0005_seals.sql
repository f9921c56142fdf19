-- Varde locker schema, version 5. A shipped migration is never edited: add a new file.
--
-- From this version on, every audit event seals the records its write touched (the
-- hashes in details.records; see seal.rs). A locker that is upgraded gets its existing
-- records sealed once, by `locker.seal` events, right after this migration.
--
-- A case's audit trail is looked up by subject; without this index every case page
-- walked the whole log.
CREATE INDEX audit_events_subject ON audit_events(subject, seq);
