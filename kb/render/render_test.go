package render

import (
	"encoding/json"
	"io/fs"
	"log/slog"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/wskb/wskb/entries"
	"github.com/wskb/wskb/i18n"
	"github.com/wskb/wskb/kb"
	"github.com/wskb/wskb/templates"
)

func TestHeadingIDsKeepChinese(t *testing.T) {
	md := newMarkdown()
	got, err := markdownHTML(md, "", "## 1006 异常关闭\n\n## 1006 异常关闭\n\n## Proxy & Load-Balancer\n\n## ！！\n")
	if err != nil {
		t.Fatal(err)
	}
	prefixed, err := markdownHTML(md, "workaround-2", "## Sources")
	if err != nil {
		t.Fatal(err)
	}
	got += prefixed
	for _, want := range []string{`id="1006-异常关闭"`, `id="1006-异常关闭-1"`, `id="proxy-load-balancer"`, `id="section"`, `id="workaround-2-sources"`} {
		if !strings.Contains(string(got), want) {
			t.Errorf("missing %s in\n%s", want, got)
		}
	}
}

func TestMarkdownIsSafe(t *testing.T) {
	got, err := markdownHTML(newMarkdown(), "", "<script>alert(1)</script>\n\n[x](javascript:alert(1)) <img src=x onerror=alert(1)>\n\n| a | b |\n|---|---|\n| 1 | 2 |\n\n中文第一行\n第二行")
	if err != nil {
		t.Fatal(err)
	}
	s := string(got)
	for _, bad := range []string{"<script", "javascript:", "onerror"} {
		if strings.Contains(s, bad) {
			t.Errorf("unsafe %q passed through:\n%s", bad, s)
		}
	}
	if !strings.Contains(s, "<table>") {
		t.Errorf("GFM tables are off:\n%s", s)
	}
	// CJK: a line break between two Chinese lines adds no space.
	if !strings.Contains(s, "中文第一行第二行") && !strings.Contains(s, "中文第一行\n第二行") {
		t.Errorf("CJK line break rendered wrongly:\n%s", s)
	}
}

func TestCollapseJSON(t *testing.T) {
	doc := []byte(`{"z":1,"title":{"en":"Hello","zh":"你好"},"list":[{"note":{"en":"a","zh":"甲"},"n":null}],"other":{"en":"x","zh":"y","extra":true},"a":"<&>"}`)
	got, err := CollapseJSON(doc, kb.ZH)
	if err != nil {
		t.Fatal(err)
	}
	want := `{"z":1,"title":"你好","list":[{"note":"甲","n":null}],"other":{"en":"x","zh":"y","extra":true},"a":"<&>"}`
	var g, w any
	json.Unmarshal(got, &g)
	json.Unmarshal([]byte(want), &w)
	gb, _ := json.Marshal(g)
	wb, _ := json.Marshal(w)
	if string(gb) != string(wb) {
		t.Errorf("got %s\nwant %s", got, want)
	}
	// key order is kept
	compact := strings.Join(strings.Fields(string(got)), "")
	if !strings.HasPrefix(compact, `{"z":1,"title":`) {
		t.Errorf("key order lost: %s", compact)
	}
}

