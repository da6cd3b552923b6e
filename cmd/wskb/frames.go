package main

import (
	"encoding/hex"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"strconv"
	"strings"
	"text/tabwriter"

	"github.com/wskb/wskb/api"
	"github.com/wskb/wskb/entries"
	"github.com/wskb/wskb/kb"
	"github.com/wskb/wskb/kb/frame"
	"github.com/wskb/wskb/kb/render"
)

// decodeCmd runs "wskb decode [HEX | -]": 0 when the frames have no
// problem, 1 when they have, 2 for misuse or input that is not bytes.
func decodeCmd(args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	fset := flag.NewFlagSet("decode", flag.ContinueOnError)
	fset.SetOutput(stderr)
	fset.Usage = func() {
		fmt.Fprintln(stderr, "usage: wskb decode [flags] [HEX | -]   (no argument or - reads standard input)")
		fset.PrintDefaults()
	}
	var q api.DecodeRequest
	asJSON := fset.Bool("json", false, "print the decode API's JSON document")
	fset.StringVar(&q.Encoding, "encoding", "", `input encoding: "" (detect hex forms) or "base64"`)
	fset.StringVar(&q.Role, "role", "", `who sent the bytes: "client" or "server" (judges masking)`)
	fset.BoolVar(&q.Deflate, "deflate", false, "permessage-deflate was negotiated")
	fset.BoolVar(&q.ClientNoContextTakeover, "client-no-context-takeover", false, "negotiated client_no_context_takeover")
	fset.BoolVar(&q.ServerNoContextTakeover, "server-no-context-takeover", false, "negotiated server_no_context_takeover")
	fset.IntVar(&q.ClientMaxWindowBits, "client-max-window-bits", 0, "negotiated client_max_window_bits (8–15)")
	fset.IntVar(&q.ServerMaxWindowBits, "server-max-window-bits", 0, "negotiated server_max_window_bits (8–15)")
	fset.Int64Var(&q.MaxInflated, "max-inflated", 0, "cap on inflated bytes (0: 16 MiB); past it a 1009 problem")
	if err := fset.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return 0
		}
		return 2
	}
	switch fset.NArg() {
	case 0:
		q.Hex = "-"
	case 1:
		q.Hex = fset.Arg(0)
	default:
		fset.Usage()
		return 2
	}
	if q.Hex == "-" {
		b, err := io.ReadAll(io.LimitReader(stdin, api.MaxDecodeInput+1))
		if err != nil {
			fmt.Fprintf(stderr, "wskb decode: %v\n", err)
			return 2
		}
		q.Hex = string(b)
	}
	list, err := kb.Load(entries.FS, "entries/")
	if err != nil {
		fmt.Fprintf(stderr, "wskb decode: %v\n", err)
		return 1
	}
	doc, err := api.Decode(kb.NewCatalog(list), nil, &q, kb.EN)
	if err != nil {
		fmt.Fprintf(stderr, "wskb decode: %v\n", err)
		return 2
	}
	if *asJSON {
		b, _ := render.EncodeJSON(doc)
		stdout.Write(b)
	} else {
		printDecode(stdout, doc)
	}
	for _, p := range doc.Problems {
		if p.CloseCode != nil {
			return 1
		}
	}
	return 0
}

// printDecode writes the document as tables for a terminal.
func printDecode(w io.Writer, doc *api.DecodeResponse) {
	fmt.Fprintf(w, "input: %s, %d bytes\n\n", doc.Input.Format, doc.Input.Bytes)
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "#\toffset\tFIN\tRSV\topcode\tmask\tlength\theader\tpayload")
	for i, f := range doc.Frames {
		mask := "-"
		if f.Masked {
			mask = hex.EncodeToString(f.MaskKey[:])
		}
		rsv := bit(f.Rsv1) + bit(f.Rsv2) + bit(f.Rsv3)
		length := strconv.FormatUint(f.PayloadLength, 10) + " (" + strconv.Itoa(f.LengthBits) + "-bit)"
		if !f.Complete {
			length += fmt.Sprintf(", %d present", len(f.Payload))
		}
		fmt.Fprintf(tw, "%d\t%d\t%s\t%s\t0x%X %s\t%s\t%s\t%d\t%s\n", i, f.Offset, bit(f.Fin), rsv, f.Opcode, f.Type(), mask, length, f.HeaderLength, describe(f))
	}
	tw.Flush()
	if len(doc.Messages) > 0 {
		fmt.Fprintln(w, "\nmessages:")
		tw = tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
		for i, m := range doc.Messages {
			kind := m.Type
			if m.Compressed {
				kind += ", compressed"
			}
			if !m.Complete {
				kind += ", incomplete"
			}
			fmt.Fprintf(tw, "%d\t%s\tframes %s\t%d bytes\t%s\n", i, kind, ints(m.Frames), len(m.Payload), preview(m.Payload, m.Type == "text"))
		}
		tw.Flush()
	}
	if len(doc.Problems) > 0 {
		fmt.Fprintln(w, "\nproblems:")
		for _, p := range doc.Problems {
			where := "stream"
			if p.Frame >= 0 {
				where = "frame " + strconv.Itoa(p.Frame)
			}
			code := "note"
			if p.CloseCode != nil {
				code = "close " + strconv.Itoa(*p.CloseCode)
			}
			fmt.Fprintf(w, "- %s, %s (%s): %s", where, code, p.RFC, p.Message)
			if p.URL != "" {
				fmt.Fprintf(w, "\n  see %s", p.URL)
			}
			fmt.Fprintln(w)
		}
	}
}

