package main

import (
	"fmt"
	"math"
	"sort"
	"time"
)

// sample is a set of measurements of one figure, in the figure's unit (ms, MB, req/s…).
type sample []float64

func durations(ds []time.Duration) sample {
	s := make(sample, len(ds))
	for i, d := range ds {
		s[i] = float64(d.Microseconds()) / 1000
	}
	return s
}

func (s sample) sorted() sample {
	c := append(sample(nil), s...)
	sort.Float64s(c)
	return c
}

// quantile by linear interpolation; NaN for an empty sample.
func (s sample) quantile(q float64) float64 {
	if len(s) == 0 {
		return math.NaN()
	}
	c := s.sorted()
	pos := q * float64(len(c)-1)
	lo := int(math.Floor(pos))
	hi := int(math.Ceil(pos))
	return c[lo] + (c[hi]-c[lo])*(pos-float64(lo))
}

func (s sample) median() float64 { return s.quantile(0.5) }
func (s sample) min() float64    { return s.quantile(0) }
func (s sample) max() float64    { return s.quantile(1) }

// spread is "p10–p90" for large samples and "min–max" for small ones, where a
// percentile would only be an interpolation between two runs.
func (s sample) spread(format string) string {
	if len(s) >= 20 {
		return fmt.Sprintf(format+"–"+format+" (p10–p90)", s.quantile(0.1), s.quantile(0.9))
	}
	return fmt.Sprintf(format+"–"+format+" (min–max)", s.min(), s.max())
}

// figure is one row of the report: a measured median against a target.
type figure struct {
	Name   string
	Unit   string
	Sample sample
	Format string // printf verb for the values, e.g. "%.1f"
	Target float64
	// Higher is better (throughput); otherwise lower is better (latency, memory).
	Higher bool
	Note   string
}

// verdict is "ok" or "MISSED" against the target, empty without one.
func (f figure) verdict() string {
	if f.Target == 0 || len(f.Sample) == 0 {
		return ""
	}
	m := f.Sample.median()
	if (f.Higher && m >= f.Target) || (!f.Higher && m < f.Target) {
		return "ok"
	}
	return "MISSED"
}

// ratio of the median to the target (below 1 is headroom for a ceiling).
func (f figure) ratio() string {
	if f.Target == 0 || len(f.Sample) == 0 {
		return ""
	}
	return fmt.Sprintf("%.2f×", f.Sample.median()/f.Target)
}
