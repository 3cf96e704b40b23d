package sandbox

import (
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"strings"

	"github.com/respondctl/respondctl/sandbox/store"
)

// contactWrite decodes the contact attributes of a create/update/merge body: a key present
// with null clears a nullable attribute; custom_fields is [{"name","value"}].
func contactWrite(fields map[string]json.RawMessage) (store.ContactWrite, error) {
	var w store.ContactWrite
	str := func(key string) (*string, bool, error) {
		raw, ok := fields[key]
		if !ok {
			return nil, false, nil
		}
		if string(raw) == "null" {
			return nil, true, nil
		}
		var v string
		if err := json.Unmarshal(raw, &v); err != nil {
			return nil, true, errorf(http.StatusBadRequest, "Invalid value for %q: expected a string", key)
		}
		v = strings.TrimSpace(v)
		return &v, true, nil
	}
	v, set, err := str("firstName")
	if err != nil {
		return w, err
	}
	if set {
		if v == nil {
			return w, errorf(http.StatusBadRequest, `"firstName" cannot be null`)
		}
		w.FirstName = v
	}
	for _, o := range []struct {
		key string
		dst *store.Optional
	}{{"lastName", &w.LastName}, {"phone", &w.Phone}, {"email", &w.Email}, {"language", &w.Language},
		{"profilePic", &w.ProfilePic}, {"countryCode", &w.CountryCode}} {
		v, set, err := str(o.key)
		if err != nil {
			return w, err
		}
		*o.dst = store.Optional{Set: set, Value: v}
	}
	if p := w.Phone.Value; p != nil && !validE164(*p) {
		return w, errorf(http.StatusBadRequest, "phone %q must be E.164, e.g. +60123456789", *p)
	}
	if e := w.Email.Value; e != nil {
		at := strings.Index(*e, "@")
		if at < 1 || at == len(*e)-1 || strings.ContainsAny(*e, " \t") {
			return w, errorf(http.StatusBadRequest, "email %q is not an email address", *e)
		}
	}
	if raw, ok := fields["custom_fields"]; ok && string(raw) != "null" {
		var cf []struct {
			Name  *string         `json:"name"`
			Value json.RawMessage `json:"value"`
		}
		if err := json.Unmarshal(raw, &cf); err != nil {
			return w, errorf(http.StatusBadRequest, `"custom_fields" must be an array of {"name", "value"}`)
		}
		for _, f := range cf {
			if f.Name == nil || *f.Name == "" {
				return w, errorf(http.StatusBadRequest, `every custom field needs a "name"`)
			}
			val := f.Value
			if len(val) == 0 {
				val = json.RawMessage("null")
			}
			w.Fields = append(w.Fields, store.CustomField{Name: *f.Name, Value: val})
		}
	}
	return w, nil
}

func decodeFields(r *http.Request) (map[string]json.RawMessage, error) {
	var m map[string]json.RawMessage
	if err := decodeBody(r, &m); err != nil {
		return nil, err
	}
	return m, nil
}

// summarize names the attributes of a write for the audit row.
func summarize(w store.ContactWrite) string {
	var parts []string
	if w.FirstName != nil {
		parts = append(parts, "firstName")
	}
	for _, o := range []struct {
		k string
		v store.Optional
	}{{"lastName", w.LastName}, {"phone", w.Phone}, {"email", w.Email}, {"language", w.Language}, {"profilePic", w.ProfilePic}, {"countryCode", w.CountryCode}} {
		if o.v.Set {
			parts = append(parts, o.k)
		}
	}
	for _, f := range w.Fields {
		parts = append(parts, "custom_fields."+f.Name)
	}
	return "set=" + strings.Join(parts, ",")
}

// createContact is POST /contact/{identifier}: the identifier (email: or phone:) names the new
// contact and fills its email or phone.
func (s *Server) createContact(w http.ResponseWriter, r *http.Request, a *auditInfo) error {
	id, _, err := s.create(r, a, false)
	if err != nil {
		return err
	}
	a.contactID = id
	writeJSON(w, http.StatusOK, map[string]string{"code": "200", "message": "Contact added successfully!"})
	return nil
}

// createOrUpdate is POST /contact/create_or_update/{identifier}.
func (s *Server) createOrUpdate(w http.ResponseWriter, r *http.Request, a *auditInfo) error {
	id, _, err := s.create(r, a, true)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, map[string]int64{"contactId": id})
	return nil
}

