package actions

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"strconv"
	"time"

	"github.com/respondctl/respondctl/bulk"
)

// TargetSource says where a run's contacts come from. Arguments and input streams may be
// combined (duplicates collapse); a view excludes both.
type TargetSource struct {
	Args []string
	// Files are input files; "-" is stdin.
	Files []string
	// Stdin is read when no arguments, files or view are given and it is not a terminal (a pipe).
	Stdin io.Reader
	// Column names the CSV column or JSON field holding the identifier ("" = auto).
	Column string
	View   string
	Limit  int // with View: at most this many contacts (0: all)
}

// Collected is the outcome of CollectTargets.
type Collected struct {
	Targets []bulk.Target
	Report  bulk.InputReport
	// FromView and SnapshotAt are set when the targets are a view snapshot.
	FromView   bool
	SnapshotAt time.Time
}

// ErrNoTargets: neither arguments, files, stdin nor a view were given.
var ErrNoTargets = errors.New("no contacts given: pass identifiers as arguments, --input FILE, a pipe on stdin, or --view NAME")

// CollectTargets reads and validates every target before anything is changed. A view is
// snapshotted (its member ids listed once, up front) so a view that changes while the run
// proceeds neither skips nor repeats anyone. normalize canonicalises one identifier.
// Invalid input lines are reported by Report.Err() with their line numbers; the caller stops.
func CollectTargets(ctx context.Context, p Platform, src TargetSource, normalize func(string) (string, error), now func() time.Time) (Collected, error) {
	if src.View != "" {
		if len(src.Args) > 0 || len(src.Files) > 0 {
			return Collected{}, errors.New("--view cannot be combined with identifiers or --input")
		}
		at := now()
		ids, err := p.ViewTargets(ctx, src.View, src.Limit)
		if err != nil {
			return Collected{}, err
		}
		targets, report, err := bulk.MergeTargets(ids, bulk.InputOptions{Normalize: normalize})
		if err != nil {
			return Collected{}, err
		}
		return Collected{Targets: targets, Report: report, FromView: true, SnapshotAt: at}, nil
	}
	if src.Limit > 0 {
		return Collected{}, errors.New("--limit goes with --view")
	}
	var sources []bulk.NamedReader
	var closers []io.Closer
	defer func() {
		for _, c := range closers {
			_ = c.Close()
		}
	}()
	for _, f := range src.Files {
		if f == "-" {
			if src.Stdin == nil {
				return Collected{}, errors.New("--input -: no standard input")
			}
			sources = append(sources, bulk.NamedReader{Name: "stdin", Reader: src.Stdin})
			continue
		}
		fh, err := os.Open(f)
		if err != nil {
			return Collected{}, fmt.Errorf("input: %w", err)
		}
		closers = append(closers, fh)
		sources = append(sources, bulk.NamedReader{Name: f, Reader: fh})
	}
	if len(src.Args) == 0 && len(sources) == 0 {
		if src.Stdin == nil {
			return Collected{}, ErrNoTargets
		}
		sources = append(sources, bulk.NamedReader{Name: "stdin", Reader: src.Stdin})
	}
	targets, report, err := bulk.MergeTargets(src.Args, bulk.InputOptions{Column: src.Column, Normalize: normalize}, sources...)
	if err != nil {
		return Collected{}, err
	}
	return Collected{Targets: targets, Report: report}, nil
}

// PlanAssignees spreads targets over assignees for `assign --round-robin` (in list order) or
// `--balance` (fewest open conversations first, counting what this run hands out). The plan is
// stored in each target (bulk.AssigneeParam = user id), so a resume repeats it exactly.
func PlanAssignees(ctx context.Context, p Platform, targets []bulk.Target, assignees []UserRef, balance bool) ([]bulk.Target, map[int64]int, error) {
	keys := make([]string, len(assignees))
	for i, u := range assignees {
		keys[i] = strconv.FormatInt(u.ID, 10)
	}
	if !balance {
		return bulk.PlanTargets(bulk.RoundRobin(targets, keys)), nil, nil
	}
	loads := make(map[int64]int, len(assignees))
	byKey := make(map[string]int, len(assignees))
	for i, u := range assignees {
		n, err := p.OpenConversations(ctx, u.ID)
		if err != nil {
			return nil, nil, fmt.Errorf("counting open conversations of %s: %w", u.Label(), err)
		}
		loads[u.ID] = n
		byKey[keys[i]] = n
	}
	return bulk.PlanTargets(bulk.Balance(targets, keys, byKey)), loads, nil
}
