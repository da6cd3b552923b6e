package frame

import (
	"fmt"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"
)

// Input forms that ParseInput recognises, reported to the user as the
// "detected form".
const (
	// FormHex is plain hex digits, optionally separated by any whitespace
	// (spaces, tabs, newlines, CRLF): "8105 48656c6c6f" or "81 05 48 65".
	// Each whitespace-separated group holds an even number of digits.
	FormHex = "hex"
	// FormPrefixed is 0x-prefixed bytes separated by whitespace and/or
	// commas: "0x81 0x05", "0x81,0x05", "0X81, 0x5". Every byte needs the
	// prefix; a trailing comma is allowed (as in `xxd -i` output).
	FormPrefixed = "0x"
	// FormEscaped is \x81\x05 as in C, Python or JS strings, bare or in
	// quotes: "\x81\x05", b'\x81\x05Hello'. Inside quotes, printable ASCII
	// characters stand for themselves.
	FormEscaped = "escaped"
	// FormArray is a C, JS, Python or Go array of 0x bytes: {0x81, 0x05},
	// [0x81, 0x05], []byte{0x81, 0x05}, new Uint8Array([0x81, 0x05]).
	FormArray = "array"
	// FormDecimalArray is an array of decimal numbers 0 to 255: [129, 5] or
	// {129, 5}. Numbers without 0x in an array are always read as decimal,
	// never as hex.
	FormDecimalArray = "decimal-array"
	// FormXXD is xxd output:
	// "00000000: 8105 4865 6c6c 6f                        ..Hello".
	FormXXD = "xxd"
	// FormHexdump is hexdump -C output:
	// "00000000  81 05 48 65 6c 6c 6f                              |..Hello|",
	// usually ending with a line that holds only the offset. Other dumps
	// with two spaces after the offset, such as Go's hex.Dump or Wireshark's
	// "Export Packet Dissections", have the same layout.
	FormHexdump = "hexdump"
	// FormWireshark is Wireshark's "Copy as Hex Dump":
	// "0000   81 05 48 65 6c 6c 6f                              ..Hello".
	FormWireshark = "wireshark"
	// FormBase64 is base64 in the standard or URL-safe alphabet, padded or
	// not, whitespace ignored. It is only used when the caller asks for the
	// "base64" encoding: detection never guesses it.
	FormBase64 = "base64"
)

// InputError says where input that is not bytes goes wrong. Line and Column
// are 1-based; Column counts characters (runes), not bytes. Offset is the
// byte offset in the input string (len(input) for "missing ..." errors at
// the end).
type InputError struct {
	Line, Column, Offset int
	Message              string
}

func (e *InputError) Error() string {
	return fmt.Sprintf("line %d, column %d: %s", e.Line, e.Column, e.Message)
}

// ParseInput turns pasted text into bytes and names the form it detected.
//
// encoding is "" or "hex" to detect among the textual forms, or "base64".
// Any other encoding is an *InputError at line 1, column 1. Input that is
// empty or only whitespace gives an empty slice and FormHex (FormBase64 when
// encoding is "base64").
//
// Detection goes by the first non-blank characters, in this order:
//   - a dump, if the first line starts with an offset of 4 or more hex
//     digits and ": " (FormXXD), or with an offset of 4 or more zeros,
//     exactly two (FormHexdump) or three (FormWireshark) spaces and a
//     two-digit byte. Every later line must carry the offset that the bytes
//     above it imply; the text column is ignored;
//   - FormPrefixed, if the input starts with "0x" or "0X";
//   - FormEscaped, if it starts with a backslash, a quote, or b or B and a
//     quote;
//   - FormHex, if the input is hex digits and whitespace only;
//   - FormArray or FormDecimalArray, if it starts with "[" or "{", or with
//     a declaration before its last "[" or "{", as in "uint8_t f[] = {",
//     "[]byte{" or "new Uint8Array([". A declaration is names and
//     punctuation; it may hold numbers only inside (), [] or <>, and no word
//     made only of hex digits ("ab", "cafe"), so that bytes are never
//     skipped as one;
//   - otherwise the input is taken for hex, and the error says where.
//
// Invalid input gives an *InputError pointing at the first bad character.
// The form is returned with the error too, so that the caller can say how
// the input was read.
func ParseInput(s string, encoding string) ([]byte, string, error) {
	t := pastedText{s}
	switch encoding {
	case "", "hex":
		return t.parse()
	case "base64":
		b, err := t.base64()
		return b, FormBase64, err
	}
	return nil, "", &InputError{Line: 1, Column: 1, Message: fmt.Sprintf(
		`unknown encoding %q: use "hex" (or leave it empty) or "base64"`, encoding)}
}

