// Package helpgen embeds the default theme: layouts, shortcode templates and
// theme assets that every site gets unless it overrides them file by file.
package helpgen

import "embed"

// Defaults holds layouts/, shortcodes/, i18n/ and static/_theme/ of this repository.
//
//go:embed all:layouts all:shortcodes all:i18n all:static/_theme
var Defaults embed.FS
