// Package api is wskb's HTTP surface. It only translates HTTP to calls on kb
// and back: handlers return errors, and one error handler answers them in the
// format the client asked for.
package api

import (
	"context"
	"io/fs"
	"log/slog"
	"net/http"
	"strings"
	"sync"
	"time"

	"github.com/labstack/echo/v4"
	"github.com/labstack/echo/v4/middleware"

	"github.com/wskb/wskb/kb"
	"github.com/wskb/wskb/kb/render"
	"github.com/wskb/wskb/kb/search"
)

// Config is what a Server needs.
type Config struct {
	Site     *render.Site
	Renderer *render.Renderer
	Static   fs.FS
	// Search answers /search and /api/v1/search.
	Search *search.Searcher
	// SearchCache is how many search answers to keep; 0 means
	// DefaultSearchCache, a negative number none.
	SearchCache int
	Log         *slog.Logger
	// BodyLimit caps request bodies, as echo's BodyLimit middleware reads
	// it ("4M"). Empty means 4 MiB.
	BodyLimit string
}

// Server answers wskb's HTTP requests.
type Server struct {
	e        *echo.Echo
	site     *render.Site
	r        *render.Renderer
	static   fs.FS
	search   *search.Searcher
	searches *lru[searchKey, searchAnswer]
	mcpOnce  sync.Once
	mcpH     http.Handler
	log      *slog.Logger
}

// New builds the server and installs every route.
func New(cfg Config) *Server {
	if cfg.Log == nil {
		cfg.Log = slog.Default()
	}
	if cfg.BodyLimit == "" {
		// 1 MiB of pasted text, with room for JSON escaping and a form's
		// percent-encoding; the decode handler checks the text itself.
		cfg.BodyLimit = "4M"
	}
	e := echo.New()
	e.HideBanner, e.HidePort = true, true
	if cfg.SearchCache == 0 {
		cfg.SearchCache = DefaultSearchCache
	}
	s := &Server{e: e, site: cfg.Site, r: cfg.Renderer, static: cfg.Static, search: cfg.Search,
		searches: newLRU[searchKey, searchAnswer](cfg.SearchCache), log: cfg.Log}
	e.HTTPErrorHandler = s.handleError
	e.Use(
		// The logger is outermost so that it sees the 500 a recovered
		// panic becomes, with the panic's message and stack in its error.
		s.requestLog(),
		middleware.RecoverWithConfig(middleware.RecoverConfig{
			LogErrorFunc: func(c echo.Context, err error, stack []byte) error {
				s.log.Error("panic", "uri", c.Request().RequestURI, "err", err, "stack", string(stack))
				return err
			},
		}),
		securityHeaders,
		readOnlyCORS,
		middleware.BodyLimit(cfg.BodyLimit),
	)
	s.install()
	return s
}

// SetSearchCache sets how many search answers the server keeps (0 or less:
// none). Call it before serving.
func (s *Server) SetSearchCache(n int) { s.searches = newLRU[searchKey, searchAnswer](n) }

// Compress makes the gzip form of every pre-rendered body; run it in the
// background once the server is up.
func (s *Server) Compress() { s.site.Compress() }

// ServeHTTP makes the Server an http.Handler.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) { s.e.ServeHTTP(w, r) }

