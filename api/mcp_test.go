package api_test

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/modelcontextprotocol/go-sdk/mcp"

	"github.com/wskb/wskb/api"
)

// The MCP tests run one suite of calls through the SDK's client over each
// transport: streamable HTTP (the handler /mcp serves), an in-memory pipe,
// and newline-delimited JSON over io.Pipe (what stdio carries).

func mcpContext(t *testing.T) context.Context {
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	t.Cleanup(cancel)
	return ctx
}

func mcpClient() *mcp.Client {
	return mcp.NewClient(&mcp.Implementation{Name: "wskb-test", Version: "0"}, nil)
}

// mcpDeps opens the embedded knowledge base for the MCP tools, as `wskb
// mcp` does.
func mcpDeps(t *testing.T) api.MCPDeps {
	t.Helper()
	deps, st, err := api.OpenMCP(context.Background(), api.Embedded(), filepath.Join(t.TempDir(), "wskb.db"), slog.New(slog.DiscardHandler))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	return deps
}

// httpSession connects the SDK's client to the server's /mcp handler.
func httpSession(t *testing.T) (*mcp.ClientSession, string) {
	t.Helper()
	ts := httptest.NewServer(newServer(t).MCPHandler())
	t.Cleanup(ts.Close)
	cs, err := mcpClient().Connect(mcpContext(t), &mcp.StreamableClientTransport{Endpoint: ts.URL + "/mcp", MaxRetries: -1}, nil)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { cs.Close() })
	return cs, ts.URL
}

func TestMCPStreamableHTTP(t *testing.T) {
	cs, _ := httpSession(t)
	mcpSuite(t, cs)
}

func TestMCPInMemory(t *testing.T) {
	ctx := mcpContext(t)
	srv := api.NewMCPServer(mcpDeps(t))
	st, ct := mcp.NewInMemoryTransports()
	ss, err := srv.Connect(ctx, st, nil)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { ss.Close() })
	cs, err := mcpClient().Connect(ctx, ct, nil)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { cs.Close() })
	mcpSuite(t, cs)
}

// TestMCPIOPipes runs the server as `wskb mcp` does, on a reader and a
// writer carrying newline-delimited JSON, until the client closes its end.
func TestMCPIOPipes(t *testing.T) {
	ctx := mcpContext(t)
	srv := api.NewMCPServer(mcpDeps(t))
	toServer, fromClient := io.Pipe()
	toClient, fromServer := io.Pipe()
	done := make(chan error, 1)
	go func() {
		done <- srv.Run(ctx, &mcp.IOTransport{Reader: toServer, Writer: fromServer})
		fromServer.Close()
	}()
	cs, err := mcpClient().Connect(ctx, &mcp.IOTransport{Reader: toClient, Writer: fromClient}, nil)
	if err != nil {
		t.Fatal(err)
	}
	mcpSuite(t, cs)
	cs.Close()
	select {
	case err := <-done:
		if err != nil && ctx.Err() != nil {
			t.Errorf("server: %v", err)
		}
	case <-ctx.Done():
		t.Fatal("the server did not stop when the client closed the connection")
	}
}

// call calls a tool and returns its result; a protocol error fails the test.
func call(t *testing.T, cs *mcp.ClientSession, name string, args any) *mcp.CallToolResult {
	t.Helper()
	res, err := cs.CallTool(mcpContext(t), &mcp.CallToolParams{Name: name, Arguments: args})
	if err != nil {
		t.Fatalf("%s %v: %v", name, args, err)
	}
	return res
}

// structured decodes a successful result's structured output into v.
func structured(t *testing.T, res *mcp.CallToolResult, v any) {
	t.Helper()
	if res.IsError {
		t.Fatalf("tool error: %s", resultText(res))
	}
	b, err := json.Marshal(res.StructuredContent)
	if err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(b, v); err != nil {
		t.Fatalf("structured content %s: %v", b, err)
	}
	// The text content carries the same document, for clients that read
	// only text.
	var fromText any
	if err := json.Unmarshal([]byte(resultText(res)), &fromText); err != nil {
		t.Errorf("text content is not the JSON of the structured content: %v", err)
	}
}

