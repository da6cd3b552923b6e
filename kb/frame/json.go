package frame

import (
	"encoding/hex"
	"encoding/json"
	"unicode/utf8"
)

// The JSON forms follow DESIGN.md's decode API: frames[], messages[] and
// problems[]. Hex and text are made here, when encoding, never while
// decoding.

type frameJSON struct {
	Offset        int     `json:"offset"`
	Fin           bool    `json:"fin"`
	Rsv1          bool    `json:"rsv1"`
	Rsv2          bool    `json:"rsv2"`
	Rsv3          bool    `json:"rsv3"`
	Opcode        int     `json:"opcode"`
	Type          string  `json:"type"`
	Masked        bool    `json:"masked"`
	MaskKey       string  `json:"mask_key"`
	PayloadLength uint64  `json:"payload_length"`
	LengthBits    int     `json:"length_bits"`
	HeaderLength  int     `json:"header_length"`
	PayloadHex    string  `json:"payload_hex"`
	Text          *string `json:"text"`
	CloseCode     *int    `json:"close_code"`
	CloseReason   *string `json:"close_reason"`
	Complete      bool    `json:"complete"`
}

// MarshalJSON writes the frame as the decode API does.
func (f Frame) MarshalJSON() ([]byte, error) {
	j := frameJSON{
		Offset: f.Offset, Fin: f.Fin, Rsv1: f.Rsv1, Rsv2: f.Rsv2, Rsv3: f.Rsv3,
		Opcode: f.Opcode, Type: f.Type(), Masked: f.Masked,
		PayloadLength: f.PayloadLength, LengthBits: f.LengthBits, HeaderLength: f.HeaderLength,
		PayloadHex: hex.EncodeToString(f.Payload), Complete: f.Complete,
	}
	if f.Masked {
		j.MaskKey = hex.EncodeToString(f.MaskKey[:])
	}
	// Text for text frames and control frames whose payload is valid
	// UTF-8 (a compressed frame's payload is not text); for a Close frame
	// with a status code, the text is its reason.
	switch {
	case f.Opcode == OpClose && f.HasCode:
		code := f.CloseCode
		j.CloseCode = &code
		j.CloseReason = textOf(f.Payload[2:])
		j.Text = j.CloseReason
	case f.Opcode == OpText && !f.Rsv1, IsControl(f.Opcode):
		j.Text = textOf(f.Payload)
	}
	return json.Marshal(j)
}

type messageJSON struct {
	Type       string  `json:"type"`
	Compressed bool    `json:"compressed"`
	Inflated   bool    `json:"inflated"`
	Fragments  int     `json:"fragments"`
	Frames     []int   `json:"frames"`
	PayloadHex string  `json:"payload_hex"`
	Text       *string `json:"text"`
	Complete   bool    `json:"complete"`
}

// MarshalJSON writes the message as the decode API does.
func (m Message) MarshalJSON() ([]byte, error) {
	j := messageJSON{Type: m.Type, Compressed: m.Compressed, Inflated: m.Inflated, Fragments: m.Fragments,
		Frames: m.Frames, PayloadHex: hex.EncodeToString(m.Payload), Complete: m.Complete}
	if m.Type == "text" && (!m.Compressed || m.Inflated) {
		j.Text = textOf(m.Payload)
	}
	return json.Marshal(j)
}

type problemJSON struct {
	ID        string `json:"id"`
	Frame     int    `json:"frame"`
	CloseCode *int   `json:"close_code"`
	Message   string `json:"message"`
	RFC       string `json:"rfc"`
	Offset    *int   `json:"offset"`
}

// MarshalJSON writes the problem as the decode API does: close_code is null
// for a note.
func (p Problem) MarshalJSON() ([]byte, error) {
	j := problemJSON{ID: p.ID, Frame: p.Frame, Message: p.Message, RFC: p.RFC}
	if p.CloseCode != 0 {
		c := p.CloseCode
		j.CloseCode = &c
	}
	if p.Offset >= 0 {
		o := p.Offset
		j.Offset = &o
	}
	return json.Marshal(j)
}

type resultJSON struct {
	Frames   []Frame   `json:"frames"`
	Messages []Message `json:"messages"`
	Problems []Problem `json:"problems"`
}

// MarshalJSON writes the three lists, empty lists as [] rather than null.
func (r *Result) MarshalJSON() ([]byte, error) {
	j := resultJSON{r.Frames, r.Messages, r.Problems}
	if j.Frames == nil {
		j.Frames = []Frame{}
	}
	if j.Messages == nil {
		j.Messages = []Message{}
	}
	if j.Problems == nil {
		j.Problems = []Problem{}
	}
	return json.Marshal(j)
}

func textOf(b []byte) *string {
	if !utf8.Valid(b) {
		return nil
	}
	s := string(b)
	return &s
}
