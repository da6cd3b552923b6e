package api_test

import (
	"encoding/json"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/wskb/wskb/api"
)

func searchAPI(t *testing.T, srv interface {
	ServeHTTP(w http.ResponseWriter, r *http.Request)
}, q string, extra string) (int, api.SearchResponse, string) {
	t.Helper()
	rec := do(t, srv, req{path: "/api/v1/search?q=" + url.QueryEscape(q) + extra})
	var resp api.SearchResponse
	if rec.Code == 200 {
		if err := json.Unmarshal(rec.Body.Bytes(), &resp); err != nil {
			t.Fatalf("search %q: %v\n%s", q, err, rec.Body)
		}
	}
	return rec.Code, resp, rec.Body.String()
}

func TestSearchAPI(t *testing.T) {
	srv := newServer(t)
	code, resp, body := searchAPI(t, srv, "2024/05/01 10:00:00 read tcp 10.0.0.2:51000->10.0.0.1:443: websocket: close 1009 (message too big)", "&limit=3")
	if code != 200 || len(resp.Results) == 0 {
		t.Fatalf("status %d, %s", code, body)
	}
	first := resp.Results[0]
	if first.Type != "entry" || first.ID != id1009 || first.URLs.HTML != "/entries/"+id1009 || first.URLs.JSON != "/api/v1/entries/"+id1009 ||
		first.URLs.Markdown != "/entries/"+id1009+".md" || first.Score == nil || *first.CloseCode != 1009 {
		t.Errorf("first result: %+v", first)
	}
	if len(resp.Results) > 3 {
		t.Errorf("limit=3 gave %d results", len(resp.Results))
	}
	if first.Matched[0].Kind != "signature" || first.Matched[0].Text != "websocket: close 1009 (message too big)" {
		t.Errorf("matched: %+v", first.Matched)
	}
	if len(resp.Recognized.CloseCodes) != 1 || resp.Recognized.CloseCodes[0] != 1009 {
		t.Errorf("recognized: %+v", resp.Recognized)
	}
	for _, k := range []string{`"query"`, `"lang": "en"`, `"recognized"`, `"close_codes"`, `"http_statuses"`, `"bytes": null`, `"results"`, `"suggestions"`, `"matched"`, `"urls"`} {
		if !strings.Contains(body, k) {
			t.Errorf("response lacks %s", k)
		}
	}
}

func TestSearchAPIBareCodeAndBytes(t *testing.T) {
	srv := newServer(t)
	_, resp, _ := searchAPI(t, srv, "1009", "")
	if len(resp.Results) < 2 || resp.Results[0].Type != "close_code" || resp.Results[0].URLs.HTML != "/codes/1009" ||
		resp.Results[0].Score != nil || !strings.Contains(resp.Results[0].Title, "Message Too Big") || resp.Results[1].ID != id1009 {
		t.Errorf("bare 1009: %+v", resp.Results)
	}
	_, resp, _ = searchAPI(t, srv, "4321", "&lang=zh")
	if len(resp.Results) == 0 || resp.Results[0].URLs.HTML != "/zh/codes/4321" {
		t.Errorf("bare 4321: %+v", resp.Results)
	}
	_, resp, _ = searchAPI(t, srv, "88 02 03 e9", "")
	b := resp.Recognized.Bytes
	if b == nil || b.Length != 4 || b.Playground != "/playground?hex=88+02+03+e9" {
		t.Errorf("hex: %+v", b)
	}
	if len(resp.Results) != 0 || len(resp.Suggestions) != 2 || resp.Suggestions[1].URL != b.Playground {
		t.Errorf("hex: results %+v, suggestions %+v", resp.Results, resp.Suggestions)
	}
}

func TestSearchAPIChineseAndLang(t *testing.T) {
	srv := newServer(t)
	_, resp, _ := searchAPI(t, srv, "消息", "")
	if resp.Lang != "zh" || len(resp.Results) == 0 {
		t.Fatalf("a Chinese query without lang: lang %q, %d results", resp.Lang, len(resp.Results))
	}
	if r := resp.Results[0]; !strings.HasPrefix(r.URLs.HTML, "/zh/") || !containsHan(r.Title) {
		t.Errorf("Chinese result: %+v", r)
	}
	_, resp, _ = searchAPI(t, srv, "消息", "&lang=en")
	if resp.Lang != "en" || len(resp.Results) == 0 || strings.HasPrefix(resp.Results[0].URLs.HTML, "/zh/") {
		t.Errorf("lang=en: %+v", resp)
	}
}

func containsHan(s string) bool {
	for _, r := range s {
		if r >= 0x4e00 && r <= 0x9fff {
			return true
		}
	}
	return false
}

