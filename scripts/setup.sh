#!/usr/bin/env bash
# Installs what the build, the service and the tests need and is not there yet: Debian
# packages, and buf and the manifest validators (from npm) into .tools/. Safe to run again;
# does nothing when all is there.
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)

packages=(
  build-essential cmake ninja-build pkg-config git ca-certificates
  libgrpc++-dev protobuf-compiler-grpc libprotobuf-dev protobuf-compiler
  libpqxx-dev prometheus-cpp-dev libgtest-dev libgmock-dev
  libcli11-dev libspdlog-dev nlohmann-json3-dev libssl-dev libcpp-httplib-dev libboost1.81-dev
  postgresql prometheus wrk jq clang-format clang-14 libclang-rt-14-dev curl openssl chromium
  python3-yaml python3-cryptography docker-compose podman runc debootstrap uidmap slirp4netns fuse-overlayfs
)
command -v npm >/dev/null 2>&1 || packages+=(nodejs npm)

missing=()
for package in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed" ||
    missing+=("$package")
done
if ((${#missing[@]})); then
  sudo=""
  [[ $(id -u) -eq 0 ]] || sudo="sudo"
  echo "setup: installing ${missing[*]}" >&2
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends \
    "${missing[@]}" >/dev/null
fi

# buf lints the protos; ajv validates the OSCAL export against NIST's schema in the tests;
# kubernetes-models (with yaml and fast-json-patch) checks deploy/kubernetes offline;
# @redocly/cli lints the OpenAPI document and openapi-backend checks every REST response of
# the tests against it; jose signs the identity provider's tokens of the OIDC tests, and
# standardwebhooks verifies the signatures of webhook deliveries the way receivers do.
node_packages=(@bufbuild/buf@1.75.0 ajv@8 ajv-formats@2 kubernetes-models@5.1.0
  @kubernetes-models/prometheus-operator@6.0.0 yaml@2.9.1 fast-json-patch@3.1.1
  @redocly/cli@2.77.0 openapi-backend@5.23.0 jose@6.2.19 standardwebhooks@1.3.0)
for package in "${node_packages[@]}"; do
  if [[ ! -f "$root/.tools/node_modules/${package%@*}/package.json" ]]; then
    echo "setup: installing buf, ajv, kubernetes-models, redocly, openapi-backend, jose and standardwebhooks into .tools/" >&2
    npm install --prefix "$root/.tools" --no-audit --no-fund --loglevel=error \
      "${node_packages[@]}" >/dev/null
    break
  fi
done