// pastedText is the input of ParseInput; its methods parse the forms.
type pastedText struct{ s string }

// hexDigitValue maps a byte to its value as a hex digit, or to 0xff.
var hexDigitValue = func() (t [256]byte) {
	for i := range t {
		t[i] = 0xff
	}
	for i := range 10 {
		t['0'+i] = byte(i)
	}
	for i := range 6 {
		t['a'+i] = byte(10 + i)
		t['A'+i] = byte(10 + i)
	}
	return t
}()

// base64Value maps a byte to its value in either base64 alphabet, or to
// 0xff.
var base64Value = func() (t [256]byte) {
	for i := range t {
		t[i] = 0xff
	}
	const std = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/"
	for i := range len(std) {
		t[std[i]] = byte(i)
	}
	t['-'], t['_'] = 62, 63
	return t
}()

// parse detects the form of a textual input and decodes it.
func (t pastedText) parse() ([]byte, string, error) {
	s := t.s
	start := t.skipSpace(0)
	if start == len(s) {
		return []byte{}, FormHex, nil
	}
	if form := t.dumpForm(start); form != "" {
		b, err := t.dump(form)
		return b, form, err
	}
	c := s[start]
	next := byte(0)
	if start+1 < len(s) {
		next = s[start+1]
	}
	switch {
	case c == '0' && (next == 'x' || next == 'X'):
		b, err := t.prefixed(start)
		return b, FormPrefixed, err
	case c == '\\' || c == '"' || c == '\'' || (c == 'b' || c == 'B') && (next == '"' || next == '\''):
		b, err := t.escaped(start)
		return b, FormEscaped, err
	}
	b, err := t.hex()
	if err == nil {
		return b, FormHex, nil
	}
	// Valid hex never holds a bracket, so an array only needs looking for
	// once hex has failed.
	if open, ok := t.arrayOpen(start); ok {
		return t.array(open)
	}
	return nil, FormHex, err
}

// hex decodes plain hex with optional whitespace between groups of digit
// pairs. It is the hot path: one allocation, and a tight loop over digit
// pairs that leaves everything else to the loop around it.
func (t pastedText) hex() ([]byte, error) {
	s := t.s
	out := make([]byte, len(s)/2)
	n := 0
	for i := 0; ; {
		k := decodeHexPairs(out[n:], s[i:])
		n, i = n+k, i+2*k
		if i == len(s) {
			return out[:n], nil
		}
		if w := t.space(i); w > 0 {
			i += w
			continue
		}
		if hexDigitValue[s[i]] > 0xf {
			return nil, t.notHex(i)
		}
		if i+1 < len(s) && t.space(i+1) == 0 {
			return nil, t.notHex(i + 1)
		}
		return nil, t.oddDigits(i)
	}
}

// decodeHexPairs decodes pairs of hex digits from the start of src into dst
// until something else comes, and returns how many it decoded. Like
// hex.Decode, it counts from zero so that the compiler can drop most bounds
// checks.
func decodeHexPairs(dst []byte, src string) int {
	n := 0
	for j := 1; j < len(src); j += 2 {
		hi, lo := hexDigitValue[src[j-1]], hexDigitValue[src[j]]
		if hi > 0xf || lo > 0xf {
			break
		}
		dst[n] = hi<<4 | lo
		n++
	}
	return n
}

