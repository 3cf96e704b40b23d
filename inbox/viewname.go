package inbox

import (
	"fmt"
	"strings"
)

// AmbiguousViewError: a name that is both a profile view and a workspace view. Neither is
// picked silently; the error says how to pick one (profile:NAME or workspace:NAME).
type AmbiguousViewError struct {
	Name  string
	Kinds []string // e.g. ["profile", "workspace"]
}

func (e *AmbiguousViewError) Error() string {
	picks := make([]string, len(e.Kinds))
	for i, k := range e.Kinds {
		picks[i] = k + ":" + e.Name
	}
	return fmt.Sprintf("view %q is both a %s view and a %s view: name the one you mean, %s",
		e.Name, e.Kinds[0], e.Kinds[1], quoteEach(picks, " or "))
}

// IsUsageError: the command line must say which view; no request can settle it.
func (e *AmbiguousViewError) IsUsageError() bool { return true }

func quoteEach(items []string, sep string) string {
	q := make([]string, len(items))
	for i, s := range items {
		q[i] = fmt.Sprintf("%q", s)
	}
	return strings.Join(q, sep)
}

// SplitViewKind splits "workspace:NAME", "profile:NAME" or "builtin:NAME" into the kind and
// the name; any other name has kind "".
func SplitViewKind(name string) (kind, bare string) {
	name = strings.TrimSpace(name)
	for _, k := range []string{ViewProfile, ViewWorkspace, ViewBuiltin} {
		if len(name) > len(k) && strings.EqualFold(name[:len(k)+1], k+":") {
			return k, strings.TrimSpace(name[len(k)+1:])
		}
	}
	return "", name
}
