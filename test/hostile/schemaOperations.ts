/**
 * Generates operations from the real schema (the SDL files in schema/) whose variables are wrong
 * in one chosen way: a wrong JSON type, null for a non-null, a missing required value, an unknown
 * input field, an extra undeclared variable, a huge or fractional Int, a NaN-ish string, a variable
 * declared with a type the argument does not accept, an argument the field does not have.
 *
 * Every operation declares one variable per argument of one root field. The values that are not
 * the broken one are well-typed but name nothing (random UUIDs, blank strings, zero counts), so a
 * mutation that slipped past variable coercion would still be refused by the domain: no generated
 * operation may ever append an event.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  buildSchema,
  getNamedType,
  isEnumType,
  isInputObjectType,
  isLeafType,
  isListType,
  isNonNullType,
  isObjectType,
  isScalarType,
  type GraphQLArgument,
  type GraphQLField,
  type GraphQLInputType,
  type GraphQLObjectType,
  type GraphQLOutputType,
  type GraphQLSchema,
} from 'graphql';
import type { Prng } from './prng';

export type RootKind = 'query' | 'mutation' | 'subscription';

export const STRATEGIES = [
  'wrongType',
  'nullForNonNull',
  'missingRequired',
  'unknownInputField',
  'extraVariable',
  'hugeInt',
  'floatForInt',
  'nanishString',
  'mismatchedDeclaration',
  'unknownArgument',
] as const;
export type Strategy = (typeof STRATEGIES)[number];

export interface GeneratedOperation {
  readonly kind: RootKind;
  readonly field: string;
  readonly strategy: Strategy;
  /** What was broken, e.g. `$input.count ← 2147483648`. */
  readonly detail: string;
  readonly query: string;
  readonly variables: Record<string, unknown>;
  /** False only for an extra undeclared variable, which GraphQL ignores (the operation then runs). */
  readonly expectRequestError: boolean;
}

export function loadSchemaFromSdl(): GraphQLSchema {
  const dir = join(__dirname, '..', '..', 'schema');
  const sdl = readdirSync(dir)
    .filter((file) => file.endsWith('.graphql'))
    .sort()
    .map((file) => readFileSync(join(dir, file), 'utf8'))
    .join('\n');
  return buildSchema(sdl);
}

/** One place in the variables where a value sits: a variable, an input field or a list item. */
interface Slot {
  readonly path: ReadonlyArray<string | number>;
  readonly type: GraphQLInputType;
  /** True when the slot can be deleted (a variable or an input-object field, not a list item). */
  readonly deletable: boolean;
}

const NOW = '2026-01-01T00:00:00.000Z';

function baseValue(type: GraphQLInputType, prng: Prng): unknown {
  if (isNonNullType(type)) return baseValue(type.ofType, prng);
  if (isListType(type)) return [baseValue(type.ofType, prng)];
  if (isInputObjectType(type)) {
    const value: Record<string, unknown> = {};
    for (const field of Object.values(type.getFields())) {
      if (isNonNullType(field.type) || prng.chance(0.5)) value[field.name] = baseValue(field.type, prng);
    }
    return value;
  }
  if (isEnumType(type)) return type.getValues()[0]!.value;
  switch (type.name) {
    case 'ID':
      return prng.uuid();
    case 'String':
      return '';
    case 'Int':
      return 0;
    case 'Float':
      return 0;
    case 'Boolean':
      return true;
    case 'DateTime':
      return NOW;
    default:
      return null;
  }
}

function collectSlots(type: GraphQLInputType, value: unknown, path: Array<string | number>, deletable: boolean, out: Slot[]): void {
  out.push({ path: [...path], type, deletable });
  const inner = isNonNullType(type) ? type.ofType : type;
  if (isListType(inner) && Array.isArray(value)) {
    value.forEach((item, index) => collectSlots(inner.ofType, item, [...path, index], false, out));
  } else if (isInputObjectType(inner) && value !== null && typeof value === 'object') {
    for (const field of Object.values(inner.getFields())) {
      if (field.name in (value as Record<string, unknown>)) {
        collectSlots(field.type, (value as Record<string, unknown>)[field.name], [...path, field.name], true, out);
      }
    }
  }
}

function setAt(root: Record<string, unknown>, path: ReadonlyArray<string | number>, value: unknown): void {
  let target: any = root;
  for (const key of path.slice(0, -1)) target = target[key];
  target[path[path.length - 1]!] = value;
}

function deleteAt(root: Record<string, unknown>, path: ReadonlyArray<string | number>): void {
  let target: any = root;
  for (const key of path.slice(0, -1)) target = target[key];
  delete target[path[path.length - 1]!];
}

const describePath = (path: ReadonlyArray<string | number>) =>
  `$${path.map((key, index) => (typeof key === 'number' ? `[${key}]` : index === 0 ? key : `.${key}`)).join('')}`;

const leafName = (type: GraphQLInputType) => getNamedType(type).name;
const isInt = (slot: Slot) => leafName(slot.type) === 'Int';
const isNullable = (slot: Slot) => !isNonNullType(slot.type);

