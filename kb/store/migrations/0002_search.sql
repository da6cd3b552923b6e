-- The full-text index over entry_texts (issue 5). Contentless (content=''):
-- it holds only the index, keyed by entry_texts.id, because what it indexes
-- is not the stored body but search.Segment(body), in which every run of
-- Chinese characters is rewritten as its overlapping character pairs (the
-- unicode61 tokenizer would take a whole run for one token). An
-- external-content table would re-tokenize the unsegmented body for
-- snippet() and 'rebuild' and disagree with its own index. The import
-- rebuilds this table in the same transaction whenever any entry changed.
--
-- porter: English words match across inflections (closed ~ close);
-- remove_diacritics 2: as unicode61's default in recent SQLite.
CREATE VIRTUAL TABLE entry_fts USING fts5 (
	body,
	content = '',
	tokenize = 'porter unicode61 remove_diacritics 2'
);