func resultText(res *mcp.CallToolResult) string {
	var b strings.Builder
	for _, c := range res.Content {
		if tc, ok := c.(*mcp.TextContent); ok {
			b.WriteString(tc.Text)
		}
	}
	return b.String()
}

const (
	rfc6455Request  = "GET /chat HTTP/1.1\nHost: server.example.com\nUpgrade: websocket\nConnection: Upgrade\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\nOrigin: http://example.com\nSec-WebSocket-Protocol: chat, superchat\nSec-WebSocket-Version: 13\n"
	rfc6455Response = "HTTP/1.1 101 Switching Protocols\nUpgrade: websocket\nConnection: Upgrade\nSec-WebSocket-Accept: s3pPLMBiTxaQ9kYGzzhZRbK+xOo=\nSec-WebSocket-Protocol: chat\n"
)

func mcpSuite(t *testing.T, cs *mcp.ClientSession) {
	t.Run("server info", func(t *testing.T) {
		r := cs.InitializeResult()
		if r == nil || r.ServerInfo == nil || r.ServerInfo.Name != "wskb" || !strings.Contains(r.Instructions, "search_errors") {
			t.Errorf("initialize result: %+v", r)
		}
	})

	t.Run("list tools", func(t *testing.T) {
		res, err := cs.ListTools(mcpContext(t), nil)
		if err != nil {
			t.Fatal(err)
		}
		want := map[string][]string{
			"lookup_close_code": {"code", "lang"},
			"get_entry":         {"id", "lang"},
			"search_errors":     {"query", "lang", "limit"},
			"decode_frames":     {"hex", "deflate", "role", "lang"},
			"check_handshake":   {"request", "response", "lang"},
		}
		if len(res.Tools) != len(want) {
			t.Errorf("%d tools, want %d", len(res.Tools), len(want))
		}
		for _, tool := range res.Tools {
			props, ok := want[tool.Name]
			if !ok {
				t.Errorf("unexpected tool %q", tool.Name)
				continue
			}
			if tool.Description == "" || tool.Annotations == nil || !tool.Annotations.ReadOnlyHint {
				t.Errorf("%s: description %q, annotations %+v", tool.Name, tool.Description, tool.Annotations)
			}
			in, _ := tool.InputSchema.(map[string]any)
			got, _ := in["properties"].(map[string]any)
			if in["type"] != "object" {
				t.Errorf("%s: input schema %v", tool.Name, in)
			}
			for _, p := range props {
				ps, _ := got[p].(map[string]any)
				if d, _ := ps["description"].(string); d == "" {
					t.Errorf("%s: property %q undocumented: %v", tool.Name, p, ps)
				}
			}
			if out, _ := tool.OutputSchema.(map[string]any); out["type"] != "object" {
				t.Errorf("%s: output schema %v", tool.Name, tool.OutputSchema)
			}
		}
		var lookup *mcp.Tool
		for _, tool := range res.Tools {
			if tool.Name == "lookup_close_code" {
				lookup = tool
			}
		}
		if lookup != nil {
			in := lookup.InputSchema.(map[string]any)
			code := in["properties"].(map[string]any)["code"].(map[string]any)
			lang := in["properties"].(map[string]any)["lang"].(map[string]any)
			if code["maximum"] != 4999.0 || !slices.Equal(in["required"].([]any), []any{"code"}) || len(lang["enum"].([]any)) != 2 {
				t.Errorf("lookup_close_code input schema: %v", in)
			}
		}
	})

	t.Run("lookup_close_code", func(t *testing.T) {
		var out api.CloseCodeResult
		structured(t, call(t, cs, "lookup_close_code", map[string]any{"code": 1009}), &out)
		if out.Code != 1009 || out.Name != "Message Too Big" || out.Range != "protocol" || !out.WireAllowed || out.BrowserCloseAllowed ||
			out.URL != "/codes/1009" || !strings.Contains(out.Meaning, "too big") || out.RangeDescription == "" {
			t.Errorf("1009: %+v", out)
		}
		if i := slices.IndexFunc(out.Entries, func(e api.EntryRef) bool { return e.ID == id1009 }); i < 0 {
			t.Errorf("1009: no entry %s in %+v", id1009, out.Entries)
		} else if e := out.Entries[i]; e.URL != "/entries/"+id1009 || !strings.Contains(e.Title, "1009") || e.Summary == "" {
			t.Errorf("1009 entry: %+v", e)
		}

		var zh api.CloseCodeResult
		structured(t, call(t, cs, "lookup_close_code", map[string]any{"code": 1006, "lang": "zh"}), &zh)
		if zh.WireAllowed || zh.URL != "/zh/codes/1006" || !strings.Contains(zh.Meaning, "线路") || !slices.ContainsFunc(zh.Entries, func(e api.EntryRef) bool {
			return e.URL == "/zh/entries/communication/websocket-close-frame-1006-abnormal-closure" && strings.HasPrefix(e.Title, "关闭码 1006")
		}) {
			t.Errorf("1006 zh: %s %s, %d entries", zh.Meaning, zh.URL, len(zh.Entries))
		}

		var private api.CloseCodeResult
		structured(t, call(t, cs, "lookup_close_code", map[string]any{"code": 4321}), &private)
		if private.Name != "" || private.Range != "private" || !private.BrowserCloseAllowed || private.Entries == nil {
			t.Errorf("4321: %+v", private)
		}
	})

	t.Run("get_entry", func(t *testing.T) {
		var both struct {
			ID        string            `json:"id"`
			CloseCode int               `json:"close_code"`
			Title     map[string]string `json:"title"`
			RootCause map[string]string `json:"root_cause"`
		}
		structured(t, call(t, cs, "get_entry", map[string]any{"id": id1009}), &both)
		if both.ID != id1009 || both.CloseCode != 1009 || !strings.Contains(both.Title["en"], "1009") || !strings.Contains(both.Title["zh"], "关闭码") || both.RootCause["en"] == "" {
			t.Errorf("entry: %+v", both)
		}
		var zh struct {
			ID    string `json:"id"`
			Title string `json:"title"`
		}
		structured(t, call(t, cs, "get_entry", map[string]any{"id": "/zh/entries/" + id1009, "lang": "zh"}), &zh)
		if zh.ID != id1009 || !strings.HasPrefix(zh.Title, "关闭码 1009") {
			t.Errorf("entry zh: %+v", zh)
		}
	})

	t.Run("search_errors", func(t *testing.T) {
		var out api.SearchResponse
		structured(t, call(t, cs, "search_errors", map[string]any{"query": "websocket: close 1009 (message too big)"}), &out)
		if len(out.Results) == 0 || out.Results[0].ID != id1009 || out.Results[0].Type != "entry" || out.Lang != "en" ||
			!slices.Equal(out.Recognized.CloseCodes, []int{1009}) {
			t.Fatalf("search: %+v", out)
		}
		if m := out.Results[0].Matched; len(m) == 0 || m[0].Kind != "signature" {
			t.Errorf("matched: %+v", m)
		}

		var limited api.SearchResponse
		structured(t, call(t, cs, "search_errors", map[string]any{"query": "1006", "limit": 2}), &limited)
		// The limit counts entries; the close-code page comes first.
		if len(limited.Results) != 3 || limited.Results[0].Type != "close_code" || limited.Results[1].Type != "entry" {
			t.Errorf("1006 limit 2: %d results", len(limited.Results))
		}

		var zh api.SearchResponse
		structured(t, call(t, cs, "search_errors", map[string]any{"query": "连接异常关闭 1006"}), &zh)
		if zh.Lang != "zh" {
			t.Errorf("a Chinese query answers in %q", zh.Lang)
		}
	})

	t.Run("decode_frames", func(t *testing.T) {
		var out struct {
			Input  api.InputInfo `json:"input"`
			Frames []struct {
				Type      string `json:"type"`
				Fin       bool   `json:"fin"`
				CloseCode *int   `json:"close_code"`
			} `json:"frames"`
			Messages []any            `json:"messages"`
			Problems []api.ProblemOut `json:"problems"`
		}
		structured(t, call(t, cs, "decode_frames", map[string]any{"hex": "88 02 03 e9"}), &out)
		if out.Input.Bytes != 4 || len(out.Frames) != 1 || out.Frames[0].Type != "close" || !out.Frames[0].Fin ||
			out.Frames[0].CloseCode == nil || *out.Frames[0].CloseCode != 1001 || out.Messages == nil {
			t.Errorf("decode: %+v", out)
		}

		// A masked text frame from a server breaks the protocol.
		structured(t, call(t, cs, "decode_frames", map[string]any{"hex": "81 85 37 fa 21 3d 7f 9f 4d 51 58", "role": "server", "lang": "zh"}), &out)
		if len(out.Problems) == 0 || out.Problems[0].ID != "server-masked" || !strings.HasPrefix(out.Problems[0].URL, "/zh/entries/") {
			t.Errorf("masked server frame: %+v", out.Problems)
		}
	})

	t.Run("check_handshake", func(t *testing.T) {
		var out api.HandshakeResponse
		structured(t, call(t, cs, "check_handshake", map[string]any{"request": rfc6455Request, "response": rfc6455Response}), &out)
		if out.Verdict != "ok" || out.ExpectedAccept != "s3pPLMBiTxaQ9kYGzzhZRbK+xOo=" || out.Negotiated.Subprotocol != "chat" ||
			out.Response == nil || out.Response.Status != 101 || len(out.Checks) == 0 {
			t.Errorf("RFC 6455 example: %+v", out)
		}

		structured(t, call(t, cs, "check_handshake", map[string]any{"request": rfc6455Request,
			"response": strings.Replace(rfc6455Response, "s3pPLMBiTxaQ9kYGzzhZRbK+xOo=", "bm90IHRoZSBhY2NlcHQ=", 1)}), &out)
		if out.Verdict != "broken" || !slices.ContainsFunc(out.Checks, func(c api.CheckOut) bool {
			return c.Status == "fail" && c.URL == "/entries/communication/handshake-sec-websocket-accept-mismatch"
		}) {
			t.Errorf("wrong accept: %+v", out)
		}
	})

	t.Run("unknown tool", func(t *testing.T) {
		_, err := cs.CallTool(mcpContext(t), &mcp.CallToolParams{Name: "drop_tables", Arguments: map[string]any{}})
		if err == nil || !strings.Contains(err.Error(), `unknown tool "drop_tables"`) {
			t.Errorf("unknown tool: %v", err)
		}
	})

	t.Run("bad arguments", func(t *testing.T) {
		tests := []struct {
			tool string
			args any
			want string // in the error message
		}{
			{"lookup_close_code", map[string]any{"code": 99999}, "maximum"},
			{"lookup_close_code", map[string]any{"code": -1}, "minimum"},
			{"lookup_close_code", map[string]any{"code": "1009"}, "code"},
			{"lookup_close_code", map[string]any{"code": 10.5}, "code"},
			{"lookup_close_code", map[string]any{}, "code"},
			{"lookup_close_code", map[string]any{"code": 1009, "lang": "fr"}, "lang"},
			{"lookup_close_code", map[string]any{"code": 1009, "colour": "red"}, "colour"},
			{"get_entry", map[string]any{"id": "communication/no-such-entry"}, `no entry has the ID "communication/no-such-entry"`},
			{"get_entry", map[string]any{"id": "  "}, "id is empty"},
			{"get_entry", map[string]any{}, "id"},
			{"search_errors", map[string]any{"query": ""}, "query is empty"},
			{"search_errors", map[string]any{"query": " \n "}, "query is empty"},
			{"search_errors", map[string]any{"query": "1006", "limit": 51}, "maximum"},
			{"search_errors", map[string]any{"query": "1006", "limit": 0}, "minimum"},
			{"search_errors", map[string]any{"query": strings.Repeat("a", 9000)}, "query is 9000 bytes long"},
			{"decode_frames", map[string]any{"hex": strings.Repeat("00", 600_000)}, "at most 1048576 are decoded"},
			{"check_handshake", map[string]any{"request": strings.Repeat("x", 300_000)}, "at most 262144 are read"},
			{"decode_frames", map[string]any{"hex": "zz"}, "hex: line 1, column 1"},
			{"decode_frames", map[string]any{"hex": ""}, "hex is empty"},
			{"decode_frames", map[string]any{"hex": "88 00", "role": "proxy"}, "role"},
			{"decode_frames", map[string]any{"hex": "88 00", "deflate": true, "client_max_window_bits": 16}, "maximum"},
			{"decode_frames", map[string]any{"hex": "AAAA", "encoding": "base32"}, "encoding"},
			{"check_handshake", map[string]any{}, "request and response are both empty"},
			{"check_handshake", map[string]any{"request": 42}, "request"},
		}
		for _, tt := range tests {
			res := call(t, cs, tt.tool, tt.args)
			msg := resultText(res)
			if !res.IsError || !strings.Contains(msg, tt.want) {
				t.Errorf("%s %v: error %v, message %q; want an error result mentioning %q", tt.tool, tt.args, res.IsError, msg, tt.want)
			}
			if res.StructuredContent != nil {
				t.Errorf("%s %v: structured content in an error result: %v", tt.tool, tt.args, res.StructuredContent)
			}
		}
		// The session survives them.
		var out api.CloseCodeResult
		structured(t, call(t, cs, "lookup_close_code", map[string]any{"code": 1000}), &out)
		if out.Name != "Normal Closure" {
			t.Errorf("after the errors: %+v", out)
		}
	})
}

