package frame

import "unicode/utf8"

// Close codes a compliant endpoint sends for the problems found here.
const (
	CodeProtocolError = 1002
	CodeInvalidData   = 1007
	CodeTooBig        = 1009
)

// checkFrame judges one frame's header against RFC 6455 §5 and RFC 7692,
// collecting every problem; parsing stays in frame.go.
func (d *decoder) checkFrame(i int, f *Frame) {
	at := f.Offset
	control := IsControl(f.Opcode)

	// 1. Reserved bits: RSV1 means "compressed" only with permessage-deflate,
	// and only on the first frame of a data message.
	switch {
	case f.Rsv1 && !d.opts.Deflate:
		d.problem(i, CodeProtocolError, at, "RFC 6455 §5.2", "rsv1-no-extension", "RSV1 is set but no extension was negotiated that defines it (permessage-deflate was not negotiated)")
	case f.Rsv1 && control:
		d.problem(i, CodeProtocolError, at, "RFC 7692 §6", "rsv1-control", "RSV1 is set on a control frame: permessage-deflate never compresses control frames")
	case f.Rsv1 && f.Opcode == OpContinuation:
		d.problem(i, CodeProtocolError, at, "RFC 7692 §6", "rsv1-continuation", "RSV1 is set on a continuation frame: only the first frame of a message carries the compressed bit")
	}
	if f.Rsv2 || f.Rsv3 {
		d.problem(i, CodeProtocolError, at, "RFC 6455 §5.2", "rsv23", "RSV2 or RSV3 is set, and no negotiated extension defines them")
	}

	// 2. Opcode.
	if TypeName(f.Opcode) == "reserved" {
		d.problem(i, CodeProtocolError, at, "RFC 6455 §5.2", "reserved-opcode", "opcode 0x%X is reserved", f.Opcode)
	}

	// 3. Length: minimal form, and a 64-bit length with its top bit clear.
	switch {
	case f.LengthBits == 16 && f.PayloadLength < 126:
		d.problem(i, CodeProtocolError, at, "RFC 6455 §5.2", "length-not-minimal-16", "the payload length %d is written in the 16-bit form; lengths up to 125 must use the 7-bit form", f.PayloadLength)
	case f.LengthBits == 64 && f.PayloadLength>>63 != 0:
		d.problem(i, CodeProtocolError, at, "RFC 6455 §5.2", "length-64-top-bit", "the 64-bit payload length has its most significant bit set (%d)", f.PayloadLength)
	case f.LengthBits == 64 && f.PayloadLength < 65536:
		d.problem(i, CodeProtocolError, at, "RFC 6455 §5.2", "length-not-minimal-64", "the payload length %d is written in the 64-bit form; lengths up to 65535 must use the 7- or 16-bit form", f.PayloadLength)
	}

	// 4. Masking, judged only when the sender is known.
	switch {
	case d.opts.Role == RoleClient && !f.Masked:
		d.problem(i, CodeProtocolError, at, "RFC 6455 §5.1", "client-unmasked", "a client sent an unmasked frame; a server must close the connection")
	case d.opts.Role == RoleServer && f.Masked:
		d.problem(i, CodeProtocolError, at, "RFC 6455 §5.1", "server-masked", "a server sent a masked frame; a client must close the connection")
	}

	// 5. Control frames: short and never fragmented.
	if control {
		if f.PayloadLength > 125 {
			d.problem(i, CodeProtocolError, at, "RFC 6455 §5.5", "control-too-long", "a %s frame carries %d bytes; control frames carry at most 125", f.Type(), f.PayloadLength)
		}
		if !f.Fin {
			d.problem(i, CodeProtocolError, at, "RFC 6455 §5.5", "control-fragmented", "a %s frame has FIN clear; control frames must not be fragmented", f.Type())
		}
	}

	// 6. Close frames: the status code and the reason.
	if f.Opcode == OpClose && f.Complete {
		switch {
		case len(f.Payload) == 1:
			d.problem(i, CodeProtocolError, at, "RFC 6455 §5.5.1", "close-one-byte", "the close payload is 1 byte; a status code needs 2")
		case f.HasCode && !wireCode(f.CloseCode):
			d.problem(i, CodeProtocolError, at, "RFC 6455 §7.4", closeID(f.CloseCode), "close code %d must not appear in a Close frame (%s)", f.CloseCode, whyNotWire(f.CloseCode))
		}
		if f.HasCode {
			if off := invalidUTF8(f.Payload[2:]); off >= 0 {
				d.problem(i, CodeInvalidData, at+f.HeaderLength+2+off, "RFC 6455 §5.5.1", "close-reason-utf8", "the close reason is not valid UTF-8 (first bad byte at offset %d of the reason)", off)
			}
		}
	}

	// 7. Anything after a Close frame.
	if d.closed >= 0 && !d.afterNote {
		d.afterNote = true
		d.note(i, at, "RFC 6455 §5.5.1", "after-close", "frame %d follows the Close frame %d: after sending Close an endpoint sends no more data, and the receiver discards what still arrives", i, d.closed)
	}
	if f.Opcode == OpClose && d.closed < 0 {
		d.closed = i
	}
}

// wireCode reports whether a close code may be sent in a Close frame:
// 1000–1003, 1007–1014 (RFC 6455 §7.4.1 and the IANA registry) and
// 3000–4999 (§7.4.2).
func wireCode(c int) bool {
	return (c >= 1000 && c <= 1003) || (c >= 1007 && c <= 1014) || (c >= 3000 && c <= 4999)
}

