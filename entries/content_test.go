package entries_test

import (
	"fmt"
	"regexp"
	"sort"
	"strings"
	"testing"
	"unicode"

	"github.com/wskb/wskb/entries"
	"github.com/wskb/wskb/kb"
)

// The quality gate for the shipped content (issue 4). kb's own tests cover the
// validator; these cover what is in entries/.

func load(t *testing.T) []*kb.Entry {
	t.Helper()
	es, err := kb.Load(entries.FS, "entries/")
	if err != nil {
		t.Fatalf("the shipped entries do not validate:\n%v", err)
	}
	return es
}

func TestEveryEntryValidates(t *testing.T) {
	if es := load(t); len(es) == 0 {
		t.Fatal("no entries")
	}
}

// normSig is how search compares signatures: case and runs of space do not
// make two signatures different.
func normSig(s string) string {
	return strings.Join(strings.Fields(strings.ToLower(s)), " ")
}

func TestNoSignatureClaimedTwice(t *testing.T) {
	owner := map[string]string{}
	for _, e := range load(t) {
		for _, s := range e.Signatures {
			k := normSig(s.Text)
			if o, ok := owner[k]; ok && o != e.ID {
				t.Errorf("signature %q is claimed by %s and %s", s.Text, o, e.ID)
			} else if ok {
				t.Errorf("%s lists signature %q twice", e.ID, s.Text)
			}
			owner[k] = e.ID
		}
	}
}

func TestEveryRegisteredCodeHasAnEntry(t *testing.T) {
	has := map[int][]string{}
	for _, e := range load(t) {
		if e.CloseCode != nil {
			has[*e.CloseCode] = append(has[*e.CloseCode], e.ID)
		}
	}
	for _, r := range kb.Registry() {
		if len(has[r.Code]) == 0 {
			t.Errorf("IANA close code %d (%s) has no entry", r.Code, r.Name)
		}
	}
}

// texts lists every human text of an entry with the field it sits in.
func texts(e *kb.Entry) map[string]kb.Text {
	m := map[string]kb.Text{
		"title": e.Title, "summary": e.Summary, "root_cause": e.RootCause,
	}
	for i, v := range e.Versions {
		m[fmt.Sprintf("versions[%d].note", i)] = v.Note
	}
	for i, d := range e.Docs {
		m[fmt.Sprintf("docs[%d].title", i)] = d.Title
	}
	for i, w := range e.Workarounds {
		m[fmt.Sprintf("workarounds[%d].title", i)] = w.Title
		m[fmt.Sprintf("workarounds[%d].body", i)] = w.Body
	}
	for i, d := range e.DeadEnds {
		m[fmt.Sprintf("dead_ends[%d].title", i)] = d.Title
		m[fmt.Sprintf("dead_ends[%d].why", i)] = d.Why
	}
	for k, f := range map[string]*kb.Text{
		"metrics.fix_rate.note": e.Metrics.FixRate.Note, "metrics.confidence.note": e.Metrics.Confidence.Note,
		"metrics.evidence.note": e.Metrics.Evidence.Note, "metrics.first_seen.note": e.Metrics.FirstSeen.Note,
	} {
		if f != nil {
			m[k] = *f
		}
	}
	return m
}

// hanShare is the share of Chinese characters among the Chinese characters
// and Latin words of s: a word of an identifier counts once, like a character.
func hanShare(s string) (share float64, han int) {
	var words int
	inWord := false
	for _, r := range s {
		switch {
		case unicode.Is(unicode.Han, r):
			han++
			inWord = false
		case r < unicode.MaxASCII && (unicode.IsLetter(r) || unicode.IsDigit(r)):
			if !inWord {
				words++
			}
			inWord = true
		default:
			inWord = false
		}
	}
	if han+words == 0 {
		return 1, 0
	}
	return float64(han) / float64(han+words), han
}

var (
	mdCode   = regexp.MustCompile("(?s)```.*?```|`[^`]*`")
	mdLinkTo = regexp.MustCompile(`\]\(([^)\s]+)\)`)
	// What stays English in a good translation: quoted error strings,
	// identifiers (CamelCase, dotted, with digits, owner/repo#123) and
	// URLs.
	quoted     = regexp.MustCompile(`“[^”]*”|"[^"]*"|「[^」]*」`)
	identifier = regexp.MustCompile(`[!-~]*[A-Za-z][a-z]+[A-Z][!-~]*|[!-~]*[./#_@:\d][!-~]*[A-Za-z][!-~]*|[!-~]*[A-Za-z][!-~]*[./#_@:\d][!-~]*`)
)

// TestChineseIsATranslation: no Chinese text equals its English, and once
// code, links, quoted strings and identifiers are set aside, a Chinese text
// with English words left in it has Chinese in it, and a longer one is
// mostly Chinese (a half-translated paragraph fails). Documentation titles
// may be a product's own name ("Cloudflare：Bot Fight Mode").
func TestChineseIsATranslation(t *testing.T) {
	for _, e := range load(t) {
		for field, tx := range texts(e) {
			if strings.TrimSpace(tx.ZH) == strings.TrimSpace(tx.EN) {
				t.Errorf("%s: %s: the Chinese equals the English", e.ID, field)
				continue
			}
			if strings.HasPrefix(field, "docs[") {
				continue
			}
			prose := mdLinkTo.ReplaceAllString(mdCode.ReplaceAllString(tx.ZH, ""), "]")
			prose = identifier.ReplaceAllString(quoted.ReplaceAllString(prose, ""), "")
			share, han := hanShare(prose)
			switch {
			case han == 0 && len(strings.Fields(prose)) >= 4:
				t.Errorf("%s: %s: the Chinese text has no Chinese in it:\n%s", e.ID, field, tx.ZH)
			case len([]rune(prose)) >= 200 && share < 0.5:
				t.Errorf("%s: %s: only %.0f%% of the Chinese text is Chinese; is it all translated?\n%s", e.ID, field, 100*share, tx.ZH)
			}
		}
	}
}

// TestInternalLinksMatchLanguage: Markdown links to wskb's own pages point at
// the page in the text's own language.
func TestInternalLinksMatchLanguage(t *testing.T) {
	for _, e := range load(t) {
		for field, tx := range texts(e) {
			for _, m := range mdLinkTo.FindAllStringSubmatch(tx.EN, -1) {
				if strings.HasPrefix(m[1], "/zh/") {
					t.Errorf("%s: %s.en links the Chinese page %s", e.ID, field, m[1])
				}
			}
			for _, m := range mdLinkTo.FindAllStringSubmatch(tx.ZH, -1) {
				if strings.HasPrefix(m[1], "/") && !strings.HasPrefix(m[1], "/zh/") {
					t.Errorf("%s: %s.zh links the English page %s", e.ID, field, m[1])
				}
			}
		}
	}
}

// TestEveryEntryIsLinkedFromAnother: related links make a web: every entry
// is listed in the related links of at least one other entry.
func TestEveryEntryIsLinkedFromAnother(t *testing.T) {
	es := load(t)
	if len(es) < 2 {
		t.Skip("one entry")
	}
	in := map[string]int{}
	for _, e := range es {
		for _, r := range e.Related {
			in[r]++
		}
	}
	var lonely []string
	for _, e := range es {
		if in[e.ID] == 0 {
			lonely = append(lonely, e.ID)
		}
	}
	sort.Strings(lonely)
	for _, id := range lonely {
		t.Errorf("no entry lists %s in related", id)
	}
}
