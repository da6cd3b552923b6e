package render

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"runtime"
	"sort"
	"strconv"
	"sync"
	"unicode/utf8"

	"github.com/wskb/wskb/kb"
)

// Forms are one entry rendered in every language and format, kept for the
// life of the process. Index the per-language arrays with LangIndex.
type Forms struct {
	Entry    *kb.Entry
	HTML     [2]*Body
	Markdown [2]*Body
	JSON     *Body    // both languages
	JSONIn   [2]*Body // texts collapsed to one language (?lang=)
}

// LangIndex is the index of l in the per-language arrays.
func LangIndex(l kb.Lang) int {
	if l == kb.ZH {
		return 1
	}
	return 0
}

// Site is everything pre-rendered: the entries in every form, the home page
// and the entry list.
type Site struct {
	Catalog *kb.Catalog
	entries map[string]*Forms
	// Home[lang][offer] is the home page; offer=1 adds the notice that the
	// page exists in the other language.
	Home        [2][2]*Body
	HomeMD      [2]*Body
	EntryList   *Body
	EntryListIn [2]*Body
	CodeList    *Body
	CodeListIn  [2]*Body
	// EntriesNDJSON is every entry, both languages, one JSON document a
	// line.
	EntriesNDJSON *Body
	// Match is the compact match index: id, title, codes, signatures and
	// URL of every entry, small enough to hand to a language model whole.
	Match   *Body
	MatchIn [2]*Body
	// LLMs and LLMsFull are /llms.txt and /llms-full.txt per language, with
	// site-relative links (the handler makes them absolute).
	LLMs, LLMsFull [2][]byte
}

// MatchEntry is one row of the match index.
type MatchEntry struct {
	ID         string   `json:"id"`
	Title      kb.Text  `json:"title"`
	CloseCode  *int     `json:"close_code"`
	HTTPStatus *int     `json:"http_status"`
	Signatures []string `json:"signatures"`
	URL        string   `json:"url"`
}

// Forms returns the pre-rendered forms of the entry id.
func (s *Site) Forms(id string) (*Forms, error) {
	if f, ok := s.entries[id]; ok {
		return f, nil
	}
	return nil, kb.Errorf(kb.ENOTFOUND, "no entry has the ID %q", id)
}

// Compress makes the gzip form of every pre-rendered body. Run it in the
// background after start-up: until it is done, the first request for a
// body compresses it.
func (s *Site) Compress() {
	var all []*Body
	for _, f := range s.entries {
		all = append(all, f.JSON, f.JSONIn[0], f.JSONIn[1], f.HTML[0], f.HTML[1], f.Markdown[0], f.Markdown[1])
	}
	all = append(all, s.Home[0][0], s.Home[0][1], s.Home[1][0], s.Home[1][1], s.HomeMD[0], s.HomeMD[1],
		s.EntryList, s.EntryListIn[0], s.EntryListIn[1], s.CodeList, s.CodeListIn[0], s.CodeListIn[1])
	for _, b := range all {
		b.Gzip()
	}
}

// EntrySummary is an entry's summary with its addresses, as in the entry
// list.
type EntrySummary struct {
	kb.Summary
	URLs EntryURLs `json:"urls"`
}

// EntryURLs are the addresses of an entry's forms.
type EntryURLs struct {
	HTML       string `json:"html"`
	HTMLZH     string `json:"html_zh"`
	Markdown   string `json:"markdown"`
	MarkdownZH string `json:"markdown_zh"`
	JSON       string `json:"json"`
}

// Summarize returns e's summary with its addresses.
func Summarize(e *kb.Entry) EntrySummary {
	p := EntryPath(e.ID)
	return EntrySummary{e.Summarize(), EntryURLs{
		HTML: p, HTMLZH: LangPath(kb.ZH, p),
		Markdown: p + ".md", MarkdownZH: LangPath(kb.ZH, p) + ".md",
		JSON: EntryAPIPath(e.ID),
	}}
}

// EntryView is what the entry page and the entry Markdown receive.
type EntryView struct {
	*kb.Entry
	Code    *kb.CodeInfo
	Related []*kb.Entry
}

