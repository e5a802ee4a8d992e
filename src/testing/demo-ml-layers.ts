// Layers of the ML demo (demo-ml.ts): a CUDA install from Debian-style packages, torch-like and
// nvidia-*-cu12-like wheels whose shared libraries repeat that CUDA under their own sonames, and a
// numpy-like package. Layouts follow the real ones (see findings/cuda.test.ts for the sources):
// the toolkit under /usr/local/cuda-12.4/targets/x86_64-linux/lib as lib<name>.so.<full version>,
// cuDNN in /usr/lib/x86_64-linux-gnu, the wheels as nvidia/<component>/lib/lib<name>.so.<major>.
// Sizes are those of the real files divided by about 40, so the archive stays small and the
// proportions stay: cuBLASLt is the largest library, the CUDA copies outweigh the model.

import { DEBIAN_PACKAGES, dpkgList, dpkgStatus, infoName, type DebPackage } from './demo-base';
import { distribution, pycBytes, pySource, SITE } from './demo-python';
import type { LayerSpec } from './layer';
import { noise, type FileSpec } from './tar-writer';

export const BUILDKIT = 'buildkit.dockerfile.v0';
const KiB = 1024;
const MiB = 1024 * KiB;

/**
 * A shared library of `size` bytes: an ELF-looking head of noise (distinct per seed, so no two
 * libraries hash alike), the rest zeros, which is what keeps the archive compressible.
 */
function lib(path: string, size: number, seed: number): FileSpec {
  const bytes = new Uint8Array(size);
  bytes.set([0x7f, 0x45, 0x4c, 0x46, 2, 1, 1], 0);
  bytes.set(noise(Math.min(size - 16, 8 * KiB), seed), 16);
  return { path, content: bytes, mode: 0o755 };
}

const link = (path: string, linkname: string): FileSpec => ({ path, type: 'symlink', linkname });

const CUDA = 'usr/local/cuda-12.4';
const CUDA_LIB = `${CUDA}/targets/x86_64-linux/lib`;
const SYS = 'usr/lib/x86_64-linux-gnu';

/** The system CUDA packages: cuda-libraries-12-4 (cuBLAS, cudart), cuDNN, and one -dev package. */
const CUDA_PACKAGES: DebPackage[] = [
  {
    name: 'cuda-cudart-12-4', version: '12.4.127-1', section: 'devel', description: 'CUDA Runtime native Libraries',
    files: [
      lib(`${CUDA_LIB}/libcudart.so.12.4.127`, 180 * KiB, 9001),
      link(`${CUDA_LIB}/libcudart.so.12`, 'libcudart.so.12.4.127'),
      link('usr/local/cuda', 'cuda-12.4'),
      link(`${CUDA}/lib64`, 'targets/x86_64-linux/lib'),
    ],
  },
  {
    name: 'libcublas-12-4', version: '12.4.5.8-1', section: 'devel', description: 'CUBLAS native runtime libraries',
    files: [
      lib(`${CUDA_LIB}/libcublas.so.12.4.5.8`, 2_700 * KiB, 9002),
      link(`${CUDA_LIB}/libcublas.so.12`, 'libcublas.so.12.4.5.8'),
      lib(`${CUDA_LIB}/libcublasLt.so.12.4.5.8`, 9 * MiB, 9003),
      link(`${CUDA_LIB}/libcublasLt.so.12`, 'libcublasLt.so.12.4.5.8'),
    ],
  },
  {
    name: 'libcudnn9-cuda-12', version: '9.1.0.70-1', section: 'libs', description: 'cuDNN runtime libraries for CUDA 12',
    files: [
      lib(`${SYS}/libcudnn.so.9.1.0`, 100 * KiB, 9004),
      link(`${SYS}/libcudnn.so.9`, 'libcudnn.so.9.1.0'),
      lib(`${SYS}/libcudnn_ops.so.9.1.0`, 2_650 * KiB, 9005),
      link(`${SYS}/libcudnn_ops.so.9`, 'libcudnn_ops.so.9.1.0'),
    ],
  },
  {
    name: 'cuda-cudart-dev-12-4', version: '12.4.127-1', section: 'devel', description: 'CUDA Runtime native dev links, headers',
    files: [
      { path: `${CUDA}/targets/x86_64-linux/include/cuda_runtime_api.h`, content: `/* CUDA runtime API (demo stand-in) */\n${'extern __host__ cudaError_t CUDARTAPI cudaDemo(void);\n'.repeat(3000)}` },
      lib(`${CUDA_LIB}/libcudart_static.a`, 1_100 * KiB, 9006),
    ],
  },
];

/** `apt-get install` of the CUDA packages: their files, their .list files and the rewritten status. */
export function cudaRuntimeLayer(): LayerSpec {
  const files: FileSpec[] = [{ path: 'var/lib/dpkg/status', content: dpkgStatus([...DEBIAN_PACKAGES, ...CUDA_PACKAGES]) }];
  for (const p of CUDA_PACKAGES) {
    files.push(...p.files, { path: `var/lib/dpkg/info/${infoName(p)}.list`, content: dpkgList(p) });
  }
  return {
    createdBy: 'RUN /bin/sh -c apt-get update && apt-get install -y --no-install-recommends cuda-cudart-12-4 libcublas-12-4 libcudnn9-cuda-12 cuda-cudart-dev-12-4 # buildkit',
    comment: BUILDKIT,
    files,
  };
}

export const TORCH_WHEEL = 'tmp/wheels/torch-2.4.0-cp312-cp312-linux_x86_64.whl';

