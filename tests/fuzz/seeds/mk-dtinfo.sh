#!/bin/sh
# Seeds for the dtinfo fuzz target: compile every seeds/dtinfo/*.dts with
# dtc (device-tree-compiler) into OUTDIR (default the target's corpus).
set -eu
here=$(dirname "$0")
out=${1:-$here/../corpus/dtinfo}
mkdir -p "$out"
for src in "$here"/dtinfo/*.dts; do
	name=$(basename "$src" .dts)
	dtc -q -I dts -O dtb -o "$out/$name.dtb" "$src"
	echo "$name.dtb: $(wc -c <"$out/$name.dtb") bytes"
done
