package search

import (
	"math"
	"regexp"
	"strconv"
	"strings"
	"unicode"

	"github.com/wskb/wskb/kb/frame"
)

// MaxQuery is the longest query accepted, in bytes: a pasted stack trace
// fits, a pasted file does not.
const MaxQuery = 8 << 10

// maxTerms caps the words of one full-text query.
const maxTerms = 48

// Query is a parsed query: what it says, with the noise removed.
type Query struct {
	Raw string
	// Clean is Raw without URLs, hosts, IPs, ports, timestamps, UUIDs, hex
	// IDs, paths and line numbers.
	Clean string
	// Words are Clean's words (see Words).
	Words []string
	// CloseCodes and HTTPStatuses are the codes the line mentions, in order.
	CloseCodes   []int
	HTTPStatuses []int
	// BareCode is set when the whole query is one close code (1000–4999):
	// the close-code page is the answer.
	BareCode int
	// Hex holds the bytes when the query is hex (or another form the frame
	// decoder reads) rather than words: the playground can decode it.
	Hex []byte
	// HexForm is the form frame.ParseInput read it as.
	HexForm string
	// Durations are the times the line tells, in seconds: the symptom of
	// a timeout ("dropped after 60 seconds", "59998 ms", "every minute").
	Durations []int
}

