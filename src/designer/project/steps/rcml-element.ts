/** An RCML element as a step renders it; the runtime serializes it (attributes that are null or undefined are left out). */
export interface RcmlElement {
  readonly name: string;
  readonly attributes: Readonly<Record<string, string | number | boolean | null | undefined>>;
  readonly children: readonly RcmlElement[];
  /** Text content; undefined for none. */
  readonly text?: string;
}

export function element(
  name: string,
  attributes: RcmlElement['attributes'] = {},
  content: string | readonly RcmlElement[] | undefined = undefined,
): RcmlElement {
  if (typeof content === 'string') return { name, attributes, children: [], text: content };
  return { name, attributes, children: content ?? [] };
}
