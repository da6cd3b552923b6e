package api

import (
	_ "embed"
	"regexp"
	"slices"

	"github.com/labstack/echo/v4"

	"github.com/wskb/wskb/kb/render"
)

// OpenAPIDocument is the OpenAPI 3.1 description of the JSON API, served at
// /api/v1/openapi.json. A test sends requests to every route and validates
// the answers against it, so keep it in step with the handlers.
//
//go:embed openapi.json
var OpenAPIDocument []byte

var openAPIBody = render.NewBody(OpenAPIDocument)

// openAPI serves OpenAPIDocument.
func (s *Server) openAPI(c echo.Context) error {
	c.Set(formatKey, formatJSON)
	return send(c, mimeJSON, openAPIBody)
}

var routeParam = regexp.MustCompile(`:([A-Za-z0-9_]+)`)

// Routes lists every route the server answers, as "METHOD path" with path
// parameters written as in OpenAPI ({param}), sorted.
func (s *Server) Routes() []string {
	var out []string
	for _, r := range s.e.Routes() {
		out = append(out, r.Method+" "+routeParam.ReplaceAllString(r.Path, "{$1}"))
	}
	slices.Sort(out)
	return slices.Compact(out)
}
