/**
 * The variables of one controller request (RVD `Interpreter`, digest 2.1): built from the request's
 * parameters, then the project's parameters, which override same-named ones.
 */
import type { ProjectParameter } from '../project/state.js';
import type { VariableScope } from '../project/steps/types.js';

/** Restcomm parameters that become `core_<name>` (RVD `builtinRestcommParameters`). */
export const BUILTIN_PARAMETERS: readonly string[] = [
  'CallSid', 'AccountSid', 'From', 'To', 'Body', 'CallStatus', 'ApiVersion', 'Direction', 'CallerName', 'CallTimestamp',
  'ForwardedFrom', 'SmsSid', 'SmsStatus', 'InstanceId', 'ReferTarget', 'Transferor', 'Transferee',
];

export const STICKY_PREFIX = 'sticky_';
export const MODULE_PREFIX = 'module_';
const HEADER_PREFIXES = ['sipheader_', 'dialsipheader_'];
const REFERENCE = /\$([A-Za-z]+[A-Za-z0-9_]*)/g;

/** `SipHeader_X-Foo` → `core_x_foo`; null for a parameter that is not a SIP header. */
function headerVariable(name: string): string | null {
  const lower = name.toLowerCase();
  const prefix = HEADER_PREFIXES.find((p) => lower.startsWith(p));
  return prefix === undefined ? null : `core_${lower.slice(prefix.length).replace(/[^A-Za-z0-9_]/g, '_')}`;
}

export class Variables {
  private readonly values = new Map<string, string>();

  /** Request parameters by RVD's rules (built-ins → `core_`, SIP headers → `core_x_…`, the rest as named), then the project's parameters. */
  static forRequest(params: Readonly<Record<string, string>>, parameters: readonly ProjectParameter[]): Variables {
    const v = new Variables();
    for (const [name, value] of Object.entries(params)) {
      if (BUILTIN_PARAMETERS.includes(name)) v.values.set(`core_${name}`, value);
      else v.values.set(headerVariable(name) ?? name, value);
    }
    for (const p of parameters) v.values.set(p.name, p.value);
    return v;
  }

  get(name: string): string | undefined {
    return this.values.get(name);
  }

  put(name: string, value: string, scope: VariableScope): void {
    const prefix = scope === 'application' ? STICKY_PREFIX : scope === 'module' ? MODULE_PREFIX : '';
    this.values.set(`${prefix}${name}`, value);
  }

  /** `$x` looks up `x`, then `module_x`, then `sticky_x`; a missing variable is empty. Values are not expanded again. */
  expand(text: string): string {
    return text.replace(REFERENCE, (_, name: string) => this.values.get(name) ?? this.values.get(MODULE_PREFIX + name) ?? this.values.get(STICKY_PREFIX + name) ?? '');
  }

  /** Rendering moved to another module: its module-scoped variables are gone. */
  clearModule(): void {
    for (const name of [...this.values.keys()]) if (name.startsWith(MODULE_PREFIX)) this.values.delete(name);
  }

  /** The `sticky_*` and `module_*` variables, which every action URL carries to the next request. */
  carried(): [string, string][] {
    return [...this.values].filter(([name]) => name.startsWith(STICKY_PREFIX) || name.startsWith(MODULE_PREFIX));
  }
}
