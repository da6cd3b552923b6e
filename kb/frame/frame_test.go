package frame

import (
	"bytes"
	"encoding/hex"
	"encoding/json"
	"log/slog"
	"runtime"
	"slices"
	"strings"
	"testing"

	"github.com/wskb/wskb/i18n"
	"github.com/wskb/wskb/kb"
	"github.com/wskb/wskb/kb/render"
)

func mustHex(s string) []byte {
	b, err := hex.DecodeString(strings.Join(strings.Fields(s), ""))
	if err != nil {
		panic(err)
	}
	return b
}

// messages returns the payloads of the messages as strings.
func texts(r *Result) []string {
	var out []string
	for _, m := range r.Messages {
		out = append(out, string(m.Payload))
	}
	return out
}

// TestRFCExamples decodes the examples of RFC 6455 §5.7 and RFC 7692
// §7.2.3, none of which has a problem.
func TestRFCExamples(t *testing.T) {
	bin256 := append(mustHex("82 7e 01 00"), bytes.Repeat([]byte{0xab}, 256)...)
	bin64k := append(mustHex("82 7f 00 00 00 00 00 01 00 00"), bytes.Repeat([]byte{0xcd}, 65536)...)
	tests := []struct {
		name    string
		in      []byte
		deflate bool
		types   []string // frame types
		msgs    []string
	}{
		{"unmasked text", mustHex("81 05 48 65 6c 6c 6f"), false, []string{"text"}, []string{"Hello"}},
		{"masked text", mustHex("81 85 37 fa 21 3d 7f 9f 4d 51 58"), false, []string{"text"}, []string{"Hello"}},
		{"fragmented text", mustHex("01 03 48 65 6c 80 02 6c 6f"), false, []string{"text", "continuation"}, []string{"Hello"}},
		{"ping and masked pong", mustHex("89 05 48 65 6c 6c 6f 8a 85 37 fa 21 3d 7f 9f 4d 51 58"), false, []string{"ping", "pong"}, nil},
		{"256 bytes binary", bin256, false, []string{"binary"}, []string{string(bytes.Repeat([]byte{0xab}, 256))}},
		{"64 KiB binary", bin64k, false, []string{"binary"}, []string{string(bytes.Repeat([]byte{0xcd}, 65536))}},
		{"7692 compressed Hello", mustHex("c1 07 f2 48 cd c9 c9 07 00"), true, []string{"text"}, []string{"Hello"}},
		{"7692 shared window", mustHex("c1 07 f2 48 cd c9 c9 07 00 c1 05 f2 00 11 00 00"), true, []string{"text", "text"}, []string{"Hello", "Hello"}},
		{"7692 stored block", mustHex("c1 0b 00 05 00 fa ff 48 65 6c 6c 6f 00"), true, []string{"text"}, []string{"Hello"}},
		{"7692 BFINAL set", mustHex("c1 08 f3 48 cd c9 c9 07 00 00"), true, []string{"text"}, []string{"Hello"}},
		{"7692 two blocks", mustHex("c1 0d f2 48 05 00 00 00 ff ff ca c9 c9 07 00"), true, []string{"text"}, []string{"Hello"}},
		{"7692 fragmented", mustHex("41 03 f2 48 cd 80 04 c9 c9 07 00"), true, []string{"text", "continuation"}, []string{"Hello"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := Decode(tt.in, Options{Deflate: tt.deflate})
			if len(r.Problems) != 0 {
				t.Fatalf("problems: %+v", r.Problems)
			}
			var types []string
			for _, f := range r.Frames {
				types = append(types, f.Type())
			}
			if strings.Join(types, ",") != strings.Join(tt.types, ",") {
				t.Errorf("frame types %v, want %v", types, tt.types)
			}
			if got := texts(r); strings.Join(got, "|") != strings.Join(tt.msgs, "|") {
				t.Errorf("messages %q, want %q", got, tt.msgs)
			}
		})
	}
}

