package tplfunc

import (
	"errors"
	"fmt"
	"regexp"
	"strings"
	"sync"
	"unicode"
	"unicode/utf8"

	"github.com/spf13/cast"
)

// Strings is Hugo's strings namespace. Where Hugo takes the string last (so
// that it can be piped: "aab" | strings.TrimPrefix "a"), so does this.
type Strings struct{}

// Split splits s around each delimiter.
func (*Strings) Split(s any, delimiter string) ([]string, error) {
	str, err := toStringE(s)
	if err != nil {
		return nil, err
	}
	return strings.Split(str, delimiter), nil
}

// Contains reports whether substr is within s.
func (*Strings) Contains(s, substr any) (bool, error) {
	a, b, err := twoStrings(s, substr)
	return err == nil && strings.Contains(a, b), err
}

// ContainsAny reports whether any rune of chars is within s.
func (*Strings) ContainsAny(s, chars any) (bool, error) {
	a, b, err := twoStrings(s, chars)
	return err == nil && strings.ContainsAny(a, b), err
}

// Count counts the non-overlapping instances of substr in s.
func (*Strings) Count(substr, s any) (int, error) {
	sub, str, err := twoStrings(substr, s)
	if err != nil {
		return 0, err
	}
	return strings.Count(str, sub), nil
}

// HasPrefix reports whether s begins with prefix.
func (*Strings) HasPrefix(s, prefix any) (bool, error) {
	a, b, err := twoStrings(s, prefix)
	return err == nil && strings.HasPrefix(a, b), err
}

// HasSuffix reports whether s ends with suffix.
func (*Strings) HasSuffix(s, suffix any) (bool, error) {
	a, b, err := twoStrings(s, suffix)
	return err == nil && strings.HasSuffix(a, b), err
}

// Replace replaces old by new in s, at most limit times when given.
func (*Strings) Replace(s, old, new any, limit ...any) (string, error) {
	str, err := toStringE(s)
	if err != nil {
		return "", err
	}
	o, n, err := twoStrings(old, new)
	if err != nil {
		return "", err
	}
	if len(limit) == 0 {
		return strings.ReplaceAll(str, o, n), nil
	}
	l, err := cast.ToIntE(limit[0])
	if err != nil {
		return "", errors.New("limit must be an integer")
	}
	return strings.Replace(str, o, n, l), nil
}

// Trim removes the leading and trailing runes of cutset from s.
func (*Strings) Trim(s, cutset any) (string, error) {
	a, b, err := twoStrings(s, cutset)
	return strings.Trim(a, b), err
}

// TrimLeft removes the leading runes of cutset from s.
func (*Strings) TrimLeft(cutset, s any) (string, error) {
	c, str, err := twoStrings(cutset, s)
	return strings.TrimLeft(str, c), err
}

// TrimRight removes the trailing runes of cutset from s.
func (*Strings) TrimRight(cutset, s any) (string, error) {
	c, str, err := twoStrings(cutset, s)
	return strings.TrimRight(str, c), err
}

// TrimPrefix removes prefix from the start of s, once.
func (*Strings) TrimPrefix(prefix, s any) (string, error) {
	p, str, err := twoStrings(prefix, s)
	return strings.TrimPrefix(str, p), err
}

// TrimSuffix removes suffix from the end of s, once.
func (*Strings) TrimSuffix(suffix, s any) (string, error) {
	p, str, err := twoStrings(suffix, s)
	return strings.TrimSuffix(str, p), err
}

// TrimSpace removes leading and trailing white space.
func (*Strings) TrimSpace(s any) (string, error) {
	str, err := toStringE(s)
	return strings.TrimSpace(str), err
}

// Chomp removes trailing newline characters.
func (*Strings) Chomp(s any) (any, error) {
	str, err := toStringE(s)
	if err != nil {
		return "", err
	}
	out := strings.TrimRight(str, "\r\n")
	return keepType(s, out), nil
}

// ToUpper returns s in upper case.
func (*Strings) ToUpper(s any) (string, error) {
	str, err := toStringE(s)
	return strings.ToUpper(str), err
}

// ToLower returns s in lower case.
func (*Strings) ToLower(s any) (string, error) {
	str, err := toStringE(s)
	return strings.ToLower(str), err
}

// FirstUpper returns s with its first rune in upper case.
func (*Strings) FirstUpper(s any) (string, error) {
	str, err := toStringE(s)
	if err != nil || str == "" {
		return str, err
	}
	r, n := utf8.DecodeRuneInString(str)
	return string(unicode.ToUpper(r)) + str[n:], nil
}

// Repeat returns n copies of s.
func (*Strings) Repeat(n, s any) (string, error) {
	str, err := toStringE(s)
	if err != nil {
		return "", err
	}
	c, err := cast.ToIntE(n)
	if err != nil || c < 0 {
		return "", errors.New("strings: negative or non-integer Repeat count")
	}
	return strings.Repeat(str, c), nil
}

// RuneCount counts the runes of s.
func (*Strings) RuneCount(s any) (int, error) {
	str, err := toStringE(s)
	return utf8.RuneCountInString(str), err
}

