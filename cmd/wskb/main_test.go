package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/wskb/wskb/api"
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

func TestDecodeCmd(t *testing.T) {
	run := func(stdin string, args ...string) (int, string, string) {
		var out, errb bytes.Buffer
		code := decodeCmd(args, strings.NewReader(stdin), &out, &errb)
		return code, out.String(), errb.String()
	}
	code, out, _ := run("", "81 85 37 fa 21 3d 7f 9f 4d 51 58")
	if code != 0 || !strings.Contains(out, `48656c6c6f "Hello"`) || !strings.Contains(out, "37fa213d") {
		t.Errorf("decode: %d\n%s", code, out)
	}
	code, out, _ = run("00000000: c107 f248 cdc9 c907 00                   ...H.....\n", "--deflate", "-")
	if code != 0 || !strings.Contains(out, "input: xxd") || !strings.Contains(out, "compressed") || !strings.Contains(out, `"Hello"`) {
		t.Errorf("decode from stdin: %d\n%s", code, out)
	}
	code, out, _ = run("", "--role", "client", "81 05 48 65 6c 6c 6f")
	if code != 1 || !strings.Contains(out, "close 1002 (RFC 6455 §5.1)") {
		t.Errorf("unmasked client frame: %d\n%s", code, out)
	}
	code, out, _ = run("", "--json", "88 02 03 e9")
	var doc map[string]any
	if code != 0 || json.Unmarshal([]byte(out), &doc) != nil || doc["frames"] == nil {
		t.Errorf("--json: %d\n%s", code, out)
	}
	code, out, _ = run("", "--deflate", "--max-inflated", "3", "c1 07 f2 48 cd c9 c9 07 00")
	if code != 1 || !strings.Contains(out, "close 1009") {
		t.Errorf("--max-inflated: %d\n%s", code, out)
	}
	if code, _, errs := run("", "81 zz"); code != 2 || !strings.Contains(errs, "line 1, column 4") {
		t.Errorf("bad input: %d %s", code, errs)
	}
	if code, _, _ := run("", "a", "b"); code != 2 {
		t.Errorf("two arguments: %d", code)
	}
}

func TestEncodeCmd(t *testing.T) {
	for _, tt := range []struct {
		args []string
		out  string
	}{
		{[]string{"Hello"}, "810548656c6c6f\n"},
		{[]string{"--mask", "37fa213d", "Hello"}, "818537fa213d7f9f4d5158\n"},
		{[]string{"--close-code", "1009", "--close-reason", "too big"}, "880903f1746f6f20626967\n"},
		{[]string{"--opcode", "binary", "--payload-hex", "0x01 0x02"}, "82020102\n"},
		{[]string{"--no-fin", "--length-bits", "16", "Hel"}, "017e000348656c\n"},
	} {
		var out, errb bytes.Buffer
		if code := encodeCmd(tt.args, &out, &errb); code != 0 || out.String() != tt.out {
			t.Errorf("encode %v: %d %q %s, want %q", tt.args, code, out.String(), errb.String(), tt.out)
		}
	}
	for _, args := range [][]string{{"--opcode", "nope"}, {"--mask", "zz"}, {"--close-code", "70000"}, {"a", "b"}, {"--length-bits", "7", strings.Repeat("x", 200)}} {
		var out, errb bytes.Buffer
		if code := encodeCmd(args, &out, &errb); code != 2 {
			t.Errorf("encode %v: exit %d", args, code)
		}
	}
}

func TestHandshakeCmd(t *testing.T) {
	dir := t.TempDir()
	write := func(name, s string) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, []byte(s), 0o644); err != nil {
			t.Fatal(err)
		}
		return p
	}
	curl := "> GET /chat HTTP/1.1\n> Host: localhost:8080\n> Upgrade: websocket\n> Connection: Upgrade\n> Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\n> Sec-WebSocket-Version: 13\n> Origin: http://localhost:8080\n>\n" +
		"< HTTP/1.1 101 Switching Protocols\n< Upgrade: websocket\n< Connection: Upgrade\n< Sec-WebSocket-Accept: s3pPLMBiTxaQ9kYGzzhZRbK+xOo=\n<\n"
	if code, out, errs := runCmd("handshake", write("ok.txt", curl)); code != 0 || !strings.Contains(out, "verdict: ok") {
		t.Errorf("good handshake: %d\n%s%s", code, out, errs)
	}
	req := write("req.txt", "GET /chat HTTP/1.1\nHost: a\nUpgrade: websocket\nConnection: Upgrade\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\nSec-WebSocket-Version: 13\n")
	resp := write("resp.txt", "HTTP/1.1 200 OK\nContent-Type: text/html\n")
	if code, out, _ := runCmd("handshake", "--response", resp, req); code != 1 || !strings.Contains(out, "verdict: broken") || !strings.Contains(out, "handshake-200-instead-of-101") {
		t.Errorf("200 response: %d\n%s", code, out)
	}
	if code, out, _ := runCmd("handshake", "--json", write("ok2.txt", curl)); code != 0 || !strings.Contains(out, `"verdict": "ok"`) {
		t.Errorf("--json: %d\n%s", code, out)
	}
	if code, _, errs := runCmd("handshake", write("bad.txt", "GET / HTTP/1.1\nno colon here\n")); code != 2 || !strings.Contains(errs, "line 2") {
		t.Errorf("bad input: %d %s", code, errs)
	}
	if code, _, errs := runCmd("handshake", filepath.Join(dir, "missing.txt")); code != 2 || errs == "" {
		t.Errorf("missing file: %d %s", code, errs)
	}
	if code, _, _ := runCmd("handshake", "a", "b"); code != 2 {
		t.Errorf("two files: %d", code)
	}
}

