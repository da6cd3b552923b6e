package api_test

import (
	"bytes"
	"compress/gzip"
	"encoding/json"
	"fmt"
	"io"
	"maps"
	"mime"
	"mime/multipart"
	"net/http"
	"net/http/httptest"
	"net/url"
	"reflect"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/santhosh-tekuri/jsonschema/v6"

	"github.com/wskb/wskb/api"
	"github.com/wskb/wskb/kb"
	"github.com/wskb/wskb/kb/frame"
	"github.com/wskb/wskb/kb/handshake"
	"github.com/wskb/wskb/kb/render"
)

// openAPIURL is the base the document is compiled under.
const openAPIURL = "https://wskb.test/api/v1/openapi.json"

// oaSpec is the OpenAPI document with a JSON Schema 2020-12 compiler that
// compiles the schemas at JSON pointers into it.
type oaSpec struct {
	doc      map[string]any
	compiler *jsonschema.Compiler
	schemas  map[string]*jsonschema.Schema
}

func loadOpenAPI(t *testing.T) *oaSpec {
	t.Helper()
	var doc map[string]any
	if err := json.Unmarshal(api.OpenAPIDocument, &doc); err != nil {
		t.Fatalf("openapi.json is not JSON: %v", err)
	}
	inst, err := jsonschema.UnmarshalJSON(bytes.NewReader(api.OpenAPIDocument))
	if err != nil {
		t.Fatal(err)
	}
	c := jsonschema.NewCompiler()
	c.DefaultDraft(jsonschema.Draft2020)
	c.AssertFormat()
	if err := c.AddResource(openAPIURL, inst); err != nil {
		t.Fatal(err)
	}
	return &oaSpec{doc: doc, compiler: c, schemas: map[string]*jsonschema.Schema{}}
}

// oaPointer joins JSON oaPointer tokens.
func oaPointer(tokens ...string) string {
	var b strings.Builder
	for _, t := range tokens {
		b.WriteByte('/')
		b.WriteString(strings.NewReplacer("~", "~0", "/", "~1").Replace(t))
	}
	return b.String()
}

// at returns the value at the JSON oaPointer ptr, following a $ref where the
// oaPointer passes through one.
func (s *oaSpec) at(ptr string) (any, bool) {
	var v any = s.doc
	if ptr == "" {
		return v, true
	}
	for _, tok := range strings.Split(ptr[1:], "/") {
		tok = strings.NewReplacer("~1", "/", "~0", "~").Replace(tok)
		switch c := s.deref(v).(type) {
		case map[string]any:
			var ok bool
			if v, ok = c[tok]; !ok {
				return nil, false
			}
		case []any:
			i, err := strconv.Atoi(tok)
			if err != nil || i < 0 || i >= len(c) {
				return nil, false
			}
			v = c[i]
		default:
			return nil, false
		}
	}
	return v, true
}

// deref follows local $refs (for the non-schema objects of OpenAPI:
// parameters, responses, headers).
func (s *oaSpec) deref(v any) any {
	for range 10 {
		m, ok := v.(map[string]any)
		if !ok {
			return v
		}
		r, ok := m["$ref"].(string)
		if !ok || !strings.HasPrefix(r, "#/") || strings.HasPrefix(r, "#/components/schemas/") {
			return v
		}
		if v, ok = s.at(r[1:]); !ok {
			return nil
		}
	}
	return v
}

func (s *oaSpec) obj(ptr string) map[string]any {
	v, _ := s.at(ptr)
	m, _ := s.deref(v).(map[string]any)
	return m
}

// schema compiles the schema at ptr.
func (s *oaSpec) schema(t *testing.T, ptr string) *jsonschema.Schema {
	t.Helper()
	if sch, ok := s.schemas[ptr]; ok {
		return sch
	}
	u := url.URL{Fragment: ptr}
	sch, err := s.compiler.Compile(openAPIURL + u.String())
	if err != nil {
		t.Fatalf("compiling the schema at %s: %v", ptr, err)
	}
	s.schemas[ptr] = sch
	return sch
}

var oaMethods = []string{"get", "head", "post", "put", "patch", "delete", "options", "trace"}