// closeID names the kind of a close code that must not be sent.
func closeID(c int) string {
	switch {
	case c < 1000:
		return "close-code-unused"
	case c == 1004:
		return "close-code-reserved"
	case c == 1005 || c == 1006 || c == 1015:
		return "close-code-local"
	case c < 3000:
		return "close-code-future"
	}
	return "close-code-over"
}

func whyNotWire(c int) string {
	switch {
	case c < 1000:
		return "0–999 are not used"
	case c == 1004:
		return "1004 is reserved"
	case c == 1005 || c == 1006 || c == 1015:
		return "it is reserved for APIs to report locally and must never be sent"
	case c < 3000:
		return "1016–2999 are reserved for future revisions of the protocol and extensions"
	}
	return "codes above 4999 are outside every range"
}

// invalidUTF8 returns the offset of the first byte of b that is not part of
// valid UTF-8, or -1. A sequence cut off at the end counts as invalid.
func invalidUTF8(b []byte) int {
	if utf8.Valid(b) {
		return -1
	}
	for i := 0; i < len(b); {
		r, n := utf8.DecodeRune(b[i:])
		if r == utf8.RuneError && n <= 1 {
			return i
		}
		i += n
	}
	return -1
}

// assemble adds a frame to the message being reassembled (§5.4): control
// frames may come between fragments and never join a message.
func (d *decoder) assemble(i int, f *Frame) {
	switch f.Opcode {
	case OpText, OpBinary:
		if d.open {
			d.problem(i, CodeProtocolError, f.Offset, "RFC 6455 §5.4", "data-inside-message", "a new %s frame begins while the message of frame %d is still open; only continuation frames may follow a fragment without FIN", f.Type(), d.msg.Frames[0])
			d.finish(false)
		}
		d.open = true
		d.msg = Message{Type: f.Type(), Compressed: f.Rsv1 && d.opts.Deflate}
		d.addFragment(i, f)
	case OpContinuation:
		if !d.open {
			d.problem(i, CodeProtocolError, f.Offset, "RFC 6455 §5.4", "continuation-without-message", "a continuation frame arrives with no message open")
			return
		}
		d.addFragment(i, f)
	}
}

func (d *decoder) addFragment(i int, f *Frame) {
	m := &d.msg
	// Only one message is open at a time and control frames join none, so
	// the open message's indexes are always the end of the arena.
	if m.Fragments == 0 {
		d.msgStart = len(d.frameIdx)
	}
	d.frameIdx = append(d.frameIdx, i)
	m.Frames = d.frameIdx[d.msgStart:len(d.frameIdx):len(d.frameIdx)]
	// A one-frame message shares its frame's payload; fragments are
	// copied together.
	switch m.Fragments {
	case 0:
		m.Payload = f.Payload
	case 1:
		m.Payload = append(append([]byte(nil), m.Payload...), f.Payload...)
	default:
		m.Payload = append(m.Payload, f.Payload...)
	}
	m.Fragments++
	if f.Fin && f.Complete {
		d.finish(true)
	}
}

// finish closes the open message: inflate it when compressed, then check a
// text message's UTF-8 (§8.1: after reassembly and inflation).
func (d *decoder) finish(complete bool) {
	m := &d.msg
	d.open = false
	m.Complete = complete
	first := m.Frames[0]
	if m.Compressed && complete {
		out, err := d.z.inflate(m.Payload)
		switch err {
		case nil:
			m.Payload, m.Inflated = out, true
		case errTooBig:
			d.problem(first, CodeTooBig, -1, "RFC 7692 §8.2", "inflate-over-cap", "inflating message %d would exceed the %d-byte cap on inflated data; inflating stops here", len(d.res.Messages), d.opts.MaxInflated)
		case errStopped:
			d.note(first, -1, "RFC 7692 §8.2", "inflate-stopped", "message %d is not inflated: the cap on inflated data was reached earlier", len(d.res.Messages))
		default:
			d.problem(first, CodeInvalidData, -1, "RFC 7692 §6.2", "inflate-corrupt", "message %d does not inflate: %v", len(d.res.Messages), err)
		}
	}
	if m.Type == "text" && complete && (!m.Compressed || m.Inflated) {
		if off := invalidUTF8(m.Payload); off >= 0 {
			d.problem(first, CodeInvalidData, off, "RFC 6455 §8.1", "text-utf8", "text message %d is not valid UTF-8: the first bad byte is at offset %d of the message", len(d.res.Messages), off)
		}
	}
	d.res.Messages = append(d.res.Messages, *m)
}

// ProblemIDs lists every kind of problem Decode reports (Problem.ID).
var ProblemIDs = []string{
	"frames-capped",
	"problems-capped",
	"after-close",
	"client-unmasked",
	"close-code-future",
	"close-code-local",
	"close-code-over",
	"close-code-reserved",
	"close-code-unused",
	"close-one-byte",
	"close-reason-utf8",
	"continuation-without-message",
	"control-fragmented",
	"control-too-long",
	"data-inside-message",
	"inflate-corrupt",
	"inflate-over-cap",
	"inflate-stopped",
	"length-64-top-bit",
	"length-not-minimal-16",
	"length-not-minimal-64",
	"reserved-opcode",
	"rsv1-continuation",
	"rsv1-control",
	"rsv1-no-extension",
	"rsv23",
	"server-masked",
	"text-utf8",
	"truncated-header",
	"truncated-payload",
	"unfinished-message",
}
