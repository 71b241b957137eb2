#!/bin/sh
# C-VF-1h after a fixed budget of 3 epochs for each initial angle Ψ₀ (Ernoult et al. 2020,
# Fig. 4), seed 0, then the table angle.md and the plot angle.svg beside this script.
# Run from the repository root after `swift build -c release`.
set -eu
out=${1:-runs/c-vf-angle}
mkdir -p "$out"
for angle in 0 45 90 135 180; do
  sed "s/angle: 0}/angle: $angle}/" examples/c-vf-1h.yaml > "$out/psi$angle.yaml"
  .build/release/eqprop train "$out/psi$angle.yaml" --epochs 3 --data ../shared/data/mnist \
    --out "$out/psi$angle" --json > "$out/psi$angle.json"
done
python3 examples/c-vf-angle/plot.py $(for a in 0 45 90 135 180; do echo "$a=$out/psi$a.json"; done)