// install registers every route: the whole HTTP surface on one screen.
func (s *Server) install() {
	get := func(path string, h echo.HandlerFunc) {
		s.e.Match([]string{http.MethodGet, http.MethodHead}, path, h)
	}
	get("/healthz", s.healthz)
	s.e.Any("/static/*", s.staticFile)

	for _, l := range kb.Langs {
		p := func(path string) string { return render.LangPath(l, path) }
		get(p("/"), s.home(l))
		get(p("/index.md"), s.homeMarkdown(l))
		get(p("/llms.txt"), s.llms(l, false))
		get(p("/llms-full.txt"), s.llms(l, true))
		get(p("/entries/:domain/:slug"), s.entry(l))
		get(p("/codes/:code"), s.code(l))
		get(p("/codes"), redirect(p("/")+"#codes"))
		get(p("/entries"), redirect(p("/")+"#entries"))
		get(p("/search"), s.searchPage(l))
		get(p("/playground"), s.playground(l))
		s.e.POST(p("/playground"), s.playground(l))
		get(p("/playground/handshake"), s.handshakePage(l))
		s.e.POST(p("/playground/handshake"), s.handshakePage(l))
	}
	get("/zh", redirect("/zh/"))

	get("/api/v1/entries", s.apiEntries)
	get("/api/v1/entries.ndjson", s.apiEntriesNDJSON)
	get("/api/v1/match.json", s.apiMatch)
	get("/api/v1/openapi.json", s.openAPI)
	get("/api/v1/entries/:domain/:slug", s.apiEntry)
	get("/api/v1/codes", s.apiCodes)
	get("/api/v1/codes/:code", s.apiCode)
	get("/api/v1/search", s.apiSearch)
	s.e.POST("/api/v1/decode", s.apiDecode)
	s.e.POST("/api/v1/encode", s.apiEncode)
	s.e.POST("/api/v1/handshake", s.apiHandshake)

	s.e.POST("/mcp", s.mcp)

	s.e.RouteNotFound("/*", s.notFound)
}

func redirect(to string) echo.HandlerFunc {
	return func(c echo.Context) error { return c.Redirect(http.StatusMovedPermanently, to) }
}

func (s *Server) healthz(c echo.Context) error {
	return c.String(http.StatusOK, "ok\n")
}

// notFound answers requests no route takes: 405 with Allow when the path
// has routes for other methods, else 404.
func (s *Server) notFound(c echo.Context) error {
	r := c.Request()
	var allow []string
	for _, m := range []string{http.MethodGet, http.MethodPost} {
		if m == r.Method || (m == http.MethodGet && r.Method == http.MethodHead) {
			continue
		}
		probe := s.e.NewContext(r, nil)
		s.e.Router().Find(m, echo.GetPath(r), probe)
		if probe.Path() != "/*" {
			allow = append(allow, m)
			if m == http.MethodGet {
				allow = append(allow, http.MethodHead)
			}
		}
	}
	if len(allow) > 0 {
		c.Response().Header().Set("Allow", strings.Join(allow, ", "))
		return echo.NewHTTPError(http.StatusMethodNotAllowed, "method "+truncate(r.Method, 20)+" is not allowed here; use "+strings.Join(allow, " or "))
	}
	return kb.Errorf(kb.ENOTFOUND, "there is no page at %s", truncate(r.URL.Path, 200))
}

// staticFile serves the embedded static files; never a directory listing.
// Like every route, it answers 405 to other methods when the file exists.
func (s *Server) staticFile(c echo.Context) error {
	name := c.Param("*")
	var st fs.FileInfo
	err := fs.ErrNotExist
	if fs.ValidPath(name) && name != "." {
		st, err = fs.Stat(s.static, name)
	}
	if err != nil || st.IsDir() {
		return kb.Errorf(kb.ENOTFOUND, "there is no page at %s", truncate(c.Request().URL.Path, 200))
	}
	if m := c.Request().Method; m != http.MethodGet && m != http.MethodHead {
		c.Response().Header().Set("Allow", "GET, HEAD")
		return echo.NewHTTPError(http.StatusMethodNotAllowed, "method "+truncate(m, 20)+" is not allowed here; use GET")
	}
	c.Response().Header().Set("Cache-Control", "public, max-age=3600")
	http.ServeFileFS(c.Response(), c.Request(), s.static, name)
	return nil
}

// mcp answers POST /mcp, the streamable HTTP transport of the MCP tools;
// the MCP server is built on first use.
func (s *Server) mcp(c echo.Context) error {
	s.mcpOnce.Do(func() { s.mcpH = s.MCPHandler() })
	s.mcpH.ServeHTTP(c.Response(), c.Request())
	return nil
}

