package templates_test

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/respondctl/respondctl/commands"
	"github.com/respondctl/respondctl/commands/cmdtest"
	"github.com/respondctl/respondctl/sandbox"
)

func TestMain(m *testing.M) { cmdtest.Main(m, commands.Execute) }

func TestTemplatesListAndShow(t *testing.T) {
	e := cmdtest.Start(t, sandbox.Options{Seed: "demo", Rate: 500})
	r := e.Run(nil, "templates", "list")
	lines := strings.Split(strings.TrimSpace(r.Stdout), "\n")
	if r.Code != 0 || len(lines) != 9 || !strings.HasPrefix(lines[0], "appointment_reminder\ten\tapproved\tutility\t3\t\tSupport WhatsApp") {
		t.Fatalf("%s", r)
	}
	r = e.Run(nil, "-o", "json", "templates", "list", "--status", "approved", "--channel", "Support WhatsApp")
	var rows []map[string]any
	if err := json.Unmarshal([]byte(r.Stdout), &rows); err != nil || len(rows) != 7 {
		t.Fatalf("%v %s", err, r)
	}
	for _, row := range rows {
		if row["status"] != "approved" {
			t.Errorf("status filter let through %v", row)
		}
	}
	r = e.Run(nil, "templates", "list", "--channel", "34")
	if r.Code != 2 || !strings.Contains(r.Stderr, "only WhatsApp channels have message templates") {
		t.Fatalf("telegram: %s", r)
	}
	r = e.Run(nil, "templates", "show", "order_update", "--lang", "ms")
	if r.Code != 0 || !strings.Contains(r.Stdout, "body:    Hai {{1}}, pesanan {{2}}") || !strings.Contains(r.Stdout, "--lang ms --param P1 --param P2 --param P3") {
		t.Fatalf("show: %s", r)
	}
	r = e.Run(nil, "templates", "show", "welcome_offer")
	if !strings.Contains(r.Stdout, "header:  [image]") || !strings.Contains(r.Stdout, "--attachment URL --attachment-type image") {
		t.Fatalf("media header: %s", r)
	}
	r = e.Run(nil, "templates", "show", "welcom_offer")
	if r.Code != 5 || !strings.Contains(r.Stderr, "did you mean welcome_offer?") {
		t.Fatalf("typo: %s", r)
	}
	r = e.Run(nil, "templates", "show", "order_update", "--lang", "de")
	if r.Code != 5 || !strings.Contains(r.Stderr, "available: en, es, ms") {
		t.Fatalf("language: %s", r)
	}
}

// Shell completion offers template names, tags, lifecycle stages and custom-field names.
func TestDynamicCompletion(t *testing.T) {
	e := cmdtest.Start(t, sandbox.Options{Seed: "demo", Rate: 500})
	for _, c := range []struct {
		args []string
		want []string
	}{
		{[]string{"templates", "show", "ord"}, []string{"order_update"}},
		{[]string{"send", "1", "--template", "w"}, []string{"welcome_offer"}},
		{[]string{"contacts", "tag", "1", "wh"}, []string{"wholesale"}},
		{[]string{"tags", "delete", "v"}, []string{"vip"}},
		{[]string{"contacts", "lifecycle", "1", "H"}, []string{"Hot Lead"}},
		{[]string{"contacts", "update", "1", "--field", "loy"}, []string{"loyalty_points="}},
		{[]string{"contacts", "update", "1", "--field", "plan="}, []string{"plan=Free", "plan=Pro", "plan=Enterprise"}},
		{[]string{"contacts", "update", "1", "--lifecycle", "C"}, []string{"Customer", "Churned"}},
		{[]string{"fields", "show", "news"}, []string{"newsletter_opt_in"}},
	} {
		r := e.Run(nil, append([]string{"__complete"}, c.args...)...)
		for _, w := range c.want {
			if !strings.Contains(r.Stdout, w+"\n") {
				t.Errorf("%v: %q not offered:\n%s", c.args, w, r.Stdout)
			}
		}
	}
}
