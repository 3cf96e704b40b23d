package actions

import (
	"context"
	"fmt"
	"strconv"
	"strings"

	"github.com/respondctl/respondctl/bulk"
)

// CollapseSameContact drops the targets that name a contact an earlier target already names
// in another form (id:1 and phone:+60123456789 for the same person), so that an action that
// must never be repeated — a send, a comment — reaches each contact once. Identifiers other
// than id: are looked up (one read each); one that cannot be looked up is kept, and fails or
// succeeds on its own when the action runs. It returns the targets kept, in order, and one
// notice per target dropped ("phone:+60123456789 is contact 1, listed already as id:1:
// collapsed"). With only id: identifiers it makes no request.
func CollapseSameContact(ctx context.Context, p Platform, targets []bulk.Target) ([]bulk.Target, []string) {
	named := false
	for _, t := range targets {
		if !strings.HasPrefix(t.ID, "id:") {
			named = true
			break
		}
	}
	if !named {
		return targets, nil
	}
	first := map[int64]string{} // contact id → the identifier that listed it first
	kept := targets[:0:0]
	var notices []string
	for _, t := range targets {
		id, ok := int64(0), false
		if rest, isID := strings.CutPrefix(t.ID, "id:"); isID {
			n, err := strconv.ParseInt(rest, 10, 64)
			id, ok = n, err == nil
		} else if c, err := p.Contact(ctx, t.ID); err == nil && c.ID > 0 {
			id, ok = c.ID, true
		}
		if ok {
			if prev, seen := first[id]; seen {
				notices = append(notices, fmt.Sprintf("%s is contact %d, listed already as %s: collapsed", t.ID, id, prev))
				continue
			}
			first[id] = t.ID
		}
		kept = append(kept, t)
	}
	return kept, notices
}
