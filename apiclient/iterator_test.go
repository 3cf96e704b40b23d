package apiclient

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/respondctl/respondctl/apiclient/httpmock"
)

func contactsPage(ids []int, next string) string {
	items := make([]string, len(ids))
	for i, id := range ids {
		items[i] = fmt.Sprintf(`{"id":%d,"firstName":"C%d"}`, id, id)
	}
	return fmt.Sprintf(`{"items":[%s],"pagination":{"next":%s,"previous":""}}`, strings.Join(items, ","), next)
}

func TestIteratorStreamsPages(t *testing.T) {
	reg := &httpmock.Registry{}
	defer reg.Verify(t)
	c, _ := newMockClient(t, reg)
	// The next URLs point at another host and prefix: only their cursorId counts.
	reg.Register(httpmock.REST("POST", "contact/list?limit=2"), httpmock.StringResponse(contactsPage([]int{1, 2}, `"https://cdn.other.example/api/v9/contact/list?limit=2&cursorId=2"`)))
	reg.Register(httpmock.REST("POST", "contact/list?limit=2&cursorId=2"), httpmock.StringResponse(contactsPage([]int{3, 4}, `"https://x.example/p?cursorId=4"`)))
	reg.Register(httpmock.REST("POST", "contact/list?limit=2&cursorId=4"), httpmock.StringResponse(contactsPage([]int{5}, `null`)))
	it := c.IterateContacts(ContactListRequest{Search: "c"}, 2)
	ctx := context.Background()
	var got []int64
	for it.Next(ctx) {
		got = append(got, it.Item().ID)
		// Lazy: a page is fetched only when the previous one is used up.
		if want := (len(got)+1)/2 + 0; it.PagesFetched() != want {
			t.Fatalf("after %d items, %d pages fetched, want %d", len(got), it.PagesFetched(), want)
		}
	}
	if err := it.Err(); err != nil {
		t.Fatal(err)
	}
	if fmt.Sprint(got) != "[1 2 3 4 5]" || it.PagesFetched() != 3 {
		t.Errorf("items %v, pages %d", got, it.PagesFetched())
	}
	if it.Next(ctx) {
		t.Error("Next after the end")
	}
}

func TestIteratorEndsOnEmptyOrAbsentNext(t *testing.T) {
	for _, next := range []string{`""`, `null`} {
		reg := &httpmock.Registry{}
		c, _ := newMockClient(t, reg)
		reg.Register(httpmock.REST("GET", "space/user"), httpmock.StringResponse(`{"items":[{"id":1}],"pagination":{"next":`+next+`}}`))
		it := c.IterateUsers(0)
		n := 0
		for it.Next(context.Background()) {
			n++
		}
		if n != 1 || it.Err() != nil || it.PagesFetched() != 1 {
			t.Errorf("next %s: n=%d err=%v pages=%d", next, n, it.Err(), it.PagesFetched())
		}
		reg.Verify(t)
	}
	// An empty list.
	reg := &httpmock.Registry{}
	defer reg.Verify(t)
	c, _ := newMockClient(t, reg)
	reg.Register(httpmock.REST("GET", "space/channel?limit=100"), httpmock.StringResponse(`{"items":[]}`))
	it := c.IterateChannels(0)
	if it.Next(context.Background()) || it.Err() != nil {
		t.Errorf("empty list: err %v", it.Err())
	}
}

func TestIteratorErrors(t *testing.T) {
	reg := &httpmock.Registry{}
	defer reg.Verify(t)
	c, _ := newMockClient(t, reg)
	reg.Register(httpmock.REST("GET", "contact/id:1/message/list"), httpmock.StringResponse(`{"items":[{"messageId":9,"message":{"type":"text","text":"a"}}],"pagination":{"next":"https://h/x?cursorId=9"}}`))
	reg.Register(httpmock.REST("GET", "contact/id:1/message/list?cursorId=9"), httpmock.APIErrorResponse(404, "gone"))
	registerGoodBase(reg)
	it := c.IterateMessages("1", 0, 10)
	n := 0
	for it.Next(context.Background()) {
		n++
	}
	if n != 1 || !IsNotFound(it.Err()) {
		t.Errorf("n=%d err=%v", n, it.Err())
	}

	// A server repeating a cursor would loop forever: stop with an error.
	reg2 := &httpmock.Registry{}
	defer reg2.Verify(t)
	c2, _ := newMockClient(t, reg2)
	page := `{"items":[{"id":1}],"pagination":{"next":"https://h/x?cursorId=3"}}`
	reg2.Register(httpmock.REST("GET", "contact/id:1/conversation/event/list"), httpmock.StringResponse(page))
	reg2.Register(httpmock.REST("GET", "contact/id:1/conversation/event/list?cursorId=3"), httpmock.StringResponse(page))
	it2 := c2.IterateEvents("1", 0)
	for it2.Next(context.Background()) {
	}
	var pe *PaginationError
	if !errors.As(it2.Err(), &pe) || !strings.Contains(it2.Err().Error(), "already listed") {
		t.Errorf("err = %v", it2.Err())
	}
}

func TestOtherIterators(t *testing.T) {
	reg := &httpmock.Registry{}
	defer reg.Verify(t)
	c, _ := newMockClient(t, reg)
	reg.Register(httpmock.REST("GET", "space/closing_notes?limit=5"), httpmock.StringResponse(`{"items":[{"category":"A"}]}`))
	reg.Register(httpmock.REST("GET", "contact/id:1/channels?limit=100"), httpmock.StringResponse(`{"items":[{"id":31}]}`))
	ctx := context.Background()
	notes := c.IterateClosingNotes(5)
	if !notes.Next(ctx) || notes.Item().Category != "A" || notes.Next(ctx) {
		t.Error("closing notes")
	}
	chans := c.IterateContactChannels("1", 0)
	if !chans.Next(ctx) || chans.Item().ID != 31 || chans.Next(ctx) {
		t.Error("contact channels")
	}
}
