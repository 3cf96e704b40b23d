package message

import (
	"context"
	"encoding/json"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/respondctl/respondctl/apiclient"
	"github.com/respondctl/respondctl/commands/cmdtest"
	"github.com/respondctl/respondctl/commands/cmdutil"
	"github.com/respondctl/respondctl/sandbox"
)

// findMessage returns the newest message of a contact that satisfies want.
func findMessage(t *testing.T, srv *cmdtest.Env, contact int64, want func(apiclient.Message) bool) apiclient.Message {
	t.Helper()
	it := srv.Client().IterateMessages(apiclient.ContactID(contact), 0, 0)
	for it.Next(context.Background()) {
		if m := it.Item(); want(m) {
			return m
		}
	}
	t.Fatalf("contact %d has no such message (err %v)", contact, it.Err())
	return apiclient.Message{}
}

func lastStatus(m apiclient.Message) string {
	if len(m.Status) == 0 {
		return ""
	}
	return m.Status[len(m.Status)-1].Value
}

func TestShowOutgoingMessageJSON(t *testing.T) {
	srv := cmdtest.Start(t, sandbox.Options{})
	m := findMessage(t, srv, 5, func(m apiclient.Message) bool { return lastStatus(m) == "failed" })
	f, out, _ := srv.Factory(false, "json")
	if err := cmdtest.Exec(f, NewCmdShow(f, nil), "5", strconv.FormatInt(m.MessageID, 10)); err != nil {
		t.Fatal(err)
	}
	var got struct {
		Kind          string `json:"kind"`
		ID            int64  `json:"id"`
		ContactID     int64  `json:"contactId"`
		Time          string `json:"time"`
		Direction     string `json:"direction"`
		ChannelID     int64  `json:"channelId"`
		Channel       string `json:"channel"`
		Via           string `json:"via"`
		Sender        *struct{ Source string }
		Status        string `json:"status"`
		FailureReason string `json:"failureReason"`
		Statuses      []struct {
			Value string `json:"value"`
			Time  string `json:"time"`
		} `json:"statuses"`
	}
	if err := json.Unmarshal(out.Bytes(), &got); err != nil {
		t.Fatalf("%v\n%s", err, out)
	}
	if got.Kind != "message" || got.ID != m.MessageID || got.ContactID != 5 || got.Direction != "outgoing" ||
		got.ChannelID != m.ChannelID || got.Channel == "" || got.Sender == nil || got.Status != "failed" || got.FailureReason == "" {
		t.Errorf("message: %+v\n%s", got, out)
	}
	if len(got.Statuses) != len(m.Status) {
		t.Fatalf("statuses %v, API has %d", got.Statuses, len(m.Status))
	}
	for _, st := range append([]string{got.Time}, got.Statuses[0].Time) {
		if ts, err := time.Parse(time.RFC3339, st); err != nil || ts.Location() != time.UTC {
			t.Errorf("time %q is not RFC 3339 UTC", st)
		}
	}
}

func TestShowHumanPipedAndTerminal(t *testing.T) {
	srv := cmdtest.Start(t, sandbox.Options{})
	in := findMessage(t, srv, cmdtest.AishaID, func(m apiclient.Message) bool { return m.Traffic == "incoming" && m.Message.Type == "text" })
	f, out, _ := srv.Factory(false, "")
	// The contact may be given in any identifier form.
	if err := cmdtest.Exec(f, NewCmdShow(f, nil), cmdtest.AishaEmail, strconv.FormatInt(in.MessageID, 10)); err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{
		"Message:         " + strconv.FormatInt(in.MessageID, 10) + "\n",
		"Contact:         id:1\n",
		"Direction:       incoming\n",
		"Channel:         Support WhatsApp (id 31)\n",
		"Sent via:        Aisha Rahman\n",
		"Type:            text\n",
		"Body:            " + in.Message.Fields()["text"].(string) + "\n",
	} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("lacks %q:\n%s", want, out)
		}
	}
	failed := findMessage(t, srv, 5, func(m apiclient.Message) bool { return lastStatus(m) == "failed" })
	f, out, _ = srv.Factory(true, "")
	if err := cmdtest.Exec(f, NewCmdShow(f, nil), "5", strconv.FormatInt(failed.MessageID, 10)); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(out.String(), "\x1b[31m  ✗  failed") || !strings.Contains(out.String(), "Statuses:\n") {
		t.Errorf("terminal: failed status should be red:\n%q", out)
	}
}

func TestShowNotFound(t *testing.T) {
	srv := cmdtest.Start(t, sandbox.Options{})
	f, _, _ := srv.Factory(false, "")
	err := cmdtest.Exec(f, NewCmdShow(f, nil), "99999", "100001")
	if cmdutil.ExitCode(err) != cmdutil.ExitNotFound || err.Error() != "contact id:99999 not found" {
		t.Errorf("unknown contact: %v", err)
	}
	err = cmdtest.Exec(f, NewCmdShow(f, nil), "1", "999999999")
	if cmdutil.ExitCode(err) != cmdutil.ExitNotFound {
		t.Errorf("unknown message: %v (exit %d)", err, cmdutil.ExitCode(err))
	}
}

func TestShowBadInputIsUsageErrorBeforeAnyRequest(t *testing.T) {
	for _, args := range [][]string{{"1"}, {"1", "x"}, {"1", "0"}, {"1", "1.5"}, {"nope nope", "5"}, {"1", "2", "3"}} {
		f := cmdtest.NoRequestFactory(t)
		if err := cmdtest.Exec(f, NewCmdShow(f, nil), args...); cmdutil.ExitCode(err) != cmdutil.ExitUsage {
			t.Errorf("message show %q: exit %d (%v), want 2", args, cmdutil.ExitCode(err), err)
		}
	}
}
