package api

import (
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/labstack/echo/v4"

	"github.com/wskb/wskb/kb"
	"github.com/wskb/wskb/kb/handshake"
	"github.com/wskb/wskb/kb/render"
)

// HandshakeRequest is the body of POST /api/v1/handshake and the handshake
// inspector's form: the request and the response as pasted (either may be
// empty; one text holding both works too).
type HandshakeRequest struct {
	Request  string `json:"request" form:"request"`
	Response string `json:"response" form:"response"`
	Lang     string `json:"lang" form:"lang"`
}

// HandshakeResponse is the answer of POST /api/v1/handshake.
type HandshakeResponse struct {
	Request        *MessageOut   `json:"request"`
	Response       *MessageOut   `json:"response"`
	Checks         []CheckOut    `json:"checks"`
	ExpectedAccept string        `json:"expected_accept"`
	Negotiated     NegotiatedOut `json:"negotiated"`
	Verdict        string        `json:"verdict"`
	// Decoder opens the frame decoder with the negotiated permessage-deflate
	// settings ("" when compression was not negotiated).
	Decoder string `json:"decoder"`
}

// MessageOut is a parsed request or response.
type MessageOut struct {
	HTTP2   bool        `json:"http2"`
	Method  string      `json:"method,omitempty"`
	Target  string      `json:"target,omitempty"`
	Proto   string      `json:"proto,omitempty"`
	Status  int         `json:"status,omitempty"`
	Reason  string      `json:"reason,omitempty"`
	Headers []HeaderOut `json:"headers"`
}

// HeaderOut is one header field line and the line of the input it was on.
type HeaderOut struct {
	Name  string `json:"name"`
	Value string `json:"value"`
	Line  int    `json:"line"`
}

// NegotiatedOut is what the handshake agreed on.
type NegotiatedOut struct {
	Subprotocol string         `json:"subprotocol"`
	Extensions  []ExtensionOut `json:"extensions"`
	// Deflate is the permessage-deflate agreement, or null.
	Deflate *DeflateOut `json:"deflate"`
}

// ExtensionOut is an accepted extension with its parameters.
type ExtensionOut struct {
	Name   string     `json:"name"`
	Params []ParamOut `json:"params"`
}

// ParamOut is an extension parameter; Value is "" for a parameter without
// one (server_no_context_takeover).
type ParamOut struct {
	Name  string `json:"name"`
	Value string `json:"value"`
}

// DeflateOut is the permessage-deflate agreement; window bits are 0 when
// not given (15 applies).
type DeflateOut struct {
	ServerNoContextTakeover bool `json:"server_no_context_takeover"`
	ClientNoContextTakeover bool `json:"client_no_context_takeover"`
	ServerMaxWindowBits     int  `json:"server_max_window_bits"`
	ClientMaxWindowBits     int  `json:"client_max_window_bits"`
}

// CheckOut is one check: id, pass/warn/fail, the message in the asked
// language, the RFC section, and the entry that explains it.
type CheckOut struct {
	ID      string `json:"id"`
	Status  string `json:"status"`
	Message string `json:"message"`
	RFC     string `json:"rfc"`
	URL     string `json:"url"`
	Args    []any  `json:"-"`
}

// checkEntries names the entry that explains a check that did not pass.
var checkEntries = map[string]string{
	"status-200":               "communication/handshake-200-instead-of-101",
	"status-redirect":          "communication/handshake-200-instead-of-101",
	"status-400":               "communication/handshake-400-nginx-upgrade-headers-missing",
	"status-401":               "communication/handshake-401-authentication-token",
	"status-403":               "communication/handshake-403-origin-rejected",
	"status-404":               "communication/handshake-404-wrong-path",
	"status-426":               "communication/handshake-426-upgrade-required",
	"server-versions":          "communication/handshake-426-upgrade-required",
	"status-5xx":               "communication/handshake-502-504-proxy-upstream-failure",
	"upgrade-missing":          "communication/handshake-400-nginx-upgrade-headers-missing",
	"upgrade-not-websocket":    "communication/handshake-400-nginx-upgrade-headers-missing",
	"connection-missing":       "communication/handshake-400-nginx-upgrade-headers-missing",
	"http-version-old":         "communication/handshake-400-nginx-upgrade-headers-missing",
	"connection-no-upgrade":    "communication/handshake-400-connection-header-token-list",
	"origin-missing":           "communication/handshake-403-origin-rejected",
	"accept-mismatch":          "communication/handshake-sec-websocket-accept-mismatch",
	"accept-missing":           "communication/handshake-sec-websocket-accept-mismatch",
	"accept-duplicate":         "communication/handshake-sec-websocket-accept-mismatch",
	"subprotocol-not-selected": "communication/handshake-subprotocol-not-echoed",
	"subprotocol-not-offered":  "communication/handshake-subprotocol-not-echoed",
	"subprotocol-multiple":     "communication/handshake-subprotocol-not-echoed",
	"subprotocol-unrequested":  "communication/handshake-subprotocol-not-echoed",
}

