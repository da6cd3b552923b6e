package handshake

import (
	"slices"
	"strings"
	"testing"
	"text/template"
)

func hasID(r Result, id string) bool {
	return slices.ContainsFunc(r.Checks, func(c Check) bool { return c.ID == id })
}

// edit changes a raw message: "Name: value" replaces the first header of
// that name (or appends it), "+Name: value" appends a header line, "-Name"
// removes every header of that name, and "=start line" replaces the first
// line.
func edit(text string, changes ...string) string {
	text = strings.ReplaceAll(text, "\r\n", "\n")
	lines := strings.Split(strings.TrimRight(text, "\n"), "\n")
	for _, c := range changes {
		switch {
		case strings.HasPrefix(c, "="):
			lines[0] = c[1:]
		case strings.HasPrefix(c, "+"):
			lines = append(lines, c[1:])
		case strings.HasPrefix(c, "-"):
			lines = slices.DeleteFunc(lines, func(l string) bool {
				return strings.HasPrefix(strings.ToLower(l), strings.ToLower(c[1:])+":")
			})
		default:
			name := c[:strings.IndexByte(c, ':')+1]
			i := slices.IndexFunc(lines, func(l string) bool { return strings.HasPrefix(strings.ToLower(l), strings.ToLower(name)) })
			if i < 0 {
				lines = append(lines, c)
			} else {
				lines[i] = c
			}
		}
	}
	return strings.Join(lines, "\r\n") + "\r\n\r\n"
}

const (
	h2Req  = ":method: CONNECT\n:protocol: websocket\n:scheme: https\n:path: /chat\n:authority: example.com\nsec-websocket-version: 13\norigin: https://example.com\n"
	h2Resp = ":status: 200\n"
)

var (
	deflateReq  = edit(rfcReq, "Sec-WebSocket-Extensions: permessage-deflate; client_max_window_bits, permessage-deflate")
	deflateResp = func(params string) string {
		return edit(rfcResp, "Sec-WebSocket-Extensions: permessage-deflate"+params)
	}
)

type scenario struct {
	name      string
	req, resp string
	want      []string // IDs that must be reported
	not       []string // IDs that must not be reported
	verdict   string   // "" = don't care
}