// readOnlyCORS lets pages on any origin read the GET API (no credentials):
// GET and HEAD under /api/ carry Access-Control-Allow-Origin: *, and a
// preflight OPTIONS for them (If-None-Match is not a simple header) is
// answered 204. The POST routes stay same-origin.
func readOnlyCORS(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		r := c.Request()
		if !strings.HasPrefix(r.URL.Path, "/api/") {
			return next(c)
		}
		h := c.Response().Header()
		switch r.Method {
		case http.MethodGet, http.MethodHead:
			h.Set("Access-Control-Allow-Origin", "*")
			h.Set("Access-Control-Expose-Headers", "ETag, Content-Length")
		case http.MethodOptions:
			if m := r.Header.Get("Access-Control-Request-Method"); m == http.MethodGet || m == http.MethodHead {
				h.Set("Access-Control-Allow-Origin", "*")
				h.Set("Access-Control-Allow-Methods", "GET, HEAD")
				h.Set("Access-Control-Allow-Headers", "Accept, Accept-Language, If-None-Match")
				h.Set("Access-Control-Max-Age", "86400")
				return c.NoContent(http.StatusNoContent)
			}
		}
		return next(c)
	}
}

// securityHeaders: a Content-Security-Policy that allows only this origin's
// styles, images and scripts (no inline anything), no MIME sniffing, no
// framing, and referrers only to this origin in full.
func securityHeaders(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		h := c.Response().Header()
		h.Set("Content-Security-Policy", "default-src 'none'; style-src 'self'; img-src 'self'; script-src 'self'; connect-src 'self'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'")
		h.Set("X-Content-Type-Options", "nosniff")
		h.Set("Referrer-Policy", "strict-origin-when-cross-origin")
		h.Set("X-Frame-Options", "DENY")
		h.Set("Cross-Origin-Opener-Policy", "same-origin")
		return next(c)
	}
}

// requestLog writes one structured line per request.
func (s *Server) requestLog() echo.MiddlewareFunc {
	return middleware.RequestLoggerWithConfig(middleware.RequestLoggerConfig{
		LogMethod:   true,
		LogURI:      true,
		LogStatus:   true,
		LogLatency:  true,
		LogRemoteIP: true,
		LogError:    true,
		HandleError: true, // let handleError set the status before it is logged
		LogValuesFunc: func(c echo.Context, v middleware.RequestLoggerValues) error {
			level := slog.LevelInfo
			if v.Status >= 500 {
				level = slog.LevelError
			}
			attrs := []slog.Attr{
				slog.String("method", v.Method),
				slog.String("uri", v.URI),
				slog.Int("status", v.Status),
				slog.Duration("latency", v.Latency),
				slog.String("remote_ip", v.RemoteIP),
			}
			if v.Error != nil && v.Status >= 500 {
				attrs = append(attrs, slog.String("err", v.Error.Error()))
			}
			s.log.LogAttrs(context.Background(), level, "request", attrs...)
			return nil
		},
	})
}

// Timeouts for the http.Server that runs this handler.
const (
	ReadHeaderTimeout = 5 * time.Second
	ReadTimeout       = 15 * time.Second
	WriteTimeout      = 30 * time.Second
	IdleTimeout       = 120 * time.Second
	MaxHeaderBytes    = 64 << 10
)

// HTTPServer returns an http.Server for addr with wskb's timeouts.
func (s *Server) HTTPServer(addr string) *http.Server {
	return &http.Server{
		Addr:              addr,
		Handler:           s,
		ReadHeaderTimeout: ReadHeaderTimeout,
		ReadTimeout:       ReadTimeout,
		WriteTimeout:      WriteTimeout,
		IdleTimeout:       IdleTimeout,
		MaxHeaderBytes:    MaxHeaderBytes,
		ErrorLog:          slog.NewLogLogger(s.log.Handler(), slog.LevelWarn),
	}
}
