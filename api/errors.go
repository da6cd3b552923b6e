package api

import (
	"errors"
	"fmt"
	"net/http"
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
		werr = s.errorPage(c, status, msg)
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

// errorPage answers with an HTML page in the language of the path.
func (s *Server) errorPage(c echo.Context, status int, msg string) error {
	l := kb.EN
	p := c.Request().URL.Path
	if p == "/zh" || strings.HasPrefix(p, "/zh/") {
		l = kb.ZH
	}
	m := s.r.Messages()
	title := m.T(l, fmt.Sprintf("error.%d", status))
	if title == fmt.Sprintf("error.%d", status) {
		title = m.T(l, "error.other")
	}
	detail := msg
	switch {
	case status == http.StatusNotFound:
		detail = m.T(l, "error.not_found_page", "Path", truncate(p, 200))
		if !strings.HasPrefix(msg, "there is no page") {
			detail += " " + msg
		}
	case status >= 500:
		detail = m.T(l, "error.internal")
	}
	neutral := strings.TrimPrefix(p, "/zh")
	if neutral == "" || !strings.HasPrefix(neutral, "/") {
		neutral = "/"
	}
	b, err := s.r.PageBytes("error", &render.Page{Lang: l, Path: neutral, Title: title, Status: status,
		Data: map[string]any{"Status": status, "Message": detail}})
	if err != nil {
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