func TestLookupCmd(t *testing.T) {
	if code, out, _ := runCmd("lookup", "1009"); code != 0 || !strings.Contains(out, "Close code 1009 Message Too Big\n====") || !strings.Contains(out, "communication/websocket-close-frame-1009-message-too-large") {
		t.Errorf("lookup 1009: %d\n%.300s", code, out)
	}
	if code, out, _ := runCmd("lookup", "--lang", "zh", "communication/websocket-close-frame-1009-message-too-large"); code != 0 || !strings.Contains(out, "关闭码 1009") {
		t.Errorf("lookup id zh: %d\n%.200s", code, out)
	}
	code, out, _ := runCmd("lookup", "--json", "communication/websocket-close-frame-1009-message-too-large")
	var v map[string]any
	if code != 0 || json.Unmarshal([]byte(out), &v) != nil || v["id"] != "communication/websocket-close-frame-1009-message-too-large" {
		t.Errorf("lookup --json: %d", code)
	}
	if code, out, _ := runCmd("lookup", "--md", "4321"); code != 0 || !strings.HasPrefix(out, "# Close code 4321") {
		t.Errorf("lookup --md 4321: %d\n%.100s", code, out)
	}
	for _, args := range [][]string{{"lookup", "communication/nope"}, {"lookup", "99999"}} {
		if code, _, errs := runCmd(args...); code != 1 || errs == "" {
			t.Errorf("%v: %d %s", args, code, errs)
		}
	}
	for _, args := range [][]string{{"lookup"}, {"lookup", "--lang", "fr", "1009"}, {"lookup", "--json", "--md", "1009"}, {"lookup", "a", "b"}} {
		if code, _, _ := runCmd(args...); code != 2 {
			t.Errorf("%v: %d, want 2", args, code)
		}
	}
}

func TestExportCmd(t *testing.T) {
	base := t.TempDir()
	for _, tt := range []struct {
		format string
		file   string
	}{{"json", "communication/websocket-close-frame-1009-message-too-large.json"}, {"md", "zh/communication/websocket-close-frame-1009-message-too-large.md"}, {"ndjson", "entries.ndjson"}} {
		dir := filepath.Join(base, tt.format)
		if code, out, errs := runCmd("export", "--format", tt.format, dir); code != 0 || !strings.Contains(out, "wrote") {
			t.Fatalf("export %s: %d %s", tt.format, code, errs)
		}
		if _, err := os.Stat(filepath.Join(dir, filepath.FromSlash(tt.file))); err != nil {
			t.Errorf("export %s: %v", tt.format, err)
		}
	}
	// A folder that is not empty is refused; an unwritable place writes nothing.
	if code, _, errs := runCmd("export", filepath.Join(base, "json")); code != 2 || !strings.Contains(errs, "not empty") {
		t.Errorf("non-empty folder: %d %s", code, errs)
	}
	ro := filepath.Join(base, "ro")
	if err := os.Mkdir(ro, 0o555); err != nil {
		t.Fatal(err)
	}
	if os.Geteuid() != 0 { // root writes anywhere
		if code, _, errs := runCmd("export", filepath.Join(ro, "out")); code != 1 || errs == "" {
			t.Errorf("unwritable: %d %s", code, errs)
		}
	}
	if code, _, errs := runCmd("export", filepath.Join(base, "missing", "deeper", "out")); code != 1 || !strings.Contains(errs, "cannot write") {
		t.Errorf("missing parent: %d %s", code, errs)
	}
	if ents, _ := filepath.Glob(filepath.Join(base, ".wskb-export-*")); len(ents) != 0 {
		t.Errorf("left partial exports: %v", ents)
	}
	if code, _, _ := runCmd("export", "--format", "xml", filepath.Join(base, "x")); code != 2 {
		t.Errorf("bad format: %d", code)
	}
}

