package frame

import (
	"bufio"
	"bytes"
	"errors"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/gorilla/websocket"
)

// Streams for the decoding benchmarks: many 20-byte masked text frames (6
// header bytes, 14 payload bytes) and a few 64 KiB masked binary frames,
// as a client sends them.
func stream(n, size int, op int) []byte {
	payload := bytes.Repeat([]byte("abcdefghijklmn"), size/14+1)[:size]
	var out []byte
	for i := range n {
		out = append(out, enc(Spec{Fin: true, Opcode: op, Mask: true, MaskKey: [4]byte{byte(i), 0x5a, 0xa5, 0x0f}, Payload: payload})...)
	}
	return out
}

var benchStreams = []struct {
	name   string
	frames int
	data   []byte
}{
	{"20B-text", 1000, stream(1000, 14, OpText)},
	{"64KiB-binary", 16, stream(16, 64<<10, OpBinary)},
}

// BenchmarkDecode decodes the streams into frames and messages (no JSON, no
// hex), to compare with BenchmarkGorillaRead on the same bytes.
func BenchmarkDecode(b *testing.B) {
	for _, s := range benchStreams {
		b.Run(s.name, func(b *testing.B) {
			b.SetBytes(int64(len(s.data)))
			b.ReportAllocs()
			for b.Loop() {
				r := Decode(s.data, Options{Role: RoleClient})
				if len(r.Frames) != s.frames || len(r.Problems) != 0 {
					b.Fatalf("%d frames, %v", len(r.Frames), r.Problems)
				}
			}
			b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*s.frames), "ns/frame")
		})
	}
}

// BenchmarkDecodeInPlace is the same with the payloads unmasked in the
// input. The streams are masked with the key 00000000, so that unmasking in
// place leaves the input valid for the next run; unmasking costs the same
// whatever the key.
func BenchmarkDecodeInPlace(b *testing.B) {
	for _, s := range benchStreams {
		b.Run(s.name, func(b *testing.B) {
			data := zeroKeys(s.data)
			b.SetBytes(int64(len(data)))
			b.ReportAllocs()
			for b.Loop() {
				r := DecodeInPlace(data, Options{Role: RoleClient})
				if len(r.Frames) != s.frames || len(r.Problems) != 0 {
					b.Fatalf("%d frames, %v", len(r.Frames), r.Problems)
				}
			}
			b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*s.frames), "ns/frame")
		})
	}
}

// BenchmarkGorillaRead has gorilla/websocket, as a server, read the same
// streams from memory: "next" reads each message with NextReader into a
// reused buffer (its fastest path), "message" with ReadMessage (what most
// programs call). Setting up the connection is included; it is small next
// to a stream.
func BenchmarkGorillaRead(b *testing.B) {
	for _, s := range benchStreams {
		for _, mode := range []string{"next", "message"} {
			b.Run(s.name+"/"+mode, func(b *testing.B) {
				b.SetBytes(int64(len(s.data)))
				b.ReportAllocs()
				buf := make([]byte, 64<<10)
				for b.Loop() {
					c := gorillaServer(b, s.data)
					c.SetReadLimit(1 << 30)
					for range s.frames {
						if mode == "message" {
							if _, _, err := c.ReadMessage(); err != nil {
								b.Fatal(err)
							}
							continue
						}
						_, r, err := c.NextReader()
						if err != nil {
							b.Fatal(err)
						}
						for {
							if _, err := r.Read(buf); err != nil {
								if errors.Is(err, io.EOF) {
									break
								}
								b.Fatal(err)
							}
						}
					}
				}
				b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*s.frames), "ns/frame")
			})
		}
	}
}

// gorillaServer upgrades a request on a connection whose reads come from
// data and whose writes are discarded.
func gorillaServer(tb testing.TB, data []byte) *websocket.Conn {
	req := httptest.NewRequest(http.MethodGet, "http://bench/", nil)
	req.Header.Set("Connection", "Upgrade")
	req.Header.Set("Upgrade", "websocket")
	req.Header.Set("Sec-WebSocket-Version", "13")
	req.Header.Set("Sec-WebSocket-Key", "dGhlIHNhbXBsZSBub25jZQ==")
	conn := &memConn{r: bytes.NewReader(data)}
	w := &hijacker{h: http.Header{}, conn: conn}
	up := websocket.Upgrader{ReadBufferSize: 64 << 10}
	c, err := up.Upgrade(w, req, nil)
	if err != nil {
		tb.Fatal(err)
	}
	return c
}

type hijacker struct {
	h    http.Header
	conn net.Conn
}

func (w *hijacker) Header() http.Header         { return w.h }
func (w *hijacker) Write(b []byte) (int, error) { return len(b), nil }
func (w *hijacker) WriteHeader(int)             {}
func (w *hijacker) Hijack() (net.Conn, *bufio.ReadWriter, error) {
	return w.conn, bufio.NewReadWriter(bufio.NewReaderSize(w.conn, 64<<10), bufio.NewWriter(w.conn)), nil
}

type memConn struct{ r io.Reader }

func (c *memConn) Read(b []byte) (int, error)         { return c.r.Read(b) }
func (c *memConn) Write(b []byte) (int, error)        { return len(b), nil }
func (c *memConn) Close() error                       { return nil }
func (c *memConn) LocalAddr() net.Addr                { return &net.TCPAddr{} }
func (c *memConn) RemoteAddr() net.Addr               { return &net.TCPAddr{} }
func (c *memConn) SetDeadline(t time.Time) error      { return nil }
func (c *memConn) SetReadDeadline(t time.Time) error  { return nil }
func (c *memConn) SetWriteDeadline(t time.Time) error { return nil }

// zeroKeys returns a copy of a stream of masked frames with every masking
// key set to 00000000 and the payloads unmasked.
func zeroKeys(stream []byte) []byte {
	out := bytes.Clone(stream)
	r := Decode(stream, Options{})
	for _, f := range r.Frames {
		key := f.Offset + f.HeaderLength - 4
		copy(out[key:key+4], []byte{0, 0, 0, 0})
		copy(out[f.Offset+f.HeaderLength:], f.Payload)
	}
	return out
}
