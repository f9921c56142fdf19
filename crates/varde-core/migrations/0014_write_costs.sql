-- Varde locker schema, version 14. A shipped migration is never edited: add a new file.
--
-- Two costs that grew with the locker, so that every write was slower than the last
-- (scripts/bench-browse: 20,000 incidents took 33 minutes to log in writes of a thousand).
--
-- 1. A record names the audit event that made it (`audit_seq`, a deferred foreign key)
--    before that event is appended in the same transaction. Appending the event then makes
--    SQLite look for the records that refer to it, and without an index on `audit_seq`
--    that is a scan of the whole table, once per event. (IF NOT EXISTS: the tests that
--    rebuild an older locker set user_version back and run this file again.)
CREATE INDEX IF NOT EXISTS evidence_audit_seq ON evidence(audit_seq);
CREATE INDEX IF NOT EXISTS disclosures_audit_seq ON disclosures(audit_seq);
CREATE INDEX IF NOT EXISTS bundle_imports_audit_seq ON bundle_imports(audit_seq);
CREATE INDEX IF NOT EXISTS disclosure_informed_audit_seq ON disclosure_informed(audit_seq);
CREATE INDEX IF NOT EXISTS consents_audit_seq ON consents(audit_seq);
CREATE INDEX IF NOT EXISTS consent_withdrawals_audit_seq ON consent_withdrawals(audit_seq);
CREATE INDEX IF NOT EXISTS derived_audit_seq ON derived(audit_seq);
CREATE INDEX IF NOT EXISTS deletion_receipts_audit_seq ON deletion_receipts(audit_seq);
CREATE INDEX IF NOT EXISTS redactions_audit_seq ON redactions(audit_seq);

-- 2. The search index's rows get their rowid from the record they index (search.rs,
--    `search_rowid`), so keeping a record's row current is a lookup by rowid instead of a
--    scan of the whole index (an FTS5 table has no index on its UNINDEXED columns). The
--    index is derived data: it is emptied here and rebuilt from the records when the
--    locker opens.
DELETE FROM search;
