// Package apiclient is the typed HTTP client of the platform API described in
// docs/platform-api.md: models, contact identifiers, errors, retries with
// exactly-once safety for non-idempotent calls, an adaptive per-endpoint rate
// limiter, pagination iterators and capability discovery.
//
// It knows nothing of cobra, terminals, output formats or configuration files:
// everything it needs comes in through Options.
//
// # Retries and timeouts
//
// Options.Timeout bounds each attempt, not the call. Idempotent calls retry
// 429, 449, 5xx and broken connections up to Options.MaxRetries times with
// jittered backoff (or Retry-After). A timeout is the exception: an attempt
// that got no answer within Timeout is retried once at most, because a server
// that hangs once usually hangs again, and MaxRetries+1 timeouts (2.5 minutes
// at 30 s) is too long to learn it. So a read against a hung server fails
// after about 2 × Timeout. A non-idempotent call (a send, a comment) is never
// resent once its request may have been written: a timeout there ends in
// OutcomeUnknownError at once, and so does a 449 (the platform queued it and
// may still process it). A read answered 449 without Retry-After waits
// seconds to a minute between attempts, not milliseconds.
//
// # Reading liberally
//
// Answers are decoded as the server sent them (the token is removed only from
// what is printed) and read in every shape the vendor's own clients show: ids
// as numbers or strings, error bodies with string codes and object messages,
// pagination links on any host or prefix. Pagination that cannot be followed
// safely (a next link without a cursor, a cursor that cycles) ends in a
// *PaginationError rather than a loop; a base URL that is not the API ends in
// a *BaseURLError. See docs/platform-api.md, "Read liberally, write exactly".
//
// # Rate limiting
//
// Requests are paced per endpoint (method + path template). A fresh client
// sends one request per endpoint and waits for its answer; from then on it
// follows the server: X-RateLimit-Limit is the rate and bucket capacity, and
// X-RateLimit-Remaining what is left now, so a bulk run starts with a burst of
// the server's capacity (less a tenth kept in reserve against jitter) and then
// keeps its rate. Requests waiting in the limiter re-evaluate whenever the
// budget changes. WithBeforeSend hooks the moment a request leaves the limiter,
// for journals that must record a send before it can have happened;
// WithStopBeforeWrite gives up the calls still waiting when a run is stopped
// (NotSentError), while those already written finish.
package apiclient
