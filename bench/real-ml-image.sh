#!/bin/sh
# Builds a real ML image like issue 14's: Debian bookworm (debootstrap, minbase) plus Debian's
# python3-torch and python3-pip, with buildah, and writes it as docker-save, OCI zstd and OCI gzip
# archives for `npm run bench -- --image OUT_DIR/ml-torch.tar ...`. Needs root, network to a
# Debian mirror, and: apt-get install buildah debootstrap skopeo
#   sh bench/real-ml-image.sh OUT_DIR [MIRROR]
set -eu
out=$(realpath "${1:?usage: real-ml-image.sh OUT_DIR [MIRROR]}")
mirror=${2:-http://deb.debian.org/debian}
mkdir -p "$out"
base=$(buildah from scratch)
root=$(buildah mount "$base")
debootstrap --variant=minbase bookworm "$root" "$mirror" >/dev/null
buildah umount "$base"
buildah config --cmd /bin/bash "$base"
buildah commit -q "$base" localhost/strata-bench-base:bookworm
buildah rm "$base" >/dev/null
ml=$(buildah from localhost/strata-bench-base:bookworm)
buildah run --isolation chroot --network host "$ml" -- sh -c 'apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends python3-torch python3-pip >/dev/null && rm -rf /var/lib/apt/lists/*'
buildah config --created-by 'RUN apt-get install python3-torch python3-pip' "$ml"
buildah commit -q "$ml" localhost/ml-torch:bookworm
buildah rm "$ml" >/dev/null
skopeo copy -q containers-storage:localhost/ml-torch:bookworm "docker-archive:$out/ml-torch.tar:localhost/ml-torch:bookworm"
skopeo copy -q --dest-compress-format zstd containers-storage:localhost/ml-torch:bookworm "oci-archive:$out/ml-torch-zstd.tar"
skopeo copy -q containers-storage:localhost/ml-torch:bookworm "oci-archive:$out/ml-torch-gzip.tar"
ls -l "$out"
