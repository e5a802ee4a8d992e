// The CUDA findings on images laid out like the real ones, through the real merge and attribution.
//
// Where the layouts come from (sizes are those packages' figures to within a few per cent, rounded;
// exact bytes vary by build, which is the point: copies are matched by soname, not bytes):
//  - nvidia/cuda:12.4.1-cudnn-devel-ubuntu22.04: the toolkit's libraries under
//    /usr/local/cuda-12.4/targets/x86_64-linux/lib/ as `lib<name>.so.<full version>` (cuda-libraries-12-4,
//    cuda-cudart-12-4), headers under targets/x86_64-linux/include/ and static `*_static.a` beside
//    the libraries (cuda-libraries-dev-12-4), nvcc/ptxas in bin/ and cicc in nvvm/bin/ (cuda-nvcc-12-4),
//    cuDNN 9.1.0 from libcudnn9-cuda-12 in /usr/lib/x86_64-linux-gnu/ (`libcudnn_ops.so.9.1.0`, ...)
//    with its header from libcudnn9-dev-cuda-12 in /usr/include/x86_64-linux-gnu/, NCCL from libnccl2 /
//    libnccl-dev, Nsight Compute from nsight-compute-2024.1.1 under /opt/nvidia/nsight-compute/.
//  - torch 2.4.0's Linux wheel and the nvidia-*-cu12 wheels it requires, as their RECORD files list
//    them: nvidia/<component>/lib/lib<name>.so.<major> (nvidia-cublas-cu12 12.1.3.1,
//    nvidia-cuda-runtime-cu12 12.1.105, nvidia-cufft-cu12 11.0.2.54, nvidia-cudnn-cu12 9.1.0.70,
//    nvidia-nccl-cu12 2.20.5) and torch/lib/libtorch_cuda.so, libc10_cuda.so, libtorch_cpu.so.
//    Ubuntu's pip installs to /usr/local/lib/python3.10/dist-packages, python:3.11-slim's to
//    /usr/local/lib/python3.11/site-packages.
import { describe, expect, it } from 'vitest';
import { sum } from '../packages/test-fixture';
import { cudaLibrary } from './cuda';
import { analyseSteps, type Step } from './test-image';
import type { Finding, FindingKind } from './types';

const CUDA_LIB = 'usr/local/cuda-12.4/targets/x86_64-linux/lib';
const SYS = 'usr/lib/x86_64-linux-gnu';

const systemCuda = {
  [`${CUDA_LIB}/libcublas.so.12.4.5.8`]: 109_604_768,
  [`${CUDA_LIB}/libcublasLt.so.12.4.5.8`]: 441_938_896,
  [`${CUDA_LIB}/libcudart.so.12.4.127`]: 707_904,
  [`${CUDA_LIB}/libcufft.so.11.2.1.3`]: 291_212_344,
  [`${CUDA_LIB}/libcufftw.so.11.2.1.3`]: 1_614_344,
  [`${SYS}/libcudnn.so.9.1.0`]: 100_984,
  [`${SYS}/libcudnn_adv.so.9.1.0`]: 276_386_568,
  [`${SYS}/libcudnn_cnn.so.9.1.0`]: 4_664_496,
  [`${SYS}/libcudnn_engines_precompiled.so.9.1.0`]: 583_219_104,
  [`${SYS}/libcudnn_engines_runtime_compiled.so.9.1.0`]: 9_581_232,
  [`${SYS}/libcudnn_graph.so.9.1.0`]: 2_387_208,
  [`${SYS}/libcudnn_heuristic.so.9.1.0`]: 54_599_336,
  [`${SYS}/libcudnn_ops.so.9.1.0`]: 108_420_328,
  [`${SYS}/libnccl.so.2.21.5`]: 237_385_488,
};

