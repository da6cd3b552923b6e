-- The full-text index (issue 5): one row per (entry, language), with the
-- entry's texts in five columns so that bm25() can weigh them: title,
-- signatures (language-neutral, in both rows), summary, body (root cause)
-- and fixes (workarounds and dead ends). entry_fts_rows maps a row to its
-- entry and language.
--
-- Contentless (content=''): the table holds only the index, because what it
-- indexes is not the stored text but search.Segment(text), in which every
-- run of Chinese characters is rewritten as its overlapping character
-- pairs (the unicode61 tokenizer would take a whole run for one token). The
-- import rebuilds both tables in its transaction whenever an entry changed.
--
-- (detail=column would make queries cheaper, but bm25() on a contentless
-- table needs the positions: with it every score is 0.)
-- porter: English words match across inflections (closed ~ close).
CREATE VIRTUAL TABLE entry_fts USING fts5 (
	title, signatures, summary, body, fixes,
	content = '',
	tokenize = 'porter unicode61 remove_diacritics 2'
);

CREATE TABLE entry_fts_rows (
	id       INTEGER PRIMARY KEY,
	entry_id TEXT NOT NULL,
	lang     TEXT NOT NULL CHECK (lang IN ('en', 'zh'))
) STRICT;
