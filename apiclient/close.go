package apiclient

// CloseIdleConnections closes the client's kept-alive connections, including one the
// transport dialled for a request that another connection then served. A server shutting
// down gracefully waits for such a never-used connection (it counts as new, not idle), so
// callers stopping an in-process server close these first.
func (c *Client) CloseIdleConnections() {
	c.http.GetClient().CloseIdleConnections()
}
