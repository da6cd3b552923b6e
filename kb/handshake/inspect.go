package handshake

import (
	"encoding/base64"
	"slices"
	"strings"
)

type inspector struct {
	r     Result
	count map[string]int
}

// maxSameID bounds how often one ID is reported (per extension element,
// say), so that a long header cannot produce thousands of checks.
const maxSameID = 5

func (x *inspector) add(id string, args ...any) {
	if x.count[id] >= maxSameID {
		return
	}
	x.count[id]++
	x.r.Checks = append(x.r.Checks, newCheck(id, args...))
}

func (x *inspector) addProblems(ps []problem) {
	for _, p := range ps {
		x.add(p.id, p.args...)
	}
}

// Inspect checks a handshake; req or resp may be nil. It reports every
// finding as a Check and what the response negotiated.
//
// Over HTTP/2 (the pseudo-header form, or a start line with HTTP/2 or
// later) the rules of RFC 8441 apply: an extended CONNECT with :protocol
// websocket, a 2xx response, no Sec-WebSocket-Key or Accept, and no
// Upgrade or Connection headers.
func Inspect(req, resp *Message) Result {
	x := &inspector{count: map[string]int{}}
	switch {
	case req == nil && resp == nil:
		x.add("input-missing")
	case req == nil:
		x.add("request-missing")
	case resp == nil:
		x.add("response-missing")
	}
	key := ""
	if req != nil {
		key = x.request(req)
	}
	if key != "" {
		x.r.ExpectedAccept = AcceptFor(key)
	}
	success := false
	if resp != nil {
		if req != nil && isH2(req) != isH2(resp) {
			x.add("http-mismatch", req.Proto, resp.Proto)
		}
		success = x.status(resp)
		if success && !isH2(resp) {
			x.response(req, resp, key)
		}
		if success && isH2(resp) {
			if hs := connectionHeaders(resp); hs != "" {
				x.add("h2-resp-connection-headers", hs)
			}
		}
	}
	x.subprotocol(req, resp, success)
	x.extensions(req, resp, success)

	x.r.Verdict = "ok"
	for _, c := range x.r.Checks {
		if c.Status == fail {
			x.r.Verdict = "broken"
			break
		}
		if c.Status == warn {
			x.r.Verdict = "warn"
		}
	}
	return x.r
}

// isH2 reports whether the message follows the HTTP/2 rules (RFC 8441;
// HTTP/3 uses the same extended CONNECT, RFC 9220).
func isH2(m *Message) bool {
	if m.HTTP2 {
		return true
	}
	major, _ := protoVersion(m.Proto)
	return major >= 2
}

// listValues splits comma-separated list headers into trimmed, non-empty
// elements.
func listValues(m *Message, name string) []string {
	var out []string
	for _, v := range m.Values(name) {
		for e := range strings.SplitSeq(v, ",") {
			if e = strings.TrimSpace(e); e != "" {
				out = append(out, e)
			}
		}
	}
	return out
}

func containsFold(list []string, s string) bool {
	return slices.ContainsFunc(list, func(e string) bool { return strings.EqualFold(e, s) })
}

func joined(m *Message, name string) string {
	return strings.Join(m.Values(name), ", ")
}

// connectionHeaders names the connection-specific headers HTTP/2 forbids.
func connectionHeaders(m *Message) string {
	var names []string
	for _, n := range []string{"Connection", "Upgrade", "Keep-Alive", "Proxy-Connection", "Transfer-Encoding"} {
		if m.Has(n) {
			names = append(names, n)
		}
	}
	return strings.Join(names, ", ")
}

