#!/usr/bin/env bash
# Packs `whet` as a .NET tool (package Whetstone.Cli) and installs it, then runs `whet --help` and `whet envs` as a
# smoke test.
#
# Usage: scripts/install-tool.sh [TOOL_PATH | --global]
#   TOOL_PATH  folder to install into (default /tmp/whettool; run it as TOOL_PATH/whet)
#   --global   install for the user instead (~/.dotnet/tools/whet; put that folder on PATH)
# Environment:
#   PKG=/tmp/whetpkg   where the .nupkg is written
#
# Each run packs a fresh prerelease version (0.1.0-dev.<timestamp>): NuGet caches packages by id and version, so
# re-installing an unchanged version number would quietly install the old build from the cache.
set -euo pipefail
cd "$(dirname "$0")/.."
target=${1:-/tmp/whettool}
pkg=${PKG:-/tmp/whetpkg}
version="0.1.0-dev.$(date -u +%Y%m%d%H%M%S)"

rm -rf "$pkg"
dotnet pack src/Whetstone.Cli -c Release -o "$pkg" -p:Version="$version" --nologo -v quiet
echo "packed $pkg/Whetstone.Cli.$version.nupkg"

if [ "$target" = "--global" ]; then
  dotnet tool uninstall --global Whetstone.Cli >/dev/null 2>&1 || true
  dotnet tool install --global --add-source "$pkg" --version "$version" Whetstone.Cli
  whet="$HOME/.dotnet/tools/whet"
else
  dotnet tool uninstall --tool-path "$target" Whetstone.Cli >/dev/null 2>&1 || true
  dotnet tool install --tool-path "$target" --add-source "$pkg" --version "$version" Whetstone.Cli
  whet="$target/whet"
fi

"$whet" --help > /dev/null
"$whet" envs | head -n 3
echo "ok: $whet ($version)"
