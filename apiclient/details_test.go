package apiclient

import (
	"context"
	"encoding/json"
	"testing"

	"github.com/respondctl/respondctl/apiclient/httpmock"
)

func TestDetailEndpointsMethodPathBody(t *testing.T) {
	ctx := context.Background()
	reg := &httpmock.Registry{}
	defer reg.Verify(t)
	c, _ := newMockClient(t, reg)
	ok := httpmock.StringResponse(`{"contactId":5}`)
	s := func(v string) *string { return &v }

	reg.Register(httpmock.WithJSONBody(httpmock.REST("POST", "contact/email:zed@example.com"),
		map[string]any{"firstName": "Zed", "lastName": nil, "custom_fields": []any{map[string]any{"name": "plan", "value": "Pro"}}}),
		httpmock.StringResponse(`{"code":"200","message":"Contact added successfully!"}`))
	if err := c.CreateContact(ctx, "zed@example.com", ContactWrite{FirstName: "Zed", Attrs: map[string]*string{"lastName": nil},
		CustomFields: []CustomField{{Name: "plan", Value: "Pro"}}}); err != nil {
		t.Fatal(err)
	}
	reg.Register(httpmock.WithJSONBody(httpmock.REST("PUT", "contact/id:5"), map[string]any{"email": "a@b.co"}), ok)
	if err := c.UpdateContact(ctx, "5", ContactWrite{Attrs: map[string]*string{"email": s("a@b.co")}}); err != nil {
		t.Fatal(err)
	}
	reg.Register(httpmock.REST("DELETE", "contact/id:5"), ok)
	if err := c.DeleteContact(ctx, "5"); err != nil {
		t.Fatal(err)
	}
	reg.Register(httpmock.WithJSONBody(httpmock.REST("POST", "contact/create_or_update/phone:+60123456789"), map[string]any{"firstName": "A"}),
		httpmock.StringResponse(`{"contactId":"77"}`))
	if id, err := c.CreateOrUpdateContact(ctx, "+60123456789", ContactWrite{FirstName: "A"}); err != nil || id != 77 {
		t.Fatalf("CreateOrUpdateContact = %d, %v", id, err)
	}
	reg.Register(httpmock.WithJSONBody(httpmock.REST("POST", "contact/merge"), map[string]any{"contactIds": []any{1, 2}}), httpmock.StringResponse(`{"contactId":1}`))
	if id, err := c.MergeContacts(ctx, 1, 2, ContactWrite{}); err != nil || id != 1 {
		t.Fatalf("MergeContacts = %d, %v", id, err)
	}
	reg.Register(httpmock.WithJSONBody(httpmock.REST("POST", "contact/id:5/tag"), []any{"vip", "b2b"}), ok)
	if err := c.AddTags(ctx, "5", []string{"vip", "b2b"}); err != nil {
		t.Fatal(err)
	}
	reg.Register(httpmock.WithJSONBody(httpmock.REST("DELETE", "contact/id:5/tag"), []any{"vip"}), ok)
	if err := c.RemoveTags(ctx, "5", []string{"vip"}); err != nil {
		t.Fatal(err)
	}
	if err := c.AddTags(ctx, "5", make([]string, 11)); err == nil {
		t.Fatal("11 tags accepted")
	}
	reg.Register(httpmock.WithJSONBody(httpmock.REST("POST", "contact/id:5/lifecycle/update"), map[string]any{"name": nil}),
		httpmock.StringResponse(`{"code":200,"message":"ok"}`))
	if err := c.SetLifecycle(ctx, "5", nil); err != nil {
		t.Fatal(err)
	}
	reg.Register(httpmock.REST("GET", "space/custom_field?limit=100"), httpmock.StringResponse(
		`{"items":[{"id":5,"name":"plan","slug":"plan","dataType":"list","allowedValues":{"listValues":["Free","Pro"]}},`+
			`{"id":6,"name":"n","slug":"n","dataType":"number","allowedValues":null}],"pagination":{"next":""}}`))
	p, err := c.ListCustomFields(ctx, PageOptions{Limit: 100})
	if err != nil || len(p.Items) != 2 || len(p.Items[0].AllowedValues) != 2 || p.Items[1].AllowedValues != nil {
		t.Fatalf("ListCustomFields = %+v, %v", p, err)
	}
	reg.Register(httpmock.WithJSONBody(httpmock.REST("DELETE", "space/tag"), map[string]any{"name": "vip"}), httpmock.StringResponse(`{"code":200}`))
	if err := c.DeleteTag(ctx, "vip"); err != nil {
		t.Fatal(err)
	}
	reg.Register(httpmock.WithJSONBody(httpmock.REST("PUT", "space/tag"), map[string]any{"currentName": "vip", "name": "gold"}),
		httpmock.StringResponse(`{"id":1,"name":"gold"}`))
	if tg, err := c.UpdateTag(ctx, TagRequest{CurrentName: "vip", Name: "gold"}); err != nil || tg.Name != "gold" {
		t.Fatalf("UpdateTag = %+v, %v", tg, err)
	}
	// Templates: components as an array, or as a JSON string (the n8n node's mtm shape).
	reg.Register(httpmock.REST("GET", "space/channel/31/template?limit=10"), httpmock.StringResponse(
		`{"items":[{"id":"501","name":"order_update","languageCode":"en","status":"APPROVED","components":[{"type":"HEADER","format":"IMAGE"},{"type":"BODY","text":"Hi {{1}}, order {{2}} on {{ 3 }}"}],"channelId":31}],"pagination":{"next":""}}`))
	tp, err := c.ListTemplates(ctx, 31, PageOptions{Limit: 10})
	if err != nil || len(tp.Items) != 1 || tp.Items[0].ID != 501 || tp.Items[0].Components.BodyParams() != 3 || tp.Items[0].Components.HeaderMedia() != "IMAGE" || !tp.Items[0].Approved() {
		t.Fatalf("ListTemplates = %+v, %v", tp, err)
	}
	comps, _ := json.Marshal(`[{"type":"BODY","text":"Hello {{1}}"}]`)
	reg.Register(httpmock.REST("GET", "space/mtm/504"), httpmock.StringResponse(`{"status":"success","data":{"id":504,"name":"w","components":`+string(comps)+`}}`))
	if tm, err := c.GetTemplate(ctx, 504); err != nil || tm.Components.BodyParams() != 1 {
		t.Fatalf("GetTemplate = %+v, %v", tm, err)
	}
}

func TestDetailEndpointKeys(t *testing.T) {
	for path, want := range map[string]string{
		"/contact/create_or_update/email:a@b.co": "POST /contact/create_or_update/{identifier}",
		"/contact/merge":                         "POST /contact/merge",
		"/contact/id:5/tag":                      "POST /contact/{identifier}/tag",
		"/space/channel/31/template":             "POST /space/channel/{id}/template",
	} {
		if got := endpointKey("POST", path); got != want {
			t.Errorf("%s: %s, want %s", path, got, want)
		}
	}
}