var (
	// A close code in context: "code = 1006", "CloseEvent code: 1009",
	// "关闭码 1006". Any code 1000–4999.
	// "CloseEventcode: 1006" (a console line copied without its space).
	closeCodeCtx = regexp.MustCompile(`(?i)(?:\bcode|event\s*code|关闭码|状态码|错误码|代码)\W{0,3}([1-4]\d{3})\b`)
	// A close code in a looser context: "close 1009 (message too big)",
	// "closed with code 1006", "received 1009", "status 1006", "error
	// 1006". Only the codes that occur in practice (closeCodeLikely).
	// "4000 error", "1006 close"
	// "1006异常关闭", "1006 错误"
	closeCodeBefore = regexp.MustCompile(`(?i)\b([1-4]\d{3})(?:\s+(?:error|close[ds]?|closure|code)\b|\s*(?:异常|关闭|断开|错误))`)
	closeCodeLoose  = regexp.MustCompile(`(?i)(?:\bclose[ds]?|\bclosing|\bclosure|\bsent|\breceived|\bstatus|\berror|\breason)\W{0,3}(?:(?:with|code|status|frame|=|:)\W{0,3}){0,3}([1-4]\d{3})\b`)
	// "1006 (abnormal closure)", "1009 Message Too Big"
	closeCodeName = regexp.MustCompile(`(?i)\b(1\d{3}|3\d{3})\s*\(?\s*(?:normal|going away|protocol error|unsupported|no status|abnormal|invalid|policy|message too big|mandatory|internal|service restart|try again|bad gateway|tls|unauthori[sz]ed|forbidden|timeout)`)
	// An HTTP status in context: "Unexpected response code: 400",
	// "Unexpected server response: 502", "HTTP 403", "HTTP/1.1 400 Bad
	// Request", "status code '200'", "but was '200 OK'", "状态码 403".
	httpStatusCtx    = regexp.MustCompile(`(?i)(?:\bresponse(?:\s+(?:status\s+)?code)?|\bstatus(?:\s+code)?|\bhttp(?:/\d(?:\.\d)?)?|\bwas|\breturned|状态码|响应码)\W{0,3}([1-5]\d{2})\b`)
	httpStatusReason = regexp.MustCompile(`(?i)\b([1-5]\d{2})\s+(?:ok|bad request|unauthori[sz]ed|forbidden|not found|method not allowed|gone|upgrade required|too many requests|internal server error|bad gateway|service unavailable|gateway time-?out|switching protocols)\b`)
	// Close codes by the names libraries give them: Go's StatusGoingAway
	// (coder/websocket), Java's GOING_AWAY and CloseStatus.GOING_AWAY,
	// .NET's WebSocketCloseStatus.EndpointUnavailable, Python's
	// CloseCode.GOING_AWAY. Identifiers only: prose like "bad gateway" is
	// an HTTP status as often as a close code.
	closeCodeIdent  = regexp.MustCompile(`\b(?:Status|CloseStatus\.|CloseCode\.|CloseCodes\.|WebSocketCloseStatus\.)?(NormalClosure|GoingAway|EndpointUnavailable|ProtocolError|UnsupportedData|InvalidMessageType|NoStatusRcvd|NoStatusReceived|AbnormalClosure|InvalidFramePayloadData|InvalidPayloadData|PolicyViolation|MessageTooBig|MandatoryExtension|MandatoryExt|InternalError|InternalServerErr|ServiceRestart|TryAgainLater|TLSHandshake|NORMAL_CLOSURE|GOING_AWAY|PROTOCOL_ERROR|UNSUPPORTED_DATA|NO_STATUS_CODE|NO_STATUS_RCVD|ABNORMAL_CLOSURE|INVALID_FRAME_PAYLOAD_DATA|INVALID_DATA|BAD_DATA|POLICY_VIOLATION|MESSAGE_TOO_BIG|TOO_BIG_TO_PROCESS|MANDATORY_EXTENSION|MANDATORY_EXT|INTERNAL_ERROR|SERVER_ERROR|UNEXPECTED_CONDITION|SERVICE_RESTART|TRY_AGAIN_LATER|TLS_HANDSHAKE)\b`)
	closeCodeByName = map[string]int{
		"normalclosure": 1000, "goingaway": 1001, "endpointunavailable": 1001, "protocolerror": 1002,
		"unsupporteddata": 1003, "invalidmessagetype": 1003, "nostatusrcvd": 1005, "nostatusreceived": 1005,
		"nostatuscode": 1005, "abnormalclosure": 1006, "invalidframepayloaddata": 1007, "invalidpayloaddata": 1007,
		"invaliddata": 1007, "baddata": 1007, "policyviolation": 1008, "messagetoobig": 1009, "toobigtoprocess": 1009,
		"mandatoryextension": 1010, "mandatoryext": 1010, "internalerror": 1011, "internalservererr": 1011,
		"servererror": 1011, "unexpectedcondition": 1011, "servicerestart": 1012, "tryagainlater": 1013, "tlshandshake": 1015,
	}
	// A duration: "60 s", "55 seconds", "after 100s", "59998–60002 ms",
	// "10 minutes", "2 hours", "60 秒", "10 分钟"; and "every minute",
	// "a minute", "一分钟" (one minute, no number).
	durationRE = regexp.MustCompile(`(?i)(\d{1,6}(?:\.\d+)?)(?:\s*(?:-|–|to|~)\s*\d{1,6}(?:\.\d+)?)?\s*(ms|milliseconds?|s|secs?|seconds?|秒|min|mins|minutes?|分钟|h|hrs?|hours?|小时)(?:\b|[^a-z])|\b(?:one|a|an|every)\s+(minute|hour)\b|一(分钟|小时)`)
	bareNumber = regexp.MustCompile(`^\s*#?\s*(\d{1,5})\s*$`)
	// expected101 is "expected 101" / "Expected HTTP 101": the status that
	// did not come.
	expected101 = regexp.MustCompile(`(?i)\bexpect(?:ed|ing)?\W{0,3}(?:http\W{0,3}|status\W{0,3}(?:code\W{0,3})?)?101\b`)
)

// Parse reads q. It never fails: anything is a query.
func Parse(q string) Query {
	if len(q) > MaxQuery {
		q = q[:MaxQuery]
	}
	p := Query{Raw: q}
	if m := bareNumber.FindStringSubmatch(q); m != nil {
		if n, _ := strconv.Atoi(m[1]); n >= 1000 && n <= 4999 {
			p.BareCode = n
			p.CloseCodes = []int{n}
		} else if n >= 100 && n <= 599 {
			p.HTTPStatuses = []int{n}
		}
	}
	if p.BareCode == 0 {
		p.Hex, p.HexForm = looksLikeBytes(q)
	}
	p.Clean = Clean(q)
	p.Words = Words(p.Clean)
	has4, has3 := digitRun(p.Clean, 4), digitRun(p.Clean, 3)
	if len(p.CloseCodes) == 0 {
		if has4 {
			p.CloseCodes = codes(p.Clean, 1000, 4999, closeCodeCtx, closeCodeName)
		}
		for _, m := range closeCodeIdent.FindAllStringSubmatch(p.Clean, -1) {
			if c := closeCodeByName[strings.ToLower(strings.ReplaceAll(m[1], "_", ""))]; c != 0 && !contains(p.CloseCodes, c) {
				p.CloseCodes = append(p.CloseCodes, c)
			}
		}
		if has4 {
			for _, c := range codes(p.Clean, 1000, 4999, closeCodeLoose, closeCodeBefore) {
				if closeCodeLikely(c) && !contains(p.CloseCodes, c) {
					p.CloseCodes = append(p.CloseCodes, c)
				}
			}
		}
	}
	p.Durations = durations(p.Clean)
	if len(p.HTTPStatuses) == 0 && p.BareCode == 0 && has3 {
		p.HTTPStatuses = codes(p.Clean, 100, 599, httpStatusCtx, httpStatusReason)
		if len(p.HTTPStatuses) > 1 || expected101.MatchString(p.Clean) {
			p.HTTPStatuses = without(p.HTTPStatuses, 101)
		}
	}
	return p
}

