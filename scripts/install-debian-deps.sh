#!/usr/bin/env bash
# Installs the Debian packages the local AWS stack and the image builds need:
#   docker-registry  the image store behind the local ECR hostname (/usr/bin/docker-registry)
#   apache2-utils    htpasswd, to write the registry's bcrypt basic-auth file
#   buildah          builds OCI images without a Docker daemon
#   gunicorn, python3-flask, python3-numpy
#                    the sample-service bench's Python baselines (bench/sample-service): the Flask
#                    app under gunicorn, which runs Debian's python3, so Flask and numpy for it too
# Safe to run again: only missing packages are installed.
set -euo pipefail

packages=(docker-registry apache2-utils buildah gunicorn python3-flask python3-numpy)

missing=()
for pkg in "${packages[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q 'install ok installed'; then
    missing+=("$pkg")
  fi
done

if [ "${#missing[@]}" -eq 0 ]; then
  echo "Debian packages already installed: ${packages[*]}"
  exit 0
fi

if [ "$(id -u)" -ne 0 ]; then
  echo "Missing Debian packages: ${missing[*]}. Run as root: sudo $0 (or apt-get install ${missing[*]})." >&2
  exit 1
fi

export DEBIAN_FRONTEND=noninteractive
echo "Installing Debian packages: ${missing[*]}"
apt-get update -qq
apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
echo "Installed: ${missing[*]}"