var scenarios = []scenario{
	{name: "rfc example", req: rfcReq, resp: rfcResp, verdict: "ok",
		want: []string{"method-get", "http-version-ok", "host-present", "upgrade-websocket", "connection-upgrade", "version-13", "key-valid", "origin-present", "status-101", "resp-upgrade-websocket", "resp-connection-upgrade", "accept-match", "subprotocol-selected"},
		not:  []string{"request-missing", "response-missing", "origin-missing"}},
	{name: "nothing", verdict: "broken", want: []string{"input-missing"}},
	{name: "request only", req: rfcReq, verdict: "warn", want: []string{"response-missing", "key-valid"}, not: []string{"status-101"}},
	{name: "response only", resp: rfcResp, verdict: "warn", want: []string{"request-missing", "status-101", "resp-upgrade-websocket"},
		not: []string{"accept-match", "accept-unverifiable", "subprotocol-selected", "subprotocol-unrequested"}},

	// Request line.
	{name: "post", req: edit(rfcReq, "=POST /chat HTTP/1.1"), want: []string{"method-not-get"}, verdict: "broken"},
	{name: "http/1.0", req: edit(rfcReq, "=GET /chat HTTP/1.0"), want: []string{"http-version-old"}},
	{name: "no request line", req: "Host: a\nUpgrade: websocket\nConnection: Upgrade\nSec-WebSocket-Version: 13\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\nOrigin: http://a\n",
		resp: rfcResp, want: []string{"request-line-missing"}, not: []string{"method-get", "http-version-ok", "http-version-old"}},

	// Host.
	{name: "no host", req: edit(rfcReq, "-Host"), want: []string{"host-missing"}},
	{name: "empty host", req: edit(rfcReq, "Host:"), want: []string{"host-missing"}},
	{name: "two hosts", req: edit(rfcReq, "+Host: other.example.com"), want: []string{"host-duplicate"}},

	// Upgrade and Connection.
	{name: "upgrade case", req: edit(rfcReq, "Upgrade: WebSocket"), resp: rfcResp, want: []string{"upgrade-websocket"}, verdict: "ok"},
	{name: "no upgrade", req: edit(rfcReq, "-Upgrade"), want: []string{"upgrade-missing"}},
	{name: "upgrade h2c", req: edit(rfcReq, "Upgrade: h2c"), want: []string{"upgrade-not-websocket"}},
	{name: "connection list", req: edit(rfcReq, "Connection: keep-alive, upgrade"), want: []string{"connection-upgrade"}},
	{name: "connection list two lines", req: edit(rfcReq, "Connection: keep-alive", "+Connection: Upgrade"), want: []string{"connection-upgrade"}},
	{name: "no connection", req: edit(rfcReq, "-Connection"), want: []string{"connection-missing"}},
	{name: "connection close", req: edit(rfcReq, "Connection: close"), want: []string{"connection-no-upgrade"}},
	{name: "connection substring", req: edit(rfcReq, "Connection: Upgraded"), want: []string{"connection-no-upgrade"}},

	// Version.
	{name: "no version", req: edit(rfcReq, "-Sec-WebSocket-Version"), want: []string{"version-missing"}},
	{name: "version 8", req: edit(rfcReq, "Sec-WebSocket-Version: 8"), want: []string{"version-not-13"}},
	{name: "two versions", req: edit(rfcReq, "+Sec-WebSocket-Version: 13"), want: []string{"version-duplicate"}},
	{name: "426 with versions", req: edit(rfcReq, "Sec-WebSocket-Version: 8"), resp: "HTTP/1.1 426 Upgrade Required\r\nSec-WebSocket-Version: 13, 8, 7\r\n\r\n",
		want: []string{"version-not-13", "status-426", "server-versions"}, not: []string{"accept-missing", "subprotocol-not-selected"}},

	// Key.
	{name: "no key", req: edit(rfcReq, "-Sec-WebSocket-Key"), resp: rfcResp, want: []string{"key-missing", "accept-unverifiable"}},
	{name: "key not base64", req: edit(rfcReq, "Sec-WebSocket-Key: not base64!"), want: []string{"key-invalid"}},
	{name: "key 15 bytes", req: edit(rfcReq, "Sec-WebSocket-Key: AAAAAAAAAAAAAAAAAAAA"), want: []string{"key-wrong-length"}},
	{name: "two keys", req: edit(rfcReq, "+Sec-WebSocket-Key: x3JJHMbDL1EzLkh9GBhXDw=="), resp: rfcResp, want: []string{"key-duplicate", "accept-unverifiable"}},

	// Origin.
	{name: "no origin", req: edit(rfcReq, "-Origin"), resp: rfcResp, want: []string{"origin-missing"}, verdict: "warn"},

	// Status.
	{name: "200", req: rfcReq, resp: "HTTP/1.1 200 OK\r\nContent-Type: text/html\r\n\r\n<html>", want: []string{"status-200"}, not: []string{"accept-missing", "resp-upgrade-missing"}},
	{name: "301", req: rfcReq, resp: "HTTP/1.1 301 Moved Permanently\r\nLocation: https://example.com/chat/\r\n\r\n", want: []string{"status-redirect"}},
	{name: "302 no location", resp: "HTTP/1.1 302 Found\r\n\r\n", want: []string{"status-redirect"}},
	{name: "400", resp: "HTTP/1.1 400 Bad Request\r\n\r\n", want: []string{"status-400"}},
	{name: "401", resp: "HTTP/1.1 401 Unauthorized\r\n\r\n", want: []string{"status-401"}},
	{name: "403", resp: "HTTP/1.1 403 Forbidden\r\n\r\n", want: []string{"status-403"}},
	{name: "404", resp: "HTTP/1.1 404 Not Found\r\n\r\n", want: []string{"status-404"}},
	{name: "426", resp: "HTTP/1.1 426 Upgrade Required\r\n\r\n", want: []string{"status-426"}, not: []string{"server-versions"}},
	{name: "429", resp: "HTTP/1.1 429 Too Many Requests\r\nRetry-After: 30\r\n\r\n", want: []string{"status-429"}},
	{name: "502", resp: "HTTP/1.1 502 Bad Gateway\r\n\r\n", want: []string{"status-5xx"}},
	{name: "503", resp: "HTTP/1.1 503 Service Unavailable\r\n\r\n", want: []string{"status-5xx"}},
	{name: "405", resp: "HTTP/1.1 405 Method Not Allowed\r\n\r\n", want: []string{"status-other"}},
	{name: "no status", req: rfcReq, resp: "Upgrade: websocket\nConnection: Upgrade\nSec-WebSocket-Accept: s3pPLMBiTxaQ9kYGzzhZRbK+xOo=\nSec-WebSocket-Protocol: chat\n",
		want: []string{"status-missing", "accept-match"}, verdict: "warn"},

	// Response headers.
	{name: "resp no upgrade", req: rfcReq, resp: edit(rfcResp, "-Upgrade"), want: []string{"resp-upgrade-missing"}},
	{name: "resp upgrade wrong", req: rfcReq, resp: edit(rfcResp, "Upgrade: h2c"), want: []string{"resp-upgrade-not-websocket"}},
	{name: "resp no connection", req: rfcReq, resp: edit(rfcResp, "-Connection"), want: []string{"resp-connection-missing"}},
	{name: "resp connection close", req: rfcReq, resp: edit(rfcResp, "Connection: close"), want: []string{"resp-connection-no-upgrade"}},

	// Accept.
	{name: "accept mismatch", req: rfcReq, resp: edit(rfcResp, "Sec-WebSocket-Accept: HSmrc0sMlYUkAGmm5OPpG2HaGWk="), want: []string{"accept-mismatch"}, verdict: "broken"},
	{name: "no accept", req: rfcReq, resp: edit(rfcResp, "-Sec-WebSocket-Accept"), want: []string{"accept-missing"}},
	{name: "two accepts", req: rfcReq, resp: edit(rfcResp, "+Sec-WebSocket-Accept: s3pPLMBiTxaQ9kYGzzhZRbK+xOo="), want: []string{"accept-duplicate"}},

	// Subprotocol.
	{name: "no subprotocols", req: edit(rfcReq, "-Sec-WebSocket-Protocol"), resp: edit(rfcResp, "-Sec-WebSocket-Protocol"), want: []string{"subprotocol-none"}, verdict: "ok"},
	{name: "subprotocol not selected", req: rfcReq, resp: edit(rfcResp, "-Sec-WebSocket-Protocol"), want: []string{"subprotocol-not-selected"}},
	{name: "subprotocol not offered", req: rfcReq, resp: edit(rfcResp, "Sec-WebSocket-Protocol: Chat"), want: []string{"subprotocol-not-offered"}},
	{name: "subprotocol unrequested", req: edit(rfcReq, "-Sec-WebSocket-Protocol"), resp: rfcResp, want: []string{"subprotocol-unrequested"}},
	{name: "subprotocol multiple", req: rfcReq, resp: edit(rfcResp, "Sec-WebSocket-Protocol: chat, superchat"), want: []string{"subprotocol-multiple"}},
	{name: "subprotocol offer duplicate", req: edit(rfcReq, "Sec-WebSocket-Protocol: chat, chat"), want: []string{"subprotocol-offer-invalid"}},
	{name: "subprotocol offer empty element", req: edit(rfcReq, "Sec-WebSocket-Protocol: chat,,x"), want: []string{"subprotocol-offer-invalid"}},
	{name: "subprotocol offer separator", req: edit(rfcReq, "Sec-WebSocket-Protocol: a/b"), want: []string{"subprotocol-offer-invalid"}},
	{name: "subprotocol offer two lines", req: edit(rfcReq, "Sec-WebSocket-Protocol: chat", "+Sec-WebSocket-Protocol: superchat"), resp: rfcResp,
		want: []string{"subprotocol-selected"}, not: []string{"subprotocol-offer-invalid"}},

	// Extensions.
	{name: "deflate accepted", req: deflateReq, resp: deflateResp("; server_no_context_takeover; client_no_context_takeover; server_max_window_bits=10; client_max_window_bits=12"),
		want: []string{"deflate-accepted", "extensions-accepted"}, verdict: "ok"},
	{name: "deflate declined", req: deflateReq, resp: rfcResp, want: []string{"extensions-declined"}, verdict: "ok"},
	{name: "deflate declined empty header", req: deflateReq, resp: edit(rfcResp, "Sec-WebSocket-Extensions:"), want: []string{"extensions-declined"}, verdict: "ok"},
	{name: "extension not offered", req: rfcReq, resp: deflateResp(""), want: []string{"extension-not-offered"}, not: []string{"extensions-accepted"}},
	{name: "extension twice", req: deflateReq, resp: edit(rfcResp, "Sec-WebSocket-Extensions: permessage-deflate, permessage-deflate"), want: []string{"extension-duplicate"}},
	{name: "extensions offer invalid", req: edit(rfcReq, "Sec-WebSocket-Extensions: permessage-deflate; ;"), want: []string{"extensions-offer-invalid"}},
	{name: "extensions invalid", req: deflateReq, resp: edit(rfcResp, `Sec-WebSocket-Extensions: permessage-deflate; server_max_window_bits="10`), want: []string{"extensions-invalid"}},
	{name: "deflate offer invalid", req: edit(rfcReq, "Sec-WebSocket-Extensions: permessage-deflate; server_max_window_bits=16, permessage-deflate"), want: []string{"deflate-offer-invalid"}},
	{name: "deflate param unknown", req: deflateReq, resp: deflateResp("; foo"), want: []string{"deflate-param-unknown"}, not: []string{"deflate-accepted"}},
	{name: "deflate param duplicate", req: deflateReq, resp: deflateResp("; server_no_context_takeover; server_no_context_takeover"), want: []string{"deflate-param-duplicate"}},
	{name: "deflate param value", req: deflateReq, resp: deflateResp("; client_no_context_takeover=1"), want: []string{"deflate-param-value"}},
	{name: "deflate window bits 16", req: deflateReq, resp: deflateResp("; server_max_window_bits=16"), want: []string{"deflate-window-bits-invalid"}},
	{name: "deflate window bits 7", req: deflateReq, resp: deflateResp("; client_max_window_bits=7"), want: []string{"deflate-window-bits-invalid"}},
	{name: "deflate window bits none", req: deflateReq, resp: deflateResp("; client_max_window_bits"), want: []string{"deflate-window-bits-invalid"}},
	{name: "deflate client bits unoffered", req: edit(rfcReq, "Sec-WebSocket-Extensions: permessage-deflate"), resp: deflateResp("; client_max_window_bits=10"),
		want: []string{"deflate-client-bits-unoffered"}},

	// HTTP/2 (RFC 8441).
	{name: "h2", req: h2Req, resp: h2Resp, verdict: "ok",
		want: []string{"h2-method-connect", "h2-protocol-websocket", "h2-no-key", "host-present", "version-13", "origin-present", "h2-status-200", "subprotocol-none"},
		not:  []string{"key-missing", "upgrade-missing", "connection-missing", "accept-missing", "method-not-get"}},
	{name: "h2 GET", req: strings.Replace(h2Req, "CONNECT", "GET", 1), want: []string{"h2-method-not-connect"}},
	{name: "h2 no method", req: strings.Replace(h2Req, ":method: CONNECT\n", "", 1), want: []string{"h2-method-missing"}},
	{name: "h2 no protocol", req: strings.Replace(h2Req, ":protocol: websocket\n", "", 1), want: []string{"h2-protocol-missing"}},
	{name: "h2 protocol wrong", req: strings.Replace(h2Req, ":protocol: websocket", ":protocol: webtransport", 1), want: []string{"h2-protocol-wrong"}},
	{name: "h2 no path", req: strings.Replace(h2Req, ":path: /chat\n", "", 1), want: []string{"h2-pseudo-missing"}},
	{name: "h2 no authority", req: strings.Replace(h2Req, ":authority: example.com\n", "", 1), want: []string{"host-missing"}},
	{name: "h2 connection headers", req: h2Req + "connection: Upgrade\nupgrade: websocket\n", want: []string{"h2-connection-headers"}},
	{name: "h2 resp connection headers", req: h2Req, resp: h2Resp + "connection: upgrade\n", want: []string{"h2-resp-connection-headers"}},
	{name: "h2 start line", req: "CONNECT /chat HTTP/2\nHost: example.com\nSec-WebSocket-Version: 13\nOrigin: https://example.com\n", want: []string{"h2-method-connect", "h2-protocol-not-shown"}},
	{name: "h2 404", req: h2Req, resp: ":status: 404\n", want: []string{"status-404"}},
	{name: "h2 deflate", req: h2Req + "sec-websocket-extensions: permessage-deflate\n", resp: h2Resp + "sec-websocket-extensions: permessage-deflate\n", want: []string{"deflate-accepted"}, verdict: "ok"},
	{name: "h2 vs h1", req: h2Req, resp: rfcResp, want: []string{"http-mismatch"}},
	{name: "h2 101", req: h2Req, resp: ":status: 101\n", want: []string{"status-other"}},
}

