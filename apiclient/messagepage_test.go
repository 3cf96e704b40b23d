package apiclient

import (
	"encoding/json"
	"reflect"
	"strings"
	"testing"

	"github.com/valyala/fastjson"
)

// referenceMessagePage is what a message page decodes to through encoding/json (doPage).
func referenceMessagePage(body []byte) (*Page[Message], error) {
	var v plainPage[Message]
	if err := json.Unmarshal(body, &v); err != nil {
		return nil, err
	}
	p := (*Page[Message])(&v)
	if p.Items == nil {
		p.Items = []Message{}
	}
	return p, nil
}

// messagePageSeeds: ordinary pages, every body type, and hostile ones (controls, bidi,
// invalid UTF-8, surrogates, odd numbers, ids typed otherwise, keys in other cases,
// duplicates, nulls, trailing bytes).
var messagePageSeeds = []string{
	`{"items":[{"messageId":200000,"channelMessageId":"wamid.HBgL0D40","contactId":1,"channelId":31,"traffic":"incoming","message":{"text":"ok","type":"text"},"timestamp":1796090049}],"pagination":{"next":"http://127.0.0.1:1/v2/contact/id:1/message/list?cursorId=199901&limit=100","previous":""}}`,
	`{"items":[{"messageId":7,"contactId":1,"channelId":3,"traffic":"outgoing","message":{"type":"whatsapp_template","template":{"name":"order_update","languageCode":"en","components":[{"type":"body","parameters":[{"type":"text","text":"#A-1"}]}]}},"sender":{"source":"user","userId":4},"status":[{"value":"sent","timestamp":1},{"value":"failed","timestamp":2,"message":"window closed"}]}],"pagination":{"next":null}}`,
	`{"items":[{"messageId":8,"contactId":1,"channelId":3,"traffic":"outgoing","message":{"type":"location","latitude":3.1390,"longitude":101.6869,"n":1e21,"m":1e-7,"big":123456789012345678901234567890,"neg":-0,"tiny":5e-324,"f":0.1,"x":1.7976931348623157e308},"sender":{"source":"workflow","workflowId":9},"status":[]}]}`,
	`{"items":[{"messageId":9,"contactId":1,"channelId":3,"traffic":"incoming","message":{"type":"text","text":"a\u0085b\u202ec\u007f\u001b[2J\u2028<b>&amp;</b>\"\\\/\t\u00e9\u4e2d"}}]}`,
	"{\"items\":[{\"messageId\":10,\"contactId\":1,\"traffic\":\"incoming\",\"message\":{\"type\":\"text\",\"text\":\"raw \u0085\u202e\u2066\x7f é 😀 \u200f\"}}]}",
	"{\"items\":[{\"messageId\":11,\"message\":{\"type\":\"text\",\"text\":\"bad \xff\xfe utf8\"}}]}",
	`{"items":[{"messageId":12,"message":{"type":"text","text":"pair \ud83d\ude00 lone \ud800 end"}}]}`,
	`{"items":[{"messageId":13,"message":{"type":"text","text":"upper \uD83D\uDE00"}}]}`,
	`{"items":[{"messageId":"14","channelMessageId":456,"contactId":"1","channelId":"3","traffic":"incoming","message":{"type":"text","text":"ids as strings"}}]}`,
	`{"items":[{"messageId":15.0,"contactId":1e0,"message":{"type":"text"}}]}`,
	`{"items":[{"messageId":1.5,"message":{"type":"text"}}]}`,
	`{"items":[{"messageId":99999999999999999999,"message":{"type":"text"}}]}`,
	`{"items":[{"MessageID":16,"CONTACTID":2,"Traffic":"incoming","Message":{"type":"text","Type":"x"}}]}`,
	`{"items":[{"messageId":17,"messageId":18,"message":{"type":"text","type":"card","text":"a","text":"b"}}]}`,
	`{"items":[{"messageId":19,"message":null,"sender":null,"status":null,"timestamp":null,"channelMessageId":null}]}`,
	`{"items":[{"messageId":20,"message":{"type":5}}]}`,
	`{"items":[{"messageId":21,"message":{"text":"no type"}}]}`,
	`{"items":[{"messageId":22,"message":"text"}]}`,
	`{"items":[{"messageId":23,"message":[1,2]}]}`,
	`{"items":[{"messageId":24,"message":{"type":"card","nested":{"a":[{"b":null,"c":true,"d":false}],"e":{}},"arr":[]}}]}`,
	`{"items":[{"messageId":25,"sender":{"source":"user","userId":"4"},"message":{"type":"text"}}]}`,
	`{"items":[{"messageId":26,"timestamp":"1796090049","message":{"type":"text"}}]}`,
	`{"items":[{"messageId":27,"status":[{"value":"sent","timestamp":"1"}],"message":{"type":"text"}}]}`,
	` { "items" : [ { "messageId" : 28 , "message" : { "type" : "text" , "text" : "spaced" } } ] , "pagination" : { "next" : "" } } `,
	"\r\n\t {\"items\":[{\"messageId\":46,\"message\":{\"type\":\"text\"}}]}\n\n",
	"\u00a0{\"items\":[{\"messageId\":47,\"message\":{\"type\":\"text\"}}]}\u0085",
	`{"items":[{"messageId":29,"message":{"type":"text"}}]} trailing`,
	`{"items":[{"messageId":30,"message":{"type":"text"}}],}`,
	`{"items":[{"messageId":31,"message":{"type":"text"}}]`,
	`{"items":null,"pagination":null}`,
	`{}`,
	`[]`,
	`null`,
	``,
	`{"items":[{"messageId":32,"extra":{"deep":[1,{"x":"y"}]},"message":{"type":"text","text":"unknown fields"}}]}`,
	`{"items":[{"messageId":33,"message":{"type":"text","text":"\u0000nul"}}]}`,
	`{"items":[{"messageId":34,"message":{"type":"text","n":01}}]}`,
	`{"items":[{"messageId":35,"message":{"type":"text","n":1.}}]}`,
	`{"items":[{"messageId":36,"message":{"type":"text","n":-}}]}`,
	`{"items":[{"messageId":37,"message":{"type":"text","s":"tab	inside"}}]}`,
	`{"items":[{"messageId":38,"message":{"type":"text","s":"\x"}}]}`,
	`{"items":[{"messageId":39,"message":{"type":"text"}},{"messageId":40,"message":{"type":"text","text":"second"}}],"pagination":{"next":"n","previous":"p","other":1}}`,
	`{"items":[{"messageId":-41,"contactId":-9223372036854775808,"channelId":9223372036854775807,"message":{"type":"text"}}]}`,
	`{"items":[{"messageId":42,"message":{"type":"text","n":1e400}}]}`,
	`{"items":[{"messageId":43,"sender":{},"message":{"type":"text"},"status":[{}]}]}`,
	`{"items":[{"messageId":44,"message":{"type":"text"},"traffic":true}]}`,
	`{"items":[{"messageId":45,"message":{"type":null}}]}`,
	`{"items":[{"ContACtId":9227000000000000000}]}`,
	`{"items":[{"messageId":9223372036854775807,"contactId":-9223372036854775808,"timestamp":922337203685477580,"message":{"type":"text"}}]}`,
	`{"items":[{"messageId":1e30,"message":{"type":"text"}}]}`,
	`{"items":[{"messageId":1,"timestamp":1e3,"status":[{"value":"sent","timestamp":2.0}],"message":{"type":"text"}}]}`,
}

