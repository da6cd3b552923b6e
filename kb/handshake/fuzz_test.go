package handshake

import (
	"encoding/json"
	"errors"
	"os"
	"strings"
	"testing"
	"unicode/utf8"
)

// FuzzParse: Parse and Inspect never panic, errors are *InputError on an
// existing line, and every Result is consistent.
func FuzzParse(f *testing.F) {
	for _, s := range []string{rfcReq, rfcResp, rfcReq + rfcResp, chromeH2Req, chromeH2Resp, chromeH2Req + "\n" + chromeH2Resp,
		firefoxReq, firefoxResp, curlOut, h2Req, deflateReq, deflateResp("; client_max_window_bits=10; foo=\"bar\""),
		"", "\x00", ":status: 200", "GET / HTTP/1.1\n Host: a", "> GET / HTTP/1.1\n< HTTP/1.1 101 x\n",
		"HTTP/1.1 301 x\nLocation: y", "Sec-WebSocket-Extensions: a;b=\"\\\"\",,;", "\ufeffGET / HTTP/1.1\r\n"} {
		f.Add(s, "")
		f.Add("", s)
	}
	f.Add(rfcReq, rfcResp)
	f.Add(chromeH2Req, chromeH2Resp)
	f.Fuzz(func(t *testing.T, request, response string) {
		req, resp, err := Parse(request, response)
		if err != nil {
			var ie *InputError
			if !errors.As(err, &ie) || ie.Line < 1 || (ie.Input != "request" && ie.Input != "response") {
				t.Fatalf("error %#v", err)
			}
			text := request
			if ie.Input == "response" {
				text = response
			}
			if len(request)+len(response) <= MaxInput && ie.Line > strings.Count(text, "\n")+strings.Count(text, "\r")+1 {
				t.Fatalf("line %d beyond the text: %v", ie.Line, err)
			}
			if req != nil || resp != nil {
				t.Fatal("messages with an error")
			}
			return
		}
		for _, m := range []*Message{req, resp} {
			if m != nil && m.Line < 1 {
				t.Fatalf("line %d", m.Line)
			}
		}
		r := Inspect(req, resp)
		checkResult(t, r)
		tm := Templates()["en"]
		for _, c := range r.Checks {
			if tm["check."+c.ID] == "" {
				t.Fatalf("no template for %s", c.ID)
			}
		}
		if _, err := json.Marshal(r); err != nil {
			t.Fatal(err)
		}
		if utf8.ValidString(request+response) && !utf8.ValidString(r.Checks[0].Message) {
			t.Fatal("invalid UTF-8 message")
		}
	})
}

// TestWriteI18n writes the message catalog as JSON ({"en": {"check.<id>":
// template}, "zh": {...}}) to the file named by HANDSHAKE_I18N, for the UI:
//
//	HANDSHAKE_I18N=/tmp/handshake-i18n.json go test -run WriteI18n ./kb/handshake
func TestWriteI18n(t *testing.T) {
	data, err := i18nJSON()
	if err != nil {
		t.Fatal(err)
	}
	var back map[string]map[string]string
	if err := json.Unmarshal(data, &back); err != nil || len(back["en"]) != len(CheckIDs) || len(back["zh"]) != len(CheckIDs) {
		t.Fatalf("%v %d", err, len(back["en"]))
	}
	if path := os.Getenv("HANDSHAKE_I18N"); path != "" {
		if err := os.WriteFile(path, data, 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

func i18nJSON() ([]byte, error) {
	var b strings.Builder
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	if err := enc.Encode(Templates()); err != nil {
		return nil, err
	}
	return []byte(b.String()), nil
}
