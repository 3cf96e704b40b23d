package webhook

import (
	"os"
	"path/filepath"
	"testing"
)

// FuzzParse: no body makes Parse panic, and a parsed event is self-consistent. The seeds are
// the documented shapes (testdata/events) plus the committed corpus in testdata/fuzz.
func FuzzParse(f *testing.F) {
	files, _ := filepath.Glob(filepath.Join("testdata", "events", "*.json"))
	for _, name := range files {
		b, err := os.ReadFile(name)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(b)
	}
	f.Fuzz(func(t *testing.T, body []byte) {
		e, err := Parse(body)
		if err != nil {
			if e != nil {
				t.Fatal("event and error both returned")
			}
			return
		}
		if e.ID == "" {
			t.Fatal("parsed event without an id")
		}
		if e.TimeMS < 0 {
			t.Fatalf("negative time %d", e.TimeMS)
		}
		_ = e.Summary()
		keys, _ := NewKeys("k")
		if !keys.Verify(body, Sign("k", body)) {
			t.Fatal("own signature not verified")
		}
	})
}
