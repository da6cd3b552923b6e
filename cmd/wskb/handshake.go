package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"os"

	"github.com/labstack/echo/v4"

	"github.com/wskb/wskb/api"
	"github.com/wskb/wskb/entries"
	"github.com/wskb/wskb/kb"
	"github.com/wskb/wskb/kb/handshake"
	"github.com/wskb/wskb/kb/render"
)

// handshakeCmd is `wskb handshake [--json] [--response FILE] [FILE | -]`:
// the handshake inspector offline. The file holds the request, or both
// (curl -v output); --response names a separate response file. Exit 0 when
// the handshake follows the protocol, 1 when a check failed or warned, 2 on
// bad input or usage.
func handshakeCmd(args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	fset := flag.NewFlagSet("handshake", flag.ContinueOnError)
	fset.SetOutput(stderr)
	asJSON := fset.Bool("json", false, "print the JSON of POST /api/v1/handshake")
	respFile := fset.String("response", "", "a file holding the response, when FILE holds only the request")
	fset.Usage = func() {
		fmt.Fprintln(stderr, "usage: wskb handshake [--json] [--response FILE] [FILE | -]   (reads stdin without FILE)")
		fset.PrintDefaults()
	}
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
	read := func(name string) (string, error) {
		var r io.Reader = stdin
		if name != "" && name != "-" {
			f, err := os.Open(name)
			if err != nil {
				return "", err
			}
			defer f.Close()
			r = f
		}
		b, err := io.ReadAll(io.LimitReader(r, handshake.MaxInput+1))
		return string(b), err
	}
	var q api.HandshakeRequest
	var err error
	if q.Request, err = read(fset.Arg(0)); err != nil {
		fmt.Fprintf(stderr, "wskb handshake: %v\n", err)
		return 2
	}
	if *respFile != "" {
		if q.Response, err = read(*respFile); err != nil {
			fmt.Fprintf(stderr, "wskb handshake: %v\n", err)
			return 2
		}
	}
	list, err := kb.Load(entries.FS, "entries/")
	if err != nil {
		fmt.Fprintf(stderr, "wskb: %v\n", err)
		return 1
	}
	out, err := api.Inspect(kb.NewCatalog(list), nil, &q, kb.EN)
	if err != nil {
		var he *echo.HTTPError
		if errors.As(err, &he) {
			fmt.Fprintf(stderr, "wskb handshake: %v\n", he.Message)
		} else {
			fmt.Fprintf(stderr, "wskb handshake: %v\n", err)
		}
		return 2
	}
	if *asJSON {
		b, err := render.EncodeJSON(out)
		if err != nil {
			fmt.Fprintf(stderr, "wskb handshake: %v\n", err)
			return 1
		}
		stdout.Write(b)
	} else {
		for _, c := range out.Checks {
			fmt.Fprintf(stdout, "%-4s %s", c.Status, c.Message)
			if c.RFC != "" {
				fmt.Fprintf(stdout, " (%s)", c.RFC)
			}
			if c.URL != "" {
				fmt.Fprintf(stdout, "\n     see %s", c.URL)
			}
			fmt.Fprintln(stdout)
		}
		if out.ExpectedAccept != "" {
			fmt.Fprintf(stdout, "expected Sec-WebSocket-Accept: %s\n", out.ExpectedAccept)
		}
		fmt.Fprintf(stdout, "verdict: %s\n", out.Verdict)
	}
	if out.Verdict != "ok" {
		return 1
	}
	return 0
}
