// Package store keeps the knowledge base in SQLite: embedded ordered
// migrations, an idempotent import of the entries, and a read-only handle for
// serving.
package store

import (
	"context"
	"crypto/sha256"
	"database/sql"
	"embed"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"sync"
	"time"

	_ "github.com/mattn/go-sqlite3" // registers the "sqlite3" driver

	"github.com/wskb/wskb/kb"
	"github.com/wskb/wskb/kb/search"
)

//go:embed migrations/*.sql
var migrations embed.FS

// Store is the SQLite store. rw is the single writer (imports, later user
// submissions); ro serves reads and cannot write even by mistake.
type Store struct {
	rw *sql.DB
	ro *sql.DB

	// match is the search query, prepared once on the read-only handle:
	// preparing it per call cost as much as running it.
	matchOnce sync.Once
	match     *sql.Stmt
	matchErr  error
}

// Every pragma lives in the DSN, not in a db.Exec("PRAGMA ..."): database/sql
// pools connections and an Exec reaches only one of them, while DSN
// parameters are applied by the driver to each new connection.
//
//	_journal_mode=WAL   readers never block the writer, nor it them
//	_synchronous=NORMAL safe with WAL: a crash loses at most the last commit
//	_busy_timeout=5000  wait up to 5 s for a lock instead of failing at once
//	_foreign_keys=on    enforce REFERENCES (off by default in SQLite)
//	_txlock=immediate   take the write lock at BEGIN, so a transaction never
//	                    fails half-way when it first writes
//	mode=ro             the serving handle opens the file read-only
//	_query_only=on      and refuses writes at the SQL level too
const (
	rwParams = "_journal_mode=WAL&_synchronous=NORMAL&_busy_timeout=5000&_foreign_keys=on&_txlock=immediate"
	roParams = "mode=ro&_query_only=on&_busy_timeout=5000&_foreign_keys=on"
)

// dsn builds a file: URI for path; '%', '?' and '#' in the path are escaped
// so they are not read as URI syntax.
func dsn(path, params string) string {
	p := strings.NewReplacer("%", "%25", "?", "%3f", "#", "%23").Replace(path)
	return "file:" + p + "?" + params
}

// Open opens (creating it and its folder when missing) the database at path
// and brings its schema up to date.
func Open(ctx context.Context, path string) (*Store, error) {
	if path == "" || path == ":memory:" || strings.HasPrefix(path, "file:") {
		// Two handles onto an in-memory database would be two databases.
		return nil, fmt.Errorf("store: %q is not a file path; give the data file's path", path)
	}
	abs, err := filepath.Abs(path)
	if err != nil {
		return nil, fmt.Errorf("store: %w", err)
	}
	path = abs
	if dir := filepath.Dir(path); dir != "" {
		if err := os.MkdirAll(dir, 0o755); err != nil {
			return nil, fmt.Errorf("store: creating the data folder: %w", err)
		}
	}
	rw, err := sql.Open("sqlite3", dsn(path, rwParams))
	if err != nil {
		return nil, fmt.Errorf("store: %w", err)
	}
	rw.SetMaxOpenConns(1) // SQLite has one writer; queue in Go, not on the lock
	s := &Store{rw: rw}
	if err := rw.PingContext(ctx); err != nil {
		rw.Close()
		return nil, fmt.Errorf("store: opening %s: %w", path, err)
	}
	if err := s.migrate(ctx); err != nil {
		rw.Close()
		return nil, err
	}
	ro, err := sql.Open("sqlite3", dsn(path, roParams))
	if err != nil {
		rw.Close()
		return nil, fmt.Errorf("store: %w", err)
	}
	if err := ro.PingContext(ctx); err != nil {
		rw.Close()
		ro.Close()
		return nil, fmt.Errorf("store: opening %s read-only: %w", path, err)
	}
	s.ro = ro
	return s, nil
}

// Close closes both handles.
func (s *Store) Close() error {
	var err error
	if s.match != nil {
		err = s.match.Close()
	}
	return errors.Join(err, s.ro.Close(), s.rw.Close())
}

