package sandbox

import (
	"errors"
	"net/http"

	"github.com/respondctl/respondctl/sandbox/store"
)

func (s *Server) listUsers(w http.ResponseWriter, r *http.Request) error {
	return servePage(w, r, func(p store.Page) ([]store.User, bool, error) { return s.store.ListUsers(r.Context(), p) },
		func(u store.User) (userJSON, int64) { return renderUser(u), u.ID })
}

func (s *Server) getUser(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id", "user")
	if err != nil {
		return err
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
	return servePage(w, r, func(p store.Page) ([]store.Channel, bool, error) { return s.store.ListChannels(r.Context(), p) },
		func(c store.Channel) (channelJSON, int64) {
			return channelJSON{ID: c.ID, Name: c.Name, Source: c.Source, CreatedAt: c.CreatedAt}, c.ID
		})
}

type closingNoteJSON struct {
	Category    string  `json:"category"`
	Description *string `json:"description"`
}

func (s *Server) listClosingNotes(w http.ResponseWriter, r *http.Request) error {
	return servePage(w, r, func(p store.Page) ([]store.ClosingNote, bool, error) { return s.store.ListClosingNotes(r.Context(), p) },
		func(n store.ClosingNote) (closingNoteJSON, int64) {
			return closingNoteJSON{Category: n.Category, Description: n.Description}, n.ID
		})
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