// TestOpenAPIDocument checks that the document is a well-formed OpenAPI 3.1
// description: every $ref resolves, every schema compiles as JSON Schema
// 2020-12, every path parameter is declared, every operation has an ID and
// responses with descriptions.
func TestOpenAPIDocument(t *testing.T) {
	s := loadOpenAPI(t)
	if v, _ := s.doc["openapi"].(string); v != "3.1.0" {
		t.Errorf("openapi is %q, want 3.1.0", v)
	}
	info := s.obj("/info")
	if info == nil || info["title"] == "" || info["version"] == "" {
		t.Errorf("info needs a title and a version: %v", info)
	}
	if s.doc["jsonSchemaDialect"] != nil {
		t.Errorf("jsonSchemaDialect is set; the test compiles schemas as plain 2020-12")
	}

	// Every $ref resolves.
	var walk func(v any, where string)
	walk = func(v any, where string) {
		switch t2 := v.(type) {
		case map[string]any:
			if r, ok := t2["$ref"].(string); ok {
				if !strings.HasPrefix(r, "#/") {
					t.Errorf("%s: $ref %q is not local", where, r)
				} else if _, ok := s.at(r[1:]); !ok {
					t.Errorf("%s: $ref %q does not resolve", where, r)
				}
			}
			for k, x := range t2 {
				walk(x, where+oaPointer(k))
			}
		case []any:
			for i, x := range t2 {
				walk(x, fmt.Sprintf("%s/%d", where, i))
			}
		}
	}
	walk(s.doc, "")

	// Every schema compiles: the components, and each schema an operation
	// uses.
	for name := range s.obj("/components/schemas") {
		s.schema(t, oaPointer("components", "schemas", name))
	}
	for name := range s.obj("/components/headers") {
		s.schema(t, oaPointer("components", "headers", name, "schema"))
	}
	for name := range s.obj("/components/parameters") {
		s.schema(t, oaPointer("components", "parameters", name, "schema"))
	}
	for name, r := range s.obj("/components/responses") {
		for mt := range oaMap(oaMap(r)["content"]) {
			s.schema(t, oaPointer("components", "responses", name, "content", mt, "schema"))
		}
	}
	opIDs := map[string]string{}
	paramRe := regexp.MustCompile(`\{([^}]+)\}`)
	for path := range s.obj("/paths") {
		if !strings.HasPrefix(path, "/") {
			t.Errorf("path %q does not start with /", path)
		}
		var inPath []string
		for _, m := range paramRe.FindAllStringSubmatch(path, -1) {
			inPath = append(inPath, m[1])
		}
		n := 0
		for _, method := range oaMethods {
			opPtr := oaPointer("paths", path, method)
			op := s.obj(opPtr)
			if op == nil {
				continue
			}
			n++
			where := strings.ToUpper(method) + " " + path
			id, _ := op["operationId"].(string)
			if id == "" {
				t.Errorf("%s has no operationId", where)
			} else if other, dup := opIDs[id]; dup {
				t.Errorf("%s and %s share the operationId %q", where, other, id)
			}
			opIDs[id] = where
			var declared []string
			for i, p := range oaSlice(op["parameters"]) {
				pp := oaMap(s.deref(p))
				if pp["in"] == "path" {
					declared = append(declared, pp["name"].(string))
					if pp["required"] != true {
						t.Errorf("%s: path parameter %v is not required", where, pp["name"])
					}
				}
				if r, ok := oaMap(p)["$ref"].(string); ok {
					s.schema(t, r[1:]+"/schema")
				} else {
					s.schema(t, fmt.Sprintf("%s/parameters/%d/schema", opPtr, i))
				}
			}
			slices.Sort(declared)
			want := slices.Sorted(slices.Values(inPath))
			if !slices.Equal(declared, want) {
				t.Errorf("%s declares path parameters %v; the path has %v", where, declared, want)
			}
			for mt := range oaMap(oaMap(op["requestBody"])["content"]) {
				s.schema(t, opPtr+oaPointer("requestBody", "content", mt, "schema"))
			}
			responses := oaMap(op["responses"])
			if len(responses) == 0 {
				t.Errorf("%s has no responses", where)
			}
			for status, r := range responses {
				if !regexp.MustCompile(`^(?:[1-5](?:[0-9]{2}|XX)|default)$`).MatchString(status) {
					t.Errorf("%s: response key %q is not a status", where, status)
				}
				rr := oaMap(s.deref(r))
				if d, _ := rr["description"].(string); d == "" {
					t.Errorf("%s %s: the response has no description", where, status)
				}
				for mt := range oaMap(rr["content"]) {
					if method == "head" {
						t.Errorf("%s %s: a HEAD response has content %s", where, status, mt)
					}
					if ref, ok := oaMap(r)["$ref"].(string); ok {
						s.schema(t, ref[1:]+oaPointer("content", mt, "schema"))
					} else {
						s.schema(t, opPtr+oaPointer("responses", status, "content", mt, "schema"))
					}
				}
			}
		}
		if n == 0 {
			t.Errorf("path %s has no operations", path)
		}
	}
}

func oaMap(v any) map[string]any { m, _ := v.(map[string]any); return m }
func oaSlice(v any) []any        { a, _ := v.([]any); return a }

// TestOpenAPIRoutes: every route under /api/ (and /healthz) that the server
// registers is described, and everything described is registered.
func TestOpenAPIRoutes(t *testing.T) {
	s := loadOpenAPI(t)
	srv := newServer(t)
	registered := map[string]bool{}
	for _, r := range srv.Routes() {
		method, path, _ := strings.Cut(r, " ")
		if strings.HasPrefix(path, "/api/") || path == "/healthz" {
			registered[method+" "+path] = true
		}
	}
	if len(registered) == 0 {
		t.Fatal("Routes lists no /api/ route")
	}
	documented := map[string]bool{}
	for path := range s.obj("/paths") {
		for _, m := range oaMethods {
			if s.obj(oaPointer("paths", path, m)) != nil {
				documented[strings.ToUpper(m)+" "+path] = true
			}
		}
	}
	for _, r := range slices.Sorted(maps.Keys(registered)) {
		if !documented[r] {
			t.Errorf("%s is a route but openapi.json does not describe it", r)
		}
	}
	for _, r := range slices.Sorted(maps.Keys(documented)) {
		if !registered[r] {
			t.Errorf("openapi.json describes %s, which is not a route (add it to install in server.go)", r)
		}
	}
}

