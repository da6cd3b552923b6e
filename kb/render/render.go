package render

import (
	"bytes"
	"encoding/hex"
	"encoding/json"
	"fmt"
	htmltemplate "html/template"
	"io"
	"io/fs"
	"regexp"
	"strconv"
	"strings"
	texttemplate "text/template"
	"unicode/utf8"

	"github.com/yuin/goldmark"

	"github.com/wskb/wskb/kb"
)

// Page is what every HTML page template receives.
type Page struct {
	Lang        kb.Lang
	Title       string
	Description string
	// Path is the page's language-neutral path ("/", "/codes/1009"); the
	// page in language l lives at LangPath(l, Path).
	Path string
	// JSON is the URL of the page's JSON form ("" when none).
	JSON string
	// Markdown says whether Path+".md" serves the page as Markdown.
	Markdown bool
	// OfferOther shows a notice, in the other language, that the page
	// exists in it (the home page, when Accept-Language prefers it).
	OfferOther bool
	// Query is the page's query string without "?" (a search page's q),
	// kept by its alternates and language switch.
	Query string
	Data  any
}

// URL is the page's address in language l, with its query.
func (p *Page) URL(l kb.Lang) string {
	if p.Query != "" {
		return LangPath(l, p.Path) + "?" + p.Query
	}
	return LangPath(l, p.Path)
}

// MarkdownURL is the address of the page's Markdown form in its language.
func (p *Page) MarkdownURL() string {
	if !p.Markdown {
		return ""
	}
	return MarkdownPath(p.Lang, p.Path)
}

// MarkdownPath is the address of the Markdown form of the page at the
// language-neutral path, in language l: the path plus ".md", and
// "/index.md" for the home page.
func MarkdownPath(l kb.Lang, path string) string {
	if path == "/" {
		return LangPath(l, "/index.md")
	}
	return LangPath(l, path) + ".md"
}

// LangPath returns path in language l: Chinese pages live under /zh/.
func LangPath(l kb.Lang, path string) string {
	if l != kb.ZH {
		return path
	}
	if path == "/" {
		return "/zh/"
	}
	return "/zh" + path
}

// EntryPath is the language-neutral path of an entry's page.
func EntryPath(id string) string { return "/entries/" + id }

// EntryAPIPath is the path of an entry's JSON.
func EntryAPIPath(id string) string { return "/api/v1/entries/" + id }

// CodePath is the language-neutral path of a close code's page.
func CodePath(code int) string { return "/codes/" + strconv.Itoa(code) }

// Renderer renders pages and Markdown documents in both languages.
type Renderer struct {
	md   goldmark.Markdown
	msgs *Messages
	// Templates are parsed once per language, with functions bound to it, so
	// no template is cloned or re-bound per request and "t" works the same
	// inside every nested template.
	html map[kb.Lang]map[string]*htmltemplate.Template
	text map[kb.Lang]*texttemplate.Template
}

// pageNames are the page templates; each is parsed with layout.html.
var pageNames = []string{"home", "entry", "code", "error", "playground", "search", "handshake"}

// New parses the templates in tfs for both languages.
func New(tfs fs.FS, msgs *Messages) (*Renderer, error) {
	r := &Renderer{
		md:   newMarkdown(),
		msgs: msgs,
		html: map[kb.Lang]map[string]*htmltemplate.Template{},
		text: map[kb.Lang]*texttemplate.Template{},
	}
	for _, l := range kb.Langs {
		funcs := r.funcs(l)
		r.html[l] = map[string]*htmltemplate.Template{}
		for _, name := range pageNames {
			t, err := htmltemplate.New(name).Funcs(funcs).ParseFS(tfs, "layout.html", name+".html")
			if err != nil {
				return nil, fmt.Errorf("templates: %w", err)
			}
			r.html[l][name] = t
		}
		t, err := texttemplate.New("md").Funcs(funcs).ParseFS(tfs, "*.md.tmpl")
		if err != nil {
			return nil, fmt.Errorf("templates: %w", err)
		}
		r.text[l] = t
	}
	return r, nil
}

// Messages returns the UI strings.
func (r *Renderer) Messages() *Messages { return r.msgs }