function wrongValueFor(type: GraphQLInputType, prng: Prng): unknown {
  const inner = isNonNullType(type) ? type.ofType : type;
  if (isListType(inner)) return prng.pick([{ not: 'a list' }, 'x', 42]);
  if (isInputObjectType(inner)) return prng.pick(['not-an-object', 42, true, [1, 2, 3]]);
  if (isEnumType(inner)) return prng.pick([inner.getValues()[0]!.name.toLowerCase(), 'NOT_A_VALUE', 5, true]);
  switch (inner.name) {
    case 'ID':
      return prng.pick([true, { id: 'x' }, ['x'], 1.5]);
    case 'String':
      return prng.pick([42, true, { s: 'x' }, ['x'], 1.5]);
    case 'Int':
      return prng.pick(['12', true, { n: 1 }, [1]]);
    case 'Boolean':
      return prng.pick(['true', 1, 0, { b: true }, 'yes']);
    case 'DateTime':
      return prng.pick([12345, true, 'yesterday', '2026-13-01T00:00:00Z', '2026-01-01', { at: NOW }]);
    default:
      return { unexpected: true };
  }
}

const HUGE_INTS = [2 ** 31, -(2 ** 31) - 1, 2 ** 53, 2 ** 53 + 2, -(2 ** 53), 1e21, Number.MAX_VALUE, 2 ** 32];
const FRACTIONS = [1.5, 0.1, -0.5, 1e-7, 2147483646.5];
const NANISH = ['NaN', 'Infinity', '-Infinity', '1e3', '0x1F', '', ' 1', '1_000', '\u0663', '-0', 'null', 'undefined'];

/** A type name the argument's type does not accept, for `mismatchedDeclaration`. */
function mismatchedTypeFor(type: GraphQLInputType): string {
  const named = leafName(type);
  const wrong = named === 'Int' ? 'String' : named === 'Boolean' ? 'Int' : named === 'String' ? 'Int' : 'Boolean';
  return isNonNullType(type) ? `${wrong}!` : wrong;
}

function selectionFor(type: GraphQLOutputType, prng: Prng, depth: number): string {
  const named = getNamedType(type);
  if (isLeafType(named)) return '';
  if (!isObjectType(named)) return '{ __typename }';
  const fields = Object.values((named as GraphQLObjectType).getFields()).filter((field) =>
    field.args.every((arg) => !isNonNullType(arg.type)),
  );
  const leaves = fields.filter((field) => isLeafType(getNamedType(field.type)));
  const objects = fields.filter((field) => isObjectType(getNamedType(field.type)));
  const chosen = prng
    .shuffle(leaves)
    .slice(0, prng.int(1, 3))
    .map((field) => field.name);
  if (depth < 2 && objects.length > 0 && prng.chance(0.6)) {
    const nested = prng.pick(objects);
    chosen.push(`${nested.name} ${selectionFor(nested.type, prng, depth + 1)}`);
  }
  if (chosen.length === 0) chosen.push('__typename');
  return `{ ${chosen.join(' ')} }`;
}

interface RootField {
  readonly kind: RootKind;
  readonly field: GraphQLField<unknown, unknown>;
}

export function rootFields(schema: GraphQLSchema): RootField[] {
  const out: RootField[] = [];
  const roots: Array<[RootKind, GraphQLObjectType | null | undefined]> = [
    ['query', schema.getQueryType()],
    ['mutation', schema.getMutationType()],
    ['subscription', schema.getSubscriptionType()],
  ];
  for (const [kind, type] of roots) {
    if (!type) continue;
    for (const field of Object.values(type.getFields())) out.push({ kind, field });
  }
  return out;
}

interface Draft {
  readonly root: RootField;
  readonly variables: Record<string, unknown>;
  readonly slots: Slot[];
}

function draft(root: RootField, prng: Prng): Draft {
  const variables: Record<string, unknown> = {};
  const slots: Slot[] = [];
  for (const arg of root.field.args) {
    // Optional arguments are declared always but given a value only half the time.
    if (isNonNullType(arg.type) || prng.chance(0.5)) {
      variables[arg.name] = baseValue(arg.type, prng);
      collectSlots(arg.type, variables[arg.name], [arg.name], true, slots);
    }
  }
  return { root, variables, slots };
}