func TestSearchAPIBadInput(t *testing.T) {
	srv := newServer(t)
	for _, tt := range []struct{ path, want string }{
		{"/api/v1/search", "q is missing"},
		{"/api/v1/search?q=%20%20", "q is missing"},
		{"/api/v1/search?q=1006&limit=0", `limit "0"`},
		{"/api/v1/search?q=1006&limit=51", `limit "51"`},
		{"/api/v1/search?q=1006&limit=ten", `limit "ten"`},
		{"/api/v1/search?q=1006&lang=fr", "lang"},
		{"/api/v1/search?q=" + strings.Repeat("a", 9000), "most a search takes"},
	} {
		rec := do(t, srv, req{path: tt.path})
		var e struct {
			Error struct {
				Code    int
				Message string
			}
		}
		if rec.Code != 400 || json.Unmarshal(rec.Body.Bytes(), &e) != nil || !strings.Contains(e.Error.Message, tt.want) {
			t.Errorf("GET %.60s: %d %s", tt.path, rec.Code, rec.Body)
		}
	}
	// FTS5 syntax in the query is just text.
	for _, q := range []string{`"`, `NEAR(a b)`, `close AND NOT 1006`, `col:x`, `-*`, `(((`} {
		if code, _, body := searchAPI(t, srv, q, ""); code != 200 {
			t.Errorf("q=%q: %d %s", q, code, body)
		}
	}
}

func TestSearchPage(t *testing.T) {
	srv := newServer(t)
	rec := do(t, srv, req{path: "/search?q=" + url.QueryEscape("websocket: close 1009 (message too big)")})
	body := rec.Body.String()
	if rec.Code != 200 {
		t.Fatalf("status %d", rec.Code)
	}
	for _, want := range []string{
		`<html lang="en">`, `href="/entries/` + id1009 + `"`, "Matches the error text", "<code>websocket: close 1009 (message too big)</code>",
		`<mark>`, `hreflang="zh-Hans" href="/zh/search?q=websocket`, `name="q"`, `Close codes in your query: <a href="/codes/1009">1009</a>`,
	} {
		if !strings.Contains(body, want) {
			t.Errorf("search page lacks %s", want)
		}
	}
	rec = do(t, srv, req{path: "/zh/search?q=1009"})
	body = rec.Body.String()
	for _, want := range []string{`<html lang="zh-Hans">`, `1009 是一个关闭码`, `href="/zh/codes/1009"`, `href="/zh/entries/` + id1009 + `"`} {
		if !strings.Contains(body, want) {
			t.Errorf("zh search page lacks %s", want)
		}
	}
	rec = do(t, srv, req{path: "/search?q=" + url.QueryEscape("zzqx qqzv")})
	if body := rec.Body.String(); !strings.Contains(body, "Nothing in the knowledge base matches this.") || !strings.Contains(body, `href="/#codes"`) {
		t.Errorf("no-results page: %d", rec.Code)
	}
	rec = do(t, srv, req{path: "/search?q=" + url.QueryEscape("88 02 03 e9")})
	if body := rec.Body.String(); !strings.Contains(body, `href="/playground?hex=88&#43;02&#43;03&#43;e9"`) && !strings.Contains(body, `href="/playground?hex=88+02+03+e9"`) {
		t.Errorf("bytes: no playground link")
	}
	rec = do(t, srv, req{path: "/search?q=" + url.QueryEscape(`<script>alert(1)</script> close 1009`)})
	if body := rec.Body.String(); strings.Contains(body, "<script>alert") {
		t.Error("the query is rendered unescaped")
	}
	rec = do(t, srv, req{path: "/search?q=1006&limit=x"})
	if rec.Code != 400 || !strings.Contains(rec.Body.String(), "<html") {
		t.Errorf("bad limit on the page: %d", rec.Code)
	}
	// Every page has the search box.
	for _, p := range []string{"/", "/zh/", "/codes/1006", "/entries/" + id1009, "/playground"} {
		if body := do(t, srv, req{path: p}).Body.String(); !strings.Contains(body, `role="search"`) || !strings.Contains(body, `name="q"`) {
			t.Errorf("%s has no search box", p)
		}
	}
}

// TestSearchCacheAnswersTheSame: the second request for a query is served
// from the cache, byte for byte the same; other limits and languages are
// other answers.
func TestSearchCacheAnswersTheSame(t *testing.T) {
	srv := newServer(t)
	path := "/api/v1/search?q=" + url.QueryEscape("websocket: close 1009 (message too big)")
	a := do(t, srv, req{path: path}).Body.String()
	b := do(t, srv, req{path: path}).Body.String()
	if a != b || !strings.Contains(a, id1009) {
		t.Error("the cached answer differs")
	}
	if c := do(t, srv, req{path: path + "&limit=1"}).Body.String(); strings.Count(c, `"type": "entry"`) != 1 {
		t.Errorf("limit=1 after a cached limit=10 answer: %d results", strings.Count(c, `"type": "entry"`))
	}
	if z := do(t, srv, req{path: path + "&lang=zh"}).Body.String(); !strings.Contains(z, `"lang": "zh"`) {
		t.Error("lang=zh after a cached English answer")
	}
}
