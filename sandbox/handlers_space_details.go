package sandbox

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"strings"

	"github.com/respondctl/respondctl/sandbox/store"
)

// Workspace-level detail endpoints: custom-field definitions, workspace tags, WhatsApp templates.

// pathID reads the positive id in the path parameter param; what names it in the 400.
func pathID(r *http.Request, param, what string) (int64, error) {
	id, err := strconv.ParseInt(r.PathValue(param), 10, 64)
	if err != nil || id < 1 {
		return 0, errorf(http.StatusBadRequest, "Invalid %s id %q", what, r.PathValue(param))
	}
	return id, nil
}

type fieldDefJSON struct {
	ID            int64    `json:"id"`
	Name          string   `json:"name"`
	Slug          string   `json:"slug"`
	Description   *string  `json:"description"`
	DataType      string   `json:"dataType"`
	AllowedValues []string `json:"allowedValues"`
}

func renderFieldDef(f store.FieldDef) fieldDefJSON {
	out := fieldDefJSON{ID: f.ID, Name: f.Name, Slug: f.Slug, Description: f.Description, DataType: f.DataType, AllowedValues: f.AllowedValues}
	if out.AllowedValues == nil {
		out.AllowedValues = []string{}
	}
	return out
}

func (s *Server) listFieldDefs(w http.ResponseWriter, r *http.Request) error {
	return servePage(w, r, func(p store.Page) ([]store.FieldDef, bool, error) { return s.store.ListFieldDefs(r.Context(), p) },
		func(f store.FieldDef) (fieldDefJSON, int64) { return renderFieldDef(f), f.ID })
}

func (s *Server) getFieldDef(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id", "custom field")
	if err != nil {
		return err
	}
	f, err := s.store.GetFieldDef(r.Context(), id)
	if errors.Is(err, store.ErrNotFound) {
		return errorf(http.StatusNotFound, "Custom field not found")
	}
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, renderFieldDef(f))
	return nil
}

func (s *Server) createFieldDef(w http.ResponseWriter, r *http.Request, a *auditInfo) error {
	var b struct {
		Name          string          `json:"name"`
		Slug          string          `json:"slug"`
		Description   *string         `json:"description"`
		DataType      string          `json:"dataType"`
		AllowedValues json.RawMessage `json:"allowedValues"`
	}
	if err := decodeBody(r, &b); err != nil {
		return err
	}
	f := store.FieldDef{Name: b.Name, Slug: b.Slug, Description: b.Description, DataType: b.DataType}
	// allowedValues is a bare array or {"listValues": [...]}.
	if raw := bytes.TrimSpace(b.AllowedValues); len(raw) > 0 && string(raw) != "null" {
		if raw[0] == '{' {
			var lv struct {
				ListValues []string `json:"listValues"`
			}
			if err := json.Unmarshal(raw, &lv); err != nil {
				return errorf(http.StatusBadRequest, `"allowedValues" must be an array of strings or {"listValues": [...]}`)
			}
			f.AllowedValues = lv.ListValues
		} else if err := json.Unmarshal(raw, &f.AllowedValues); err != nil {
			return errorf(http.StatusBadRequest, `"allowedValues" must be an array of strings or {"listValues": [...]}`)
		}
	}
	a.summary = fmt.Sprintf("name=%q dataType=%s", f.Name, f.DataType)
	f, err := s.store.CreateFieldDef(r.Context(), f)
	if err != nil {
		return err
	}
	a.summary += fmt.Sprintf(" id=%d", f.ID)
	writeJSON(w, http.StatusOK, renderFieldDef(f))
	return nil
}

type tagJSON struct {
	ID          int64   `json:"id"`
	Name        string  `json:"name"`
	Description *string `json:"description"`
	ColorCode   *string `json:"colorCode"`
	Emoji       *string `json:"emoji"`
}

func renderTag(t store.WorkspaceTag) tagJSON {
	return tagJSON{ID: t.ID, Name: t.Name, Description: t.Description, ColorCode: t.ColorCode, Emoji: t.Emoji}
}

func tagNotFound(err error, name string) error {
	if errors.Is(err, store.ErrNotFound) {
		return errorf(http.StatusNotFound, "Tag %q not found", name)
	}
	return err
}

func (s *Server) createTag(w http.ResponseWriter, r *http.Request, a *auditInfo) error {
	var b struct {
		Name        string  `json:"name"`
		Description *string `json:"description"`
		ColorCode   *string `json:"colorCode"`
		Emoji       *string `json:"emoji"`
	}
	if err := decodeBody(r, &b); err != nil {
		return err
	}
	if strings.TrimSpace(b.Name) == "" {
		return errorf(http.StatusBadRequest, `"name" is required`)
	}
	a.summary = "name=" + strconv.Quote(b.Name)
	t, err := s.store.CreateTag(r.Context(), store.WorkspaceTag{Name: b.Name, Description: b.Description, ColorCode: b.ColorCode, Emoji: b.Emoji})
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, renderTag(t))
	return nil
}

