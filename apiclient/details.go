package apiclient

import (
	"context"
	"fmt"
	"net/http"
	"strconv"
)

// sendContactCall sends a write to /contact/{identifier}[/rest…] whose answer carries nothing
// the caller needs.
func (c *Client) sendContactCall(ctx context.Context, id ContactIdentifier, method string, repeat repeatPolicy, body any, rest ...string) error {
	cl, err := contactCall(id, method, repeat, body, PageOptions{}, rest...)
	if err != nil {
		return err
	}
	_, err = c.send(ctx, cl)
	return err
}

// CreateContact adds a contact named by an email: or phone: identifier.
// POST /contact/{identifier}. Not idempotent (a second create is a 409): never resent once it
// may have reached the server. The answer carries no id: read the contact back to learn it.
func (c *Client) CreateContact(ctx context.Context, id ContactIdentifier, w ContactWrite) error {
	if w.FirstName == "" {
		return fmt.Errorf("a new contact needs a first name")
	}
	return c.sendContactCall(ctx, id, http.MethodPost, neverRepeat, w)
}

// UpdateContact changes a contact's attributes and custom fields. PUT /contact/{identifier}
// (idempotent: same end state).
func (c *Client) UpdateContact(ctx context.Context, id ContactIdentifier, w ContactWrite) error {
	return c.sendContactCall(ctx, id, http.MethodPut, mayRepeat, w)
}

// DeleteContact removes a contact and its conversation. DELETE /contact/{identifier}
// (idempotent: a repeat finds nothing to delete, a 404 the caller may take as done).
func (c *Client) DeleteContact(ctx context.Context, id ContactIdentifier) error {
	return c.sendContactCall(ctx, id, http.MethodDelete, mayRepeat, nil)
}

// CreateOrUpdateContact creates the contact an email: or phone: identifier names, or updates
// it when it exists, and returns its id. POST /contact/create_or_update/{identifier}
// (idempotent: repeating it updates the contact it created).
func (c *Client) CreateOrUpdateContact(ctx context.Context, id ContactIdentifier, w ContactWrite) (int64, error) {
	canon, err := id.canonical()
	if err != nil {
		return 0, err
	}
	cl, err := newCall(http.MethodPost, mayRepeat, w, nil, "contact", "create_or_update", canon.PathSegment())
	if err != nil {
		return 0, err
	}
	r, err := doJSON[ContactIDResponse](ctx, c, cl)
	if err != nil {
		return 0, err
	}
	return int64(r.ContactID), nil
}

// MergeContacts merges drop into keep (messages, events, tags and channels move to keep; drop
// is removed) and applies w to keep. POST /contact/merge. Not idempotent: never resent.
func (c *Client) MergeContacts(ctx context.Context, keep, drop int64, w ContactWrite) (int64, error) {
	cl, err := newCall(http.MethodPost, neverRepeat, w.wire(map[string]any{"contactIds": []int64{keep, drop}}), nil, "contact", "merge")
	if err != nil {
		return 0, err
	}
	r, err := doJSON[ContactIDResponse](ctx, c, cl)
	if err != nil {
		return 0, err
	}
	return int64(r.ContactID), nil
}

// MaxTagsPerRequest is the platform's limit of tag names in one tag request.
const MaxTagsPerRequest = 10

func checkTags(tags []string) error {
	switch {
	case len(tags) == 0:
		return fmt.Errorf("no tag given")
	case len(tags) > MaxTagsPerRequest:
		return fmt.Errorf("at most %d tags per request (got %d)", MaxTagsPerRequest, len(tags))
	}
	return nil
}

// AddTags tags a contact with 1–10 tags. POST /contact/{identifier}/tag with a bare array
// (idempotent: a tag the contact has is not added twice).
func (c *Client) AddTags(ctx context.Context, id ContactIdentifier, tags []string) error {
	if err := checkTags(tags); err != nil {
		return err
	}
	return c.sendContactCall(ctx, id, http.MethodPost, mayRepeat, tags, "tag")
}

// RemoveTags removes 1–10 tags from a contact. DELETE /contact/{identifier}/tag with a bare
// array body (idempotent).
func (c *Client) RemoveTags(ctx context.Context, id ContactIdentifier, tags []string) error {
	if err := checkTags(tags); err != nil {
		return err
	}
	return c.sendContactCall(ctx, id, http.MethodDelete, mayRepeat, tags, "tag")
}

// SetLifecycle sets a contact's lifecycle stage; nil clears it.
// POST /contact/{identifier}/lifecycle/update (idempotent).
func (c *Client) SetLifecycle(ctx context.Context, id ContactIdentifier, stage *string) error {
	body := struct {
		Name *string `json:"name"`
	}{stage}
	return c.sendContactCall(ctx, id, http.MethodPost, mayRepeat, body, "lifecycle", "update")
}

