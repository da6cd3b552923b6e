package kb

import (
	"errors"
	"fmt"
	"io/fs"
	"net/url"
	"path"
	"regexp"
	"slices"
	"sort"
	"strings"
	"time"

	"github.com/BurntSushi/toml"
)

// Problem is one thing wrong with an entry file: the file, the field (a
// dotted path such as "workarounds[1].success_rate.value", empty for the
// file as a whole) and what is wrong.
type Problem struct {
	File    string
	Field   string
	Message string
}

func (p Problem) String() string {
	if p.Field == "" {
		return p.File + ": " + p.Message
	}
	return p.File + ": " + p.Field + ": " + p.Message
}

// Problems is every problem found in a set of entry files. Load reports all
// of them at once rather than stopping at the first.
type Problems []Problem

func (ps Problems) Error() string {
	var b strings.Builder
	fmt.Fprintf(&b, "%d problem(s) in entries:", len(ps))
	for _, p := range ps {
		b.WriteString("\n  ")
		b.WriteString(p.String())
	}
	return b.String()
}

var (
	idPattern   = regexp.MustCompile(`^[a-z0-9]+(?:-[a-z0-9]+)*/[a-z0-9]+(?:-[a-z0-9]+)*$`)
	langPattern = regexp.MustCompile(`^[a-z0-9+#-]{1,20}$`)
)

// Load parses and validates every entry file (*.toml) under fsys. prefix is
// prepended to file names in problems (for example "entries/"). Entry files
// live at {domain}/{slug}.toml; other files are ignored. On any problem Load
// returns a Problems error listing all of them, and no entries.
func Load(fsys fs.FS, prefix string) ([]*Entry, error) {
	var (
		entries  []*Entry
		names    []string // display name of each entry's file
		files    []string
		problems Problems
	)
	err := fs.WalkDir(fsys, ".", func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			problems = append(problems, Problem{File: prefix + p, Message: err.Error()})
			return nil
		}
		if d.IsDir() || path.Ext(p) != ".toml" {
			return nil
		}
		files = append(files, p)
		return nil
	})
	if err != nil {
		return nil, err
	}
	for _, p := range files {
		e, ps := parseFile(fsys, p, prefix+p)
		problems = append(problems, ps...)
		if e != nil {
			entries = append(entries, e)
			names = append(names, prefix+p)
		}
	}
	problems = append(problems, checkSet(entries, names)...)
	if len(problems) > 0 {
		return nil, problems
	}
	sort.Slice(entries, func(i, j int) bool { return entries[i].ID < entries[j].ID })
	return entries, nil
}

// parseFile decodes and checks one file. It returns the entry when the file
// decoded (even with problems, so that set-level checks still run).
func parseFile(fsys fs.FS, p, display string) (*Entry, []Problem) {
	v := &validator{file: display}
	b, err := fs.ReadFile(fsys, p)
	if err != nil {
		v.add("", "%v", err)
		return nil, v.problems
	}
	var e Entry
	md, err := toml.Decode(string(b), &e)
	if err != nil {
		var perr toml.ParseError
		if errors.As(err, &perr) {
			v.add("", "line %d: %s", perr.Position.Line, perr.Message)
		} else {
			v.add("", "%v", err)
		}
		return nil, v.problems
	}
	for _, k := range md.Undecoded() {
		v.add(k.String(), "unknown field (a typo?)")
	}
	v.entry(&e, strings.TrimSuffix(p, ".toml"))
	return &e, v.problems
}

// checkSet runs the checks that need every entry: unique IDs and related IDs
// that exist.
func checkSet(entries []*Entry, names []string) []Problem {
	var ps []Problem
	byID := make(map[string]string, len(entries)) // ID -> file
	for i, e := range entries {
		if e.ID == "" {
			continue
		}
		if other, ok := byID[e.ID]; ok {
			ps = append(ps, Problem{names[i], "id", fmt.Sprintf("%q is already the ID of %s", e.ID, other)})
			continue
		}
		byID[e.ID] = names[i]
	}
	for i, e := range entries {
		for j, r := range e.Related {
			if _, ok := byID[r]; !ok && idPattern.MatchString(r) {
				ps = append(ps, Problem{names[i], fmt.Sprintf("related[%d]", j), fmt.Sprintf("no entry has the ID %q", r)})
			}
		}
	}
	return ps
}

