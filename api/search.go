package api

import (
	"context"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/labstack/echo/v4"

	"github.com/wskb/wskb/kb"
	"github.com/wskb/wskb/kb/render"
	"github.com/wskb/wskb/kb/search"
)

// Search limits: results per query.
const (
	DefaultSearchLimit = 10
	MaxSearchLimit     = 50
)

// SearchResponse is the JSON of GET /api/v1/search, and what the search
// page and `wskb search` show.
type SearchResponse struct {
	Query string  `json:"query"`
	Lang  kb.Lang `json:"lang"`
	// Recognized is what the query was read as: close codes, HTTP statuses,
	// frame bytes.
	Recognized Recognized `json:"recognized"`
	// Results, best first. For a bare close code the close-code page comes
	// first (type "close_code"); the rest are entries (type "entry").
	Results []SearchResult `json:"results"`
	// Suggestions, when nothing matched: where to look instead.
	Suggestions []Link `json:"suggestions"`
}

// Recognized lists what the query was read as.
type Recognized struct {
	CloseCodes   []int `json:"close_codes"`
	HTTPStatuses []int `json:"http_statuses"`
	// Bytes is set when the query reads as frame bytes: the playground
	// decodes them.
	Bytes *RecognizedBytes `json:"bytes"`
}

// RecognizedBytes is a query that reads as frame bytes.
type RecognizedBytes struct {
	Length     int    `json:"length"`
	Form       string `json:"form"`
	Playground string `json:"playground"`
}

// Link is a suggestion.
type Link struct {
	Title string `json:"title"`
	URL   string `json:"url"`
}

// SearchResult is one result: an entry, or a close-code page.
type SearchResult struct {
	Type       string       `json:"type"` // "entry" or "close_code"
	ID         string       `json:"id"`
	Title      string       `json:"title"`
	CloseCode  *int         `json:"close_code"`
	HTTPStatus *int         `json:"http_status"`
	Score      *float64     `json:"score"` // null for a close-code page
	Matched    []MatchOut   `json:"matched"`
	URLs       ResultURLs   `json:"urls"`
	Entry      *kb.Entry    `json:"-"`
	Code       *kb.CodeInfo `json:"-"`
}

// ResultURLs are the result's addresses: the page in the query's
// language, its Markdown and its JSON.
type ResultURLs struct {
	HTML     string `json:"html"`
	Markdown string `json:"markdown"`
	JSON     string `json:"json"`
}

// MatchOut says why a result matched. Kind "signature": Text is the
// signature found in the query (or holding it) and Ecosystem where it comes
// from. Kind "close_code" / "http_status": Code. Kind "text": Field and
// Lang of the text, Text a snippet of it and Highlights the words in it
// that matched.
type MatchOut struct {
	Kind       string   `json:"kind"`
	Text       string   `json:"text,omitempty"`
	Ecosystem  string   `json:"ecosystem,omitempty"`
	Field      string   `json:"field,omitempty"`
	Lang       kb.Lang  `json:"lang,omitempty"`
	Code       int      `json:"code,omitempty"`
	Highlights []string `json:"highlights,omitempty"`
	// Marks are byte ranges of Text, for the page.
	Marks [][2]int `json:"-"`
}

// Search runs q and shapes the answer; l is the reader's language.
func Search(ctx context.Context, s *search.Searcher, msgs *render.Messages, q string, l kb.Lang, limit int) (*SearchResponse, error) {
	p := search.Parse(q)
	res, err := s.Search(ctx, p, l, limit)
	if err != nil {
		return nil, err
	}
	out := &SearchResponse{Query: q, Lang: l, Results: []SearchResult{}, Suggestions: []Link{},
		Recognized: Recognized{CloseCodes: orEmpty(p.CloseCodes), HTTPStatuses: orEmpty(p.HTTPStatuses)}}
	if p.Hex != nil {
		out.Recognized.Bytes = &RecognizedBytes{Length: len(p.Hex), Form: p.HexForm,
			Playground: render.LangPath(l, "/playground") + "?" + url.Values{"hex": {strings.TrimSpace(q)}}.Encode()}
	}
	if ci := res.Code; ci != nil {
		code := ci.Code
		title := strconv.Itoa(code)
		if ci.Name != "" {
			title += " " + ci.Name
		} else if msgs != nil {
			title += " " + msgs.T(l, "range."+ci.Range)
		}
		c := strconv.Itoa(code)
		out.Results = append(out.Results, SearchResult{Type: "close_code", ID: "codes/" + c, Title: title,
			CloseCode: &code, Matched: []MatchOut{{Kind: "close_code", Code: code}}, Code: ci,
			URLs: ResultURLs{HTML: render.LangPath(l, render.CodePath(code)), Markdown: render.MarkdownPath(l, render.CodePath(code)), JSON: "/api/v1/codes/" + c}})
	}
	for _, r := range res.Entries {
		e := r.Entry
		sr := SearchResult{Type: "entry", ID: e.ID, Title: e.Title.In(l), CloseCode: e.CloseCode, HTTPStatus: e.HTTPStatus,
			Score: &r.Score, Entry: e, Matched: make([]MatchOut, 0, len(r.Matched)),
			URLs: ResultURLs{HTML: render.LangPath(l, render.EntryPath(e.ID)), Markdown: render.MarkdownPath(l, render.EntryPath(e.ID)), JSON: render.EntryAPIPath(e.ID)}}
		for _, m := range r.Matched {
			mo := MatchOut{Kind: m.Kind, Text: m.Text, Ecosystem: m.Ecosystem, Field: m.Field, Lang: m.Lang, Code: m.Code, Marks: m.Marks}
			if m.Kind == "text" {
				mo.Highlights = highlights(m.Text, m.Marks)
			}
			sr.Matched = append(sr.Matched, mo)
		}
		out.Results = append(out.Results, sr)
	}
	if len(res.Entries) == 0 && msgs != nil {
		out.Suggestions = append(out.Suggestions, Link{msgs.T(l, "search.suggest_codes"), render.LangPath(l, "/") + "#codes"})
		if out.Recognized.Bytes != nil {
			out.Suggestions = append(out.Suggestions, Link{msgs.T(l, "search.suggest_playground"), out.Recognized.Bytes.Playground})
		}
	}
	return out, nil
}