// maxOffsetDigits is the longest dump offset accepted: 16 hex digits.
const maxOffsetDigits = 16

// dumpForm says which dump layout the line starting at i has, or "". An xxd
// line is an offset of 4 or more hex digits followed by ": "; hexdump -C and
// Wireshark lines start with an offset of 4 or more zeros followed by
// exactly two (hexdump -C) or three (Wireshark) spaces and a byte.
func (t pastedText) dumpForm(i int) string {
	s := t.s
	j := i
	for j < len(s) && j-i <= maxOffsetDigits && hexDigitValue[s[j]] < 0x10 {
		j++
	}
	if n := j - i; n < 4 || n > maxOffsetDigits {
		return ""
	}
	rest := s[j:]
	switch {
	case strings.HasPrefix(rest, ": "):
		return FormXXD
	case strings.Trim(s[i:j], "0") != "":
		return ""
	case strings.HasPrefix(rest, "   ") && t.isDumpByte(j+3):
		return FormWireshark
	case strings.HasPrefix(rest, "  ") && t.isDumpByte(j+2):
		return FormHexdump
	}
	return ""
}

// isDumpByte reports whether two hex digits start at i and are followed by
// a space or the end of the line.
func (t pastedText) isDumpByte(i int) bool {
	s := t.s
	if i+1 >= len(s) || hexDigitValue[s[i]] > 0xf || hexDigitValue[s[i+1]] > 0xf {
		return false
	}
	return i+2 == len(s) || s[i+2] == ' ' || s[i+2] == '\r' || s[i+2] == '\n'
}

// dump decodes a whole dump in the given form, line by line.
func (t pastedText) dump(form string) ([]byte, error) {
	s := t.s
	out := make([]byte, 0, len(s)/2)
	next, first := 0, true
	for start := 0; start < len(s); {
		lineEnd := len(s)
		if nl := strings.IndexByte(s[start:], '\n'); nl >= 0 {
			lineEnd = start + nl
		}
		end := lineEnd
		if end > start && s[end-1] == '\r' {
			end--
		}
		var err error
		if out, next, err = t.dumpLine(form, start, end, out, next, first); err != nil {
			return nil, err
		}
		if strings.TrimLeft(s[start:end], " \t") != "" {
			first = false
		}
		start = lineEnd + 1
	}
	return out, nil
}

// dumpTool names the program that writes each dump form, for messages.
var dumpTool = map[string]string{
	FormXXD:       "xxd",
	FormHexdump:   "hexdump -C",
	FormWireshark: "Wireshark",
}

// dumpSeparator is what separates the offset from the bytes in each form.
var dumpSeparator = map[string]string{
	FormXXD:       ": ",
	FormHexdump:   "  ",
	FormWireshark: "   ",
}

// dumpLine decodes the dump line s[i:end], appending its bytes to out. next
// is the offset the line must have; dumpLine returns the one the following
// line must have. Lines with only whitespace carry nothing; lines with only
// an offset carry no bytes.
func (t pastedText) dumpLine(form string, i, end int, out []byte, next int, first bool) ([]byte, int, error) {
	s := t.s
	tool := dumpTool[form]
	for i < end && (s[i] == ' ' || s[i] == '\t') {
		i++
	}
	if i == end {
		return out, next, nil
	}
	if s[i] == '*' {
		fix := "dump again with hexdump -C -v"
		if form == FormXXD {
			fix = "dump again without xxd -a"
		}
		return nil, 0, t.errorf(i, `"*" stands for repeated lines that were left out: %s`, fix)
	}
	j := i
	for j < end && hexDigitValue[s[j]] < 0x10 {
		j++
	}
	if j == i {
		return nil, 0, t.errorf(i, "expected an offset: every line of the dump starts with one")
	}
	if off, err := strconv.ParseUint(s[i:j], 16, 64); err != nil || off != uint64(next) {
		if first {
			return nil, 0, t.errorf(i, "the dump starts at offset %s: paste it from its first line, at offset 0", s[i:j])
		}
		return nil, 0, t.errorf(i, "offset %s does not follow from the bytes above: expected %0*x",
			shorten(s[i:j]), j-i, next)
	}
	rest := strings.TrimRight(s[j:end], " ")
	if rest == "" || form == FormXXD && rest == ":" {
		return out, next, nil
	}
	sep := dumpSeparator[form]
	k := j + len(sep)
	if !strings.HasPrefix(s[j:end], sep) || k == end || s[k] == ' ' {
		return nil, 0, t.errorf(j, "expected %q after the offset, as %s writes it", sep, tool)
	}
	before := len(out)
	var err error
	if form == FormXXD {
		out, err = t.xxdBytes(k, end, out)
	} else {
		out, err = t.byteColumn(k, end, out, tool)
	}
	if err != nil {
		return nil, 0, err
	}
	return out, next + len(out) - before, nil
}

