// Package actions holds the logic behind respondctl's mutating commands (send, assign, unassign,
// done, reopen, pending, snooze, unsnooze, comment): the bulk.Action implementation of each verb,
// resolving `--to` users and closing-note categories, collecting targets (arguments, files, stdin,
// view snapshots), planning round-robin and balanced assignment, building send requests with the
// messaging-window check, and following a sent message's status for `--wait`.
//
// It knows nothing of cobra or terminals: commands/ parses flags and prints; this package decides.
package actions
