package sandbox

import "net/http"

// contactActionPattern is the router's pattern for POST /contact/create_or_update/{identifier}
// (see contactAction), without the /v2 prefix.
const contactActionPattern = "POST /contact/{identifier}/{action}"

// detailRoutes registers the further core endpoints: contact create, update, delete,
// create-or-update and merge, tags, lifecycle, custom fields, workspace tags and WhatsApp
// templates (under both the SDK's and the n8n node's paths).
func (s *Server) detailRoutes(h func(string, func(http.ResponseWriter, *http.Request) error)) {
	h("POST /v2/contact/{identifier}", s.audited("contact_created", s.createContact))
	h("PUT /v2/contact/{identifier}", s.audited("contact_updated", s.updateContact))
	h("DELETE /v2/contact/{identifier}", s.audited("contact_deleted", s.deleteContact))
	h("POST /v2/contact/{identifier}/{action}", s.contactAction)
	h("POST /v2/contact/merge", s.audited("contacts_merged", s.mergeContacts))
	h("POST /v2/contact/{identifier}/tag", s.audited("tags_added", s.changeTags(true)))
	h("DELETE /v2/contact/{identifier}/tag", s.audited("tags_removed", s.changeTags(false)))
	h("POST /v2/contact/{identifier}/lifecycle/update", s.audited("lifecycle_updated", s.setLifecycle))
	h("GET /v2/space/custom_field", s.listFieldDefs)
	h("GET /v2/space/custom_field/{id}", s.getFieldDef)
	h("POST /v2/space/custom_field", s.audited("custom_field_created", s.createFieldDef))
	h("POST /v2/space/tag", s.audited("tag_created", s.createTag))
	h("PUT /v2/space/tag", s.audited("tag_updated", s.updateTag))
	h("DELETE /v2/space/tag", s.audited("tag_deleted", s.deleteTag))
	h("GET /v2/space/channel/{channelId}/template", s.listTemplates(false))
	h("GET /v2/space/channel/{channelId}/mtm", s.listTemplates(true))
	h("GET /v2/space/mtm/{templateId}", s.getTemplateMTM)
}
