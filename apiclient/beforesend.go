package apiclient

import "context"

type beforeSendKey struct{}

// WithBeforeSend returns a context whose calls run hook once each, after the
// endpoint's rate limiter let the call's first attempt go and immediately
// before its request is written: the last moment at which the call has
// certainly not reached the server. If hook fails, the request is not sent and
// the call returns hook's error (wrapped).
//
// It is meant for journals that must record "this may have gone out" durably
// before it can have: a request still queued in the limiter is not there yet,
// and a process killed while it waits has sent nothing. Later attempts of the
// same call (after a 429 or 449, a failed dial, or an idempotent call's
// retries) do not run hook again: the first attempt already counts as sent.
func WithBeforeSend(ctx context.Context, hook func() error) context.Context {
	return context.WithValue(ctx, beforeSendKey{}, hook)
}

// RunBeforeSend runs ctx's before-send hook, if any. The Client calls it
// itself; other implementations of a send (test fakes) call it where they
// would write the request, so they keep the same contract.
func RunBeforeSend(ctx context.Context) error {
	if hook, _ := ctx.Value(beforeSendKey{}).(func() error); hook != nil {
		return hook()
	}
	return nil
}