// checkMessagePageFast: whenever the fast decoder takes a page, it yields exactly what the
// encoding/json path yields (every field, the body's raw bytes and its map).
func checkMessagePageFast(t *testing.T, body []byte) {
	t.Helper()
	got, ok := decodeMessagePageFast(body)
	if !ok {
		return
	}
	want, err := referenceMessagePage(body)
	if err != nil {
		t.Fatalf("fast decode took %q, the reference path fails: %v", body, err)
	}
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("fast decode of %q:\n got %#v\nwant %#v", body, got, want)
	}
	for i := range got.Items {
		if !reflect.DeepEqual(got.Items[i].Message.Fields(), want.Items[i].Message.Fields()) {
			t.Fatalf("fields of item %d differ", i)
		}
	}
}

func TestMessagePageFastMatchesEncodingJSON(t *testing.T) {
	fast := 0
	for _, s := range messagePageSeeds {
		checkMessagePageFast(t, []byte(s))
		if _, ok := decodeMessagePageFast([]byte(s)); ok {
			fast++
		}
	}
	// The ordinary pages do take the fast path (the test is not vacuous).
	for _, i := range []int{0, 1, 3} { // [2] has 30-digit numbers: the reference path's
		s := messagePageSeeds[i] + "\n" // as encoders (the sandbox's too) end an answer
		if _, ok := decodeMessagePageFast([]byte(s)); !ok {
			t.Errorf("ordinary page not decoded by the fast path: %.80s", s)
		}
	}
	t.Logf("%d of %d pages decoded by the fast path", fast, len(messagePageSeeds))
}

