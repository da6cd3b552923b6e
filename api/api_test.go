package api_test

import (
	"bytes"
	"compress/gzip"
	"context"
	"encoding/json"
	"errors"
	"flag"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"testing/fstest"
	"unicode/utf8"

	"github.com/wskb/wskb/api"
	"github.com/wskb/wskb/kb"
	"github.com/wskb/wskb/kb/kbtest"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata/golden")

const id1009 = "communication/websocket-close-frame-1009-message-too-large"

// newServer boots the real service on the embedded content with a real
// SQLite file in a temporary folder.
func newServer(tb testing.TB) *api.Server {
	tb.Helper()
	return bootWith(tb, api.Embedded())
}

func bootWith(tb testing.TB, src api.Sources) *api.Server {
	tb.Helper()
	srv, st, err := api.Boot(context.Background(), src, filepath.Join(tb.TempDir(), "wskb.db"), slog.New(slog.DiscardHandler))
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { st.Close() })
	return srv
}

type req struct {
	method, path string
	header       map[string]string
	body         io.Reader
}

func do(tb testing.TB, srv http.Handler, r req) *httptest.ResponseRecorder {
	tb.Helper()
	if r.method == "" {
		r.method = http.MethodGet
	}
	q := httptest.NewRequest(r.method, "http://wskb.test"+r.path, r.body)
	for k, v := range r.header {
		q.Header.Set(k, v)
	}
	rec := httptest.NewRecorder()
	srv.ServeHTTP(rec, q)
	return rec
}

