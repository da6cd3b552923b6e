package api

// The MCP server: wskb's knowledge base and tools for language-model
// clients, over stdio (`wskb mcp`) and streamable HTTP (/mcp). The tools
// call the same functions as the HTTP API and return the same documents as
// structured output.

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"reflect"
	"runtime/debug"
	"strconv"
	"strings"

	"github.com/google/jsonschema-go/jsonschema"
	"github.com/labstack/echo/v4"
	"github.com/modelcontextprotocol/go-sdk/mcp"

	"github.com/wskb/wskb/kb"
	"github.com/wskb/wskb/kb/frame"
	"github.com/wskb/wskb/kb/render"
	"github.com/wskb/wskb/kb/search"
	"github.com/wskb/wskb/kb/store"
)

// MCPDeps is what the MCP tools read.
type MCPDeps struct {
	Catalog  *kb.Catalog
	Messages *render.Messages
	Search   *search.Searcher
	// Log receives tool failures that are not the caller's fault; nil
	// discards them.
	Log *slog.Logger
}

// mcpDeps wires the server's knowledge base into the MCP tools.
func (s *Server) mcpDeps() MCPDeps {
	return MCPDeps{Catalog: s.site.Catalog, Messages: s.r.Messages(), Search: s.search, Log: s.log}
}

// MCPHandler is the streamable HTTP MCP endpoint on the server's knowledge
// base, for POST /mcp.
func (s *Server) MCPHandler() http.Handler { return MCPHTTPHandler(NewMCPServer(s.mcpDeps())) }

// MCPHTTPHandler serves srv over streamable HTTP. It is stateless: every
// POST is answered on its own with application/json, so no session is kept
// between requests and no stream outlives its request (the http.Server's
// WriteTimeout holds). GET and DELETE are answered 405.
func MCPHTTPHandler(srv *mcp.Server) http.Handler {
	return mcp.NewStreamableHTTPHandler(func(*http.Request) *mcp.Server { return srv },
		&mcp.StreamableHTTPOptions{Stateless: true, JSONResponse: true, MaxRequestBodyBytes: 4 << 20})
}

// OpenMCP validates and imports the entries like OpenSearch and returns
// what the MCP tools need; the caller closes the store.
func OpenMCP(ctx context.Context, src Sources, dbPath string, log *slog.Logger) (MCPDeps, *store.Store, error) {
	s, msgs, st, err := OpenSearch(ctx, src, dbPath, log)
	if err != nil {
		return MCPDeps{}, nil, err
	}
	stored, err := st.Entries(ctx)
	if err != nil {
		st.Close()
		return MCPDeps{}, nil, err
	}
	return MCPDeps{Catalog: kb.NewCatalog(stored), Messages: msgs, Search: s, Log: log}, st, nil
}

// mcpInstructions tells the client's model what the server is for.
const mcpInstructions = `wskb is a bilingual (English, Chinese) knowledge base of WebSocket failures: close codes, handshake errors, proxy and library problems, each entry with its root cause, workarounds that work and dead ends that do not.
Start with search_errors on the error line as the user saw it ("websocket: close 1006 (abnormal closure)", "Error during WebSocket handshake: Unexpected response code: 400"); get_entry then gives the whole entry. lookup_close_code explains a close code; decode_frames decodes captured frame bytes and names the protocol violations; check_handshake checks an opening handshake (the HTTP upgrade request and its response).
URLs in the answers are paths on the wskb site (https://<wskb host>/...).`

