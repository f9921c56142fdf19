-- Varde locker schema, version 10. A shipped migration is never edited: add a new file.

-- What Varde read from an original: an e-mail's headers and body, a chat export's
-- messages, a photo's EXIF, a recording's length. Derived data, never the evidence: keyed
-- by the original's SHA-256 and the reader's version, so a newer Varde reads again and
-- keeps the older reading beside it. Sealed like the records (a reading changed behind
-- Varde's back would put words in a report).
CREATE TABLE derived (
    sha256         TEXT NOT NULL REFERENCES blobs(sha256),
    reader_version INTEGER NOT NULL,
    format         TEXT NOT NULL,   -- the reader it went to (eml, msg, whatsapp_text, …); 'none': nothing to read
    parser         TEXT NOT NULL,   -- the library and version line that read it
    read_at        TEXT NOT NULL,
    data           TEXT,            -- JSON of what was read; NULL when it could not be read
    problem        TEXT,            -- JSON of why it could not be read; NULL when it was
    audit_seq      INTEGER NOT NULL REFERENCES audit_events(seq) DEFERRABLE INITIALLY DEFERRED,
    PRIMARY KEY (sha256, reader_version)
) STRICT;

-- An attachment taken out of an e-mail is evidence of its own that names the e-mail it
-- came from and its place among the attachments. NULL: not taken from another item.
ALTER TABLE evidence ADD COLUMN parent_evidence INTEGER REFERENCES evidence(id);
ALTER TABLE evidence ADD COLUMN parent_part INTEGER;

-- An incident made from a message in a chat export or an e-mail names it: the original by
-- its SHA-256 (the same in every locker and bundle), the message's index in what Varde
-- read, and the SHA-256 of the message's text. NULL: written by hand. Columns of a sealed
-- table with NULL defaults, so every earlier seal stays valid.
ALTER TABLE incidents ADD COLUMN source_sha256 TEXT;
ALTER TABLE incidents ADD COLUMN source_message INTEGER;
ALTER TABLE incidents ADD COLUMN source_text_sha256 TEXT;
