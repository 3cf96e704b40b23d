package store

import (
	"strings"
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
const searchDDL = `
	CREATE VIRTUAL TABLE IF NOT EXISTS contacts_search USING fts5(
		name, email, phone, tokenize = 'trigram', content = '', contentless_delete = 1, detail = none);
	INSERT INTO contacts_search (rowid, name, email, phone)
		SELECT id, first_name || ' ' || COALESCE(last_name, ''), COALESCE(email, ''), COALESCE(phone_digits, '')
		FROM contacts;
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

// maxSearchTrigrams bounds the trigrams of one term in the index query: a long term is
// covered by non-overlapping trigrams (plus the last), which select as well.
const maxSearchTrigrams = 8

// searchMatch is the FTS5 query selecting the candidates of a search: rows holding every
// trigram of the text term, or (when the term looks like a phone number) every trigram
// of its digits. "" when a term is shorter than 3 characters: a trigram index cannot
// narrow it, and the caller keeps the plain scan.
func searchMatch(term, digits string) string {
	text := allTrigrams(strings.ToLower(term))
	if text == "" {
		return ""
	}
	if digits == "" {
		return text
	}
	phone := allTrigrams(digits)
	if phone == "" {
		return ""
	}
	return "(" + text + ") OR (" + phone + ")"
}

// allTrigrams is `"abc" AND "def" …` over the term's characters; "" under 3.
func allTrigrams(s string) string {
	runes := []rune(s)
	if len(runes) < 3 || !utf8.ValidString(s) {
		return ""
	}
	var starts []int
	for i := 0; i+3 <= len(runes); i += 3 {
		starts = append(starts, i)
	}
	if last := len(runes) - 3; starts[len(starts)-1] != last {
		starts = append(starts, last)
	}
	if len(starts) > maxSearchTrigrams {
		starts = append(starts[:maxSearchTrigrams-1], starts[len(starts)-1])
	}
	parts := make([]string, len(starts))
	for i, st := range starts {
		parts[i] = `"` + strings.ReplaceAll(string(runes[st:st+3]), `"`, `""`) + `"`
	}
	return strings.Join(parts, " AND ")
}
