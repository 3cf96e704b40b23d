package faults

import (
	"encoding/json"
	"io"
	"net"
	"net/http"
	"strconv"
)

// badGatewayPage is what nginx serves when its upstream fails: the client
// must cope with a non-JSON error body.
const badGatewayPage = "<html>\r\n<head><title>502 Bad Gateway</title></head>\r\n<body>\r\n" +
	"<center><h1>502 Bad Gateway</h1></center>\r\n<hr><center>nginx</center>\r\n</body>\r\n</html>\r\n"

// StatusQueued is the platform's 449 "request queued, retry later".
const StatusQueued = 449

// maxDrain bounds how much of a request body is read before a reset.
const maxDrain = 32 << 20

func writeJSONError(w http.ResponseWriter, status int, message string) {
	body, _ := json.Marshal(struct {
		Code    int    `json:"code"`
		Message string `json:"message"`
	}{status, message})
	writeBody(w, status, "application/json", body)
}

func writeBadGateway(w http.ResponseWriter) {
	writeBody(w, http.StatusBadGateway, "text/html", []byte(badGatewayPage))
}

func writeBody(w http.ResponseWriter, status int, contentType string, body []byte) {
	h := w.Header()
	h.Set("Content-Type", contentType)
	h.Set("Content-Length", strconv.Itoa(len(body)))
	w.WriteHeader(status)
	_, _ = w.Write(body)
}

// resetConnection reads the rest of the request body, so the client has
// finished sending, then closes the connection with a TCP RST and no
// response. Without a hijackable connection it aborts the handler, which
// makes net/http drop the connection.
func resetConnection(w http.ResponseWriter, r *http.Request) {
	_, _ = io.Copy(io.Discard, io.LimitReader(r.Body, maxDrain))
	conn, _, err := http.NewResponseController(w).Hijack()
	if err != nil {
		panic(http.ErrAbortHandler)
	}
	if inner, ok := conn.(interface{ NetConn() net.Conn }); ok {
		conn = inner.NetConn() // *tls.Conn: reset the TCP connection beneath
	}
	if tcp, ok := conn.(*net.TCPConn); ok {
		_ = tcp.SetLinger(0) // close sends RST instead of FIN
	}
	_ = conn.Close()
}

// discardingWriter lets the wrapped handler run to completion (applying the
// change) while its response goes nowhere.
type discardingWriter struct {
	header http.Header
}

func (d *discardingWriter) Header() http.Header         { return d.header }
func (d *discardingWriter) Write(p []byte) (int, error) { return len(p), nil }
func (d *discardingWriter) WriteHeader(int)             {}
