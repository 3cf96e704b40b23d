package views

import (
	"testing"
	"time"

	"github.com/respondctl/respondctl/commands/cmdutil"
	"github.com/respondctl/respondctl/output"
)

func parseViewsFlags(t *testing.T, args ...string) (*ViewsOptions, error) {
	t.Helper()
	ios, _, _, _ := output.Test()
	f := &cmdutil.Factory{IOStreams: ios, Global: &cmdutil.GlobalOptions{}}
	var got *ViewsOptions
	cmd := NewCmdViews(f, func(o *ViewsOptions) error { got = o; return nil })
	cmd.SetArgs(args)
	cmd.SetOut(ios.ErrOut)
	cmd.SetErr(ios.ErrOut)
	err := cmd.Execute()
	return got, err
}

func TestWatchIntervalForms(t *testing.T) {
	for _, tt := range []struct {
		args []string
		want time.Duration
	}{
		{[]string{"--watch"}, 10 * time.Second},
		{[]string{"--watch=30s"}, 30 * time.Second},
		{[]string{"--watch", "2m"}, 2 * time.Minute},
	} {
		o, err := parseViewsFlags(t, tt.args...)
		if err != nil || o == nil || !o.Watch || o.Interval != tt.want {
			t.Errorf("%v: opts %+v, err %v; want watch every %v", tt.args, o, err, tt.want)
		}
	}
}

func TestViewsRejectsStrayArguments(t *testing.T) {
	for _, args := range [][]string{{"30s"}, {"--watch", "soon"}, {"--watch=5s", "10s"}} {
		_, err := parseViewsFlags(t, args...)
		if cmdutil.ExitCode(err) != cmdutil.ExitUsage {
			t.Errorf("%v: err %v (exit %d), want a usage error", args, err, cmdutil.ExitCode(err))
		}
	}
}