func runScenario(t *testing.T, s scenario) Result {
	t.Helper()
	req, resp, err := Parse(s.req, s.resp)
	if err != nil {
		t.Fatalf("Parse: %v", err)
	}
	return Inspect(req, resp)
}

func TestInspectScenarios(t *testing.T) {
	for _, s := range scenarios {
		t.Run(s.name, func(t *testing.T) {
			r := runScenario(t, s)
			for _, id := range s.want {
				if !hasID(r, id) {
					t.Errorf("missing %s", id)
				}
			}
			for _, id := range s.not {
				if hasID(r, id) {
					t.Errorf("unexpected %s", id)
				}
			}
			if s.verdict != "" && r.Verdict != s.verdict {
				t.Errorf("verdict %s, want %s", r.Verdict, s.verdict)
			}
			if t.Failed() {
				for _, c := range r.Checks {
					t.Logf("%s %s: %s", c.Status, c.ID, c.Message)
				}
			}
			checkResult(t, r)
		})
	}
}

// checkResult checks what holds for every Result.
func checkResult(t testing.TB, r Result) {
	t.Helper()
	worst := "ok"
	for _, c := range r.Checks {
		e := byID[c.ID]
		if e == nil {
			t.Fatalf("unknown ID %s", c.ID)
		}
		if c.Status != e.status || c.RFC != e.rfc || c.Message == "" || c.Args == nil {
			t.Fatalf("%+v", c)
		}
		switch {
		case c.Status == fail:
			worst = "broken"
		case c.Status == warn && worst == "ok":
			worst = "warn"
		}
	}
	if r.Verdict != worst {
		t.Fatalf("verdict %s, want %s", r.Verdict, worst)
	}
}

