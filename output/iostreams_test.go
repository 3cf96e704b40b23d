package output

import (
	"errors"
	"os/exec"
	"testing"
)

func envOf(m map[string]string) LookupEnv {
	return func(k string) (string, bool) { v, ok := m[k]; return v, ok }
}

func TestColorRules(t *testing.T) {
	for _, tc := range []struct {
		name    string
		tty     bool
		env     map[string]string
		noColor bool // --no-color
		want    bool
	}{
		{"terminal", true, nil, false, true},
		{"piped", false, nil, false, false},
		{"NO_COLOR any value", true, map[string]string{"NO_COLOR": ""}, false, false},
		{"NO_COLOR=1", true, map[string]string{"NO_COLOR": "1"}, false, false},
		{"--no-color", true, nil, true, false},
		{"CLICOLOR_FORCE piped", false, map[string]string{"CLICOLOR_FORCE": "1"}, false, true},
		{"CLICOLOR_FORCE=0", false, map[string]string{"CLICOLOR_FORCE": "0"}, false, false},
		{"NO_COLOR beats CLICOLOR_FORCE", false, map[string]string{"CLICOLOR_FORCE": "1", "NO_COLOR": "1"}, false, false},
		{"--no-color beats CLICOLOR_FORCE", false, map[string]string{"CLICOLOR_FORCE": "1"}, true, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			ios, _, _, _ := Test()
			ios.SetStdoutTTY(tc.tty)
			ios.ApplyEnv(envOf(tc.env))
			if tc.noColor {
				ios.SetColorEnabled(false)
			}
			if got := ios.ColorEnabled(); got != tc.want {
				t.Errorf("ColorEnabled = %v, want %v", got, tc.want)
			}
			red := ios.ColorScheme().Red("x")
			if (red != "x") != tc.want {
				t.Errorf("Red(x) = %q with colour %v", red, tc.want)
			}
		})
	}
}

func TestColorSchemeDisabledIsIdentity(t *testing.T) {
	cs := NewColorScheme(false)
	for _, f := range []func(string) string{cs.Red, cs.Green, cs.Yellow, cs.Blue, cs.Cyan, cs.Magenta, cs.Gray, cs.Dim, cs.Bold} {
		if f("s") != "s" {
			t.Fatal("disabled scheme changed text")
		}
	}
	if cs.Dot("red") != "●" || NewColorScheme(true).Dot("red") != "\x1b[31m●\x1b[0m" {
		t.Error("Dot")
	}
	if NewColorScheme(true).Color("nope", "s") != "s" {
		t.Error("unknown colour must leave text unchanged")
	}
}

func TestStreamsBasics(t *testing.T) {
	ios, _, _, _ := Test()
	if ios.IsStdoutTTY() || ios.IsStderrTTY() || ios.IsStdinTTY() || ios.ColorEnabled() {
		t.Fatal("Test() streams must start non-interactive")
	}
	if ios.TerminalWidth() != 80 {
		t.Errorf("default width %d", ios.TerminalWidth())
	}
	ios.SetTerminalWidth(132)
	ios.SetStdinTTY(true)
	ios.SetStdoutTTY(true)
	if ios.TerminalWidth() != 132 || !ios.IsStdinTTY() || !ios.IsStdoutTTY() {
		t.Error("setters not honoured")
	}
}

func TestPagerSelection(t *testing.T) {
	for _, tc := range []struct {
		env  map[string]string
		want string
	}{
		{nil, "less"},
		{map[string]string{"PAGER": "more"}, "more"},
		{map[string]string{"PAGER": "more", "RESPOND_PAGER": "most -s"}, "most"},
		{map[string]string{"PAGER": "more", "RESPOND_PAGER": ""}, ""},
		{map[string]string{"PAGER": "cat"}, ""},
	} {
		ios, _, _, _ := Test()
		ios.ApplyEnv(envOf(tc.env))
		args := ios.pagerArgs()
		got := ""
		if len(args) > 0 {
			got = args[0]
		}
		if got != tc.want {
			t.Errorf("%v: pager %q, want %q", tc.env, got, tc.want)
		}
	}
}

func TestPagerPipesOutput(t *testing.T) {
	if _, err := exec.LookPath("tr"); err != nil {
		t.Skip("tr not installed")
	}
	ios, _, out, _ := Test()
	ios.SetPager("tr a-z A-Z")
	if err := ios.StartPager(); err != nil { // not a TTY: no pager
		t.Fatal(err)
	}
	_, _ = ios.Out.Write([]byte("direct\n"))
	ios.StopPager()

	ios.SetStdoutTTY(true)
	if err := ios.StartPager(); err != nil {
		t.Fatal(err)
	}
	_, _ = ios.Out.Write([]byte("paged\n"))
	ios.StopPager()
	if out.String() != "direct\nPAGED\n" {
		t.Errorf("got %q", out.String())
	}
	if ios.Out != out {
		t.Error("StopPager must restore Out")
	}
}

func TestPagerThatCannotStartIsIgnored(t *testing.T) {
	ios, _, out, _ := Test()
	ios.SetStdoutTTY(true)
	ios.SetPager("/nonexistent/pager-binary")
	if err := ios.StartPager(); err != nil {
		t.Fatal(err)
	}
	_, _ = ios.Out.Write([]byte("x\n"))
	ios.StopPager()
	if out.String() != "x\n" {
		t.Errorf("got %q", out.String())
	}
}

func TestPagerQuitEarly(t *testing.T) {
	if _, err := exec.LookPath("head"); err != nil {
		t.Skip("head not installed")
	}
	ios, _, _, _ := Test()
	ios.SetStdoutTTY(true)
	ios.SetPager("head -c 1")
	_ = ios.StartPager()
	var err error
	chunk := make([]byte, 64*1024)
	for i := 0; i < 200 && err == nil; i++ { // until the pipe breaks
		_, err = ios.Out.Write(chunk)
	}
	ios.StopPager()
	if !errors.Is(err, ErrClosedPagerPipe) {
		t.Errorf("got %v, want ErrClosedPagerPipe", err)
	}
}

func TestOptionsStructured(t *testing.T) {
	for _, c := range []struct {
		o    Options
		want bool
	}{
		{Options{}, false},
		{Options{Format: FormatTable}, false},
		{Options{Format: FormatJSON}, true},
		{Options{Format: FormatJSONL}, true},
		{Options{Format: FormatYAML}, true},
		{Options{JQ: ".id"}, true},
		{Options{Format: FormatTable, Template: "{{.id}}"}, true},
	} {
		if got := c.o.Structured(); got != c.want {
			t.Errorf("%+v.Structured() = %v, want %v", c.o, got, c.want)
		}
	}
}
