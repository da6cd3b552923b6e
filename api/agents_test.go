package api_test

import (
	"bufio"
	"encoding/json"
	"regexp"
	"strings"
	"testing"

	"github.com/wskb/wskb/entries"
	"github.com/wskb/wskb/kb"
)

// TestAgentFormats: the bulk and agent formats hold every entry.
func TestAgentFormats(t *testing.T) {
	srv := newServer(t)
	list, err := kb.Load(entries.FS, "entries/")
	if err != nil {
		t.Fatal(err)
	}

	rec := do(t, srv, req{path: "/api/v1/entries.ndjson"})
	if rec.Code != 200 || !strings.HasPrefix(rec.Header().Get("Content-Type"), "application/x-ndjson") {
		t.Fatalf("ndjson: %d %s", rec.Code, rec.Header().Get("Content-Type"))
	}
	n := 0
	sc := bufio.NewScanner(strings.NewReader(rec.Body.String()))
	sc.Buffer(make([]byte, 1<<20), 1<<20)
	for sc.Scan() {
		var e kb.Entry
		if err := json.Unmarshal(sc.Bytes(), &e); err != nil || e.ID != list[n].ID || e.Title.ZH == "" {
			t.Fatalf("ndjson line %d: %v %q", n+1, err, e.ID)
		}
		n++
	}
	if n != len(list) {
		t.Errorf("ndjson has %d lines for %d entries", n, len(list))
	}

	rec = do(t, srv, req{path: "/api/v1/match.json"})
	var m struct {
		Entries []struct {
			ID         string
			Title      kb.Text
			Signatures []string
			URL        string
		}
	}
	if err := json.Unmarshal(rec.Body.Bytes(), &m); err != nil || len(m.Entries) != len(list) {
		t.Fatalf("match.json: %v, %d entries", err, len(m.Entries))
	}
	for i, e := range m.Entries {
		if e.ID != list[i].ID || len(e.Signatures) != len(list[i].Signatures) || e.URL != "/api/v1/entries/"+e.ID || e.Title.EN == "" {
			t.Errorf("match row %+v", e)
		}
	}
	if rec.Body.Len() > 200<<10 {
		t.Errorf("match.json is %d bytes; it is meant to fit in a prompt", rec.Body.Len())
	}

	link := regexp.MustCompile(`^- \[(?:[^\]\\]|\\.)+\]\((http://wskb\.test/[^)\s]+)\)(: .+)?$`)
	for _, tt := range []struct{ path, lang string }{{"/llms.txt", "en"}, {"/zh/llms.txt", "zh"}} {
		rec := do(t, srv, req{path: tt.path})
		body := rec.Body.String()
		lines := strings.Split(body, "\n")
		if rec.Code != 200 || lines[0] != "# wskb" || !strings.HasPrefix(lines[2], "> ") || !strings.Contains(body, "\n## ") || !strings.Contains(body, "\n## Optional\n") {
			t.Errorf("%s does not follow the llms.txt format:\n%.300s", tt.path, body)
		}
		links := 0
		for _, l := range lines {
			if strings.HasPrefix(l, "- [") {
				if !link.MatchString(l) {
					t.Errorf("%s: link line %q", tt.path, l)
				}
				links++
			}
		}
		if links < len(list) {
			t.Errorf("%s links %d documents for %d entries", tt.path, links, len(list))
		}
		if tt.lang == "zh" && !strings.Contains(body, "/zh/entries/") {
			t.Errorf("%s links English pages", tt.path)
		}
		// Every link resolves.
		for _, l := range lines {
			if sm := link.FindStringSubmatch(l); sm != nil {
				if r := do(t, srv, req{path: strings.TrimPrefix(sm[1], "http://wskb.test")}); r.Code != 200 {
					t.Errorf("%s links %s: %d", tt.path, sm[1], r.Code)
				}
			}
		}
	}
	full := do(t, srv, req{path: "/llms-full.txt"}).Body.String()
	for _, e := range list {
		if !strings.Contains(full, "# "+e.Title.EN) {
			t.Errorf("llms-full.txt lacks %s", e.ID)
		}
	}
}
