package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"regexp"
	"strings"

	"github.com/wskb/wskb/api"
	"github.com/wskb/wskb/kb"
	"github.com/wskb/wskb/kb/render"
)

// offline loads the embedded knowledge base and the renderer, without a
// database: lookup renders the one entry or code asked for, export the
// whole site.
func offline() (*render.Renderer, *kb.Catalog, error) {
	src := api.Embedded()
	list, err := kb.Load(src.Entries, src.EntriesName)
	if err != nil {
		return nil, nil, err
	}
	msgs, err := render.LoadMessages(src.I18n, slog.New(slog.DiscardHandler))
	if err != nil {
		return nil, nil, err
	}
	r, err := render.New(src.Templates, msgs)
	if err != nil {
		return nil, nil, err
	}
	return r, kb.NewCatalog(list), nil
}

// lookupCmd is `wskb lookup [--lang en|zh] [--json | --md] CODE | ID`: a
// close code (0–4999) or an entry ID, offline. Exit 0 found, 1 not found,
// 2 usage.
func lookupCmd(args []string, stdout, stderr io.Writer) int {
	fset := flag.NewFlagSet("lookup", flag.ContinueOnError)
	fset.SetOutput(stderr)
	lang := fset.String("lang", "en", "language: en or zh")
	asJSON := fset.Bool("json", false, "print the JSON the API serves")
	asMD := fset.Bool("md", false, "print the Markdown the site serves")
	fset.Usage = func() {
		fmt.Fprintln(stderr, "usage: wskb lookup [--lang en|zh] [--json | --md] CODE | ID   (a close code such as 1009, or an entry ID such as communication/websocket-close-frame-1009-message-too-large)")
		fset.PrintDefaults()
	}
	if err := fset.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return 0
		}
		return 2
	}
	l, ok := kb.ParseLang(*lang)
	switch {
	case fset.NArg() != 1:
		fset.Usage()
		return 2
	case !ok:
		fmt.Fprintf(stderr, "wskb lookup: --lang %q: use en or zh\n", *lang)
		return 2
	case *asJSON && *asMD:
		fmt.Fprintln(stderr, "wskb lookup: --json and --md: choose one")
		return 2
	}
	what := strings.TrimSpace(fset.Arg(0))
	r, cat, err := offline()
	if err != nil {
		fmt.Fprintf(stderr, "wskb: %v\n", err)
		return 1
	}
	var out []byte
	if isDigits(what) {
		code, err := kb.ParseCloseCode(what)
		if err != nil {
			fmt.Fprintf(stderr, "wskb lookup: %v\n", err)
			return 1
		}
		switch {
		case *asJSON:
			if out, err = render.EncodeJSON(r.CodeDoc(cat, code)); err == nil {
				out, err = render.CollapseJSON(out, l)
			}
		default:
			out, err = r.Text(l, "code.md", render.NewCodeView(cat, code))
		}
		if err != nil {
			fmt.Fprintf(stderr, "wskb lookup: %v\n", err)
			return 1
		}
	} else {
		id := strings.TrimSuffix(strings.TrimPrefix(strings.TrimPrefix(what, "/zh"), "/entries/"), ".md")
		f, err := r.EntryForms(cat, id)
		if err != nil {
			fmt.Fprintf(stderr, "wskb lookup: %v; try wskb search\n", err)
			return 1
		}
		switch {
		case *asJSON:
			out = f.JSONIn[render.LangIndex(l)].Plain
		default:
			out = f.Markdown[render.LangIndex(l)].Plain
		}
	}
	if !*asJSON && !*asMD {
		out = []byte(terminalText(string(out)))
	}
	stdout.Write(out)
	return 0
}

func isDigits(s string) bool {
	for _, r := range s {
		if r < '0' || r > '9' {
			return false
		}
	}
	return s != ""
}

var (
	mdHeading = regexp.MustCompile(`(?m)^(#{1,6}) (.*)$`)
	mdLink    = regexp.MustCompile(`\[([^\]]+)\]\(([^)\s]+)\)`)
	mdStrong  = regexp.MustCompile(`\*\*([^*]+)\*\*`)
)

