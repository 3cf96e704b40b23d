package bulk

import (
	"fmt"
	"testing"
)

func assignees(plan []Assignment) string {
	s := ""
	for _, a := range plan {
		s += a.Assignee
	}
	return s
}

func TestRoundRobin(t *testing.T) {
	plan := RoundRobin(targetsN(7), []string{"a", "b", "c"})
	if got := assignees(plan); got != "abcabca" {
		t.Errorf("round robin = %q", got)
	}
	if plan[4].Target.ID != "id:5" {
		t.Errorf("order changed: %+v", plan[4])
	}
	if RoundRobin(targetsN(3), nil) != nil {
		t.Error("no assignees should give no plan")
	}
}

func TestBalance(t *testing.T) {
	tests := []struct {
		loads map[string]int
		n     int
		want  string
	}{
		{nil, 6, "abcabc"}, // equal loads: list order
		{map[string]int{"a": 3, "b": 1, "c": 0}, 6, "cbcbca"}, // least loaded first, ties by list order
		{map[string]int{"a": 10}, 4, "bcbc"},
		{map[string]int{"x": 0, "c": 2}, 3, "aba"}, // loads of people not listed are ignored
	}
	for _, tt := range tests {
		if got := assignees(Balance(targetsN(tt.n), []string{"a", "b", "c"}, tt.loads)); got != tt.want {
			t.Errorf("Balance(%v) = %q, want %q", tt.loads, got, tt.want)
		}
	}
	// Pure: the caller's loads are not changed and the same input gives the same plan.
	loads := map[string]int{"a": 1}
	first := fmt.Sprint(Balance(targetsN(5), []string{"a", "b"}, loads))
	if loads["a"] != 1 || loads["b"] != 0 || first != fmt.Sprint(Balance(targetsN(5), []string{"a", "b"}, loads)) {
		t.Error("Balance is not pure")
	}
}

func TestPlanTargetsStoresTheAssigneeWithoutSharingMaps(t *testing.T) {
	shared := map[string]string{"note": "x"}
	in := []Target{{ID: "id:1", Params: shared}, {ID: "id:2", Params: shared}}
	out := PlanTargets(RoundRobin(in, []string{"a", "b"}))
	if out[0].Param(AssigneeParam) != "a" || out[1].Param(AssigneeParam) != "b" || out[1].Param("note") != "x" {
		t.Errorf("planned = %+v", out)
	}
	if _, leaked := shared[AssigneeParam]; leaked {
		t.Error("input params were modified")
	}
}
