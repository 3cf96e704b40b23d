package store

import (
	"fmt"
	"math/rand/v2"
)

var (
	incomingBodies, outgoingBodies []string
	userSenders                    = map[int64]string{}
)

func init() {
	for _, t := range incomingTxt {
		incomingBodies = append(incomingBodies, jsonText(map[string]any{"type": "text", "text": t}))
	}
	for _, t := range outgoingTxt {
		outgoingBodies = append(outgoingBodies, jsonText(map[string]any{"type": "text", "text": t}))
	}
	for _, u := range seedUsers {
		if u.team != 0 {
			userSenders[u.id] = fmt.Sprintf(`{"source":"user","userId":%d,"teamId":%d}`, u.id, u.team)
		} else {
			userSenders[u.id] = fmt.Sprintf(`{"source":"user","userId":%d}`, u.id)
		}
	}
}

type seedMsg struct {
	at       int64
	incoming bool
	ch       seedChannel
}

// conversation writes n messages ending around lastIn (the contact's last
// incoming message) and returns the last message time and unread count.
func (g *generator) conversation(id int64, chans []seedChannel, lastIn int64, n int, status string, assignee any) (int64, int64) {
	r := g.rng
	trailingOut := 1 + r.IntN(2)
	unread := int64(0)
	if status == "open" && (r.IntN(5) < 2 || id == 1) {
		trailingOut = 0
		unread = int64(1 + r.IntN(3))
	}
	if trailingOut > n-1 {
		trailingOut = 0
	}
	msgs := make([]seedMsg, n)
	// The last incoming message sits at index n-1-trailingOut; walk back from it.
	idx := n - 1 - trailingOut
	maxGap := 8 * 3600
	if n > 1000 {
		maxGap = 900
	}
	t := lastIn
	for i := idx; i >= 0; i-- {
		ch := chans[0]
		if len(chans) > 1 && r.IntN(4) == 0 {
			ch = chans[1]
		}
		incoming := i == idx || int64(idx-i) < unread || r.IntN(2) == 0
		if i == idx {
			ch = chans[0]
		}
		msgs[i] = seedMsg{at: t, incoming: incoming, ch: ch}
		t -= int64(30 + r.IntN(maxGap))
	}
	t = lastIn
	for i := idx + 1; i < n; i++ {
		t += int64(20 + r.IntN(600))
		if t > g.now {
			t = g.now
		}
		msgs[i] = seedMsg{at: t, incoming: false, ch: chans[0]}
	}
	lastInByCh := map[int64]int64{}
	lastByCh := map[int64]int64{}
	firstByCh := map[int64]int64{}
	for i, m := range msgs {
		if _, ok := firstByCh[m.ch.id]; !ok {
			firstByCh[m.ch.id] = m.at
		}
		lastByCh[m.ch.id] = m.at
		if m.incoming {
			lastInByCh[m.ch.id] = m.at
			g.incoming(id, m)
			continue
		}
		var prevIn *int64
		if v, ok := lastInByCh[m.ch.id]; ok {
			prevIn = &v
		}
		g.outgoing(id, m, prevIn, assignee, i == n-1)
	}
	for _, ch := range chans {
		var lin, lmt any
		if v, ok := lastInByCh[ch.id]; ok {
			lin = v
		}
		if v, ok := lastByCh[ch.id]; ok {
			lmt = v
		}
		created := firstByCh[ch.id]
		if created == 0 {
			created = msgs[0].at
		}
		g.channelsB.add(g.nextCC, id, ch.id, g.channelMeta(id, ch), lmt, lin, created-60, rejectReason(id))
		g.nextCC++
	}
	return msgs[n-1].at, unread
}

// sizedConversation writes the ",conversation:M" conversation of contact id
// in place of the base seed's one of n messages. The base conversation is
// still generated, into a sink, so the shared RNG advances exactly as in the
// base seed and every other contact comes out the same (only their message
// ids shift); the M messages draw from a stream of their own.
func (g *generator) sizedConversation(id int64, chans []seedChannel, lastIn int64, n int, status string, assignee any) (int64, int64) {
	msgs, chs, nextMsg, nextCC := g.messagesB, g.channelsB, g.nextMessage, g.nextCC
	g.messagesB, g.channelsB = discardRows, discardRows
	g.conversation(id, chans, lastIn, n, status, assignee)
	g.messagesB, g.channelsB, g.nextMessage, g.nextCC = msgs, chs, nextMsg, nextCC
	shared := g.rng
	g.rng = rand.New(rand.NewPCG(seedRNG, uint64(g.plan.Conversation)))
	defer func() { g.rng = shared }()
	return g.conversation(id, chans, lastIn, g.plan.Conversation, status, assignee)
}

