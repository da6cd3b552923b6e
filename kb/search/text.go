// Package search finds the entries that explain a pasted error line or a
// query, in English or Chinese.
//
// The text side (this file) is shared by the index and the query, so both
// see the same words: Clean strips what varies between two sightings of the
// same error (URLs, hosts, IPs, ports, timestamps, UUIDs, hex IDs, paths,
// line numbers); Words splits text into lower-case words, with every Chinese
// character a word of its own; Segment rewrites text for the SQLite FTS5
// index, whose unicode61 tokenizer would otherwise take a whole run of
// Chinese characters for one token: each run becomes its overlapping
// two-character pairs, so that a two-character query (关闭, 握手) is one
// indexed token and a longer one a phrase of them.
package search

import (
	"net"
	"net/url"
	"regexp"
	"sort"
	"strings"
	"unicode"
	"unicode/utf8"
)

// noise lists what Clean removes, most specific first. A match is replaced
// by a space, so the words around it stay apart; when only is set, a match
// is removed only if only says so.
var noise = []struct {
	re   *regexp.Regexp
	only func(string) bool
	// need lists bytes of which the text must hold one for the pattern to
	// match at all: a cheap test that skips most patterns for most lines.
	need string
	// keep, when set, gives what a match is replaced by.
	keep func(string) string
}{
	// URLs, also inside quotes: 'wss://host:8080/path?x=1'. Their words
	// are kept (urlWords): /signalr/connect, /socket.io/ or
	// *.azurewebsites.net say which stack answered.
	{re: regexp.MustCompile(`(?i)\b(?:wss?|https?|ftp|file)://[^\s'"<>()\[\]{}]*`), need: "/", keep: urlWords},
	// UUIDs
	{re: regexp.MustCompile(`(?i)\b[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\b`), need: "-"},
	// timestamps: 2024-01-02T03:04:05.678Z, 2024/01/02 03:04:05,
	// 02/Jan/2024:03:04:05 +0000 (nginx), 03:04:05.678
	{re: regexp.MustCompile(`\b\d{4}[-/]\d{2}[-/]\d{2}(?:[T ]\d{1,2}:\d{2}(?::\d{2}(?:[.,]\d+)?)?(?:Z|[+-]\d{2}:?\d{2})?)?\b`), need: "0123456789"},
	{re: regexp.MustCompile(`\b\d{1,2}/[A-Z][a-z]{2}/\d{4}(?::\d{2}:\d{2}:\d{2})?(?:\s+[+-]\d{4})?`), need: "/"},
	{re: regexp.MustCompile(`\b\d{1,2}:\d{2}:\d{2}(?:[.,]\d+)?\b`), need: "0123456789"},
	// IPv6 in brackets with an optional port, then bare IPv6 with a digit
	// in it (so that Rust's "Error::Protocol" is left alone)
	{re: regexp.MustCompile(`\[[0-9A-Fa-f:.]*:[0-9A-Fa-f:.]*\](?::\d{1,5})?`), need: "]"},
	{re: regexp.MustCompile(`(?i)(?:\b[0-9a-f]{1,4})?(?::[0-9a-f]{0,4}){2,7}\b`), only: hasDigit, need: "0123456789"},
	// IPv4 with an optional port
	{re: regexp.MustCompile(`\b\d{1,3}(?:\.\d{1,3}){3}(?::\d{1,5})?\b`), need: "."},
	// host:port, localhost included
	{re: regexp.MustCompile(`(?i)\b(?:localhost|[a-z0-9-]+(?:\.[a-z0-9-]+)+):\d{1,5}\b`), need: ":"},
	// paths with two or more segments, Unix or Windows, with :line:col
	{re: regexp.MustCompile(`(?:\b[A-Za-z]:)?(?:[\\/][\w.@+~-]+){2,}(?::\d+){0,2}`), need: "/\\"},
	// source files with :line or :line:col (receiver.js:612:10, conn.go:42)
	{re: regexp.MustCompile(`\b[\w.-]+\.(?:js|mjs|cjs|ts|tsx|jsx|go|py|java|kt|scala|cs|rs|rb|php|c|cc|cpp|h|swift|m|ex|exs|erl|dart)(?::\d+){1,2}\b`), need: "."},
	// nginx's error-log "pid#tid: *connection": 1234#0: *5
	{re: regexp.MustCompile(`\b\d+#\d+\b|\*\d+\b`), need: "#*"},
	// "line 123", "port 8080", "pid 42", "goroutine 7"
	{re: regexp.MustCompile(`(?i)\b(?:line|port|pid|tid|goroutine|thread|id)\s*[:=#]?\s*\d+\b`), need: "0123456789"},
	// hex offsets (+0x1d) and IDs: runs of eight or more hex digits with a
	// digit in them (a commit, a request ID, a socket ID)
	{re: regexp.MustCompile(`(?i)\+?\b0x[0-9a-f]+\b`), need: "0123456789"},
	{re: regexp.MustCompile(`(?i)\b[0-9a-f]{8,}\b`), only: hasDigit, need: "0123456789"},
	// long numbers: epochs, counters, byte counts
	{re: regexp.MustCompile(`\b\d{6,}\b`), need: "0123456789"},
}