const cudaDevel = {
  [`${CUDA_LIB}/libcublasLt_static.a`]: 530_012_552,
  [`${CUDA_LIB}/libcublas_static.a`]: 118_224_408,
  [`${CUDA_LIB}/libcudart_static.a`]: 1_496_114,
  'usr/local/cuda-12.4/targets/x86_64-linux/include/cublas_api.h': 375_412,
  'usr/local/cuda-12.4/bin/nvcc': 22_000_832,
  'usr/local/cuda-12.4/bin/ptxas': 31_094_560,
  'usr/local/cuda-12.4/nvvm/bin/cicc': 80_340_928,
  'usr/include/x86_64-linux-gnu/cudnn_v9.h': 2_974,
  'usr/include/nccl.h': 19_614,
  [`${SYS}/libnccl_static.a`]: 251_300_164,
  'opt/nvidia/nsight-compute/2024.1.1/target/linux-desktop-glibc_2_11_3-x64/ncu': 40_112_392,
};

function wheelCuda(sp: string) {
  return {
    [`${sp}/nvidia/cublas/lib/libcublas.so.12`]: 107_160_616,
    [`${sp}/nvidia/cublas/lib/libcublasLt.so.12`]: 474_106_064,
    [`${sp}/nvidia/cuda_runtime/lib/libcudart.so.12`]: 683_360,
    [`${sp}/nvidia/cufft/lib/libcufft.so.11`]: 196_830_176,
    [`${sp}/nvidia/cudnn/lib/libcudnn.so.9`]: 107_728,
    [`${sp}/nvidia/cudnn/lib/libcudnn_adv.so.9`]: 276_300_120,
    [`${sp}/nvidia/cudnn/lib/libcudnn_cnn.so.9`]: 4_660_152,
    [`${sp}/nvidia/cudnn/lib/libcudnn_engines_precompiled.so.9`]: 583_146_264,
    [`${sp}/nvidia/cudnn/lib/libcudnn_engines_runtime_compiled.so.9`]: 9_576_784,
    [`${sp}/nvidia/cudnn/lib/libcudnn_graph.so.9`]: 2_385_312,
    [`${sp}/nvidia/cudnn/lib/libcudnn_heuristic.so.9`]: 54_594_584,
    [`${sp}/nvidia/cudnn/lib/libcudnn_ops.so.9`]: 108_414_272,
    [`${sp}/nvidia/nccl/lib/libnccl.so.2`]: 235_020_616,
  };
}

/** Wheel files with no system copy under the same soname (nvblas and cufftw are not in the base's lib set). */
function wheelUnmatched(sp: string) {
  return {
    [`${sp}/nvidia/cublas/lib/libnvblas.so.12`]: 737_072,
    [`${sp}/nvidia/cublas/include/cublas_api.h`]: 375_412,
  };
}

function torchFiles(sp: string) {
  return {
    [`${sp}/torch/lib/libtorch_cuda.so`]: 868_214_296,
    [`${sp}/torch/lib/libc10_cuda.so`]: 1_103_024,
    [`${sp}/torch/lib/libtorch_cpu.so`]: 487_152_472,
    [`${sp}/torch/__init__.py`]: 86_202,
  };
}

const lines = (files: Record<string, number>) => Object.entries(files).map(([p, s]) => `f ${p} ${s}`);

const DP = 'usr/local/lib/python3.10/dist-packages';
const PIP_TORCH = 'RUN /bin/sh -c pip install torch==2.4.0 # buildkit';

function develImage(): Step[] {
  return [
    { command: 'ADD file:ubuntu-22.04 in / ', lines: lines(systemCuda).slice(0, 5).concat(lines(cudaDevel).slice(0, 7)) },
    {
      command: 'RUN /bin/sh -c apt-get install -y libcudnn9-cuda-12 libcudnn9-dev-cuda-12 libnccl2 libnccl-dev nsight-compute-2024.1.1',
      lines: [...lines(systemCuda).slice(5), ...lines(cudaDevel).slice(7)],
      texts: {
        'var/lib/dpkg/status': 'Package: libnccl-dev\nStatus: install ok installed\nVersion: 2.21.5-1+cuda12.4\n\n'
          + 'Package: libnccl2\nStatus: install ok installed\nVersion: 2.21.5-1+cuda12.4\n',
        'var/lib/dpkg/info/libnccl-dev.list': '/.\n/usr/include/nccl.h\n/usr/lib/x86_64-linux-gnu/libnccl_static.a\n',
        'var/lib/dpkg/info/libnccl2.list': '/.\n/usr/lib/x86_64-linux-gnu/libnccl.so.2.21.5\n',
      },
    },
    { command: PIP_TORCH, lines: [...lines(wheelCuda(DP)), ...lines(wheelUnmatched(DP)), ...lines(torchFiles(DP))] },
  ];
}

