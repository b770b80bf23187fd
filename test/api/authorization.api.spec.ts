/**
 * Every Query and Mutation root field, called through `yoga.fetch` with arguments made from its
 * own signature: anonymous callers get UNAUTHENTICATED for what needs a sign-in, customers get
 * FORBIDDEN for what needs an admin, and a refused call appends nothing.
 */
import {
  getNamedType,
  isEnumType,
  isInputObjectType,
  isListType,
  isNonNullType,
  isObjectType,
  isAbstractType,
  type GraphQLField,
  type GraphQLInputType,
} from 'graphql';
import { fieldRules } from '../../server/capabilities';
import { createSchema } from '../../server/schema';
import { tokenFor } from '../support/gatewayHarness';
import { startApiGateway, type ApiGateway } from './apiGateway';

const schema = createSchema();

/** A value of the input type that passes GraphQL validation (authorization comes before the resolver reads it). */
function sampleValue(type: GraphQLInputType): unknown {
  if (isNonNullType(type)) return sampleValue(type.ofType);
  if (isListType(type)) return [sampleValue(type.ofType)];
  if (isEnumType(type)) return type.getValues()[0]?.value;
  if (isInputObjectType(type)) {
    return Object.fromEntries(
      Object.values(type.getFields())
        .filter((field) => isNonNullType(field.type))
        .map((field) => [field.name, sampleValue(field.type)]),
    );
  }
  switch (type.name) {
    case 'Int':
    case 'Float':
      return 1;
    case 'Boolean':
      return false;
    case 'DateTime':
      return '2026-01-01T00:00:00.000Z';
    default:
      return 'x';
  }
}

/** One operation calling the field with every required argument as a variable. */
function operationFor(
  kind: 'query' | 'mutation',
  field: GraphQLField<unknown, unknown>,
): { query: string; variables: Record<string, unknown> } {
  const required = field.args.filter((arg) => isNonNullType(arg.type));
  const declarations = required.map((arg) => `$${arg.name}: ${arg.type.toString()}`).join(', ');
  const argumentList = required.map((arg) => `${arg.name}: $${arg.name}`).join(', ');
  const returned = getNamedType(field.type);
  const selection = isObjectType(returned) || isAbstractType(returned) ? ' { __typename }' : '';
  const query = `${kind}${declarations ? ` (${declarations})` : ''} { ${field.name}${argumentList ? `(${argumentList})` : ''}${selection} }`;
  return { query, variables: Object.fromEntries(required.map((arg) => [arg.name, sampleValue(arg.type)])) };
}

const rootFields = (['query', 'mutation'] as const).flatMap((kind) => {
  const root = kind === 'query' ? schema.getQueryType() : schema.getMutationType();
  return Object.values(root?.getFields() ?? {}).map((field) => ({ kind, coordinate: `${root?.name}.${field.name}`, field }));
});

describe('authorization per root field, through yoga.fetch (API tier)', () => {
  let api: ApiGateway;
  let customer: string;
  beforeAll(async () => {
    api = await startApiGateway();
    customer = await tokenFor('customer', 'api-customer');
  });
  afterAll(() => api.stop());

  it('has a rule for every Query and Mutation field', () => {
    expect(rootFields.filter(({ coordinate }) => fieldRules[coordinate] === undefined).map(({ coordinate }) => coordinate)).toEqual([]);
  });

  /** Calls the field as `token`'s holder: refused with `code`, the field null, nothing appended. */
  const expectRefused = async (kind: 'query' | 'mutation', field: GraphQLField<unknown, unknown>, token: string | null, code: string) => {
    const before = (await api.app.store.readAll()).length;
    const { query, variables } = operationFor(kind, field);
    const response = await api.graphql(query, variables, token);
    expect(response.errors?.map((error) => error.extensions?.code)).toEqual([code]);
    expect(response.data?.[field.name] ?? null).toBeNull();
    expect((await api.app.store.readAll()).length).toBe(before);
  };

  const signInNeeded = rootFields.filter(({ coordinate }) => fieldRules[coordinate] !== 'anyone');
  it.each(signInNeeded.map((entry) => [entry.coordinate, entry] as const))(
    '%s refuses an anonymous caller with UNAUTHENTICATED and appends nothing',
    (_coordinate, { kind, field }) => expectRefused(kind, field, null, 'UNAUTHENTICATED'),
  );

  const adminOnly = rootFields.filter(({ coordinate }) => fieldRules[coordinate] === 'admin');
  it.each(adminOnly.map((entry) => [entry.coordinate, entry] as const))(
    '%s refuses a customer with FORBIDDEN and appends nothing',
    (_coordinate, { kind, field }) => expectRefused(kind, field, customer, 'FORBIDDEN'),
  );

  it('lets anyone read the catalogue', async () => {
    const response = await api.graphql('{ inventoryItems(first: 1) { totalCount } status { caughtUp } }', undefined, null);
    expect(response.errors).toBeUndefined();
    expect(response.data).toEqual({ inventoryItems: { totalCount: 0 }, status: { caughtUp: true } });
  });
});
