package inbox

import "strings"

// describeDetailEvent words the events of contact-detail changes (tags, lifecycle, contact
// attributes); ok is false for other events.
func describeDetailEvent(e *EventItem, by string) (string, bool) {
	d := e.Data
	switch e.Category {
	case "tag":
		tag := oneLine(str(d, "tag"))
		switch e.Action {
		case "added":
			return "tagged “" + tag + "”" + by, true
		case "removed":
			return "untagged “" + tag + "”" + by, true
		case "renamed":
			return "tag “" + oneLine(str(d, "oldTag")) + "” renamed to “" + tag + "”" + by, true
		}
	case "lifecycle":
		next, old := oneLine(str(d, "lifecycle")), oneLine(str(d, "oldLifecycle"))
		switch {
		case next == "" && old != "":
			return "lifecycle stage “" + old + "” cleared" + by, true
		case old == "":
			return "lifecycle stage set to “" + next + "”" + by, true
		default:
			return "lifecycle stage “" + old + "” → “" + next + "”" + by, true
		}
	case "contact":
		var changed []string
		if list, ok := d["changed"].([]any); ok {
			for _, c := range list {
				if s, ok := c.(string); ok {
					changed = append(changed, strings.TrimPrefix(oneLine(s), "custom_fields."))
				}
			}
		}
		what := ""
		if len(changed) > 0 {
			what = " (" + strings.Join(changed, ", ") + ")"
		}
		switch e.Action {
		case "created":
			return "contact created" + by, true
		case "updated":
			return "contact details changed" + what + by, true
		case "merged":
			return "a duplicate contact was merged into this one" + by, true
		}
	}
	return "", false
}