// HomeView is what the home page receives.
type HomeView struct {
	Codes   []CodeRow
	Entries []*kb.Entry
}

// CodeRow is one row of the home page's close-code table: a registered code,
// or a range of unassigned ones (Code < 0 then, with From and To).
type CodeRow struct {
	kb.CodeInfo
	From, To int
	Entries  []*kb.Entry
}

// CodeView is what a close-code page receives.
type CodeView struct {
	kb.CodeInfo
	Entries    []*kb.Entry
	Prev, Next int // -1 at the ends
}

// Build renders every entry in every form, the home pages and the lists.
func Build(r *Renderer, cat *kb.Catalog) (*Site, error) {
	s := &Site{Catalog: cat, entries: make(map[string]*Forms, len(cat.Entries()))}
	forms, err := renderAll(r, cat)
	if err != nil {
		return nil, err
	}
	for _, f := range forms {
		s.entries[f.Entry.ID] = f
	}
	home := &HomeView{Codes: codeRows(cat), Entries: cat.Entries()}
	for _, l := range kb.Langs {
		for offer := range 2 {
			p := &Page{Lang: l, Path: "/", JSON: "/api/v1/entries", Markdown: true, OfferOther: offer == 1,
				Title: r.msgs.T(l, "home.title"), Description: r.msgs.T(l, "home.lead"), Data: home}
			b, err := r.PageBytes("home", p)
			if err != nil {
				return nil, fmt.Errorf("render home: %w", err)
			}
			s.Home[LangIndex(l)][offer] = NewBody(b)
		}
		md, err := r.Text(l, "home.md", home)
		if err != nil {
			return nil, fmt.Errorf("render home: %w", err)
		}
		s.HomeMD[LangIndex(l)] = NewBody(md)
	}
	sums := make([]EntrySummary, 0, len(cat.Entries()))
	for _, e := range cat.Entries() {
		sums = append(sums, Summarize(e))
	}
	if s.EntryList, s.EntryListIn, err = jsonBodies(map[string]any{"entries": sums}); err != nil {
		return nil, err
	}
	if s.CodeList, s.CodeListIn, err = jsonBodies(r.CodeList(cat)); err != nil {
		return nil, err
	}
	var nd bytes.Buffer
	rows := make([]MatchEntry, 0, len(cat.Entries()))
	for _, e := range cat.Entries() {
		b, err := json.Marshal(e)
		if err != nil {
			return nil, err
		}
		nd.Write(b)
		nd.WriteByte('\n')
		m := MatchEntry{ID: e.ID, Title: e.Title, CloseCode: e.CloseCode, HTTPStatus: e.HTTPStatus, Signatures: []string{}, URL: EntryAPIPath(e.ID)}
		for _, sg := range e.Signatures {
			m.Signatures = append(m.Signatures, sg.Text)
		}
		rows = append(rows, m)
	}
	s.EntriesNDJSON = NewBody(nd.Bytes())
	if s.Match, s.MatchIn, err = jsonBodies(map[string]any{"entries": rows}); err != nil {
		return nil, err
	}
	for _, l := range kb.Langs {
		for full, dst := range []*[2][]byte{&s.LLMs, &s.LLMsFull} {
			v := &LLMsView{Entries: cat.Entries(), Codes: kb.Registry(), Full: full == 1, Site: s, Lang: l}
			b, err := r.Text(l, "llms.txt", v)
			if err != nil {
				return nil, fmt.Errorf("render llms.txt: %w", err)
			}
			dst[LangIndex(l)] = b
		}
	}
	return s, nil
}

// LLMsView is what llms.txt.tmpl receives.
type LLMsView struct {
	Entries []*kb.Entry
	Codes   []kb.Registered
	Full    bool // llms-full.txt: every entry's Markdown follows
	Site    *Site
	Lang    kb.Lang
}

// EntryMarkdown is the Markdown form of an entry in the view's language.
func (v *LLMsView) EntryMarkdown(id string) string {
	f, err := v.Site.Forms(id)
	if err != nil {
		return ""
	}
	return string(f.Markdown[LangIndex(v.Lang)].Plain)
}

