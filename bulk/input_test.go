package bulk

import (
	"errors"
	"fmt"
	"strings"
	"testing"
)

// testNormalize mimics the API client's parser: id:N, email:x, phone:+N and
// their bare forms.
func testNormalize(s string) (string, error) {
	switch {
	case strings.HasPrefix(s, "id:") || strings.HasPrefix(s, "email:") || strings.HasPrefix(s, "phone:"):
		return s, nil
	case s != "" && strings.Trim(s, "0123456789") == "":
		return "id:" + s, nil
	case strings.Contains(s, "@") && !strings.ContainsAny(s, " ,"):
		return "email:" + strings.ToLower(s), nil
	case strings.HasPrefix(s, "+"):
		return "phone:+" + strings.Map(func(r rune) rune {
			if r >= '0' && r <= '9' {
				return r
			}
			return -1
		}, s), nil
	}
	return "", errors.New("expected id:N, email:ADDRESS or phone:+E164")
}

var normOpts = InputOptions{Normalize: testNormalize}

func ids(ts []Target) string {
	var s []string
	for _, t := range ts {
		s = append(s, t.ID)
	}
	return strings.Join(s, " ")
}

func TestReadTargetsPlain(t *testing.T) {
	in := "# contacts to close\n123\n\n  jane@example.com  \n+60 12-345 6789\r\nid:123\n# done\n"
	ts, rep, err := ReadTargets(strings.NewReader(in), normOpts)
	if err != nil {
		t.Fatal(err)
	}
	if got, want := ids(ts), "id:123 email:jane@example.com phone:+60123456789"; got != want {
		t.Errorf("targets = %q, want %q", got, want)
	}
	if rep.Total != 4 || rep.Duplicates != 1 || len(rep.Invalid) != 0 || rep.Err() != nil {
		t.Errorf("report = %+v", rep)
	}
	if got := rep.String(); got != "4 identifiers read: 3 unique, 1 duplicate collapsed" {
		t.Errorf("String() = %q", got)
	}
}

func TestReadTargetsCSV(t *testing.T) {
	tests := []struct {
		name, in, column, want string
		invalidLines           []int
	}{
		{"named column", "name,email,phone\nAisha,aisha@example.com,+601\nLee,lee@example.com,\n", "email",
			"email:aisha@example.com email:lee@example.com", nil},
		{"named column case-insensitive", "Name,E-Mail\nA,a@x.com\n", "e-mail", "email:a@x.com", nil},
		{"auto prefers identifier then id", "id,identifier,email\n1,email:z@x.com,q@x.com\n2,,\n", "",
			"email:z@x.com id:2", nil},
		{"auto falls back per row", "name,email,phone\nA,,+60 1\nB,b@x.com,\nC,,\n", "",
			"phone:+601 email:b@x.com", []int{4}},
		{"single column header", "email\na@x.com\nb@x.com\n", "", "email:a@x.com email:b@x.com", nil},
		{"multi-line quoted field keeps line numbers", "id,note\n1,\"two\nlines\"\nbad,x\n", "", "id:1", []int{4}},
		{"comments skipped", "id,name\n# vip\n7,A\n", "", "id:7", nil},
		{"bare quote is reported", "id,name\n1,ok\n2,a\"b\n3,ok\n", "", "id:1 id:3", []int{3}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ts, rep, err := ReadTargets(strings.NewReader(tt.in), InputOptions{Column: tt.column, Normalize: testNormalize})
			if err != nil {
				t.Fatal(err)
			}
			if got := ids(ts); got != tt.want {
				t.Errorf("targets = %q, want %q", got, tt.want)
			}
			var lines []int
			for _, e := range rep.Invalid {
				lines = append(lines, e.Line)
			}
			if fmt.Sprint(lines) != fmt.Sprint(tt.invalidLines) && !(len(lines) == 0 && tt.invalidLines == nil) {
				t.Errorf("invalid lines = %v, want %v (%v)", lines, tt.invalidLines, rep.Err())
			}
		})
	}
}

func TestReadTargetsCSVMissingColumn(t *testing.T) {
	_, _, err := ReadTargets(strings.NewReader("name,email\nA,a@x.com\n"), InputOptions{Column: "phone", Normalize: testNormalize})
	if err == nil || !strings.Contains(err.Error(), `column "phone" not found`) {
		t.Fatalf("err = %v", err)
	}
	_, _, err = ReadTargets(strings.NewReader("name,city\nA,KL\n"), normOpts)
	if err == nil || !strings.Contains(err.Error(), "--column") {
		t.Fatalf("err = %v", err)
	}
}