func TestMaskedHeader(t *testing.T) {
	r := Decode(mustHex("81 85 37 fa 21 3d 7f 9f 4d 51 58"), Options{})
	f := r.Frames[0]
	if !f.Fin || !f.Masked || f.MaskKey != [4]byte{0x37, 0xfa, 0x21, 0x3d} || f.PayloadLength != 5 || f.HeaderLength != 6 || f.LengthBits != 7 || !f.Complete {
		t.Fatalf("%+v", f)
	}
	b, err := json.Marshal(r)
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{`"mask_key":"37fa213d"`, `"payload_hex":"48656c6c6f"`, `"text":"Hello"`, `"header_length":6`, `"close_code":null`, `"messages":[{"type":"text"`, `"problems":[]`} {
		if !strings.Contains(string(b), want) {
			t.Errorf("JSON lacks %s: %s", want, b)
		}
	}
}

func closeFrame(code int, reason string) []byte {
	p, err := ClosePayload(code, reason)
	if err != nil {
		panic(err)
	}
	b, _ := Encode(Spec{Fin: true, Opcode: OpClose, Payload: p})
	return b
}

func enc(s Spec) []byte {
	b, err := Encode(s)
	if err != nil {
		panic(err)
	}
	return b
}

// TestChecks has one crafted vector per check: the problem's close code,
// RFC section and a phrase of its message.
func TestChecks(t *testing.T) {
	hello := []byte("Hello")
	tests := []struct {
		name string
		in   []byte
		opts Options
		code int // 0: a note
		rfc  string
		msg  string
	}{
		{"rsv1 without deflate", enc(Spec{Fin: true, Rsv1: true, Opcode: OpText, Payload: hello}), Options{}, 1002, "RFC 6455 §5.2", "RSV1 is set but no extension"},
		{"rsv1 on continuation", append(enc(Spec{Opcode: OpText, Payload: hello}), enc(Spec{Fin: true, Rsv1: true, Opcode: OpContinuation, Payload: hello})...), Options{Deflate: true}, 1002, "RFC 7692 §6", "continuation frame"},
		{"rsv1 on control", enc(Spec{Fin: true, Rsv1: true, Opcode: OpPing}), Options{Deflate: true}, 1002, "RFC 7692 §6", "control frame"},
		{"rsv2", enc(Spec{Fin: true, Rsv2: true, Opcode: OpText, Payload: hello}), Options{}, 1002, "RFC 6455 §5.2", "RSV2 or RSV3"},
		{"rsv3", enc(Spec{Fin: true, Rsv3: true, Opcode: OpBinary}), Options{}, 1002, "RFC 6455 §5.2", "RSV2 or RSV3"},
		{"reserved data opcode", enc(Spec{Fin: true, Opcode: 0x3}), Options{}, 1002, "RFC 6455 §5.2", "opcode 0x3 is reserved"},
		{"reserved control opcode", enc(Spec{Fin: true, Opcode: 0xB}), Options{}, 1002, "RFC 6455 §5.2", "opcode 0xB is reserved"},
		{"control over 125", enc(Spec{Fin: true, Opcode: OpPing, Payload: make([]byte, 126)}), Options{}, 1002, "RFC 6455 §5.5", "carry at most 125"},
		{"fragmented control", enc(Spec{Opcode: OpPong}), Options{}, 1002, "RFC 6455 §5.5", "must not be fragmented"},
		{"16-bit length for 5", enc(Spec{Fin: true, Opcode: OpText, Payload: hello, LengthBits: 16}), Options{}, 1002, "RFC 6455 §5.2", "16-bit form"},
		{"64-bit length for 5", enc(Spec{Fin: true, Opcode: OpText, Payload: hello, LengthBits: 64}), Options{}, 1002, "RFC 6455 §5.2", "64-bit form"},
		{"64-bit top bit", mustHex("82 7f 80 00 00 00 00 00 00 00"), Options{}, 1002, "RFC 6455 §5.2", "most significant bit"},
		{"continuation without message", enc(Spec{Fin: true, Opcode: OpContinuation, Payload: hello}), Options{}, 1002, "RFC 6455 §5.4", "no message open"},
		{"data frame inside message", append(enc(Spec{Opcode: OpText, Payload: hello}), enc(Spec{Fin: true, Opcode: OpBinary, Payload: hello})...), Options{}, 1002, "RFC 6455 §5.4", "still open"},
		{"1-byte close", mustHex("88 01 03"), Options{}, 1002, "RFC 6455 §5.5.1", "1 byte"},
		{"close 999", closeFrame(999, ""), Options{}, 1002, "RFC 6455 §7.4", "0–999 are not used"},
		{"close 1004", closeFrame(1004, ""), Options{}, 1002, "RFC 6455 §7.4", "1004 is reserved"},
		{"close 1005", closeFrame(1005, ""), Options{}, 1002, "RFC 6455 §7.4", "must never be sent"},
		{"close 1006", closeFrame(1006, ""), Options{}, 1002, "RFC 6455 §7.4", "must never be sent"},
		{"close 1015", closeFrame(1015, ""), Options{}, 1002, "RFC 6455 §7.4", "must never be sent"},
		{"close 1016", closeFrame(1016, ""), Options{}, 1002, "RFC 6455 §7.4", "1016–2999"},
		{"close 2999", closeFrame(2999, ""), Options{}, 1002, "RFC 6455 §7.4", "1016–2999"},
		{"close 5000", closeFrame(5000, ""), Options{}, 1002, "RFC 6455 §7.4", "above 4999"},
		{"close reason utf8", enc(Spec{Fin: true, Opcode: OpClose, Payload: []byte{0x03, 0xe8, 'o', 'k', 0xff}}), Options{}, 1007, "RFC 6455 §5.5.1", "offset 2 of the reason"},
		{"text utf8", enc(Spec{Fin: true, Opcode: OpText, Payload: []byte("caf\xc3")}), Options{}, 1007, "RFC 6455 §8.1", "offset 3"},
		{"text utf8 across fragments", append(enc(Spec{Opcode: OpText, Payload: []byte("ab\xe2\x82")}), enc(Spec{Fin: true, Opcode: OpContinuation, Payload: []byte("\xacc\xff")})...), Options{}, 1007, "RFC 6455 §8.1", "offset 6"},
		{"compressed text utf8", enc(Spec{Fin: true, Opcode: OpText, Compress: true, Payload: []byte("ok\xff")}), Options{Deflate: true}, 1007, "RFC 6455 §8.1", "offset 2"},
		{"after close", append(closeFrame(1000, "bye"), enc(Spec{Fin: true, Opcode: OpText, Payload: hello})...), Options{}, 0, "RFC 6455 §5.5.1", "follows the Close frame"},
		{"client unmasked", enc(Spec{Fin: true, Opcode: OpText, Payload: hello}), Options{Role: RoleClient}, 1002, "RFC 6455 §5.1", "unmasked"},
		{"server masked", enc(Spec{Fin: true, Opcode: OpText, Mask: true, MaskKey: [4]byte{1, 2, 3, 4}, Payload: hello}), Options{Role: RoleServer}, 1002, "RFC 6455 §5.1", "masked frame"},
		{"corrupt deflate", mustHex("c1 03 ff ff ff"), Options{Deflate: true}, 1007, "RFC 7692 §6.2", "does not inflate"},
		{"truncated payload", mustHex("81 05 48 65"), Options{}, 0, "RFC 6455 §5.2", "needs 3 more bytes"},
		{"truncated header", mustHex("81 fe 00"), Options{}, 0, "RFC 6455 §5.2", "it needs 5 more bytes"},
		{"unfinished message", enc(Spec{Opcode: OpText, Payload: hello}), Options{}, 0, "RFC 6455 §5.4", "ends inside a fragmented message"},
		{"over the inflate cap", append(enc(Spec{Fin: true, Opcode: OpBinary, Compress: true, Payload: make([]byte, 4096)}), enc(Spec{Fin: true, Opcode: OpText, Compress: true, Payload: hello})...), Options{Deflate: true, MaxInflated: 100}, 1009, "RFC 7692 §8.2", "cap on inflated data"},
		{"frames capped", mustHex("81 00 81 00 81 00"), Options{MaxFrames: 2}, 0, "RFC 6455 §5.2", "decoding stops after 2 frames; the 2 bytes from offset 4"},
		{"problems capped", bytes.Repeat([]byte{0xa0, 0x00}, 1100), Options{}, 0, "RFC 6455 §5.2", "1200 more problems and notes are not listed"},
		{"after the inflate cap", append(enc(Spec{Fin: true, Opcode: OpBinary, Compress: true, Payload: make([]byte, 4096)}), enc(Spec{Fin: true, Opcode: OpText, Compress: true, Payload: hello})...), Options{Deflate: true, MaxInflated: 100}, 0, "RFC 7692 §8.2", "not inflated"},
	}
	msgs, err := render.LoadMessages(i18n.FS, slog.New(slog.DiscardHandler))
	if err != nil {
		t.Fatal(err)
	}
	seen := map[string]bool{}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := Decode(tt.in, tt.opts)
			for _, p := range r.Problems {
				// Every problem has a kind, and its English UI string
				// renders to exactly the decoder's English message.
				if !slices.Contains(ProblemIDs, p.ID) {
					t.Errorf("problem ID %q is not in ProblemIDs", p.ID)
				}
				seen[p.ID] = true
				if got := msgs.Problem(kb.EN, p.ID, p.Args, "(missing)"); got != p.Message {
					t.Errorf("i18n problem.%s renders\n  %q\nbut the decoder says\n  %q", p.ID, got, p.Message)
				}
				if zh := msgs.Problem(kb.ZH, p.ID, p.Args, "(missing)"); zh == "(missing)" || zh == p.Message {
					t.Errorf("problem.%s has no Chinese", p.ID)
				}
			}
			for _, p := range r.Problems {
				if p.CloseCode == tt.code && p.RFC == tt.rfc && strings.Contains(p.Message, tt.msg) {
					return
				}
			}
			t.Errorf("want a %d problem (%s) containing %q; got %+v", tt.code, tt.rfc, tt.msg, r.Problems)
		})
	}
	for _, id := range ProblemIDs {
		if !seen[id] {
			t.Errorf("no test case produces the problem %q", id)
		}
	}
}

