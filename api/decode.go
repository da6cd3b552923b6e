package api

import (
	"encoding/hex"
	"errors"
	"net/http"
	"strconv"
	"strings"

	"github.com/labstack/echo/v4"

	"github.com/wskb/wskb/kb"
	"github.com/wskb/wskb/kb/frame"
	"github.com/wskb/wskb/kb/render"
)

// MaxDecodeInput is the most pasted text /api/v1/decode reads.
const MaxDecodeInput = 1 << 20

// DecodeRequest is the body of POST /api/v1/decode, as JSON or as a form
// with the same names.
type DecodeRequest struct {
	Hex      string `json:"hex" form:"hex"`
	Encoding string `json:"encoding" form:"encoding"` // "" or "hex" (detect), "base64"
	Role     string `json:"role" form:"role"`         // "", "client", "server"
	Deflate  bool   `json:"deflate" form:"deflate"`

	ClientNoContextTakeover bool  `json:"client_no_context_takeover" form:"client_no_context_takeover"`
	ServerNoContextTakeover bool  `json:"server_no_context_takeover" form:"server_no_context_takeover"`
	ClientMaxWindowBits     int   `json:"client_max_window_bits" form:"client_max_window_bits"`
	ServerMaxWindowBits     int   `json:"server_max_window_bits" form:"server_max_window_bits"`
	MaxInflated             int64 `json:"max_inflated" form:"max_inflated"`

	// Lang ("en" or "zh", default en) is the language of the problems'
	// messages and of the pages they link to.
	Lang string `json:"lang" form:"lang"`
}

// options checks the request's options and turns them into frame.Options.
func (q *DecodeRequest) options() (frame.Options, error) {
	o := frame.Options{Role: q.Role, Deflate: q.Deflate,
		ClientNoContextTakeover: q.ClientNoContextTakeover, ServerNoContextTakeover: q.ServerNoContextTakeover,
		ClientMaxWindowBits: q.ClientMaxWindowBits, ServerMaxWindowBits: q.ServerMaxWindowBits, MaxInflated: q.MaxInflated}
	switch q.Role {
	case frame.RoleNone, frame.RoleClient, frame.RoleServer:
	default:
		return o, kb.Errorf(kb.EINVALID, "role: %q is not client, server or empty", truncate(q.Role, 40))
	}
	for name, bits := range map[string]int{"client_max_window_bits": q.ClientMaxWindowBits, "server_max_window_bits": q.ServerMaxWindowBits} {
		if bits != 0 && (bits < 8 || bits > 15) {
			return o, kb.Errorf(kb.EINVALID, "%s: %d is not 8–15 (RFC 7692 §7.1.2)", name, bits)
		}
	}
	if q.MaxInflated < 0 || q.MaxInflated > frame.DefaultMaxInflated {
		return o, kb.Errorf(kb.EINVALID, "max_inflated: %d is not 0–%d (0 means the default)", q.MaxInflated, frame.DefaultMaxInflated)
	}
	return o, nil
}

// ProblemOut is a problem with the page that explains its close code: the
// entry for the code when there is one, else the close-code page.
type ProblemOut struct {
	ID        string `json:"id"` // the kind of problem (frame.ProblemIDs)
	Args      []any  `json:"-"`  // the values of its message, for translations
	Frame     int    `json:"frame"`
	CloseCode *int   `json:"close_code"`
	Message   string `json:"message"`
	RFC       string `json:"rfc"`
	Offset    *int   `json:"offset"`
	URL       string `json:"url"`
}

type DecodeResponse struct {
	Input    InputInfo       `json:"input"`
	Frames   []frame.Frame   `json:"frames"`
	Messages []frame.Message `json:"messages"`
	Problems []ProblemOut    `json:"problems"`
}

type InputInfo struct {
	Format string `json:"format"` // the form detected: hex, 0x, xxd, base64, ...
	Bytes  int    `json:"bytes"`
}

