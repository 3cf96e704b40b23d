package apiclient

import (
	"fmt"
	"time"
)

// requestBudget is how long one call may take from its first wait to its last
// answer, waits included: two attempt timeouts (a timed-out attempt is retried
// once) plus one capped backoff per allowed retry. With the defaults (--timeout
// 30s, 4 retries) that is 60 s + 4 × 8 s = 92 s. A wait — for the rate limiter,
// a Retry-After or a backoff — that would end after the deadline is not slept:
// the call ends at once with a GaveUpError (exit 6), so `Retry-After: 119` on
// every answer costs one round trip, not eight minutes.
func (c *Client) requestBudget() time.Duration {
	return time.Duration(maxTimeoutRetries+1)*c.timeout + time.Duration(max(c.maxRetries, 1))*backoffCap
}

// waitTooLong is the limiter's answer when the endpoint cannot take a request
// before the deadline.
type waitTooLong struct {
	wait   time.Duration
	reason string
}

func (w *waitTooLong) Error() string { return "waiting for " + w.reason }

// DeadlineError: a call would have to wait past its deadline (see
// requestBudget). Last is the answer that asked for the wait, if any.
type DeadlineError struct {
	Method, Path string
	Wait         time.Duration // the wait that was not slept
	Budget       time.Duration // the call's whole budget
	Reason       string        // what the wait was for
	Last         error
}

func (e *DeadlineError) Error() string {
	s := fmt.Sprintf("%s %s: %s would take %s more, past the request's %s deadline (set by --timeout and the retry budget)",
		e.Method, e.Path, e.Reason, e.Wait.Round(time.Millisecond), e.Budget)
	if e.Last != nil {
		s += "; last answer: " + e.Last.Error()
	}
	return s
}

func (e *DeadlineError) Unwrap() error { return e.Last }

// pastDeadline ends a call whose next wait would outlast its deadline.
func (c *Client) pastDeadline(cl *call, attempts int, wait time.Duration, reason string, last error) error {
	return &GaveUpError{Attempts: attempts, Last: &DeadlineError{Method: cl.method, Path: cl.displayPath(),
		Wait: wait, Budget: c.requestBudget(), Reason: reason, Last: last}}
}
