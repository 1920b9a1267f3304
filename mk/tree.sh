#!/bin/bash
# Mirrors the repository into build/TARGET/tree as symbolic links (real
# directories, linked files), so that each target builds and tests in a
# tree of its own: objects, modules, tools and test logs of one target never
# mix with another's, and the sources stay in one place. Links to files
# that are gone are removed; what the build made there stays (incremental).
#
#   mk/tree.sh TARGET    prints the tree's path
# SPDX-License-Identifier: GPL-2.0-or-later
set -eu
cd "$(dirname "$0")/.."
repo=$PWD
target=${1:?usage: mk/tree.sh TARGET}
tree=$repo/build/$target/tree

# The files of the checkout: tracked and new ones, not what .gitignore names
# (earlier build outputs of a native build, test logs).
list_files() {
	if git -C "$repo" rev-parse --git-dir >/dev/null 2>&1; then
		git -C "$repo" ls-files -z --cached --others --exclude-standard
	else
		find . \( -path ./build -o -path ./.git -o -path ./test/out \) -prune \
			-o -type f -printf '%P\0'
	fi
}

mkdir -p "$tree"
find "$tree" -type l -delete
while IFS= read -r -d '' f; do
	[ -e "$repo/$f" ] || continue # deleted, not yet committed
	mkdir -p "$tree/$(dirname "$f")"
	ln -s "$repo/$f" "$tree/$f"
done < <(list_files)
echo "$tree"