function candidates(strategy: Strategy, d: Draft): Slot[] | 'whole-operation' | null {
  const { slots, root } = d;
  const nonEmpty = (list: Slot[]) => (list.length > 0 ? list : null);
  switch (strategy) {
    case 'wrongType':
      return nonEmpty(
        slots.filter(
          (slot) =>
            isScalarType(getNamedType(slot.type)) || isEnumType(getNamedType(slot.type)) || isInputObjectType(getNamedType(slot.type)),
        ),
      );
    case 'nullForNonNull':
      return nonEmpty(slots.filter((slot) => !isNullable(slot)));
    case 'missingRequired':
      return nonEmpty(slots.filter((slot) => !isNullable(slot) && slot.deletable));
    case 'unknownInputField':
      return nonEmpty(slots.filter((slot) => isInputObjectType(isNonNullType(slot.type) ? slot.type.ofType : slot.type)));
    case 'hugeInt':
    case 'floatForInt':
      return nonEmpty(slots.filter(isInt));
    case 'nanishString':
      return nonEmpty(slots.filter((slot) => isInt(slot) || leafName(slot.type) === 'Boolean'));
    case 'mismatchedDeclaration':
      return root.field.args.length > 0 ? 'whole-operation' : null;
    case 'extraVariable':
      // GraphQL ignores an extra variable, so the operation runs: a subscription would stay open, and
      // a mutation must have a required argument whose (blank, unknown) value makes the domain refuse it.
      if (root.kind === 'subscription') return null;
      if (root.kind === 'mutation' && !root.field.args.some((arg) => isNonNullType(arg.type))) return null;
      return 'whole-operation';
    case 'unknownArgument':
      return 'whole-operation';
  }
}

export function applicableStrategies(root: RootField, prng: Prng): Strategy[] {
  const d = draft(root, prng);
  return STRATEGIES.filter((strategy) => candidates(strategy, d) !== null);
}

/**
 * One operation for `root` broken by `strategy`, or null when the strategy cannot apply to it
 * (e.g. no Int anywhere in its arguments).
 */
export function generateOperation(root: RootField, strategy: Strategy, prng: Prng): GeneratedOperation | null {
  const d = draft(root, prng);
  const found = candidates(strategy, d);
  if (found === null) return null;
  const { field, kind } = root;
  const declared = new Map<string, string>(field.args.map((arg: GraphQLArgument) => [arg.name, String(arg.type)]));
  const args = field.args.map((arg) => `${arg.name}: $${arg.name}`);
  const variables = d.variables;
  let detail: string;
  let expectRequestError = true;

  if (found === 'whole-operation') {
    if (strategy === 'mismatchedDeclaration') {
      const arg = prng.pick(field.args);
      const wrong = mismatchedTypeFor(arg.type);
      declared.set(arg.name, wrong);
      if (variables[arg.name] === undefined && isNonNullType(arg.type)) variables[arg.name] = baseValue(arg.type, prng);
      detail = `$${arg.name} declared ${wrong}, argument is ${String(arg.type)}`;
    } else if (strategy === 'extraVariable') {
      const count = prng.int(1, 3);
      for (let i = 0; i < count; i += 1) {
        variables[`extra_${prng.string(6)}`] = prng.pick<unknown>([1, 'x', null, { nested: [1, 2] }, 2 ** 53, 'NaN']);
      }
      detail = `${count} undeclared variable(s)`;
      expectRequestError = false;
    } else {
      args.push(`no_such_argument_${prng.string(4)}: 1`);
      detail = 'argument not in the schema';
    }
  } else {
    const slot = prng.pick(found);
    const where = describePath(slot.path);
    switch (strategy) {
      case 'wrongType': {
        const value = wrongValueFor(slot.type, prng);
        setAt(variables, slot.path, value);
        detail = `${where} (${String(slot.type)}) ← ${JSON.stringify(value)}`;
        break;
      }
      case 'nullForNonNull':
        setAt(variables, slot.path, null);
        detail = `${where} (${String(slot.type)}) ← null`;
        break;
      case 'missingRequired':
        deleteAt(variables, slot.path);
        detail = `${where} (${String(slot.type)}) missing`;
        break;
      case 'unknownInputField': {
        let target: any = variables;
        for (const key of slot.path) target = target[key];
        if (target === null || typeof target !== 'object' || Array.isArray(target)) return null;
        const name = prng.pick(['__proto__x', 'constructor_', `zz_${prng.string(5)}`, 'ID', 'Sku']);
        target[name] = prng.pick<unknown>([1, 'x', true, { deep: { deeper: 1 } }]);
        detail = `${where} gets unknown field "${name}"`;
        break;
      }
      case 'hugeInt': {
        const value = prng.pick(HUGE_INTS);
        setAt(variables, slot.path, value);
        detail = `${where} (Int) ← ${value}`;
        break;
      }
      case 'floatForInt': {
        const value = prng.pick(FRACTIONS);
        setAt(variables, slot.path, value);
        detail = `${where} (Int) ← ${value}`;
        break;
      }
      case 'nanishString': {
        const value = leafName(slot.type) === 'Boolean' ? prng.pick(['false', 'NaN', '0']) : prng.pick(NANISH);
        setAt(variables, slot.path, value);
        detail = `${where} (${leafName(slot.type)}) ← ${JSON.stringify(value)}`;
        break;
      }
      default:
        return null;
    }
  }

  const definitions = [...declared].map(([name, type]) => `$${name}: ${type}`);
  const header = definitions.length > 0 ? `(${definitions.join(', ')})` : '';
  const call = args.length > 0 ? `${field.name}(${args.join(', ')})` : field.name;
  const name = `Hostile_${field.name}_${strategy}`;
  const query = `${kind} ${name}${header} { ${call} ${selectionFor(field.type, prng, 0)} }`;
  return { kind, field: field.name, strategy, detail, query, variables, expectRequestError };
}
