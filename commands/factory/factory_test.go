package factory

import (
	"context"
	"errors"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/respondctl/respondctl/bulk"
	"github.com/respondctl/respondctl/commands/cmdutil"
	"github.com/respondctl/respondctl/config"
	"github.com/respondctl/respondctl/output"
)

type testEnv map[string]string

func (e testEnv) lookup(k string) (string, bool) { v, ok := e[k]; return v, ok }

func newTestFactory(t *testing.T, env testEnv) (*cmdutil.Factory, testEnv) {
	t.Helper()
	dir := t.TempDir()
	if env == nil {
		env = testEnv{}
	}
	env["HOME"] = dir
	env["XDG_CONFIG_HOME"] = filepath.Join(dir, "config")
	env["XDG_STATE_HOME"] = filepath.Join(dir, "state")
	env["XDG_CACHE_HOME"] = filepath.Join(dir, "cache")
	ios, _, _, _ := output.Test()
	f := NewWithDeps("test", Deps{IOStreams: ios, Env: env.lookup})
	t.Cleanup(func() { _ = f.Close() })
	return f, env
}

// writeConfig writes the file before the factory's first Config() call.
func writeConfig(t *testing.T, env testEnv, yaml string) {
	t.Helper()
	path := config.DefaultPath(env.lookup)
	if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, []byte(yaml), 0o600); err != nil {
		t.Fatal(err)
	}
}

func TestNewAndCloseDoNoIO(t *testing.T) {
	f, env := newTestFactory(t, nil)
	if err := f.Close(); err != nil {
		t.Fatal(err)
	}
	entries, err := os.ReadDir(env["HOME"])
	if err != nil || len(entries) != 0 {
		t.Fatalf("factory touched the disk: %v %v", entries, err)
	}
}

func TestNoTokenIsNotAuthenticated(t *testing.T) {
	f, _ := newTestFactory(t, nil)
	_, err := f.APIClient()
	if !errors.Is(err, cmdutil.ErrNotAuthenticated) || cmdutil.ExitCode(err) != cmdutil.ExitAuth {
		t.Fatalf("err = %v", err)
	}
}

func TestConnectionPrecedence(t *testing.T) {
	env := testEnv{config.EnvToken: "env-token-1234567890", config.EnvAPIBase: "https://env.example/v2"}
	f, _ := newTestFactory(t, env)
	cfgFile := "current_profile: work\nprofiles:\n  work: {base_url: \"https://file.example/v2\", token: file-token-1234567890}\n"
	writeConfig(t, env, cfgFile)

	conn, err := f.Connection()
	if err != nil {
		t.Fatal(err)
	}
	if conn.ProfileName != "work" || conn.BaseURL != "https://env.example/v2" || conn.Token != "env-token-1234567890" {
		t.Fatalf("env should beat the file: %+v", conn)
	}

	f2, env2 := newTestFactory(t, testEnv{config.EnvAPIBase: "https://env.example/v2"})
	writeConfig(t, env2, cfgFile)
	f2.Global.APIBase = "https://flag.example/v2"
	conn, err = f2.Connection()
	if err != nil {
		t.Fatal(err)
	}
	if conn.BaseURL != "https://flag.example/v2" || conn.BaseURLSource != config.SourceFlag || conn.Token != "file-token-1234567890" {
		t.Fatalf("flag should beat env, file token used: %+v", conn)
	}
	c, err := f2.APIClient()
	if err != nil {
		t.Fatal(err)
	}
	if c.BaseURL() != "https://flag.example/v2" {
		t.Fatalf("client base = %s", c.BaseURL())
	}
}

func TestMeUnsetSuggestsLogin(t *testing.T) {
	f, _ := newTestFactory(t, testEnv{config.EnvToken: "tok-1234567890", config.EnvAPIBase: "http://127.0.0.1:1/v2"})
	_, err := f.Me(context.Background())
	if err == nil || !strings.Contains(err.Error(), "auth login --user EMAIL") {
		t.Fatalf("err = %v", err)
	}
}

type fakeSandbox struct{ closed int }

func (s *fakeSandbox) URL() string   { return "http://127.0.0.1:9/v2" }
func (s *fakeSandbox) Token() string { return "sbx-token-1234567890" }
func (s *fakeSandbox) Close() error  { s.closed++; return nil }

