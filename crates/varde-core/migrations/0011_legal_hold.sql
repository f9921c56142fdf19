-- Varde locker schema, version 11. A shipped migration is never edited: add a new file.

-- Legal hold on a case (a police case is open, a court case is expected): while it holds,
-- the case cannot be deleted. When it was set and why; both NULL: no hold. Setting and
-- lifting it are audited (case.hold, case.release) with the reason. Columns of a sealed
-- table with a NULL default, so every earlier seal stays valid (see seal.rs).
ALTER TABLE cases ADD COLUMN legal_hold_since TEXT;   -- RFC 3339
ALTER TABLE cases ADD COLUMN legal_hold_reason TEXT;
