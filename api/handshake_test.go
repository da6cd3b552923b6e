package api_test

import (
	"encoding/json"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"github.com/wskb/wskb/i18n"
	"github.com/wskb/wskb/kb"
	"github.com/wskb/wskb/kb/handshake"
	"github.com/wskb/wskb/kb/render"
)

const (
	rfcRequest = "GET /chat HTTP/1.1\r\nHost: server.example.com\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n" +
		"Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nOrigin: http://example.com\r\nSec-WebSocket-Protocol: chat, superchat\r\nSec-WebSocket-Version: 13\r\n\r\n"
	rfcResponse = "HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n" +
		"Sec-WebSocket-Accept: s3pPLMBiTxaQ9kYGzzhZRbK+xOo=\r\nSec-WebSocket-Protocol: chat\r\n\r\n"
)

type hsOut struct {
	Request  *struct{ Method, Target string }
	Response *struct{ Status int }
	Checks   []struct {
		ID, Status, Message, RFC, URL string
	}
	ExpectedAccept string `json:"expected_accept"`
	Negotiated     struct {
		Subprotocol string
		Extensions  []struct {
			Name   string
			Params []struct{ Name, Value string }
		}
	}
	Verdict, Decoder string
}

func postHandshake(t *testing.T, srv http.Handler, body string) (int, hsOut, string) {
	t.Helper()
	rec := do(t, srv, req{method: http.MethodPost, path: "/api/v1/handshake", header: map[string]string{"Content-Type": "application/json"}, body: strings.NewReader(body)})
	var out hsOut
	if rec.Code == 200 {
		if err := json.Unmarshal(rec.Body.Bytes(), &out); err != nil {
			t.Fatalf("%v\n%s", err, rec.Body)
		}
	}
	return rec.Code, out, rec.Body.String()
}

func jsonBody(v map[string]string) string {
	b, _ := json.Marshal(v)
	return string(b)
}

func TestHandshakeAPI(t *testing.T) {
	srv := newServer(t)
	code, out, body := postHandshake(t, srv, jsonBody(map[string]string{"request": rfcRequest, "response": rfcResponse}))
	if code != 200 || out.Verdict != "ok" || out.ExpectedAccept != "s3pPLMBiTxaQ9kYGzzhZRbK+xOo=" || out.Negotiated.Subprotocol != "chat" {
		t.Fatalf("RFC 6455 example: %d %s", code, body)
	}
	if out.Request == nil || out.Request.Method != "GET" || out.Response == nil || out.Response.Status != 101 {
		t.Errorf("parsed messages: %s", body)
	}
	for _, c := range out.Checks {
		if c.Status != "pass" || c.ID == "" || c.Message == "" {
			t.Errorf("RFC example check %+v", c)
		}
	}
	for _, k := range []string{`"checks"`, `"expected_accept"`, `"negotiated"`, `"subprotocol"`, `"extensions"`, `"verdict"`, `"rfc"`, `"url"`} {
		if !strings.Contains(body, k) {
			t.Errorf("response lacks %s", k)
		}
	}

	// A wrong accept value fails and links the entry that explains it.
	bad := strings.Replace(rfcResponse, "s3pPLMBiTxaQ9kYGzzhZRbK+xOo=", "AAAAAAAAAAAAAAAAAAAAAAAAAAA=", 1)
	_, out, body = postHandshake(t, srv, jsonBody(map[string]string{"request": rfcRequest, "response": bad}))
	if out.Verdict != "broken" || !hasCheck(out, "fail", "/entries/communication/handshake-sec-websocket-accept-mismatch", "s3pPLMBiTxaQ9kYGzzhZRbK+xOo=") {
		t.Errorf("wrong accept: %s", body)
	}

	// A 200 answer is explained, with its entry.
	ok200 := "HTTP/1.1 200 OK\nContent-Type: text/html\n"
	_, out, body = postHandshake(t, srv, jsonBody(map[string]string{"request": rfcRequest, "response": ok200}))
	if out.Verdict != "broken" || !hasCheck(out, "fail", "/entries/communication/handshake-200-instead-of-101", "") {
		t.Errorf("200: %s", body)
	}

	// curl -v output holds both in one text.
	curl := "*   Trying 127.0.0.1:8080...\n* Connected to localhost (127.0.0.1) port 8080\n" +
		"> GET /chat HTTP/1.1\n> Host: localhost:8080\n> Upgrade: websocket\n> Connection: keep-alive, Upgrade\n> Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\n> Sec-WebSocket-Version: 13\n>\n" +
		"< HTTP/1.1 101 Switching Protocols\n< Upgrade: websocket\n< Connection: Upgrade\n< Sec-WebSocket-Accept: s3pPLMBiTxaQ9kYGzzhZRbK+xOo=\n<\n"
	_, out, body = postHandshake(t, srv, jsonBody(map[string]string{"request": curl}))
	if out.Request == nil || out.Response == nil || out.Response.Status != 101 || out.Verdict == "broken" {
		t.Errorf("curl -v: %s", body)
	}

	// Negotiated compression carries over to the frame decoder.
	defReq := strings.Replace(rfcRequest, "Sec-WebSocket-Version: 13\r\n", "Sec-WebSocket-Version: 13\r\nSec-WebSocket-Extensions: permessage-deflate; client_max_window_bits\r\n", 1)
	defResp := strings.Replace(rfcResponse, "Sec-WebSocket-Protocol: chat\r\n", "Sec-WebSocket-Protocol: chat\r\nSec-WebSocket-Extensions: permessage-deflate; server_no_context_takeover; client_max_window_bits=10\r\n", 1)
	_, out, body = postHandshake(t, srv, jsonBody(map[string]string{"request": defReq, "response": defResp, "lang": "zh"}))
	if !strings.HasPrefix(out.Decoder, "/zh/playground?") || !strings.Contains(out.Decoder, "deflate=1") ||
		!strings.Contains(out.Decoder, "server_no_context_takeover=1") || !strings.Contains(out.Decoder, "client_max_window_bits=10") {
		t.Errorf("decoder link %q\n%s", out.Decoder, body)
	}
	if len(out.Negotiated.Extensions) != 1 || out.Negotiated.Extensions[0].Name != "permessage-deflate" {
		t.Errorf("extensions: %s", body)
	}
	for _, c := range out.Checks {
		if !containsHan(c.Message) {
			t.Errorf("lang=zh left check %s in English: %q", c.ID, c.Message)
		}
	}
}

