// Package frame decodes and encodes WebSocket frames (RFC 6455 §5) with
// permessage-deflate (RFC 7692). Decode describes a whole stream: every
// frame, the messages reassembled (and inflated) from them, and every
// protocol violation with the close code a compliant endpoint would send and
// the section of the RFC it rests on. It uses nothing but the standard
// library.
//
// Parsing is kept apart from checking: frame.go reads headers and payloads,
// check.go judges them, deflate.go inflates, encode.go builds frames, and
// input.go turns pasted text into bytes.
package frame

import (
	"encoding/binary"
	"fmt"
	"strconv"
	"strings"
)

// Opcodes (RFC 6455 §5.2).
const (
	OpContinuation = 0x0
	OpText         = 0x1
	OpBinary       = 0x2
	OpClose        = 0x8
	OpPing         = 0x9
	OpPong         = 0xA
)

// TypeName names an opcode as the API does.
func TypeName(op int) string {
	switch op {
	case OpContinuation:
		return "continuation"
	case OpText:
		return "text"
	case OpBinary:
		return "binary"
	case OpClose:
		return "close"
	case OpPing:
		return "ping"
	case OpPong:
		return "pong"
	}
	return "reserved"
}

// ParseOpcode reads an opcode given by name (text, binary, close, ping,
// pong, continuation) or as a number 0–15.
func ParseOpcode(s string) (int, error) {
	for op := range 16 {
		if name := TypeName(op); name != "reserved" && name == strings.ToLower(s) {
			return op, nil
		}
	}
	if n, err := strconv.Atoi(s); err == nil && n >= 0 && n <= 15 {
		return n, nil
	}
	return 0, fmt.Errorf("opcode %q is not text, binary, close, ping, pong, continuation or a number 0–15", s)
}

// IsControl reports whether op is a control opcode (0x8–0xF).
func IsControl(op int) bool { return op&0x8 != 0 }

// Roles: who sent the bytes.
const (
	RoleNone   = ""
	RoleClient = "client"
	RoleServer = "server"
)

// DefaultMaxFrames is how many frames Decode reads before it stops, and
// maxProblems how many problems it lists: a megabyte of 2-byte frames must
// not become gigabytes of result.
const (
	DefaultMaxFrames = 10000
	maxProblems      = 1000
)

// DefaultMaxInflated caps the bytes that inflating may produce in one
// Decode, so that a small deflate bomb cannot exhaust memory.
const DefaultMaxInflated = 16 << 20

// Options say how to read a stream.
type Options struct {
	// Role is who sent the bytes: RoleClient, RoleServer, or RoleNone
	// (unknown: masking is described, not judged).
	Role string
	// Deflate says permessage-deflate was negotiated (RFC 7692).
	Deflate bool
	// ClientNoContextTakeover and ServerNoContextTakeover are the
	// negotiated parameters; the one for the sender applies. With no role,
	// either one turns context takeover off.
	ClientNoContextTakeover, ServerNoContextTakeover bool
	// ClientMaxWindowBits and ServerMaxWindowBits (8–15; 0 means 15) bound
	// how far back the sender's compressor may refer. With no role, the
	// smaller of the two given applies.
	ClientMaxWindowBits, ServerMaxWindowBits int
	// MaxInflated caps the total inflated output; 0 means
	// DefaultMaxInflated. Past it inflating stops with a 1009 problem.
	MaxInflated int64
	// MaxFrames caps the frames read; 0 means DefaultMaxFrames. Past it
	// decoding stops with a note.
	MaxFrames int
}

// Frame is one decoded frame.
type Frame struct {
	Offset                int // of the first header byte in the input
	Fin, Rsv1, Rsv2, Rsv3 bool
	Opcode                int
	Masked                bool
	MaskKey               [4]byte
	// PayloadLength is the length the header declares; it is never used
	// to size anything.
	PayloadLength uint64
	// LengthBits is the length form the header used: 7, 16 or 64.
	LengthBits   int
	HeaderLength int
	// Payload is the unmasked payload, shorter than PayloadLength when
	// the input ends inside the frame (then Complete is false).
	Payload  []byte
	Complete bool
	// Close frames: HasCode is false for a body-less close.
	HasCode     bool
	CloseCode   int
	CloseReason string
}