// xxdBytes decodes xxd's hex column starting at i: groups of hex digit
// pairs separated by one space. Two spaces start the text column, which is
// ignored.
func (t pastedText) xxdBytes(i, end int, out []byte) ([]byte, error) {
	s := t.s
	for {
		g := i
		for i < end && hexDigitValue[s[i]] < 0x10 {
			i++
		}
		if i < end && s[i] != ' ' {
			return nil, t.notHex(i)
		}
		if (i-g)%2 == 1 {
			return nil, t.errorf(i-1, "odd number of hex digits in this group: the byte is incomplete")
		}
		for p := g; p < i; p += 2 {
			out = append(out, hexDigitValue[s[p]]<<4|hexDigitValue[s[p+1]])
		}
		if i+1 >= end || s[i+1] == ' ' {
			return out, nil
		}
		i++
	}
}

// byteColumn decodes the hex column of hexdump -C and Wireshark starting at
// i: up to 16 two-digit bytes separated by one space, with an optional
// extra space after the eighth. Any other gap starts the text column, which
// is ignored.
func (t pastedText) byteColumn(i, end int, out []byte, tool string) ([]byte, error) {
	s := t.s
	for count := 1; ; count++ {
		if hexDigitValue[s[i]] > 0xf {
			return nil, t.notHex(i)
		}
		if i+1 == end || s[i+1] == ' ' {
			return nil, t.errorf(i, "a byte needs two hex digits")
		}
		if hexDigitValue[s[i+1]] > 0xf {
			return nil, t.notHex(i + 1)
		}
		out = append(out, hexDigitValue[s[i]]<<4|hexDigitValue[s[i+1]])
		i += 2
		if i == end {
			return out, nil
		}
		if s[i] != ' ' {
			if hexDigitValue[s[i]] < 0x10 {
				return nil, t.errorf(i, "expected a space: %s writes one byte (two hex digits) per group", tool)
			}
			return nil, t.notHex(i)
		}
		gap := i
		for i < end && s[i] == ' ' {
			i++
		}
		switch {
		case i == end:
			return out, nil
		case i-gap == 1 && count == 16:
			return nil, t.errorf(i, "more than 16 bytes on one line")
		case i-gap == 1, i-gap == 2 && count == 8 && t.isDumpByte(i):
			continue
		}
		return out, nil
	}
}

// prefixed decodes 0x bytes separated by whitespace and/or a comma.
func (t pastedText) prefixed(i int) ([]byte, error) {
	s := t.s
	out := make([]byte, 0, len(s)/3+1)
	afterByte := false
	for {
		i = t.skipSpace(i)
		if i == len(s) {
			return out, nil
		}
		switch c := s[i]; {
		case c == ',' && afterByte:
			afterByte = false
			i++
		case c == ',':
			return nil, t.errorf(i, `missing byte before ","`)
		case c == '0' && i+1 < len(s) && (s[i+1] == 'x' || s[i+1] == 'X'):
			var b byte
			var err error
			if b, i, err = t.hexByte(i); err != nil {
				return nil, err
			}
			out = append(out, b)
			afterByte = true
		case isWordChar(c):
			j := i
			for j < len(s) && isWordChar(s[j]) {
				j++
			}
			return nil, t.errorf(i, "%q has no 0x prefix: in this form every byte needs one", shorten(s[i:j]))
		default:
			return nil, t.errorf(i, "unexpected %s", t.char(i))
		}
	}
}

