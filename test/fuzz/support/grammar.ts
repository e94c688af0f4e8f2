/**
 * Grammar-based GraphQL documents over the real API schema (the gateway's own introspection):
 * random root fields, arguments, nested selections, aliases, named and inline fragments,
 * @include/@skip, variables declared with the right type or a wrong one and given values of the
 * right type or a wrong one. Built imperatively with fc.gen(), so every choice comes from fast-check
 * (replayable from the seed it prints on failure).
 *
 * Mutations are generated too, but every ID they carry is one that exists nowhere (fuzz_…): the
 * suite shares its database with the rest of the test run, and a mutation on an unknown id is
 * NOT_FOUND before anything is written.
 */
import fc from 'fast-check';
import {
  getNamedType,
  isEnumType,
  isInputObjectType,
  isInterfaceType,
  isLeafType,
  isListType,
  isNonNullType,
  isScalarType,
  isUnionType,
  type GraphQLArgument,
  type GraphQLCompositeType,
  type GraphQLField,
  type GraphQLInputType,
  type GraphQLObjectType,
  type GraphQLSchema,
} from 'graphql';

type G = fc.GeneratorValue;

export interface Pools {
  /** IDs that exist (read by the suite at start), by prefix: agt_, car_, prd_, case_, req_. */
  ids: string[];
  /** Strings that exist (NPNs, case numbers). */
  strings: string[];
}

export interface GeneratedDocument {
  query: string;
  variables: Record<string, unknown>;
  operationName?: string;
  operation: 'query' | 'mutation';
  /** Planted PII stand-ins inside variable values: no error may repeat them. */
  markers: string[];
  /** True when the generator meant every part to be well-typed. */
  meantValid: boolean;
}

/** A stand-in for personal data (an SSN-like number in a name): unique per document. */
export const markerFor = (n: number) => `PIIMARK${n.toString(36)}x123-45-6789`;

/** An integer in [0, n), uniformly. */
const unbiased = (n: number) => fc.noBias(fc.integer({ min: 0, max: n - 1 }));

// fc.gen() reuses an arbitrary for a factory called with equal arguments, compared key by key: every
// RegExp (and every Date) is equal to every other, so each stringMatching through g would be the
// first one. One factory per pattern or range instead.
const nameTail = () => fc.stringMatching(/^[A-Za-z0-9_]{0,20}$/);
const idSuffix = () => fc.stringMatching(/^[a-z0-9]{1,12}$/);
const plainText = () => fc.stringMatching(/^[A-Za-z0-9 _.:-]{0,30}$/);
const dates = () => fc.date({ min: new Date('1900-01-01'), max: new Date('2100-12-31'), noInvalidDate: true });
const instants = () => fc.date({ min: new Date('1970-01-01'), max: new Date('2100-12-31'), noInvalidDate: true });

const NAME_START = 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ_';

class Builder {
  private readonly variableDefinitions: string[] = [];
  readonly variables: Record<string, unknown> = {};
  private readonly fragments = new Map<string, string>();
  readonly markers: string[] = [];
  private counter = 0;
  meantValid = true;

  constructor(
    private readonly g: G,
    private readonly schema: GraphQLSchema,
    private readonly pools: Pools,
    /** 0..1: how often a part of the document, or a value, is made wrong on purpose. */
    private readonly chaos: { shape: number; value: number },
    private readonly mutation: boolean,
    private readonly serial: number,
  ) {}

  // Choices are unbiased: fast-check's default bias towards small values would make "0.3 %" a coin toss.
  private chance(p: number): boolean {
    return p > 0 && this.g(unbiased, 1_000_000) < p * 1_000_000;
  }

  private pick<T>(items: readonly T[]): T {
    return items[this.g(unbiased, items.length)];
  }

  /** Whether to get this part wrong on purpose: a malformed document (shape) or a bad value. */
  private wrong(kind: 'shape' | 'value', scale = 1): boolean {
    const wrong = this.chance((kind === 'shape' ? this.chaos.shape : this.chaos.value) * scale);
    if (wrong) this.meantValid = false;
    return wrong;
  }

  private name(prefix: string): string {
    return `${prefix}${this.counter++}`;
  }

