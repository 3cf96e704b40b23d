package output

import (
	"strings"

	"github.com/olekukonko/tablewriter/pkg/twwidth"
)

const ellipsis = "…"

// sanitizeCell keeps a cell on one line (tabs and newlines become spaces, so
// contact-supplied text cannot break TSV rows) and makes every other control
// and bidi character visible (SafeText), so it cannot inject escape codes.
func sanitizeCell(s string) string {
	if strings.ContainsAny(s, "\t\n\r") {
		s = strings.NewReplacer("\t", " ", "\n", " ", "\r", " ").Replace(s)
	}
	return SafeText(s)
}

// displayWidth measures terminal columns the same way tablewriter does.
func displayWidth(s string) int { return twwidth.Width(s) }

// truncateText cuts s to at most n columns, ending in "…" when cut.
func truncateText(s string, n int) string {
	if n <= 0 {
		return ""
	}
	if displayWidth(s) <= n {
		return s
	}
	limit := n - displayWidth(ellipsis)
	var b strings.Builder
	w := 0
	for _, r := range s {
		rw := displayWidth(string(r))
		if w+rw > limit {
			break
		}
		b.WriteRune(r)
		w += rw
	}
	return b.String() + ellipsis
}

// cellText is the uncoloured text of a cell under the current TTY rules.
func cellText(c Cell, tf TimeFormatter, cs *ColorScheme) string {
	switch {
	case !c.Time.IsZero():
		return tf.Format(c.Time)
	case c.Dot && cs.Enabled():
		return DotGlyph
	}
	return sanitizeCell(c.Text)
}

// paintCell colours already-truncated text per the cell's Color.
func paintCell(c Cell, text string, cs *ColorScheme) string {
	if c.Color == "" {
		return text
	}
	return cs.Color(c.Color, text)
}

// fitColumns picks which columns to show and how wide each may be so the
// table fits in total columns: Wide columns go first (rightmost first),
// then the widest columns share what is left equally.
func fitColumns(natural []int, wide []bool, total, sep int) (keep []int, widths []int) {
	for i := range natural {
		keep = append(keep, i)
	}
	need := func() int {
		n := sep * (len(keep) - 1)
		for _, i := range keep {
			n += natural[i]
		}
		return n
	}
	for j := len(keep) - 1; j >= 0 && need() > total; j-- {
		if wide[keep[j]] && len(keep) > 1 {
			keep = append(keep[:j:j], keep[j+1:]...)
		}
	}
	widths = make([]int, len(keep))
	for k, i := range keep {
		widths[k] = natural[i]
	}
	if need() <= total {
		return keep, widths
	}
	avail := total - sep*(len(keep)-1)
	// Narrow columns keep their natural width; the rest share equally.
	order := make([]int, len(keep))
	for k := range order {
		order[k] = k
	}
	sortByWidth(order, widths)
	remaining := avail
	for idx, k := range order {
		left := len(order) - idx
		share := remaining / left
		if widths[k] <= share {
			remaining -= widths[k]
			continue
		}
		for j, kk := range order[idx:] {
			w := share
			if j < remaining%left {
				w++
			}
			widths[kk] = max(w, 1)
		}
		break
	}
	return keep, widths
}

func sortByWidth(order, widths []int) {
	for i := 1; i < len(order); i++ {
		for j := i; j > 0 && widths[order[j]] < widths[order[j-1]]; j-- {
			order[j], order[j-1] = order[j-1], order[j]
		}
	}
}

// minShrunkWidth is the narrowest a long column is cut to before columns are dropped instead.
const minShrunkWidth = 10

// dropByPriority removes columns by Priority (highest first, rightmost on ties) while the
// kept ones cannot fit in total even cut to minShrunkWidth, then refits what is left. A
// narrow terminal then shows fewer, readable columns instead of every column cut to a stub.
func dropByPriority(keep, widths, natural, priority []int, total, sep int) ([]int, []int) {
	floorNeed := func(cols []int) int {
		n := sep * (len(cols) - 1)
		for _, i := range cols {
			n += min(natural[i], minShrunkWidth)
		}
		return n
	}
	dropped := false
	for floorNeed(keep) > total {
		worst := -1
		for k, i := range keep {
			if priority[i] > 0 && (worst < 0 || priority[i] >= priority[keep[worst]]) {
				worst = k
			}
		}
		if worst < 0 {
			break
		}
		keep = append(keep[:worst:worst], keep[worst+1:]...)
		dropped = true
	}
	if !dropped {
		return keep, widths
	}
	nat := make([]int, len(keep))
	for k, i := range keep {
		nat[k] = natural[i]
	}
	sub, w := fitColumns(nat, make([]bool, len(keep)), total, sep)
	out := make([]int, len(sub))
	for k, j := range sub {
		out[k] = keep[j]
	}
	return out, w
}

// DisplayWidth is how many terminal columns s takes (wide CJK and emoji count two).
func DisplayWidth(s string) int { return displayWidth(s) }