func TestSpecificValues(t *testing.T) {
	r := runScenario(t, scenario{req: rfcReq, resp: edit(rfcResp, "Sec-WebSocket-Accept: wrong=")})
	c := r.Checks[slices.IndexFunc(r.Checks, func(c Check) bool { return c.ID == "accept-mismatch" })]
	if len(c.Args) != 2 || c.Args[0] != "wrong=" || c.Args[1] != "s3pPLMBiTxaQ9kYGzzhZRbK+xOo=" || !strings.Contains(c.Message, "s3pPLMBiTxaQ9kYGzzhZRbK+xOo=") {
		t.Errorf("%+v", c)
	}
	r = runScenario(t, scenario{resp: "HTTP/1.1 301 Moved\r\nLocation: wss://x/\r\n\r\n"})
	if c := r.Checks[1]; c.ID != "status-redirect" || c.Message[:56] != "The server answered 301, a redirect to wss://x/. WebSock" {
		t.Errorf("%+v", c)
	}
	r = runScenario(t, scenario{req: deflateReq, resp: deflateResp("; server_no_context_takeover; client_max_window_bits=9; server_max_window_bits=11")})
	if d := r.Negotiated.Deflate; d == nil || *d != (Deflate{ServerNoContextTakeover: true, ClientMaxWindowBits: 9, ServerMaxWindowBits: 11}) {
		t.Errorf("%+v", d)
	}
	if len(r.Negotiated.Extensions) != 1 || r.Negotiated.Extensions[0].Name != "permessage-deflate" || len(r.Negotiated.Extensions[0].Params) != 3 {
		t.Errorf("%+v", r.Negotiated.Extensions)
	}
	r = runScenario(t, scenario{req: edit(rfcReq, "Sec-WebSocket-Key: abc")})
	if r.ExpectedAccept != AcceptFor("abc") {
		t.Errorf("ExpectedAccept %q", r.ExpectedAccept)
	}
	r = runScenario(t, scenario{req: edit(rfcReq, "Sec-WebSocket-Key: AAAAAAAAAAAAAAAAAAAA")})
	c = r.Checks[slices.IndexFunc(r.Checks, func(c Check) bool { return c.ID == "key-wrong-length" })]
	if c.Args[1] != 15 {
		t.Errorf("%+v", c)
	}
}

