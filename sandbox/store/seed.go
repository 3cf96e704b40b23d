package store

import (
	"context"
	"database/sql"
	"fmt"
	"strconv"
	"strings"
)

// SeedPlan is a parsed seed name.
type SeedPlan struct {
	Name  string // demo | empty | large
	Large int    // contact count for large:N
	// Conversation, when > 0, is the exact message count of contact 1
	// (BigConversationContact) instead of the base seed's.
	Conversation int
}

// MaxConversation bounds the conversation:M seed option.
const MaxConversation = 1_000_000

// ParseSeed parses a seed: "demo", "empty" or "large:N", optionally followed by
// ",conversation:M" (demo and large only) to give contact 1 exactly M messages.
func ParseSeed(s string) (SeedPlan, error) {
	base, opt, hasOpt := strings.Cut(s, ",")
	var plan SeedPlan
	switch {
	case base == "" && hasOpt:
		return SeedPlan{}, fmt.Errorf("invalid seed %q (name the base seed: demo,conversation:M or large:N,conversation:M)", s)
	case base == "", base == "demo":
		plan = SeedPlan{Name: "demo"}
	case base == "empty":
		plan = SeedPlan{Name: "empty"}
	default:
		n, ok := strings.CutPrefix(base, "large:")
		v, err := strconv.Atoi(n)
		if !ok || err != nil || v < 1 || v > 5_000_000 {
			return SeedPlan{}, fmt.Errorf("invalid seed %q (want demo, empty or large:N with 1 <= N <= 5000000, optionally followed by ,conversation:M)", s)
		}
		plan = SeedPlan{Name: "large", Large: v}
	}
	if !hasOpt {
		return plan, nil
	}
	m, ok := strings.CutPrefix(opt, "conversation:")
	v, err := strconv.Atoi(m)
	if !ok || err != nil || v < 1 || v > MaxConversation {
		return SeedPlan{}, fmt.Errorf("invalid seed %q (the option after the comma is conversation:M with 1 <= M <= %d)", s, MaxConversation)
	}
	if plan.Name == "empty" {
		return SeedPlan{}, fmt.Errorf("invalid seed %q: the empty seed has no contact 1 to give a conversation", s)
	}
	plan.Conversation = v
	return plan, nil
}

// String is the canonical spelling of the plan, as ParseSeed accepts it.
func (p SeedPlan) String() string {
	s := p.Name
	if p.Name == "large" {
		s += ":" + strconv.Itoa(p.Large)
	}
	if p.Conversation > 0 {
		s += ",conversation:" + strconv.Itoa(p.Conversation)
	}
	return s
}

// bulkLoad reports whether the seed is big enough to load without indexes and
// create them (and ANALYZE) afterwards.
func (p SeedPlan) bulkLoad() bool { return p.Large > 0 || p.Conversation > BigConversationSize }

// Demo seed facts other packages and docs rely on.
const (
	DemoContacts = 300
	// Contacts whose channel rejects every message (see README).
	RejectFacebookContact = 13
	RejectWhatsAppContact = 14
	RejectTelegramContact = 15
	RejectEmailContact    = 16
	// BigConversationContact has 10,000 messages in large:N seeds, and
	// exactly M with ",conversation:M".
	BigConversationContact = 1
	BigConversationSize    = 10_000
	// In large:N, contacts up to LargeFullContacts have 20 messages each, the rest
	// LargeTailMessages.
	LargeFullContacts = 100_000
	LargeTailMessages = 2
)

// Channel ids of every seed.
const (
	ChannelWhatsApp  = 31
	ChannelFacebook  = 32
	ChannelInstagram = 33
	ChannelTelegram  = 34
	ChannelEmail     = 35
	ChannelWebchat   = 36
	ChannelSMS       = 37
	ChannelWeChat    = 38
	ChannelLine      = 39
	ChannelViber     = 40
)

type seedChannel struct {
	id           int64
	name, source string
}

var seedChannels = []seedChannel{
	{ChannelWhatsApp, "Support WhatsApp", "whatsapp_cloud"},
	{ChannelFacebook, "Acme Facebook Page", "facebook"},
	{ChannelInstagram, "Acme Instagram", "instagram"},
	{ChannelTelegram, "Acme Telegram Bot", "telegram"},
	{ChannelEmail, "Support Email", "gmail"},
	{ChannelWebchat, "Website Chat", "webchat"},
	{ChannelSMS, "SMS (Twilio)", "twilio"},
	{ChannelWeChat, "Acme WeChat", "wechat"},
	{ChannelLine, "Acme LINE", "line"},
	{ChannelViber, "Acme Viber", "viber"},
}

