package api_test

import (
	"net/http"
	"strings"
	"testing"
)

// TestConditionalGET: GET routes carry an ETag and Cache-Control, and
// If-None-Match with the tag answers 304 with no body; the gzip form has
// its own tag.
func TestConditionalGET(t *testing.T) {
	srv := newServer(t)
	for _, path := range []string{"/api/v1/entries/" + id1009, "/entries/" + id1009, "/api/v1/codes/1006", "/codes/1006", "/api/v1/search?q=1006", "/api/v1/entries"} {
		rec := do(t, srv, req{path: path})
		etag := rec.Header().Get("ETag")
		if rec.Code != 200 || !strings.HasPrefix(etag, `"`) || rec.Header().Get("Cache-Control") == "" {
			t.Errorf("%s: %d, ETag %q, Cache-Control %q", path, rec.Code, etag, rec.Header().Get("Cache-Control"))
			continue
		}
		again := do(t, srv, req{path: path, header: map[string]string{"If-None-Match": `"other", ` + etag}})
		if again.Code != http.StatusNotModified || again.Body.Len() != 0 || again.Header().Get("ETag") != etag {
			t.Errorf("%s with If-None-Match: %d, %d bytes", path, again.Code, again.Body.Len())
		}
		if stale := do(t, srv, req{path: path, header: map[string]string{"If-None-Match": `"stale"`}}); stale.Code != 200 {
			t.Errorf("%s with a stale tag: %d", path, stale.Code)
		}
	}
	plain := do(t, srv, req{path: "/api/v1/entries/" + id1009}).Header().Get("ETag")
	gz := do(t, srv, req{path: "/api/v1/entries/" + id1009, header: map[string]string{"Accept-Encoding": "gzip"}})
	if gz.Header().Get("Content-Encoding") != "gzip" || gz.Header().Get("ETag") == plain || gz.Header().Get("ETag") == "" {
		t.Errorf("gzip ETag %q, plain %q", gz.Header().Get("ETag"), plain)
	}
	// Errors are not cached.
	if rec := do(t, srv, req{path: "/api/v1/entries/communication/nope"}); rec.Header().Get("ETag") != "" {
		t.Error("a 404 has an ETag")
	}
}

// TestReadOnlyCORS: the GET API can be read from any origin, a preflight
// for it is answered, and the POST routes are not opened.
func TestReadOnlyCORS(t *testing.T) {
	srv := newServer(t)
	rec := do(t, srv, req{path: "/api/v1/codes/1009", header: map[string]string{"Origin": "https://elsewhere.example"}})
	if rec.Header().Get("Access-Control-Allow-Origin") != "*" || !strings.Contains(rec.Header().Get("Access-Control-Expose-Headers"), "ETag") {
		t.Errorf("GET: %v", rec.Header())
	}
	pre := do(t, srv, req{method: http.MethodOptions, path: "/api/v1/entries", header: map[string]string{
		"Origin": "https://elsewhere.example", "Access-Control-Request-Method": "GET", "Access-Control-Request-Headers": "if-none-match"}})
	if pre.Code != http.StatusNoContent || pre.Header().Get("Access-Control-Allow-Origin") != "*" || !strings.Contains(pre.Header().Get("Access-Control-Allow-Headers"), "If-None-Match") {
		t.Errorf("preflight: %d %v", pre.Code, pre.Header())
	}
	post := do(t, srv, req{method: http.MethodOptions, path: "/api/v1/decode", header: map[string]string{"Origin": "https://elsewhere.example", "Access-Control-Request-Method": "POST"}})
	if post.Header().Get("Access-Control-Allow-Origin") != "" {
		t.Error("a preflight for POST was allowed")
	}
	if page := do(t, srv, req{path: "/codes/1009"}); page.Header().Get("Access-Control-Allow-Origin") != "" {
		t.Error("a page carries CORS headers")
	}
}

// TestGzipEverywhere: dynamic GET responses (search, code pages) are
// gzipped for clients that accept it, like the pre-rendered ones.
func TestGzipEverywhere(t *testing.T) {
	srv := newServer(t)
	for _, path := range []string{"/api/v1/search?q=1006", "/codes/1006", "/api/v1/codes/1006", "/search?q=1006", "/api/v1/openapi.json"} {
		rec := do(t, srv, req{path: path, header: map[string]string{"Accept-Encoding": "gzip"}})
		if rec.Code != 200 || rec.Header().Get("Content-Encoding") != "gzip" || !strings.Contains(rec.Header().Get("Vary"), "Accept-Encoding") {
			t.Errorf("%s: %d, Content-Encoding %q, Vary %q", path, rec.Code, rec.Header().Get("Content-Encoding"), rec.Header().Get("Vary"))
		}
	}
}
