/** `module[.step[.action]]`, RVD's target grammar. */
export interface Target {
  readonly module: string;
  readonly step: string | null;
  readonly action: string | null;
}

export function parseTarget(text: string): Target {
  const m = /^([^.]+)(?:\.([^.]+))?(?:\.([^.]+))?/.exec(text);
  return { module: m?.[1] ?? '', step: m?.[2] ?? null, action: m?.[3] ?? null };
}
