package content

import (
	"fmt"
	"net/url"
	"path"
	"strings"
	"unicode"

	"golang.org/x/text/unicode/norm"

	"github.com/helpgen/helpgen/internal/diag"
)

// URLPath is the one encoding of a page's path as a URL: every byte that is
// not a letter, a digit or one of -._~!$&*+,/:;=@ is percent-encoded
// (uppercase hex), so "with space.md" is /with%20space.html in the tree, the
// lists, the canonical link, the sitemap and the search index alike.
// html/template's URL normalizer keeps every byte of it, so layouts write it
// unchanged too. A name that holds % # ? is refused before (see nameError),
// so the encoding can always be undone.
func URLPath(p string) string {
	var b strings.Builder
	for i := 0; i < len(p); i++ {
		c := p[i]
		if keepInURL(c) {
			b.WriteByte(c)
			continue
		}
		fmt.Fprintf(&b, "%%%02X", c)
	}
	return b.String()
}

func keepInURL(c byte) bool {
	switch {
	case 'a' <= c && c <= 'z', 'A' <= c && c <= 'Z', '0' <= c && c <= '9':
		return true
	}
	return strings.IndexByte("-._~!$&*+,/:;=@", c) >= 0
}

// PathOf undoes URLPath (and any other percent-encoding of a link): the
// path a URL names, as written in file names. A malformed escape is kept.
func PathOf(u string) string {
	if !strings.Contains(u, "%") {
		return u
	}
	p, err := url.PathUnescape(u)
	if err != nil {
		return u
	}
	return p
}

// nameError refuses a file or folder name under content/ that cannot be
// part of a URL a writer can link to: # and ? end a link's path, % starts
// an escape, and a back slash or a control character is no file name on
// every system. It proposes a name without them.
func nameError(file string) *diag.Error {
	rel := strings.TrimPrefix(file, Dir+"/")
	bad := strings.IndexFunc(rel, badNameRune)
	if bad < 0 {
		return nil
	}
	r := []rune(rel[bad:])[0]
	fixed := strings.Map(func(r rune) rune {
		if badNameRune(r) {
			return '-'
		}
		return r
	}, file)
	what := fmt.Sprintf("%q", r)
	if unicode.IsControl(r) {
		what = fmt.Sprintf("a control character (U+%04X)", r)
	}
	return &diag.Error{File: file, Msg: fmt.Sprintf("the path holds %s, which cannot be part of a page's URL", what),
		Hint: fmt.Sprintf("rename it without # ? %% or \\ (e.g. %s)", fixed)}
}

func badNameRune(r rune) bool {
	return r == '#' || r == '?' || r == '%' || r == '\\' || unicode.IsControl(r)
}

// normTwins reports paths (files and the folders on their way) that
// differ only in Unicode normalization (é as one character, or as e and an
// accent): they look the same to a writer and a reader, but are two files
// and two URLs.
func normTwins(files []string) diag.List {
	seen := map[string]string{}
	var errs diag.List
	for _, f := range files {
		for p := f; p != Dir && p != "." && p != "/"; p = path.Dir(p) {
			k := norm.NFC.String(p)
			q, ok := seen[k]
			if !ok {
				seen[k] = p
				continue
			}
			if q == p {
				break // this folder was seen, and so were those above it
			}
			// The error goes to the one not in NFC, which is to be renamed.
			a, b := q, p
			if form(a) == "NFD" && form(b) == "NFC" || form(a) == form(b) && b < a {
				a, b = b, a
			}
			errs = append(errs, &diag.Error{File: b, Msg: fmt.Sprintf("%s and %s (%s) are one name in two Unicode forms: two pages would look the same",
				form(b), a, form(a)),
				Hint: "rename or remove one of them; save file names in NFC"})
			break
		}
	}
	return errs
}

func form(p string) string {
	if norm.NFC.IsNormalString(p) {
		return "NFC"
	}
	return "NFD"
}