type seedUser struct {
	id           int64
	first, last  string
	role         string
	team         int64
	restrictions string
}

var seedUsers = []seedUser{
	{1, "Lee", "Wong", "agent", 1, `[]`},
	{2, "Nadia", "Karim", "agent", 1, `["show_only_mine"]`},
	{3, "Carlos", "Mendes", "agent", 2, `["show_only_mine"]`},
	{4, "Priya", "Nair", "agent", 2, `[]`},
	{5, "Mei", "Tan", "manager", 1, `[]`},
	{6, "Sam", "Okafor", "owner", 0, `[]`},
}

func (u seedUser) email() string { return strings.ToLower(u.first) + "@example.com" }
func (u seedUser) name() string  { return u.first + " " + u.last }

// seedPhase is called as each phase of a seed ends (rows, commit, each index migration,
// analyze, checkpoint): a hook for tests, which time or interrupt a seed with it.
var seedPhase = func(string) {}

func (s *Store) seed(ctx context.Context, plan SeedPlan) error {
	seedPhase("start")
	s.mu.Lock()
	defer s.mu.Unlock()
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	now := s.Now()
	if err := seedWorkspace(ctx, tx, now); err != nil {
		return err
	}
	g := newGenerator(ctx, tx, now, plan)
	if s.msgs != nil {
		if g.msgTx, err = s.msgs.BeginTx(ctx, nil); err != nil {
			return err
		}
		defer g.msgTx.Rollback()
	}
	switch plan.Name {
	case "demo":
		err = g.contacts(DemoContacts)
	case "large":
		err = g.contacts(plan.Large)
	}
	if err != nil {
		return err
	}
	if _, err := tx.ExecContext(ctx, `INSERT INTO meta (key, value) VALUES ('seed', ?), ('seeded_at', ?)`,
		plan.String(), strconv.FormatInt(now, 10)); err != nil {
		return err
	}
	seedPhase("rows")
	if g.msgTx != nil {
		if err := g.msgTx.Commit(); err != nil {
			return err
		}
	}
	if err := tx.Commit(); err != nil {
		return err
	}
	seedPhase("commit")
	if plan.bulkLoad() {
		if s.msgs != nil {
			// The messages' indexes are sorted in their own file while this connection
			// builds the others (2 cores), then the rows and index entries are copied in.
			done := make(chan error, 1)
			go func() { done <- indexMessages(ctx, s.msgs) }()
			err := finishIndexes(ctx, s.db)
			if merr := <-done; err == nil {
				err = merr
			}
			if err != nil {
				return err
			}
			seedPhase("indexes built")
			if err := s.copyMessages(ctx); err != nil {
				return err
			}
		} else if err := finishIndexes(ctx, s.db); err != nil {
			return err
		}
		seedPhase("indexes (messages copied)")
		if err := analyze(ctx, s.db); err != nil {
			return err
		}
		seedPhase("analyze")
		defer seedPhase("checkpoint")
		// A file database loaded in one transaction leaves a WAL as large as itself
		// (3.3 GB for 1,000,000 contacts): fold it in and truncate it. Harmless in memory.
		_, err = s.db.ExecContext(ctx, `PRAGMA wal_checkpoint(TRUNCATE)`)
		return err
	}
	return nil
}

// indexMessages creates the indexes of messages (from indexDDL) in db.
func indexMessages(ctx context.Context, db *sql.DB) error {
	for _, stmt := range strings.Split(indexDDL, ";") {
		if strings.Contains(stmt, " ON messages (") {
			if _, err := db.ExecContext(ctx, stmt); err != nil {
				return fmt.Errorf("index messages: %w", err)
			}
		}
	}
	return nil
}

// copyMessages moves the messages loaded into s.msgs (and indexed there) into the
// database. main.messages is empty and its indexes match, so SQLite's transfer
// optimisation copies the table's and the indexes' records in order, without decoding
// or sorting them again.
func (s *Store) copyMessages(ctx context.Context) error {
	if err := s.msgs.Close(); err != nil {
		return err
	}
	s.msgs = nil
	_, err := s.db.ExecContext(ctx, `ATTACH DATABASE ? AS seed_messages`, s.msgsPath)
	if err != nil {
		return err
	}
	_, err = s.db.ExecContext(ctx, `INSERT INTO main.messages SELECT * FROM seed_messages.messages`)
	if _, derr := s.db.ExecContext(ctx, `DETACH DATABASE seed_messages`); err == nil {
		err = derr
	}
	return err
}

