package handshake

import (
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"
)

// How Parse reads text:
//
//   - Lines end in LF, CRLF or (when the text has no LF at all) CR. A common
//     indentation of every non-blank line (as in a quoted paste) is removed.
//   - curl -v output is recognised by lines starting with "> " or "< ":
//     then only ">" lines (the request) and "<" lines (the response) are
//     read, and every other line ("*", "{", "}", the body, the command)
//     is ignored.
//   - Otherwise a message is an optional start line (request line or
//     status line) followed by header lines up to a blank line. Without a
//     start line, pseudo-headers (:method, :status ...) tell a request from
//     a response; failing that, Sec-WebSocket-Accept means a response and
//     Sec-WebSocket-Key, Host, Origin or User-Agent a request; failing that,
//     a block after a request is its response, and a first block is what
//     the text box it was pasted in says.
//   - After a message's blank line, a start line, a pseudo-header line or
//     (after a request) a header line begins the next message; other lines
//     are a body and ignored. A status line directly after a request's
//     headers, with no blank line between, also begins the response.
//   - Obsolete line folding (a header line starting with a space or tab)
//     is joined to the previous header's value with one space, as RFC 9112
//     §5.2 allows a recipient to do.
//   - A line in the header section that is not "Name: value" is an
//     InputError naming it, as are control characters (binary data), a
//     space before the colon, and unknown or repeated pseudo-headers.

const (
	kindUnknown = iota
	kindRequest
	kindResponse
)

type line struct {
	n int // 1-based
	s string
}

type parsed struct {
	m    *Message
	kind int
}

// Parse reads what people paste. request and response may each be empty;
// when only one text is given and it holds both (a request, then a
// response, as in curl -v or a raw capture), it is split. Either text may
// hold either message: messages are told apart by their content. Parse
// returns nil for a message that is absent. Errors are *InputError naming
// the line (and, in Input, the text it is in).
//
// Obsolete line folding (a header line that starts with a space or tab) is
// not an error: the line is joined to the previous header's value with one
// space. See the comment at the top of parse.go for the other rules.
func Parse(request, response string) (req, resp *Message, err error) {
	if len(request)+len(response) > MaxInput {
		return nil, nil, &InputError{Line: 1, Message: "the text is larger than 256 KiB; paste only the handshake headers", Input: "request"}
	}
	var all []parsed
	var boxes []string
	for _, box := range []struct {
		text, name string
		kind       int
	}{{request, "request", kindRequest}, {response, "response", kindResponse}} {
		ms, err := parseText(box.text, box.kind)
		if err != nil {
			if ie, ok := err.(*InputError); ok {
				ie.Input = box.name
			}
			return nil, nil, err
		}
		for _, m := range ms {
			all = append(all, m)
			boxes = append(boxes, box.name)
		}
	}
	for i, p := range all {
		switch p.kind {
		case kindRequest:
			if req != nil {
				return nil, nil, &InputError{Line: p.m.Line, Message: "a second request starts here; paste one request and its response", Input: boxes[i]}
			}
			req = p.m
		default:
			if resp != nil {
				return nil, nil, &InputError{Line: p.m.Line, Message: "a second response starts here; paste one request and its response", Input: boxes[i]}
			}
			resp = p.m
		}
	}
	return req, resp, nil
}

// splitLines splits text into numbered lines without their line endings.
func splitLines(text string) []line {
	text = strings.TrimPrefix(text, "\ufeff")
	sep := "\n"
	if !strings.Contains(text, "\n") && strings.Contains(text, "\r") {
		sep = "\r"
	}
	var out []line
	n := 0
	for rest := text; ; {
		n++
		i := strings.Index(rest, sep)
		s := rest
		if i >= 0 {
			s = rest[:i]
		}
		out = append(out, line{n, strings.TrimSuffix(s, "\r")})
		if i < 0 {
			break
		}
		rest = rest[i+len(sep):]
	}
	// Remove a common indentation.
	indent := ""
	first := true
	for _, l := range out {
		if blank(l.s) {
			continue
		}
		lead := l.s[:len(l.s)-len(strings.TrimLeft(l.s, " \t"))]
		if first {
			indent, first = lead, false
			continue
		}
		j := 0
		for j < len(indent) && j < len(lead) && indent[j] == lead[j] {
			j++
		}
		indent = indent[:j]
		if indent == "" {
			break
		}
	}
	if indent != "" {
		for i := range out {
			out[i].s = strings.TrimPrefix(out[i].s, indent)
		}
	}
	return out
}

