package main

import (
	"encoding/json"
	"maps"
	"path/filepath"
	"slices"
	"sort"
	"strconv"
	"strings"
	"testing"
	"time"
	"unicode"

	"github.com/respondctl/respondctl/commands"
	"github.com/respondctl/respondctl/commands/cmdtest"
	"github.com/respondctl/respondctl/commands/factory"
	"github.com/respondctl/respondctl/inbox"
	"github.com/respondctl/respondctl/output"
	"github.com/respondctl/respondctl/sandbox"
	"github.com/respondctl/respondctl/sandbox/store"
)

// These tests pin the top-level fields of every command's -o json record, the contract
// documented in docs/json.md. Renaming, adding or dropping a field fails here: update
// docs/json.md in the same change.

// fieldSet is the keys a record must have (always) and may have (only when they apply).
type fieldSet struct {
	always, optional []string
}

var (
	contactRowFields = []string{"id", "name", "firstName", "lastName", "phone", "email", "status",
		"assignee", "lifecycle", "tags", "unread", "lastMessageTime"}
	channelStateFields = fieldSet{always: []string{"channelId", "name", "source", "lastMessageTime",
		"lastIncomingMessageTime", "hasWindow", "open", "templatesOnly", "closesAt", "closedAt", "description"}}
	messageFields = fieldSet{always: []string{"kind", "id", "contactId", "time", "timeSource", "direction",
		"channelId", "channel", "channelMessageId", "via", "sender", "type", "summary", "body", "status", "statuses"},
		optional: []string{"failureReason"}}
	eventFields = fieldSet{always: []string{"kind", "id", "contactId", "time", "category", "action", "by",
		"actor", "data", "text"}}
	statusChangeFields = fieldSet{always: []string{"kind", "messageId", "contactId", "from", "to", "time"},
		optional: []string{"reason"}}
	viewFields        = fieldSet{always: []string{"name", "kind", "count", "unread", "source"}, optional: []string{"error", "awaitingReply"}}
	contactShowFields = fieldSet{always: append(slices.Clone(contactRowFields), "language", "countryCode",
		"createdAt", "snoozedUntil", "customFields", "channels"), optional: []string{"channel"}}
)

// jsonCLI runs commands in-process against one sandbox with its own config and state.
type jsonCLI struct {
	t     *testing.T
	vars  map[string]string
	stdin string // for the next command only
}

func newJSONCLI(t *testing.T, coreOnly bool) *jsonCLI {
	t.Helper()
	clock := &cmdtest.SandboxClock{}
	srv := cmdtest.Start(t, sandbox.Options{CoreOnly: coreOnly, Rate: 500, Now: clock.Now})
	// A send --wait finds its message delivered (or failed) on its first poll.
	srv.AfterSend(func() { clock.Advance(store.DeliveredAfter * time.Second) })
	dir := t.TempDir()
	// Bulk journals follow the process environment, not the factory's.
	t.Setenv("XDG_STATE_HOME", filepath.Join(dir, "s"))
	return &jsonCLI{t: t, vars: map[string]string{"HOME": dir, "XDG_CONFIG_HOME": filepath.Join(dir, "c"),
		"XDG_STATE_HOME": filepath.Join(dir, "s"), "XDG_CACHE_HOME": filepath.Join(dir, "k"),
		"RESPOND_API_BASE": srv.APIBase, "RESPOND_TOKEN": srv.Token(), "NO_COLOR": "1"}}
}

// records runs args with -o json and returns its records (a single object as one record).
func (c *jsonCLI) records(args ...string) []map[string]any {
	c.t.Helper()
	return c.recordsExit(0, args...)
}

