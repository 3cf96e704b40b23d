package store

import (
	"bytes"
	"encoding/json"
	"regexp"
	"strings"
)

// countCubeDDL maintains contact_counts: how many contacts (n) and how many of them with
// unread messages (unread) there are for each combination of the columns the built-in
// and seeded views filter on — status, assignee, lifecycle, country code — once over
// all contacts (tag NULL) and once per tag. A count whose filter uses only those
// columns (and at most one tag) sums a few hundred rows of it instead of reading a
// range of an index per contact: "All" at 1,000,000 contacts was a scan of a million
// index entries. Triggers on contacts and contact_tags keep it exact on every write;
// after a bulk seed it is filled with one GROUP BY, like the other indexes.
var countCubeDDL = `
	CREATE TABLE IF NOT EXISTS contact_counts (
		tag TEXT COLLATE NOCASE, status TEXT, assignee_id INTEGER, lifecycle TEXT, country_code TEXT,
		n INTEGER NOT NULL, unread INTEGER NOT NULL);
	CREATE INDEX IF NOT EXISTS contact_counts_key ON contact_counts (tag, status, assignee_id, lifecycle, country_code);
	INSERT INTO contact_counts (tag, status, assignee_id, lifecycle, country_code, n, unread)
		SELECT NULL, status, assignee_id, lifecycle, country_code, COUNT(*), SUM(unread_count > 0)
		FROM contacts GROUP BY status, assignee_id, lifecycle, country_code;
	INSERT INTO contact_counts (tag, status, assignee_id, lifecycle, country_code, n, unread)
		SELECT t.tag, c.status, c.assignee_id, c.lifecycle, c.country_code, COUNT(*), SUM(c.unread_count > 0)
		FROM contact_tags t JOIN contacts c ON c.id = t.contact_id
		GROUP BY t.tag COLLATE NOCASE, c.status, c.assignee_id, c.lifecycle, c.country_code;
` + cubeTriggers

// sameCell matches the cube row k of contact x's columns.
func sameCell(k, x string) string {
	return k + ".status IS " + x + ".status AND " + k + ".assignee_id IS " + x + ".assignee_id AND " +
		k + ".lifecycle IS " + x + ".lifecycle AND " + k + ".country_code IS " + x + ".country_code"
}

// cubeAdd adds d ("+" or "-") for contact x (new or old) to its all-contacts row and to
// the row of each tag it has.
func cubeAdd(x, d string) string {
	return `
		INSERT INTO contact_counts (tag, status, assignee_id, lifecycle, country_code, n, unread)
			SELECT NULL, ` + x + `.status, ` + x + `.assignee_id, ` + x + `.lifecycle, ` + x + `.country_code, 0, 0
			WHERE NOT EXISTS (SELECT 1 FROM contact_counts k WHERE k.tag IS NULL AND ` + sameCell("k", x) + `);
		UPDATE contact_counts SET n = n ` + d + ` 1, unread = unread ` + d + ` (` + x + `.unread_count > 0)
			WHERE rowid = (SELECT k.rowid FROM contact_counts k WHERE k.tag IS NULL AND ` + sameCell("k", x) + `);
		INSERT INTO contact_counts (tag, status, assignee_id, lifecycle, country_code, n, unread)
			SELECT t.tag, ` + x + `.status, ` + x + `.assignee_id, ` + x + `.lifecycle, ` + x + `.country_code, 0, 0
			FROM contact_tags t WHERE t.contact_id = ` + x + `.id
			AND NOT EXISTS (SELECT 1 FROM contact_counts k WHERE k.tag = t.tag AND ` + sameCell("k", x) + `);
		UPDATE contact_counts SET n = n ` + d + ` 1, unread = unread ` + d + ` (` + x + `.unread_count > 0)
			WHERE rowid IN (SELECT k.rowid FROM contact_tags t JOIN contact_counts k ON k.tag = t.tag AND ` + sameCell("k", x) + `
				WHERE t.contact_id = ` + x + `.id);`
}