// terminalText makes Markdown easier to read in a terminal: headings
// underlined, links as "text <url>", no emphasis markers; code and tables
// stay as they are.
func terminalText(md string) string {
	s := mdHeading.ReplaceAllStringFunc(md, func(h string) string {
		m := mdHeading.FindStringSubmatch(h)
		ch := "-"
		if len(m[1]) == 1 {
			ch = "="
		}
		return m[2] + "\n" + strings.Repeat(ch, min(len([]rune(m[2])), 72))
	})
	s = mdLink.ReplaceAllString(s, "$1 <$2>")
	return mdStrong.ReplaceAllString(s, "$1")
}

// exportCmd is `wskb export --format json|ndjson|md DIR`: the knowledge
// base as files. It writes into a new folder next to DIR and moves it into
// place at the end, so a failure leaves nothing partial. Exit 0 done, 1 on
// an error writing, 2 usage.
func exportCmd(args []string, stdout, stderr io.Writer) int {
	fset := flag.NewFlagSet("export", flag.ContinueOnError)
	fset.SetOutput(stderr)
	format := fset.String("format", "json", "json (one file per entry, both languages, and index.json), ndjson (entries.ndjson) or md (one file per entry and language)")
	fset.Usage = func() {
		fmt.Fprintln(stderr, "usage: wskb export [--format json|ndjson|md] DIR   (DIR must not exist, or be empty)")
		fset.PrintDefaults()
	}
	if err := fset.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return 0
		}
		return 2
	}
	if fset.NArg() != 1 {
		fset.Usage()
		return 2
	}
	if *format != "json" && *format != "ndjson" && *format != "md" {
		fmt.Fprintf(stderr, "wskb export: --format %q: use json, ndjson or md\n", *format)
		return 2
	}
	dir := filepath.Clean(fset.Arg(0))
	if ents, err := os.ReadDir(dir); err == nil && len(ents) > 0 {
		fmt.Fprintf(stderr, "wskb export: %s is not empty; give a new or empty folder\n", dir)
		return 2
	} else if err != nil && !errors.Is(err, os.ErrNotExist) {
		fmt.Fprintf(stderr, "wskb export: %v\n", err)
		return 1
	}
	var site *render.Site
	r, cat, err := offline()
	if err == nil {
		site, err = render.Build(r, cat)
	}
	if err != nil {
		fmt.Fprintf(stderr, "wskb: %v\n", err)
		return 1
	}
	tmp, err := os.MkdirTemp(filepath.Dir(dir), ".wskb-export-*")
	if err != nil {
		fmt.Fprintf(stderr, "wskb export: cannot write next to %s: %v\n", dir, err)
		return 1
	}
	files, err := writeExport(tmp, *format, site)
	if err == nil {
		os.Remove(dir) // an empty folder; absent is fine too
		err = os.Rename(tmp, dir)
	}
	if err != nil {
		os.RemoveAll(tmp)
		fmt.Fprintf(stderr, "wskb export: %v (nothing was written)\n", err)
		return 1
	}
	fmt.Fprintf(stdout, "wrote %d files to %s\n", files, dir)
	return 0
}

func writeExport(dir, format string, site *render.Site) (int, error) {
	n := 0
	write := func(rel string, b []byte) error {
		p := filepath.Join(dir, filepath.FromSlash(rel))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			return err
		}
		n++
		return os.WriteFile(p, b, 0o644)
	}
	switch format {
	case "ndjson":
		return 1, write("entries.ndjson", site.EntriesNDJSON.Plain)
	case "json":
		if err := write("index.json", site.EntryList.Plain); err != nil {
			return n, err
		}
	}
	for _, e := range site.Catalog.Entries() {
		f, err := site.Forms(e.ID)
		if err != nil {
			return n, err
		}
		if format == "json" {
			if err := write(e.ID+".json", f.JSON.Plain); err != nil {
				return n, err
			}
			continue
		}
		for _, l := range kb.Langs {
			if err := write(string(l)+"/"+e.ID+".md", f.Markdown[render.LangIndex(l)].Plain); err != nil {
				return n, err
			}
		}
	}
	return n, nil
}
