package api

import (
	"math"
	"strconv"
	"strings"

	"golang.org/x/text/language"

	"github.com/wskb/wskb/kb"
)

// Response formats.
const (
	formatHTML     = "html"
	formatJSON     = "json"
	formatMarkdown = "markdown"
	formatText     = "text"
	formatKey      = "wskb.format" // echo.Context key: the format a handler chose
)

// offers are the media types an entry path can answer, in the server's
// order of preference for ties.
var offers = []struct{ mime, format string }{
	{"text/html", formatHTML},
	{"application/json", formatJSON},
	{"text/markdown", formatMarkdown},
}

// negotiate picks the format an Accept header prefers (RFC 9110 §12.5.1):
// the offer with the highest q, where a more specific range (type/subtype
// over type/* over */*) sets an offer's q. Anything unparsable is skipped,
// and when nothing acceptable is offered the answer is HTML.
func negotiate(accept string) string {
	if accept == "" {
		return formatHTML
	}
	best, bestQ := formatHTML, -1.0
	for _, o := range offers {
		q, spec := -1.0, -1
		for _, part := range strings.Split(accept, ",") {
			mt, params, _ := strings.Cut(strings.TrimSpace(part), ";")
			mt = strings.ToLower(strings.TrimSpace(mt))
			s := matches(mt, o.mime)
			if s < 0 || s < spec {
				continue
			}
			pq := qValue(params)
			if s > spec || pq > q {
				q, spec = pq, s
			}
		}
		if q > bestQ && q > 0 {
			best, bestQ = o.format, q
		}
	}
	return best
}

// matches says how specifically the media range mt matches mime: 2 exactly,
// 1 as type/*, 0 as */*, -1 not at all.
func matches(mt, mime string) int {
	switch {
	case mt == mime:
		return 2
	case mt == "*/*":
		return 0
	case strings.HasSuffix(mt, "/*") && strings.HasPrefix(mime, mt[:len(mt)-1]):
		return 1
	}
	return -1
}

// qValue reads q= from media-range parameters; absent or invalid means 1.
func qValue(params string) float64 {
	for _, p := range strings.Split(params, ";") {
		k, v, ok := strings.Cut(strings.TrimSpace(p), "=")
		if !ok || strings.ToLower(strings.TrimSpace(k)) != "q" {
			continue
		}
		q, err := strconv.ParseFloat(strings.TrimSpace(v), 64)
		if err != nil || math.IsNaN(q) || q < 0 || q > 1 {
			return 1
		}
		return q
	}
	return 1
}

// preferredLang returns the first of wskb's languages that an
// Accept-Language header asks for, by q. Every Chinese tag counts as
// Chinese: wskb's Chinese is Simplified, and a reader of zh-TW or zh-HK
// still reads it more easily than English; the notice names it 简体中文 so
// nobody is misled. The header is only used to offer a language, never to
// redirect.
func preferredLang(header string) (kb.Lang, bool) {
	if header == "" || len(header) > 1024 {
		return "", false
	}
	tags, _, err := language.ParseAcceptLanguage(header)
	if err != nil {
		return "", false
	}
	for _, t := range tags {
		base, _ := t.Base()
		switch base.String() {
		case "zh":
			return kb.ZH, true
		case "en":
			return kb.EN, true
		}
	}
	return "", false
}

// acceptsGzip reads Accept-Encoding (RFC 9110 §12.5.3): gzip (or x-gzip, or
// *) listed with a q above 0.
func acceptsGzip(header string) bool {
	if header == "" {
		return false
	}
	star := false
	for _, part := range strings.Split(header, ",") {
		coding, params, _ := strings.Cut(strings.TrimSpace(part), ";")
		switch strings.ToLower(strings.TrimSpace(coding)) {
		case "gzip", "x-gzip":
			return qValue(params) > 0
		case "*":
			star = qValue(params) > 0
		}
	}
	return star
}
