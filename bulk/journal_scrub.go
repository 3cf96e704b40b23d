package bulk

// SetScrubber makes the journal pass every result's detail (and the string
// values of its Extra) through scrub before writing: journals are a sink like
// stderr, and an error text that quoted a token must not persist on disk.
func (j *Journal) SetScrubber(scrub func(string) string) {
	j.mu.Lock()
	defer j.mu.Unlock()
	j.scrub = scrub
}

func (j *Journal) scrubResult(r Result) Result {
	j.mu.Lock()
	scrub := j.scrub
	j.mu.Unlock()
	if scrub == nil {
		return r
	}
	r.Detail = scrub(r.Detail)
	if len(r.Extra) > 0 {
		extra := make(map[string]any, len(r.Extra))
		for k, v := range r.Extra {
			if s, ok := v.(string); ok {
				v = scrub(s)
			}
			extra[k] = v
		}
		r.Extra = extra
	}
	return r
}