  operation(): GeneratedDocument {
    const root = this.mutation ? this.schema.getMutationType()! : this.schema.getQueryType()!;
    const fields = Object.values(root.getFields());
    const count = this.mutation ? 1 : this.g(fc.integer, { min: 1, max: 3 });
    const selections: string[] = [];
    const used = new Set<string>();
    for (let i = 0; i < count; i++) {
      const field = this.pick(fields);
      const alias = used.has(field.name) || this.chance(0.2) ? `${this.name('r')}: ` : '';
      used.add(field.name);
      selections.push(alias + this.field(field, 1, this.g(fc.integer, { min: 1, max: 5 })));
    }
    if (this.chance(0.15)) selections.push('__typename');
    const named = this.chance(0.6);
    const operationName = named ? this.operationName() : undefined;
    const keyword = this.mutation ? 'mutation' : this.chance(0.7) ? 'query' : '';
    const definitions = this.variableDefinitions.length ? `(${this.variableDefinitions.join(', ')})` : '';
    const head = keyword || named || definitions ? `${keyword || 'query'}${named ? ` ${operationName}` : ''}${definitions} ` : '';
    const body = `${head}{ ${selections.join(' ')} }`;
    const fragments = [...this.fragments.values()];
    const query = this.chance(0.5) ? [...fragments, body].join('\n') : [body, ...fragments].join('\n');
    return {
      query,
      variables: this.variables,
      operationName: named && this.chance(0.7) ? operationName : undefined,
      operation: this.mutation ? 'mutation' : 'query',
      markers: this.markers,
      meantValid: this.meantValid,
    };
  }

  private operationName(): string {
    if (this.chance(0.5)) return this.pick(['Dashboard', 'CarrierNames', 'QuoteScreen', 'CaseDetail', 'AgentLookup']);
    const head = NAME_START[this.g(fc.nat, { max: NAME_START.length - 1 })];
    return head + this.g(nameTail);
  }

  /** A field with its arguments and, for composite types, a selection set. */
  private field(field: GraphQLField<unknown, unknown>, depth: number, maxDepth: number): string {
    let name = field.name;
    if (this.wrong('shape', 0.3)) name = `${name}${this.pick(['x', 's', '_', 'Id'])}`;
    const args = this.arguments(field.args);
    const directives = this.chance(0.1) ? ` ${this.directive()}` : '';
    const type = getNamedType(field.type);
    if (isLeafType(type)) {
      // A selection set on a leaf is a validation error.
      return `${name}${args}${directives}${this.wrong('shape', 0.2) ? ' { id }' : ''}`;
    }
    if (this.wrong('shape', 0.2)) return `${name}${args}${directives}`; // no selection on an object
    return `${name}${args}${directives} ${this.selectionSet(type as GraphQLCompositeType, depth + 1, maxDepth)}`;
  }

  private selectionSet(type: GraphQLCompositeType, depth: number, maxDepth: number): string {
    const parts: string[] = [];
    if (isUnionType(type)) {
      parts.push('__typename');
      for (const member of type.getTypes())
        if (this.chance(0.5)) parts.push(`... on ${member.name} ${this.selectionSet(member, depth, maxDepth)}`);
      return `{ ${parts.join(' ')} }`;
    }
    if (depth > maxDepth + 2) return '{ __typename }'; // a type without leaves: stop anyway
    const object = type as GraphQLObjectType;
    const fields = Object.values(object.getFields());
    // Leaves without arguments: they may also appear in fragments and inline fragments and still merge.
    const leaves = fields.filter((f) => isLeafType(getNamedType(f.type)) && f.args.length === 0);
    const deeper = depth < maxDepth ? fields : leaves;
    // A type whose fields are all objects or take arguments has no leaves to stop on: pick from all of them.
    const count = this.g(fc.integer, { min: 1, max: Math.max(1, Math.min(5, deeper.length)) });
    const used = new Set<string>();
    for (let i = 0; i < count; i++) {
      const field = this.pick(deeper.length ? deeper : fields);
      // The same response name twice with different arguments cannot merge: alias the repeats.
      const alias = used.has(field.name) || (field.args.length > 0 && this.chance(0.3)) ? `${this.name('a')}: ` : '';
      used.add(field.name);
      parts.push(alias + this.field(field, depth, maxDepth));
    }
    if (this.chance(0.15)) parts.push('__typename');
    if (this.chance(0.15)) parts.push(`... on ${object.name} { ${leaves.length ? this.pick(leaves).name : '__typename'} }`);
    if (this.chance(0.15) && leaves.length) parts.push(`...${this.fragment(object, leaves)}`);
    if (isInterfaceType(type)) parts.push('__typename');
    return `{ ${parts.join(' ')} }`;
  }