// hexByte decodes "0x" and one or two hex digits at i, returning the byte
// and the offset after it.
func (t pastedText) hexByte(i int) (byte, int, error) {
	s := t.s
	j := i + 2
	for j < len(s) && hexDigitValue[s[j]] < 0x10 {
		j++
	}
	switch n := j - i - 2; {
	case n > 2:
		return 0, 0, t.errorf(i+4, "more than two hex digits after %q: a byte has two at most", s[i:i+2])
	case j < len(s) && isWordChar(s[j]):
		return 0, 0, t.notHex(j)
	case n == 0:
		return 0, 0, t.errorf(i, "%q with no hex digits", s[i:i+2])
	case n == 1:
		return hexDigitValue[s[i+2]], j, nil
	}
	return hexDigitValue[s[i+2]]<<4 | hexDigitValue[s[i+3]], j, nil
}

// decimalByte decodes a decimal number 0 to 255 at i, returning the byte and
// the offset after it.
func (t pastedText) decimalByte(i int) (byte, int, error) {
	s := t.s
	j, v := i, 0
	for j < len(s) && s[j] >= '0' && s[j] <= '9' {
		if v <= 255 {
			v = v*10 + int(s[j]-'0')
		}
		j++
	}
	switch {
	case j-i > 1 && s[i] == '0':
		return 0, 0, t.errorf(i, "%q has a leading zero: write decimal numbers without one, or hex bytes as 0x..", shorten(s[i:j]))
	case v > 255:
		return 0, 0, t.errorf(i, "%s is not a byte: decimal numbers must be 0 to 255", shorten(s[i:j]))
	case j < len(s) && isWordChar(s[j]):
		return 0, 0, t.errorf(j, "%s is not a decimal digit", t.char(j))
	}
	return byte(v), j, nil
}

// arrayOpen finds the opening bracket of an array that starts at start: the
// last "[" or "{" of the input if everything before it is a declaration,
// else a bracket at start.
func (t pastedText) arrayOpen(start int) (int, bool) {
	s := t.s
	if last := strings.LastIndexAny(s, "[{"); last >= start && isDeclaration(s[start:last]) {
		return last, true
	}
	if s[start] == '[' || s[start] == '{' {
		return start, true
	}
	return 0, false
}

// isDeclaration reports whether d looks like code that declares an array,
// such as "uint8_t frame[11] =", "[]byte", "let a: [u8; 2] =" or
// "new Uint8Array(" (or Node's "Uint8Array(11)"), and holds nothing that
// looks like bytes: it needs a name, numbers may appear only inside (), []
// or <>, and no word may be made only of hex digits ("ab", "cafe").
func isDeclaration(d string) bool {
	depth, named := 0, false
	for i := 0; i < len(d); {
		c := d[i]
		switch {
		case isWordChar(c):
			j := i
			for j < len(d) && isWordChar(d[j]) {
				j++
			}
			word := d[i:j]
			if c >= '0' && c <= '9' {
				if depth == 0 || strings.Trim(word, "0123456789") != "" {
					return false
				}
			} else if len(word) >= 2 && strings.Trim(word, "0123456789abcdefABCDEF") == "" {
				return false
			} else {
				named = true
			}
			i = j
			continue
		case c == '(' || c == '[' || c == '<':
			depth++
		case c == ')' || c == ']' || c == '>':
			if depth == 0 {
				return false
			}
			depth--
		case strings.IndexByte(" \t\r\n.=:;,*&$", c) < 0:
			return false
		}
		i++
	}
	return named
}