// TestValidHasNoProblems: the checks stay quiet on valid streams,
// including control frames between fragments and every wire close code.
func TestValidHasNoProblems(t *testing.T) {
	var in []byte
	in = append(in, enc(Spec{Opcode: OpText, Payload: []byte("Hel")})...)
	in = append(in, enc(Spec{Fin: true, Opcode: OpPing, Payload: []byte("p")})...)
	in = append(in, enc(Spec{Fin: true, Opcode: OpContinuation, Payload: []byte("lo")})...)
	in = append(in, closeFrame(1000, "done")...)
	r := Decode(in, Options{Role: RoleServer})
	if len(r.Problems) != 0 || len(r.Messages) != 1 || string(r.Messages[0].Payload) != "Hello" || r.Messages[0].Fragments != 2 {
		t.Fatalf("problems %+v, messages %d", r.Problems, len(r.Messages))
	}
	for _, code := range []int{1000, 1001, 1002, 1003, 1007, 1008, 1009, 1010, 1011, 1012, 1013, 1014, 3000, 3999, 4000, 4999} {
		r := Decode(closeFrame(code, "x"), Options{})
		if len(r.Problems) != 0 || !r.Frames[0].HasCode || r.Frames[0].CloseCode != code || r.Frames[0].CloseReason != "x" {
			t.Errorf("close %d: %+v", code, r.Problems)
		}
	}
	if r := Decode(mustHex("88 00"), Options{}); len(r.Problems) != 0 || r.Frames[0].HasCode {
		t.Errorf("body-less close: %+v", r)
	}
}