// Decode decodes the bytes in q into the decode API's document, linking each
// problem to the page in language l that explains its close code. Input
// that is not bytes is a kb.EINVALID error that names the position.
//
// msgs, when not nil, translates the problems' messages into l; without it
// they stay in the decoder's English.
func Decode(cat *kb.Catalog, msgs *render.Messages, q *DecodeRequest, l kb.Lang) (*DecodeResponse, error) {
	if len(q.Hex) > MaxDecodeInput {
		return nil, echo.NewHTTPError(http.StatusRequestEntityTooLarge,
			"hex: the input is "+strconv.Itoa(len(q.Hex))+" bytes; at most "+strconv.Itoa(MaxDecodeInput)+" are decoded")
	}
	opts, err := q.options()
	if err != nil {
		return nil, err
	}
	data, form, err := frame.ParseInput(q.Hex, q.Encoding)
	if err != nil {
		var ie *frame.InputError
		if errors.As(err, &ie) {
			return nil, kb.Errorf(kb.EINVALID, "hex: %s", ie.Error())
		}
		return nil, kb.Errorf(kb.EINVALID, "hex: %v", err)
	}
	r := frame.DecodeInPlace(data, opts) // data is ours: ParseInput made it
	out := &DecodeResponse{Input: InputInfo{form, len(data)}, Frames: r.Frames, Messages: r.Messages, Problems: make([]ProblemOut, 0, len(r.Problems))}
	if out.Frames == nil {
		out.Frames = []frame.Frame{}
	}
	if out.Messages == nil {
		out.Messages = []frame.Message{}
	}
	for _, p := range r.Problems {
		po := ProblemOut{ID: p.ID, Args: p.Args, Frame: p.Frame, Message: p.Message, RFC: p.RFC}
		if msgs != nil && l != kb.EN {
			po.Message = msgs.Problem(l, p.ID, p.Args, p.Message)
		}
		if p.CloseCode != 0 {
			c := p.CloseCode
			po.CloseCode = &c
			po.URL = codeURL(cat, c, l)
		}
		if id, ok := ProblemEntries[p.ID]; ok {
			if _, err := cat.Entry(id); err == nil {
				po.URL = render.LangPath(l, render.EntryPath(id))
			}
		}
		if p.Offset >= 0 {
			o := p.Offset
			po.Offset = &o
		}
		out.Problems = append(out.Problems, po)
	}
	return out, nil
}

// ProblemEntries names, for a kind of problem the decoder reports, the entry
// that explains that very violation; the others link the entry or page of
// their close code.
var ProblemEntries = map[string]string{
	"client-unmasked":              "communication/frame-mask-must-be-set",
	"server-masked":                "communication/frame-mask-must-be-set",
	"close-code-future":            "communication/websocket-close-code-invalid-on-the-wire",
	"close-code-local":             "communication/websocket-close-code-invalid-on-the-wire",
	"close-code-over":              "communication/websocket-close-code-invalid-on-the-wire",
	"close-code-reserved":          "communication/websocket-close-code-invalid-on-the-wire",
	"close-code-unused":            "communication/websocket-close-code-invalid-on-the-wire",
	"close-one-byte":               "communication/websocket-close-code-invalid-on-the-wire",
	"close-reason-utf8":            "communication/websocket-close-frame-1007-invalid-utf8",
	"text-utf8":                    "communication/websocket-close-frame-1007-invalid-utf8",
	"continuation-without-message": "communication/frame-fragmentation-sequence-error",
	"data-inside-message":          "communication/frame-fragmentation-sequence-error",
	"reserved-opcode":              "communication/frame-fragmentation-sequence-error",
	"control-fragmented":           "communication/frame-control-frame-too-long-or-fragmented",
	"control-too-long":             "communication/frame-control-frame-too-long-or-fragmented",
	"rsv1-no-extension":            "communication/frame-rsv1-set-without-permessage-deflate",
	"rsv1-continuation":            "communication/frame-rsv1-set-without-permessage-deflate",
	"rsv1-control":                 "communication/frame-rsv1-set-without-permessage-deflate",
	"rsv23":                        "communication/frame-rsv1-set-without-permessage-deflate",
	"inflate-over-cap":             "communication/websocket-close-frame-1009-message-too-large",
	"length-64-top-bit":            "communication/websocket-close-frame-1002-protocol-error",
	"length-not-minimal-16":        "communication/websocket-close-frame-1002-protocol-error",
	"length-not-minimal-64":        "communication/websocket-close-frame-1002-protocol-error",
}

// codeURL is the page that explains a close code: its first entry, or the
// close-code page.
func codeURL(cat *kb.Catalog, code int, l kb.Lang) string {
	if _, es := cat.Code(code); len(es) > 0 {
		return render.LangPath(l, render.EntryPath(es[0].ID))
	}
	return render.LangPath(l, render.CodePath(code))
}

// apiDecode answers POST /api/v1/decode.
func (s *Server) apiDecode(c echo.Context) error {
	var q DecodeRequest
	return postJSON(c, &q, &q.Lang, func(l kb.Lang) (any, error) {
		return Decode(s.site.Catalog, s.r.Messages(), &q, l)
	})
}

// postJSON is a POST API route: it binds the body into q, reads the body's
// lang (en unless given), runs answer and writes its value as JSON.
func postJSON(c echo.Context, q any, lang *string, answer func(kb.Lang) (any, error)) error {
	c.Set(formatKey, formatJSON)
	if err := bindBody(c, q); err != nil {
		return err
	}
	l := kb.EN
	if *lang != "" {
		var ok bool
		if l, ok = kb.ParseLang(*lang); !ok {
			return kb.Errorf(kb.EINVALID, "lang: %q is not en or zh", truncate(*lang, 40))
		}
	}
	out, err := answer(l)
	if err != nil {
		return err
	}
	b, err := render.EncodeJSON(out)
	if err != nil {
		return err
	}
	return blob(c, http.StatusOK, mimeJSON, b)
}

