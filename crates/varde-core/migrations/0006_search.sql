-- Varde locker schema, version 6. A shipped migration is never edited: add a new file.
--
-- Search across all cases. One row per case, person and incident, with its text and the
-- digit runs of its phone numbers (so «934 12 877» finds «+47 93412877»). The index is
-- derived data, not a record: it is kept by the core in the same transaction as the write
-- that changed a record (search.rs), rebuilt from the records when it is empty (a locker
-- upgraded to this version), and never sealed or exported.
CREATE VIRTUAL TABLE search USING fts5(
    kind UNINDEXED,
    rid UNINDEXED,
    case_id UNINDEXED,
    text,
    digits,
    tokenize = 'unicode61 remove_diacritics 2'
);