// TestMCPHTTPMethods: the endpoint is stateless, so it answers only POST,
// with JSON; a JSON-RPC request needs no session first.
func TestMCPHTTPMethods(t *testing.T) {
	_, base := httpSession(t)
	resp, err := http.Get(base + "/mcp")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusMethodNotAllowed || resp.Header.Get("Allow") != "POST" {
		t.Errorf("GET: %d, Allow %q", resp.StatusCode, resp.Header.Get("Allow"))
	}

	body := `{"jsonrpc":"2.0","id":1,"method":"tools/call","params":{"name":"lookup_close_code","arguments":{"code":1001}}}`
	req, _ := http.NewRequest(http.MethodPost, base+"/mcp", strings.NewReader(body))
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Accept", "application/json, text/event-stream")
	req.Header.Set("Mcp-Protocol-Version", "2025-06-18")
	resp, err = http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != 200 || !strings.HasPrefix(resp.Header.Get("Content-Type"), "application/json") ||
		!strings.Contains(string(b), `"Going Away"`) || resp.Header.Get("Mcp-Session-Id") != "" {
		t.Errorf("POST tools/call: %d %q %s", resp.StatusCode, resp.Header.Get("Content-Type"), b)
	}
}

// TestMCPOutputSchemas: the SDK checks every structured output against the
// tool's output schema and fails the call when it does not match; decode
// and inspect a spread of inputs, random bytes among them, to hold the
// schemas to every form the documents take.
func TestMCPOutputSchemas(t *testing.T) {
	ctx := mcpContext(t)
	deps := mcpDeps(t)
	srv := api.NewMCPServer(deps)
	st, ct := mcp.NewInMemoryTransports()
	ss, err := srv.Connect(ctx, st, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer ss.Close()
	cs, err := mcpClient().Connect(ctx, ct, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer cs.Close()
	check := func(tool string, args map[string]any) {
		t.Helper()
		res, err := cs.CallTool(ctx, &mcp.CallToolParams{Name: tool, Arguments: args})
		if err != nil {
			t.Fatalf("%s %v: %v", tool, args, err)
		}
		if res.IsError {
			t.Errorf("%s %v: %s", tool, args, resultText(res))
		}
	}
	decodes := []map[string]any{
		{"hex": "81 85 37 fa 21 3d 7f 9f 4d 51 58", "role": "client"},
		{"hex": "c1 07 f2 48 cd c9 c9 07 00 c1 05 f2 00 11 00 00", "deflate": true, "client_no_context_takeover": true, "server_max_window_bits": 10},
		{"hex": "c2 0a 63 60 18 05 a3 60 14 0c 77 00", "deflate": true},
		{"hex": "01 03 48 65 6c 80 02 6c 6f 89 00 8a 00"},
		{"hex": "88 01 03"},
		{"hex": "88 02 03 ed"},
		{"hex": "82 7e 01 00 00"},
		{"hex": "82 7f 80 00 00 00 00 00 00 00"},
		{"hex": "0x81, 0x02, 0xff, 0xfe"},
		{"hex": "gQJIaQ==", "encoding": "base64"},
	}
	seed := uint64(1)
	for range 200 {
		n := int(seed % 40)
		var b strings.Builder
		for range n {
			seed = seed*6364136223846793005 + 1442695040888963407
			fmt.Fprintf(&b, "%02x ", byte(seed>>56))
		}
		if b.Len() > 0 {
			decodes = append(decodes, map[string]any{"hex": b.String(), "deflate": seed&1 == 1})
		}
		seed = seed*6364136223846793005 + 1442695040888963407
	}
	for _, args := range decodes {
		for _, l := range []string{"en", "zh"} {
			args["lang"] = l
			check("decode_frames", args)
		}
	}
	handshakes := [][2]string{
		{rfc6455Request, rfc6455Response},
		{rfc6455Request, ""},
		{"", rfc6455Response},
		{rfc6455Request + "\n" + rfc6455Response, ""},
		{"GET /ws HTTP/1.0\nHost: app.example.com\nConnection: close\nSec-WebSocket-Key: x3JJHMbDL1EzLkh9GBhXDw==\nSec-WebSocket-Version: 13\nOrigin: https://app.example.com\n",
			"HTTP/1.1 400 Bad Request\nContent-Type: text/plain; charset=utf-8\nContent-Length: 12\n"},
		{"GET /socket HTTP/1.1\nHost: www.example.com\nUpgrade: websocket\nConnection: Upgrade\nSec-WebSocket-Key: x3JJHMbDL1EzLkh9GBhXDw==\nSec-WebSocket-Version: 13\nOrigin: https://www.example.com\n",
			"HTTP/1.1 200 OK\nContent-Type: text/html; charset=utf-8\nCache-Control: no-cache\n"},
		{":method: CONNECT\n:protocol: websocket\n:scheme: https\n:path: /chat\n:authority: server.example.com\nsec-websocket-version: 13\norigin: https://server.example.com\nsec-websocket-extensions: permessage-deflate; client_max_window_bits\n",
			":status: 200\nsec-websocket-extensions: permessage-deflate; server_no_context_takeover\n"},
	}
	for _, h := range handshakes {
		for _, l := range []string{"en", "zh"} {
			check("check_handshake", map[string]any{"request": h[0], "response": h[1], "lang": l})
		}
	}
	for _, code := range []int{0, 999, 1000, 1005, 1015, 2999, 3000, 3008, 3999, 4000, 4999} {
		check("lookup_close_code", map[string]any{"code": code, "lang": "zh"})
	}
	for _, e := range deps.Catalog.Entries() {
		check("get_entry", map[string]any{"id": e.ID})
		for _, l := range []string{"en", "zh"} {
			check("get_entry", map[string]any{"id": e.ID, "lang": l})
		}
	}
	for _, q := range []string{"1006", "HTTP 502", "88 02 03 e9", "nginx upgrade 400", "握手失败", "zzzz nothing matches this"} {
		check("search_errors", map[string]any{"query": q, "limit": 50})
	}
}