func TestSandboxStartsOnceNoticeOnceAndCloses(t *testing.T) {
	ios, _, _, errOut := output.Test()
	fake := &fakeSandbox{}
	starts := 0
	dir := t.TempDir()
	env := testEnv{"HOME": dir, "XDG_STATE_HOME": filepath.Join(dir, "state")}
	f := NewWithDeps("test", Deps{IOStreams: ios, Env: env.lookup, StartSandbox: func(config.LookupEnv) (SandboxServer, string, error) {
		starts++
		return fake, "/x/sandbox.db", nil
	}})
	f.Global.Sandbox = true
	for i := 0; i < 2; i++ {
		if _, err := f.APIClient(); err != nil {
			t.Fatal(err)
		}
	}
	if starts != 1 || strings.Count(errOut.String(), "Created the local sandbox (/x/sandbox.db)") != 1 {
		t.Fatalf("starts=%d stderr=%q", starts, errOut.String())
	}
	conn, _ := f.Connection()
	if !conn.Sandbox || conn.BaseURL != fake.URL() {
		t.Fatalf("conn = %+v", conn)
	}
	if err := f.Close(); err != nil || fake.closed != 1 {
		t.Fatalf("close: %v, closed=%d", err, fake.closed)
	}
	if err := f.Close(); err != nil || fake.closed != 1 {
		t.Fatalf("second close: %v, closed=%d", err, fake.closed)
	}
}

func TestSandboxWithAPIBaseIsUsageError(t *testing.T) {
	f, _ := newTestFactory(t, nil)
	f.Global.Sandbox, f.Global.APIBase = true, "https://x.example/v2"
	if _, err := f.APIClient(); cmdutil.ExitCode(err) != cmdutil.ExitUsage {
		t.Fatalf("err = %v", err)
	}
}

// TestRealSandboxMeIsFirstAgent starts the real emulator with a database in
// the state dir, resolves "me" through the API, and checks Close stops it.
func TestRealSandboxMeIsFirstAgent(t *testing.T) {
	if testing.Short() {
		t.Skip("starts the sandbox with a file database")
	}
	f, _ := newTestFactory(t, nil)
	f.Global.Sandbox = true
	me, err := f.Me(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if me.Role != "agent" || me.Email == "" {
		t.Fatalf("me = %+v", me)
	}
	conn, _ := f.Connection()
	if st, err := os.Stat(filepath.Dir(conn.SandboxDB)); err != nil || st.Mode().Perm() != 0o700 {
		t.Fatalf("state dir: %v %v", st, err)
	}
	if err := f.Close(); err != nil {
		t.Fatal(err)
	}
	resp, err := http.Get(conn.BaseURL + "/space/user")
	if err == nil {
		resp.Body.Close()
		t.Fatal("sandbox still serving after Close")
	}
}

// Bulk journals follow the injected environment, not the process's.
func TestStateDirFollowsInjectedEnv(t *testing.T) {
	t.Setenv("XDG_STATE_HOME", filepath.Join(t.TempDir(), "process-state"))
	f, env := newTestFactory(t, nil)
	dir, err := f.StateDir()
	if want := filepath.Join(env["XDG_STATE_HOME"], "respondctl"); err != nil || dir != want {
		t.Fatalf("StateDir() = %q, %v; want %q", dir, err, want)
	}
	j, err := bulk.CreateJournal("", bulk.JournalHeader{Action: "send"}, []bulk.Target{{ID: "id:1"}},
		bulk.UnderStateDir(f.StateDir))
	if err != nil {
		t.Fatal(err)
	}
	defer j.Close()
	if got := filepath.Dir(j.Path()); got != filepath.Join(dir, "journals") {
		t.Errorf("journal in %s, want %s", got, filepath.Join(dir, "journals"))
	}

	// Without XDG_STATE_HOME the fallback is $HOME/.local/state/respondctl.
	delete(env, "XDG_STATE_HOME")
	if dir, err := f.StateDir(); err != nil || dir != filepath.Join(env["HOME"], ".local", "state", "respondctl") {
		t.Errorf("fallback StateDir() = %q, %v", dir, err)
	}
}
