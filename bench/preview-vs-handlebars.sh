#!/usr/bin/env bash
# Times `crvs-comms preview --all --format json` against handlebars.js (the engine OpenCRVS
# renders notifications with) rendering the same templates with the same data under Node, each
# as a whole process, and prints both times and the ratio.
#
# Usage: bench/preview-vs-handlebars.sh [NOTIFICATIONS [LANGUAGES [RUNS]]]   (default 2000 10 10)
#
# Needs python3 (3.11+, for tomllib), node and npm; installs handlebars from npm into a temporary
# folder. Uses hyperfine when it is installed (apt-get install hyperfine), else a timing loop.
set -euo pipefail
cd "$(dirname "$0")/.."

notifications=${1:-2000}
languages=${2:-10}
runs=${3:-10}

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

cargo build --release --quiet
bin=$PWD/target/release/crvs-comms

python3 bench/generate.py "$notifications" "$languages" "$tmp"

# One value for every variable the generated copy uses, given to both engines.
cat > "$tmp/data.json" <<'JSON'
{
  "trackingId": "B7X2K9Q",
  "crvsOffice": "Ibombo District Office",
  "name": "Mwila Grace Banda",
  "registrationNumber": "2026B0004512",
  "authCode": "482913",
  "username": "k.mwansa",
  "password": "Tuvk7Rqp2Z",
  "firstNames": "Kalusha",
  "reason": "Supporting document missing."
}
JSON

# The SMS copy of every notification and language, as JSON for Node (not timed: Node gets its
# templates already parsed out of the TOML, crvs-comms reads the TOML itself).
python3 - "$tmp/notifications.toml" "$tmp/templates.json" <<'PY'
import json, sys, tomllib
with open(sys.argv[1], "rb") as f:
    catalogue = tomllib.load(f)
templates = [
    {"notification": key, "language": language, "text": text}
    for key, notification in catalogue["notifications"].items()
    for language, text in notification.get("sms", {}).items()
]
with open(sys.argv[2], "w", encoding="utf-8") as f:
    json.dump(templates, f)
print(f"{len(templates)} templates", file=sys.stderr)
PY

npm install --prefix "$tmp/node" --no-audit --no-fund --silent handlebars >/dev/null
handlebars_version=$(node -p "require('$tmp/node/node_modules/handlebars/package.json').version")

# Renders each template as OpenCRVS does, Handlebars.compile(text)(data), and prints the texts as
# JSON, as crvs-comms prints its rows.
cat > "$tmp/render.js" <<'JS'
const fs = require("fs");
const path = require("path");
const Handlebars = require(path.join(process.argv[2], "node_modules", "handlebars"));
const templates = JSON.parse(fs.readFileSync(process.argv[3], "utf8"));
const data = JSON.parse(fs.readFileSync(process.argv[4], "utf8"));
const rows = templates.map((t) => ({
  notification: t.notification,
  language: t.language,
  text: Handlebars.compile(t.text)(data),
}));
process.stdout.write(JSON.stringify(rows, null, 2) + "\n");
JS

set_args=$(python3 -c '
import json, shlex, sys
data = json.load(open(sys.argv[1]))
print(" ".join(shlex.quote(f"--set={k}={v}") for k, v in data.items()))
' "$tmp/data.json")

crvs_cmd="$bin --file $tmp/notifications.toml preview --all --format json $set_args"
node_cmd="node $tmp/render.js $tmp/node $tmp/templates.json $tmp/data.json"

# Both must render every message before they are timed.
eval "$crvs_cmd" > "$tmp/crvs.json"
eval "$node_cmd" > "$tmp/node.json"
python3 - "$tmp/crvs.json" "$tmp/node.json" <<'PY'
import json, sys
crvs = json.load(open(sys.argv[1]))
node = json.load(open(sys.argv[2]))
assert len(crvs) == len(node), (len(crvs), len(node))
rendered = {(r["notification"], r["language"]): r["text"] for r in crvs}
same = sum(rendered[(r["notification"], r["language"])] == r["text"] for r in node)
assert same == len(node), f"{len(node) - same} texts differ"
print(f"both rendered the same {same} texts", file=sys.stderr)
PY

echo "crvs-comms: $crvs_cmd" | sed "s#$tmp#\$tmp#g"
echo "handlebars.js $handlebars_version under node $(node --version): $node_cmd" | sed "s#$tmp#\$tmp#g"

if command -v hyperfine >/dev/null; then
    hyperfine --warmup 1 --runs "$runs" --style basic --export-json "$tmp/times.json" \
        -n crvs-comms "$crvs_cmd > /dev/null" \
        -n handlebars.js "$node_cmd > /dev/null" >&2
    python3 - "$tmp/times.json" <<'PY'
import json, sys
results = {r["command"]: r for r in json.load(open(sys.argv[1]))["results"]}
crvs, node = results["crvs-comms"], results["handlebars.js"]
print(f"crvs-comms     mean {crvs['mean']:.3f} s  median {crvs['median']:.3f} s  min {crvs['min']:.3f} s")
print(f"handlebars.js  mean {node['mean']:.3f} s  median {node['median']:.3f} s  min {node['min']:.3f} s")
print(f"ratio (handlebars.js / crvs-comms, medians): {node['median'] / crvs['median']:.1f}x")
PY
else
    python3 - "$runs" "$crvs_cmd > /dev/null" "$node_cmd > /dev/null" <<'PY'
import statistics, subprocess, sys, time
runs = int(sys.argv[1])
def timed(command):
    subprocess.run(command, shell=True, check=True)  # warm-up
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        subprocess.run(command, shell=True, check=True)
        times.append(time.perf_counter() - start)
    return times
crvs, node = timed(sys.argv[2]), timed(sys.argv[3])
for name, times in (("crvs-comms", crvs), ("handlebars.js", node)):
    print(f"{name:<14} mean {statistics.mean(times):.3f} s  median {statistics.median(times):.3f} s  min {min(times):.3f} s")
print(f"ratio (handlebars.js / crvs-comms, medians): {statistics.median(node) / statistics.median(crvs):.1f}x")
PY
fi