// TestRoundTrip: every length boundary, masked and not, compressed and
// not, decodes back to what was encoded.
func TestRoundTrip(t *testing.T) {
	for _, n := range []int{0, 1, 125, 126, 127, 65535, 65536, 70000} {
		payload := make([]byte, n)
		for i := range payload {
			payload[i] = byte('a' + i%26)
		}
		for _, mask := range []bool{false, true} {
			for _, compress := range []bool{false, true} {
				s := Spec{Fin: true, Opcode: OpText, Mask: mask, MaskKey: [4]byte{0xde, 0xad, 0xbe, 0xef}, Payload: payload, Compress: compress}
				b := enc(s)
				r := Decode(b, Options{Deflate: compress})
				if len(r.Problems) != 0 || len(r.Frames) != 1 || len(r.Messages) != 1 {
					t.Fatalf("n=%d mask=%v compress=%v: %+v", n, mask, compress, r.Problems)
				}
				f := r.Frames[0]
				wantBits := 7
				if n > 125 && !compress {
					wantBits = 16
				}
				if n > 65535 && !compress {
					wantBits = 64
				}
				if !compress && (f.LengthBits != wantBits || f.PayloadLength != uint64(n)) {
					t.Errorf("n=%d: length form %d, length %d", n, f.LengthBits, f.PayloadLength)
				}
				if !bytes.Equal(r.Messages[0].Payload, payload) {
					t.Errorf("n=%d mask=%v compress=%v: payload differs", n, mask, compress)
				}
			}
		}
	}
}

