package kb_test

import (
	"errors"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/wskb/wskb/entries"
	"github.com/wskb/wskb/kb"
	"github.com/wskb/wskb/kb/kbtest"
)

// validEntry is a minimal entry that passes every rule; each test case
// breaks exactly one thing.
const validEntry = kbtest.SampleEntry

const path = kbtest.SamplePath

func load(files map[string]string) ([]*kb.Entry, kb.Problems) {
	fsys := fstest.MapFS{}
	for name, body := range files {
		fsys[name] = &fstest.MapFile{Data: []byte(body)}
	}
	list, err := kb.Load(fsys, "entries/")
	if err == nil {
		return list, nil
	}
	var ps kb.Problems
	if !errors.As(err, &ps) {
		panic(err)
	}
	return nil, ps
}

func TestLoadValid(t *testing.T) {
	list, ps := load(map[string]string{path: validEntry, "README.md": "ignored"})
	if ps != nil {
		t.Fatalf("valid entry rejected:\n%v", ps)
	}
	if len(list) != 1 {
		t.Fatalf("got %d entries, want 1", len(list))
	}
	e := list[0]
	if e.Domain != "communication" || e.Slug() != "sample-entry" || *e.CloseCode != 1009 || e.HTTPStatus != nil {
		t.Errorf("decoded wrongly: domain %q slug %q code %v status %v", e.Domain, e.Slug(), e.CloseCode, e.HTTPStatus)
	}
	if e.Metrics.Confidence.N != 3 || e.Workarounds[0].Code[0].Snippet != "x()" {
		t.Errorf("nested fields not decoded: %+v", e.Metrics.Confidence)
	}
}