func blank(s string) bool { return strings.TrimSpace(s) == "" }

// parseText parses one text box; box is the kind a headers-only block
// defaults to.
func parseText(text string, box int) ([]parsed, error) {
	if blank(text) {
		return nil, nil
	}
	lines := splitLines(text)
	if isCurl(lines) {
		var reqLines, respLines []line
		for _, l := range lines {
			if l.s == "" {
				continue
			}
			c := l.s[0]
			if c != '>' && c != '<' {
				continue
			}
			s := l.s[1:]
			s = strings.TrimPrefix(s, " ")
			if c == '>' {
				reqLines = append(reqLines, line{l.n, s})
			} else {
				respLines = append(respLines, line{l.n, s})
			}
		}
		a, err := parseBlocks(reqLines, kindRequest)
		if err != nil {
			return nil, err
		}
		b, err := parseBlocks(respLines, kindResponse)
		if err != nil {
			return nil, err
		}
		all := append(a, b...)
		// Keep the order of the text (a request before its response).
		slices.SortStableFunc(all, func(a, b parsed) int { return a.m.Line - b.m.Line })
		return all, nil
	}
	return parseBlocks(lines, box)
}

// isCurl reports whether the text looks like curl -v output: some line
// starts with "> " or "< " followed by a request or status line.
func isCurl(lines []line) bool {
	for _, l := range lines {
		if len(l.s) >= 2 && (l.s[0] == '>' || l.s[0] == '<') && l.s[1] == ' ' {
			s := l.s[2:]
			if isRequestLine(s) || isStatusLine(s) || strings.HasPrefix(s, ":") {
				return true
			}
		}
	}
	return false
}

// parseBlocks parses consecutive messages from lines.
func parseBlocks(lines []line, box int) ([]parsed, error) {
	var out []parsed
	i := 0
	for i < len(lines) && blank(lines[i].s) {
		i++
	}
	for i < len(lines) {
		p, next, err := parseMessage(lines, i, box, len(out) > 0 && out[len(out)-1].kind == kindRequest)
		if err != nil {
			return nil, err
		}
		out = append(out, p)
		i = next
		// Skip the blank line(s) and any body up to the next message.
		afterRequest := p.kind == kindRequest
		firstAfter := true
		for i < len(lines) {
			s := lines[i].s
			if blank(s) {
				i++
				continue
			}
			t := strings.TrimLeft(s, " \t")
			if isRequestLine(t) || isStatusLine(t) || isPseudoLine(t) {
				break
			}
			if afterRequest && firstAfter {
				if _, _, err := headerLine(s); err == nil {
					break
				}
			}
			firstAfter = false
			i++
		}
	}
	return out, nil
}

