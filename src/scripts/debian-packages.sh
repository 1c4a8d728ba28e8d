#!/usr/bin/env bash
# `debian-packages.sh <tag> <package...>`: installs the Debian packages that are missing (apt-get, as
# root; otherwise says what to install and fails). Quick when all are present. Used by the setup
# scripts of tests that need a real program from Debian (code-server's chromium, Slurm).
set -euo pipefail

tag="$1"
shift
missing=()
for package in "$@"; do
  dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed" || missing+=("$package")
done
if ((${#missing[@]} == 0)); then
  echo "[$tag] Debian packages present: $*"
  exit 0
fi
if [[ $(id -u) -ne 0 ]]; then
  echo "[$tag] missing Debian packages: ${missing[*]}; run as root or: sudo apt-get install ${missing[*]}"
  exit 1
fi
echo "[$tag] apt-get install ${missing[*]}"
apt-get update -qq
DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}"
