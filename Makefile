# sparkplane: `make demo` runs Spark Pi from a fresh machine; `make test` runs every test.
SHELL := /bin/bash
CACHE ?= $(HOME)/.cache/sparkplane
VENV ?= $(CACHE)/venv
JOBS ?= $(shell nproc)
BUILD ?= build
ASAN_BUILD ?= build-asan
CMAKE_FLAGS ?=

.PHONY: all deps build build-asan demo test unit-test integration-test format format-check bench fuzz clean cluster-deps cluster-up cluster-down minio-deps minio-up minio-down browser-deps deploy-deps

all: build

deps:
	@./scripts/deps.sh

$(BUILD)/build.ninja:
	cmake -S . -B $(BUILD) -G Ninja -DCMAKE_BUILD_TYPE=Release -DSPARKPLANE_TESTS=OFF $(CMAKE_FLAGS)

build: deps $(BUILD)/build.ninja
	cmake --build $(BUILD) -j $(JOBS)

$(ASAN_BUILD)/build.ninja:
	cmake -S . -B $(ASAN_BUILD) -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo -DSPARKPLANE_SANITIZE=ON -DSPARKPLANE_BENCH=OFF $(CMAKE_FLAGS)

build-asan: deps $(ASAN_BUILD)/build.ninja
	cmake --build $(ASAN_BUILD) -j $(JOBS)

demo: build
	@./scripts/demo.sh $(BUILD)/sparkplane

test: build-asan format-check unit-test integration-test

unit-test: build-asan
	cd $(ASAN_BUILD) && ctest --output-on-failure -j $(JOBS) --timeout 120
	node --test tests/ui/

integration-test: build-asan cluster-deps minio-deps browser-deps deploy-deps
	SPARKPLANE_BIN=$(CURDIR)/$(ASAN_BUILD)/sparkplane $(VENV)/bin/python -m pytest -q -x tests/integration

# libFuzzer targets (tests/fuzz/*_fuzz.cc) with clang++, each run FUZZ_SECONDS (default 60).
fuzz: deps
	CXX=clang++ cmake -S . -B $(or $(FUZZ_BUILD),build-fuzz) -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo -DSPARKPLANE_FUZZ=ON -DSPARKPLANE_TESTS=OFF -DSPARKPLANE_BENCH=OFF $(CMAKE_FLAGS)
	cmake --build $(or $(FUZZ_BUILD),build-fuzz) -j $(JOBS) --target fuzz_targets
	./tests/fuzz/run.sh $(or $(FUZZ_BUILD),build-fuzz) $(or $(FUZZ_SECONDS),60)

bench: build
	@./bench/run.sh $(BUILD)

format:
	clang-format -i $$(git ls-files '*.cc' '*.h')

format-check: deps
	clang-format --dry-run -Werror $$(git ls-files '*.cc' '*.h')

clean:
	rm -rf $(BUILD) $(ASAN_BUILD)

# A real Kubernetes test cluster (etcd, kube-apiserver, kube-scheduler,
# kube-controller-manager, kwok nodes) on 127.0.0.1; binaries are cached under
# SPARKPLANE_CACHE (default ~/.cache/sparkplane); see scripts/cluster/build.sh.
cluster-deps:
	@./scripts/cluster/build.sh

cluster-up: cluster-deps
	@./scripts/cluster/up.sh .cluster
	@echo "kubeconfig: .cluster/kubeconfig (source .cluster/env for KUBECONFIG and the server URL)"

cluster-down:
	@./scripts/cluster/down.sh .cluster

# A MinIO server on 127.0.0.1 with fresh credentials and the bucket spark-logs; built from
# source into SPARKPLANE_CACHE; see scripts/minio/build.sh.
minio-deps:
	@./scripts/minio/build.sh

# helm into ~/.cache/sparkplane, for the chart's tests and deploy/local (kubectl comes with
# cluster-deps).
deploy-deps:
	@./scripts/deploy/build.sh

# playwright-core from npm into ~/.cache/sparkplane, for the browser tests (Debian's chromium).
browser-deps: deps
	scripts/browser/install.sh

minio-up: minio-deps
	@./scripts/minio/up.sh .minio spark-logs
	@. .minio/env && echo "MinIO: endpoint $$AWS_ENDPOINT_URL_S3, access key $$AWS_ACCESS_KEY_ID, bucket spark-logs;" \
	  "source .minio/env for these and the secret key"

minio-down:
	@./scripts/minio/down.sh .minio