// checkEntry is the entry for a check ID, or "": HTTP/2 checks (h2-*)
// share the extended-CONNECT entry.
func checkEntry(id string) string {
	if strings.HasPrefix(id, "h2-") {
		return "communication/handshake-http2-extended-connect"
	}
	return checkEntries[id]
}

// Inspect parses and checks a pasted handshake.
func Inspect(cat *kb.Catalog, msgs *render.Messages, q *HandshakeRequest, l kb.Lang) (*HandshakeResponse, error) {
	if n := len(q.Request) + len(q.Response); n > handshake.MaxInput {
		return nil, echo.NewHTTPError(http.StatusRequestEntityTooLarge,
			"the handshake is "+strconv.Itoa(n)+" bytes; at most "+strconv.Itoa(handshake.MaxInput)+" are read (paste the headers, not the body)")
	}
	if strings.TrimSpace(q.Request) == "" && strings.TrimSpace(q.Response) == "" {
		return nil, kb.Errorf(kb.EINVALID, "request and response are both empty: paste the upgrade request, the response, or both")
	}
	req, resp, err := handshake.Parse(q.Request, q.Response)
	if err != nil {
		var ie *handshake.InputError
		if errors.As(err, &ie) {
			return nil, kb.Errorf(kb.EINVALID, "%s", ie.Error())
		}
		return nil, kb.Errorf(kb.EINVALID, "%v", err)
	}
	r := handshake.Inspect(req, resp)
	out := &HandshakeResponse{Request: messageOut(req), Response: messageOut(resp), Checks: make([]CheckOut, 0, len(r.Checks)),
		ExpectedAccept: r.ExpectedAccept, Verdict: r.Verdict,
		Negotiated: NegotiatedOut{Subprotocol: r.Negotiated.Subprotocol, Extensions: []ExtensionOut{}}}
	for _, e := range r.Negotiated.Extensions {
		eo := ExtensionOut{Name: e.Name, Params: []ParamOut{}}
		for _, p := range e.Params {
			eo.Params = append(eo.Params, ParamOut{p.Name, p.Value})
		}
		out.Negotiated.Extensions = append(out.Negotiated.Extensions, eo)
	}
	if d := r.Negotiated.Deflate; d != nil {
		out.Negotiated.Deflate = &DeflateOut{d.ServerNoContextTakeover, d.ClientNoContextTakeover, d.ServerMaxWindowBits, d.ClientMaxWindowBits}
	}
	for _, c := range r.Checks {
		co := CheckOut{ID: c.ID, Status: c.Status, Message: c.Message, RFC: c.RFC, Args: c.Args}
		if msgs != nil && l != kb.EN {
			co.Message = msgs.Args(l, "check."+c.ID, c.Args, c.Message)
		}
		if c.Status != "pass" {
			if id := checkEntry(c.ID); id != "" {
				if _, err := cat.Entry(id); err == nil {
					co.URL = render.LangPath(l, render.EntryPath(id))
				}
			}
		}
		out.Checks = append(out.Checks, co)
	}
	if d := r.Negotiated.Deflate; d != nil {
		v := url.Values{"deflate": {"1"}}
		set := func(k string, on bool) {
			if on {
				v.Set(k, "1")
			}
		}
		set("client_no_context_takeover", d.ClientNoContextTakeover)
		set("server_no_context_takeover", d.ServerNoContextTakeover)
		if d.ClientMaxWindowBits != 0 {
			v.Set("client_max_window_bits", strconv.Itoa(d.ClientMaxWindowBits))
		}
		if d.ServerMaxWindowBits != 0 {
			v.Set("server_max_window_bits", strconv.Itoa(d.ServerMaxWindowBits))
		}
		out.Decoder = render.LangPath(l, "/playground") + "?" + v.Encode()
	}
	return out, nil
}

func messageOut(m *handshake.Message) *MessageOut {
	if m == nil {
		return nil
	}
	h := make([]HeaderOut, 0, len(m.Headers))
	for _, x := range m.Headers {
		h = append(h, HeaderOut{x.Name, x.Value, x.Line})
	}
	return &MessageOut{HTTP2: m.HTTP2, Method: m.Method, Target: m.Target, Proto: m.Proto, Status: m.Status, Reason: m.Reason, Headers: h}
}