func hasCheck(out hsOut, status, url, inMessage string) bool {
	for _, c := range out.Checks {
		if c.Status == status && c.URL == url && strings.Contains(c.Message, inMessage) {
			return true
		}
	}
	return false
}

func TestHandshakeAPIBadInput(t *testing.T) {
	srv := newServer(t)
	for _, tt := range []struct {
		body   string
		status int
		want   string
	}{
		{`{}`, 400, "both empty"},
		{`{"request": "GET /chat HTTP/1.1\nHost example.com\n"}`, 400, "line 2"},
		{jsonBody(map[string]string{"request": "\x00\x01\x02\xff binary noise"}), 400, "line 1"},
		{jsonBody(map[string]string{"request": rfcRequest, "lang": "fr"}), 400, "lang"},
		{jsonBody(map[string]string{"request": strings.Repeat("X-Filler: aaaaaaaa\n", handshake.MaxInput/19+10)}), 413, "at most"},
		{`{"request": 5}`, 400, "body could not be read"},
	} {
		rec := do(t, srv, req{method: http.MethodPost, path: "/api/v1/handshake", header: map[string]string{"Content-Type": "application/json"}, body: strings.NewReader(tt.body)})
		if rec.Code != tt.status || !strings.Contains(rec.Body.String(), tt.want) || !strings.HasPrefix(rec.Body.String(), `{"error"`) && !strings.HasPrefix(rec.Body.String(), "{\n") {
			t.Errorf("%.60s: %d %s", tt.body, rec.Code, rec.Body)
		}
	}
	rec := do(t, srv, req{method: http.MethodPost, path: "/api/v1/handshake", header: map[string]string{"Content-Type": "text/plain"}, body: strings.NewReader(rfcRequest)})
	if rec.Code != 400 {
		t.Errorf("text/plain body: %d", rec.Code)
	}
}

