package api_test

import (
	"encoding/json"
	"net/http"
	"net/url"
	"strings"
	"testing"
)

func postJSON(t *testing.T, srv http.Handler, path, body string) (int, map[string]any) {
	t.Helper()
	rec := do(t, srv, req{method: http.MethodPost, path: path, header: map[string]string{"Content-Type": "application/json"}, body: strings.NewReader(body)})
	var v map[string]any
	if err := json.Unmarshal(rec.Body.Bytes(), &v); err != nil {
		t.Fatalf("%s: not JSON (%v): %s", path, err, rec.Body)
	}
	return rec.Code, v
}

func TestDecodeAPI(t *testing.T) {
	srv := newServer(t)
	code, v := postJSON(t, srv, "/api/v1/decode", `{"hex": "81 85 37 fa 21 3d 7f 9f 4d 51 58"}`)
	if code != 200 {
		t.Fatalf("%d %v", code, v)
	}
	frames := v["frames"].([]any)
	f := frames[0].(map[string]any)
	if f["text"] != "Hello" || f["mask_key"] != "37fa213d" || f["type"] != "text" || f["header_length"].(float64) != 6 {
		t.Errorf("frame %v", f)
	}
	if m := v["messages"].([]any)[0].(map[string]any); m["text"] != "Hello" {
		t.Errorf("message %v", m)
	}
	if in := v["input"].(map[string]any); in["format"] != "hex" || in["bytes"].(float64) != 11 {
		t.Errorf("input %v", in)
	}

	// A form post, compressed, with the RFC 7692 shared-window example.
	form := url.Values{"hex": {"c1 07 f2 48 cd c9 c9 07 00 c1 05 f2 00 11 00 00"}, "deflate": {"true"}}
	rec := do(t, srv, req{method: http.MethodPost, path: "/api/v1/decode", header: map[string]string{"Content-Type": "application/x-www-form-urlencoded"}, body: strings.NewReader(form.Encode())})
	if rec.Code != 200 || strings.Count(rec.Body.String(), `"text": "Hello"`) != 2 {
		t.Errorf("form decode: %d %s", rec.Code, rec.Body)
	}

	// Problems link to the entry that explains the violation.
	_, v = postJSON(t, srv, "/api/v1/decode", `{"hex": "88 02 03 ed"}`)
	p := v["problems"].([]any)[0].(map[string]any)
	if p["close_code"].(float64) != 1002 || p["url"] != "/entries/communication/websocket-close-code-invalid-on-the-wire" || p["rfc"] != "RFC 6455 §7.4" {
		t.Errorf("problem %v", p)
	}
	bomb := `{"hex": "c2 0a 63 60 18 05 a3 60 14 0c 77 00", "deflate": true, "max_inflated": 100}`
	_, v = postJSON(t, srv, "/api/v1/decode", bomb)
	p = v["problems"].([]any)[0].(map[string]any)
	if p["close_code"].(float64) != 1009 || p["url"] != "/entries/"+id1009 {
		t.Errorf("1009 problem %v", v["problems"])
	}
}

func TestDecodeAPIBadInput(t *testing.T) {
	srv := newServer(t)
	for _, tt := range []struct {
		body   string
		status int
		msg    string
	}{
		{`{"hex": "81 05 zz"}`, 400, "line 1, column 7"},
		{`{"hex": "81 05\n48 6"}`, 400, "line 2"},
		{`{"hex": "81", "role": "proxy"}`, 400, "role"},
		{`{"hex": "81", "client_max_window_bits": 7}`, 400, "client_max_window_bits"},
		{`{"hex": "81", "max_inflated": -1}`, 400, "max_inflated"},
		{`{"hex": "81", "encoding": "rot13"}`, 400, "hex:"},
		{`{"hex": `, 400, "could not be read"},
		{`{"hex": 5}`, 400, "could not be read"},
		{`{"hex": "` + strings.Repeat("00", 1<<19+1) + `"}`, 413, "at most 1048576"},
	} {
		code, v := postJSON(t, srv, "/api/v1/decode", tt.body)
		e, _ := v["error"].(map[string]any)
		if code != tt.status || e == nil || !strings.Contains(e["message"].(string), tt.msg) {
			t.Errorf("%.60s: %d %v, want %d with %q", tt.body, code, v, tt.status, tt.msg)
		}
	}
	rec := do(t, srv, req{method: http.MethodPost, path: "/api/v1/decode", header: map[string]string{"Content-Type": "text/plain"}, body: strings.NewReader("81 05")})
	if rec.Code != 400 || !strings.Contains(rec.Body.String(), "application/json") {
		t.Errorf("text/plain body: %d %s", rec.Code, rec.Body)
	}
	rec = do(t, srv, req{path: "/api/v1/decode"})
	if rec.Code != 405 || !strings.Contains(rec.Header().Get("Content-Type"), "json") {
		t.Errorf("GET /api/v1/decode: %d %s", rec.Code, rec.Body)
	}
}

func TestEncodeAPI(t *testing.T) {
	srv := newServer(t)
	for _, tt := range []struct{ body, hex string }{
		{`{"opcode": "text", "text": "Hello"}`, "810548656c6c6f"},
		{`{"opcode": "text", "text": "Hello", "mask": true, "mask_key": "37fa213d"}`, "818537fa213d7f9f4d5158"},
		{`{"opcode": "text", "text": "Hel", "fin": false}`, "010348656c"},
		{`{"opcode": "close", "close_code": 1000}`, "880203e8"},
		{`{"opcode": "ping", "payload_hex": "48 65"}`, "89024865"},
		{`{"opcode": "text", "text": "Hello", "compress": true}`, "c107f248cdc9c90700"},
	} {
		code, v := postJSON(t, srv, "/api/v1/encode", tt.body)
		if code != 200 || v["hex"] != tt.hex {
			t.Errorf("%s: %d %v, want %s", tt.body, code, v, tt.hex)
		}
	}
	for _, body := range []string{`{"opcode": "nope"}`, `{"opcode": "16"}`, `{"opcode": "close", "close_code": 70000}`, `{"opcode": "text", "mask": true, "mask_key": "xyz"}`} {
		if code, v := postJSON(t, srv, "/api/v1/encode", body); code != 400 {
			t.Errorf("%s: %d %v", body, code, v)
		}
	}
}

// TestDecodeAPILang: lang=zh translates the problems and links Chinese pages.
func TestDecodeAPILang(t *testing.T) {
	srv := newServer(t)
	_, v := postJSON(t, srv, "/api/v1/decode", `{"hex": "88 02 03 ed", "lang": "zh"}`)
	p := v["problems"].([]any)[0].(map[string]any)
	if p["id"] != "close-code-local" || p["url"] != "/zh/entries/communication/websocket-close-code-invalid-on-the-wire" || !strings.Contains(p["message"].(string), "不得出现在 Close 帧中") {
		t.Errorf("%v", p)
	}
	if code, v := postJSON(t, srv, "/api/v1/decode", `{"hex": "81 00", "lang": "fr"}`); code != 400 {
		t.Errorf("lang=fr: %d %v", code, v)
	}
}
