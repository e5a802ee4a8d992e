#!/bin/sh
# Builds libzstd's decoder to WebAssembly from Debian's own source package with Debian's
# toolchain: the candidates that bench/zstd-wasm/README.md measures against zstddec's build.
#   apt-get install clang-14 lld-14 wasi-libc libclang-rt-14-dev-wasm32 dpkg-dev
#   (and a deb-src line for bookworm main, for `apt-get source`)
#   sh bench/zstd-wasm/build.sh OUT_DIR
# Writes OUT_DIR/zstd-<variant>.wasm and OUT_DIR/PROVENANCE (source checksums, compiler, flags).
set -eu
out=$(realpath "${1:?usage: build.sh OUT_DIR}")
mkdir -p "$out"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cd "$work"
# libzstd 1.5.4+dfsg2-5 is bookworm's; the checksums pin the exact source.
apt-get source --download-only libzstd=1.5.4+dfsg2-5 >/dev/null 2>&1
sha256sum -c - <<'SUMS'
8f602f92b575aa8b5e979196fb6ee82d78f233521dc9636526d3ecba1f63c1b1  libzstd_1.5.4+dfsg2-5.dsc
8cf4bbb65e77ec348d052c8d6230eba66d435bddf64c8b5be2fcb16880c19953  libzstd_1.5.4+dfsg2.orig.tar.xz
82ce911445772861d0838bd4545f93bc50658bc7f3cefdb17a307dfb8ffca5d8  libzstd_1.5.4+dfsg2-5.debian.tar.xz
SUMS
dpkg-source -x --no-check libzstd_1.5.4+dfsg2-5.dsc src >/dev/null
cd src/lib
# Decoder only: no legacy formats, no asm (x86-64 Huffman loop), no threads, no tracing.
defs="-DNDEBUG -DZSTD_DISABLE_ASM=1 -DZSTD_LEGACY_SUPPORT=0 -DZSTD_NO_TRACE -DZSTD_MULTITHREAD=0 -DZSTD_HAVE_WEAK_SYMBOLS=0 -DXXH_NAMESPACE=ZSTD_"
exports="--export=ZSTD_createDCtx,--export=ZSTD_freeDCtx,--export=ZSTD_decompressStream,--export=ZSTD_DStreamInSize,--export=ZSTD_DStreamOutSize,--export=malloc,--export=free"
srcs="common/entropy_common.c common/error_private.c common/fse_decompress.c common/xxhash.c common/zstd_common.c decompress/huf_decompress.c decompress/zstd_ddict.c decompress/zstd_decompress.c decompress/zstd_decompress_block.c"
: > "$out/PROVENANCE"
for v in "O3:-O3" "O3-simd:-O3 -msimd128 -mbulk-memory" "O2-bulk:-O2 -mbulk-memory"; do
  name=${v%%:*}; flags=${v#*:}
  # shellcheck disable=SC2086
  clang-14 --target=wasm32-wasi --sysroot=/usr -isystem /usr/include/wasm32-wasi -L/usr/lib/wasm32-wasi \
    $flags $defs -ffile-prefix-map="$work"=. -nostartfiles -fuse-ld=lld \
    -Wl,--no-entry -Wl,"$exports" -Wl,--strip-all -Wl,--gc-sections \
    -o "$out/zstd-$name.wasm" $srcs
  echo "zstd-$name.wasm $(sha256sum < "$out/zstd-$name.wasm" | cut -c1-64) flags: $flags $defs" >> "$out/PROVENANCE"
done
{ echo "source: Debian libzstd 1.5.4+dfsg2-5 (checksums in build.sh), lib/common + lib/decompress";
  echo "compiler: $(clang-14 --version | head -1); wasi-libc $(dpkg-query -W -f='${Version}' wasi-libc)"; } >> "$out/PROVENANCE"
cat "$out/PROVENANCE"