// HeaderBits writes the first two header bytes as bits, grouped as RFC 6455
// §5.2 draws them: FIN, RSV1–3, opcode · MASK, 7-bit length.
func (f *Frame) HeaderBits() string {
	b := func(on bool) byte {
		if on {
			return '1'
		}
		return '0'
	}
	len7 := f.PayloadLength
	switch f.LengthBits {
	case 16:
		len7 = 126
	case 64:
		len7 = 127
	}
	return fmt.Sprintf("%c %c%c%c %04b · %c %07b", b(f.Fin), b(f.Rsv1), b(f.Rsv2), b(f.Rsv3), f.Opcode, b(f.Masked), len7)
}

// Type names the frame's opcode.
func (f *Frame) Type() string { return TypeName(f.Opcode) }

// Message is a data message reassembled from its frames, inflated when it
// was compressed.
type Message struct {
	Type       string // "text" or "binary"
	Compressed bool
	// Inflated says the payload is the inflated data (false when
	// inflating failed or was not possible).
	Inflated  bool
	Fragments int   // data frames in the message
	Frames    []int // their indexes
	Payload   []byte
	// Complete is false when the stream ended, or another data frame
	// began, before the message's final fragment.
	Complete bool
}

// Problem is a protocol violation, or a note when CloseCode is 0: what a
// compliant endpoint would do, and why.
type Problem struct {
	Frame int // index into Frames, or -1 for the stream
	// CloseCode is what a compliant endpoint would close with (1002,
	// 1007, 1009), or 0 for a note.
	CloseCode int
	Message   string
	RFC       string // the section it rests on, e.g. "RFC 6455 §5.2"
	// Offset is the byte offset the problem is about, in the input or in
	// the message payload, or -1.
	Offset int
	// ID names the kind of problem, for programs and translations; Args
	// are the values its message was made from.
	ID   string
	Args []any
}

// Result is everything Decode found.
type Result struct {
	Frames   []Frame
	Messages []Message
	Problems []Problem
}

// Decode reads every frame in data. It never fails: what is wrong is in
// Result.Problems, including input that ends inside a frame (a note that
// says how many more bytes the frame needs). The payloads in the result are
// copies; data may be reused afterwards.
func Decode(data []byte, opts Options) *Result {
	d := newDecoder(data, opts, false)
	d.run()
	return d.res
}

// DecodeInPlace is Decode for a caller that owns data and no longer needs
// it as it was: masked payloads are unmasked in data itself, and the result
// refers into data instead of holding copies. It saves a copy of the whole
// input.
func DecodeInPlace(data []byte, opts Options) *Result {
	d := newDecoder(data, opts, true)
	d.run()
	return d.res
}

// decoder holds the state of one Decode.
type decoder struct {
	data []byte
	opts Options
	res  *Result
	buf  []byte // unmasked payloads, one allocation for the whole input
	// inPlace: payloads are unmasked in data and refer into it; buf is
	// not used.
	inPlace bool

	open      bool    // a data message is being reassembled
	msg       Message // the message being reassembled, while open
	frameIdx  []int   // arena for the messages' frame indexes
	msgStart  int     // where the open message's indexes start in it
	closed    int     // index of the Close frame, or -1
	afterNote bool    // the note about data after Close was made
	dropped   int     // problems not listed, past maxProblems
	z         *inflater
}

