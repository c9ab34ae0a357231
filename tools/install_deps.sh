#!/bin/sh
# Installs, from Debian 12's packages, whatever the build and the tests need
# and this machine lacks. Quiet and quick when everything is there already.
set -e
PACKAGES="cmake ninja-build g++ clang libclang-rt-14-dev ccache pkg-config
libboost1.81-dev libboost-json1.81-dev libssl-dev libsqlite3-dev libpugixml-dev
libyaml-cpp-dev libcli11-dev libspdlog-dev libfmt-dev libgtest-dev
python3 python3-pytest wrk"
# botocore provides the service models; boto3 and the AWS CLI drive the tests.
# Use the python3 on PATH if it has them, else Debian's.
python3 -c "import botocore, boto3" 2>/dev/null || PACKAGES="$PACKAGES python3-botocore python3-boto3"
command -v aws >/dev/null 2>&1 || PACKAGES="$PACKAGES awscli"

missing=""
for p in $PACKAGES; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing="$missing $p"
done
[ -z "$missing" ] && exit 0
SUDO=""
[ "$(id -u)" = 0 ] || SUDO=sudo
echo "installing:$missing"
$SUDO apt-get update -qq
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends $missing >/dev/null
