package api

import (
	"context"
	"fmt"
	"io/fs"
	"log/slog"
	"time"

	"github.com/wskb/wskb/entries"
	"github.com/wskb/wskb/i18n"
	"github.com/wskb/wskb/kb"
	"github.com/wskb/wskb/kb/render"
	"github.com/wskb/wskb/kb/search"
	"github.com/wskb/wskb/kb/store"
	"github.com/wskb/wskb/static"
	"github.com/wskb/wskb/templates"
)

// Sources are the file trees the service is built from: embedded in the
// binary by default, or folders on disk while developing.
type Sources struct {
	Entries, Templates, I18n, Static fs.FS
	// EntriesName prefixes entry file names in problems ("entries/").
	EntriesName string
}

// Embedded returns the sources compiled into the binary.
func Embedded() Sources {
	return Sources{Entries: entries.FS, Templates: templates.FS, I18n: i18n.FS, Static: static.FS, EntriesName: "entries/"}
}

// Boot validates the entries, imports them into the store at dbPath, reads
// them back through the read-only handle, renders everything and returns the
// server with the open store (the caller closes it). An invalid entry stops
// it with a kb.Problems error naming the file and field.
func Boot(ctx context.Context, src Sources, dbPath string, log *slog.Logger) (*Server, *store.Store, error) {
	start := time.Now()
	list, err := kb.Load(src.Entries, src.EntriesName)
	if err != nil {
		return nil, nil, err
	}
	st, err := store.Open(ctx, dbPath)
	if err != nil {
		return nil, nil, err
	}
	srv, err := boot(ctx, src, st, list, log)
	if err != nil {
		st.Close()
		return nil, nil, err
	}
	log.Info("ready", "entries", len(list), "db", dbPath, "took", time.Since(start).Round(time.Microsecond).String())
	return srv, st, nil
}

func boot(ctx context.Context, src Sources, st *store.Store, list []*kb.Entry, log *slog.Logger) (*Server, error) {
	stats, err := st.Import(ctx, list)
	if err != nil {
		return nil, err
	}
	log.Info("imported entries", "inserted", stats.Inserted, "updated", stats.Updated,
		"deleted", stats.Deleted, "unchanged", stats.Unchanged)
	stored, err := st.Entries(ctx)
	if err != nil {
		return nil, err
	}
	msgs, err := render.LoadMessages(src.I18n, log)
	if err != nil {
		return nil, err
	}
	r, err := render.New(src.Templates, msgs)
	if err != nil {
		return nil, err
	}
	cat := kb.NewCatalog(stored)
	site, err := render.Build(r, cat)
	if err != nil {
		return nil, fmt.Errorf("rendering: %w", err)
	}
	return New(Config{Site: site, Renderer: r, Static: src.Static, Search: search.New(cat, st), Log: log}), nil
}

// OpenSearch validates and imports the entries like Boot, without
// rendering any page: what `wskb search` needs. The caller closes the
// store.
func OpenSearch(ctx context.Context, src Sources, dbPath string, log *slog.Logger) (*search.Searcher, *render.Messages, *store.Store, error) {
	list, err := kb.Load(src.Entries, src.EntriesName)
	if err != nil {
		return nil, nil, nil, err
	}
	st, err := store.Open(ctx, dbPath)
	if err != nil {
		return nil, nil, nil, err
	}
	fail := func(err error) (*search.Searcher, *render.Messages, *store.Store, error) {
		st.Close()
		return nil, nil, nil, err
	}
	if _, err := st.Import(ctx, list); err != nil {
		return fail(err)
	}
	stored, err := st.Entries(ctx)
	if err != nil {
		return fail(err)
	}
	msgs, err := render.LoadMessages(src.I18n, log)
	if err != nil {
		return fail(err)
	}
	return search.New(kb.NewCatalog(stored), st), msgs, st, nil
}