func (s *Server) create(r *http.Request, a *auditInfo, orUpdate bool) (int64, bool, error) {
	if !strings.Contains(r.PathValue("identifier"), ":") {
		// POST /contact/count on a core-only server, /contact/anything: not a route.
		return 0, false, errorf(http.StatusNotFound, "Not found: %s", r.URL.Path)
	}
	kind, value, err := parseIdentifier(r.PathValue("identifier"))
	if err != nil {
		return 0, false, err
	}
	if kind == "id" {
		return 0, false, errorf(http.StatusBadRequest, "Create a contact with an email: or phone: identifier, not %s", r.PathValue("identifier"))
	}
	fields, err := decodeFields(r)
	if err != nil {
		return 0, false, err
	}
	cw, err := contactWrite(fields)
	if err != nil {
		return 0, false, err
	}
	// The identifier is the contact's email or phone; a body that names another is refused.
	opt := &cw.Email
	if kind == "phone" {
		opt = &cw.Phone
	}
	if opt.Set && opt.Value != nil && !strings.EqualFold(*opt.Value, value) {
		return 0, false, errorf(http.StatusBadRequest, "%s %q in the body differs from the identifier %s", kind, *opt.Value, r.PathValue("identifier"))
	}
	v := value
	*opt = store.Optional{Set: true, Value: &v}
	a.summary = summarize(cw)
	existing, err := s.store.ResolveContact(r.Context(), kind, value)
	switch {
	case err == nil && !orUpdate:
		a.contactID = existing
		return 0, false, errorf(http.StatusConflict, "Contact already exists (id %d)", existing)
	case err == nil:
		a.contactID, a.action = existing, "contact_updated"
		_, err := s.store.UpdateContact(r.Context(), existing, cw)
		return existing, false, notFoundContact(err)
	case !errors.Is(err, store.ErrNotFound):
		return 0, false, err
	}
	id, err := s.store.CreateContact(r.Context(), cw)
	if err != nil {
		return 0, false, err
	}
	a.contactID, a.action = id, "contact_created"
	return id, true, nil
}

func (s *Server) updateContact(w http.ResponseWriter, r *http.Request, a *auditInfo) error {
	id, err := s.contactID(r)
	if err != nil {
		return err
	}
	a.contactID = id
	fields, err := decodeFields(r)
	if err != nil {
		return err
	}
	cw, err := contactWrite(fields)
	if err != nil {
		return err
	}
	a.summary = summarize(cw)
	changed, err := s.store.UpdateContact(r.Context(), id, cw)
	if err != nil {
		return notFoundContact(err)
	}
	a.summary += " changed=" + strings.Join(changed, ",")
	writeJSON(w, http.StatusOK, map[string]int64{"contactId": id})
	return nil
}

func (s *Server) deleteContact(w http.ResponseWriter, r *http.Request, a *auditInfo) error {
	id, err := s.contactID(r)
	if err != nil {
		return err
	}
	a.contactID = id
	if err := s.store.DeleteContact(r.Context(), id); err != nil {
		return notFoundContact(err)
	}
	writeJSON(w, http.StatusOK, map[string]int64{"contactId": id})
	return nil
}

// mergeContacts is POST /contact/merge {"contactIds": [keep, drop], …attributes for keep}.
func (s *Server) mergeContacts(w http.ResponseWriter, r *http.Request, a *auditInfo) error {
	fields, err := decodeFields(r)
	if err != nil {
		return err
	}
	var ids []json.Number
	if raw, ok := fields["contactIds"]; !ok || json.Unmarshal(raw, &ids) != nil || len(ids) != 2 {
		return errorf(http.StatusBadRequest, `"contactIds" must be an array of two contact ids: [keep, drop]`)
	}
	delete(fields, "contactIds")
	var pair [2]int64
	for i, n := range ids {
		v, err := strconv.ParseInt(strings.Trim(n.String(), `"`), 10, 64)
		if err != nil || v < 1 {
			return errorf(http.StatusBadRequest, "contactIds: %q is not a contact id", n.String())
		}
		pair[i] = v
	}
	a.contactID = pair[0]
	a.summary = fmt.Sprintf("keep=%d drop=%d", pair[0], pair[1])
	if pair[0] == pair[1] {
		return errorf(http.StatusBadRequest, "Cannot merge a contact with itself (id %d)", pair[0])
	}
	cw, err := contactWrite(fields)
	if err != nil {
		return err
	}
	if err := s.store.MergeContacts(r.Context(), pair[0], pair[1], cw); err != nil {
		if errors.Is(err, store.ErrNotFound) {
			return errorf(http.StatusNotFound, "Contact not found")
		}
		return err
	}
	writeJSON(w, http.StatusOK, map[string]int64{"contactId": pair[0]})
	return nil
}

