// Where CUDA lives in an image, for the CUDA findings. Two places ship the same libraries:
//  - pip's wheels: nvidia-cublas-cu12 installs `site-packages/nvidia/cublas/lib/libcublas.so.12`
//    (every nvidia-*-cu12 wheel is laid out as nvidia/<component>/{lib,include}); older torch
//    wheels bundled CUDA in `torch/lib/`;
//  - the system: an nvidia/cuda base has the toolkit's libraries under
//    `/usr/local/cuda-12.x/targets/x86_64-linux/lib/libcublas.so.12.4.5.8` (`lib64` is a symlink
//    there), and cuDNN/NCCL from their Debian packages in `/usr/lib/x86_64-linux-gnu/`.
// The file names differ by version suffix, so copies are matched by soname (`lib<name>.so.<major>`,
// what the loader asks for), never by bytes: the two builds differ even when the version matches.

export type CudaSide = 'wheel' | 'system';

export interface CudaLibrary {
  /** `libcublas.so.12`. */
  soname: string;
  side: CudaSide;
}

const WHEEL_LIB = /(?:^|\/)(?:site|dist)-packages\/(?:nvidia\/[^/]+\/lib|torch\/lib)\/[^/]+$/;
const SYSTEM_LIB = /^(?:usr\/local\/cuda[^/]*\/(?:lib64|targets\/[^/]+\/lib|extras\/CUPTI\/lib64)|usr\/lib\/(?:x86_64|aarch64)-linux-gnu|usr\/lib64)\/[^/]+$/;

// The CUDA toolkit's and its companions' libraries (cuBLAS, cuDNN, NCCL, cuFFT, cuRAND, cuSOLVER,
// cuSPARSE, cuSPARSELt, cuFile, CUPTI, NVRTC, nvJitLink, NVTX, NPP, nvJPEG). Not the driver's
// libcuda.so / libnvidia-*: the container toolkit mounts those from the host.
const CUDA_LIB = /^(lib(?:cublas(?:Lt)?|cudnn[a-z_]*|nccl|cufftw?|curand|cusolver(?:Mg)?|cusparse(?:Lt)?|cufile(?:_rdma)?|cupti|cudart|nvrtc(?:-builtins)?|nvJitLink|nvToolsExt|nvblas|npp[a-z]*|nvjpeg|nvperf_(?:host|target)|nvinfer[a-z_]*))\.so\.(\d+)(?:\.\d+)*$/;

/** A CUDA shared library in a wheel or system location, with the soname the loader asks for. */
export function cudaLibrary(path: string): CudaLibrary | undefined {
  const base = path.slice(path.lastIndexOf('/') + 1);
  const m = CUDA_LIB.exec(base);
  if (!m) return undefined;
  if (WHEEL_LIB.test(path)) return { soname: `${m[1]}.so.${m[2]}`, side: 'wheel' };
  if (SYSTEM_LIB.test(path)) return { soname: `${m[1]}.so.${m[2]}`, side: 'system' };
  return undefined;
}

const CUDA_ROOT = /^usr\/local\/cuda[^/]*\//;

/** A file only GPU code uses: CUDA's wheels and toolkit, torch's CUDA kernels, CUDA libraries. */
export function isGpuFile(path: string): boolean {
  if (CUDA_ROOT.test(path)) return true;
  if (/(?:^|\/)(?:site|dist)-packages\/nvidia\//.test(path)) return true;
  // torch's CUDA kernels: libtorch_cuda.so, libc10_cuda.so, libtorch_cuda_linalg.so.
  if (/(?:^|\/)(?:site|dist)-packages\/torch\/lib\/lib[a-z0-9_]*cuda[a-z0-9_]*\.so/.test(path)) return true;
  return cudaLibrary(path) !== undefined;
}

/**
 * Development parts of CUDA: headers, static libraries, the compiler and its tools (nvcc, ptxas,
 * cicc under nvvm/), Nsight profilers. What the nvidia/cuda `-devel` tags add over `-runtime`.
 */
export function isCudaDevel(path: string, base: string): boolean {
  if (CUDA_ROOT.test(path)) {
    return path.includes('/include/') || base.endsWith('.a') || path.includes('/bin/') || path.includes('/nvvm/')
      || path.includes('/nsight') || path.includes('/libnvvp/');
  }
  if (path.startsWith('opt/nvidia/nsight')) return true;
  if (path === 'usr/bin/nvcc') return true;
  // cuDNN/NCCL -dev packages: usr/include/cudnn*.h, usr/lib/x86_64-linux-gnu/libcudnn*_static*.a.
  if (path.startsWith('usr/include/') && /^(?:cudnn|nccl|cublas|cuda)[^/]*\.h$/.test(base)) return true;
  return base.endsWith('.a') && /^lib(?:cudnn|nccl|cublas|cufft|curand|cusolver|cusparse|cudart|npp|nvjpeg|culibos)/.test(base);
}

/** What the container runs, joined, for the GPU heuristic. */
export interface GpuEvidenceInput {
  entrypoint: readonly string[] | null;
  cmd: readonly string[] | null;
  env: readonly string[];
  /** Python package names (pip/conda), any spelling. */
  packages: readonly string[];
}

// Commands that only make sense with a GPU: inference servers, launchers, nvidia-smi, a --gpus flag.
const GPU_COMMAND = /\b(?:cuda|gpus?|nvidia-smi|vllm|tritonserver|text-generation-launcher|torchrun|deepspeed|accelerate|sglang|trtllm-serve|tensorrt)\b/i;
// Python packages with no CPU use (or whose CPU use nobody installs them for).
const GPU_PACKAGE = /^(?:vllm|flash-attn|xformers|bitsandbytes|tensorrt(?:-.*)?|cupy-cuda.*|onnxruntime-gpu|deepspeed|sglang|text-generation-server|auto-gptq|exllamav2|nvidia-dali.*|jax-cuda.*|pycuda|numba-cuda|torch-tensorrt)$/;

/**
 * The evidence that the image is meant for a GPU, or undefined when none shows. A heuristic: an
 * entry point can reach CUDA without saying so (a Python module that checks `torch.cuda`).
 */
export function gpuEvidence(input: GpuEvidenceInput): string | undefined {
  for (const e of input.env) {
    const eq = e.indexOf('=');
    const key = eq < 0 ? e : e.slice(0, eq);
    const value = eq < 0 ? '' : e.slice(eq + 1);
    // nvidia/cuda bases set NVIDIA_VISIBLE_DEVICES=all for the NVIDIA container toolkit.
    if ((key === 'NVIDIA_VISIBLE_DEVICES' || key === 'CUDA_VISIBLE_DEVICES') && value !== '' && value !== 'void' && value !== 'none') {
      return `ENV ${key}=${value}`;
    }
  }
  const run = [...(input.entrypoint ?? []), ...(input.cmd ?? [])].join(' ');
  const m = GPU_COMMAND.exec(run);
  if (m) return `the command mentions ${m[0]}`;
  const pkg = input.packages.find((p) => GPU_PACKAGE.test(p.toLowerCase().replace(/[-_.]+/g, '-')));
  return pkg ? `package ${pkg}` : undefined;
}
