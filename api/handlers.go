package api

import (
	"bytes"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/labstack/echo/v4"

	"github.com/wskb/wskb/kb"
	"github.com/wskb/wskb/kb/render"
)

const (
	mimeHTML     = "text/html; charset=utf-8"
	mimeJSON     = "application/json; charset=utf-8"
	mimeMarkdown = "text/markdown; charset=utf-8"
)

func (s *Server) home(l kb.Lang) echo.HandlerFunc {
	return func(c echo.Context) error {
		c.Response().Header().Add("Vary", "Accept-Language")
		offer := 0
		if p, ok := preferredLang(c.Request().Header.Get("Accept-Language")); ok && p != l {
			offer = 1
		}
		return send(c, mimeHTML, s.site.Home[render.LangIndex(l)][offer])
	}
}

func (s *Server) homeMarkdown(l kb.Lang) echo.HandlerFunc {
	return func(c echo.Context) error {
		return send(c, mimeMarkdown, s.site.HomeMD[render.LangIndex(l)])
	}
}

// entry serves an entry page, or its Markdown (".md") or JSON (".json"), or
// whichever of the three the Accept header prefers.
func (s *Server) entry(l kb.Lang) echo.HandlerFunc {
	return func(c echo.Context) error {
		id, err := entryID(c)
		if err != nil {
			return err
		}
		var format string
		switch {
		case strings.HasSuffix(id, ".md"):
			format, id = formatMarkdown, strings.TrimSuffix(id, ".md")
		case strings.HasSuffix(id, ".json"):
			format, id = formatJSON, strings.TrimSuffix(id, ".json")
		default:
			format = negotiate(c.Request().Header.Get("Accept"))
			c.Response().Header().Add("Vary", "Accept")
		}
		c.Set(formatKey, format)
		f, err := s.site.Forms(id)
		if err != nil {
			return err
		}
		switch format {
		case formatJSON:
			return writeJSON(c, f.JSON, f.JSONIn)
		case formatMarkdown:
			return send(c, mimeMarkdown, f.Markdown[render.LangIndex(l)])
		}
		return send(c, mimeHTML, f.HTML[render.LangIndex(l)])
	}
}

// code serves a close code's page, or its Markdown (".md").
func (s *Server) code(l kb.Lang) echo.HandlerFunc {
	return func(c echo.Context) error {
		param, err := pathParam(c, "code")
		if err != nil {
			return err
		}
		param, md := strings.CutSuffix(param, ".md")
		if md {
			c.Set(formatKey, formatText)
		}
		code, err := kb.ParseCloseCode(param)
		if err != nil {
			return err
		}
		v := render.NewCodeView(s.site.Catalog, code)
		if md {
			b, err := s.r.Text(l, "code.md", v)
			if err != nil {
				return err
			}
			return blob(c, http.StatusOK, mimeMarkdown, b)
		}
		title := s.r.Messages().T(l, "code.title", "Code", code)
		if v.Name != "" {
			title += " " + v.Name
		}
		desc := ""
		if v.Meaning != nil {
			desc = v.Meaning.In(l)
		}
		b, err := s.r.PageBytes("code", &render.Page{Lang: l, Path: render.CodePath(code), Markdown: true,
			JSON: "/api/v1/codes/" + strconv.Itoa(code), Title: title, Description: desc, Data: v})
		if err != nil {
			return err
		}
		return blob(c, http.StatusOK, mimeHTML, b)
	}
}

func (s *Server) apiEntries(c echo.Context) error {
	return writeJSON(c, s.site.EntryList, s.site.EntryListIn)
}

func (s *Server) apiEntry(c echo.Context) error {
	id, err := entryID(c)
	if err != nil {
		return err
	}
	f, err := s.site.Forms(id)
	if err != nil {
		return err
	}
	return writeJSON(c, f.JSON, f.JSONIn)
}

func (s *Server) apiCodes(c echo.Context) error {
	return writeJSON(c, s.site.CodeList, s.site.CodeListIn)
}

func (s *Server) apiCode(c echo.Context) error {
	param, err := pathParam(c, "code")
	if err != nil {
		return err
	}
	code, err := kb.ParseCloseCode(param)
	if err != nil {
		return err
	}
	lang, err := langParam(c)
	if err != nil {
		return err
	}
	b, err := render.EncodeJSON(s.r.CodeDoc(s.site.Catalog, code))
	if err == nil && lang != "" {
		b, err = render.CollapseJSON(b, lang)
	}
	if err != nil {
		return err
	}
	return blob(c, http.StatusOK, mimeJSON, b)
}

// writeJSON answers with both, or with the form collapsed to the language
// that ?lang= asks for.
func writeJSON(c echo.Context, both *render.Body, in [2]*render.Body) error {
	c.Set(formatKey, formatJSON)
	lang, err := langParam(c)
	if err != nil {
		return err
	}
	if lang == "" {
		return send(c, mimeJSON, both)
	}
	return send(c, mimeJSON, in[render.LangIndex(lang)])
}

// langParam reads ?lang=: "" (both languages), "en" or "zh".
func langParam(c echo.Context) (kb.Lang, error) {
	v := c.QueryParam("lang")
	if v == "" {
		return "", nil
	}
	l, ok := kb.ParseLang(v)
	if !ok {
		return "", kb.Errorf(kb.EINVALID, "lang: %q is not a language of wskb; use en or zh, or leave it out for both", truncate(v, 40))
	}
	return l, nil
}

