# The two commands a newcomer needs are in the README:
#   cargo run --release -p socialcrm-cli -- demo      the demo on the bundled sample data
#   make test                                         every test: Rust, C and Python
# The targets below are the pieces of `make test`, runnable on their own.

.PHONY: test test-rust test-c test-python demo bench fmt

test: test-rust test-c test-python
	@echo "make test: all suites passed"

test-rust:
	cargo fmt --all --check
	cargo clippy --workspace --all-targets -- -D warnings
	cargo test --workspace

test-c:
	scripts/test-c.sh

test-python:
	scripts/test-python.sh

demo:
	cargo run --release -p socialcrm-cli -- demo

bench:
	cargo bench -p socialcrm-benches

fmt:
	cargo fmt --all
