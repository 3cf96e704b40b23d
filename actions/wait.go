package actions

import (
	"context"
	"fmt"
	"time"
)

// MessageFailedError: the channel reported the message failed; Reason is the channel's words.
type MessageFailedError struct {
	MessageID int64
	Reason    string
}

func (e *MessageFailedError) Error() string {
	reason := e.Reason
	if reason == "" {
		reason = "no reason given"
	}
	return fmt.Sprintf("message %d failed: %s", e.MessageID, reason)
}

// WaitTimeoutError: the message did not reach the wanted status in time.
type WaitTimeoutError struct {
	MessageID int64
	Want      string
	Last      string
	Timeout   time.Duration
}

func (e *WaitTimeoutError) Error() string {
	last := e.Last
	if last == "" {
		last = "none yet"
	}
	return fmt.Sprintf("message %d not %s after %s (last status: %s)", e.MessageID, e.Want, e.Timeout, last)
}

// statusRank orders delivery statuses; a message that was read was delivered.
var statusRank = map[string]int{"pending": 1, "sent": 2, "delivered": 3, "read": 4}

// HighestReported is the last status a channel source ever reports, for sources that stop short
// of "read": email, Telegram and others report only "sent", SMS stops at "delivered". --wait ends
// there instead of timing out (the contract: that is not a failure). Unlisted sources report read.
var HighestReported = map[string]string{
	"gmail": "sent", "other_email": "sent", "telegram": "sent", "line": "sent", "wechat": "sent",
	"custom_channel": "sent", "twitter": "sent",
	"twilio": "delivered", "message_bird": "delivered", "nexmo": "delivered",
}

// WaitOptions tunes WaitForStatus.
type WaitOptions struct {
	Want     string        // "delivered" or "read"
	Timeout  time.Duration // default 30s
	Interval time.Duration // first poll interval, doubling to 2s; default 250ms
	Source   string        // channel source, for HighestReported
	// Sleep waits between polls (tests inject a fake); nil uses a timer honouring ctx.
	Sleep func(context.Context, time.Duration) error
}

// WaitForStatus polls the message until it reaches o.Want (or a later status), fails, or the
// timeout passes. It returns the status reached, which on channels that never report o.Want is
// the highest they do report (see HighestReported).
func WaitForStatus(ctx context.Context, p Platform, ident string, messageID int64, o WaitOptions) (MessageStatus, error) {
	if _, ok := statusRank[o.Want]; !ok || o.Want == "pending" || o.Want == "sent" {
		return MessageStatus{}, fmt.Errorf("invalid --wait %q: use delivered or read", o.Want)
	}
	if o.Timeout <= 0 {
		o.Timeout = 30 * time.Second
	}
	if o.Interval <= 0 {
		o.Interval = 250 * time.Millisecond
	}
	sleep := o.Sleep
	if sleep == nil {
		sleep = sleepCtx
	}
	ctx, cancel := context.WithTimeout(ctx, o.Timeout)
	defer cancel()
	interval := o.Interval
	var last MessageStatus
	for {
		statuses, err := p.MessageStatuses(ctx, ident, messageID)
		if err != nil && ctx.Err() == nil {
			return last, err
		}
		for _, s := range statuses {
			if s.Value == "failed" {
				return s, &MessageFailedError{MessageID: messageID, Reason: s.Reason}
			}
			if statusRank[s.Value] >= statusRank[last.Value] {
				last = s
			}
		}
		if statusRank[last.Value] >= statusRank[o.Want] {
			return last, nil
		}
		if top, ok := HighestReported[o.Source]; ok && last.Value == top {
			return last, nil
		}
		if err := sleep(ctx, interval); err != nil {
			if ctx.Err() == context.DeadlineExceeded && context.Cause(ctx) == context.DeadlineExceeded {
				return last, &WaitTimeoutError{MessageID: messageID, Want: o.Want, Last: last.Value, Timeout: o.Timeout}
			}
			return last, err
		}
		interval = min(interval*2, 2*time.Second)
	}
}

func sleepCtx(ctx context.Context, d time.Duration) error {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}
