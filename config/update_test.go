package config

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
)

// TestConcurrentUpdatesKeepEveryValue: ten writers, each loading before any
// saves (the lost-update race), still leave all ten values in the file.
func TestConcurrentUpdatesKeepEveryValue(t *testing.T) {
	env, _ := tempEnv(t, nil)
	loaded := make([]*Config, 10)
	for i := range loaded {
		c, err := Load(env)
		if err != nil {
			t.Fatal(err)
		}
		loaded[i] = c
	}
	var wg sync.WaitGroup
	for i, c := range loaded {
		wg.Add(1)
		go func() {
			defer wg.Done()
			name := fmt.Sprintf("p%d", i)
			if err := c.Update(func(c *Config) error { return c.Set(name, "me", fmt.Sprint(i+1)) }); err != nil {
				t.Error(err)
			}
		}()
	}
	wg.Wait()
	final, err := Load(env)
	if err != nil {
		t.Fatal(err)
	}
	for i := range loaded {
		if p := final.Profile(fmt.Sprintf("p%d", i)); p == nil || p.Me != fmt.Sprint(i+1) {
			t.Errorf("profile p%d lost: %+v", i, p)
		}
	}
}

func TestSymlinkedConfigIsWrittenThrough(t *testing.T) {
	env, dir := tempEnv(t, nil)
	path := DefaultPath(env)
	if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
		t.Fatal(err)
	}
	target := filepath.Join(dir, "dotfiles", "respondctl.yaml")
	if err := os.MkdirAll(filepath.Dir(target), 0o700); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(target, []byte("profiles:\n  default:\n    me: a@example.com\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink(target, path); err != nil {
		t.Fatal(err)
	}
	c, err := Load(env)
	if err != nil {
		t.Fatal(err)
	}
	if err := c.Update(func(c *Config) error { return c.Set("default", "me", "b@example.com") }); err != nil {
		t.Fatal(err)
	}
	if st, err := os.Lstat(path); err != nil || st.Mode()&os.ModeSymlink == 0 {
		t.Fatalf("the link was replaced: %v %v", st.Mode(), err)
	}
	data, _ := os.ReadFile(target)
	if !strings.Contains(string(data), "b@example.com") {
		t.Errorf("target not updated: %s", data)
	}

	// A dangling link is refused, not replaced by a regular file.
	if err := os.Remove(target); err != nil {
		t.Fatal(err)
	}
	err = c.Update(func(c *Config) error { return c.Set("default", "me", "c@example.com") })
	if err == nil || !strings.Contains(err.Error(), "is a symbolic link to a missing or unreadable file") {
		t.Errorf("dangling link: err = %v", err)
	}
	if st, _ := os.Lstat(path); st.Mode()&os.ModeSymlink == 0 {
		t.Error("the dangling link was replaced by a file")
	}
}
