// Package kbtest holds test data shared by the tests of several packages.
package kbtest

// SampleEntry is a minimal entry file that passes every validation rule, at
// SamplePath. Tests break one thing in it at a time.
const SampleEntry = `
id = "communication/sample-entry"
category = "protocol_error"
close_code = 1009
verification = "ai_generated"
resolvable = true
related = []

title = { en = "Sample", zh = "示例" }
summary = { en = "A sample entry.", zh = "一个示例条目。" }
root_cause = { en = "Because.", zh = "因为。" }

[metrics]
fix_rate = { value = 80, basis = "estimate" }
confidence = { value = 70, basis = "counted", n = 3 }
evidence = { value = 3, basis = "counted", n = 3 }
first_seen = { value = "2023-11-20", basis = "estimate" }

[[versions]]
component = "ws"
versions = ">= 8"
status = "affected"
source = "https://github.com/websockets/ws"
note = { en = "Note.", zh = "说明。" }

[[docs]]
url = "https://www.rfc-editor.org/rfc/rfc6455"
title = { en = "RFC 6455", zh = "RFC 6455 中文说明" }

[[workarounds]]
title = { en = "Do this", zh = "这样做" }
body = { en = "Body.", zh = "正文。" }
success_rate = { value = 90, basis = "estimate" }
sources = ["https://example.org/a"]
  [[workarounds.code]]
  ecosystem = "Node ws"
  lang = "js"
  snippet = "x()"

[[dead_ends]]
title = { en = "Not this", zh = "不要这样" }
why = { en = "Why.", zh = "原因。" }
fail_rate = { value = 95, basis = "estimate" }
sources = ["https://example.org/b"]

[[signatures]]
text = "Max payload size exceeded"
ecosystem = "Node ws"
source = "https://github.com/websockets/ws/blob/master/lib/receiver.js"

[[sources]]
title = "RFC 6455"
url = "https://www.rfc-editor.org/rfc/rfc6455"
`

// SamplePath is where SampleEntry lives in an entries folder.
const SamplePath = "communication/sample-entry.toml"
