// `strata compare a.tar b.tar | head`: a closed pipe ends the output, not the process with a stack
// trace. Every entry calls this; it installs its handlers once however many entries are loaded.
let installed = false;

export function endQuietlyOnClosedPipe(): void {
  if (installed) return;
  installed = true;
  for (const stream of [process.stdout, process.stderr]) {
    stream.on('error', (e: NodeJS.ErrnoException) => {
      if (e.code !== 'EPIPE') throw e;
    });
  }
}
