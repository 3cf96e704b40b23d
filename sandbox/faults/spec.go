package faults

import (
	"fmt"
	"math"
	"strconv"
	"strings"
	"time"
)

// DefaultSeed is the seed used when a spec does not name one.
const DefaultSeed = 1

// sumTolerance lets "0.1,0.2,0.7"-style specs through despite float rounding.
const sumTolerance = 1e-9

// Spec is a parsed fault specification. The zero value (apart from Seed)
// injects nothing. Build one with Parse; the fields are exported so tests
// can construct specs directly.
type Spec struct {
	InternalError   float64 // "500": JSON 500, change not applied
	BadGateway      float64 // "502": nginx-style HTML 502, change not applied
	Unavailable     float64 // "503": JSON 503, change not applied
	TooManyRequests float64 // "429": JSON 429 with Retry-After: 1, change not applied
	Reset           float64 // "reset": connection reset, half before and half after applying
	Queued          float64 // "449": JSON 449 "request queued" with Retry-After: 1, change not applied

	// Wire-shape variety, drawn apart from the faults above (a request may get
	// both): the shapes respond.io's own clients show, which a client must read.
	ErrShape float64 // "errshape": an error body with a string code and/or an object message
	BareNext float64 // "nov2": pagination links without the /v2 prefix

	// LatencyMin..LatencyMax is the uniform delay added before every request
	// (equal for a fixed delay; both zero for none).
	LatencyMin, LatencyMax time.Duration

	Seed int64 // seeds the decision sequence; Parse defaults it to DefaultSeed
}

// probabilityKeys lists the probability keys in canonical order; the same
// order is used to map a random draw to a fault, so it is part of the
// deterministic behaviour of a seed.
var probabilityKeys = []string{"500", "502", "503", "429", "reset", "449"}

func (s *Spec) probability(key string) *float64 {
	switch key {
	case "500":
		return &s.InternalError
	case "502":
		return &s.BadGateway
	case "503":
		return &s.Unavailable
	case "429":
		return &s.TooManyRequests
	case "reset":
		return &s.Reset
	case "449":
		return &s.Queued
	}
	return nil
}

// Parse reads a spec such as
//
//	500=0.05,502=0.02,503=0.01,429=0.05,reset=0.02,latency=20ms..300ms,seed=42
//
// An empty (or all-blank) string is a spec with no faults. Errors are one
// line and quote the offending part.
func Parse(text string) (Spec, error) {
	spec := Spec{Seed: DefaultSeed}
	if strings.TrimSpace(text) == "" {
		return spec, nil
	}
	seen := map[string]bool{}
	for part := range strings.SplitSeq(text, ",") {
		part = strings.TrimSpace(part)
		if part == "" {
			return Spec{}, fmt.Errorf("faults: %q: empty entry (want key=value, comma-separated)", text)
		}
		key, value, ok := strings.Cut(part, "=")
		key, value = strings.TrimSpace(key), strings.TrimSpace(value)
		if !ok || key == "" {
			return Spec{}, fmt.Errorf("faults: %q: want key=value", part)
		}
		key = strings.ToLower(key)
		if seen[key] {
			return Spec{}, fmt.Errorf("faults: %q: %s given more than once", part, key)
		}
		seen[key] = true

		switch key {
		case "latency":
			lo, hi, err := parseLatency(value)
			if err != nil {
				return Spec{}, fmt.Errorf("faults: %q: %s", part, err)
			}
			spec.LatencyMin, spec.LatencyMax = lo, hi
		case "seed":
			seed, err := strconv.ParseInt(value, 10, 64)
			if err != nil {
				return Spec{}, fmt.Errorf("faults: %q: seed must be an integer", part)
			}
			spec.Seed = seed
		case "errshape", "nov2":
			v, err := strconv.ParseFloat(value, 64)
			if err != nil || math.IsNaN(v) || v < 0 || v > 1 {
				return Spec{}, fmt.Errorf("faults: %q: probability must be a number between 0 and 1", part)
			}
			if key == "errshape" {
				spec.ErrShape = v
			} else {
				spec.BareNext = v
			}
		default:
			p := spec.probability(key)
			if p == nil {
				return Spec{}, fmt.Errorf("faults: %q: unknown key %q (want 500, 502, 503, 429, 449, reset, errshape, nov2, latency or seed)", part, key)
			}
			v, err := strconv.ParseFloat(value, 64)
			if err != nil || math.IsNaN(v) || v < 0 || v > 1 {
				return Spec{}, fmt.Errorf("faults: %q: probability must be a number between 0 and 1", part)
			}
			*p = v
		}
	}
	if sum := spec.probabilitySum(); sum > 1+sumTolerance {
		return Spec{}, fmt.Errorf("faults: %q: probabilities add up to %s, must be at most 1",
			text, strconv.FormatFloat(sum, 'f', -1, 64))
	}
	return spec, nil
}

func parseLatency(value string) (lo, hi time.Duration, err error) {
	const usage = "latency must be a duration like 50ms or a range like 20ms..300ms"
	loText, hiText, isRange := strings.Cut(value, "..")
	lo, err = time.ParseDuration(strings.TrimSpace(loText))
	if err != nil {
		return 0, 0, fmt.Errorf("%s", usage)
	}
	hi = lo
	if isRange {
		hi, err = time.ParseDuration(strings.TrimSpace(hiText))
		if err != nil {
			return 0, 0, fmt.Errorf("%s", usage)
		}
	}
	if lo < 0 || hi < 0 {
		return 0, 0, fmt.Errorf("latency must not be negative")
	}
	if lo > hi {
		return 0, 0, fmt.Errorf("latency range must go from low to high")
	}
	return lo, hi, nil
}

func (s Spec) probabilitySum() float64 {
	return s.InternalError + s.BadGateway + s.Unavailable + s.TooManyRequests + s.Reset + s.Queued
}

// Enabled reports whether the spec injects anything (a fault probability or
// a latency above zero).
func (s Spec) Enabled() bool {
	return s.probabilitySum() > 0 || s.LatencyMax > 0 || s.shapes()
}

// shapes reports whether the spec varies wire shapes (errshape, nov2).
func (s Spec) shapes() bool { return s.ErrShape > 0 || s.BareNext > 0 }

// String renders the spec in canonical form (keys in the order 500, 502,
// 503, 429, reset, 449, errshape, nov2, latency, seed; zero entries left out; seed always
// present), which Parse reads back to an equal Spec. A spec that injects
// nothing renders as "".
func (s Spec) String() string {
	if !s.Enabled() {
		return ""
	}
	var parts []string
	for _, key := range probabilityKeys {
		if p := *s.probability(key); p > 0 {
			parts = append(parts, key+"="+strconv.FormatFloat(p, 'g', -1, 64))
		}
	}
	if s.ErrShape > 0 {
		parts = append(parts, "errshape="+strconv.FormatFloat(s.ErrShape, 'g', -1, 64))
	}
	if s.BareNext > 0 {
		parts = append(parts, "nov2="+strconv.FormatFloat(s.BareNext, 'g', -1, 64))
	}
	switch {
	case s.LatencyMax == 0:
	case s.LatencyMin == s.LatencyMax:
		parts = append(parts, "latency="+s.LatencyMin.String())
	default:
		parts = append(parts, "latency="+s.LatencyMin.String()+".."+s.LatencyMax.String())
	}
	parts = append(parts, "seed="+strconv.FormatInt(s.Seed, 10))
	return strings.Join(parts, ",")
}