// migrate applies, in name order, each embedded migration not yet recorded,
// each in its own transaction together with its record.
func (s *Store) migrate(ctx context.Context) error {
	if _, err := s.rw.ExecContext(ctx, `CREATE TABLE IF NOT EXISTS schema_migrations (
		name TEXT PRIMARY KEY, applied_at TEXT NOT NULL) STRICT`); err != nil {
		return fmt.Errorf("store: creating schema_migrations: %w", err)
	}
	names, err := fs.Glob(migrations, "migrations/*.sql")
	if err != nil {
		return err
	}
	sort.Strings(names)
	for _, name := range names {
		if err := s.migrateFile(ctx, name); err != nil {
			return fmt.Errorf("store: migration %s: %w", name, err)
		}
	}
	return nil
}

func (s *Store) migrateFile(ctx context.Context, name string) error {
	var n int
	if err := s.rw.QueryRowContext(ctx, `SELECT count(*) FROM schema_migrations WHERE name = ?`, name).Scan(&n); err != nil {
		return err
	}
	if n > 0 {
		return nil
	}
	body, err := migrations.ReadFile(name)
	if err != nil {
		return err
	}
	tx, err := s.rw.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	if _, err := tx.ExecContext(ctx, string(body)); err != nil {
		return err
	}
	if _, err := tx.ExecContext(ctx, `INSERT INTO schema_migrations (name, applied_at) VALUES (?, ?)`,
		name, time.Now().UTC().Format(time.RFC3339)); err != nil {
		return err
	}
	return tx.Commit()
}

// ImportStats says what an import did.
type ImportStats struct {
	Inserted, Updated, Deleted, Unchanged int
}

// Wrote reports whether the import wrote anything.
func (st ImportStats) Wrote() bool { return st.Inserted+st.Updated+st.Deleted > 0 }

// derivedVersion is mixed into every content hash. Raise it when what the
// import derives from an entry (texts, columns) changes, so that the next
// start re-imports every entry.
const derivedVersion = "2" // 2: the full-text index (migration 0002)

// Import makes the stored entries equal to entries, in one write
// transaction: the stored hashes are read inside it, so two processes
// starting on one file cannot interleave. An entry whose content hash is
// unchanged is not written; when nothing changed the transaction is rolled
// back and the file is left as it was.
func (s *Store) Import(ctx context.Context, entries []*kb.Entry) (ImportStats, error) {
	var st ImportStats
	tx, err := s.rw.BeginTx(ctx, nil)
	if err != nil {
		return st, fmt.Errorf("store: import: %w", err)
	}
	defer tx.Rollback()
	stored, err := hashes(ctx, tx)
	if err != nil {
		return st, err
	}
	now := time.Now().UTC().Format(time.RFC3339)
	keep := make(map[string]bool, len(entries))
	for _, e := range entries {
		doc := e.Canonical()
		sum := sha256.Sum256(append([]byte(derivedVersion+"\n"), doc...))
		h := hex.EncodeToString(sum[:])
		keep[e.ID] = true
		old, ok := stored[e.ID]
		if ok && old == h {
			st.Unchanged++
			continue
		}
		if err := putEntry(ctx, tx, e, doc, h, now); err != nil {
			return ImportStats{}, fmt.Errorf("store: import %s: %w", e.ID, err)
		}
		if ok {
			st.Updated++
		} else {
			st.Inserted++
		}
	}
	for id := range stored {
		if keep[id] {
			continue
		}
		if _, err := tx.ExecContext(ctx, `DELETE FROM entries WHERE id = ?`, id); err != nil {
			return ImportStats{}, fmt.Errorf("store: import: deleting %s: %w", id, err)
		}
		st.Deleted++
	}
	if !st.Wrote() {
		return st, nil // the deferred Rollback ends the read-only transaction
	}
	if err := reindex(ctx, tx); err != nil {
		return ImportStats{}, err
	}
	if err := tx.Commit(); err != nil {
		return ImportStats{}, fmt.Errorf("store: import: %w", err)
	}
	return st, nil
}

