package frame

import (
	"bytes"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"fmt"
	"math/rand/v2"
	"strings"
	"testing"
	"unicode/utf8"
)

// Frames used as samples below.
const (
	// helloHex is RFC 6455 §5.7: a single-frame unmasked text message "Hello".
	helloHex = "810548656c6c6f"
	// maskedHex is RFC 6455 §5.7: a single-frame masked text message "Hello".
	maskedHex = "818537fa213d7f9f4d5158"
	// trickyHex is a 41-byte text frame whose payload looks like bytes in
	// every form: "cafe 81 05 |ab cd| 0x48, [65] {6c} \x6f".
	trickyHex = "812763616665203831203035207c61622063647c20307834382c205b3635" +
		"5d207b36637d205c783666"
	// binaryHex is a 24-byte binary frame: two dump lines, the last of
	// exactly 8 bytes.
	binaryHex = "8216576562536f636b65740000000000000048656c6c6f20"
	// longHex is a 130-byte text frame with a 16-bit extended length
	// (81 7e 00 7e): nine Wireshark lines.
	longHex = "817e007e576562536f636b6574206672616d657320776974682031323620746f20" +
		"3635353335207061796c6f616420627974657320757365207468652031362d626974" +
		"20657874656e646564206c656e6774683a20307837652c207468656e2074776f2062" +
		"79746573202868657265203030203765292e207b6f6b7d7c2e2e2e2e2e"
)

// Dumps of the samples, as the tools on a Linux machine print them (xxd and
// hexdump -C); the Wireshark ones follow its "Copy as Hex Dump" code.
const (
	trickyXXD = `00000000: 8127 6361 6665 2038 3120 3035 207c 6162  .'cafe 81 05 |ab
00000010: 2063 647c 2030 7834 382c 205b 3635 5d20   cd| 0x48, [65] 
00000020: 7b36 637d 205c 7836 66                   {6c} \x6f
`
	trickyHexdump = `00000000  81 27 63 61 66 65 20 38  31 20 30 35 20 7c 61 62  |.'cafe 81 05 |ab|
00000010  20 63 64 7c 20 30 78 34  38 2c 20 5b 36 35 5d 20  | cd| 0x48, [65] |
00000020  7b 36 63 7d 20 5c 78 36  66                       |{6c} \x6f|
00000029
`
	binaryXXD = `00000000: 8216 5765 6253 6f63 6b65 7400 0000 0000  ..WebSocket.....
00000010: 0000 4865 6c6c 6f20                      ..Hello 
`
	binaryHexdump = `00000000  82 16 57 65 62 53 6f 63  6b 65 74 00 00 00 00 00  |..WebSocket.....|
00000010  00 00 48 65 6c 6c 6f 20                           |..Hello |
00000018
`
	maskedXXD     = "00000000: 8185 37fa 213d 7f9f 4d51 58              ..7.!=..MQX\n"
	maskedHexdump = "00000000  81 85 37 fa 21 3d 7f 9f  4d 51 58                 |..7.!=..MQX|\n0000000b\n"
	longWireshark = `0000   81 7e 00 7e 57 65 62 53 6f 63 6b 65 74 20 66 72   .~.~WebSocket fr
0010   61 6d 65 73 20 77 69 74 68 20 31 32 36 20 74 6f   ames with 126 to
0020   20 36 35 35 33 35 20 70 61 79 6c 6f 61 64 20 62    65535 payload b
0030   79 74 65 73 20 75 73 65 20 74 68 65 20 31 36 2d   ytes use the 16-
0040   62 69 74 20 65 78 74 65 6e 64 65 64 20 6c 65 6e   bit extended len
0050   67 74 68 3a 20 30 78 37 65 2c 20 74 68 65 6e 20   gth: 0x7e, then 
0060   74 77 6f 20 62 79 74 65 73 20 28 68 65 72 65 20   two bytes (here 
0070   30 30 20 37 65 29 2e 20 7b 6f 6b 7d 7c 2e 2e 2e   00 7e). {ok}|...
0080   2e 2e                                             ..
`
	// trickyWireshark is Wireshark's "…as Hex Dump" without the text column.
	trickyWireshark = `0000   81 27 63 61 66 65 20 38 31 20 30 35 20 7c 61 62
0010   20 63 64 7c 20 30 78 34 38 2c 20 5b 36 35 5d 20
0020   7b 36 63 7d 20 5c 78 36 66
`
)

