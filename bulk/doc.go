// Package bulk is the engine behind respondctl's many-contact actions (assign,
// unassign, done, reopen, pending, snooze, unsnooze, comment, send): it reads
// target identifiers, runs an Action over them with bounded workers, journals
// every outcome durably so an interrupted or crashed run can be resumed
// without repeating a send, and summarises the run.
//
// It is deliberately generic: it imports nothing of cobra, the API client,
// config or output. The command layer adapts API calls into an Action; the
// client's per-endpoint limiter paces the workers, its retry rules apply
// inside Apply, and Options.Classify maps its outcome-unknown errors.
//
// A command's flow (Complete → Validate → Run):
//
//	targets, report, err := bulk.MergeTargets(args, bulk.InputOptions{Normalize: canonical}, sources...)
//	// abort before any change if report.Err() != nil; len(targets) == 0 is a no-op
//	targets = bulk.PlanTargets(bulk.RoundRobin(targets, assignees)) // optional plan
//	j, err := bulk.CreateJournal(path, bulk.JournalHeader{Action: "assign", Params: …, Command: argv}, targets)
//	sum, err := bulk.Run(ctx, action, targets, bulk.Options{Journal: j, Classify: …, OnResult: print})
//	// later: j, _ := bulk.OpenJournal(path); bulk.Resume(ctx, action, j, opts)
//
// Journal durability: the header and target snapshot are fsynced before
// anything is done; a start record is fsynced before every non-idempotent
// Apply (or, for a CommitDeferrer, at its Commit, just before its request is
// written); a result record is fsynced (group commit) before OnResult sees it.
//
// Trust (docs/bulk.md): a journal names its Workspace (CheckWorkspace refuses another), is
// locked by one process for its whole run (LockedError for a second), carries its id and a
// sequence number in every record (damage is reported in JournalState.Damage and turns the
// unsettled targets unknown), and a Reconciler action's unknown outcomes are looked up on the
// platform before a run ends and on resume.
package bulk
