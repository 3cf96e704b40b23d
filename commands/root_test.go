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
	"github.com/spf13/cobra"
	"github.com/spf13/pflag"
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
		{"--timeout", "0s", "config", "list"}, {"--timeout=-5s", "config", "list"},
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

// walk visits every command of the tree.
func walk(c *cobra.Command, visit func(*cobra.Command)) {
	visit(c)
	for _, sub := range c.Commands() {
		walk(sub, visit)
	}
}

func TestEveryCommandHelpDoesNoIO(t *testing.T) {
	f, _ := noIOFactory(t)
	var paths [][]string
	walk(NewCmdRoot(f), func(c *cobra.Command) {
		paths = append(paths, append(strings.Fields(c.CommandPath())[1:], "--help"))
	})
	for _, args := range paths {
		f, _ := noIOFactory(t)
		root := NewCmdRoot(f)
		root.SetArgs(args)
		if err := root.Execute(); err != nil {
			t.Errorf("%v: %v", args, err)
		}
	}
}

// knownShadows are local flags that hide a global flag of the same name.
// `send --template` (a WhatsApp template name) hides the global output
// --template; reported to the send command's owner for a rename.
var knownShadows = map[string]bool{"respondctl send --template": true}

// TestGlobalFlagsReachEveryCommand: no command redefines a global flag (or its
// shorthand), so -o, --jq, --template, --no-color, --debug, --sandbox,
// --api-base, --timeout and --tz mean the same everywhere.
func TestGlobalFlagsReachEveryCommand(t *testing.T) {
	f, _ := noIOFactory(t)
	root := NewCmdRoot(f)
	globals := root.PersistentFlags()
	walk(root, func(c *cobra.Command) {
		if c == root {
			return
		}
		c.LocalNonPersistentFlags().VisitAll(func(fl *pflag.Flag) {
			key := c.CommandPath() + " --" + fl.Name
			if globals.Lookup(fl.Name) != nil && !knownShadows[key] {
				t.Errorf("%s hides the global flag --%s", c.CommandPath(), fl.Name)
			}
			if fl.Shorthand != "" && globals.ShorthandLookup(fl.Shorthand) != nil {
				t.Errorf("%s -%s hides a global shorthand", c.CommandPath(), fl.Shorthand)
			}
		})
		for _, name := range []string{"output", "jq", "template", "no-color", "debug", "sandbox", "api-base", "timeout", "tz", "profile"} {
			if c.Flag(name) == nil {
				t.Errorf("%s lacks --%s", c.CommandPath(), name)
			}
		}
	})
}

func TestDynamicCompletionsRegistered(t *testing.T) {
	f, _ := noIOFactory(t)
	root := NewCmdRoot(f)
	for path, flags := range map[string][]string{
		"assign":            {"to", "round-robin", "balance", "view"},
		"unassign":          {"view"},
		"done":              {"view"},
		"contacts list":     {"view", "assignee"},
		"send":              {"channel", "view"},
		"conversation show": {"channel"},
		"auth login":        {"user"},
		"":                  {"output", "profile"},
	} {
		cmd, _, err := root.Find(strings.Fields(path))
		if err != nil {
			t.Errorf("%q: %v", path, err)
			continue
		}
		for _, name := range flags {
			if _, ok := cmd.GetFlagCompletionFunc(name); !ok {
				t.Errorf("%s --%s has no completion", cmd.CommandPath(), name)
			}
		}
	}
}
