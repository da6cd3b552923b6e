package frame

import (
	"bytes"
	"compress/flate"
	"errors"
	"io"
)

var (
	errTooBig  = errors.New("inflated data over the cap")
	errStopped = errors.New("inflating stopped at the cap")
)

// tail ends every message before inflating: 00 00 ff ff, which the sender
// removed (RFC 7692 §7.2.2), then an empty final stored block so that the
// decompressor stops cleanly instead of waiting for more.
var tail = []byte{0x00, 0x00, 0xff, 0xff, 0x01, 0x00, 0x00, 0xff, 0xff}

// inflater inflates the messages of one direction. With context takeover
// the LZ77 window carries over from message to message: each message is
// inflated with the previous output's last window as its dictionary.
type inflater struct {
	fr       io.ReadCloser // one decompressor, reset for each message
	takeover bool
	window   int    // bytes of history the sender may refer to
	history  []byte // the last window bytes of output
	left     int64  // bytes the cap still allows
	stopped  bool
}

func newInflater(o Options) *inflater {
	z := &inflater{takeover: true, window: 1 << 15, left: o.MaxInflated}
	bits := 0
	switch o.Role {
	case RoleClient:
		z.takeover = !o.ClientNoContextTakeover
		bits = o.ClientMaxWindowBits
	case RoleServer:
		z.takeover = !o.ServerNoContextTakeover
		bits = o.ServerMaxWindowBits
	default:
		// The sender is unknown: read as permissively as either direction
		// allows, so that a valid stream from either side inflates.
		z.takeover = !(o.ClientNoContextTakeover && o.ServerNoContextTakeover)
		if o.ClientMaxWindowBits != 0 && o.ServerMaxWindowBits != 0 {
			bits = max(o.ClientMaxWindowBits, o.ServerMaxWindowBits)
		}
	}
	if bits >= 8 && bits <= 15 {
		z.window = 1 << bits
	}
	return z
}

// inflate returns the inflated message. Output is read through a limit of
// the cap plus one byte, so a deflate bomb stops at the cap.
func (z *inflater) inflate(compressed []byte) ([]byte, error) {
	if z.stopped {
		return nil, errStopped
	}
	if len(compressed) == 0 {
		// An empty message: nothing to inflate (zlib-based receivers,
		// which feed the tail as more input, accept it too).
		return []byte{}, nil
	}
	src := io.MultiReader(bytes.NewReader(compressed), bytes.NewReader(tail))
	var dict []byte
	if z.takeover {
		dict = z.history
	}
	if z.fr == nil {
		z.fr = flate.NewReaderDict(src, dict)
	} else if err := z.fr.(flate.Resetter).Reset(src, dict); err != nil {
		return nil, err
	}
	var out bytes.Buffer
	n, err := io.Copy(&out, io.LimitReader(z.fr, z.left+1))
	if n > z.left {
		z.stopped = true
		return nil, errTooBig
	}
	if err != nil {
		return nil, err
	}
	z.left -= n
	if z.takeover {
		z.history = append(z.history, out.Bytes()...)
		if len(z.history) > z.window {
			z.history = append([]byte(nil), z.history[len(z.history)-z.window:]...)
		}
	}
	return out.Bytes(), nil
}
