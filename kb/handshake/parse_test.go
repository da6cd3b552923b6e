package handshake

import (
	"errors"
	"strings"
	"testing"
)

// The RFC 6455 §1.3 example handshake.
const (
	rfcReq = "GET /chat HTTP/1.1\r\n" +
		"Host: server.example.com\r\n" +
		"Upgrade: websocket\r\n" +
		"Connection: Upgrade\r\n" +
		"Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n" +
		"Origin: http://example.com\r\n" +
		"Sec-WebSocket-Protocol: chat, superchat\r\n" +
		"Sec-WebSocket-Version: 13\r\n" +
		"\r\n"
	rfcResp = "HTTP/1.1 101 Switching Protocols\r\n" +
		"Upgrade: websocket\r\n" +
		"Connection: Upgrade\r\n" +
		"Sec-WebSocket-Accept: s3pPLMBiTxaQ9kYGzzhZRbK+xOo=\r\n" +
		"Sec-WebSocket-Protocol: chat\r\n" +
		"\r\n"
)

// Chrome DevTools "Copy request headers" / "Copy response headers" for a
// WebSocket over HTTP/2 (RFC 8441): no start line, pseudo-headers first.
const (
	chromeH2Req = ":authority: example.com\n" +
		":method: CONNECT\n" +
		":path: /chat\n" +
		":protocol: websocket\n" +
		":scheme: https\n" +
		"accept-encoding: gzip, deflate, br, zstd\n" +
		"origin: https://example.com\n" +
		"sec-websocket-extensions: permessage-deflate; client_max_window_bits\n" +
		"sec-websocket-version: 13\n" +
		"user-agent: Mozilla/5.0\n"
	chromeH2Resp = ":status: 200\n" +
		"date: Mon, 01 Jan 2024 00:00:00 GMT\n" +
		"sec-websocket-extensions: permessage-deflate; client_max_window_bits=15\n"
)

// Firefox "Copy Request Headers" / "Copy Response Headers" (LF, start line).
const (
	firefoxReq = "GET /socket HTTP/1.1\n" +
		"Host: localhost:8080\n" +
		"User-Agent: Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0\n" +
		"Accept: */*\n" +
		"Accept-Language: en-US,en;q=0.5\n" +
		"Accept-Encoding: gzip, deflate, br, zstd\n" +
		"Sec-WebSocket-Version: 13\n" +
		"Origin: http://localhost:8080\n" +
		"Sec-WebSocket-Extensions: permessage-deflate\n" +
		"Sec-WebSocket-Key: x3JJHMbDL1EzLkh9GBhXDw==\n" +
		"Connection: keep-alive, Upgrade\n" +
		"Sec-Fetch-Dest: empty\n" +
		"Sec-Fetch-Mode: websocket\n" +
		"Sec-Fetch-Site: same-origin\n" +
		"Pragma: no-cache\n" +
		"Cache-Control: no-cache\n" +
		"Upgrade: websocket"
	firefoxResp = "HTTP/1.1 101 Switching Protocols\n" +
		"Upgrade: websocket\n" +
		"Connection: Upgrade\n" +
		"Sec-WebSocket-Accept: HSmrc0sMlYUkAGmm5OPpG2HaGWk=\n" +
		"Sec-WebSocket-Extensions: permessage-deflate\n"
)

// curl -v (curl 8 with ws:// support), with its noise lines.
const curlOut = `$ curl -v --no-buffer http://localhost:8080/ws
* Host localhost:8080 was resolved.
*   Trying [::1]:8080...
* Connected to localhost (::1) port 8080
> GET /ws HTTP/1.1
> Host: localhost:8080
> User-Agent: curl/8.5.0
> Accept: */*
> Upgrade: websocket
> Sec-WebSocket-Version: 13
> Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==
> Connection: Upgrade
> 
< HTTP/1.1 101 Switching Protocols
< Upgrade: websocket
< Connection: Upgrade
< Sec-WebSocket-Accept: s3pPLMBiTxaQ9kYGzzhZRbK+xOo=
< 
* Received 101, Switching to WebSocket
{ [5 bytes data]
hello
* Connection #0 to host localhost left intact
`

func mustParse(t *testing.T, request, response string) (*Message, *Message) {
	t.Helper()
	req, resp, err := Parse(request, response)
	if err != nil {
		t.Fatalf("Parse: %v", err)
	}
	return req, resp
}

