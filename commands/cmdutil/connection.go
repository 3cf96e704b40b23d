package cmdutil

import "github.com/respondctl/respondctl/config"

// Connection is the effective target of API calls after flags > env > profile.
// Token is the secret itself: show it only through config.MaskToken.
type Connection struct {
	ProfileName   string
	BaseURL       string
	BaseURLSource config.Source
	Token         string
	TokenSource   config.Source
	Insecure      bool
	Sandbox       bool   // --sandbox: the in-process emulator
	SandboxDB     string // its database file, under --sandbox
}

// MaskedToken is the token as it may be shown: "****ef90".
func (c *Connection) MaskedToken() string { return config.MaskToken(c.Token) }
