package apiclient

import (
	"encoding/json"
	"fmt"
	"strings"
	"testing"
)

// BenchmarkDecodeMessagePage compares decoding a page of 100 messages with
// the liberal reader (flexible ids) against the plain struct it wraps.
// Run side by side: go test -run '^$' -bench DecodeMessagePage ./apiclient/
func BenchmarkDecodeMessagePage(b *testing.B) {
	var items []string
	for i := range 100 {
		items = append(items, fmt.Sprintf(`{"messageId":%d,"channelMessageId":"wamid.HBgLNjAxMjM0NTY3ODkVAgARGBI%d","contactId":1,"channelId":31,"traffic":"outgoing","message":{"type":"text","text":"Your order has shipped"},"sender":{"source":"user","userId":7,"teamId":2},"status":[{"value":"sent","timestamp":1732400100},{"value":"delivered","timestamp":1732400103}],"timestamp":1732400100}`, 88000+i, i))
	}
	page := []byte(`{"items":[` + strings.Join(items, ",") + `],"pagination":{"next":"https://x/v2/contact/id:1/message/list?cursorId=88000"}}`)
	type plainSender struct {
		Source string `json:"source"`
		UserID int64  `json:"userId"`
		TeamID int64  `json:"teamId"`
	}
	type plainMessage struct {
		MessageID        int64           `json:"messageId"`
		ChannelMessageID string          `json:"channelMessageId"`
		ContactID        int64           `json:"contactId"`
		ChannelID        int64           `json:"channelId"`
		Traffic          string          `json:"traffic"`
		Message          MessageBody     `json:"message"`
		Sender           *plainSender    `json:"sender"`
		Status           []MessageStatus `json:"status"`
		Timestamp        *int64          `json:"timestamp"`
	}
	b.Run("plain", func(b *testing.B) {
		for b.Loop() {
			var p Page[plainMessage]
			if err := json.Unmarshal(page, &p); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("liberal", func(b *testing.B) {
		for b.Loop() {
			var p Page[Message]
			if err := json.Unmarshal(page, &p); err != nil {
				b.Fatal(err)
			}
		}
	})
}
