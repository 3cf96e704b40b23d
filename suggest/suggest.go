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

// score is how far input is from key, and whether that is close enough to
// suggest key: its distance to the whole key or, when the input is shorter,
// to the key's start plus one (a mistyped prefix: "alce" for "alice.w@x.com").
func score(input, key string) (int, bool) {
	d := Distance(input, key)
	ok := d <= allowed(input, key)
	if n := utf8.RuneCountInString(input); utf8.RuneCountInString(key) > n {
		start := string([]rune(key)[:n])
		dp := Distance(input, start) + 1
		if okp := dp <= allowed(input, start); okp && (!ok || dp < d) {
			d, ok = dp, true
		}
	}
	return d, ok
}

// allowed is the largest distance still worth suggesting: a typo or two in
// short words, a third of the length in longer ones. The end input shares
// with key does not count towards that length: "aisha@example.com" is not a
// typo of "nadia@example.com" just because the domain is long.
func allowed(input, key string) int {
	a, b := []rune(strings.ToLower(input)), []rune(strings.ToLower(key))
	same := 0
	for same < len(a) && same < len(b) && a[len(a)-1-same] == b[len(b)-1-same] {
		same++
	}
	return max(2, (len(a)-same)/3)
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
			if d, ok := score(input, k); ok && (best < 0 || d < best) {
				best = d
			}
		}
		if best >= 0 {
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
// start when input is shorter (a prefix typed with a typo), len being the
// input's length less the ending it shares with the candidate.
func Closest(input string, candidates []string, max int) []string {
	return ClosestBy(input, candidates, func(c string) []string { return []string{c} }, max)
}
