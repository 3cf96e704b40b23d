package output

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"

	"gopkg.in/yaml.v3"
)

// jsonPrinter streams a list as "[", items, "]" so memory stays constant.
type jsonPrinter struct {
	out    io.Writer
	indent bool
	single bool
	n      int
}

func (p *jsonPrinter) write(rec any) error {
	if p.single {
		b, err := marshalJSON(rec, "", p.indent)
		if err != nil {
			return err
		}
		p.n++
		return writeString(p.out, string(b)+"\n")
	}
	// Items sit one level deep inside the array, hence the "  " prefix.
	b, err := marshalJSON(rec, "  ", p.indent)
	if err != nil {
		return err
	}
	sep := ","
	switch {
	case p.n == 0 && p.indent:
		sep = "[\n  "
	case p.n == 0:
		sep = "["
	case p.indent:
		sep = ",\n  "
	}
	p.n++
	return writeString(p.out, sep+string(b))
}

func (p *jsonPrinter) close() error {
	switch {
	case p.single:
		return nil
	case p.n == 0:
		return writeString(p.out, "[]\n")
	case p.indent:
		return writeString(p.out, "\n]\n")
	default:
		return writeString(p.out, "]\n")
	}
}

// jsonlPrinter writes one compact object per line as records arrive.
type jsonlPrinter struct{ out io.Writer }

func (p *jsonlPrinter) write(rec any) error {
	b, err := marshalJSON(rec, "", false)
	if err != nil {
		return err
	}
	return writeString(p.out, string(b)+"\n")
}

func (p *jsonlPrinter) close() error { return nil }

// yamlPrinter converts each record's JSON form to a yaml.Node (keeping the
// JSON field order) and streams list items as "- " blocks.
type yamlPrinter struct {
	out    io.Writer
	single bool
	n      int
}

func (p *yamlPrinter) write(rec any) error {
	b, err := marshalJSON(rec, "", false)
	if err != nil {
		return err
	}
	node, err := jsonToYAMLNode(b)
	if err != nil {
		return err
	}
	text, err := encodeYAML(node)
	if err != nil {
		return err
	}
	p.n++
	if p.single {
		return writeString(p.out, text)
	}
	return writeString(p.out, indentAsSequenceItem(text))
}

func (p *yamlPrinter) close() error {
	if !p.single && p.n == 0 {
		return writeString(p.out, "[]\n")
	}
	return nil
}

func encodeYAML(node *yaml.Node) (string, error) {
	var buf bytes.Buffer
	enc := yaml.NewEncoder(&buf)
	enc.SetIndent(2)
	if err := enc.Encode(node); err != nil {
		return "", err
	}
	if err := enc.Close(); err != nil {
		return "", err
	}
	// Unsafe characters only occur in double-quoted scalars (strNode), where
	// \uXXXX means the same character.
	return string(escapeStructured(buf.Bytes())), nil
}

// indentAsSequenceItem turns a YAML document into one block-sequence entry:
// "- " before the first line and two spaces before the rest.
func indentAsSequenceItem(doc string) string {
	lines := bytes.Split(bytes.TrimRight([]byte(doc), "\n"), []byte("\n"))
	var buf bytes.Buffer
	for i, l := range lines {
		switch {
		case i == 0:
			buf.WriteString("- ")
		case len(l) > 0:
			buf.WriteString("  ")
		}
		buf.Write(l)
		buf.WriteByte('\n')
	}
	return buf.String()
}

// jsonToYAMLNode walks JSON tokens so object keys keep their order.
func jsonToYAMLNode(b []byte) (*yaml.Node, error) {
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.UseNumber()
	return decodeYAMLValue(dec)
}

func decodeYAMLValue(dec *json.Decoder) (*yaml.Node, error) {
	tok, err := dec.Token()
	if err != nil {
		return nil, err
	}
	switch t := tok.(type) {
	case json.Delim:
		if t == '{' {
			n := &yaml.Node{Kind: yaml.MappingNode, Tag: "!!map"}
			for dec.More() {
				kt, err := dec.Token()
				if err != nil {
					return nil, err
				}
				key, _ := kt.(string)
				v, err := decodeYAMLValue(dec)
				if err != nil {
					return nil, err
				}
				n.Content = append(n.Content, strNode(key), v)
			}
			_, err := dec.Token() // '}'
			return n, err
		}
		n := &yaml.Node{Kind: yaml.SequenceNode, Tag: "!!seq"}
		for dec.More() {
			v, err := decodeYAMLValue(dec)
			if err != nil {
				return nil, err
			}
			n.Content = append(n.Content, v)
		}
		_, err := dec.Token() // ']'
		return n, err
	case string:
		return strNode(t), nil
	case json.Number:
		tag := "!!int"
		if _, err := t.Int64(); err != nil {
			tag = "!!float"
		}
		return &yaml.Node{Kind: yaml.ScalarNode, Tag: tag, Value: t.String()}, nil
	case bool:
		v := "false"
		if t {
			v = "true"
		}
		return &yaml.Node{Kind: yaml.ScalarNode, Tag: "!!bool", Value: v}, nil
	default:
		return &yaml.Node{Kind: yaml.ScalarNode, Tag: "!!null", Value: "null"}, nil
	}
}

// strNode double-quotes strings holding controls, so the encoder escapes them
// (and escapeYAML can escape the bidi controls YAML counts as printable).
func strNode(s string) *yaml.Node {
	n := &yaml.Node{Kind: yaml.ScalarNode, Tag: "!!str", Value: s}
	if needsSanitising(s) {
		n.Style = yaml.DoubleQuotedStyle
	}
	return n
}

// CompactMarshaler is a record whose JSON encoding is already compact and valid, as
// json.Marshal's is: LineEncoder writes it as is, without the encoder's second pass that
// validates and compacts a MarshalJSON result.
type CompactMarshaler interface {
	MarshalCompactJSON() ([]byte, error)
}

// LineEncoder returns, for -o jsonl without --jq or --template, the exact line (newline
// included) a record prints as, so a streaming command can encode each record once and
// write the bytes itself; nil for every other output.
func LineEncoder(opts Options) func(rec any) ([]byte, error) {
	if opts.format() != FormatJSONL || opts.JQ != "" || opts.Template != "" {
		return nil
	}
	return func(rec any) ([]byte, error) {
		if cm, ok := rec.(CompactMarshaler); ok {
			b, err := cm.MarshalCompactJSON()
			if err != nil {
				return nil, fmt.Errorf("encoding %s as JSON: %w", typeName(rec), err)
			}
			// The same C1/DEL/bidi escapes as every other JSON output (marshalJSON).
			return append(escapeStructured(b), '\n'), nil
		}
		b, err := marshalJSON(rec, "", false)
		if err != nil {
			return nil, err
		}
		return append(b, '\n'), nil
	}
}