// nvidia/cuda's Dockerfiles set these (the NVIDIA container toolkit reads them).
const CUDA_ENV = ['PATH=/usr/local/nvidia/bin:/usr/local/cuda/bin:/usr/bin:/bin', 'NVIDIA_VISIBLE_DEVICES=all', 'NVIDIA_DRIVER_CAPABILITIES=compute,utility'];

function only(findings: Finding[], kind: FindingKind): Finding {
  const found = findings.filter((f) => f.kind === kind);
  expect(found, kind).toHaveLength(1);
  return found[0]!;
}

describe('torch from pip on an nvidia/cuda -devel base', () => {
  const { findings } = analyseSteps(develImage(), { env: CUDA_ENV, cmd: ['python3', 'serve.py'] });

  it('finds the CUDA libraries shipped twice by soname although their bytes differ, counting the wheels\' later copy', () => {
    const dup = only(findings, 'cuda-duplicate');
    // 13 sonames: cublas, cublasLt, cudart, cufft, eight cuDNN libraries, nccl. 2_052_986_048 bytes.
    expect(dup).toMatchObject({ bytes: 2_052_986_048, files: 13, layer: 2, step: 'RUN pip install torch==2.4.0' });
    expect(dup.bytes).toBe(sum(wheelCuda(DP)));
    expect(dup.paths[0]).toBe(`${DP}/nvidia/cudnn/lib/libcudnn_engines_precompiled.so.9`);
    expect(dup.paths).not.toContain(`${DP}/nvidia/cublas/lib/libnvblas.so.12`);
    expect(dup.fix).toContain(`\`${SYS}/libcudnn_engines_precompiled.so.9.1.0\``);
    expect(dup.fix).toContain('(libcudnn_engines_precompiled.so.9) (and 12 more libraries)');
    expect(dup.fix).toContain('`nvidia/cuda:*-runtime` base');
    expect(dup.fix).toContain('plain base without CUDA');
    // The largest finding: what a user of such an image came to see first.
    expect(findings[0]!.kind).toBe('cuda-duplicate');
  });

  it('finds headers, static libraries, nvcc and Nsight as CUDA development files, not generic build tools', () => {
    const devel = findings.filter((f) => f.kind === 'cuda-devel');
    expect(devel.map((f) => [f.layer, f.files, f.bytes])).toEqual([
      [0, 7, 783_544_806],
      [1, 4, 291_435_144],
    ]);
    expect(devel[0]!.paths[0]).toBe(`${CUDA_LIB}/libcublasLt_static.a`);
    expect(devel[1]!.paths).toEqual([`${SYS}/libnccl_static.a`, 'opt/nvidia/nsight-compute/2024.1.1/target/linux-desktop-glibc_2_11_3-x64/ncu', 'usr/include/nccl.h', 'usr/include/x86_64-linux-gnu/cudnn_v9.h']);
    expect(devel[0]!.fix).toContain('-runtime');
    expect(findings.filter((f) => f.kind === 'static-libs' || f.kind === 'build-tools')).toEqual([]);
  });

  it('says nothing about unused GPU libraries when the base sets NVIDIA_VISIBLE_DEVICES', () => {
    expect(findings.filter((f) => f.kind === 'gpu-unused')).toEqual([]);
  });

  it('counts the system copy when the system CUDA comes after the wheels', () => {
    const steps = develImage();
    const swapped = [steps[0]!, steps[2]!, steps[1]!];
    const dup = analyseSteps(swapped, { env: CUDA_ENV }).findings.filter((f) => f.kind === 'cuda-duplicate');
    // Only cuDNN (8) and NCCL come in the later apt layer; cublas/cudart/cufft were already in the base.
    expect(dup.map((f) => [f.layer, f.files])).toEqual([[2, 9], [1, 4]]);
    expect(dup.find((f) => f.layer === 2)!.paths[0]).toBe(`${SYS}/libcudnn_engines_precompiled.so.9.1.0`);
  });
});

