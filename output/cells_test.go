package output

import (
	"reflect"
	"testing"
)

func TestFitColumns(t *testing.T) {
	for _, tc := range []struct {
		name       string
		natural    []int
		wide       []bool
		total      int
		keep, want []int
	}{
		{"fits", []int{2, 10, 5}, []bool{false, true, false}, 80, []int{0, 1, 2}, []int{2, 10, 5}},
		{"drop wide first", []int{2, 30, 5, 20}, []bool{false, false, false, true}, 50, []int{0, 1, 2}, []int{2, 30, 5}},
		{"drop rightmost wide first", []int{10, 10, 10}, []bool{true, false, true}, 25, []int{0, 1}, []int{10, 10}},
		{"shrink widest equally", []int{2, 30, 40}, []bool{false, false, false}, 40, []int{0, 1, 2}, []int{2, 17, 17}},
		{"never below one column", []int{5, 5}, []bool{false, false}, 1, []int{0, 1}, []int{1, 1}},
	} {
		keep, widths := fitColumns(tc.natural, tc.wide, tc.total, 2)
		if !reflect.DeepEqual(keep, tc.keep) || !reflect.DeepEqual(widths, tc.want) {
			t.Errorf("%s: keep %v widths %v, want %v %v", tc.name, keep, widths, tc.keep, tc.want)
		}
	}
}

func TestTruncateText(t *testing.T) {
	for _, tc := range []struct {
		in   string
		n    int
		want string
	}{
		{"hello", 10, "hello"},
		{"hello", 5, "hello"},
		{"hello world", 6, "hello…"},
		{"漢字テスト", 5, "漢字…"},
		{"abc", 1, "…"},
		{"abc", 0, ""},
	} {
		if got := truncateText(tc.in, tc.n); got != tc.want {
			t.Errorf("truncate(%q,%d) = %q, want %q", tc.in, tc.n, got, tc.want)
		}
	}
}

func TestColAcceptsValuesAndPointers(t *testing.T) {
	c := Col("N", func(c testContact) Cell { return Text(c.Name) })
	rec := testContacts()[0]
	if c.Value(rec).Text != "Jane Doe" || c.Value(&rec).Text != "Jane Doe" {
		t.Error("Col must accept T and *T")
	}
	if c.Value((*testContact)(nil)).Text != "" || c.Value(42).Text != "" {
		t.Error("Col must tolerate other types")
	}
}