// TestOpenAPIMatchesGo: the enumerations and object fields of the document
// are those of the Go code that writes the JSON.
func TestOpenAPIMatchesGo(t *testing.T) {
	s := loadOpenAPI(t)
	enums := []struct {
		ptr  string
		want []string
	}{
		{"/components/schemas/Domain", kb.Domains},
		{"/components/schemas/Category", kb.Categories},
		{"/components/schemas/Entry/properties/verification", kb.Verifications},
		{"/components/schemas/Version/properties/status", kb.VersionStatus},
		{"/components/schemas/Figure/properties/basis", kb.FigureBases},
		{"/components/schemas/DateFigure/properties/basis", kb.DateBases},
		{"/components/schemas/Problem/properties/id", frame.ProblemIDs},
		{"/components/schemas/Check/properties/id", handshake.CheckIDs},
		{"/components/schemas/Lang", []string{string(kb.EN), string(kb.ZH)}},
		{"/components/schemas/InputForm", []string{frame.FormHex, frame.FormPrefixed, frame.FormEscaped, frame.FormArray,
			frame.FormDecimalArray, frame.FormXXD, frame.FormHexdump, frame.FormWireshark, frame.FormBase64}},
	}
	for _, e := range enums {
		var got []string
		for _, v := range oaSlice(s.obj(e.ptr)["enum"]) {
			got = append(got, v.(string))
		}
		if !slices.Equal(slices.Sorted(slices.Values(got)), slices.Sorted(slices.Values(e.want))) {
			t.Errorf("%s: enum %v, the code has %v", e.ptr, got, e.want)
		}
	}

	// Object schemas list exactly the fields the Go type writes, and
	// require those it always writes (no omitempty).
	objects := []struct {
		ptr     string
		v       any
		request bool
	}{
		{"Text", kb.Text{}, false},
		{"Entry", kb.Entry{}, false},
		{"Signature", kb.Signature{}, false},
		{"Version", kb.Version{}, false},
		{"Doc", kb.Doc{}, false},
		{"Workaround", kb.Workaround{}, false},
		{"Snippet", kb.Snippet{}, false},
		{"DeadEnd", kb.DeadEnd{}, false},
		{"Source", kb.Source{}, false},
		{"Figure", kb.Figure{}, false},
		{"DateFigure", kb.DateFigure{}, false},
		{"Metrics", kb.Metrics{}, false},
		{"EntrySummary", render.EntrySummary{}, false},
		{"EntryURLs", render.EntryURLs{}, false},
		{"MatchEntry", render.MatchEntry{}, false},
		{"CodeDoc", render.CodeDoc{}, false},
		{"PageURLs", render.PageURLs{}, false},
		{"RangeDoc", render.RangeDoc{}, false},
		{"SearchResponse", api.SearchResponse{}, false},
		{"Recognized", api.Recognized{}, false},
		{"RecognizedBytes", api.RecognizedBytes{}, false},
		{"SearchLink", api.Link{}, false},
		{"ResultURLs", api.ResultURLs{}, false},
		{"SearchResult/oneOf/0", api.SearchResult{}, false},
		{"SearchResult/oneOf/1", api.SearchResult{}, false},
		{"DecodeRequest", api.DecodeRequest{}, true},
		{"DecodeResponse", api.DecodeResponse{}, false},
		{"DecodeResponse/properties/input", api.InputInfo{}, false},
		{"Problem", api.ProblemOut{}, false},
		{"EncodeRequest", api.EncodeRequest{}, true},
		{"HandshakeRequest", api.HandshakeRequest{}, true},
		{"HandshakeResponse", api.HandshakeResponse{}, false},
		{"HandshakeResponse/properties/negotiated", api.NegotiatedOut{}, false},
		{"HandshakeMessage", api.MessageOut{}, false},
		{"HandshakeHeader", api.HeaderOut{}, false},
		{"Check", api.CheckOut{}, false},
		{"HandshakeExtension", api.ExtensionOut{}, false},
		{"HandshakeExtension/properties/params/items", api.ParamOut{}, false},
		{"DeflateAgreement", api.DeflateOut{}, false},
	}
	for _, o := range objects {
		sch := s.obj("/components/schemas/" + o.ptr)
		if sch == nil {
			t.Errorf("%s: no such schema", o.ptr)
			continue
		}
		props, always := oaJSONFields(reflect.TypeOf(o.v))
		var got []string
		for k := range oaMap(sch["properties"]) {
			got = append(got, k)
		}
		if !slices.Equal(slices.Sorted(slices.Values(got)), slices.Sorted(slices.Values(props))) {
			t.Errorf("%s: properties %v; %T writes %v", o.ptr, oaSorted(got), o.v, oaSorted(props))
		}
		if o.request {
			continue
		}
		if sch["additionalProperties"] != false {
			t.Errorf("%s: a response object should set additionalProperties: false", o.ptr)
		}
		var req []string
		for _, v := range oaSlice(sch["required"]) {
			req = append(req, v.(string))
		}
		if !slices.Equal(oaSorted(req), oaSorted(always)) {
			t.Errorf("%s: required %v; %T always writes %v", o.ptr, oaSorted(req), o.v, oaSorted(always))
		}
	}
}

func oaSorted(xs []string) []string { return slices.Sorted(slices.Values(xs)) }

// oaJSONFields lists the JSON names encoding/json writes for a struct type,
// and those it writes always (no omitempty).
func oaJSONFields(t reflect.Type) (all, always []string) {
	for i := range t.NumField() {
		f := t.Field(i)
		tag := f.Tag.Get("json")
		if tag == "-" || !f.IsExported() {
			continue
		}
		name, opts, _ := strings.Cut(tag, ",")
		if f.Anonymous && name == "" && f.Type.Kind() == reflect.Struct {
			a, b := oaJSONFields(f.Type)
			all, always = append(all, a...), append(always, b...)
			continue
		}
		if name == "" {
			name = f.Name
		}
		all = append(all, name)
		if !strings.Contains(opts, "omitempty") {
			always = append(always, name)
		}
	}
	return all, always
}

// oaCase is a request and the operation of the document it exercises.
type oaCase struct {
	name   string
	op     string // "METHOD /path/template" as in the document
	r      req
	status int
	// check, when set, looks further at a decoded JSON body.
	check func(t *testing.T, body any)
}

func oaJSON(v any) req {
	b, err := json.Marshal(v)
	if err != nil {
		panic(err)
	}
	return req{header: map[string]string{"Content-Type": "application/json"}, body: bytes.NewReader(b)}
}

func oaForm(v url.Values) req {
	return req{header: map[string]string{"Content-Type": "application/x-www-form-urlencoded"}, body: strings.NewReader(v.Encode())}
}

