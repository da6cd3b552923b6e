package kb_test

import (
	"io/fs"

	"github.com/wskb/wskb/entries"
)

func shipped() fs.FS { return entries.FS }
