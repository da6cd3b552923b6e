package render

import (
	"encoding/json"
	"fmt"
	"io/fs"
	"log/slog"
	"path"
	"strconv"
	"strings"
	"sync"

	"github.com/nicksnyder/go-i18n/v2/i18n"
	"golang.org/x/text/language"

	"github.com/wskb/wskb/kb"
)

// Messages are the UI strings, loaded with go-i18n from active.{lang}.json.
type Messages struct {
	bundle *i18n.Bundle
	loc    map[kb.Lang]*i18n.Localizer
	log    *slog.Logger
	missed sync.Map // "lang/id" already logged
}

// LoadMessages loads active.en.json and active.zh.json from fsys.
func LoadMessages(fsys fs.FS, log *slog.Logger) (*Messages, error) {
	b := i18n.NewBundle(language.English)
	b.RegisterUnmarshalFunc("json", json.Unmarshal)
	for _, l := range kb.Langs {
		name := "active." + string(l) + ".json"
		data, err := fs.ReadFile(fsys, name)
		if err != nil {
			return nil, fmt.Errorf("i18n: %w", err)
		}
		if _, err := b.ParseMessageFileBytes(data, path.Base(name)); err != nil {
			return nil, fmt.Errorf("i18n: %s: %w", name, err)
		}
	}
	m := &Messages{bundle: b, loc: map[kb.Lang]*i18n.Localizer{}, log: log}
	for _, l := range kb.Langs {
		m.loc[l] = i18n.NewLocalizer(b, string(l))
	}
	return m, nil
}

// T returns the string id in l, filled with data given as name, value pairs.
// It uses Localize, not MustLocalize (which panics when a key falls back to
// English): a missing string is logged once and the English, or else the ID,
// is shown.
func (m *Messages) T(l kb.Lang, id string, pairs ...any) string {
	var data map[string]any
	if len(pairs) > 0 {
		data = make(map[string]any, len(pairs)/2)
		for i := 0; i+1 < len(pairs); i += 2 {
			data[fmt.Sprint(pairs[i])] = pairs[i+1]
		}
	}
	s, err := m.loc[l].Localize(&i18n.LocalizeConfig{MessageID: id, TemplateData: data})
	if err != nil {
		if _, seen := m.missed.LoadOrStore(string(l)+"/"+id, true); !seen {
			m.log.Warn("missing UI string", "lang", l, "id", id, "err", err)
		}
		if s == "" {
			s = id
		}
	}
	return s
}

// Problem is a frame problem's message in l: the UI string "problem."+id
// filled with args as .A0, .A1, ..., or fallback (the decoder's English)
// when there is none.
func (m *Messages) Problem(l kb.Lang, id string, args []any, fallback string) string {
	if id == "" {
		return fallback
	}
	return m.Args(l, "problem."+id, args, fallback)
}

// Args translates the message id with args as .A0, .A1 ...; fallback (the
// English text) when the message is missing, which is logged once.
func (m *Messages) Args(l kb.Lang, id string, args []any, fallback string) string {
	data := make(map[string]any, len(args))
	for i, a := range args {
		data["A"+strconv.Itoa(i)] = a
	}
	s, err := m.loc[l].Localize(&i18n.LocalizeConfig{MessageID: id, TemplateData: data})
	if err != nil || s == "" {
		if _, seen := m.missed.LoadOrStore(string(l)+"/"+id, true); !seen {
			m.log.Warn("missing UI string", "lang", l, "id", id, "err", err)
		}
		return fallback
	}
	return s
}

// MessageIDs returns the message IDs defined for l.
func MessageIDs(fsys fs.FS, l kb.Lang) (map[string]string, error) {
	data, err := fs.ReadFile(fsys, "active."+string(l)+".json")
	if err != nil {
		return nil, err
	}
	var raw map[string]any
	if err := json.Unmarshal(data, &raw); err != nil {
		return nil, err
	}
	out := make(map[string]string, len(raw))
	for k, v := range raw {
		switch v := v.(type) {
		case string:
			out[k] = v
		case map[string]any:
			out[k] = strings.TrimSpace(fmt.Sprint(v["other"]))
		}
	}
	return out, nil
}
