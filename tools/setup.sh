#!/usr/bin/env bash
# Installs the Debian 12 packages Waferscope needs to build, run and test, if any are missing.
# Idempotent: when everything is installed it only asks dpkg and returns.
set -euo pipefail

packages=(
  # toolchain
  build-essential cmake ninja-build git pkg-config python3 clang-tidy
  # a compiler cache: the test command builds three presets, and a second run rebuilds only changes
  ccache
  # Qt 6.4 and the QML runtime modules the console loads
  qt6-base-dev qt6-declarative-dev qt6-declarative-dev-tools qt6-charts-dev libgl-dev libqt6sql6-sqlite
  qt6-qpa-plugins qml6-module-qtqml qml6-module-qtqml-models
  qml6-module-qtquick qml6-module-qtquick-controls qml6-module-qtquick-templates
  qml6-module-qtquick-layouts qml6-module-qtquick-window qml6-module-qtqml-workerscript
  qml6-module-qtcharts qml6-module-qttest
  # the file dialog (History opens another tool's KLARF file) and the folder model it lists with
  qml6-module-qtquick-dialogs qml6-module-qt-labs-folderlistmodel
  # libraries
  qcoro-qt6-dev libspdlog-dev libopencv-imgproc-dev libopencv-imgcodecs-dev libtiff-dev
  # the GigE Vision camera (Aravis; its pkg-config file needs libusb and zlib), and Aravis' fake
  # GigE Vision camera program (arv-fake-gv-camera-0.8, in aravis-tools) for the tests
  libaravis-dev libusb-1.0-0-dev zlib1g-dev aravis-tools-cli aravis-tools
  # tests and benchmarks (with the peers they are compared against)
  libbenchmark-dev libboost1.81-dev libreaderwriterqueue-dev xvfb xauth
  # the remote display: x11vnc serves the console's virtual display on loopback, with a password
  x11vnc
  # fonts for rendering QML text offscreen (screenshots, QML tests)
  fonts-dejavu-core
)

missing=()
for p in "${packages[@]}"; do
  status=$(dpkg-query -W -f='${Status}' "$p" 2>/dev/null || true)
  [[ "$status" == "install ok installed" ]] || missing+=("$p")
done

if ((${#missing[@]})); then
  echo "setup: installing ${#missing[@]} missing package(s): ${missing[*]}"
  sudo_cmd=()
  if [[ $(id -u) -ne 0 ]]; then
    if ! command -v sudo >/dev/null 2>&1; then
      echo "setup: run as root (or install sudo) to install: ${missing[*]}" >&2
      exit 1
    fi
    sudo_cmd=(sudo)
  fi
  "${sudo_cmd[@]}" apt-get update -qq
  "${sudo_cmd[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi
