package store

import (
	"context"
	"path/filepath"
	"testing"
)

// TestReadOnlyHandle: the serving handle cannot write, and the pragmas in
// the DSN reach every pooled connection.
func TestReadOnlyHandle(t *testing.T) {
	ctx := context.Background()
	s, err := Open(ctx, filepath.Join(t.TempDir(), "wskb.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if _, err := s.ro.ExecContext(ctx, `DELETE FROM entries`); err == nil {
		t.Fatal("the read-only handle wrote")
	}
	// Hold two connections at once so the pool must open a second one.
	c1, err := s.ro.Conn(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer c1.Close()
	c2, err := s.ro.Conn(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer c2.Close()
	for _, q := range []struct{ pragma, want string }{
		{"journal_mode", "wal"}, {"foreign_keys", "1"}, {"busy_timeout", "5000"}, {"query_only", "1"},
	} {
		var got1, got2 string
		if err := c1.QueryRowContext(ctx, "PRAGMA "+q.pragma).Scan(&got1); err != nil {
			t.Fatal(err)
		}
		if err := c2.QueryRowContext(ctx, "PRAGMA "+q.pragma).Scan(&got2); err != nil {
			t.Fatal(err)
		}
		if got1 != q.want || got2 != q.want {
			t.Errorf("PRAGMA %s = %q and %q on two connections, want %q", q.pragma, got1, got2, q.want)
		}
	}
	var fk string
	if err := s.rw.QueryRowContext(ctx, "PRAGMA foreign_keys").Scan(&fk); err != nil || fk != "1" {
		t.Errorf("write handle foreign_keys = %q (%v)", fk, err)
	}
}