// urlWords keeps the words of a URL's host name, path and query keys, and
// drops the scheme, the port, query values and the fragment; what is left
// goes through the other patterns (IDs, numbers) like any text.
func urlWords(raw string) string {
	u, err := url.Parse(raw)
	if err != nil {
		return " "
	}
	var b strings.Builder
	b.WriteByte(' ')
	if host := u.Hostname(); net.ParseIP(host) == nil {
		b.WriteString(strings.ReplaceAll(host, ".", " "))
	}
	b.WriteByte(' ')
	b.WriteString(strings.NewReplacer("/", " ", ".", " ").Replace(u.Path))
	keys := make([]string, 0, len(u.Query()))
	for k := range u.Query() {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		b.WriteByte(' ')
		b.WriteString(k)
	}
	b.WriteByte(' ')
	return b.String()
}

func hasDigit(s string) bool { return strings.ContainsAny(s, "0123456789") }

// Clean replaces the variable parts of a pasted line with spaces.
func Clean(s string) string {
	for _, n := range noise {
		if n.need != "" && !strings.ContainsAny(s, n.need) {
			continue
		}
		if n.keep != nil {
			s = n.re.ReplaceAllStringFunc(s, n.keep)
			continue
		}
		if n.only == nil {
			s = n.re.ReplaceAllLiteralString(s, " ")
			continue
		}
		s = n.re.ReplaceAllStringFunc(s, func(m string) string {
			if n.only(m) {
				return " "
			}
			return m
		})
	}
	return s
}

// isHan reports whether r is a Chinese character.
func isHan(r rune) bool { return unicode.Is(unicode.Han, r) }

// isWordRune is a letter or digit of a word that is not Chinese. '_' is a
// separator, as in FTS5's unicode61 tokenizer: a query word must be one
// index token (proxy_read_timeout is three), for the index keeps no
// positions to match a phrase with.
func isWordRune(r rune) bool {
	return (unicode.IsLetter(r) || unicode.IsDigit(r)) && !isHan(r)
}

// Words splits s into lower-case words: runs of letters and digits, and
// every Chinese character on its own.
func Words(s string) []string {
	var out []string
	start := -1
	for i, r := range s {
		switch {
		case isHan(r):
			if start >= 0 {
				out = append(out, strings.ToLower(s[start:i]))
				start = -1
			}
			out = append(out, string(r))
		case isWordRune(r):
			if start < 0 {
				start = i
			}
		default:
			if start >= 0 {
				out = append(out, strings.ToLower(s[start:i]))
				start = -1
			}
		}
	}
	if start >= 0 {
		out = append(out, strings.ToLower(s[start:]))
	}
	return out
}

// Segment rewrites s for the FTS5 index: every run of Chinese characters
// c1 c2 … cn becomes "c1c2 c2c3 … cn-1cn cn", set apart from the text
// around it; everything else is kept. The last character of a run stands
// alone so that each character begins one token, which a one-character
// prefix query ("帧"*) finds.
func Segment(s string) string {
	if !hasHan(s) {
		return s
	}
	var b strings.Builder
	b.Grow(len(s) * 3)
	var run []rune
	flush := func() {
		if len(run) == 0 {
			return
		}
		b.WriteByte(' ')
		for i := 0; i+1 < len(run); i++ {
			b.WriteRune(run[i])
			b.WriteRune(run[i+1])
			b.WriteByte(' ')
		}
		b.WriteRune(run[len(run)-1])
		b.WriteByte(' ')
		run = run[:0]
	}
	for _, r := range s {
		if isHan(r) {
			run = append(run, r)
			continue
		}
		flush()
		b.WriteRune(r)
	}
	flush()
	return b.String()
}

// HasHan reports whether s has a Chinese character in it.
func HasHan(s string) bool { return hasHan(s) }

func hasHan(s string) bool {
	for i := 0; i < len(s); {
		r, n := utf8.DecodeRuneInString(s[i:])
		if r >= 0x2E80 && isHan(r) {
			return true
		}
		i += n
	}
	return false
}

// stop words are left out of full-text queries: they are in every text and
// would only add noise to the ranking. Signatures are matched as phrases
// with them.
var stop = func() map[string]bool {
	m := map[string]bool{}
	for _, w := range strings.Fields(`a an and are as at be been but by can could did do does
		for from had has have how i if in into is it its me my no not of on or our so such
		than that the their them then there these they this to too us was we were what when
		where which while who why will with would you your get got just also very`) {
		m[w] = true
	}
	return m
}()

// Hit is one (entry, language) row of the full-text index that matched.
type Hit struct {
	EntryID string
	Lang    string // "en" or "zh"
	Score   float64
}

// ColumnWeights weigh the index's columns in bm25(): title, signatures,
// summary, body (root cause), fixes (workarounds and dead ends). A word in
// a signature or a title says more about what an entry explains than the
// same word deep in a workaround.
var ColumnWeights = [5]float64{8, 10, 4, 2, 1.5}
