package frame

import (
	"bytes"
	"encoding/json"
	"testing"
)

// FuzzDecode: Decode never panics on any input, with or without
// permessage-deflate and a role; what it allocates stays within a small
// multiple of the input (the inflated output is capped in proportion); its
// JSON encodes; and a frame built by Encode decodes back to its payload.
func FuzzDecode(f *testing.F) {
	for _, seed := range []string{
		"8105 48656c6c6f",
		"8185 37fa213d 7f9f4d5158",
		"0103 48656c 8002 6c6f",
		"c107 f248cdc9c90700 c105 f200110000",
		"827f 7fffffffffffffff 010203",
		"8801 03",
		"88 02 03 e9",
		"4103 f248cd 8004 c9c90700",
		"c103 ffffff",
	} {
		f.Add(mustHex(seed), true, byte(0))
	}
	f.Fuzz(func(t *testing.T, data []byte, deflate bool, flags byte) {
		role := []string{RoleNone, RoleClient, RoleServer}[int(flags)%3]
		opts := Options{Deflate: deflate, Role: role, MaxInflated: int64(16*len(data) + 1024),
			ClientNoContextTakeover: flags&0x10 != 0, ServerMaxWindowBits: int(flags>>5) + 8}
		var r *Result
		used := allocBytes(1, func() { r = Decode(data, opts) })
		// The decompressor's own state is a fixed ~50 KB; everything else
		// is bounded by the input and the inflated output.
		if limit := uint64(64*len(data)) + uint64(opts.MaxInflated)*4 + 256<<10; used > limit {
			t.Errorf("%d bytes allocated for %d bytes of input (limit %d)", used, len(data), limit)
		}
		if _, err := json.Marshal(r); err != nil {
			t.Fatal(err)
		}
		for _, fr := range r.Frames {
			if uint64(len(fr.Payload)) > fr.PayloadLength || fr.Offset+fr.HeaderLength > len(data) {
				t.Fatalf("frame %+v out of the input's bounds", fr)
			}
		}

		s := Spec{Fin: true, Opcode: OpBinary, Mask: flags&1 != 0, MaskKey: [4]byte{flags, 1, 2, 3}, Payload: data, Compress: deflate}
		b, err := Encode(s)
		if err != nil {
			t.Fatal(err)
		}
		back := Decode(b, Options{Deflate: deflate})
		if len(back.Problems) != 0 || len(back.Messages) != 1 || !bytes.Equal(back.Messages[0].Payload, data) {
			t.Fatalf("round trip of %x: %+v", data, back.Problems)
		}
	})
}
