import type { FamilyContext } from './context.ts';
import { carryListFacts, type ListChange } from './listFacts.ts';

// The copy-on-write context an action builds: performance machinery, kept out of the chart's way.

type ListKey = {
  [K in keyof FamilyContext]: FamilyContext[K] extends unknown[] ? K : never;
}[keyof FamilyContext];
type ItemOf<K extends ListKey> = FamilyContext[K][number];
type SignalKey = keyof FamilyContext['signals'];

/** Read-only at every depth: what an action shares with the previous snapshot. */
type Shared<T> = T extends readonly (infer E)[]
  ? readonly Shared<E>[]
  : T extends object
    ? { readonly [K in keyof T]: Shared<T[K]> }
    : T;

/**
 * The context one action builds. The previous snapshot stays untouched and shares everything the action
 * does not change, so the action copies exactly what it changes: the top-level object (its scalar fields
 * are written directly), each list it appends to or edits (once), each item it edits. Copying the whole
 * context instead made every event cost as much as the history was long.
 */
export class Draft {
  /**
   * Scalars are this draft's own (written directly), objects are replaced whole; lists and everything
   * in them are shared (read-only) and change only through `push` and `edit`, which report each change
   * to the list facts.
   */
  readonly c: { -readonly [K in Exclude<keyof FamilyContext, ListKey>]: Shared<FamilyContext[K]> } & {
    readonly [K in ListKey]: Shared<FamilyContext[K]>;
  };
  private readonly base: FamilyContext;
  private readonly changes = new Map<ListKey, ListChange<unknown>[]>();
  /** Lists replaced whole: their facts are not carried (derived afresh on first use). */
  private readonly replaced = new Set<ListKey>();

  constructor(base: FamilyContext) {
    this.base = base;
    this.c = { ...base };
  }

  /** The context this draft started from (a later version compares it to count what an action added). */
  get before(): FamilyContext {
    return this.base;
  }

  /** The context as the pure readers (rules, context.ts) take it. */
  get read(): FamilyContext {
    return this.c as FamilyContext;
  }

  private list<K extends ListKey>(key: K): { items: ItemOf<K>[]; changes: ListChange<unknown>[] } {
    let changes = this.changes.get(key);
    if (!changes) {
      this.changes.set(key, (changes = []));
      (this.c as FamilyContext)[key] = [...this.c[key]] as never;
    }
    return { items: this.c[key] as ItemOf<K>[], changes };
  }

  push<K extends ListKey>(key: K, ...added: ItemOf<K>[]): void {
    const { items, changes } = this.list(key);
    for (const after of added) {
      changes.push({ index: items.length, before: undefined, after });
      items.push(after);
    }
  }

  /** Replaces item `index` of a list by a copy with `patch` applied (keys keep their places). */
  edit<K extends ListKey>(key: K, index: number, patch: Partial<ItemOf<K>>): void {
    const { items, changes } = this.list(key);
    const before = items[index];
    if (before === undefined) return;
    const after = { ...(before as object), ...patch } as ItemOf<K>;
    changes.push({ index, before, after });
    items[index] = after;
  }

  /** Replaces a whole list by `items` (a later version keeps only current items); its facts are derived afresh. */
  replace<K extends ListKey>(key: K, items: ItemOf<K>[]): void {
    (this.c as FamilyContext)[key] = items as never;
    this.changes.delete(key);
    this.replaced.add(key);
  }

  pushSignal<K extends SignalKey>(key: K, item: FamilyContext['signals'][K][number]): void {
    this.c.signals = { ...this.c.signals, [key]: [...this.c.signals[key], item] };
  }

  newId(prefix: string): string {
    const id = `${prefix}${this.c.nextId}`;
    this.c.nextId += 1;
    return id;
  }

  done(): FamilyContext {
    for (const [key, changes] of this.changes)
      if (!this.replaced.has(key)) carryListFacts(this.base[key], this.c[key], changes);
    return this.c as FamilyContext;
  }
}