// request checks the request and returns its key when it has exactly one.
func (x *inspector) request(m *Message) (key string) {
	h2 := isH2(m)
	if h2 {
		switch {
		case m.Method == "":
			x.add("h2-method-missing")
		case m.Method == "CONNECT":
			x.add("h2-method-connect")
		default:
			x.add("h2-method-not-connect", m.Method)
		}
		proto := m.Values(":protocol")
		switch {
		case len(proto) > 0 && strings.EqualFold(proto[0], "websocket"):
			x.add("h2-protocol-websocket", proto[0])
		case len(proto) > 0:
			x.add("h2-protocol-wrong", proto[0])
		case m.HTTP2:
			x.add("h2-protocol-missing")
		default:
			x.add("h2-protocol-not-shown", m.Proto)
		}
		if m.HTTP2 {
			var missing []string
			for _, p := range []string{":scheme", ":path"} {
				if !m.Has(p) {
					missing = append(missing, p)
				}
			}
			if len(missing) > 0 {
				x.add("h2-pseudo-missing", strings.Join(missing, ", "))
			}
		}
		if hs := connectionHeaders(m); hs != "" {
			x.add("h2-connection-headers", hs)
		}
	} else {
		switch {
		case m.Method == "":
			x.add("request-line-missing")
		case m.Method == "GET":
			x.add("method-get")
		default:
			x.add("method-not-get", m.Method)
		}
		if m.Method != "" {
			if major, minor := protoVersion(m.Proto); major > 1 || major == 1 && minor >= 1 {
				x.add("http-version-ok", m.Proto)
			} else {
				x.add("http-version-old", m.Proto)
			}
		}
	}

	// Host (:authority over HTTP/2).
	hosts := m.Values("Host")
	if h2 {
		hosts = append(m.Values(":authority"), hosts...)
	}
	switch {
	case len(hosts) == 0 || hosts[0] == "":
		x.add("host-missing")
	case len(hosts) > 1 && !h2:
		x.add("host-duplicate", strings.Join(hosts, ", "))
	default:
		x.add("host-present", hosts[0])
	}

	if !h2 {
		x.token(m, "Upgrade", "websocket", "upgrade-websocket", "upgrade-missing", "upgrade-not-websocket")
		x.token(m, "Connection", "upgrade", "connection-upgrade", "connection-missing", "connection-no-upgrade")
	}

	vs := m.Values("Sec-WebSocket-Version")
	switch {
	case len(vs) == 0:
		x.add("version-missing")
	case len(vs) > 1:
		x.add("version-duplicate", strings.Join(vs, ", "))
	case vs[0] == "13":
		x.add("version-13")
	default:
		x.add("version-not-13", vs[0])
	}

	if h2 {
		x.add("h2-no-key")
	} else {
		keys := m.Values("Sec-WebSocket-Key")
		switch {
		case len(keys) == 0:
			x.add("key-missing")
		case len(keys) > 1 || strings.Contains(keys[0], ","):
			x.add("key-duplicate", strings.Join(keys, ", "))
		default:
			key = keys[0]
			b, err := base64.StdEncoding.DecodeString(key)
			switch {
			case err != nil:
				x.add("key-invalid", key)
			case len(b) != 16:
				x.add("key-wrong-length", key, len(b))
			default:
				x.add("key-valid", key)
			}
		}
	}

	if o := m.Values("Origin"); len(o) > 0 {
		x.add("origin-present", strings.Join(o, ", "))
	} else {
		x.add("origin-missing")
	}
	return key
}

// token checks that a list header contains a token.
func (x *inspector) token(m *Message, name, want, ok, missing, wrong string) {
	if !m.Has(name) {
		x.add(missing)
		return
	}
	if containsFold(listValues(m, name), want) {
		x.add(ok, joined(m, name))
	} else {
		x.add(wrong, joined(m, name))
	}
}

// status checks the response status and reports whether the handshake
// succeeded (or the status is unknown).
func (x *inspector) status(m *Message) bool {
	st := m.Status
	h2 := isH2(m)
	success := false
	switch {
	case st == 0:
		x.add("status-missing")
		success = true
	case h2 && st >= 200 && st < 300:
		x.add("h2-status-200", st)
		success = true
	case !h2 && st == 101:
		x.add("status-101")
		success = true
	case st >= 200 && st < 300:
		x.add("status-200", st)
	case st >= 300 && st < 400:
		loc := ""
		if l := m.Values("Location"); len(l) > 0 {
			loc = l[0]
		}
		x.add("status-redirect", st, loc)
	case st == 400, st == 401, st == 403, st == 404, st == 426, st == 429:
		x.add("status-" + itoa(st))
	case st >= 500 && st < 600:
		x.add("status-5xx", st)
	default:
		x.add("status-other", st)
	}
	if !success && m.Has("Sec-WebSocket-Version") {
		x.add("server-versions", joined(m, "Sec-WebSocket-Version"))
	}
	return success
}

func itoa(n int) string {
	if n < 0 || n > 999 {
		return "?"
	}
	return string([]byte{byte('0' + n/100), byte('0' + n/10%10), byte('0' + n%10)})
}

// response checks the headers of a successful HTTP/1.1 response.
func (x *inspector) response(req, m *Message, key string) {
	x.token(m, "Upgrade", "websocket", "resp-upgrade-websocket", "resp-upgrade-missing", "resp-upgrade-not-websocket")
	x.token(m, "Connection", "upgrade", "resp-connection-upgrade", "resp-connection-missing", "resp-connection-no-upgrade")
	acc := m.Values("Sec-WebSocket-Accept")
	switch {
	case len(acc) == 0:
		x.add("accept-missing")
	case len(acc) > 1 || strings.Contains(acc[0], ","):
		x.add("accept-duplicate", strings.Join(acc, ", "))
	case key == "":
		if req != nil {
			x.add("accept-unverifiable", acc[0])
		}
	case acc[0] == AcceptFor(key):
		x.add("accept-match", acc[0])
	default:
		x.add("accept-mismatch", acc[0], AcceptFor(key))
	}
}