func orEmpty(xs []int) []int {
	if xs == nil {
		return []int{}
	}
	return xs
}

// highlights lists the distinct marked words of text.
func highlights(text string, marks [][2]int) []string {
	var out []string
	seen := map[string]bool{}
	for _, m := range marks {
		w := text[m[0]:m[1]]
		if k := strings.ToLower(w); !seen[k] {
			seen[k] = true
			out = append(out, w)
		}
	}
	return out
}

// searchParams reads q and limit. The language comes from the path for
// pages and from ?lang= (or the query's script) for the API.
func searchParams(c echo.Context) (string, int, error) {
	q := c.QueryParam("q")
	if len(q) > search.MaxQuery {
		return "", 0, kb.Errorf(kb.EINVALID, "q is %d bytes long; the most a search takes is %d bytes (paste the error line, not the whole log)", len(q), search.MaxQuery)
	}
	limit := DefaultSearchLimit
	if v := c.QueryParam("limit"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 || n > MaxSearchLimit {
			return "", 0, kb.Errorf(kb.EINVALID, "limit %q is not a whole number from 1 to %d", truncate(v, 20), MaxSearchLimit)
		}
		limit = n
	}
	return q, limit, nil
}

// searchKey identifies a search answer in the cache.
type searchKey struct {
	q     string
	lang  kb.Lang
	limit int
}

// searchAnswer is a cached answer: the response and its JSON (with its
// ETag and gzip form, made once).
type searchAnswer struct {
	resp *SearchResponse
	json *render.Body
}

// DefaultSearchCache is how many search answers the server keeps (a few
// KiB each).
const DefaultSearchCache = 4096

// searchCached answers from the cache, or searches and keeps the answer.
func (s *Server) searchCached(c echo.Context, q string, l kb.Lang, limit int) (searchAnswer, error) {
	k := searchKey{q, l, limit}
	if a, ok := s.searches.get(k); ok {
		return a, nil
	}
	resp, err := Search(c.Request().Context(), s.search, s.r.Messages(), q, l, limit)
	if err != nil {
		return searchAnswer{}, err
	}
	b, err := render.EncodeJSON(resp)
	if err != nil {
		return searchAnswer{}, err
	}
	a := searchAnswer{resp, render.NewBody(b)}
	s.searches.put(k, a)
	return a, nil
}

// apiSearch is GET /api/v1/search?q=&lang=&limit=.
func (s *Server) apiSearch(c echo.Context) error {
	c.Set(formatKey, formatJSON)
	q, limit, err := searchParams(c)
	if err != nil {
		return err
	}
	if strings.TrimSpace(q) == "" {
		return kb.Errorf(kb.EINVALID, "q is missing: give the error line or words to search for, as in /api/v1/search?q=1006")
	}
	l, err := langParam(c)
	if err != nil {
		return err
	}
	if l == "" {
		l = kb.EN
		if search.HasHan(q) {
			l = kb.ZH
		}
	}
	a, err := s.searchCached(c, q, l, limit)
	if err != nil {
		return err
	}
	return send(c, mimeJSON, a.json)
}

// SearchView is the search page's data.
type SearchView struct {
	Q        string
	Response *SearchResponse
}

// searchPage is /search?q= and /zh/search?q=.
func (s *Server) searchPage(l kb.Lang) echo.HandlerFunc {
	return func(c echo.Context) error {
		q, limit, err := searchParams(c)
		if err != nil {
			return err
		}
		v := &SearchView{Q: q}
		title := s.r.Messages().T(l, "search.title")
		if strings.TrimSpace(q) != "" {
			a, err := s.searchCached(c, q, l, limit)
			if err != nil {
				return err
			}
			v.Response = a.resp
			title = s.r.Messages().T(l, "search.title_for", "Query", truncate(strings.TrimSpace(q), 60))
		}
		b, err := s.r.PageBytes("search", &render.Page{Lang: l, Path: "/search", Query: c.QueryString(),
			Title: title, Description: s.r.Messages().T(l, "search.lead"), Data: v})
		if err != nil {
			return err
		}
		return blob(c, http.StatusOK, mimeHTML, b)
	}
}
