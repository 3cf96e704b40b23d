package sandbox

import (
	"errors"
	"net/http"
	"strconv"

	"github.com/respondctl/respondctl/sandbox/store"
)

func (s *Server) listUsers(w http.ResponseWriter, r *http.Request) error {
	p, err := parsePage(r)
	if err != nil {
		return err
	}
	users, more, err := s.store.ListUsers(r.Context(), p)
	if err != nil {
		return err
	}
	items := make([]userJSON, len(users))
	ids := make([]int64, len(users))
	for i, u := range users {
		items[i], ids[i] = renderUser(u), u.ID
	}
	writePage(w, r, p, items, ids, more)
	return nil
}

func (s *Server) getUser(w http.ResponseWriter, r *http.Request) error {
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil || id < 1 {
		return errorf(http.StatusBadRequest, "Invalid user id %q", r.PathValue("id"))
	}
	u, err := s.store.GetUser(r.Context(), id)
	if errors.Is(err, store.ErrNotFound) {
		return errorf(http.StatusNotFound, "User not found")
	}
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, renderUser(u))
	return nil
}

func (s *Server) listChannels(w http.ResponseWriter, r *http.Request) error {
	p, err := parsePage(r)
	if err != nil {
		return err
	}
	chans, more, err := s.store.ListChannels(r.Context(), p)
	if err != nil {
		return err
	}
	items := make([]channelJSON, len(chans))
	ids := make([]int64, len(chans))
	for i, c := range chans {
		items[i], ids[i] = channelJSON{ID: c.ID, Name: c.Name, Source: c.Source, CreatedAt: c.CreatedAt}, c.ID
	}
	writePage(w, r, p, items, ids, more)
	return nil
}

type closingNoteJSON struct {
	Category    string  `json:"category"`
	Description *string `json:"description"`
}

func (s *Server) listClosingNotes(w http.ResponseWriter, r *http.Request) error {
	p, err := parsePage(r)
	if err != nil {
		return err
	}
	notes, more, err := s.store.ListClosingNotes(r.Context(), p)
	if err != nil {
		return err
	}
	items := make([]closingNoteJSON, len(notes))
	ids := make([]int64, len(notes))
	for i, n := range notes {
		items[i], ids[i] = closingNoteJSON{Category: n.Category, Description: n.Description}, n.ID
	}
	writePage(w, r, p, items, ids, more)
	return nil
}

type viewJSON struct {
	ID       int64  `json:"id"`
	Name     string `json:"name"`
	Filter   any    `json:"filter"`
	Status   any    `json:"status"`
	Assignee any    `json:"assignee"`
}

func (s *Server) listViews(w http.ResponseWriter, r *http.Request) error {
	views, err := s.store.ListViews(r.Context())
	if err != nil {
		return err
	}
	items := make([]viewJSON, len(views))
	for i, v := range views {
		items[i] = viewJSON{ID: v.ID, Name: v.Name, Filter: v.Filter, Status: v.Status, Assignee: v.Assignee}
	}
	writeJSON(w, http.StatusOK, map[string]any{"items": items})
	return nil
}
