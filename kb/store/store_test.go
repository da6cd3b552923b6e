package store_test

import (
	"context"
	"crypto/sha256"
	"database/sql"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/wskb/wskb/entries"
	"github.com/wskb/wskb/kb"
	"github.com/wskb/wskb/kb/store"
)

// mustOpen opens a real database file in a fresh temporary folder (a nested
// one, to check that Open creates missing folders).
func mustOpen(tb testing.TB, path string) *store.Store {
	tb.Helper()
	st, err := store.Open(context.Background(), path)
	if err != nil {
		tb.Fatal(err)
	}
	return st
}

func shippedEntries(tb testing.TB) []*kb.Entry {
	tb.Helper()
	list, err := kb.Load(entries.FS, "entries/")
	if err != nil {
		tb.Fatal(err)
	}
	return list
}

func fileSum(tb testing.TB, path string) [32]byte {
	tb.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		tb.Fatal(err)
	}
	return sha256.Sum256(b)
}

// TestImportIdempotent: a second start with the same content writes nothing
// at all: the import reports no change and the database file is
// byte-for-byte the same.
func TestImportIdempotent(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "nested", "folder", "wskb.db")
	list := shippedEntries(t)

	st := mustOpen(t, path)
	stats, err := st.Import(ctx, list)
	if err != nil {
		t.Fatal(err)
	}
	if stats.Inserted != len(list) || stats.Wrote() == false {
		t.Fatalf("first import: %+v, want %d inserted", stats, len(list))
	}
	if err := st.Close(); err != nil {
		t.Fatal(err)
	}
	before := fileSum(t, path)

	st = mustOpen(t, path)
	stats, err = st.Import(ctx, shippedEntries(t))
	if err != nil {
		t.Fatal(err)
	}
	if stats.Wrote() || stats.Unchanged != len(list) {
		t.Fatalf("second import wrote: %+v", stats)
	}
	if err := st.Close(); err != nil {
		t.Fatal(err)
	}
	if after := fileSum(t, path); after != before {
		t.Fatal("the database file changed although nothing was imported")
	}
}

// TestImportReplaces: changed content is replaced, new entries are added and
// missing ones removed, and the stored entry reads back equal.
func TestImportReplaces(t *testing.T) {
	ctx := context.Background()
	st := mustOpen(t, filepath.Join(t.TempDir(), "wskb.db"))
	defer st.Close()
	list := shippedEntries(t)
	if _, err := st.Import(ctx, list); err != nil {
		t.Fatal(err)
	}

	changed := *list[0]
	changed.Title.EN = "A changed title"
	extra := *list[0]
	extra.ID, extra.Title.EN = "communication/extra-entry", "Extra"
	stats, err := st.Import(ctx, []*kb.Entry{&changed, &extra})
	if err != nil {
		t.Fatal(err)
	}
	if stats.Updated != 1 || stats.Inserted != 1 || stats.Deleted != len(list)-1 {
		t.Fatalf("stats %+v", stats)
	}
	got, err := st.Entries(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 2 || got[0].ID >= got[1].ID {
		t.Fatalf("read back %d entries, want 2 in ID order", len(got))
	}
	byID := map[string]*kb.Entry{got[0].ID: got[0], got[1].ID: got[1]}
	if byID[extra.ID] == nil || byID[changed.ID] == nil {
		t.Fatalf("read back %s and %s, want %s and %s", got[0].ID, got[1].ID, extra.ID, changed.ID)
	}
	if c := byID[changed.ID]; string(c.Canonical()) != string(changed.Canonical()) || c.Title.EN != "A changed title" {
		t.Errorf("stored entry differs from the imported one")
	}

	stats, err = st.Import(ctx, []*kb.Entry{&changed})
	if err != nil || stats.Deleted != 1 || stats.Unchanged != 1 {
		t.Fatalf("removing an entry: %+v, %v", stats, err)
	}
}

// TestImportAtomic: an import that fails after it has written part of its
// changes leaves the stored content as it was. A trigger, added through a
// second connection to the same file, makes the last insert fail.
func TestImportAtomic(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "wskb.db")
	st := mustOpen(t, path)
	defer st.Close()
	list := shippedEntries(t)
	if _, err := st.Import(ctx, list); err != nil {
		t.Fatal(err)
	}
	db := rawDB(t, path)
	if _, err := db.Exec(`CREATE TRIGGER poison BEFORE INSERT ON entries WHEN NEW.id = 'communication/zz-poison'
		BEGIN SELECT RAISE(ABORT, 'poisoned'); END`); err != nil {
		t.Fatal(err)
	}
	changed := *list[0]
	changed.Title.EN = "Should not be kept"
	poison := *list[0]
	poison.ID = "communication/zz-poison"
	if _, err := st.Import(ctx, []*kb.Entry{&changed, &poison}); err == nil || !strings.Contains(err.Error(), "poisoned") {
		t.Fatalf("import did not fail on the trigger: %v", err)
	}
	got, err := st.Entries(ctx)
	if err != nil || len(got) != len(list) || got[0].Title.EN == "Should not be kept" {
		t.Fatalf("a failed import left changes behind: %d entries, %v", len(got), err)
	}
	var n int
	db.QueryRow(`SELECT count(*) FROM entry_texts WHERE body = 'Should not be kept'`).Scan(&n)
	if n != 0 {
		t.Fatal("a failed import left texts behind")
	}
}

