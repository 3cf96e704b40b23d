package actions

import (
	"context"
	"strings"

	"github.com/respondctl/respondctl/apiclient"
)

// ContactDetails reads a contact's editable attributes.
func (p *ClientPlatform) ContactDetails(ctx context.Context, id string) (ContactDetails, error) {
	c, err := p.c.GetContact(ctx, ident(id))
	if err != nil {
		return ContactDetails{}, err
	}
	return DetailsOf(c), nil
}

// DetailsOf converts an API contact.
func DetailsOf(c *apiclient.Contact) ContactDetails {
	out := ContactDetails{ID: c.ID, Name: strings.TrimSpace(c.FirstName + " " + deref(c.LastName)), Tags: c.Tags,
		Lifecycle: deref(c.Lifecycle), Attrs: map[string]string{}, Fields: map[string]string{}}
	for k, v := range map[string]*string{"lastName": c.LastName, "phone": c.Phone, "email": c.Email,
		"language": c.Language, "profilePic": c.ProfilePic, "countryCode": c.CountryCode} {
		if v != nil && *v != "" {
			out.Attrs[k] = *v
		}
	}
	out.Attrs["firstName"] = c.FirstName
	for _, f := range c.CustomFields {
		if f.Value != nil {
			out.Fields[f.Name] = FieldText(f.Value)
		}
	}
	return out
}

// ContactWriteOf converts an update to the wire write.
func ContactWriteOf(u ContactUpdate) apiclient.ContactWrite {
	w := apiclient.ContactWrite{Attrs: map[string]*string{}}
	for k, v := range u.Attrs {
		if k == "firstName" {
			if v != nil {
				w.FirstName = *v
			}
			continue
		}
		w.Attrs[k] = v
	}
	for k, v := range u.Fields {
		w.CustomFields = append(w.CustomFields, apiclient.CustomField{Name: k, Value: v})
	}
	return w
}

func (p *ClientPlatform) AddTags(ctx context.Context, id string, tags []string) error {
	return p.c.AddTags(ctx, ident(id), tags)
}

func (p *ClientPlatform) RemoveTags(ctx context.Context, id string, tags []string) error {
	return p.c.RemoveTags(ctx, ident(id), tags)
}

func (p *ClientPlatform) SetLifecycle(ctx context.Context, id, stage string) error {
	var s *string
	if stage != "" {
		s = &stage
	}
	return p.c.SetLifecycle(ctx, ident(id), s)
}

func (p *ClientPlatform) UpdateContact(ctx context.Context, id string, u ContactUpdate) error {
	return p.c.UpdateContact(ctx, ident(id), ContactWriteOf(u))
}

func (p *ClientPlatform) DeleteContact(ctx context.Context, id string) error {
	return p.c.DeleteContact(ctx, ident(id))
}

func (p *ClientPlatform) CreateOrUpdate(ctx context.Context, id string, u ContactUpdate) (int64, error) {
	return p.c.CreateOrUpdateContact(ctx, ident(id), ContactWriteOf(u))
}

func (p *ClientPlatform) IsNotFound(err error) bool { return apiclient.IsNotFound(err) }

func (p *ClientPlatform) IsStageUnknown(err error) bool {
	return apiclient.IsValidation(err) && !apiclient.IsNotFound(err)
}
