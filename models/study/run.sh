#!/bin/sh
# The sparsity-and-stability study of models/study (README, "Sparsity and stability").
# Run from the package root: sh models/study/run.sh   (release build: swift build -c release)
set -eu
R=${RELULP:-.build/release/relulp}
D=models/study
mkdir -p $D/teacher1d $D/teacher2d
# Teachers: k = 3 neurons, n = 40 points, uniform inputs; the CSV labels carry noise 0.01 (unused by the
# sweep, which recomputes the clean labels from the teacher and draws its own noise per seed).
$R generate --n 40 --features 1 --neurons 3 --noise 0.01 --seed 1 --output $D/teacher1d/data.csv --teacher $D/teacher1d/teacher.json
$R generate --n 40 --features 2 --neurons 3 --noise 0.01 --seed 2 --output $D/teacher2d/data.csv --teacher $D/teacher2d/teacher.json
for t in teacher1d teacher2d; do
  # Two shards per teacher, as an array job would run them, then the merge.
  for i in 1 2; do
    $R sweep $D/$t/data.csv --teacher $D/$t/teacher.json --lambdas 1e-1:1e-4:10 --noise-levels 0,0.001,0.01,0.05 \
      --seeds 1,2 --shard $i/2 --output $D/$t/sweep --quiet > /dev/null &
  done
  wait
  $R sweep merge $D/$t/sweep --output $D/$t
  rm -r $D/$t/sweep
done
