// Package i18n holds the UI strings as go-i18n message files, one per
// language: active.en.json and active.zh.json.
package i18n

import "embed"

// FS holds the message files.
//
//go:embed active.*.json
var FS embed.FS
