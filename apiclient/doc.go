// Package apiclient is the typed HTTP client of the platform API described in
// shared/platform-api.md: models, contact identifiers, errors, retries with
// exactly-once safety for non-idempotent calls, an adaptive per-endpoint rate
// limiter, pagination iterators and capability discovery.
//
// It knows nothing of cobra, terminals, output formats or configuration files:
// everything it needs comes in through Options.
package apiclient