// TestLoadRules breaks one rule per case and expects a problem naming the
// file and field.
func TestLoadRules(t *testing.T) {
	tests := []struct {
		name, old, new, field, msg string
	}{
		{"id missing", `id = "communication/sample-entry"`, ``, "id", "missing"},
		{"id form", `id = "communication/sample-entry"`, `id = "Communication/Sample Entry"`, "id", "not of the form"},
		{"id path", `id = "communication/sample-entry"`, `id = "communication/other"`, "id", "does not match the file's path"},
		{"unknown domain", `id = "communication/sample-entry"`, `id = "database/sample-entry"`, "id", "not a known domain"},
		{"category", `category = "protocol_error"`, `category = "oops"`, "category", "not a known category"},
		{"category missing", `category = "protocol_error"`, ``, "category", "missing"},
		{"close code low", `close_code = 1009`, `close_code = 999`, "close_code", "outside 1000–4999"},
		{"close code high", `close_code = 1009`, `close_code = 5000`, "close_code", "outside 1000–4999"},
		{"http status", `close_code = 1009`, `http_status = 99`, "http_status", "not an HTTP status"},
		{"http status high", `close_code = 1009`, `http_status = 600`, "http_status", "not an HTTP status"},
		{"zh missing", `title = { en = "Sample", zh = "示例" }`, `title = { en = "Sample" }`, "title.zh", "missing or empty"},
		{"en missing", `summary = { en = "A sample entry.", zh = "一个示例条目。" }`, `summary = { en = " ", zh = "一个示例条目。" }`, "summary.en", "missing or empty"},
		{"both missing", `root_cause = { en = "Because.", zh = "因为。" }`, ``, "root_cause", "give both en and zh"},
		{"zh copied", `title = { en = "Sample", zh = "示例" }`, `title = { en = "Sample", zh = "Sample" }`, "title.zh", "English text copied"},
		{"rate over 100", `fix_rate = { value = 80, basis = "estimate" }`, `fix_rate = { value = 101, basis = "estimate" }`, "metrics.fix_rate.value", "outside 0–100"},
		{"rate negative", `success_rate = { value = 90, basis = "estimate" }`, `success_rate = { value = -1, basis = "estimate" }`, "workarounds[0].success_rate.value", "outside 0–100"},
		{"fail rate", `fail_rate = { value = 95, basis = "estimate" }`, `fail_rate = { value = 250, basis = "estimate" }`, "dead_ends[0].fail_rate.value", "outside 0–100"},
		{"estimate not round", `fix_rate = { value = 80, basis = "estimate" }`, `fix_rate = { value = 82, basis = "estimate" }`, "metrics.fix_rate.value", "multiple of 5"},
		{"basis", `fix_rate = { value = 80, basis = "estimate" }`, `fix_rate = { value = 80, basis = "measured" }`, "metrics.fix_rate.basis", "not a known basis"},
		{"counted needs n", `confidence = { value = 70, basis = "counted", n = 3 }`, `confidence = { value = 70, basis = "counted" }`, "metrics.confidence.n", "needs n"},
		{"date", `value = "2023-11-20"`, `value = "20 Nov 2023"`, "metrics.first_seen.value", "not a date"},
		{"url scheme", `url = "https://www.rfc-editor.org/rfc/rfc6455"
title = { en`, `url = "ftp://www.rfc-editor.org/rfc/rfc6455"
title = { en`, "docs[0].url", "not an absolute http or https URL"},
		{"url relative", `sources = ["https://example.org/a"]`, `sources = ["/a"]`, "workarounds[0].sources[0]", "not an absolute"},
		{"url space", `source = "https://github.com/websockets/ws"`, `source = "https://github.com/web sockets/ws"`, "versions[0].source", "URL"},
		{"no sources", `sources = ["https://example.org/b"]`, `sources = []`, "dead_ends[0].sources", "at least one source URL"},
		{"related missing", `related = []`, `related = ["communication/nowhere"]`, "related[0]", "no entry has the ID"},
		{"related self", `related = []`, `related = ["communication/sample-entry"]`, "related[0]", "itself"},
		{"related form", `related = []`, `related = ["nowhere"]`, "related[0]", "not an entry ID"},
		{"status", `status = "affected"`, `status = "broken"`, "versions[0].status", "not a known status"},
		{"verification", `verification = "ai_generated"`, `verification = "trust me"`, "verification", "not a known verification"},
		{"unknown field", `resolvable = true`, "resolvable = true\nfix_rates = 3", "fix_rates", "unknown field"},
		{"snippet lang", `lang = "js"`, `lang = "Java Script!"`, "workarounds[0].code[0].lang", "not a syntax name"},
		{"signature text", `text = "Max payload size exceeded"`, `text = ""`, "signatures[0].text", "missing or empty"},
		{"syntax", `resolvable = true`, `resolvable = `, "", "line "},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			body := strings.Replace(validEntry, tt.old, tt.new, 1)
			if body == validEntry {
				t.Fatalf("test case did not change the entry: %q not found", tt.old)
			}
			_, ps := load(map[string]string{path: body})
			for _, p := range ps {
				if p.File == "entries/"+path && p.Field == tt.field && strings.Contains(p.Message, tt.msg) {
					return
				}
			}
			t.Errorf("want a problem at %s %q containing %q; got:\n%v", path, tt.field, tt.msg, ps)
		})
	}
}

// TestLoadReportsAll: problems in several files come back together.
func TestLoadReportsAll(t *testing.T) {
	bad1 := strings.Replace(validEntry, `category = "protocol_error"`, `category = "x"`, 1)
	bad1 = strings.Replace(bad1, `close_code = 1009`, `close_code = 7`, 1)
	bad2 := strings.Replace(validEntry, "communication/sample-entry", "communication/second", 1)
	bad2 = strings.Replace(bad2, `fix_rate = { value = 80`, `fix_rate = { value = 800`, 1)
	_, ps := load(map[string]string{path: bad1, "communication/second.toml": bad2})
	if len(ps) != 3 {
		t.Fatalf("want 3 problems across 2 files, got %d:\n%v", len(ps), ps)
	}
	msg := ps.Error()
	for _, want := range []string{"entries/communication/sample-entry.toml: category", "entries/communication/sample-entry.toml: close_code", "entries/communication/second.toml: metrics.fix_rate.value"} {
		if !strings.Contains(msg, want) {
			t.Errorf("error text lacks %q:\n%s", want, msg)
		}
	}
}