func decodeHexSample(t testing.TB, s string) []byte {
	t.Helper()
	b, err := hex.DecodeString(s)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func TestParseInput(t *testing.T) {
	tests := []struct {
		name, in, encoding string
		want               string // hex
		form               string
	}{
		// Plain hex.
		{"hex", helloHex, "", helloHex, FormHex},
		{"hex encoding", helloHex, "hex", helloHex, FormHex},
		{"hex groups", "8105 48656c6c6f", "", helloHex, FormHex},
		{"hex bytes", "81 05 48 65 6c 6c 6f", "", helloHex, FormHex},
		{"hex uppercase", "81 85 37 FA 21 3D 7F 9F 4D 51 58", "", maskedHex, FormHex},
		{"hex CRLF", "81 05\r\n48 65\r\n6c 6c 6f\r\n", "", helloHex, FormHex},
		{"hex tabs and padding", " \t\n 81\t05\t48 65  6c\n\n6c 6f \n\t", "", helloHex, FormHex},
		{"hex no-break spaces", "81\u00a005\u00a048656c6c6f", "", helloHex, FormHex},
		{"xxd -p", "812763616665203831203035207c61622063647c20307834382c205b3635\n5d207b36637d205c783666\n", "", trickyHex, FormHex},
		{"od -An -tx1", " 81 05 48 65 6c 6c 6f\n", "", helloHex, FormHex},
		{"empty", "", "", "", FormHex},
		{"only whitespace", " \r\n\t ", "hex", "", FormHex},
		{"four zeros then one space is hex", "0000 8105", "", "00008105", FormHex},
		{"zeros then a group is hex", "00000000  8105", "", "000000008105", FormHex},
		{"zeros, single spaces", "00 00 00 00 81 05\n00 00 48 65", "", "0000000081050000" + "4865", FormHex},

		// 0x bytes.
		{"0x spaces", "0x81 0x05 0x48 0x65 0x6c 0x6c 0x6f", "", helloHex, FormPrefixed},
		{"0x commas", "0x81,0x05,0x48,0x65,0x6c,0x6c,0x6f", "", helloHex, FormPrefixed},
		{"0x mixed case, one digit", "0X81, 0x5, 0x48,0x65, 0x6C,\t0x6c, 0x6F", "", helloHex, FormPrefixed},
		{"0x trailing comma", "0x81, 0x05,", "", "8105", FormPrefixed},
		{"xxd -i from stdin", "  0x81, 0x27, 0x63, 0x61, 0x66, 0x65, 0x20, 0x38, 0x31, 0x20, 0x30, 0x35,\n" +
			"  0x20, 0x7c, 0x61, 0x62, 0x20, 0x63, 0x64, 0x7c, 0x20, 0x30, 0x78, 0x34,\n" +
			"  0x38, 0x2c, 0x20, 0x5b, 0x36, 0x35, 0x5d, 0x20, 0x7b, 0x36, 0x63, 0x7d,\n" +
			"  0x20, 0x5c, 0x78, 0x36, 0x66\n", "", trickyHex, FormPrefixed},

		// Escaped strings.
		{"escaped bare", `\x81\x05\x48\x65\x6c\x6c\x6f`, "", helloHex, FormEscaped},
		{"escaped bare with spaces", "\\x81 \\x05\n\\x48\\x65\\x6c\\x6c\\x6f\n", "", helloHex, FormEscaped},
		{"escaped double quotes", `"\x81\x05\x48\x65\x6c\x6c\x6f"`, "", helloHex, FormEscaped},
		{"escaped single quotes uppercase", `'\x81\x85\x37\xFA\x21\x3D\x7F\x9F\x4D\x51\x58'`, "", maskedHex, FormEscaped},
		{"python bytes repr", `b'\x81\x05Hello'`, "", helloHex, FormEscaped},
		// \x857 is \x85 then "7": escapes take exactly two digits.
		{"python bytes repr masked", `b'\x81\x857\xfa!=\x7f\x9fMQX'`, "", maskedHex, FormEscaped},
		{"python repr escapes", `b"\x81\x07it's\n\t\\\""`, "", "810769742773" + "0a095c22", FormEscaped},
		{"octal escapes", `"\201\5\0\377"`, "", "810500ff", FormEscaped},
		{"C adjacent strings", "\"\\x81\\x05\"\n\"Hello\"", "", helloHex, FormEscaped},
		{"JS concatenation", `"\x81\x05" + "Hello"`, "", helloHex, FormEscaped},
		{"Wireshark escaped string", "\"\\x81\\x7e\\x00\\x7e\\x57\\x65\\x62\\x53\\x6f\\x63\\x6b\\x65\\x74\\x20\\x66\\x72\" \\\n" +
			"\"\\x61\\x6d\\x65\\x73\"\n", "", longHex[:40], FormEscaped},
		{"line continuation in a string", "\"\\x81\\x05Hel\\\r\nlo\"", "", helloHex, FormEscaped},
		{"empty quotes", `""`, "", "", FormEscaped},

		// Arrays of 0x bytes.
		{"C braces", "{0x81, 0x05, 0x48, 0x65, 0x6c, 0x6c, 0x6f}", "", helloHex, FormArray},
		{"JS brackets", "[0x81, 0x05, 0x48, 0x65, 0x6c, 0x6c, 0x6f]", "", helloHex, FormArray},
		{"trailing comma", "[0x81, 0x05,\n]", "", "8105", FormArray},
		{"Go slice", "[]byte{0x81, 0x05, 0x48, 0x65, 0x6c, 0x6c, 0x6f}", "", helloHex, FormArray},
		{"Go array", "var frame = [...]byte{\n\t0x81, 0x05,\n\t0x48, 0x65, 0x6c, 0x6c, 0x6f,\n}\n", "", helloHex, FormArray},
		{"Uint8Array", "new Uint8Array([0x81, 0x05, 0x48, 0x65, 0x6c, 0x6c, 0x6f]);", "", helloHex, FormArray},
		{"Python bytes()", "bytes([0x81, 0x85, 0x37, 0xfa, 0x21, 0x3d, 0x7f, 0x9f, 0x4d, 0x51, 0x58])", "", maskedHex, FormArray},
		{"Rust", "let frame: [u8; 2] = [0x81, 0x05];", "", "8105", FormArray},
		{"C sized", "static const uint8_t frame[11] = {0x81, 0x85, 0x37, 0xfa, 0x21, 0x3d, 0x7f, 0x9f, 0x4d, 0x51, 0x58};", "", maskedHex, FormArray},
		{"xxd -i", "unsigned char f1_bin[] = {\n" +
			"  0x81, 0x27, 0x63, 0x61, 0x66, 0x65, 0x20, 0x38, 0x31, 0x20, 0x30, 0x35,\n" +
			"  0x20, 0x7c, 0x61, 0x62, 0x20, 0x63, 0x64, 0x7c, 0x20, 0x30, 0x78, 0x34,\n" +
			"  0x38, 0x2c, 0x20, 0x5b, 0x36, 0x35, 0x5d, 0x20, 0x7b, 0x36, 0x63, 0x7d,\n" +
			"  0x20, 0x5c, 0x78, 0x36, 0x66\n};\n", "", trickyHex, FormArray},
		{"CRLF array", "{\r\n  0x81, 0x05\r\n}\r\n", "", "8105", FormArray},
		{"empty array", "[]", "", "", FormArray},

		// Arrays of decimal numbers.
		{"decimal brackets", "[129, 5, 72, 101, 108, 108, 111]", "", helloHex, FormDecimalArray},
		{"decimal braces", "{129, 5}", "", "8105", FormDecimalArray},
		{"decimal range", "[0, 9, 10, 255]", "", "00090aff", FormDecimalArray},
		{"decimal that looks like hex", "[81, 5, 48, 65]", "", "51053041", FormDecimalArray},
		{"Node Uint8Array", "Uint8Array(11) [\n  129, 133,  55, 250, 33,\n   61, 127, 159,  77, 81,\n   88\n]", "", maskedHex, FormDecimalArray},

		// Dumps.
		{"xxd", trickyXXD, "", trickyHex, FormXXD},
		{"xxd masked", maskedXXD, "", maskedHex, FormXXD},
		{"xxd 8-byte last line", binaryXXD, "", binaryHex, FormXXD},
		{"xxd CRLF", strings.ReplaceAll(trickyXXD, "\n", "\r\n"), "", trickyHex, FormXXD},
		{"xxd indented", "\n    " + strings.ReplaceAll(strings.TrimSuffix(trickyXXD, "\n"), "\n", "\n    "), "", trickyHex, FormXXD},
		{"xxd -g1", "00000000: 81 05 48 65 6c 6c 6f                             ..Hello\n", "", helloHex, FormXXD},
		{"xxd without text column", "00000000: 8127 6361 6665 2038 3120 3035 207c 6162\n" +
			"00000010: 2063 647c 2030 7834 382c 205b 3635 5d20\n00000020: 7b36 637d 205c 7836 66", "", trickyHex, FormXXD},
		{"hexdump", trickyHexdump, "", trickyHex, FormHexdump},
		{"hexdump masked", maskedHexdump, "", maskedHex, FormHexdump},
		{"hexdump 8-byte last line", binaryHexdump, "", binaryHex, FormHexdump},
		{"hexdump CRLF", strings.ReplaceAll(trickyHexdump, "\n", "\r\n"), "", trickyHex, FormHexdump},
		{"hexdump without final offset", strings.TrimSuffix(trickyHexdump, "00000029\n"), "", trickyHex, FormHexdump},
		{"hexdump uppercase", strings.ToUpper(maskedHexdump), "", maskedHex, FormHexdump},
		{"Wireshark export", "0000  81 27 63 61 66 65 20 38  31 20 30 35 20 7c 61 62   .'cafe 81 05 |ab\n" +
			"0010  20 63 64 7c 20 30 78 34  38 2c 20 5b 36 35 5d 20    cd| 0x48, [65] \n" +
			"0020  7b 36 63 7d 20 5c 78 36  66                        {6c} \\x6f\n", "", trickyHex, FormHexdump},
		{"Go hex.Dump", hex.Dump(decodeHexSample(t, trickyHex)), "", trickyHex, FormHexdump},
		{"wireshark", longWireshark, "", longHex, FormWireshark},
		{"wireshark hex only", trickyWireshark, "", trickyHex, FormWireshark},
		{"wireshark one line", "0000   81 05 48 65 6c 6c 6f                              ..Hello", "", helloHex, FormWireshark},
		{"wireshark CRLF, no final newline", strings.TrimSuffix(strings.ReplaceAll(longWireshark, "\n", "\r\n"), "\r\n"), "", longHex, FormWireshark},
		{"wireshark with middle gap", "0000   81 27 63 61 66 65 20 38  31 20 30 35 20 7c 61 62\n0010   20", "", trickyHex[:34], FormWireshark},

		// Base64.
		{"base64", "gYU3+iE9f59NUVj7//4=", "base64", maskedHex + "fbfffe", FormBase64},
		{"base64 URL-safe", "gYU3-iE9f59NUVj7__4=", "base64", maskedHex + "fbfffe", FormBase64},
		{"base64 unpadded", "gYU3+iE9f59NUVj7//4", "base64", maskedHex + "fbfffe", FormBase64},
		{"base64 two padding", "gQU=", "base64", "8105", FormBase64},
		{"base64 two unpadded", "gQU", "base64", "8105", FormBase64},
		{"base64 line breaks", "gSdjYWZlIDgxIDA1IHxh\nYiBjZHwgMHg0OCwgWzY1\r\nXSB7NmN9IFx4NmY=\n", "base64", trickyHex, FormBase64},
		{"base64 spaces", "  gYU3 +iE9\tf59N UVg= ", "base64", maskedHex, FormBase64},
		{"base64 empty", " \n", "base64", "", FormBase64},
		// Detection never guesses base64: this is hex.
		{"base64-looking hex", "beef", "", "beef", FormHex},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, form, err := ParseInput(tt.in, tt.encoding)
			if err != nil {
				t.Fatalf("ParseInput(%q): %v", tt.in, err)
			}
			if form != tt.form {
				t.Errorf("form = %q, want %q", form, tt.form)
			}
			if want := decodeHexSample(t, tt.want); !bytes.Equal(got, want) {
				t.Errorf("bytes = %x\nwant    %x", got, want)
			}
			if got == nil {
				t.Errorf("bytes = nil, want an empty slice")
			}
		})
	}
}

