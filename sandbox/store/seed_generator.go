package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"strings"
)

// seedRNG is the fixed seed of every generator stream.
const seedRNG = 20241124

// generator builds contacts, conversations and events deterministically
// (fixed RNG seed; times relative to the clock at seed time).
type generator struct {
	ctx                                                     context.Context
	tx                                                      *sql.Tx
	now                                                     int64
	plan                                                    SeedPlan
	rng                                                     *rand.Rand
	msgTx                                                   *sql.Tx // when set, messages go there (buildSeeded)
	contactsB, tagsB, fieldsB, channelsB, messagesB, eventB *bulkInserter
	nextMessage, nextEvent, nextCC                          int64
}

func newGenerator(ctx context.Context, tx *sql.Tx, now int64, plan SeedPlan) *generator {
	return &generator{ctx: ctx, tx: tx, now: now, plan: plan, rng: rand.New(rand.NewPCG(seedRNG, 42)),
		nextMessage: 100001, nextEvent: 500001, nextCC: 9001}
}

var (
	firstNames = []string{"Aisha", "Ben", "Chen", "Dewi", "Elena", "Farid", "Grace", "Hiro", "Ines", "Jamal", "Kavya", "Liam",
		"Maya", "Nur", "Omar", "Paulo", "Qing", "Rosa", "Siti", "Tom", "Uma", "Vikram", "Wei", "Ximena", "Yusuf", "Zara",
		"Ahmad", "Bianca", "Daniel", "Fatimah", "Gabriel", "Hana", "Ivan", "Julia", "Kenji", "Lucia", "Mohd", "Nadia"}
	lastNames = []string{"Rahman", "Tan", "Lim", "Santos", "Garcia", "Wong", "Ng", "Kumar", "Silva", "Ibrahim", "Lee",
		"Chua", "Fernandes", "Hassan", "Nakamura", "Costa", "Rossi", "Ali", "Smith", "Ong", "Yap", "Pereira", "Khan"}
	countries = []struct{ code, dial, lang string }{{"MY", "601", "en"}, {"SG", "658", "en"}, {"ID", "628", "id"}, {"PH", "639", "en"},
		{"BR", "5511", "pt"}, {"US", "1415", "en"}, {"GB", "447", "en"}, {"MY", "601", "ms"}, {"TW", "8869", "zh"}}
	lifecycles  = []string{"", "New Lead", "Hot Lead", "Customer", "Customer", "Churned"}
	tagPool     = []string{"vip", "wholesale", "returning", "complaint", "newsletter", "b2b"}
	incomingTxt = []string{"Hi, is my order on the way?", "Can I change my delivery address?", "Do you ship to Penang?",
		"Thanks!", "What are your opening hours?", "I was charged twice", "Is the blue one still in stock?", "ok", "Hello?",
		"Can I speak to a human please"}
	outgoingTxt = []string{"Hi! Let me check that for you.", "Your order has shipped, tracking number ABC123.",
		"We're open 9am–6pm Monday to Saturday.", "Sorry about that — I've refunded the duplicate charge.",
		"Anything else I can help with?", "Yes, it's in stock. Shall I reserve one?"}
)

func jsonText(v any) string {
	b, _ := json.Marshal(v)
	return string(b)
}

// contacts generates n contacts with their channels, messages and events.
func (g *generator) contacts(n int) error {
	w := newBulkWriter(g.ctx, g.tx)
	g.contactsB = newBulk(w, "contacts", []string{"id", "first_name", "last_name", "phone", "phone_digits", "email",
		"language", "profile_pic", "country_code", "status", "assignee_id", "lifecycle", "created_at", "last_message_time",
		"unread_count", "snoozed_until"})
	g.tagsB = newBulk(w, "contact_tags", []string{"contact_id", "tag"})
	g.fieldsB = newBulk(w, "contact_fields", []string{"contact_id", "name", "value"})
	g.channelsB = newBulk(w, "contact_channels", []string{"id", "contact_id", "channel_id", "meta", "last_message_time",
		"last_incoming_message_time", "created_at", "reject_reason"})
	mw := w
	if g.msgTx != nil {
		mw = newBulkWriter(g.ctx, g.msgTx) // a second SQLite connection, a second core
	}
	g.messagesB = newBulk(mw, "messages", []string{"id", "contact_id", "channel_id", "channel_message_id", "traffic",
		"body", "sender", "created_at", "final_status", "fail_reason"})
	g.eventB = newBulk(w, "events", []string{"id", "contact_id", "timestamp", "category", "action", "by",
		"actor_id", "actor_name", "data"})
	for i := 1; i <= n && !w.failed.Load() && !mw.failed.Load(); i++ {
		g.contact(int64(i))
	}
	if g.plan.Name == "demo" {
		g.coverageEvents(n)
	}
	bulks := []*bulkInserter{g.contactsB, g.tagsB, g.fieldsB, g.channelsB, g.messagesB, g.eventB}
	for _, b := range bulks {
		b.flush()
	}
	err := w.close()
	if mw != w {
		if merr := mw.close(); err == nil {
			err = merr
		}
	}
	for _, b := range bulks {
		if b.stmt != nil {
			b.stmt.Close()
		}
	}
	return err
}

func (g *generator) pick(list []string) string { return list[g.rng.IntN(len(list))] }

