package acttest

import (
	"bufio"
	"encoding/json"
	"os"
	"os/exec"
	"strings"
)

// Command is `respondctl ARGS…` as a real process against this sandbox: the test binary
// re-executed (its TestMain must call MaybeMain), so tests can interrupt it (SIGINT) or kill
// it (kill -9). Stdout and stderr are for the caller to set.
func (e *Env) Command(args ...string) *exec.Cmd {
	raw, _ := json.Marshal(args) // strings only: cannot fail
	cmd := exec.Command(os.Args[0], "-test.run=^$")
	cmd.Env = append(os.Environ(), MainEnv+"="+string(raw))
	for k, v := range e.EnvVars() {
		cmd.Env = append(cmd.Env, k+"="+v)
	}
	return cmd
}

// JournalResults counts the result records of a journal file (0 if it does not exist yet).
func JournalResults(path string) int {
	f, err := os.Open(path)
	if err != nil {
		return 0
	}
	defer f.Close()
	n := 0
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		if strings.Contains(sc.Text(), `"kind":"result"`) {
			n++
		}
	}
	return n
}

// LastLine is the last non-empty line of s (a run's summary on stderr).
func LastLine(s string) string {
	lines := strings.Split(strings.TrimSpace(s), "\n")
	return lines[len(lines)-1]
}
