package cmdtest

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

// JournalSummary is what ReadJournal reads from a journal file.
type JournalSummary struct {
	Action  string // the header's verb: "send", "assign"…
	Results int    // result records so far (a target retried counts once per record)
}

// ReadJournal is the tests' one journal reader. It reads the file as it is on disk, without
// opening it as a journal (no lock, no repair), so it also reads the journal of a run that is
// still going; a torn last line is skipped.
func ReadJournal(path string) (JournalSummary, error) {
	f, err := os.Open(path)
	if err != nil {
		return JournalSummary{}, err
	}
	defer f.Close()
	var js JournalSummary
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 64*1024), 16*1024*1024)
	for sc.Scan() {
		var rec struct {
			Kind   string `json:"kind"`
			Action string `json:"action"`
		}
		if json.Unmarshal(sc.Bytes(), &rec) != nil {
			continue
		}
		switch rec.Kind {
		case "header":
			js.Action = rec.Action
		case "result":
			js.Results++
		}
	}
	return js, sc.Err()
}

// JournalResults counts the result records of a journal file (0 if it does not exist yet).
func JournalResults(path string) int {
	js, _ := ReadJournal(path)
	return js.Results
}

// LastLine is the last non-empty line of s (a run's summary on stderr).
func LastLine(s string) string {
	lines := strings.Split(strings.TrimSpace(s), "\n")
	return lines[len(lines)-1]
}