// array decodes the array whose opening bracket is at open: numbers
// separated by commas, an optional trailing comma, the closing bracket, and
// nothing after it but ")", ";", "," and whitespace.
func (t pastedText) array(open int) ([]byte, string, error) {
	s := t.s
	closer := "]"
	if s[open] == '{' {
		closer = "}"
	}
	out := make([]byte, 0, (len(s)-open)/2)
	form := FormArray
	afterNumber := false
	i := open + 1
	for {
		i = t.skipSpace(i)
		if i == len(s) {
			return nil, form, t.errorf(i, "missing closing %q", closer)
		}
		c := s[i]
		switch {
		case c == closer[0]:
			for i = t.skipSpace(i + 1); i < len(s); i = t.skipSpace(i + 1) {
				if s[i] != ')' && s[i] != ';' && s[i] != ',' {
					return nil, form, t.errorf(i, "unexpected %s after the closing %q", t.char(i), closer)
				}
			}
			return out, form, nil
		case c == ']' || c == '}':
			return nil, form, t.errorf(i, "%q does not match the opening %q", s[i:i+1], s[open:open+1])
		case c == ',' && afterNumber:
			afterNumber = false
			i++
		case c == ',':
			return nil, form, t.errorf(i, `missing number before ","`)
		case afterNumber:
			return nil, form, t.errorf(i, "expected \",\" or %q, found %s", closer, t.char(i))
		case c >= '0' && c <= '9':
			isHex := c == '0' && i+1 < len(s) && (s[i+1] == 'x' || s[i+1] == 'X')
			if len(out) == 0 && !isHex {
				form = FormDecimalArray
			}
			if isHex && form == FormDecimalArray {
				return nil, form, t.errorf(i, "hex number in an array of decimal numbers: write them all one way")
			}
			if !isHex && form == FormArray {
				return nil, form, t.errorf(i, "decimal number in an array of 0x bytes: write them all one way")
			}
			var b byte
			var err error
			if isHex {
				b, i, err = t.hexByte(i)
			} else {
				b, i, err = t.decimalByte(i)
			}
			if err != nil {
				return nil, form, err
			}
			out = append(out, b)
			afterNumber = true
		case c == '-':
			return nil, form, t.errorf(i, "negative number: bytes are 0 to 255")
		default:
			return nil, form, t.errorf(i, "unexpected %s in the array", t.char(i))
		}
	}
}

// escaped decodes \ escapes, bare or in quoted strings.
func (t pastedText) escaped(i int) ([]byte, error) {
	s := t.s
	out := make([]byte, 0, len(s)/4+1)
	var err error
	if s[i] == '\\' {
		for {
			if i = t.skipSpace(i); i == len(s) {
				return out, nil
			}
			if s[i] != '\\' {
				return nil, t.errorf(i, `%s outside quotes: only escapes such as \x81 may appear there; put text in quotes`, t.char(i))
			}
			if out, i, err = t.escape(i, out); err != nil {
				return nil, err
			}
		}
	}
	firstQuote, literals, byteEscapes := -1, 0, 0
	needString := false
	for {
		i = t.skipSpace(i)
		if i == len(s) {
			if needString {
				return nil, t.errorf(i, `missing string after "+"`)
			}
			break
		}
		if firstQuote >= 0 && !needString {
			if s[i] == '+' {
				needString = true
				i++
				continue
			}
			if s[i] == '\\' && t.lineEndsAfter(i+1) {
				i++
				continue
			}
		}
		if (s[i] == 'b' || s[i] == 'B') && i+1 < len(s) && (s[i+1] == '"' || s[i+1] == '\'') {
			i++ // Python bytes prefix
		}
		q := s[i]
		if q != '"' && q != '\'' {
			return nil, t.errorf(i, "expected a quoted string, found %s", t.char(i))
		}
		if firstQuote < 0 {
			firstQuote = i
		}
		needString = false
		for i++; i < len(s) && s[i] != q; {
			switch c := s[i]; {
			case c == '\\':
				if i+1 < len(s) && (s[i+1] == 'x' || s[i+1] >= '0' && s[i+1] <= '7') {
					byteEscapes++
				}
				if out, i, err = t.escape(i, out); err != nil {
					return nil, err
				}
			case c == '\n' || c == '\r':
				return nil, t.errorf(i, "missing closing %c", q)
			case c >= 0x20 && c < 0x7f:
				literals++
				out = append(out, c)
				i++
			case c >= utf8.RuneSelf:
				return nil, t.errorf(i, `%s is not ASCII: write its bytes as \x escapes`, t.char(i))
			default:
				return nil, t.errorf(i, `%s must be written as an escape such as \x%02x`, t.char(i), c)
			}
		}
		if i == len(s) {
			return nil, t.errorf(i, "missing closing %c", q)
		}
		i++
	}
	// Frames are mostly not text: quotes without a single byte escape most
	// likely hold hex or base64, which must not be read as characters.
	if byteEscapes == 0 && literals > 0 {
		return nil, t.errorf(firstQuote, `quoted text without any byte escape such as \x81: remove the quotes if it is hex, or use the base64 encoding if it is base64`)
	}
	return out, nil
}

