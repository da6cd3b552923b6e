package search

import (
	"reflect"
	"strings"
	"testing"
)

func TestClean(t *testing.T) {
	tests := []struct{ in, want string }{
		// a URL keeps its host, path and query-key words
		{"WebSocket connection to 'wss://api.example.com:8443/socket?token=abc' failed:", "WebSocket connection to ' api example com socket token ' failed:"},
		{"ws://10.0.0.7:8080/signalr/connect?transport=webSockets&connectionToken=9f86d081884c7d65ab", "signalr connect connectionToken transport"},
		{"2024-03-05T10:11:12.345Z ERROR 10.1.2.3:51234 read tcp", "  ERROR   read tcp"},
		{"dial tcp [::1]:8080: connect: connection refused", "dial tcp  : connect: connection refused"},
		{"dial tcp 127.0.0.1:3000: connect: connection refused", "dial tcp  : connect: connection refused"},
		{"localhost:3000 refused", "  refused"},
		{"req 550e8400-e29b-41d4-a716-446655440000 done", "req   done"},
		{"at Receiver.getInfo (/app/node_modules/ws/lib/receiver.js:612:10)", "at Receiver.getInfo ( )"},
		{`File "C:\srv\app\main.py", line 42, in handler`, `File " ",  , in handler`},
		{"conn.go:1023 +0x1d goroutine 7 [running]", "    [running]"},
		{"socket id 9f86d081884c7d65 closed", "socket id   closed"},
		{"2024/01/02 15:04:05 [error] 1234#0: *5 upstream timed out", "  [error]  :   upstream timed out"},
		// kept: words, codes, statuses, Rust paths, dotted type names
		{"tungstenite::error::ProtocolError", "tungstenite::error::ProtocolError"},
		{"System.Net.WebSockets.WebSocketException (0x80004005)", "System.Net.WebSockets.WebSocketException ( )"},
		{"close 1006 (abnormal closure)", "close 1006 (abnormal closure)"},
		{"Unexpected response code: 400", "Unexpected response code: 400"},
		{"deadbeef cafe", "deadbeef cafe"},
	}
	for _, tt := range tests {
		if got := Clean(tt.in); strings.Join(strings.Fields(got), " ") != strings.Join(strings.Fields(tt.want), " ") {
			t.Errorf("Clean(%q)\n got %q\nwant %q", tt.in, got, tt.want)
		}
	}
}

func TestWordsAndSegment(t *testing.T) {
	if got, want := Words("WebSocket 关闭码1006: Abnormal_Closure"), []string{"websocket", "关", "闭", "码", "1006", "abnormal", "closure"}; !reflect.DeepEqual(got, want) {
		t.Errorf("Words = %q, want %q", got, want)
	}
	if got, want := strings.Fields(Segment("连接被反向代理关闭了 nginx")), []string{"连接", "接被", "被反", "反向", "向代", "代理", "理关", "关闭", "闭了", "了", "nginx"}; !reflect.DeepEqual(got, want) {
		t.Errorf("Segment = %q, want %q", got, want)
	}
	if got := Segment("no Chinese here"); got != "no Chinese here" {
		t.Errorf("Segment changed a text without Chinese: %q", got)
	}
}

func TestParse(t *testing.T) {
	tests := []struct {
		in       string
		close    []int
		http     []int
		bare     int
		hex      bool
		hexBytes int
	}{
		{in: "1006", close: []int{1006}, bare: 1006},
		{in: " 4000 ", close: []int{4000}, bare: 4000},
		{in: "3003", close: []int{3003}, bare: 3003},
		{in: "404", http: []int{404}},
		{in: "code = 1006", close: []int{1006}},
		{in: "CloseEvent code: 1009", close: []int{1009}},
		{in: "websocket: close 1009 (message too big)", close: []int{1009}},
		{in: "WebSocket closed with status 1001", close: []int{1001}},
		{in: "received 1011 (internal error) keepalive ping timeout; then sent 1011", close: []int{1011}},
		{in: "关闭码 1006", close: []int{1006}},
		{in: "Error during WebSocket handshake: Unexpected response code: 400", http: []int{400}},
		{in: "Unexpected server response: 502", http: []int{502}},
		{in: "HTTP 403", http: []int{403}},
		{in: "HTTP/1.1 426 Upgrade Required", http: []int{426}},
		{in: "java.net.ProtocolException: Expected HTTP 101 response but was '200 OK'", http: []int{200}},
		{in: "The server returned status code '200' when status code '101' was expected.", http: []int{200}},
		// numbers that are not codes
		{in: "dial tcp 127.0.0.1:3000: connect: connection refused"},
		{in: "2024/01/02 15:04:05 [error] 1234#0: *5 upstream timed out (110: Connection timed out)"},
		{in: "error 2048 bytes"},
		// bytes
		{in: "88 02 03 e9", hex: true, hexBytes: 4},
		{in: "0x81 0x05 0x48 0x65", hex: true, hexBytes: 4},
		{in: "880203e9", hex: true, hexBytes: 4},
		{in: "cafe"},
		{in: "deadbeef"},
		{in: "1006 abnormal closure", close: []int{1006}},
		// a console line copied without its space; a code before Chinese
		{in: "前端会收到CloseEventcode: 1006异常关闭", close: []int{1006}},
		{in: "连接以 1009 断开", close: []int{1009}},
		{in: "共有 1000 个连接关闭"},
		{in: "连接 1011 错误", close: []int{1011}},
	}
	for _, tt := range tests {
		p := Parse(tt.in)
		if !reflect.DeepEqual(p.CloseCodes, tt.close) && len(p.CloseCodes)+len(tt.close) > 0 {
			t.Errorf("Parse(%q).CloseCodes = %v, want %v", tt.in, p.CloseCodes, tt.close)
		}
		if !reflect.DeepEqual(p.HTTPStatuses, tt.http) && len(p.HTTPStatuses)+len(tt.http) > 0 {
			t.Errorf("Parse(%q).HTTPStatuses = %v, want %v", tt.in, p.HTTPStatuses, tt.http)
		}
		if p.BareCode != tt.bare {
			t.Errorf("Parse(%q).BareCode = %d, want %d", tt.in, p.BareCode, tt.bare)
		}
		if (p.Hex != nil) != tt.hex || len(p.Hex) != tt.hexBytes {
			t.Errorf("Parse(%q).Hex = % x, want %d bytes", tt.in, p.Hex, tt.hexBytes)
		}
	}
}

