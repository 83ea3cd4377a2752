// Redis: the programs it runs follow its image, so that Valkey can replace it
// (redis.image: valkey/valkey:...); Redis stays the default.
import { describe, expect, it } from 'vitest';
import { deriveModel } from '../../core/model.ts';
import { composeObject } from '../../core/render/compose.ts';
import { renderAppFiles } from '../../core/render/files.ts';
import { resolveSpec } from '../../core/spec.ts';
import { redisPrograms } from './index.ts';

const model = (values: Record<string, unknown>) => deriveModel(resolveSpec([{ source: 'answers.yaml', values }], { dirName: 'demo' }), { sampleApp: true });

describe('redis: Valkey in its place (redis.image is a Valkey image)', () => {
  it('runs valkey-server, and its health check valkey-cli; README.Docker.md and the lesson name them', () => {
    const valkey = model({ redis: { image: 'valkey/valkey:8.1-trixie' }, workshop: true });
    const redis = (composeObject(valkey) as Record<string, any>)['services']['redis'];
    expect(redis.command[0]).toBe('valkey-server');
    expect(redis.healthcheck.test[1]).toContain(' valkey-cli --no-auth-warning ping');
    expect(valkey.redis.cli).toBe('valkey-cli');
    const files = renderAppFiles(valkey);
    const readme = files.find((f) => f.path === 'README.Docker.md')!.content;
    expect(readme).toContain('exec valkey-cli --user admin');
    expect(readme).not.toContain('redis-cli');
    const lesson = files.find((f) => f.path === 'WORKSHOP.md')!.content;
    expect(lesson).toContain('valkey-server');
    expect(lesson).toContain('valkey-cli ping');
  });

  it('knows Valkey by the repository name, a mirror\'s copy too; Redis keeps redis-server and redis-cli', () => {
    expect(redisPrograms('registry.example.com/mirror/valkey:8.1')).toEqual({ server: 'valkey-server', cli: 'valkey-cli' });
    expect(redisPrograms('valkey/valkey@sha256:' + 'a'.repeat(64))).toEqual({ server: 'valkey-server', cli: 'valkey-cli' });
    expect(redisPrograms('redis:7-bookworm')).toEqual({ server: 'redis-server', cli: 'redis-cli' });
    const plain = model({});
    expect(plain.redis.image).toBe('redis:7-bookworm');
    expect(plain.redis.command?.[0]).toBe('redis-server');
    expect(plain.redis.cli).toBe('redis-cli');
  });
});
