-- Varde locker schema, version 8. A shipped migration is never edited: add a new file.

-- A case's review dates: when its risk is to be assessed again (open and monitored
-- cases), and when a closed case is to be reviewed for retention (keep, with a new date
-- and a reason, or delete). NULL: none set. Columns of a sealed table with a NULL
-- default, so every earlier seal stays valid (see seal.rs).
ALTER TABLE cases ADD COLUMN review_on TEXT;            -- YYYY-MM-DD
ALTER TABLE cases ADD COLUMN retention_review_on TEXT;  -- YYYY-MM-DD
