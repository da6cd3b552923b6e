package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"os"
	"os/signal"
	"sync"
	"sync/atomic"
	"syscall"
	"time"

	"github.com/modelcontextprotocol/go-sdk/mcp"

	"github.com/wskb/wskb/api"
)

// mcpCmd is `wskb mcp [--db FILE]`: the MCP server on the embedded
// knowledge base, over stdin and stdout (newline-delimited JSON-RPC), for
// an MCP client that starts wskb itself. Logs go to stderr; stdout carries
// only the protocol. Exit 0 when the client closes stdin, 1 on failure, 2
// on bad usage.
func mcpCmd(args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	fset := flag.NewFlagSet("mcp", flag.ContinueOnError)
	fset.SetOutput(stderr)
	db := fset.String("db", envOr("WSKB_DB", defaultDB()), "SQLite data file, created with its folder when missing (env WSKB_DB)")
	fset.Usage = func() {
		fmt.Fprintln(stderr, "usage: wskb mcp [--db FILE]   (serves the Model Context Protocol over stdin and stdout)")
		fset.PrintDefaults()
	}
	if err := fset.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return 0
		}
		return 2
	}
	if fset.NArg() > 0 {
		fmt.Fprintf(stderr, "wskb mcp: unexpected argument %q\n", fset.Arg(0))
		return 2
	}
	if *db == "" {
		fmt.Fprintln(stderr, "wskb mcp: --db needs the path of the data file")
		return 2
	}
	log := slog.New(slog.NewTextHandler(stderr, &slog.HandlerOptions{Level: slog.LevelWarn}))
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()

	deps, st, err := api.OpenMCP(ctx, api.Embedded(), *db, log)
	if err != nil {
		fmt.Fprintf(stderr, "wskb: %v\n", err)
		return 1
	}
	defer st.Close()
	d := newDrain(stdin, stdout, 10*time.Second)
	t := &mcp.IOTransport{Reader: io.NopCloser(d), Writer: nopWriteCloser{d.out}}
	err = api.NewMCPServer(deps).Run(ctx, t)
	switch {
	case err == nil, errors.Is(err, io.EOF), ctx.Err() != nil:
		return 0
	}
	fmt.Fprintf(stderr, "wskb mcp: %v\n", err)
	return 1
}

// nopWriteCloser is an io.WriteCloser whose Close leaves the writer (stdout)
// open.
type nopWriteCloser struct{ io.Writer }

func (nopWriteCloser) Close() error { return nil }

// drain holds back the end of stdin until every request read so far has
// been answered (or a timeout passes): `printf ... | wskb mcp` closes stdin
// at once, and the server would otherwise stop before it answered.
type drain struct {
	in      *bufio.Reader
	out     *countingWriter
	wait    time.Duration
	pending []byte // the rest of the current line
	asked   atomic.Int64
}

type countingWriter struct {
	w        io.Writer
	mu       sync.Mutex
	answered int64
	changed  chan struct{}
}

func newDrain(stdin io.Reader, stdout io.Writer, wait time.Duration) *drain {
	return &drain{in: bufio.NewReader(stdin), out: &countingWriter{w: stdout, changed: make(chan struct{}, 1)}, wait: wait}
}

// Read passes stdin through a line at a time, counting requests (messages
// with an id and a method); at EOF it waits for as many responses.
func (d *drain) Read(p []byte) (int, error) {
	if len(d.pending) == 0 {
		line, err := d.in.ReadBytes('\n')
		if len(line) > 0 {
			var m struct {
				ID     json.RawMessage `json:"id"`
				Method string          `json:"method"`
			}
			if json.Unmarshal(line, &m) == nil && len(m.ID) > 0 && m.Method != "" {
				d.asked.Add(1)
			}
			d.pending = line
		} else if err != nil {
			d.waitAnswers()
			return 0, err
		}
	}
	n := copy(p, d.pending)
	d.pending = d.pending[n:]
	return n, nil
}

func (d *drain) waitAnswers() {
	deadline := time.After(d.wait)
	for {
		d.out.mu.Lock()
		done := d.out.answered >= d.asked.Load()
		d.out.mu.Unlock()
		if done {
			return
		}
		select {
		case <-d.out.changed:
		case <-deadline:
			return
		}
	}
}

// Write counts responses: the transport writes one JSON message a call.
func (c *countingWriter) Write(p []byte) (int, error) {
	n, err := c.w.Write(p)
	var m struct {
		ID     json.RawMessage `json:"id"`
		Method string          `json:"method"`
	}
	if json.Unmarshal(bytes.TrimSpace(p), &m) == nil && len(m.ID) > 0 && m.Method == "" {
		c.mu.Lock()
		c.answered++
		c.mu.Unlock()
		select {
		case c.changed <- struct{}{}:
		default:
		}
	}
	return n, err
}