// lineEndsAfter reports whether only spaces follow i before the end of the
// line or input.
func (t pastedText) lineEndsAfter(i int) bool {
	s := t.s
	for ; i < len(s) && s[i] != '\n'; i++ {
		if s[i] != ' ' && s[i] != '\t' && s[i] != '\r' {
			return false
		}
	}
	return true
}

// escape decodes the escape at i (a backslash), appending its byte to out
// and returning the offset after it. Backslash-newline (line continuation)
// gives no byte.
func (t pastedText) escape(i int, out []byte) ([]byte, int, error) {
	s := t.s
	if i+1 == len(s) {
		return nil, 0, t.errorf(i, `"\" at the end: the escape is incomplete`)
	}
	switch c := s[i+1]; {
	case c == 'x':
		for k := i + 2; k < i+4; k++ {
			if k == len(s) || hexDigitValue[s[k]] > 0xf {
				return nil, 0, t.errorf(k, `"\x" needs two hex digits`)
			}
		}
		return append(out, hexDigitValue[s[i+2]]<<4|hexDigitValue[s[i+3]]), i + 4, nil
	case c >= '0' && c <= '7':
		k, v := i+1, 0
		for k < len(s) && k < i+4 && s[k] >= '0' && s[k] <= '7' {
			v = v*8 + int(s[k]-'0')
			k++
		}
		if v > 255 {
			return nil, 0, t.errorf(i, "octal escape %q is over 255", s[i:k])
		}
		return append(out, byte(v)), k, nil
	case c == '\n':
		return out, i + 2, nil
	case c == '\r' && i+2 < len(s) && s[i+2] == '\n':
		return out, i + 3, nil
	default:
		// The escapes that C, Python and JS agree on.
		if k := strings.IndexByte(`nrt\'"abfv`, c); k >= 0 {
			return append(out, "\n\r\t\\'\"\a\b\f\v"[k]), i + 2, nil
		}
	}
	_, n := utf8.DecodeRuneInString(s[i+1:])
	return nil, 0, t.errorf(i, `unknown escape %q: write bytes as \x81`, s[i:i+1+n])
}

