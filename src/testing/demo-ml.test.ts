// The ML demo as the app and the CLI read it: a real docker save archive through readArchive and
// analyseImage. The figures are what a newcomer sees on "Why so large" and in compare.
import { describe, expect, it } from 'vitest';
import { analyseImage, type ImageAnalysisResult } from '../core/analysis/analyse-image';
import { readArchive } from '../core/pipeline/read-archive';
import { ML_LAYER, ML_V1, ML_V2 } from './demo-ml';
import { writeDockerSave } from './docker-save';

const SITE = 'usr/local/lib/python3.12/site-packages';

async function analysed() {
  const bytes = await writeDockerSave([ML_V1, ML_V2]);
  const r = await readArchive(new Blob([bytes as BlobPart]), { name: 'strata-ml.tar' });
  const [v1, v2] = r.images.map((img) => ({ img, a: analyseImage(img, r.results) })) as [Loaded, Loaded];
  return { bytes, warnings: r.summary.warnings, v1, v2 };
}
interface Loaded { img: Awaited<ReturnType<typeof readArchive>>['images'][number]; a: ImageAnalysisResult }

const summary = (a: ImageAnalysisResult) => a.findings.map((f) => [f.kind, f.layer, f.files, f.bytes]);

describe('the ML demo', async () => {
  const { bytes, warnings, v1, v2 } = await analysed();

  it('is small enough to ship and reads without warnings', () => {
    expect(warnings).toEqual([]);
    expect(bytes.byteLength).toBeLessThan(90 * 1024 * 1024);
    expect(v1.a.dive.sizeBytes).toBe(57_861_476);
    expect(v2.a.dive.sizeBytes).toBe(44_893_703);
  });

  it("v1's largest finding is CUDA shipped twice, then the weights, the pip cache and the deleted wheel", () => {
    expect(summary(v1.a)).toEqual([
      ['cuda-duplicate', ML_LAYER.pip, 5, 15_426_560],
      ['model-weights', ML_LAYER.models, 1, 11_534_336],
      ['pip-cache', ML_LAYER.pip, 3, 1_845_248],
      ['removed-later', ML_LAYER.wheels, 1, 1_536_000],
      ['cuda-devel', ML_LAYER.cuda, 2, 1_288_439],
      ['apt-cache', ML_LAYER.base, 2, 199_376],
      ['pycache', ML_LAYER.pip, 6, 18_660],
      ['removed-later', ML_LAYER.base, 1, 2_628],
      ['duplicate-content', ML_LAYER.pip, 10, 475],
      // Layer caching (demo-ml-caching.test.ts): rebuilt per code change, listed after the savings.
      ['large-after-code', ML_LAYER.models, 2, 11_534_371],
    ]);
    const cuda = v1.a.findings[0]!;
    expect(cuda.paths[0]).toBe(`${SITE}/nvidia/cublas/lib/libcublasLt.so.12`);
    expect(cuda.fix).toContain('`usr/local/cuda-12.4/targets/x86_64-linux/lib/libcublasLt.so.12.4.5.8`');
    expect(cuda.step).toBe('RUN pip install /tmp/wheels/torch-2.4.0-cp312-cp312-linux_x86_64.whl numpy==1.26.4');
    expect(v1.a.findings.find((f) => f.kind === 'removed-later' && f.layer === ML_LAYER.wheels)!.fix)
      .toContain('layer 5 (`RUN rm -rf /tmp/wheels`)');
    // The chmod copies serve.py (290 bytes) into its own layer: a rewrite of the same bytes.
    expect(v1.a.reclaim.byReason).toEqual({ overwritten: 2_628, removed: 1_536_000, superseded: 0, rewrite: 290 });
  });

  it('has dpkg and pip packages, the nvidia wheels among them', () => {
    const pip = (a: ImageAnalysisResult) => a.packages.filter((p) => p.ecosystem === 'pip').map((p) => `${p.name} ${p.version}`);
    expect(pip(v1.a)).toEqual([
      'nvidia_cublas_cu12 12.1.3.1', 'torch 2.4.0', 'nvidia_cudnn_cu12 9.1.0.70', 'numpy 1.26.4', 'nvidia_cuda_runtime_cu12 12.1.105', 'pip 24.0',
    ]);
    expect(pip(v2.a)).toEqual([
      'nvidia_cublas_cu12 12.1.3.1', 'torch 2.4.0', 'nvidia_cudnn_cu12 9.1.0.70', 'numpy 2.0.0', 'safetensors 0.4.3', 'nvidia_cuda_runtime_cu12 12.1.105', 'pip 24.0',
    ]);
    expect(v1.a.packages.filter((p) => p.ecosystem === 'deb').map((p) => p.name)).toEqual(expect.arrayContaining(['libcublas-12-4', 'libcudnn9-cuda-12', 'bash']));
  });

  it('v2 shares the base, CUDA, python, wheel and cleanup layers, drops the cache and the weights, and changes its config', () => {
    const keys = (l: Loaded) => l.img.layers.map((x) => x.key);
    expect(keys(v1)).toHaveLength(9);
    expect(keys(v2)).toHaveLength(8);
    expect(keys(v2).slice(0, 4)).toEqual(keys(v1).slice(0, 4));
    expect(keys(v2)[ML_LAYER.pip]).not.toBe(keys(v1)[ML_LAYER.pip]);
    expect(keys(v2)[ML_LAYER.cleanup]).toBe(keys(v1)[ML_LAYER.cleanup]);
    expect(summary(v2.a).map((s) => s[0])).not.toContain('pip-cache');
    expect(summary(v2.a).map((s) => s[0])).not.toContain('model-weights');
    expect(v2.img.record.config).toMatchObject({
      cmd: ['python', '/app/serve.py', '--port', '8080'], volumes: ['/data/models'], exposedPorts: ['8080/tcp'],
    });
    expect(v2.img.record.config.env).toContain('MODEL_DIR=/data/models');
    expect(v1.img.record.config.env).toContain('MODEL_DIR=/models');
    expect(v2.img.record.config.labels).toContainEqual(['org.opencontainers.image.version', '2.0.0']);
  });

  it('has a Dockerfile-like history', () => {
    const steps = v1.img.record.history.map((h) => h.createdBy.replace(/ # buildkit$/, ''));
    // Each step starts with the text below (longer commands are cut here, not in the image).
    const starts = [
      "# debian.sh --arch 'amd64' out/ 'bookworm",
      'CMD ["bash"]',
      'RUN /bin/sh -c apt-get update && apt-get i',
      'ENV PATH=/usr/local/nvidia/bin:/usr/local',
      'ENV LANG=C.UTF-8',
      'ENV NVIDIA_VISIBLE_DEVICES=all',
      'ENV NVIDIA_DRIVER_CAPABILITIES=compute,uti',
      'RUN /bin/sh -c set -eux; wget -O python.ta',
      'COPY wheels/ /tmp/wheels/',
      'RUN /bin/sh -c pip install /tmp/wheels/tor',
      'RUN /bin/sh -c rm -rf /tmp/wheels',
      'WORKDIR /app',
      'COPY app/ /app/',
      'COPY models/ /models/',
      'RUN /bin/sh -c chmod +x /app/serve.py',
      'ENV MODEL_DIR=/models',
      'EXPOSE map[8000/tcp:{}]',
      'LABEL org.opencontainers.image.version=1.',
      'CMD ["python" "/app/serve.py"]',
    ];
    expect(steps.map((st, i) => (starts[i] !== undefined && st.startsWith(starts[i]!) ? starts[i] : st))).toEqual(starts);
  });
});
