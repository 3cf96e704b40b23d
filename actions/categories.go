package actions

import (
	"fmt"
	"strings"

	"github.com/respondctl/respondctl/suggest"
)

// maxSuggestions is how many close matches a "did you mean" names.
const maxSuggestions = 3

// UnknownCategoryError: a `done --category` value that is not one of the workspace's closing notes.
type UnknownCategoryError struct {
	Category    string
	Suggestions []string
	Known       []string
}

func (e *UnknownCategoryError) Error() string {
	s := fmt.Sprintf("unknown closing-note category %q", e.Category)
	if len(e.Suggestions) > 0 {
		return s + "; did you mean " + quoteJoin(e.Suggestions, " or ") + "?"
	}
	if len(e.Known) == 0 {
		return s + ": the workspace has no closing-note categories"
	}
	return s + "; known categories: " + quoteJoin(e.Known, ", ")
}

// ResolveCategory checks category against the workspace's closing-note categories and returns it
// spelled as the workspace spells it (matching is case-insensitive). An empty category is allowed
// (the contract accepts closing without one).
func ResolveCategory(known []string, category string) (string, error) {
	c := strings.TrimSpace(category)
	if c == "" {
		return "", nil
	}
	for _, k := range known {
		if strings.EqualFold(k, c) {
			return k, nil
		}
	}
	return "", &UnknownCategoryError{Category: c, Suggestions: suggest.Closest(c, known, maxSuggestions), Known: known}
}

func quoteJoin(items []string, sep string) string {
	q := make([]string, len(items))
	for i, s := range items {
		q[i] = fmt.Sprintf("%q", s)
	}
	return strings.Join(q, sep)
}