// TestEdgeCases: an empty compressed message is an empty message; a Close
// frame cut short reports no code.
func TestEdgeCases(t *testing.T) {
	r := Decode(mustHex("c1 00"), Options{Deflate: true})
	if len(r.Problems) != 0 || len(r.Messages) != 1 || !r.Messages[0].Inflated || len(r.Messages[0].Payload) != 0 {
		t.Errorf("empty compressed message: %+v %+v", r.Problems, r.Messages)
	}
	r = Decode(mustHex("88 05 03 e8 61"), Options{})
	if r.Frames[0].HasCode || len(r.Problems) != 1 {
		t.Errorf("truncated close: %+v %+v", r.Frames[0], r.Problems)
	}
}

// TestManyTinyFrames: a large input of the smallest frames stays within a
// small multiple of its size.
func TestManyTinyFrames(t *testing.T) {
	in := bytes.Repeat([]byte{0x7f, 0x00}, 256<<10) // 512 KiB of reserved-opcode frames
	var r *Result
	used := allocBytes(1, func() { r = Decode(in, Options{Role: RoleClient}) })
	if len(r.Frames) != DefaultMaxFrames || len(r.Problems) != maxProblems+2 {
		t.Errorf("%d frames, %d problems", len(r.Frames), len(r.Problems))
	}
	if used > 16*uint64(len(in)) {
		t.Errorf("%d bytes allocated for %d bytes of input", used, len(in))
	}
}

// TestDecodeInPlace: the same result as Decode, with payloads referring
// into the (now unmasked) input.
func TestDecodeInPlace(t *testing.T) {
	in := mustHex("01 83 01 02 03 04 49 67 6f 89 80 00 00 00 00 80 82 0a 0b 0c 0d 66 64")
	want := Decode(in, Options{})
	data := bytes.Clone(in)
	got := DecodeInPlace(data, Options{})
	wj, _ := json.Marshal(want)
	gj, _ := json.Marshal(got)
	if string(wj) != string(gj) || texts(got)[0] != "Hello" {
		t.Fatalf("in place:\n%s\ncopied:\n%s", gj, wj)
	}
	if &got.Frames[0].Payload[0] != &data[6] {
		t.Error("the payload does not refer into the input")
	}
}

// TestHugeDeclaredLength: a frame that claims 2^63−1 bytes is a note about
// the missing bytes, and nothing is sized by the claim.
func TestHugeDeclaredLength(t *testing.T) {
	in := mustHex("82 7f 7f ff ff ff ff ff ff ff 01 02 03")
	perRun := allocBytes(100, func() { Decode(in, Options{}) })
	r := Decode(in, Options{})
	if len(r.Frames) != 1 || r.Frames[0].Complete || len(r.Frames[0].Payload) != 3 {
		t.Fatalf("%+v", r.Frames)
	}
	want := "needs 9223372036854775804 more bytes"
	if len(r.Problems) != 1 || !strings.Contains(r.Problems[0].Message, want) || r.Problems[0].CloseCode != 0 {
		t.Fatalf("problems %+v, want a note with %q", r.Problems, want)
	}
	if perRun > 4096 {
		t.Errorf("%d bytes allocated for a 13-byte input", perRun)
	}
}

