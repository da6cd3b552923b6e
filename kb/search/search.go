package search

import (
	"context"
	"math"
	"math/bits"
	"regexp"
	"slices"
	"sort"
	"strings"
	"unicode/utf8"

	"github.com/wskb/wskb/kb"
)

// Index is the full-text index: store.Store in the service.
type Index interface {
	Match(ctx context.Context, expr string, limit int) ([]Hit, error)
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
	codeScore       = 40
	statusScore     = 30
	durationScore   = 40  // the line's duration is the one in the title
	durationMiss    = 30  // the title states another: a different timeout
	titleWordScore  = 16  // per query word in the entry's title
	otherLangFactor = 0.9 // a text hit in the other language
	maxHits         = 200
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

type sigPos struct{ sig, pos int }

type signature struct {
	entry *kb.Entry
	i     int
	words []string
	// rarity holds, per word, how few of the index's rows have it (0 for
	// a word in every row, 1 for one in none): a signature of rare words
	// ("[vite] server connection lost") says more than one of common words
	// ("Error in connection establishment").
	rarity []float64
}

// Searcher ranks entries for queries. It is safe for concurrent use.
type Searcher struct {
	cat *kb.Catalog
	idx Index
	all []signature
	at  map[string][]sigPos // where each word occurs in the signatures
	// slots lists an entry's texts in one language, ready for snippets;
	// words says in which of them (bit i: slots[i]) each word occurs:
	// choosing the text to show for a result is then a few map lookups.
	slots map[entryLang][]slot
	words map[entryLang]map[string]uint64
	// df counts the (entry, language) rows each word is in, for leaving
	// words that are in most rows ("websocket", "connection") out of the
	// full-text query: they hardly change the ranking and cost the most.
	df   map[string]int
	rows int
	// titled lists, per key, the entries whose title (in either language)
	// holds it.
	titled map[string][]*kb.Entry
	// timed lists the entries whose title states a duration ("closes
	// idle WebSockets after 60 s"), with the durations in seconds.
	timed []timedEntry
}

type timedEntry struct {
	e         *kb.Entry
	durations []int
}

type entryLang struct {
	id   string
	lang kb.Lang
}

// slotWeight ranks the kinds of text when choosing which one to show (the
// title is shown only when nothing else matched).
var slotWeight = map[string]float64{
	"summary": 4, "workaround_title": 3, "dead_end_title": 2, "root_cause": 2, "workaround": 1.5, "dead_end": 1,
}

// slot is one text of an entry in one language: its field, and the text
// as one line of plain text and in asciiLower form, for snippets.
type slot struct {
	field        string
	plain, lower string
}

// New makes a Searcher over the catalog's entries and their full-text index.
func New(cat *kb.Catalog, idx Index) *Searcher {
	s := &Searcher{cat: cat, idx: idx, at: map[string][]sigPos{}, slots: map[entryLang][]slot{},
		words: map[entryLang]map[string]uint64{}, df: map[string]int{}, titled: map[string][]*kb.Entry{}}
	for _, e := range cat.Entries() {
		if ds := durations(e.Title.EN + " " + e.Title.ZH); len(ds) > 0 {
			s.timed = append(s.timed, timedEntry{e, ds})
		}
		for i, sg := range e.Signatures {
			w := Words(Clean(sg.Text))
			if len(w) == 0 {
				continue
			}
			for pos, word := range w {
				s.at[word] = append(s.at[word], sigPos{len(s.all), pos})
			}
			s.all = append(s.all, signature{entry: e, i: i, words: w})
		}
		for _, l := range kb.Langs {
			el := entryLang{e.ID, l}
			s.words[el] = map[string]uint64{}
			put := func(field string, t kb.Text) {
				i := len(s.slots[el])
				if i >= 64 {
					return
				}
				text := plain(t.In(l))
				s.slots[el] = append(s.slots[el], slot{field, text, asciiLower(text)})
				for _, w := range indexWords(text) {
					s.words[el][w] |= 1 << i
				}
			}
			put("title", e.Title) // slot 0: titled and textMatch rely on it
			put("summary", e.Summary)
			put("root_cause", e.RootCause)
			for _, w := range e.Workarounds {
				put("workaround_title", w.Title)
				put("workaround", w.Body)
			}
			for _, d := range e.DeadEnds {
				put("dead_end_title", d.Title)
				put("dead_end", d.Why)
			}
		}
	}
	for _, ws := range s.words {
		s.rows++
		for w := range ws {
			s.df[w]++
		}
	}
	for i := range s.all {
		sg := &s.all[i]
		sg.rarity = make([]float64, len(sg.words))
		for j, w := range sg.words {
			sg.rarity[j] = s.rarity(w)
		}
	}
	for _, e := range cat.Entries() {
		seen := map[string]bool{}
		for _, l := range kb.Langs {
			for w, mask := range s.words[entryLang{e.ID, l}] {
				if mask&1 != 0 && !seen[w] { // slot 0 is the title
					seen[w] = true
					s.titled[w] = append(s.titled[w], e)
				}
			}
		}
	}
	return s
}

// commonShare is the share of rows above which a word is left out of the
// full-text query, as long as a rarer word remains.
const commonShare = 0.5

// matchExpr is q's full-text query without its most common words.
func (s *Searcher) matchExpr(q Query) string {
	common := func(t term) bool { return !t.prefix && s.common(stem(t.text)) }
	rare := false
	for _, t := range q.terms() {
		if !common(t) {
			rare = true
			break
		}
	}
	if !rare {
		return q.MatchExpr()
	}
	return q.matchExpr(common)
}

type scored struct {
	e       *kb.Entry
	text    float64 // full-text score
	extra   float64
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
	if q.Hex != nil {
		// Frame bytes: the playground is the answer; their hex digits as
		// words ("88", "e9") would only find noise.
		return res, nil
	}
	hits, err := s.idx.Match(ctx, s.matchExpr(q), maxHits)
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
			sc = &scored{e: e}
			byID[id] = sc
		}
		return sc
	}

	// Full text: per entry, its better language row (the reader's
	// language counts a little more), scaled so the best entry has
	// textScale.
	for _, h := range hits {
		sc := get(h.EntryID)
		if sc == nil {
			continue
		}
		w := h.Score
		if kb.Lang(h.Lang) != l {
			w *= otherLangFactor
		}
		sc.text = math.Max(sc.text, w)
	}
	var top float64
	for _, sc := range byID {
		top = math.Max(top, sc.text)
	}
	if top > 0 {
		for _, sc := range byID {
			sc.text = textScale * sc.text / top
		}
	}

	// Titles name the root cause: each query word (not a common one) in
	// an entry's title, in either language, adds titleWordScore. Chinese
	// keys are overlapping pairs, so every character of a run counts
	// about twice: a pair adds half as much ("无数据" is one word, two
	// pairs).
	hl := newHighlighter(q)
	for _, k := range hl.keys {
		if s.common(k) {
			continue
		}
		w := float64(titleWordScore)
		if isHanText(k) {
			w /= 2
		}
		for _, e := range s.titled[k] {
			get(e.ID).extra += w
		}
	}

	// Signatures found whole in the line, and the query as part of one.
	for _, m := range s.signatureMatches(q.Words) {
		sc := get(m.sig.entry.ID)
		sg := m.sig.entry.Signatures[m.sig.i]
		sc.extra += m.score
		sc.matched = append(sc.matched, Match{Kind: "signature", Text: sg.Text, Ecosystem: sg.Ecosystem})
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
	// Durations: a timeout entry whose title states the line's duration
	// gains; one whose title states only other durations loses, when it
	// matched otherwise (a line that says 60 s is not Heroku's 55 s).
	if len(q.Durations) > 0 {
		for _, t := range s.timed {
			switch {
			case slices.ContainsFunc(t.durations, func(d int) bool { return contains(q.Durations, d) }):
				get(t.e.ID).extra += durationScore
			case byID[t.e.ID] != nil:
				byID[t.e.ID].extra -= durationMiss
			}
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
	for _, sc := range list {
		r := Result{Entry: sc.e, Score: math.Round((sc.text+sc.extra)*100) / 100, Matched: sc.matched}
		if m, ok := s.textMatch(sc, l, hl); ok {
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

// signatureMatches compares the query's words with every signature's
// words and keeps, per entry, its best signature: one found whole in the
// query scores most; one whose longest shared run of words is most of it
// (≥ 60 %, ≥ 3 words, with a word that is not in most entries), or that
// holds the whole query of three or more words, scores less, by the run's
// length. So a line that words a message slightly differently ("read close
// 1008 (policy violation)" for "websocket: close 1008 (policy violation)")
// or that was cut short still finds its signature.
func (s *Searcher) signatureMatches(words []string) []sigMatch {
	best := map[string]sigMatch{}
	keep := func(m sigMatch) {
		if old, ok := best[m.sig.entry.ID]; !ok || m.score > old.score {
			best[m.sig.entry.ID] = m
		}
	}
	type span struct{ start, n int }
	run := map[int]span{} // signature index -> longest shared run
	for i, w := range words {
		for _, at := range s.at[w] {
			sg := s.all[at.sig]
			j := at.pos
			if i > 0 && j > 0 && words[i-1] == sg.words[j-1] {
				continue // not the start of a run
			}
			n := 0
			for i+n < len(words) && j+n < len(sg.words) && words[i+n] == sg.words[j+n] {
				n++
			}
			if n > run[at.sig].n {
				run[at.sig] = span{j, n}
			}
		}
	}
	for at, r := range run {
		sg, n := s.all[at], r.n
		var weight float64
		for _, x := range sg.rarity[r.start : r.start+n] {
			weight += signatureWord * (0.5 + x)
		}
		switch {
		case n == len(sg.words):
			keep(sigMatch{sg, signatureScore + weight})
		case n >= minPartialWords && (10*n >= 6*len(sg.words) || n == len(words)) && s.hasRare(sg.words):
			keep(sigMatch{sg, partialSigScore + weight})
		}
	}
	out := make([]sigMatch, 0, len(best))
	for _, m := range best {
		out = append(out, m)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].sig.entry.ID < out[j].sig.entry.ID })
	return out
}

// common reports whether a key is in more than commonShare of the rows
// it can be in.
func (s *Searcher) common(key string) bool {
	return float64(s.df[key]) > commonShare*s.rowsFor(key)
}

// rowsFor is the number of rows a key can be in: Chinese is only in the
// Chinese rows (half of them), while English words, identifiers and error
// strings are in the rows of both languages.
func (s *Searcher) rowsFor(key string) float64 {
	if isHanText(key) {
		return float64(s.rows) / float64(len(kb.Langs))
	}
	return float64(s.rows)
}

// rarity is how few rows have the word, from 0 (all of them) to 1 (none):
// log(rows/df) on a log(rows) scale.
func (s *Searcher) rarity(w string) float64 {
	w = stem(w)
	n := s.rowsFor(w) + 1
	return math.Max(0, math.Log(n/float64(s.df[w]+1))/math.Log(n))
}

// hasRare reports whether one of words is in at most a quarter of the
// index's rows.
func (s *Searcher) hasRare(words []string) bool {
	for _, w := range words {
		if k := stem(w); 4*float64(s.df[k]) <= s.rowsFor(k) {
			return true
		}
	}
	return false
}

// textMatch picks the entry's text that holds the most query words (by
// kind of text: a summary before a workaround), in the reader's language
// when it matched there, and cuts a snippet from it. The title is on the
// result already, so it is shown only when nothing else matched.
func (s *Searcher) textMatch(sc *scored, l kb.Lang, hl *highlighter) (Match, bool) {
	if sc.text == 0 || len(hl.keys) == 0 {
		return Match{}, false
	}
	for _, lang := range []kb.Lang{l, l.Other()} {
		el := entryLang{sc.e.ID, lang}
		slots, words := s.slots[el], s.words[el]
		var count [64]int
		for _, k := range hl.keys {
			for m := words[k]; m != 0; m &= m - 1 {
				count[bits.TrailingZeros64(m)]++
			}
		}
		best, bestScore := -1, 0.0
		for i := 1; i < len(slots); i++ { // slot 0, the title, comes last
			if sc := float64(count[i]) * slotWeight[slots[i].field]; sc > bestScore {
				best, bestScore = i, sc
			}
		}
		if best < 0 && count[0] > 0 {
			best = 0
		}
		if best < 0 {
			continue
		}
		// Look only for the query words this text has (the slot masks say
		// which): scanning a long text for words it lacks was most of the
		// cost of a snippet.
		t := slots[best]
		snip, marks := snippetLower(t.plain, t.lower, hl.only(words, best))
		return Match{Kind: "text", Text: snip, Marks: marks, Field: t.field, Lang: lang}, true
	}
	return Match{}, false
}

// indexWords lists the distinct words of a text as the highlighter's keys:
// English words stemmed like query words, Chinese as pairs and single
// characters.
func indexWords(text string) []string {
	seen := map[string]bool{}
	var out []string
	add := func(w string) {
		if !seen[w] {
			seen[w] = true
			out = append(out, w)
		}
	}
	for _, w := range wordsAndRuns(text) {
		r := []rune(w)
		if isHan(r[0]) {
			for i := range r {
				add(string(r[i]))
				if i+1 < len(r) {
					add(string(r[i : i+2]))
				}
			}
			continue
		}
		add(stem(w))
	}
	return out
}

// stem cuts the commonest English endings, the same way for a query word
// and a text word: a rough match for choosing and marking text, not for
// ranking (the index uses the porter stemmer).
func stem(w string) string {
	if len(w) <= 4 {
		return w
	}
	for _, suf := range []string{"ing", "ed", "es", "s"} {
		if t, ok := strings.CutSuffix(w, suf); ok && len(t) >= 3 {
			w = t
			break
		}
	}
	return strings.TrimSuffix(w, "e")
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

// highlighter finds the query's words in a text: English words at a word
// start, with any ending (close marks closed and closing), Chinese pairs
// anywhere. It scans with strings.Index on an ASCII-lowered copy, which
// keeps byte offsets (a regexp of many alternatives was the slowest part
// of a search).
type highlighter struct {
	words []string // lower-case stems of English words
	han   []string // Chinese pairs and single characters
	keys  []string // both, as indexWords lists them
}

func newHighlighter(q Query) *highlighter {
	h := &highlighter{}
	for _, t := range q.terms() {
		if isHanText(t.text) {
			h.han = append(h.han, t.text)
			h.keys = append(h.keys, t.text)
			continue
		}
		st := stem(t.text)
		if slices.Contains(h.keys, st) {
			continue
		}
		h.words = append(h.words, st)
		h.keys = append(h.keys, st)
	}
	return h
}

// only is the highlighter for the keys that words (a slot mask per key)
// has in slot; all of h when slot is out of range.
func (h *highlighter) only(words map[string]uint64, slot int) *highlighter {
	if slot < 0 || slot >= 64 {
		return h
	}
	o := &highlighter{}
	for _, w := range h.words {
		if words[w]&(1<<slot) != 0 {
			o.words = append(o.words, w)
		}
	}
	for _, w := range h.han {
		if words[w]&(1<<slot) != 0 {
			o.han = append(o.han, w)
		}
	}
	o.keys = append(o.words[:len(o.words):len(o.words)], o.han...)
	return o
}

// find returns the sorted, non-overlapping byte ranges of matches in text,
// given with its asciiLower form.
func (h *highlighter) find(text, lower string) [][2]int {
	if h == nil || len(h.words)+len(h.han) == 0 {
		return nil
	}
	var ms [][2]int
	for _, w := range h.words {
		for at := 0; ; {
			i := strings.Index(lower[at:], w)
			if i < 0 {
				break
			}
			i += at
			end := i + len(w)
			at = end
			if r, _ := utf8.DecodeLastRuneInString(lower[:i]); i > 0 && isWordRuneOf(r) {
				continue
			}
			for end < len(lower) {
				r, size := utf8.DecodeRuneInString(lower[end:])
				if !isWordRuneOf(r) {
					break
				}
				end += size
			}
			ms = append(ms, [2]int{i, end})
		}
	}
	for _, w := range h.han {
		for at := 0; ; {
			i := strings.Index(text[at:], w)
			if i < 0 {
				break
			}
			ms = append(ms, [2]int{at + i, at + i + len(w)})
			at += i + len(w)
		}
	}
	sort.Slice(ms, func(i, j int) bool {
		if ms[i][0] != ms[j][0] {
			return ms[i][0] < ms[j][0]
		}
		return ms[i][1] > ms[j][1]
	})
	out := ms[:0]
	for _, m := range ms {
		if n := len(out); n > 0 && m[0] < out[n-1][1] {
			if m[1] > out[n-1][1] { // overlapping Chinese pairs: merge
				out[n-1][1] = m[1]
			}
			continue
		}
		out = append(out, m)
	}
	return out
}

// isWordRuneOf reports whether r continues an English word for marking:
// isWordRune's letters and digits, and '_', which the index splits on but
// a mark keeps whole (proxy_read_timeout); never a Chinese character or
// punctuation ("1006，uvicorn" marks 1006 only; "收到1006" marks 1006).
func isWordRuneOf(r rune) bool { return r == '_' || isWordRune(r) }

// asciiLower lowers ASCII letters only, so byte offsets stay the same.
func asciiLower(s string) string {
	b := []byte(s)
	for i, c := range b {
		if c >= 'A' && c <= 'Z' {
			b[i] = c + 'a' - 'A'
		}
	}
	return string(b)
}

func isHanText(s string) bool {
	r, _ := utf8.DecodeRuneInString(s)
	return isHan(r)
}

// snippetLen is the length of a snippet in characters.
const snippetLen = 200

// snippet cuts text to about snippetLen characters around its densest run
// of matches, and returns the marks within the cut.
func snippet(text string, hl *highlighter) (string, [][2]int) {
	return snippetLower(text, asciiLower(text), hl)
}

// snippetLower is snippet with text's asciiLower form given.
func snippetLower(text, lower string, hl *highlighter) (string, [][2]int) {
	ms := hl.find(text, lower)
	runes := utf8.RuneCountInString(text)
	if runes <= snippetLen {
		return text, marks(ms, 0, len(text))
	}
	// The window (in bytes) that holds the most matches, starting a little
	// before the first of them.
	start := 0
	if len(ms) > 0 {
		// Rune offsets of each match's start and end, in one pass.
		rs, re := make([]int, len(ms)), make([]int, len(ms))
		r, at := 0, 0
		for k, m := range ms {
			r += utf8.RuneCountInString(text[at:m[0]])
			rs[k] = r
			r += utf8.RuneCountInString(text[m[0]:m[1]])
			re[k] = r
			at = m[1]
		}
		bestN := -1
		for i := range ms {
			n := 0
			for j := i; j < len(ms) && re[j]-rs[i] <= snippetLen*3/4; j++ {
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

func marks(ms [][2]int, start, end int) [][2]int {
	var out [][2]int
	for _, m := range ms {
		if m[0] >= start && m[1] <= end && m[1] > m[0] {
			out = append(out, [2]int{m[0], m[1]})
		}
	}
	return out
}

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
