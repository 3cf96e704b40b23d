package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// A token in a config file other users can read gets a warning naming the file and the fix,
// never the token. A read-only command does not chmod the file (docs/security.md): the
// warning stays until the user runs the chmod it names.
func TestTokenInAWorldReadableConfigWarns(t *testing.T) {
	t.Parallel() // see TestMain
	dir := t.TempDir()
	cfgDir := filepath.Join(dir, "config", "respondctl")
	if err := os.MkdirAll(cfgDir, 0o700); err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(cfgDir, "config.yaml")
	token := "tok-0123456789abcdef"
	if err := os.WriteFile(path, []byte("current_profile: default\nprofiles:\n  default:\n    token: "+token+"\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.Chmod(path, 0o644); err != nil { // whatever the umask
		t.Fatal(err)
	}
	env := map[string]string{"HOME": dir, "XDG_CONFIG_HOME": filepath.Join(dir, "config"), "XDG_STATE_HOME": filepath.Join(dir, "state")}
	r := runWith(t, env, "config", "get", "default_channel")
	if !strings.Contains(r.stderr, "warning: "+path+" is readable by other users (mode 0644) and holds an API token: run chmod 600 "+path) {
		t.Fatalf("no warning: exit %d, stderr %q", r.code, r.stderr)
	}
	if strings.Contains(r.stderr+r.stdout, token) {
		t.Fatalf("the token was printed: %q", r.stderr)
	}
	if st, err := os.Stat(path); err != nil || st.Mode().Perm() != 0o644 {
		t.Fatalf("a read changed the mode: %v %v", st.Mode(), err)
	}
	if err := os.Chmod(path, 0o600); err != nil {
		t.Fatal(err)
	}
	if r = runWith(t, env, "config", "get", "default_channel"); strings.Contains(r.stderr, "warning") {
		t.Fatalf("warned again: %q", r.stderr)
	}
}