func TestAcceptForRFCExample(t *testing.T) {
	if got := AcceptFor("dGhlIHNhbXBsZSBub25jZQ=="); got != "s3pPLMBiTxaQ9kYGzzhZRbK+xOo=" {
		t.Fatalf("AcceptFor = %q", got)
	}
	if got := AcceptFor("x3JJHMbDL1EzLkh9GBhXDw=="); got != "HSmrc0sMlYUkAGmm5OPpG2HaGWk=" {
		t.Fatalf("AcceptFor = %q", got)
	}
}

func TestParseRawCRLF(t *testing.T) {
	req, resp := mustParse(t, rfcReq, rfcResp)
	if req.Method != "GET" || req.Target != "/chat" || req.Proto != "HTTP/1.1" || req.Line != 1 || req.HTTP2 {
		t.Errorf("request line: %+v", req)
	}
	if len(req.Headers) != 7 || req.Headers[0] != (Header{"Host", "server.example.com", 2}) {
		t.Errorf("headers: %+v", req.Headers)
	}
	if resp.Status != 101 || resp.Reason != "Switching Protocols" || resp.Proto != "HTTP/1.1" || resp.Line != 1 {
		t.Errorf("status line: %+v", resp)
	}
	if got := resp.Values("sec-websocket-accept"); len(got) != 1 || got[0] != "s3pPLMBiTxaQ9kYGzzhZRbK+xOo=" {
		t.Errorf("Values: %q", got)
	}
	r := Inspect(req, resp)
	if r.Verdict != "ok" || r.ExpectedAccept != "s3pPLMBiTxaQ9kYGzzhZRbK+xOo=" || r.Negotiated.Subprotocol != "chat" {
		t.Errorf("Inspect: %+v", r)
	}
}

func TestParseRawLF(t *testing.T) {
	lf := strings.ReplaceAll(rfcReq, "\r\n", "\n")
	req, _ := mustParse(t, lf, "")
	if req.Method != "GET" || len(req.Headers) != 7 || req.Headers[6].Value != "13" || req.Headers[6].Line != 8 {
		t.Errorf("%+v", req)
	}
	// Old Mac CR-only line endings.
	cr := strings.ReplaceAll(rfcResp, "\r\n", "\r")
	_, resp := mustParse(t, "", cr)
	if resp.Status != 101 || len(resp.Headers) != 4 {
		t.Errorf("%+v", resp)
	}
}

func TestParseFirefox(t *testing.T) {
	req, resp := mustParse(t, firefoxReq, firefoxResp)
	if req.Target != "/socket" || len(req.Values("Upgrade")) != 1 || resp.Status != 101 {
		t.Fatalf("%+v %+v", req, resp)
	}
	r := Inspect(req, resp)
	if r.Verdict != "ok" {
		t.Errorf("verdict %s: %+v", r.Verdict, r.Checks)
	}
	if r.Negotiated.Deflate == nil || *r.Negotiated.Deflate != (Deflate{}) {
		t.Errorf("deflate: %+v", r.Negotiated.Deflate)
	}
}

func TestParseChromeHTTP2(t *testing.T) {
	req, resp := mustParse(t, chromeH2Req, chromeH2Resp)
	if !req.HTTP2 || req.Method != "CONNECT" || req.Target != "/chat" || req.Proto != "HTTP/2" || req.Line != 1 {
		t.Errorf("request: %+v", req)
	}
	if req.Headers[3] != (Header{":protocol", "websocket", 4}) {
		t.Errorf("pseudo-header kept: %+v", req.Headers[3])
	}
	if !resp.HTTP2 || resp.Status != 200 || resp.Proto != "HTTP/2" {
		t.Errorf("response: %+v", resp)
	}
	r := Inspect(req, resp)
	if r.Verdict != "ok" {
		t.Errorf("verdict %s: %+v", r.Verdict, r.Checks)
	}
	if d := r.Negotiated.Deflate; d == nil || d.ClientMaxWindowBits != 15 {
		t.Errorf("deflate: %+v", d)
	}
	// Both in one text, separated by a blank line, in either box.
	for _, both := range []string{chromeH2Req + "\n" + chromeH2Resp} {
		for _, box := range []int{0, 1} {
			a, b := both, ""
			if box == 1 {
				a, b = b, a
			}
			req, resp := mustParse(t, a, b)
			if req == nil || resp == nil || req.Method != "CONNECT" || resp.Status != 200 || resp.Line != 12 {
				t.Errorf("box %d: %+v %+v", box, req, resp)
			}
		}
	}
}

