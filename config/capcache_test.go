package config

import (
	"os"
	"testing"
	"time"
)

func TestCapabilityCache(t *testing.T) {
	env, _ := tempEnv(t, nil)
	now := time.Date(2025, 1, 2, 3, 4, 5, 0, time.UTC)
	c := NewCapabilityCache(env, "default")
	c.Now = func() time.Time { return now }
	if _, _, ok := c.Load("https://a/v2"); ok {
		t.Fatal("hit on empty cache")
	}
	if err := c.Store("https://a/v2", []string{"counts", "views"}); err != nil {
		t.Fatal(err)
	}
	if st, _ := os.Stat(c.Path); st.Mode().Perm() != 0o600 {
		t.Errorf("mode %v", st.Mode().Perm())
	}
	if got, at, ok := c.Load("https://a/v2"); !ok || len(got) != 2 || !at.Equal(now) {
		t.Fatalf("got %v %v %v", got, at, ok)
	}
	if _, _, ok := c.Load("https://b/v2"); ok {
		t.Error("hit for another base URL")
	}
	now = now.Add(25 * time.Hour)
	if _, _, ok := c.Load("https://a/v2"); ok {
		t.Error("hit after a day")
	}
	if err := c.Store("https://a/v2", nil); err != nil {
		t.Fatal(err)
	}
	if got, _, ok := c.Load("https://a/v2"); !ok || got == nil || len(got) != 0 {
		t.Errorf("core-only server must cache an empty list, got %v %v", got, ok)
	}
	_ = os.WriteFile(c.Path, []byte("{corrupt"), 0o600)
	if _, _, ok := c.Load("https://a/v2"); ok {
		t.Error("hit on corrupt file")
	}
	if err := c.Clear(); err != nil {
		t.Fatal(err)
	}
	if err := c.Clear(); err != nil {
		t.Fatal(err)
	}
}