// NewMCPServer builds the MCP server with wskb's five tools.
func NewMCPServer(deps MCPDeps) *mcp.Server {
	if deps.Log == nil {
		deps.Log = slog.New(slog.DiscardHandler)
	}
	srv := mcp.NewServer(&mcp.Implementation{Name: "wskb", Title: "WebSocket failure knowledge base", Version: version()},
		&mcp.ServerOptions{Instructions: mcpInstructions,
			// Only tools, and their list never changes.
			Capabilities: &mcp.ServerCapabilities{Tools: &mcp.ToolCapabilities{}}})
	t := &mcpTools{deps}
	readOnly := &mcp.ToolAnnotations{ReadOnlyHint: true, IdempotentHint: true, OpenWorldHint: new(false)}

	addTool(srv, deps.Log, &mcp.Tool{Name: "lookup_close_code", Title: "Look up a WebSocket close code", Annotations: readOnly,
		Description: "Explain a WebSocket close code (0–4999): its IANA name and meaning, its range, whether an endpoint may send it and whether a browser's WebSocket.close() accepts it, and the knowledge-base entries that explain failures with it.",
		InputSchema: inputSchema[CloseCodeArgs](func(p map[string]*jsonschema.Schema) {
			p["code"].Minimum, p["code"].Maximum = new(0.0), new(float64(kb.MaxCloseCode))
			langEnum(p)
		}),
	}, t.lookupCloseCode)

	addTool(srv, deps.Log, &mcp.Tool{Name: "get_entry", Title: "Get a knowledge-base entry", Annotations: readOnly,
		Description:  "Get one knowledge-base entry by its ID (from search_errors or lookup_close_code): the error signatures, root cause, affected versions, documentation, workarounds with code, dead ends, and sources. The document is the one /api/v1/entries/{id} serves.",
		InputSchema:  inputSchema[EntryArgs](langEnum),
		OutputSchema: entrySchema(),
	}, t.getEntry)

	addTool(srv, deps.Log, &mcp.Tool{Name: "search_errors", Title: "Search WebSocket errors", Annotations: readOnly,
		Description: "Find the entries that explain an error: paste the error line, log message or symptom as seen (any library, browser or proxy, English or Chinese). Close codes, HTTP statuses and frame bytes in the query are recognized. Results come best first; for a bare close code the close-code page comes first. The answer is the one /api/v1/search gives.",
		InputSchema: inputSchema[SearchArgs](func(p map[string]*jsonschema.Schema) {
			p["limit"].Minimum, p["limit"].Maximum = new(1.0), new(float64(MaxSearchLimit))
			p["limit"].Default = json.RawMessage(strconv.Itoa(DefaultSearchLimit))
			langEnum(p)
		}),
	}, t.searchErrors)

	addTool(srv, deps.Log, &mcp.Tool{Name: "decode_frames", Title: "Decode WebSocket frames", Annotations: readOnly,
		Description: "Decode WebSocket frames from captured bytes (hex in any common form: plain, 0x-prefixed, \\x escapes, xxd or Wireshark dumps, byte arrays; or base64) and check them against RFC 6455 and RFC 7692: every frame's header and payload, the reassembled messages (inflated with permessage-deflate), and the protocol violations with the close code a compliant endpoint would send and the page that explains it.",
		InputSchema: inputSchema[DecodeArgs](func(p map[string]*jsonschema.Schema) {
			p["encoding"].Enum = []any{"hex", "base64"}
			p["role"].Enum = []any{"client", "server"}
			for _, k := range []string{"client_max_window_bits", "server_max_window_bits"} {
				p[k].Minimum, p[k].Maximum = new(8.0), new(15.0)
			}
			langEnum(p)
		}),
		OutputSchema: decodeSchema(),
	}, t.decodeFrames)

	addTool(srv, deps.Log, &mcp.Tool{Name: "check_handshake", Title: "Check a WebSocket opening handshake", Annotations: readOnly,
		Description: "Check a WebSocket opening handshake as captured (browser dev tools, curl -v, a proxy log): the HTTP/1.1 upgrade request and its response, or an HTTP/2 extended CONNECT (RFC 8441). Each check passes, warns or fails with its RFC section and the entry that explains it; the answer also gives the expected Sec-WebSocket-Accept, what was negotiated (subprotocol, extensions, permessage-deflate) and a verdict.",
		InputSchema: inputSchema[HandshakeArgs](langEnum),
	}, t.checkHandshake)
	return srv
}

// version is the module's version, as the Go toolchain stamped it.
func version() string {
	if bi, ok := debug.ReadBuildInfo(); ok && bi.Main.Version != "" && bi.Main.Version != "(devel)" {
		return bi.Main.Version
	}
	return "dev"
}

