package apiclient

import "fmt"

// A send or comment answered 2xx is only "done" when the answer names what was
// created. `{}`, `null`, `{"messageId":0}` or `{"error":"queue full"}` with a
// 200 mean a proxy or a broken server answered for the platform: the message
// may or may not exist, so it is reported (and journaled) as outcome unknown,
// and a resume looks at it again instead of trusting a "sent message 0".

// requirePositiveID turns a 2xx answer without a positive id into an
// *OutcomeUnknownError.
func requirePositiveID[T any](cl *call, out *T, err error, field string, id func(*T) int64) (*T, error) {
	if err != nil {
		return out, err
	}
	if out == nil || id(out) <= 0 {
		cause := fmt.Errorf("answered 2xx without a positive %s", field)
		return nil, &OutcomeUnknownError{Method: cl.method, Path: cl.displayPath(), Cause: cause}
	}
	return out, nil
}
