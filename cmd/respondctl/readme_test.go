package main

import (
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/rogpeppe/go-internal/testscript"
)

// tourStep is one `$ command` of a console block in README.md with the output shown under it.
type tourStep struct {
	line    int // in README.md
	command string
	output  []string
}

// readmeTour reads every ```console block of the README, in order.
func readmeTour(readme string) []tourStep {
	var steps []tourStep
	inBlock := false
	for i, line := range strings.Split(readme, "\n") {
		switch {
		case strings.HasPrefix(line, "```console"):
			inBlock = true
		case strings.HasPrefix(line, "```"):
			inBlock = false
		case inBlock && strings.HasPrefix(line, "$ "):
			steps = append(steps, tourStep{line: i + 1, command: strings.TrimPrefix(line, "$ ")})
		case inBlock && len(steps) > 0:
			steps[len(steps)-1].output = append(steps[len(steps)-1].output, line)
		}
	}
	return steps
}

var (
	runsUntilInterrupted = regexp.MustCompile(`--watch|--follow`)
	volatileOutput       = regexp.MustCompile(`…|\bago\b|closes in|\^C|\d+(\.\d+)?m?s\b`)
)

// tourScript turns the README's console blocks into a testscript: each command runs exactly
// as written (through sh, from a file, so no quoting changes it) against a fresh sandbox
// reached through RESPOND_API_BASE and RESPOND_TOKEN, as a new user following the tour would.
//   - a command shown with an "error: …" line must fail with that message;
//   - `--watch` and `--follow` run until Ctrl-C (SIGINT after a moment) and must exit 130;
//   - any other command must succeed, and a short output that holds no times or "…" must
//     appear as shown (ids, confirmations, `echo $?`).
func tourScript(steps []tourStep) string {
	var script, files strings.Builder
	for n, st := range steps {
		name := fmt.Sprintf("step%02d.sh", n+1)
		body := st.command
		if runsUntilInterrupted.MatchString(body) {
			body = "exec " + body // Ctrl-C reaches respondctl, not only the shell around it
		}
		fmt.Fprintf(&files, "-- %s --\n%s\n", name, body)
		fmt.Fprintf(&script, "\n# README.md:%d: $ %s\n", st.line, st.command)
		var errLine string
		for _, o := range st.output {
			if strings.HasPrefix(o, "error: ") {
				errLine = o
			}
		}
		switch {
		case errLine != "":
			fmt.Fprintf(&script, "! exec sh %s\n", name)
			prefix := errLine
			if i := strings.IndexAny(prefix, "(…"); i > 0 {
				prefix = prefix[:i]
			}
			fmt.Fprintf(&script, "stderr %s\n", quoteScript(regexp.QuoteMeta(prefix)))
		case runsUntilInterrupted.MatchString(st.command):
			fmt.Fprintf(&script, "exec sh -c 'timeout --preserve-status -s INT 3 sh %s >/dev/null; echo \"exit=$?\"'\n", name)
			fmt.Fprintf(&script, "stdout '^exit=130$'\n")
		default:
			fmt.Fprintf(&script, "exec sh -c 'sh %s 2>&1'\n", name)
			if len(st.output) > 0 && len(st.output) <= 3 && !volatileOutput.MatchString(strings.Join(st.output, "\n")) {
				for _, o := range st.output {
					fmt.Fprintf(&script, "stdout %s\n", quoteScript("(?m)^"+regexp.QuoteMeta(strings.TrimSpace(o))+"$"))
				}
			}
		}
	}
	return script.String() + "\n" + files.String()
}

// quoteScript quotes s as one testscript argument.
func quoteScript(s string) string { return "'" + strings.ReplaceAll(s, "'", "''") + "'" }

// The README's tour runs top to bottom on a fresh sandbox exactly as written, so the README
// cannot drift from the tool.
func TestReadmeTour(t *testing.T) {
	if testing.Short() {
		t.Skip("the whole tour takes a while: run without -short")
	}
	readme, err := os.ReadFile(filepath.Join("..", "..", "README.md"))
	if err != nil {
		t.Fatal(err)
	}
	steps := readmeTour(string(readme))
	if len(steps) < 20 {
		t.Fatalf("only %d console commands found in README.md", len(steps))
	}
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "readme_tour.txtar"), []byte(tourScript(steps)), 0o600); err != nil {
		t.Fatal(err)
	}
	testscript.Run(t, testscript.Params{
		Dir:                 dir,
		RequireExplicitExec: true,
		Setup:               setupScript,
	})
}
