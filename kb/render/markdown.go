// Package render turns the knowledge base into HTML pages, Markdown and
// JSON. Everything about an entry is rendered once, at start-up, per
// language and format; requests only copy bytes.
package render

import (
	"bytes"
	"fmt"
	"html/template"
	"strings"
	"unicode"

	"github.com/yuin/goldmark"
	"github.com/yuin/goldmark/ast"
	"github.com/yuin/goldmark/extension"
	"github.com/yuin/goldmark/parser"
	goldhtml "github.com/yuin/goldmark/renderer/html"
)

// newMarkdown builds the one goldmark instance: GitHub Flavored Markdown,
// CJK (no stray spaces where Chinese lines wrap, and emphasis next to
// Chinese punctuation works), automatic heading IDs that keep Chinese
// letters. Raw HTML is never passed through (goldmark's default; we do not
// set html.WithUnsafe) and goldmark drops javascript: and similar URLs.
func newMarkdown() goldmark.Markdown {
	return goldmark.New(
		goldmark.WithExtensions(extension.GFM, extension.CJK),
		goldmark.WithParserOptions(parser.WithAutoHeadingID()),
		goldmark.WithRendererOptions(goldhtml.WithXHTML()),
	)
}

// markdownHTML converts Markdown to HTML. Heading IDs start with prefix, so
// that the Markdown fields of one page (root cause, each workaround, ...)
// can never give two elements the same ID, nor take one of the page's own
// section IDs.
func markdownHTML(md goldmark.Markdown, prefix, src string) (template.HTML, error) {
	var buf bytes.Buffer
	ctx := parser.NewContext(parser.WithIDs(newHeadingIDs(prefix)))
	if err := md.Convert([]byte(src), &buf, parser.WithContext(ctx)); err != nil {
		return "", fmt.Errorf("render: markdown: %w", err)
	}
	// goldmark escapes text and drops raw HTML, so its output is safe.
	return template.HTML(buf.String()), nil
}

// headingIDs generates heading IDs that keep letters of every script:
// "## 1006 异常关闭" becomes "1006-异常关闭", where goldmark's default drops
// the Chinese and leaves "1006-". Repeats get "-1", "-2", ...
type headingIDs struct {
	prefix string
	used   map[string]bool
}

func newHeadingIDs(prefix string) *headingIDs {
	return &headingIDs{prefix: prefix, used: map[string]bool{}}
}

func (h *headingIDs) Generate(value []byte, _ ast.NodeKind) []byte {
	var b strings.Builder
	dash := false
	for _, r := range strings.TrimSpace(string(value)) {
		switch {
		case unicode.IsLetter(r) || unicode.IsDigit(r):
			if dash && b.Len() > 0 {
				b.WriteByte('-')
			}
			dash = false
			b.WriteRune(unicode.ToLower(r))
		case r == '_' || r == '-':
			if b.Len() > 0 {
				b.WriteRune(r)
			}
			dash = false
		default: // spaces and punctuation separate words
			dash = true
		}
	}
	id := b.String()
	if id == "" {
		id = "section"
	}
	if h.prefix != "" {
		id = h.prefix + "-" + id
	}
	base := id
	for i := 1; h.used[id]; i++ {
		id = fmt.Sprintf("%s-%d", base, i)
	}
	h.used[id] = true
	return []byte(id)
}

func (h *headingIDs) Put(value []byte) { h.used[string(value)] = true }
