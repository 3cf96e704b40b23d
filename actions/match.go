package actions

import (
	"strings"
	"unicode/utf8"
)

// editDistance is the Levenshtein distance between a and b, compared case-insensitively by rune.
func editDistance(a, b string) int {
	ra := []rune(strings.ToLower(a))
	rb := []rune(strings.ToLower(b))
	prev := make([]int, len(rb)+1)
	cur := make([]int, len(rb)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(ra); i++ {
		cur[0] = i
		for j := 1; j <= len(rb); j++ {
			cost := 1
			if ra[i-1] == rb[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
		}
		prev, cur = cur, prev
	}
	return prev[len(rb)]
}

// closeEnough is the largest edit distance still worth suggesting for a query: a typo or two in
// short words, a third of the length in longer ones.
func closeEnough(query string) int {
	return max(2, utf8.RuneCountInString(query)/3)
}

// suggestion is one candidate with its best distance to the query.
type suggestion struct {
	index    int
	distance int
}

// closest returns the indexes of candidates whose best key is within closeEnough of query,
// nearest first (stable for ties), at most limit of them.
func closest(query string, keys [][]string, limit int) []int {
	var found []suggestion
	for i, ks := range keys {
		best := -1
		for _, k := range ks {
			if k == "" {
				continue
			}
			d := editDistance(query, k)
			// A query that is a typo of the start of a long key ("alce" for "alice.w@x.com").
			if n := utf8.RuneCountInString(query); utf8.RuneCountInString(k) > n {
				d = min(d, editDistance(query, string([]rune(k)[:n]))+1)
			}
			if best < 0 || d < best {
				best = d
			}
		}
		if best >= 0 && best <= closeEnough(query) {
			found = append(found, suggestion{index: i, distance: best})
		}
	}
	// Insertion sort keeps it stable and the lists are small.
	for i := 1; i < len(found); i++ {
		for j := i; j > 0 && found[j].distance < found[j-1].distance; j-- {
			found[j], found[j-1] = found[j-1], found[j]
		}
	}
	out := make([]int, 0, min(len(found), limit))
	for _, s := range found {
		if len(out) == limit {
			break
		}
		out = append(out, s.index)
	}
	return out
}