func TestRoutes(t *testing.T) {
	srv := newServer(t)
	entry := "/entries/" + id1009
	tests := []struct {
		name     string
		r        req
		status   int
		ctype    string
		contains []string
	}{
		{"home", req{path: "/"}, 200, "text/html", []string{`<html lang="en">`, "Close codes", `href="/codes/1009"`, `hreflang="zh-Hans" href="/zh/"`}},
		{"home zh", req{path: "/zh/"}, 200, "text/html", []string{`<html lang="zh-Hans">`, "关闭码", `href="/zh/codes/1009"`, `href="/"`}},
		{"zh without slash", req{path: "/zh"}, 301, "", nil},
		{"entry html", req{path: entry}, 200, "text/html", []string{"Message Too Big", "Root cause", `href="/api/v1/entries/` + id1009 + `"`, `href="` + entry + `.md"`, `href="/zh` + entry + `"`, "Also available as:"}},
		{"entry html zh", req{path: "/zh" + entry}, 200, "text/html", []string{`<html lang="zh-Hans">`, "根因", "其他格式：", `href="/zh` + entry + `.md"`, `hreflang="en" lang="en">English</a>`}},
		{"entry md", req{path: entry + ".md"}, 200, "text/markdown; charset=utf-8", []string{"# Close code 1009", "## Root cause"}},
		{"entry md zh", req{path: "/zh" + entry + ".md"}, 200, "text/markdown; charset=utf-8", []string{"## 根因"}},
		{"entry .json", req{path: entry + ".json"}, 200, "application/json", []string{`"id": "` + id1009 + `"`, `"zh":`}},
		{"accept json", req{path: entry, header: map[string]string{"Accept": "application/json"}}, 200, "application/json", []string{`"close_code": 1009`}},
		{"accept markdown", req{path: entry, header: map[string]string{"Accept": "text/markdown"}}, 200, "text/markdown", []string{"## Root cause"}},
		{"accept q", req{path: entry, header: map[string]string{"Accept": "text/html;q=0.5, application/json;q=0.9"}}, 200, "application/json", nil},
		{"accept browser", req{path: entry, header: map[string]string{"Accept": "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"}}, 200, "text/html", nil},
		{"accept garbage", req{path: entry, header: map[string]string{"Accept": ";;;,,/=q=;x/y/z"}}, 200, "text/html", nil},
		{"accept unknown", req{path: entry, header: map[string]string{"Accept": "image/png"}}, 200, "text/html", nil},
		{"api entry", req{path: "/api/v1/entries/" + id1009}, 200, "application/json", []string{`"en":`, `"zh":`}},
		{"api entry en", req{path: "/api/v1/entries/" + id1009 + "?lang=en"}, 200, "application/json", []string{`"title": "Close code 1009`}},
		{"api entry zh", req{path: "/api/v1/entries/" + id1009 + "?lang=zh"}, 200, "application/json", []string{`"title": "关闭码 1009`}},
		{"api entry bad lang", req{path: "/api/v1/entries/" + id1009 + "?lang=fr"}, 400, "application/json", []string{`"code": 400`, `lang: \"fr\"`}},
		{"api entries", req{path: "/api/v1/entries"}, 200, "application/json", []string{`"entries"`, `"html": "` + entry + `"`}},
		{"api entries zh", req{path: "/api/v1/entries?lang=zh"}, 200, "application/json", []string{`"title": "关闭码`}},
		{"api codes", req{path: "/api/v1/codes"}, 200, "application/json", []string{`"ranges"`, `"name": "Timeout"`}},
		{"api code", req{path: "/api/v1/codes/1009"}, 200, "application/json", []string{`"name": "Message Too Big"`, `"wire_allowed": true`, `"browser_close_allowed": false`, `"id": "` + id1009 + `"`}},
		{"api code 1006", req{path: "/api/v1/codes/1006?lang=zh"}, 200, "application/json", []string{`"wire_allowed": false`, `"range_description": "1000–2999`}},
		{"api code private", req{path: "/api/v1/codes/4000"}, 200, "application/json", []string{`"range": "private"`, `"browser_close_allowed": true`}},
		{"code page", req{path: "/codes/1009"}, 200, "text/html", []string{"Close code 1009", "Message Too Big", "throws an InvalidAccessError", `href="/codes/1008"`, `href="/codes/1010"`, `href="` + entry + `"`}},
		{"code page 1006", req{path: "/codes/1006"}, 200, "text/html", []string{"Never sent in a Close frame"}},
		{"code page 0", req{path: "/codes/0"}, 200, "text/html", []string{"unused range"}},
		{"code page 4999", req{path: "/zh/codes/4999"}, 200, "text/html", []string{"私有用途", "浏览器接受 WebSocket.close(4999)"}},
		{"code page 3000", req{path: "/codes/3000"}, 200, "text/html", []string{"Unauthorized", "is accepted by browsers"}},
		{"home md", req{path: "/index.md"}, 200, "text/markdown", []string{"# WebSocket failures, explained", "| [1009](/codes/1009) | Message Too Big |", "](" + entry + ")"}},
		{"home md zh", req{path: "/zh/index.md"}, 200, "text/markdown", []string{"# WebSocket 故障排查手册", "](/zh" + entry + ")"}},
		{"code md", req{path: "/codes/1009.md"}, 200, "text/markdown", []string{"# Close code 1009 Message Too Big", "](" + entry + ")"}},
		{"code md zh", req{path: "/zh/codes/1006.md"}, 200, "text/markdown", []string{"# 关闭码 1006 Abnormal Closure"}},
		{"code md zh, no entry", req{path: "/zh/codes/4321.md"}, 200, "text/markdown", []string{"# 关闭码 4321", "暂无条目"}},
		{"codes redirect", req{path: "/codes"}, 301, "", nil},
		{"healthz", req{path: "/healthz"}, 200, "text/plain", []string{"ok"}},
		{"static css", req{path: "/static/style.css"}, 200, "text/css", []string{"prefers-color-scheme: dark"}},
		{"head", req{method: http.MethodHead, path: entry}, 200, "text/html", nil},
		{"escaped id", req{path: "/api/v1/entries/communication/websocket-close-frame-1009-message-too-l%61rge"}, 200, "application/json", []string{`"close_code": 1009`}},
		{"escaped code", req{path: "/api/v1/codes/10%309"}, 200, "application/json", []string{`"code": 1009`}},
		{"escaped md", req{path: "/codes/1009%2Emd"}, 200, "text/markdown", nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rec := do(t, srv, tt.r)
			if rec.Code != tt.status {
				t.Fatalf("status %d, want %d; body:\n%.500s", rec.Code, tt.status, rec.Body)
			}
			if ct := rec.Header().Get("Content-Type"); !strings.HasPrefix(ct, tt.ctype) {
				t.Errorf("Content-Type %q, want %q", ct, tt.ctype)
			}
			for _, want := range tt.contains {
				if !strings.Contains(rec.Body.String(), want) {
					t.Errorf("body lacks %q", want)
				}
			}
		})
	}
}

