package factory

import (
	"strings"
	"testing"

	"github.com/respondctl/respondctl/commands/cmdutil"
	"github.com/respondctl/respondctl/config"
)

// A config file that cannot be used as written is a usage/config error (exit 2) naming the
// file and line, not "not logged in" (4) or a plain error (1).
func TestConfigFileErrorsExit2WithFileAndLine(t *testing.T) {
	cases := []struct{ name, yaml, want string }{
		{"current_profile naming no profile", "profiles:\n  default:\n    token: tok-1234567890\ncurrent_profile: work\n", "line 4: current_profile \"work\" names no profile"},
		{"malformed YAML", "profiles:\n  default:\n    token: tok-1234567890\n  work: [\n", "line "},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			f, env := newTestFactory(t, nil)
			writeConfig(t, env, c.yaml)
			_, err := f.APIClient()
			if err == nil {
				t.Fatal("no error")
			}
			if code := cmdutil.ExitCode(err); code != cmdutil.ExitUsage {
				t.Fatalf("exit %d, want 2: %v", code, err)
			}
			if path := config.DefaultPath(env.lookup); !strings.Contains(err.Error(), path) || !strings.Contains(err.Error(), c.want) {
				t.Fatalf("error %q does not name %s and %q", err, path, c.want)
			}
		})
	}
}
