package comment_test

import (
	"strings"
	"testing"

	"github.com/respondctl/respondctl/commands"
	"github.com/respondctl/respondctl/commands/cmdtest"
	"github.com/respondctl/respondctl/sandbox"
)

func TestMain(m *testing.M) { cmdtest.Main(m, commands.Execute) }

func TestComment(t *testing.T) {
	e := cmdtest.Start(t, sandbox.Options{Seed: "demo", Rate: 500})
	r := e.Run(nil, "comment", "5", "--text", "Called back")
	if r.Code != 0 || r.Stdout != "id:5 comment added\n" {
		t.Fatalf("%s", r)
	}
	r = e.Run(cmdtest.Str("6\n7\n"), "comment", "--text", "Escalated")
	if r.Code != 0 || strings.Count(r.Stdout, "comment added") != 2 || len(e.Audit("comment_created", 0)) != 3 {
		t.Fatalf("%s", r)
	}
	if r := e.Run(nil, "comment", "5"); r.Code != 2 {
		t.Fatalf("no text: %s", r)
	}
}