// decodeTags reads a tag body: a bare JSON array of names, or {"tags": [...]} (an older
// vendor client's form).
func decodeTags(r *http.Request) ([]string, error) {
	data, err := readRaw(r)
	if err != nil {
		return nil, err
	}
	var tags []string
	switch {
	case len(data) > 0 && data[0] == '[':
		err = json.Unmarshal(data, &tags)
	case len(data) > 0 && data[0] == '{':
		var b struct {
			Tags []string `json:"tags"`
		}
		err = json.Unmarshal(data, &b)
		tags = b.Tags
	default:
		return nil, errorf(http.StatusBadRequest, `Request body must be a JSON array of tag names (or {"tags": [...]})`)
	}
	if err != nil {
		return nil, errorf(http.StatusBadRequest, "Tags must be an array of strings")
	}
	return tags, nil
}

func (s *Server) changeTags(add bool) func(http.ResponseWriter, *http.Request, *auditInfo) error {
	return func(w http.ResponseWriter, r *http.Request, a *auditInfo) error {
		id, err := s.contactID(r)
		if err != nil {
			return err
		}
		a.contactID = id
		tags, err := decodeTags(r)
		if err != nil {
			return err
		}
		a.summary = "tags=" + strings.Join(tags, ",")
		changed, err := s.store.ChangeTags(r.Context(), id, tags, add)
		if err != nil {
			return notFoundContact(err)
		}
		a.summary += " changed=" + strings.Join(changed, ",")
		writeJSON(w, http.StatusOK, map[string]int64{"contactId": id})
		return nil
	}
}

// setLifecycle is POST /contact/{identifier}/lifecycle/update: {"name": "Hot Lead"}; {"name":
// null} or a bare null body clears it.
func (s *Server) setLifecycle(w http.ResponseWriter, r *http.Request, a *auditInfo) error {
	id, err := s.contactID(r)
	if err != nil {
		return err
	}
	a.contactID = id
	data, err := readRaw(r)
	if err != nil {
		return err
	}
	var name *string
	switch {
	case string(data) == "null":
	case len(data) > 0 && data[0] == '{':
		var b map[string]json.RawMessage
		if err := json.Unmarshal(data, &b); err != nil {
			return errorf(http.StatusBadRequest, "Malformed JSON: %v", err)
		}
		raw, ok := b["name"]
		if !ok {
			return errorf(http.StatusBadRequest, `"name" is required (a lifecycle stage, or null to clear it)`)
		}
		if string(raw) != "null" {
			var v string
			if err := json.Unmarshal(raw, &v); err != nil || strings.TrimSpace(v) == "" {
				return errorf(http.StatusBadRequest, `"name" must be a lifecycle stage name or null`)
			}
			name = &v
		}
	default:
		return errorf(http.StatusBadRequest, `Request body must be {"name": "<stage>"} or {"name": null}`)
	}
	a.summary = "lifecycle=null"
	if name != nil {
		a.summary = "lifecycle=" + strconv.Quote(*name)
	}
	if _, err := s.store.SetLifecycle(r.Context(), id, name); err != nil {
		return notFoundContact(err)
	}
	writeJSON(w, http.StatusOK, map[string]any{"code": 200, "message": "Lifecycle updated successfully"})
	return nil
}

// contactAction serves POST /contact/{identifier}/{action} for the one path that cannot have
// its own pattern: /contact/create_or_update/{identifier} would conflict with every
// /contact/{identifier}/<verb> pattern in the router.
func (s *Server) contactAction(w http.ResponseWriter, r *http.Request) error {
	if r.PathValue("identifier") != "create_or_update" {
		return errorf(http.StatusNotFound, "Not found: %s", r.URL.Path)
	}
	r.SetPathValue("identifier", r.PathValue("action"))
	return s.audited("contact_created_or_updated", s.createOrUpdate)(w, r)
}
