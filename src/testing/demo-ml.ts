// The ML demo: v1 and v2 of a small PyTorch inference service, built like this Dockerfile:
//
//   FROM debian:bookworm-slim                                     # base layer (+ CMD ["bash"])
//   RUN apt-get install cuda-cudart-12-4 libcublas-12-4 libcudnn9-cuda-12 cuda-cudart-dev-12-4
//   ENV PATH=... NVIDIA_VISIBLE_DEVICES=all ...
//   RUN ./configure && make install                               # python 3.12 under /usr/local
//   COPY wheels/ /tmp/wheels/                                     # a torch wheel
//   RUN pip install /tmp/wheels/torch-*.whl numpy==1.26.4         # torch + nvidia-*-cu12 wheels:
//                                                                 # CUDA a second time; pip cache; .pyc
//   RUN rm -rf /tmp/wheels                                        # the wheel still ships, in the COPY layer
//   WORKDIR /app
//   COPY app/ /app/
//   COPY models/ /models/                                         # v1 only: weights baked in
//   RUN chmod +x /app/serve.py                                    # copies serve.py into a new layer
//   ENV MODEL_DIR=/models / EXPOSE / LABEL / CMD ["python", "/app/serve.py"]
//
// v2 shares the first four layers (base, CUDA, python, the wheel COPY), upgrades numpy to 2.0.0,
// adds safetensors, installs with --no-cache-dir, moves the weights to a VOLUME, and changes Env,
// Cmd, the exposed port and the version label. What each image should show is written out in
// demo-ml.test.ts.

import { debianBaseLayer } from './demo-base';
import { BUILDKIT, cudaRuntimeLayer, pipInstallLayer, wheelCopyLayer, type PipStep } from './demo-ml-layers';
import { pySource, pythonRuntimeLayer } from './demo-python';
import type { EmptyStep, ImageSpec } from './image';
import type { LayerSpec } from './layer';
import { strataLogoPng } from './png';
import { noise } from './tar-writer';

const LOGO_PNG = strataLogoPng();

const baseLayer = debianBaseLayer();
const cudaLayer = cudaRuntimeLayer();
const runtimeLayer = pythonRuntimeLayer();
const wheelLayer = wheelCopyLayer();

const cleanupLayer: LayerSpec = {
  createdBy: 'RUN /bin/sh -c rm -rf /tmp/wheels # buildkit',
  comment: BUILDKIT,
  // OCI image-spec layer.md "Whiteouts": .wh.wheels removes tmp/wheels and all below it.
  files: [{ path: 'tmp', type: 'dir', mode: 0o1777 }, { path: 'tmp/.wh.wheels' }],
};

/** 11.5 MiB of weights: above the 10 MB a weights finding needs, below the CUDA copy. */
const WEIGHTS = (() => {
  const bytes = new Uint8Array(11_534_336);
  // safetensors: an 8-byte header length, a JSON header, then the tensor data.
  const header = new TextEncoder().encode('{"fc.weight":{"dtype":"F16","shape":[2048,2816],"data_offsets":[0,11534000]}}');
  new DataView(bytes.buffer).setBigUint64(0, BigInt(header.length), true);
  bytes.set(header, 8);
  bytes.set(noise(64 * 1024, 9601), 8 + header.length);
  return bytes;
})();

interface MlVersion { tag: string; version: string; pip: PipStep; port: number; weights: boolean; serve: string }

function serveSource(v: { version: string; port: number }): string {
  return `import os\n\nimport torch\n\nfrom model import load\n\nMODEL_DIR = os.environ.get("MODEL_DIR", "/models")\n\n\ndef main():\n`
    + `    model = load(MODEL_DIR, device="cuda" if torch.cuda.is_available() else "cpu")\n`
    + `    print("strata-ml ${v.version} serving on", ${v.port}, model)\n\n\nif __name__ == "__main__":\n    main()\n`;
}

const V1: MlVersion = {
  tag: 'strata-ml:v1', version: '1.0.0', port: 8000, weights: true,
  pip: { numpy: '1.26.4', safetensors: false, cache: true }, serve: serveSource({ version: '1.0.0', port: 8000 }),
};
const V2: MlVersion = {
  tag: 'strata-ml:v2', version: '2.0.0', port: 8080, weights: false,
  pip: { numpy: '2.0.0', safetensors: true, cache: false }, serve: serveSource({ version: '2.0.0', port: 8080 }),
};