// TestNegotiationVaries: responses that depend on a header say so.
func TestNegotiationVaries(t *testing.T) {
	srv := newServer(t)
	for path, want := range map[string]string{
		"/entries/" + id1009: "Accept, Accept-Encoding",
		"/":                  "Accept-Language, Accept-Encoding",
		"/api/v1/entries":    "Accept-Encoding",
	} {
		if v := strings.Join(do(t, srv, req{path: path}).Header().Values("Vary"), ", "); v != want {
			t.Errorf("%s: Vary = %q, want %q", path, v, want)
		}
	}
}

// TestGzip: bodies are served compressed to clients that accept gzip, and
// decompress to exactly the plain body.
func TestGzip(t *testing.T) {
	srv := newServer(t)
	for _, path := range []string{"/", "/zh/", "/entries/" + id1009, "/zh/entries/" + id1009 + ".md", "/api/v1/entries/" + id1009 + "?lang=zh", "/api/v1/codes"} {
		plain := do(t, srv, req{path: path})
		if plain.Header().Get("Content-Encoding") != "" {
			t.Fatalf("%s: compressed for a client that did not ask", path)
		}
		for _, ae := range []string{"gzip", "br, gzip;q=0.5", "*", "deflate, x-gzip"} {
			rec := do(t, srv, req{path: path, header: map[string]string{"Accept-Encoding": ae}})
			if rec.Header().Get("Content-Encoding") != "gzip" {
				t.Errorf("%s with %q: not compressed", path, ae)
				continue
			}
			if rec.Header().Get("Content-Length") != strconv.Itoa(rec.Body.Len()) {
				t.Errorf("%s: Content-Length %s for %d bytes", path, rec.Header().Get("Content-Length"), rec.Body.Len())
			}
			zr, err := gzip.NewReader(rec.Body)
			if err != nil {
				t.Fatal(err)
			}
			got, err := io.ReadAll(zr)
			if err != nil || !bytes.Equal(got, plain.Body.Bytes()) {
				t.Errorf("%s: gzip body does not decompress to the plain body (%v)", path, err)
			}
		}
		for _, ae := range []string{"gzip;q=0", "identity", "br", "*;q=0", ";;,"} {
			if rec := do(t, srv, req{path: path, header: map[string]string{"Accept-Encoding": ae}}); rec.Header().Get("Content-Encoding") != "" {
				t.Errorf("%s with %q: compressed anyway", path, ae)
			}
		}
	}
}

// TestHomeOffersLanguage: Accept-Language may add a notice; it never
// redirects.
func TestHomeOffersLanguage(t *testing.T) {
	srv := newServer(t)
	for _, tt := range []struct {
		path, accept string
		offer        bool
	}{
		{"/", "zh-CN,zh;q=0.9,en;q=0.8", true},
		{"/", "zh-Hant-HK", true},
		{"/", "en-US,en;q=0.9,zh;q=0.8", false},
		{"/", "fr-FR, de;q=0.5", false},
		{"/", "!!garbage;;q=x", false},
		{"/", strings.Repeat("zh-CN,", 1000), false},
		{"/zh/", "en-GB", true},
		{"/zh/", "zh-TW", false},
	} {
		rec := do(t, srv, req{path: tt.path, header: map[string]string{"Accept-Language": tt.accept}})
		if rec.Code != 200 {
			t.Errorf("%s %q: status %d", tt.path, tt.accept, rec.Code)
			continue
		}
		got := strings.Contains(rec.Body.String(), `class="offer"`)
		if got != tt.offer {
			t.Errorf("%s with Accept-Language %.40q: offer shown = %v, want %v", tt.path, tt.accept, got, tt.offer)
		}
	}
	rec := do(t, srv, req{path: "/", header: map[string]string{"Accept-Language": "zh-CN"}})
	if !strings.Contains(rec.Body.String(), "本页有简体中文版") || !strings.Contains(rec.Body.String(), `<html lang="en">`) {
		t.Error("the English home page should stay English and offer Chinese in Chinese")
	}
}