func oaMultipart(fields map[string]string) req {
	var buf bytes.Buffer
	w := multipart.NewWriter(&buf)
	for _, k := range slices.Sorted(maps.Keys(fields)) {
		w.WriteField(k, fields[k])
	}
	w.Close()
	return req{header: map[string]string{"Content-Type": w.FormDataContentType()}, body: bytes.NewReader(buf.Bytes())}
}

func oaPost(path string, r req) req { r.method, r.path = http.MethodPost, path; return r }

const (
	oaRFCRequest  = "GET /chat HTTP/1.1\nHost: server.example.com\nUpgrade: websocket\nConnection: Upgrade\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\nOrigin: http://example.com\nSec-WebSocket-Protocol: chat, superchat\nSec-WebSocket-Version: 13\n"
	oaRFCResponse = "HTTP/1.1 101 Switching Protocols\nUpgrade: websocket\nConnection: Upgrade\nSec-WebSocket-Accept: s3pPLMBiTxaQ9kYGzzhZRbK+xOo=\nSec-WebSocket-Protocol: chat\n"
	oaH2Request   = ":method: CONNECT\n:protocol: websocket\n:scheme: https\n:path: /chat\n:authority: server.example.com\nsec-websocket-version: 13\norigin: https://server.example.com\nsec-websocket-extensions: permessage-deflate; client_max_window_bits\n"
	oaH2Response  = ":status: 200\nsec-websocket-extensions: permessage-deflate; server_no_context_takeover\n"
)

// oaField reads a JSON path (keys and indexes) from a decoded body.
func oaField(v any, path ...any) any {
	for _, p := range path {
		switch k := p.(type) {
		case string:
			v = oaMap(v)[k]
		case int:
			a := oaSlice(v)
			if k >= len(a) {
				return nil
			}
			v = a[k]
		}
	}
	return v
}

func oaWant(want any, path ...any) func(*testing.T, any) {
	return func(t *testing.T, body any) {
		t.Helper()
		if got := oaField(body, path...); fmt.Sprint(got) != fmt.Sprint(want) {
			t.Errorf("%v is %v, want %v", path, got, want)
		}
	}
}

