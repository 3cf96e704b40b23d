package conversation

import (
	"bytes"
	"strings"
	"testing"
	"time"
	_ "time/tzdata"

	"github.com/respondctl/respondctl/apiclient"
	"github.com/respondctl/respondctl/inbox"
	"github.com/respondctl/respondctl/output"
)

// A conversation spanning a daylight-saving change shows each time with its own offset: the
// header names the offset of the first item (not today's), and a line marks the change.
func TestConversationAcrossDaylightSaving(t *testing.T) {
	berlin, err := time.LoadLocation("Europe/Berlin")
	if err != nil {
		t.Fatal(err)
	}
	summer := time.Date(2026, 7, 1, 12, 0, 0, 0, time.UTC)
	opts := &ShowOptions{Now: func() time.Time { return summer }}
	layout := humanLayout(opts, &apiclient.Contact{ID: 7, FirstName: "Rosa"})
	tf := output.TimeFormatter{Loc: berlin, Now: opts.Now}
	var out bytes.Buffer
	for _, at := range []time.Time{
		time.Date(2026, 3, 28, 9, 0, 0, 0, time.UTC), // 10:00 CET
		time.Date(2026, 3, 29, 9, 0, 0, 0, time.UTC), // 11:00 CEST
	} {
		item := inbox.HistoryItem{Kind: "event", Event: &inbox.EventItem{Timestamp: at, Text: "assigned to Lee Wong"}}
		if err := layout(&out, item, output.NewColorScheme(false), tf); err != nil {
			t.Fatal(err)
		}
	}
	got := out.String()
	for _, want := range []string{
		"times in Europe/Berlin (UTC+01:00)\n",
		"2026-03-28 10:00  · assigned",
		"the clocks changed: times from here are in UTC+02:00 (CEST)\n",
		"2026-03-29 11:00  · assigned",
	} {
		if !strings.Contains(got, want) {
			t.Errorf("missing %q in\n%s", want, got)
		}
	}
}