// TestBadInput: nothing a client sends causes a 5xx; errors come back in
// the format asked for.
func TestBadInput(t *testing.T) {
	srv := newServer(t)
	tests := []struct {
		name   string
		r      req
		status int
		ctype  string
		body   string
	}{
		{"unknown entry html", req{path: "/entries/communication/nope"}, 404, "text/html", "There is no page at /entries/communication/nope"},
		{"unknown entry html zh", req{path: "/zh/entries/communication/nope"}, 404, "text/html", "没有对应的页面"},
		{"unknown entry md", req{path: "/entries/communication/nope.md"}, 404, "text/plain", "404 Not Found"},
		{"unknown entry json", req{path: "/entries/communication/nope.json"}, 404, "application/json", `"code": 404`},
		{"unknown entry accept json", req{path: "/entries/communication/nope", header: map[string]string{"Accept": "application/json"}}, 404, "application/json", `no entry has the ID`},
		{"unknown entry api", req{path: "/api/v1/entries/communication/nope"}, 404, "application/json", `"message": "no entry has the ID \"communication/nope\""`},
		{"api unknown route", req{path: "/api/v1/nothing"}, 404, "application/json", `"error"`},
		{"dotdot", req{path: "/entries/../../etc/passwd"}, 404, "text/html", "There is no page at /entries/../../etc/passwd."},
		{"dotdot encoded", req{path: "/entries/%2e%2e/%2e%2e"}, 404, "text/html", "There is no page"},
		{"slash encoded", req{path: "/api/v1/entries/communication%2Fx/y"}, 404, "application/json", "there is no page"},
		{"static dotdot", req{path: "/static/../go.mod"}, 404, "text/plain", "404 Not Found"},
		{"static dir", req{path: "/static/"}, 404, "text/plain", "404 Not Found"},
		{"static missing", req{path: "/static/nope.js"}, 404, "text/plain", "404 Not Found"},
		{"static post", req{method: http.MethodPost, path: "/static/style.css"}, 405, "text/plain", "405"},
		{"static options missing", req{method: http.MethodOptions, path: "/static/nope.css"}, 404, "text/plain", "404"},
		{"double slash", req{path: "//evil.example/x"}, 404, "text/html", "There is no page at //evil.example/x."},
		{"zh 405", req{method: http.MethodPost, path: "/zh/"}, 405, "text/html", "该地址只接受 GET 请求，不接受 POST。"},
		{"zh 413", req{method: http.MethodPost, path: "/zh/", body: bytes.NewReader(make([]byte, 5<<20))}, 413, "text/html", "请求内容超过了服务器接受的上限"},
		{"zh 404 code", req{path: "/zh/codes/abc"}, 404, "text/html", "没有对应的页面。关闭码是 0 到 4999 之间的整数。"},
		{"q NaN", req{path: "/entries/communication/nope", header: map[string]string{"Accept": "application/json;q=NaN, text/html;q=0.5"}}, 404, "application/json", "no entry has the ID"},
		{"code huge", req{path: "/codes/99999999999999999999"}, 404, "text/html", "Close codes are whole numbers from 0 to 4999."},
		{"code negative", req{path: "/codes/-1"}, 404, "text/html", "There is no page at /codes/-1."},
		{"code abc", req{path: "/zh/codes/abc"}, 404, "text/html", "没有对应的页面"},
		{"code md abc", req{path: "/codes/abc.md"}, 404, "text/plain", "not a close code"},
		{"code 5000", req{path: "/api/v1/codes/5000"}, 404, "application/json", "outside the close-code space"},
		{"code api huge", req{path: "/api/v1/codes/99999999999999999999"}, 404, "application/json", `"code": 404`},
		{"bad lang codes", req{path: "/api/v1/codes/1000?lang=xx"}, 400, "application/json", "lang"},
		{"long lang", req{path: "/api/v1/entries?lang=" + strings.Repeat("x", 5000)}, 400, "application/json", "…"},
		{"post", req{method: http.MethodPost, path: "/api/v1/entries"}, 405, "application/json", `"code": 405`},
		{"post page", req{method: http.MethodPost, path: "/"}, 405, "text/html", "This address only answers GET requests, not POST."},
		{"body too large", req{method: http.MethodPost, path: "/api/v1/entries", body: bytes.NewReader(make([]byte, 5<<20))}, 413, "application/json", `"code": 413`},
		{"unknown page", req{path: "/nope"}, 404, "text/html", "There is no page at /nope"},
		{"garbage accept 404", req{path: "/nope", header: map[string]string{"Accept": "\x00\xff"}}, 404, "text/html", "There is no page at /nope."},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rec := do(t, srv, tt.r)
			if rec.Code != tt.status {
				t.Fatalf("status %d, want %d; body:\n%.300s", rec.Code, tt.status, rec.Body)
			}
			if ct := rec.Header().Get("Content-Type"); !strings.HasPrefix(ct, tt.ctype) {
				t.Errorf("Content-Type %q, want %q", ct, tt.ctype)
			}
			if !strings.Contains(rec.Body.String(), tt.body) {
				t.Errorf("body lacks %q:\n%.400s", tt.body, rec.Body)
			}
			if strings.HasPrefix(tt.ctype, "application/json") {
				var v struct {
					Error struct {
						Code    int    `json:"code"`
						Message string `json:"message"`
					} `json:"error"`
				}
				if err := json.Unmarshal(rec.Body.Bytes(), &v); err != nil || v.Error.Code != tt.status || v.Error.Message == "" {
					t.Errorf("JSON error body %q (%v)", rec.Body, err)
				}
			}
		})
	}
}

