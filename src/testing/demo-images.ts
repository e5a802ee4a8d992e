// The demo: v1 and v2 of a tiny Python app, built like this Dockerfile (v2 bumps requests and
// changes the app):
//
//   FROM debian:bookworm-slim            # base layer (+ CMD ["bash"])
//   ENV PATH=... LANG=C.UTF-8 PYTHON_VERSION=3.12.3
//   RUN ./configure && make install       # python runtime     (shared by v1 and v2)
//   RUN pip install requests numpy ...    # site-packages + /root/.cache/pip
//   WORKDIR /app
//   COPY . /app                           # app, a logo stored twice, app/tmp/build.log
//   RUN python -m compileall ...          # __pycache__/*.pyc
//   RUN rm -rf /root/.cache /app/tmp && mkdir /app/tmp && touch /app/tmp/.keep
//                                         # whiteout .wh..cache, opaque app/tmp/.wh..wh..opq
//   RUN chmod +x /app/main.py             # same bytes, new mode
//   EXPOSE 8000 / VOLUME /data / LABEL / CMD ["python", "main.py"]
//
// Layers are built once per LayerSpec object; v1 and v2 share the base and runtime objects, so their
// diff_ids are identical. The cleanup layer has the same bytes in both, so a classic docker save of
// both writes it once and symlinks the second copy.

import { compileallLayer, pipInstallLayer, pySource, pythonRuntimeLayer, requestsSources } from './demo-python';
import { debianBaseLayer } from './demo-base';
import type { ImageSpec } from './image';
import type { LayerSpec } from './layer';
import { noise, type FileSpec } from './tar-writer';

const BUILDKIT = 'buildkit.dockerfile.v0';
const LOGO = noise(24 * 1024, 31337);

const baseLayer = debianBaseLayer();
const runtimeLayer = pythonRuntimeLayer();

const cleanupLayer: LayerSpec = {
  createdBy: 'RUN /bin/sh -c rm -rf /root/.cache /app/tmp && mkdir /app/tmp && touch /app/tmp/.keep # buildkit',
  comment: BUILDKIT,
  files: [
    // OCI image-spec layer.md "Whiteouts": .wh.<name> removes <name>; .wh..wh..opq hides everything
    // the lower layers had in its directory.
    { path: 'root', type: 'dir', mode: 0o700 },
    { path: 'root/.wh..cache' },
    { path: 'app/tmp/.wh..wh..opq' },
    { path: 'app/tmp/.keep' },
  ],
};

interface AppVersion {
  tag: string;
  version: string;
  requests: string;
  mainPy: string;
  extra: FileSpec[];
}

const MAIN_V1 = `from http.server import BaseHTTPRequestHandler, HTTPServer

import requests


class Handler(BaseHTTPRequestHandler):
    def do_GET(self):
        self.send_response(200)
        self.end_headers()
        self.wfile.write(b"hello from strata-demo v1\\n")


if __name__ == "__main__":
    print("requests", requests.__version__)
    HTTPServer(("", 8000), Handler).serve_forever()
`;

const MAIN_V2 = `from http.server import HTTPServer

import requests

from api import Handler

if __name__ == "__main__":
    print("requests", requests.__version__)
    HTTPServer(("", 8000), Handler).serve_forever()
`;

const V1: AppVersion = { tag: 'strata-demo:v1', version: '1.0.0', requests: '2.31.0', mainPy: MAIN_V1, extra: [] };
const V2: AppVersion = {
  tag: 'strata-demo:v2', version: '2.0.0', requests: '2.32.3', mainPy: MAIN_V2,
  extra: [{ path: 'app/api.py', content: pySource('api', 40) }],
};

function appFiles(v: AppVersion): FileSpec[] {
  return [
    { path: 'app/main.py', content: v.mainPy },
    { path: 'app/requirements.txt', content: `requests==${v.requests}\nnumpy==1.26.4\ncertifi==2024.2.2\n` },
    { path: 'app/README.md', content: `# strata-demo ${v.version}\n\nA tiny HTTP service used as the Strata demo image.\n` },
    // The same logo at two paths: a duplicate the app should point out.
    { path: 'app/static/logo.png', content: LOGO },
    { path: 'app/docs/images/logo.png', content: LOGO },
    { path: 'app/tmp/build.log', content: `build ${v.version}\n${'step ok\n'.repeat(400)}` },
    ...v.extra,
  ];
}

function demoImage(v: AppVersion): ImageSpec {
  const app = appFiles(v);
  const pySources = app.filter((f) => f.path.endsWith('.py'));
  const layers: LayerSpec[] = [
    baseLayer,
    runtimeLayer,
    pipInstallLayer(v.requests),
    { createdBy: 'COPY . /app # buildkit', comment: BUILDKIT, files: app },
    compileallLayer([...pySources, ...requestsSources(v.requests)],
      'RUN /bin/sh -c python -m compileall -q /app /usr/local/lib/python3.12/site-packages/requests # buildkit'),
    cleanupLayer,
    {
      createdBy: 'RUN /bin/sh -c chmod +x /app/main.py # buildkit',
      comment: BUILDKIT,
      files: [{ path: 'app/main.py', content: v.mainPy, mode: 0o755 }],
    },
  ];
  const env = ['PATH=/usr/local/bin:/usr/local/sbin:/usr/sbin:/usr/bin:/sbin:/bin', 'LANG=C.UTF-8', 'PYTHON_VERSION=3.12.3'];
  const labels = {
    'org.opencontainers.image.title': 'strata-demo',
    'org.opencontainers.image.version': v.version,
    'org.opencontainers.image.source': 'https://example.invalid/strata-demo',
  };
  return {
    tags: [v.tag],
    layers,
    emptySteps: [
      { before: 1, createdBy: 'CMD ["bash"]' },
      ...env.map((e) => ({ before: 1, createdBy: `ENV ${e}`, comment: BUILDKIT })),
      { before: 3, createdBy: 'WORKDIR /app', comment: BUILDKIT },
      { before: layers.length, createdBy: 'EXPOSE map[8000/tcp:{}]', comment: BUILDKIT },
      { before: layers.length, createdBy: 'VOLUME [/data]', comment: BUILDKIT },
      { before: layers.length, createdBy: `LABEL org.opencontainers.image.version=${v.version}`, comment: BUILDKIT },
      { before: layers.length, createdBy: 'CMD ["python" "main.py"]', comment: BUILDKIT },
    ],
    config: {
      Env: env,
      Cmd: ['python', 'main.py'],
      WorkingDir: '/app',
      ExposedPorts: { '8000/tcp': {} },
      Volumes: { '/data': {} },
      Labels: labels,
    },
    platform: { os: 'linux', architecture: 'amd64' },
  };
}

export const DEMO_V1: ImageSpec = demoImage(V1);
export const DEMO_V2: ImageSpec = demoImage(V2);
export const DEMO_IMAGES: readonly ImageSpec[] = [DEMO_V1, DEMO_V2];

/** Index of the layers in the demo images, for tests that look for one by role. */
export const DEMO_LAYER = { base: 0, runtime: 1, pip: 2, app: 3, pycache: 4, cleanup: 5, chmod: 6 } as const;