// analyze gathers the planner's statistics for every table but messages. Reading the
// 3.8 million messages of large:1000000 and their two indexes was half of a full
// ANALYZE (5 of 10 s), and their queries plan the same without statistics (one index
// fits each, as in every database seeded without ANALYZE). A sampled ANALYZE
// (analysis_limit) is no substitute: from the first 1,000 entries of contacts_status it
// took status for a near-unique column and sent searches down that index (0.5 s a
// search at 1,000,000 contacts instead of 4 ms).
func analyze(ctx context.Context, db *sql.DB) error {
	rows, err := db.QueryContext(ctx, `SELECT name FROM sqlite_schema WHERE type = 'table'
		AND name NOT LIKE 'sqlite_%' AND name <> 'messages' AND sql NOT LIKE 'CREATE VIRTUAL%' ORDER BY name`)
	if err != nil {
		return err
	}
	var tables []string
	for rows.Next() {
		var t string
		if err := rows.Scan(&t); err != nil {
			rows.Close()
			return err
		}
		tables = append(tables, t)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return err
	}
	for _, t := range tables {
		if _, err := db.ExecContext(ctx, `ANALYZE "`+strings.ReplaceAll(t, `"`, `""`)+`"`); err != nil {
			return err
		}
	}
	return nil
}

func seedWorkspace(ctx context.Context, tx *sql.Tx, now int64) error {
	stmts := []struct {
		q    string
		args []any
	}{
		{`INSERT INTO teams (id, name) VALUES (1, 'Support'), (2, 'Sales')`, nil},
	}
	for _, u := range seedUsers {
		var team any
		if u.team != 0 {
			team = u.team
		}
		stmts = append(stmts, struct {
			q    string
			args []any
		}{`INSERT INTO users (id, first_name, last_name, email, role, team_id, restrictions) VALUES (?, ?, ?, ?, ?, ?, ?)`,
			[]any{u.id, u.first, u.last, u.email(), u.role, team, u.restrictions}})
	}
	for i, c := range seedChannels {
		stmts = append(stmts, struct {
			q    string
			args []any
		}{`INSERT INTO channels (id, name, source, created_at) VALUES (?, ?, ?, ?)`,
			[]any{c.id, c.name, c.source, now - int64(400-i*7)*86400}})
	}
	notes := [][2]any{{"Resolved", "The customer's question was answered"}, {"Spam", nil}, {"Follow-up", "Needs a follow-up next week"},
		{"Duplicate", "Same request handled in another conversation"}, {"No response", "Customer stopped replying"}, {"Sale closed", nil}}
	for i, n := range notes {
		stmts = append(stmts, struct {
			q    string
			args []any
		}{`INSERT INTO closing_notes (id, category, description) VALUES (?, ?, ?)`, []any{i + 1, n[0], n[1]}})
	}
	views := [][5]any{
		{1, "VIP open", `{"$and":[{"category":"contactTag","field":null,"operator":"hasAnyOf","value":["vip"]}]}`, "open", nil},
		{2, "Unassigned VIP", `{"$and":[{"category":"contactTag","field":null,"operator":"hasAnyOf","value":["vip"]}]}`, "open", `"none"`},
		{3, "Hot leads", `{"$and":[{"category":"lifecycle","field":null,"operator":"isEqualTo","value":"Hot Lead"}]}`, nil, `"any"`},
		{4, "Waiting on customer", `{"$and":[]}`, "pending", nil},
		{5, "Malaysia", `{"$and":[{"category":"contactField","field":"countryCode","operator":"isEqualTo","value":"MY"}]}`, nil, nil},
		{6, "Lee's queue", `{"$and":[]}`, "open", `1`},
	}
	for _, v := range views {
		stmts = append(stmts, struct {
			q    string
			args []any
		}{`INSERT INTO views (id, name, filter, status, assignee) VALUES (?, ?, ?, ?, ?)`, v[:]})
	}
	for _, st := range stmts {
		if _, err := tx.ExecContext(ctx, st.q, st.args...); err != nil {
			return fmt.Errorf("seed workspace: %w", err)
		}
	}
	return nil
}