// recordsExit is records for a command expected to exit with code.
func (c *jsonCLI) recordsExit(code int, args ...string) []map[string]any {
	c.t.Helper()
	ios, in, out, errOut := output.Test()
	in.WriteString(c.stdin)
	c.stdin = ""
	f := factory.NewWithDeps("test", factory.Deps{IOStreams: ios, Env: func(k string) (string, bool) { v, ok := c.vars[k]; return v, ok }})
	if got := commands.Main(append(args, "-o", "json"), f); got != code {
		c.t.Fatalf("respondctl %s: exit %d, want %d: %s", strings.Join(args, " "), got, code, errOut)
	}
	text := strings.TrimSpace(out.String())
	if strings.HasPrefix(text, "{") {
		var rec map[string]any
		if err := json.Unmarshal([]byte(text), &rec); err != nil {
			c.t.Fatalf("respondctl %s: %v: %s", strings.Join(args, " "), err, text)
		}
		return []map[string]any{rec}
	}
	var recs []map[string]any
	if err := json.Unmarshal([]byte(text), &recs); err != nil {
		c.t.Fatalf("respondctl %s: not a JSON list of objects: %v: %s", strings.Join(args, " "), err, text)
	}
	return recs
}

// check asserts every record has exactly the pinned fields, camelCase, with RFC 3339 UTC
// times, and that lists are never null.
func check(t *testing.T, what string, recs []map[string]any, want fieldSet) {
	t.Helper()
	if len(recs) == 0 {
		t.Errorf("%s: no records to check", what)
	}
	for i, rec := range recs {
		var missing, extra []string
		for _, k := range want.always {
			if _, ok := rec[k]; !ok {
				missing = append(missing, k)
			}
		}
		for k, v := range rec {
			if !slices.Contains(want.always, k) && !slices.Contains(want.optional, k) {
				extra = append(extra, k)
			}
			if !isCamelCase(k) {
				t.Errorf("%s[%d]: field %q is not camelCase", what, i, k)
			}
			if s, ok := v.(string); ok && (strings.HasSuffix(k, "Time") || strings.HasSuffix(k, "At") || k == "time" || strings.HasSuffix(k, "Until")) {
				if tm, err := time.Parse(time.RFC3339, s); err != nil || tm.Location() != time.UTC {
					t.Errorf("%s[%d]: %s = %q is not an RFC 3339 UTC time", what, i, k, s)
				}
			}
		}
		sort.Strings(extra)
		if len(missing) > 0 || len(extra) > 0 {
			t.Errorf("%s[%d]: missing fields %v, unexpected fields %v (update docs/json.md with the change)", what, i, missing, extra)
			return
		}
	}
}

func isCamelCase(k string) bool {
	if k == "" || !unicode.IsLower(rune(k[0])) {
		return false
	}
	return !strings.ContainsAny(k, "_- ")
}

func byKind(t *testing.T, recs []map[string]any) map[string][]map[string]any {
	t.Helper()
	out := map[string][]map[string]any{}
	for _, r := range recs {
		k, _ := r["kind"].(string)
		out[k] = append(out[k], r)
	}
	return out
}

func nested(t *testing.T, rec map[string]any, key string) []map[string]any {
	t.Helper()
	list, ok := rec[key].([]any)
	if !ok {
		t.Fatalf("%s is %T, want a list", key, rec[key])
	}
	out := make([]map[string]any, 0, len(list))
	for _, v := range list {
		m, _ := v.(map[string]any)
		out = append(out, m)
	}
	return out
}

