package search_test

import (
	"context"
	"path/filepath"
	"strings"
	"testing"

	"github.com/wskb/wskb/kb"
	"github.com/wskb/wskb/kb/search"
	"github.com/wskb/wskb/kb/store"
)

func intp(i int) *int { return &i }

func entry(id string, code, status *int, title, titleZH, root, rootZH string, sigs ...string) *kb.Entry {
	e := &kb.Entry{ID: "communication/" + id, Domain: "communication", Category: "protocol_error",
		CloseCode: code, HTTPStatus: status,
		Title: kb.Text{EN: title, ZH: titleZH}, Summary: kb.Text{EN: title, ZH: titleZH},
		RootCause: kb.Text{EN: root, ZH: rootZH}, Related: []string{}, Versions: []kb.Version{}, DeadEnds: []kb.DeadEnd{}}
	for _, s := range sigs {
		e.Signatures = append(e.Signatures, kb.Signature{Text: s, Ecosystem: "test", Source: "https://example.org"})
	}
	return e
}

// newSearcher imports a small knowledge base into a real SQLite file.
func newSearcher(tb testing.TB) *search.Searcher {
	tb.Helper()
	es := []*kb.Entry{
		entry("abnormal", intp(1006), nil, "Close code 1006: the connection dropped without a close frame", "关闭码 1006：连接在没有关闭帧的情况下断开",
			"Nobody sent a close frame; the TCP connection ended. Find the real cause in proxy logs.", "没有任何一端发送关闭帧，TCP 连接直接断开了。到反向代理的日志里去找真正的原因。"),
		entry("nginx-timeout", intp(1006), nil, "nginx closes idle WebSocket connections after proxy_read_timeout", "nginx 在 proxy_read_timeout 之后关闭空闲的 WebSocket 连接",
			"The default proxy_read_timeout is 60 seconds; nginx closes the upgraded connection when nothing arrives.", "proxy_read_timeout 默认 60 秒；升级后的连接上没有数据到达时，nginx 会关闭它。",
			"upstream timed out (110: Connection timed out) while proxying upgraded connection"),
		entry("too-big", intp(1009), nil, "Close code 1009: message too big", "关闭码 1009：消息过大",
			"The receiver's limit on message size fired.", "接收方的消息大小上限被触发了。",
			"websocket: close 1009 (message too big)", "Max payload size exceeded"),
		entry("bad-request", nil, intp(400), "Handshake fails with 400 because the proxy drops the Upgrade header", "代理丢掉了 Upgrade 头，握手返回 400",
			"Without proxy_http_version 1.1 nginx talks HTTP/1.0 upstream and drops Upgrade.", "没有 proxy_http_version 1.1 时，nginx 用 HTTP/1.0 连接上游，并丢掉 Upgrade 头。",
			"Error during WebSocket handshake: Unexpected response code: 400"),
		entry("router-idle", intp(1006), nil, "The router closes WebSockets after 55 s without data", "路由器在 55 秒无数据后关闭 WebSocket",
			"Every byte resets a rolling window; without data the router terminates the connection.", "每个字节都会重置滚动窗口；没有数据时路由器终止连接。"),
		entry("balancer-idle", intp(1006), nil, "The load balancer closes idle WebSockets after 60 s", "负载均衡在空闲 60 秒后关闭 WebSocket",
			"Its idle timeout defaults to 60 seconds.", "它的空闲超时默认是 60 秒。"),
		entry("ok-instead", nil, intp(200), "The server answered 200 instead of 101", "服务器返回 200 而不是 101",
			"The URL points at an ordinary page.", "URL 指向的是一个普通页面。",
			"Expected HTTP 101 response but was"),
	}
	st, err := store.Open(context.Background(), filepath.Join(tb.TempDir(), "s.db"))
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { st.Close() })
	if _, err := st.Import(context.Background(), es); err != nil {
		tb.Fatal(err)
	}
	stored, err := st.Entries(context.Background())
	if err != nil {
		tb.Fatal(err)
	}
	return search.New(kb.NewCatalog(stored), st)
}

func top(tb testing.TB, s *search.Searcher, q string, l kb.Lang) (search.Results, string) {
	tb.Helper()
	res, err := s.Search(context.Background(), search.Parse(q), l, 5)
	if err != nil {
		tb.Fatalf("Search(%q): %v", q, err)
	}
	if len(res.Entries) == 0 {
		return res, ""
	}
	return res, strings.TrimPrefix(res.Entries[0].Entry.ID, "communication/")
}

