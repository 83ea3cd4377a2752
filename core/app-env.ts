// What each variable the app gets is for, for README.Docker.md's table: derived from the
// model's environment, the service that sets each, and the URLs the image's preload
// completes. Pure: nothing here renders.
import type { AppUrl, ServiceModel } from '../services/types.ts';

export interface EnvVariableDoc {
  name: string;
  value: string;
  /** The service that sets it (redis, db, ...), "app" for the app's own, "yours" for app.environment. */
  from: string;
  kind: 'runtime' | 'url' | 'password-file' | 'service' | 'preload' | 'yours';
  /** For a URL: the secret file whose password the preload puts in. */
  passwordFile?: string;
}

export function environmentDocs(
  environment: Readonly<Record<string, string>>,
  services: readonly ServiceModel[],
  urls: readonly AppUrl[],
  own: Readonly<Record<string, string>>,
): EnvVariableDoc[] {
  const owner = new Map<string, string>();
  for (const s of services) for (const name of Object.keys(s.app.environment)) owner.set(name, s.service);
  return Object.entries(environment).map(([name, value]): EnvVariableDoc => {
    if (name === 'HOST' && value === '0.0.0.0') return { name, value, from: 'app', kind: 'runtime' };
    if (name in own && own[name] === value && !owner.has(name)) return { name, value, from: 'yours', kind: 'yours' };
    if (name === 'NODE_OPTIONS') return { name, value, from: 'app', kind: 'preload' };
    const from = owner.get(name);
    if (from === undefined) return { name, value, from: 'app', kind: 'runtime' };
    const url = urls.find((u) => u.variable === name);
    if (url) return { name, value, from, kind: 'url', passwordFile: `/run/secrets/${url.passwordSecret}` };
    if (name.endsWith('_FILE')) return { name, value, from, kind: 'password-file' };
    return { name, value, from, kind: 'service' };
  });
}
