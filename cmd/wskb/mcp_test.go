package main

import (
	"bytes"
	"context"
	"io"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/modelcontextprotocol/go-sdk/mcp"
)

// TestMCPCmd runs `wskb mcp` on pipes standing for stdin and stdout, with
// the SDK's client on the other ends, and checks that it exits 0 when the
// client closes stdin.
func TestMCPCmd(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	stdin, toStdin := io.Pipe()
	fromStdout, stdout := io.Pipe()
	var stderr bytes.Buffer
	exit := make(chan int, 1)
	go func() {
		exit <- mcpCmd([]string{"--db", filepath.Join(t.TempDir(), "wskb.db")}, stdin, stdout, &stderr)
		stdout.Close()
	}()

	client := mcp.NewClient(&mcp.Implementation{Name: "wskb-test", Version: "0"}, nil)
	cs, err := client.Connect(ctx, &mcp.IOTransport{Reader: fromStdout, Writer: toStdin}, nil)
	if err != nil {
		t.Fatal(err)
	}
	tools, err := cs.ListTools(ctx, nil)
	if err != nil || len(tools.Tools) != 5 {
		t.Fatalf("tools: %v %v", tools, err)
	}
	res, err := cs.CallTool(ctx, &mcp.CallToolParams{Name: "search_errors", Arguments: map[string]any{"query": "websocket: close 1009 (message too big)", "limit": 1}})
	if err != nil || res.IsError {
		t.Fatalf("search_errors: %+v %v", res, err)
	}
	if sc, _ := res.StructuredContent.(map[string]any); !strings.Contains(toText(sc["results"]), "websocket-close-frame-1009-message-too-large") {
		t.Errorf("search_errors: %v", res.StructuredContent)
	}
	res, err = cs.CallTool(ctx, &mcp.CallToolParams{Name: "lookup_close_code", Arguments: map[string]any{"code": 99999}})
	if err != nil || !res.IsError {
		t.Errorf("code 99999: %+v %v", res, err)
	}
	cs.Close()

	select {
	case code := <-exit:
		if code != 0 {
			t.Errorf("exit %d, stderr %q", code, stderr.String())
		}
	case <-ctx.Done():
		t.Fatal("wskb mcp did not exit when stdin closed")
	}
}

func TestMCPCmdUsage(t *testing.T) {
	for _, args := range [][]string{{"extra"}, {"--nope"}, {"--db", ""}} {
		var out, errb bytes.Buffer
		if code := mcpCmd(args, strings.NewReader(""), &out, &errb); code != 2 || out.Len() != 0 {
			t.Errorf("mcp %q: exit %d, stdout %q", args, code, out.String())
		}
	}
}

func toText(v any) string {
	var b strings.Builder
	var walk func(any)
	walk = func(v any) {
		switch t := v.(type) {
		case map[string]any:
			for _, x := range t {
				walk(x)
			}
		case []any:
			for _, x := range t {
				walk(x)
			}
		case string:
			b.WriteString(t + "\n")
		}
	}
	walk(v)
	return b.String()
}
