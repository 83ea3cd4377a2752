export async function runInteractive(_dir: string, _values: Record<string, unknown>): Promise<number> { return 1; }
