package httpmock

import (
	"encoding/json"
	"io"
	"net/http"
	"net/url"
	"strings"
)

type matchFunc struct {
	desc string
	fn   func(*http.Request) bool
}

func (m matchFunc) Matches(req *http.Request) bool { return m.fn(req) }
func (m matchFunc) String() string                 { return m.desc }

// MatchFunc wraps a custom predicate with a description for Verify's messages.
func MatchFunc(desc string, fn func(*http.Request) bool) Matcher { return matchFunc{desc, fn} }

// REST matches a method and a path relative to the API base: "contact/id:1"
// matches /v2/contact/id:1 (the base path prefix is ignored). The pattern may
// be written escaped or not, and may carry a query ("contact/list?limit=10")
// whose parameters must all be present with those values (others may be too).
func REST(method, pattern string) Matcher {
	p, rawQuery, _ := strings.Cut(pattern, "?")
	want, _ := url.ParseQuery(rawQuery)
	suffix := "/" + strings.Trim(p, "/")
	unescaped := suffix
	if u, err := url.PathUnescape(suffix); err == nil {
		unescaped = u
	}
	return matchFunc{
		desc: strings.ToUpper(method) + " " + pattern,
		fn: func(req *http.Request) bool {
			if !strings.EqualFold(req.Method, method) {
				return false
			}
			// unescaped starts with "/", so a suffix match starts at a segment boundary.
			path := "/" + strings.Trim(req.URL.Path, "/")
			if !strings.HasSuffix(path, unescaped) {
				return false
			}
			q := req.URL.Query()
			for k, vs := range want {
				for _, v := range vs {
					if !contains(q[k], v) {
						return false
					}
				}
			}
			return true
		},
	}
}

// WithJSONBody narrows m to requests whose JSON body equals want (compared as
// decoded JSON values, so key order and spacing do not matter).
func WithJSONBody(m Matcher, want any) Matcher {
	wantJSON, _ := json.Marshal(want)
	var wantVal any
	_ = json.Unmarshal(wantJSON, &wantVal)
	return matchFunc{
		desc: m.String() + " with body " + string(wantJSON),
		fn: func(req *http.Request) bool {
			if !m.Matches(req) || req.Body == nil {
				return false
			}
			b, err := io.ReadAll(req.Body)
			if err != nil {
				return false
			}
			var got any
			if json.Unmarshal(b, &got) != nil {
				return false
			}
			gotJSON, _ := json.Marshal(got)
			normWant, _ := json.Marshal(wantVal)
			return string(gotJSON) == string(normWant)
		},
	}
}

func contains(list []string, v string) bool {
	for _, x := range list {
		if x == v {
			return true
		}
	}
	return false
}