func TestJSONFieldsOfReadCommands(t *testing.T) {
	c := newJSONCLI(t, false)

	// Without `me`, the Mine view is not counted: its count and unread are null, with an
	// error; that alone is no failure (exit 0).
	views := c.recordsExit(0, "views")
	check(t, "views", views, viewFields)
	for _, v := range views {
		if v["name"] == "Mine" && (v["error"] == nil || v["count"] != nil || v["unread"] != nil) {
			t.Errorf("failed view Mine: %v, want count and unread null and an error", v)
		}
	}
	c.records("config", "set", "me", "lee@example.com")

	rows := c.records("contacts", "list", "--mine", "-L", "5")
	check(t, "contacts list", rows, fieldSet{always: contactRowFields})
	check(t, "contacts search", c.records("contacts", "search", "tan", "-L", "3"), fieldSet{always: contactRowFields})
	closing := c.records("contacts", "list", "--window-closing-within", "24h", "-L", "2")
	check(t, "contacts list --window-closing-within", closing,
		fieldSet{always: append(slices.Clone(contactRowFields), "channel", "channels")})
	check(t, "contacts list --window-closing-within .channels", nested(t, closing[0], "channels"), channelStateFields)

	id := strconv.FormatInt(int64(rows[0]["id"].(float64)), 10)
	show := c.records("contacts", "show", id)
	check(t, "contacts show", show, contactShowFields)
	check(t, "contacts show .channels", nested(t, show[0], "channels"), channelStateFields)

	kinds := byKind(t, c.records("conversation", "show", id, "--all"))
	check(t, "conversation show (messages)", kinds["message"], messageFields)
	check(t, "conversation show (events)", kinds["event"], eventFields)
	if len(kinds) != 2 {
		t.Errorf("conversation show kinds: %v, want message and event", slices.Collect(maps.Keys(kinds)))
	}
	msgID := strconv.FormatInt(int64(kinds["message"][0]["id"].(float64)), 10)
	check(t, "message show", c.records("message", "show", id, msgID), messageFields)

	check(t, "users list", c.records("users", "list"),
		fieldSet{always: []string{"id", "firstName", "lastName", "email", "role", "team", "restrictions"}})
	check(t, "channels list", c.records("channels", "list"), fieldSet{always: []string{"id", "name", "source", "createdAt"}})
	check(t, "closing-notes list", c.records("closing-notes", "list"), fieldSet{always: []string{"category", "description"}})

	auth := c.records("auth", "status")
	if auth[0]["tokenSource"] != "env" || auth[0]["baseUrlSource"] != "env" {
		t.Errorf("auth status sources: token %v, base URL %v, want env for both", auth[0]["tokenSource"], auth[0]["baseUrlSource"])
	}
	check(t, "auth status", auth, fieldSet{always: []string{"profile", "sandbox", "baseUrl",
		"baseUrlSource", "token", "tokenSource", "authenticated", "me", "extensions"}, optional: []string{"meError", "error"}})
	check(t, "config list", c.records("config", "list"), fieldSet{always: []string{"key", "value"}, optional: []string{"profile"}})
	check(t, "config get", c.records("config", "get", "me"), fieldSet{always: []string{"profile", "key", "value"}})
	check(t, "version", c.records("version"), fieldSet{always: []string{"version", "goVersion"}, optional: []string{"commit", "modified"}})

	token := c.vars["RESPOND_TOKEN"]
	c.vars["RESPOND_TOKEN"], c.stdin = "", token
	check(t, "auth login", c.records("auth", "login", "--with-token", "--user", "lee@example.com"),
		fieldSet{always: []string{"profile", "baseUrl", "token", "me", "config"}})
	check(t, "auth logout", c.records("auth", "logout"), fieldSet{always: []string{"profile", "removed"}})
}

// TestJSONFieldsOfStatusChange pins the --follow status-change record, which needs a
// message to change status while following: built here from the type the command prints.
func TestJSONFieldsOfStatusChange(t *testing.T) {
	b, err := json.Marshal(inbox.HistoryItem{Kind: inbox.KindStatus, StatusChange: &inbox.StatusChange{
		MessageID: 1, ContactID: 2, From: "sent", To: "delivered", Time: time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)}})
	if err != nil {
		t.Fatal(err)
	}
	var rec map[string]any
	if err := json.Unmarshal(b, &rec); err != nil {
		t.Fatal(err)
	}
	check(t, "conversation show --follow (status)", []map[string]any{rec}, statusChangeFields)
}