func TestParseInputErrors(t *testing.T) {
	tests := []struct {
		name, in, encoding string
		line, column       int
		message            string
		form               string
	}{
		{"unknown encoding", "8105", "utf-8", 1, 1, `unknown encoding "utf-8": use "hex" (or leave it empty) or "base64"`, ""},
		{"encoding is case-sensitive", "8105", "HEX", 1, 1, `unknown encoding "HEX": use "hex" (or leave it empty) or "base64"`, ""},

		// Plain hex.
		{"not hex", "81 05 4g", "", 1, 8, `"g" is not a hex digit`, FormHex},
		{"not hex, first character", "hello", "", 1, 1, `"h" is not a hex digit`, FormHex},
		{"not hex, line 2 CRLF", "81 05\r\n48 6x\r\n", "", 2, 5, `"x" is not a hex digit`, FormHex},
		{"odd digits at the end", "8105\n48656c6c6\n", "", 2, 9, "odd number of hex digits: the last byte is incomplete", FormHex},
		{"odd digits, no whitespace", "8105486", "", 1, 7, "odd number of hex digits: the last byte is incomplete", FormHex},
		{"odd group", "81 5 48", "", 1, 4, "odd number of hex digits in this group: the byte is incomplete", FormHex},
		{"columns count characters", "81\u00a005\u00a0zz", "", 1, 7, `"z" is not a hex digit`, FormHex},
		{"non-ASCII", "81 05 é", "", 1, 7, `"é" is not a hex digit`, FormHex},
		{"invalid UTF-8", "81 \xff", "", 1, 4, `"\xff" is not a hex digit`, FormHex},
		{"hex then 0x", "81 0x05", "", 1, 5, `"x" is not a hex digit`, FormHex},
		{"hexdump without -C", "0000000 0581 6548 6c6c 006f\n0000007\n", "", 1, 7, "odd number of hex digits in this group: the byte is incomplete", FormHex},
		{"hex words before a bracket", "ab cd [0x48]", "", 1, 7, `"[" is not a hex digit`, FormHex},
		{"numbers before a bracket", "81 05 frame[0x48]", "", 1, 8, `"r" is not a hex digit`, FormHex},
		{"unbalanced declaration", "x ] 81 05 [0x48]", "", 1, 1, `"x" is not a hex digit`, FormHex},
		{"Node Buffer", "<Buffer 81 05>", "", 1, 1, `"<" is not a hex digit`, FormHex},

		// 0x bytes.
		{"0x then plain", "0x81 05", "", 1, 6, `"05" has no 0x prefix: in this form every byte needs one`, FormPrefixed},
		{"0x without digits", "0x81 0x", "", 1, 6, `"0x" with no hex digits`, FormPrefixed},
		{"0X without digits", "0x81, 0X, 0x05", "", 1, 7, `"0X" with no hex digits`, FormPrefixed},
		{"0x bad digit", "0x81 0x8g", "", 1, 9, `"g" is not a hex digit`, FormPrefixed},
		{"0x bad first digit", "0x81 0xg1", "", 1, 8, `"g" is not a hex digit`, FormPrefixed},
		{"0x two bytes", "0x81, 0x8105", "", 1, 11, `more than two hex digits after "0x": a byte has two at most`, FormPrefixed},
		{"0x empty element", "0x81,,0x05", "", 1, 6, `missing byte before ","`, FormPrefixed},
		{"0x stray bracket", "0x81, 0x05}", "", 1, 11, `unexpected "}"`, FormPrefixed},

		// Escaped strings.
		{"short \\x at the end", `\x81\x8`, "", 1, 8, `"\x" needs two hex digits`, FormEscaped},
		{"short \\x in quotes", `"\x81\x8g"`, "", 1, 9, `"\x" needs two hex digits`, FormEscaped},
		{"\\x without digits", `"\x"`, "", 1, 4, `"\x" needs two hex digits`, FormEscaped},
		{"text outside quotes", `\x81\x05Hello`, "", 1, 9, `"H" outside quotes: only escapes such as \x81 may appear there; put text in quotes`, FormEscaped},
		{"unclosed string", `"\x81\x05`, "", 1, 10, `missing closing "`, FormEscaped},
		{"string across lines", "'\\x81\n\\x05'", "", 1, 6, `missing closing '`, FormEscaped},
		{"unknown escape", `"\x81\u0005"`, "", 1, 6, `unknown escape "\\u": write bytes as \x81`, FormEscaped},
		{"octal over 255", `"\x81\400"`, "", 1, 6, `octal escape "\\400" is over 255`, FormEscaped},
		{"non-ASCII in quotes", `"\x81é"`, "", 1, 6, `"é" is not ASCII: write its bytes as \x escapes`, FormEscaped},
		{"tab in quotes", "\"\\x81\t\"", "", 1, 6, `"\t" must be written as an escape such as \x09`, FormEscaped},
		{"quoted hex", `"810548656c6c6f"`, "", 1, 1, `quoted text without any byte escape such as \x81: remove the quotes if it is hex, or use the base64 encoding if it is base64`, FormEscaped},
		{"quoted base64", `'gQVIZWxsbw=='`, "", 1, 1, `quoted text without any byte escape such as \x81: remove the quotes if it is hex, or use the base64 encoding if it is base64`, FormEscaped},
		{"quoted hex with \\n", `"8105\n"`, "", 1, 1, `quoted text without any byte escape such as \x81: remove the quotes if it is hex, or use the base64 encoding if it is base64`, FormEscaped},
		{"quoted hex after b", ` b"8105"`, "", 1, 3, `quoted text without any byte escape such as \x81: remove the quotes if it is hex, or use the base64 encoding if it is base64`, FormEscaped},
		{"missing string after +", `"\x81" +`, "", 1, 9, `missing string after "+"`, FormEscaped},
		{"text after string", `"\x81"; x`, "", 1, 7, `expected a quoted string, found ";"`, FormEscaped},

		// Arrays.
		{"decimal over 255", "[129, 256]", "", 1, 7, "256 is not a byte: decimal numbers must be 0 to 255", FormDecimalArray},
		{"huge decimal", "[129, 99999999999999999999999]", "", 1, 7, "9999999999999999… is not a byte: decimal numbers must be 0 to 255", FormDecimalArray},
		{"decimal leading zero", "[129, 05]", "", 1, 7, `"05" has a leading zero: write decimal numbers without one, or hex bytes as 0x..`, FormDecimalArray},
		{"decimal with hex digit", "[129, 5, 6c]", "", 1, 11, `"c" is not a decimal digit`, FormDecimalArray},
		{"negative", "[-127, 5]", "", 1, 2, "negative number: bytes are 0 to 255", FormArray},
		{"hex then decimal", "{0x81, 5}", "", 1, 8, "decimal number in an array of 0x bytes: write them all one way", FormArray},
		{"decimal then hex", "[129, 0x05]", "", 1, 7, "hex number in an array of decimal numbers: write them all one way", FormDecimalArray},
		{"unclosed array", "{0x81, 0x05", "", 1, 12, `missing closing "}"`, FormArray},
		{"unclosed array, line 3", "{\n  0x81,\n  0x05,\n", "", 4, 1, `missing closing "}"`, FormArray},
		{"mismatched bracket", "[0x81, 0x05}", "", 1, 12, `"}" does not match the opening "["`, FormArray},
		{"missing comma", "[0x81 0x05]", "", 1, 7, `expected "," or "]", found "0"`, FormArray},
		{"empty element", "[0x81, , 0x05]", "", 1, 8, `missing number before ","`, FormArray},
		{"leading comma", "[, 0x81]", "", 1, 2, `missing number before ","`, FormArray},
		{"hex suffix", "[0x81u8, 0x05]", "", 1, 6, `"u" is not a hex digit`, FormArray},
		{"0x without digits in array", "[0x81, 0x]", "", 1, 8, `"0x" with no hex digits`, FormArray},
		{"char literal", "{0x81, 'H'}", "", 1, 8, `unexpected "'" in the array`, FormArray},
		{"text after the array", "[0x81, 0x05]; // frame", "", 1, 15, `unexpected "/" after the closing "]"`, FormArray},
		{"xxd -i length line", "unsigned char f[] = {\n  0x81, 0x05\n};\nunsigned int f_len = 2;\n", "", 4, 1, `unexpected "u" after the closing "}"`, FormArray},
		{"two arrays", "[129] [5]", "", 1, 7, `unexpected "[" after the closing "]"`, FormDecimalArray},

		// Dumps.
		{"xxd not from offset 0", "00000010: 2063 647c 2030 7834 382c 205b 3635 5d20   cd| 0x48, [65] \n", "", 1, 1, "the dump starts at offset 00000010: paste it from its first line, at offset 0", FormXXD},
		{"xxd missing line", strings.Replace(trickyXXD, "00000010: 2063 647c 2030 7834 382c 205b 3635 5d20   cd| 0x48, [65] \n", "", 1), "", 2, 1, "offset 00000020 does not follow from the bytes above: expected 00000010", FormXXD},
		{"xxd bad digit", "00000000: 8127 63g1 6665\n", "", 1, 18, `"g" is not a hex digit`, FormXXD},
		{"xxd odd group", "00000000: 8127 631 6665\n", "", 1, 18, "odd number of hex digits in this group: the byte is incomplete", FormXXD},
		{"xxd line without offset", "00000000: 8105\n4865 6c6c 6f\n", "", 2, 1, "offset 4865 does not follow from the bytes above: expected 0002", FormXXD},
		{"xxd text line", "00000000: 8105\nHello\n", "", 2, 1, "expected an offset: every line of the dump starts with one", FormXXD},
		{"xxd squeezed", "00000000: 0000 0000 0000 0000 0000 0000 0000 0000  ................\n*\n00000030: 0000 0000 0000 0000 0000 0000 0000 0000  ................\n", "", 2, 1, `"*" stands for repeated lines that were left out: dump again without xxd -a`, FormXXD},
		{"xxd with two spaces", "00000000:  8105 4865\n", "", 1, 9, `expected ": " after the offset, as xxd writes it`, FormXXD},
		{"hexdump squeezed", "00000000  00 00 00 00 00 00 00 00  00 00 00 00 00 00 00 00  |................|\n*\n00000040\n", "", 2, 1, `"*" stands for repeated lines that were left out: dump again with hexdump -C -v`, FormHexdump},
		{"hexdump wrong final offset", strings.Replace(trickyHexdump, "00000029", "0000002a", 1), "", 4, 1, "offset 0000002a does not follow from the bytes above: expected 00000029", FormHexdump},
		{"hexdump one space on line 2", "00000000  81 05\n00000002 48 65\n", "", 2, 9, `expected "  " after the offset, as hexdump -C writes it`, FormHexdump},
		{"hexdump half byte", "00000000  81 05 4 65\n", "", 1, 17, "a byte needs two hex digits", FormHexdump},
		{"hexdump grouped bytes", "00000000  81 0548\n", "", 1, 16, "expected a space: hexdump -C writes one byte (two hex digits) per group", FormHexdump},
		{"hexdump bad digit", "00000000  81 0g\n", "", 1, 15, `"g" is not a hex digit`, FormHexdump},
		{"wireshark 17 bytes", "0000   81 27 63 61 66 65 20 38 31 20 30 35 20 7c 61 62 20\n", "", 1, 56, "more than 16 bytes on one line", FormWireshark},
		{"wireshark bad offset", "0000   81 05\n0003   48\n", "", 2, 1, "offset 0003 does not follow from the bytes above: expected 0002", FormWireshark},
		{"wireshark four spaces", "0000   81 05\n0002    48\n", "", 2, 5, `expected "   " after the offset, as Wireshark writes it`, FormWireshark},

		// Base64.
		{"base64 bad character", "gYU3*iE9", "base64", 1, 5, `"*" is not a base64 character`, FormBase64},
		{"base64 bad character line 2", "gYU3\r\n+iE9f59N.UVg=", "base64", 2, 9, `"." is not a base64 character`, FormBase64},
		{"base64 data after padding", "gQU=gQU=", "base64", 1, 5, `"g" after the "=" padding`, FormBase64},
		{"base64 too much padding", "gYU3+iE9f59NUVg==", "base64", 1, 17, `unexpected "="`, FormBase64},
		{"base64 padding first", "=gQU", "base64", 1, 1, `unexpected "="`, FormBase64},
		{"base64 single character", "gYU3+iE9f", "base64", 1, 9, "a base64 group cannot end with a single character: the input is cut short", FormBase64},
		{"base64 mixed alphabets", "gYU3+iE9f59NUVj7__4=", "base64", 1, 17, `"_" and the "+" before it are from different base64 alphabets`, FormBase64},
		{"base64 in quotes", `"gQU="`, "base64", 1, 1, `"\"" is not a base64 character`, FormBase64},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, form, err := ParseInput(tt.in, tt.encoding)
			var ie *InputError
			if !errors.As(err, &ie) {
				t.Fatalf("ParseInput(%q) = %x, %v; want an *InputError", tt.in, got, err)
			}
			if got != nil {
				t.Errorf("bytes = %x, want nil with an error", got)
			}
			if ie.Line != tt.line || ie.Column != tt.column || ie.Message != tt.message {
				t.Errorf("error = line %d, column %d: %s\nwant    line %d, column %d: %s",
					ie.Line, ie.Column, ie.Message, tt.line, tt.column, tt.message)
			}
			if form != tt.form {
				t.Errorf("form = %q, want %q", form, tt.form)
			}
			checkPosition(t, tt.in, ie)
		})
	}
}

