package main

import (
	"bytes"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"
)

func runCmd(args ...string) (int, string, string) {
	var out, errb bytes.Buffer
	code := run(args, &out, &errb)
	return code, out.String(), errb.String()
}

func TestCheck(t *testing.T) {
	code, out, _ := runCmd("check")
	if code != 0 || !strings.Contains(out, "all valid") {
		t.Fatalf("check of the embedded entries: %d %q", code, out)
	}
	code, out, _ = runCmd("check", "../../entries")
	if code != 0 || !strings.Contains(out, "all valid") {
		t.Fatalf("check of entries/: %d %q", code, out)
	}

	dir := t.TempDir()
	bad := filepath.Join(dir, "communication")
	os.MkdirAll(bad, 0o755)
	os.WriteFile(filepath.Join(bad, "x.toml"), []byte("id = \"communication/y\"\ncategory = \"nope\"\n"), 0o644)
	code, _, errs := runCmd("check", dir)
	if code != 1 {
		t.Fatalf("check of a bad entry exited %d", code)
	}
	for _, want := range []string{"communication/x.toml: id: \"communication/y\" does not match", "communication/x.toml: category: \"nope\" is not a known category", "communication/x.toml: title: missing", "problem(s) in"} {
		if !strings.Contains(errs, want) {
			t.Errorf("check output lacks %q:\n%s", want, errs)
		}
	}

	for _, args := range [][]string{{"check", "a", "b"}, {"check", "/no/such/folder"}, {"frobnicate"}, {"serve", "extra"}, {"serve", "--nope"}, {"serve", "--db", ""}} {
		if code, _, _ := runCmd(args...); code != 2 {
			t.Errorf("%v exited %d, want 2 (usage)", args, code)
		}
	}
	if code, out, _ := runCmd("help"); code != 0 || !strings.Contains(out, "wskb check") {
		t.Errorf("help: %d %q", code, out)
	}
}

// TestServeShutsDownOnSignal runs the service as main would, with the data
// file in a folder that does not exist yet, answers a request, and stops
// cleanly on SIGTERM with the store closed.
func TestServeShutsDownOnSignal(t *testing.T) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := l.Addr().String()
	l.Close()
	db := filepath.Join(t.TempDir(), "new", "folder", "wskb.db")
	t.Setenv("WSKB_DB", db)

	done := make(chan int, 1)
	var errb bytes.Buffer
	go func() { done <- serve([]string{"--addr", addr}, &errb) }()

	deadline := time.Now().Add(10 * time.Second)
	for {
		resp, err := http.Get("http://" + addr + "/healthz")
		if err == nil {
			resp.Body.Close()
			if resp.StatusCode != 200 {
				t.Fatalf("healthz: %d", resp.StatusCode)
			}
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("server did not come up: %v", err)
		}
		time.Sleep(20 * time.Millisecond)
	}
	if err := syscall.Kill(os.Getpid(), syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	select {
	case code := <-done:
		if code != 0 {
			t.Fatalf("serve exited %d: %s", code, errb.String())
		}
	case <-time.After(15 * time.Second):
		t.Fatal("serve did not stop on SIGTERM")
	}
	if _, err := os.Stat(db); err != nil {
		t.Fatalf("data file not created: %v", err)
	}
	// Closing the last connection checkpoints the WAL and removes it.
	if _, err := os.Stat(db + "-wal"); !os.IsNotExist(err) {
		t.Errorf("the store was not closed: %s-wal still exists (%v)", db, err)
	}
}

func TestDefaultDB(t *testing.T) {
	t.Setenv("XDG_DATA_HOME", "/data/home")
	if got := defaultDB(); got != "/data/home/wskb/wskb.db" {
		t.Errorf("defaultDB() = %q", got)
	}
	t.Setenv("XDG_DATA_HOME", "relative/ignored")
	t.Setenv("HOME", "/home/u")
	if got := defaultDB(); got != "/home/u/.local/share/wskb/wskb.db" {
		t.Errorf("defaultDB() = %q", got)
	}
}
