package api

import (
	"errors"
	"fmt"
	"net/http"
	"slices"
	"strconv"
	"strings"

	"github.com/labstack/echo/v4"

	"github.com/wskb/wskb/kb"
	"github.com/wskb/wskb/kb/render"
)

// statusOf maps kb error codes to HTTP statuses: the one table.
var statusOf = map[string]int{
	kb.ENOTFOUND: http.StatusNotFound,
	kb.EINVALID:  http.StatusBadRequest,
	kb.EINTERNAL: http.StatusInternalServerError,
}

// handleError is echo's HTTPErrorHandler: it turns any error a handler
// returned into a response in the format the client asked for. Only server
// errors are logged (by the request logger) and their details never reach
// the client.
func (s *Server) handleError(err error, c echo.Context) {
	if c.Response().Committed {
		return
	}
	status, msg := http.StatusInternalServerError, "internal error"
	var he *echo.HTTPError
	var ke *kb.Error
	switch {
	case errors.As(err, &ke):
		status, msg = statusOf[ke.Code], ke.Message
		if status == 0 {
			status = http.StatusInternalServerError
		}
	case errors.As(err, &he):
		status = he.Code
		msg = strings.ToLower(http.StatusText(status))
		if m, ok := he.Message.(string); ok && m != "" {
			msg = m
		}
	}
	if status >= 500 {
		msg = "internal error; it has been logged"
	}
	if c.Request().Method == http.MethodHead {
		c.NoContent(status)
		return
	}
	var werr error
	switch formatFor(c) {
	case formatJSON:
		werr = writeJSONError(c, status, msg)
	case formatMarkdown, formatText:
		werr = c.String(status, fmt.Sprintf("%d %s: %s\n", status, http.StatusText(status), msg))
	default:
		werr = s.errorPage(c, status)
	}
	if werr != nil {
		s.log.Error("writing an error response", "err", werr)
	}
}

// formatFor decides an error's format: what the handler chose, else the
// path (/api/ is JSON; .md is text; .json is JSON), else Accept on entry
// paths, else HTML.
func formatFor(c echo.Context) string {
	if f, ok := c.Get(formatKey).(string); ok {
		return f
	}
	p := c.Request().URL.Path
	switch {
	case strings.HasPrefix(p, "/api/"):
		return formatJSON
	case strings.HasSuffix(p, ".md"):
		return formatText
	case strings.HasSuffix(p, ".json"):
		return formatJSON
	case strings.HasPrefix(p, "/static/"), p == "/healthz":
		return formatText
	}
	if f := negotiate(c.Request().Header.Get("Accept")); f == formatJSON {
		return formatJSON
	}
	return formatHTML
}

// errorPage answers with an HTML page in the language of the path. Its
// text comes from the UI strings only (kb messages are English; they go to
// JSON and plain-text clients). Its alternates and language switch point at
// the home page: the request path is the client's, not a page of ours.
func (s *Server) errorPage(c echo.Context, status int) error {
	l := kb.EN
	p := c.Request().URL.Path
	if p == "/zh" || strings.HasPrefix(p, "/zh/") {
		l = kb.ZH
	}
	m := s.r.Messages()
	key := strconv.Itoa(status)
	if !slices.Contains([]int{400, 404, 405, 413}, status) {
		key = "other"
		if status >= 500 {
			key = "500"
		}
	}
	title := m.T(l, "error."+key)
	detail := m.T(l, "error.detail."+key, "Path", truncate(p, 200), "Method", truncate(c.Request().Method, 20))
	if status == http.StatusNotFound && (strings.HasPrefix(p, "/codes/") || strings.HasPrefix(p, "/zh/codes/")) {
		sep := " "
		if l == kb.ZH {
			sep = "" // Chinese sentences follow each other without a space
		}
		detail += sep + m.T(l, "error.code_hint")
	}
	b, err := s.r.PageBytes("error", &render.Page{Lang: l, Path: "/", Title: title,
		Data: map[string]any{"Status": status, "Message": detail}})
	if err != nil {
		s.log.Error("rendering an error page", "status", status, "err", err)
		return c.String(http.StatusInternalServerError, "internal error\n")
	}
	return blob(c, status, mimeHTML, b)
}

// writeJSONError writes {"error": {"code": status, "message": msg}}.
func writeJSONError(c echo.Context, status int, msg string) error {
	b, err := render.EncodeJSON(map[string]any{"error": map[string]any{"code": status, "message": msg}})
	if err != nil {
		return err
	}
	return blob(c, status, mimeJSON, b)
}