// durations lists the durations s tells, in whole seconds (at least 1),
// each once, at most maxDurations.
func durations(s string) []int {
	// A cheap test first: a duration has a digit, "一", or "minute" or
	// "hour" in any case.
	if !strings.ContainsAny(s, "0123456789一") {
		if l := asciiLower(s); !strings.Contains(l, "minute") && !strings.Contains(l, "hour") {
			return nil
		}
	}
	var out []int
	for _, m := range durationRE.FindAllStringSubmatch(s, maxDurations) {
		n, unit := 1.0, strings.ToLower(m[2]+m[3]+m[4])
		if m[1] != "" {
			n, _ = strconv.ParseFloat(m[1], 64)
		}
		switch {
		case unit == "ms" || strings.HasPrefix(unit, "milli"):
			n /= 1000
		case strings.HasPrefix(unit, "m") || unit == "分钟":
			n *= 60
		case strings.HasPrefix(unit, "h") || unit == "小时":
			n *= 3600
		}
		if d := int(math.Round(n)); d >= 1 && !contains(out, d) {
			out = append(out, d)
		}
	}
	return out
}

// maxDurations caps the durations read from one query.
const maxDurations = 8

// closeCodeLikely: the registered codes and the ranges applications use;
// not the unassigned rest of the protocol range (1016–2999), where a number
// after "error" is more likely a count or an ID.
func closeCodeLikely(c int) bool { return (c >= 1000 && c <= 1015) || c >= 3000 }

// digitRun reports whether s has a run of exactly n ASCII digits: a cheap
// test before the code patterns.
func digitRun(s string, n int) bool {
	run := 0
	for i := 0; i <= len(s); i++ {
		if i < len(s) && s[i] >= '0' && s[i] <= '9' {
			run++
			continue
		}
		if run == n {
			return true
		}
		run = 0
	}
	return false
}

func codes(s string, lo, hi int, res ...*regexp.Regexp) []int {
	var out []int
	for _, re := range res {
		for _, m := range re.FindAllStringSubmatch(s, -1) {
			n, err := strconv.Atoi(m[1])
			if err != nil || n < lo || n > hi || contains(out, n) {
				continue
			}
			out = append(out, n)
		}
	}
	return out
}

func contains(xs []int, x int) bool {
	for _, v := range xs {
		if v == x {
			return true
		}
	}
	return false
}

func without(xs []int, x int) []int {
	out := xs[:0:0]
	for _, v := range xs {
		if v != x {
			out = append(out, v)
		}
	}
	return out
}

// looksLikeBytes reports the bytes when q reads as frame bytes: the frame
// decoder accepts it, it holds at least two bytes, and it is not a word or
// a number that merely happens to be hex digits ("cafe", "1006", "deadbeef").
func looksLikeBytes(q string) ([]byte, string) {
	t := strings.TrimSpace(q)
	if len(t) < 4 {
		return nil, ""
	}
	b, form, err := frame.ParseInput(t, "")
	if err != nil || len(b) < 2 {
		return nil, ""
	}
	if form == frame.FormHex && !strings.ContainsFunc(t, unicode.IsSpace) {
		// One run of hex digits: bytes only if long and mixed, like a
		// pasted capture ("880203e9"), not a word or a decimal number.
		if len(t) < 8 || !strings.ContainsAny(t, "0123456789") || !strings.ContainsAny(strings.ToLower(t), "abcdef") && len(t) < 12 {
			return nil, ""
		}
	}
	return b, form
}

