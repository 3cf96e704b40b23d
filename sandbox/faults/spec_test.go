package faults

import (
	"testing"
	"time"
)

func TestParseValid(t *testing.T) {
	for _, c := range []struct {
		in   string
		want Spec
		str  string
	}{
		{"", Spec{Seed: 1}, ""},
		{"  ", Spec{Seed: 1}, ""},
		{"seed=42", Spec{Seed: 42}, ""},
		{
			"500=0.05,502=0.02,503=0.01,429=0.05,reset=0.02,latency=20ms..300ms,seed=42",
			Spec{InternalError: 0.05, BadGateway: 0.02, Unavailable: 0.01, TooManyRequests: 0.05, Reset: 0.02,
				LatencyMin: 20 * time.Millisecond, LatencyMax: 300 * time.Millisecond, Seed: 42},
			"500=0.05,502=0.02,503=0.01,429=0.05,reset=0.02,latency=20ms..300ms,seed=42",
		},
		{"latency=50ms", Spec{LatencyMin: 50 * time.Millisecond, LatencyMax: 50 * time.Millisecond, Seed: 1}, "latency=50ms,seed=1"},
		{" RESET = 1 , seed = -7 ", Spec{Reset: 1, Seed: -7}, "reset=1,seed=-7"},
		{"429=0.5,500=0.5", Spec{TooManyRequests: 0.5, InternalError: 0.5, Seed: 1}, "500=0.5,429=0.5,seed=1"},
		{"500=0.1,502=0.2,503=0.7", Spec{InternalError: 0.1, BadGateway: 0.2, Unavailable: 0.7, Seed: 1}, "500=0.1,502=0.2,503=0.7,seed=1"},
		{"502=0,latency=0s", Spec{Seed: 1}, ""},
		{"449=0.25,500=0.25", Spec{Queued: 0.25, InternalError: 0.25, Seed: 1}, "500=0.25,449=0.25,seed=1"},
		{"latency=1s..1.5s", Spec{LatencyMin: time.Second, LatencyMax: 1500 * time.Millisecond, Seed: 1}, "latency=1s..1.5s,seed=1"},
	} {
		got, err := Parse(c.in)
		if err != nil {
			t.Errorf("Parse(%q): %v", c.in, err)
			continue
		}
		if got != c.want {
			t.Errorf("Parse(%q) = %+v, want %+v", c.in, got, c.want)
		}
		if s := got.String(); s != c.str {
			t.Errorf("Parse(%q).String() = %q, want %q", c.in, s, c.str)
		}
		if got.Enabled() != (c.str != "") {
			t.Errorf("Parse(%q).Enabled() = %v", c.in, got.Enabled())
		}
		if c.str != "" {
			back, err := Parse(c.str)
			if err != nil || back != got {
				t.Errorf("round trip of %q: %+v, %v", c.str, back, err)
			}
		}
	}
}

func TestParseInvalid(t *testing.T) {
	for _, c := range []struct{ in, want string }{
		{"502=abc", `faults: "502=abc": probability must be a number between 0 and 1`},
		{"500=1.5", `faults: "500=1.5": probability must be a number between 0 and 1`},
		{"429=-0.1", `faults: "429=-0.1": probability must be a number between 0 and 1`},
		{"reset=NaN", `faults: "reset=NaN": probability must be a number between 0 and 1`},
		{"503=", `faults: "503=": probability must be a number between 0 and 1`},
		{"404=0.1", `faults: "404=0.1": unknown key "404" (want 500, 502, 503, 429, 449, reset, errshape, nov2, latency or seed)`},
		{"500", `faults: "500": want key=value`},
		{"=0.1", `faults: "=0.1": want key=value`},
		{"500=0.1,,502=0.1", `faults: "500=0.1,,502=0.1": empty entry (want key=value, comma-separated)`},
		{"500=0.1,500=0.2", `faults: "500=0.2": 500 given more than once`},
		{"latency=abc", `faults: "latency=abc": latency must be a duration like 50ms or a range like 20ms..300ms`},
		{"latency=20", `faults: "latency=20": latency must be a duration like 50ms or a range like 20ms..300ms`},
		{"latency=20ms..", `faults: "latency=20ms..": latency must be a duration like 50ms or a range like 20ms..300ms`},
		{"latency=300ms..20ms", `faults: "latency=300ms..20ms": latency range must go from low to high`},
		{"latency=-5ms", `faults: "latency=-5ms": latency must not be negative`},
		{"seed=x", `faults: "seed=x": seed must be an integer`},
		{"seed=1.5", `faults: "seed=1.5": seed must be an integer`},
		{"500=0.6,502=0.5", `faults: "500=0.6,502=0.5": probabilities add up to 1.1, must be at most 1`},
	} {
		_, err := Parse(c.in)
		if err == nil {
			t.Errorf("Parse(%q) succeeded, want error %q", c.in, c.want)
			continue
		}
		if err.Error() != c.want {
			t.Errorf("Parse(%q) error\n got: %s\nwant: %s", c.in, err, c.want)
		}
	}
}
