package sandbox

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"reflect"
	"strconv"
	"strings"

	"github.com/respondctl/respondctl/sandbox/faults"
	"github.com/respondctl/respondctl/sandbox/store"
)

// apiError is an error with the status and message the API answers.
type apiError struct {
	status  int
	message string
}

func (e *apiError) Error() string { return e.message }

func errorf(status int, format string, args ...any) error {
	return &apiError{status: status, message: fmt.Sprintf(format, args...)}
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	b, err := json.Marshal(v)
	if err != nil {
		status, b = http.StatusInternalServerError, []byte(`{"code":500,"message":"Internal server error"}`)
	}
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("Content-Length", strconv.Itoa(len(b)+1))
	w.WriteHeader(status)
	w.Write(append(b, '\n'))
}

func writeError(w http.ResponseWriter, status int, message string) {
	writeJSON(w, status, map[string]any{"code": status, "message": message})
}

// fail writes err as the API would: apiError and store validation errors
// keep their status; anything else is a logged 500.
func (s *Server) fail(w http.ResponseWriter, r *http.Request, err error) {
	var ae *apiError
	var ve *store.ValidationError
	var ce *store.ConflictError
	switch {
	case errors.As(err, &ae):
		writeError(w, ae.status, ae.message)
	case errors.As(err, &ve):
		writeError(w, http.StatusBadRequest, ve.Msg)
	case errors.As(err, &ce):
		writeError(w, http.StatusConflict, ce.Msg)
	case errors.Is(err, store.ErrNotFound):
		writeError(w, http.StatusNotFound, "Not found")
	default:
		s.logf("error serving %s %s: %v", r.Method, r.URL.Path, err)
		writeError(w, http.StatusInternalServerError, "Internal server error")
	}
}

// readRaw reads a request body (any JSON value), with the size limit's 413.
func readRaw(r *http.Request) ([]byte, error) {
	data, err := io.ReadAll(r.Body)
	if err != nil {
		var mbe *http.MaxBytesError
		if errors.As(err, &mbe) {
			return nil, errorf(http.StatusRequestEntityTooLarge, "Request body is larger than %d bytes", MaxBodyBytes)
		}
		return nil, errorf(http.StatusBadRequest, "Could not read request body")
	}
	return bytes.TrimSpace(data), nil
}

// decodeBody decodes a JSON object body into v: 413 over the size limit,
// 400 for malformed JSON, wrong types or trailing data.
func decodeBody(r *http.Request, v any) error {
	data, err := readRaw(r)
	if err != nil {
		return err
	}
	if len(data) == 0 {
		return errorf(http.StatusBadRequest, "Request body must be a JSON object")
	}
	if data[0] != '{' {
		return errorf(http.StatusBadRequest, "Request body must be a JSON object")
	}
	dec := json.NewDecoder(bytes.NewReader(data))
	if err := dec.Decode(v); err != nil {
		var te *json.UnmarshalTypeError
		if errors.As(err, &te) {
			field := te.Field
			if field == "" {
				field = "body"
			}
			return errorf(http.StatusBadRequest, "Invalid value for %q: expected %s, got %s", field, jsonTypeName(te.Type), te.Value)
		}
		return errorf(http.StatusBadRequest, "Malformed JSON: %v", err)
	}
	if dec.More() {
		return errorf(http.StatusBadRequest, "Malformed JSON: unexpected data after the object")
	}
	return nil
}

// jsonTypeName names a Go type the way an API user knows it.
func jsonTypeName(t reflect.Type) string {
	switch t.Kind() {
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64,
		reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
		return "an integer"
	case reflect.Float32, reflect.Float64:
		return "a number"
	case reflect.String:
		return "a string"
	case reflect.Bool:
		return "a boolean"
	case reflect.Slice, reflect.Array:
		return "an array"
	case reflect.Pointer:
		return jsonTypeName(t.Elem())
	}
	return "an object"
}

// parsePage reads limit (1–100, default 10) and cursorId.
func parsePage(r *http.Request) (store.Page, error) {
	p := store.Page{Limit: 10}
	q := r.URL.Query()
	if v := q.Get("limit"); v != "" || q.Has("limit") {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 || n > 100 {
			return p, errorf(http.StatusBadRequest, "limit must be an integer between 1 and 100")
		}
		p.Limit = n
	}
	if v := q.Get("cursorId"); v != "" {
		n, err := strconv.ParseInt(v, 10, 64)
		if err != nil {
			return p, errorf(http.StatusBadRequest, "cursorId must be an integer")
		}
		p.Cursor = n
	}
	return p, nil
}

// pageResponse is {"items": [...], "pagination": {"next", "previous"}}.
type pageResponse struct {
	Items      any        `json:"items"`
	Pagination pagination `json:"pagination"`
}