// ListCustomFields fetches one page of custom-field definitions. GET /space/custom_field
func (c *Client) ListCustomFields(ctx context.Context, page PageOptions) (*Page[CustomFieldDef], error) {
	cl, err := c.listSpace(page, "custom_field")
	if err != nil {
		return nil, err
	}
	return doJSON[Page[CustomFieldDef]](ctx, c, cl)
}

// GetCustomField fetches one definition. GET /space/custom_field/{id}
func (c *Client) GetCustomField(ctx context.Context, id int64) (*CustomFieldDef, error) {
	cl, err := c.listSpace(PageOptions{}, "custom_field", strconv.FormatInt(id, 10))
	if err != nil {
		return nil, err
	}
	return doJSON[CustomFieldDef](ctx, c, cl)
}

// CreateCustomField defines a custom field. POST /space/custom_field (not idempotent).
func (c *Client) CreateCustomField(ctx context.Context, req CreateCustomFieldRequest) (*CustomFieldDef, error) {
	cl, err := newCall(http.MethodPost, neverRepeat, req, nil, "space", "custom_field")
	if err != nil {
		return nil, err
	}
	return doJSON[CustomFieldDef](ctx, c, cl)
}

// IterateCustomFields streams the custom-field definitions.
func (c *Client) IterateCustomFields(size int) *Iterator[CustomFieldDef] {
	return NewIterator(func(ctx context.Context, cursor int64) (*Page[CustomFieldDef], error) {
		return c.ListCustomFields(ctx, PageOptions{Limit: pageSize(size), Cursor: cursor})
	})
}

// CreateTag adds a workspace tag. POST /space/tag (not idempotent: a repeat is a 409).
func (c *Client) CreateTag(ctx context.Context, req TagRequest) (*Tag, error) {
	if req.Name == "" {
		return nil, fmt.Errorf("a tag needs a name")
	}
	req.CurrentName = ""
	cl, err := newCall(http.MethodPost, neverRepeat, req, nil, "space", "tag")
	if err != nil {
		return nil, err
	}
	return doJSON[Tag](ctx, c, cl)
}

// UpdateTag changes (and with Name renames) the tag CurrentName; the platform renames it on
// every contact carrying it. PUT /space/tag (not idempotent once renamed: never resent).
func (c *Client) UpdateTag(ctx context.Context, req TagRequest) (*Tag, error) {
	if req.CurrentName == "" {
		return nil, fmt.Errorf("name the tag to change")
	}
	cl, err := newCall(http.MethodPut, neverRepeat, req, nil, "space", "tag")
	if err != nil {
		return nil, err
	}
	return doJSON[Tag](ctx, c, cl)
}

// DeleteTag removes a workspace tag from the workspace and every contact. DELETE /space/tag
// with {"name"} as the body (idempotent).
func (c *Client) DeleteTag(ctx context.Context, name string) error {
	body := struct {
		Name string `json:"name"`
	}{name}
	cl, err := newCall(http.MethodDelete, mayRepeat, body, nil, "space", "tag")
	if err != nil {
		return err
	}
	_, err = c.send(ctx, cl)
	return err
}

// ListTemplates fetches one page of a WhatsApp channel's message templates.
// GET /space/channel/{channelId}/template
func (c *Client) ListTemplates(ctx context.Context, channelID int64, page PageOptions) (*Page[WhatsAppTemplate], error) {
	cl, err := c.listSpace(page, "channel", strconv.FormatInt(channelID, 10), "template")
	if err != nil {
		return nil, err
	}
	return doJSON[Page[WhatsAppTemplate]](ctx, c, cl)
}

// GetTemplate fetches one template by id through the n8n node's path. GET /space/mtm/{templateId}
func (c *Client) GetTemplate(ctx context.Context, templateID int64) (*WhatsAppTemplate, error) {
	cl, err := c.listSpace(PageOptions{}, "mtm", strconv.FormatInt(templateID, 10))
	if err != nil {
		return nil, err
	}
	r, err := doJSON[mtmTemplate](ctx, c, cl)
	if err != nil {
		return nil, err
	}
	return &r.Data, nil
}

// IterateTemplates streams a channel's templates.
func (c *Client) IterateTemplates(channelID int64, size int) *Iterator[WhatsAppTemplate] {
	return NewIterator(func(ctx context.Context, cursor int64) (*Page[WhatsAppTemplate], error) {
		return c.ListTemplates(ctx, channelID, PageOptions{Limit: pageSize(size), Cursor: cursor})
	})
}
