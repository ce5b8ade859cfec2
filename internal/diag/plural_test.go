package diag

import (
	"fmt"
	"testing"
)

func TestPlural(t *testing.T) {
	for _, tc := range []struct {
		n    int
		want string
	}{{0, "0 errors"}, {1, "1 error"}, {2, "2 errors"}, {-1, "-1 errors"}} {
		if got := fmt.Sprintf("%d error%s", tc.n, Plural(tc.n)); got != tc.want {
			t.Errorf("%d: %q, want %q", tc.n, got, tc.want)
		}
	}
}
