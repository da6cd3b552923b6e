package render

import (
	"bytes"
	"compress/gzip"
	"crypto/sha256"
	"encoding/hex"
	"sync"
)

// Body is a pre-rendered response body. Its gzip form is made once, on
// first use or by Site.Compress in the background after start-up, and kept;
// no request compresses a body that was compressed before.
type Body struct {
	Plain []byte
	once  sync.Once
	gz    []byte
	tag   sync.Once
	etag  string
}

// ETag is the entity tag of the plain body: a strong validator made from a
// hash of the bytes, computed once.
func (b *Body) ETag() string {
	b.tag.Do(func() { b.etag = ETag(b.Plain) })
	return b.etag
}

// ETag is a strong entity tag for b: the first 16 bytes of its SHA-256,
// in hex and quotes.
func ETag(b []byte) string {
	sum := sha256.Sum256(b)
	return `"` + hex.EncodeToString(sum[:16]) + `"`
}

// MinGzip is the size below which a body is never compressed: the saving
// is not worth a header.
const MinGzip = 1024

// NewBody makes a Body of b.
func NewBody(b []byte) *Body { return &Body{Plain: b} }

// Gzip returns the body gzip-compressed, or nil when compression would not
// make it smaller. It is safe for concurrent use.
func (b *Body) Gzip() []byte {
	b.once.Do(func() {
		if len(b.Plain) < MinGzip {
			return
		}
		var buf bytes.Buffer
		zw, _ := gzip.NewWriterLevel(&buf, gzip.DefaultCompression)
		zw.Write(b.Plain) // writes to a bytes.Buffer do not fail
		zw.Close()
		if buf.Len() < len(b.Plain) {
			b.gz = buf.Bytes()
		}
	})
	return b.gz
}
