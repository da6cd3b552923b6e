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
	"github.com/wskb/wskb/kb/frame"
	"github.com/wskb/wskb/kb/render"
)

// Example is a button on the playground: a name and the bytes it decodes.
type Example struct {
	Key     string // i18n key suffix
	Hex     string
	Deflate bool
}

// examples: the RFC 6455 §5.7 and RFC 7692 §7.2.3 examples, a close 1009
// and a broken frame.
var examples = []Example{
	{"masked_hello", "81 85 37 fa 21 3d 7f 9f 4d 51 58", false},
	{"fragmented", "01 03 48 65 6c 80 02 6c 6f", false},
	{"ping_pong", "89 05 48 65 6c 6c 6f 8a 85 37 fa 21 3d 7f 9f 4d 51 58", false},
	{"compressed", "c1 07 f2 48 cd c9 c9 07 00 c1 05 f2 00 11 00 00", true},
	{"close_1009", "88 0a 03 f1 74 6f 6f 20 6c 61 72 67 65", false},
	{"broken", "c1 7e 00 05 48 65 6c 6c 6f 88 02 03 ee", false},
}

// PlaygroundView is what the playground page receives.
type PlaygroundView struct {
	Q        DecodeRequest
	Examples []Example
	Result   *DecodeResponse
	Error    string
	Link     string // the URL that reproduces this decode
	Builder  EncodeRequest
	Built    string // hex built by the frame builder
}

// ExampleURL is the playground link that decodes an example.
func (v *PlaygroundView) ExampleURL(l kb.Lang, e Example) string {
	q := url.Values{"hex": {e.Hex}}
	if e.Deflate {
		q.Set("deflate", "1")
	}
	return render.LangPath(l, "/playground") + "?" + q.Encode()
}

// playground renders the playground, decoding on the server what the query
// or a posted form holds, so that it works without JavaScript and every
// decode has a URL.
func (s *Server) playground(l kb.Lang) echo.HandlerFunc {
	return func(c echo.Context) error {
		v := &PlaygroundView{Examples: examples}
		form, err := c.FormParams()
		if err != nil {
			return kb.Errorf(kb.EINVALID, "the form could not be read")
		}
		q := &v.Q
		q.Hex = form.Get("hex")
		q.Encoding = form.Get("encoding")
		q.Role = form.Get("role")
		q.Deflate = truthy(form.Get("deflate"))
		q.ClientNoContextTakeover = truthy(form.Get("client_no_context_takeover"))
		q.ServerNoContextTakeover = truthy(form.Get("server_no_context_takeover"))
		q.ClientMaxWindowBits, _ = strconv.Atoi(form.Get("client_max_window_bits"))
		q.ServerMaxWindowBits, _ = strconv.Atoi(form.Get("server_max_window_bits"))

		if form.Get("build") != "" {
			b := &v.Builder
			b.Opcode, b.Text, b.PayloadHex, b.MaskKey = form.Get("opcode"), form.Get("text"), form.Get("payload_hex"), form.Get("mask_key")
			fin := truthy(form.Get("fin"))
			b.Fin = &fin
			b.Rsv1, b.Rsv2, b.Rsv3 = truthy(form.Get("rsv1")), truthy(form.Get("rsv2")), truthy(form.Get("rsv3"))
			b.Mask, b.Compress = truthy(form.Get("mask")), truthy(form.Get("compress"))
			if cc := form.Get("close_code"); cc != "" {
				n, err := strconv.Atoi(cc)
				if err != nil {
					v.Error = fmt.Sprintf("close_code: %q is not a number", truncate(cc, 20))
				}
				b.CloseCode = &n
				b.CloseReason = form.Get("close_reason")
			}
			if v.Error == "" {
				spec, err := b.Spec()
				if err == nil {
					var out []byte
					if out, err = frame.Encode(spec); err == nil {
						v.Built = spacedHex(out)
						q.Hex, q.Deflate = v.Built, q.Deflate || b.Compress
					}
				}
				if err != nil {
					v.Error = err.Error()
				}
			}
		}
		status := http.StatusOK
		if strings.TrimSpace(q.Hex) != "" && v.Error == "" {
			res, err := Decode(s.site.Catalog, nil, q, l)
			var he *echo.HTTPError
			switch {
			case errors.As(err, &he):
				v.Error, status = fmt.Sprint(he.Message), he.Code
			case err != nil:
				v.Error = err.Error()
			default:
				v.Result = res
			}
		}
		if q.Hex != "" && len(q.Hex) <= 4096 {
			v.Link = render.LangPath(l, "/playground") + "?" + playgroundQuery(q).Encode()
		}
		if v.Error != "" && status == http.StatusOK {
			status = http.StatusBadRequest
		}
		b, err := s.r.PageBytes("playground", &render.Page{Lang: l, Path: "/playground",
			Title: s.r.Messages().T(l, "playground.title"), Description: s.r.Messages().T(l, "playground.lead"), Data: v})
		if err != nil {
			return err
		}
		return blob(c, status, mimeHTML, b)
	}
}

func playgroundQuery(q *DecodeRequest) url.Values {
	v := url.Values{"hex": {q.Hex}}
	set := func(k string, on bool) {
		if on {
			v.Set(k, "1")
		}
	}
	set("deflate", q.Deflate)
	set("client_no_context_takeover", q.ClientNoContextTakeover)
	set("server_no_context_takeover", q.ServerNoContextTakeover)
	if q.Role != "" {
		v.Set("role", q.Role)
	}
	if q.Encoding != "" {
		v.Set("encoding", q.Encoding)
	}
	if q.ClientMaxWindowBits != 0 {
		v.Set("client_max_window_bits", strconv.Itoa(q.ClientMaxWindowBits))
	}
	if q.ServerMaxWindowBits != 0 {
		v.Set("server_max_window_bits", strconv.Itoa(q.ServerMaxWindowBits))
	}
	return v
}

func truthy(s string) bool { return s == "1" || s == "on" || s == "true" }

func spacedHex(b []byte) string {
	var sb strings.Builder
	for i, c := range b {
		if i > 0 {
			sb.WriteByte(' ')
		}
		fmt.Fprintf(&sb, "%02x", c)
	}
	return sb.String()
}