// term is one word of a full-text query. Chinese is matched by its
// character pairs, as Segment indexed it: a run "c1c2c3" gives the terms
// "c1c2" and "c2c3", so a text that shares only part of a phrase still
// ranks, and one that has all of it ranks higher; a lone character is a
// prefix term.
type term struct {
	text   string
	prefix bool
}

// terms lists p's full-text terms: stop words and numbers that are not
// codes left out, each once, at most maxTerms.
func (p Query) terms() []term {
	var out []term
	seen := map[string]bool{}
	add := func(t term) {
		if !seen[t.text] && len(out) < maxTerms {
			seen[t.text] = true
			out = append(out, t)
		}
	}
	// Durations in seconds: entries write "60 s" for "every minute" and
	// "60000 ms".
	for _, d := range p.Durations {
		add(term{text: strconv.Itoa(d)})
	}
	// A code recognised by a name (StatusGoingAway) is searched by its
	// number too: entries write "1001".
	for _, c := range p.CloseCodes {
		add(term{text: strconv.Itoa(c)})
	}
	for _, w := range wordsAndRuns(p.Clean) {
		r := []rune(w)
		switch {
		case isHan(r[0]) && len(r) == 1:
			if !hanStop[r[0]] {
				add(term{w, true})
			}
		case isHan(r[0]):
			for i := 0; i+1 < len(r); i++ {
				if !hanStop[r[i]] && !hanStop[r[i+1]] {
					add(term{text: string(r[i : i+2])})
				}
			}
		case stop[w]:
		case isNumber(w):
			// Codes, and the short numbers a symptom is told with ("60
			// seconds", "after 100 s"); what varies between sightings
			// (ports, IDs, timestamps) is gone already.
			if n, _ := strconv.Atoi(w); contains(p.CloseCodes, n) || contains(p.HTTPStatuses, n) || len(w) >= 2 && len(w) <= 4 {
				add(term{text: w})
			}
		case len(w) == 1:
		default:
			add(term{text: w})
		}
	}
	return out
}

// hanStop are Chinese function characters (particles, pronouns,
// conjunctions, prepositions): a character pair with one of them in it
// ("的错", "你遇", "而是") says nothing about the error, so queries leave it
// out. The index keeps every pair.
var hanStop = func() map[rune]bool {
	m := map[rune]bool{}
	for _, r := range "的了是在和与或并而被把这那你我他她它们就都也还但会要能可以之其为于将所等及吗呢吧啊呀着过" {
		m[r] = true
	}
	return m
}()

// wordsAndRuns is Words with each run of Chinese characters kept whole.
func wordsAndRuns(s string) []string {
	var out []string
	start, han := -1, false
	for i, r := range s {
		h := isHan(r)
		w := h || isWordRune(r)
		if start >= 0 && (!w || h != han) {
			out = append(out, strings.ToLower(s[start:i]))
			start = -1
		}
		if w && start < 0 {
			start, han = i, h
		}
	}
	if start >= 0 {
		out = append(out, strings.ToLower(s[start:]))
	}
	return out
}

func isNumber(w string) bool {
	for i := 0; i < len(w); i++ {
		if w[i] < '0' || w[i] > '9' {
			return false
		}
	}
	return w != ""
}

// MatchExpr is the FTS5 query for p's terms: every term a quoted string,
// joined with OR, so nothing the user typed is read as FTS5 syntax (quotes,
// parentheses, *, :, -, NEAR, AND). "" when there is nothing to match.
func (p Query) MatchExpr() string { return p.matchExpr(nil) }

// matchExpr is MatchExpr without the terms skip says to leave out.
func (p Query) matchExpr(skip func(term) bool) string {
	var b strings.Builder
	for _, t := range p.terms() {
		if skip != nil && skip(t) {
			continue
		}
		if b.Len() > 0 {
			b.WriteString(" OR ")
		}
		b.WriteString(`"`)
		b.WriteString(strings.ReplaceAll(t.text, `"`, `""`))
		b.WriteString(`"`)
		if t.prefix {
			b.WriteString("*")
		}
	}
	return b.String()
}