// channelsFor chooses the contact's channels; the first is the primary one.
func (g *generator) channelsFor(id int64) []seedChannel {
	switch id {
	case RejectFacebookContact:
		return []seedChannel{seedChannels[1]}
	case RejectWhatsAppContact, 1, 2, 3:
		return []seedChannel{seedChannels[0]}
	case RejectTelegramContact:
		return []seedChannel{seedChannels[3]}
	case RejectEmailContact:
		return []seedChannel{seedChannels[4]}
	}
	// Weighted: WhatsApp is the most common primary channel.
	weights := []int{0, 0, 0, 0, 1, 1, 2, 2, 3, 4, 5, 6, 7, 8, 9}
	primary := seedChannels[weights[g.rng.IntN(len(weights))]]
	out := []seedChannel{primary}
	if g.rng.IntN(4) == 0 {
		second := seedChannels[g.rng.IntN(len(seedChannels))]
		if second.id != primary.id {
			out = append(out, second)
		}
	}
	return out
}

func rejectReason(id int64) any {
	switch id {
	case RejectFacebookContact:
		return "(#551) This person isn't available right now."
	case RejectWhatsAppContact:
		return "(#131026) Message undeliverable: the recipient's phone number is not a WhatsApp account."
	case RejectTelegramContact:
		return "Forbidden: bot was blocked by the user"
	case RejectEmailContact:
		return "550 5.1.1 The email account that you tried to reach does not exist."
	}
	return nil
}

// incomingAge picks how long ago the contact last wrote, spreading contacts
// inside, just closing (within 2h) and outside their messaging windows.
func (g *generator) incomingAge(id int64) int64 {
	switch {
	case id == 2:
		return 3 * 86400 // outside every 24h window
	case id == 3:
		return 23*3600 - 1800 // WhatsApp window closes in 90 minutes
	case id == 1 || (id >= 13 && id <= 16):
		return 1200
	}
	switch g.rng.IntN(10) {
	case 0, 1, 2:
		return int64(60 + g.rng.IntN(6*3600))
	case 3:
		return int64(22*3600 + g.rng.IntN(2*3600-60)) // closing within 2h
	case 4, 5:
		return int64(6*3600 + g.rng.IntN(16*3600))
	default:
		return int64(86400 + g.rng.IntN(60*86400))
	}
}

func (g *generator) contact(id int64) {
	r := g.rng
	first, last := g.pick(firstNames), g.pick(lastNames)
	country := countries[r.IntN(len(countries))]
	if id == 1 {
		first, last, country = "Aisha", "Rahman", countries[0]
	}
	var lastName, phone, digits, email, pic any = last, nil, nil, nil, nil
	if id == 1 {
		phone, digits, email = "+60123456789", "60123456789", "aisha@example.com"
	} else {
		if r.IntN(10) != 0 {
			p := fmt.Sprintf("+%s%08d", country.dial, 20000000+id*37)
			phone, digits = p, DigitsOnly(p)
		}
		if r.IntN(5) != 0 || phone == nil {
			email = fmt.Sprintf("%s.%s%d@example.com", strings.ToLower(first), strings.ToLower(last), id)
		}
	}
	if r.IntN(12) == 0 {
		lastName = nil
	}
	if r.IntN(3) == 0 {
		pic = fmt.Sprintf("https://cdn.example.com/avatars/%d.png", id)
	}
	status := []string{"open", "open", "open", "open", "close", "close", "close", "pending", "snoozed"}[r.IntN(9)]
	if id <= 3 || (id >= 13 && id <= 16) {
		status = "open"
	}
	var assignee any
	if a := r.IntN(7); a < 5 {
		assignee = int64(a + 1)
	}
	if id == 1 {
		assignee = int64(1)
	}
	var lifecycle any
	if l := g.pick(lifecycles); l != "" {
		lifecycle = l
	}
	created := g.now - int64(30*86400+r.IntN(370*86400))
	chans := g.channelsFor(id)
	age := g.incomingAge(id)
	lastIn := g.now - age
	nMsgs := 8 + r.IntN(9)
	if g.plan.Name == "large" {
		nMsgs = 20
		if id > LargeFullContacts {
			// Past the first 100,000 contacts, short conversations: a 1,000,000-contact
			// workspace stays under 2 GB and seeds in about a minute, and every seed up to
			// 100,000 contacts is exactly what it was.
			nMsgs = LargeTailMessages
		}
		if id == BigConversationContact {
			nMsgs = BigConversationSize
		}
	}
	var lastMsg, unread int64
	if id == BigConversationContact && g.plan.Conversation > 0 {
		lastMsg, unread = g.sizedConversation(id, chans, lastIn, nMsgs, status, assignee)
	} else {
		lastMsg, unread = g.conversation(id, chans, lastIn, nMsgs, status, assignee)
	}
	var snoozed any
	if status == "snoozed" {
		snoozed = g.now + int64(3600+r.IntN(3*86400))
	}
	if status != "open" {
		unread = 0
	}
	g.contactsB.add(id, first, lastName, phone, digits, email, country.lang, pic, country.code, status, assignee,
		lifecycle, created, lastMsg, unread, snoozed)
	for _, t := range tagPool {
		if (id == 1 && t == "vip") || r.IntN(6) == 0 {
			g.tagsB.add(id, t)
		}
	}
	if r.IntN(2) == 0 || id == 1 {
		g.fieldsB.add(id, "order_id", jsonText(fmt.Sprintf("A-%d", 1000+id)))
	}
	if r.IntN(3) == 0 {
		g.fieldsB.add(id, "loyalty_points", jsonText(r.IntN(5000)))
	}
	if r.IntN(4) == 0 {
		g.fieldsB.add(id, "newsletter_opt_in", jsonText(r.IntN(2) == 0))
	}
	if r.IntN(10) == 0 {
		g.fieldsB.add(id, "referral_code", "null")
	}
	g.stateEvents(id, status, assignee, snoozed, lastMsg)
}