// TestEntryTexts: the searchable texts are stored one row per language and
// field, replaced when an entry changes, removed with it, and an updated
// entry keeps its row (so later tables can reference it).
func TestEntryTexts(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "wskb.db")
	st := mustOpen(t, path)
	defer st.Close()
	list := shippedEntries(t)
	e := *list[0]
	if _, err := st.Import(ctx, []*kb.Entry{&e}); err != nil {
		t.Fatal(err)
	}
	db := rawDB(t, path)
	count := func(q string, args ...any) int {
		t.Helper()
		var n int
		if err := db.QueryRow(q, args...).Scan(&n); err != nil {
			t.Fatal(err)
		}
		return n
	}
	rowid := func() int { return count(`SELECT rowid FROM entries WHERE id = ?`, e.ID) }
	want := 2*(3+2*len(e.Workarounds)+2*len(e.DeadEnds)) + len(e.Signatures)
	if n := count(`SELECT count(*) FROM entry_texts WHERE entry_id = ?`, e.ID); n != want {
		t.Fatalf("%d text rows, want %d", n, want)
	}
	if n := count(`SELECT count(*) FROM entry_texts WHERE entry_id = ? AND lang = 'zh' AND field = 'title' AND body = ?`, e.ID, e.Title.ZH); n != 1 {
		t.Fatalf("Chinese title row missing")
	}
	before := rowid()

	e.Title.EN = "A new title"
	e.Signatures = e.Signatures[:1]
	if _, err := st.Import(ctx, []*kb.Entry{&e}); err != nil {
		t.Fatal(err)
	}
	if rowid() != before {
		t.Error("an updated entry got a new row: references to it would break")
	}
	if n := count(`SELECT count(*) FROM entry_texts WHERE entry_id = ? AND field = 'signature'`, e.ID); n != 1 {
		t.Errorf("%d signature rows after the update, want 1", n)
	}
	if n := count(`SELECT count(*) FROM entry_texts WHERE body = 'A new title' AND lang = 'en'`); n != 1 {
		t.Error("the new title is not stored")
	}
	if _, err := st.Import(ctx, nil); err != nil {
		t.Fatal(err)
	}
	if n := count(`SELECT count(*) FROM entry_texts`); n != 0 {
		t.Errorf("%d text rows left after the entry was removed", n)
	}
}

// rawDB opens a second, independent connection to the file, as another
// process would.
func rawDB(tb testing.TB, path string) *sql.DB {
	tb.Helper()
	db, err := sql.Open("sqlite3", "file:"+path+"?_busy_timeout=5000&_foreign_keys=on")
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { db.Close() })
	return db
}

// TestOpenRejectsNonFiles: an empty path or :memory: would give the two
// handles two different databases.
func TestOpenRejectsNonFiles(t *testing.T) {
	for _, p := range []string{"", ":memory:", "file::memory:"} {
		if _, err := store.Open(context.Background(), p); err == nil || !strings.Contains(err.Error(), "not a file path") {
			t.Errorf("Open(%q) = %v", p, err)
		}
	}
	// A doubled leading slash is a path, not a URI authority.
	path := "/" + filepath.Join(t.TempDir(), "wskb.db")
	st, err := store.Open(context.Background(), path)
	if err != nil {
		t.Fatalf("Open(%q): %v", path, err)
	}
	st.Close()
}

// TestMigrationsRecorded: migrations run once and are recorded; reopening
// runs none again.
func TestMigrationsRecorded(t *testing.T) {
	path := filepath.Join(t.TempDir(), "wskb.db")
	mustOpen(t, path).Close()
	before := fileSum(t, path)
	mustOpen(t, path).Close()
	if fileSum(t, path) != before {
		t.Fatal("reopening changed the database")
	}
}

// TestOpenErrors: a data file that cannot be created is a clear error.
func TestOpenErrors(t *testing.T) {
	dir := t.TempDir()
	blocker := filepath.Join(dir, "file")
	if err := os.WriteFile(blocker, []byte("x"), 0o600); err != nil {
		t.Fatal(err)
	}
	_, err := store.Open(context.Background(), filepath.Join(blocker, "wskb.db"))
	if err == nil || !strings.Contains(err.Error(), "data folder") {
		t.Fatalf("want a data-folder error, got %v", err)
	}
	notDB := filepath.Join(dir, "garbage.db")
	if err := os.WriteFile(notDB, []byte(strings.Repeat("not a database ", 100)), 0o600); err != nil {
		t.Fatal(err)
	}
	if _, err := store.Open(context.Background(), notDB); err == nil {
		t.Fatal("opening a file that is not a database succeeded")
	}
}

// TestSpecialPath: a path with URI characters in it opens the right file.
func TestSpecialPath(t *testing.T) {
	path := filepath.Join(t.TempDir(), "a?b#c%d", "wskb.db")
	st := mustOpen(t, path)
	st.Close()
	if _, err := os.Stat(path); err != nil {
		t.Fatalf("database not at %s: %v", path, err)
	}
}