func TestJSONFieldsOfMutations(t *testing.T) {
	c := newJSONCLI(t, false)
	c.records("config", "set", "me", "lee@example.com")
	only := func(extra ...string) fieldSet {
		return fieldSet{always: append([]string{"identifier", "outcome", "detail"}, extra...)}
	}
	// Single and bulk, real and --dry-run: the same record.
	check(t, "send", c.records("send", "1", "--text", "hi", "--force"), only("messageId", "channelId"))
	check(t, "send (bulk)", c.records("send", "1", "2", "--text", "hi", "--force"), only("messageId", "channelId"))
	// A dry run carries the message it would send.
	check(t, "send --dry-run", c.records("send", "1", "2", "--text", "hi", "--force", "--dry-run"), only("text"))
	check(t, "assign", c.records("assign", "1", "--to", "nadia@example.com"), only("assigneeId"))
	check(t, "assign (bulk)", c.records("assign", "1", "2", "--to", "me"), only("assigneeId"))
	// A dry run carries the assignee a real assignment would report.
	check(t, "assign --dry-run", c.records("assign", "1", "2", "--to", "nadia@example.com", "--dry-run"), only("assigneeId"))
	// --wait adds the delivery status the wait ended on (failureReason when it failed).
	check(t, "send --wait", c.records("send", "1", "--text", "hi", "--force", "--wait", "delivered", "--wait-timeout", "20s"),
		fieldSet{always: []string{"identifier", "outcome", "detail", "messageId", "channelId", "status"}, optional: []string{"failureReason"}})
	// snooze carries the end of the snooze; the dry run asks for another time than the bulk
	// run before it, or the same second would make it "already snoozed".
	check(t, "snooze", c.records("snooze", "3", "--until", "2h"), only("snoozedUntil"))
	check(t, "snooze (bulk)", c.records("snooze", "4", "5", "--until", "3h"), only("snoozedUntil"))
	check(t, "snooze --dry-run", c.records("snooze", "4", "5", "--until", "4h", "--dry-run"), only("snoozedUntil"))
	for _, verb := range [][]string{{"unassign"}, {"done", "--category", "Resolved"}, {"reopen"}, {"pending"},
		{"unsnooze"}, {"comment", "--text", "note"}} {
		check(t, verb[0], c.records(append([]string{verb[0], "3"}, verb[1:]...)...), only())
		check(t, verb[0]+" (bulk)", c.records(append([]string{verb[0], "4", "5"}, verb[1:]...)...), only())
		check(t, verb[0]+" --dry-run", c.records(append([]string{verb[0], "4", "5", "--dry-run"}, verb[1:]...)...), only())
	}
}

// TestJSONFieldsOnCoreServer: a core-only server gives the same fields, with nulls where the
// extensions would have answered.
func TestJSONFieldsOnCoreServer(t *testing.T) {
	c := newJSONCLI(t, true)
	c.records("config", "set", "me", "lee@example.com")
	views := c.records("views")
	check(t, "views (core)", views, viewFields)
	for _, v := range views {
		if v["unread"] != nil {
			t.Errorf("core views: unread %v, want null", v["unread"])
		}
	}
	rows := c.records("contacts", "list", "-L", "3")
	check(t, "contacts list (core)", rows, fieldSet{always: contactRowFields})
	for _, r := range rows {
		if r["unread"] != nil || r["lastMessageTime"] != nil {
			t.Errorf("core contact %v: unread and lastMessageTime want null", r["id"])
		}
	}
	check(t, "contacts show (core)", c.records("contacts", "show", "1"), contactShowFields)
	kinds := byKind(t, c.records("conversation", "show", "1"))
	check(t, "conversation show (core)", kinds["message"], messageFields)
	if len(kinds["event"]) > 0 {
		t.Errorf("core conversation show printed %d events", len(kinds["event"]))
	}
}
