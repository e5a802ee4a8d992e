// The analyses the CLI runs over a read archive. The merge (and with it dive's figures and --ls)
// arrives with the merge issue; until then the report carries no dive numbers rather than fake ones.

import type { ArchiveResult } from '../core/pipeline/read-archive';
import type { ReportInput } from '../core/report/json-report';

export function analyseImages(_result: ArchiveResult) {
  return {
    reportParts(): Pick<ReportInput, 'dive' | 'extras'> {
      return {};
    },
    listFiles(_image: number, _layer?: number): string[] | string {
      return '--ls needs the merged filesystem, which is not built yet';
    },
  };
}
