#!/usr/bin/env bash
# scripts/build-app.sh (run by scripts/start.sh) on a failing build: exit 1, the
# compiler's first error printed last, and no dist/ left to serve. Runs a copy of the
# scripts in a scratch directory with a stand-in `trunk` that fails like cargo does.
set -euo pipefail
here=$(cd "$(dirname "$0")/../.." && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
mkdir -p "$work/scripts" "$work/node_modules/.bin" "$work/dist"
cp "$here/scripts/build-app.sh" "$work/scripts/"
echo "<html>the previous build</html>" >"$work/dist/index.html"
cat >"$work/node_modules/.bin/trunk" <<'TRUNK'
#!/usr/bin/env bash
echo "   Compiling license-lab v0.1.0"
echo "error[E0308]: mismatched types"
echo "   --> src/app/layout.rs:162:22"
echo "    |"
echo "162 | fn broken() -> u32 { \"x\" }"
echo ""
echo "error: could not compile \`license-lab\` (bin \"app\") due to 1 previous error"
echo "ERROR error from build pipeline"
exit 1
TRUNK
chmod +x "$work/node_modules/.bin/trunk"
set +e
out=$(bash "$work/scripts/build-app.sh" 2>&1)
rc=$?
set -e
fail() { echo "build-app.test: $*"; echo "$out"; exit 1; }
[ "$rc" = 1 ] || fail "exit code $rc, expected 1"
[ ! -e "$work/dist" ] || fail "dist/ is left behind after a failed build"
tail_part=$(printf '%s\n' "$out" | sed -n '/the build failed; its first error/,$p')
printf '%s\n' "$tail_part" | grep -q '^error\[E0308\]: mismatched types' || fail "the first error is not printed at the end"
printf '%s\n' "$tail_part" | grep -q 'src/app/layout.rs:162:22' || fail "the error's location is not printed"
printf '%s\n' "$tail_part" | grep -q 'could not compile' && fail "more than the first error is printed"
echo "build-app.test: a failed build exits 1 with its first error and leaves no dist/"
