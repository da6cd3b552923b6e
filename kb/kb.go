// Package kb is the domain at the centre of wskb: entries, languages, close
// codes and the errors the rest of the program can return. It imports no HTTP
// framework; api/ translates between HTTP and these types.
package kb

import (
	"encoding/json"
	"fmt"
)

// Lang is a content language. wskb has exactly two.
type Lang string

const (
	EN Lang = "en"
	ZH Lang = "zh"
)

// Langs lists the languages in display order.
var Langs = []Lang{EN, ZH}

// ParseLang returns the Lang for s ("en" or "zh") and whether it is one.
func ParseLang(s string) (Lang, bool) {
	switch Lang(s) {
	case EN, ZH:
		return Lang(s), true
	}
	return "", false
}

// Other returns the other language.
func (l Lang) Other() Lang {
	if l == ZH {
		return EN
	}
	return ZH
}

// Text is a human text in both languages. In JSON it is {"en": ..., "zh": ...}.
type Text struct {
	EN string `json:"en" toml:"en"`
	ZH string `json:"zh" toml:"zh"`
}

// In returns the text in l.
func (t Text) In(l Lang) string {
	if l == ZH {
		return t.ZH
	}
	return t.EN
}

// Entry explains one root cause of a WebSocket failure. Field names and JSON
// names follow DESIGN.md; they are a public contract.
type Entry struct {
	ID           string       `json:"id"`
	Domain       string       `json:"domain" toml:"-"`
	Category     string       `json:"category"`
	CloseCode    *int         `json:"close_code" toml:"close_code"`
	HTTPStatus   *int         `json:"http_status" toml:"http_status"`
	Title        Text         `json:"title"`
	Summary      Text         `json:"summary"`
	Signatures   []Signature  `json:"signatures"`
	RootCause    Text         `json:"root_cause" toml:"root_cause"`
	Versions     []Version    `json:"versions"`
	Docs         []Doc        `json:"docs"`
	Workarounds  []Workaround `json:"workarounds"`
	DeadEnds     []DeadEnd    `json:"dead_ends" toml:"dead_ends"`
	Related      []string     `json:"related"`
	Metrics      Metrics      `json:"metrics"`
	Verification string       `json:"verification"`
	Resolvable   bool         `json:"resolvable"`
	Sources      []Source     `json:"sources"`
}

// Slug is the part of the ID after the domain.
func (e *Entry) Slug() string { return e.ID[len(e.Domain)+1:] }

// Signature is an error line as people see it, verbatim, with where it comes
// from. It is language-neutral: error strings are not translated.
type Signature struct {
	Text      string `json:"text"`
	Ecosystem string `json:"ecosystem"`
	Source    string `json:"source"`
}

// Version is one row of the version-compatibility table.
type Version struct {
	Component  string `json:"component"`
	Versions   string `json:"versions"`
	Status     string `json:"status"`
	Introduced string `json:"introduced,omitempty"`
	Changed    string `json:"changed,omitempty"`
	Deprecated string `json:"deprecated,omitempty"`
	Note       Text   `json:"note"`
	Source     string `json:"source"`
}

// Doc is a link to official documentation.
type Doc struct {
	Title Text   `json:"title"`
	URL   string `json:"url"`
}

// Workaround is something that works, with how to do it per ecosystem.
type Workaround struct {
	Title       Text      `json:"title"`
	Body        Text      `json:"body"`
	Code        []Snippet `json:"code"`
	SuccessRate Figure    `json:"success_rate" toml:"success_rate"`
	Sources     []string  `json:"sources"`
}

// Snippet is configuration or code for one ecosystem. Code is written once.
type Snippet struct {
	Ecosystem string `json:"ecosystem"`
	Lang      string `json:"lang"`
	Snippet   string `json:"snippet"`
}

// DeadEnd is something people try that does not work, and why.
type DeadEnd struct {
	Title    Text     `json:"title"`
	Why      Text     `json:"why"`
	FailRate Figure   `json:"fail_rate" toml:"fail_rate"`
	Sources  []string `json:"sources"`
}

// Source is a document the entry rests on. Its title is the document's own
// title, in its own language, so it is not translated.
type Source struct {
	Title string `json:"title"`
	URL   string `json:"url"`
}

// Bases of a figure: where a number comes from.
const (
	BasisEstimate = "estimate" // an editor's judgement, shown as such
	BasisCounted  = "counted"  // counted from N outcome reports
	BasisSource   = "source"   // a date taken from a dated source (first_seen)
)

// Figure is a number with its basis. N is the number of reports a counted
// figure rests on.
type Figure struct {
	Value int    `json:"value"`
	Basis string `json:"basis"`
	N     int    `json:"n,omitempty"`
	Note  *Text  `json:"note,omitempty"`
}

// DateFigure is a date (YYYY-MM-DD) with its basis; Source is the dated
// document when Basis is "source".
type DateFigure struct {
	Value  string `json:"value"`
	Basis  string `json:"basis"`
	Source string `json:"source,omitempty"`
	Note   *Text  `json:"note,omitempty"`
}

// Metrics are the figures shown as tiles on the entry page.
type Metrics struct {
	FixRate    Figure     `json:"fix_rate" toml:"fix_rate"`
	Confidence Figure     `json:"confidence"`
	Evidence   Figure     `json:"evidence"`
	FirstSeen  DateFigure `json:"first_seen" toml:"first_seen"`
}

// Enumerations. Each value has a UI label in i18n/ (the completeness test
// checks that every value here has one in both languages).
var (
	Categories = []string{
		"protocol_error", "handshake_error", "proxy_error", "network_error",
		"tls_error", "config_error", "library_error", "browser_error",
	}
	Domains       = []string{"communication"}
	Verifications = []string{"ai_generated", "human_reviewed"}
	VersionStatus = []string{"affected", "not_affected", "fixed", "info"}
	FigureBases   = []string{BasisEstimate, BasisCounted}
	DateBases     = []string{BasisEstimate, BasisSource}
)

// Summary is the short form of an entry used in lists.
type Summary struct {
	ID         string `json:"id"`
	Domain     string `json:"domain"`
	Category   string `json:"category"`
	CloseCode  *int   `json:"close_code"`
	HTTPStatus *int   `json:"http_status"`
	Title      Text   `json:"title"`
	Summary    Text   `json:"summary"`
}

// Summarize returns the summary form of e.
func (e *Entry) Summarize() Summary {
	return Summary{e.ID, e.Domain, e.Category, e.CloseCode, e.HTTPStatus, e.Title, e.Summary}
}

// Canonical returns the entry's canonical JSON, the form the store keeps and
// hashes. encoding/json sorts nothing here, but field order is fixed by the
// struct, so equal entries encode to equal bytes.
func (e *Entry) Canonical() []byte {
	b, err := json.Marshal(e)
	if err != nil {
		// Entry holds only strings, ints, bools and slices of them.
		panic(fmt.Sprintf("kb: encoding entry %s: %v", e.ID, err))
	}
	return b
}