// TestCompleteness: every UI string exists in both languages and the Chinese
// is not the English copied; every string the templates use exists; every
// enumerated value (category, domain, status, ...) has a label.
func TestCompleteness(t *testing.T) {
	en, err := MessageIDs(i18n.FS, kb.EN)
	if err != nil {
		t.Fatal(err)
	}
	zh, err := MessageIDs(i18n.FS, kb.ZH)
	if err != nil {
		t.Fatal(err)
	}
	for id, s := range en {
		z, ok := zh[id]
		switch {
		case !ok:
			t.Errorf("%s: no Chinese", id)
		case strings.TrimSpace(z) == "":
			t.Errorf("%s: Chinese is empty", id)
		case z == s:
			t.Errorf("%s: Chinese is the English copied: %q", id, s)
		}
		if strings.TrimSpace(s) == "" {
			t.Errorf("%s: English is empty", id)
		}
	}
	for id := range zh {
		if _, ok := en[id]; !ok {
			t.Errorf("%s: no English", id)
		}
	}

	// Keys named literally in templates: t "key" and tOther "key".
	used := regexp.MustCompile(`\b(?:t|tOther) "([a-z0-9_.]+)"`)
	dynamic := regexp.MustCompile(`\(print "([a-z_.]+)\." `)
	err = fs.WalkDir(templates.FS, ".", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, _ := fs.ReadFile(templates.FS, p)
		for _, m := range used.FindAllStringSubmatch(string(b), -1) {
			if _, ok := en[m[1]]; !ok {
				t.Errorf("%s uses UI string %q, which i18n/ does not define", p, m[1])
			}
		}
		for _, m := range dynamic.FindAllStringSubmatch(string(b), -1) {
			if !hasPrefix(en, m[1]+".") {
				t.Errorf("%s builds keys under %q, which has none", p, m[1])
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	// Keys built at run time from enumerations.
	need := []string{}
	for _, v := range kb.Categories {
		need = append(need, "category."+v)
	}
	for _, v := range kb.Domains {
		need = append(need, "domain."+v)
	}
	for _, v := range kb.Verifications {
		need = append(need, "verification."+v)
	}
	for _, v := range kb.VersionStatus {
		need = append(need, "status."+v)
	}
	for _, v := range slices.Concat(kb.FigureBases, kb.DateBases) {
		need = append(need, "basis."+v)
	}
	for _, r := range []string{kb.RangeUnused, kb.RangeProtocol, kb.RangeRegistered, kb.RangePrivate} {
		need = append(need, "range."+r, "range."+r+".desc", "code.unassigned."+r, "code.wire_no."+r)
	}
	for _, s := range []string{"400", "404", "405", "413", "500", "other"} {
		need = append(need, "error."+s, "error.detail."+s)
	}
	for _, id := range need {
		if _, ok := en[id]; !ok {
			t.Errorf("UI string %q is needed but not defined", id)
		}
	}
}

func hasPrefix(m map[string]string, prefix string) bool {
	for k := range m {
		if strings.HasPrefix(k, prefix) {
			return true
		}
	}
	return false
}

// TestEntriesComplete: every text of every shipped entry is in both
// languages, and the Chinese differs from the English (the loader enforces
// it; this checks the shipped set through the same rules plus the notes).
func TestEntriesComplete(t *testing.T) {
	list, err := kb.Load(entries.FS, "entries/")
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range list {
		var b []byte
		b, _ = json.Marshal(e)
		var v any
		json.Unmarshal(b, &v)
		walkTexts(v, e.ID, func(where, en, zh string) {
			if strings.TrimSpace(en) == "" || strings.TrimSpace(zh) == "" || en == zh {
				t.Errorf("%s %s: incomplete text en=%q zh=%q", e.ID, where, en, zh)
			}
			// A documentation title may be a product's own name
			// ("Cloudflare：Bot Fight Mode"); entries/content_test.go checks
			// the prose more closely.
			if !regexp.MustCompile(`\p{Han}`).MatchString(zh) && !strings.Contains(where, ".docs[].title") {
				t.Errorf("%s %s: the Chinese has no Chinese characters: %q", e.ID, where, zh)
			}
		})
	}
}

func walkTexts(v any, where string, f func(where, en, zh string)) {
	switch t := v.(type) {
	case map[string]any:
		en, okE := t["en"].(string)
		zh, okZ := t["zh"].(string)
		if len(t) == 2 && okE && okZ {
			f(where, en, zh)
			return
		}
		for k, x := range t {
			walkTexts(x, where+"."+k, f)
		}
	case []any:
		for _, x := range t {
			walkTexts(x, where+"[]", f)
		}
	}
}

func TestMissingKeyDoesNotPanic(t *testing.T) {
	m, err := LoadMessages(i18n.FS, slog.New(slog.DiscardHandler))
	if err != nil {
		t.Fatal(err)
	}
	if got := m.T(kb.ZH, "no.such.key"); got != "no.such.key" {
		t.Errorf("missing key gave %q", got)
	}
	if got := m.T(kb.ZH, "code.title", "Code", 1009); got != "关闭码 1009" {
		t.Errorf("template data: %q", got)
	}
}

func TestInlineCodeAndFence(t *testing.T) {
	if got := inlineCode("a`b"); got != "`` a`b ``" {
		t.Errorf("inlineCode = %q", got)
	}
	if got := fence("x\n````\ny"); got != "`````" {
		t.Errorf("fence = %q", got)
	}
	if got := mdCell("a | b\nc"); got != `a \| b c` {
		t.Errorf("mdCell = %q", got)
	}
}

// TestCollapseJSONFormat: with nothing to collapse, the output is
// byte-for-byte what EncodeJSON writes, escapes included.
func TestCollapseJSONFormat(t *testing.T) {
	v := map[string]any{"s": "a\"b\\c\n\t\r\x01\u2028<&>中文", "n": 1.5, "i": -3, "t": true, "f": false, "z": nil,
		"e": map[string]any{}, "a": []any{}, "l": []any{1, "x", map[string]any{"k": "v"}}}
	b, err := EncodeJSON(v)
	if err != nil {
		t.Fatal(err)
	}
	got, err := CollapseJSON(b, kb.EN)
	if err != nil {
		t.Fatal(err)
	}
	if string(got) != string(b) {
		t.Errorf("got\n%s\nwant\n%s", got, b)
	}
}