// funcs are the template functions for language l.
func (r *Renderer) funcs(l kb.Lang) map[string]any {
	return map[string]any{
		"t":      func(id string, pairs ...any) string { return r.msgs.T(l, id, pairs...) },
		"tOther": func(id string, pairs ...any) string { return r.msgs.T(l.Other(), id, pairs...) },
		"tx":     func(t kb.Text) string { return t.In(l) },
		"txp": func(t *kb.Text) string {
			if t == nil {
				return ""
			}
			return t.In(l)
		},
		"href": func(path string) string { return LangPath(l, path) },
		"md": func(prefix, src string) (htmltemplate.HTML, error) {
			return markdownHTML(r.md, prefix, src)
		},
		"entryPath": EntryPath,
		"entryAPI":  EntryAPIPath,
		"codePath":  CodePath,
		"lang":      func() kb.Lang { return l },
		"htmlLang": func() string {
			if l == kb.ZH {
				return "zh-Hans"
			}
			return "en"
		},
		"cell":      mdCell,
		"linkText":  func(s string) string { return strings.NewReplacer(`\`, `\\`, "[", `\[`, "]", `\]`).Replace(s) },
		"code":      inlineCode,
		"trimnl":    func(s string) string { return strings.TrimRight(s, "\n") },
		"fence":     fence,
		"add":       func(a, b int) int { return a + b },
		"deref":     func(p *int) int { return *p },
		"derefBool": func(p *bool) bool { return p != nil && *p },
		"bit": func(b bool) int {
			if b {
				return 1
			}
			return 0
		},
		"hexPreview": hexPreview,
		"marked":     marked,
		"uiJSON": func(ids ...string) (string, error) {
			// UI strings for scripts, with {Name} where the values go.
			m := make(map[string]string, len(ids))
			for _, id := range ids {
				m[id] = r.msgs.T(l, id, "Format", "{Format}", "Bytes", "{Bytes}", "Frames", "{Frames}",
					"Messages", "{Messages}", "Problems", "{Problems}", "N", "{N}", "Total", "{Total}")
			}
			b, err := json.Marshal(m)
			return string(b), err
		},
		"problemText": func(id string, args []any, english string) string { return r.msgs.Problem(l, id, args, english) },
		"maskHex":     func(k [4]byte) string { return hex.EncodeToString(k[:]) },
		"textOf":      textOf,
		"rfcURL":      rfcURL,
		"rowLimit":    func() int { return 500 }, // rows a page shows of frames or messages
		"bitsRange":   func() []int { return []int{8, 9, 10, 11, 12, 13, 14, 15} },
		"opcodeNames": func() []string { return []string{"text", "binary", "close", "ping", "pong", "continuation"} },
	}
}

// Page renders the HTML page template name.
func (r *Renderer) Page(w io.Writer, name string, p *Page) error {
	t, ok := r.html[p.Lang][name]
	if !ok {
		return fmt.Errorf("render: no page template %q", name)
	}
	return t.ExecuteTemplate(w, "layout", p)
}

// PageBytes renders a page into a new byte slice.
func (r *Renderer) PageBytes(name string, p *Page) ([]byte, error) {
	var buf bytes.Buffer
	if err := r.Page(&buf, name, p); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

// Text renders the Markdown template name (a file name.md.tmpl defines it).
func (r *Renderer) Text(l kb.Lang, name string, data any) ([]byte, error) {
	var buf bytes.Buffer
	if err := r.text[l].ExecuteTemplate(&buf, name, data); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

// mdCell makes s safe inside a Markdown table cell: pipes escaped, lines
// joined.
func mdCell(s string) string {
	s = strings.ReplaceAll(s, "|", `\|`)
	return strings.Join(strings.Fields(s), " ")
}

// hexPreview writes up to 512 bytes of b as spaced hex, with an ellipsis
// and the full size when there is more.
func hexPreview(b []byte) string {
	const limit = 512
	var sb strings.Builder
	for i, c := range b[:min(len(b), limit)] {
		if i > 0 {
			sb.WriteByte(' ')
		}
		sb.WriteString(hex.EncodeToString([]byte{c}))
	}
	if len(b) > limit {
		fmt.Fprintf(&sb, " … (%d bytes)", len(b))
	}
	return sb.String()
}

// marked escapes text and wraps the byte ranges in marks (sorted, not
// overlapping; others are skipped) in <mark>.
func marked(text string, marks [][2]int) htmltemplate.HTML {
	var sb strings.Builder
	at := 0
	for _, m := range marks {
		if m[0] < at || m[1] > len(text) || m[0] >= m[1] {
			continue
		}
		sb.WriteString(htmltemplate.HTMLEscapeString(text[at:m[0]]))
		sb.WriteString("<mark>")
		sb.WriteString(htmltemplate.HTMLEscapeString(text[m[0]:m[1]]))
		sb.WriteString("</mark>")
		at = m[1]
	}
	sb.WriteString(htmltemplate.HTMLEscapeString(text[at:]))
	return htmltemplate.HTML(sb.String())
}

// textOf is b[from:] as text when it is valid UTF-8 and not empty.
func textOf(b []byte, from int) string {
	if from > len(b) || !utf8.Valid(b[from:]) {
		return ""
	}
	return string(b[from:])
}

// rfcSection matches "RFC 6455 §5.5.1".
var rfcSection = regexp.MustCompile(`^RFC (\d+) §([\d.]+)$`)

// rfcURL links "RFC 6455 §5.2" to that section on rfc-editor.org.
func rfcURL(ref string) string {
	m := rfcSection.FindStringSubmatch(ref)
	if m == nil {
		return "https://www.rfc-editor.org/rfc/rfc6455"
	}
	return "https://www.rfc-editor.org/rfc/rfc" + m[1] + "#section-" + m[2]
}

// inlineCode writes s as a Markdown code span, delimited by one backtick
// more than the longest run inside it (CommonMark 6.1).
func inlineCode(s string) string {
	longest := longestRun(s, '`')
	if longest == 0 {
		return "`" + s + "`"
	}
	d := strings.Repeat("`", longest+1)
	return d + " " + s + " " + d
}

// fence returns a code fence longer than any run of backticks in s, and at
// least three long.
func fence(s string) string {
	return strings.Repeat("`", max(3, longestRun(s, '`')+1))
}

func longestRun(s string, c rune) int {
	longest, run := 0, 0
	for _, r := range s {
		if r == c {
			run++
			longest = max(longest, run)
		} else {
			run = 0
		}
	}
	return longest
}
