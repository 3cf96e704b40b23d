package output

// ANSI SGR codes; plain strings keep the scheme free of global state.
const (
	ansiReset   = "\x1b[0m"
	ansiBold    = "\x1b[1m"
	ansiDim     = "\x1b[2m"
	ansiRed     = "\x1b[31m"
	ansiGreen   = "\x1b[32m"
	ansiYellow  = "\x1b[33m"
	ansiBlue    = "\x1b[34m"
	ansiMagenta = "\x1b[35m"
	ansiCyan    = "\x1b[36m"
	ansiGray    = "\x1b[90m"
)

// DotGlyph is the status dot used by Dot and Cell.Dot.
const DotGlyph = "●"

// ColorScheme paints strings when colour is enabled and returns them
// unchanged otherwise.
type ColorScheme struct{ enabled bool }

// NewColorScheme returns a scheme; enabled=false makes every method a no-op.
func NewColorScheme(enabled bool) *ColorScheme { return &ColorScheme{enabled: enabled} }

// Enabled reports whether the scheme emits escape codes.
func (c *ColorScheme) Enabled() bool { return c != nil && c.enabled }

func (c *ColorScheme) paint(code, s string) string {
	if !c.Enabled() || s == "" {
		return s
	}
	return code + s + ansiReset
}

func (c *ColorScheme) Red(s string) string     { return c.paint(ansiRed, s) }
func (c *ColorScheme) Green(s string) string   { return c.paint(ansiGreen, s) }
func (c *ColorScheme) Yellow(s string) string  { return c.paint(ansiYellow, s) }
func (c *ColorScheme) Blue(s string) string    { return c.paint(ansiBlue, s) }
func (c *ColorScheme) Cyan(s string) string    { return c.paint(ansiCyan, s) }
func (c *ColorScheme) Magenta(s string) string { return c.paint(ansiMagenta, s) }
func (c *ColorScheme) Gray(s string) string    { return c.paint(ansiGray, s) }
func (c *ColorScheme) Dim(s string) string     { return c.paint(ansiDim, s) }
func (c *ColorScheme) Bold(s string) string    { return c.paint(ansiBold, s) }

// Color paints s with a colour named as in Cell.Color ("red", "green",
// "blue", "yellow", "cyan", "magenta", "gray"/"grey", "dim", "bold");
// an unknown or empty name leaves s unchanged.
func (c *ColorScheme) Color(name, s string) string {
	switch name {
	case "red":
		return c.Red(s)
	case "green":
		return c.Green(s)
	case "yellow":
		return c.Yellow(s)
	case "blue":
		return c.Blue(s)
	case "cyan":
		return c.Cyan(s)
	case "magenta":
		return c.Magenta(s)
	case "gray", "grey":
		return c.Gray(s)
	case "dim":
		return c.Dim(s)
	case "bold":
		return c.Bold(s)
	}
	return s
}

// Dot returns "●" in the named colour (plain "●" when colour is off).
func (c *ColorScheme) Dot(color string) string { return c.Color(color, DotGlyph) }
