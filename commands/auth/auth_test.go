package auth

import (
	"context"
	"path/filepath"
	"strings"
	"testing"

	"github.com/respondctl/respondctl/commands/cmdtest"
	"github.com/respondctl/respondctl/commands/cmdutil"
	"github.com/respondctl/respondctl/commands/factory"
	"github.com/respondctl/respondctl/config"
	"github.com/respondctl/respondctl/output"
	"github.com/respondctl/respondctl/sandbox"
)

func setup(t *testing.T) (*cmdutil.Factory, *output.IOStreams, *sandbox.Server, map[string]string) {
	t.Helper()
	srv := cmdtest.Start(t, sandbox.Options{}).Server
	dir := t.TempDir()
	env := map[string]string{"HOME": dir, "XDG_CONFIG_HOME": filepath.Join(dir, "c"), "XDG_CACHE_HOME": filepath.Join(dir, "k"), config.EnvAPIBase: srv.URL()}
	ios, _, _, _ := output.Test()
	f := factory.NewWithDeps("test", factory.Deps{IOStreams: ios, Env: func(k string) (string, bool) { v, ok := env[k]; return v, ok }})
	return f, ios, srv, env
}

func TestLoginNeedsWithTokenWithoutTerminal(t *testing.T) {
	f, _, _, _ := setup(t)
	err := loginRun(context.Background(), &LoginOptions{Factory: f})
	if cmdutil.ExitCode(err) != cmdutil.ExitUsage || !strings.Contains(err.Error(), "--with-token") {
		t.Fatalf("err = %v", err)
	}
}

func TestLoginPromptOnTerminalSavesTokenAndMe(t *testing.T) {
	f, ios, srv, env := setup(t)
	ios.SetStdinTTY(true)
	prompted := false
	opts := &LoginOptions{Factory: f, User: "LEE@example.com", ReadSecret: func(context.Context, string) (string, error) {
		prompted = true
		return srv.Token() + "\n", nil
	}}
	if err := loginRun(context.Background(), opts); err != nil {
		t.Fatal(err)
	}
	if !prompted {
		t.Fatal("no prompt on a terminal")
	}
	cfg, err := config.Load(func(k string) (string, bool) { v, ok := env[k]; return v, ok })
	if err != nil {
		t.Fatal(err)
	}
	p := cfg.Profile("default")
	if p == nil || p.Token != srv.Token() || p.Me != "lee@example.com" || p.BaseURL != srv.URL() {
		t.Fatalf("profile = %+v", p)
	}
}

func TestLoginRejectedTokenIsExit4(t *testing.T) {
	f, _, _, _ := setup(t)
	f.IOStreams.In = strings.NewReader("wrong-token-1234567890\n")
	err := loginRun(context.Background(), &LoginOptions{Factory: f, WithToken: true})
	if cmdutil.ExitCode(err) != cmdutil.ExitAuth {
		t.Fatalf("err = %v (exit %d)", err, cmdutil.ExitCode(err))
	}
	if strings.Contains(err.Error(), "wrong-token-1234567890") {
		t.Fatal("token in error")
	}
}

func TestLoginUnknownUserListsCloseMatches(t *testing.T) {
	f, _, srv, _ := setup(t)
	f.IOStreams.In = strings.NewReader(srv.Token())
	err := loginRun(context.Background(), &LoginOptions{Factory: f, WithToken: true, User: "carlos@exmaple.com"})
	if cmdutil.ExitCode(err) != cmdutil.ExitNotFound || !strings.Contains(err.Error(), "carlos@example.com") {
		t.Fatalf("err = %v", err)
	}
}