func openAPICases() []oaCase {
	entry := "/api/v1/entries/" + id1009
	const (
		opEntries = "GET /api/v1/entries"
		opEntry   = "GET /api/v1/entries/{domain}/{slug}"
		opCode    = "GET /api/v1/codes/{code}"
		opSearch  = "GET /api/v1/search"
		opDecode  = "POST /api/v1/decode"
		opEncode  = "POST /api/v1/encode"
		opHS      = "POST /api/v1/handshake"
	)
	hello := "81 85 37 fa 21 3d 7f 9f 4d 51 58"
	return []oaCase{
		{"entries", opEntries, req{path: "/api/v1/entries"}, 200, nil},
		{"entries en", opEntries, req{path: "/api/v1/entries?lang=en"}, 200, nil},
		{"entries zh", opEntries, req{path: "/api/v1/entries?lang=zh"}, 200, nil},
		{"entries gzip", opEntries, req{path: "/api/v1/entries", header: map[string]string{"Accept-Encoding": "gzip"}}, 200, nil},
		{"entries bad lang", opEntries, req{path: "/api/v1/entries?lang=fr"}, 400, nil},
		{"entries head", "HEAD /api/v1/entries", req{method: http.MethodHead, path: "/api/v1/entries?lang=zh"}, 200, nil},
		{"entries head bad lang", "HEAD /api/v1/entries", req{method: http.MethodHead, path: "/api/v1/entries?lang=xx"}, 400, nil},
		{"ndjson", "GET /api/v1/entries.ndjson", req{path: "/api/v1/entries.ndjson"}, 200, nil},
		{"ndjson head", "HEAD /api/v1/entries.ndjson", req{method: http.MethodHead, path: "/api/v1/entries.ndjson"}, 200, nil},
		{"match", "GET /api/v1/match.json", req{path: "/api/v1/match.json"}, 200, nil},
		{"match zh", "GET /api/v1/match.json", req{path: "/api/v1/match.json?lang=zh"}, 200, nil},
		{"match bad lang", "GET /api/v1/match.json", req{path: "/api/v1/match.json?lang=EN"}, 400, nil},
		{"match head", "HEAD /api/v1/match.json", req{method: http.MethodHead, path: "/api/v1/match.json"}, 200, nil},
		{"entry", opEntry, req{path: entry}, 200, oaWant(1009, "close_code")},
		{"entry en", opEntry, req{path: entry + "?lang=en"}, 200, nil},
		{"entry zh", opEntry, req{path: entry + "?lang=zh"}, 200, nil},
		{"entry escaped", opEntry, req{path: "/api/v1/entries/communication/websocket-close-frame-1009-message-too-l%61rge"}, 200, nil},
		{"entry unknown", opEntry, req{path: "/api/v1/entries/communication/no-such-entry"}, 404, nil},
		{"entry unknown domain", opEntry, req{path: "/api/v1/entries/nowhere/websocket-close-frame-1009-message-too-large"}, 404, nil},
		{"entry bad lang", opEntry, req{path: entry + "?lang=fr"}, 400, nil},
		{"entry head", "HEAD /api/v1/entries/{domain}/{slug}", req{method: http.MethodHead, path: entry}, 200, nil},
		{"entry head unknown", "HEAD /api/v1/entries/{domain}/{slug}", req{method: http.MethodHead, path: "/api/v1/entries/communication/nope"}, 404, nil},
		{"codes", "GET /api/v1/codes", req{path: "/api/v1/codes"}, 200, nil},
		{"codes zh", "GET /api/v1/codes", req{path: "/api/v1/codes?lang=zh"}, 200, nil},
		{"codes bad lang", "GET /api/v1/codes", req{path: "/api/v1/codes?lang=de"}, 400, nil},
		{"codes head", "HEAD /api/v1/codes", req{method: http.MethodHead, path: "/api/v1/codes"}, 200, nil},
		{"code 1009", opCode, req{path: "/api/v1/codes/1009"}, 200, oaWant("Message Too Big", "name")},
		{"code 1009 zh", opCode, req{path: "/api/v1/codes/1009?lang=zh"}, 200, nil},
		{"code 1006 en", opCode, req{path: "/api/v1/codes/1006?lang=en"}, 200, nil},
		{"code unregistered", opCode, req{path: "/api/v1/codes/4321"}, 200, oaWant(nil, "meaning")},
		{"code unregistered zh", opCode, req{path: "/api/v1/codes/4321?lang=zh"}, 200, nil},
		{"code 0", opCode, req{path: "/api/v1/codes/0"}, 200, nil},
		{"code 3000", opCode, req{path: "/api/v1/codes/3000"}, 200, nil},
		{"code not a number", opCode, req{path: "/api/v1/codes/abc"}, 404, nil},
		{"code too big", opCode, req{path: "/api/v1/codes/5000"}, 404, nil},
		{"code bad lang", opCode, req{path: "/api/v1/codes/1009?lang=fr"}, 400, nil},
		{"code head", "HEAD /api/v1/codes/{code}", req{method: http.MethodHead, path: "/api/v1/codes/1009"}, 200, nil},
		{"code head bad", "HEAD /api/v1/codes/{code}", req{method: http.MethodHead, path: "/api/v1/codes/x"}, 404, nil},
		{"search code", opSearch, req{path: "/api/v1/search?q=1006"}, 200, oaWant("close_code", "results", 0, "type")},
		{"search line", opSearch, req{path: "/api/v1/search?" + url.Values{"q": {"websocket: close 1006 (abnormal closure): unexpected EOF"}}.Encode()}, 200,
			oaWant("signature", "results", 0, "matched", 0, "kind")},
		{"search http status", opSearch, req{path: "/api/v1/search?q=HTTP+426&limit=1"}, 200, oaWant(426, "recognized", "http_statuses", 0)},
		{"search bytes", opSearch, req{path: "/api/v1/search?" + url.Values{"q": {hello}}.Encode()}, 200, oaWant(11, "recognized", "bytes", "length")},
		{"search words", opSearch, req{path: "/api/v1/search?q=nginx+proxy+timeout&limit=50"}, 200, nil},
		{"search zh", opSearch, req{path: "/api/v1/search?" + url.Values{"q": {"连接 断开"}}.Encode()}, 200, oaWant("zh", "lang")},
		{"search lang zh", opSearch, req{path: "/api/v1/search?q=1009&lang=zh"}, 200, nil},
		{"search nothing", opSearch, req{path: "/api/v1/search?q=qqqzzzxxx"}, 200, nil},
		{"search no q", opSearch, req{path: "/api/v1/search"}, 400, nil},
		{"search blank q", opSearch, req{path: "/api/v1/search?q=+++"}, 400, nil},
		{"search long q", opSearch, req{path: "/api/v1/search?q=" + strings.Repeat("a", 9000)}, 400, nil},
		{"search limit 0", opSearch, req{path: "/api/v1/search?q=1006&limit=0"}, 400, nil},
		{"search limit 51", opSearch, req{path: "/api/v1/search?q=1006&limit=51"}, 400, nil},
		{"search limit word", opSearch, req{path: "/api/v1/search?q=1006&limit=ten"}, 400, nil},
		{"search bad lang", opSearch, req{path: "/api/v1/search?q=1006&lang=jp"}, 400, nil},
		{"search head", "HEAD /api/v1/search", req{method: http.MethodHead, path: "/api/v1/search?q=1006"}, 200, nil},
		{"search head no q", "HEAD /api/v1/search", req{method: http.MethodHead, path: "/api/v1/search"}, 400, nil},

		{"decode hello", opDecode, oaPost("/api/v1/decode", oaJSON(map[string]any{"hex": hello})), 200, oaWant("Hello", "messages", 0, "text")},
		{"decode deflate", opDecode, oaPost("/api/v1/decode", oaJSON(map[string]any{"hex": "c1 07 f2 48 cd c9 c9 07 00", "deflate": true})), 200,
			oaWant(true, "messages", 0, "inflated")},
		{"decode deflate settings", opDecode, oaPost("/api/v1/decode", oaJSON(map[string]any{"hex": "c1 07 f2 48 cd c9 c9 07 00", "deflate": true,
			"client_no_context_takeover": true, "server_no_context_takeover": true, "client_max_window_bits": 15, "server_max_window_bits": 9, "max_inflated": 1024, "role": "server"})), 200, nil},
		{"decode compressed without deflate", opDecode, oaPost("/api/v1/decode", oaJSON(map[string]any{"hex": "c1 07 f2 48 cd c9 c9 07 00"})), 200, nil},
		{"decode problems zh form", opDecode, oaPost("/api/v1/decode", oaForm(url.Values{"hex": {"88 02 03 e8 89 00 0a 01 00"}, "role": {"client"}, "lang": {"zh"}})), 200,
			oaWant("client-unmasked", "problems", 0, "id")},
		{"decode multipart", opDecode, oaPost("/api/v1/decode", oaMultipart(map[string]string{"hex": "0x81, 0x05, 0x48, 0x65, 0x6c, 0x6c, 0x6f", "role": "server"})), 200,
			oaWant("0x", "input", "format")},
		{"decode base64", opDecode, oaPost("/api/v1/decode", oaJSON(map[string]any{"hex": "gQVIZWxsbw==", "encoding": "base64"})), 200, oaWant("base64", "input", "format")},
		{"decode xxd", opDecode, oaPost("/api/v1/decode", oaJSON(map[string]any{"hex": "00000000: 8105 4865 6c6c 6f                        ..Hello"})), 200, nil},
		{"decode truncated", opDecode, oaPost("/api/v1/decode", oaJSON(map[string]any{"hex": "81 05 48 65"})), 200, oaWant(false, "frames", 0, "complete")},
		{"decode short header", opDecode, oaPost("/api/v1/decode", oaJSON(map[string]any{"hex": "81"})), 200, nil},
		{"decode fragments", opDecode, oaPost("/api/v1/decode", oaJSON(map[string]any{"hex": "01 03 48 65 6c 89 00 80 02 6c 6f 02 01 ff 88 03 03 ef ff 8b 00"})), 200, nil},
		{"decode empty", opDecode, oaPost("/api/v1/decode", oaJSON(map[string]any{"hex": ""})), 200, nil},
		{"decode bad hex", opDecode, oaPost("/api/v1/decode", oaJSON(map[string]any{"hex": "zz"})), 400, nil},
		{"decode bad role", opDecode, oaPost("/api/v1/decode", oaJSON(map[string]any{"hex": "81 00", "role": "proxy"})), 400, nil},
		{"decode bad bits", opDecode, oaPost("/api/v1/decode", oaJSON(map[string]any{"hex": "81 00", "client_max_window_bits": 7})), 400, nil},
		{"decode bad lang", opDecode, oaPost("/api/v1/decode", oaJSON(map[string]any{"hex": "81 00", "lang": "fr"})), 400, nil},
		{"decode bad json", opDecode, oaPost("/api/v1/decode", req{header: map[string]string{"Content-Type": "application/json"}, body: strings.NewReader(`{"hex":`)}), 400, nil},
		{"decode wrong type", opDecode, oaPost("/api/v1/decode", req{header: map[string]string{"Content-Type": "application/json"}, body: strings.NewReader(`{"deflate":"yes"}`)}), 400, nil},
		{"decode text/plain", opDecode, oaPost("/api/v1/decode", req{header: map[string]string{"Content-Type": "text/plain"}, body: strings.NewReader("81 00")}), 400, nil},
		{"decode hex over 1 MiB", opDecode, oaPost("/api/v1/decode", oaJSON(map[string]any{"hex": strings.Repeat("00", api.MaxDecodeInput/2+1)})), 413, nil},
		{"decode body over 4 MiB", opDecode, oaPost("/api/v1/decode", oaForm(url.Values{"hex": {strings.Repeat("0", 5<<20)}})), 413, nil},

		{"encode hello", opEncode, oaPost("/api/v1/encode", oaJSON(map[string]any{"opcode": "text", "text": "Hello"})), 200, oaWant("810548656c6c6f", "hex")},
		{"encode close form", opEncode, oaPost("/api/v1/encode", oaForm(url.Values{"opcode": {"close"}, "close_code": {"1000"}, "close_reason": {"bye"}, "mask": {"true"}})), 200,
			oaWant(1000, "frame", "close_code")},
		{"encode everything", opEncode, oaPost("/api/v1/encode", oaJSON(map[string]any{"opcode": "2", "fin": false, "rsv2": true, "rsv3": true,
			"mask": true, "mask_key": "01020304", "payload_hex": "00 ff", "length_bits": 64})), 200, oaWant(64, "frame", "length_bits")},
		{"encode compressed", opEncode, oaPost("/api/v1/encode", oaJSON(map[string]any{"opcode": "text", "text": "Hello", "compress": true, "fin": nil})), 200,
			oaWant(nil, "frame", "text")},
		{"encode ping multipart", opEncode, oaPost("/api/v1/encode", oaMultipart(map[string]string{"opcode": "ping", "text": "hi"})), 200, nil},
		{"encode bad opcode", opEncode, oaPost("/api/v1/encode", oaJSON(map[string]any{"opcode": "hello"})), 400, nil},
		{"encode no opcode", opEncode, oaPost("/api/v1/encode", oaJSON(map[string]any{"text": "Hello"})), 400, nil},
		{"encode bad mask key", opEncode, oaPost("/api/v1/encode", oaJSON(map[string]any{"opcode": "text", "mask": true, "mask_key": "xyz"})), 400, nil},
		{"encode bad length form", opEncode, oaPost("/api/v1/encode", oaJSON(map[string]any{"opcode": "text", "length_bits": 8})), 400, nil},
		{"encode bad json", opEncode, oaPost("/api/v1/encode", req{header: map[string]string{"Content-Type": "application/json"}, body: strings.NewReader(`[`)}), 400, nil},
		{"encode payload over 1 MiB", opEncode, oaPost("/api/v1/encode", oaJSON(map[string]any{"opcode": "binary", "payload_hex": strings.Repeat("ab", api.MaxDecodeInput+1)})), 413, nil},

		{"handshake rfc", opHS, oaPost("/api/v1/handshake", oaJSON(map[string]any{"request": oaRFCRequest, "response": oaRFCResponse})), 200, oaWant("ok", "verdict")},
		{"handshake rfc zh", opHS, oaPost("/api/v1/handshake", oaJSON(map[string]any{"request": oaRFCRequest, "response": oaRFCResponse, "lang": "zh"})), 200, nil},
		{"handshake http2 deflate zh", opHS, oaPost("/api/v1/handshake", oaJSON(map[string]any{"request": oaH2Request, "response": oaH2Response, "lang": "zh"})), 200,
			oaWant(true, "negotiated", "deflate", "server_no_context_takeover")},
		{"handshake response only form", opHS, oaPost("/api/v1/handshake", oaForm(url.Values{"response": {"HTTP/1.1 200 OK\nContent-Type: text/html\n"}})), 200,
			oaWant(nil, "request")},
		{"handshake request only multipart", opHS, oaPost("/api/v1/handshake", oaMultipart(map[string]string{"request": oaRFCRequest})), 200, oaWant(nil, "response")},
		{"handshake broken", opHS, oaPost("/api/v1/handshake", oaJSON(map[string]any{"request": "GET /ws HTTP/1.0\nHost: a\nConnection: close\n", "response": "HTTP/1.1 400 Bad Request\n"})), 200,
			oaWant("broken", "verdict")},
		{"handshake empty", opHS, oaPost("/api/v1/handshake", oaJSON(map[string]any{})), 400, nil},
		{"handshake bad lang", opHS, oaPost("/api/v1/handshake", oaJSON(map[string]any{"request": oaRFCRequest, "lang": "xx"})), 400, nil},
		{"handshake bad json", opHS, oaPost("/api/v1/handshake", req{header: map[string]string{"Content-Type": "application/json"}, body: strings.NewReader(`{"request": 1}`)}), 400, nil},
		{"handshake too big", opHS, oaPost("/api/v1/handshake", oaJSON(map[string]any{"request": oaRFCRequest + "X-Pad: " + strings.Repeat("a", handshake.MaxInput)})), 413, nil},

		{"openapi", "GET /api/v1/openapi.json", req{path: "/api/v1/openapi.json"}, 200, oaWant("3.1.0", "openapi")},
		{"openapi gzip", "GET /api/v1/openapi.json", req{path: "/api/v1/openapi.json", header: map[string]string{"Accept-Encoding": "gzip"}}, 200, nil},
		{"openapi head", "HEAD /api/v1/openapi.json", req{method: http.MethodHead, path: "/api/v1/openapi.json"}, 200, nil},
		{"healthz", "GET /healthz", req{path: "/healthz"}, 200, nil},
		{"healthz head", "HEAD /healthz", req{method: http.MethodHead, path: "/healthz"}, 200, nil},
	}
}

