package search_test

import (
	"context"
	"path/filepath"
	"sort"
	"testing"
	"time"

	"github.com/wskb/wskb/entries"
	"github.com/wskb/wskb/kb"
	"github.com/wskb/wskb/kb/search"
	"github.com/wskb/wskb/kb/store"
)

// shipped opens a Searcher over the shipped entries in a real SQLite file.
func shipped(tb testing.TB) *search.Searcher {
	tb.Helper()
	list, err := kb.Load(entries.FS, "entries/")
	if err != nil {
		tb.Fatal(err)
	}
	st, err := store.Open(context.Background(), filepath.Join(tb.TempDir(), "s.db"))
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { st.Close() })
	if _, err := st.Import(context.Background(), list); err != nil {
		tb.Fatal(err)
	}
	stored, err := st.Entries(context.Background())
	if err != nil {
		tb.Fatal(err)
	}
	return search.New(kb.NewCatalog(stored), st)
}

// pasted is a typical pasted line: 150 characters with a timestamp, a URL
// and an error, as a browser console or a log shows it.
var pasted = []string{
	"2024-05-01T10:00:00.123Z WebSocket connection to 'wss://api.example.com/socket' failed: Error during WebSocket handshake: Unexpected response code: 400",
	"[2024-05-01 10:00:00] ERROR read tcp 10.0.0.2:51000->10.0.0.1:443: websocket: close 1006 (abnormal closure): unexpected EOF in handler.go:88 conn",
	"websockets.exceptions.ConnectionClosedError: sent 1011 (internal error) keepalive ping timeout; no close frame received at 2024-05-01 10:00:00,123",
	"2024/05/01 10:00:00 [error] 2121#2121: *91 upstream timed out (110: Connection timed out) while proxying upgraded connection, client: 10.1.2.3",
}

// BenchmarkSearchPastedLine: parse, clean, full-text query, ranking and
// snippets for a pasted line over the whole knowledge base. p50 and p99
// are reported besides the mean.
func BenchmarkSearchPastedLine(b *testing.B) {
	s := shipped(b)
	qs := make([]string, len(pasted))
	copy(qs, pasted)
	ctx := context.Background()
	times := make([]time.Duration, 0, b.N)
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		start := time.Now()
		if _, err := s.Search(ctx, search.Parse(qs[i%len(qs)]), kb.EN, 10); err != nil {
			b.Fatal(err)
		}
		times = append(times, time.Since(start))
	}
	b.StopTimer()
	sort.Slice(times, func(i, j int) bool { return times[i] < times[j] })
	b.ReportMetric(float64(times[len(times)/2].Microseconds()), "p50-µs")
	b.ReportMetric(float64(times[len(times)*99/100].Microseconds()), "p99-µs")
}

func BenchmarkSearchChinese(b *testing.B) {
	s := shipped(b)
	ctx := context.Background()
	b.ReportAllocs()
	for i := 0; i < b.N; i++ {
		if _, err := s.Search(ctx, search.Parse("反向代理空闲超时导致连接断开"), kb.ZH, 10); err != nil {
			b.Fatal(err)
		}
	}
}
