#!/bin/bash
# Kernel rules have one home (libcore/*/kernel/): nothing else in libcore or the
# tools compares kernel versions or spells a release key.  Fails listing each
# line that does.
set -u
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
pat='\bkv\(|\.key\(\)|\.at_least\(|\.(major|minor|patch|sub)\s*(<|>|<=|>=|==|!=)|(<|>|<=|>=|==|!=)\s*[a-z_.]*\.(major|minor|patch)\b|VersionKey'
hits=$(grep -rnE "$pat" libcore tools --include='*.cpp' --include='*.hpp' | grep -v '^libcore/src/kernel/\|^libcore/include/kmemkit/kernel/' |
  grep -v 'stream/ids.cpp:.*\(s\|slots_\[i\]\)\.key() == key')   # IdMap's slot keys are not versions
if [ -n "$hits" ]; then
  echo "version comparisons outside libcore/*/kernel/ (move the rule into a row of a kernel table):"
  echo "$hits"
  exit 1
fi
echo "ok: no version comparison outside the kernel rules module"