func (s *Server) updateTag(w http.ResponseWriter, r *http.Request, a *auditInfo) error {
	var b struct {
		CurrentName string  `json:"currentName"`
		Name        *string `json:"name"`
		Description *string `json:"description"`
		ColorCode   *string `json:"colorCode"`
		Emoji       *string `json:"emoji"`
	}
	if err := decodeBody(r, &b); err != nil {
		return err
	}
	a.summary = "currentName=" + strconv.Quote(b.CurrentName)
	if b.Name != nil {
		a.summary += " name=" + strconv.Quote(*b.Name)
	}
	t, n, err := s.store.UpdateTag(r.Context(), store.TagUpdate{CurrentName: b.CurrentName, Name: b.Name, Description: b.Description, ColorCode: b.ColorCode, Emoji: b.Emoji})
	if err != nil {
		return tagNotFound(err, b.CurrentName)
	}
	a.summary += fmt.Sprintf(" contacts=%d", n)
	writeJSON(w, http.StatusOK, renderTag(t))
	return nil
}

func (s *Server) deleteTag(w http.ResponseWriter, r *http.Request, a *auditInfo) error {
	var b struct {
		Name string `json:"name"`
	}
	if err := decodeBody(r, &b); err != nil {
		return err
	}
	if strings.TrimSpace(b.Name) == "" {
		return errorf(http.StatusBadRequest, `"name" is required`)
	}
	a.summary = "name=" + strconv.Quote(b.Name)
	n, err := s.store.DeleteTag(r.Context(), b.Name)
	if err != nil {
		return tagNotFound(err, b.Name)
	}
	a.summary += fmt.Sprintf(" contacts=%d", n)
	writeJSON(w, http.StatusOK, map[string]any{"code": 200, "message": "Tag deleted successfully"})
	return nil
}

type templateJSON struct {
	ID           int64  `json:"id"`
	Name         string `json:"name"`
	LanguageCode string `json:"languageCode"`
	Category     string `json:"category"`
	Status       string `json:"status"`
	Namespace    string `json:"namespace"`
	Components   any    `json:"components"`
	ChannelID    int64  `json:"channelId"`
}

// renderTemplate renders a template; asString gives components as a JSON string, the way the
// n8n node's mtm endpoints carry them.
func renderTemplate(t store.Template, asString bool) templateJSON {
	out := templateJSON{ID: t.ID, Name: t.Name, LanguageCode: t.LanguageCode, Category: t.Category, Status: t.Status,
		Namespace: t.Namespace, Components: t.Components, ChannelID: t.ChannelID}
	if asString {
		out.Components = string(t.Components)
	}
	return out
}

func (s *Server) listTemplates(asString bool) func(http.ResponseWriter, *http.Request) error {
	return func(w http.ResponseWriter, r *http.Request) error {
		return servePage(w, r, func(p store.Page) ([]store.Template, bool, error) {
			id, err := pathID(r, "channelId", "channel")
			if err != nil {
				return nil, false, err
			}
			ch, err := s.store.GetChannel(r.Context(), id)
			if errors.Is(err, store.ErrNotFound) {
				return nil, false, errorf(http.StatusNotFound, "Channel %d not found", id)
			} else if err != nil {
				return nil, false, err
			}
			if !store.IsWhatsApp(ch.Source) {
				return nil, false, errorf(http.StatusBadRequest, "Channel %d is %s: only WhatsApp channels have message templates", id, ch.Source)
			}
			return s.store.ListTemplates(r.Context(), id, p)
		}, func(t store.Template) (templateJSON, int64) { return renderTemplate(t, asString), t.ID })
	}
}

// getTemplateMTM is the n8n node's GET /space/mtm/{templateId}.
func (s *Server) getTemplateMTM(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "templateId", "template")
	if err != nil {
		return err
	}
	t, err := s.store.GetTemplate(r.Context(), id)
	if errors.Is(err, store.ErrNotFound) {
		return errorf(http.StatusNotFound, "Template not found")
	}
	if err != nil {
		return err
	}
	data := map[string]any{}
	b, _ := json.Marshal(renderTemplate(t, true))
	_ = json.Unmarshal(b, &data)
	data["catalogProducts"] = []any{}
	writeJSON(w, http.StatusOK, map[string]any{"status": "success", "message": "Template fetched successfully", "data": data})
	return nil
}