// truncate shortens s to at most n bytes, at a character boundary.
func truncate(s string, n int) string {
	if len(s) <= n {
		return s
	}
	for n > 0 && !utf8.RuneStart(s[n]) {
		n--
	}
	return s[:n] + "…"
}

// entryID is the entry ID the :domain and :slug parameters spell.
func entryID(c echo.Context) (string, error) {
	domain, err := pathParam(c, "domain")
	if err != nil {
		return "", err
	}
	slug, err := pathParam(c, "slug")
	if err != nil {
		return "", err
	}
	return domain + "/" + slug, nil
}

// pathParam returns the path parameter name, percent-decoded: echo routes on
// the raw path when the client escaped something, and leaves its parameters
// escaped. A malformed escape, or one that decodes to "/", names no page.
func pathParam(c echo.Context, name string) (string, error) {
	v, err := url.PathUnescape(c.Param(name))
	if err != nil || strings.Contains(v, "/") {
		return "", kb.Errorf(kb.ENOTFOUND, "there is no page at %s", truncate(c.Request().URL.Path, 200))
	}
	return v, nil
}

// send answers 200 with a pre-rendered body, gzip-compressed when the
// client accepts it (compressed once at start-up, never per request).
func send(c echo.Context, mime string, b *render.Body) error {
	h := c.Response().Header()
	if len(b.Plain) < render.MinGzip {
		return blobTagged(c, http.StatusOK, mime, b.Plain, b.ETag())
	}
	h.Add(echo.HeaderVary, echo.HeaderAcceptEncoding)
	if acceptsGzip(c.Request().Header.Get(echo.HeaderAcceptEncoding)) {
		if gz := b.Gzip(); gz != nil {
			h.Set(echo.HeaderContentEncoding, "gzip")
			// Another representation, another tag (RFC 9110 §8.8.3).
			return blobTagged(c, http.StatusOK, mime, gz, strings.TrimSuffix(b.ETag(), `"`)+`-gzip"`)
		}
	}
	return blobTagged(c, http.StatusOK, mime, b.Plain, b.ETag())
}

// blob writes a pre-rendered body with its Content-Length, so net/http
// sends it in one piece instead of chunking it.
func blob(c echo.Context, status int, mime string, b []byte) error {
	if status != http.StatusOK || !isGetOrHead(c) {
		return blobTagged(c, status, mime, b, "")
	}
	return send(c, mime, render.NewBody(b))
}

// CacheControl is what every successful GET may be cached for: content
// changes only with a new release, and the ETag revalidates it after that.
const CacheControl = "public, max-age=300"

// blobTagged writes b with its ETag (when etag is set): a GET or HEAD whose
// If-None-Match holds the tag gets 304 Not Modified and no body.
func blobTagged(c echo.Context, status int, mime string, b []byte, etag string) error {
	h := c.Response().Header()
	if etag != "" && status == http.StatusOK && isGetOrHead(c) {
		h.Set("ETag", etag)
		h.Set(echo.HeaderCacheControl, CacheControl)
		if ifNoneMatch(c.Request().Header.Get("If-None-Match"), etag) {
			h.Del(echo.HeaderContentEncoding)
			c.Response().WriteHeader(http.StatusNotModified)
			return nil
		}
	}
	h.Set(echo.HeaderContentType, mime)
	h.Set(echo.HeaderContentLength, strconv.Itoa(len(b)))
	c.Response().WriteHeader(status)
	_, err := c.Response().Write(b)
	return err
}

func isGetOrHead(c echo.Context) bool {
	m := c.Request().Method
	return m == http.MethodGet || m == http.MethodHead
}

// ifNoneMatch reports whether an If-None-Match header matches etag: "*",
// or a list holding it (weak comparison, RFC 9110 §13.1.2).
func ifNoneMatch(header, etag string) bool {
	if header == "" {
		return false
	}
	for _, t := range strings.Split(header, ",") {
		t = strings.TrimPrefix(strings.TrimSpace(t), "W/")
		if t == "*" || t == etag {
			return true
		}
	}
	return false
}

// apiEntriesNDJSON is every entry, one JSON document a line.
func (s *Server) apiEntriesNDJSON(c echo.Context) error {
	c.Set(formatKey, formatJSON)
	return send(c, "application/x-ndjson; charset=utf-8", s.site.EntriesNDJSON)
}

// apiMatch is the compact match index.
func (s *Server) apiMatch(c echo.Context) error {
	return writeJSON(c, s.site.Match, s.site.MatchIn)
}

// llms serves /llms.txt or /llms-full.txt (llmstxt.org) in l, with links
// made absolute for the host the client asked.
func (s *Server) llms(l kb.Lang, full bool) echo.HandlerFunc {
	return func(c echo.Context) error {
		c.Set(formatKey, formatText)
		b := s.site.LLMs[render.LangIndex(l)]
		if full {
			b = s.site.LLMsFull[render.LangIndex(l)]
		}
		scheme := c.Scheme()
		host := c.Request().Host
		if host == "" {
			host = "localhost"
		}
		base := []byte("](" + scheme + "://" + host + "/")
		return blob(c, http.StatusOK, "text/plain; charset=utf-8", bytes.ReplaceAll(b, []byte("](/"), base))
	}
}
