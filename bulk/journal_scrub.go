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
	r.Extra = r.Extra.mapStrings(scrub)
	return r
}
