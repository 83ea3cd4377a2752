// Helpers the target modules describe their settings with (variables, CI settings, texts).
import type { CiSetting, RegistryVariable, Text } from './types.ts';

export const t = (en: string, ko: string): Text => ({ en, ko });

export function variable(
  name: string,
  description: Text,
  options: { value?: string | undefined; fallback?: Text; required?: boolean; secret?: boolean; example?: string } = {},
): RegistryVariable {
  const v: RegistryVariable = { name, description, required: options.required ?? false, secret: options.secret ?? false };
  if (options.value !== undefined) v.value = options.value;
  if (options.fallback) v.fallback = options.fallback;
  if (options.example !== undefined) v.example = options.example;
  return v;
}

/** A repository variable (or secret) of the publish workflow; one with a default is not required. */
export function ciSetting(name: string, description: Text, options: { secret?: boolean; required?: boolean; value?: string | undefined } = {}): CiSetting {
  const setting: CiSetting = { name, description, secret: options.secret ?? false, required: options.required ?? true };
  if (options.value !== undefined) setting.value = options.value;
  if (setting.value !== undefined) setting.required = false;
  return setting;
}
