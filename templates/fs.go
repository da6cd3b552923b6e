// Package templates holds the page templates (html/template, *.html) and the
// Markdown export templates (text/template, *.md.tmpl).
package templates

import "embed"

// FS holds the templates.
//
//go:embed *.html *.md.tmpl
var FS embed.FS