function mlImage(v: MlVersion): ImageSpec {
  const app: LayerSpec = {
    createdBy: 'COPY app/ /app/ # buildkit',
    comment: BUILDKIT,
    files: [
      { path: 'app/serve.py', content: v.serve },
      { path: 'app/model.py', content: pySource(`model ${v.version}`, 80) },
      { path: 'app/requirements.txt', content: `torch==2.4.0\nnumpy==${v.pip.numpy}\n${v.pip.safetensors ? 'safetensors==0.4.3\n' : ''}` },
      // An image file for the details pane to draw (issue #15): the same 97 bytes in v1 and v2.
      { path: 'app/static/logo.png', content: LOGO_PNG },
    ],
  };
  const layers: LayerSpec[] = [
    baseLayer, cudaLayer, runtimeLayer, wheelLayer, pipInstallLayer(v.pip), cleanupLayer, app,
    ...(v.weights ? [{
      createdBy: 'COPY models/ /models/ # buildkit', comment: BUILDKIT,
      files: [{ path: 'models/model.safetensors', content: WEIGHTS }, { path: 'models/config.json', content: '{"hidden_size": 2048, "layers": 4}\n' }],
    }] : []),
    {
      createdBy: 'RUN /bin/sh -c chmod +x /app/serve.py # buildkit',
      comment: BUILDKIT,
      files: [{ path: 'app/serve.py', content: v.serve, mode: 0o755 }],
    },
  ];
  const env = [
    'PATH=/usr/local/nvidia/bin:/usr/local/cuda/bin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin',
    'LANG=C.UTF-8',
    // What nvidia/cuda bases set for the NVIDIA container toolkit: the image is meant for a GPU.
    'NVIDIA_VISIBLE_DEVICES=all',
    'NVIDIA_DRIVER_CAPABILITIES=compute,utility',
    v.weights ? 'MODEL_DIR=/models' : 'MODEL_DIR=/data/models',
  ];
  const cmd = v.weights ? ['python', '/app/serve.py'] : ['python', '/app/serve.py', '--port', String(v.port)];
  const end = layers.length;
  const emptySteps: EmptyStep[] = [
    { before: 1, createdBy: 'CMD ["bash"]' },
    ...env.slice(0, 4).map((e) => ({ before: 2, createdBy: `ENV ${e}`, comment: BUILDKIT })),
    { before: layers.indexOf(app), createdBy: 'WORKDIR /app', comment: BUILDKIT },
    { before: end, createdBy: `ENV ${env[4]}`, comment: BUILDKIT },
    ...(v.weights ? [] : [{ before: end, createdBy: 'VOLUME [/data/models]', comment: BUILDKIT }]),
    { before: end, createdBy: `EXPOSE map[${v.port}/tcp:{}]`, comment: BUILDKIT },
    { before: end, createdBy: `LABEL org.opencontainers.image.version=${v.version}`, comment: BUILDKIT },
    { before: end, createdBy: `CMD ${JSON.stringify(cmd).replace(/,/g, ' ')}`, comment: BUILDKIT },
  ];
  return {
    tags: [v.tag],
    layers,
    emptySteps,
    config: {
      Env: env,
      Cmd: cmd,
      WorkingDir: '/app',
      ExposedPorts: { [`${v.port}/tcp`]: {} },
      ...(v.weights ? {} : { Volumes: { '/data/models': {} } }),
      Labels: {
        'org.opencontainers.image.title': 'strata-ml',
        'org.opencontainers.image.version': v.version,
        'org.opencontainers.image.source': 'https://example.invalid/strata-ml',
      },
    },
    platform: { os: 'linux', architecture: 'amd64' },
  };
}

export const ML_V1: ImageSpec = mlImage(V1);
export const ML_V2: ImageSpec = mlImage(V2);

/** Index of v1's layers by role (v2 has no `models` layer: its chmod layer is 7). */
export const ML_LAYER = { base: 0, cuda: 1, runtime: 2, wheels: 3, pip: 4, cleanup: 5, app: 6, models: 7, chmod: 8 } as const;