// TestCheckMessagesTranslate: every check's English message comes out of
// its i18n template, and every check ID has both languages.
func TestCheckMessagesTranslate(t *testing.T) {
	msgs, err := render.LoadMessages(i18n.FS, slog.New(slog.DiscardHandler))
	if err != nil {
		t.Fatal(err)
	}
	for _, l := range kb.Langs {
		ids, err := render.MessageIDs(i18n.FS, l)
		if err != nil {
			t.Fatal(err)
		}
		// The UI strings are the package's own templates (regenerate with
		// HANDSHAKE_I18N=... go test -run WriteI18n ./kb/handshake and merge).
		want := handshake.Templates()[string(l)]
		for _, id := range handshake.CheckIDs {
			if got, ok := ids["check."+id]; !ok {
				t.Errorf("%s: no UI string check.%s", l, id)
			} else if got != want["check."+id] {
				t.Errorf("%s: check.%s in i18n differs from kb/handshake's template", l, id)
			}
		}
	}
	inputs := [][2]string{
		{rfcRequest, rfcResponse},
		{rfcRequest, "HTTP/1.1 200 OK\n"},
		{rfcRequest, "HTTP/1.1 403 Forbidden\n"},
		{rfcRequest, strings.Replace(rfcResponse, "s3pPLMBiTxaQ9kYGzzhZRbK+xOo=", "AAAAAAAAAAAAAAAAAAAAAAAAAAA=", 1)},
		{"GET /x HTTP/1.0\nHost: a\nSec-WebSocket-Key: short\nSec-WebSocket-Version: 8\n", "HTTP/1.1 426 Upgrade Required\nSec-WebSocket-Version: 13\n"},
		{rfcRequest, ""},
		{"", rfcResponse},
	}
	for _, in := range inputs {
		req, resp, err := handshake.Parse(in[0], in[1])
		if err != nil {
			t.Fatalf("%v", err)
		}
		for _, c := range handshake.Inspect(req, resp).Checks {
			if got := msgs.Args(kb.EN, "check."+c.ID, c.Args, ""); got != c.Message {
				t.Errorf("check.%s in English gives\n%q\nbut the check says\n%q", c.ID, got, c.Message)
			}
		}
	}
}

func TestHandshakePage(t *testing.T) {
	srv := newServer(t)
	rec := do(t, srv, req{path: "/playground/handshake"})
	if rec.Code != 200 || !strings.Contains(rec.Body.String(), `name="request"`) || !strings.Contains(rec.Body.String(), "RFC 6455 §1.3") {
		t.Fatalf("empty page: %d", rec.Code)
	}
	q := url.Values{"request": {rfcRequest}, "response": {rfcResponse}}
	rec = do(t, srv, req{path: "/zh/playground/handshake?" + q.Encode()})
	body := rec.Body.String()
	for _, want := range []string{`<html lang="zh-Hans">`, "握手符合协议", "s3pPLMBiTxaQ9kYGzzhZRbK+xOo=", "<code>chat</code>"} {
		if !strings.Contains(body, want) {
			t.Errorf("zh page lacks %s", want)
		}
	}
	q = url.Values{"request": {"<script>alert(1)</script>"}}
	rec = do(t, srv, req{method: http.MethodPost, path: "/playground/handshake", header: map[string]string{"Content-Type": "application/x-www-form-urlencoded"}, body: strings.NewReader(q.Encode())})
	if rec.Code != 400 || !strings.Contains(rec.Body.String(), `class="error-box"`) || strings.Contains(rec.Body.String(), "<script>alert") {
		t.Errorf("bad input page: %d", rec.Code)
	}
}

// TestBrowserHandshake: in headless Chromium an example is checked, with
// JavaScript and without.
func TestBrowserHandshake(t *testing.T) {
	ts := httptest.NewServer(newServer(t))
	defer ts.Close()
	for _, js := range []bool{true, false} {
		ctx := browser(t)
		var p problems
		p.watch(t, ctx)
		if !js {
			if err := chromedp.Do(ctx, disableJS()); err != nil {
				t.Fatal(err)
			}
		}
		if err := chromedp.Do(ctx,
			chromedp.Navigate(ts.URL+"/playground/handshake"),
			chromedp.WaitVisible(chromedp.CSS("footer.site")),
			chromedp.Click(chromedp.CSS(`nav.examples a.example`)),
			chromedp.WaitVisible(chromedp.CSS("p.verdict")),
		); err != nil {
			t.Fatal(err)
		}
		if got := eval[string](t, ctx, `document.querySelector("p.verdict").textContent`); got != "The handshake follows the protocol." {
			t.Errorf("js=%v: verdict %q", js, got)
		}
		// Pasting a broken response and submitting the form.
		eval[string](t, ctx, `document.getElementById("hs-response").value = ""`)
		if err := chromedp.Do(ctx,
			chromedp.SendKeys(chromedp.CSS("#hs-response"), "HTTP/1.1 200 OK\nContent-Type: text/html\n"),
			chromedp.Click(chromedp.CSS(`#handshake-form button[type="submit"]`)),
			chromedp.WaitVisible(chromedp.CSS("p.verdict-broken")),
		); err != nil {
			t.Fatal(err)
		}
		if got := eval[bool](t, ctx, `document.querySelector("li.check-fail a[href*='handshake-200-instead-of-101']") !== null`); !got {
			t.Errorf("js=%v: no link to the 200 entry", js)
		}
		p.check(t, "/playground/handshake")
	}
}