// TestParseInputRendered writes random bytes of many lengths in every form,
// as the tools do, and parses them back. The text columns of the dumps get
// every printable character, "|" and hex digits included.
func TestParseInputRendered(t *testing.T) {
	r := rand.New(rand.NewPCG(3, 4))
	for n := range 100 {
		if n > 50 {
			n = 50 + r.IntN(300)
		}
		b := make([]byte, n)
		for i := range b {
			b[i] = byte(r.Uint32())
		}
		var prefixed, decimal []string
		for _, c := range b {
			prefixed = append(prefixed, fmt.Sprintf("0x%02x", c))
			decimal = append(decimal, fmt.Sprint(c))
		}
		forms := []struct{ in, form string }{
			{xxdDump(b), FormXXD},
			{hex.Dump(b), FormHexdump},
			{wiresharkDump(b), FormWireshark},
			{strings.Join(prefixed, ", "), FormPrefixed},
			{"[]byte{" + strings.Join(prefixed, ", ") + "}", FormArray},
			{"[" + strings.Join(decimal, ", ") + "]", FormDecimalArray},
		}
		if n > 0 {
			forms = append(forms,
				struct{ in, form string }{"{" + strings.Join(prefixed, ",\n") + ",\n}", FormArray})
		}
		// Quoted text needs a byte escape (see TestParseInputErrors).
		if repr := pythonRepr(b); strings.Contains(repr, `\x`) {
			forms = append(forms, struct{ in, form string }{repr, FormEscaped})
		}
		for _, f := range forms {
			got, form, err := ParseInput(f.in, "")
			switch {
			case f.in == "":
				f.form = FormHex // nothing to detect
			case n == 0 && f.form == FormDecimalArray:
				f.form = FormArray // no number to tell how they are written
			}
			if err != nil || form != f.form || !bytes.Equal(got, b) {
				t.Fatalf("%d bytes as %s:\n%s\ngave %x, %q, %v", n, f.form, f.in, got, form, err)
			}
		}
	}
}

