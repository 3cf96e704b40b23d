package apiclient

// Contact is a contact and its conversation state. Nullable fields are
// pointers; unknown fields (locale, isBlocked…) are ignored.
type Contact struct {
	ID           int64         `json:"id"`
	FirstName    string        `json:"firstName"`
	LastName     *string       `json:"lastName"`
	Phone        *string       `json:"phone"`
	Email        *string       `json:"email"`
	Language     *string       `json:"language"`
	ProfilePic   *string       `json:"profilePic"`
	CountryCode  *string       `json:"countryCode"`
	Status       string        `json:"status"` // open | close; EXT: pending | snoozed
	Assignee     *Assignee     `json:"assignee"`
	Lifecycle    *string       `json:"lifecycle"`
	Tags         []string      `json:"tags"`
	CustomFields []CustomField `json:"custom_fields"`
	CreatedAt    int64         `json:"created_at"`

	// EXT (present when the server has the matching extension).
	LastMessageTime *int64 `json:"lastMessageTime,omitempty"`
	UnreadCount     *int   `json:"unreadCount,omitempty"`
	SnoozedUntil    *int64 `json:"snoozedUntil,omitempty"`
}

// CustomField is one custom field; Value is a string, float64, bool or nil.
type CustomField struct {
	Name  string `json:"name"`
	Value any    `json:"value"`
}

// Assignee is the user a conversation is assigned to.
type Assignee struct {
	ID        int64  `json:"id"`
	FirstName string `json:"firstName"`
	LastName  string `json:"lastName"`
	Email     string `json:"email"`
}

// ContactChannel is a channel through which a contact has talked.
type ContactChannel struct {
	ID                      int64          `json:"id"`
	Name                    string         `json:"name"`
	Source                  string         `json:"source"`
	ContactChannelID        int64          `json:"contactChannelId"`
	Meta                    map[string]any `json:"meta"`
	LastMessageTime         *int64         `json:"lastMessageTime"`
	LastIncomingMessageTime *int64         `json:"lastIncomingMessageTime"`
	CreatedAt               int64          `json:"created_at"`
}

// ContactListRequest is the body of POST /contact/list and POST /contact/count.
type ContactListRequest struct {
	// Search is always sent ("" when not searching): the platform rejects a body without it.
	Search string `json:"search"`
	// Timezone is an IANA zone for timestamp filters; "" sends "UTC".
	Timezone string  `json:"timezone"`
	Filter   *Filter `json:"filter,omitempty"`
}

// wire fills the defaults the platform expects and writes exactly what the
// vendor SDK types say: filter always present ({"$and": []} when there are no
// conditions), condition values as strings ("7", never 7).
func (r ContactListRequest) wire() ContactListRequest {
	if r.Timezone == "" {
		r.Timezone = "UTC"
	}
	if r.Filter == nil {
		r.Filter = &Filter{And: []Condition{}}
	} else {
		r.Filter = &Filter{And: wireConditions(r.Filter.And), Or: wireConditions(r.Filter.Or)}
	}
	return r
}

// ContactCount is the response of POST /contact/count (EXT).
type ContactCount struct {
	Count  int `json:"count"`
	Unread int `json:"unread"`
}

// Comment is an internal note on a conversation.
type Comment struct {
	ContactID int64  `json:"contactId"`
	Text      string `json:"text"`
	CreatedAt int64  `json:"created_at"`
}

// StatusRequest changes a conversation's status.
type StatusRequest struct {
	Status string `json:"status"` // open | close; EXT: pending | snooze
	// Category and Summary only for close; a non-nil empty string is sent as "".
	Category *string `json:"category,omitempty"`
	Summary  *string `json:"summary,omitempty"`
	// SnoozeUntil (seconds) only for snooze (EXT).
	SnoozeUntil *int64 `json:"snoozeUntil,omitempty"`
}

// Conversation statuses.
const (
	StatusOpen    = "open"
	StatusClose   = "close"
	StatusPending = "pending" // EXT
	StatusSnooze  = "snooze"  // EXT, request value
	StatusSnoozed = "snoozed" // EXT, contact status value
)