// renderAll renders every entry's forms on all CPUs: rendering is the bulk
// of start-up, and entries are independent (templates, goldmark and the
// message catalog are safe for concurrent use).
func renderAll(r *Renderer, cat *kb.Catalog) ([]*Forms, error) {
	list := cat.Entries()
	forms := make([]*Forms, len(list))
	errs := make([]error, len(list))
	next := make(chan int)
	var wg sync.WaitGroup
	for range min(runtime.GOMAXPROCS(0), max(len(list), 1)) {
		wg.Go(func() {
			for i := range next {
				forms[i], errs[i] = r.entryForms(cat, list[i])
				if errs[i] != nil {
					errs[i] = fmt.Errorf("render %s: %w", list[i].ID, errs[i])
				}
			}
		})
	}
	for i := range list {
		next <- i
	}
	close(next)
	wg.Wait()
	return forms, errors.Join(errs...)
}

// EntryForms renders one entry's forms, for a caller that needs one entry
// rather than the site (wskb lookup).
func (r *Renderer) EntryForms(cat *kb.Catalog, id string) (*Forms, error) {
	e, err := cat.Entry(id)
	if err != nil {
		return nil, err
	}
	return r.entryForms(cat, e)
}

func (r *Renderer) entryForms(cat *kb.Catalog, e *kb.Entry) (*Forms, error) {
	f := &Forms{Entry: e}
	v := &EntryView{Entry: e}
	if e.CloseCode != nil {
		ci := kb.LookupCode(*e.CloseCode)
		v.Code = &ci
	}
	for _, id := range e.Related {
		if re, err := cat.Entry(id); err == nil {
			v.Related = append(v.Related, re)
		}
	}
	var err error
	if f.JSON, f.JSONIn, err = jsonBodies(e); err != nil {
		return nil, err
	}
	for _, l := range kb.Langs {
		i := LangIndex(l)
		p := &Page{Lang: l, Path: EntryPath(e.ID), JSON: EntryAPIPath(e.ID), Markdown: true,
			Title: e.Title.In(l), Description: e.Summary.In(l), Data: v}
		html, err := r.PageBytes("entry", p)
		if err != nil {
			return nil, err
		}
		md, err := r.Text(l, "entry.md", v)
		if err != nil {
			return nil, err
		}
		f.HTML[i], f.Markdown[i] = NewBody(html), NewBody(md)
	}
	return f, nil
}

// jsonBodies encodes v with both languages and collapsed to each.
func jsonBodies(v any) (both *Body, in [2]*Body, err error) {
	b, err := EncodeJSON(v)
	if err != nil {
		return nil, in, err
	}
	for _, l := range kb.Langs {
		c, err := CollapseJSON(b, l)
		if err != nil {
			return nil, in, err
		}
		in[LangIndex(l)] = NewBody(c)
	}
	return NewBody(b), in, nil
}

// codeRows lists the registry with the unassigned ranges between its codes.
func codeRows(cat *kb.Catalog) []CodeRow {
	row := func(code int) CodeRow {
		ci, es := cat.Code(code)
		return CodeRow{CodeInfo: ci, From: code, To: code, Entries: es}
	}
	gap := func(from, to int) CodeRow {
		ci := kb.LookupCode(from)
		ci.Code = -1
		return CodeRow{CodeInfo: ci, From: from, To: to}
	}
	rows := []CodeRow{gap(0, 999)}
	prev := 999
	for _, reg := range kb.Registry() {
		if reg.Code > prev+1 {
			// split unassigned stretches at range boundaries
			for from := prev + 1; from < reg.Code; {
				to := min(reg.Code-1, rangeEnd(from))
				rows = append(rows, gap(from, to))
				from = to + 1
			}
		}
		rows = append(rows, row(reg.Code))
		prev = reg.Code
	}
	for from := prev + 1; from <= kb.MaxCloseCode; {
		to := rangeEnd(from)
		rows = append(rows, gap(from, to))
		from = to + 1
	}
	return rows
}

// rangeEnd is the last code of the RFC 6455 §7.4.2 range holding code.
func rangeEnd(code int) int {
	switch {
	case code < 1000:
		return 999
	case code < 3000:
		return 2999
	case code < 4000:
		return 3999
	}
	return kb.MaxCloseCode
}