func TestSearchRanks(t *testing.T) {
	s := newSearcher(t)
	tests := []struct {
		q, want string
		l       kb.Lang
	}{
		// a signature inside a noisy pasted line
		{"2024/01/02 15:04:05 [error] 1234#0: *5 upstream timed out (110: Connection timed out) while proxying upgraded connection, client: 10.0.0.1, server: example.com, request: \"GET /ws HTTP/1.1\"", "nginx-timeout", kb.EN},
		{"WebSocket connection to 'wss://example.com:8443/ws' failed: Error during WebSocket handshake: Unexpected response code: 400", "bad-request", kb.EN},
		{"read: websocket: close 1009 (message too big)", "too-big", kb.EN},
		{"RangeError: Max payload size exceeded\n    at Receiver.haveLength (/app/node_modules/ws/lib/receiver.js:398:28)", "too-big", kb.EN},
		// codes and statuses in context pick among entries
		{"CloseEvent code: 1006", "abnormal", kb.EN},
		{"java.net.ProtocolException: Expected HTTP 101 response but was '200 OK'", "ok-instead", kb.EN},
		// plain words, stemmed
		{"idle connections closed by nginx", "nginx-timeout", kb.EN},
		// Chinese: two characters, longer phrases, mixed
		{"握手", "bad-request", kb.ZH},
		{"消息过大", "too-big", kb.ZH},
		{"nginx 空闲连接被关闭", "nginx-timeout", kb.ZH},
		{"普通页面", "ok-instead", kb.ZH},
		// the duration a line tells picks among timeouts
		{"WebSocket closed after 60 seconds", "balancer-idle", kb.EN},
		{"WebSockets close after 59998–60002 ms", "balancer-idle", kb.EN},
		{"WebSocket closes after 55 s", "router-idle", kb.EN},
		{"WebSocket 在 60 秒后关闭", "balancer-idle", kb.ZH},
		{"WebSocket 在 55 秒后关闭", "router-idle", kb.ZH},
	}
	for _, tt := range tests {
		if _, got := top(t, s, tt.q, tt.l); got != tt.want {
			t.Errorf("Search(%q): first is %q, want %q", tt.q, got, tt.want)
		}
	}
}

func TestSearchSaysWhy(t *testing.T) {
	s := newSearcher(t)
	res, got := top(t, s, "Error during WebSocket handshake: Unexpected response code: 400", kb.EN)
	if got != "bad-request" {
		t.Fatalf("first is %q", got)
	}
	kinds := map[string]search.Match{}
	for _, m := range res.Entries[0].Matched {
		kinds[m.Kind] = m
	}
	if m := kinds["signature"]; m.Text != "Error during WebSocket handshake: Unexpected response code: 400" {
		t.Errorf("signature match = %+v", m)
	}
	if m := kinds["http_status"]; m.Code != 400 {
		t.Errorf("http_status match = %+v", m)
	}
	m, ok := kinds["text"]
	if !ok || len(m.Marks) == 0 {
		t.Fatalf("no text match with marks: %+v", res.Entries[0].Matched)
	}
	for _, mk := range m.Marks {
		if w := strings.ToLower(m.Text[mk[0]:mk[1]]); !strings.Contains("error during websocket handshake unexpected response code 400", w) {
			t.Errorf("marked %q, which is not a query word", w)
		}
	}
}

func TestSearchBareCode(t *testing.T) {
	s := newSearcher(t)
	res, got := top(t, s, "1009", kb.EN)
	if res.Code == nil || res.Code.Code != 1009 || res.Code.Name != "Message Too Big" {
		t.Errorf("bare 1009: Code = %+v", res.Code)
	}
	if got != "too-big" {
		t.Errorf("bare 1009: first entry %q", got)
	}
	res, _ = top(t, s, "4000", kb.EN)
	if res.Code == nil || res.Code.Code != 4000 || res.Code.Range != kb.RangePrivate {
		t.Errorf("bare 4000: Code = %+v", res.Code)
	}
}

// TestSearchNeverFails: FTS5 syntax, odd bytes and long input are queries
// like any other.
func TestSearchNeverFails(t *testing.T) {
	s := newSearcher(t)
	for _, q := range []string{
		`"`, `""`, `"unbalanced`, `a" OR "b`, `NEAR(close 1006, 2)`, `close AND NOT 1006`, `col:value`, `-`, `*`, `***`,
		`(`, `)`, `^x`, `{a b}: c`, `1006 OR`, `关闭"码`, "\x00\xff\xfe", strings.Repeat("a ", search.MaxQuery),
		strings.Repeat("关闭", 3000), "", "   ", "\n", "proxy_read_timeout", "a_b-c.d", "naïve café", "ｆｕｌｌｗｉｄｔｈ", "カタカナ 한국어",
	} {
		if _, err := s.Search(context.Background(), search.Parse(q), kb.EN, 10); err != nil {
			t.Errorf("Search(%.40q): %v", q, err)
		}
	}
}

func FuzzSearch(f *testing.F) {
	for _, q := range []string{"1006", `NEAR("a" b)`, "关闭 代理", "88 02 03 e9", "close 1009 (message too big)"} {
		f.Add(q)
	}
	s := newSearcher(f)
	f.Fuzz(func(t *testing.T, q string) {
		if _, err := s.Search(context.Background(), search.Parse(q), kb.ZH, 10); err != nil {
			t.Fatalf("Search(%q): %v", q, err)
		}
	})
}
