// Package static holds the files served under /static/: the style sheet,
// the icon and the scripts that enhance pages (pages work without them).
package static

import "embed"

// FS holds the static files.
//
//go:embed *.css *.svg *.js
var FS embed.FS