  /** A named fragment of leaf fields on `type` (spread, perhaps more than once). */
  private fragment(type: GraphQLObjectType, leaves: GraphQLField<unknown, unknown>[]): string {
    const existing = [...this.fragments.keys()].filter((key) => key.startsWith(`F${type.name}_`));
    if (existing.length && this.chance(0.5)) return this.pick(existing);
    const name = `F${type.name}_${this.counter++}`;
    const fields = new Set<string>();
    const n = this.g(fc.integer, { min: 1, max: Math.min(4, leaves.length) });
    for (let i = 0; i < n; i++) fields.add(this.pick(leaves).name);
    const on = this.wrong('shape', 0.3) ? 'NoSuchType' : type.name;
    this.fragments.set(name, `fragment ${name} on ${on} { ${[...fields].join(' ')} }`);
    return name;
  }

  private directive(): string {
    const which = this.pick(['include', 'skip']);
    if (this.chance(0.5)) return `@${which}(if: ${this.chance(0.5)})`;
    const variable = this.name('b');
    const declared = this.wrong('shape') ? this.pick(['String', 'Int', 'Boolean']) : 'Boolean!';
    this.variableDefinitions.push(`$${variable}: ${declared}`);
    this.variables[variable] = this.wrong('value') ? this.pick(['yes', 1, null, [true]]) : this.chance(0.5);
    return `@${which}(if: $${variable})`;
  }

  private arguments(args: readonly GraphQLArgument[]): string {
    const parts: string[] = [];
    for (const arg of args) {
      const required = isNonNullType(arg.type) && arg.defaultValue === undefined;
      if (!required && !this.chance(0.4)) continue;
      if (required && this.wrong('shape', 0.2)) continue; // a missing required argument
      const name = this.wrong('shape', 0.1) ? `${arg.name}Typo` : arg.name;
      if (this.chance(0.5)) {
        const variable = this.name('v');
        const declared = this.wrong('shape', 0.5) ? this.otherType(arg.type) : String(arg.type);
        this.variableDefinitions.push(`$${variable}: ${declared}`);
        const value = this.value(arg.type, 0, 'json');
        if (value !== undefined || this.chance(0.5)) this.variables[variable] = value;
        parts.push(`${name}: $${variable}`);
      } else {
        parts.push(`${name}: ${this.literal(this.value(arg.type, 0, 'literal'))}`);
      }
    }
    return parts.length ? `(${parts.join(', ')})` : '';
  }

  /** A type name that is not the argument's: another scalar, a list of it, or nullability changed. */
  private otherType(type: GraphQLInputType): string {
    const text = String(type);
    return this.pick([
      text.endsWith('!') ? text.slice(0, -1) : `[${text}]`,
      `[${text}]`,
      'String!',
      'Int',
      'Boolean!',
      'ID',
      'NoSuchInput',
      'Date',
    ]);
  }

  /** A JS value for `type`; wrong (another type, null, an extra field) with the chaos probability. */
  private value(type: GraphQLInputType, depth: number, mode: 'json' | 'literal'): unknown {
    if (mode === 'json' ? this.wrong('value') : this.wrong('shape', 0.5)) return this.wrongValue();
    if (isNonNullType(type)) return this.present(type.ofType as GraphQLInputType, depth, mode);
    if (depth > 0 && this.chance(0.15)) return null;
    return this.present(type, depth, mode);
  }

  /** A non-null value of a nullable (or unwrapped) type. */
  private present(type: GraphQLInputType, depth: number, mode: 'json' | 'literal'): unknown {
    if (isListType(type)) {
      const n = this.g(fc.integer, { min: 0, max: 3 });
      return Array.from({ length: n }, () => this.value(type.ofType as GraphQLInputType, depth + 1, mode));
    }
    if (isEnumType(type)) return { enum: this.pick(type.getValues()).name };
    if (isInputObjectType(type)) {
      const out: Record<string, unknown> = {};
      for (const field of Object.values(type.getFields())) {
        const required = isNonNullType(field.type) && field.defaultValue === undefined;
        if (required || this.chance(0.5)) out[field.name] = this.value(field.type, depth + 1, mode);
      }
      if (this.wrong('value', 0.5)) out[`unknown${this.counter++}`] = 1;
      return { input: out };
    }
    if (isScalarType(type)) return this.scalar(type.name, mode);
    return null;
  }

