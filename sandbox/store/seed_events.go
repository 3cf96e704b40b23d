package store

import "fmt"

// EventKind is a (category, action, by) triple of the seed's event table.
type EventKind struct{ Category, Action, By string }

// SeedEventKinds is every row of the Messages module's event table; the demo
// seed contains each at least once.
var SeedEventKinds = []EventKind{
	{"assignment", "assigned", "user"}, {"assignment", "assigned", "automation"}, {"assignment", "assigned", "bot"},
	{"assignment", "assign_failed", "automation"},
	{"status", "done", "user"}, {"status", "done", "automation"},
	{"status", "pending", "user"}, {"status", "pending", "automation"}, {"status", "pending", "bot"},
	{"snooze", "snoozed", "user"}, {"snooze", "unsnoozed", "automation"},
	{"broadcast", "sent", "broadcast"},
	{"survey", "started", "user"}, {"survey", "started", "automation"}, {"survey", "started", "broadcast"},
	{"survey", "canceled", "user"}, {"survey", "canceled", "automation"}, {"survey", "canceled", "broadcast"},
	{"survey", "canceled", "api"}, {"survey", "completed", "contact"}, {"survey", "failed", "automation"},
	{"bot", "off", "user"}, {"bot", "off", "automation"}, {"bot", "off", "bot"},
	{"bot", "on", "user"}, {"bot", "on", "automation"}, {"bot", "on", "bot"},
	{"channel", "event", "channel"},
	{"page", "changed", "contact"},
}

// actor returns the actor columns for an event made "by".
func (g *generator) actor(by string, userID int64) (any, any) {
	switch by {
	case "user":
		u := seedUsers[(userID-1+int64(len(seedUsers)))%int64(len(seedUsers))]
		return u.id, u.name()
	case "automation":
		return int64(12), "Workflow: Route new conversations"
	case "bot":
		return int64(3), "AI Agent Sofia"
	}
	return nil, nil
}

func (g *generator) event(contactID, ts int64, k EventKind, userID int64, data any) {
	id, name := g.actor(k.By, userID)
	var d any
	if data != nil {
		d = jsonText(data)
	}
	g.eventB.add(g.nextEvent, contactID, ts, k.Category, k.Action, k.By, id, name, d)
	g.nextEvent++
}

// kindData is realistic data for an event kind.
func (g *generator) kindData(k EventKind, contactID int64) any {
	u := seedUsers[g.rng.IntN(5)]
	switch k.Category {
	case "assignment":
		if k.Action == "assign_failed" {
			return map[string]any{"reason": "No agent in team Support is available"}
		}
		return map[string]any{"assignee": map[string]any{"id": u.id, "name": u.name()}}
	case "status":
		if k.Action == "done" {
			return map[string]any{"category": "Resolved", "summary": "Answered delivery question"}
		}
	case "snooze":
		return map[string]any{"snoozeUntil": g.now - 86400}
	case "broadcast":
		return map[string]any{"broadcast": "November promo"}
	case "survey":
		d := map[string]any{"survey": "CSAT after chat"}
		if k.Action == "failed" {
			d["reason"] = "Contact did not answer within 24 hours"
		}
		return d
	case "channel":
		return map[string]any{"event": "customer changed their WhatsApp number", "channel": "Support WhatsApp"}
	case "page":
		return map[string]any{"url": fmt.Sprintf("https://acme.example.com/products/%d", 100+contactID%40)}
	}
	return nil
}

// historyEvents writes older events: in the demo seed, contact k (k <=
// len(SeedEventKinds)) gets the k-th kind of the table and others get a random
// couple, so every kind is present.
func (g *generator) historyEvents(id, before int64) {
	if g.plan.Name != "demo" {
		return
	}
	var kinds []EventKind
	if int(id) <= len(SeedEventKinds) {
		kinds = append(kinds, SeedEventKinds[id-1])
	}
	for n := g.rng.IntN(3); n > 0; n-- {
		kinds = append(kinds, SeedEventKinds[g.rng.IntN(len(SeedEventKinds))])
	}
	ts := before - int64(len(kinds)+1)*86400
	for _, k := range kinds {
		g.event(id, ts, k, int64(1+g.rng.IntN(5)), g.kindData(k, id))
		ts += 86400 - int64(g.rng.IntN(3600))
	}
}

// stateEvents records how the contact reached its current state.
func (g *generator) stateEvents(id int64, status string, assignee, snoozed any, lastMsg int64) {
	r := g.rng
	g.historyEvents(id, lastMsg-7200)
	ts := lastMsg - 3600
	if a, ok := assignee.(int64); ok {
		by := []string{"user", "user", "automation", "bot"}[r.IntN(4)]
		u := seedUsers[a-1]
		g.event(id, ts, EventKind{"assignment", "assigned", by}, int64(5), map[string]any{"assignee": map[string]any{"id": u.id, "name": u.name()}})
	}
	end := lastMsg + 120
	if end > g.now {
		end = g.now
	}
	switch status {
	case "close":
		by := []string{"user", "user", "automation"}[r.IntN(3)]
		cat := []string{"Resolved", "Resolved", "Spam", "Follow-up", "No response"}[r.IntN(5)]
		g.event(id, end, EventKind{"status", "done", by}, 1+int64(r.IntN(5)), map[string]any{"category": cat, "summary": "Customer's question answered"})
	case "pending":
		by := []string{"user", "automation", "bot"}[r.IntN(3)]
		g.event(id, end, EventKind{"status", "pending", by}, 1+int64(r.IntN(5)), nil)
	case "snoozed":
		g.event(id, end, EventKind{"snooze", "snoozed", "user"}, 1+int64(r.IntN(5)), map[string]any{"snoozeUntil": snoozed})
	}
}

// coverageEvents is kept for seeds smaller than the event table: it adds any
// kind still missing to contact 1.
func (g *generator) coverageEvents(n int) {
	for k := n; k < len(SeedEventKinds); k++ {
		kind := SeedEventKinds[k]
		g.event(1, g.now-int64(400-k)*3600*24, kind, 1, g.kindData(kind, 1))
	}
}
