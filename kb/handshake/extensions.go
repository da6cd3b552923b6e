package handshake

import (
	"strconv"
	"strings"
)

// ParseExtensions parses a Sec-WebSocket-Extensions value (RFC 6455 §9.1,
// used by RFC 7692): comma-separated extensions, each a token followed by
// ";"-separated parameters, each a token with an optional "=" value that is
// a token or a quoted string (which, unquoted, must be a token). Empty list
// elements are skipped, as HTTP list syntax allows.
func ParseExtensions(s string) ([]Extension, error) {
	var out []Extension
	p := 0
	ows := func() {
		for p < len(s) && (s[p] == ' ' || s[p] == '\t') {
			p++
		}
	}
	token := func() string {
		q := p
		for p < len(s) && isTchar(s[p]) {
			p++
		}
		return s[q:p]
	}
	for {
		ows()
		if p == len(s) {
			return out, nil
		}
		if s[p] == ',' {
			p++
			continue
		}
		e := Extension{Name: token()}
		if e.Name == "" {
			return nil, textError("expected an extension name at \"" + shorten(s[p:]) + "\"")
		}
		ows()
		for p < len(s) && s[p] == ';' {
			p++
			ows()
			prm := Param{Name: token()}
			if prm.Name == "" {
				return nil, textError("expected a parameter name after ';' in " + e.Name)
			}
			ows()
			if p < len(s) && s[p] == '=' {
				p++
				ows()
				prm.HasValue = true
				if p < len(s) && s[p] == '"' {
					p++
					var v strings.Builder
					closed := false
					for p < len(s) {
						c := s[p]
						p++
						if c == '\\' && p < len(s) {
							v.WriteByte(s[p])
							p++
							continue
						}
						if c == '"' {
							closed = true
							break
						}
						v.WriteByte(c)
					}
					if !closed {
						return nil, textError("unterminated quoted value of " + prm.Name)
					}
					prm.Value = v.String()
					if !isToken(prm.Value) {
						return nil, textError("the quoted value of " + prm.Name + " is not a token")
					}
				} else {
					prm.Value = token()
					if prm.Value == "" {
						return nil, textError("expected a value after " + prm.Name + "=")
					}
				}
				ows()
			}
			e.Params = append(e.Params, prm)
		}
		out = append(out, e)
		if p < len(s) && s[p] != ',' {
			return nil, textError("unexpected \"" + shorten(s[p:]) + "\" after " + e.Name)
		}
	}
}

// problem is a finding before it becomes a Check.
type problem struct {
	id   string
	args []any
}

// checkDeflate validates the parameters of one permessage-deflate element
// (RFC 7692 §7.1) in an offer or a response and returns the configuration
// it describes.
func checkDeflate(e Extension, response bool) (*Deflate, []problem) {
	d := &Deflate{}
	var probs []problem
	seen := map[string]bool{}
	for _, prm := range e.Params {
		name := strings.ToLower(prm.Name)
		if seen[name] {
			probs = append(probs, problem{"deflate-param-duplicate", []any{prm.Name}})
			continue
		}
		seen[name] = true
		switch name {
		case "server_no_context_takeover", "client_no_context_takeover":
			if prm.HasValue {
				probs = append(probs, problem{"deflate-param-value", []any{prm.Name, prm.Value}})
			}
			if name == "server_no_context_takeover" {
				d.ServerNoContextTakeover = true
			} else {
				d.ClientNoContextTakeover = true
			}
		case "server_max_window_bits", "client_max_window_bits":
			bits, ok := windowBits(prm.Value)
			// An offer may give client_max_window_bits without a value.
			if !prm.HasValue && name == "client_max_window_bits" && !response {
				ok = true
			}
			if !ok {
				probs = append(probs, problem{"deflate-window-bits-invalid", []any{prm.Name, prm.Value}})
			}
			if name == "server_max_window_bits" {
				d.ServerMaxWindowBits = bits
			} else {
				d.ClientMaxWindowBits = bits
			}
		default:
			probs = append(probs, problem{"deflate-param-unknown", []any{prm.Name}})
		}
	}
	return d, probs
}

// windowBits accepts 8 to 15 written without leading zeros (RFC 7692
// §7.1.2.1).
func windowBits(v string) (int, bool) {
	if v == "" || len(v) > 2 || v[0] == '0' {
		return 0, false
	}
	n, err := strconv.Atoi(v)
	if err != nil || n < 8 || n > 15 {
		return 0, false
	}
	return n, true
}