// allocBytes is the average number of bytes f allocates.
func allocBytes(runs int, f func()) uint64 {
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	for range runs {
		f()
	}
	runtime.ReadMemStats(&after)
	return (after.TotalAlloc - before.TotalAlloc) / uint64(runs)
}

// TestDeflateBomb: inflated output stops at the cap with a 1009 problem,
// and later messages are not inflated.
func TestDeflateBomb(t *testing.T) {
	bomb := enc(Spec{Fin: true, Opcode: OpBinary, Compress: true, Payload: make([]byte, 4<<20)})
	in := append(bomb, enc(Spec{Fin: true, Opcode: OpText, Compress: true, Payload: []byte("after")})...)
	r := Decode(in, Options{Deflate: true, MaxInflated: 1 << 20})
	if len(r.Problems) != 2 || r.Problems[0].CloseCode != 1009 || r.Problems[1].CloseCode != 0 {
		t.Fatalf("%+v", r.Problems)
	}
	if r.Messages[0].Inflated || r.Messages[1].Inflated {
		t.Error("messages past the cap were inflated")
	}
	// Under the default cap the same bomb inflates.
	r = Decode(bomb, Options{Deflate: true})
	if len(r.Problems) != 0 || len(r.Messages[0].Payload) != 4<<20 {
		t.Fatalf("%+v", r.Problems)
	}
}

// TestContextTakeover: the second message of RFC 7692 §7.2.3.2 refers
// back into the first, so it inflates only with context takeover.
func TestContextTakeover(t *testing.T) {
	in := mustHex("c1 07 f2 48 cd c9 c9 07 00 c1 05 f2 00 11 00 00")
	for _, o := range []Options{
		{Deflate: true, ServerNoContextTakeover: true, Role: RoleServer},
		{Deflate: true, ClientNoContextTakeover: true, ServerNoContextTakeover: true},
	} {
		r := Decode(in, o)
		if len(r.Problems) != 1 || r.Problems[0].CloseCode != 1007 {
			t.Errorf("%+v: want the second message to fail to inflate, got %+v", o, r.Problems)
		}
	}
	// The client's parameter does not apply to a server's messages, and
	// with no role one side's parameters must not break the other side's
	// valid stream.
	for _, o := range []Options{
		{Deflate: true, ClientNoContextTakeover: true, Role: RoleServer},
		{Deflate: true, ClientNoContextTakeover: true},
		{Deflate: true, ClientMaxWindowBits: 8},
	} {
		if r := Decode(in, o); len(r.Problems) != 0 {
			t.Errorf("%+v: %+v", o, r.Problems)
		}
	}
	var r *Result
	// A window of 8 bits still reaches 5 bytes back.
	r = Decode(in, Options{Deflate: true, ServerMaxWindowBits: 8, Role: RoleServer})
	if len(r.Problems) != 0 || texts(r)[1] != "Hello" {
		t.Errorf("window bits 8: %+v", r.Problems)
	}
}

func TestEncodeErrors(t *testing.T) {
	for _, s := range []Spec{{Opcode: 16}, {Opcode: 1, LengthBits: 7, Payload: make([]byte, 126)}, {Opcode: 1, LengthBits: 9}} {
		if _, err := Encode(s); err == nil {
			t.Errorf("Encode(%+v) succeeded", s)
		}
	}
	for _, c := range []struct {
		code   int
		reason string
	}{{-1, ""}, {70000, ""}, {1000, "\xff"}, {1000, strings.Repeat("x", 124)}} {
		if _, err := ClosePayload(c.code, c.reason); err == nil {
			t.Errorf("ClosePayload(%d, %.10q) succeeded", c.code, c.reason)
		}
	}
}
