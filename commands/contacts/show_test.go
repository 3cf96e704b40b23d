package contacts

import (
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/respondctl/respondctl/commands/cmdtest"
	"github.com/respondctl/respondctl/commands/cmdutil"
	"github.com/respondctl/respondctl/sandbox"
)

func TestShowPipedDetailsOfAisha(t *testing.T) {
	t.Parallel() // its own sandbox
	srv := cmdtest.Start(t, sandbox.Options{})
	// Every identifier form reaches the same contact.
	for _, ident := range []string{"1", "id:1", cmdtest.AishaEmail, "email:" + cmdtest.AishaEmail, cmdtest.AishaPhone, "+60 12-345 6789"} {
		f, out, _ := srv.Factory(false, "")
		if err := cmdtest.Exec(f, NewCmdShow(f, nil), ident); err != nil {
			t.Fatalf("show %q: %v", ident, err)
		}
		s := out.String()
		for _, want := range []string{
			"Aisha Rahman (id:1)\n",
			"  Phone:         +60123456789\n",
			"  Email:         aisha@example.com\n",
			"  Status:        open\n",
			"  Assignee:      Lee Wong <lee@example.com>\n",
			"  Country:       MY\n",
			"Custom fields:\n",
			"  order_id:      A-1001\n",
			"Channels:\n",
			"  WhatsApp (Support WhatsApp): open, closes in 23h",
		} {
			if !strings.Contains(s, want) {
				t.Errorf("show %q lacks %q:\n%s", ident, want, s)
			}
		}
		if !strings.Contains(s, "  Tags:          ") || !strings.Contains(s, "vip") || !strings.Contains(s, "  Lifecycle:     ") {
			t.Errorf("show %q: tags/lifecycle missing:\n%s", ident, s)
		}
		if strings.Contains(s, "\x1b[") {
			t.Errorf("colour when piped:\n%s", s)
		}
	}
}

func TestShowWindowDescriptions(t *testing.T) {
	t.Parallel() // its own sandbox
	srv := cmdtest.Start(t, sandbox.Options{})
	cases := map[string]string{
		"3":  "WhatsApp (Support WhatsApp): open, closes in 1h", // closes in about 90 minutes
		"2":  "WhatsApp (Support WhatsApp): closed 2 days ago — templates only",
		"13": "Facebook (Acme Facebook Page): open, closes in 6d 23h", // 7-day human-agent window
		"16": "Email (Support Email): no messaging window",
	}
	for ident, want := range cases {
		f, out, _ := srv.Factory(false, "")
		if err := cmdtest.Exec(f, NewCmdShow(f, nil), ident); err != nil {
			t.Fatal(err)
		}
		if !strings.Contains(out.String(), want) {
			t.Errorf("show %s lacks %q:\n%s", ident, want, out)
		}
	}
}

func TestShowTerminalColoursTheWindow(t *testing.T) {
	t.Parallel() // its own sandbox
	srv := cmdtest.Start(t, sandbox.Options{})
	f, out, _ := srv.Factory(true, "")
	if err := cmdtest.Exec(f, NewCmdShow(f, nil), "2"); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(out.String(), "\x1b[33mclosed 2 days ago") {
		t.Errorf("a closed window should be yellow on a terminal:\n%q", out)
	}
}