// bindBody reads a JSON or form body into v; anything unreadable is a 400
// that says what was wrong.
func bindBody(c echo.Context, v any) error {
	ct := c.Request().Header.Get(echo.HeaderContentType)
	switch {
	case strings.HasPrefix(ct, echo.MIMEApplicationJSON), strings.HasPrefix(ct, echo.MIMEApplicationForm), strings.HasPrefix(ct, echo.MIMEMultipartForm):
	default:
		return kb.Errorf(kb.EINVALID, "send the body as application/json or as a form (application/x-www-form-urlencoded), not %q", truncate(ct, 60))
	}
	if err := (&echo.DefaultBinder{}).BindBody(c, v); err != nil {
		var he *echo.HTTPError
		if errors.As(err, &he) {
			if he.Code == http.StatusRequestEntityTooLarge {
				return he
			}
			if m, ok := he.Message.(string); ok {
				return kb.Errorf(kb.EINVALID, "the body could not be read: %s", truncate(m, 200))
			}
		}
		return kb.Errorf(kb.EINVALID, "the body could not be read: %s", truncate(err.Error(), 200))
	}
	return nil
}

// EncodeRequest is the body of POST /api/v1/encode, and what the frame
// builder and "wskb encode" fill in: one frame to build.
// Fin defaults to true; the payload is Text, or PayloadHex, or for a close
// frame CloseCode and CloseReason.
type EncodeRequest struct {
	Opcode      string `json:"opcode" form:"opcode"` // text, binary, close, ping, pong, continuation, or 0–15
	Fin         *bool  `json:"fin" form:"fin"`
	Rsv1        bool   `json:"rsv1" form:"rsv1"`
	Rsv2        bool   `json:"rsv2" form:"rsv2"`
	Rsv3        bool   `json:"rsv3" form:"rsv3"`
	Mask        bool   `json:"mask" form:"mask"`
	MaskKey     string `json:"mask_key" form:"mask_key"` // 8 hex digits; random-looking default
	Text        string `json:"text" form:"text"`
	PayloadHex  string `json:"payload_hex" form:"payload_hex"`
	Compress    bool   `json:"compress" form:"compress"`
	CloseCode   *int   `json:"close_code" form:"close_code"`
	CloseReason string `json:"close_reason" form:"close_reason"`
	LengthBits  int    `json:"length_bits" form:"length_bits"` // force the 7-, 16- or 64-bit form (0: minimal)
}

type encodeResponse struct {
	Hex   string      `json:"hex"`
	Bytes int         `json:"bytes"`
	Frame frame.Frame `json:"frame"`
}

// Spec checks the request and turns it into a frame.Spec.
func (q *EncodeRequest) Spec() (frame.Spec, error) {
	s := frame.Spec{Fin: q.Fin == nil || *q.Fin, Rsv1: q.Rsv1, Rsv2: q.Rsv2, Rsv3: q.Rsv3, Mask: q.Mask, Compress: q.Compress, LengthBits: q.LengthBits}
	op, err := frame.ParseOpcode(q.Opcode)
	if err != nil {
		return s, kb.Errorf(kb.EINVALID, "opcode: %q is not text, binary, close, ping, pong, continuation or a number 0–15", truncate(q.Opcode, 40))
	}
	s.Opcode = op
	if q.Mask {
		key := q.MaskKey
		if key == "" {
			key = "37fa213d" // the key of RFC 6455 §5.7's examples
		}
		b, _, err := frame.ParseInput(key, "hex")
		if err != nil || len(b) != 4 {
			return s, kb.Errorf(kb.EINVALID, "mask_key: %q is not 4 bytes of hex", truncate(q.MaskKey, 40))
		}
		copy(s.MaskKey[:], b)
	}
	switch {
	case q.CloseCode != nil:
		p, err := frame.ClosePayload(*q.CloseCode, q.CloseReason)
		if err != nil {
			return s, kb.Errorf(kb.EINVALID, "close: %v", err)
		}
		s.Payload = p
	case q.PayloadHex != "":
		b, _, err := frame.ParseInput(q.PayloadHex, "")
		if err != nil {
			return s, kb.Errorf(kb.EINVALID, "payload_hex: %v", err)
		}
		s.Payload = b
	default:
		s.Payload = []byte(q.Text)
	}
	if len(s.Payload) > MaxDecodeInput {
		return s, echo.NewHTTPError(http.StatusRequestEntityTooLarge, "the payload is over 1 MiB")
	}
	return s, nil
}

// apiEncode answers POST /api/v1/encode.
func (s *Server) apiEncode(c echo.Context) error {
	c.Set(formatKey, formatJSON)
	var q EncodeRequest
	if err := bindBody(c, &q); err != nil {
		return err
	}
	spec, err := q.Spec()
	if err != nil {
		return err
	}
	b, err := frame.Encode(spec)
	if err != nil {
		return kb.Errorf(kb.EINVALID, "%v", err)
	}
	r := frame.Decode(b, frame.Options{})
	out, err := render.EncodeJSON(encodeResponse{Hex: hex.EncodeToString(b), Bytes: len(b), Frame: r.Frames[0]})
	if err != nil {
		return err
	}
	return blob(c, http.StatusOK, mimeJSON, out)
}