// TestOpenAPIResponses sends real requests to every route and validates
// each answer against the document: its status is described for the
// operation, its content type is one the response lists, its body matches
// the schema (each line of NDJSON), and the headers it requires are there.
func TestOpenAPIResponses(t *testing.T) {
	s := loadOpenAPI(t)
	srv := newServer(t)
	exercised := map[string]bool{}
	for _, tc := range openAPICases() {
		t.Run(tc.name, func(t *testing.T) {
			exercised[tc.op] = true
			rec := do(t, srv, tc.r)
			if rec.Code != tc.status {
				t.Fatalf("status %d, want %d; body:\n%.300s", rec.Code, tc.status, rec.Body)
			}
			body := s.validate(t, tc.op, rec)
			if tc.check != nil && body != nil {
				tc.check(t, body)
			}
			// A repeated GET with the tag it got is answered 304, as
			// documented.
			if tc.r.method == "" && rec.Code == http.StatusOK {
				if etag := rec.Header().Get("ETag"); etag != "" {
					r := tc.r
					r.header = map[string]string{"If-None-Match": etag}
					for k, v := range tc.r.header {
						r.header[k] = v
					}
					rec := do(t, srv, r)
					if rec.Code != http.StatusNotModified {
						t.Fatalf("If-None-Match %s: status %d, want 304", etag, rec.Code)
					}
					s.validate(t, tc.op, rec)
				}
			}
		})
	}

	// Every entry, in both forms.
	rec := do(t, srv, req{path: "/api/v1/entries"})
	var list struct{ Entries []struct{ ID string } }
	if err := json.Unmarshal(rec.Body.Bytes(), &list); err != nil || len(list.Entries) == 0 {
		t.Fatalf("entry list: %v", err)
	}
	for _, e := range list.Entries {
		for _, q := range []string{"", "?lang=en", "?lang=zh"} {
			rec := do(t, srv, req{path: "/api/v1/entries/" + e.ID + q})
			if rec.Code != http.StatusOK {
				t.Fatalf("%s%s: status %d", e.ID, q, rec.Code)
			}
			t.Run(e.ID+q, func(t *testing.T) { s.validate(t, "GET /api/v1/entries/{domain}/{slug}", rec) })
		}
	}

	// Methods a path does not take: 405 with Allow.
	for _, r := range []req{
		{method: http.MethodPost, path: "/api/v1/entries"},
		{method: http.MethodDelete, path: "/api/v1/codes/1009"},
		{method: http.MethodGet, path: "/api/v1/decode"},
		{method: http.MethodPut, path: "/api/v1/handshake"},
	} {
		t.Run(r.method+" "+r.path, func(t *testing.T) {
			rec := do(t, srv, r)
			if rec.Code != http.StatusMethodNotAllowed {
				t.Fatalf("status %d, want 405", rec.Code)
			}
			s.validateResponse(t, "/components/responses/MethodNotAllowed", rec, false)
		})
	}

	for path := range s.obj("/paths") {
		for _, m := range oaMethods {
			op := strings.ToUpper(m) + " " + path
			if s.obj(oaPointer("paths", path, m)) != nil && !exercised[op] {
				t.Errorf("no request exercises %s", op)
			}
		}
	}
}

