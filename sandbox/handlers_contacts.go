package sandbox

import (
	"bytes"
	"encoding/json"
	"net/http"
	"strings"
	"time"

	"github.com/respondctl/respondctl/sandbox/store"
)

func (s *Server) getContact(w http.ResponseWriter, r *http.Request) error {
	if err := s.store.WakeSnoozed(r.Context()); err != nil {
		return err
	}
	id, err := s.contactID(r)
	if err != nil {
		return err
	}
	c, err := s.store.GetContact(r.Context(), id)
	if err != nil {
		return notFoundContact(err)
	}
	writeJSON(w, http.StatusOK, s.renderContact(c))
	return nil
}

func notFoundContact(err error) error {
	if err == store.ErrNotFound {
		return errorf(http.StatusNotFound, "Contact not found")
	}
	return err
}

// listBody is the body of /contact/list and /contact/count.
type listBody struct {
	Search   *string         `json:"search"`
	Timezone *string         `json:"timezone"`
	Filter   json.RawMessage `json:"filter"`
}

// contactQuery reads a /contact/list or /contact/count body. requireFilter:
// /contact/list wants "filter" as the vendor SDK's types say
// ({"$and": []} when there are no conditions).
func (s *Server) contactQuery(r *http.Request, requireFilter bool) (store.ContactQuery, error) {
	var b listBody
	if err := decodeBody(r, &b); err != nil {
		return store.ContactQuery{}, err
	}
	if b.Search == nil {
		return store.ContactQuery{}, errorf(http.StatusBadRequest, `"search" is required (send "" when not searching)`)
	}
	if requireFilter && (len(b.Filter) == 0 || string(bytes.TrimSpace(b.Filter)) == "null") {
		return store.ContactQuery{}, errorf(http.StatusBadRequest, `"filter" is required (send {"$and": []} when there are no conditions)`)
	}
	if len(*b.Search) > 256 {
		return store.ContactQuery{}, errorf(http.StatusBadRequest, `"search" must be at most 256 characters`)
	}
	loc := time.UTC
	if b.Timezone != nil && *b.Timezone != "" {
		var err error
		if loc, err = loadZone(*b.Timezone); err != nil {
			return store.ContactQuery{}, errorf(http.StatusBadRequest, "Unknown timezone %q", *b.Timezone)
		}
	}
	return store.ContactQuery{Search: *b.Search, Filter: b.Filter, Location: loc, Ext: s.ext()}, nil
}

// loadZone resolves an IANA zone name case-insensitively ("asia/kuala_lumpur").
func loadZone(name string) (*time.Location, error) {
	name = strings.TrimSpace(name)
	if strings.EqualFold(name, "utc") || strings.EqualFold(name, "etc/utc") {
		return time.UTC, nil
	}
	if loc, err := time.LoadLocation(name); err == nil {
		return loc, nil
	}
	// Title-case each part: asia/kuala_lumpur -> Asia/Kuala_Lumpur; short parts (EST, GMT) upper-case.
	var b strings.Builder
	upperNext := true
	for _, r := range strings.ToLower(name) {
		if upperNext {
			b.WriteString(strings.ToUpper(string(r)))
		} else {
			b.WriteRune(r)
		}
		upperNext = r == '/' || r == '_' || r == '-'
	}
	if loc, err := time.LoadLocation(b.String()); err == nil {
		return loc, nil
	}
	parts := strings.Split(b.String(), "/")
	for i, p := range parts {
		if len(p) <= 3 {
			parts[i] = strings.ToUpper(p)
		}
	}
	return time.LoadLocation(strings.Join(parts, "/"))
}

func (s *Server) listContacts(w http.ResponseWriter, r *http.Request) error {
	return servePage(w, r, func(p store.Page) ([]store.Contact, bool, error) {
		q, err := s.contactQuery(r, true)
		if err != nil {
			return nil, false, err
		}
		if err := s.store.WakeSnoozed(r.Context()); err != nil {
			return nil, false, err
		}
		return s.store.ListContacts(r.Context(), q, p)
	}, func(c store.Contact) (contactJSON, int64) { return s.renderContact(c), c.ID })
}

func (s *Server) countContacts(w http.ResponseWriter, r *http.Request) error {
	q, err := s.contactQuery(r, false)
	if err != nil {
		return err
	}
	if err := s.store.WakeSnoozed(r.Context()); err != nil {
		return err
	}
	count, unread, err := s.store.CountContacts(r.Context(), q)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, map[string]int64{"count": count, "unread": unread})
	return nil
}

func (s *Server) listContactChannels(w http.ResponseWriter, r *http.Request) error {
	return servePage(w, r, func(p store.Page) ([]store.ContactChannel, bool, error) {
		id, err := s.contactID(r)
		if err != nil {
			return nil, false, err
		}
		return s.store.ListContactChannels(r.Context(), id, p)
	}, func(c store.ContactChannel) (contactChannelJSON, int64) {
		return contactChannelJSON{ID: c.ChannelID, Name: c.Name, Source: c.Source, ContactChannelID: c.ContactChannelID,
			Meta: c.Meta, LastMessageTime: c.LastMessageTime, LastIncomingMessageTime: c.LastIncomingMessageTime, CreatedAt: c.CreatedAt}, c.ChannelID
	})
}
