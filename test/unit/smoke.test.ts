import { describe, expect, it } from 'vitest';
import { deriveModel } from '../../core/model.ts';
import { renderAppFiles } from '../../core/render/files.ts';
import { resolveSpec } from '../../core/spec.ts';

describe('pipeline', () => {
  it('renders the default stack', () => {
    const spec = resolveSpec([{ source: 'test', values: {} }], { dirName: 'demo' });
    const files = renderAppFiles(deriveModel(spec, { sampleApp: true }));
    expect(files.map((f) => f.path)).toContain('docker-compose.yml');
  });
});
