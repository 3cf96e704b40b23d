package httpmock

import (
	"fmt"
	"io"
	"net/http"
	"strings"
	"testing"
)

type fakeT struct{ errors []string }

func (f *fakeT) Helper() {}
func (f *fakeT) Errorf(format string, args ...any) {
	f.errors = append(f.errors, fmt.Sprintf(format, args...))
}

func TestRegistry(t *testing.T) {
	reg := &Registry{}
	var captured []byte
	reg.Register(REST("GET", "contact/email:a%40b.com?limit=2"), JSONResponse(map[string]int{"id": 1}))
	reg.Register(REST("POST", "contact/id:1/message"), CaptureBody(&captured, StatusStringResponse(502, "<html>")))
	reg.Register(REST("GET", "never/used"), StringResponse("x"))
	client := &http.Client{Transport: reg}

	resp, err := client.Get("https://api.test/v2/contact/email:a@b.com?limit=2&cursorId=3")
	if err != nil || resp.StatusCode != 200 {
		t.Fatalf("resp = %v, %v", resp, err)
	}
	body, _ := io.ReadAll(resp.Body)
	if string(body) != `{"id":1}` || resp.Header.Get("Content-Type") != "application/json" {
		t.Errorf("body = %s", body)
	}
	resp, err = client.Post("https://api.test/v2/contact/id:1/message", "application/json", strings.NewReader(`{"a":1}`))
	if err != nil || resp.StatusCode != 502 || string(captured) != `{"a":1}` {
		t.Fatalf("resp = %v, %v, captured %s", resp, err, captured)
	}
	// Each stub answers once: a second identical request is unmatched.
	if _, err := client.Post("https://api.test/v2/contact/id:1/message", "application/json", nil); err == nil {
		t.Error("stub answered twice")
	}
	// Suffix matching respects segment boundaries.
	if _, err := client.Get("https://api.test/v2/xcontact/email:a@b.com?limit=2"); err == nil {
		t.Error("matched across a segment boundary")
	}
	ft := &fakeT{}
	reg.Verify(ft)
	if len(ft.errors) != 2 || !strings.Contains(ft.errors[0], "GET never/used") || !strings.Contains(ft.errors[1], "2 request(s) matched no stub") {
		t.Errorf("Verify errors = %q", ft.errors)
	}
	if n := len(reg.Requests()); n != 4 {
		t.Errorf("recorded %d requests", n)
	}
	if n := reg.Count(REST("POST", "contact/id:1/message")); n != 2 {
		t.Errorf("Count = %d", n)
	}
}

func TestWithJSONBodyAndPayload(t *testing.T) {
	reg := &Registry{}
	defer reg.Verify(t)
	var got map[string]any
	reg.Register(WithJSONBody(REST("POST", "contact/list"), map[string]any{"search": "", "timezone": "UTC"}),
		RESTPayload(200, `{"items":[]}`, func(p map[string]any) { got = p }))
	client := &http.Client{Transport: reg}
	resp, err := client.Post("https://h/v2/contact/list", "application/json", strings.NewReader(`{ "timezone":"UTC", "search":"" }`))
	if err != nil || resp.StatusCode != 200 || got["timezone"] != "UTC" {
		t.Fatalf("resp = %v, %v, payload %v", resp, err, got)
	}
}
