package faults

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
)

func TestShapeKindsParseAndCombine(t *testing.T) {
	spec, err := Parse("nov2=1,500=0.6,errshape=0.5,449=0.4")
	if err != nil {
		t.Fatal(err)
	}
	// The shape kinds do not count towards the faults' total of 1.
	if spec.ErrShape != 0.5 || spec.BareNext != 1 || spec.String() != "500=0.6,449=0.4,errshape=0.5,nov2=1,seed=1" {
		t.Errorf("spec %+v, String %q", spec, spec.String())
	}
	if back, err := Parse(spec.String()); err != nil || back != spec {
		t.Errorf("round trip: %+v, %v", back, err)
	}
	for _, bad := range []string{"errshape=2", "nov2=-1", "errshape=x"} {
		if _, err := Parse(bad); err == nil {
			t.Errorf("%s accepted", bad)
		}
	}
	if s, _ := Parse("nov2=0.1"); !s.Enabled() {
		t.Error("nov2 alone not enabled")
	}
}

// Shape kinds draw after the three draws of a fault decision (and only when
// asked for), so older seeds keep their sequences; the handler is told
// whether to drop /v2.
func TestShapeKindsKeepOlderSequences(t *testing.T) {
	plain, _ := Parse("500=0.3,seed=9")
	shaped, _ := Parse("500=0.3,seed=9,nov2=1")
	// Same first three draws: the first request gets the same fault either way.
	da, db := New(plain, http.NotFoundHandler()).decide(), New(shaped, http.NotFoundHandler()).decide()
	if da.Fault != db.Fault || da.Latency != db.Latency || !db.BareNext || da.BareNext {
		t.Fatalf("first decision %+v vs %+v", da, db)
	}
	var seen bool
	in := New(shaped, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { seen = BareNext(r.Context()) }))
	for range 5 {
		in.ServeHTTP(httptest.NewRecorder(), httptest.NewRequest("GET", "/v2/space/user", nil))
		if in.Stats().Passed > 0 && seen {
			break
		}
	}
	if !seen || in.Stats().BareNext == 0 {
		t.Errorf("BareNext not passed to the handler (stats %+v)", in.Stats())
	}
}

func TestReshapeError(t *testing.T) {
	in := `{"code":400,"message":"Invalid phone"}`
	for variant, want := range map[int]string{
		1: `{"code":"400","message":"Invalid phone"}`,
		2: `{"code":400,"message":{"error":["Invalid phone"]}}`,
		3: `{"code":"400","message":{"error":["Invalid phone"]}}`,
	} {
		if got := strings.TrimSpace(string(reshapeError([]byte(in), variant))); got != want {
			t.Errorf("variant %d: %s, want %s", variant, got, want)
		}
	}
	if got := string(reshapeError([]byte(`<html>`), 1)); got != `<html>` {
		t.Errorf("non-JSON changed: %s", got)
	}
}
