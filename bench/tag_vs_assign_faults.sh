#!/bin/bash
# Usage: RESPONDCTL=./respondctl bench/tag_vs_assign_faults.sh
# Bulk tag vs bulk assign of the same 1,000 contacts against sandbox serve --rate 50 with faults.
set -u
R=${RESPONDCTL:-respondctl}
W=$(mktemp -d)
export XDG_STATE_HOME=$W/state XDG_CONFIG_HOME=$W/cfg HOME=$W/home
rm -rf $W/state $W/cfg $W/home; mkdir -p $W/home
$R sandbox serve --addr 127.0.0.1:18712 --seed large:3000 --rate 50 --token t12 --quiet \
  --faults '500=0.05,502=0.05,429=0.05,reset=0.03,seed=7' > $W/serve.out 2>&1 &
SP=$!
for i in $(seq 1 100); do curl -s -o /dev/null -H 'Authorization: Bearer t12' http://127.0.0.1:18712/v2/space/channel && break; sleep 0.2; done
export RESPOND_API_BASE=http://127.0.0.1:18712/v2 RESPOND_TOKEN=t12
run() { # verb args…: run, then resume until done
  local start=$(date +%s.%N)
  "$@" > $W/run.out 2> $W/run.err; local code=$?
  tail -1 $W/run.err
  while [ $code = 3 ]; do
    j=$(grep -o 'journal: .*' $W/run.err | tail -1 | awk '{print $NF}')
    [ -z "$j" ] && break
    if [ "$1" = "$R" ] && [ "$2" = contacts ]; then "$R" contacts "$3" --resume "$j" > $W/run.out 2> $W/run.err; else "$R" "$2" --resume "$j" > $W/run.out 2> $W/run.err; fi
    code=$?; echo "resume: $(tail -1 $W/run.err)"
  done
  echo "exit $code, $(echo "$(date +%s.%N) - $start" | bc) s"
}
echo "== tag"; run $R contacts tag --view All --limit 1000 promo --workers 16
echo "== assign"; run $R assign --view All --limit 1000 --to priya@example.com --workers 16
echo "== tagged:"; curl -s -X POST -H 'Authorization: Bearer t12' -H 'Content-Type: application/json' http://127.0.0.1:18712/v2/contact/count \
  -d '{"search":"","filter":{"$and":[{"category":"contactTag","field":null,"operator":"hasAnyOf","value":["promo"]}]}}'; echo
echo "== tag requests that added the tag (must be 1000):"
n=0; next="http://127.0.0.1:18712/v2/sandbox/audit?action=tags_added&limit=100"
while [ -n "$next" ]; do page=$(curl -s -H 'Authorization: Bearer t12' "$next"); n=$((n + $(echo "$page" | grep -o 'changed=promo' | wc -l))); next=$(echo "$page" | python3 -c 'import json,sys; print(json.load(sys.stdin)["pagination"]["next"])'); done; echo $n
kill $SP; wait $SP 2>/dev/null