func newDecoder(data []byte, opts Options, inPlace bool) *decoder {
	if opts.MaxInflated <= 0 {
		opts.MaxInflated = DefaultMaxInflated
	}
	if opts.MaxFrames <= 0 {
		opts.MaxFrames = DefaultMaxFrames
	}
	// A first pass over the headers counts the frames the input really
	// holds, so the lists are allocated once at their final size.
	est := min(countFrames(data), opts.MaxFrames)
	d := &decoder{
		data:     data,
		opts:     opts,
		res:      &Result{Frames: make([]Frame, 0, est), Messages: make([]Message, 0, est)},
		frameIdx: make([]int, 0, est),
		closed:   -1,
		inPlace:  inPlace,
	}
	if !inPlace {
		d.buf = make([]byte, 0, len(data))
	}
	if opts.Deflate {
		d.z = newInflater(opts)
	}
	return d
}

func (d *decoder) run() {
	pos := 0
	for pos < len(d.data) {
		idx := len(d.res.Frames)
		if idx == d.opts.MaxFrames {
			// Always listed, past the cap on problems too.
			args := []any{idx, len(d.data) - pos, pos}
			d.res.Problems = append(d.res.Problems, Problem{Frame: -1, Offset: pos, RFC: "RFC 6455 §5.2", ID: "frames-capped", Args: args,
				Message: fmt.Sprintf("decoding stops after %d frames; the %d bytes from offset %d on are not decoded", args...)})
			break
		}
		f, ok := d.parse(pos, idx)
		if !ok {
			break
		}
		d.res.Frames = append(d.res.Frames, f)
		fp := &d.res.Frames[idx]
		d.checkFrame(idx, fp)
		d.assemble(idx, fp)
		if !f.Complete {
			break
		}
		pos += f.HeaderLength + len(f.Payload)
	}
	if d.open {
		if last := len(d.res.Frames) - 1; last >= 0 && d.res.Frames[last].Complete {
			d.note(-1, -1, "RFC 6455 §5.4", "unfinished-message", "the stream ends inside a fragmented message: no frame with FIN closed the message that frame %d began", d.msg.Frames[0])
		}
		d.finish(false)
	}
	if d.dropped > 0 {
		d.res.Problems = append(d.res.Problems, Problem{Frame: -1, Offset: -1, RFC: "RFC 6455 §5.2", ID: "problems-capped",
			Message: fmt.Sprintf("%d more problems and notes are not listed", d.dropped), Args: []any{d.dropped}})
	}
}

// parse reads the frame at pos. When the input ends inside the header it
// adds a note and returns false; when it ends inside the payload the frame
// is returned with Complete false and a note.
func (d *decoder) parse(pos, idx int) (Frame, bool) {
	b := d.data[pos:]
	f := Frame{Offset: pos}
	if len(b) < 2 {
		d.truncated(idx, pos, 2, len(b))
		return f, false
	}
	f.Fin = b[0]&0x80 != 0
	f.Rsv1 = b[0]&0x40 != 0
	f.Rsv2 = b[0]&0x20 != 0
	f.Rsv3 = b[0]&0x10 != 0
	f.Opcode = int(b[0] & 0x0f)
	f.Masked = b[1]&0x80 != 0
	n := 2
	switch l7 := b[1] & 0x7f; l7 {
	case 126:
		n += 2
		f.LengthBits = 16
	case 127:
		n += 8
		f.LengthBits = 64
	default:
		f.LengthBits = 7
		f.PayloadLength = uint64(l7)
	}
	if f.Masked {
		n += 4
	}
	f.HeaderLength = n
	if len(b) < n {
		d.truncated(idx, pos, n, len(b))
		return f, false
	}
	switch f.LengthBits {
	case 16:
		f.PayloadLength = uint64(binary.BigEndian.Uint16(b[2:4]))
	case 64:
		f.PayloadLength = binary.BigEndian.Uint64(b[2:10])
	}
	if f.Masked {
		copy(f.MaskKey[:], b[n-4:n])
	}
	avail := uint64(len(b) - n)
	take := int(min(f.PayloadLength, avail)) // never more than the input holds
	switch src := b[n : n+take : n+take]; {
	case d.inPlace:
		f.Payload = src
		if f.Masked {
			maskCopy(src, src, f.MaskKey)
		}
	default:
		start := len(d.buf)
		d.buf = d.buf[:start+take] // within the capacity: len(data) in all
		f.Payload = d.buf[start : start+take : start+take]
		if f.Masked {
			maskCopy(f.Payload, src, f.MaskKey)
		} else {
			copy(f.Payload, src)
		}
	}
	f.Complete = uint64(take) == f.PayloadLength
	if !f.Complete {
		d.note(idx, pos, "RFC 6455 §5.2", "truncated-payload", "the input ends inside frame %d: its header declares a %d-byte payload and %d bytes are there, so it needs %d more bytes",
			idx, f.PayloadLength, take, f.PayloadLength-uint64(take))
	}
	if f.Opcode == OpClose && f.Complete {
		d.parseClose(&f)
	}
	return f, true
}