// TestDurations: the times a line tells, in seconds.
func TestDurations(t *testing.T) {
	tests := []struct {
		in   string
		want []int
	}{
		{"idle WebSocket connections are dropped after 30 seconds", []int{30}},
		{"durations of 59998–60002 ms, one per minute", []int{60}},
		{"closes after 60 s (proxy_read_timeout 60s)", []int{60}},
		{"Reconnecting roughly every minute", []int{60}},
		{"Reconnects Every Minute", []int{60}},
		{"10 minutes idle and after 2 hours", []int{600, 7200}},
		{"建立后约 60 秒时被断开", []int{60}},
		{"每隔一分钟断开一次", []int{60}},
		{"空闲 10 分钟后", []int{600}},
		{"1.5s", []int{2}},
		// not durations
		{"Unexpected response code: 400", nil},
		{"sent 3 messages, 1000 msgs in all; 5 hosts", nil},
		{"payload length exceeds size limit (1726310 > 1048576 bytes)", nil},
		{"0 ms", nil},
	}
	for _, tt := range tests {
		if got := Parse(tt.in).Durations; !reflect.DeepEqual(got, tt.want) {
			t.Errorf("Parse(%q).Durations = %v, want %v", tt.in, got, tt.want)
		}
	}
}

// TestMatchExprIsQuoted: whatever the input, the FTS5 expression is quoted
// terms joined by OR, so no input can be FTS5 syntax.
func TestMatchExprIsQuoted(t *testing.T) {
	for _, in := range []string{
		`"unbalanced`, `a" OR "b`, `NEAR(a b)`, `close AND 1006`, `col:value`, `-x *`, `(((`, `关闭 "码"`,
		`^start`, `a + b`, `{x y}: z`,
	} {
		expr := Parse(in).MatchExpr()
		for _, part := range strings.Split(expr, " OR ") {
			if part == "" {
				continue
			}
			body := strings.TrimSuffix(part, "*")
			if len(body) < 2 || body[0] != '"' || body[len(body)-1] != '"' || strings.Contains(body[1:len(body)-1], `"`) {
				t.Errorf("Parse(%q).MatchExpr() = %q: %q is not one quoted term", in, expr, part)
			}
		}
	}
	if got := Parse("NEAR AND OR").MatchExpr(); got != `"near" OR "and" OR "or"` && got != `"near"` {
		// "and" and "or" are stop words; NEAR is kept as a plain word.
		t.Errorf("operators: %q", got)
	}
}

func TestMatchExprChinese(t *testing.T) {
	tests := map[string]string{
		"关闭":      `"关闭"`,
		"握手失败":    `"握手" OR "手失" OR "失败"`,
		"帧":       `"帧"*`,
		"代理 超时":   `"代理" OR "超时"`,
		"nginx代理": `"nginx" OR "代理"`,
	}
	for in, want := range tests {
		if got := Parse(in).MatchExpr(); got != want {
			t.Errorf("Parse(%q).MatchExpr() = %s, want %s", in, got, want)
		}
	}
}

func TestSnippet(t *testing.T) {
	long := strings.Repeat("filler words here ", 30) + "the proxy_read_timeout directive closes idle connections" + strings.Repeat(" more filler", 30)
	q := Parse("proxy_read_timeout idle")
	s, marks := snippet(long, newHighlighter(q))
	if !strings.Contains(s, "proxy_read_timeout") || !strings.HasPrefix(s, "…") || !strings.HasSuffix(s, "…") {
		t.Errorf("snippet = %q", s)
	}
	var got []string
	for _, m := range marks {
		got = append(got, s[m[0]:m[1]])
	}
	if want := []string{"proxy_read_timeout", "idle"}; !reflect.DeepEqual(got, want) {
		t.Errorf("marks = %q, want %q", got, want)
	}
}

// TestMarksBetweenChinese: an English word or a number next to Chinese
// text is marked alone, without the Chinese punctuation and words around
// it.
func TestMarksBetweenChinese(t *testing.T) {
	text := "浏览器收到1006，uvicorn 记录 closed 事件"
	s, marks := snippet(text, newHighlighter(Parse("1006 close")))
	var got []string
	for _, m := range marks {
		got = append(got, s[m[0]:m[1]])
	}
	if want := []string{"1006", "closed"}; !reflect.DeepEqual(got, want) {
		t.Errorf("marks = %q, want %q", got, want)
	}
}
