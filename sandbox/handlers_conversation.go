package sandbox

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/respondctl/respondctl/sandbox/store"
)

// Limits of the platform.
const (
	MaxCategoryLength = 128
	MaxSummaryLength  = 512
	MaxCommentLength  = 1000
)

func (s *Server) setAssignee(w http.ResponseWriter, r *http.Request, a *auditInfo) error {
	id, err := s.contactID(r)
	if err != nil {
		return err
	}
	a.contactID = id
	var b struct {
		Assignee json.RawMessage `json:"assignee"`
	}
	if err := decodeBody(r, &b); err != nil {
		return err
	}
	raw := bytes.TrimSpace(b.Assignee)
	if len(raw) == 0 {
		return errorf(http.StatusBadRequest, `"assignee" is required (a user id, a user email, or null to unassign)`)
	}
	var user *store.User
	switch {
	case string(raw) == "null":
		a.action, a.summary = "unassigned", "assignee=null"
	case raw[0] == '"' && !numericString(raw):
		var email string
		if err := json.Unmarshal(raw, &email); err != nil || !strings.Contains(email, "@") {
			return errorf(http.StatusBadRequest, "Assignee %s is not a user id or email", raw)
		}
		u, err := s.store.GetUserByEmail(r.Context(), email)
		if errors.Is(err, store.ErrNotFound) {
			return errorf(http.StatusBadRequest, "Assignee %q is not a user of this workspace", email)
		} else if err != nil {
			return err
		}
		user = &u
	default:
		// A number, or a numeric string ("7"): vendor clients send both.
		n, err := strconv.ParseInt(strings.Trim(string(raw), `"`), 10, 64)
		if err != nil {
			return errorf(http.StatusBadRequest, "Assignee %s is not a user id or email", raw)
		}
		u, err := s.store.GetUser(r.Context(), n)
		if errors.Is(err, store.ErrNotFound) {
			return errorf(http.StatusBadRequest, "Assignee %d is not a user of this workspace", n)
		} else if err != nil {
			return err
		}
		user = &u
	}
	if user != nil {
		a.action, a.summary = "assigned", fmt.Sprintf("assignee=%d", user.ID)
	}
	if _, err := s.store.Assign(r.Context(), id, user); err != nil {
		return notFoundContact(err)
	}
	writeJSON(w, http.StatusOK, map[string]int64{"contactId": id})
	return nil
}

type statusBody struct {
	Status      *string `json:"status"`
	Category    *string `json:"category"`
	Summary     *string `json:"summary"`
	SnoozeUntil *int64  `json:"snoozeUntil"`
}

func (s *Server) setStatus(w http.ResponseWriter, r *http.Request, a *auditInfo) error {
	id, err := s.contactID(r)
	if err != nil {
		return err
	}
	a.contactID = id
	var b statusBody
	if err := decodeBody(r, &b); err != nil {
		return err
	}
	if b.Status == nil {
		return errorf(http.StatusBadRequest, `"status" is required`)
	}
	ch := store.StatusChange{Status: *b.Status}
	a.summary = "status=" + ch.Status
	switch ch.Status {
	case "open":
	case "close":
		if b.Category != nil {
			ch.Category = *b.Category
		}
		if b.Summary != nil {
			ch.Summary = *b.Summary
		}
		if utf8.RuneCountInString(ch.Category) > MaxCategoryLength {
			return errorf(http.StatusBadRequest, "category must be at most %d characters", MaxCategoryLength)
		}
		if utf8.RuneCountInString(ch.Summary) > MaxSummaryLength {
			return errorf(http.StatusBadRequest, "summary must be at most %d characters", MaxSummaryLength)
		}
		a.summary += fmt.Sprintf(" category=%q", ch.Category)
		a.hook.data = map[string]any{"category": ch.Category, "summary": ch.Summary}
	case "pending", "snooze":
		if !s.ext() {
			return errorf(http.StatusBadRequest, "Invalid status %q (open or close)", ch.Status)
		}
		if ch.Status == "snooze" {
			if b.SnoozeUntil == nil {
				return errorf(http.StatusBadRequest, `"snoozeUntil" (seconds since the epoch) is required to snooze`)
			}
			if *b.SnoozeUntil <= s.now().Unix() {
				return errorf(http.StatusBadRequest, "snoozeUntil must be in the future")
			}
			ch.SnoozeUntil = *b.SnoozeUntil
			a.summary += fmt.Sprintf(" snoozeUntil=%d", ch.SnoozeUntil)
		}
	default:
		if s.ext() {
			return errorf(http.StatusBadRequest, "Invalid status %q (open, close, pending or snooze)", ch.Status)
		}
		return errorf(http.StatusBadRequest, "Invalid status %q (open or close)", ch.Status)
	}
	a.action = map[string]string{"open": "opened", "close": "closed", "pending": "pending", "snooze": "snoozed"}[ch.Status]
	if err := s.store.WakeSnoozed(r.Context()); err != nil {
		return err
	}
	if _, err := s.store.SetStatus(r.Context(), id, ch); err != nil {
		return notFoundContact(err)
	}
	writeJSON(w, http.StatusOK, map[string]int64{"contactId": id})
	return nil
}

func (s *Server) addComment(w http.ResponseWriter, r *http.Request, a *auditInfo) error {
	id, err := s.contactID(r)
	if err != nil {
		return err
	}
	a.contactID = id
	var b struct {
		Text *string `json:"text"`
	}
	if err := decodeBody(r, &b); err != nil {
		return err
	}
	if b.Text == nil || strings.TrimSpace(*b.Text) == "" {
		return errorf(http.StatusBadRequest, `"text" is required`)
	}
	if n := utf8.RuneCountInString(*b.Text); n > MaxCommentLength {
		return errorf(http.StatusBadRequest, "text must be at most %d characters (got %d)", MaxCommentLength, n)
	}
	c, err := s.store.AddComment(r.Context(), id, *b.Text)
	if err != nil {
		return err
	}
	a.summary = fmt.Sprintf("commentId=%d length=%d", c.ID, utf8.RuneCountInString(c.Text))
	a.hook.data = map[string]any{"text": c.Text, "attachments": []any{}, "mentionedUserIds": []int64{}, "mentionedUserEmails": []string{}}
	writeJSON(w, http.StatusOK, map[string]any{"contactId": id, "text": c.Text, "created_at": c.CreatedAt})
	return nil
}

func (s *Server) listEvents(w http.ResponseWriter, r *http.Request) error {
	return servePage(w, r, func(p store.Page) ([]store.Event, bool, error) {
		if err := s.store.WakeSnoozed(r.Context()); err != nil {
			return nil, false, err
		}
		id, err := s.contactID(r)
		if err != nil {
			return nil, false, err
		}
		return s.store.ListEvents(r.Context(), id, p)
	}, func(e store.Event) (eventJSON, int64) { return renderEvent(e), e.ID })
}
