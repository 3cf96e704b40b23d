package closingnotes

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/respondctl/respondctl/commands/cmdtest"
	"github.com/respondctl/respondctl/sandbox"
)

func TestListPipedTerminalAndJSON(t *testing.T) {
	srv := cmdtest.Start(t, sandbox.Options{})
	f, out, _ := srv.Factory(false, "")
	if err := cmdtest.Exec(f, NewCmdList(f, nil)); err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimRight(out.String(), "\n"), "\n")
	if len(lines) != 6 || lines[0] != "Resolved\tThe customer's question was answered" || lines[1] != "Spam\t" {
		t.Fatalf("piped closing notes:\n%q", out)
	}

	f, out, _ = srv.Factory(true, "")
	if err := cmdtest.Exec(f, NewCmdList(f, nil)); err != nil {
		t.Fatal(err)
	}
	if s := out.String(); !strings.Contains(s, "Sale closed") || strings.Contains(s, "\t") {
		t.Errorf("terminal closing notes:\n%s", s)
	}

	f, out, _ = srv.Factory(false, "json")
	if err := cmdtest.Exec(f, NewCmdList(f, nil)); err != nil {
		t.Fatal(err)
	}
	var notes []struct {
		Category    string  `json:"category"`
		Description *string `json:"description"`
	}
	if err := json.Unmarshal(out.Bytes(), &notes); err != nil || len(notes) != 6 {
		t.Fatalf("%v\n%s", err, out)
	}
	if notes[0].Category != "Resolved" || notes[0].Description == nil || notes[1].Category != "Spam" || notes[1].Description != nil {
		t.Errorf("notes: %+v", notes)
	}
}
