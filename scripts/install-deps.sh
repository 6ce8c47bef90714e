#!/usr/bin/env bash
# Install every Debian 12 package evsweep uses. Idempotent, non-interactive; run as root.
# Skips apt entirely when everything is already installed (fast re-runs).
set -euo pipefail

PACKAGES=(
  build-essential cmake pkg-config git
  libopenmpi-dev openmpi-bin
  libhdf5-openmpi-dev hdf5-tools
  petsc-dev
  coinor-libipopt-dev libsuitesparse-dev   # Ipopt; AMD + LDL for its KKT solver
  libgoogle-perftools-dev                   # tcmalloc_minimal: the evsweep binary's allocator, 4 % faster sweeps (BENCHMARKS.md)
  liblapack-dev libopenblas-serial-dev     # LAPACK (dgesdd, OD estimation); OpenBLAS as the BLAS/LAPACK alternative: Ipopt's vector kernels 20 % faster than ATLAS (BENCHMARKS.md)
  coinor-libclp-dev coinor-libcbc-dev      # LPs (dual simplex, exact duals) and MIPs for the study kinds
  libyaml-cpp-dev
  libgtest-dev libbenchmark-dev
  libcli11-dev nlohmann-json3-dev
  librandom123-dev
  libopenturns-dev python3-openturns
  python3-h5py python3-numpy python3-pandas python3-scipy python3-matplotlib
  python3-cvxopt   # independent formulations of reduced cases in tests/
  slurm-wlm munge
  procps bc   # pgrep/pkill in the sweep and Slurm tests, bc in scripts/bench-sweep.sh
  ccache      # optional compiler cache (scripts/build.sh uses it when present)
)

missing=()
for p in "${PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done

if [ ${#missing[@]} -eq 0 ]; then
  echo "install-deps: all ${#PACKAGES[@]} packages already installed"
  exit 0
fi

if [ "$(id -u)" -ne 0 ]; then
  echo "install-deps: missing packages (${missing[*]}); run as root" >&2
  exit 1
fi

echo "install-deps: installing ${#missing[@]} packages: ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
apt-get update -q
apt-get install -y -q --no-install-recommends "${missing[@]}"
echo "install-deps: done"
