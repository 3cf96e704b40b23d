package store

import (
	"cmp"
	"context"
	"slices"
	"strings"
	"sync"
	"time"
	"unicode/utf8"
)

// searchDDL indexes what /contact/list's search matches — first+last name, email and
// phone digits — with SQLite FTS5's trigram tokenizer, so a substring search reads the
// rows holding the term's trigrams instead of every contact (3.5–6 s at 1,000,000
// contacts as a LIKE scan). The table is contentless (it stores no copy of the text)
// with detail=none (no positions): it only answers "which rows contain all of these
// trigrams", a superset of the matches, and the original LIKE condition then checks
// those few rows, so results are exactly what the scan returned. Triggers keep it in
// step with every write to contacts, whichever code makes it. Created after a bulk
// seed's load like the other indexes; the INSERT … SELECT fills it from the rows
// already there (a migrated database, or the bulk load).
const searchDDL = searchTableDDL + `
	INSERT INTO contacts_search (rowid, name, email, phone)
		SELECT id, first_name || ' ' || COALESCE(last_name, ''), COALESCE(email, ''), COALESCE(phone_digits, '')
		FROM contacts;
	CREATE VIRTUAL TABLE IF NOT EXISTS contacts_search_vocab USING fts5vocab(contacts_search, 'row');
	CREATE TRIGGER IF NOT EXISTS contacts_search_insert AFTER INSERT ON contacts BEGIN
		INSERT INTO contacts_search (rowid, name, email, phone) VALUES (new.id,
			new.first_name || ' ' || COALESCE(new.last_name, ''), COALESCE(new.email, ''), COALESCE(new.phone_digits, ''));
	END;
	CREATE TRIGGER IF NOT EXISTS contacts_search_delete AFTER DELETE ON contacts BEGIN
		DELETE FROM contacts_search WHERE rowid = old.id;
	END;
	CREATE TRIGGER IF NOT EXISTS contacts_search_update
		AFTER UPDATE OF id, first_name, last_name, email, phone_digits ON contacts BEGIN
		DELETE FROM contacts_search WHERE rowid = old.id;
		INSERT INTO contacts_search (rowid, name, email, phone) VALUES (new.id,
			new.first_name || ' ' || COALESCE(new.last_name, ''), COALESCE(new.email, ''), COALESCE(new.phone_digits, ''));
	END;`

// searchTableDDL is the first statement of searchDDL: finishIndexes runs it on its own to
// size the index's buffer before the fill.
const searchTableDDL = `
	CREATE VIRTUAL TABLE IF NOT EXISTS contacts_search USING fts5(
		name, email, phone, tokenize = 'trigram', content = '', contentless_delete = 1, detail = none);`

// searchFillHash is FTS5's in-memory buffer ("hashsize") while a bulk seed fills the
// index: 64 MiB instead of 1 MiB writes 64 times fewer segments to merge (12 s → 8.6 s
// at 1,000,000 contacts). Set back to searchHash once filled.
const (
	searchFillHash = 64 << 20
	searchHash     = 1 << 20
)

// searchTrigrams is how many trigrams of a term the index query ANDs: the rarest ones.
// Every trigram of "777781@example" is in the matches, but "@ex", "amp" and "ple" are in
// 800,000 of 1,000,000 contacts, and intersecting their row lists cost 100–200 ms; the
// three rarest ("777", "778", "781", about 7,000 rows each) leave a few dozen candidates
// in a millisecond or two.
const searchTrigrams = 3

// trigramStatsMaxAge is how long the document count of each trigram is trusted. The
// counts only choose which trigrams to intersect: stale ones cost speed, never results.
const trigramStatsMaxAge = 10 * time.Minute

// trigramStats caches how many contacts hold each trigram (the index's vocabulary: one
// read of it, about 0.6 s at 1,000,000 contacts on a loaded 2-core machine).
type trigramStats struct {
	mu     sync.Mutex
	docs   map[string]int64 // replaced, never modified: readers keep the map they got
	loaded time.Time
}

// trigramDocs returns the document count of every trigram in the index.
func (s *Store) trigramDocs(ctx context.Context) map[string]int64 {
	s.trigrams.mu.Lock()
	defer s.trigrams.mu.Unlock()
	if s.trigrams.docs != nil && time.Since(s.trigrams.loaded) < trigramStatsMaxAge {
		return s.trigrams.docs
	}
	docs := map[string]int64{}
	rows, err := s.db.QueryContext(ctx, `SELECT term, doc FROM contacts_search_vocab`)
	if err != nil {
		return s.trigrams.docs // nil: the query takes trigrams by position instead
	}
	defer rows.Close()
	for rows.Next() {
		var term string
		var n int64
		if rows.Scan(&term, &n) == nil {
			docs[term] = n
		}
	}
	if rows.Err() != nil {
		return s.trigrams.docs
	}
	s.trigrams.docs, s.trigrams.loaded = docs, time.Now()
	return docs
}

// searchMatch is the FTS5 query selecting the candidates of a search: rows holding the
// rarest trigrams of the text term (docs: trigram document counts; nil takes them by
// position), or (when the term looks like a phone number) of its digits. "" when a term
// is shorter than 3 characters: a trigram index cannot narrow it, and the caller keeps
// the plain scan.
func searchMatch(term, digits string, docs map[string]int64) string {
	text := pickTrigrams(strings.ToLower(term), docs)
	if text == "" {
		return ""
	}
	if digits == "" {
		return text
	}
	phone := pickTrigrams(digits, docs)
	if phone == "" {
		return ""
	}
	return "(" + text + ") OR (" + phone + ")"
}

// pickTrigrams is `"abc" AND "def" …` over up to searchTrigrams trigrams of s: the rarest
// by docs (a trigram absent from the index counts 0: nothing matches), or without docs the
// first, the last and one between. "" under 3 characters.
func pickTrigrams(s string, docs map[string]int64) string {
	runes := []rune(s)
	if len(runes) < 3 || !utf8.ValidString(s) {
		return ""
	}
	var all []string
	seen := map[string]bool{}
	for i := 0; i+3 <= len(runes); i++ {
		if t := string(runes[i : i+3]); !seen[t] {
			seen[t] = true
			all = append(all, t)
		}
	}
	if docs != nil {
		slices.SortStableFunc(all, func(a, b string) int { return cmp.Compare(docs[a], docs[b]) })
	} else if len(all) > searchTrigrams {
		all = []string{all[0], all[len(all)/2], all[len(all)-1]}
	}
	all = all[:min(len(all), searchTrigrams)]
	parts := make([]string, len(all))
	for i, t := range all {
		parts[i] = `"` + strings.ReplaceAll(t, `"`, `""`) + `"`
	}
	return strings.Join(parts, " AND ")
}
