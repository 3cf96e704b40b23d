// Package suggest finds the candidates a mistyped name probably meant, for
// "did you mean …?" hints (users, emails, channels, closing-note categories).
package suggest

import (
	"slices"
	"strings"
	"unicode/utf8"
)

// Distance is the Levenshtein distance between a and b, counted in runes and
// case-insensitively: the number of single-rune insertions, deletions and
// substitutions turning one into the other.
func Distance(a, b string) int {
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

// score is how far input is from key: its distance to the whole key, or to
// the key's start plus one when the input is a (mistyped) prefix of a longer
// key ("alce" for "alice.w@x.com").
func score(input, key string) int {
	d := Distance(input, key)
	if n := utf8.RuneCountInString(input); utf8.RuneCountInString(key) > n {
		d = min(d, Distance(input, string([]rune(key)[:n]))+1)
	}
	return d
}

// closeEnough is the largest score still worth suggesting: a typo or two in
// short words, a third of the length in longer ones.
func closeEnough(input string) int {
	return max(2, utf8.RuneCountInString(input)/3)
}

// ClosestBy returns the items input most probably meant, nearest first (ties
// in item order), at most max of them. An item may be known by several keys
// (a user's name, email, each name word); its best key counts. An item is
// suggested when it is close enough (see Closest) and at most one edit
// farther than the nearest one, so an obvious match is not drowned among
// distant ones.
func ClosestBy[T any](input string, items []T, keys func(T) []string, max int) []T {
	type hit struct{ index, score int }
	var hits []hit
	for i, item := range items {
		best := -1
		for _, k := range keys(item) {
			if k == "" {
				continue
			}
			if d := score(input, k); best < 0 || d < best {
				best = d
			}
		}
		if best >= 0 && best <= closeEnough(input) {
			hits = append(hits, hit{i, best})
		}
	}
	slices.SortStableFunc(hits, func(a, b hit) int { return a.score - b.score })
	out := []T{}
	for _, h := range hits {
		if len(out) == max || h.score > hits[0].score+1 {
			break
		}
		out = append(out, items[h.index])
	}
	return out
}

// Closest returns the candidates input most probably meant, nearest first, at
// most max of them; none when nothing is close. Comparison ignores case. A
// candidate is close when input is within max(2, len/3) edits of it, or of its
// start when input is shorter (a prefix typed with a typo).
func Closest(input string, candidates []string, max int) []string {
	return ClosestBy(input, candidates, func(c string) []string { return []string{c} }, max)
}