// parseMessage parses one message starting at lines[i] (not blank). It
// returns the index after its header section (and its blank line).
func parseMessage(lines []line, i, box int, afterRequest bool) (parsed, int, error) {
	first := lines[i]
	if err := controlChars(first); err != nil {
		return parsed{}, 0, err
	}
	m := &Message{Line: first.n}
	kind := kindUnknown
	start := strings.TrimSpace(first.s)
	switch {
	case isStatusLine(start):
		f := strings.SplitN(start, " ", 3)
		m.Proto = f[0]
		m.Status, _ = strconv.Atoi(f[1])
		if len(f) == 3 {
			m.Reason = strings.TrimSpace(f[2])
		}
		kind = kindResponse
		i++
	case isRequestLine(start):
		f := strings.Fields(start)
		m.Method, m.Target, m.Proto = f[0], f[1], f[2]
		kind = kindRequest
		i++
	default:
		if _, _, err := headerLine(first.s); err != nil {
			return parsed{}, 0, &InputError{Line: first.n, Message: "this is not HTTP: expected a request line such as \"GET /chat HTTP/1.1\", a status line such as \"HTTP/1.1 101 Switching Protocols\", or a header line \"Name: value\""}
		}
	}
	// Folded continuation lines of the last header, joined when it ends
	// (joining one by one would be quadratic).
	var fold []string
	flush := func() {
		if len(fold) > 0 {
			h := &m.Headers[len(m.Headers)-1]
			if h.Value != "" {
				fold = append([]string{h.Value}, fold...)
			}
			h.Value = strings.Join(fold, " ")
			fold = fold[:0]
		}
	}
	for i < len(lines) {
		l := lines[i]
		if blank(l.s) {
			i++
			break
		}
		if err := controlChars(l); err != nil {
			return parsed{}, 0, err
		}
		if c := l.s[0]; c == ' ' || c == '\t' {
			if len(m.Headers) == 0 {
				return parsed{}, 0, &InputError{Line: l.n, Message: "this line starts with white space but there is no header above it to continue"}
			}
			fold = append(fold, strings.TrimSpace(l.s))
			i++
			continue
		}
		flush()
		if kind == kindRequest && isStatusLine(l.s) {
			break // the response follows without a blank line
		}
		name, value, err := headerLine(l.s)
		if err != nil {
			return parsed{}, 0, &InputError{Line: l.n, Message: err.Error()}
		}
		m.Headers = append(m.Headers, Header{Name: name, Value: value, Line: l.n})
		i++
	}
	flush()
	k, err := pseudo(m, kind)
	if err != nil {
		return parsed{}, 0, err
	}
	if k == kindUnknown {
		k = guessKind(m, box, afterRequest)
	}
	return parsed{m, k}, i, nil
}

// controlChars rejects control characters other than tab, as in binary
// data.
func controlChars(l line) error {
	for j := 0; j < len(l.s); j++ {
		if c := l.s[j]; (c < 0x20 && c != '\t') || c == 0x7f {
			return &InputError{Line: l.n, Message: "this line holds a control character (byte 0x" + strconv.FormatUint(uint64(c)>>4, 16) + strconv.FormatUint(uint64(c)&15, 16) + "), as in binary data; paste the handshake as text"}
		}
	}
	return nil
}

type textError string

func (e textError) Error() string { return string(e) }

// headerLine splits "Name: value" (or ":name: value" for a pseudo-header).
func headerLine(s string) (name, value string, err error) {
	from := 0
	if strings.HasPrefix(s, ":") {
		from = 1
	}
	c := strings.IndexByte(s[from:], ':')
	if c < 0 && from == 1 {
		return "", "", textError("this line has no header name before the colon")
	}
	if c < 0 {
		return "", "", textError("this line has no colon: expected a header line \"Name: value\"")
	}
	c += from
	name = s[:c]
	if strings.TrimRight(name, " \t") != name {
		return "", "", textError("white space before the colon in the header name \"" + strings.TrimSpace(name) + "\"; HTTP does not allow it and servers answer 400")
	}
	if len(name) == from {
		return "", "", textError("this line has no header name before the colon")
	}
	for j := from; j < len(name); j++ {
		if !isTchar(name[j]) {
			return "", "", textError("the header name \"" + shorten(name) + "\" holds a character that a header name cannot have")
		}
	}
	return name, strings.Trim(s[c+1:], " \t"), nil
}

func shorten(s string) string {
	if len(s) > 40 {
		n := 40
		for n > 0 && !utf8.RuneStart(s[n]) {
			n--
		}
		return s[:n] + "…"
	}
	return s
}

func isPseudoLine(s string) bool {
	if !strings.HasPrefix(s, ":") {
		return false
	}
	name, _, err := headerLine(s)
	return err == nil && knownPseudo[name] != kindUnknown
}

var knownPseudo = map[string]int{
	":method": kindRequest, ":scheme": kindRequest, ":authority": kindRequest,
	":path": kindRequest, ":protocol": kindRequest, ":status": kindResponse,
}