// subprotocol checks the offered and the selected subprotocol.
func (x *inspector) subprotocol(req, resp *Message, success bool) {
	var offered []string
	if req != nil {
		valid := true
		seen := map[string]bool{}
		for _, v := range req.Values("Sec-WebSocket-Protocol") {
			for e := range strings.SplitSeq(v, ",") {
				e = strings.TrimSpace(e)
				if !isToken(e) || seen[e] {
					valid = false
				}
				seen[e] = true
				if e != "" {
					offered = append(offered, e)
				}
			}
		}
		if !valid {
			x.add("subprotocol-offer-invalid", joined(req, "Sec-WebSocket-Protocol"))
		}
	}
	if resp == nil || !success {
		return
	}
	selected := listValues(resp, "Sec-WebSocket-Protocol")
	if len(selected) > 1 {
		x.add("subprotocol-multiple", joined(resp, "Sec-WebSocket-Protocol"))
		return
	}
	if len(selected) == 1 {
		x.r.Negotiated.Subprotocol = selected[0]
	}
	if req == nil {
		return
	}
	switch {
	case len(selected) == 0 && len(offered) == 0:
		x.add("subprotocol-none")
	case len(selected) == 0:
		x.add("subprotocol-not-selected", strings.Join(offered, ", "))
	case len(offered) == 0:
		x.add("subprotocol-unrequested", selected[0])
	case slices.Contains(offered, selected[0]):
		x.add("subprotocol-selected", selected[0])
	default:
		x.add("subprotocol-not-offered", selected[0], strings.Join(offered, ", "))
	}
}

// extensions checks the offered and accepted extensions and fills
// Negotiated.
func (x *inspector) extensions(req, resp *Message, success bool) {
	var offers []Extension
	offerOK := true
	if req != nil && req.Has("Sec-WebSocket-Extensions") {
		var err error
		offers, err = ParseExtensions(joined(req, "Sec-WebSocket-Extensions"))
		if err != nil {
			x.add("extensions-offer-invalid", joined(req, "Sec-WebSocket-Extensions"))
			offerOK = false
		}
		for _, o := range offers {
			if strings.EqualFold(o.Name, "permessage-deflate") {
				if _, ps := checkDeflate(o, false); len(ps) > 0 {
					x.add("deflate-offer-invalid", o.String())
				}
			}
		}
	}
	if resp == nil || !success || !resp.Has("Sec-WebSocket-Extensions") {
		if resp != nil && success && req != nil && len(offers) > 0 {
			x.add("extensions-declined", extNames(offers))
		}
		return
	}
	accepted, err := ParseExtensions(joined(resp, "Sec-WebSocket-Extensions"))
	if err != nil {
		x.add("extensions-invalid", joined(resp, "Sec-WebSocket-Extensions"))
		return
	}
	if len(accepted) == 0 {
		if req != nil && len(offers) > 0 {
			x.add("extensions-declined", extNames(offers))
		}
		return
	}
	x.r.Negotiated.Extensions = accepted
	offered := map[string]bool{}
	clientBits := false // some permessage-deflate offer has client_max_window_bits
	for _, o := range offers {
		offered[strings.ToLower(o.Name)] = true
		if strings.EqualFold(o.Name, "permessage-deflate") && hasParam(o, "client_max_window_bits") {
			clientBits = true
		}
	}
	ok := true
	seen := map[string]bool{}
	for _, e := range accepted {
		name := strings.ToLower(e.Name)
		if seen[name] {
			x.add("extension-duplicate", e.Name)
			ok = false
			continue
		}
		seen[name] = true
		if req != nil && offerOK && !offered[name] {
			x.add("extension-not-offered", e.Name)
			ok = false
		}
		if !strings.EqualFold(e.Name, "permessage-deflate") {
			continue
		}
		d, ps := checkDeflate(e, true)
		if x.r.Negotiated.Deflate == nil {
			x.r.Negotiated.Deflate = d
		}
		if req != nil && offerOK && hasParam(e, "client_max_window_bits") && !clientBits {
			ps = append(ps, problem{id: "deflate-client-bits-unoffered"})
		}
		x.addProblems(ps)
		if len(ps) == 0 {
			x.add("deflate-accepted", e.String())
		} else {
			ok = false
		}
	}
	if ok && req != nil && offerOK {
		x.add("extensions-accepted", extNames(accepted))
	}
}

func hasParam(e Extension, name string) bool {
	return slices.ContainsFunc(e.Params, func(p Param) bool { return strings.EqualFold(p.Name, name) })
}

// extNames lists the distinct extension names, in order.
func extNames(es []Extension) string {
	var names []string
	seen := map[string]bool{}
	for _, e := range es {
		if n := strings.ToLower(e.Name); !seen[n] {
			seen[n] = true
			names = append(names, e.Name)
		}
	}
	return strings.Join(names, ", ")
}
