package theme

import "testing"

func TestHrefLang(t *testing.T) {
	for _, tt := range []struct{ lang, code, want string }{
		{"ja", "JP", "ja-JP"}, {"en", "US", "en-US"}, {"ja", "GLOBAL_WIDE1", "ja-x-globalwi"},
	} {
		if got := HrefLang(tt.lang, tt.code); got != tt.want {
			t.Errorf("HrefLang(%s, %s) = %s, want %s", tt.lang, tt.code, got, tt.want)
		}
	}
}
