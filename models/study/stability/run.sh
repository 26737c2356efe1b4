#!/bin/sh
# The stability study of issue 24 (README, "Sparsity and stability"): the minimal-norm certificate η₀ of each
# teacher's noise-free limit, then squared-loss sweeps with noise = c·λ as λ → 0, and one L1 sweep to compare.
# Run from the package root: sh models/study/stability/run.sh   (release build: swift build -c release)
set -eu
R=${RELULP:-.build/release/relulp}
D=models/study/stability
# Teachers: two hand-made 1-D sets (nondeg1d: y = relu(x + 0.25), kink between data points; boundary1d:
# y = relu(x), kink on the data point x = 0, a teacher neuron on a region boundary), a generated 2-D set and
# the clean labels of the 1-D and 2-D study teachers of models/study/teacher1d and teacher2d (same inputs, noise 0),
# and the issue's 30-point 1-D instance.
$R generate --n 8 --features 2 --neurons 2 --noise 0 --seed 1 --output $D/nondeg2d.csv --teacher $D/nondeg2d.teacher.json
$R generate --n 40 --features 1 --neurons 3 --noise 0 --seed 1 --output $D/teacher1d.csv --teacher $D/teacher1d.teacher.json
$R generate --n 40 --features 2 --neurons 3 --noise 0 --seed 2 --output $D/teacher2d.csv --teacher $D/teacher2d.teacher.json
$R generate --n 30 --features 1 --neurons 3 --noise 0 --seed 21 --output $D/issue1d.csv --teacher $D/issue1d.teacher.json
for t in nondeg1d boundary1d nondeg2d teacher1d teacher2d issue1d; do
  $R precertificate $D/$t.csv --json $D/$t.precertificate.json --model $D/$t.limit.json --quiet > $D/$t.precertificate.txt
  $R plot $D/$t.limit.json $D/$t.csv --kind certificate --output $D/$t.eta0.svg --title "η₀ of $t"
done
# λ reaches 1e-7 for nondeg2d, whose margin 0.991 puts the stable regime below λ ≈ 1e-5.
$R sweep $D/nondeg1d.csv --lambdas 1e-2:1e-5:7 --noise-over-lambda 0,0.1,0.3,1,3,10 --seeds 1,2,3 --loss squared --output $D/nondeg1d --quiet
$R sweep $D/boundary1d.csv --lambdas 1e-2:1e-5:7 --noise-over-lambda 0,0.1,0.3,1,3,10 --seeds 1,2,3 --loss squared --output $D/boundary1d --quiet
$R sweep $D/nondeg2d.csv --lambdas 1e-3:1e-7:9 --noise-over-lambda 0,0.1,0.3,1,3 --seeds 1,2,3 --loss squared --output $D/nondeg2d --quiet
$R sweep $D/teacher1d.csv --lambdas 1e-2:1e-5:7 --noise-over-lambda 0,0.3,1 --seeds 1,2 --loss squared --output $D/teacher1d --quiet
$R sweep $D/issue1d.csv --lambdas 1e-2:1e-5:7 --noise-over-lambda 0,0.3,1 --seeds 1,2 --loss squared --output $D/issue1d --quiet
$R sweep $D/teacher2d.csv --lambdas 1e-2:1e-4:5 --noise-over-lambda 0,1 --seeds 1 --loss squared --output $D/teacher2d --quiet
$R sweep $D/nondeg1d.csv --lambdas 1e-2:1e-5:7 --noise-over-lambda 0,0.1,1 --seeds 1,2,3 --loss l1 --output $D/nondeg1d-l1 --quiet
python3 $D/slopes.py $D/nondeg1d $D/boundary1d $D/nondeg2d $D/teacher1d $D/issue1d $D/teacher2d $D/nondeg1d-l1 > $D/slopes.csv