func TestLoadDuplicateAndRelated(t *testing.T) {
	second := strings.Replace(validEntry, "communication/sample-entry", "communication/second", 1)
	first := strings.Replace(validEntry, `related = []`, `related = ["communication/second"]`, 1)
	list, ps := load(map[string]string{path: first, "communication/second.toml": second})
	if ps != nil || len(list) != 2 || list[0].ID != "communication/sample-entry" {
		t.Fatalf("related entries rejected or unordered: %v", ps)
	}
	// Two files claiming one ID: only possible when one is misplaced, which
	// is reported too.
	_, ps = load(map[string]string{path: validEntry, "communication/copy.toml": validEntry})
	var dup, place bool
	for _, p := range ps {
		dup = dup || (p.Field == "id" && strings.Contains(p.Message, "already the ID of"))
		place = place || (p.Field == "id" && strings.Contains(p.Message, "does not match"))
	}
	if !dup || !place {
		t.Errorf("want a duplicate-ID and a path problem, got:\n%v", ps)
	}
}

func TestParseCloseCode(t *testing.T) {
	for _, s := range []string{"", "-1", "abc", "99999999999999999999", "5000", "1e3", "+100", " 1000", "１０００"} {
		var ke *kb.Error
		if _, err := kb.ParseCloseCode(s); !errors.As(err, &ke) || ke.Code != kb.ENOTFOUND {
			t.Errorf("ParseCloseCode(%q) = %v, want a not-found error", s, err)
		}
	}
	for s, want := range map[string]int{"0": 0, "1000": 1000, "4999": 4999, "01009": 1009} {
		if got, err := kb.ParseCloseCode(s); err != nil || got != want {
			t.Errorf("ParseCloseCode(%q) = %d, %v; want %d", s, got, err, want)
		}
	}
}

func TestLookupCode(t *testing.T) {
	tests := []struct {
		code          int
		name, rng     string
		wire, browser bool
	}{
		{0, "", kb.RangeUnused, false, false},
		{999, "", kb.RangeUnused, false, false},
		{1000, "Normal Closure", kb.RangeProtocol, true, true},
		{1001, "Going Away", kb.RangeProtocol, true, false},
		{1004, "Reserved", kb.RangeProtocol, false, false},
		{1005, "No Status Rcvd", kb.RangeProtocol, false, false},
		{1006, "Abnormal Closure", kb.RangeProtocol, false, false},
		{1009, "Message Too Big", kb.RangeProtocol, true, false},
		{1014, "Bad Gateway", kb.RangeProtocol, true, false},
		{1015, "TLS handshake", kb.RangeProtocol, false, false},
		{1016, "", kb.RangeProtocol, false, false},
		{2999, "", kb.RangeProtocol, false, false},
		{3000, "Unauthorized", kb.RangeRegistered, true, true},
		{3003, "Forbidden", kb.RangeRegistered, true, true},
		{3008, "Timeout", kb.RangeRegistered, true, true},
		{3500, "", kb.RangeRegistered, true, true},
		{4000, "", kb.RangePrivate, true, true},
		{4999, "", kb.RangePrivate, true, true},
	}
	for _, tt := range tests {
		ci := kb.LookupCode(tt.code)
		if ci.Name != tt.name || ci.Range != tt.rng || ci.Wire != tt.wire || ci.BrowserClose != tt.browser {
			t.Errorf("LookupCode(%d) = %q %s wire=%v browser=%v; want %q %s wire=%v browser=%v",
				tt.code, ci.Name, ci.Range, ci.Wire, ci.BrowserClose, tt.name, tt.rng, tt.wire, tt.browser)
		}
	}
	// The registry is complete: 1000–1015, 3000, 3003, 3008.
	var codes []int
	for _, r := range kb.Registry() {
		codes = append(codes, r.Code)
		if r.Meaning.EN == "" || r.Meaning.ZH == "" || r.Meaning.EN == r.Meaning.ZH {
			t.Errorf("%d: meaning not in both languages", r.Code)
		}
	}
	want := []int{1000, 1001, 1002, 1003, 1004, 1005, 1006, 1007, 1008, 1009, 1010, 1011, 1012, 1013, 1014, 1015, 3000, 3003, 3008}
	if len(codes) != len(want) {
		t.Fatalf("registry has %v, want %v", codes, want)
	}
	for i := range want {
		if codes[i] != want[i] {
			t.Fatalf("registry has %v, want %v", codes, want)
		}
	}
}

// TestShippedEntries: every shipped entry validates.
func TestShippedEntries(t *testing.T) {
	list, err := kb.Load(entries.FS, "entries/")
	if err != nil {
		t.Fatal(err)
	}
	if len(list) == 0 {
		t.Fatal("no entries shipped")
	}
}
