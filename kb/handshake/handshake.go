// Package handshake parses a pasted WebSocket opening handshake (the HTTP
// request and response) and checks it against RFC 6455, RFC 8441 (WebSocket
// over HTTP/2) and RFC 7692 (permessage-deflate).
//
// Parse accepts what people copy from their tools: raw HTTP/1.1 with CRLF or
// LF line endings, browser DevTools "Copy request/response headers" (with or
// without the start line, HTTP/2 pseudo-headers written as ":method:
// CONNECT"), and curl -v output ("> " request lines, "< " response lines,
// other curl lines ignored). Inspect then runs the checks and returns one
// Check per finding, each with a stable ID, a status, an English message
// and the values inserted in it, so that the message can be translated.
//
// The package uses only the standard library and never panics on any input.
package handshake

import (
	"crypto/sha1"
	"encoding/base64"
	"strconv"
	"strings"
)

// MaxInput is the number of bytes of request plus response text that Parse
// accepts.
const MaxInput = 256 << 10

// GUID is the string a server appends to Sec-WebSocket-Key before hashing
// (RFC 6455 §1.3).
const GUID = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11"

// Header is one header field line.
type Header struct {
	Name, Value string
	Line        int // 1-based line in the input text it came from
}

// Message is a parsed request or response.
type Message struct {
	Line   int    // 1-based line of the start line (or first header for HTTP/2) in its input text
	HTTP2  bool   // given as HTTP/2 pseudo-headers (:method, :protocol, :status ...)
	Method string // request: "GET" (HTTP/2: from :method)
	Target string // request: "/chat" (HTTP/2: from :path)
	Proto  string // "HTTP/1.1"; "HTTP/2" for the pseudo-header form
	Status int    // response: 101 (HTTP/2: from :status)
	Reason string // response: "Switching Protocols"
	// Headers in order, as written; pseudo-headers kept with their ":"
	// name. Values have surrounding spaces and tabs removed; a folded
	// (obs-fold) continuation line is joined to its header with one space.
	Headers []Header
}

// Values returns every value of every field line with that name (compared
// case-insensitively), in order. List values are not split at commas.
func (m *Message) Values(name string) []string {
	if m == nil {
		return nil
	}
	var out []string
	for _, h := range m.Headers {
		if strings.EqualFold(h.Name, name) {
			out = append(out, h.Value)
		}
	}
	return out
}

// Has reports whether the message has at least one field line with that
// name.
func (m *Message) Has(name string) bool {
	if m == nil {
		return false
	}
	for _, h := range m.Headers {
		if strings.EqualFold(h.Name, name) {
			return true
		}
	}
	return false
}

// InputError is a problem with the pasted text, on a 1-based line.
type InputError struct {
	Line    int
	Message string
	// Input is "request" or "response": which of the two texts given to
	// Parse the line is in. It is not part of Error().
	Input string
}

func (e *InputError) Error() string {
	return "line " + strconv.Itoa(e.Line) + ": " + e.Message
}

// AcceptFor returns the Sec-WebSocket-Accept value a server must send for a
// Sec-WebSocket-Key: base64(SHA-1(key + GUID)). The key is used as written,
// not decoded.
func AcceptFor(key string) string {
	sum := sha1.Sum([]byte(key + GUID))
	return base64.StdEncoding.EncodeToString(sum[:])
}

// Check is one finding of Inspect.
type Check struct {
	ID      string // stable, kebab-case, e.g. "status-101", "accept-mismatch"
	Status  string // "pass", "warn" or "fail"
	Message string // English, one or two sentences
	RFC     string // e.g. "RFC 6455 §4.2.2", "" when none
	Args    []any  // the values inserted in Message, in order (for translation)
}

// Param is one extension parameter: name, or name=value.
type Param struct {
	Name, Value string
	HasValue    bool
}

// Extension is one element of Sec-WebSocket-Extensions.
type Extension struct {
	Name   string
	Params []Param
}

// String writes the extension back in header form, quoting nothing
// (values are tokens).
func (e Extension) String() string {
	var b strings.Builder
	b.WriteString(e.Name)
	for _, p := range e.Params {
		b.WriteString("; ")
		b.WriteString(p.Name)
		if p.HasValue {
			b.WriteByte('=')
			b.WriteString(p.Value)
		}
	}
	return b.String()
}

// Deflate is the accepted permessage-deflate configuration. A window size
// of 0 means the parameter was not given.
type Deflate struct {
	ServerNoContextTakeover, ClientNoContextTakeover bool
	ServerMaxWindowBits, ClientMaxWindowBits         int
}

// Negotiated is what the response selected.
type Negotiated struct {
	Subprotocol string
	Extensions  []Extension
	Deflate     *Deflate // set when the response accepted permessage-deflate
}

// Result is the outcome of Inspect.
type Result struct {
	Checks         []Check
	ExpectedAccept string // AcceptFor(the request's key), "" without a single key
	Negotiated     Negotiated
	Verdict        string // "ok" (no warn or fail), "warn", "broken" (any fail)
}