// Substr returns the part of s from start, of length runes: a negative start
// counts from the end, a negative length leaves that many runes off the end.
func (*Strings) Substr(s any, nums ...any) (string, error) {
	str, err := toStringE(s)
	if err != nil {
		return "", err
	}
	runes := []rune(str)
	n := len(runes)
	var start, length int
	switch len(nums) {
	case 0:
		return "", errors.New("too few arguments")
	case 1, 2:
		if start, err = cast.ToIntE(nums[0]); err != nil {
			return "", errors.New("start argument must be an integer")
		}
		length = n
		if len(nums) == 2 {
			if length, err = cast.ToIntE(nums[1]); err != nil {
				return "", errors.New("length argument must be an integer")
			}
		}
	default:
		return "", errors.New("too many arguments")
	}
	if n == 0 {
		return "", nil
	}
	if start < 0 {
		start = max(start+n, 0)
	}
	if start > n-1 {
		return "", nil
	}
	end := n
	switch {
	case length == 0:
		return "", nil
	case length < 0:
		end += length
	default:
		end = start + length
	}
	if start >= end || end < 0 {
		return "", nil
	}
	return string(runes[start:min(end, n)]), nil
}

// SliceString returns the runes of s from start up to end (exclusive).
func (*Strings) SliceString(s any, startEnd ...any) (string, error) {
	str, err := toStringE(s)
	if err != nil {
		return "", err
	}
	runes := []rune(str)
	start, end := 0, len(runes)
	if len(startEnd) > 2 {
		return "", errors.New("too many arguments")
	}
	if len(startEnd) > 0 {
		if start, err = cast.ToIntE(startEnd[0]); err != nil {
			return "", errors.New("start argument must be an integer")
		}
	}
	if len(startEnd) > 1 {
		if end, err = cast.ToIntE(startEnd[1]); err != nil {
			return "", errors.New("end argument must be an integer")
		}
	}
	if start < 0 || end > len(runes) || start > end {
		return "", errors.New("slice bounds out of range")
	}
	return string(runes[start:end]), nil
}

// FindRE returns the matches of the regular expression in content, at most
// limit of them when given (a negative limit means all).
func (*Strings) FindRE(expr string, content any, limit ...any) ([]string, error) {
	re, str, n, err := reArgs(expr, content, limit)
	if err != nil {
		return nil, err
	}
	if m := re.FindAllString(str, n); m != nil {
		return m, nil
	}
	return []string{}, nil
}

// FindRESubmatch returns each match with its submatches.
func (*Strings) FindRESubmatch(expr string, content any, limit ...any) ([][]string, error) {
	re, str, n, err := reArgs(expr, content, limit)
	if err != nil {
		return nil, err
	}
	if m := re.FindAllStringSubmatch(str, n); m != nil {
		return m, nil
	}
	return [][]string{}, nil
}

// ReplaceRE replaces the matches of pattern in s by repl, where $1 names a
// submatch, at most n times when given.
func (*Strings) ReplaceRE(pattern, repl, s any, n ...any) (string, error) {
	p, r, err := twoStrings(pattern, repl)
	if err != nil {
		return "", err
	}
	re, str, limit, err := reArgs(p, s, n)
	if err != nil {
		return "", err
	}
	if limit < 0 {
		return re.ReplaceAllString(str, r), nil
	}
	done := 0
	return re.ReplaceAllStringFunc(str, func(m string) string {
		if done >= limit {
			return m
		}
		done++
		return re.ReplaceAllString(m, r)
	}), nil
}

func reArgs(expr string, content any, limit []any) (*regexp.Regexp, string, int, error) {
	re, err := compileRE(expr)
	if err != nil {
		return nil, "", 0, err
	}
	str, err := toStringE(content)
	if err != nil {
		return nil, "", 0, err
	}
	n := -1
	if len(limit) > 0 {
		if n, err = cast.ToIntE(limit[0]); err != nil {
			return nil, "", 0, errors.New("limit must be an integer")
		}
	}
	return re, str, n, nil
}

// reCache keeps compiled expressions: a theme's shortcode runs for every
// call on every page with the same pattern.
var reCache sync.Map

func compileRE(expr string) (*regexp.Regexp, error) {
	if re, ok := reCache.Load(expr); ok {
		return re.(*regexp.Regexp), nil
	}
	re, err := regexp.Compile(expr)
	if err != nil {
		return nil, fmt.Errorf("invalid regular expression %q: %w", expr, err)
	}
	reCache.Store(expr, re)
	return re, nil
}

func twoStrings(a, b any) (string, string, error) {
	x, err := toStringE(a)
	if err != nil {
		return "", "", err
	}
	y, err := toStringE(b)
	return x, y, err
}

// CountRunes counts the runes of s that are not white space.
func (*Strings) CountRunes(s any) (int, error) {
	str, err := toStringE(s)
	n := 0
	for _, r := range str {
		if !unicode.IsSpace(r) {
			n++
		}
	}
	return n, err
}

// ContainsNonSpace reports whether s holds a rune that is not white space.
func (*Strings) ContainsNonSpace(s any) (bool, error) {
	str, err := toStringE(s)
	return strings.IndexFunc(str, func(r rune) bool { return !unicode.IsSpace(r) }) >= 0, err
}

// ReplacePairs replaces old and new pairs in s, given as arguments or one list.
func (*Strings) ReplacePairs(args ...any) (string, error) {
	if len(args) < 2 {
		return "", errors.New("ReplacePairs needs pairs and a string")
	}
	str, err := toStringE(args[len(args)-1])
	if err != nil {
		return "", err
	}
	pairs := args[:len(args)-1]
	if len(pairs) == 1 {
		l, err := cast.ToStringSliceE(pairs[0])
		if err != nil {
			return "", errors.New("ReplacePairs: the pairs must be strings")
		}
		pairs = make([]any, len(l))
		for i, x := range l {
			pairs[i] = x
		}
	}
	if len(pairs)%2 != 0 {
		return "", errors.New("ReplacePairs needs an even number of old and new strings")
	}
	ss := make([]string, len(pairs))
	for i, p := range pairs {
		if ss[i], err = toStringE(p); err != nil {
			return "", err
		}
	}
	return strings.NewReplacer(ss...).Replace(str), nil
}