// apiHandshake answers POST /api/v1/handshake.
func (s *Server) apiHandshake(c echo.Context) error {
	var q HandshakeRequest
	return postJSON(c, &q, &q.Lang, func(l kb.Lang) (any, error) {
		return Inspect(s.site.Catalog, s.r.Messages(), &q, l)
	})
}

// HandshakeExample is an example button of the inspector.
type HandshakeExample struct {
	Key               string // i18n key suffix
	Request, Response string
}

// handshakeExamples: RFC 6455 §1.3, a proxy that dropped Upgrade, a 200
// HTML page, and RFC 8441 extended CONNECT.
var handshakeExamples = []HandshakeExample{
	{"rfc6455", "GET /chat HTTP/1.1\nHost: server.example.com\nUpgrade: websocket\nConnection: Upgrade\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\nOrigin: http://example.com\nSec-WebSocket-Protocol: chat, superchat\nSec-WebSocket-Version: 13\n",
		"HTTP/1.1 101 Switching Protocols\nUpgrade: websocket\nConnection: Upgrade\nSec-WebSocket-Accept: s3pPLMBiTxaQ9kYGzzhZRbK+xOo=\nSec-WebSocket-Protocol: chat\n"},
	{"no_upgrade", "GET /ws HTTP/1.0\nHost: app.example.com\nConnection: close\nSec-WebSocket-Key: x3JJHMbDL1EzLkh9GBhXDw==\nSec-WebSocket-Version: 13\nOrigin: https://app.example.com\n",
		"HTTP/1.1 400 Bad Request\nContent-Type: text/plain; charset=utf-8\nContent-Length: 12\n"},
	{"html_200", "GET /socket HTTP/1.1\nHost: www.example.com\nUpgrade: websocket\nConnection: Upgrade\nSec-WebSocket-Key: x3JJHMbDL1EzLkh9GBhXDw==\nSec-WebSocket-Version: 13\nOrigin: https://www.example.com\n",
		"HTTP/1.1 200 OK\nContent-Type: text/html; charset=utf-8\nCache-Control: no-cache\n"},
	{"http2", ":method: CONNECT\n:protocol: websocket\n:scheme: https\n:path: /chat\n:authority: server.example.com\nsec-websocket-version: 13\norigin: https://server.example.com\nsec-websocket-extensions: permessage-deflate; client_max_window_bits\n",
		":status: 200\nsec-websocket-extensions: permessage-deflate; server_no_context_takeover\n"},
}

// HandshakeView is the inspector page's data.
type HandshakeView struct {
	Q        HandshakeRequest
	Examples []HandshakeExample
	Result   *HandshakeResponse
	Error    string
}

// ExampleURL is the link that inspects an example.
func (v *HandshakeView) ExampleURL(l kb.Lang, e HandshakeExample) string {
	return render.LangPath(l, "/playground/handshake") + "?" + url.Values{"request": {e.Request}, "response": {e.Response}}.Encode()
}

// handshakePage is /playground/handshake: a form, checked on the server,
// so it works without JavaScript and every check has a URL.
func (s *Server) handshakePage(l kb.Lang) echo.HandlerFunc {
	return func(c echo.Context) error {
		v := &HandshakeView{Examples: handshakeExamples}
		form, err := c.FormParams()
		if err != nil {
			return kb.Errorf(kb.EINVALID, "the form could not be read")
		}
		v.Q.Request, v.Q.Response = form.Get("request"), form.Get("response")
		status := http.StatusOK
		if strings.TrimSpace(v.Q.Request+v.Q.Response) != "" {
			res, err := Inspect(s.site.Catalog, s.r.Messages(), &v.Q, l)
			var he *echo.HTTPError
			var ke *kb.Error
			switch {
			case errors.As(err, &he):
				v.Error, status = fmt.Sprint(he.Message), he.Code
			case errors.As(err, &ke):
				v.Error, status = ke.Message, http.StatusBadRequest
			case err != nil:
				return err
			default:
				v.Result = res
			}
		}
		b, err := s.r.PageBytes("handshake", &render.Page{Lang: l, Path: "/playground/handshake",
			Title: s.r.Messages().T(l, "handshake.title"), Description: s.r.Messages().T(l, "handshake.lead"), Data: v})
		if err != nil {
			return err
		}
		return blob(c, status, mimeHTML, b)
	}
}