func TestSecurityHeaders(t *testing.T) {
	srv := newServer(t)
	for _, p := range []string{"/", "/entries/" + id1009, "/api/v1/entries", "/nope", "/static/style.css"} {
		h := do(t, srv, req{path: p}).Header()
		csp := h.Get("Content-Security-Policy")
		if csp == "" || strings.Contains(csp, "unsafe-inline") || !strings.Contains(csp, "default-src 'none'") {
			t.Errorf("%s: CSP %q", p, csp)
		}
		if h.Get("X-Content-Type-Options") != "nosniff" || h.Get("Referrer-Policy") == "" {
			t.Errorf("%s: headers %v", p, h)
		}
	}
}

// TestPagesCarryAlternates: every page declares its language, its
// alternates and its other formats, and its language switch stays on the
// same page.
func TestPagesCarryAlternates(t *testing.T) {
	srv := newServer(t)
	for _, p := range []string{"/", "/entries/" + id1009, "/codes/1009", "/codes/4321"} {
		for _, l := range []string{"en", "zh"} {
			path, other := p, "/zh"+p
			if l == "zh" {
				path, other = "/zh"+p, p
			}
			if p == "/" && l == "zh" {
				path, other = "/zh/", "/"
			} else if p == "/" {
				other = "/zh/"
			}
			body := do(t, srv, req{path: path}).Body.String()
			wantLang := map[string]string{"en": `<html lang="en">`, "zh": `<html lang="zh-Hans">`}[l]
			for _, want := range []string{wantLang, `rel="alternate" hreflang="en"`, `rel="alternate" hreflang="zh-Hans"`, `class="lang-switch" href="` + other + `"`, `type="application/json"`, `type="text/markdown"`} {
				if !strings.Contains(body, want) {
					t.Errorf("%s lacks %s", path, want)
				}
			}
		}
	}
}