// reindex rebuilds the full-text index from entry_texts: one row per
// (entry, language). The whole index is a few hundred rows; rebuilding it
// is simpler than keeping deletes in step with a contentless table, and
// takes milliseconds.
func reindex(ctx context.Context, tx *sql.Tx) error {
	for _, q := range []string{`INSERT INTO entry_fts (entry_fts) VALUES ('delete-all')`, `DELETE FROM entry_fts_rows`} {
		if _, err := tx.ExecContext(ctx, q); err != nil {
			return fmt.Errorf("store: clearing the search index: %w", err)
		}
	}
	rows, err := tx.QueryContext(ctx, `SELECT entry_id, lang, field, body FROM entry_texts ORDER BY entry_id, field, ord`)
	if err != nil {
		return fmt.Errorf("store: reindex: %w", err)
	}
	type doc struct {
		id   string
		cols [5]strings.Builder // title, signatures, summary, body, fixes
	}
	var docs []*doc // per entry: en, zh
	byID := map[string][2]*doc{}
	for rows.Next() {
		var id, lang, field, body string
		if err := rows.Scan(&id, &lang, &field, &body); err != nil {
			rows.Close()
			return fmt.Errorf("store: reindex: %w", err)
		}
		pair, ok := byID[id]
		if !ok {
			pair = [2]*doc{{id: id}, {id: id}}
			byID[id] = pair
			docs = append(docs, pair[0], pair[1])
		}
		col := ftsColumn[field]
		for i, l := range kb.Langs {
			if lang == "" || kb.Lang(lang) == l {
				b := &pair[i].cols[col]
				if b.Len() > 0 {
					b.WriteByte('\n')
				}
				b.WriteString(search.Segment(body))
			}
		}
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return fmt.Errorf("store: reindex: %w", err)
	}
	ins, err := tx.PrepareContext(ctx, `INSERT INTO entry_fts_rows (entry_id, lang) VALUES (?, ?)`)
	if err != nil {
		return fmt.Errorf("store: reindex: %w", err)
	}
	defer ins.Close()
	fts, err := tx.PrepareContext(ctx, `INSERT INTO entry_fts (rowid, title, signatures, summary, body, fixes) VALUES (?, ?, ?, ?, ?, ?)`)
	if err != nil {
		return fmt.Errorf("store: reindex: %w", err)
	}
	defer fts.Close()
	for i, d := range docs {
		res, err := ins.ExecContext(ctx, d.id, kb.Langs[i%2])
		if err != nil {
			return fmt.Errorf("store: reindex: %w", err)
		}
		rowid, err := res.LastInsertId()
		if err != nil {
			return fmt.Errorf("store: reindex: %w", err)
		}
		if _, err := fts.ExecContext(ctx, rowid, d.cols[0].String(), d.cols[1].String(), d.cols[2].String(), d.cols[3].String(), d.cols[4].String()); err != nil {
			return fmt.Errorf("store: reindex: %w", err)
		}
	}
	if _, err := tx.ExecContext(ctx, `INSERT INTO entry_fts (entry_fts) VALUES ('optimize')`); err != nil {
		return fmt.Errorf("store: optimizing the search index: %w", err)
	}
	return nil
}

// ftsColumn is the index column of each kind of text; see texts().
var ftsColumn = map[string]int{
	"title": 0, "signature": 1, "summary": 2, "root_cause": 3,
	"workaround_title": 4, "workaround": 4, "dead_end_title": 4, "dead_end": 4,
}

func hashes(ctx context.Context, tx *sql.Tx) (map[string]string, error) {
	rows, err := tx.QueryContext(ctx, `SELECT id, content_hash FROM entries`)
	if err != nil {
		return nil, fmt.Errorf("store: reading hashes: %w", err)
	}
	defer rows.Close()
	m := map[string]string{}
	for rows.Next() {
		var id, h string
		if err := rows.Scan(&id, &h); err != nil {
			return nil, err
		}
		m[id] = h
	}
	return m, rows.Err()
}