// printable writes b as a dump's text column does.
func printable(b []byte) string {
	var sb strings.Builder
	for _, c := range b {
		if c < 0x20 || c > 0x7e {
			c = '.'
		}
		sb.WriteByte(c)
	}
	return sb.String()
}

// xxdDump writes b as xxd does.
func xxdDump(b []byte) string {
	var sb strings.Builder
	for off := 0; off < len(b); off += 16 {
		line := b[off:min(off+16, len(b))]
		var groups []string
		for i := 0; i < len(line); i += 2 {
			groups = append(groups, hex.EncodeToString(line[i:min(i+2, len(line))]))
		}
		fmt.Fprintf(&sb, "%08x: %-39s  %s\n", off, strings.Join(groups, " "), printable(line))
	}
	return sb.String()
}

// wiresharkDump writes b as Wireshark's "Copy as Hex Dump" does.
func wiresharkDump(b []byte) string {
	var sb strings.Builder
	for off := 0; off < len(b); off += 16 {
		line := b[off:min(off+16, len(b))]
		fmt.Fprintf(&sb, "%04x  ", off)
		for _, c := range line {
			fmt.Fprintf(&sb, " %02x", c)
		}
		sb.WriteString("   " + strings.Repeat("   ", 16-len(line)) + printable(line) + "\n")
	}
	return sb.String()
}