// validate checks rec against the operation op ("METHOD /template") and
// returns the decoded JSON body, if any.
func (s *oaSpec) validate(t *testing.T, op string, rec *httptest.ResponseRecorder) any {
	t.Helper()
	method, path, _ := strings.Cut(op, " ")
	opPtr := oaPointer("paths", path, strings.ToLower(method))
	if s.obj(opPtr) == nil {
		t.Fatalf("openapi.json does not describe %s", op)
	}
	status := fmt.Sprint(rec.Code)
	responses := s.obj(opPtr + "/responses")
	key := status
	if responses[key] == nil {
		key = status[:1] + "XX"
	}
	if responses[key] == nil {
		key = "default"
	}
	if responses[key] == nil {
		t.Fatalf("%s does not describe status %s", op, status)
	}
	ptr := opPtr + oaPointer("responses", key)
	if ref, ok := oaMap(responses[key])["$ref"].(string); ok {
		ptr = ref[1:]
	}
	return s.validateResponse(t, ptr, rec, method == http.MethodHead)
}

// validateResponse checks rec against the response object at ptr.
func (s *oaSpec) validateResponse(t *testing.T, ptr string, rec *httptest.ResponseRecorder, head bool) any {
	t.Helper()
	resp := s.obj(ptr)
	h := rec.Header()
	for name, hv := range oaMap(resp["headers"]) {
		hd := oaMap(s.deref(hv))
		v, present := h[http.CanonicalHeaderKey(name)]
		if !present {
			if hd["required"] == true {
				t.Errorf("header %s is missing", name)
			}
			continue
		}
		hptr := ptr + oaPointer("headers", name, "schema")
		if r, ok := oaMap(hv)["$ref"].(string); ok {
			hptr = r[1:] + "/schema"
		}
		if err := s.schema(t, hptr).Validate(v[0]); err != nil {
			t.Errorf("header %s: %q: %v", name, v[0], err)
		}
	}
	content := oaMap(resp["content"])
	raw := rec.Body.Bytes()
	if head {
		// net/http drops a HEAD response's body; the recorder keeps it.
		return nil
	}
	if len(content) == 0 {
		if len(raw) != 0 {
			t.Errorf("the response has no content, but the body is %.100q", raw)
		}
		return nil
	}
	ct := h.Get("Content-Type")
	mt, _, err := mime.ParseMediaType(ct)
	if err != nil {
		t.Fatalf("Content-Type %q: %v", ct, err)
	}
	if content[mt] == nil {
		t.Fatalf("Content-Type %q is not among %v", ct, slices.Sorted(maps.Keys(content)))
	}
	if h.Get("Content-Encoding") == "gzip" {
		zr, err := gzip.NewReader(bytes.NewReader(raw))
		if err != nil {
			t.Fatal(err)
		}
		if raw, err = io.ReadAll(zr); err != nil {
			t.Fatal(err)
		}
	}
	sch := s.schema(t, ptr+oaPointer("content", mt, "schema"))
	switch {
	case mt == "application/x-ndjson":
		if !bytes.HasSuffix(raw, []byte("\n")) {
			t.Errorf("the NDJSON body does not end with a newline")
		}
		lines := bytes.Split(bytes.TrimSuffix(raw, []byte("\n")), []byte("\n"))
		for i, line := range lines {
			v, err := jsonschema.UnmarshalJSON(bytes.NewReader(line))
			if err != nil {
				t.Fatalf("line %d: %v", i+1, err)
			}
			if err := sch.Validate(v); err != nil {
				t.Errorf("line %d: %v", i+1, err)
			}
		}
		return nil
	case strings.HasPrefix(mt, "text/"):
		if err := sch.Validate(string(raw)); err != nil {
			t.Errorf("body %q: %v", raw, err)
		}
		return nil
	}
	v, err := jsonschema.UnmarshalJSON(bytes.NewReader(raw))
	if err != nil {
		t.Fatalf("the body is not JSON: %v\n%.300s", err, raw)
	}
	if err := sch.Validate(v); err != nil {
		t.Errorf("the body does not match %s: %v", ptr, err)
	}
	if e := oaField(v, "error", "code"); e != nil && fmt.Sprint(e) != fmt.Sprint(rec.Code) {
		t.Errorf("error.code is %v; the status is %d", e, rec.Code)
	}
	var out any
	json.Unmarshal(raw, &out)
	return out
}

