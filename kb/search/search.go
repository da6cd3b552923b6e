package search

import (
	"context"
	"math"
	"regexp"
	"sort"
	"strings"
	"unicode/utf8"

	"github.com/wskb/wskb/kb"
)

// Index is the full-text index: store.Store in the service.
type Index interface {
	Match(ctx context.Context, expr string, limit int) ([]Hit, error)
}

// Field weights: a term in a signature or a title says more about what the
// entry explains than the same term deep in a workaround.
var fieldWeight = map[string]float64{
	"signature":        10,
	"title":            8,
	"summary":          4,
	"workaround_title": 3,
	"dead_end_title":   2,
	"root_cause":       2,
	"workaround":       1.5,
	"dead_end":         1,
}

// Score parts beyond the full-text score, which is scaled so that the best
// text match of a query scores textScale. A signature found whole in the
// pasted line outranks any text match; a close code or HTTP status the line
// names picks among the entries for it.
const (
	textScale       = 100
	signatureScore  = 120 // plus signatureWord for each word of it
	signatureWord   = 4
	partialSigScore = 40 // the query is part of a signature
	codeScore       = 45
	statusScore     = 45
	otherLangFactor = 0.9 // a text hit in the other language
	maxHits         = 600
	minPartialWords = 3
)

// Match says why a result matched.
type Match struct {
	// Kind is "signature" (one of the entry's signatures is in the query,
	// or the query is part of it), "close_code", "http_status" or "text".
	Kind string
	// Text is the signature, or the snippet of the text that matched.
	Text string
	// Marks are the byte ranges of Text that matched, for highlighting.
	Marks     [][2]int
	Ecosystem string  // signature's ecosystem
	Field     string  // the text's field (title, root_cause, ...)
	Lang      kb.Lang // the text's language; "" for signatures and codes
	Code      int     // close code or HTTP status
}

// Result is one entry found.
type Result struct {
	Entry   *kb.Entry
	Score   float64
	Matched []Match
}

// Results is the answer to one query.
type Results struct {
	Query Query
	// Code is set for a bare close code (1000–4999): its page is the first
	// answer.
	Code    *kb.CodeInfo
	Entries []Result
}

type signature struct {
	entry *kb.Entry
	i     int
	words []string
}

// Searcher ranks entries for queries. It is safe for concurrent use.
type Searcher struct {
	cat   *kb.Catalog
	idx   Index
	first map[string][]signature // signatures by their first word
	all   []signature
}

// New makes a Searcher over the catalog's entries and their full-text index.
func New(cat *kb.Catalog, idx Index) *Searcher {
	s := &Searcher{cat: cat, idx: idx, first: map[string][]signature{}}
	for _, e := range cat.Entries() {
		for i, sg := range e.Signatures {
			w := Words(Clean(sg.Text))
			if len(w) == 0 {
				continue
			}
			sig := signature{e, i, w}
			s.first[w[0]] = append(s.first[w[0]], sig)
			s.all = append(s.all, sig)
		}
	}
	return s
}

type scored struct {
	e       *kb.Entry
	text    float64 // weighted full-text score
	extra   float64
	fields  map[string]Hit // best hit per field
	matched []Match
}

