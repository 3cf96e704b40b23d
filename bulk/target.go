package bulk

// Target is one item of a bulk run: a contact identifier in canonical form
// ("id:123") and, optionally, its share of the plan (e.g. {"to": "a@x.com"} when
// assignees are distributed). Params are journaled with the target so a resume
// replays exactly the plan of the first run.
type Target struct {
	ID     string
	Params map[string]string
}

// Param returns the plan value for key, or "" if unset.
func (t Target) Param(key string) string {
	return t.Params[key]
}

// withParam returns a copy of t with key set; the original map is not shared.
func (t Target) withParam(key, value string) Target {
	params := make(map[string]string, len(t.Params)+1)
	for k, v := range t.Params {
		params[k] = v
	}
	params[key] = value
	return Target{ID: t.ID, Params: params}
}