func describe(f frame.Frame) string {
	if f.Opcode == frame.OpClose && f.HasCode {
		return fmt.Sprintf("code %d %q", f.CloseCode, f.CloseReason)
	}
	return preview(f.Payload, f.Opcode == frame.OpText && !f.Rsv1 || frame.IsControl(f.Opcode))
}

// preview shows up to 32 bytes as hex, and as text when it is text.
func preview(b []byte, text bool) string {
	s := hex.EncodeToString(b[:min(len(b), 32)])
	if len(b) > 32 {
		s += "…"
	}
	if text && len(b) > 0 {
		t := string(b[:min(len(b), 60)])
		if strings.ToValidUTF8(t, "") == t {
			s += " " + strconv.Quote(t)
		}
	}
	return s
}

func bit(b bool) string {
	if b {
		return "1"
	}
	return "0"
}

func ints(v []int) string {
	s := make([]string, len(v))
	for i, n := range v {
		s[i] = strconv.Itoa(n)
	}
	return strings.Join(s, ",")
}

// encodeCmd runs "wskb encode": it builds one frame and prints it as hex.
func encodeCmd(args []string, stdout, stderr io.Writer) int {
	fset := flag.NewFlagSet("encode", flag.ContinueOnError)
	fset.SetOutput(stderr)
	fset.Usage = func() {
		fmt.Fprintln(stderr, "usage: wskb encode [flags] [TEXT]   builds one frame and prints it as hex")
		fset.PrintDefaults()
	}
	// The flags fill the same request as POST /api/v1/encode, so both
	// build frames with one set of rules.
	var q api.EncodeRequest
	var (
		noFin  = fset.Bool("no-fin", false, "clear FIN (a fragment)")
		code   = fset.Int("close-code", -1, "build a close frame with this status code")
		asJSON = fset.Bool("json", false, "print the decoded frame as JSON too")
	)
	fset.StringVar(&q.Opcode, "opcode", "text", "text, binary, close, ping, pong, continuation, or 0–15")
	fset.StringVar(&q.MaskKey, "mask", "", "mask with this key (8 hex digits), as a client must")
	fset.StringVar(&q.PayloadHex, "payload-hex", "", "the payload as hex instead of TEXT")
	fset.StringVar(&q.CloseReason, "close-reason", "", "the close frame's reason")
	fset.IntVar(&q.LengthBits, "length-bits", 0, "force the 7-, 16- or 64-bit length form (to build non-minimal frames)")
	fset.BoolVar(&q.Rsv1, "rsv1", false, "set RSV1")
	fset.BoolVar(&q.Rsv2, "rsv2", false, "set RSV2")
	fset.BoolVar(&q.Rsv3, "rsv3", false, "set RSV3")
	fset.BoolVar(&q.Compress, "compress", false, "deflate the payload (permessage-deflate) and set RSV1")
	if err := fset.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return 0
		}
		return 2
	}
	if fset.NArg() > 1 {
		fset.Usage()
		return 2
	}
	fail := func(format string, a ...any) int {
		fmt.Fprintf(stderr, "wskb encode: "+format+"\n", a...)
		return 2
	}
	fin := !*noFin
	q.Fin, q.Mask, q.Text = &fin, q.MaskKey != "", fset.Arg(0)
	if *code >= 0 {
		q.CloseCode = code
		if q.Opcode == "text" { // the default: a close code means a close frame
			q.Opcode = "close"
		}
	}
	spec, err := q.Spec()
	if err != nil {
		return fail("%v", err)
	}
	b, err := frame.Encode(spec)
	if err != nil {
		return fail("%v", err)
	}
	fmt.Fprintln(stdout, hex.EncodeToString(b))
	if *asJSON {
		j, _ := json.MarshalIndent(frame.Decode(b, frame.Options{Deflate: spec.Compress}).Frames[0], "", "  ")
		fmt.Fprintf(stdout, "%s\n", j)
	}
	return 0
}
