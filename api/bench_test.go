package api_test

import (
	"context"
	"fmt"
	"io/fs"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/wskb/wskb/api"
	"github.com/wskb/wskb/entries"
)

// nopWriter is a ResponseWriter that keeps nothing, so the benchmarks
// measure the handler rather than a recorder's buffer.
type nopWriter struct{ h http.Header }

func (w *nopWriter) Header() http.Header         { return w.h }
func (w *nopWriter) Write(b []byte) (int, error) { return len(b), nil }
func (w *nopWriter) WriteHeader(int)             {}

func benchRoute(b *testing.B, path string, header map[string]string) {
	srv := newServer(b)
	req := httptest.NewRequest(http.MethodGet, path, nil)
	for k, v := range header {
		req.Header.Set(k, v)
	}
	w := &nopWriter{h: http.Header{}}
	b.ReportAllocs()
	for b.Loop() {
		clear(w.h)
		srv.ServeHTTP(w, req)
	}
}

// BenchmarkEntryJSON and BenchmarkEntryHTML go through the whole echo stack
// (middleware, router, handler); the body is pre-rendered bytes.
func BenchmarkEntryJSON(b *testing.B) {
	benchRoute(b, "/api/v1/entries/"+id1009, nil)
}

func BenchmarkEntryJSONLang(b *testing.B) {
	benchRoute(b, "/api/v1/entries/"+id1009+"?lang=zh", nil)
}

func BenchmarkEntryHTML(b *testing.B) {
	benchRoute(b, "/entries/"+id1009, map[string]string{"Accept": "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"})
}

func BenchmarkEntryMarkdown(b *testing.B) {
	benchRoute(b, "/zh/entries/"+id1009+".md", nil)
}

func BenchmarkCodePage(b *testing.B) {
	benchRoute(b, "/codes/1009", nil)
}

func BenchmarkHealthz(b *testing.B) {
	benchRoute(b, "/healthz", nil)
}

// BenchmarkBoot measures start-up: validate, import, read back, render.
// "first" starts on an empty database, "restart" on one already imported
// (nothing written). generated-N repeats the 1009 entry under N IDs to show
// how start-up grows with the knowledge base.
func BenchmarkBoot(b *testing.B) {
	log := slog.New(slog.DiscardHandler)
	run := func(b *testing.B, src api.Sources, fresh bool) {
		dir := b.TempDir()
		path := filepath.Join(dir, "wskb.db")
		if !fresh {
			_, st, err := api.Boot(context.Background(), src, path, log)
			if err != nil {
				b.Fatal(err)
			}
			st.Close()
		}
		i := 0
		for b.Loop() {
			p := path
			if fresh {
				p = filepath.Join(dir, fmt.Sprintf("wskb-%d.db", i))
				i++
			}
			_, st, err := api.Boot(context.Background(), src, p, log)
			if err != nil {
				b.Fatal(err)
			}
			st.Close()
		}
	}
	b.Run("shipped/first", func(b *testing.B) { run(b, api.Embedded(), true) })
	b.Run("shipped/restart", func(b *testing.B) { run(b, api.Embedded(), false) })
	for _, n := range []int{100, 1000} {
		src := api.Embedded()
		src.Entries = generated(b, n)
		b.Run(fmt.Sprintf("generated-%d/first", n), func(b *testing.B) { run(b, src, true) })
		b.Run(fmt.Sprintf("generated-%d/restart", n), func(b *testing.B) { run(b, src, false) })
	}
}

// generated returns n copies of the 1009 entry under distinct IDs.
func generated(tb testing.TB, n int) fs.FS {
	body, err := fs.ReadFile(entries.FS, id1009[len("communication/"):]+".toml")
	if err != nil {
		body, err = fs.ReadFile(entries.FS, id1009+".toml")
	}
	if err != nil {
		tb.Fatal(err)
	}
	m := fstest.MapFS{}
	for i := range n {
		id := fmt.Sprintf("communication/generated-entry-%04d", i)
		m[id+".toml"] = &fstest.MapFile{Data: []byte(strings.Replace(string(body), `id = "`+id1009+`"`, `id = "`+id+`"`, 1))}
	}
	return m
}