// pythonRepr writes b as Python's repr of bytes does.
func pythonRepr(b []byte) string {
	var sb strings.Builder
	sb.WriteString("b'")
	for _, c := range b {
		switch {
		case c == '\\' || c == '\'':
			sb.WriteString(`\` + string(c))
		case c == '\n':
			sb.WriteString(`\n`)
		case c >= 0x20 && c < 0x7f:
			sb.WriteByte(c)
		default:
			fmt.Fprintf(&sb, `\x%02x`, c)
		}
	}
	return sb.String() + "'"
}

// checkPosition checks that an error's line and column agree with its
// offset.
func checkPosition(t *testing.T, s string, e *InputError) {
	t.Helper()
	if e.Offset < 0 || e.Offset > len(s) {
		t.Fatalf("offset %d outside the input (%d bytes)", e.Offset, len(s))
	}
	before := s[:e.Offset]
	line := strings.Count(before, "\n") + 1
	col := utf8.RuneCountInString(before[strings.LastIndexByte(before, "\n"[0])+1:]) + 1
	if e.Line != line || e.Column != col {
		t.Errorf("offset %d is line %d, column %d; error says line %d, column %d", e.Offset, line, col, e.Line, e.Column)
	}
}

func TestInputErrorString(t *testing.T) {
	_, _, err := ParseInput("81 05\n48 65 6c 6c 6g", "")
	if got, want := err.Error(), `line 2, column 14: "g" is not a hex digit`; got != want {
		t.Errorf("Error() = %q, want %q", got, want)
	}
	var ie *InputError
	if !errors.As(err, &ie) || ie.Offset != 19 {
		t.Errorf("error = %#v, want an *InputError at offset 19", err)
	}
}

// TestParseInputDumpDetection pins down what is and is not read as a dump.
func TestParseInputDumpDetection(t *testing.T) {
	tests := []struct{ in, form string }{
		{"81 05 48 65", FormHex},
		{"81 05 48 65\n6c 6c 6f", FormHex},
		{"0000 0000 8105", FormHex},
		{"00000000 81 05", FormHex},  // one space: not hexdump -C
		{"0000  8105", FormHex},      // a group, not a byte, after the gap
		{"000  81 05", FormHex},      // offsets have at least 4 digits
		{"0001   81 05", FormHex},    // a dump starts at offset 0
		{"0000  81 05", FormHexdump}, // two spaces
		{"00000000  81 05", FormHexdump},
		{"0000   81 05", FormWireshark}, // three spaces
		{"00000000   81 05", FormWireshark},
		{"0000: 8105", FormXXD},
		{"00000000: 81 05", FormXXD},
	}
	for _, tt := range tests {
		if _, form, _ := ParseInput(tt.in, ""); form != tt.form {
			t.Errorf("ParseInput(%q) form = %q, want %q", tt.in, form, tt.form)
		}
	}
}

func FuzzParseInput(f *testing.F) {
	for _, s := range []string{helloHex, "81 05\r\n48", trickyXXD, trickyHexdump, longWireshark,
		"0x81, 0x05,", `b'\x81\x05Hello'`, "[]byte{0x81, 0x05}", "[129, 5]", "0000   81 05  48"} {
		f.Add(s, "")
	}
	f.Add("gYU3+iE9f59NUVg=", "base64")
	f.Fuzz(func(t *testing.T, s, encoding string) {
		b, form, err := ParseInput(s, encoding)
		if err != nil {
			var ie *InputError
			if !errors.As(err, &ie) {
				t.Fatalf("error %v is not an *InputError", err)
			}
			if b != nil {
				t.Fatalf("bytes %x with an error", b)
			}
			if encoding == "" || encoding == "hex" || encoding == "base64" {
				checkPosition(t, s, ie)
			}
			return
		}
		if encoding == "base64" && form != FormBase64 {
			t.Fatalf("form %q for base64", form)
		}
		if len(b) > len(s) {
			t.Fatalf("%d bytes from %d characters", len(b), len(s))
		}
		for _, again := range []string{hex.EncodeToString(b), spacedHex(b)} {
			b2, form2, err := ParseInput(again, "hex")
			if err != nil || form2 != FormHex || !bytes.Equal(b, b2) {
				t.Fatalf("%q (%s) gave %x; its hex %q gives %x, %q, %v", s, form, b, again, b2, form2, err)
			}
		}
		b64, _, err := ParseInput(base64.StdEncoding.EncodeToString(b), "base64")
		if err != nil || !bytes.Equal(b, b64) {
			t.Fatalf("base64 of %x gives %x, %v", b, b64, err)
		}
	})
}

// spacedHex writes b as "81 05 48 ...".
func spacedHex(b []byte) string {
	var sb strings.Builder
	for i, c := range b {
		if i > 0 {
			sb.WriteByte(' ')
		}
		sb.WriteString(hex.EncodeToString([]byte{c}))
	}
	return sb.String()
}

// benchInput is 64 KiB of random bytes.
func benchInput() []byte {
	b := make([]byte, 64<<10)
	r := rand.New(rand.NewPCG(1, 2))
	for i := range b {
		b[i] = byte(r.Uint32())
	}
	return b
}

func BenchmarkParseInputHex(b *testing.B) {
	s := hex.EncodeToString(benchInput())
	b.SetBytes(int64(len(s)))
	for b.Loop() {
		if _, _, err := ParseInput(s, ""); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkHexDecode(b *testing.B) {
	s := hex.EncodeToString(benchInput())
	src, dst := []byte(s), make([]byte, len(s)/2)
	b.SetBytes(int64(len(s)))
	for b.Loop() {
		if _, err := hex.Decode(dst, src); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkHexDecodeAlloc is hex.Decode into a fresh buffer per call, as
// ParseInput must return one: the like-for-like comparison.
func BenchmarkHexDecodeAlloc(b *testing.B) {
	s := hex.EncodeToString(benchInput())
	src := []byte(s)
	b.SetBytes(int64(len(s)))
	b.ReportAllocs()
	for b.Loop() {
		dst := make([]byte, len(s)/2)
		if _, err := hex.Decode(dst, src); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkParseInputHexSpaced(b *testing.B) {
	s := spacedHex(benchInput())
	b.SetBytes(int64(len(s)))
	for b.Loop() {
		if _, _, err := ParseInput(s, ""); err != nil {
			b.Fatal(err)
		}
	}
}