// addTool adds a tool whose handler cannot crash the process: a panic
// becomes a tool error (and a log line), and errors that are not the
// caller's fault reach the caller without their internal detail.
func addTool[In, Out any](srv *mcp.Server, log *slog.Logger, t *mcp.Tool, h mcp.ToolHandlerFor[In, Out]) {
	mcp.AddTool(srv, t, func(ctx context.Context, req *mcp.CallToolRequest, in In) (res *mcp.CallToolResult, out Out, err error) {
		defer func() {
			if p := recover(); p != nil {
				log.Error("panic in MCP tool", "tool", t.Name, "err", p, "stack", string(debug.Stack()))
				var zero Out
				res, out, err = nil, zero, fmt.Errorf("%s failed: internal error", t.Name)
			}
		}()
		res, out, err = h(ctx, req, in)
		if err != nil {
			var zero Out
			return nil, zero, toolError(log, t.Name, err)
		}
		return res, out, nil
	})
}

// toolError is the error a tool call reports: the message of a kb.Error or
// an echo.HTTPError as it is (it is meant for the user), anything else as
// an internal error.
func toolError(log *slog.Logger, tool string, err error) error {
	var ke *kb.Error
	var he *echo.HTTPError
	switch {
	case errors.As(err, &ke):
		return errors.New(ke.Message)
	case errors.As(err, &he):
		return errors.New(fmt.Sprint(he.Message))
	}
	log.Error("MCP tool failed", "tool", tool, "err", err)
	return fmt.Errorf("%s failed: internal error", tool)
}

// inputSchema is the schema of In, as the SDK would infer it, with the
// changes edit makes to its properties (bounds, enums, defaults).
func inputSchema[In any](edit func(props map[string]*jsonschema.Schema)) *jsonschema.Schema {
	s, err := jsonschema.For[In](nil)
	if err != nil {
		panic(err)
	}
	edit(s.Properties)
	return s
}

func langEnum(p map[string]*jsonschema.Schema) { p["lang"].Enum = []any{"en", "zh"} }

// parseLang reads a tool's lang argument: def when empty.
func parseLang(s string, def kb.Lang) (kb.Lang, error) {
	if s == "" {
		return def, nil
	}
	if l, ok := kb.ParseLang(s); ok {
		return l, nil
	}
	return "", kb.Errorf(kb.EINVALID, "lang: %q is not en or zh", truncate(s, 40))
}

type mcpTools struct{ MCPDeps }

// CloseCodeArgs are lookup_close_code's arguments.
type CloseCodeArgs struct {
	Code int    `json:"code" jsonschema:"the close code, 0–4999: CloseEvent.code in a browser, or the number in an error such as 'websocket: close 1009 (message too big)'"`
	Lang string `json:"lang,omitempty" jsonschema:"language of the answer: en (the default) or zh"`
}

// CloseCodeResult is what lookup_close_code answers.
type CloseCodeResult struct {
	Code                int        `json:"code"`
	Name                string     `json:"name" jsonschema:"the IANA registry name; empty when the code is not registered"`
	Meaning             string     `json:"meaning" jsonschema:"what the code means; empty when it is not registered"`
	Range               string     `json:"range" jsonschema:"the RFC 6455 §7.4.2 range: unused (0–999), protocol (1000–2999), registered (3000–3999) or private (4000–4999)"`
	RangeDescription    string     `json:"range_description"`
	Reference           string     `json:"reference" jsonschema:"where the code is defined"`
	ReferenceURL        string     `json:"reference_url"`
	WireAllowed         bool       `json:"wire_allowed" jsonschema:"whether an endpoint may send the code in a Close frame (1005, 1006 and 1015 are only reported by APIs)"`
	BrowserCloseAllowed bool       `json:"browser_close_allowed" jsonschema:"whether WebSocket.close(code) in a browser accepts it (1000 and 3000–4999)"`
	URL                 string     `json:"url" jsonschema:"the close code's page on the wskb site"`
	Entries             []EntryRef `json:"entries" jsonschema:"the entries that explain failures with this close code; get_entry gives one whole"`
}

// EntryRef names an entry.
type EntryRef struct {
	ID         string `json:"id"`
	Title      string `json:"title"`
	Summary    string `json:"summary"`
	HTTPStatus *int   `json:"http_status"`
	URL        string `json:"url" jsonschema:"the entry's page on the wskb site"`
}