func TestReadTargetsJSONLinesFromContactsList(t *testing.T) {
	in := `{"id":1234,"firstName":"Aisha","email":"aisha@example.com","assignee":null,"tags":["vip"]}
{"identifier":"email:lee@example.com","id":99}

{"email":"x@example.com","phone":null}
{"phone":"+60 12"}
not json
{"id":1234}
{"firstName":"No Id"}
{"id":true}
[1,2]
{"id":12345678901234567890}
`
	ts, rep, err := ReadTargets(strings.NewReader(in), normOpts)
	if err != nil {
		t.Fatal(err)
	}
	if got, want := ids(ts), "id:1234 email:lee@example.com email:x@example.com phone:+6012 id:12345678901234567890"; got != want {
		t.Errorf("targets = %q\nwant      %q", got, want)
	}
	if rep.Duplicates != 1 || rep.Total != 10 {
		t.Errorf("report = %+v", rep)
	}
	var lines []int
	for _, e := range rep.Invalid {
		lines = append(lines, e.Line)
	}
	if fmt.Sprint(lines) != "[6 8 9 10]" {
		t.Errorf("invalid lines = %v: %v", lines, rep.Err())
	}
	if got := rep.Invalid[0].Error(); got != `line 6: not a JSON object: "not json"` {
		t.Errorf("malformed line error = %q", got)
	}
}

func TestReadTargetsJSONLinesNamedField(t *testing.T) {
	ts, _, err := ReadTargets(strings.NewReader(`{"id":1,"email":"a@x.com"}`+"\n"), InputOptions{Column: "email", Normalize: testNormalize})
	if err != nil || ids(ts) != "email:a@x.com" {
		t.Fatalf("targets = %q, err %v", ids(ts), err)
	}
}

func TestReadTargetsBadLinesReportedWithNumbers(t *testing.T) {
	in := "123\nnot-an-id\n\n456\nalso bad\n"
	ts, rep, err := ReadTargets(strings.NewReader(in), normOpts)
	if err != nil {
		t.Fatal(err)
	}
	if ids(ts) != "id:123 id:456" {
		t.Errorf("targets = %q", ids(ts))
	}
	want := "2 invalid input lines:\n" +
		"  line 2: invalid contact identifier \"not-an-id\": expected id:N, email:ADDRESS or phone:+E164\n" +
		"  line 5: invalid contact identifier \"also bad\": expected id:N, email:ADDRESS or phone:+E164"
	if err := rep.Err(); err == nil || err.Error() != want {
		t.Errorf("Err() =\n%v\nwant\n%s", err, want)
	}
}

func TestInputReportErrListsAtMostTen(t *testing.T) {
	in := strings.Repeat("bad\n", 13)
	_, rep, _ := ReadTargets(strings.NewReader(in), normOpts)
	msg := rep.Err().Error()
	if !strings.HasPrefix(msg, "13 invalid input lines:") || !strings.HasSuffix(msg, "\n  and 3 more") ||
		strings.Count(msg, "\n  line ") != 10 {
		t.Errorf("Err() = %s", msg)
	}
}

func TestLineErrorDoesNotRepeatNormaliserText(t *testing.T) {
	e := LineError{Source: "stdin", Line: 3, Text: "x", Err: errors.New(`invalid contact identifier "x": want id:N`)}
	if got := e.Error(); got != `stdin line 3: invalid contact identifier "x": want id:N` {
		t.Errorf("Error() = %q", got)
	}
}

func TestReadTargetsEmptyInputIsANoOp(t *testing.T) {
	for _, in := range []string{"", "\n\n", "# nothing\n", "\xef\xbb\xbf", "id,name\n"} {
		ts, rep, err := ReadTargets(strings.NewReader(in), normOpts)
		if err != nil || len(ts) != 0 || rep.Total != 0 || rep.Err() != nil {
			t.Errorf("%q: targets %v report %+v err %v", in, ts, rep, err)
		}
		if rep.String() != "no identifiers in input: nothing to do" {
			t.Errorf("%q: String() = %q", in, rep.String())
		}
	}
}

func TestMergeTargetsArgsThenStreams(t *testing.T) {
	ts, rep, err := MergeTargets([]string{"1", "bogus", "a@x.com"}, normOpts,
		NamedReader{Name: "stdin", Reader: strings.NewReader("2\n1\n")},
		NamedReader{Name: "more.csv", Reader: strings.NewReader("email\nA@X.com\nnope\n")})
	if err != nil {
		t.Fatal(err)
	}
	if ids(ts) != "id:1 email:a@x.com id:2" {
		t.Errorf("targets = %q", ids(ts))
	}
	if rep.Duplicates != 2 || len(rep.Invalid) != 2 {
		t.Fatalf("report = %+v", rep)
	}
	if got := rep.Invalid[0].Error(); !strings.HasPrefix(got, `argument 2: invalid contact identifier "bogus"`) {
		t.Errorf("first = %q", got)
	}
	if got := rep.Invalid[1].Error(); !strings.HasPrefix(got, `more.csv line 3: invalid contact identifier "nope"`) {
		t.Errorf("second = %q", got)
	}
}

func TestReadTargetsWithoutNormalizer(t *testing.T) {
	ts, _, err := ReadTargets(strings.NewReader("a\n b \na\n"), InputOptions{})
	if err != nil || ids(ts) != "a b" {
		t.Fatalf("targets = %q, err %v", ids(ts), err)
	}
}
