package bulk

import (
	"context"
	"sync/atomic"
)

// CommitDeferrer is implemented by non-idempotent actions that read before the request that
// must never be repeated (send reads the contact's channels and checks the messaging window
// first). Such an action calls Commit(ctx) immediately before that request, and does not send
// when Commit fails. The engine journals the target as started (durably) only then, so a
// process killed during the reads leaves the target to be sent by --resume rather than
// reported unknown: only a request that may really have left is unknown.
//
// "Immediately before" means after any client-side wait: respondctl's send hands Commit to the
// API client as its before-send hook, which runs once the endpoint's rate limiter has let the
// request go, so the workers queued behind the limiter are not journaled as started either.
type CommitDeferrer interface {
	DefersCommit() bool
}

type commitKey struct{}

// commitPoint is the engine's side of Commit for one target.
type commitPoint struct {
	mark      func() error // journals the start; nil without a journal
	committed atomic.Bool
}

// Commit marks the point of no return of one Apply: everything after it may have reached the
// platform. Outside a journaled run (a single contact, a dry run) it does nothing.
func Commit(ctx context.Context) error {
	cp, _ := ctx.Value(commitKey{}).(*commitPoint)
	if cp == nil || cp.committed.Swap(true) {
		return nil
	}
	if cp.mark != nil {
		return cp.mark()
	}
	return nil
}

func defersCommit(a Action) bool {
	d, ok := a.(CommitDeferrer)
	return ok && !a.Idempotent() && d.DefersCommit()
}
