package channels

import (
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/respondctl/respondctl/commands/cmdtest"
	"github.com/respondctl/respondctl/sandbox"
)

func TestListPipedTerminalAndJSON(t *testing.T) {
	srv := cmdtest.Start(t, sandbox.Options{CoreOnly: true})
	f, out, _ := srv.Factory(false, "")
	if err := cmdtest.Exec(f, NewCmdList(f, nil)); err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimSpace(out.String()), "\n")
	if len(lines) != 10 || !strings.HasPrefix(lines[0], "31\tSupport WhatsApp\twhatsapp_cloud\t") ||
		!strings.HasPrefix(lines[4], "35\tSupport Email\tgmail\t") {
		t.Fatalf("piped channels:\n%s", out)
	}
	if _, err := time.Parse(time.RFC3339, strings.Split(lines[0], "\t")[3]); err != nil {
		t.Errorf("piped created time: %v", err)
	}

	f, out, _ = srv.Factory(true, "")
	if err := cmdtest.Exec(f, NewCmdList(f, nil)); err != nil {
		t.Fatal(err)
	}
	if s := out.String(); !strings.Contains(s, "Acme WeChat") || strings.Contains(s, "\t") || !strings.Contains(s, "CREATED") {
		t.Errorf("terminal channels (aligned, with a header):\n%s", s)
	}

	f, out, _ = srv.Factory(false, "json")
	if err := cmdtest.Exec(f, NewCmdList(f, nil)); err != nil {
		t.Fatal(err)
	}
	var rows []struct {
		ID        int64  `json:"id"`
		Name      string `json:"name"`
		Source    string `json:"source"`
		CreatedAt string `json:"createdAt"`
	}
	if err := json.Unmarshal(out.Bytes(), &rows); err != nil || len(rows) != 10 {
		t.Fatalf("%v\n%s", err, out)
	}
	if r := rows[0]; r.ID != cmdtest.WhatsAppChannel || r.Name != "Support WhatsApp" || r.Source != "whatsapp_cloud" || !strings.HasSuffix(r.CreatedAt, "Z") {
		t.Errorf("first channel: %+v", r)
	}
}

func TestListEmptyIsEmptyArray(t *testing.T) {
	srv := cmdtest.Start(t, sandbox.Options{Seed: "empty"})
	f, out, _ := srv.Factory(false, "json")
	if err := cmdtest.Exec(f, NewCmdList(f, nil)); err != nil {
		t.Fatal(err)
	}
	var rows []map[string]any
	if err := json.Unmarshal(out.Bytes(), &rows); err != nil || rows == nil {
		t.Errorf("%v %q", err, out)
	}
}