func (d *decoder) truncated(idx, pos, need, have int) {
	d.note(idx, pos, "RFC 6455 §5.2", "truncated-header", "the input ends inside the header of frame %d at offset %d: it needs %d more bytes (%d of at least %d)",
		idx, pos, need-have, have, need)
}

// countFrames counts the frames whose header starts in data, reading only
// headers; a length that runs past the input ends the count.
func countFrames(data []byte) int {
	n, pos := 0, 0
	for pos < len(data) {
		n++
		b := data[pos:]
		if len(b) < 2 {
			break
		}
		h, l := 2, uint64(b[1]&0x7f)
		switch l {
		case 126:
			h = 4
		case 127:
			h = 10
		}
		if b[1]&0x80 != 0 {
			h += 4
		}
		if len(b) < h {
			break
		}
		switch l {
		case 126:
			l = uint64(binary.BigEndian.Uint16(b[2:4]))
		case 127:
			l = binary.BigEndian.Uint64(b[2:10])
		}
		if l > uint64(len(b)-h) {
			break
		}
		pos += h + int(l)
	}
	return n
}

// parseClose reads a Close frame's status code and reason (§5.5.1).
func (d *decoder) parseClose(f *Frame) {
	if len(f.Payload) >= 2 {
		f.HasCode = true
		f.CloseCode = int(binary.BigEndian.Uint16(f.Payload))
		f.CloseReason = string(f.Payload[2:])
	}
}

// maskCopy writes src XOR key into dst (len(dst) == len(src)), one pass
// over the bytes, 32 at a time (§5.3: masking and unmasking are the same).
func maskCopy(dst, src []byte, key [4]byte) {
	k32 := uint64(binary.LittleEndian.Uint32(key[:]))
	k64 := k32 | k32<<32
	i := 0
	for ; i+32 <= len(src); i += 32 {
		s, d := src[i:i+32:i+32], dst[i:i+32:i+32]
		binary.LittleEndian.PutUint64(d[0:], binary.LittleEndian.Uint64(s[0:])^k64)
		binary.LittleEndian.PutUint64(d[8:], binary.LittleEndian.Uint64(s[8:])^k64)
		binary.LittleEndian.PutUint64(d[16:], binary.LittleEndian.Uint64(s[16:])^k64)
		binary.LittleEndian.PutUint64(d[24:], binary.LittleEndian.Uint64(s[24:])^k64)
	}
	for ; i < len(src); i++ {
		dst[i] = src[i] ^ key[i&3]
	}
}

// problem records a problem. id names its kind (a stable identifier, and
// the key of its translations: "problem."+id with the arguments as .A0,
// .A1, ...); format and args make its English message.
func (d *decoder) problem(frame, code, offset int, rfc, id, format string, args ...any) {
	if len(d.res.Problems) >= maxProblems {
		d.dropped++
		return
	}
	d.res.Problems = append(d.res.Problems, Problem{Frame: frame, CloseCode: code, Message: fmt.Sprintf(format, args...),
		RFC: rfc, Offset: offset, ID: id, Args: args})
}

func (d *decoder) note(frame, offset int, rfc, id, format string, args ...any) {
	d.problem(frame, 0, offset, rfc, id, format, args...)
}