type validator struct {
	file     string
	problems []Problem
}

func (v *validator) add(field, format string, args ...any) {
	v.problems = append(v.problems, Problem{v.file, field, fmt.Sprintf(format, args...)})
}

// entry checks one entry; want is the ID its path implies.
func (v *validator) entry(e *Entry, want string) {
	switch {
	case e.ID == "":
		v.add("id", "missing")
	case !idPattern.MatchString(e.ID):
		v.add("id", "%q is not of the form {domain}/{slug} in lower-case letters, digits and hyphens", e.ID)
	case e.ID != want:
		v.add("id", "%q does not match the file's path (expected %q)", e.ID, want)
	}
	if i := strings.IndexByte(e.ID, '/'); i > 0 {
		e.Domain = e.ID[:i]
		v.oneOf("id", "domain", e.Domain, Domains)
	}
	v.oneOf("category", "category", e.Category, Categories)
	if e.CloseCode != nil && (*e.CloseCode < 1000 || *e.CloseCode > MaxCloseCode) {
		v.add("close_code", "%d is outside 1000–%d, the codes a connection can report", *e.CloseCode, MaxCloseCode)
	}
	if e.HTTPStatus != nil && (*e.HTTPStatus < 100 || *e.HTTPStatus > 599) {
		v.add("http_status", "%d is not an HTTP status (100–599)", *e.HTTPStatus)
	}
	v.text("title", e.Title)
	v.text("summary", e.Summary)
	v.text("root_cause", e.RootCause)
	v.oneOf("verification", "verification", e.Verification, Verifications)

	v.figure("metrics.fix_rate", e.Metrics.FixRate, 100)
	v.figure("metrics.confidence", e.Metrics.Confidence, 100)
	v.figure("metrics.evidence", e.Metrics.Evidence, -1)
	v.date("metrics.first_seen", e.Metrics.FirstSeen)

	if len(e.Signatures) == 0 {
		v.add("signatures", "at least one is required: the error lines this entry explains")
	}
	for i, s := range e.Signatures {
		f := fmt.Sprintf("signatures[%d]", i)
		v.required(f+".text", s.Text)
		v.required(f+".ecosystem", s.Ecosystem)
		v.url(f+".source", s.Source)
	}
	for i, r := range e.Versions {
		f := fmt.Sprintf("versions[%d]", i)
		v.required(f+".component", r.Component)
		v.required(f+".versions", r.Versions)
		v.oneOf(f+".status", "status", r.Status, VersionStatus)
		v.text(f+".note", r.Note)
		v.url(f+".source", r.Source)
	}
	if len(e.Docs) == 0 {
		v.add("docs", "at least one official documentation link is required")
	}
	for i, d := range e.Docs {
		f := fmt.Sprintf("docs[%d]", i)
		v.text(f+".title", d.Title)
		v.url(f+".url", d.URL)
	}
	if len(e.Workarounds) == 0 {
		v.add("workarounds", "at least one is required")
	}
	for i, w := range e.Workarounds {
		f := fmt.Sprintf("workarounds[%d]", i)
		v.text(f+".title", w.Title)
		v.text(f+".body", w.Body)
		v.figure(f+".success_rate", w.SuccessRate, 100)
		v.sources(f+".sources", w.Sources)
		for j, c := range w.Code {
			g := fmt.Sprintf("%s.code[%d]", f, j)
			v.required(g+".ecosystem", c.Ecosystem)
			v.required(g+".snippet", c.Snippet)
			if c.Lang != "" && !langPattern.MatchString(c.Lang) {
				v.add(g+".lang", "%q is not a syntax name such as js, go, nginx or python", c.Lang)
			}
		}
	}
	for i, d := range e.DeadEnds {
		f := fmt.Sprintf("dead_ends[%d]", i)
		v.text(f+".title", d.Title)
		v.text(f+".why", d.Why)
		v.figure(f+".fail_rate", d.FailRate, 100)
		v.sources(f+".sources", d.Sources)
	}
	seen := map[string]bool{}
	for i, r := range e.Related {
		f := fmt.Sprintf("related[%d]", i)
		switch {
		case r == e.ID:
			v.add(f, "an entry cannot be related to itself")
		case seen[r]:
			v.add(f, "%q is listed twice", r)
		case !idPattern.MatchString(r):
			v.add(f, "%q is not an entry ID of the form {domain}/{slug}", r)
		}
		seen[r] = true
	}
	if len(e.Sources) == 0 {
		v.add("sources", "at least one source is required")
	}
	for i, s := range e.Sources {
		f := fmt.Sprintf("sources[%d]", i)
		v.required(f+".title", s.Title)
		v.url(f+".url", s.URL)
	}
	// Nil slices encode as JSON null; the contract promises arrays.
	if e.Related == nil {
		e.Related = []string{}
	}
	if e.Versions == nil {
		e.Versions = []Version{}
	}
	if e.DeadEnds == nil {
		e.DeadEnds = []DeadEnd{}
	}
	for i := range e.Workarounds {
		if e.Workarounds[i].Code == nil {
			e.Workarounds[i].Code = []Snippet{}
		}
	}
}

