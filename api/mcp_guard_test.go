package api

import (
	"context"
	"errors"
	"log/slog"
	"strings"
	"testing"

	"github.com/modelcontextprotocol/go-sdk/mcp"

	"github.com/wskb/wskb/kb"
)

// TestMCPToolGuard: a tool that panics or fails inside answers a tool
// error without internal detail, and the session goes on.
func TestMCPToolGuard(t *testing.T) {
	ctx := context.Background()
	srv := mcp.NewServer(&mcp.Implementation{Name: "guard", Version: "0"}, nil)
	type none struct{}
	addTool(srv, slog.New(slog.DiscardHandler), &mcp.Tool{Name: "panics"}, func(context.Context, *mcp.CallToolRequest, none) (*mcp.CallToolResult, *none, error) {
		panic("boom")
	})
	addTool(srv, slog.New(slog.DiscardHandler), &mcp.Tool{Name: "fails"}, func(context.Context, *mcp.CallToolRequest, none) (*mcp.CallToolResult, *none, error) {
		return nil, nil, errors.New("sqlite: database /secret/path is locked")
	})
	addTool(srv, slog.New(slog.DiscardHandler), &mcp.Tool{Name: "invalid"}, func(context.Context, *mcp.CallToolRequest, none) (*mcp.CallToolResult, *none, error) {
		return nil, nil, kb.Errorf(kb.EINVALID, "that is not right")
	})
	st, ct := mcp.NewInMemoryTransports()
	ss, err := srv.Connect(ctx, st, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer ss.Close()
	cs, err := mcp.NewClient(&mcp.Implementation{Name: "test", Version: "0"}, nil).Connect(ctx, ct, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer cs.Close()
	for tool, want := range map[string]string{"panics": "panics failed: internal error", "fails": "fails failed: internal error", "invalid": "that is not right"} {
		for range 2 {
			res, err := cs.CallTool(ctx, &mcp.CallToolParams{Name: tool})
			if err != nil {
				t.Fatalf("%s: %v", tool, err)
			}
			text := res.Content[0].(*mcp.TextContent).Text
			if !res.IsError || text != want || strings.Contains(text, "secret") {
				t.Errorf("%s: error %v, %q; want %q", tool, res.IsError, text, want)
			}
		}
	}
}
