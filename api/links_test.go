package api_test

import (
	"html"
	"net/http"
	"regexp"
	"sort"
	"strings"
	"testing"

	"github.com/wskb/wskb/entries"
	"github.com/wskb/wskb/kb"
)

var hrefAttr = regexp.MustCompile(`\b(?:href|src)="([^"]*)"`)

// TestInternalLinksResolve crawls every page the shipped content makes (each
// entry and its close-code page, in both languages, plus the home pages) and
// requests every internal link on them: each must answer 200, and a link to
// #fragment must land on an element with that id.
func TestInternalLinksResolve(t *testing.T) {
	srv := newServer(t)
	list, err := kb.Load(entries.FS, "entries/")
	if err != nil {
		t.Fatal(err)
	}
	start := []string{"/", "/zh/", "/playground", "/zh/playground"}
	for _, e := range list {
		start = append(start, "/entries/"+e.ID, "/zh/entries/"+e.ID)
		if e.CloseCode != nil {
			c := itoa(*e.CloseCode)
			start = append(start, "/codes/"+c, "/zh/codes/"+c)
		}
	}
	bodies := map[string]string{}
	get := func(path string) (string, int) {
		if b, ok := bodies[path]; ok {
			return b, http.StatusOK
		}
		rec := do(t, srv, req{path: path})
		if rec.Code == http.StatusOK {
			bodies[path] = rec.Body.String()
		}
		return rec.Body.String(), rec.Code
	}
	broken := map[string][]string{} // link -> pages with it
	checked := 0
	for _, page := range start {
		body, code := get(page)
		if code != http.StatusOK {
			t.Errorf("GET %s: %d", page, code)
			continue
		}
		for _, m := range hrefAttr.FindAllStringSubmatch(body, -1) {
			link := html.UnescapeString(m[1])
			if !strings.HasPrefix(link, "/") || strings.HasPrefix(link, "//") {
				continue
			}
			path, frag, _ := strings.Cut(link, "#")
			if path == "" {
				path = page
			}
			checked++
			target, code := get(path)
			switch {
			case code != http.StatusOK:
				broken[link] = append(broken[link], page)
			case frag != "" && !strings.Contains(target, `id="`+frag+`"`):
				broken[link+" (no such id)"] = append(broken[link+" (no such id)"], page)
			}
		}
	}
	if checked < 10*len(list) {
		t.Errorf("checked only %d links on %d pages; is the crawl finding links?", checked, len(start))
	}
	var keys []string
	for k := range broken {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		t.Errorf("broken internal link %s, on %s", k, strings.Join(broken[k], ", "))
	}
}