func (t *mcpTools) lookupCloseCode(_ context.Context, _ *mcp.CallToolRequest, in CloseCodeArgs) (*mcp.CallToolResult, *CloseCodeResult, error) {
	l, err := parseLang(in.Lang, kb.EN)
	if err != nil {
		return nil, nil, err
	}
	if in.Code < 0 || in.Code > kb.MaxCloseCode {
		return nil, nil, kb.Errorf(kb.EINVALID, "code: %d is outside the close-code space: codes run from 0 to %d", in.Code, kb.MaxCloseCode)
	}
	ci, es := t.Catalog.Code(in.Code)
	out := &CloseCodeResult{Code: ci.Code, Name: ci.Name, Range: ci.Range, Reference: ci.Reference, ReferenceURL: ci.ReferenceURL,
		WireAllowed: ci.Wire, BrowserCloseAllowed: ci.BrowserClose, URL: render.LangPath(l, render.CodePath(in.Code)),
		Entries: make([]EntryRef, 0, len(es))}
	if ci.Meaning != nil {
		out.Meaning = ci.Meaning.In(l)
	}
	if t.Messages != nil {
		out.RangeDescription = t.Messages.T(l, "range."+ci.Range+".desc")
	}
	for _, e := range es {
		out.Entries = append(out.Entries, EntryRef{ID: e.ID, Title: e.Title.In(l), Summary: e.Summary.In(l), HTTPStatus: e.HTTPStatus,
			URL: render.LangPath(l, render.EntryPath(e.ID))})
	}
	return nil, out, nil
}

// EntryArgs are get_entry's arguments.
type EntryArgs struct {
	ID   string `json:"id" jsonschema:"the entry's ID, such as communication/websocket-close-frame-1009-message-too-large (its page's path works too)"`
	Lang string `json:"lang,omitempty" jsonschema:"en or zh: every text in that language only; leave it out for both ({\"en\": ..., \"zh\": ...})"`
}

func (t *mcpTools) getEntry(_ context.Context, _ *mcp.CallToolRequest, in EntryArgs) (*mcp.CallToolResult, json.RawMessage, error) {
	l, err := parseLang(in.Lang, "")
	if err != nil {
		return nil, nil, err
	}
	id := strings.TrimSpace(in.ID)
	if id == "" {
		return nil, nil, kb.Errorf(kb.EINVALID, "id is empty: give an entry ID such as communication/websocket-close-frame-1009-message-too-large (search_errors finds them)")
	}
	// Accept the entry's page and API paths as well as its ID.
	id = strings.TrimPrefix(id, "/zh")
	id = strings.TrimPrefix(strings.TrimPrefix(id, "/api/v1"), "/entries/")
	id = strings.TrimSuffix(strings.TrimSuffix(id, ".md"), ".json")
	e, err := t.Catalog.Entry(id)
	if err != nil {
		return nil, nil, kb.Errorf(kb.ENOTFOUND, "no entry has the ID %q: search_errors finds entries by error text, lookup_close_code by close code", truncate(in.ID, 200))
	}
	b, err := render.EncodeJSON(e)
	if err == nil && l != "" {
		b, err = render.CollapseJSON(b, l)
	}
	if err != nil {
		return nil, nil, err
	}
	return nil, json.RawMessage(b), nil
}

// entrySchema describes an entry's JSON, whose texts are {"en", "zh"}
// objects, or strings when collapsed to one language.
func entrySchema() *jsonschema.Schema {
	s, err := jsonschema.For[kb.Entry](&jsonschema.ForOptions{TypeSchemas: map[reflect.Type]*jsonschema.Schema{
		reflect.TypeFor[kb.Text](): {Types: []string{"string", "object"},
			Description:          "a text: a string when lang was given, else {\"en\": ..., \"zh\": ...}",
			Properties:           map[string]*jsonschema.Schema{"en": {Type: "string"}, "zh": {Type: "string"}},
			Required:             []string{"en", "zh"},
			AdditionalProperties: &jsonschema.Schema{Not: &jsonschema.Schema{}},
		},
	}})
	if err != nil {
		panic(err)
	}
	return s
}