func (g *generator) channelMeta(id int64, ch seedChannel) any {
	switch {
	case IsWhatsApp(ch.source), ch.source == "twilio", ch.source == "viber":
		return fmt.Sprintf(`{"phone":"+601%08d"}`, 20000000+id*37)
	case ch.source == "facebook" || ch.source == "instagram":
		return fmt.Sprintf(`{"psid":"%d"}`, 7000000000000+id*131)
	case ch.source == "gmail":
		return fmt.Sprintf(`{"email":"contact%d@example.com"}`, id)
	}
	return nil
}

func (g *generator) incoming(id int64, m seedMsg) {
	r := g.rng
	body := incomingBodies[r.IntN(len(incomingBodies))]
	switch x := r.IntN(100); {
	case m.ch.source == "gmail":
		body = jsonText(map[string]any{"type": "email", "subject": "Order question", "text": "Hello, I have a question about order A-" + fmt.Sprint(1000+id)})
	case x < 7:
		body = fmt.Sprintf(`{"type":"attachment","attachment":{"type":"image","url":"https://cdn.example.com/uploads/%d.jpg"}}`, g.nextMessage)
	case x < 9:
		body = `{"type":"location","latitude":3.139,"longitude":101.6869,"address":"Kuala Lumpur"}`
	case x < 10:
		body = `{"type":"unsupported"}`
	case x < 12 && m.ch.source == "instagram":
		body = `{"type":"story_reply","text":"Love this!","url":"https://instagram.example.com/stories/1"}`
	case x < 12 && IsWhatsApp(m.ch.source):
		body = `{"type":"whatsapp_order","order":{"catalogId":"cat1","items":[{"sku":"TSHIRT-BLUE","quantity":2}]}}`
	case x < 12 && m.ch.source == "facebook":
		body = `{"type":"post","text":"Commented on your post"}`
	}
	g.messagesB.add(g.nextMessage, id, m.ch.id, ChannelMessageID(m.ch.source, g.nextMessage), "incoming", body, nil, m.at, nil, nil)
	g.nextMessage++
}

func (g *generator) outgoing(id int64, m seedMsg, prevIn *int64, assignee any, last bool) {
	r := g.rng
	body := outgoingBodies[r.IntN(len(outgoingBodies))]
	msgType := "text"
	switch x := r.IntN(100); {
	case m.ch.source == "gmail":
		msgType = "email"
		body = jsonText(map[string]any{"type": "email", "subject": "Re: Order question", "text": "Hi, thanks for writing in.", "cc": []string{}})
	case x < 8 && IsWhatsApp(m.ch.source):
		msgType = "whatsapp_template"
		body = `{"type":"whatsapp_template","template":{"name":"order_update","languageCode":"en","components":[{"type":"body","parameters":[{"type":"text","text":"A-1001"}]}]}}`
	case x < 14:
		body = `{"type":"attachment","attachment":{"type":"file","url":"https://cdn.example.com/invoices/invoice.pdf"}}`
	case x < 19:
		body = `{"type":"quick_reply","title":"Was this helpful?","replies":["Yes","No"]}`
	case x < 20:
		body = `{"type":"custom_payload","payload":{"kind":"coupon","code":"SAVE10"}}`
	case x < 21:
		body = `{"type":"card","title":"Blue T-shirt","subtitle":"RM 49","imageUrl":"https://cdn.example.com/p/1.jpg"}`
	case x < 22:
		body = `{"type":"location","latitude":3.1579,"longitude":101.7116,"address":"Acme Store, KLCC"}`
	}
	sender := `{"source":"api"}`
	switch x := r.IntN(100); {
	case x < 60:
		uid := int64(1 + r.IntN(5))
		if a, ok := assignee.(int64); ok {
			uid = a
		}
		sender = userSenders[uid]
	case x < 75:
		sender = `{"source":"workflow","workflowId":12}`
	case x < 82:
		sender = `{"source":"broadcast","broadcastHistoryId":40}`
	case x < 88:
		sender = `{"source":"bot"}`
	case x < 93:
		sender = `{"source":"ai_agent"}`
	case x < 97:
		sender = `{"source":"echo"}`
	}
	var final, reason any
	if w := WindowFailure(m.ch.source, prevIn, m.at, msgType, ""); w != "" {
		final, reason = "failed", w
	} else if rr := rejectReason(id); rr != nil && last {
		final, reason = "failed", rr
	} else {
		switch x := r.IntN(100); {
		case x < 2:
			final, reason = "failed", "(#131049) This message was not delivered to maintain healthy ecosystem engagement."
		case x < 4:
			final = "pending"
		case x < 9:
			final = "sent"
		case x < 18:
			final = "delivered"
		}
	}
	g.messagesB.add(g.nextMessage, id, m.ch.id, ChannelMessageID(m.ch.source, g.nextMessage), "outgoing", body, sender, m.at, final, reason)
	g.nextMessage++
}