func TestParseCurl(t *testing.T) {
	req, resp := mustParse(t, curlOut, "")
	if req == nil || resp == nil {
		t.Fatalf("%v %v", req, resp)
	}
	if req.Line != 5 || req.Method != "GET" || len(req.Headers) != 7 || req.Headers[0].Line != 6 {
		t.Errorf("request: %+v", req)
	}
	if resp.Line != 14 || resp.Status != 101 || len(resp.Headers) != 3 {
		t.Errorf("response: %+v", resp)
	}
	r := Inspect(req, resp)
	if r.Verdict != "warn" || !hasID(r, "origin-missing") || !hasID(r, "accept-match") {
		t.Errorf("%s %+v", r.Verdict, r.Checks)
	}
	// Pasted in the response box, with CRLF.
	req2, resp2 := mustParse(t, "", strings.ReplaceAll(curlOut, "\n", "\r\n"))
	if req2 == nil || resp2 == nil || req2.Line != 5 || resp2.Status != 101 {
		t.Errorf("%+v %+v", req2, resp2)
	}
	// curl over HTTP/2 prints lower-case headers and "HTTP/2 200".
	h2 := "> GET /ws HTTP/2\n> Host: example.com\n>\n< HTTP/2 400\n< content-type: text/plain\n<\n"
	req3, resp3 := mustParse(t, h2, "")
	if req3.Proto != "HTTP/2" || req3.HTTP2 || resp3.Status != 400 || resp3.Proto != "HTTP/2" {
		t.Errorf("%+v %+v", req3, resp3)
	}
}

func TestParseRawCapture(t *testing.T) {
	// A raw capture: request then response in one text.
	for _, sep := range []string{"", "\r\n", "\r\n\r\n"} {
		text := rfcReq + sep + rfcResp
		for _, box := range []int{0, 1} {
			a, b := text, ""
			if box == 1 {
				a, b = b, a
			}
			req, resp := mustParse(t, a, b)
			if req == nil || resp == nil || resp.Line != 10+strings.Count(sep, "\n") {
				t.Fatalf("sep %q box %d: %+v %+v", sep, box, req, resp)
			}
		}
	}
	// No blank line between the request headers and the status line.
	req, resp := mustParse(t, strings.TrimSuffix(rfcReq, "\r\n")+rfcResp, "")
	if req == nil || resp == nil || resp.Line != 9 {
		t.Fatalf("%+v %+v", req, resp)
	}
	// Messages pasted in the wrong boxes are told apart by content.
	req, resp = mustParse(t, rfcResp, rfcReq)
	if req.Method != "GET" || resp.Status != 101 {
		t.Fatalf("%+v %+v", req, resp)
	}
}

func TestParseBodyIgnored(t *testing.T) {
	text := "HTTP/1.1 400 Bad Request\r\nContent-Type: text/plain\r\n\r\nMissing or bad Sec-WebSocket-Key\r\n\x00\x01 binary tail"
	_, resp := mustParse(t, "", text)
	if resp.Status != 400 || len(resp.Headers) != 1 {
		t.Fatalf("%+v", resp)
	}
}

func TestParseHeadersOnly(t *testing.T) {
	// Headers without a start line: the box and the headers decide.
	req, resp := mustParse(t, "Host: a\nUpgrade: websocket\n", "Upgrade: websocket\nConnection: Upgrade\n")
	if req == nil || resp == nil || req.Method != "" || resp.Status != 0 || req.Line != 1 {
		t.Fatalf("%+v %+v", req, resp)
	}
	r := Inspect(req, resp)
	if !hasID(r, "request-line-missing") || !hasID(r, "status-missing") {
		t.Errorf("%+v", r.Checks)
	}
	// A request's headers followed by a headers-only block: the response.
	req, resp = mustParse(t, "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\n\nUpgrade: websocket\n", "")
	if req == nil || resp == nil || resp.Line != 3 {
		t.Fatalf("%+v %+v", req, resp)
	}
}

func TestParseFolding(t *testing.T) {
	text := "GET / HTTP/1.1\r\nHost: a\r\nConnection: keep-alive,\r\n Upgrade\r\n\tfoo\r\n\r\n"
	req, _ := mustParse(t, text, "")
	if got := req.Values("Connection"); len(got) != 1 || got[0] != "keep-alive, Upgrade foo" {
		t.Fatalf("%q", got)
	}
}

func TestParseIndented(t *testing.T) {
	text := "    GET / HTTP/1.1\n    Host: a\n      b\n    Upgrade: websocket\n"
	req, _ := mustParse(t, text, "")
	if req.Method != "GET" || req.Values("Host")[0] != "a b" || req.Values("Upgrade")[0] != "websocket" {
		t.Fatalf("%+v", req)
	}
}

func TestParseEmpty(t *testing.T) {
	req, resp, err := Parse("", " \r\n\t\n")
	if req != nil || resp != nil || err != nil {
		t.Fatalf("%v %v %v", req, resp, err)
	}
}