type pagination struct {
	Next     string `json:"next"`
	Previous string `json:"previous"`
}

// pageLinks builds absolute next/previous URLs from the request's Host.
// firstID/lastID are the ids of the first and last item shown; more reports
// whether rows exist beyond the page in the paging direction.
func pageLinks(r *http.Request, p store.Page, n int, firstID, lastID int64, more bool) pagination {
	link := func(cursor int64) string {
		// RawPath keeps the client's escaping (email:a%2Fb@x.com stays one segment).
		u := url.URL{Scheme: "http", Host: r.Host, Path: r.URL.Path, RawPath: r.URL.RawPath}
		if faults.BareNext(r.Context()) {
			// The nov2 fault: links without the /v2 prefix, as the platform's sometimes are.
			u.Path, u.RawPath = strings.TrimPrefix(u.Path, "/v2"), strings.TrimPrefix(u.RawPath, "/v2")
		}
		if r.TLS != nil {
			u.Scheme = "https"
		}
		q := r.URL.Query()
		q.Set("limit", strconv.Itoa(p.Limit))
		q.Set("cursorId", strconv.FormatInt(cursor, 10))
		u.RawQuery = q.Encode()
		return u.String()
	}
	var out pagination
	if n == 0 {
		return out
	}
	if p.Cursor >= 0 {
		if more {
			out.Next = link(lastID)
		}
		if p.Cursor > 0 {
			out.Previous = link(-firstID)
		}
		return out
	}
	out.Next = link(lastID)
	if more {
		out.Previous = link(-firstID)
	}
	return out
}

// servePage is every list endpoint: it parses limit and cursorId (first, so a bad page is
// the error reported), lets fetch validate the rest of the request and read one page of
// rows, and writes them rendered, with pagination links built from the ids render gives
// (the cursor ids, in display order).
func servePage[Row, Item any](w http.ResponseWriter, r *http.Request, fetch func(store.Page) ([]Row, bool, error),
	render func(Row) (Item, int64)) error {
	p, err := parsePage(r)
	if err != nil {
		return err
	}
	rows, more, err := fetch(p)
	if err != nil {
		return err
	}
	items := make([]Item, len(rows))
	var first, last int64
	for i, row := range rows {
		var id int64
		items[i], id = render(row)
		if i == 0 {
			first = id
		}
		last = id
	}
	writeJSON(w, http.StatusOK, pageResponse{Items: items, Pagination: pageLinks(r, p, len(rows), first, last, more)})
	return nil
}

// contactIdentifier parses the {identifier} path value.
func (s *Server) contactID(r *http.Request) (int64, error) {
	kind, value, err := parseIdentifier(r.PathValue("identifier"))
	if err != nil {
		return 0, err
	}
	id, err := s.store.ResolveContact(r.Context(), kind, value)
	if errors.Is(err, store.ErrNotFound) {
		return 0, errorf(http.StatusNotFound, "Contact not found")
	}
	return id, err
}

// parseIdentifier checks a contact identifier and returns its kind and canonical value.
func parseIdentifier(raw string) (kind, value string, err error) {
	kind, value, ok := strings.Cut(raw, ":")
	if !ok {
		return "", "", errorf(http.StatusBadRequest, "Invalid contact identifier %q: use id:<number>, email:<address> or phone:<E.164>", raw)
	}
	switch kind {
	case "id":
		n, err := strconv.ParseInt(value, 10, 64)
		if err != nil || n < 1 {
			return "", "", errorf(http.StatusBadRequest, "Invalid contact identifier %q: id must be a positive integer", raw)
		}
		value = strconv.FormatInt(n, 10)
	case "email":
		at := strings.Index(value, "@")
		if at < 1 || at == len(value)-1 || strings.ContainsAny(value, " \t") {
			return "", "", errorf(http.StatusBadRequest, "Invalid contact identifier %q: not an email address", raw)
		}
	case "phone":
		// A phone without its "+" is read as E.164: the platform keeps phones
		// in E.164, so "60123456789" and "+60123456789" name the same contact.
		// A "+" turned into a space (a form decoder's doing) stays an error.
		if value != "" && value[0] >= '1' && value[0] <= '9' {
			value = "+" + value
		}
		if !validE164(value) {
			return "", "", errorf(http.StatusBadRequest, "Invalid contact identifier %q: phone must be E.164, e.g. +60123456789", raw)
		}
	default:
		return "", "", errorf(http.StatusBadRequest, "Invalid contact identifier %q: use id:<number>, email:<address> or phone:<E.164>", raw)
	}
	return kind, value, nil
}

func validE164(v string) bool {
	if len(v) < 8 || len(v) > 16 || v[0] != '+' || v[1] == '0' {
		return false
	}
	for _, c := range v[1:] {
		if c < '0' || c > '9' {
			return false
		}
	}
	return true
}