// NewCodeView describes code for its page and JSON.
func NewCodeView(cat *kb.Catalog, code int) *CodeView {
	ci, es := cat.Code(code)
	v := &CodeView{CodeInfo: ci, Entries: es, Prev: code - 1, Next: code + 1}
	if v.Next > kb.MaxCloseCode {
		v.Next = -1
	}
	return v
}

// EncodeJSON encodes v as the API does: indented, HTML characters left as
// they are (the API's content type is application/json, never HTML).
func EncodeJSON(v any) ([]byte, error) {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

// CollapseJSON rewrites every text object {"en": ..., "zh": ...} in the JSON
// document doc into the string in l, keeping the order of all other keys.
// It decodes doc into a tree that keeps key order and writes the tree back
// in the same indented form as EncodeJSON, in time linear in doc's size.
func CollapseJSON(doc []byte, l kb.Lang) ([]byte, error) {
	dec := json.NewDecoder(bytes.NewReader(doc))
	dec.UseNumber()
	v, err := decodeOrdered(dec)
	if err != nil {
		return nil, err
	}
	var buf bytes.Buffer
	buf.Grow(len(doc))
	writeJSON(&buf, collapse(v, l), 0)
	buf.WriteByte('\n')
	return buf.Bytes(), nil
}

// ordered is a JSON object that keeps its key order.
type ordered struct {
	keys []string
	vals []any
}

// writeJSON writes v (a tree from decodeOrdered) indented by two spaces per
// level, as json.Encoder with SetIndent("", "  ") and SetEscapeHTML(false)
// would.
func writeJSON(buf *bytes.Buffer, v any, depth int) {
	nl := func(d int) {
		buf.WriteByte('\n')
		for range d {
			buf.WriteString("  ")
		}
	}
	switch t := v.(type) {
	case *ordered:
		if len(t.keys) == 0 {
			buf.WriteString("{}")
			return
		}
		buf.WriteByte('{')
		for i, k := range t.keys {
			if i > 0 {
				buf.WriteByte(',')
			}
			nl(depth + 1)
			writeString(buf, k)
			buf.WriteString(": ")
			writeJSON(buf, t.vals[i], depth+1)
		}
		nl(depth)
		buf.WriteByte('}')
	case []any:
		if len(t) == 0 {
			buf.WriteString("[]")
			return
		}
		buf.WriteByte('[')
		for i, x := range t {
			if i > 0 {
				buf.WriteByte(',')
			}
			nl(depth + 1)
			writeJSON(buf, x, depth+1)
		}
		nl(depth)
		buf.WriteByte(']')
	case string:
		writeString(buf, t)
	case json.Number:
		buf.WriteString(t.String())
	case bool:
		if t {
			buf.WriteString("true")
		} else {
			buf.WriteString("false")
		}
	case nil:
		buf.WriteString("null")
	}
}

// writeString writes s as a JSON string the way encoding/json does with
// HTML escaping off.
func writeString(buf *bytes.Buffer, s string) {
	const hex = "0123456789abcdef"
	buf.WriteByte('"')
	for _, r := range s {
		switch {
		case r == '"' || r == '\\':
			buf.WriteByte('\\')
			buf.WriteRune(r)
		case r == '\n':
			buf.WriteString(`\n`)
		case r == '\r':
			buf.WriteString(`\r`)
		case r == '\t':
			buf.WriteString(`\t`)
		case r == '\b':
			buf.WriteString(`\b`)
		case r == '\f':
			buf.WriteString(`\f`)
		case r < 0x20 || r == 0x2028 || r == 0x2029:
			buf.WriteString(`\u`)
			buf.WriteByte(hex[r>>12&0xf])
			buf.WriteByte(hex[r>>8&0xf])
			buf.WriteByte(hex[r>>4&0xf])
			buf.WriteByte(hex[r&0xf])
		case r == utf8.RuneError:
			buf.WriteString(`\ufffd`)
		default:
			buf.WriteRune(r)
		}
	}
	buf.WriteByte('"')
}

func decodeOrdered(dec *json.Decoder) (any, error) {
	tok, err := dec.Token()
	if err != nil {
		return nil, err
	}
	switch t := tok.(type) {
	case json.Delim:
		switch t {
		case '{':
			o := &ordered{}
			for dec.More() {
				kt, err := dec.Token()
				if err != nil {
					return nil, err
				}
				v, err := decodeOrdered(dec)
				if err != nil {
					return nil, err
				}
				o.keys = append(o.keys, kt.(string))
				o.vals = append(o.vals, v)
			}
			_, err := dec.Token() // '}'
			return o, err
		case '[':
			arr := []any{}
			for dec.More() {
				v, err := decodeOrdered(dec)
				if err != nil {
					return nil, err
				}
				arr = append(arr, v)
			}
			_, err := dec.Token() // ']'
			return arr, err
		}
	}
	return tok, nil
}

func collapse(v any, l kb.Lang) any {
	switch t := v.(type) {
	case *ordered:
		if len(t.keys) == 2 && t.keys[0] == "en" && t.keys[1] == "zh" {
			if s, ok := t.vals[LangIndex(l)].(string); ok {
				return s
			}
		}
		for i := range t.vals {
			t.vals[i] = collapse(t.vals[i], l)
		}
	case []any:
		for i := range t {
			t[i] = collapse(t[i], l)
		}
	}
	return v
}

// CodeDoc is a close code as the API returns it.
type CodeDoc struct {
	kb.CodeInfo
	RangeDescription kb.Text        `json:"range_description"`
	Entries          []EntrySummary `json:"entries"`
	URLs             PageURLs       `json:"urls"`
}

// PageURLs are the addresses of a page in both languages.
type PageURLs struct {
	HTML   string `json:"html"`
	HTMLZH string `json:"html_zh"`
	JSON   string `json:"json"`
}

// RangeDoc is one range of the close-code space.
type RangeDoc struct {
	From        int     `json:"from"`
	To          int     `json:"to"`
	Range       string  `json:"range"`
	Description kb.Text `json:"description"`
}

// CodeDoc describes code for the API.
func (r *Renderer) CodeDoc(cat *kb.Catalog, code int) *CodeDoc {
	ci, es := cat.Code(code)
	d := &CodeDoc{
		CodeInfo:         ci,
		RangeDescription: r.text2("range." + ci.Range + ".desc"),
		Entries:          make([]EntrySummary, 0, len(es)),
		URLs:             PageURLs{CodePath(code), LangPath(kb.ZH, CodePath(code)), "/api/v1/codes/" + strconv.Itoa(code)},
	}
	for _, e := range es {
		d.Entries = append(d.Entries, Summarize(e))
	}
	return d
}

// CodeList is the API's list of close codes: the ranges, the registered
// codes, and any other code an entry explains.
func (r *Renderer) CodeList(cat *kb.Catalog) any {
	ranges := []RangeDoc{}
	for _, b := range [][2]int{{0, 999}, {1000, 2999}, {3000, 3999}, {4000, kb.MaxCloseCode}} {
		rg := kb.LookupCode(b[0]).Range
		ranges = append(ranges, RangeDoc{b[0], b[1], rg, r.text2("range." + rg + ".desc")})
	}
	seen := map[int]bool{}
	var codes []int
	for _, reg := range kb.Registry() {
		codes = append(codes, reg.Code)
		seen[reg.Code] = true
	}
	for _, e := range cat.Entries() {
		if e.CloseCode != nil && !seen[*e.CloseCode] {
			codes = append(codes, *e.CloseCode)
			seen[*e.CloseCode] = true
		}
	}
	sort.Ints(codes)
	docs := make([]*CodeDoc, 0, len(codes))
	for _, c := range codes {
		docs = append(docs, r.CodeDoc(cat, c))
	}
	return map[string]any{"ranges": ranges, "codes": docs}
}

// text2 is a UI string in both languages.
func (r *Renderer) text2(id string) kb.Text {
	return kb.Text{EN: r.msgs.T(kb.EN, id), ZH: r.msgs.T(kb.ZH, id)}
}
