package inbox

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/respondctl/respondctl/apiclient"
	"github.com/respondctl/respondctl/mirror"
)

// Sources of figures, as in the "source" field of JSON records.
const (
	SourceAPI    = "api"
	SourceMirror = "mirror"
	SourceAuto   = "auto"
)

// DefaultMaxStaleness is how old the listener's heartbeat may be for auto to use the mirror.
const DefaultMaxStaleness = 5 * time.Minute

// SourceChoice is --source and --max-staleness.
type SourceChoice struct {
	Mode         string // api | mirror | auto ("" = auto)
	MaxStaleness time.Duration
}

// MirrorSource is an open mirror chosen for this run, and how far behind it is.
type MirrorSource struct {
	Mirror *mirror.Mirror
	Status mirror.Status
	Behind time.Duration
}

// Notice is the stderr line saying where figures come from: "source: mirror, 12s behind".
func (m *MirrorSource) Notice() string {
	return fmt.Sprintf("source: mirror, %s behind", m.Behind.Round(time.Second))
}

// Close closes the mirror.
func (m *MirrorSource) Close() error {
	if m == nil || m.Mirror == nil {
		return nil
	}
	return m.Mirror.Close()
}

// ErrMirrorUnavailable is --source mirror without a usable mirror.
var ErrMirrorUnavailable = errors.New("mirror unavailable")

// ChooseSource decides whether this run reads the mirror. With auto, the mirror is used
// on a server without the counts extension when it exists and its listener heartbeat is
// no older than MaxStaleness; otherwise the API is used, with a one-line notice when a
// mirror would have helped. --source mirror uses any existing mirror (saying how stale it
// is); --source api never opens it. open returns mirror.ErrNoMirror when there is none,
// and a workspace error (mirror.IsWorkspaceError) for a mirror of another or an unknown
// workspace: an error with --source mirror, the API with a notice with auto.
func ChooseSource(ctx context.Context, c SourceChoice, hasExtensions bool, open func(context.Context) (*mirror.Mirror, error),
	now time.Time) (*MirrorSource, string, error) {
	mode := c.Mode
	if mode == "" {
		mode = SourceAuto
	}
	maxAge := c.MaxStaleness
	if maxAge <= 0 {
		maxAge = DefaultMaxStaleness
	}
	if mode == SourceAPI || (mode == SourceAuto && hasExtensions) || open == nil {
		return nil, "", nil
	}
	m, err := open(ctx)
	if errors.Is(err, mirror.ErrNoMirror) {
		if mode == SourceMirror {
			return nil, "", fmt.Errorf("%w: this profile has no mirror; run `respondctl mirror sync` and keep `respondctl listen` running", ErrMirrorUnavailable)
		}
		return nil, "source: api (paging; for instant counts run `respondctl mirror sync` and `respondctl listen`)", nil
	}
	if err != nil {
		if mode == SourceMirror {
			return nil, "", err
		}
		var mismatch *mirror.WorkspaceMismatchError
		var none *mirror.NoWorkspaceError
		switch {
		case errors.As(err, &mismatch):
			return nil, fmt.Sprintf("source: api (the mirror is of another workspace, %s; see `respondctl mirror status`)", mismatch.Mirrored), nil
		case errors.As(err, &none):
			return nil, "source: api (the mirror does not record its workspace: run `respondctl mirror sync` to adopt it)", nil
		}
		return nil, fmt.Sprintf("source: api (mirror unreadable: %v)", err), nil
	}
	st, err := m.Status(ctx)
	if err != nil {
		m.Close()
		if mode == SourceMirror {
			return nil, "", err
		}
		return nil, fmt.Sprintf("source: api (mirror unreadable: %v)", err), nil
	}
	ms := &MirrorSource{Mirror: m, Status: st}
	if st.Heartbeat > 0 {
		ms.Behind = max(now.Sub(time.Unix(st.Heartbeat, 0)), 0)
	}
	fresh := st.Fresh(now, maxAge)
	switch {
	case fresh:
		return ms, ms.Notice(), nil
	case mode == SourceMirror:
		if st.Heartbeat == 0 {
			return ms, "source: mirror (no listener running: figures are as of its last event or sync)", nil
		}
		return ms, fmt.Sprintf("source: mirror, %s behind (stale: is `respondctl listen` running?)", ms.Behind.Round(time.Second)), nil
	}
	m.Close()
	if st.Heartbeat == 0 {
		return nil, "source: api (mirror not fed: no `respondctl listen` running)", nil
	}
	return nil, fmt.Sprintf("source: api (mirror stale: last listener heartbeat %s ago; is `respondctl listen` running?)", ms.Behind.Round(time.Second)), nil
}

// CountViewsFromMirror counts every view in the mirror. A view whose filter the mirror
// cannot evaluate is counted by fallback (the API), so every view still gets a figure.
func CountViewsFromMirror(ctx context.Context, views []View, m *mirror.Mirror,
	fallback func(ctx context.Context, views []View) ([]ViewCount, error)) ([]ViewCount, error) {
	out := make([]ViewCount, len(views))
	var rest []View
	var restIdx []int
	for i, v := range views {
		out[i] = ViewCount{Name: v.Name, Kind: v.Kind, Err: v.unavailable, Source: SourceMirror}
		if v.unavailable != nil {
			continue
		}
		c, err := m.Count(ctx, v.Request)
		var unsupported *mirror.UnsupportedError
		switch {
		case errors.As(err, &unsupported) && fallback != nil:
			rest = append(rest, v)
			restIdx = append(restIdx, i)
		case err != nil:
			out[i].Err = err
		default:
			awaiting := c.AwaitingReply
			out[i].Count, out[i].AwaitingReply = c.Count, &awaiting
		}
	}
	if len(rest) > 0 {
		counts, err := fallback(ctx, rest)
		if err != nil {
			return nil, err
		}
		for k, i := range restIdx {
			out[i] = counts[k]
			out[i].Source = SourceAPI
		}
	}
	return withErrorText(out), ctx.Err()
}

// MirrorEvents returns the mirror's events of a contact newest first, in the API's Event
// model, for a history on a server without the events extension.
func MirrorEvents(ctx context.Context, m *mirror.Mirror, contactID int64) ([]apiclient.Event, error) {
	list, err := m.Events(ctx, contactID)
	if err != nil {
		return nil, err
	}
	out := make([]apiclient.Event, 0, len(list))
	for i := len(list) - 1; i >= 0; i-- {
		e := list[i]
		ev := apiclient.Event{ID: e.ID, ContactID: e.ContactID, Timestamp: e.Timestamp, Category: e.Category, Action: e.Action, By: e.By}
		var actor apiclient.EventActor
		if json.Unmarshal(e.Actor, &actor) == nil && (actor.ID != 0 || actor.Name != "") {
			ev.Actor = &actor
		}
		_ = json.Unmarshal(e.Data, &ev.Data)
		out = append(out, ev)
	}
	return out, nil
}