// base64 decodes base64 in the standard or URL-safe alphabet (not both),
// with optional padding, ignoring whitespace.
func (t pastedText) base64() ([]byte, error) {
	s := t.s
	out := make([]byte, 0, len(s)/4*3+3)
	var acc uint32
	n, pad, last := 0, 0, 0 // characters in the current group, "=" seen, offset of the last character
	alphabet := -1          // offset of the first character only in one alphabet
	for i := 0; i < len(s); {
		if w := t.space(i); w > 0 {
			i += w
			continue
		}
		c := s[i]
		switch v := base64Value[c]; {
		case c == '=' && n >= 2 && pad < 4-n:
			pad++
		case c == '=':
			return nil, t.errorf(i, `unexpected "="`)
		case v > 63:
			return nil, t.errorf(i, "%s is not a base64 character", t.char(i))
		case pad > 0:
			return nil, t.errorf(i, `%s after the "=" padding`, t.char(i))
		default:
			if c == '+' || c == '/' || c == '-' || c == '_' {
				if alphabet < 0 {
					alphabet = i
				} else if std := s[alphabet] == '+' || s[alphabet] == '/'; std != (c == '+' || c == '/') {
					return nil, t.errorf(i, "%s and the %q before it are from different base64 alphabets", t.char(i), s[alphabet:alphabet+1])
				}
			}
			acc = acc<<6 | uint32(v)
			n++
			last = i
			if n == 4 {
				out = append(out, byte(acc>>16), byte(acc>>8), byte(acc))
				acc, n = 0, 0
			}
		}
		i++
	}
	switch n {
	case 1:
		return nil, t.errorf(last, "a base64 group cannot end with a single character: the input is cut short")
	case 2:
		out = append(out, byte(acc>>4))
	case 3:
		out = append(out, byte(acc>>10), byte(acc>>2))
	}
	return out, nil
}

// space returns the width in bytes of the whitespace character at i, or 0.
// Unicode spaces count, as pasted text often holds no-break spaces.
func (t pastedText) space(i int) int {
	if c := t.s[i]; c < utf8.RuneSelf {
		return int(asciiSpace[c])
	}
	return t.unicodeSpace(i)
}

// asciiSpace marks the ASCII whitespace characters.
var asciiSpace = [utf8.RuneSelf]byte{'\t': 1, '\n': 1, '\v': 1, '\f': 1, '\r': 1, ' ': 1}

// unicodeSpace is space for a non-ASCII character.
func (t pastedText) unicodeSpace(i int) int {
	if r, n := utf8.DecodeRuneInString(t.s[i:]); unicode.IsSpace(r) {
		return n
	}
	return 0
}

// skipSpace returns the offset of the first non-whitespace character at or
// after i, or len(s).
func (t pastedText) skipSpace(i int) int {
	for i < len(t.s) {
		w := t.space(i)
		if w == 0 {
			break
		}
		i += w
	}
	return i
}

// isWordChar reports whether c is an ASCII letter, digit or underscore.
func isWordChar(c byte) bool {
	return c >= '0' && c <= '9' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c == '_'
}

// char quotes the character at i for a message.
func (t pastedText) char(i int) string {
	_, n := utf8.DecodeRuneInString(t.s[i:])
	return strconv.Quote(t.s[i : i+n])
}

// shorten shortens s for a message.
func shorten(s string) string {
	const limit = 16
	if len(s) <= limit {
		return s
	}
	i := limit
	for i > 0 && !utf8.RuneStart(s[i]) {
		i--
	}
	return s[:i] + "…"
}

func (t pastedText) notHex(i int) error {
	return t.errorf(i, "%s is not a hex digit", t.char(i))
}

// oddDigits reports the unpaired hex digit at i.
func (t pastedText) oddDigits(i int) error {
	if t.skipSpace(i+1) == len(t.s) {
		return t.errorf(i, "odd number of hex digits: the last byte is incomplete")
	}
	return t.errorf(i, "odd number of hex digits in this group: the byte is incomplete")
}

// errorf returns an *InputError at byte offset off.
func (t pastedText) errorf(off int, format string, args ...any) error {
	before := t.s[:off]
	lineStart := strings.LastIndexByte(before, '\n') + 1
	return &InputError{
		Line:    strings.Count(before, "\n") + 1,
		Column:  utf8.RuneCountInString(before[lineStart:]) + 1,
		Offset:  off,
		Message: fmt.Sprintf(format, args...),
	}
}