/** `COPY wheels/ /tmp/wheels/`: the wheel pip installs from, deleted by a later layer. */
export function wheelCopyLayer(): LayerSpec {
  return {
    createdBy: 'COPY wheels/ /tmp/wheels/ # buildkit',
    comment: BUILDKIT,
    // A wheel is a zip: its bytes do not compress, so noise is the honest stand-in.
    files: [{ path: TORCH_WHEEL, content: noise(1_500 * KiB, 9100) }],
  };
}

function torchLike(): FileSpec[] {
  const py = ['torch/__init__.py', 'torch/nn/__init__.py', 'torch/nn/modules/linear.py', 'torch/cuda/__init__.py'];
  return distribution('torch', '2.4.0', [
    ...py.map((p) => ({ path: p, content: pySource(p, 200) })),
    lib('torch/lib/libtorch_cpu.so', 3 * MiB, 9101),
    lib('torch/lib/libtorch_cuda.so', 4 * MiB, 9102),
    lib('torch/lib/libc10_cuda.so', 40 * KiB, 9103),
    lib('torch/lib/libc10.so', 30 * KiB, 9104),
  ], 'Tensors and Dynamic neural networks in Python with strong GPU acceleration', [
    'nvidia-cuda-runtime-cu12==12.1.105', 'nvidia-cublas-cu12==12.1.3.1', 'nvidia-cudnn-cu12==9.1.0.70', 'numpy',
  ]);
}

/** The nvidia-*-cu12 wheels torch requires: the same libraries as the system CUDA, other builds. */
function nvidiaWheels(): FileSpec[] {
  return [
    ...distribution('nvidia_cuda_runtime_cu12', '12.1.105', [lib('nvidia/cuda_runtime/lib/libcudart.so.12', 170 * KiB, 9201)], 'CUDA Runtime native Libraries'),
    ...distribution('nvidia_cublas_cu12', '12.1.3.1', [
      lib('nvidia/cublas/lib/libcublas.so.12', 2_650 * KiB, 9202),
      lib('nvidia/cublas/lib/libcublasLt.so.12', 9_500 * KiB, 9203),
    ], 'CUBLAS native runtime libraries'),
    ...distribution('nvidia_cudnn_cu12', '9.1.0.70', [
      lib('nvidia/cudnn/lib/libcudnn.so.9', 105 * KiB, 9204),
      lib('nvidia/cudnn/lib/libcudnn_ops.so.9', 2_640 * KiB, 9205),
    ], 'cuDNN runtime libraries'),
  ];
}

function numpyLike(version: string): FileSpec[] {
  return distribution('numpy', version, [
    { path: 'numpy/__init__.py', content: pySource(`numpy ${version}`, 160) },
    { path: 'numpy/version.py', content: `version = "${version}"\n` },
    lib('numpy/core/_multiarray_umath.cpython-312-x86_64-linux-gnu.so', 900 * KiB, version === '1.26.4' ? 9301 : 9302),
    lib('numpy.libs/libopenblas64_p-r0-0cf96a72.3.23.dev.so', 700 * KiB, version === '1.26.4' ? 9303 : 9304),
  ], 'Fundamental package for array computing in Python');
}

function safetensorsLike(): FileSpec[] {
  return distribution('safetensors', '0.4.3', [
    { path: 'safetensors/__init__.py', content: pySource('safetensors', 40) },
    lib('safetensors/_safetensors_rust.cpython-312-x86_64-linux-gnu.so', 400 * KiB, 9401),
  ], 'Simple, safe way to store and distribute tensors');
}

/** What pip compiles on install: __pycache__/<module>.cpython-312.pyc beside each source. */
function bytecode(files: readonly FileSpec[]): FileSpec[] {
  return files.filter((f) => f.path.endsWith('.py')).map((f) => {
    const slash = f.path.lastIndexOf('/');
    const mod = f.path.slice(slash + 1, -3);
    return { path: `${f.path.slice(0, slash)}/__pycache__/${mod}.cpython-312.pyc`, content: pycBytes(String(f.content)) };
  });
}

/** pip's HTTP cache: the downloaded wheels' bodies, kept because --no-cache-dir was not given. */
function pipCache(): FileSpec[] {
  const c = 'root/.cache/pip/http-v2';
  return [
    { path: 'root', type: 'dir', mode: 0o700 },
    { path: `${c}/3/c/9/a/1/3c9a1f07e2b4d5.body`, content: noise(1_200 * KiB, 9501) },
    { path: `${c}/3/c/9/a/1/3c9a1f07e2b4d5`, content: noise(2 * KiB, 9502) },
    { path: `${c}/e/4/0/b/7/e40b7c1d9a3f22.body`, content: noise(600 * KiB, 9503) },
  ];
}

export interface PipStep { numpy: string; safetensors: boolean; cache: boolean }

export function pipInstallLayer(s: PipStep): LayerSpec {
  const pkgFiles = [...torchLike(), ...nvidiaWheels(), ...numpyLike(s.numpy), ...(s.safetensors ? safetensorsLike() : [])];
  const flags = s.cache ? '' : ' --no-cache-dir';
  return {
    createdBy: `RUN /bin/sh -c pip install${flags} /tmp/wheels/torch-2.4.0-cp312-cp312-linux_x86_64.whl numpy==${s.numpy}${s.safetensors ? ' safetensors==0.4.3' : ''} # buildkit`,
    comment: BUILDKIT,
    files: [...pkgFiles, ...bytecode(pkgFiles), ...(s.cache ? pipCache() : [])],
  };
}

export { SITE };