// Search ranks the entries for q, best first, at most limit of them; l is
// the reader's language (snippets prefer it).
func (s *Searcher) Search(ctx context.Context, q Query, l kb.Lang, limit int) (Results, error) {
	res := Results{Query: q}
	if q.BareCode != 0 {
		ci := kb.LookupCode(q.BareCode)
		res.Code = &ci
	}
	hits, err := s.idx.Match(ctx, q.MatchExpr(), maxHits)
	if err != nil {
		return res, err
	}
	byID := map[string]*scored{}
	get := func(id string) *scored {
		sc := byID[id]
		if sc == nil {
			e, err := s.cat.Entry(id)
			if err != nil {
				return nil
			}
			sc = &scored{e: e, fields: map[string]Hit{}}
			byID[id] = sc
		}
		return sc
	}

	// Full text: per entry, the best hit of each field, weighted.
	for _, h := range hits {
		sc := get(h.EntryID)
		if sc == nil {
			continue
		}
		w := fieldWeight[h.Field] * h.Score
		if h.Lang != "" && kb.Lang(h.Lang) != l {
			w *= otherLangFactor
		}
		h.Score = w
		if old, ok := sc.fields[h.Field]; !ok || w > old.Score {
			sc.fields[h.Field] = h
		}
	}
	var top float64
	for _, sc := range byID {
		for _, h := range sc.fields {
			sc.text += h.Score
		}
		top = math.Max(top, sc.text)
	}
	if top > 0 {
		for _, sc := range byID {
			sc.text = textScale * sc.text / top
		}
	}

	// Signatures found whole in the line, and the query as part of one.
	for _, m := range s.signatureMatches(q.Words) {
		sc := get(m.sig.entry.ID)
		sg := m.sig.entry.Signatures[m.sig.i]
		sc.extra += m.score
		sc.matched = append(sc.matched, Match{Kind: "signature", Text: sg.Text, Ecosystem: sg.Ecosystem,
			Marks: [][2]int{{0, len(sg.Text)}}})
	}

	// Codes the line names.
	for _, c := range q.CloseCodes {
		_, es := s.cat.Code(c)
		for _, e := range es {
			sc := get(e.ID)
			sc.extra += codeScore
			sc.matched = append(sc.matched, Match{Kind: "close_code", Code: c})
		}
	}
	if len(q.HTTPStatuses) > 0 {
		for _, e := range s.cat.Entries() {
			if e.HTTPStatus != nil && contains(q.HTTPStatuses, *e.HTTPStatus) {
				sc := get(e.ID)
				sc.extra += statusScore
				sc.matched = append(sc.matched, Match{Kind: "http_status", Code: *e.HTTPStatus})
			}
		}
	}

	list := make([]*scored, 0, len(byID))
	for _, sc := range byID {
		list = append(list, sc)
	}
	sort.Slice(list, func(i, j int) bool {
		a, b := list[i].text+list[i].extra, list[j].text+list[j].extra
		if a != b {
			return a > b
		}
		return list[i].e.ID < list[j].e.ID
	})
	if limit > 0 && len(list) > limit {
		list = list[:limit]
	}
	hl := highlighter(q)
	for _, sc := range list {
		r := Result{Entry: sc.e, Score: math.Round((sc.text+sc.extra)*100) / 100, Matched: sc.matched}
		if m, ok := textMatch(sc, l, hl); ok {
			r.Matched = append(r.Matched, m)
		}
		res.Entries = append(res.Entries, r)
	}
	return res, nil
}

type sigMatch struct {
	sig   signature
	score float64
}

// signatureMatches finds the signatures whose words appear in order and
// next to each other in the query's words, and, for a query of a few words,
// the signatures that contain the whole query. One entry counts once: its
// longest signature found.
func (s *Searcher) signatureMatches(words []string) []sigMatch {
	best := map[string]sigMatch{}
	keep := func(m sigMatch) {
		if old, ok := best[m.sig.entry.ID]; !ok || m.score > old.score {
			best[m.sig.entry.ID] = m
		}
	}
	for i, w := range words {
		for _, sg := range s.first[w] {
			if hasPrefix(words[i:], sg.words) {
				keep(sigMatch{sg, signatureScore + signatureWord*float64(len(sg.words))})
			}
		}
	}
	if n := len(words); n >= minPartialWords && n <= 20 {
		for _, sg := range s.all {
			if len(sg.words) > n && index(sg.words, words) >= 0 {
				keep(sigMatch{sg, partialSigScore + signatureWord*float64(n)})
			}
		}
	}
	out := make([]sigMatch, 0, len(best))
	for _, m := range best {
		out = append(out, m)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].sig.entry.ID < out[j].sig.entry.ID })
	return out
}

func hasPrefix(s, prefix []string) bool {
	if len(prefix) > len(s) {
		return false
	}
	for i := range prefix {
		if s[i] != prefix[i] {
			return false
		}
	}
	return true
}

func index(s, sub []string) int {
	for i := 0; i+len(sub) <= len(s); i++ {
		if hasPrefix(s[i:], sub) {
			return i
		}
	}
	return -1
}

// textMatch is the snippet of the entry's best-matching text (the hits were
// weighted for the reader's language already).
func textMatch(sc *scored, l kb.Lang, hl *regexp.Regexp) (Match, bool) {
	// The title is on the result already: show the best other text, and
	// the title only when nothing else matched.
	var best Hit
	found := false
	for _, h := range sc.fields {
		if h.Field == "signature" || h.Field == "title" {
			continue
		}
		if !found || h.Score > best.Score || (h.Score == best.Score && h.Field < best.Field) {
			best, found = h, true
		}
	}
	if !found {
		best, found = sc.fields["title"]
	}
	if !found {
		return Match{}, false
	}
	text := fieldText(sc.e, best.Field, best.Ord, kb.Lang(best.Lang))
	snip, marks := snippet(plain(text), hl)
	return Match{Kind: "text", Text: snip, Marks: marks, Field: best.Field, Lang: kb.Lang(best.Lang)}, true
}