func TestShowJSONFieldsAndTimes(t *testing.T) {
	t.Parallel() // its own sandbox
	srv := cmdtest.Start(t, sandbox.Options{})
	f, out, _ := srv.Factory(false, "json")
	if err := cmdtest.Exec(f, NewCmdShow(f, nil), "1"); err != nil {
		t.Fatal(err)
	}
	var d struct {
		ID           int64  `json:"id"`
		Name         string `json:"name"`
		Phone        string `json:"phone"`
		Email        string `json:"email"`
		Status       string `json:"status"`
		Language     string `json:"language"`
		CountryCode  string `json:"countryCode"`
		CreatedAt    string `json:"createdAt"`
		Channel      string `json:"channel"`
		Tags         []string
		Assignee     *struct{ ID int64 }
		CustomFields []struct {
			Name  string `json:"name"`
			Value any    `json:"value"`
		} `json:"customFields"`
		Channels []struct {
			ChannelID     int64   `json:"channelId"`
			Source        string  `json:"source"`
			HasWindow     bool    `json:"hasWindow"`
			Open          bool    `json:"open"`
			TemplatesOnly bool    `json:"templatesOnly"`
			ClosesAt      *string `json:"closesAt"`
			LastIncoming  *string `json:"lastIncomingMessageTime"`
			Description   string  `json:"description"`
		} `json:"channels"`
	}
	if err := json.Unmarshal(out.Bytes(), &d); err != nil {
		t.Fatalf("%v\n%s", err, out)
	}
	if d.ID != 1 || d.Name != "Aisha Rahman" || d.Phone != cmdtest.AishaPhone || d.Email != cmdtest.AishaEmail ||
		d.Status != "open" || d.CountryCode != "MY" || d.Channel != "Support WhatsApp" || d.Assignee == nil || d.Assignee.ID != cmdtest.LeeID {
		t.Errorf("contact: %+v", d)
	}
	if _, err := time.Parse(time.RFC3339, d.CreatedAt); err != nil || !strings.HasSuffix(d.CreatedAt, "Z") {
		t.Errorf("createdAt %q: %v", d.CreatedAt, err)
	}
	found := false
	for _, cf := range d.CustomFields {
		if cf.Name == "order_id" && cf.Value == "A-1001" {
			found = true
		}
	}
	if !found {
		t.Errorf("custom field order_id=A-1001 missing: %+v", d.CustomFields)
	}
	if len(d.Channels) != 1 {
		t.Fatalf("channels: %+v", d.Channels)
	}
	ch := d.Channels[0]
	if ch.ChannelID != cmdtest.WhatsAppChannel || ch.Source != "whatsapp_cloud" || !ch.HasWindow || !ch.Open || ch.ClosesAt == nil ||
		ch.LastIncoming == nil || !strings.HasPrefix(ch.Description, "open, closes in 23h") {
		t.Errorf("channel: %+v", ch)
	}
	if at, err := time.Parse(time.RFC3339, *ch.ClosesAt); err != nil || time.Until(at) < 22*time.Hour {
		t.Errorf("closesAt %q: %v", *ch.ClosesAt, err)
	}
}

func TestShowUnknownContactExits5AndEmptyListIsEmptyArray(t *testing.T) {
	t.Parallel() // its own sandbox
	srv := cmdtest.Start(t, sandbox.Options{Seed: "empty"})
	f, out, _ := srv.Factory(false, "")
	err := cmdtest.Exec(f, NewCmdShow(f, nil), "99")
	if cmdutil.ExitCode(err) != cmdutil.ExitNotFound || err.Error() != "contact id:99 not found" || out.Len() != 0 {
		t.Errorf("err = %v (exit %d), stdout %q", err, cmdutil.ExitCode(err), out)
	}
	f, out, _ = srv.Factory(false, "json")
	if err := cmdtest.Exec(f, NewCmdList(f, nil), "--all"); err != nil || out.String() != "[]\n" {
		t.Errorf("empty workspace: %v %q", err, out)
	}
}

func TestShowBadIdentifierIsUsageErrorBeforeAnyRequest(t *testing.T) {
	for _, args := range [][]string{{"not an id"}, {"id:abc"}, {"+60"}, {"email:"}, {}, {"1", "2"}} {
		f := cmdtest.NoRequestFactory(t)
		if err := cmdtest.Exec(f, NewCmdShow(f, nil), args...); cmdutil.ExitCode(err) != cmdutil.ExitUsage {
			t.Errorf("show %q: exit %d (%v), want 2", args, cmdutil.ExitCode(err), err)
		}
	}
}

func TestShowCoreOnly(t *testing.T) {
	t.Parallel() // its own sandbox
	srv := cmdtest.Start(t, sandbox.Options{CoreOnly: true})
	f, out, _ := srv.Factory(false, "")
	if err := cmdtest.Exec(f, NewCmdShow(f, nil), "1"); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(out.String(), "  Unread:        ?\n") || !strings.Contains(out.String(), "WhatsApp (Support WhatsApp): open") {
		t.Errorf("core show:\n%s", out)
	}
}