// SearchArgs are search_errors' arguments.
type SearchArgs struct {
	Query string `json:"query" jsonschema:"the error line, log message or symptom, verbatim; a close code (1006), an HTTP status or frame bytes work too; at most 8 KiB"`
	Lang  string `json:"lang,omitempty" jsonschema:"language of titles and snippets: en or zh (default: zh when the query has Chinese in it, else en)"`
	Limit int    `json:"limit,omitempty" jsonschema:"most results, 1–50 (default 10)"`
}

func (t *mcpTools) searchErrors(ctx context.Context, _ *mcp.CallToolRequest, in SearchArgs) (*mcp.CallToolResult, *SearchResponse, error) {
	switch {
	case strings.TrimSpace(in.Query) == "":
		return nil, nil, kb.Errorf(kb.EINVALID, "query is empty: give the error line or words to search for, such as 'websocket: close 1006 (abnormal closure)'")
	case len(in.Query) > search.MaxQuery:
		return nil, nil, kb.Errorf(kb.EINVALID, "query is %d bytes long; the most a search takes is %d bytes (give the error line, not the whole log)", len(in.Query), search.MaxQuery)
	}
	limit := in.Limit
	if limit == 0 {
		limit = DefaultSearchLimit
	}
	if limit < 1 || limit > MaxSearchLimit {
		return nil, nil, kb.Errorf(kb.EINVALID, "limit: %d is not a whole number from 1 to %d", limit, MaxSearchLimit)
	}
	def := kb.EN
	if search.HasHan(in.Query) {
		def = kb.ZH
	}
	l, err := parseLang(in.Lang, def)
	if err != nil {
		return nil, nil, err
	}
	resp, err := Search(ctx, t.Search, t.Messages, in.Query, l, limit)
	if err != nil {
		return nil, nil, err
	}
	return nil, resp, nil
}

// DecodeArgs are decode_frames' arguments.
type DecodeArgs struct {
	Hex      string `json:"hex" jsonschema:"the frame bytes as captured: hex with or without spaces, 0x-prefixed, \\x-escaped, an xxd/hexdump/Wireshark dump, a byte array, or base64 with encoding base64; at most 1 MiB of text"`
	Encoding string `json:"encoding,omitempty" jsonschema:"hex (the default: the textual form is detected) or base64"`
	Role     string `json:"role,omitempty" jsonschema:"who sent the bytes: client (frames must be masked) or server (frames must not be); leave it out when unknown"`
	Deflate  bool   `json:"deflate,omitempty" jsonschema:"permessage-deflate (RFC 7692) was negotiated: RSV1 marks compressed messages, which are inflated"`

	ClientNoContextTakeover bool `json:"client_no_context_takeover,omitempty" jsonschema:"the negotiated client_no_context_takeover (with deflate)"`
	ServerNoContextTakeover bool `json:"server_no_context_takeover,omitempty" jsonschema:"the negotiated server_no_context_takeover (with deflate)"`
	ClientMaxWindowBits     int  `json:"client_max_window_bits,omitempty" jsonschema:"the negotiated client_max_window_bits, 8–15 (with deflate; default 15)"`
	ServerMaxWindowBits     int  `json:"server_max_window_bits,omitempty" jsonschema:"the negotiated server_max_window_bits, 8–15 (with deflate; default 15)"`

	Lang string `json:"lang,omitempty" jsonschema:"language of the problems' messages and of the pages they link: en (the default) or zh"`
}

func (t *mcpTools) decodeFrames(_ context.Context, _ *mcp.CallToolRequest, in DecodeArgs) (*mcp.CallToolResult, *DecodeResponse, error) {
	l, err := parseLang(in.Lang, kb.EN)
	if err != nil {
		return nil, nil, err
	}
	if strings.TrimSpace(in.Hex) == "" {
		return nil, nil, kb.Errorf(kb.EINVALID, "hex is empty: give the frame bytes, such as '88 02 03 e9' (a Close frame with code 1001)")
	}
	out, err := Decode(t.Catalog, t.Messages, &DecodeRequest{Hex: in.Hex, Encoding: in.Encoding, Role: in.Role, Deflate: in.Deflate,
		ClientNoContextTakeover: in.ClientNoContextTakeover, ServerNoContextTakeover: in.ServerNoContextTakeover,
		ClientMaxWindowBits: in.ClientMaxWindowBits, ServerMaxWindowBits: in.ServerMaxWindowBits}, l)
	if err != nil {
		return nil, nil, err
	}
	return nil, out, nil
}