// TestEscaping: what a client puts in a URL, and what an entry's author
// writes, is escaped in pages.
func TestEscaping(t *testing.T) {
	srv := newServer(t)
	for _, p := range []string{"/%3Cscript%3Ealert(1)%3C/script%3E", "/entries/%3Cimg%20src=x%20onerror=alert(1)%3E/x", "/codes/%3Cb%3E"} {
		body := do(t, srv, req{path: p}).Body.String()
		if strings.Contains(body, "<script>alert") || strings.Contains(body, "<img src=x") || strings.Contains(body, "<b>") {
			t.Errorf("%s: unescaped input in page:\n%s", p, body)
		}
	}

	evil := strings.NewReplacer(
		`title = { en = "Sample", zh = "示例" }`, `title = { en = "<script>alert('t')</script>", zh = "<b>示例</b>" }`,
		`root_cause = { en = "Because.", zh = "因为。" }`, `root_cause = { en = "<script>x()</script> [a](javascript:alert(1))", zh = "<iframe src=x></iframe>原因" }`,
		`text = "Max payload size exceeded"`, `text = "<svg onload=alert(1)>"`,
		`snippet = "x()"`, `snippet = "</code><script>y()</script>"`,
	).Replace(kbtest.SampleEntry)
	src := api.Embedded()
	src.Entries = fstest.MapFS{"communication/sample-entry.toml": {Data: []byte(evil)}}
	srv = bootWith(t, src)
	for _, p := range []string{"/entries/communication/sample-entry", "/zh/entries/communication/sample-entry", "/"} {
		body := do(t, srv, req{path: p}).Body.String()
		for _, bad := range []string{"<script>", "<svg onload", "<iframe", "javascript:", "<b>示例"} {
			if strings.Contains(body, bad) {
				t.Errorf("%s: %q reached the page unescaped", p, bad)
			}
		}
		if p != "/" && !strings.Contains(body, "&lt;svg onload=alert(1)&gt;") {
			t.Errorf("%s: the signature is not shown escaped", p)
		}
	}
}

// TestInvalidEntryStopsBoot: start-up fails, naming the file and the field.
func TestInvalidEntryStopsBoot(t *testing.T) {
	src := api.Embedded()
	src.Entries = fstest.MapFS{"communication/sample-entry.toml": {Data: []byte(strings.Replace(kbtest.SampleEntry, "value = 80", "value = 180", 1))}}
	_, _, err := api.Boot(context.Background(), src, filepath.Join(t.TempDir(), "wskb.db"), slog.New(slog.DiscardHandler))
	var ps kb.Problems
	if !errors.As(err, &ps) || !strings.Contains(err.Error(), "entries/communication/sample-entry.toml: metrics.fix_rate.value: 180 is outside 0–100") {
		t.Fatalf("want a problem naming file and field, got %v", err)
	}
}

// TestGolden compares the 1009 entry's JSON and Markdown with the files in
// testdata/golden; run with -update to rewrite them after a deliberate
// change.
func TestGolden(t *testing.T) {
	srv := newServer(t)
	for _, g := range []struct{ file, path string }{
		{"1009.json", "/api/v1/entries/" + id1009},
		{"1009.en.json", "/api/v1/entries/" + id1009 + "?lang=en"},
		{"1009.zh.json", "/api/v1/entries/" + id1009 + "?lang=zh"},
		{"1009.en.md", "/entries/" + id1009 + ".md"},
		{"1009.zh.md", "/zh/entries/" + id1009 + ".md"},
	} {
		rec := do(t, srv, req{path: g.path})
		if rec.Code != 200 {
			t.Fatalf("%s: status %d", g.path, rec.Code)
		}
		golden := filepath.Join("testdata", "golden", g.file)
		if *update {
			if err := os.WriteFile(golden, rec.Body.Bytes(), 0o644); err != nil {
				t.Fatal(err)
			}
			continue
		}
		want, err := os.ReadFile(golden)
		if err != nil {
			t.Fatalf("%v (run go test ./api -run TestGolden -update to create it)", err)
		}
		if got := rec.Body.String(); got != string(want) {
			t.Errorf("%s differs from %s:\n%s", g.path, golden, lineDiff(string(want), got))
		}
	}
}