func TestValuesDuplicates(t *testing.T) {
	req, _ := mustParse(t, "GET / HTTP/1.1\nConnection: keep-alive\nhost: a\nCONNECTION: Upgrade\n", "")
	if got := req.Values("connection"); len(got) != 2 || got[0] != "keep-alive" || got[1] != "Upgrade" {
		t.Fatalf("%q", got)
	}
	if req.Values("Origin") != nil || (*Message)(nil).Values("x") != nil {
		t.Fatal("absent header has values")
	}
}

func TestParseErrors(t *testing.T) {
	for _, tc := range []struct {
		name, req, resp string
		line            int
		input, want     string
	}{
		{"no colon", "GET / HTTP/1.1\nHost: a\nUpgrade websocket\n", "", 3, "request", "no colon"},
		{"no colon in response", "", "HTTP/1.1 101 OK\nUpgrade: websocket\nConnection\n", 3, "response", "no colon"},
		{"prose", "Hello, I have a problem with my websocket.\nIt fails.", "", 1, "request", "not HTTP"},
		{"binary", "\x16\x03\x01\x02\x00\x01\x00\x01\xfc\x03\x03", "", 1, "request", "control character"},
		{"binary later", "GET / HTTP/1.1\nHost: a\n\x00\x01\x02\n", "", 3, "request", "control character"},
		{"space before colon", "GET / HTTP/1.1\nHost : a\n", "", 2, "request", "white space before the colon"},
		{"bad name", "GET / HTTP/1.1\nHo(st: a\n", "", 2, "request", "cannot have"},
		{"empty name", "GET / HTTP/1.1\n: a\n", "", 2, "request", "no header name"},
		{"fold first", "GET / HTTP/1.1\n  Host: a\n", "", 2, "request", "white space"},
		{"unknown pseudo", ":method: CONNECT\n:foo: bar\n", "", 2, "request", "unknown pseudo-header"},
		{"repeated pseudo", ":method: CONNECT\n:method: GET\n", "", 2, "request", "appears twice"},
		{"status in request", "GET / HTTP/1.1\n:status: 200\n", "", 2, "request", "does not belong"},
		{"bad status", "", ":status: 2000\n", 1, "response", "three-digit"},
		{"two requests", rfcReq, rfcReq, 1, "response", "second request"},
		{"two responses", rfcReq + rfcResp, rfcResp, 1, "response", "second response"},
		{"too large", strings.Repeat("a", MaxInput), "b", 1, "request", "larger than"},
		{"no version", "GET /chat\nHost: a\n", "", 1, "request", "not HTTP"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			req, resp, err := Parse(tc.req, tc.resp)
			var ie *InputError
			if !errors.As(err, &ie) {
				t.Fatalf("err = %v (%v %v)", err, req, resp)
			}
			if req != nil || resp != nil {
				t.Errorf("messages returned with an error")
			}
			if ie.Line != tc.line || ie.Input != tc.input || !strings.Contains(ie.Message, tc.want) {
				t.Errorf("got %+v, want line %d %s %q", ie, tc.line, tc.input, tc.want)
			}
			if !strings.HasPrefix(err.Error(), "line ") || !strings.Contains(err.Error(), ": "+ie.Message) {
				t.Errorf("Error() = %q", err.Error())
			}
		})
	}
}

func TestParseExtensions(t *testing.T) {
	got, err := ParseExtensions(`permessage-deflate; client_max_window_bits, permessage-deflate ;server_max_window_bits="10" , , x-foo`)
	if err != nil {
		t.Fatal(err)
	}
	want := []Extension{
		{"permessage-deflate", []Param{{"client_max_window_bits", "", false}}},
		{"permessage-deflate", []Param{{"server_max_window_bits", "10", true}}},
		{"x-foo", nil},
	}
	if len(got) != len(want) {
		t.Fatalf("%+v", got)
	}
	for i := range want {
		if got[i].String() != want[i].String() || got[i].Name != want[i].Name || len(got[i].Params) != len(want[i].Params) {
			t.Errorf("%d: %+v, want %+v", i, got[i], want[i])
		}
		for j := range want[i].Params {
			if got[i].Params[j] != want[i].Params[j] {
				t.Errorf("%d/%d: %+v", i, j, got[i].Params[j])
			}
		}
	}
	for _, bad := range []string{`;x`, `a;`, `a; b=`, `a; b="1`, `a; b="1 2"`, `a b`, `a; b=c d`, `"a"`} {
		if _, err := ParseExtensions(bad); err == nil {
			t.Errorf("%q: no error", bad)
		}
	}
}
