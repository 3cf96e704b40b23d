package commands

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/respondctl/respondctl/apiclient"
	"github.com/respondctl/respondctl/commands/cmdutil"
	"github.com/respondctl/respondctl/config"
	"github.com/respondctl/respondctl/output"
)

// noIOFactory fails the test if any lazy dependency is touched: --help,
// version and completion must not read the config or reach the network.
func noIOFactory(t *testing.T) (*cmdutil.Factory, struct{}) {
	t.Helper()
	ios, _, _, _ := output.Test()
	f := &cmdutil.Factory{
		AppVersion:     "1.2.3",
		ExecutableName: "respondctl",
		IOStreams:      ios,
		Global:         &cmdutil.GlobalOptions{},
		Config: func() (*config.Config, error) {
			t.Error("Config() called")
			return nil, errors.New("no config in this test")
		},
		APIClient: func() (*apiclient.Client, error) {
			t.Error("APIClient() called")
			return nil, errors.New("no client in this test")
		},
		Me: func(context.Context) (*apiclient.User, error) {
			t.Error("Me() called")
			return nil, errors.New("no me in this test")
		},
		Connection: func() (*cmdutil.Connection, error) {
			t.Error("Connection() called")
			return nil, errors.New("no connection in this test")
		},
	}
	return f, struct{}{}
}

func TestHelpVersionCompletionDoNoIO(t *testing.T) {
	for _, args := range [][]string{
		{"--help"}, {"help"}, {"version"}, {"--version"}, {"version", "-o", "json"},
		{"completion", "bash"}, {"completion", "zsh"}, {"completion", "fish"}, {"completion", "powershell"},
		{"auth", "--help"}, {"auth", "login", "--help"}, {"config", "--help"}, {"api", "--help"},
		{"help", "exit-codes"}, {"help", "environment"}, {"exit-codes"},
	} {
		t.Run(strings.Join(args, " "), func(t *testing.T) {
			f, _ := noIOFactory(t)
			root := NewCmdRoot(f)
			root.SetArgs(args)
			if err := root.Execute(); err != nil {
				t.Fatalf("%v: %v", args, err)
			}
		})
	}
}

func TestGlobalFlagsBindToFactory(t *testing.T) {
	f, _ := noIOFactory(t)
	root := NewCmdRoot(f)
	root.SetArgs([]string{"--profile", "work", "-o", "json", "--jq", ".x", "--no-color", "--debug",
		"--sandbox", "--api-base", "https://x.example/v2", "--timeout", "5s", "--tz", "UTC", "--insecure", "version"})
	if err := root.Execute(); err != nil {
		t.Fatal(err)
	}
	g := f.Global
	if g.Profile != "work" || g.Output != "json" || g.JQ != ".x" || !g.NoColor || !g.Debug || !g.Sandbox ||
		g.APIBase != "https://x.example/v2" || g.Timeout.String() != "5s" || g.TZ != "UTC" || !g.Insecure {
		t.Fatalf("globals = %+v", g)
	}
	if f.IOStreams.ColorEnabled() {
		t.Error("--no-color did not turn colour off")
	}
}

func TestUsageErrorsMapToExit2(t *testing.T) {
	for _, args := range [][]string{
		{"nope"}, {"auth", "nope"}, {"--bogus"}, {"version", "extra"}, {"config", "get"},
		{"completion", "tcsh"}, {"completion"}, {"--timeout", "soon", "version"},
	} {
		f, _ := noIOFactory(t)
		root := NewCmdRoot(f)
		root.SetArgs(args)
		err := root.Execute()
		if code := cmdutil.ExitCode(err); code != cmdutil.ExitUsage {
			t.Errorf("%v: exit %d (%v), want 2", args, code, err)
		}
	}
}

func TestUnknownCommandSuggests(t *testing.T) {
	f, _ := noIOFactory(t)
	root := NewCmdRoot(f)
	root.SetArgs([]string{"auht"})
	err := root.Execute()
	if err == nil || !strings.Contains(err.Error(), "did you mean auth") {
		t.Fatalf("err = %v", err)
	}
}
