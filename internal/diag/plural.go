package diag

// Plural is the ending of an English noun counted n times: "" for one, "s"
// otherwise ("1 error", "2 errors").
func Plural(n int) string {
	if n == 1 {
		return ""
	}
	return "s"
}
