package sandbox

import (
	"bytes"
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"
)

var fuzzMethods = []string{"GET", "POST", "PUT", "DELETE", "PATCH", "HEAD"}

// FuzzHandlers drives the whole handler chain (auth, routing, paging,
// bodies, store) with arbitrary method, path+query and body: any response
// must be a JSON object, and no input may produce a 500 (a panic becomes a
// 500 through the recover middleware). The seed corpus is hostileCases plus
// sandbox/testdata/fuzz/FuzzHandlers. Run it longer with
//
//	go test ./sandbox -run '^$' -fuzz FuzzHandlers -fuzztime 60s
func FuzzHandlers(f *testing.F) {
	for _, c := range hostileCases {
		for i, m := range fuzzMethods {
			if m == c.method {
				f.Add(uint8(i), c.path, []byte(c.body))
			}
		}
	}
	now := func() time.Time { return time.Date(2024, 11, 24, 12, 0, 0, 0, time.UTC) }
	srv, err := Start(context.Background(), Options{Token: "fuzz", Now: now})
	if err != nil {
		f.Fatal(err)
	}
	f.Cleanup(func() { srv.Close() })
	handler := srv.http.Handler
	f.Fuzz(func(t *testing.T, method uint8, path string, body []byte) {
		req, err := http.NewRequest(fuzzMethods[int(method)%len(fuzzMethods)], "http://127.0.0.1/v2"+path, bytes.NewReader(body))
		if err != nil {
			return // not a request a client could send
		}
		req.Header.Set("Authorization", "Bearer fuzz")
		rec := httptest.NewRecorder()
		handler.ServeHTTP(rec, req)
		if rec.Code >= 500 {
			t.Fatalf("%s %q %q: status %d: %s", req.Method, path, body, rec.Code, rec.Body)
		}
		if req.Method == "HEAD" || (rec.Code >= 300 && rec.Code < 400 && rec.Header().Get("Location") != "") {
			return // HEAD has no body; ServeMux redirects unclean paths (/a/../b) to the clean one
		}
		var obj map[string]any
		if err := json.Unmarshal(rec.Body.Bytes(), &obj); err != nil {
			t.Fatalf("%s %q: body is not a JSON object: %v: %q", req.Method, path, err, rec.Body)
		}
		if rec.Code >= 400 {
			if code, _ := obj["code"].(float64); int(code) != rec.Code || obj["message"] == "" {
				t.Fatalf("%s %q: error body %s", req.Method, path, rec.Body)
			}
		}
	})
}