// TestCheckIDsComplete: every ID the scenarios report is in CheckIDs, and
// every ID in CheckIDs is reported by some scenario.
func TestCheckIDsComplete(t *testing.T) {
	seen := map[string]bool{}
	for _, s := range scenarios {
		for _, c := range runScenario(t, s).Checks {
			seen[c.ID] = true
		}
	}
	listed := map[string]bool{}
	for _, id := range CheckIDs {
		if listed[id] {
			t.Errorf("%s listed twice", id)
		}
		listed[id] = true
		if !seen[id] {
			t.Errorf("%s is in CheckIDs but no test reports it", id)
		}
	}
	for id := range seen {
		if !listed[id] {
			t.Errorf("%s is reported but not in CheckIDs", id)
		}
	}
}

// TestTemplates: the English template filled with a Check's Args gives its
// Message, the Chinese one fills without missing values, and both use
// every argument.
func TestTemplates(t *testing.T) {
	tm := Templates()
	for _, s := range scenarios {
		for _, c := range runScenario(t, s).Checks {
			for _, lang := range []string{"en", "zh"} {
				text := tm[lang]["check."+c.ID]
				tpl, err := template.New("").Option("missingkey=error").Parse(text)
				if err != nil {
					t.Fatalf("%s %s: %v", lang, c.ID, err)
				}
				var b strings.Builder
				if err := tpl.Execute(&b, TemplateData(c.Args)); err != nil {
					t.Fatalf("%s %s: %v", lang, c.ID, err)
				}
				if lang == "en" && b.String() != c.Message {
					t.Errorf("%s: template gives %q, Message is %q", c.ID, b.String(), c.Message)
				}
				for i := range c.Args {
					if !strings.Contains(text, ".A"+string(rune('0'+i))) {
						t.Errorf("%s %s does not use A%d", lang, c.ID, i)
					}
				}
				if strings.Contains(text, ".A"+string(rune('0'+len(c.Args)))) {
					t.Errorf("%s %s uses more args than %d", lang, c.ID, len(c.Args))
				}
			}
		}
	}
	for _, e := range entries {
		if e.zh == "" || e.en == "" || (e.status != pass && e.status != warn && e.status != fail) {
			t.Errorf("%+v", e)
		}
	}
}
