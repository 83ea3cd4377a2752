// Default images and values, in one place so that a version bump is one edit.

export const DEFAULT_NODE_IMAGE = 'node:24-bookworm-slim';
export const DEFAULT_REDIS_IMAGE = 'redis:7-bookworm';

export const PACKAGE_MANAGERS = ['npm', 'pnpm', 'yarn'] as const;
export type PackageManager = (typeof PACKAGE_MANAGERS)[number];

export const LANGUAGES = ['en', 'ko'] as const;
export type Language = (typeof LANGUAGES)[number];

export const REDIS_PERSISTENCE = ['aof', 'rdb', 'none'] as const;