// The body's Raw is a copy: changing the answer's bytes afterwards does not change it.
func TestMessagePageFastCopiesRaw(t *testing.T) {
	body := []byte(messagePageSeeds[0])
	p, ok := decodeMessagePageFast(body)
	if !ok {
		t.Fatal("not decoded")
	}
	raw := string(p.Items[0].Message.Raw)
	for i := range body {
		body[i] = ' '
	}
	if string(p.Items[0].Message.Raw) != raw || !strings.Contains(raw, `"ok"`) {
		t.Fatalf("Raw changed with the answer: %q", p.Items[0].Message.Raw)
	}
}

func FuzzMessagePageFast(f *testing.F) {
	for _, s := range messagePageSeeds {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, body []byte) {
		checkMessagePageFast(t, body)
	})
}

var syntaxSeeds = []string{`0`, `-0`, `01`, `-01`, `00`, `1.`, `.5`, `-.5`, `+1`, `-`, `1e`, `1e+`, `1E5`, `1e-5`, `1.5e`, `1e5.5`, `0.0e0`,
	`NaN`, `Infinity`, `-Infinity`, `true`, `tru`, `truee`, `tRue`, `FALSE`, `null`, `nul`, `nulls`,
	`"a"`, `'a'`, `"\x"`, `"\u12"`, `"\u12G4"`, `"\u0041"`, `"\/"`, "\"\t\"", "\"\x00\"", "\"\x1f\"", "\"\x7f\"", "\"\xff\"",
	`"\ud800"`, `"\u00e9\uD834\uDD1E"`, `[]`, `[1,]`, `[,1]`, `[1 2]`, `[01]`, `[1]]`, `{}`, `{,}`, `{"a"}`, `{"a":1,}`, `{"a" 1}`,
	`{a:1}`, `{"a":1 "b":2}`, `{"a":1}{}`, `{"a":1}}`, `/*c*/1`, `1 // c`, "\u00a01", "\ufeff1", " \t\r\n1 \t\r\n", "\v1", "\f1",
	`[[[[[[]]]]]]`, `{"a":[{"b":{}}]}`, ``, ` `, `"`, `"abc`, `[`, `{`, `{"a":`}

// The syntax check in front of goccy says what encoding/json's json.Valid says, for whole
// answers and for values inside a message (those the fast path takes: see
// needsReferencePath).
func TestMessagePageSyntaxCheckMatchesEncodingJSON(t *testing.T) {
	for _, v := range append(syntaxSeeds, messagePageSeeds...) {
		for _, s := range []string{v, `{"items":[{"messageId":1,"x":` + v + `,"message":{"type":"text"}}]}`} {
			if needsReferencePath([]byte(s)) {
				continue
			}
			if got, want := fastjson.ValidateBytes([]byte(s)) == nil, json.Valid([]byte(s)); got != want {
				t.Errorf("%q: syntax check says %v, encoding/json %v", s, got, want)
			}
		}
	}
}

func FuzzMessagePageSyntaxCheck(f *testing.F) {
	for _, s := range syntaxSeeds {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		if needsReferencePath(b) {
			return // the fast path does not take these (see needsReferencePath)
		}
		if got, want := fastjson.ValidateBytes(b) == nil, json.Valid(b); got != want {
			t.Fatalf("%q: syntax check says %v, encoding/json %v", b, got, want)
		}
	})
}
