# The Python yardstick of `go run ./bench`: page through a conversation with http.client on
# one kept-alive connection and print every message as a JSON line.
# Usage: python3 pyloop.py HOST:PORT /v2 CONTACT_ID   (token in RESPOND_TOKEN)
import http.client, json, os, sys, urllib.parse

hostport, prefix, contact = sys.argv[1], sys.argv[2].rstrip("/"), sys.argv[3]
host, _, port = hostport.partition(":")
conn = http.client.HTTPConnection(host, int(port or 80))
headers = {"Authorization": "Bearer " + os.environ["RESPOND_TOKEN"], "Accept": "application/json"}
cursor = None
out = sys.stdout
while True:
    path = "%s/contact/id:%s/message/list?limit=100" % (prefix, contact)
    if cursor:
        path += "&cursorId=%d" % cursor
    conn.request("GET", path, headers=headers)
    resp = conn.getresponse()
    body = resp.read()
    if resp.status != 200:
        sys.exit("HTTP %d: %s" % (resp.status, body[:200]))
    page = json.loads(body)
    for item in page["items"]:
        out.write(json.dumps(item) + "\n")
    nxt = (page.get("pagination") or {}).get("next") or ""
    values = urllib.parse.parse_qs(urllib.parse.urlparse(nxt).query).get("cursorId")
    if not values:
        break
    cursor = int(values[0])