// frameDoc and messageDoc describe the JSON of frame.Frame and
// frame.Message (their MarshalJSON), for decode_frames' output schema.
type frameDoc struct {
	Offset        int     `json:"offset" jsonschema:"where the frame's first header byte is in the input"`
	Fin           bool    `json:"fin"`
	Rsv1          bool    `json:"rsv1"`
	Rsv2          bool    `json:"rsv2"`
	Rsv3          bool    `json:"rsv3"`
	Opcode        int     `json:"opcode"`
	Type          string  `json:"type" jsonschema:"continuation, text, binary, close, ping, pong or reserved"`
	Masked        bool    `json:"masked"`
	MaskKey       string  `json:"mask_key" jsonschema:"the masking key in hex; empty when the frame is not masked"`
	PayloadLength uint64  `json:"payload_length" jsonschema:"the payload length the header declares"`
	LengthBits    int     `json:"length_bits" jsonschema:"the length form the header used: 7, 16 or 64"`
	HeaderLength  int     `json:"header_length"`
	PayloadHex    string  `json:"payload_hex" jsonschema:"the unmasked payload in hex (as much of it as the input holds)"`
	Text          *string `json:"text" jsonschema:"the payload as text, when it is UTF-8 text; a Close frame's reason"`
	CloseCode     *int    `json:"close_code" jsonschema:"a Close frame's status code"`
	CloseReason   *string `json:"close_reason"`
	Complete      bool    `json:"complete" jsonschema:"false when the input ends inside the frame"`
}

type messageDoc struct {
	Type       string  `json:"type" jsonschema:"text or binary"`
	Compressed bool    `json:"compressed"`
	Inflated   bool    `json:"inflated" jsonschema:"the payload is the inflated data"`
	Fragments  int     `json:"fragments"`
	Frames     []int   `json:"frames" jsonschema:"the indexes of the message's frames"`
	PayloadHex string  `json:"payload_hex"`
	Text       *string `json:"text"`
	Complete   bool    `json:"complete" jsonschema:"false when the message's final fragment is missing"`
}

func decodeSchema() *jsonschema.Schema {
	doc := func(t reflect.Type) *jsonschema.Schema {
		s, err := jsonschema.ForType(t, nil)
		if err != nil {
			panic(err)
		}
		return s
	}
	s, err := jsonschema.For[DecodeResponse](&jsonschema.ForOptions{TypeSchemas: map[reflect.Type]*jsonschema.Schema{
		reflect.TypeFor[frame.Frame]():   doc(reflect.TypeFor[frameDoc]()),
		reflect.TypeFor[frame.Message](): doc(reflect.TypeFor[messageDoc]()),
	}})
	if err != nil {
		panic(err)
	}
	return s
}

// HandshakeArgs are check_handshake's arguments.
type HandshakeArgs struct {
	Request  string `json:"request,omitempty" jsonschema:"the upgrade request as captured: request line and headers (HTTP/2: pseudo-headers and headers); one text holding both request and response works too; request and response together at most 256 KiB"`
	Response string `json:"response,omitempty" jsonschema:"the server's response: status line and headers"`
	Lang     string `json:"lang,omitempty" jsonschema:"language of the checks' messages and of the pages they link: en (the default) or zh"`
}

func (t *mcpTools) checkHandshake(_ context.Context, _ *mcp.CallToolRequest, in HandshakeArgs) (*mcp.CallToolResult, *HandshakeResponse, error) {
	l, err := parseLang(in.Lang, kb.EN)
	if err != nil {
		return nil, nil, err
	}
	out, err := Inspect(t.Catalog, t.Messages, &HandshakeRequest{Request: in.Request, Response: in.Response}, l)
	if err != nil {
		return nil, nil, err
	}
	return nil, out, nil
}
