-- Entries imported from entries/*.toml. The row is updated in place when an
-- entry's content changes (never deleted and re-inserted), so tables added
-- later for user-submitted data (outcome reports, suggestions) can reference
-- entries(id) and keep their rows across imports.
CREATE TABLE entries (
	id           TEXT PRIMARY KEY,
	domain       TEXT NOT NULL,
	category     TEXT NOT NULL,
	close_code   INTEGER,
	http_status  INTEGER,
	content_hash TEXT NOT NULL, -- SHA-256 of doc; decides whether an import writes
	doc          TEXT NOT NULL, -- the entry's canonical JSON, both languages
	imported_at  TEXT NOT NULL  -- when this content was written (UTC, RFC 3339)
) STRICT;

CREATE INDEX entries_close_code ON entries (close_code) WHERE close_code IS NOT NULL;
CREATE INDEX entries_http_status ON entries (http_status) WHERE http_status IS NOT NULL;

-- Every searchable text of an entry, one row per (entry, language, field,
-- position). Language-neutral texts (signatures) have lang ''. A full-text
-- index is an FTS5 external-content table over this table (content=
-- 'entry_texts', content_rowid='id'), filled by the same import transaction,
-- so adding search needs a migration, not a new import path.
CREATE TABLE entry_texts (
	id       INTEGER PRIMARY KEY,
	entry_id TEXT NOT NULL REFERENCES entries (id) ON DELETE CASCADE,
	lang     TEXT NOT NULL CHECK (lang IN ('', 'en', 'zh')),
	field    TEXT NOT NULL,
	ord      INTEGER NOT NULL,
	body     TEXT NOT NULL,
	UNIQUE (entry_id, lang, field, ord)
) STRICT;