// TestOpenAPISchemasReject: the schemas are strict enough to catch a
// changed answer (a sanity check of the validation itself).
func TestOpenAPISchemasReject(t *testing.T) {
	s := loadOpenAPI(t)
	srv := newServer(t)
	entry := s.schema(t, "/components/schemas/Entry")
	rec := do(t, srv, req{path: "/api/v1/entries/" + id1009})
	mutations := []struct {
		name string
		f    func(m map[string]any)
	}{
		{"close_code a string", func(m map[string]any) { m["close_code"] = "1009" }},
		{"title missing", func(m map[string]any) { delete(m, "title") }},
		{"unknown field", func(m map[string]any) { m["extra"] = true }},
		{"text without zh", func(m map[string]any) { delete(oaMap(m["summary"]), "zh") }},
		{"unknown category", func(m map[string]any) { m["category"] = "misc" }},
		{"bad date", func(m map[string]any) { oaMap(oaMap(m["metrics"])["first_seen"])["value"] = "last year" }},
		{"signatures null", func(m map[string]any) { m["signatures"] = nil }},
	}
	for _, mu := range mutations {
		var m map[string]any
		if err := json.Unmarshal(rec.Body.Bytes(), &m); err != nil {
			t.Fatal(err)
		}
		if err := entry.Validate(m); err != nil {
			t.Fatalf("the unchanged entry does not validate: %v", err)
		}
		mu.f(m)
		if err := entry.Validate(m); err == nil {
			t.Errorf("%s: the Entry schema accepts it", mu.name)
		}
	}
	frameSchema := s.schema(t, "/components/schemas/DecodeResponse")
	for _, bad := range []string{
		`{"input":{"format":"hex","bytes":0},"frames":[],"messages":[],"problems":[{"id":"no-such-problem","frame":0,"close_code":null,"message":"","rfc":"","offset":null,"url":""}]}`,
		`{"input":{"format":"hex","bytes":0},"frames":null,"messages":[],"problems":[]}`,
		`{"input":{"format":"guess","bytes":0},"frames":[],"messages":[],"problems":[]}`,
	} {
		v, err := jsonschema.UnmarshalJSON(strings.NewReader(bad))
		if err != nil {
			t.Fatal(err)
		}
		if err := frameSchema.Validate(v); err == nil {
			t.Errorf("the DecodeResponse schema accepts %s", bad)
		}
	}
}