// putEntry writes one entry and replaces its texts.
func putEntry(ctx context.Context, tx *sql.Tx, e *kb.Entry, doc []byte, hash, now string) error {
	if _, err := tx.ExecContext(ctx, `
		INSERT INTO entries (id, domain, category, close_code, http_status, content_hash, doc, imported_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?)
		ON CONFLICT (id) DO UPDATE SET
			domain = excluded.domain, category = excluded.category,
			close_code = excluded.close_code, http_status = excluded.http_status,
			content_hash = excluded.content_hash, doc = excluded.doc,
			imported_at = excluded.imported_at`,
		e.ID, e.Domain, e.Category, e.CloseCode, e.HTTPStatus, hash, string(doc), now); err != nil {
		return err
	}
	if _, err := tx.ExecContext(ctx, `DELETE FROM entry_texts WHERE entry_id = ?`, e.ID); err != nil {
		return err
	}
	stmt, err := tx.PrepareContext(ctx, `INSERT INTO entry_texts (entry_id, lang, field, ord, body) VALUES (?, ?, ?, ?, ?)`)
	if err != nil {
		return err
	}
	defer stmt.Close()
	for _, t := range texts(e) {
		if _, err := stmt.ExecContext(ctx, e.ID, t.lang, t.field, t.ord, t.body); err != nil {
			return err
		}
	}
	return nil
}

type textRow struct {
	lang  kb.Lang
	field string
	ord   int
	body  string
}

// texts lists the searchable texts of e.
func texts(e *kb.Entry) []textRow {
	var rows []textRow
	add := func(field string, ord int, t kb.Text) {
		for _, l := range kb.Langs {
			rows = append(rows, textRow{l, field, ord, t.In(l)})
		}
	}
	add("title", 0, e.Title)
	add("summary", 0, e.Summary)
	add("root_cause", 0, e.RootCause)
	for i, w := range e.Workarounds {
		add("workaround_title", i, w.Title)
		add("workaround", i, w.Body)
	}
	for i, d := range e.DeadEnds {
		add("dead_end_title", i, d.Title)
		add("dead_end", i, d.Why)
	}
	for i, s := range e.Signatures {
		rows = append(rows, textRow{"", "signature", i, s.Text})
	}
	return rows
}

// Entries returns every stored entry in ID order, through the read-only
// handle.
func (s *Store) Entries(ctx context.Context) ([]*kb.Entry, error) {
	rows, err := s.ro.QueryContext(ctx, `SELECT doc FROM entries ORDER BY id`)
	if err != nil {
		return nil, fmt.Errorf("store: reading entries: %w", err)
	}
	defer rows.Close()
	var out []*kb.Entry
	for rows.Next() {
		var doc string
		if err := rows.Scan(&doc); err != nil {
			return nil, err
		}
		e := new(kb.Entry)
		if err := json.Unmarshal([]byte(doc), e); err != nil {
			return nil, fmt.Errorf("store: decoding a stored entry: %w", err)
		}
		out = append(out, e)
	}
	return out, rows.Err()
}

// Match runs an FTS5 query (search.Query.MatchExpr) through the read-only
// handle and returns the matching (entry, language) rows with their bm25
// score, best first: larger is better (SQLite's bm25() is negated). The
// weights are search.ColumnWeights, in the column order of entry_fts.
func (s *Store) Match(ctx context.Context, expr string, limit int) ([]search.Hit, error) {
	if expr == "" {
		return nil, nil
	}
	s.matchOnce.Do(func() { s.match, s.matchErr = s.ro.PrepareContext(context.Background(), matchSQL) })
	if s.matchErr != nil {
		return nil, fmt.Errorf("store: search: %w", s.matchErr)
	}
	rows, err := s.match.QueryContext(ctx, expr, limit)
	if err != nil {
		return nil, fmt.Errorf("store: search: %w", err)
	}
	defer rows.Close()
	var out []search.Hit
	for rows.Next() {
		var h search.Hit
		if err := rows.Scan(&h.EntryID, &h.Lang, &h.Score); err != nil {
			return nil, fmt.Errorf("store: search: %w", err)
		}
		out = append(out, h)
	}
	return out, rows.Err()
}

var matchSQL = func() string {
	w := search.ColumnWeights
	return fmt.Sprintf(`
		SELECT r.entry_id, r.lang, -bm25(entry_fts, %g, %g, %g, %g, %g) AS score
		FROM entry_fts JOIN entry_fts_rows AS r ON r.id = entry_fts.rowid
		WHERE entry_fts MATCH ?
		ORDER BY score DESC
		LIMIT ?`, w[0], w[1], w[2], w[3], w[4])
}()
