// Package entries holds the knowledge base's content: one TOML file per
// entry at {domain}/{slug}.toml, both languages in the same file. See
// "How to add an entry" in the README.
package entries

import "embed"

// FS holds the entry files.
//
//go:embed */*.toml
var FS embed.FS