  private scalar(name: string, mode: 'json' | 'literal'): unknown {
    switch (name) {
      case 'ID':
        // Mutations only ever name things that do not exist.
        if (this.mutation || this.chance(0.3)) return `fuzz_${this.g(idSuffix)}`;
        return this.pick(this.pools.ids);
      case 'String':
        return this.string(mode);
      case 'Int':
        return this.pick([0, 1, 5, 50, -1, 200, 2_147_483_647, -2_147_483_648, this.g(fc.integer, { min: -1000, max: 1000 })]);
      case 'Float':
        return this.g(fc.double, { noNaN: true, noDefaultInfinity: true, min: -1e9, max: 1e9 });
      case 'Boolean':
        return this.chance(0.5);
      case 'Date':
        return !this.wrong('value') ? this.g(dates).toISOString().slice(0, 10) : this.pick(['2025-02-30', '1990-13-01', '19900101', '']);
      case 'DateTime':
        return !this.wrong('value') ? this.g(instants).toISOString() : 'yesterday';
      case 'Money':
        return !this.wrong('value')
          ? `${this.g(fc.nat, { max: 1_000_000 })}.${String(this.g(fc.nat, { max: 99 })).padStart(2, '0')}`
          : '12.5';
      default:
        return this.string(mode);
    }
  }

  private string(mode: 'json' | 'literal'): string {
    const choice = this.g(fc.nat, { max: 5 });
    if (choice === 0 && this.pools.strings.length) return this.pick(this.pools.strings);
    if (choice === 1 && mode === 'json') {
      // Personal data stand-in: only in variables, where graphql-js would echo it in a coercion error.
      const marker = markerFor(this.serial * 1000 + this.counter++);
      this.markers.push(marker);
      return this.chance(0.5) ? marker : `Jane ${marker} Doe`;
    }
    if (choice === 2) return this.g(fc.string, { unit: 'grapheme', maxLength: 40 });
    if (choice === 3) return this.g(fc.string, { unit: 'binary', maxLength: 20 });
    return this.g(plainText);
  }

  /** A value of some other shape: for variables it may carry a marker (it is in the variables). */
  private wrongValue(): unknown {
    const marker = markerFor(this.serial * 1000 + this.counter++);
    this.markers.push(marker);
    return this.pick<unknown>([
      marker,
      { not: marker },
      [marker, 1],
      12.5,
      -1,
      2 ** 53,
      1e308,
      true,
      null,
      { enum: 'NOT_A_VALUE' },
      '2025-02-30',
      { input: { [`x${marker}`]: marker } },
      [[[]]],
    ]);
  }

  /** Renders a value() result as a GraphQL literal (enums tagged {enum}, input objects {input}). */
  literal(value: unknown): string {
    if (value === null || value === undefined) return 'null';
    if (Array.isArray(value)) return `[${value.map((v) => this.literal(v)).join(', ')}]`;
    if (typeof value === 'object') {
      const tagged = value as { enum?: string; input?: Record<string, unknown>; not?: unknown };
      if (tagged.enum !== undefined) return tagged.enum;
      if (tagged.input !== undefined)
        return `{ ${Object.entries(tagged.input)
          .map(([k, v]) => `${k}: ${this.literal(v)}`)
          .join(', ')} }`;
      return `{ x: ${this.literal(tagged.not === undefined ? null : String(tagged.not).replace(/PIIMARK/g, 'pii'))} }`;
    }
    if (typeof value === 'string') return JSON.stringify(value.replace(/PIIMARK/g, 'pii'));
    if (typeof value === 'number') return Number.isFinite(value) ? String(value) : '0';
    return String(value);
  }
}

/** Variables carry plain JSON: enum tags become their names, input tags their objects. */
function untag(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(untag);
  if (value && typeof value === 'object') {
    const tagged = value as { enum?: string; input?: Record<string, unknown>; not?: unknown };
    if (tagged.enum !== undefined) return tagged.enum;
    if (tagged.input !== undefined) return Object.fromEntries(Object.entries(tagged.input).map(([k, v]) => [k, untag(v)]));
    return { not: tagged.not };
  }
  return value;
}

export interface DocumentOptions {
  /** Probability of each part of the document, and of each value, being wrong on purpose (0: meant to be valid). */
  chaos: { shape: number; value: number };
  /** Share of mutations among the documents. */
  mutations?: number;
}

let serial = 0;

/** An arbitrary GraphQL request over the schema. */
export function documents(schema: GraphQLSchema, pools: Pools, options: DocumentOptions): fc.Arbitrary<GeneratedDocument> {
  return fc.gen().map((g) => {
    const mutation = g(unbiased, 1_000) < (options.mutations ?? 0.1) * 1_000;
    const builder = new Builder(g, schema, pools, options.chaos, mutation, serial++);
    const document = builder.operation();
    return { ...document, variables: Object.fromEntries(Object.entries(document.variables).map(([name, value]) => [name, untag(value)])) };
  });
}