// TestReadmeExamples runs the examples of the README's "Use from tools":
// each curl line against the real server (through httptest), each wskb
// line through run, as written. Every one must succeed.
func TestReadmeExamples(t *testing.T) {
	b, err := os.ReadFile("../../README.md")
	if err != nil {
		t.Fatal(err)
	}
	s := string(b)
	start := strings.Index(s, "## Use from tools")
	if start < 0 {
		t.Fatal("the README has no Use from tools section")
	}
	s = s[start+1:]
	if end := strings.Index(s, "\n## "); end >= 0 {
		s = s[:end]
	}
	srv, st, err := api.Boot(context.Background(), api.Embedded(), filepath.Join(t.TempDir(), "wskb.db"), slog.New(slog.DiscardHandler))
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	ran := 0
	for _, block := range strings.Split(s, "```sh\n")[1:] {
		block = block[:strings.Index(block, "```")]
		for _, line := range strings.Split(strings.TrimSpace(block), "\n") {
			if pipe, cmd, ok := strings.Cut(line, " | wskb "); ok {
				// printf '%s\n' LINE... | wskb CMD: the lines are its stdin.
				in, err := shellWords(pipe)
				if err != nil || in[0] != "printf" || in[1] != "%s\\n" {
					t.Fatalf("%s: only printf '%%s\\n' pipes are understood", line)
				}
				args, _ := shellWords(cmd)
				if args[0] != "mcp" {
					t.Fatalf("%s: only wskb mcp reads a pipe", line)
				}
				var out, errb bytes.Buffer
				stdin := strings.Join(in[2:], "\n") + "\n"
				args = append(args, "--db", filepath.Join(t.TempDir(), "mcp.db"))
				if code := mcpCmd(args[1:], strings.NewReader(stdin), &out, &errb); code != 0 || !strings.Contains(out.String(), `"id":2`) || strings.Contains(out.String(), `"isError":true`) {
					t.Errorf("%s: exit %d\n%.500s%s", line, code, out.String(), errb.String())
				}
				ran++
				continue
			}
			words, err := shellWords(line)
			if err != nil {
				t.Fatalf("%s: %v", line, err)
			}
			switch words[0] {
			case "curl":
				method, url, body, header := http.MethodGet, "", "", http.Header{}
				for i := 1; i < len(words); i++ {
					switch words[i] {
					case "-s":
					case "-X":
						i++
						method = words[i]
					case "-H":
						i++
						k, v, _ := strings.Cut(words[i], ": ")
						header.Set(k, v)
					case "-d":
						i++
						body = words[i]
					default:
						url = words[i]
					}
				}
				r := httptest.NewRequest(method, url, strings.NewReader(body))
				r.Header = header
				rec := httptest.NewRecorder()
				srv.ServeHTTP(rec, r)
				if rec.Code != http.StatusOK || rec.Body.Len() == 0 || strings.Contains(rec.Body.String(), `"isError":true`) {
					t.Errorf("%s: %d\n%.300s", line, rec.Code, rec.Body)
				}
			case "wskb":
				args := words[1:]
				if args[0] == "export" {
					args[len(args)-1] = filepath.Join(t.TempDir(), "export")
				}
				if args[0] == "search" {
					args = append([]string{"search", "--db", filepath.Join(t.TempDir(), "cli.db")}, args[1:]...)
				}
				if code, out, errs := runCmd(args...); code != 0 || out == "" {
					t.Errorf("%s: exit %d\n%.300s%s", line, code, out, errs)
				}
			default:
				t.Errorf("%s: not a curl or wskb line", line)
			}
			ran++
		}
	}
	if ran < 10 {
		t.Errorf("ran %d examples", ran)
	}
}

// shellWords splits a command line as a POSIX shell would for the quoting
// the README uses: single quotes, double quotes with \\ escapes, spaces.
func shellWords(s string) ([]string, error) {
	var words []string
	var cur strings.Builder
	in := false
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c == '\'':
			j := strings.IndexByte(s[i+1:], '\'')
			if j < 0 {
				return nil, fmt.Errorf("unclosed '")
			}
			cur.WriteString(s[i+1 : i+1+j])
			i += j + 1
			in = true
		case c == '"':
			i++
			for ; i < len(s) && s[i] != '"'; i++ {
				if s[i] == '\\' && i+1 < len(s) && strings.ContainsRune("\"\\$`", rune(s[i+1])) {
					i++
				}
				cur.WriteByte(s[i])
			}
			if i >= len(s) {
				return nil, fmt.Errorf("unclosed \"")
			}
			in = true
		case c == ' ':
			if in {
				words = append(words, cur.String())
				cur.Reset()
				in = false
			}
		default:
			cur.WriteByte(c)
			in = true
		}
	}
	if in {
		words = append(words, cur.String())
	}
	if len(words) == 0 {
		return nil, fmt.Errorf("empty line")
	}
	return words, nil
}