// pseudo fills the message from its pseudo-headers and returns the kind
// they imply.
func pseudo(m *Message, kind int) (int, error) {
	seen := map[string]bool{}
	for _, h := range m.Headers {
		if !strings.HasPrefix(h.Name, ":") {
			continue
		}
		name := strings.ToLower(h.Name)
		k := knownPseudo[name]
		if k == kindUnknown {
			return 0, &InputError{Line: h.Line, Message: "unknown pseudo-header " + h.Name + "; HTTP/2 defines :method, :scheme, :authority, :path, :protocol and :status"}
		}
		if seen[name] {
			return 0, &InputError{Line: h.Line, Message: "the pseudo-header " + h.Name + " appears twice"}
		}
		seen[name] = true
		if kind != kindUnknown && k != kind {
			what := "request"
			if kind == kindResponse {
				what = "response"
			}
			return 0, &InputError{Line: h.Line, Message: "the pseudo-header " + h.Name + " does not belong in a " + what}
		}
		kind = k
		m.HTTP2 = true
		switch name {
		case ":method":
			if m.Method == "" {
				m.Method = h.Value
			}
		case ":path":
			if m.Target == "" {
				m.Target = h.Value
			}
		case ":status":
			st, ok := statusCode(h.Value)
			if !ok {
				return 0, &InputError{Line: h.Line, Message: ":status must be a three-digit status code"}
			}
			if m.Status == 0 {
				m.Status = st
			}
		}
	}
	if m.HTTP2 && m.Proto == "" {
		m.Proto = "HTTP/2"
	}
	return kind, nil
}

// guessKind tells a request from a response by its headers.
func guessKind(m *Message, box int, afterRequest bool) int {
	switch {
	case m.Has("Sec-WebSocket-Accept"):
		return kindResponse
	case m.Has("Sec-WebSocket-Key"), m.Has("Host"), m.Has("Origin"), m.Has("User-Agent"):
		return kindRequest
	case afterRequest:
		return kindResponse
	}
	return box
}

// isRequestLine: method SP target SP HTTP/x[.y].
func isRequestLine(s string) bool {
	f := strings.Fields(s)
	if len(f) != 3 || !isProto(f[2]) {
		return false
	}
	for j := 0; j < len(f[0]); j++ {
		if !isTchar(f[0][j]) {
			return false
		}
	}
	return true
}

// isStatusLine: HTTP/x[.y] SP 3DIGIT [SP reason].
func isStatusLine(s string) bool {
	f := strings.SplitN(s, " ", 3)
	if len(f) < 2 || !isProto(f[0]) {
		return false
	}
	_, ok := statusCode(f[1])
	return ok
}

func statusCode(s string) (int, bool) {
	if len(s) != 3 || s[0] < '1' || s[0] > '9' {
		return 0, false
	}
	n, err := strconv.Atoi(s)
	return n, err == nil
}

// isProto: "HTTP/" DIGIT ["." DIGIT].
func isProto(s string) bool {
	v, ok := strings.CutPrefix(s, "HTTP/")
	if !ok {
		return false
	}
	switch len(v) {
	case 1:
		return isDigit(v[0])
	case 3:
		return isDigit(v[0]) && v[1] == '.' && isDigit(v[2])
	}
	return false
}

// protoVersion returns the major and minor version of "HTTP/x.y".
func protoVersion(s string) (major, minor int) {
	if !isProto(s) {
		return 0, 0
	}
	v := s[len("HTTP/"):]
	major = int(v[0] - '0')
	if len(v) == 3 {
		minor = int(v[2] - '0')
	}
	return major, minor
}

func isDigit(c byte) bool { return '0' <= c && c <= '9' }

// isTchar: RFC 9110 token characters.
func isTchar(c byte) bool {
	switch {
	case 'a' <= c && c <= 'z', 'A' <= c && c <= 'Z', isDigit(c):
		return true
	}
	return strings.IndexByte("!#$%&'*+-.^_`|~", c) >= 0
}

func isToken(s string) bool {
	if s == "" {
		return false
	}
	for j := 0; j < len(s); j++ {
		if !isTchar(s[j]) {
			return false
		}
	}
	return true
}