// lineDiff shows the first lines where want and got part.
func lineDiff(want, got string) string {
	w, g := strings.Split(want, "\n"), strings.Split(got, "\n")
	var b strings.Builder
	shown := 0
	for i := 0; i < max(len(w), len(g)) && shown < 10; i++ {
		var wl, gl string
		if i < len(w) {
			wl = w[i]
		}
		if i < len(g) {
			gl = g[i]
		}
		if wl != gl {
			b.WriteString("line " + itoa(i+1) + ":\n  - " + wl + "\n  + " + gl + "\n")
			shown++
		}
	}
	return b.String()
}

func itoa(i int) string { return strconv.Itoa(i) }

// TestLongUnicodePath: shortened paths in messages stay valid UTF-8.
func TestLongUnicodePath(t *testing.T) {
	srv := newServer(t)
	long := strings.Repeat("%E4%B8%AD", 80) // 中 × 80
	for _, p := range []string{"/zh/nope/" + long, "/api/v1/x/" + long, "/api/v1/entries?lang=" + long} {
		rec := do(t, srv, req{path: p})
		if rec.Code >= 500 || !utf8.Valid(rec.Body.Bytes()) {
			t.Errorf("%s: status %d, valid UTF-8 %v", p[:20], rec.Code, utf8.Valid(rec.Body.Bytes()))
		}
	}
}

// TestPanicIsLogged: a handler that panics gives a 500 in the client's
// format, without details, and the panic is logged.
func TestPanicIsLogged(t *testing.T) {
	var logs bytes.Buffer
	srv := api.New(api.Config{Log: slog.New(slog.NewTextHandler(&logs, nil))}) // no Site: every entry route panics
	rec := do(t, srv, req{path: "/api/v1/entries"})
	if rec.Code != 500 || !strings.Contains(rec.Body.String(), `"code": 500`) || strings.Contains(rec.Body.String(), "nil pointer") {
		t.Errorf("status %d, body %s", rec.Code, rec.Body)
	}
	if !strings.Contains(logs.String(), "panic") || !strings.Contains(logs.String(), "nil pointer") || !strings.Contains(logs.String(), "status=500") {
		t.Errorf("the panic was not logged:\n%s", logs.String())
	}
}

// TestUniqueIDs: an entry page never gives two elements the same id, even
// when Markdown fields repeat a heading or use a section's name.
func TestUniqueIDs(t *testing.T) {
	body := strings.NewReplacer(
		`root_cause = { en = "Because.", zh = "因为。" }`, `root_cause = { en = "## Sources\n\n## Example", zh = "## 参考来源\n\n## 示例" }`,
		`body = { en = "Body.", zh = "正文。" }`, `body = { en = "## Example", zh = "## 示例" }`,
	).Replace(kbtest.SampleEntry)
	src := api.Embedded()
	src.Entries = fstest.MapFS{kbtest.SamplePath: {Data: []byte(body)}}
	servers := map[string]http.Handler{"sample": bootWith(t, src), "shipped": newServer(t)}
	ids := regexp.MustCompile(` id="([^"]*)"`)
	for name, srv := range servers {
		for _, p := range []string{"/entries/communication/sample-entry", "/zh/entries/communication/sample-entry", "/entries/" + id1009, "/zh/entries/" + id1009} {
			rec := do(t, srv, req{path: p})
			if rec.Code != 200 {
				continue
			}
			seen := map[string]bool{}
			for _, m := range ids.FindAllStringSubmatch(rec.Body.String(), -1) {
				if seen[m[1]] {
					t.Errorf("%s %s: id %q appears twice", name, p, m[1])
				}
				seen[m[1]] = true
			}
			if !seen["sources"] || !seen["root-cause"] {
				t.Errorf("%s %s: section ids missing", name, p)
			}
		}
	}
}
