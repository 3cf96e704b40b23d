package users

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/respondctl/respondctl/apiclient"

	"github.com/respondctl/respondctl/commands/cmdtest"
	"github.com/respondctl/respondctl/commands/cmdutil"
	"github.com/respondctl/respondctl/sandbox"
)

func TestListPipedTerminalAndJSON(t *testing.T) {
	srv := cmdtest.Start(t, sandbox.Options{})
	f, out, _ := srv.Factory(false, "")
	if err := cmdtest.Exec(f, NewCmdList(f, nil)); err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimSpace(out.String()), "\n")
	if len(lines) != 6 || lines[0] != "1\tLee Wong\tlee@example.com\tagent\tSupport" || !strings.HasPrefix(lines[5], "6\tSam Okafor\tsam@example.com\towner") {
		t.Errorf("piped users:\n%s", out)
	}

	f, out, _ = srv.Factory(true, "")
	if err := cmdtest.Exec(f, NewCmdList(f, nil)); err != nil {
		t.Fatal(err)
	}
	if s := out.String(); !strings.Contains(s, "Lee Wong") || strings.Contains(s, "\t") || !strings.Contains(strings.ToUpper(s), "EMAIL") {
		t.Errorf("terminal users (aligned, with a header):\n%s", s)
	}

	f, out, _ = srv.Factory(false, "json")
	if err := cmdtest.Exec(f, NewCmdList(f, nil)); err != nil {
		t.Fatal(err)
	}
	var users []struct {
		ID        int64  `json:"id"`
		FirstName string `json:"firstName"`
		LastName  string `json:"lastName"`
		Email     string `json:"email"`
		Role      string `json:"role"`
		Team      *struct {
			Name string `json:"name"`
		} `json:"team"`
		Restrictions []string `json:"restrictions"`
	}
	if err := json.Unmarshal(out.Bytes(), &users); err != nil || len(users) != 6 {
		t.Fatalf("%v\n%s", err, out)
	}
	u := users[0]
	if u.ID != 1 || u.FirstName != "Lee" || u.LastName != "Wong" || u.Email != "lee@example.com" || u.Role != "agent" ||
		u.Team == nil || u.Team.Name != "Support" || u.Restrictions == nil {
		t.Errorf("first user: %+v", u)
	}
	if users[5].Role != "owner" || users[5].Team != nil {
		t.Errorf("owner: %+v", users[5])
	}
}

func TestListEmptyWorkspaceAndArgs(t *testing.T) {
	srv := cmdtest.Start(t, sandbox.Options{Seed: "empty", CoreOnly: true})
	f, out, _ := srv.Factory(false, "json")
	if err := cmdtest.Exec(f, NewCmdList(f, nil)); err != nil {
		t.Fatal(err)
	}
	var users []map[string]any
	if err := json.Unmarshal(out.Bytes(), &users); err != nil {
		t.Fatalf("core-only, empty seed: %v\n%s", err, out)
	}
	if err := cmdtest.Exec(cmdtest.NoRequestFactory(t), NewCmdList(cmdtest.NoRequestFactory(t), nil), "extra"); err == nil {
		t.Error("users list accepted an argument")
	}
}

func TestListWrongTokenExits4(t *testing.T) {
	srv := cmdtest.Start(t, sandbox.Options{})
	bad, err := apiclient.New(apiclient.Options{BaseURL: srv.URL(), Token: "wrong-token-123456", RateLimit: -1, MaxRetries: -1})
	if err != nil {
		t.Fatal(err)
	}
	f, out, _ := srv.Factory(false, "json")
	f.APIClient = func() (*apiclient.Client, error) { return bad, nil }
	if err := cmdtest.Exec(f, NewCmdList(f, nil)); cmdutil.ExitCode(err) != cmdutil.ExitAuth || strings.Contains(out.String(), "[") {
		t.Errorf("exit %d (%v), stdout %q; want 4 and no output", cmdutil.ExitCode(err), err, out)
	}
}
