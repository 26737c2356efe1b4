# The two commands of the README: `make run` (install what is missing, solve the bundled example)
# and `make test` (install what is missing, check the formatting, run the tests: Swift, then the Python package's
# pytest suite). Both are idempotent.
.PHONY: deps build run test lint clean wheel

deps:
	@scripts/install-deps.sh

build: deps
	swift build -c release --product relulp

run: build
	mkdir -p out
	.build/release/relulp solve --lambda 0.01 --output out/teacher2d_n30-model.json

test: deps lint
	swift build -c release --build-tests
	swift test -c release --skip-build
	scripts/peer-smoke-test.sh
	scripts/python-test.sh

# A wheel of the Python package carrying the relulp binary (Swift runtime static, CLP/GLPK vendored by
# auditwheel), into dist/: `pip install dist/relulp-*.whl` needs neither Swift nor the Debian libraries.
wheel: deps
	scripts/build-wheel.sh

# The formatter's check (.swift-format: lines ≤ 120, no force unwrap or force try); `swift format format -i -r
# Package.swift Sources Tests benchmarks` fixes what it can.
lint:
	swift format lint --strict -r Package.swift Sources Tests benchmarks

clean:
	rm -rf .build dist