func (v *validator) required(field, s string) {
	if strings.TrimSpace(s) == "" {
		v.add(field, "missing or empty")
	}
}

// text checks that both languages are present and that the Chinese is not
// the English copied.
func (v *validator) text(field string, t Text) {
	en, zh := strings.TrimSpace(t.EN), strings.TrimSpace(t.ZH)
	switch {
	case en == "" && zh == "":
		v.add(field, "missing: give both en and zh")
	case en == "":
		v.add(field+".en", "missing or empty")
	case zh == "":
		v.add(field+".zh", "missing or empty")
	case en == zh:
		v.add(field+".zh", "is the English text copied; write the Chinese")
	}
}

func (v *validator) oneOf(field, what, s string, allowed []string) {
	if s == "" {
		v.add(field, "missing")
	} else if !slices.Contains(allowed, s) {
		v.add(field, "%q is not a known %s (one of: %s)", s, what, strings.Join(allowed, ", "))
	}
}

// figure checks a number with its basis; max < 0 means no upper bound.
func (v *validator) figure(field string, f Figure, max int) {
	if f.Value < 0 || (max >= 0 && f.Value > max) {
		if max >= 0 {
			v.add(field+".value", "%d is outside 0–%d", f.Value, max)
		} else {
			v.add(field+".value", "%d is negative", f.Value)
		}
	}
	v.oneOf(field+".basis", "basis", f.Basis, FigureBases)
	if f.Basis == BasisEstimate && max == 100 && f.Value%5 != 0 {
		v.add(field+".value", "%d%% is an estimate: write a round number, a multiple of 5 (an estimate has no precision to show)", f.Value)
	}
	if f.Basis == BasisCounted && f.N < 1 {
		v.add(field+".n", "a counted figure needs n, the number of reports it was counted from")
	}
	if f.Basis != BasisCounted && f.N != 0 {
		v.add(field+".n", "only a counted figure has n")
	}
	if f.Note != nil {
		v.text(field+".note", *f.Note)
	}
}

func (v *validator) date(field string, d DateFigure) {
	if _, err := time.Parse(time.DateOnly, d.Value); err != nil {
		v.add(field+".value", "%q is not a date of the form YYYY-MM-DD (write it in quotes)", d.Value)
	}
	v.oneOf(field+".basis", "basis", d.Basis, DateBases)
	if d.Basis == BasisSource {
		v.url(field+".source", d.Source)
	} else if d.Source != "" {
		v.url(field+".source", d.Source)
	}
	if d.Note != nil {
		v.text(field+".note", *d.Note)
	}
}

func (v *validator) sources(field string, urls []string) {
	if len(urls) == 0 {
		v.add(field, "at least one source URL is required")
	}
	for i, u := range urls {
		v.url(fmt.Sprintf("%s[%d]", field, i), u)
	}
}

// url checks an absolute http(s) URL with a host.
func (v *validator) url(field, s string) {
	if s == "" {
		v.add(field, "missing")
		return
	}
	u, err := url.Parse(s)
	switch {
	case err != nil:
		v.add(field, "%q is not a well-formed URL: %v", s, err)
	case u.Scheme != "https" && u.Scheme != "http":
		v.add(field, "%q is not an absolute http or https URL", s)
	case u.Host == "" || strings.ContainsAny(s, " \t\n"):
		v.add(field, "%q is not a well-formed URL (no host, or a space in it)", s)
	}
}
