package bulk

// Assignment pairs a target with the assignee chosen for it.
type Assignment struct {
	Target   Target
	Assignee string
}

// AssigneeParam is the Target.Params key under which a plan stores the assignee.
const AssigneeParam = "to"

// RoundRobin deals targets to assignees in list order: a, b, c, a, b, …
// No assignees: nil.
func RoundRobin(targets []Target, assignees []string) []Assignment {
	if len(assignees) == 0 {
		return nil
	}
	out := make([]Assignment, len(targets))
	for i, t := range targets {
		out[i] = Assignment{Target: t, Assignee: assignees[i%len(assignees)]}
	}
	return out
}

// Balance gives each target, in order, to the assignee with the fewest open
// conversations so far (loads, counting the ones already given out here);
// ties go to the assignee listed first. Missing loads count as 0.
// No assignees: nil.
func Balance(targets []Target, assignees []string, loads map[string]int) []Assignment {
	if len(assignees) == 0 {
		return nil
	}
	current := make(map[string]int, len(assignees))
	for _, a := range assignees {
		current[a] = loads[a]
	}
	out := make([]Assignment, len(targets))
	for i, t := range targets {
		best := assignees[0]
		for _, a := range assignees[1:] {
			if current[a] < current[best] {
				best = a
			}
		}
		current[best]++
		out[i] = Assignment{Target: t, Assignee: best}
	}
	return out
}

// PlanTargets returns the targets with each assignee stored under
// Params[AssigneeParam], ready for CreateJournal: the plan is journaled with
// the targets, so a resume assigns everyone exactly as the first run would.
func PlanTargets(plan []Assignment) []Target {
	out := make([]Target, len(plan))
	for i, a := range plan {
		out[i] = a.Target.withParam(AssigneeParam, a.Assignee)
	}
	return out
}
