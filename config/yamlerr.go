package config

import (
	"bytes"
	"errors"
	"regexp"
	"sort"
	"strconv"
	"strings"

	"github.com/spf13/viper"
	"gopkg.in/yaml.v3"
)

// yamlLineRE splits yaml's "line N: message".
var yamlLineRE = regexp.MustCompile(`^line (\d+): (.*)$`)

// yamlErrorText turns "While parsing config: yaml: line 3: …" into "line 3: …"
// with the line a human would point at. yaml.v3 reports parser errors at the
// start of the enclosing block (and 0-based): a badly indented key in line 4
// comes out as "line 1: did not find expected key". The scanner's own
// position is not exported, so the line is recovered from the data: the first
// line whose prefix of the file fails with the same message.
func yamlErrorText(err error, data []byte) string {
	var pe viper.ConfigParseError
	if errors.As(err, &pe) && pe.Unwrap() != nil {
		err = pe.Unwrap()
	}
	s := strings.TrimPrefix(err.Error(), "yaml: ")
	if rest, ok := strings.CutPrefix(s, "unmarshal errors:"); ok {
		// Decoding errors (duplicate keys) carry their own, correct lines:
		// keep the first, which already reads "line N: …".
		lines := strings.Split(strings.TrimSpace(rest), "\n")
		s = strings.TrimSpace(lines[0])
		if len(lines) > 1 {
			s += " (and " + strconv.Itoa(len(lines)-1) + " more)"
		}
		return oneLine(s)
	}
	msg, reported := s, 0
	if m := yamlLineRE.FindStringSubmatch(s); m != nil {
		msg = m[2]
		reported, _ = strconv.Atoi(m[1])
	}
	if line := firstFailingLine(data, msg, reported); line > 0 {
		return oneLine("line " + strconv.Itoa(line) + ": " + msg)
	}
	return oneLine(s)
}

// firstFailingLine is the smallest line number n >= from such that the first
// n lines of data fail to parse with msg, or 0 when no prefix does (the
// problem then needs the whole file, and yaml's own line stands). A prefix
// that fails keeps failing once the offending token is in it, so a binary
// search suffices (log n parses, whatever the file's size).
func firstFailingLine(data []byte, msg string, from int) int {
	ends := lineEnds(data)
	if from < 1 {
		from = 1
	}
	if from > len(ends) {
		return 0
	}
	fails := func(i int) bool { // i indexes ends: the prefix of lines 1..from+i
		var n yaml.Node
		err := yaml.Unmarshal(data[:ends[from-1+i]], &n)
		if err == nil {
			return false
		}
		got := strings.TrimPrefix(err.Error(), "yaml: ")
		if m := yamlLineRE.FindStringSubmatch(got); m != nil {
			got = m[2]
		}
		return got == msg
	}
	span := len(ends) - from + 1
	i := sort.Search(span, fails)
	if i == span {
		return 0
	}
	return from + i
}

// lineEnds holds, for each line, the offset just past its newline (or the end
// of data for an unterminated last line).
func lineEnds(data []byte) []int {
	var ends []int
	for off := 0; off < len(data); {
		nl := bytes.IndexByte(data[off:], '\n')
		if nl < 0 {
			ends = append(ends, len(data))
			break
		}
		off += nl + 1
		ends = append(ends, off)
	}
	return ends
}
