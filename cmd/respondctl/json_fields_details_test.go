package main

import (
	"os"
	"path/filepath"
	"testing"
)

// TestJSONFieldsOfContactDetails pins the records of the contact-detail commands (docs/json.md:
// "contacts create, update, …", "templates", "fields", "tags").
func TestJSONFieldsOfContactDetails(t *testing.T) {
	c := newJSONCLI(t, false)
	result := func(extra ...string) fieldSet {
		return fieldSet{always: append([]string{"identifier", "outcome", "detail"}, extra...)}
	}
	check(t, "contacts tag", c.records("contacts", "tag", "3", "vip"), result())
	check(t, "contacts untag (bulk)", c.records("contacts", "untag", "3", "4", "vip"), result())
	check(t, "contacts tag --dry-run", c.records("contacts", "tag", "3", "4", "gold", "--dry-run"), result())
	check(t, "contacts lifecycle", c.records("contacts", "lifecycle", "3", "Customer"), result())
	check(t, "contacts update", c.records("contacts", "update", "3", "--field", "plan=Pro"), result())
	check(t, "contacts update --dry-run", c.records("contacts", "update", "3", "4", "--field", "plan=Free", "--dry-run"), result())
	check(t, "contacts create", c.records("contacts", "create", "--first-name", "Zed", "--email", "zed@example.com"), result("contactId"))
	check(t, "contacts merge", c.records("contacts", "merge", "3", "5"), result("contactId"))
	check(t, "contacts delete", c.records("contacts", "delete", "6", "--yes"), result())
	csv := filepath.Join(t.TempDir(), "crm.csv")
	if err := os.WriteFile(csv, []byte("email,firstName\nzed@example.com,Zed\nnew@example.com,New\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	check(t, "contacts upsert", c.records("contacts", "upsert", "--input", csv), result("contactId"))
	check(t, "contacts upsert --dry-run", c.records("contacts", "upsert", "--input", csv, "--dry-run"), result())

	templateFields := fieldSet{always: []string{"id", "name", "language", "category", "status", "channelId", "channel",
		"params", "headerMedia", "body", "buttons", "components"}}
	check(t, "templates list", c.records("templates", "list"), templateFields)
	check(t, "templates show", c.records("templates", "show", "order_update", "--lang", "en"), templateFields)
	fieldFields := fieldSet{always: []string{"id", "name", "slug", "dataType", "description", "allowedValues"}}
	check(t, "fields list", c.records("fields", "list"), fieldFields)
	check(t, "fields show", c.records("fields", "show", "plan"), fieldFields)
	check(t, "fields create", c.records("fields", "create", "renewal", "--type", "date"), fieldFields)
	check(t, "tags create", c.records("tags", "create", "gold"), fieldSet{always: []string{"name", "outcome", "id"}})
	check(t, "tags rename", c.records("tags", "rename", "gold", "platinum"), fieldSet{always: []string{"name", "previousName", "outcome", "id"}})
	check(t, "tags delete", c.records("tags", "delete", "platinum", "--yes"), fieldSet{always: []string{"name", "outcome"}})
}