const SP = 'usr/local/lib/python3.11/site-packages';

function slimImage(): Step[] {
  return [
    { command: 'ADD file:debian-bookworm-slim in / ', lines: ['f usr/bin/python3.11 6831736'] },
    { command: PIP_TORCH.replace('torch==2.4.0', 'torch==2.4.0 gunicorn'), lines: [...lines(wheelCuda(SP)), ...lines(torchFiles(SP))] },
  ];
}

describe('torch with its CUDA wheels in an image that runs a CPU web app', () => {
  const gpuBytes = sum(wheelCuda(SP)) + 868_214_296 + 1_103_024;

  it('says, as a heuristic, that the CUDA wheels and torch\'s CUDA kernels look unused', () => {
    const { findings } = analyseSteps(slimImage(), { cmd: ['gunicorn', 'app:web'], env: ['LANG=C.UTF-8'] });
    const f = only(findings, 'gpu-unused');
    expect(f).toMatchObject({ bytes: gpuBytes, files: 15, layer: 1 });
    expect(f.bytes).toBe(2_922_303_368);
    expect(f.paths).toContain(`${SP}/torch/lib/libtorch_cuda.so`);
    expect(f.paths).not.toContain(`${SP}/torch/lib/libtorch_cpu.so`);
    expect(f.fix).toMatch(/^Heuristic:/);
    expect(f.fix).toContain('CPU-only build');
    expect(findings.filter((x) => x.kind === 'cuda-duplicate')).toEqual([]);
  });

  it('stays quiet when the command, the environment or a package shows a GPU', () => {
    const kinds = (config: Parameters<typeof analyseSteps>[1], steps = slimImage()) =>
      analyseSteps(steps, config).findings.map((f) => f.kind);
    expect(kinds({ cmd: ['vllm', 'serve', 'meta-llama/Llama-3.1-8B'] })).not.toContain('gpu-unused');
    expect(kinds({ cmd: ['python', 'app.py'], env: ['CUDA_VISIBLE_DEVICES=0'] })).not.toContain('gpu-unused');
    const withXformers = slimImage();
    withXformers[1]!.texts = { [`${SP}/xformers-0.0.27.dist-info/METADATA`]: 'Metadata-Version: 2.1\nName: xformers\nVersion: 0.0.27\n' };
    expect(kinds({ cmd: ['python', 'app.py'] }, withXformers)).not.toContain('gpu-unused');
    // NVIDIA_VISIBLE_DEVICES=void asks the container toolkit for no GPU.
    expect(kinds({ cmd: ['python', 'app.py'], env: ['NVIDIA_VISIBLE_DEVICES=void'] })).toContain('gpu-unused');
  });
});

describe('cudaLibrary', () => {
  it('reads the soname from wheel and system file names, and ignores the driver and other places', () => {
    expect(cudaLibrary(`${SP}/nvidia/cudnn/lib/libcudnn_ops.so.9`)).toEqual({ soname: 'libcudnn_ops.so.9', side: 'wheel' });
    expect(cudaLibrary(`${SYS}/libcudnn_ops.so.9.1.0`)).toEqual({ soname: 'libcudnn_ops.so.9', side: 'system' });
    expect(cudaLibrary('usr/local/cuda-12.1/lib64/libcublasLt.so.12.1.3.1')).toEqual({ soname: 'libcublasLt.so.12', side: 'system' });
    expect(cudaLibrary(`${SP}/torch/lib/libcudnn.so.8`)).toEqual({ soname: 'libcudnn.so.8', side: 'wheel' });
    expect(cudaLibrary(`${SYS}/libcuda.so.550.54.15`)).toBeUndefined();
    expect(cudaLibrary('opt/app/vendor/libcublas.so.12')).toBeUndefined();
    expect(cudaLibrary(`${CUDA_LIB}/libcublas.so`)).toBeUndefined();
  });
});
