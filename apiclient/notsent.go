package apiclient

import (
	"context"
	"errors"
	"fmt"
)

type stopBeforeWriteKey struct{}

// WithStopBeforeWrite returns a context whose calls give up once stop is done, as long as
// nothing of them has been written yet: a call still waiting for the endpoint's rate limiter
// (including a Retry-After hold of the endpoint) before its first attempt returns a
// *NotSentError instead of going out. A call whose first request was written is not affected:
// it finishes under ctx, so its outcome is known.
//
// It is meant for the first Ctrl-C of a bulk run: stop handing out work and abandon what has
// not left yet (a resume does it), but let what is on the wire finish. ctx's own cancellation
// (a second Ctrl-C) still cuts off everything; a call it cuts off before writing is a
// *NotSentError too.
func WithStopBeforeWrite(ctx, stop context.Context) context.Context {
	return context.WithValue(ctx, stopBeforeWriteKey{}, stop)
}

// stopBeforeWrite is ctx's stop-before-writing signal (nil: none).
func stopBeforeWrite(ctx context.Context) context.Context {
	stop, _ := ctx.Value(stopBeforeWriteKey{}).(context.Context)
	return stop
}

// ErrNotSent matches every NotSentError with errors.Is.
var ErrNotSent = errors.New("not sent")

// NotSentError: the call was given up before anything of it was written (interrupted while
// it waited for the rate limiter): it certainly was not applied, and its before-send hook did
// not run. Cause is the interruption (context.Canceled).
type NotSentError struct {
	Method, Path string
	Cause        error
}

func (e *NotSentError) Error() string {
	return fmt.Sprintf("%s %s: not sent: %v", e.Method, e.Path, e.Cause)
}

// Unwrap exposes both ErrNotSent and the cause (errors.Is(err, context.Canceled) holds).
func (e *NotSentError) Unwrap() []error { return []error{ErrNotSent, e.Cause} }

// firstWaitContext is the context of a call's first wait for the limiter: ctx, also cancelled
// when ctx's stop-before-writing signal is done.
func firstWaitContext(ctx context.Context) (context.Context, context.CancelFunc) {
	stop := stopBeforeWrite(ctx)
	if stop == nil {
		return ctx, func() {}
	}
	wctx, cancel := context.WithCancel(ctx)
	unhook := context.AfterFunc(stop, cancel)
	return wctx, func() { unhook(); cancel() }
}

// notSentCause says why a call that has written nothing must not go out now (nil: it may).
func notSentCause(ctx context.Context) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	if stop := stopBeforeWrite(ctx); stop != nil {
		return stop.Err()
	}
	return nil
}
