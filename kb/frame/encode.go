package frame

import (
	"bytes"
	"compress/flate"
	"encoding/binary"
	"errors"
	"fmt"
	"unicode/utf8"
)

// Spec describes a frame to build. The zero value is an unmasked,
// non-final continuation frame with an empty payload.
type Spec struct {
	Fin, Rsv1, Rsv2, Rsv3 bool
	Opcode                int
	// Mask says whether to mask the payload with MaskKey (clients must).
	Mask    bool
	MaskKey [4]byte
	Payload []byte
	// Compress deflates the payload (permessage-deflate, no context
	// takeover) and sets RSV1.
	Compress bool
	// LengthBits forces a length form (7, 16 or 64) even when it is not
	// the minimal one, to build broken frames on purpose; 0 picks the
	// minimal form.
	LengthBits int
}

// Encode builds the frame s describes.
func Encode(s Spec) ([]byte, error) {
	if s.Opcode < 0 || s.Opcode > 0xF {
		return nil, fmt.Errorf("opcode %d is not 0–15", s.Opcode)
	}
	payload := s.Payload
	if s.Compress {
		payload = Compress(payload)
		s.Rsv1 = true
	}
	n := uint64(len(payload))
	bits := s.LengthBits
	switch {
	case bits == 0 && n <= 125:
		bits = 7
	case bits == 0 && n <= 0xFFFF:
		bits = 16
	case bits == 0:
		bits = 64
	case bits == 7 && n > 125, bits == 16 && n > 0xFFFF:
		return nil, fmt.Errorf("a %d-byte payload does not fit the %d-bit length form", n, bits)
	case bits != 7 && bits != 16 && bits != 64:
		return nil, fmt.Errorf("length form %d is not 7, 16 or 64", bits)
	}
	out := make([]byte, 0, 14+len(payload))
	b0 := byte(s.Opcode)
	for _, b := range []struct {
		on  bool
		bit byte
	}{{s.Fin, 0x80}, {s.Rsv1, 0x40}, {s.Rsv2, 0x20}, {s.Rsv3, 0x10}} {
		if b.on {
			b0 |= b.bit
		}
	}
	var b1 byte
	if s.Mask {
		b1 = 0x80
	}
	switch bits {
	case 7:
		out = append(out, b0, b1|byte(n))
	case 16:
		out = append(out, b0, b1|126)
		out = binary.BigEndian.AppendUint16(out, uint16(n))
	case 64:
		out = append(out, b0, b1|127)
		out = binary.BigEndian.AppendUint64(out, n)
	}
	if s.Mask {
		out = append(out, s.MaskKey[:]...)
	}
	start := len(out)
	out = append(out, payload...)
	if s.Mask {
		maskCopy(out[start:], out[start:], s.MaskKey) // masking is its own inverse
	}
	return out, nil
}

// Compress deflates p as permessage-deflate sends a message: a raw
// DEFLATE stream flushed with a sync flush, without its trailing
// 00 00 ff ff (RFC 7692 §7.2.1).
func Compress(p []byte) []byte {
	var buf bytes.Buffer
	w, _ := flate.NewWriter(&buf, flate.DefaultCompression) // the level is valid
	w.Write(p)                                              // writes to a bytes.Buffer do not fail
	w.Flush()
	return bytes.TrimSuffix(buf.Bytes(), []byte{0x00, 0x00, 0xff, 0xff})
}

// ClosePayload builds a Close frame's payload: the status code in network
// byte order, then the reason (RFC 6455 §5.5.1). The code must fit in two
// bytes and the payload in the 125 bytes of a control frame.
func ClosePayload(code int, reason string) ([]byte, error) {
	if code < 0 || code > 0xFFFF {
		return nil, fmt.Errorf("close code %d does not fit in two bytes", code)
	}
	if !utf8.ValidString(reason) {
		return nil, errors.New("the close reason is not valid UTF-8")
	}
	if 2+len(reason) > 125 {
		return nil, fmt.Errorf("the close reason is %d bytes; with the code it must fit in 125", len(reason))
	}
	return append(binary.BigEndian.AppendUint16(nil, uint16(code)), reason...), nil
}
