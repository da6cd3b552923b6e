package handshake

import (
	"strings"
	"testing"
	"time"
)

// TestLargeInputs: inputs of MaxInput bytes shaped to be slow take little
// time and produce a bounded number of checks.
func TestLargeInputs(t *testing.T) {
	fill := func(prefix, unit, suffix string) string {
		n := (MaxInput/2 - len(prefix) - len(suffix)) / len(unit)
		return prefix + strings.Repeat(unit, n) + suffix
	}
	for _, tc := range []struct{ name, req, resp string }{
		{"subprotocols", fill("GET / HTTP/1.1\nSec-WebSocket-Protocol: ", "a,", "\n"), fill("HTTP/1.1 101 x\nSec-WebSocket-Protocol: ", "b,", "\n")},
		{"extensions", fill("GET / HTTP/1.1\nSec-WebSocket-Extensions: ", "permessage-deflate; x,", "\n"), fill("HTTP/1.1 101 x\nSec-WebSocket-Extensions: ", "e1,", "\n")},
		{"params", fill("GET / HTTP/1.1\nSec-WebSocket-Extensions: permessage-deflate", ";client_max_window_bits", "\n"), fill("HTTP/1.1 101 x\nSec-WebSocket-Extensions: permessage-deflate", ";client_max_window_bits=9", "\n")},
		{"headers", fill("GET / HTTP/1.1\n", "Connection: x\n", ""), fill("HTTP/1.1 101 x\n", "Upgrade: y\n", "")},
		{"folds", fill("GET / HTTP/1.1\nX: a\n", " b\n", ""), ""},
		{"curl", fill("", "> GET / HTTP/1.1\n>\n< HTTP/1.1 101 x\n<\n", ""), ""},
		{"blank", fill("", "\n", "GET / HTTP/1.1\n"), fill("HTTP/1.1 400 x\n\n", "body\n", "")},
	} {
		start := time.Now()
		req, resp, err := Parse(tc.req, tc.resp)
		var r Result
		if err == nil {
			r = Inspect(req, resp)
			checkResult(t, r)
		}
		t.Logf("%s: %v", tc.name, time.Since(start))
		if d := time.Since(start); d > 2*time.Second || len(r.Checks) > 100 {
			t.Errorf("%s: %v, %d checks", tc.name, d, len(r.Checks))
		}
	}
}