// tagAdd adds d for one contact_tags row t (new or old), with its contact's columns; a
// contact already deleted has taken its tags out itself (cubeAdd).
func tagAdd(t, d string) string {
	return `
		INSERT INTO contact_counts (tag, status, assignee_id, lifecycle, country_code, n, unread)
			SELECT ` + t + `.tag, c.status, c.assignee_id, c.lifecycle, c.country_code, 0, 0
			FROM contacts c WHERE c.id = ` + t + `.contact_id
			AND NOT EXISTS (SELECT 1 FROM contact_counts k WHERE k.tag = ` + t + `.tag AND ` + sameCell("k", "c") + `);
		UPDATE contact_counts SET n = n ` + d + ` 1,
			unread = unread ` + d + ` (SELECT c.unread_count > 0 FROM contacts c WHERE c.id = ` + t + `.contact_id)
			WHERE rowid = (SELECT k.rowid FROM contacts c JOIN contact_counts k ON k.tag = ` + t + `.tag AND ` + sameCell("k", "c") + `
				WHERE c.id = ` + t + `.contact_id);`
}

var cubeTriggers = `
	CREATE TRIGGER IF NOT EXISTS contact_counts_insert AFTER INSERT ON contacts BEGIN` + cubeAdd("new", "+") + `
	END;
	CREATE TRIGGER IF NOT EXISTS contact_counts_delete AFTER DELETE ON contacts BEGIN` + cubeAdd("old", "-") + `
	END;
	CREATE TRIGGER IF NOT EXISTS contact_counts_update
		AFTER UPDATE OF id, status, assignee_id, lifecycle, country_code, unread_count ON contacts BEGIN` +
	cubeAdd("old", "-") + cubeAdd("new", "+") + `
	END;
	CREATE TRIGGER IF NOT EXISTS contact_counts_tag_insert AFTER INSERT ON contact_tags BEGIN` + tagAdd("new", "+") + `
	END;
	CREATE TRIGGER IF NOT EXISTS contact_counts_tag_delete AFTER DELETE ON contact_tags BEGIN` + tagAdd("old", "-") + `
	END;
	CREATE TRIGGER IF NOT EXISTS contact_counts_tag_update AFTER UPDATE ON contact_tags BEGIN` +
	tagAdd("old", "-") + tagAdd("new", "+") + `
	END;`

// cubeColumns are the contact columns the cube holds; a filter touching any other
// cannot be answered from it.
var cubeColumns = map[string]bool{"status": true, "assignee_id": true, "lifecycle": true, "country_code": true}

var columnRef = regexp.MustCompile(`\bc\.([a-z_]+)`)

// cubeCountSQL compiles a count for contact_counts, or returns ok false when the query
// needs the contacts themselves: a search, a field outside the cube, more than one tag
// condition, a tag condition other than hasAnyOf/hasAllOf of one tag, or an $or.
func cubeCountSQL(q ContactQuery) (string, []any, bool) {
	// Core reads pending and snoozed as open (filter_condition.go): the cube keeps them apart.
	if !q.Ext || strings.TrimSpace(q.Search) != "" {
		return "", nil, false
	}
	var conds []json.RawMessage
	if f := bytes.TrimSpace(q.Filter); len(f) > 0 && string(f) != "null" {
		var group map[string][]json.RawMessage
		if json.Unmarshal(f, &group) != nil || len(group) != 1 {
			return "", nil, false
		}
		and, ok := group["$and"]
		if !ok {
			return "", nil, false
		}
		conds = and
	}
	var tag *string
	var rest []json.RawMessage
	for _, raw := range conds {
		var c Condition
		if json.Unmarshal(raw, &c) != nil {
			return "", nil, false
		}
		if c.Category != "contactTag" {
			rest = append(rest, raw)
			continue
		}
		vals, err := valueStrings(c.Value)
		if tag != nil || err != nil || (c.Operator != "hasAnyOf" && c.Operator != "hasAllOf") || len(vals) != 1 {
			return "", nil, false
		}
		tag = &vals[0]
	}
	filter, _ := json.Marshal(map[string]any{"$and": rest})
	q.Filter, q.counting = filter, true
	where, args, err := q.whereClause()
	if err != nil {
		return "", nil, false // the ordinary path reports the error
	}
	if strings.Contains(strings.ToUpper(where), "SELECT") {
		return "", nil, false
	}
	for _, m := range columnRef.FindAllStringSubmatch(where, -1) {
		if !cubeColumns[m[1]] {
			return "", nil, false
		}
	}
	head := "c.tag IS NULL"
	if tag != nil {
		head = "c.tag = ?"
		args = append([]any{*tag}, args...)
	}
	return `SELECT COALESCE(SUM(c.n), 0), COALESCE(SUM(c.unread), 0) FROM contact_counts c WHERE ` + head + ` AND ` + where, args, true
}