// fieldText is the text behind an index row (see store's texts()).
func fieldText(e *kb.Entry, field string, ord int, l kb.Lang) string {
	switch field {
	case "title":
		return e.Title.In(l)
	case "summary":
		return e.Summary.In(l)
	case "root_cause":
		return e.RootCause.In(l)
	case "workaround_title", "workaround":
		if ord < len(e.Workarounds) {
			if field == "workaround" {
				return e.Workarounds[ord].Body.In(l)
			}
			return e.Workarounds[ord].Title.In(l)
		}
	case "dead_end_title", "dead_end":
		if ord < len(e.DeadEnds) {
			if field == "dead_end" {
				return e.DeadEnds[ord].Why.In(l)
			}
			return e.DeadEnds[ord].Title.In(l)
		}
	case "signature":
		if ord < len(e.Signatures) {
			return e.Signatures[ord].Text
		}
	}
	return ""
}

var (
	mdLink     = regexp.MustCompile(`\[([^\]]*)\]\([^)]*\)`)
	mdEmphasis = strings.NewReplacer("**", "", "__", "", "`", "", "\\*", "*")
	mdLineMark = regexp.MustCompile(`(?m)^\s*(?:[-*+]|\d+\.|#{1,6}|>)\s+`)
	spaces     = regexp.MustCompile(`\s+`)
)

// plain turns Markdown into one line of plain text for a snippet.
func plain(md string) string {
	s := mdLink.ReplaceAllString(md, "$1")
	s = mdLineMark.ReplaceAllString(s, "")
	s = mdEmphasis.Replace(s)
	return strings.TrimSpace(spaces.ReplaceAllString(s, " "))
}

// highlighter matches the query's words in a text: English words at a word
// start, with any ending (close matches closed, closing), Chinese pairs
// anywhere. nil when there is nothing to mark.
func highlighter(q Query) *regexp.Regexp {
	var alts []string
	for _, t := range q.terms() {
		if isHanText(t.text) {
			alts = append(alts, regexp.QuoteMeta(t.text))
			continue
		}
		stem := t.text
		if len(stem) > 5 {
			stem = strings.TrimSuffix(strings.TrimSuffix(strings.TrimSuffix(stem, "ing"), "ed"), "s")
		}
		alts = append(alts, `\b`+regexp.QuoteMeta(stem)+`\w*`)
	}
	if len(alts) == 0 {
		return nil
	}
	// Longer alternatives first, so a longer word wins where two overlap.
	sort.SliceStable(alts, func(i, j int) bool { return len(alts[i]) > len(alts[j]) })
	re, err := regexp.Compile(`(?i)` + strings.Join(alts, "|"))
	if err != nil {
		return nil
	}
	return re
}

func isHanText(s string) bool {
	r, _ := utf8.DecodeRuneInString(s)
	return isHan(r)
}

// snippetLen is the length of a snippet in characters.
const snippetLen = 200

// snippet cuts text to about snippetLen characters around its densest run
// of matches, and returns the marks within the cut.
func snippet(text string, hl *regexp.Regexp) (string, [][2]int) {
	var ms [][]int
	if hl != nil {
		ms = hl.FindAllStringIndex(text, 64)
	}
	runes := utf8.RuneCountInString(text)
	if runes <= snippetLen {
		return text, marks(ms, 0, len(text))
	}
	// The window (in bytes) that holds the most matches, starting a little
	// before the first of them.
	start := 0
	if len(ms) > 0 {
		bestN := -1
		for i := range ms {
			n := 0
			for j := i; j < len(ms) && runeDist(text, ms[i][0], ms[j][1]) <= snippetLen*3/4; j++ {
				n++
			}
			if n > bestN {
				bestN, start = n, ms[i][0]
			}
		}
		start = backRunes(text, start, snippetLen/5)
	}
	end := forwardRunes(text, start, snippetLen)
	out := text[start:end]
	prefix, suffix := "", ""
	if start > 0 {
		prefix = "…"
	}
	if end < len(text) {
		suffix = "…"
	}
	var mk [][2]int
	for _, m := range marks(ms, start, end) {
		mk = append(mk, [2]int{m[0] - start + len(prefix), m[1] - start + len(prefix)})
	}
	return prefix + out + suffix, mk
}

func marks(ms [][]int, start, end int) [][2]int {
	var out [][2]int
	for _, m := range ms {
		if m[0] >= start && m[1] <= end && m[1] > m[0] {
			out = append(out, [2]int{m[0], m[1]})
		}
	}
	return out
}

func runeDist(s string, i, j int) int { return utf8.RuneCountInString(s[i:j]) }

// backRunes moves i back by n characters (not past 0), to a word start
// when one is near.
func backRunes(s string, i, n int) int {
	for ; n > 0 && i > 0; n-- {
		_, size := utf8.DecodeLastRuneInString(s[:i])
		i -= size
	}
	if j := strings.IndexByte(s[i:], ' '); i > 0 && j >= 0 && j < 15 {
		i += j + 1
	}
	return i
}

// forwardRunes moves i forward by n characters (not past the end).
func forwardRunes(s string, i, n int) int {
	for ; n > 0 && i < len(s); n-- {
		_, size := utf8.DecodeRuneInString(s[i:])
		i += size
	}
	return i
}
